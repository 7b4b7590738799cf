"""Applying the rule table: events to points, points to the score.

The score is the start score plus the points each of the five dimensions has
added or taken away. A rule worth ``p`` points on dimension ``d`` adds ``p``
to that dimension's points, so "Late bill payment: -30" costs exactly 30
points (unless the monthly cap or the 350-950 range stops it). The points per
dimension are the *sub-scores* the app and ``history.csv`` show: they say
which dimension moved a score.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numba
import numpy as np

from scoring.compiled import kernel
from scoring.constants import DIMENSIONS, SCORE_MAX, SCORE_MIN
from scoring.events import EVENTS

if TYPE_CHECKING:  # for annotations only: the scenario's mechanisms use this module
    from scoring.scenario import Scenario


@dataclass(frozen=True)
class RuleArrays:
    """The rule table as arrays, in the order of :data:`scoring.events.EVENTS`.

    Attributes:
        points: Points per recorded event.
        dimension: Dimension index each event feeds.
        cap: Largest change the rules may make to a score in one month.
        by_dimension: ``(5, E)`` matrix: points of each event on its dimension.
    """

    points: np.ndarray
    dimension: np.ndarray
    cap: float
    by_dimension: np.ndarray

    @classmethod
    def build(cls, scenario: Scenario) -> RuleArrays:
        """Arrays for one scenario."""
        rules = [scenario.rules.get(e.key) for e in EVENTS]
        points = np.array([r.points for r in rules], dtype=np.float32)
        dimension = np.array([DIMENSIONS.index(r.dimension) for r in rules])
        by_dimension = np.zeros((len(DIMENSIONS), len(EVENTS)), dtype=np.float32)
        by_dimension[dimension, np.arange(len(EVENTS))] = points
        return cls(points, dimension, float(scenario.score.monthly_cap), by_dimension)


def rule_deltas(rules: RuleArrays, counts: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Points per dimension from one month's recorded event counts.

    Args:
        rules: The rule table as arrays.
        counts: ``(E, n)`` events recorded per person (counts, or who did what).

    Returns:
        ``(deltas, scale)``: ``(5, n)`` points per dimension, and the factor
        (<= 1) the monthly cap shrank each person's points by.
    """
    return _rule_deltas(rules.points, rules.dimension, len(DIMENSIONS), np.float32(rules.cap),
                        _as_numbers(counts), None)


def apply_rules(rules: RuleArrays, points: np.ndarray,
                counts: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """``points`` plus the month's :func:`rule_deltas`, in one pass: (new points, scale)."""
    return _rule_deltas(rules.points, rules.dimension, len(DIMENSIONS), np.float32(rules.cap),
                        _as_numbers(counts), points)


def _as_numbers(counts: np.ndarray) -> np.ndarray:
    """Who did what (bool) read as 0/1 bytes: the same numbers.

    The loop below reads bytes faster than bools (no test of each for true).
    """
    return counts.view(np.uint8) if counts.dtype == np.bool_ else counts


# Persons taken a block at a time in the loops below: a block's running sums
# stay in the fastest cache while every event adds to them.
BLOCK = 1024


@kernel
def _rule_deltas(points, dimension, dimensions, cap, counts, before=None):
    """The rules' points per dimension, capped; added to ``before`` where it is given."""
    # A block of persons at a time: event by event over the block (rows are
    # contiguous), then the cap person by person. Each person's sums add the
    # events in the same order as one pass over everyone would. Every inner
    # loop reads and writes whole rows of a block (slices), which the compiler
    # turns into vector instructions: twice as fast as indexing the 2-d arrays.
    events, n = counts.shape
    deltas = np.empty((dimensions, n), dtype=np.float32)
    scale = np.empty(n, dtype=np.float32)
    total = np.empty(BLOCK, dtype=np.float32)
    sums = np.empty((dimensions, BLOCK), dtype=np.float32)
    floor, one = np.float32(1e-9), np.float32(1.0)
    for first in range(0, n, BLOCK):
        stop = min(first + BLOCK, n)
        m = stop - first
        total[:] = 0
        sums[:] = 0
        for e in range(events):
            p = points[e]
            if p == 0:
                continue
            row = counts[e, first:stop]
            into = sums[dimension[e]]
            for j in range(m):
                v = p * np.float32(row[j])
                total[j] += v
                into[j] += v
        factor = scale[first:stop]
        for j in range(m):
            # min(1, cap / max(|total|, 1e-9)), in float32 as numpy does it.
            factor[j] = min(one, cap / max(abs(total[j]), floor))
        for d in range(dimensions):
            out, added = deltas[d, first:stop], sums[d]
            if before is None:
                for j in range(m):
                    out[j] = added[j] * factor[j]
            else:
                was = before[d, first:stop]
                for j in range(m):
                    out[j] = was[j] + added[j] * factor[j]
    return deltas, scale


def total_score(start: float, points: np.ndarray) -> np.ndarray:
    """The score: start plus every dimension's points."""
    return (start + points.sum(axis=0)).astype(np.float32)


def keep_in_range(start: float, points: np.ndarray, before: np.ndarray,
                  keep: float = 1.0) -> np.ndarray:
    """Keep ``start + points`` within 350-950, in place, and return that score.

    Where the total overshoots, the overshoot is taken back from the
    dimensions that moved towards it this month, in proportion to how far
    each moved, so the points per dimension always add up to the score.

    Args:
        start: The start score.
        points: ``(5, n)`` points per dimension after this month's changes.
        before: ``(5, n)`` points per dimension at the start of the month
            (when the score was in range).
        keep: Share of every dimension's points kept first (fading memory:
            ``1 - decay``), in float32, as ``points *= keep`` would.

    Returns:
        The score, ``start`` plus every dimension's points, within 350-950.
    """
    return _keep_in_range(float(start), points, before, np.float32(keep))


@kernel
def _keep_in_range(start, points, before, keep):
    dimensions, n = points.shape
    low, high = np.float32(SCORE_MIN), np.float32(SCORE_MAX)
    start32 = np.float32(start)
    score = np.empty(n, dtype=np.float32)
    push = np.empty(dimensions, dtype=np.float64)
    for first in range(0, n, BLOCK):
        # Memory fades and the dimensions are added, a block at a time (in the
        # same order for each person as person by person). The indices are
        # unsigned: numba checks a signed index for a count from the end,
        # which keeps the compiler from running these loops in vector
        # instructions (2.5 times slower at 5,000 persons and at a million).
        lo, hi = np.uint64(first), np.uint64(min(first + BLOCK, n))
        row = points[0]
        for i in range(lo, hi):
            faded = row[i] * keep
            row[i] = faded
            score[i] = faded
        for d in range(1, dimensions):
            row = points[d]
            for i in range(lo, hi):
                faded = row[i] * keep
                row[i] = faded
                score[i] += faded
        for i in range(lo, hi):
            score[i] = start32 + score[i]
        for i in range(lo, hi):
            if not low <= score[i] <= high:  # a few a month: a call of its own
                _into_range(np.int64(i), start, points, before, push, score)
    return score


@numba.njit(inline="never")
def _into_range(i, start, points, before, push, score):
    """Row ``i``'s overshoot taken back from the dimensions that moved towards it (in place)."""
    dimensions = points.shape[0]
    exact = start
    for d in range(dimensions):
        exact += np.float64(points[d, i])
    over = exact - min(max(exact, np.float64(SCORE_MIN)), np.float64(SCORE_MAX))
    sign = np.sign(over)
    pushed = 0.0
    for d in range(dimensions):
        push[d] = max(np.float64(points[d, i] - before[d, i]) * sign, 0.0)
        pushed += push[d]
    for d in range(dimensions):
        # Only rounding can leave a score a hair out of range with nothing pushing.
        share = push[d] / max(pushed, 1e-12) if pushed > 0 else 1.0 / dimensions
        points[d, i] -= np.float32(share * over)
    total = points[0, i]
    for d in range(1, dimensions):
        total += points[d, i]
    low, high = np.float32(SCORE_MIN), np.float32(SCORE_MAX)
    score[i] = min(max(np.float32(start) + total, low), high)


@kernel
def by_score(table, score):
    """``table[int(score) - 350]`` for every row: what a table of 350..950 says of each score.

    The same as ``np.take(table, score.astype(np.int32) - SCORE_MIN)`` (the
    score's whole points, cut towards zero) in one pass instead of three.

    Raises:
        IndexError: A score outside 350-950 (the range keeps every score in it).
    """
    out = np.empty(score.size, dtype=table.dtype)
    for i in range(score.size):
        out[i] = table[_table_row(score[i], table.size)]
    return out


@numba.njit(inline="always")
def _table_row(score, rows):
    """The row of a table of 350..950 for ``score`` (its whole points, cut towards zero)."""
    at = np.int64(np.int32(score)) - SCORE_MIN
    if at < 0 or at >= rows:
        raise IndexError("a score outside 350-950")
    return at


@kernel
def add_by_score_clipped(out, table, score):
    """In place: ``out += by_score(table, score)``, then ``np.clip(out, 0, 1)``, one pass.

    The same float32 sums as the two numpy steps (hardship: what the score's
    band adds, kept within 0..1).

    Raises:
        IndexError: A score outside 350-950.
    """
    zero, one = out.dtype.type(0.0), out.dtype.type(1.0)
    for i in range(score.size):
        out[i] = min(max(out[i] + table[_table_row(score[i], table.size)], zero), one)

