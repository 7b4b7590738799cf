"""Consequences of a score: perks above thresholds, penalties below, debt.

Hardship (0..1) stands for how tight a person's month is. It starts from
income and thrift, falls with every perk held and rises with every penalty
and with debt left by a default. Hardship then raises the chance of late
bills and defaults (:mod:`scoring.behaviour`): the feedback loop.
"""

from __future__ import annotations

import numpy as np

from scoring.constants import SCORE_MAX, SCORE_MIN
from scoring.scenario import Scenario

# Hardship of a person with median income and average thrift.
BASE_HARDSHIP = 0.3
# Hardship change per unit of log income (richer, less hardship).
INCOME_HARDSHIP = 0.25
# Hardship change per unit of thrift above average (savings soften shocks).
THRIFT_HARDSHIP = 0.2


def base_hardship(income: np.ndarray, thrift: np.ndarray) -> np.ndarray:
    """Hardship before any consequence of the score."""
    raw = BASE_HARDSHIP - INCOME_HARDSHIP * np.log(income) - THRIFT_HARDSHIP * (thrift - 0.5)
    return np.clip(raw, 0.0, 1.0).astype(np.float32)


def consequence_table(scenario: Scenario) -> np.ndarray:
    """Hardship the score adds (negative for perks), for every whole score 350-950.

    Thresholds are whole numbers, so ``floor(score)`` is at or above one
    exactly when ``score`` is: one lookup applies every perk and penalty.
    """
    scores = np.arange(SCORE_MIN, SCORE_MAX + 1)
    table = np.zeros(scores.size, dtype=np.float32)
    if scenario.mechanisms.penalties:
        for penalty in scenario.consequences.penalties:
            table += penalty.burden * (scores < penalty.below)
    if scenario.mechanisms.perks:
        for perk in scenario.consequences.perks:
            table -= perk.relief * (scores >= perk.threshold)
    return table


def hardship(
    table: np.ndarray, base: np.ndarray, debt: np.ndarray, score: np.ndarray
) -> np.ndarray:
    """This month's hardship from base hardship, debt and the score's consequences."""
    h = base + debt
    h += np.take(table, score.astype(np.int32) - SCORE_MIN)
    return np.clip(h, 0.0, 1.0, out=h)


def next_debt(scenario: Scenario, debt: np.ndarray, defaulted: np.ndarray) -> np.ndarray:
    """Debt hardship next month: what is left of the old plus new defaults."""
    lending = scenario.lending
    return np.minimum(debt * lending.debt_fade + lending.default_debt * defaulted, 1.0).astype(
        np.float32
    )


def perk_threshold(scenario: Scenario) -> int:
    """The lowest score that brings a perk (the first band edge above medium if none)."""
    perks = scenario.consequences.perks
    return min(p.threshold for p in perks) if perks else scenario.score.band_edges[1]


def gaming_thresholds(scenario: Scenario) -> tuple[int, ...]:
    """Thresholds people try to reach by gaming: perk thresholds, or band edges."""
    perks = scenario.consequences.perks
    return tuple(p.threshold for p in perks) if perks else scenario.score.band_edges
