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
:func:`next_bits`, :func:`give_back`): the network's month compares each
tie's number with a chance as it is made, without storing it, and draws
new friends as ``Generator.integers`` does (:func:`bounded`, Lemire's
method on 32-bit draws; :func:`integers` is the same on its own).

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
    state = taken(rng)
    if state is None:
        for row in out:
            rng.random(dtype=np.float32, out=row[:n])
        return
    words, has_half, half = state
    give_back(rng, words, *_fill(words, has_half, half, out, n))


def integers(rng: np.random.Generator, high: int, size: int) -> np.ndarray:
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


def limit_bits(chance: float) -> np.uint64:
    """The bound on a number's 24 bits below which the number is below ``chance``.

    ``number < np.float32(chance)`` exactly when ``(bits >> 8) < limit_bits(chance)``
    for the 32 bits the number is made of.
    """
    limit = float(np.float32(chance))
    # A number is (24 bits) x 2**-24, so it is below ``chance`` exactly when its
    # 24 bits are below chance x 2**24, rounded up (exact in float64).
    return np.uint64(min(max(np.ceil(limit * 16777216.0), 0.0), 16777216.0)
                     if limit == limit else 0)


def taken(rng: np.random.Generator) -> tuple[np.ndarray, bool, np.uint64] | None:
    """An SFC64 stream's state for a compiled loop (None: not SFC64, numpy draws).

    The loop advances the state's words in place and returns the kept half;
    :func:`give_back` then hands the stream back.
    """
    state = rng.bit_generator.state
    if state["bit_generator"] != "SFC64":
        return None
    return state["state"]["state"].copy(), bool(state["has_uint32"]), np.uint64(state["uinteger"])


def give_back(rng: np.random.Generator, words: np.ndarray, has_half: bool, half: int) -> None:
    """The stream where a compiled loop left it (after :func:`taken`)."""
    bits = rng.bit_generator
    state = bits.state
    state["state"]["state"] = words
    state["has_uint32"] = int(has_half)
    state["uinteger"] = int(half)
    bits.state = state


@numba.njit(inline="always")
def next_bits(a, b, c, w, has_half, half):
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
            bits, a, b, c, w, has_half, half = next_bits(a, b, c, w, has_half, half)
            row[i] = np.float32(bits >> np.uint64(8)) * _SCALE
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
