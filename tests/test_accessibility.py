"""WCAG 2.2 AA, checked by axe-core in Debian's Chromium.

Every page in the light and the dark system theme, with and without presenter
mode, and every part of every lesson: zero violations of any impact. axe-core
comes bundled in the PyPI package ``axe-playwright-python`` (``make test``
installs it); it reads the page as drawn, so a grey caption, a faint focus
ring or an unlabelled control fails here.
"""

from __future__ import annotations

import pytest
from browser import CHROMIUM_ARGS, chromium_path, wait_idle

from scoring.lessons import lessons
from ui.site import PAGES

pytestmark = pytest.mark.browser

# The rule sets of WCAG 2.0, 2.1 and 2.2, levels A and AA.
WCAG_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
PARTS = [(item.key, part) for item in lessons() for part in range(len(item.steps) + 2)]



@pytest.fixture(scope="module")
def axe():
    from axe_playwright_python.sync_playwright import Axe

    return Axe()


def violations(axe, page) -> list[str]:
    """axe-core's WCAG A/AA violations on the page, one line each (rule, where, why)."""
    found = axe.run(page, options={"runOnly": {"type": "tag", "values": WCAG_AA},
                                   "resultTypes": ["violations"]})
    lines = []
    for rule in found.response["violations"]:
        for node in rule["nodes"][:3]:
            lines.append(f"{rule['id']} ({rule['impact']}): {node['target']} "
                         f"{node.get('failureSummary', '')[:160]}")
    return lines


# Every text a chart draws on its own background, with its colour (text inside a
# bar or a heatmap cell is on that colour instead). axe-core reads no SVG text.
CHART_TEXT = """() => {
  const page = getComputedStyle(document.querySelector('[data-testid=stApp]')).backgroundColor;
  const paper = t => {  // the chart's own background where it has one (presenter mode: white)
    const svg = t.closest('.js-plotly-plot').querySelector('.main-svg');
    const colour = svg ? getComputedStyle(svg).backgroundColor : '';
    return colour && !colour.startsWith('rgba(0, 0, 0, 0)') ? colour : page;
  };
  return [...document.querySelectorAll('.js-plotly-plot text')]
    .filter(t => t.textContent.trim() && !t.closest('.bartext-inside, .textpoint, .heatmap-label')
                 && t.getBoundingClientRect().width > 0)
    .map(t => [t.textContent.trim().slice(0, 40), getComputedStyle(t).fill,
               getComputedStyle(t).fillOpacity, paper(t)]);
}"""


def _rgb(css: str) -> str:
    r, g, b = (int(float(v)) for v in css[css.index("(") + 1:css.index(")")].split(",")[:3])
    return f"#{r:02X}{g:02X}{b:02X}"


def faint_chart_text(page) -> list[str]:
    """Chart text under 4.5:1 against the page (WCAG 1.4.3), one line each."""
    from test_colours import contrast

    return [f"chart text {text!r}: {ratio:.2f}:1"
            for text, fill, opacity, paper in page.evaluate(CHART_TEXT)
            if (ratio := contrast(_rgb(fill), _rgb(paper))) < 4.5 or float(opacity) < 1]


def check(chromium, axe, url: str, scheme: str, width: int = 1366, height: int = 768) -> None:
    context = chromium.new_context(viewport={"width": width, "height": height},
                                   color_scheme=scheme)
    try:
        page = context.new_page()
        page.goto(url)
        wait_idle(page)
        assert page.locator("[data-testid='stException']").count() == 0
        found = violations(axe, page) + faint_chart_text(page)
        assert found == [], f"{url} ({scheme}):\n" + "\n".join(found)
    finally:
        context.close()


def test_axe_finds_a_violation_it_is_shown():
    """The check itself can fail: a page with an unlabelled image and grey text."""
    from axe_playwright_python.sync_playwright import Axe
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_ARGS)
        page = browser.new_page()
        page.set_content("<html lang='en'><head><title>t</title></head><body><main>"
                         "<p style='color:#aaa;background:#fff'>faint</p>"
                         "<img src='data:,'></main></body></html>")
        rules = {line.split(" ")[0] for line in violations(Axe(), page)}
        browser.close()
    assert {"color-contrast", "image-alt"} <= rules


def test_the_chart_text_check_finds_faint_text(chromium):
    page = chromium.new_page()
    try:
        page.set_content("<div data-testid='stApp' style='background:#fff'>"
                         "<div class='js-plotly-plot'><svg><text x='5' y='20' "
                         "style='fill:#808495'>ticks</text><text x='5' y='40' "
                         "style='fill:#000'>ink</text></svg></div></div>")
        assert faint_chart_text(page) == ["chart text 'ticks': 3.72:1"]
    finally:
        page.close()


@pytest.mark.parametrize("present", [False, True], ids=["plain", "presenter"])
@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("key", [page.key for page in PAGES])
def test_every_page_meets_wcag_aa(chromium, axe, server, key, scheme, present):
    check(chromium, axe, f"{server}/{key}" + ("?present=1" if present else ""), scheme)


@pytest.mark.parametrize(("lesson", "part"), PARTS)
def test_every_part_of_every_lesson_meets_wcag_aa(chromium, axe, server, lesson, part):
    # The projector's view: presenter mode, the dark theme on odd parts.
    scheme = "dark" if part % 2 else "light"
    check(chromium, axe, f"{server}/lessons?lesson={lesson}&part={part}&present=1", scheme,
          width=1920, height=1080)
