"""Friendship ties: a stochastic block model with homophily, and exclusion.

Each real person *starts* ``ties_per_person`` ties, stored as an
``(N, k)`` array of partner rows; a tie counts for both ends, so the mean
number of friends is about ``2k``. Twins have no ties of their own: they
share the friends of the persona they copy.
"""

from __future__ import annotations

import numpy as np


def build_ties(
    block: np.ndarray, ties_per_person: int, homophily: float, rng: np.random.Generator
) -> np.ndarray:
    """Draw ties: within one's block (district and group) with chance ``homophily``.

    Args:
        block: Block code per real person.
        ties_per_person: Ties each person starts.
        homophily: Chance each tie is drawn within the person's own block.
        rng: The network's random stream.

    Returns:
        ``(N, ties_per_person)`` int32 array of partner rows.
    """
    n = len(block)
    order = np.argsort(block, kind="stable")
    counts = np.bincount(block, minlength=int(block.max()) + 1)
    starts = np.concatenate([[0], np.cumsum(counts)[:-1]])
    own_block = np.repeat(block[:, None], ties_per_person, axis=1)
    within = rng.random((n, ties_per_person)) < homophily
    pick = rng.random((n, ties_per_person))
    same = order[starts[own_block] + (pick * counts[own_block]).astype(np.int64)]
    anyone = (pick * n).astype(np.int64)
    partner = np.where(within, same, anyone)
    rows = np.arange(n)[:, None]
    partner = np.where(partner == rows, (partner + 1) % n, partner)
    return partner.astype(np.int32)


def friends_mean(ties: np.ndarray, score: np.ndarray) -> np.ndarray:
    """Mean score of each real person's friends (both ends of each tie count).

    Persons without friends get their own score.
    """
    n = ties.shape[0]
    own = np.repeat(np.arange(n, dtype=np.int32), ties.shape[1])
    other = ties.ravel()
    real = score[:n].astype(np.float64)
    total = np.bincount(own, weights=real[other], minlength=n)
    total += np.bincount(other, weights=real[own], minlength=n)
    degree = np.bincount(own, minlength=n) + np.bincount(other, minlength=n)
    return np.where(degree > 0, total / np.maximum(degree, 1), real).astype(np.float32)


def exclude(
    ties: np.ndarray,
    score: np.ndarray,
    threshold: float,
    rate: float,
    rng: np.random.Generator,
) -> tuple[np.ndarray, int]:
    """Break ties across the score threshold and rewire them within one's side.

    A tie whose ends sit on opposite sides of ``threshold`` breaks with chance
    ``rate``; the person who started it finds a new partner among those on
    their own side: the high find the high, the low are left with the low.

    Returns:
        The new ties array and the number of ties rewired.
    """
    n = ties.shape[0]
    real = score[:n]
    high = real >= threshold
    cross = high[:, None] != high[ties]
    broken = cross & (rng.random(ties.shape, dtype=np.float32) < rate)
    count = int(broken.sum())
    if count == 0:
        return ties, 0
    rows, cols = np.nonzero(broken)
    new_ties = ties.copy()
    for side in (True, False):
        pool = np.flatnonzero(high == side)
        mine = high[rows] == side
        if pool.size == 0 or not mine.any():
            continue
        new_ties[rows[mine], cols[mine]] = pool[rng.integers(pool.size, size=int(mine.sum()))]
    return new_ties, count


def score_sorting(ties: np.ndarray, score: np.ndarray) -> float:
    """Correlation of scores across ties: 0 = mixed, 1 = fully sorted by score."""
    n = ties.shape[0]
    a = np.repeat(score[:n], ties.shape[1]).astype(np.float64)
    b = score[ties.ravel()].astype(np.float64)
    x = np.concatenate([a, b])
    y = np.concatenate([b, a])
    sx, sy = x.std(), y.std()
    if sx == 0 or sy == 0:
        return 0.0
    return float(((x - x.mean()) * (y - y.mean())).mean() / (sx * sy))
