"""The main journeys in a real Chromium: open, change a rule, share, upload."""

from __future__ import annotations

import urllib.request

import pytest
from browser import (
    metric,
    screenshot,
    wait_changed,
    wait_idle,
)

from scoring import compute_metrics, load_preset, simulate, to_toml, with_changes
from ui.site import PAGES as SITE

pytestmark = pytest.mark.browser
VIEWS = [p.key for p in SITE]


@pytest.fixture
def page(chromium):
    context = chromium.new_context(viewport={"width": 1500, "height": 1800})
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
    # Typed as a student would: every page at its own path (Drift also at the root).
    page.goto(f"{server}/{view}")
    wait_idle(page)
    page.locator("[data-testid='stMain'] h2").first.wait_for(timeout=60_000)
    wait_idle(page)
    assert page.locator("[data-testid='stException']").count() == 0
    assert page.get_by_text("Page not found").count() == 0
    assert page.url.startswith(f"{server}/{view}?")  # stayed there, the scenario in the link
    heading = page.locator("[data-testid='stMain'] h2").first.inner_text()
    assert heading.startswith("Drift") == (view == "drift")  # its own page, not the default
    screenshot(page, view)


def test_the_root_opens_drift(page, server):
    page.goto(server)
    wait_idle(page)
    page.locator("[data-testid='stMain'] h2").first.wait_for(timeout=60_000)
    assert page.locator("[data-testid='stMain'] h2").first.inner_text().startswith("Drift")


def _heading(page) -> str:
    page.locator("[data-testid='stMain'] h2").first.wait_for(timeout=60_000)
    wait_idle(page)
    return page.locator("[data-testid='stMain'] h2").first.inner_text()


def test_one_back_press_goes_back_one_page_and_a_reload_keeps_the_lesson_step(page, server):
    """Each page is one entry in the browser's history (the run's ?s= and the lesson's
    step change the address without adding entries), so Back goes to the page before;
    a reload of a lesson step opens that same step."""
    page.goto(f"{server}/personas")
    assert _heading(page).startswith("Personas")
    page.wait_for_timeout(500)
    start = page.evaluate("history.length")
    visits = ["Rules", "Bias", "Lessons"]
    for number, name in enumerate(visits, 1):
        page.get_by_role("link", name=name).first.click()
        page.wait_for_url(f"**/{name.lower()}?**")
        assert _heading(page).startswith(name)
        page.wait_for_timeout(500)
        assert page.evaluate("history.length") == start + number, f"one entry for {name}"
    # In the lesson: lock in a prediction and go on one step (the address follows).
    from scoring.lessons import lessons

    first = lessons()[0]
    page.get_by_text(first.predict.choices[first.predict.answer], exact=True).click()
    page.get_by_role("button", name="Lock in my prediction and run").click()
    page.get_by_text("You predicted it.").wait_for(timeout=60_000)
    page.get_by_role("button", name="Next").first.click()
    page.get_by_text("Step 1 of").first.wait_for(timeout=60_000)
    wait_idle(page)
    page.wait_for_timeout(500)
    assert "part=1" in page.url
    assert page.evaluate("history.length") == start + len(visits), "a step is not a page"
    step = f"Step 1 of {len(first.steps)}: {first.steps[0].title}"
    assert page.get_by_text(step).count() == 1
    page.reload()
    page.get_by_text(step).first.wait_for(timeout=60_000)
    assert "part=1" in page.url
    for name in ("Bias", "Rules", "Personas"):
        page.go_back()
        assert _heading(page).startswith(name), f"Back from the page after {name}"
    # One more Back leaves the app (to the blank page this tab opened with), not the
    # first page again without its ?s=.
    page.go_back()
    page.wait_for_url("about:blank", timeout=10_000)


@pytest.mark.parametrize("typed, lands, says", [
    ("/persona", "/personas?", 'There is no page "persona": this is the nearest, Personas.'),
    ("/feedback-loop?present=1", "/loops?", "this is the nearest, Feedback loops."),
    ("/zzzz", "/?", 'There is no page "zzzz": this is the first page, Drift'),
    ("/%3Cb%3Ehi%3C%2Fb%3E", "/?", 'There is no page "<b>hi</b>"'),
])
def test_a_path_typed_wrong_opens_the_nearest_page_and_says_so(page, server, typed, lands,
                                                                says):
    page.goto(f"{server}{typed}")
    page.wait_for_url(f"**{lands}**", timeout=60_000)
    page.get_by_text(says).first.wait_for(timeout=60_000)
    assert page.locator("[data-testid='stMain'] b", has_text="hi").count() == 0  # as text
    assert "asked=" not in page.url
    if "present=1" in typed:
        assert "present=1" in page.url, "the rest of the address is kept"


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


def test_a_shared_link_shows_the_same_numbers(chromium, page, server):
    page.goto(server)
    wait_idle(page)
    page.locator("[data-testid='stSidebar'] [data-testid='stNumberInput'] input").first.fill("42")
    page.keyboard.press("Enter")
    wait_idle(page)
    page.wait_for_timeout(800)
    wait_idle(page)
    numbers = [metric(page, label) for label in ("Mean score", "Group gap", "Lock-in")]
    page.get_by_text("Share this run").click()
    link = page.locator("[data-testid='stCode'] code").first.inner_text().strip()
    assert "?s=" in link
    other = chromium.new_context(viewport={"width": 1500, "height": 1200})
    try:
        fresh = other.new_page()
        fresh.goto(link.replace("http://localhost:8501", server))
        wait_idle(fresh)
        labels = ("Mean score", "Group gap", "Lock-in")
        assert [metric(fresh, label) for label in labels] == numbers
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


def test_a_bad_link_shows_a_message_and_the_server_carries_on(page, server):
    page.goto(f"{server}/?s=not-a-scenario")
    wait_idle(page)
    alert = " ".join(page.locator("[data-testid='stAlertContentError']").all_inner_texts())
    assert "This link could not be opened" in alert and "damaged" in alert
    final = compute_metrics(simulate(load_preset("baseline")))["final"]
    assert metric(page, "Group gap") == f"{final['group_gap']:.1f}"
    with urllib.request.urlopen(f"{server}/_stcore/health", timeout=5) as answer:
        assert answer.status == 200
    page.goto(server)
    wait_idle(page)
    assert page.locator("[data-testid='stException']").count() == 0


def test_two_students_at_once_never_see_each_others_work(chromium, server, tmp_path):
    """Two browser contexts (two students) work at the same time on one server."""
    mine = with_changes(load_preset("cameras"), {"seed": 5, "population.size": 2000})
    upload = tmp_path / "b-world.toml"
    upload.write_text(to_toml(mine))
    contexts = [chromium.new_context(viewport={"width": 1500, "height": 1500}) for _ in "ab"]
    try:
        a, b = (context.new_page() for context in contexts)
        a.goto(server)
        b.goto(server)
        wait_idle(a)
        wait_idle(b)
        # Student A changes the seed while student B loads a file of their own.
        seed_a = a.locator("[data-testid='stSidebar'] [data-testid='stNumberInput'] input").first
        seed_a.fill("42")
        seed_a.press("Enter")
        b.get_by_text("Save and load").click()
        b.locator("[data-testid='stSidebar'] input[type='file']").set_input_files(str(upload))
        for page in (a, b):
            page.wait_for_timeout(800)
            wait_idle(page)
        expect_a = compute_metrics(simulate(with_changes(load_preset("baseline"),
                                                         {"seed": 42})))["final"]
        expect_b = compute_metrics(simulate(mine))["final"]
        assert metric(a, "Group gap") == f"{expect_a['group_gap']:.1f}"
        assert metric(b, "Group gap") == f"{expect_b['group_gap']:.1f}"
        assert "b-world" not in a.content() and "cameras" not in a.locator(
            "[data-testid='stSidebar'] [data-testid='stSelectbox']").first.inner_text()
        # Each reload (a new session from the address) still shows the student's own run.
        for page, expected, seed in ((a, expect_a, "42"), (b, expect_b, "5")):
            page.reload()
            wait_idle(page)
            assert metric(page, "Group gap") == f"{expected['group_gap']:.1f}"
            assert page.locator("[data-testid='stSidebar'] [data-testid='stNumberInput'] input"
                                ).first.input_value() == seed
    finally:
        for context in contexts:
            context.close()


def test_a_whole_lesson_in_presenter_mode(page, server):
    from scoring.lessons import lesson

    item = lesson("perks")
    page.goto(f"{server}/lessons?lesson=perks&present=1")
    wait_idle(page)
    assert page.evaluate("getComputedStyle(document.documentElement).fontSize") == "24px"
    assert page.locator("[data-testid='stSidebar']").is_hidden(), "controls tucked away"
    assert page.get_by_text("Teacher notes").count() == 0
    screenshot(page, "lesson-0-predict")
    page.get_by_text(item.predict.choices[item.predict.answer], exact=True).click()
    page.get_by_role("button", name="Lock in my prediction and run").click()
    page.get_by_text("You predicted it.").wait_for(timeout=60_000)
    wait_idle(page)
    screenshot(page, "lesson-1-outcome")
    for number, step in enumerate(item.steps, 1):
        nxt = page.get_by_role("button", name="Next").first
        assert nxt.bounding_box()["height"] >= 60, "large enough to hit from a lectern"
        nxt.click()
        page.get_by_text(f"Step {number} of {len(item.steps)}: {step.title}").wait_for(
            timeout=60_000)
        wait_idle(page)
        page.locator("[data-testid='stMain'] .js-plotly-plot").first.wait_for(timeout=60_000)
        assert page.locator("[data-testid='stException']").count() == 0
        screenshot(page, f"lesson-{number + 1}-step-{number}")
    page.get_by_role("button", name="Next").first.click()
    page.get_by_text("Discuss", exact=True).wait_for(timeout=60_000)
    wait_idle(page)
    assert page.get_by_text(item.discussion[0][:40]).count() == 1
    screenshot(page, f"lesson-{len(item.steps) + 2}-discuss")
    # On any other page the way out of presenter mode is in sight, below the top bar.
    page.goto(f"{server}/bias?present=1")
    wait_idle(page)
    switch = page.get_by_text("Presenter mode").first.bounding_box()
    header = page.locator("[data-testid='stHeader']").bounding_box()
    assert switch["y"] >= header["y"] + header["height"]
