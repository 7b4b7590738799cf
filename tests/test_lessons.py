"""Lessons: the data files, the claim checks, the app's walk through every step."""

from __future__ import annotations

import html
import json
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from scoring import ScenarioError
from scoring.cli import main
from scoring.lessons import POOLED, SEEDS, check, lessons, pooled_table, read_lesson
from ui import handout

APP = str(Path(__file__).resolve().parent.parent / "app.py")
THEMES = ("perks", "cameras", "friends", "lockin", "gaming", "appeals", "law")


def test_seven_lessons_one_per_theme_each_complete():
    items = lessons()
    assert tuple(item.key for item in items) == THEMES
    for item in items:
        assert item.goal and item.discussion and item.steps
        assert 0 <= item.predict.answer < len(item.predict.choices) >= 3
        assert all(step.claims for step in item.steps), item.key
        assert {"timing", "misconceptions", "answers"} <= set(item.notes), item.key
        for step in item.steps:
            assert step.scenario().population.size >= 2000  # group numbers above noise


def test_every_claim_holds_pooled_over_thirty_seeds_and_is_visible(capsys):
    # The same check as `python -m scoring lessons --check`, which exits 1 on a failure.
    assert main(["lessons", "--check"]) == 0
    out = capsys.readouterr().out
    verdicts = check(workers=1)  # runs are kept from the command above
    assert len(SEEDS) >= 30
    assert verdicts and all(v.ok and v.tried == len(SEEDS) for v in verdicts)
    for v in verdicts:
        mean, _, lo, _ = v.pooled
        assert lo > 0, v.claim.says  # the interval excludes no effect
        assert v.visible, v.claim.says  # at least 3 seed-to-seed sd
    assert f"{len(verdicts)} of {len(verdicts)} claims hold" in out
    # The sizes the app shows are the ones this check measures.
    assert json.loads(POOLED.read_text()) == pooled_table(verdicts)


WRONG = """
key = "wrong"
title = "A lesson with a false claim"
theme = "testing"
minutes = 5
goal = "none"
discussion = ["none"]
[predict]
question = "?"
choices = ["a", "b"]
answer = 0
step = 0
why = "none"
[notes]
timing = []
misconceptions = []
answers = []
[[steps]]
title = "Perks make everyone equal (they do not)"
preset = "perks_penalties"
view = "drift"
chart = "histogram"
notice = "none"
ask = "What do you see?"
[steps.changes]
"population.size" = 2000
months = 36
seed = 3
[[steps.claims]]
says = "Scores are less unequal than with every loop off."
metric = "gini"
relation = "less"
against = "all_loops_off"
"""


def test_a_false_claim_fails_the_check(tmp_path, capsys):
    (tmp_path / "wrong.toml").write_text(WRONG)
    assert main(["lessons", "--check", "--folder", str(tmp_path), "--workers", "1"]) == 1
    out = capsys.readouterr().out
    assert "FAIL wrong step 1" in out and "0 of 1 claims hold" in out


@pytest.mark.parametrize(("old", "new", "message"), [
    ('preset = "perks_penalties"', 'preset = "utopia"', "unknown preset 'utopia'"),
    ('chart = "histogram"', 'chart = "pie"', "unknown chart 'pie'"),
    ('"population.size" = 2000', '"population.size" = 5', "population.size = 5"),
    ('relation = "less"', 'relation = "worse"', "relation 'worse'"),
])
def test_a_broken_lesson_file_is_refused_with_its_place(tmp_path, old, new, message):
    path = tmp_path / "broken.toml"
    path.write_text(WRONG.replace(old, new))
    with pytest.raises(ScenarioError) as caught:
        read_lesson(path)
    assert message in " ".join(caught.value.problems)


def test_handouts_escape_text_and_carry_every_part():
    item = lessons()[1]
    page = handout.html(item)
    assert page.startswith("<!doctype html>") and "@media print" in page
    assert item.predict.question.split()[0] in page
    assert all(step.title.replace("'", "&#x27;") in page for step in item.steps)
    hostile = item.__class__(**{**item.__dict__, "title": "<script>alert(1)</script>"})
    assert "<script>" not in handout.html(hostile)
    text = handout.markdown(item)
    assert text.count("- [ ] ") == len(item.predict.choices)
    notes = handout.teacher_notes_markdown(item)
    assert item.predict.choices[item.predict.answer] in notes


def _start() -> AppTest:
    at = AppTest.from_file(APP, default_timeout=120).run()
    return at.switch_page("ui/pages/lessons.py").run()


def _lock_in(at: AppTest, key: str) -> None:
    """Pick the first choice of the lesson's prediction and lock it in (Next waits for it)."""
    item = next(i for i in lessons() if i.key == key)
    at.radio(key=f"predict-{key}").set_value(item.predict.choices[0]).run()
    at.button(key="lesson-lock").click().run()


@pytest.mark.parametrize("key", THEMES)
def test_the_app_walks_every_step_of_every_lesson(key):
    item = next(i for i in lessons() if i.key == key)
    at = _start()
    at.selectbox(key="lesson_key").set_value(key).run()
    assert [h.value for h in at.subheader][0] == "Predict first"
    right = item.predict.choices[item.predict.answer]
    at.radio(key=f"predict-{key}").set_value(right).run()
    at.button(key="lesson-lock").click().run()
    assert not at.exception, at.exception
    assert "You predicted it." in [s.value for s in at.success]
    for number, step in enumerate(item.steps, 1):
        at.button(key="lesson-next").click().run()
        assert not at.exception, (key, number, at.exception)
        assert not at.error, (key, number, [e.value for e in at.error])
        assert at.subheader[0].value.startswith(f"Step {number} of {len(item.steps)}")
        # The step's chart, then its effects over the pooled seeds, one row per sentence.
        charts = at.get("plotly_chart")
        assert [c.key for c in charts] == [f"lesson-chart-{key}-{number - 1}",
                                           f"lesson-effect-{key}-{number - 1}"]
        shown = " ".join(m.value for m in at.markdown)
        assert shown.count(":material/check_circle:") == len(step.claims), (key, number)
    at.button(key="lesson-next").click().run()
    assert at.subheader[0].value == "Discuss"
    assert at.button(key="lesson-next").disabled


def test_a_wrong_prediction_is_told_what_the_run_says():
    at = _start()
    at.radio(key="predict-perks").set_value("narrower").run()
    at.button(key="lesson-lock").click().run()
    assert "Not what you predicted" in at.info[0].value


def test_hand_off_loads_the_step_into_the_sandbox():
    at = _start()
    at.selectbox(key="lesson_key").set_value("gaming").run()
    _lock_in(at, "gaming")
    at.button(key="lesson-next").click().run()
    at.button(key="sandbox-gaming-0").click().run()
    assert not at.exception
    assert [s.value for s in at.selectbox if s.label == "Preset"] == ["gaming"]
    assert any(m.label == "Group gap" for m in at.metric), "the Drift view opened"


def test_presenter_mode_from_the_link_hides_notes_and_shows_big_buttons():
    at = AppTest.from_file(APP, default_timeout=120)
    at.query_params["present"] = "1"
    at.query_params["lesson"] = "appeals"
    at.run()
    at.switch_page("ui/pages/lessons.py").run()
    assert at.toggle(key="present").value is True
    assert at.selectbox(key="lesson_key").value == "appeals"
    assert not [e for e in at.expander if "Teacher notes" in e.label]
    # One row of big buttons on the projector, at the top, in view.
    assert at.button(key="lesson-next-top")
    assert "lesson-next" not in [b.key for b in at.button]
    at.toggle(key="present").set_value(False).run()
    assert not [e for e in at.expander if "Teacher notes" in e.label], "a student's page"


def _notes_shown(at: AppTest) -> bool:
    expanders = [e for e in at.expander if "Teacher notes" in e.label]
    downloads = [b for b in at.get("download_button") if "Teacher" in b.proto.label]
    assert bool(expanders) == bool(downloads)
    return bool(expanders)


def test_teacher_notes_only_on_the_teachers_view_and_never_projected():
    item = next(i for i in lessons() if i.key == "cameras")
    answer = item.predict.choices[item.predict.answer]
    student = _start()
    assert not _notes_shown(student)
    assert not any("Predict answer" in m.value for m in student.markdown)
    at = AppTest.from_file(APP, default_timeout=120)
    at.query_params["teacher"] = "1"
    at.query_params["lesson"] = "cameras"
    at.run()
    at.switch_page("ui/pages/lessons.py").run()
    assert _notes_shown(at)
    assert any(f"**Predict answer:** {answer}" in m.value for m in at.markdown)
    at.toggle(key="present").set_value(True).run()
    assert not _notes_shown(at), "presenter mode is what the class sees"
    at.toggle(key="present").set_value(False).run()
    assert _notes_shown(at), "the teacher's view comes back"


def test_the_student_handout_asks_and_never_tells():
    for item in lessons():
        text = handout.markdown(item)
        page = handout.html(item)
        for step in item.steps:
            assert step.ask.endswith("?") and step.ask in text
            assert html.escape(step.ask, quote=True) in page
            assert step.notice[:40] not in text + page, (item.key, step.title)
            assert not [c.says for c in step.claims if c.says in text + page]
        assert item.predict.why[:40] not in text + page


def test_leaving_and_coming_back_keeps_the_lesson_and_the_step():
    at = _start()
    at.selectbox(key="lesson_key").set_value("friends").run()
    _lock_in(at, "friends")
    at.button(key="lesson-next").click().run()
    at.switch_page("ui/pages/bias.py").run()
    at.switch_page("ui/pages/lessons.py").run()
    assert at.selectbox(key="lesson_key").value == "friends"
    assert at.subheader[0].value.startswith("Step 1 of 2")


def test_next_waits_for_a_locked_in_prediction():
    at = _start()
    assert at.button(key="lesson-next").disabled
    assert at.button(key="lesson-next-top").disabled
    item = lessons()[0]
    at.radio(key=f"predict-{item.key}").set_value(item.predict.choices[0]).run()
    assert at.button(key="lesson-next").disabled  # picked, not locked in
    at.button(key="lesson-lock").click().run()
    assert not at.button(key="lesson-next").disabled


def test_a_lesson_link_to_the_root_opens_the_lesson():
    # The projector link of the README: /?lesson=cameras&present=1
    at = AppTest.from_file(APP, default_timeout=120)
    at.query_params["lesson"] = "cameras"
    at.query_params["present"] = "1"
    at.run()
    assert not at.exception
    assert at.header[0].value.startswith("Lessons")
    assert at.selectbox(key="lesson_key").value == "cameras"
    assert at.toggle(key="present").value is True


def test_an_unknown_lesson_says_so_and_names_the_lessons():
    at = AppTest.from_file(APP, default_timeout=120)
    at.query_params["lesson"] = "utopia"
    at.run()
    assert not at.exception
    warnings = " ".join(w.value for w in at.warning)
    assert 'no lesson called "utopia"' in warnings
    assert all(item.key in warnings for item in lessons())


def test_claims_speak_of_metrics_in_words_not_keys():
    from ui.views.lessons import claim_line, finals

    for item in lessons():
        for step in item.steps:
            for claim in step.claims:
                _, detail = claim_line(step, claim, item.steps, finals())
                assert "_" not in detail and "per 1000" not in detail, detail
                assert "threshold" not in detail, detail


@pytest.mark.parametrize(("part", "heading"), [("2", "Step 2 of"), ("1", "Step 1 of"),
                                                ("zz", "Predict first"), ("999", "Discuss")])
def test_a_reload_keeps_the_part_of_the_lesson(part, heading):
    # Reloading keeps ?lesson=KEY&part=N in the address; a damaged part starts at 0.
    at = AppTest.from_file(APP, default_timeout=120)
    at.query_params["lesson"] = "cameras"
    at.query_params["part"] = part
    at.run()
    assert not at.exception
    assert at.subheader[0].value.startswith(heading), at.subheader[0].value


def test_moving_on_writes_the_part_into_the_address():
    at = _start()
    _lock_in(at, lessons()[0].key)
    at.button(key="lesson-next").click().run()
    assert at.query_params["part"] == "1"


def test_a_step_that_compares_two_runs_draws_both_on_its_histogram():
    # Perks step 1 talks about "the same people with every loop off": the chart shows it.
    at = AppTest.from_file(APP, default_timeout=120)
    at.query_params["lesson"] = "perks"
    at.query_params["part"] = "1"
    at.run()
    chart = next(c for c in at.get("plotly_chart") if c.key == "lesson-chart-perks-0")
    names = [t["name"] for t in json.loads(chart.proto.spec)["data"]]
    assert names == ["this run", "every loop off"]


def test_a_projected_step_keeps_to_one_screen_with_every_claims_size():
    item = next(i for i in lessons() if i.key == "cameras")
    at = AppTest.from_file(APP, default_timeout=120)
    at.query_params["present"] = "1"
    at.query_params["lesson"] = "cameras"
    at.query_params["part"] = "2"
    at.run()
    at.switch_page("ui/pages/lessons.py").run()
    assert not at.exception
    assert not at.header, "no page heading: one line names the lesson"
    assert at.subheader[0].value.startswith("Step 2 of 3")
    assert [c.key for c in at.get("plotly_chart")] == ["lesson-chart-cameras-1"]
    claims = [m.value.replace("\\", "") for m in at.markdown if "check_circle" in m.value]
    assert len(claims) == len(item.steps[1].claims)
    assert all("30 seeds: " in c for c in claims), "each claim carries its pooled size"


def test_the_panel_is_put_away_during_a_lesson_and_only_then():
    from ui.present import LESSON_CSS

    at = _start()
    assert LESSON_CSS in [h.proto.body for h in at.get("html")]
    assert any("Open this step in the sandbox" in c.value for c in at.caption)
    drift = AppTest.from_file(APP, default_timeout=120).run()
    assert LESSON_CSS not in [h.proto.body for h in drift.get("html")]
