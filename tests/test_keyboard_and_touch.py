"""The keyboard alone, and a phone's touch screen, in a real Chromium.

A keyboard user walks a whole lesson (predict, lock in, every step, discuss) and
changes a rule, never touching the mouse; after every action the focus is on a
control, with a ring that can be seen. On a phone the panel starts closed, a
swipe that starts on a chart scrolls the page (and does not zoom the chart), no
chart toolbar sits on a title, and a whole lesson works 360 px wide. On an upright
tablet the panel starts closed too; with a mouse no chart's toolbar covers its
title. The loop diagram is drawn clean wherever there is room for it, and listed
where not.
"""

from __future__ import annotations

import pytest
from browser import metric, wait_changed, wait_idle

from scoring.lessons import lesson

pytestmark = pytest.mark.browser

# What has the focus, in words: tag, label and text (BODY when nothing has it).
ACTIVE = """() => { const e = document.activeElement;
  if (!e || e === document.body) { return 'BODY'; }
  return (e.tagName + ' ' + (e.getAttribute('aria-label') || '') + ' '
          + (e.innerText || e.value || '').slice(0, 60)).trim(); }"""
RING = """() => { const s = getComputedStyle(document.activeElement);
  return [s.outlineStyle, parseFloat(s.outlineWidth)]; }"""



def tab_to(page, wanted: str, limit: int = 120) -> str:
    """Press Tab until the focus is on something whose words contain ``wanted``."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        now = page.evaluate(ACTIVE)
        if wanted in now:
            return now
    raise AssertionError(f"Tab never reached {wanted!r}")


def settle(page) -> None:
    page.wait_for_timeout(300)
    wait_idle(page)
    page.wait_for_timeout(200)  # the focus is put back just after the redraw


def test_a_whole_lesson_and_a_rule_change_by_keyboard_alone(chromium, server):
    item = lesson("perks")
    context = chromium.new_context(viewport={"width": 1366, "height": 768})
    page = context.new_page()
    try:
        page.goto(f"{server}/lessons?lesson=perks")
        wait_idle(page)
        # The panel is put away during a lesson, so Tab goes straight to the lesson.
        assert page.locator("[data-testid='stSidebar']").is_hidden()
        tab_to(page, "Help for Your prediction", limit=30)
        page.keyboard.press("Tab")  # the first choice
        page.keyboard.press("Space")
        for _ in range(item.predict.answer):
            page.keyboard.press("ArrowDown")
        settle(page)
        tab_to(page, "Lock in my prediction")
        assert page.evaluate(RING) == ["solid", 3], "a focus ring that can be seen"
        page.keyboard.press("Enter")
        page.get_by_text("You predicted it.").wait_for(timeout=60_000)
        settle(page)
        # The button pressed is gone; the focus went to Next, not to the page.
        assert page.evaluate(ACTIVE).startswith("BUTTON  Next")
        for number, step in enumerate(item.steps, 1):
            page.keyboard.press("Enter")
            page.get_by_text(f"Step {number} of {len(item.steps)}: {step.title}").wait_for(
                timeout=60_000)
            settle(page)
            assert page.evaluate(ACTIVE).startswith("BUTTON  Next"), (number, "focus kept")
        page.keyboard.press("Enter")
        page.get_by_text("Discuss", exact=True).wait_for(timeout=60_000)
        settle(page)
        # Next is disabled at the end: the focus moved to Previous, still a control.
        assert page.evaluate(ACTIVE).startswith("BUTTON  ◀ Previous")

        # A rule, by keyboard: open the rules, Tab into the table, move, type, Enter.
        page.goto(server)
        wait_idle(page)
        before = metric(page, "Group gap")
        tab_to(page, "Rules: points per event")
        page.keyboard.press("Enter")
        # The table draws once the section has opened (slower on a busy machine).
        page.locator("[data-testid='stSidebar'] [data-testid='stDataFrame']").first.wait_for()
        page.wait_for_timeout(800)
        for _ in range(10):
            page.keyboard.press("Tab")
            # The table's canvas, or its first cell (the table draws cells for screen
            # readers once it is ready).
            if page.evaluate("(e => e.id === 'glide-cell-0-0' || e.dataset.testid === "
                             "'data-grid-canvas')(document.activeElement)"):
                break
        else:
            raise AssertionError("the rules table never took the focus: "
                                 + page.evaluate(ACTIVE))
        for _ in range(10):
            page.keyboard.press("ArrowDown")  # "Jaywalking seen by a camera"
        page.keyboard.press("Enter")
        # The cell's editor opens over the table: type once it has the focus, and
        # see the number typed before pressing Enter, as a sighted user would.
        from playwright.sync_api import expect  # only the browser tests need it

        editor = page.locator("#portal input, #portal textarea").first
        editor.wait_for()
        expect(editor).to_be_focused()
        page.keyboard.press("Control+A")
        page.keyboard.type("-200", delay=40)
        expect(editor).to_have_value("-200")
        page.keyboard.press("Enter")
        wait_changed(page, "Group gap", before)
        assert float(metric(page, "Group gap")) > float(before), "harsher camera rule"
        assert page.evaluate(ACTIVE) != "BODY"
    finally:
        context.close()


def swipe_up(page, x: float, y: float, distance: float = 300) -> None:
    """A one-finger swipe upwards, as a phone sends it."""
    cdp = page.context.new_cdp_session(page)
    cdp.send("Input.dispatchTouchEvent", {"type": "touchStart", "touchPoints": [{"x": x, "y": y}]})
    for i in range(1, 13):
        point = {"x": x, "y": y - distance * i / 12}
        cdp.send("Input.dispatchTouchEvent", {"type": "touchMove", "touchPoints": [point]})
        page.wait_for_timeout(16)
    cdp.send("Input.dispatchTouchEvent", {"type": "touchEnd", "touchPoints": []})
    page.wait_for_timeout(700)


def phone(chromium, width: int = 390, height: int = 844):
    return chromium.new_context(viewport={"width": width, "height": height}, has_touch=True,
                                is_mobile=True, device_scale_factor=2)


def test_on_a_phone_a_swipe_over_a_chart_scrolls_the_page(chromium, server):
    context = phone(chromium)
    page = context.new_page()
    try:
        page.goto(f"{server}/drift")
        wait_idle(page)
        assert not page.locator("[data-testid='stSidebar']").is_visible(), "panel closed"
        chart = page.locator("[data-testid='stPlotlyChart']").nth(1)  # mean score by group
        chart.locator(".js-plotly-plot").wait_for()
        chart.scroll_into_view_if_needed()
        page.wait_for_timeout(300)
        main = page.locator("[data-testid='stMain']")
        top = main.evaluate("e => e.scrollTop")
        x_range = chart.locator(".js-plotly-plot").evaluate("e => e.layout.xaxis.range")
        y_range = chart.locator(".js-plotly-plot").evaluate("e => e.layout.yaxis.range")
        box = chart.bounding_box()
        swipe_up(page, box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
        assert main.evaluate("e => e.scrollTop") > top + 150, "the page scrolled"
        assert chart.locator(".js-plotly-plot").evaluate("e => e.layout.xaxis.range") == x_range
        assert chart.locator(".js-plotly-plot").evaluate("e => e.layout.yaxis.range") == y_range
        # No toolbar on a phone, so none on a title.
        bars = page.locator("[data-testid='stPlotlyChart'] .modebar-container")
        assert bars.count() >= 3
        assert all(not bar.is_visible() for bar in bars.all())
    finally:
        context.close()


def test_a_whole_lesson_works_on_a_360_px_phone(chromium, server):
    item = lesson("friends")
    context = phone(chromium, 360, 740)
    page = context.new_page()
    try:
        page.goto(f"{server}/lessons?lesson=friends")
        wait_idle(page)
        # The page links are in the drawer on a phone: it opens with them, without the
        # controls (put away during a lesson); it closes again.
        page.locator("[data-testid='stExpandSidebarButton']").first.tap()
        page.wait_for_timeout(600)
        sidebar = page.locator("[data-testid='stSidebar']")
        assert sidebar.get_by_role("link", name="Drift").is_visible()
        assert not page.locator("[data-testid='stSidebarUserContent']").is_visible()
        sidebar.locator("[data-testid='stSidebarCollapseButton'] button").first.tap()
        page.wait_for_timeout(600)
        page.get_by_text(item.predict.choices[item.predict.answer], exact=True).tap()
        page.get_by_role("button", name="Lock in my prediction and run").tap()
        page.get_by_text("You predicted it.").wait_for(timeout=60_000)
        for number, step in enumerate(item.steps, 1):
            page.get_by_role("button", name="Next").first.tap()
            page.get_by_text(f"Step {number} of {len(item.steps)}: {step.title}").wait_for(
                timeout=60_000)
            wait_idle(page)
            assert page.locator("[data-testid='stException']").count() == 0
            # Nothing wider than the phone: no sideways scrolling.
            assert page.evaluate("document.documentElement.scrollWidth") <= 360
        page.get_by_role("button", name="Next").first.tap()
        page.get_by_text("Discuss", exact=True).wait_for(timeout=60_000)
    finally:
        context.close()


# The loop diagram as drawn: each text annotation's rectangle, its text and fill.
DRAWN = """() => {
  const svg = document.querySelector('.st-key-loop-diagram .js-plotly-plot');
  const frame = svg.getBoundingClientRect();
  const found = [...svg.querySelectorAll('g.annotation')].map(g => {
    const text = g.querySelector('text'), bg = g.querySelector('rect.bg');
    if (!text || !text.textContent) { return null; }
    const r = bg.getBoundingClientRect();
    return {text: text.textContent, fill: getComputedStyle(bg).fill,
            x: r.x, y: r.y, w: r.width, h: r.height};
  }).filter(a => a);
  return {frame: {x: frame.x, y: frame.y, w: frame.width, h: frame.height}, found,
          page: getComputedStyle(document.querySelector('[data-testid=stApp]')).backgroundColor};
}"""


def overlap(a: dict, b: dict) -> bool:
    return (min(a["x"] + a["w"], b["x"] + b["w"]) - max(a["x"], b["x"]) > 0
            and min(a["y"] + a["h"], b["y"] + b["h"]) - max(a["y"], b["y"]) > 0)


@pytest.mark.parametrize("view", ["phone", "laptop, panel open at 1280", "laptop",
                                  "projector, dark", "presenter mode"])
def test_the_loop_diagram_is_clean_where_drawn_and_a_list_where_not(chromium, server, view):
    """Where the diagram is drawn, no label covers a box or another label, none is cut
    off, and every label's patch is the page's own colour; where the page is too
    narrow for it (a phone, a laptop at 1280 px with the panel open), its arrows are
    listed instead, and nothing scrolls sideways."""
    from ui.charts import diagram_edges, diagram_layout

    width, height, scheme, query, shown = {
        "phone": (390, 844, "light", "", False),
        "laptop, panel open at 1280": (1280, 800, "light", "", False),
        "laptop": (1366, 768, "light", "", True),
        "projector, dark": (1920, 1080, "dark", "", True),
        "presenter mode": (1920, 1080, "dark", "?present=1", True),
    }[view]
    context = (phone(chromium) if view == "phone" else chromium.new_context(
        viewport={"width": width, "height": height}, color_scheme=scheme))
    page = context.new_page()
    try:
        page.goto(f"{server}/loops{query}")
        wait_idle(page)
        assert page.locator(".st-key-loop-diagram").is_visible() == shown
        listed = page.locator(".st-key-loop-list")
        assert listed.is_visible() != shown
        assert page.evaluate("document.documentElement.scrollWidth") <= width
        if not shown:
            listed.get_by_text("thin file", exact=True).wait_for(state="visible")
            return
        page.locator(".st-key-loop-diagram .js-plotly-plot").wait_for()
        drawn = page.evaluate(DRAWN)
        names = set(diagram_layout(diagram_edges()))
        boxes = [a for a in drawn["found"] if a["text"] in names]
        labels = [a for a in drawn["found"] if a["text"] not in names]
        assert len(boxes) == len(names)
        assert {a["text"].removesuffix("(off)") for a in labels} == {
            e.label for e, _ in diagram_edges() if e.label}
        frame = drawn["frame"]
        for i, label in enumerate(labels):
            assert not [b["text"] for b in boxes if overlap(label, b)], label["text"]
            assert not [o["text"] for o in labels[i + 1:] if overlap(label, o)], label["text"]
            assert frame["x"] <= label["x"] and label["x"] + label["w"] <= frame["x"] + frame["w"]
            assert frame["y"] <= label["y"] and label["y"] + label["h"] <= frame["y"] + frame["h"]
            # Presenter mode draws charts black on white whatever the theme.
            assert label["fill"] == ("rgb(255, 255, 255)" if query else drawn["page"])
    finally:
        context.close()


# Of a chart: its toolbar and title rectangles, and whether the toolbar is shown.
TOOLBAR = """e => {
  const bar = e.querySelector('.modebar-container .modebar'), title = e.querySelector('.gtitle');
  if (!bar || !title || !title.textContent) { return null; }
  const a = bar.getBoundingClientRect(), b = title.getBoundingClientRect();
  const shown = getComputedStyle(e.querySelector('.modebar-container')).display !== 'none'
    && getComputedStyle(bar).opacity !== '0' && a.width > 0;
  const covers = Math.min(a.right, b.right) - Math.max(a.left, b.left) > 0
    && Math.min(a.bottom, b.bottom) - Math.max(a.top, b.top) > 0;
  return {shown, covers, title: title.textContent};
}"""
CHART_PAGES = ["drift", "personas", "bias", "loops", "compare", "regulation"]


@pytest.mark.parametrize("width, height", [(1366, 768), (1920, 1080)])
def test_a_chart_toolbar_never_covers_a_title_where_a_mouse_shows_it(chromium, server,
                                                                      width, height):
    """With a mouse the toolbar appears on hover: over every chart of every page with
    charts, it stays clear of the chart's title (it has two buttons only)."""
    context = chromium.new_context(viewport={"width": width, "height": height})
    page = context.new_page()
    try:
        hovered = 0
        for key in CHART_PAGES:
            page.goto(f"{server}/{key}")
            wait_idle(page)
            page.locator("[data-testid='stPlotlyChart'] .js-plotly-plot").first.wait_for()
            charts = page.locator("[data-testid='stPlotlyChart']")
            for i in range(charts.count()):
                chart = charts.nth(i)
                if not chart.is_visible():
                    continue
                chart.scroll_into_view_if_needed()
                chart.hover()
                page.wait_for_timeout(150)
                found = chart.evaluate(TOOLBAR)
                if found and found["shown"]:
                    hovered += 1
                    assert not found["covers"], (key, found["title"])
        assert hovered >= 10, "the toolbars were seen"
    finally:
        context.close()


def test_on_a_tablet_the_panel_starts_closed_with_no_toolbar_and_whole_numbers(chromium, server):
    """An upright tablet (820 px, touch): the panel starts closed, charts have no toolbar
    (it would always show, over the title), and no headline number is cut short."""
    context = chromium.new_context(viewport={"width": 820, "height": 1180}, has_touch=True,
                                   is_mobile=True)
    page = context.new_page()
    try:
        for key in ("drift", "bias"):
            page.goto(f"{server}/{key}")
            wait_idle(page)
            page.locator("[data-testid='stPlotlyChart'] .js-plotly-plot").first.wait_for()
            page.wait_for_timeout(800)
            panel = page.locator("[data-testid='stSidebar']").bounding_box()
            assert panel is None or panel["x"] + panel["width"] <= 0, "panel closed"
            bars = page.locator("[data-testid='stPlotlyChart'] .modebar-container")
            assert bars.count() >= 2 and not any(bar.is_visible() for bar in bars.all())
            numbers = page.locator("[data-testid='stMetricValue']")
            assert numbers.count() >= 4
            for number in numbers.all():
                assert number.evaluate("e => e.scrollWidth <= e.clientWidth + 1"), \
                    number.inner_text()
        # A student who opens the panel keeps it open on the next page.
        page.locator("[data-testid='stExpandSidebarButton']").click()
        page.get_by_role("link", name="Personas").first.click()
        page.wait_for_url("**/personas?**")
        wait_idle(page)
        page.wait_for_timeout(800)
        panel = page.locator("[data-testid='stSidebar']").bounding_box()
        assert panel["x"] + panel["width"] > 200, "the panel the student opened stays open"
    finally:
        context.close()
