"""The compiled uniform draws give numpy's numbers and leave the stream as numpy would."""

from __future__ import annotations

import numpy as np
import pytest

from scoring import uniforms


@pytest.mark.parametrize(("seed", "k", "n", "rows", "before"), [
    (1, 10, 5000, 5020, 0),   # the month's draws: twins' columns left for the caller
    (2, 5, 7, 9, 3),          # an odd count: half an output carried from row to row
    (3, 3, 1, 1, 1),
    (4, 2, 100_001, 100_001, 2),
    (5, 4, 2, 2, 1),          # rows of two that start on a kept half
])
def test_fill_gives_numpys_numbers_and_stream(seed, k, n, rows, before):
    ours = np.random.Generator(np.random.SFC64(seed))
    numpys = np.random.Generator(np.random.SFC64(seed))
    ours.random(before, dtype=np.float32)
    numpys.random(before, dtype=np.float32)
    got = np.zeros((k, rows), np.float32)
    expected = np.zeros((k, rows), np.float32)
    uniforms.fill(ours, got, n)
    for row in expected:
        numpys.random(dtype=np.float32, out=row[:n])
    assert np.array_equal(got, expected)
    # The stream's state is numpy's to the last word, the kept half included.
    state, numpys_state = ours.bit_generator.state, numpys.bit_generator.state
    assert state["state"]["state"].tolist() == numpys_state["state"]["state"].tolist()
    assert (state["has_uint32"], state["uinteger"]) == (numpys_state["has_uint32"],
                                                        numpys_state["uinteger"])
    # Whatever is drawn next, 32 or 64 bits at a time, is the same too.
    assert ours.random(3, dtype=np.float32).tolist() == numpys.random(3, dtype=np.float32).tolist()
    assert ours.random(2).tolist() == numpys.random(2).tolist()
    assert ours.integers(0, 10**9, size=4).tolist() == numpys.integers(0, 10**9, size=4).tolist()


def test_another_generator_is_drawn_by_numpy_itself():
    ours, numpys = np.random.default_rng(5), np.random.default_rng(5)
    got, expected = np.zeros((2, 9), np.float32), np.zeros((2, 9), np.float32)
    uniforms.fill(ours, got, 9)
    for row in expected:
        numpys.random(dtype=np.float32, out=row)
    assert np.array_equal(got, expected)


@pytest.mark.parametrize(("seed", "before", "high", "size"), [
    (1, 0, 5000, 3000),         # new friends from a pool of persons
    (2, 3, 7, 1000),            # an odd start; a small bound, so draws are redrawn
    (3, 1, 1, 10),              # one in the pool: numpy draws nothing
    (4, 0, 3_000_000_001, 500),  # near 2**32: most draws are redrawn
    (5, 2, 2**32 - 1, 20),
    (6, 0, 100, 0),
])
def test_integers_gives_numpys_numbers_and_stream(seed, before, high, size):
    ours = np.random.Generator(np.random.SFC64(seed))
    numpys = np.random.Generator(np.random.SFC64(seed))
    ours.random(before, dtype=np.float32)
    numpys.random(before, dtype=np.float32)
    got = uniforms.integers(ours, high, size)
    assert got.dtype == np.int64
    assert got.tolist() == numpys.integers(high, size=size).tolist()
    assert ours.random(3, dtype=np.float32).tolist() == numpys.random(3, dtype=np.float32).tolist()
    assert ours.integers(0, 10**9, size=4).tolist() == numpys.integers(0, 10**9, size=4).tolist()
