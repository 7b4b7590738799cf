"""The month's uniform draws, made from a numpy SFC64 stream in one compiled loop.

``Generator.random(dtype=np.float32)`` turns each 32-bit half of an SFC64
output into a float: the low half first, the high half kept for the next
float, then ``(bits >> 8) * 2**-24``. Calling it costs about 1.8 ns a number
here, most of it numpy calling the generator through a pointer once per
number. :func:`fill` runs the same generator and the same conversion in one
loop, about four times faster, and hands the stream back in the state numpy
would have left it in: every number, and every later draw from the stream,
is the same as numpy's (``tests/test_uniforms.py``).

The generator (``numpy/random/src/sfc64/sfc64.h``): with state ``a, b, c``
and a counter ``w``, the next output is ``a + b + w``; then ``w`` counts up,
``a = b ^ (b >> 11)``, ``b = c + (c << 3)``, ``c = rotl(c, 24) + output``.
"""

from __future__ import annotations

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
    bits = rng.bit_generator
    state = bits.state
    if state["bit_generator"] != "SFC64":
        for row in out:
            rng.random(dtype=np.float32, out=row[:n])
        return
    words = state["state"]["state"].copy()
    has_half, half = _fill(words, state["has_uint32"], np.uint64(state["uinteger"]), out, n)
    state["state"]["state"] = words
    state["has_uint32"] = int(has_half)
    state["uinteger"] = int(half)
    bits.state = state


@kernel
def _fill(words, has_half, half, out, n):
    a, b, c, w = words[0], words[1], words[2], words[3]
    one, three, eight = np.uint64(1), np.uint64(3), np.uint64(8)
    eleven, twenty_four, forty = np.uint64(11), np.uint64(24), np.uint64(40)
    low32 = np.uint64(0xFFFFFFFF)
    for r in range(out.shape[0]):
        row = out[r]
        for i in range(n):
            if has_half:
                has_half = False
                bits = half
            else:
                x = a + b + w
                w += one
                a = b ^ (b >> eleven)
                b = c + (c << three)
                c = ((c << twenty_four) | (c >> forty)) + x
                half = x >> np.uint64(32)
                has_half = True
                bits = x & low32
            row[i] = np.float32(bits >> eight) * _SCALE
    words[0], words[1], words[2], words[3] = a, b, c, w
    return has_half, half
