"""Friendship ties: a stochastic block model with homophily, and exclusion.

Each real person names ``ties_per_person`` friends, stored as a
``(k, N)`` array of friend rows (row ``j`` holds everyone's ``j``-th
friend, so gathering friends' scores reads whole rows). Friends' mean score
is the mean over the friends a person names. Twins name no friends of their
own: they share the friends of the persona they copy.
"""

from __future__ import annotations

import numpy as np

from scoring import uniforms
from scoring.compiled import kernel


def build_ties(
    block: np.ndarray, ties_per_person: int, homophily: float, rng: np.random.Generator
) -> np.ndarray:
    """Draw ties: within one's block (district and group) with chance ``homophily``.

    Args:
        block: Block code per real person.
        ties_per_person: Friends each person names.
        homophily: Chance each tie is drawn within the person's own block.
        rng: The network's random stream.

    Returns:
        ``(ties_per_person, N)`` int32 array of friend rows.
    """
    n = len(block)
    k = ties_per_person
    order = np.argsort(block, kind="stable")
    counts = np.bincount(block, minlength=int(block.max()) + 1)
    starts = np.concatenate([[0], np.cumsum(counts)[:-1]])
    own_block = np.broadcast_to(block, (k, n))
    within = rng.random((k, n)) < homophily
    pick = rng.random((k, n))
    same = order[starts[own_block] + (pick * counts[own_block]).astype(np.int64)]
    anyone = (pick * n).astype(np.int64)
    friend = np.where(within, same, anyone)
    rows = np.arange(n)
    friend = np.where(friend == rows, (friend + 1) % n, friend)
    return friend.astype(np.int32)


def exclude(
    ties: np.ndarray,
    score: np.ndarray,
    threshold: float,
    rate: float,
    rng: np.random.Generator,
) -> tuple[np.ndarray, int]:
    """Break ties across the score threshold and rewire them within one's side.

    A tie whose ends sit on opposite sides of ``threshold`` breaks with chance
    ``rate``, whoever named whom: the high drop the low, and the low are turned
    away by the high. The person who named the friend finds a new one on their
    own side, so the high befriend the high and the low are left with the low.

    Returns:
        The new ties array and the number of ties rewired.
    """
    n = ties.shape[1]
    high = score[:n] >= threshold
    slot, person = pick_ties(ties, high, high, ACROSS, rate, rng)
    count = int(slot.size)
    if count == 0:
        return ties, 0
    new_ties = ties.copy()
    high_pool, low_pool = sides(high)
    for side, pool in ((True, high_pool), (False, low_pool)):
        mine = _on_side(high, person, side)
        if pool.size == 0 or mine.size == 0:
            continue
        rewire(new_ties, slot[mine], person[mine], pool, rng.integers(pool.size,
                                                                      size=mine.size))
    return new_ties, count


# Which ties count, by (the namer's mark, the friend's mark): for pick_ties().
ACROSS = np.array([[False, True], [True, False]])  # the two ends on opposite sides
BOTH = np.array([[False, False], [False, True]])  # both ends marked


def pick_ties(ties: np.ndarray, namer: np.ndarray, friend: np.ndarray, which: np.ndarray,
              rate: float, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    """Each tie that counts, with chance ``rate``: its ``(slot, person)``, in tie order.

    A tie of ``person`` naming ``f`` counts where ``which[namer[person],
    friend[f]]``. Every tie gets one uniform draw of ``rng`` (a fixed layout,
    like the month's other draws: tie ``(slot, person)`` the number at
    ``slot * n + person``) and is picked if its draw is below ``rate`` and it
    counts: exactly that chance for every tie that counts. Only the ties
    whose draw is below ``rate`` are looked at (:func:`scoring.uniforms.below`).
    """
    k, n = ties.shape
    drawn = uniforms.below(rng, k * n, rate)
    return _picked_ties(ties, namer, friend, which, drawn)


@kernel
def _picked_ties(ties, namer, friend, which, drawn):
    """Of the ties at flat positions ``drawn`` (in order), those that count."""
    n = ties.shape[1]
    slot = np.empty(drawn.size, dtype=np.int64)
    person = np.empty(drawn.size, dtype=np.int64)
    picked = 0
    j, row_start = 0, 0
    for m in range(drawn.size):
        while drawn[m] >= row_start + n:  # positions ascend: the slot only moves on
            j += 1
            row_start += n
        i = drawn[m] - row_start
        # Written every time, kept when it counts: no branch to mispredict.
        slot[picked] = j
        person[picked] = i
        picked += which[np.int64(namer[i]), np.int64(friend[ties[j, i]])]
    return slot[:picked], person[:picked]


@kernel
def sides(high):
    """Rows where ``high`` is true and rows where it is not, in order (two ``flatnonzero``)."""
    highs = np.empty(high.size, dtype=np.int64)
    lows = np.empty(high.size, dtype=np.int64)
    at_high = at_low = 0
    for i in range(high.size):
        highs[at_high] = i
        lows[at_low] = i
        at_high += high[i]
        at_low += not high[i]
    return highs[:at_high], lows[:at_low]


@kernel
def _on_side(high, person, side):
    """Positions in ``person`` of those on ``side``, in order."""
    found = np.empty(person.size, dtype=np.int64)
    m = 0
    for p in range(person.size):
        found[m] = p
        m += high[person[p]] == side
    return found[:m]


@kernel
def rewire(ties, slot, person, pool, draws):
    """In place: tie ``(slot[m], person[m])`` now names ``pool[draws[m]]``, in order."""
    for m in range(slot.size):
        ties[slot[m], person[m]] = pool[draws[m]]


def friends_and_sorting(ties: np.ndarray, score: np.ndarray) -> tuple[np.ndarray, float]:
    """Friends' mean score per real person, and how sorted the network is by score.

    Sorting is the correlation of scores across ties, each tie counted from
    both ends so that it does not matter who named whom: 0 = mixed, 1 = fully
    sorted by score. Both come from one read of the friends' scores.
    """
    friends, sorting, _ = read_friends(ties, score)
    return friends, sorting


def read_friends(ties: np.ndarray, score: np.ndarray, true_score: np.ndarray | None = None
                 ) -> tuple[np.ndarray, float, np.ndarray | None]:
    """:func:`friends_and_sorting`, and friends' mean true-behaviour score in the same read.

    Returns:
        Friends' mean score, the sorting, and friends' mean ``true_score``
        (None if it is not given).
    """
    k, n = ties.shape
    centre = np.float32(score[:n].mean())
    pack = true_score is not None and n >= PACK_FROM
    friends_mean, true_mean, sums = _friends_and_moments(ties, score, centre, true_score, pack)
    own_sum, own_square, friend_sum, friend_square, product = sums
    mean = (k * own_sum + friend_sum) / (2 * n * k)
    square = (k * own_square + friend_square) / (2 * n * k)
    variance = square - mean**2
    sorting = 0.0 if variance <= 1e-6 else float((product / (n * k) - mean**2) / variance)
    return friends_mean, sorting, true_mean


# From this many persons the two scores are read from one array of pairs, so one
# random read of memory serves both: the scores no longer fit the processor's
# nearest caches (2 MB here), and a read from further away costs more than
# making the pairs. Below, making them costs more than it saves.
PACK_FROM = 250_000


@kernel
def _friends_and_moments(ties, score, centre, true_score, pack):
    """Friends' mean score, and sums of scores about ``centre``: own, squared, across ties.

    With ``true_score``, also friends' mean true-behaviour score (their sum
    in float64, then the mean in float32), read at the same ties.
    """
    k, n = ties.shape
    friend_total = np.zeros(n, dtype=np.float64)
    friend_square = 0.0
    if true_score is None:
        true_mean = None
        for j in range(k):
            for i in range(n):
                f = np.float64(score[ties[j, i]] - centre)
                friend_total[i] += f
                friend_square += f * f
    else:
        true_total = np.zeros(n, dtype=np.float64)
        if pack:
            pairs = np.empty((n, 2), dtype=np.float32)
            for i in range(n):
                pairs[i, 0] = score[i]
                pairs[i, 1] = true_score[i]
            for j in range(k):
                for i in range(n):
                    t = ties[j, i]
                    f = np.float64(pairs[t, 0] - centre)
                    friend_total[i] += f
                    friend_square += f * f
                    true_total[i] += np.float64(pairs[t, 1])
        else:
            for j in range(k):
                for i in range(n):
                    t = ties[j, i]
                    f = np.float64(score[t] - centre)
                    friend_total[i] += f
                    friend_square += f * f
                    true_total[i] += np.float64(true_score[t])
        true_mean = np.empty(n, dtype=np.float32)
        for i in range(n):
            true_mean[i] = true_total[i] / k
    mean = np.empty(n, dtype=np.float32)
    own_sum = own_square = friend_sum = product = 0.0
    for i in range(n):
        own = np.float64(score[i] - centre)
        mean[i] = friend_total[i] / k + np.float64(centre)
        own_sum += own
        own_square += own * own
        friend_sum += friend_total[i]
        product += own * friend_total[i]
    return mean, true_mean, (own_sum, own_square, friend_sum, friend_square, product)
