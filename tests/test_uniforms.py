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


def _numpys_month(seed: int, part: int, t: int, months: int) -> np.random.Generator:
    """Month ``t``'s generator of one part, made the way numpy makes it."""
    child = np.random.SeedSequence(seed).spawn(5)[part].spawn(months)[t]
    return np.random.Generator(np.random.SFC64(child))


@pytest.mark.parametrize("seed", [0, 7, 11, 65_535, 2**31 + 5, 2**32 - 1])
def test_month_streams_are_numpys_seed_sequence_children(seed):
    months = 13
    streams = uniforms.month_streams(seed, (2, 3, 4), months)
    assert [len(part) for part in streams] == [months] * 3
    for p, part in enumerate((2, 3, 4)):
        for t in (0, 1, 12):
            ours, numpys = streams[p][t], _numpys_month(seed, part, t, months)
            assert ours.words.tolist() == numpys.bit_generator.state["state"]["state"].tolist()
            # The same numbers, 32 bits and 64 bits at a time, in any order: an odd
            # count of 32-bit draws leaves half an output kept, which 64-bit draws skip.
            got = np.zeros((2, 5), np.float32)
            uniforms.fill(ours, got, 5)
            assert got.ravel().tolist() == numpys.random(10, dtype=np.float32).tolist()
            one = np.zeros((1, 3), np.float32)
            uniforms.fill(ours, one, 3)
            assert one[0].tolist() == numpys.random(3, dtype=np.float32).tolist()
            assert ours.random((2, 3)).tolist() == numpys.random((2, 3)).tolist()
            assert (uniforms.integers(ours, 1000, 7).tolist()
                    == numpys.integers(1000, size=7).tolist())
            one = np.zeros((1, 1), np.float32)
            uniforms.fill(ours, one, 1)  # from a kept half, or a new output, as numpy
            assert one[0, 0] == numpys.random(dtype=np.float32)


def test_a_seed_numpy_would_split_in_two_words_is_refused():
    with pytest.raises(ValueError, match="seed"):
        uniforms.month_streams(2**32, (2,), 1)


def test_a_runs_streams_draw_what_numpys_generators_drew():
    from scoring import engine
    from scoring.presets import load_preset
    from scoring.scenario import with_changes

    scenario = with_changes(load_preset("baseline"), {"months": 4, "seed": 99})
    for t, streams in enumerate(engine.month_streams(scenario)):
        for part, stream in zip((2, 3, 4), (streams.behaviour, streams.observation,
                                            streams.network), strict=True):
            assert stream.random(4).tolist() == _numpys_month(99, part, t, 4).random(4).tolist()


def test_position_bits_are_splitmix64s_outputs_half_by_half():
    # Vigna's splitmix64.c seeded with 0 starts e220a8397b1dcdaf, 6e789e6aa1b965f4.
    first, second = 0xE220A8397B1DCDAF, 0x6E789E6AA1B965F4
    expected = [(first & 0xFFFFFFFF) >> 8, first >> 40, (second & 0xFFFFFFFF) >> 8]
    assert uniforms.position_bits(np.uint64(0), 3).tolist() == expected
    # Any key: the same as the compiled loops' splitmix, position by position,
    # the sum key + q x gamma wrapping around 2**64.
    key = np.uint64(2**64 - 5)
    bits = uniforms.position_bits(key, 7)
    compiled = [int(uniforms.splitmix(key, np.uint64(q))) for q in range(1, 5)]
    assert bits.tolist() == [h >> 8 for z in compiled for h in (z & 0xFFFFFFFF, z >> 32)][:7]
    assert bits.max() < 2**24


def test_numbers_at_positions_are_uniform_and_independent_of_their_neighbours():
    bits = uniforms.position_bits(np.uint64(12345), 200_000).astype(np.float64) / 2**24
    counts = np.histogram(bits, bins=20, range=(0.0, 1.0))[0]
    expected = bits.size / 20
    chi_square = float(((counts - expected) ** 2 / expected).sum())
    assert chi_square < 43.8  # 19 degrees of freedom, 1 in 1,000 above
    assert abs(np.corrcoef(bits[:-1], bits[1:])[0, 1]) < 0.01  # side by side
    assert abs(np.corrcoef(bits[0::2], bits[1::2])[0, 1]) < 0.01  # two halves of one output
    other = uniforms.position_bits(np.uint64(12346), 200_000).astype(np.float64) / 2**24
    assert abs(np.corrcoef(bits, other)[0, 1]) < 0.01  # keys one apart
