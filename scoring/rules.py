"""Applying the rule table: events to points, points to sub-scores.

The score is made of five sub-scores, one per dimension, each on the
350-950 scale. The total is their weighted sum. A rule worth ``p`` points on
dimension ``d`` moves that sub-score by ``p / weight[d]``, so the total moves
by exactly ``p`` (before the monthly cap and the clip to 350-950). A rule on a
dimension of weight 0 has no effect.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from scoring.constants import DIMENSIONS, SCORE_MAX, SCORE_MIN
from scoring.events import EVENTS
from scoring.scenario import Scenario


@dataclass(frozen=True)
class RuleArrays:
    """The rule table as arrays, in the order of :data:`scoring.events.EVENTS`."""

    points: np.ndarray
    dimension: np.ndarray
    weights: np.ndarray
    cap: float
    effective: np.ndarray
    to_subscores: np.ndarray

    @classmethod
    def build(cls, scenario: Scenario) -> RuleArrays:
        """Arrays for one scenario."""
        rules = [scenario.rules.get(e.key) for e in EVENTS]
        points = np.array([r.points for r in rules], dtype=np.float32)
        dimension = np.array([DIMENSIONS.index(r.dimension) for r in rules])
        weights = np.array(scenario.score.dimension_weights.as_tuple(), dtype=np.float32)
        counts = weights[dimension] > 0
        effective = np.where(counts, points, 0.0).astype(np.float32)
        # Sub-score change per event: points / weight on the event's own dimension.
        to_subscores = np.zeros((len(DIMENSIONS), len(EVENTS)), dtype=np.float32)
        on = np.flatnonzero(counts)
        to_subscores[dimension[on], on] = points[on] / weights[dimension[on]]
        return cls(points, dimension, weights, float(scenario.score.monthly_cap),
                   effective, to_subscores)

    def effective_points(self) -> np.ndarray:
        """Points that reach the total (0 where the dimension weighs nothing)."""
        return self.effective


def rule_deltas(rules: RuleArrays, counts: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Sub-score changes from one month's recorded event counts.

    Args:
        rules: The rule table as arrays.
        counts: ``(E, n)`` events recorded per person.

    Returns:
        ``(deltas, scale)``: ``(5, n)`` sub-score changes, and the factor
        (<= 1) the monthly cap shrank each person's points by.
    """
    total = np.abs(rules.effective @ counts)
    scale = np.minimum(1.0, rules.cap / np.maximum(total, 1e-9), dtype=np.float32)
    deltas = rules.to_subscores @ counts
    deltas *= scale
    return deltas, scale


def total_score(weights: np.ndarray, sub: np.ndarray) -> np.ndarray:
    """The total score: weighted sum of the sub-scores."""
    return (weights @ sub).astype(np.float32)


def clip_scores(sub: np.ndarray) -> np.ndarray:
    """Clip every sub-score to 350-950 (so the total stays in range too)."""
    return np.clip(sub, SCORE_MIN, SCORE_MAX, out=sub)
