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


@pytest.mark.parametrize(("seed", "before", "count", "chance"), [
    (1, 0, 600_000, 0.1),       # a month of ties
    (2, 3, 7, 0.5),             # an odd start: half an output kept from before
    (3, 1, 100_001, 0.3),
    (4, 0, 10, 1.0),            # every number
    (5, 0, 10, 0.0),            # none
    (6, 2, 1000, 0.09999999),   # a chance that is not a float32: rounded as numpy does
])
def test_below_gives_the_positions_numpys_numbers_give_and_the_same_stream(seed, before, count,
                                                                         chance):
    ours = np.random.Generator(np.random.SFC64(seed))
    numpys = np.random.Generator(np.random.SFC64(seed))
    ours.random(before, dtype=np.float32)
    numpys.random(before, dtype=np.float32)
    got = uniforms.below(ours, count, chance)
    expected = np.flatnonzero(numpys.random(count, dtype=np.float32) < np.float32(chance))
    assert np.array_equal(got, expected)
    if 0 < chance < 1:
        assert got.size == pytest.approx(count * chance, rel=0.2)
    assert ours.random(3, dtype=np.float32).tolist() == numpys.random(3, dtype=np.float32).tolist()
    assert ours.integers(0, 10**9, size=4).tolist() == numpys.integers(0, 10**9, size=4).tolist()


def test_below_on_another_generator_is_numpys():
    ours, numpys = np.random.default_rng(7), np.random.default_rng(7)
    assert np.array_equal(uniforms.below(ours, 50, 0.4),
                          np.flatnonzero(numpys.random(50, dtype=np.float32) < np.float32(0.4)))
