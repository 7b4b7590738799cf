"""Presenter mode on a projector: large type, black on white, one step on one screen.

Every step of every lesson, in the dark system theme (the harder case), at
1366 x 768 and at 1920 x 1080: the step's title, its chart and its claims all
sit inside the window without scrolling; body text is 24 px, chart text at
least 18 px, and the chart is black on white whatever the theme.
"""

from __future__ import annotations

import pytest
from browser import wait_idle

from scoring.lessons import lessons

pytestmark = pytest.mark.browser

STEPS = [(item.key, n) for item in lessons() for n in range(len(item.steps))]
# The smallest chart text: plotly's layout, its annotations and axis ticks.
SMALLEST_TEXT = """e => Math.min(e.layout.font.size,
  ...(e.layout.annotations || []).map(a => (a.font && a.font.size) || e.layout.font.size),
  (e.layout.xaxis.tickfont && e.layout.xaxis.tickfont.size) || e.layout.font.size)"""



@pytest.mark.parametrize("size", [(1366, 768), (1920, 1080)], ids=["laptop", "projector"])
def test_every_step_fits_one_screen_in_large_type(chromium, server, size):
    width, height = size
    context = chromium.new_context(viewport={"width": width, "height": height},
                                   color_scheme="dark")
    page = context.new_page()
    too_low = []
    try:
        for key, n in STEPS:
            step = next(i for i in lessons() if i.key == key).steps[n]
            page.goto(f"{server}/lessons?lesson={key}&part={n + 1}&present=1")
            wait_idle(page)
            plot = page.locator("[data-testid='stPlotlyChart'] .js-plotly-plot").first
            plot.wait_for(timeout=60_000)
            assert page.evaluate("getComputedStyle(document.body).fontSize") == "24px"
            assert plot.evaluate(SMALLEST_TEXT) >= 18, (key, n)
            assert plot.evaluate("e => e.layout.paper_bgcolor") == "#ffffff"
            title = page.get_by_text(f"Step {n + 1} of").first.bounding_box()
            chart = page.locator("[data-testid='stPlotlyChart']").first.bounding_box()
            claim = page.locator("[data-testid='stMarkdownContainer']").filter(
                has_text=step.claims[-1].says[:25]).last.bounding_box()
            lowest = max(title["y"] + title["height"], chart["y"] + chart["height"],
                         claim["y"] + claim["height"])
            if lowest > height:
                too_low.append(f"{key} step {n + 1}: ends at {lowest:.0f} px")
    finally:
        context.close()
    assert too_low == [], f"below the fold at {width}x{height}: {too_low}"


# Each help icon's drawn stroke colour, as r, g, b and alpha.
ICON_STROKES = """() => [...document.querySelectorAll('[data-testid=stTooltipIcon] svg')]
  .filter(svg => svg.getClientRects().length)
  .map(svg => getComputedStyle(svg).stroke.match(/[0-9.]+/g).map(Number))"""


def _contrast_on_white(rgba: list[float]) -> float:
    r, g, b, *alpha = rgba
    a = alpha[0] if alpha else 1.0
    channels = [(a * c + (1 - a) * 255) / 255 for c in (r, g, b)]
    lum = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 1.05 / (0.2126 * lum[0] + 0.7152 * lum[1] + 0.0722 * lum[2] + 0.05)


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_help_icons_stand_out_on_the_projectors_white(chromium, server, scheme):
    """The (?) beside a label opens its explanation: in presenter mode, on white, it is
    at least 3:1 in either system theme (the dark theme's was a pale grey, 1.2:1)."""
    context = chromium.new_context(viewport={"width": 1920, "height": 1080},
                                   color_scheme=scheme)
    page = context.new_page()
    try:
        page.goto(f"{server}/bias?present=1")
        wait_idle(page)
        page.wait_for_function(f"({ICON_STROKES})().length >= 4", timeout=60_000)
        strokes = page.evaluate(ICON_STROKES)
        assert len(strokes) >= 4
        assert min(_contrast_on_white(s) for s in strokes) >= 3.0, strokes
        assert _contrast_on_white([237, 235, 232, 0.6]) < 3.0  # the check can fail
    finally:
        context.close()


def _drawn_colour(locator) -> list[int]:
    """The colour an element is mostly drawn in, white and near-white left out."""
    from io import BytesIO

    from PIL import Image

    image = Image.open(BytesIO(locator.screenshot())).convert("RGB")
    drawn = [(count, colour) for count, colour in image.getcolors(image.width * image.height)
             if min(colour) <= 240]
    return list(max(drawn)[1])


# A control's "on" parts: (page, what, where).
CONTROL_PARTS = [
    ("drift", "a switch that is on", "[data-testid=stCheckbox] label[data-selected=true] "
     "> div:first-of-type"),
    ("drift", "a slider's handle", "[data-testid=stSlider] div:has(> div > input[type=range])"),
    ("drift", "a slider's filled track (the month: all of it)",
     "[data-testid=stSlider] [role=group] > div > div:first-child"),
    ("build", "a chosen option", "[data-testid=stRadioOption][data-selected=true] > div "
     "> div:first-child"),
]


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_controls_and_fields_stand_out_on_the_projectors_white(chromium, server, scheme):
    """In presenter mode the page is white in either system theme: a control's "on"
    parts are at least 3:1 on it (the dark theme's purple was 2.7:1), and every field
    has a black border (Streamlit's own names for them are what the style sheet uses:
    a release that renamed them fails here)."""
    context = chromium.new_context(viewport={"width": 1920, "height": 1080},
                                   color_scheme=scheme)
    page = context.new_page()
    try:
        faint = []
        for key in ("drift", "build"):
            page.goto(f"{server}/{key}?present=1")
            wait_idle(page)
            for _, what, where in (part for part in CONTROL_PARTS if part[0] == key):
                part = page.locator(f"[data-testid=stMain] {where}").first
                part.wait_for(timeout=60_000)
                colour = _drawn_colour(part)
                if _contrast_on_white(colour) < 3.0:
                    faint.append(f"{key}: {what} drawn in {colour}")
        fields = page.locator("[data-testid=stMain] :is(.react-aria-ComboBox > [role=group], "
                              "[data-testid=stTextInputRootElement])")
        assert fields.count() >= 3  # the name, the district, the habits
        borders = fields.evaluate_all(
            "els => els.map(e => getComputedStyle(e).borderTopColor)")
        assert faint == [], faint
        assert set(borders) == {"rgb(0, 0, 0)"}, borders
        # A field with the focus wears the orange ring every control wears.
        rings = []
        for field in fields.all():
            field.locator("input").first.focus()
            rings.append(field.evaluate(
                "e => [getComputedStyle(e).outlineStyle, getComputedStyle(e).outlineWidth, "
                "getComputedStyle(e).outlineColor].join(' ')"))
        assert set(rings) == {"solid 3px rgb(213, 94, 0)"}, rings
        assert _contrast_on_white([176, 143, 216]) < 3.0  # the check can fail
    finally:
        context.close()
