"""The regulation lens: laws over any scenario, the harms compared, and the view."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from scoring import load_preset, with_changes
from scoring.law import lawful, what_the_law_changes
from scoring.mechanisms import LAW_KEYS
from scoring.regulation import (
    LAWS,
    PRINCIPLES,
    in_words,
    law_changes,
    principle_alone,
    under,
    with_principles,
    without_the_law,
)
from ui.views.regulation import removed

APP = str(Path(__file__).resolve().parent.parent / "app.py")


def test_each_law_is_its_preset_over_any_scenario():
    baseline = load_preset("baseline")
    for name in LAWS:
        assert under(baseline, name) == load_preset(name).model_copy(
            update={"name": "baseline", "description": baseline.description})
    # Over another world: its people, seed and rules stay, the law's switches come on.
    other = with_changes(baseline, {"seed": 11, "rules.jaywalking.points": -90})
    gdpr = under(other, "gdpr")
    assert gdpr.seed == 11 and gdpr.rules.jaywalking.points == -90
    assert gdpr.mechanisms.data_minimisation and not gdpr.mechanisms.biometric_ban
    assert set(law_changes("ai_act")) == {"mechanisms.social_scoring_ban",
                                          "mechanisms.biometric_ban"}


def test_one_principle_alone_starts_from_no_law():
    gdpr = load_preset("gdpr")
    assert not any(getattr(without_the_law(gdpr).mechanisms, k) for k in LAW_KEYS)
    alone = principle_alone(gdpr, "storage_limitation")
    assert [k for k in LAW_KEYS if getattr(alone.mechanisms, k)] == ["storage_limitation"]
    review = principle_alone(load_preset("baseline"), "appeals")
    assert review.mechanisms.appeals and review.surveillance.appeal_rate == 0.6
    both = with_principles(load_preset("baseline"), ["biometric_ban", "appeals"])
    assert both.mechanisms.biometric_ban and both.surveillance.appeal_rate == 0.6
    assert set(PRINCIPLES) == {*LAW_KEYS, "appeals"}


def test_every_change_a_principle_makes_reads_as_words():
    scenario = load_preset("gdpr_and_ai_act")
    for changes in what_the_law_changes(scenario).values():
        for path, value in changes.items():
            words = in_words(path, value, scenario)
            assert path not in words and " = " not in words, words
    assert lawful(scenario) != scenario


def test_share_of_a_harm_removed():
    assert removed([10.0, 10.0], [2.0, 2.0], "towards 0") == pytest.approx(0.8)
    assert removed([1.5], [1.25], "towards 1") == pytest.approx(0.5)
    assert removed([0.4], [0.6], "lower") == pytest.approx(-0.5)
    assert removed([0.5], [0.75], "higher") == pytest.approx(0.5)
    assert removed([0.0], [0.1], "lower") is None  # no harm to remove
    assert removed(None, [0.1], "lower") is None


def _regulation() -> AppTest:
    at = AppTest.from_file(APP, default_timeout=180).run()
    return at.switch_page("ui/pages/regulation.py").run()


def _cell(at: AppTest, table: int, harm: str, column: str) -> str:
    frame = at.table[table].value
    return str(frame.loc[frame["Harm"] == harm, column].iloc[0])


def test_the_view_compares_the_laws_and_follows_the_principles_switched_on():
    at = _regulation()
    assert not at.exception, at.exception
    assert at.header[0].value.startswith("Regulation")
    assert any("not legal advice" in i.value for i in at.info)
    gap = "Group gap (points)"
    assert _cell(at, 0, gap, "Your law") == _cell(at, 0, gap, "No law")
    laws = next(i for i, t in enumerate(at.table) if "GDPR" in t.value.columns)
    assert _cell(at, laws, gap, "No law") != _cell(at, laws, gap, "GDPR")
    at.toggle(key="regulation-data_minimisation").set_value(True).run()
    assert not at.exception
    assert _cell(at, 0, gap, "Your law") != _cell(at, 0, gap, "No law")
    shown = " ".join(m.value for m in at.markdown).replace("\\", "")
    assert "Jaywalking: no longer counts" in shown and "Cameras by district: off" in shown
    at.button(key="regulation-open").click().run()
    assert not at.exception
    panel = [t for t in at.sidebar.toggle if t.label == "Data minimisation"]
    assert panel and panel[0].value is True, "the law is loaded into the panel"


def test_a_law_is_a_scenario_like_any_other_shared_by_link_and_compared():
    from scoring.presets import PRESETS
    from scoring.sharelink import decode, encode, nearest_preset

    mine = with_changes(load_preset("gdpr"), {"law.retention_months": 12,
                                              "mechanisms.biometric_ban": True})
    token = encode(mine)
    assert decode(token) == mine
    assert nearest_preset(load_preset("ai_act")) == "ai_act"
    assert {"gdpr", "ai_act", "gdpr_and_ai_act"} <= set(PRESETS)  # Compare lists presets


def test_the_loop_diagram_shows_what_runs_under_the_law():
    at = AppTest.from_file(APP, default_timeout=180).run()
    at.switch_page("ui/pages/loops.py").run()
    rows = {r["from"] + ">" + r["to"]: r["switched on"] for r in _diagram_rows(at)}
    assert rows["Records>Hardship"] == "yes", "thin files, a source of bias, is on"
    assert rows["Score>Hardship"] == "yes"
    law = AppTest.from_file(APP, default_timeout=180)
    law.query_params["s"] = __import__("scoring.sharelink", fromlist=["encode"]).encode(
        load_preset("ai_act"))
    law.run()
    law.switch_page("ui/pages/loops.py").run()
    assert {r["from"] + ">" + r["to"]: r["switched on"]
            for r in _diagram_rows(law)}["Score>Hardship"] == "no", "the ban stops perks"


def _diagram_rows(at: AppTest) -> list[dict]:
    import json

    chart = next(c for c in at.get("plotly_chart") if c.key == "diagram")
    return json.loads(chart.proto.spec)["layout"]["meta"]["table"]


def test_an_undefined_harm_says_why_only_where_it_knows():
    from ui.views.regulation import cell

    assert cell(None, 2, "listed_share.ratio") == "no list"
    assert cell(None, 2, "lock_in_rate") == "–"
    assert cell([1.0, 2.0, 3.0], 1, "group_gap") == "2.0 (1.0 to 3.0)"
