"""The law's principles: each does what its article asks, against its same-seed twin.

Each test runs the baseline with one principle on and the same people and luck
with it off, on a few seeds, and checks the direction its article predicts;
and each principle's changes to the scenario are checked for what they keep.
"""

from __future__ import annotations

from statistics import mean

import pytest

from scoring import compute_metrics, load_preset, simulate, with_changes
from scoring.law import lawful, what_the_law_changes
from scoring.mechanisms import LAW_KEYS, MECHANISMS_BY_KEY
from scoring.metrics import read

SEEDS = (1, 2, 3)


def pair(key: str, seed: int, **extra) -> tuple[dict, dict]:
    """Final metrics of the baseline with ``key`` on, and of its twin with it off."""
    base = with_changes(load_preset("baseline"),
                        {"seed": seed, "population.size": 3000, **extra})
    on = with_changes(base, {f"mechanisms.{key}": True})
    return (compute_metrics(simulate(on))["final"], compute_metrics(simulate(base))["final"])


def means(key: str, path: str, **extra) -> tuple[float, float]:
    """The metric with the principle on and off, averaged over the seeds."""
    pairs = [pair(key, seed, **extra) for seed in SEEDS]
    return (mean(read(on, path) or 0.0 for on, _ in pairs),
            mean(read(off, path) or 0.0 for _, off in pairs))


def test_every_principle_is_off_by_default_and_in_the_control_preset():
    for preset in ("baseline", "control"):
        scenario = load_preset(preset)
        assert not any(getattr(scenario.mechanisms, key) for key in LAW_KEYS)
        assert lawful(scenario) is scenario


def test_data_minimisation_keeps_only_the_purposes_data():
    scenario = with_changes(load_preset("baseline"), {"mechanisms.data_minimisation": True})
    run = lawful(scenario)
    kept = {key for key, rule in run.rules if rule.points}
    assert kept and all(rule.dimension in ("credit_history", "contracts")
                        for key, rule in run.rules if key in kept)
    assert not run.mechanisms.cameras and not run.mechanisms.friends
    rentals = lawful(with_changes(scenario, {"law.purpose": "rentals"}))
    assert all(rule.dimension == "contracts" for _, rule in rentals.rules if rule.points)


def test_data_minimisation_closes_the_group_gap_and_costs_measurement():
    gap_on, gap_off = means("data_minimisation", "group_gap")
    assert gap_off > 8 and abs(gap_on) < gap_off / 3
    reliable_on, reliable_off = means("data_minimisation", "score_measures_reliability")
    assert reliable_on < reliable_off, "less data: the score measures reliability less well"


def test_purpose_limitation_drops_consequences_outside_credit_and_the_list():
    scenario = with_changes(load_preset("baseline"), {"mechanisms.purpose_limitation": True})
    run = lawful(scenario)
    assert run.consequences.perks and run.consequences.penalties
    assert {p.context for p in run.consequences.perks} == {"credit"}
    assert {p.context for p in run.consequences.penalties} == {"credit"}
    assert not run.mechanisms.blacklist and run.mechanisms.lending
    listed_on, listed_off = means("purpose_limitation", "listed_share.overall")
    assert listed_on == 0 < listed_off


def test_storage_limitation_loosens_lock_in():
    run = lawful(with_changes(load_preset("baseline"), {"mechanisms.storage_limitation": True,
                                                       "law.retention_months": 12}))
    assert run.score.decay == pytest.approx(1 - 0.05 ** (1 / 12), abs=1e-4)
    assert run.blacklist.months_to_delist <= 12
    locked_on, locked_off = means("storage_limitation", "lock_in_rate")
    assert locked_on < locked_off - 0.2


def test_special_categories_leave_few_faces_to_match():
    wrong_on, wrong_off = means("special_categories",
                                "false_penalties_by_group.minority.per_1000")
    assert wrong_on < wrong_off * 0.3
    gap_on, gap_off = means("special_categories", "group_gap")
    assert gap_on < gap_off / 2
    # Everyone consenting brings the cameras back as they were.
    everyone = lawful(with_changes(load_preset("baseline"), {
        "mechanisms.special_categories": True, "law.consent_share": 1.0}))
    assert everyone.districts == load_preset("baseline").districts


def test_the_ban_on_social_scoring_stops_perks_penalties_and_the_list():
    run = lawful(with_changes(load_preset("baseline"), {"mechanisms.social_scoring_ban": True}))
    assert not (run.mechanisms.perks or run.mechanisms.penalties or run.mechanisms.blacklist)
    assert run.mechanisms.lending and run.mechanisms.cameras
    locked_on, locked_off = means("social_scoring_ban", "lock_in_rate")
    assert locked_on < locked_off
    # What is seen stays: the gap made by cameras and wrong matches mostly remains.
    gap_on, gap_off = means("social_scoring_ban", "group_gap")
    assert gap_on > gap_off / 2


def test_the_ban_on_face_identification_in_public_removes_camera_records():
    on, off = pair("biometric_ban", 1)
    assert sum(on["camera_records_by_district"].values()) == 0
    assert sum(off["camera_records_by_district"].values()) > 0
    assert on["false_penalties_by_group"]["minority"]["count"] == 0
    gap_on, gap_off = means("biometric_ban", "group_gap")
    assert abs(gap_on) < gap_off / 3


def test_principles_apply_in_order_and_each_sees_the_one_before():
    scenario = load_preset("gdpr_and_ai_act")
    changes = what_the_law_changes(scenario)
    assert list(changes) == [k for k in LAW_KEYS if getattr(scenario.mechanisms, k)]
    run = lawful(scenario)
    assert not run.mechanisms.cameras and not run.mechanisms.blacklist
    # Same scenario, same run: the law keeps results deterministic.
    assert simulate(scenario).score.tobytes() == simulate(scenario).score.tobytes()


@pytest.mark.parametrize("key", LAW_KEYS)
def test_every_principle_names_its_article_and_says_what_it_does(key):
    principle = MECHANISMS_BY_KEY[key]
    assert "art. " in principle.description and "art. " in principle.source
    assert principle.default is False
