"""A class session in a real Chromium: a teacher and three students, each in a context of their own.

The teacher starts a session with a lesson; the students join by the code (one
on a phone, one with a nickname written as HTML, one with none); each locks in a
prediction in the lesson; the teacher's screen counts them without a reload,
reveals them, and locks them; each student walks the rest of the lesson to its
discussion. Then a policy round: each student builds a law in the sandbox and
submits it; the teacher's map shows all three, two of them identical (simulated
once), and the teacher opens one for the whole class, by the select box and then
by a click on its point of the map.
"""

from __future__ import annotations

import re

import pytest
from axe_playwright_python.sync_playwright import Axe
from browser import CHROMIUM_ARGS, app_server, chromium_path, screenshot, wait_idle
from playwright.sync_api import TimeoutError as PlaywrightTimeout
from playwright.sync_api import expect, sync_playwright
from proxy import COPY_HEADER, nginx_proxy
from test_accessibility import violations

from classroom import store
from scoring.presets import load_preset
from scoring.scenario import with_changes
from scoring.sharelink import encode

pytestmark = pytest.mark.browser

TEACHER = {"width": 1920, "height": 1080}
PHONE = {"viewport": {"width": 390, "height": 844}, "has_touch": True, "is_mobile": True}
LAPTOP = {"viewport": {"width": 1366, "height": 768}}


@pytest.fixture(scope="module")
def class_server(tmp_path_factory):
    database = tmp_path_factory.mktemp("class") / "class.sqlite3"
    with app_server(env={"CLASS_DB": str(database)}) as url:
        yield url, f"sqlite:///{database}"


def _choose(page, key: str, option) -> None:
    """Pick an option of a select box, as a mouse does: its Open button, then the option.

    The teacher's page redraws when a student acts, which closes an open list:
    then open it again, as a teacher would.
    """
    for _ in range(5):
        page.locator(f".st-key-{key} button[aria-label='Open']").click()
        found = page.get_by_role("option", name=option).first
        try:
            found.click(timeout=3_000)
            return
        except PlaywrightTimeout:
            continue
    raise AssertionError(f"the list of {key} did not stay open")


def _element_shot(page, element, name: str) -> None:
    """A screenshot of one element, scrolled clear of the page's sticky top bar."""
    element.evaluate("e => e.scrollIntoView({block: 'center'})")
    page.wait_for_timeout(300)
    box = element.bounding_box()
    page.screenshot(path=str(screenshot(page, name).with_suffix(".png")), clip=box)


def _student(browser, url: str, code: str, nickname: str, phone: bool):
    page = browser.new_context(**(PHONE if phone else LAPTOP)).new_page()
    page.goto(f"{url}/class?class={code}")
    wait_idle(page)
    page.get_by_role("textbox", name="Nickname (optional)").fill(nickname)
    page.get_by_role("button", name="Join", exact=True).click()
    expect(page.get_by_text("You are in this class session as")).to_be_visible(timeout=30_000)
    return page


def _predict(page, choice: str) -> None:
    page.get_by_role("link", name="Open the lesson").first.click()
    wait_idle(page)
    page.get_by_text(choice, exact=True).click()
    page.get_by_role("button", name="Lock in my prediction and run").click()
    expect(page.get_by_text("Sent to your class session")).to_be_visible(timeout=30_000)


def _walk(page, key: str) -> None:
    from scoring.lessons import lesson

    item = lesson(key)
    for number, step in enumerate(item.steps, 1):
        page.get_by_role("button", name="Next").first.click()
        expect(page.get_by_text(f"Step {number} of {len(item.steps)}: {step.title}")) \
            .to_be_visible(timeout=60_000)
        wait_idle(page)
    page.get_by_role("button", name="Next").first.click()
    expect(page.get_by_text("Discuss", exact=True)).to_be_visible(timeout=60_000)
    assert page.locator("[data-testid='stException']").count() == 0


def _submit(page, url: str, changes: dict, title: str, why: str) -> None:
    # The student's own rules, as the sandbox would leave them (opened by link).
    scenario = with_changes(load_preset("baseline"), changes)
    place = re.search(r"class=[^&]+&?.*member=[^&]+", page.url)
    assert place, page.url
    code = re.search(r"class=([^&]+)", page.url).group(1)
    member = re.search(r"member=([^&]+)", page.url).group(1)
    page.goto(f"{url}/class?class={code}&member={member}&s={encode(scenario)}")
    wait_idle(page)
    expect(page.get_by_text("Your law changes:")).to_be_visible(timeout=30_000)
    page.get_by_role("textbox", name="Title of your law").fill(title)
    page.get_by_role("textbox", name="Why, in one sentence").fill(why)
    page.get_by_role("button", name="Submit my law").click()
    expect(page.get_by_text("Sent (law")).to_be_visible(timeout=60_000)


def test_a_teacher_and_three_students_run_a_lesson_and_a_policy_round(class_server):
    url, database = class_server
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_ARGS)
        teacher = browser.new_context(viewport=TEACHER).new_page()
        teacher.goto(f"{url}/class")
        wait_idle(teacher)
        teacher.get_by_role("textbox", name="Title").fill("Year 11, Thursday")
        teacher.get_by_role("button", name="Start the session").click()
        teacher.wait_for_selector(".st-key-class-join-code", timeout=30_000)
        code = teacher.locator(".st-key-class-join-code").inner_text().strip()
        assert re.fullmatch(r"[ACDEFGHJKMNPQRTUVWXY34679]{6}", code)
        assert "key=" in teacher.url
        # The lesson, picked on the teacher's screen.
        _choose(teacher, "class-teacher-lesson", re.compile("perks", re.I))
        expect(teacher.get_by_text("Answered")).to_be_visible(timeout=30_000)

        students = [_student(browser, url, code, "<b>Ana</b>", phone=True),
                    _student(browser, url, code, "Ben", phone=False),
                    _student(browser, url, code, "", phone=False)]
        expect(students[0].get_by_text("<b>Ana</b>", exact=True)).to_be_visible()
        expect(students[2].get_by_text("Student 3", exact=True)).to_be_visible()
        expect(teacher.get_by_text("0 of 3")).to_be_visible(timeout=10_000)

        for page, choice in zip(students, ("wider", "wider", "narrower"), strict=True):
            _predict(page, choice)
        for page in students:  # the whole lesson, every step to the discussion
            _walk(page, "perks")
        # The teacher's screen counts them by itself (no reload).
        expect(teacher.get_by_text("3 of 3")).to_be_visible(timeout=10_000)
        teacher.get_by_role("button", name="Reveal the answers").click()
        expect(teacher.get_by_text("What the runs say:")).to_be_visible(timeout=30_000)
        figure = teacher.locator(".st-key-class-answers")
        expect(figure).to_contain_text("2", timeout=10_000)
        screenshot(teacher, "class-teacher-predictions")
        _element_shot(teacher, figure, "class-answers")
        teacher.get_by_role("button", name="Lock answers").click()
        expect(teacher.get_by_text("Answers are locked")).to_be_visible(timeout=30_000)
        snap = store.snapshot(code, url=database)
        assert sum(snap.answers["perks"].values()) == 3 and snap.answers["perks"][2] == 2

        # The policy round: two identical laws and one other.
        no_cameras = {"mechanisms.cameras": False}
        _submit(students[0], url, no_cameras, "No street cameras", "Cameras see Riverside.")
        _submit(students[1], url, no_cameras, "Switch off the cameras", "Same <i>idea</i>.")
        _submit(students[2], url, {"mechanisms.friends": False}, "No guilt by association",
                "Friends are not a reason.")
        expect(teacher.get_by_text("3 laws from 3 members")).to_be_visible(timeout=30_000)
        expect(teacher.locator(".st-key-class-laws")).to_be_visible()
        expect(teacher.get_by_text("What the fairest laws share")).to_be_visible()
        snap = store.snapshot(code, url=database)
        assert len(snap.laws) == 3 and len(snap.results) == 2  # identical laws: one result
        _choose(teacher, "class-open", "3. No guilt by association")
        teacher.get_by_role("button", name="Open it for everyone").click()
        expect(students[1].get_by_text('opened the law "No guilt by association"')) \
            .to_be_visible(timeout=15_000)
        # A click on a point of the map opens that law too (laws 1 and 2 share a point).
        point = teacher.locator(".st-key-class-laws .scatterlayer .point").first
        point.evaluate("e => e.scrollIntoView({block: 'center'})")
        box = point.bounding_box()
        teacher.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
        expect(students[1].get_by_text('opened the law "No street cameras"')) \
            .to_be_visible(timeout=15_000)
        expect(teacher.get_by_text("Open for everyone: 1. No street cameras")).to_be_visible()
        assert store.snapshot(code, url=database).shown_law == snap.laws[0].id
        # The click fades no point (plotly would dim the unselected ones): full colour.
        drawn = teacher.locator(".st-key-class-laws .scatterlayer .point").evaluate_all(
            "ps => ps.map(p => [getComputedStyle(p).opacity, getComputedStyle(p).fill])")
        assert drawn and all(o == "1" for o, _ in drawn), drawn
        screenshot(teacher, "class-teacher-policy")
        _element_shot(teacher, teacher.locator(".st-key-class-laws"), "class-policy-map")
        # WCAG 2.2 AA on the teacher's screen and a student's phone, as they are now.
        for page in (teacher, students[0]):
            found = violations(Axe(), page)
            assert found == [], "\n".join(found)
        students[1].get_by_role("button", name="Open it in my sandbox").click()
        expect(students[1].get_by_text("Opened the law")).to_be_visible(timeout=30_000)
        browser.close()


def _on_copy(browser, url: str, options: dict):
    """A new page at ``url`` through the proxy, and the copy that served it."""
    context = browser.new_context(**options)
    page = context.new_page()
    response = page.goto(url)
    return page, response.headers.get(COPY_HEADER.lower())


def test_two_app_copies_behind_nginx_sharing_postgresql_serve_one_session(postgres_url):
    """Through the deploy guide's nginx, a student on one copy and the teacher on the
    other see the same session (docs/deploy.md)."""
    from sqlalchemy import create_engine, text

    admin = create_engine(postgres_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text("CREATE DATABASE class_two_copies"))
    admin.dispose()
    shared = postgres_url.rsplit("/", 1)[0] + "/class_two_copies"
    env = {"DATABASE_URL": shared, "STREAMLIT_SERVER_COOKIE_SECRET": "one secret for both"}
    with app_server(env=env) as one, app_server(env=env) as other, \
            nginx_proxy([one, other]) as proxy, sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_ARGS)
        teacher, teacher_copy = _on_copy(browser, f"{proxy}/class", {"viewport": TEACHER})
        assert teacher_copy in {one.removeprefix("http://"), other.removeprefix("http://")}
        wait_idle(teacher)
        expect(teacher.get_by_text("Stored in the PostgreSQL at")).to_be_visible()
        teacher.get_by_role("textbox", name="Title").fill("Two copies")
        teacher.get_by_role("button", name="Start the session").click()
        teacher.wait_for_selector(".st-key-class-join-code", timeout=30_000)
        code = teacher.locator(".st-key-class-join-code").inner_text().strip()
        _choose(teacher, "class-teacher-lesson", re.compile("perks", re.I))
        # New students get a random copy (the proxy's cookie): the first on the other one.
        for _ in range(30):
            student, student_copy = _on_copy(browser, f"{proxy}/class?class={code}", PHONE)
            if student_copy != teacher_copy:
                break
            student.context.close()
        assert student_copy != teacher_copy, "30 new students all landed on the teacher's copy"
        wait_idle(student)
        student.get_by_role("textbox", name="Nickname (optional)").fill("Ana")
        student.get_by_role("button", name="Join", exact=True).click()
        expect(student.get_by_text("You are in this class session as")).to_be_visible(
            timeout=30_000)
        # The cookie keeps the student on their copy, the websocket and reloads included.
        assert student.reload().headers.get(COPY_HEADER.lower()) == student_copy
        wait_idle(student)
        _predict(student, "wider")
        expect(teacher.get_by_text("1 of 1")).to_be_visible(timeout=10_000)
        assert store.snapshot(code, url=shared).answers["perks"] == {2: 1}
        browser.close()
