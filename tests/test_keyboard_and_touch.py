"""The keyboard alone, and a phone's touch screen, in a real Chromium.

A keyboard user walks a whole lesson (predict, lock in, every step, discuss) and
changes a rule, never touching the mouse; after every action the focus is on a
control, with a ring that can be seen. On a phone the panel starts closed, a
swipe that starts on a chart scrolls the page (and does not zoom the chart), no
chart toolbar sits on a title, and a whole lesson works 360 px wide.
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
        page.keyboard.press("Control+A")
        page.keyboard.type("-200", delay=40)
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


def test_the_loop_diagram_gives_way_to_a_list_of_its_arrows_on_a_phone(chromium, server):
    for context, diagram_shown in ((phone(chromium), False),
                                   (chromium.new_context(viewport={"width": 1366,
                                                                   "height": 768}), True)):
        page = context.new_page()
        try:
            page.goto(f"{server}/loops")
            wait_idle(page)
            assert page.locator(".st-key-loop-diagram").is_visible() == diagram_shown
            arrows = page.locator(".st-key-loop-list")
            assert arrows.is_visible() != diagram_shown
            if not diagram_shown:
                assert arrows.get_by_text("thin file", exact=True).is_visible()
                assert page.evaluate("document.documentElement.scrollWidth") <= 390
        finally:
            context.close()
