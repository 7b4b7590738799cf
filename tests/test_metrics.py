"""Metric formulas against plain reference computations."""

from __future__ import annotations

import json

import numpy as np
import pytest
from conftest import run, small

from scoring.metrics import bands, final_month_metrics, gini
from scoring.presets import PRESETS


def naive_gini(values: np.ndarray) -> float:
    x = values.astype(float)
    return float(np.abs(x[:, None] - x[None, :]).sum() / (2 * len(x) ** 2 * x.mean()))


def test_gini_matches_the_pairwise_definition():
    rng = np.random.default_rng(3)
    scores = rng.integers(350, 951, 400)
    assert abs(gini(scores) - naive_gini(scores - 350)) < 1e-9


def test_gini_is_zero_when_all_equal():
    assert gini(np.full(10, 600)) == 0.0


def test_bands_follow_the_edges():
    assert bands(np.array([350, 549, 550, 599, 600, 700, 950]), (550, 600, 650, 700)).tolist() == [
        0, 0, 1, 1, 2, 4, 4]


def test_final_metrics_agree_with_the_result():
    result, metrics = run(small("baseline", seed=2))
    n = result.size
    final = metrics["final"]
    score = result.score[-1, :n].astype(float)
    group = result.population.group[:n]
    assert abs(final["mean_score"]["overall"] - score.mean()) < 1e-3
    gap = score[group == 0].mean() - score[group == 1].mean()
    assert abs(final["group_gap"] - gap) < 1e-3
    perk = [(score[group == g] >= 600).mean() for g in (0, 1)]
    assert abs(final["disparate_impact"] - perk[1] / perk[0]) < 1e-3
    assert abs(sum(final["band_shares"].values()) - 1) < 1e-3
    for row in final["band_mobility"]["matrix"]:
        assert sum(row) == 0 or abs(sum(row) - 1) < 1e-3


def test_lock_in_counts_the_poor_still_poor_a_year_later():
    result, metrics = run(small("baseline", seed=2))
    n = result.size
    was_poor = result.score[-13, :n] < 550
    still = (result.score[-1, :n][was_poor] < 550).mean()
    assert abs(metrics["final"]["lock_in_rate"] - still) < 1e-3


def test_network_sorting_is_the_correlation_across_ties():
    from scoring import network

    rng = np.random.default_rng(5)
    ties = rng.integers(0, 500, (4, 500)).astype(np.int32)
    score = rng.normal(600, 50, 500).astype(np.float32)
    score = score + 0.5 * score[ties[0]]
    own, friend = np.tile(score, 4), score[ties.ravel()]
    expected = np.corrcoef(np.concatenate([own, friend]), np.concatenate([friend, own]))[0, 1]
    means, sorting = network.friends_and_sorting(ties, score)
    assert abs(sorting - expected) < 1e-5
    assert np.allclose(means, score[ties].mean(axis=0), atol=1e-3)


@pytest.mark.parametrize("preset", PRESETS)
def test_the_final_month_alone_is_the_final_month_of_every_month(preset):
    # Seeds, sweeps, lesson checks and the Regulation view measure the last month
    # only; it must be the same numbers as measuring every month (NaN included,
    # hence compared as JSON).
    result, metrics = run(small(preset, months=14))
    assert json.dumps(final_month_metrics(result)) == json.dumps(metrics["final"])
    assert final_month_metrics(result)["month"] == 14
