"""Pinned values for one seeded scenario, so an accidental model change is seen.

If a change to the model is intended, run this scenario again and update the
numbers in the same commit, saying why.
"""

from __future__ import annotations

import hashlib

from scoring import compute_metrics, load_preset, simulate, with_changes

SCENARIO = {"population.size": 2000, "months": 24, "seed": 11}


def test_pinned_baseline_run():
    scenario = with_changes(load_preset("baseline"), SCENARIO)
    result = simulate(scenario)
    final = compute_metrics(result)["final"]
    assert result.score[-1, :10].tolist() == [411, 751, 607, 364, 598, 560, 596, 671, 615, 602]
    assert final["mean_score"]["overall"] == 599.168
    assert final["group_gap"] == 8.0264
    assert final["gini"] == 0.1748
    assert final["false_penalties_by_group"]["minority"]["count"] == 77
    assert final["band_shares"]["poor"] == 0.2405
    assert hashlib.sha256(result.score.tobytes()).hexdigest() == (
        "fe94efeceb794b4f69c5ea94e21f150b5bd6517c81f900372d7666251a5505c4"
    )
