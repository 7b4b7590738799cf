"""The compiled loops: used by a run, cached on disk, and equal to plain numpy."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import numba
import numpy as np
import pytest
from conftest import small

from scoring import behaviour, compiled, engine, network, rules, simulate, uniforms
from scoring.mechanisms import (
    adaptive_cameras,
    blacklist,
    face_matching,
    friends,
    gaming,
    lending,
    thin_files,
)

KERNELS = {
    "rules._rule_deltas": rules._rule_deltas,
    "rules._keep_in_range": rules._keep_in_range,
    "rules.by_score": rules.by_score,
    "rules.add_by_score_clipped": rules.add_by_score_clipped,
    "network._friends_and_moments": network._friends_and_moments,
    "network._rewired": network._rewired,
    "network.rewire": network.rewire,
    "network.sides": network.sides,
    "engine._keep": engine._keep,
    "engine._counts": engine._counts,
    "friends._pull_rows": friends._pull_rows,
    "gaming._gamed_records": gaming._gamed_records,
    "thin_files._file_after": thin_files._file_after,
    "blacklist._next_listing": blacklist._next_listing,
    "uniforms._fill": uniforms._fill,
    "uniforms._seeded": uniforms._seeded,
    "uniforms._doubles": uniforms._doubles,
    "adaptive_cameras._urn_after": adaptive_cameras._urn_after,
    "lending._loans": lending._loans,
    "gaming._gamers": gaming._gamers,
    "lending._debt_after": lending._debt_after,
    "face_matching._by_group": face_matching._by_group,
    "face_matching._pinned_elsewhere": face_matching._pinned_elsewhere,
    "face_matching._wrong_matches": face_matching._wrong_matches,
    "behaviour._between": behaviour._between,
    "behaviour._with_hardship": behaviour._with_hardship,
    "behaviour._seen_part": behaviour._seen_part,
    "behaviour._seen_from_zero": behaviour._seen_from_zero,
}


@pytest.mark.parametrize("name", sorted(KERNELS))
def test_a_run_goes_through_each_compiled_loop_and_keeps_its_code(name):
    simulate(small("baseline", mechanisms__blacklist=True))  # every loop of the month
    kernel = KERNELS[name]
    assert kernel.signatures, f"{name} was never called by a run"
    # Cached machine code: a fresh process loads it instead of compiling, from the
    # folder named by the digest of the engine's modules.
    assert type(kernel._cache).__name__ == "FunctionCache"
    folder = compiled.cache_folder()
    assert folder.name == compiled.PREFIX + compiled.source_digest()
    assert Path(kernel._cache._cache_path).is_relative_to(folder)


TOY_STEP = '''
import numba

@numba.njit(inline="always")
def step(x):
    return x + {by}
'''
TOY_LOOP = '''
from toy.compiled import kernel
from toy import step

@kernel
def run(x):
    return step.step(x)
'''


def _toy_run(root: Path, **extra: str) -> tuple[int, int]:
    """The toy loop's result in a fresh process, and how many of its loads came from disk."""
    env = {k: v for k, v in os.environ.items() if k != "NUMBA_CACHE_DIR"} | extra
    code = "from toy import loop; print(loop.run(1), sum(loop.run.stats.cache_hits.values()))"
    out = subprocess.run([sys.executable, "-c", code], cwd=root, env=env, capture_output=True,
                         text=True, check=True)
    value, hits = out.stdout.split()
    return int(value), int(hits)


def _toy(root: Path, by: int = 1) -> Path:
    """A package whose loop uses a function of another of its modules."""
    toy = root / "toy"
    toy.mkdir()
    shutil.copy(compiled.__file__, toy / "compiled.py")
    (toy / "__init__.py").write_text("")
    (toy / "loop.py").write_text(TOY_LOOP)
    (toy / "step.py").write_text(TOY_STEP.format(by=by))
    return toy


def test_a_change_to_another_module_reaches_a_cached_loop(tmp_path):
    # A loop that uses a function of another module (as the network's month runs the
    # generator's step from scoring.uniforms): numba alone checks only the loop's own
    # file, and an update of the other module left the old machine code running.
    toy = _toy(tmp_path)
    assert _toy_run(tmp_path) == (2, 0)  # compiled
    assert _toy_run(tmp_path) == (2, 1)  # loaded from disk
    first = sorted(p.name for p in (toy / "__pycache__").glob(compiled.PREFIX + "*"))
    assert len(first) == 1 and any((toy / "__pycache__" / first[0]).rglob("*.nbc"))

    (toy / "step.py").write_text(TOY_STEP.format(by=2))  # only the other module changes
    assert _toy_run(tmp_path) == (3, 0)  # compiled again
    assert _toy_run(tmp_path) == (3, 1)
    # One folder of machine code: the earlier version's is removed.
    after = sorted(p.name for p in (toy / "__pycache__").glob(compiled.PREFIX + "*"))
    assert len(after) == 1 and after != first


def test_with_nowhere_to_keep_machine_code_the_loops_still_run(tmp_path):
    # A read-only install run by a user without a home folder: no place can hold
    # machine code. numba on its own refuses to define a cached loop there (the
    # engine would not even import); the loops are compiled in each process instead.
    toy = _toy(tmp_path)
    (toy / "__pycache__").write_text("")  # a file: no folder can be made under it
    blocked = tmp_path / "blocked"
    blocked.write_text("")
    nowhere = {"HOME": str(blocked / "home"), "XDG_CACHE_HOME": str(blocked / "cache")}
    assert _toy_run(tmp_path, **nowhere) == (2, 0)
    assert _toy_run(tmp_path, **nowhere) == (2, 0)  # nothing kept: compiled again
    assert not any(tmp_path.rglob("*.nb[ic]"))


def test_machine_code_is_kept_once_a_run_has_compiled_it(tmp_path):
    simulate(small("baseline"))
    assert compiled.kept()  # this version's folder, filled by the run
    assert not compiled.kept(tmp_path)  # a version whose loops were never compiled
    (tmp_path / "loop.run-3.py311.nbi").write_bytes(b"")
    assert compiled.kept(tmp_path)


def test_rule_points_are_numpy_matrix_products_capped():
    scenario = small("baseline", score__monthly_cap=45)
    table = rules.RuleArrays.build(scenario)
    counts = np.random.default_rng(8).integers(0, 3, size=(len(table.points), 500))
    counts = counts.astype(np.float32)
    deltas, scale = rules.rule_deltas(table, counts)
    total = np.abs(table.points @ counts)
    expected_scale = np.minimum(1.0, 45 / np.maximum(total, 1e-9))
    assert scale == pytest.approx(expected_scale, rel=1e-6)
    assert deltas == pytest.approx((table.by_dimension @ counts) * expected_scale, abs=1e-4)
    # Counts as bytes (as a month keeps them) give the same points.
    small_counts = rules.rule_deltas(table, counts.astype(np.uint8))
    assert np.array_equal(small_counts[0], deltas) and np.array_equal(small_counts[1], scale)
    # Who did what, as booleans, gives the same points as counts of 0 and 1.
    did = counts > 1
    assert np.array_equal(rules.rule_deltas(table, did)[0],
                          rules.rule_deltas(table, did.astype(np.float32))[0])


def test_inverse_cdf_counts_follow_the_poisson_law():
    u = np.random.default_rng(9).random(200_000, dtype=np.float32)
    lam = np.full(u.size, 1.5)
    counts = face_matching.poisson_counts(u, lam)
    assert counts.mean() == pytest.approx(1.5, abs=0.02)
    assert counts.var() == pytest.approx(1.5, abs=0.05)
    assert (counts == 0).mean() == pytest.approx(np.exp(-1.5), abs=0.005)


def test_counts_by_group_and_district_are_numpys_of_the_real_persons():
    world, _ = engine.build_world(small("baseline"))
    mask = np.random.default_rng(10).random(world.rows) < 0.3
    by_group, by_district = world.counts(mask)
    real = mask[: world.n]
    minority = world.population.group[: world.n] == 1
    assert by_group.tolist() == [np.count_nonzero(real & ~minority),
                                 np.count_nonzero(real & minority)]
    expected = np.bincount(world.population.district[: world.n][real],
                           minlength=len(world.scenario.districts))
    assert by_district.tolist() == expected.tolist()
    assert world.by_group(mask).tolist() == by_group.tolist()
    # Several rows of a 2-d mask in one call: each row's counts added together.
    masks = np.random.default_rng(11).random((5, world.rows)) < 0.4
    rows = np.array([0, 3, 4])
    together = world.counts(masks, rows=rows)
    one_by_one = [world.counts(masks[r]) for r in rows]
    assert together[0].tolist() == sum(c[0] for c in one_by_one).tolist()
    assert together[1].tolist() == sum(c[1] for c in one_by_one).tolist()
    assert world.counts(masks, rows=rows[:0])[1].tolist() == [0] * by_district.size
    with pytest.raises(ValueError, match="persons"):
        world.counts(mask[: world.n - 1])
    for outside in (5, -1):  # never a read of memory beyond the mask
        with pytest.raises(IndexError, match="does not have"):
            world.counts(masks, rows=np.array([0, outside]))


@pytest.mark.parametrize("visibility", [0.37, np.float64(0.37), "float32", "float64"])
def test_the_seen_part_of_an_interval_is_numpys(visibility):
    rng = np.random.default_rng(11)
    n = 4000
    true, chances = _true_month(rng, n)
    if isinstance(visibility, str):
        visibility = rng.random(n).astype(visibility)
    for e in range(len(chances.upper)):
        u, upper, lower = true.draw(e), chances.upper[e], chances.lower.get(e)
        # numpy's own rules: a Python number acts as float32, an array as its dtype.
        expected = (u < upper * visibility if lower is None
                    else (u >= lower) & (u < lower + (upper - lower) * visibility))
        assert np.array_equal(true.seen_part(e, visibility), expected), e
        assert np.array_equal(true.events[e], (u < upper) & (u >= (0 if lower is None else lower)))


def test_the_seen_part_by_place_reads_each_rows_share_at_its_place():
    rng = np.random.default_rng(13)
    n = 4000
    true, chances = _true_month(rng, n)
    share = np.array([0.9, 0.15, 0.55, 0.0])
    where = rng.integers(0, share.size, n).astype(np.int8)
    for e in range(len(chances.upper)):
        by_place = true.seen_part(e, share, where=where)
        assert np.array_equal(by_place, true.seen_part(e, share[where])), e
        assert not by_place[where == 3].any()  # nobody is seen where nothing looks
    with pytest.raises(ValueError, match="one share per place"):
        true.seen_part(0, 0.5, where=where)


def test_the_chances_hardship_moves_are_numpys():
    rng = np.random.default_rng(15)
    n = 4000
    scenario = small("baseline")
    rates = scenario.behaviour
    traits = _traits(n)
    hardship = rng.random(n, dtype=np.float32) * np.float32(4)  # past 1: the clip bites
    chances = behaviour.chances(scenario, traits, hardship)
    # The formulas as numpy computes them, float32 throughout.
    late = np.clip(rates.bill_late_base * traits.unreliable
                   + rates.hardship_late_effect * hardship, 0.0, 0.95)
    rental = rates.rental_use * np.clip(behaviour.RENTAL_LATE_BASE * traits.unreliable
                                        + behaviour.RENTAL_LATE_HARDSHIP * hardship, 0.0, 0.95)
    volunteering = rates.volunteering_rate * traits.civic * (1.0 - 0.5 * hardship)
    index = behaviour.EVENT_INDEX
    assert np.array_equal(chances.upper[index["bill_late"]], late)
    assert np.array_equal(chances.lower[index["bill_on_time"]], late)
    assert np.array_equal(chances.upper[index["rental_late"]], rental)
    assert np.array_equal(chances.lower[index["rental_on_time"]], rental)
    assert np.array_equal(chances.upper[index["volunteering"]], volunteering)
    assert (late == np.float32(0.95)).any() and late.min() >= 0


def _true_month(rng, n):
    """A month of true events of ``n`` persons with random draws and hardship."""
    uniforms = rng.random((len(behaviour.DRAWS), n), dtype=np.float32)
    chances = behaviour.chances(small("baseline"), _traits(n),
                                rng.random(n, dtype=np.float32))
    return behaviour.draw_true_events(uniforms, chances), chances


def _traits(n):
    rng = np.random.default_rng(12)
    return behaviour.Traits.build(small("baseline"), rng.random(n), rng.random(n),
                                  rng.random(n), rng.random(n) < 0.3, rng.random(n) < 0.2,
                                  rng.random(n) < 0.5)


def test_the_compile_command_readies_every_loop(capsys):
    from scoring import cli

    assert cli.main(["compile"]) == 0
    assert "compiled loops are ready" in capsys.readouterr().out
    assert all(kernel.signatures for kernel in KERNELS.values())


def test_work_beside_the_month_gives_the_same_run(monkeypatch):
    scenario = small("baseline", mechanisms__blacklist=True)
    monkeypatch.setattr(engine, "BESIDE_FROM", 10**9)
    alone = simulate(scenario)
    # The true score, the network and the keeping of each month on the second thread.
    monkeypatch.setattr(engine, "BESIDE_FROM", 1)
    beside = simulate(scenario)
    assert engine._BESIDE, "the second thread was never used"
    for name in ("score", "true_score", "subscores", "sorting"):
        assert np.array_equal(getattr(alone, name), getattr(beside, name)), name
    assert alone.records.keys() == beside.records.keys()
    for name, values in alone.records.items():
        assert np.array_equal(values, beside.records[name]), name
    assert alone.events.equals(beside.events)


def _final_mean_score(scenario):
    return float(simulate(scenario).score[-1].mean())


def test_a_process_forked_after_a_big_run_runs_its_own(monkeypatch):
    # Seeds and sweeps run in forked processes; the parent's second thread is not
    # theirs, and handing work to it would wait forever.
    from multiprocessing import get_context

    monkeypatch.setattr(engine, "BESIDE_FROM", 1)
    scenario = small("baseline")
    here = _final_mean_score(scenario)
    assert engine._BESIDE
    with get_context("fork").Pool(1) as pool:
        there = pool.apply_async(_final_mean_score, (scenario,)).get(timeout=30)
    assert there == here


def test_applying_the_rules_adds_their_capped_points():
    table = rules.RuleArrays.build(small("baseline"))
    counts = np.random.default_rng(13).integers(0, 3, size=(len(table.points), 300))
    before = np.random.default_rng(14).normal(0, 40, (5, 300)).astype(np.float32)
    deltas, scale = rules.rule_deltas(table, counts.astype(np.uint8))
    after, same_scale = rules.apply_rules(table, before, counts.astype(np.uint8))
    assert np.array_equal(after, before + deltas) and np.array_equal(scale, same_scale)


@pytest.mark.parametrize("pack_from", [0, 10**9])
def test_friends_true_scores_are_read_with_the_recorded_ones_packed_or_not(monkeypatch,
                                                                           pack_from):
    monkeypatch.setattr(network, "PACK_FROM", pack_from)
    rng = np.random.default_rng(14)
    n = 3000
    score = rng.normal(600, 40, n + 7).astype(np.float32)  # twins' rows after the persons
    true_score = rng.normal(620, 30, n + 7).astype(np.float32)
    ties = rng.integers(0, n, size=(6, n)).astype(np.int32)
    friends, sorting, true_friends = network.read_friends(ties, score, true_score)
    alone = network.friends_and_sorting(ties, score)
    assert np.array_equal(friends, alone[0]) and sorting == alone[1]
    expected = (true_score[ties].astype(np.float64).sum(axis=0) / 6).astype(np.float32)
    assert np.array_equal(true_friends, expected)
    assert network.read_friends(ties, score)[2] is None


_SUM = numba.njit(lambda a: compiled.numpy_sum(a))


@pytest.mark.parametrize("n", [0, 1, 2, 5, 7, 8, 9, 15, 16, 17, 63, 64, 127, 128])
def test_a_compiled_sum_adds_in_numpys_order(n):
    # Numbers of very different sizes: another order of adding gives other bits.
    rng = np.random.default_rng(n)
    for _ in range(300):
        a = rng.random(n) * 10.0 ** rng.integers(-8, 8, n)
        assert _SUM(a) == a.sum()
    with pytest.raises(ValueError, match="128"):
        _SUM(np.ones(129))


def _numpys_urn(urn, draws, true_by_district, correct):
    """The cameras' month on the urn as numpy wrote it (before the compiled loop)."""
    shares = urn / urn.sum()
    went = np.minimum(np.searchsorted(np.cumsum(shares), draws[0], side="right"), len(urn) - 1)
    found = draws[1] < (true_by_district / true_by_district.max())[went]
    weight = 1.0 / shares[went] / len(urn) if correct else np.ones(went.size)
    urn = urn + np.bincount(went[found], weights=weight[found], minlength=len(urn))
    return urn / urn.sum(), urn


@pytest.mark.parametrize("correct", [False, True])
def test_cameras_following_the_records_move_as_numpy_moved_them(correct):
    rng = np.random.default_rng(21 + correct)
    for _ in range(400):
        d = int(rng.integers(1, 9))
        urn = rng.random(d) * 10.0 ** rng.integers(0, 4, d)
        urn[rng.random(d) < 0.2] = 0.0  # districts the urn has no record of
        if not urn.any():
            urn[0] = 1.0
        draws = rng.random((2, int(rng.integers(1, 40))))
        true_by_district = rng.integers(0, 50, d).astype(np.float64)
        true_by_district[int(rng.integers(d))] += 1  # some infraction somewhere
        ours = adaptive_cameras._urn_after(urn, draws[0], draws[1], true_by_district, correct)
        theirs = _numpys_urn(urn, draws, true_by_district, correct)
        assert ours[0].tolist() == theirs[0].tolist()
        assert ours[1].tolist() == theirs[1].tolist()


@pytest.mark.parametrize("same_repayment", [False, True])
def test_loans_chances_are_numpys(same_repayment):
    rng = np.random.default_rng(31 + same_repayment)
    n = 20_000
    score = rng.normal(600, 60, n).astype(np.float32)
    score[:50] = 600.0  # at the threshold: granted
    thin = rng.random(n) < 0.1
    hardship = rng.random(n).astype(np.float32)
    hardship[:20] = 1.0
    unreliable = (rng.random(n) * 4).astype(np.float32)  # some above the 0.95 cap
    need, defaults = lending._loans(
        score, thin, hardship, unreliable, np.float32(600), np.float32(0.05),
        np.float32(lending.DEFAULT_BASE), np.float32(lending.DEFAULT_HARDSHIP), same_repayment,
        np.float32(1.0 - 0.7))
    # The numpy code the loop replaces.
    granted = (score >= 600) & ~thin
    numpys_need = (0.05 * (1.0 + hardship)) * granted
    p_default = (np.float32(1.0 - 0.7) if same_repayment else np.clip(
        lending.DEFAULT_BASE * unreliable + lending.DEFAULT_HARDSHIP * hardship, 0.0, 0.95))
    assert np.array_equal(need, numpys_need) and need.dtype == numpys_need.dtype
    assert np.array_equal(defaults, numpys_need * p_default)
    assert (need[:50][~thin[:50]] > 0).all()  # at the threshold, a file thick enough


def test_who_games_is_numpys_window_test():
    rng = np.random.default_rng(41)
    score = rng.uniform(540, 780, 50_000).astype(np.float32)
    score[:8] = [580, 600, 599.99, 650, 630, 700, 749.5, 750]  # the windows' edges
    draw = rng.random(50_000).astype(np.float32)
    scenario = small("gaming", gaming__window=20, gaming__propensity=0.3)
    thresholds = gaming.gaming_thresholds(scenario)
    ours = gaming.who_games(scenario, score, thresholds, draw)
    near = np.zeros(score.shape, dtype=bool)  # the numpy code the loop replaces
    for threshold in thresholds:
        near |= (score < threshold) & (score >= threshold - 20)
    assert np.array_equal(ours, near & (draw < 0.3)) and 0.01 < ours.mean() < 0.5


def test_debt_fades_and_grows_as_numpy_computed_it():
    rng = np.random.default_rng(43)
    debt = rng.random(20_000).astype(np.float32)
    defaulted = rng.random(20_000) < 0.2
    scenario = small("lending", lending__debt_fade=0.8, lending__default_debt=0.3)
    expected = np.minimum(debt * 0.8 + 0.3 * defaulted, 1.0).astype(np.float32)
    got = lending.next_debt(scenario, debt, defaulted)
    assert np.array_equal(got, expected) and got.dtype == np.float32 and (got == 1.0).any()


def test_wrong_matches_are_counted_by_group_among_real_persons_only():
    rng = np.random.default_rng(44)
    group = rng.integers(0, 2, 1000).astype(np.int8)
    victims = {2: np.sort(rng.integers(0, 1000, 40)), 5: np.empty(0, dtype=np.int64),
               7: np.sort(rng.integers(0, 1000, 9))}
    rows = np.concatenate(list(victims.values()))  # the numpy code the loop replaces
    expected = np.bincount(group[rows[rows < 900]], minlength=2)
    assert face_matching.victims_by_group(victims, group, 900).tolist() == expected.tolist()


def test_a_table_by_score_reads_each_scores_whole_points():
    table = np.random.default_rng(45).random(951 - 350).astype(np.float32)
    score = np.random.default_rng(46).uniform(350, 950, 10_000).astype(np.float32)
    score[:3] = [350.0, 949.99, 950.0]
    expected = np.take(table, score.astype(np.int32) - 350)  # the numpy code it replaces
    assert np.array_equal(rules.by_score(table, score), expected)
    with pytest.raises(IndexError, match="350-950"):
        rules.by_score(table, np.array([951.0], dtype=np.float32))


def test_hardship_by_score_is_added_and_clipped_as_numpy_did():
    rng = np.random.default_rng(48)
    table = rng.uniform(-0.6, 0.6, 951 - 350).astype(np.float32)
    score = rng.uniform(350, 950, 10_000).astype(np.float32)
    score[:3] = [350.0, 949.99, 950.0]
    hardship = rng.uniform(-0.2, 1.2, score.size).astype(np.float32)
    expected = hardship.copy()
    expected += rules.by_score(table, score)  # the numpy steps it replaces
    np.clip(expected, 0.0, 1.0, out=expected)
    rules.add_by_score_clipped(hardship, table, score)
    assert hardship.dtype == np.float32
    assert np.array_equal(hardship, expected)
    assert hardship.min() == 0.0 and hardship.max() == 1.0  # both ends were reached
    with pytest.raises(IndexError, match="350-950"):
        rules.add_by_score_clipped(hardship[:1], table, np.array([349.0], dtype=np.float32))


@pytest.mark.parametrize("reversal", [0.0, 0.3, 1.0])
def test_wrong_matches_and_their_appeals_are_the_numpy_steps(reversal):
    rng = np.random.default_rng(47)
    u = rng.random(20_000).astype(np.float32)
    kind = rng.integers(0, 4, 20_000).astype(np.uint8)
    lam = np.array([0.01, 0.05, 0.2, 1.5])
    appeal = rng.random(20_000).astype(np.float32)
    stuck, reversed_ = face_matching._wrong_matches(u, kind, lam, np.exp(-lam), appeal,
                                                    np.float32(reversal))
    # The numpy steps they replace: the rows hit, then appeals below the rate.
    hit = face_matching._matched_rows(u, kind, lam, np.exp(-lam))
    undone = appeal[hit] < np.float32(reversal)
    assert stuck.tolist() == hit[~undone].tolist() and reversed_.tolist() == hit[undone].tolist()
    assert hit.size > 100 and (reversed_.size == 0) == (reversal == 0.0)


@pytest.mark.parametrize("from_zero", [True, False])
def test_records_pinned_elsewhere_leave_what_is_seen(from_zero):
    rng = np.random.default_rng(48 + from_zero)
    rows, n = 3_000, 2_990  # twins after the real persons
    u = rng.random(rows).astype(np.float32)
    upper = rng.random(rows).astype(np.float32)
    lower = None if from_zero else upper * np.float32(0.3)
    chance = rng.random(5) * 0.5  # per district, float64 as the coverage is
    district = rng.integers(0, 5, rows).astype(np.int8)
    seen = rng.random(rows) < 0.5
    before = seen.copy()
    pinned = np.zeros(rows, dtype=bool)
    records = face_matching._pinned_elsewhere(seen, pinned, u, lower, upper, chance, district, n)
    v = chance[district]  # the seen part, as TrueMonth.seen_part reads it
    expected = (u < upper * v if from_zero else
                (u >= lower) & (u < lower + (upper - lower) * v))
    assert records == before[:n].sum()
    assert np.array_equal(pinned, expected) and pinned.any()
    assert np.array_equal(seen, before & ~expected)
