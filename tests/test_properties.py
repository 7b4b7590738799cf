"""Property tests: invariants over any valid scenario and any rule table."""

from __future__ import annotations

import numpy as np
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from scoring import from_dict, from_toml, simulate, to_toml
from scoring.constants import DIMENSIONS, SCORE_MAX, SCORE_MIN
from scoring.events import EVENT_KEYS
from scoring.mechanisms import REGISTRY

share = st.floats(0.0, 1.0, allow_nan=False)

rule_tables = st.fixed_dictionaries({
    key: st.fixed_dictionaries({
        "points": st.integers(-300, 300),
        "dimension": st.sampled_from(DIMENSIONS),
    })
    for key in EVENT_KEYS
})

scenarios = st.fixed_dictionaries({
    "seed": st.integers(0, 2**32 - 1),
    "months": st.integers(1, 14),
    "population": st.fixed_dictionaries({
        "size": st.integers(100, 400),
        "minority_reliability_shift": st.floats(-0.3, 0.3),
        "parent_share": share,
        "gamer_share": share,
    }),
    "score": st.fixed_dictionaries({
        "start_score": st.integers(SCORE_MIN, SCORE_MAX),
        "decay": st.floats(0.0, 0.5),
        "monthly_cap": st.integers(1, 600),
    }),
    "rules": rule_tables,
    "surveillance": st.fixed_dictionaries({
        "false_match_rate": share,
        "algorithm_quality": share,
        "adaptive_rate": share,
        "appeal_rate": share,
        "adaptive_correction": st.booleans(),
    }),
    "network": st.fixed_dictionaries({
        "ties_per_person": st.integers(1, 8),
        "homophily": share,
        "peer_weight": share,
        "exclusion_rate": share,
    }),
    "gaming": st.fixed_dictionaries({"window": st.integers(0, 300), "propensity": share}),
    "mechanisms": st.fixed_dictionaries({m.key: st.booleans() for m in REGISTRY}),
})

FAST = settings(max_examples=40, deadline=None,
                suppress_health_check=[HealthCheck.too_slow])


@FAST
@given(scenarios)
def test_any_valid_scenario_keeps_scores_in_range_and_consistent(data):
    scenario = from_dict(data)
    result = simulate(scenario)
    assert result.score.min() >= SCORE_MIN
    assert result.score.max() <= SCORE_MAX
    assert result.true_score.min() >= SCORE_MIN
    assert result.true_score.max() <= SCORE_MAX
    recomputed = scenario.score.start_score + result.subscores.astype(int).sum(axis=1)
    assert np.abs(recomputed - result.score).max() <= 3
    assert np.isfinite(result.sorting).all()


@FAST
@given(scenarios)
def test_any_valid_scenario_is_deterministic(data):
    scenario = from_dict(data)
    assert np.array_equal(simulate(scenario).score, simulate(scenario).score)


@settings(max_examples=100, deadline=None)
@given(scenarios)
def test_any_valid_scenario_round_trips_through_toml(data):
    scenario = from_dict(data)
    assert from_toml(to_toml(scenario)) == scenario


@FAST
@given(scenarios, st.integers(0, len(EVENT_KEYS) - 1), st.integers(1, 300))
def test_a_harsher_rule_never_raises_anyones_score_in_the_control_world(data, which, extra):
    """With every loop off, a rule that costs more points can only lower scores."""
    data = {**data, "mechanisms": {m.key: False for m in REGISTRY}}
    data["score"] = {**data["score"], "monthly_cap": 600}
    key = EVENT_KEYS[which]
    harsher = {**data, "rules": {**data["rules"], key: {
        **data["rules"][key], "points": max(-300, data["rules"][key]["points"] - extra)}}}
    base, harsh = simulate(from_dict(data)), simulate(from_dict(harsher))
    assert (harsh.score <= base.score + 1).all()
