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
    rng: np.random.Generator | uniforms.Stream,
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
    slot, person, friend, count = rewired(ties, high, high, ACROSS, rate, rng, high,
                                          *sides(high))
    if count == 0:
        return ties, 0
    new_ties = ties.copy()
    rewire(new_ties, slot, person, friend)
    return new_ties, count


# Which ties count, by (the namer's mark, the friend's mark): for pick_ties().
ACROSS = np.array([[False, True], [True, False]])  # the two ends on opposite sides
BOTH = np.array([[False, False], [False, True]])  # both ends marked


def pick_ties(ties: np.ndarray, namer: np.ndarray, friend: np.ndarray, which: np.ndarray,
              rate: float, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    """Each tie that counts, with chance ``rate``: its ``(slot, person)``, in tie order.

    A tie of ``person`` naming ``f`` counts where ``which[namer[person],
    friend[f]]``. Every tie has its own number (a fixed layout, like the
    month's other draws: tie ``(slot, person)`` the number at position
    ``slot * n + person``) and is picked if its number is below ``rate`` and
    it counts: exactly that chance for every tie that counts. The numbers
    come from one 64-bit draw of ``rng``, the key: the number at a position
    is made from the key and the position alone
    (:func:`scoring.uniforms.position_bits`), so a loop makes them all side
    by side. Only the ties whose number is below ``rate`` are looked at. (A
    run's generator takes :func:`rewired`'s compiled path, which makes the
    same numbers.)
    """
    k, n = ties.shape
    key = np.uint64(rng.bit_generator.random_raw())
    bits = uniforms.position_bits(key, k * n)
    drawn = np.flatnonzero(bits < uniforms.limit_bits(rate))
    return _picked_ties(ties, namer, friend, which, drawn)


def rewired(ties: np.ndarray, namer: np.ndarray, friend: np.ndarray, which: np.ndarray,
            rate: float, rng: np.random.Generator | uniforms.Stream, side: np.ndarray,
            on_pool: np.ndarray, off_pool: np.ndarray
            ) -> tuple[np.ndarray, np.ndarray, np.ndarray, int]:
    """The ties :func:`pick_ties` picks, each with a new friend from a pool.

    Namers are split by ``side``: the picks of those on it, in tie order,
    each name someone drawn from ``on_pool``, then the others' picks from
    ``off_pool`` (``rng.integers`` over each pool, in that order). A pick
    whose pool is empty is not rewired.

    Returns:
        ``(slot, person, new friend)`` of the ties rewired, and how many
        ties were picked.
    """
    state = uniforms.taken(rng)
    if state is None:  # another generator: numpy's draws, one call at a time
        slot, person = pick_ties(ties, namer, friend, which, rate, rng)
        parts = []
        on_side = side[person]
        for pool, mine in ((on_pool, np.flatnonzero(on_side)),
                           (off_pool, np.flatnonzero(~on_side))):
            if pool.size and mine.size:
                parts.append((slot[mine], person[mine],
                              pool[rng.integers(pool.size, size=mine.size)]))
        if not parts:
            empty = np.empty(0, dtype=np.int64)
            return empty, empty, empty, int(slot.size)
        got = [np.concatenate(c) for c in zip(*parts, strict=True)]
        return got[0], got[1], got[2], int(slot.size)
    words, has_half, half = state
    slot, person, new, count, has_half, half = _rewired(
        ties, namer, friend, which, words, has_half, half, uniforms.limit_bits(rate), side,
        on_pool, off_pool)
    uniforms.give_back(rng, words, has_half, half)
    return slot, person, new, int(count)


@kernel
def _below(key, count, bits_limit):
    """The positions of the ``count`` numbers made from ``key`` that are below the chance.

    In order; ``(bits >> 8) < bits_limit`` is ``number < chance``
    (:func:`uniforms.limit_bits`). Each splitmix64 output gives two numbers,
    its low half first (:func:`uniforms.position_bits`). Two passes: the
    numbers, compared as they are made, side by side in vector instructions
    (no number waits for the one before, as a stream's do); then every
    position is written and the count moves on where its number is below
    the chance, with no branch (a branch would be guessed wrong for one
    number in five or ten).
    """
    pairs = (count + 1) // 2
    below = np.empty(2 * pairs, dtype=np.uint8)
    low, eight, forty = np.uint64(0xFFFFFFFF), np.uint64(8), np.uint64(40)
    for q in range(pairs):
        z = uniforms.splitmix(key, np.uint64(q + 1))
        below[2 * q] = ((z & low) >> eight) < bits_limit
        below[2 * q + 1] = (z >> forty) < bits_limit
    drawn = np.empty(count + 1, dtype=np.int64)
    m = 0
    for at in range(count):
        drawn[m] = at
        m += below[at]
    return drawn, m


@kernel
def _rewired(ties, namer, friend, which, words, has_half, half, bits_limit, side, on_pool,
             off_pool):
    """:func:`rewired` in one compiled call: the key, the picks, then the new friends' draws."""
    a, b, c, w = words[0], words[1], words[2], words[3]
    # The key of the ties' numbers (as numpy's random_raw: a kept half stays kept)...
    key, a, b, c, w = uniforms.next64(a, b, c, w)
    # ...the positions whose number is below the chance...
    drawn, m = _below(key, ties.size, bits_limit)
    # ...and of their ties those that count.
    slot, person = _picked_ties(ties, namer, friend, which, drawn[:m])
    picked = slot.size
    # Their new friends: first the picks of those on the side, then the others'
    # (the picks split in one pass, each written to both lists, kept in one).
    on = np.empty(picked, dtype=np.int64)
    off = np.empty(picked, dtype=np.int64)
    on_count = off_count = 0
    for p in range(picked):
        mark = side[person[p]]
        on[on_count] = p
        off[off_count] = p
        on_count += mark
        off_count += not mark
    out_slot = np.empty(picked, dtype=np.int64)
    out_person = np.empty(picked, dtype=np.int64)
    out_friend = np.empty(picked, dtype=np.int64)
    made = 0
    for mine, count_mine, pool in ((on, on_count, on_pool), (off, off_count, off_pool)):
        if pool.size == 0:
            continue
        bound = np.uint64(pool.size)
        threshold = uniforms.lemire_threshold(bound)
        for q in range(count_mine):
            p = mine[q]
            drawn = np.uint64(0)
            if pool.size > 1:  # from a pool of one numpy draws nothing
                drawn, a, b, c, w, has_half, half = uniforms.bounded(
                    a, b, c, w, has_half, half, bound, threshold)
            out_slot[made] = slot[p]
            out_person[made] = person[p]
            out_friend[made] = pool[np.int64(drawn)]
            made += 1
    words[0], words[1], words[2], words[3] = a, b, c, w
    return out_slot[:made], out_person[:made], out_friend[:made], picked, has_half, half


@kernel
def _picked_ties(ties, namer, friend, which, drawn):
    """Of the ties at flat positions ``drawn`` (in order), those that count.

    A tie is kept by a branch, taken for about one tie looked at in six
    (exclusion) or one in 1,500 (shunning). Against writing every tie and
    keeping it where it counts, on fresh data: shunning 18.2 -> 10.2 us a
    call, exclusion 9.9 -> 11.6 us (there the branch is guessed wrong more
    often): less in all.
    """
    n = ties.shape[1]
    slot = np.empty(drawn.size, dtype=np.int64)
    person = np.empty(drawn.size, dtype=np.int64)
    picked = 0
    j, row_start = 0, 0
    for m in range(drawn.size):
        at = drawn[m]
        while at >= row_start + n:  # positions ascend: the slot only moves on
            j += 1
            row_start += n
        # Never negative: read unsigned, with no check for a count from the end.
        i = np.uint64(at - row_start)
        if which[np.uint64(namer[i]), np.uint64(friend[np.uint64(ties[j, i])])]:
            slot[picked] = j
            person[picked] = i
            picked += 1
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
def rewire(ties, slot, person, friend):
    """In place: tie ``(slot[m], person[m])`` now names ``friend[m]``."""
    for m in range(slot.size):
        ties[slot[m], person[m]] = friend[m]


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
    # The mean as score[:n].mean() makes it (the same float32 sum, divided by n),
    # without its checks: half the time.
    centre = np.float32(np.add.reduce(score[:n]) / n)
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
    in float64, then the mean in float32), read at the same ties. A friend's
    row is read unsigned: numba checks a signed index for a count from the
    end, a branch on every tie (a fifth of the loop's time at 5,000 persons).
    """
    k, n = ties.shape
    friend_total = np.zeros(n, dtype=np.float64)
    friend_square = 0.0
    if true_score is None:
        true_mean = None
        for j in range(k):
            for i in range(n):
                f = np.float64(score[np.uint64(ties[j, i])] - centre)
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
                    t = np.uint64(ties[j, i])  # rows are never negative: read unsigned
                    f = np.float64(pairs[t, 0] - centre)
                    friend_total[i] += f
                    friend_square += f * f
                    true_total[i] += np.float64(pairs[t, 1])
        else:
            for j in range(k):
                for i in range(n):
                    t = np.uint64(ties[j, i])  # rows are never negative: read unsigned
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
