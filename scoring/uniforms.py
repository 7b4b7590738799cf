"""The month's uniform draws, made from a numpy SFC64 stream in one compiled loop.

``Generator.random(dtype=np.float32)`` turns each 32-bit half of an SFC64
output into a float: the low half first, the high half kept for the next
float, then ``(bits >> 8) * 2**-24``. Calling it costs about 1.8 ns a number
here, most of it numpy calling the generator through a pointer once per
number. :func:`fill` runs the same generator and the same conversion in one
loop, about four times faster, and hands the stream back in the state numpy
would have left it in: every number, and every later draw from the stream,
is the same as numpy's (``tests/test_uniforms.py``). :func:`below` runs the
same generator to find which of the next numbers fall below a chance,
without storing them.

The generator (``numpy/random/src/sfc64/sfc64.h``): with state ``a, b, c``
and a counter ``w``, the next output is ``a + b + w``; then ``w`` counts up,
``a = b ^ (b >> 11)``, ``b = c + (c << 3)``, ``c = rotl(c, 24) + output``.
"""

from __future__ import annotations

import numba
import numpy as np

from scoring.compiled import kernel

_SCALE = np.float32(1.0 / 16777216.0)


def fill(rng: np.random.Generator, out: np.ndarray, n: int) -> None:
    """Fill ``out[:, :n]`` row by row with ``rng.random(dtype=np.float32)``'s numbers.

    Args:
        rng: A generator over an SFC64 bit generator; it is advanced exactly
            as ``rng.random(dtype=np.float32, out=row[:n])`` for each row would.
        out: ``(k, rows)`` float32 array, ``rows >= n``.
        n: How many numbers each row gets.
    """
    state = _taken(rng)
    if state is None:
        for row in out:
            rng.random(dtype=np.float32, out=row[:n])
        return
    words, has_half, half = state
    _give_back(rng, words, *_fill(words, has_half, half, out, n))


def below(rng: np.random.Generator, count: int, chance: float) -> np.ndarray:
    """Which of the next ``count`` numbers fall below ``chance``: their positions, in order.

    The same as ``np.flatnonzero(rng.random(count, dtype=np.float32) <
    np.float32(chance))``, and the stream is left as that leaves it, without
    keeping the numbers: where one draw in ten counts (a tie that may
    break), nine in ten are only compared and forgotten.
    """
    limit = float(np.float32(chance))
    state = _taken(rng)
    if state is None:
        return np.flatnonzero(rng.random(count, dtype=np.float32) < np.float32(limit))
    # A number is (24 bits) x 2**-24, so it is below ``chance`` exactly when its
    # 24 bits are below chance x 2**24, rounded up (exact in float64).
    bits_limit = np.uint64(min(max(np.ceil(limit * 16777216.0), 0.0), 16777216.0)
                           if limit == limit else 0)
    words, has_half, half = state
    found, has_half, half = _below(words, has_half, half, count, bits_limit)
    _give_back(rng, words, has_half, half)
    return found


def _taken(rng: np.random.Generator) -> tuple[np.ndarray, bool, np.uint64] | None:
    """An SFC64 stream's state for a compiled loop (None: not SFC64, numpy draws)."""
    state = rng.bit_generator.state
    if state["bit_generator"] != "SFC64":
        return None
    return state["state"]["state"].copy(), bool(state["has_uint32"]), np.uint64(state["uinteger"])


def _give_back(rng: np.random.Generator, words: np.ndarray, has_half: bool, half: int) -> None:
    """The stream where the compiled loop left it."""
    bits = rng.bit_generator
    state = bits.state
    state["state"]["state"] = words
    state["has_uint32"] = int(has_half)
    state["uinteger"] = int(half)
    bits.state = state


@numba.njit(inline="always")
def _next_bits(a, b, c, w, has_half, half):
    """The next 32 bits of the stream, and its state after them.

    The 32 bits are the high half kept from the last output, or else the low
    half of a new output (whose high half is then kept).
    """
    if has_half:
        return half, a, b, c, w, False, half
    x = a + b + w
    c_next = ((c << np.uint64(24)) | (c >> np.uint64(40))) + x
    return (x & np.uint64(0xFFFFFFFF), b ^ (b >> np.uint64(11)), c + (c << np.uint64(3)),
            c_next, w + np.uint64(1), True, x >> np.uint64(32))


@kernel
def _fill(words, has_half, half, out, n):
    a, b, c, w = words[0], words[1], words[2], words[3]
    for r in range(out.shape[0]):
        row = out[r]
        for i in range(n):
            bits, a, b, c, w, has_half, half = _next_bits(a, b, c, w, has_half, half)
            row[i] = np.float32(bits >> np.uint64(8)) * _SCALE
    words[0], words[1], words[2], words[3] = a, b, c, w
    return has_half, half


@kernel
def _below(words, has_half, half, count, bits_limit):
    a, b, c, w = words[0], words[1], words[2], words[3]
    found = np.empty(count + 1, dtype=np.int64)
    m = 0
    for i in range(count):
        bits, a, b, c, w, has_half, half = _next_bits(a, b, c, w, has_half, half)
        # Written every time, kept when below: no branch to mispredict.
        found[m] = i
        m += (bits >> np.uint64(8)) < bits_limit
    words[0], words[1], words[2], words[3] = a, b, c, w
    return found[:m].copy(), has_half, half  # a copy: the buffer for every number goes
