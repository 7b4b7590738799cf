"""The main journeys in a real Chromium: open, change a rule, share, upload."""

from __future__ import annotations

import pytest
from browser import (
    CHROMIUM_ARGS,
    app_server,
    chromium_path,
    metric,
    screenshot,
    wait_changed,
    wait_idle,
)
from playwright.sync_api import sync_playwright

from scoring import compute_metrics, load_preset, simulate

pytestmark = pytest.mark.browser
VIEWS = ["drift", "personas", "rules", "bias", "loops", "compare", "build", "about"]


@pytest.fixture(scope="module")
def server():
    with app_server() as url:
        yield url


@pytest.fixture(scope="module")
def browser():
    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1500, "height": 1800})
    page = context.new_page()
    yield page
    context.close()


def test_open_the_app_and_see_the_engines_numbers(page, server):
    final = compute_metrics(simulate(load_preset("baseline")))["final"]
    requests = []
    page.on("request", lambda request: requests.append(request.url))
    page.goto(server)
    wait_idle(page)
    assert metric(page, "Group gap") == f"{final['group_gap']:.1f}"
    assert page.locator("[data-testid='stException']").count() == 0
    # The page asks nothing of any host but the app's own.
    outside = [url for url in requests if not url.startswith((server, "data:", "blob:"))]
    assert requests and outside == []


@pytest.mark.parametrize("view", VIEWS)
def test_every_view_renders_and_is_saved_as_a_screenshot(page, server, view):
    # Drift is the default page, served at the root.
    page.goto(f"{server}/{'' if view == 'drift' else view}")
    wait_idle(page)
    page.locator("[data-testid='stMain'] h2").first.wait_for(timeout=60_000)
    wait_idle(page)
    assert page.locator("[data-testid='stException']").count() == 0
    assert page.get_by_text("Page not found").count() == 0
    screenshot(page, view)


def test_change_a_rule_and_see_the_numbers_move(page, server):
    page.goto(server)
    wait_idle(page)
    before = metric(page, "Group gap")
    page.get_by_text("Rules: points per event").click()
    grid = page.locator("[data-testid='stSidebar'] [data-testid='stDataFrame']").first
    grid.wait_for()
    grid.scroll_into_view_if_needed()
    page.wait_for_timeout(800)  # the expander's opening animation
    box = grid.bounding_box()
    # Double-click the "Points" cell (first column) of "Jaywalking" (row 11 of 13;
    # rows and the header are 35 px high) to open its editor.
    page.mouse.dblclick(box["x"] + 25, box["y"] + 35 * 11 + 17)
    page.wait_for_timeout(400)
    page.keyboard.press("Control+A")
    page.keyboard.type("-200", delay=120)
    page.keyboard.press("Enter")
    page.mouse.click(box["x"] + box["width"] + 600, box["y"] - 100)
    wait_changed(page, "Group gap", before)
    after = metric(page, "Group gap")
    assert after != before
    assert float(after) > float(before), "harsher camera rules widen the gap"


def test_a_shared_link_shows_the_same_numbers(browser, page, server):
    page.goto(server)
    wait_idle(page)
    page.locator("[data-testid='stSidebar'] [data-testid='stNumberInput'] input").first.fill("42")
    page.keyboard.press("Enter")
    wait_idle(page)
    page.wait_for_timeout(800)
    wait_idle(page)
    numbers = [metric(page, label) for label in ("Mean score", "Group gap", "Gini")]
    page.get_by_text("Share this run").click()
    link = page.locator("[data-testid='stCode'] code").first.inner_text().strip()
    assert "?s=" in link
    other = browser.new_context(viewport={"width": 1500, "height": 1200})
    try:
        fresh = other.new_page()
        fresh.goto(link.replace("http://localhost:8501", server))
        wait_idle(fresh)
        assert [metric(fresh, label) for label in ("Mean score", "Group gap", "Gini")] == numbers
        assert fresh.locator("[data-testid='stSidebar'] [data-testid='stNumberInput'] input"
                             ).first.input_value() == "42"
    finally:
        other.close()


def test_upload_a_bad_scenario_and_see_the_message(page, server, tmp_path):
    page.goto(server)
    wait_idle(page)
    before = metric(page, "Group gap")
    page.get_by_text("Save and load").click()
    bad = tmp_path / "broken.toml"
    bad.write_text("months = 0\n[mechanisms]\ncamera = true\n")
    page.locator("[data-testid='stSidebar'] input[type='file']").set_input_files(str(bad))
    wait_idle(page)
    page.wait_for_timeout(800)
    wait_idle(page)
    alert = page.locator("[data-testid='stAlertContentError']")
    assert alert.count() >= 1
    text = " ".join(alert.all_inner_texts())
    assert "broken.toml" in text and "did you mean 'cameras'" in text
    assert metric(page, "Group gap") == before
    screenshot(page, "bad-upload")
