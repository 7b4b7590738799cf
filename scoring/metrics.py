"""Bias and drift metrics, per month and final: one catalogue, one accessor.

:data:`CATALOGUE` lists every metric (key, label, unit, digits, formula, how
to read it and the function that measures it): the core metrics below, then
those the mechanisms bring. :func:`read` is the one way to read a metric
from ``metrics.json`` data; it raises on an unknown key or part, so a typo
fails loudly instead of showing "-".

Every metric counts real persons only (twins are left out). Group names are
the scenario's labels; district names are the scenario's.
"""

from __future__ import annotations

from functools import cached_property
from typing import Any

import numpy as np

from scoring.catalogue import Metric
from scoring.constants import BAND_NAMES, SCORE_MAX, SCORE_MIN
from scoring.engine import Result
from scoring.mechanisms import REGISTRY
from scoring.mechanisms.perks import perk_threshold

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


def rounded(value: float | None) -> float | None:
    """A number as metrics files keep it (None where not defined)."""
    if value is None or not np.isfinite(value):
        return None
    return round(float(value), DIGITS)


class Members:
    """Who belongs where, as one-hot rows, so a mean by category is one product."""

    def __init__(self, codes: np.ndarray, labels: list[str]):
        self.labels = labels
        self.onehot = (codes[None, :] == np.arange(len(labels))[:, None]).astype(np.float64)
        self.counts = self.onehot.sum(axis=1, dtype=np.float64)

    def means(self, values: np.ndarray) -> dict[str, float | None]:
        """Mean of ``values`` in each category."""
        sums = self.onehot @ values.astype(np.float64)
        return {
            label: (rounded(sums[i] / self.counts[i]) if self.counts[i] else None)
            for i, label in enumerate(self.labels)
        }

    def shares(self, counts: np.ndarray) -> dict[str, float | None]:
        """Each category's count over its size."""
        return {label: (rounded(counts[i] / self.counts[i]) if self.counts[i] else None)
                for i, label in enumerate(self.labels)}


def _corr(x: np.ndarray, y: np.ndarray) -> float | None:
    x = x - x.mean(dtype=np.float64)
    y = y - y.mean(dtype=np.float64)
    sx, sy = float(x @ x), float(y @ y)
    if sx <= 1e-12 or sy <= 1e-12:
        return None
    return float(x @ y) / np.sqrt(sx * sy)


class RunContext:
    """What every month's metrics share, worked out once per run."""

    def __init__(self, result: Result):
        n = result.size
        pop, scenario = result.population, result.scenario
        self.groups = Members(pop.group[:n], list(scenario.population.group_labels))
        self.districts = Members(pop.district[:n], [d.name for d in scenario.districts])
        self.bands = bands(np.arange(SCORE_MIN, SCORE_MAX + 1), scenario.score.band_edges)
        self.reliability = pop.reliability[:n]


class MonthView:
    """One month of a run, as the metric functions read it (shared pieces made once)."""

    def __init__(self, result: Result, t: int, context: RunContext):
        self.result, self.t, self.ctx = result, t, context
        self.scenario = result.scenario
        self.n = result.size
        self.rounded = rounded

    @cached_property
    def score(self) -> np.ndarray:
        """Recorded score of every real person."""
        return self.result.score[self.t, : self.n].astype(np.float32)

    @cached_property
    def true(self) -> np.ndarray:
        """True-behaviour score of every real person."""
        return self.result.true_score[self.t, : self.n].astype(np.float32)

    @cached_property
    def by_group(self) -> dict[str, float | None]:
        """Mean recorded score by group."""
        return self.ctx.groups.means(self.score)

    @cached_property
    def true_by_group(self) -> dict[str, float | None]:
        """Mean true-behaviour score by group."""
        return self.ctx.groups.means(self.true)

    @property
    def then(self) -> int:
        """The month a year (LOCK_IN_MONTHS) earlier, or 0."""
        return max(0, self.t - LOCK_IN_MONTHS)

    @cached_property
    def band_now(self) -> np.ndarray:
        """Band of every real person now."""
        return np.take(self.ctx.bands, self.result.score[self.t, : self.n] - SCORE_MIN)

    @cached_property
    def band_then(self) -> np.ndarray:
        """Band of every real person a year earlier."""
        return np.take(self.ctx.bands, self.result.score[self.then, : self.n] - SCORE_MIN)

    def by_district_names(self, values: np.ndarray) -> dict[str, Any]:
        """A per-district array as ``{district: value}``."""
        return dict(zip(self.ctx.districts.labels, values, strict=True))


def _gap(by_group: dict[str, float | None], labels: list[str]) -> float | None:
    a, b = by_group[labels[0]], by_group[labels[1]]
    return None if a is None or b is None else rounded(a - b)


def _perk_rate(m: MonthView) -> dict[str, Any]:
    return {"threshold": perk_threshold(m.scenario),
            "by_group": m.ctx.groups.means(m.score >= perk_threshold(m.scenario))}


def _disparate_impact(m: MonthView) -> float | None:
    rate = _perk_rate(m)["by_group"]
    rates = [rate[g] for g in m.ctx.groups.labels]
    if None in rates or max(rates) <= 0:  # type: ignore[type-var]
        return None
    return rounded(rates[1] / rates[0]) if rates[0] else None


def _false_penalties(m: MonthView) -> dict[str, Any]:
    sizes = m.ctx.groups.counts
    cumulative = m.result.false_penalties[: m.t + 1].sum(axis=0)
    undone = m.result.reversed_on_appeal[: m.t + 1].sum(axis=0)
    return {
        g: {
            "per_1000": rounded(1000.0 * cumulative[i] / sizes[i]) if sizes[i] else None,
            "count": int(cumulative[i]),
            "reversed": int(undone[i]),
        }
        for i, g in enumerate(m.ctx.groups.labels)
    }


def _lock_in(m: MonthView) -> float | None:
    poor_then = m.band_then == 0
    if m.t < LOCK_IN_MONTHS or not poor_then.any():
        return None
    return rounded(float((m.band_now[poor_then] == 0).mean()))


def _mobility(m: MonthView) -> dict[str, Any]:
    k = len(BAND_NAMES)
    moves = np.bincount(m.band_then * k + m.band_now, minlength=k**2)
    moves = moves.reshape(k, k).astype(np.float64)
    row_totals = moves.sum(axis=1, keepdims=True)
    mobility = np.divide(moves, row_totals, out=np.zeros_like(moves), where=row_totals > 0)
    return {"from_month": m.then, "rows": list(BAND_NAMES),
            "matrix": [[rounded(v) for v in row] for row in mobility]}


def _band_shares(m: MonthView) -> dict[str, float | None]:
    shares = np.bincount(m.band_now, minlength=len(BAND_NAMES)) / m.n
    return {name: rounded(s) for name, s in zip(BAND_NAMES, shares, strict=True)}


CORE: tuple[Metric, ...] = (
    Metric("mean_score", "Mean score", "points", 0, "mean recorded score; `overall`, "
           "`by_group`, `by_district`", "Where each group and district stands.",
           lambda m: {"overall": rounded(m.score.mean(dtype=np.float64)),
                      "by_group": m.by_group,
                      "by_district": m.ctx.districts.means(m.score)}),
    Metric("mean_true_score", "Mean true-behaviour score", "points", 1,
           "mean true-behaviour score, `overall` and `by_group`",
           "Where they would stand if everything were seen correctly.",
           lambda m: {"overall": rounded(m.true.mean()), "by_group": m.true_by_group}),
    Metric("group_gap", "Group gap", "points", 1,
           "mean score of the majority - mean score of the minority",
           "Positive: the majority is ahead. In the default world both groups behave alike, "
           "so a gap is made by the system.",
           lambda m: _gap(m.by_group, m.ctx.groups.labels)),
    Metric("true_group_gap", "True-behaviour gap", "points", 1,
           "the same gap for true-behaviour scores",
           "The part of the gap that behaviour explains (behaviour can itself be changed by "
           "the system's consequences).",
           lambda m: _gap(m.true_by_group, m.ctx.groups.labels)),
    Metric("true_score_gap", "Recorded minus true-behaviour score", "points", 1,
           "mean of (score - true-behaviour score), `overall` and `by_group`",
           "Positive: the score flatters; negative: it punishes more than behaviour "
           "deserves. Compare groups.",
           lambda m: {"overall": rounded((m.score - m.true).mean(dtype=np.float64)),
                      "by_group": m.ctx.groups.means(m.score - m.true)}),
    Metric("perk_rate", "Perk rate", "share of the group", 2,
           "share of each group at or above the lowest perk threshold (600): `threshold`, "
           "`by_group`", "Who gets perks.", _perk_rate),
    Metric("disparate_impact", "Disparate impact", "ratio", 2,
           "perk rate of the minority / perk rate of the majority",
           "Below the **four-fifths line (0.8)** is taken as adverse impact (US EEOC Uniform "
           "Guidelines, 1978).", _disparate_impact),
    Metric("false_penalties_by_group", "Wrong matches", "per 1,000 people", 0,
           "wrong face matches standing against each group since month 0: `count`, "
           "`per_1000` persons of the group, and `reversed` on appeal",
           "Who pays for the camera's mistakes.", _false_penalties),
    Metric("lock_in_rate", "Lock-in", "share", 2,
           "of those in the poor band (below 550) 12 months earlier, the share still poor "
           "now; `null` before month 12", "High: once poor, stuck.", _lock_in),
    Metric("band_shares", "Share in each band", "share of people", 2,
           "share of persons in each band", "The shape of the distribution.", _band_shares),
    Metric("band_mobility", "Band mobility", "share of the row", 2,
           "5 x 5 matrix: row = band 12 months earlier (`from_month`), column = band now, "
           "each row's shares add up to 1", "Diagonal = stayed; right of it = moved up.",
           _mobility),
    Metric("gini", "Inequality (Gini)", "Gini", 3,
           "Gini coefficient of points above the floor (score - 350), exact from the "
           "histogram of whole scores", "0 = everyone equal; higher = more unequal.",
           lambda m: rounded(gini(m.result.score[m.t, : m.n]))),
    Metric("network_sorting", "Network sorting by score", "correlation", 2,
           "Pearson correlation of recorded scores at the two ends of every tie (each tie "
           "counted from both ends)", "0 = friends' scores unrelated; near 1 = people only "
           "have friends with scores like their own.",
           lambda m: rounded(float(m.result.sorting[m.t]))),
    Metric("camera_share_by_district", "Where the cameras are", "share of cameras", 2,
           "share of the camera capacity placed in each district", "Where the cameras are.",
           lambda m: {k: rounded(v) for k, v in
                      m.by_district_names(m.result.camera_allocation[m.t]).items()}),
    Metric("camera_records_by_district", "Camera records", "records that month", 0,
           "street infractions recorded by cameras that month (wrong matches included)",
           "What the cameras \"found\".",
           lambda m: {k: int(v) for k, v in
                      m.by_district_names(m.result.camera_records[m.t]).items()}),
    Metric("camera_coverage_by_district", "Camera coverage", "chance", 2,
           "chance a street infraction there is recorded",
           "How closely each district is watched.",
           lambda m: {k: rounded(v) for k, v in
                      m.by_district_names(m.result.coverage[m.t]).items()}),
    Metric("score_measures_reliability", "Score measures reliability", "correlation", 2,
           "correlation of recorded score with true reliability",
           "How much the score says about keeping promises.",
           lambda m: rounded(_corr(m.score, m.ctx.reliability))),
    Metric("score_tracks_true_behaviour", "Score tracks true behaviour", "correlation", 2,
           "correlation of recorded score with true-behaviour score",
           "Falls when gaming or observation distorts the score.",
           lambda m: rounded(_corr(m.score, m.true))),
    Metric("gaming_share", "Gaming", "share of people", 3,
           "share of persons gaming the score that month", "",
           lambda m: rounded(float(m.result.gaming[m.t].sum()) / m.n)),
    Metric("loans", "Loans", "loans", 0, "loans `granted` and `defaulted` since month 0", "",
           lambda m: {"granted": int(m.result.loans_granted[: m.t + 1].sum()),
                      "defaulted": int(m.result.loans_defaulted[: m.t + 1].sum())}),
)

# Every metric: the core ones, then those the mechanisms bring, in registry order.
CATALOGUE: dict[str, Metric] = {metric.key: metric for metric in
                                (*CORE, *(x for m in REGISTRY for x in m.metrics))}


def metric(key: str) -> Metric:
    """The catalogue entry of a metric.

    Raises:
        KeyError: if no metric has that key.
    """
    if key not in CATALOGUE:
        raise KeyError(f"no metric '{key}'; metrics: {', '.join(CATALOGUE)}")
    return CATALOGUE[key]


def read(month: dict[str, Any], path: str | tuple[str, ...], *parts: str) -> Any:
    """A metric, or a part of one, from a month of ``metrics.json`` data.

    ``read(final, "group_gap")``, ``read(final, "mean_score.by_group.minority")``
    or ``read(final, "mean_score", "by_group", "minority")``. None means the
    metric is not defined there (a rate of nobody, lock-in before month 12).

    Raises:
        KeyError: if the metric is not in the catalogue or the part does not exist.
    """
    steps = [*(path.split(".") if isinstance(path, str) else path), *parts]
    metric(steps[0])
    value: Any = month
    for i, step in enumerate(steps):
        if not isinstance(value, dict) or step not in value:
            raise KeyError(f"metric '{'.'.join(steps)}' has no part '{step}'"
                           if i else f"metric '{step}' is not in these metrics")
        value = value[step]
    return value


def month_metrics(result: Result, t: int, context: RunContext | None = None) -> dict[str, Any]:
    """All metrics for month ``t`` (0 = start), in catalogue order.

    Args:
        result: The run.
        t: The month.
        context: What :class:`RunContext` works out once per run (optional).
    """
    view = MonthView(result, t, context or RunContext(result))
    return {"month": t, **{key: entry.measure(view) for key, entry in CATALOGUE.items()}}


def final_month_metrics(result: Result) -> dict[str, Any]:
    """The final month's metrics alone: ``compute_metrics(result)["final"]``.

    What comparisons of many runs read (seeds, sweeps, lesson checks, the
    Regulation view): each month's metrics depend on that month only, so the
    months before need not be measured (about 0.5 ms at 5,000 persons where
    every month of a 60-month run takes 27 ms).
    """
    return month_metrics(result, result.months)


def compute_metrics(result: Result) -> dict[str, Any]:
    """Metrics for every month and for the final month.

    Returns:
        ``{"final": {...}, "by_month": [{...}, ...], "four_fifths_line": 0.8}``.
    """
    context = RunContext(result)
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


def markdown_table() -> str:
    """The catalogue as the table in ``docs/metrics.md`` (a test keeps the two the same)."""
    lines = ["| key | formula | how to read it |", "|---|---|---|"]
    lines += [f"| `{m.key}` | {m.formula} | {m.reading} |" for m in CATALOGUE.values()]
    return "\n".join(lines) + "\n"
