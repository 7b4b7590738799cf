"""Bias and drift metrics, per month and final (formulas in docs/metrics.md).

Every metric counts real persons only (twins are left out). Group names are
the scenario's labels; district names are the scenario's.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from scoring.consequences import perk_threshold
from scoring.constants import BAND_NAMES, SCORE_MAX, SCORE_MIN
from scoring.engine import Result

# Four-fifths rule: a selection rate under 80% of the highest group's rate
# is taken as evidence of adverse impact (US EEOC Uniform Guidelines, 1978).
FOUR_FIFTHS = 0.8
# Months between the two snapshots of lock-in and band mobility.
LOCK_IN_MONTHS = 12
# Decimal places kept in metrics files.
DIGITS = 4


def bands(score: np.ndarray, edges: tuple[int, ...]) -> np.ndarray:
    """Band index (0 = poor .. 4 = excellent) of each score."""
    return np.searchsorted(np.asarray(edges), score, side="right").astype(np.int8)


def gini(score: np.ndarray) -> float:
    """Gini coefficient of points above the floor (score - 350), exact from a histogram."""
    counts = np.bincount(score.astype(np.int64) - SCORE_MIN, minlength=SCORE_MAX - SCORE_MIN + 1)
    values = np.arange(counts.size, dtype=np.float64)
    n = counts.sum()
    total = float(values @ counts)
    if n == 0 or total == 0:
        return 0.0
    before = np.concatenate([[0], np.cumsum(counts)[:-1]]).astype(np.float64)
    rank_sum = counts * before + counts * (counts + 1) / 2.0
    return float(2.0 * (values @ rank_sum) / (n * total) - (n + 1) / n)


def _r(value: float | None) -> float | None:
    if value is None or not np.isfinite(value):
        return None
    return round(float(value), DIGITS)


class _Members:
    """Who belongs where, as one-hot rows, so a mean by category is one product."""

    def __init__(self, codes: np.ndarray, labels: list[str]):
        self.labels = labels
        self.onehot = (codes[None, :] == np.arange(len(labels))[:, None]).astype(np.float64)
        self.counts = self.onehot.sum(axis=1, dtype=np.float64)

    def means(self, values: np.ndarray) -> dict[str, float | None]:
        sums = self.onehot @ values.astype(np.float64)
        return {
            label: (_r(sums[i] / self.counts[i]) if self.counts[i] else None)
            for i, label in enumerate(self.labels)
        }


def _corr(x: np.ndarray, y: np.ndarray) -> float | None:
    x = x - x.mean(dtype=np.float64)
    y = y - y.mean(dtype=np.float64)
    sx, sy = float(x @ x), float(y @ y)
    if sx <= 1e-12 or sy <= 1e-12:
        return None
    return float(x @ y) / np.sqrt(sx * sy)


def _band_lookup(edges: tuple[int, ...]) -> np.ndarray:
    return bands(np.arange(SCORE_MIN, SCORE_MAX + 1), edges)


def _gap(by_group: dict[str, float | None], labels: list[str]) -> float | None:
    a, b = by_group[labels[0]], by_group[labels[1]]
    return None if a is None or b is None else _r(a - b)


def month_metrics(result: Result, t: int, context: dict[str, Any] | None = None) -> dict[str, Any]:
    """All metrics for month ``t`` (0 = start).

    Args:
        result: The run.
        t: The month.
        context: What :func:`_context` computes once per run (optional).
    """
    ctx = context or _context(result)
    scenario = result.scenario
    n = result.size
    groups, districts = ctx["groups"].labels, ctx["districts"].labels
    score = result.score[t, :n].astype(np.float32)
    true = result.true_score[t, :n].astype(np.float32)

    by_group = ctx["groups"].means(score)
    true_by_group = ctx["groups"].means(true)
    diff = score - true

    threshold = perk_threshold(scenario)
    perk_rate = ctx["groups"].means(score >= threshold)
    rates = [perk_rate[g] for g in groups]
    impact = None
    if None not in rates and max(rates) > 0:  # type: ignore[type-var]
        impact = _r(rates[1] / rates[0]) if rates[0] else None

    group_sizes = ctx["groups"].counts
    cumulative = result.false_penalties[: t + 1].sum(axis=0)
    reversed_ = result.reversed_on_appeal[: t + 1].sum(axis=0)
    false_penalties = {
        g: {
            "per_1000": _r(1000.0 * cumulative[i] / group_sizes[i]) if group_sizes[i] else None,
            "count": int(cumulative[i]),
            "reversed": int(reversed_[i]),
        }
        for i, g in enumerate(groups)
    }

    lookup = ctx["bands"]
    band_now = np.take(lookup, result.score[t, :n] - SCORE_MIN)
    shares = np.bincount(band_now, minlength=len(BAND_NAMES)) / n
    then = max(0, t - LOCK_IN_MONTHS)
    band_then = np.take(lookup, result.score[then, :n] - SCORE_MIN)
    poor_then = band_then == 0
    lock_in = None
    if t >= LOCK_IN_MONTHS and poor_then.any():
        lock_in = _r(float((band_now[poor_then] == 0).mean()))
    moves = np.bincount(band_then * len(BAND_NAMES) + band_now, minlength=len(BAND_NAMES) ** 2)
    moves = moves.reshape(len(BAND_NAMES), len(BAND_NAMES)).astype(np.float64)
    row_totals = moves.sum(axis=1, keepdims=True)
    mobility = np.divide(moves, row_totals, out=np.zeros_like(moves), where=row_totals > 0)

    return {
        "month": t,
        "mean_score": {
            "overall": _r(score.mean(dtype=np.float64)),
            "by_group": by_group,
            "by_district": ctx["districts"].means(score),
        },
        "mean_true_score": {"overall": _r(true.mean()), "by_group": true_by_group},
        "group_gap": _gap(by_group, groups),
        "true_group_gap": _gap(true_by_group, groups),
        "true_score_gap": {"overall": _r(diff.mean(dtype=np.float64)),
                           "by_group": ctx["groups"].means(diff)},
        "perk_rate": {"threshold": threshold, "by_group": perk_rate},
        "disparate_impact": impact,
        "false_penalties_by_group": false_penalties,
        "lock_in_rate": lock_in,
        "band_shares": {name: _r(s) for name, s in zip(BAND_NAMES, shares, strict=True)},
        "band_mobility": {
            "from_month": then,
            "rows": list(BAND_NAMES),
            "matrix": [[_r(v) for v in row] for row in mobility],
        },
        "gini": _r(gini(result.score[t, :n])),
        "network_sorting": _r(float(result.sorting[t])),
        "camera_share_by_district": {
            name: _r(v) for name, v in zip(districts, result.camera_allocation[t], strict=True)
        },
        "camera_records_by_district": {
            name: int(v) for name, v in zip(districts, result.camera_records[t], strict=True)
        },
        "camera_coverage_by_district": {
            name: _r(v) for name, v in zip(districts, result.coverage[t], strict=True)
        },
        "score_measures_reliability": _r(_corr(score, ctx["reliability"])),
        "score_tracks_true_behaviour": _r(_corr(score, true)),
        "gaming_share": _r(float(result.gaming[t].sum()) / n),
        "loans": {
            "granted": int(result.loans_granted[: t + 1].sum()),
            "defaulted": int(result.loans_defaulted[: t + 1].sum()),
        },
    }


def _context(result: Result) -> dict[str, Any]:
    n = result.size
    pop, scenario = result.population, result.scenario
    return {
        "groups": _Members(pop.group[:n], list(scenario.population.group_labels)),
        "districts": _Members(pop.district[:n], [d.name for d in scenario.districts]),
        "bands": _band_lookup(scenario.score.band_edges),
        "reliability": pop.reliability[:n],
    }


def compute_metrics(result: Result) -> dict[str, Any]:
    """Metrics for every month and for the final month.

    Returns:
        ``{"final": {...}, "by_month": [{...}, ...], "four_fifths_line": 0.8}``.
    """
    context = _context(result)
    by_month = [month_metrics(result, t, context) for t in range(result.months + 1)]
    return {
        "scenario": result.scenario.name,
        "population": result.size,
        "months": result.months,
        "seed": result.scenario.seed,
        "four_fifths_line": FOUR_FIFTHS,
        "final": by_month[-1],
        "by_month": by_month,
    }
