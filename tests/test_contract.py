"""Contract tests every preset passes: range, determinism, no mutation, consistency."""

from __future__ import annotations

import numpy as np
import pytest
from conftest import small

from scoring import simulate, to_dict
from scoring.constants import SCORE_MAX, SCORE_MIN
from scoring.presets import PRESETS


@pytest.fixture(scope="module", params=PRESETS)
def preset_run(request):
    scenario = small(request.param, months=24, population__size=1500)
    return scenario, simulate(scenario)


def test_scores_stay_in_range(preset_run):
    _, result = preset_run
    for array in (result.score, result.true_score):
        assert array.min() >= SCORE_MIN
        assert array.max() <= SCORE_MAX


def test_same_scenario_same_result(preset_run):
    scenario, result = preset_run
    again = simulate(scenario)
    for name in ("score", "true_score", "subscores", "coverage", "false_penalties", "sorting"):
        assert np.array_equal(getattr(result, name), getattr(again, name)), name
    assert result.events.equals(again.events)


def test_another_seed_gives_another_run(preset_run):
    scenario, result = preset_run
    other = simulate(scenario.model_copy(update={"seed": scenario.seed + 1}))
    assert not np.array_equal(result.score, other.score)


def test_running_does_not_change_the_scenario(preset_run):
    scenario, _ = preset_run
    before = to_dict(scenario)
    simulate(scenario)
    assert to_dict(scenario) == before


def test_score_is_start_plus_points_of_every_dimension(preset_run):
    scenario, result = preset_run
    recomputed = scenario.score.start_score + result.subscores.astype(int).sum(axis=1)
    # Six stored values are each rounded to a whole point: they agree within 3.
    assert np.abs(recomputed - result.score).max() <= 3


def test_everyone_starts_at_the_start_score(preset_run):
    scenario, result = preset_run
    assert (result.score[0] == scenario.score.start_score).all()


def test_event_log_explains_every_change(preset_run):
    """Start score plus every logged change gives the final score of each persona."""
    _, result = preset_run
    events = result.events
    for row in range(len(result.population.personas)):
        mine = events[events.person == row]
        explained = result.scenario.score.start_score + mine.points.sum()
        # Logged points are rounded to 0.01; about 10 entries a month.
        assert abs(explained - result.score[-1, row]) <= 0.6 + 0.01 * len(mine), row
