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

import numpy as np

from scoring.constants import DIMENSIONS, SCORE_MAX, SCORE_MIN
from scoring.events import EVENTS
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
        counts: ``(E, n)`` events recorded per person.

    Returns:
        ``(deltas, scale)``: ``(5, n)`` points per dimension, and the factor
        (<= 1) the monthly cap shrank each person's points by.
    """
    total = np.abs(rules.points @ counts)
    scale = np.minimum(1.0, rules.cap / np.maximum(total, 1e-9), dtype=np.float32)
    deltas = rules.by_dimension @ counts
    deltas *= scale
    return deltas, scale


def total_score(start: float, points: np.ndarray) -> np.ndarray:
    """The score: start plus every dimension's points."""
    return (start + points.sum(axis=0)).astype(np.float32)


def keep_in_range(start: float, points: np.ndarray, before: np.ndarray) -> np.ndarray:
    """Keep ``start + points`` within 350-950, in place, and return that score.

    Where the total overshoots, the overshoot is taken back from the
    dimensions that moved towards it this month, in proportion to how far
    each moved, so the points per dimension always add up to the score.

    Args:
        start: The start score.
        points: ``(5, n)`` points per dimension after this month's changes.
        before: ``(5, n)`` points per dimension at the start of the month
            (when the score was in range).

    Returns:
        The score, ``start`` plus every dimension's points, within 350-950.
    """
    total = total_score(start, points)
    rows = np.flatnonzero((total < SCORE_MIN) | (total > SCORE_MAX))
    if rows.size == 0:
        return total
    exact = start + points[:, rows].sum(axis=0, dtype=np.float64)
    over = exact - np.clip(exact, SCORE_MIN, SCORE_MAX)
    sign = np.sign(over)
    push = np.maximum((points[:, rows] - before[:, rows]) * sign, 0.0)
    pushed = push.sum(axis=0)
    # Only rounding can leave a score a hair out of range with nothing pushing.
    share = np.where(pushed > 0, push / np.maximum(pushed, 1e-12), 1.0 / len(points))
    points[:, rows] -= (share * over).astype(points.dtype)
    total[rows] = np.clip(total_score(start, points[:, rows]), SCORE_MIN, SCORE_MAX)
    return total
