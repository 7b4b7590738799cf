"""The month's uniform draws, made from a numpy SFC64 stream in one compiled loop.

``Generator.random(dtype=np.float32)`` turns each 32-bit half of an SFC64
output into a float: the low half first, the high half kept for the next
float, then ``(bits >> 8) * 2**-24``. Calling it costs about 1.8 ns a number
here, most of it numpy calling the generator through a pointer once per
number. :func:`fill` runs the same generator and the same conversion in one
loop, about four times faster, and hands the stream back in the state numpy
would have left it in: every number, and every later draw from the stream,
is the same as numpy's (``tests/test_uniforms.py``). Other compiled loops
run the same generator in the middle of their own work (:func:`taken`,
:func:`next_bits`, :func:`give_back`): the network's month draws a key
from it, then new friends as ``Generator.integers`` does (:func:`bounded`,
Lemire's method on 32-bit draws; :func:`integers` is the same on its own).
Each tie's number is made from that key and the tie's position by
splitmix64 (:func:`splitmix`, :func:`position_bits`), a generator whose
outputs do not wait for one another, so a loop makes many side by side.

The generator (``numpy/random/src/sfc64/sfc64.h``): with state ``a, b, c``
and a counter ``w``, the next output is ``a + b + w``; then ``w`` counts up,
``a = b ^ (b >> 11)``, ``b = c + (c << 3)``, ``c = rotl(c, 24) + output``.
"""

from __future__ import annotations

import functools
import math

import numba
import numpy as np

from scoring.compiled import kernel

_SCALE = np.float32(1.0 / 16777216.0)


def fill(rng: np.random.Generator | Stream, out: np.ndarray, n: int) -> None:
    """Fill ``out[:, :n]`` row by row with ``rng.random(dtype=np.float32)``'s numbers.

    Args:
        rng: A generator over an SFC64 bit generator; it is advanced exactly
            as ``rng.random(dtype=np.float32, out=row[:n])`` for each row would.
        out: ``(k, rows)`` float32 array, ``rows >= n``.
        n: How many numbers each row gets.
    """
    state = taken(rng)
    if state is None:
        for row in out:
            rng.random(dtype=np.float32, out=row[:n])
        return
    words, has_half, half = state
    give_back(rng, words, *_fill(words, has_half, half, out, n))


def integers(rng: np.random.Generator | Stream, high: int, size: int) -> np.ndarray:
    """``rng.integers(high, size=size)``: the same numbers, the stream left the same.

    For a bound up to 2**32 - 1 (a pool of persons), drawn in a compiled loop
    (:func:`bounded`); otherwise, or on another generator, by numpy.
    """
    state = taken(rng) if 0 < high < 2**32 else None
    if state is None:
        return rng.integers(high, size=size)
    words, has_half, half = state
    out = np.empty(size, dtype=np.int64)
    has_half, half = _integers(words, has_half, half, np.uint64(high), out)
    give_back(rng, words, has_half, half)
    return out


@functools.lru_cache(maxsize=64)
def limit_bits(chance: float) -> np.uint64:
    """The bound on a number's 24 bits below which the number is below ``chance``.

    ``number < np.float32(chance)`` exactly when ``(bits >> 8) < limit_bits(chance)``
    for the 32 bits the number is made of. Kept for the last chances asked
    (a run asks for the same few every month; working it out took 3 us).
    """
    limit = float(np.float32(chance))
    if limit != limit:  # nan: no number is below it
        return np.uint64(0)
    # A number is (24 bits) x 2**-24, so it is below ``chance`` exactly when its
    # 24 bits are below chance x 2**24, rounded up (exact in float64).
    return np.uint64(math.ceil(min(max(limit, 0.0), 1.0) * 16777216.0))


def taken(rng: np.random.Generator | Stream) -> tuple[np.ndarray, bool, np.uint64] | None:
    """An SFC64 stream's state for a compiled loop (None: not SFC64, numpy draws).

    The loop advances the state's words in place and returns the kept half;
    :func:`give_back` then hands the stream back.
    """
    if isinstance(rng, Stream):
        return rng.words, rng.has_half, rng.half
    state = rng.bit_generator.state
    if state["bit_generator"] != "SFC64":
        return None
    return state["state"]["state"].copy(), bool(state["has_uint32"]), np.uint64(state["uinteger"])


def give_back(rng: np.random.Generator | Stream, words: np.ndarray, has_half: bool,
              half: int) -> None:
    """The stream where a compiled loop left it (after :func:`taken`)."""
    if isinstance(rng, Stream):
        if words is not rng.words:  # the loops were lent the stream's own words
            rng.words[:] = words
        rng.has_half, rng.half = bool(has_half), np.uint64(half)
        return
    bits = rng.bit_generator
    state = bits.state
    state["state"]["state"] = words
    state["has_uint32"] = int(has_half)
    state["uinteger"] = int(half)
    bits.state = state


@numba.njit(inline="always")
def next64(a, b, c, w):
    """A whole output of the stream, and its state after it."""
    x = a + b + w
    c_next = ((c << np.uint64(24)) | (c >> np.uint64(40))) + x
    return x, b ^ (b >> np.uint64(11)), c + (c << np.uint64(3)), c_next, w + np.uint64(1)


# splitmix64 (Steele, Lea and Flood 2014, as in Java's SplittableRandom and
# Vigna's splitmix64.c): output q of a stream seeded with a key is a mix of
# key + q x the golden ratio's 64 bits.
_GOLDEN = np.uint64(0x9E3779B97F4A7C15)
_MIX1 = np.uint64(0xBF58476D1CE4E5B9)
_MIX2 = np.uint64(0x94D049BB133111EB)


@numba.njit(inline="always")
def splitmix(key, q):
    """Output ``q`` (from 1) of splitmix64 seeded with ``key``: 64 bits.

    Each output depends on ``key`` and ``q`` alone, so a loop can make the
    outputs of many positions at once, side by side in vector instructions.
    """
    z = key + q * _GOLDEN
    z = (z ^ (z >> np.uint64(30))) * _MIX1
    z = (z ^ (z >> np.uint64(27))) * _MIX2
    return z ^ (z >> np.uint64(31))


def position_bits(key: np.uint64, count: int) -> np.ndarray:
    """The 24 bits of the number at each of ``count`` positions, from ``key`` (numpy).

    Position ``p`` takes half of splitmix64's output ``p // 2 + 1``: the low
    32 bits for an even ``p``, the high 32 bits for an odd one, and of those
    the top 24, as a float32 number is made of them (``bits * 2**-24``). The
    same numbers as the compiled loops make with :func:`splitmix`.
    """
    q = np.arange(1, (count + 1) // 2 + 1, dtype=np.uint64)
    z = np.uint64(key) + q * _GOLDEN  # wraps around 2**64, as the compiled loop does
    z = (z ^ (z >> np.uint64(30))) * _MIX1
    z = (z ^ (z >> np.uint64(27))) * _MIX2
    z ^= z >> np.uint64(31)
    bits = np.empty(2 * q.size, dtype=np.uint64)
    bits[0::2] = (z & np.uint64(0xFFFFFFFF)) >> np.uint64(8)
    bits[1::2] = z >> np.uint64(40)
    return bits[:count]


@numba.njit(inline="always")
def next_bits(a, b, c, w, has_half, half):
    """The next 32 bits of the stream, and its state after them.

    The 32 bits are the high half kept from the last output, or else the low
    half of a new output (whose high half is then kept).
    """
    if has_half:
        return half, a, b, c, w, False, half
    x, a, b, c, w = next64(a, b, c, w)
    return x & np.uint64(0xFFFFFFFF), a, b, c, w, True, x >> np.uint64(32)


@kernel
def _fill(words, has_half, half, out, n):
    # Two numbers from each output, low half first, as numpy takes them; a row
    # starts with the half kept from before, if any, and may end keeping one.
    a, b, c, w = words[0], words[1], words[2], words[3]
    low = np.uint64(0xFFFFFFFF)
    for r in range(out.shape[0]):
        row = out[r]
        i = 0
        if has_half and n > 0:
            row[0] = np.float32(half >> np.uint64(8)) * _SCALE
            has_half = False
            i = 1
        while i + 1 < n:
            x, a, b, c, w = next64(a, b, c, w)
            row[i] = np.float32((x & low) >> np.uint64(8)) * _SCALE
            row[i + 1] = np.float32(x >> np.uint64(40)) * _SCALE
            half = x >> np.uint64(32)  # numpy keeps the used half's value too
            i += 2
        if i < n:
            x, a, b, c, w = next64(a, b, c, w)
            row[i] = np.float32((x & low) >> np.uint64(8)) * _SCALE
            has_half, half = True, x >> np.uint64(32)
    words[0], words[1], words[2], words[3] = a, b, c, w
    return has_half, half


@numba.njit(inline="always")
def bounded(a, b, c, w, has_half, half, bound, threshold):
    """A whole number below ``bound`` (< 2**32) from the stream, as numpy draws it.

    numpy's ``buffered_bounded_lemire_uint32``: a 32-bit draw times ``bound``,
    its high half the number, drawn again while its low half is below
    ``threshold`` (``(2**32 - bound) % bound``, :func:`lemire_threshold`), which
    leaves no number likelier than another. Returns the number and the state.
    """
    low = np.uint64(0xFFFFFFFF)
    bits, a, b, c, w, has_half, half = next_bits(a, b, c, w, has_half, half)
    m = bits * bound
    if (m & low) < bound:
        while (m & low) < threshold:
            bits, a, b, c, w, has_half, half = next_bits(a, b, c, w, has_half, half)
            m = bits * bound
    return m >> np.uint64(32), a, b, c, w, has_half, half


@numba.njit(inline="always")
def lemire_threshold(bound):
    """Below this, a draw's low half is drawn again (:func:`bounded`)."""
    return (np.uint64(0x100000000) - bound) % bound


@kernel
def _integers(words, has_half, half, bound, out):
    a, b, c, w = words[0], words[1], words[2], words[3]
    if bound > np.uint64(1):  # below 1 there is only 0, and numpy draws nothing
        threshold = lemire_threshold(bound)
        for i in range(out.size):
            x, a, b, c, w, has_half, half = bounded(a, b, c, w, has_half, half, bound,
                                                    threshold)
            out[i] = np.int64(x)
    else:
        out[:] = 0
    words[0], words[1], words[2], words[3] = a, b, c, w
    return has_half, half


class Stream:
    """One stream of one month: numpy's SFC64, its state kept here for the compiled loops.

    A month's streams are many (three a month) and each is used for a few
    draws: making each a numpy generator cost about 12 us (its seed
    sequence, its state, its errors' settings), a sixtieth of a 5,000-person
    month, and handing its state to a compiled loop and back 3 us more each
    time. A :class:`Stream` is made from its seed sequence's numbers
    directly (:func:`month_streams`) and lends its words to the loops as
    they are. Its numbers are numpy's: :func:`fill` and the network's loops
    draw from it as from ``np.random.Generator(np.random.SFC64(seed))``, and
    so does :meth:`random` (``tests/test_uniforms.py``).

    Attributes:
        words: The generator's four words (``a, b, c`` and the counter).
        has_half: Whether the high half of the last output is kept for the
            next 32-bit draw, as numpy keeps it.
        half: That half.
    """

    __slots__ = ("half", "has_half", "words")

    def __init__(self, words: np.ndarray):
        self.words = words
        self.has_half = False
        self.half = np.uint64(0)

    def random(self, size: int | tuple[int, ...]) -> np.ndarray:
        """``Generator.random(size)``: float64 numbers in [0, 1), the same numbers.

        numpy makes each from a whole 64-bit output (its top 53 bits) and
        leaves a kept half as it was.
        """
        out = np.empty(size, dtype=np.float64)
        _doubles(self.words, out.reshape(-1))
        return out


@kernel
def _doubles(words, out):
    a, b, c, w = words[0], words[1], words[2], words[3]
    for i in range(out.size):
        x, a, b, c, w = next64(a, b, c, w)
        out[i] = np.float64(x >> np.uint64(11)) * (1.0 / 9007199254740992.0)
    words[0], words[1], words[2], words[3] = a, b, c, w


# numpy's SeedSequence (numpy/random/bit_generator.pyx, after M. E. O'Neill's
# seed_seq): its constants, on 32-bit words.
_POOL = 4
_INIT_A, _MULT_A = 0x43B0D7E5, 0x931E8875
_INIT_B, _MULT_B = 0x8B51F9DD, 0x58F38DED
_MIX_L, _MIX_R = 0xCA01F9DD, 0x4973F715
_MASK = 0xFFFFFFFF


def month_streams(seed: int, parts: tuple[int, ...], months: int) -> list[list[Stream]]:
    """Each month's stream of each part: as numpy's ``SeedSequence(seed).spawn(...)`` makes them.

    Stream ``[p][t]`` draws the numbers of ``np.random.Generator(np.random.SFC64(
    np.random.SeedSequence(seed).spawn(max(parts) + 1)[parts[p]].spawn(months)[t]))``,
    made in one compiled call instead of a few hundred numpy objects.

    Args:
        seed: The run's seed, 0 to 2**32 - 1 (one 32-bit word, as numpy splits it).
        parts: The child of the seed sequence each part's months are spawned from.
        months: How many months.
    """
    if not 0 <= seed <= _MASK:
        raise ValueError(f"a seed from 0 to {_MASK}, got {seed}")
    words = _seeded(np.uint64(seed), np.asarray(parts, dtype=np.uint64), months)
    return [[Stream(words[p, t]) for t in range(months)] for p in range(len(parts))]


@kernel
def _seeded(seed, parts, months):
    """``(parts, months, 4)``: each stream's SFC64 words after numpy's seeding."""
    out = np.empty((parts.size, months, 4), dtype=np.uint64)
    # The entropy of a child: the seed padded to the pool's size, then its spawn key.
    entropy = np.zeros(_POOL + 2, dtype=np.uint64)
    entropy[0] = seed
    for p in range(parts.size):
        entropy[_POOL] = parts[p]
        for t in range(months):
            entropy[_POOL + 1] = np.uint64(t)
            state = _generate_state(_mixed(entropy))
            a, b, c, w = state[0], state[1], state[2], np.uint64(1)
            for _ in range(12):  # numpy's SFC64 seeding: twelve outputs thrown away
                _, a, b, c, w = next64(a, b, c, w)
            out[p, t, 0], out[p, t, 1], out[p, t, 2], out[p, t, 3] = a, b, c, w
    return out


@numba.njit(inline="always")
def _hashmix(value, hash_const):
    value = (value ^ hash_const) & np.uint64(_MASK)
    hash_const = (hash_const * np.uint64(_MULT_A)) & np.uint64(_MASK)
    value = (value * hash_const) & np.uint64(_MASK)
    return value ^ (value >> np.uint64(16)), hash_const


@numba.njit(inline="always")
def _mix(x, y):
    result = (np.uint64(_MIX_L) * x - np.uint64(_MIX_R) * y) & np.uint64(_MASK)
    return result ^ (result >> np.uint64(16))


@numba.njit
def _mixed(entropy):
    """The seed sequence's pool: ``SeedSequence.mix_entropy`` over the entropy words."""
    pool = np.empty(_POOL, dtype=np.uint64)
    hash_const = np.uint64(_INIT_A)
    for i in range(_POOL):
        pool[i], hash_const = _hashmix(entropy[i] if i < entropy.size else np.uint64(0),
                                       hash_const)
    for i_src in range(_POOL):
        for i_dst in range(_POOL):
            if i_src != i_dst:
                hashed, hash_const = _hashmix(pool[i_src], hash_const)
                pool[i_dst] = _mix(pool[i_dst], hashed)
    for i_src in range(_POOL, entropy.size):
        for i_dst in range(_POOL):
            hashed, hash_const = _hashmix(entropy[i_src], hash_const)
            pool[i_dst] = _mix(pool[i_dst], hashed)
    return pool


@numba.njit
def _generate_state(pool):
    """``SeedSequence.generate_state(3, np.uint64)``: six 32-bit words, paired low-high."""
    words = np.empty(6, dtype=np.uint64)
    hash_const = np.uint64(_INIT_B)
    for i in range(6):
        value = (pool[i % _POOL] ^ hash_const) & np.uint64(_MASK)
        hash_const = (hash_const * np.uint64(_MULT_B)) & np.uint64(_MASK)
        value = (value * hash_const) & np.uint64(_MASK)
        words[i] = value ^ (value >> np.uint64(16))
    state = np.empty(3, dtype=np.uint64)
    for i in range(3):
        state[i] = words[2 * i] | (words[2 * i + 1] << np.uint64(32))
    return state
