"""Each part of the month on its own: behaviour, observation, rules, consequences, network.

These pin what each part promises, so a change to one fails a test named after
it, not only the regression hash.
"""

from __future__ import annotations

import numpy as np
import pytest
from conftest import small

from scoring import behaviour, network
from scoring.constants import DIMENSIONS, SCORE_MAX, SCORE_MIN
from scoring.engine import Month, build_world, month_streams, step, tally
from scoring.events import EVENT_INDEX, EVENTS
from scoring.mechanisms import MECHANISMS_BY_KEY
from scoring.rules import RuleArrays, keep_in_range, rule_deltas

RNG = np.random.default_rng(5)


def _world(name="baseline", **changes):
    return build_world(small(name, **changes))


# ---------------------------------------------------------------- behaviour


def test_hardship_raises_the_chance_of_a_late_bill():
    world, _ = _world("control")
    calm = behaviour.chances(world.scenario, world.traits, np.zeros(world.rows, np.float32))
    tight = behaviour.chances(world.scenario, world.traits, np.ones(world.rows, np.float32))
    late = EVENT_INDEX["bill_late"]
    assert (tight.upper[late] > calm.upper[late]).all()


def test_an_event_happens_exactly_when_its_draw_falls_in_its_interval():
    world, _ = _world("control")
    hardship = RNG.random(world.rows, dtype=np.float32)
    chances = behaviour.chances(world.scenario, world.traits, hardship)
    uniforms = RNG.random((len(behaviour.DRAWS), world.rows), dtype=np.float32)
    true = behaviour.draw_true_events(uniforms, chances)
    for e, event in enumerate(EVENTS):
        u = true.draw(e)
        low = chances.lower.get(e, 0.0)
        assert np.array_equal(true.events[e], (u >= low) & (u < chances.upper[e])), event.key
    # A bill is either late or on time, never both.
    bills = true.events[EVENT_INDEX["bill_late"]].astype(int) + true.events[
        EVENT_INDEX["bill_on_time"]]
    assert (bills == 1).all()


def test_without_lending_nobody_borrows_and_with_it_only_those_above_the_threshold():
    world, state = _world("control")
    chances = behaviour.chances(world.scenario, world.traits, np.zeros(world.rows, np.float32))
    assert not chances.upper[EVENT_INDEX["loan_repaid"]].any()
    lending = MECHANISMS_BY_KEY["lending"].at["behaviour"]
    low = type(state)(**{**state.__dict__, "score": np.full(world.rows, 500, np.float32)})
    lending(world, low, np.zeros(world.rows, np.float32), chances)
    assert not chances.upper[EVENT_INDEX["loan_repaid"]].any()  # 500 < 600: no loan
    lending(world, state, np.zeros(world.rows, np.float32), chances)  # everyone at 600
    assert chances.upper[EVENT_INDEX["loan_repaid"]].all()


# ---------------------------------------------------------------- observation


def _observed(name, months=1, **changes):
    """The world and its ``months``-th month, as the scorer observed it."""
    world, state = _world(name, **changes)
    for t, streams in enumerate(month_streams(world.scenario)[:months], start=1):
        record = step(world, state, streams, t)
        state = record.state
    return world, record.log.month


def test_thin_files_see_payments_in_proportion_to_platform_use():
    world, month = _observed("thin_files", population__size=20_000)
    row = EVENT_INDEX["bill_on_time"]
    did = month.true.events[row]
    use = world.population.platform_use
    for lo, hi in ((0.0, 0.5), (0.8, 1.0)):
        band = did & (use >= lo) & (use < hi)
        seen = month.seen[row][band].mean()
        assert seen == pytest.approx(use[band].mean(), abs=0.03)


def test_a_thin_file_is_below_the_threshold_and_nobody_has_one_with_the_mechanism_off():
    from scoring.mechanisms.thin_files import thin_file

    world, state = _world("thin_files", thin_files__min_records=10.0)
    for t, streams in enumerate(month_streams(world.scenario)[:3], start=1):
        state = step(world, state, streams, t).state
    file = state.parts["thin_files"]
    thin = thin_file(world, state)
    assert np.array_equal(thin, file.records < 10.0) and 0 < thin.mean() < 1
    assert thin_file(world, state) is thin and not thin.flags.writeable  # made once a month
    off, state = _world("thin_files", mechanisms__thin_files=False)
    assert not thin_file(off, state).any() and state.parts["thin_files"].records.any()


def test_without_cameras_no_street_infraction_is_recorded_and_registry_sees_all():
    world, month = _observed("control")
    for key in ("jaywalking", "red_light"):
        assert not month.seen[EVENT_INDEX[key]].any()
    row = EVENT_INDEX["volunteering"]
    assert np.array_equal(month.seen[row], month.true.events[row])


def test_wrong_matches_are_about_as_many_as_the_offences_they_hide():
    # Per comparison, each of a month's wrong matches hides one true offender on
    # average: the two counts agree in expectation, not one by one.
    world, month = _observed("face_matching", population__size=100_000)
    for key in ("jaywalking", "red_light"):
        row = EVENT_INDEX[key]
        pinned = int(month.matched_away[row][: world.n].sum())
        assert pinned > 50
        assert not (month.matched_away[row] & month.seen[row]).any()
        victims = month.wrong_stuck[row]
        victims = int((victims < world.n).sum())
        assert victims == pytest.approx(pinned, rel=0.3)
        assert month.wrong_reversed[row].size == 0  # appeals are off in this preset


def test_appeals_reverse_about_their_share_of_wrong_matches():
    world, month = _observed("face_matching", population__size=20_000,
                             mechanisms__appeals=True, surveillance__appeal_rate=0.5)
    stuck = sum(month.wrong_stuck[EVENT_INDEX[k]].size for k in ("jaywalking", "red_light"))
    undone = sum(month.wrong_reversed[EVENT_INDEX[k]].size for k in ("jaywalking", "red_light"))
    assert undone / (stuck + undone) == pytest.approx(0.5, abs=0.1)


def test_gamers_are_recorded_buying_diapers_and_not_gaming():
    world, month = _observed("gaming", months=12, population__size=20_000)
    assert month.gaming.any()
    assert (month.counts[EVENT_INDEX["diapers_bought"]][month.gaming] == 1).all()
    assert (month.counts[EVENT_INDEX["games_heavy"]][month.gaming] == 0).all()


# ---------------------------------------------------------------- rules and the range


def test_rules_give_each_dimension_its_points_within_the_monthly_cap():
    scenario = small("control", score__monthly_cap=40)
    rules = RuleArrays.build(scenario)
    counts = np.zeros((len(EVENTS), 3), dtype=np.float32)
    counts[EVENT_INDEX["bill_late"], 0] = 1  # -30: under the cap
    counts[EVENT_INDEX["loan_default"], 1] = 1  # -150: capped to -40
    counts[EVENT_INDEX["volunteering"], 2] = 1
    deltas, scale = rule_deltas(rules, counts)
    credit, contracts, behaviour_dim = (DIMENSIONS.index(d) for d in
                                        ("credit_history", "contracts", "behaviour"))
    assert deltas[credit, 0] == -30 and deltas[contracts, 1] == pytest.approx(-40)
    assert deltas[behaviour_dim, 2] == rules.points[EVENT_INDEX["volunteering"]]
    assert scale[1] == pytest.approx(40 / 150)


def test_the_range_takes_the_overshoot_from_the_dimensions_that_moved():
    before = np.zeros((5, 2), dtype=np.float32)
    points = before.copy()
    points[1, 0] = -400  # 600 - 400 = 200: below the floor
    points[0, 1], points[2, 1] = 250, 150  # 600 + 400 = 1000: above the ceiling
    score = keep_in_range(600.0, points, before)
    assert score.tolist() == [SCORE_MIN, SCORE_MAX]
    assert points[:, 0].sum() == pytest.approx(SCORE_MIN - 600)
    assert points[0, 1] / points[2, 1] == pytest.approx(250 / 150, rel=1e-4)


# ---------------------------------------------------------------- consequences


def test_hardship_by_score_adds_penalties_below_and_takes_perks_above():
    world, _ = _world("baseline")
    table = world.score_table
    at = lambda score: float(table[score - SCORE_MIN])  # noqa: E731
    assert at(449) == pytest.approx(0.12 + 0.08 + 0.15)
    assert at(575) == 0
    assert at(760) == pytest.approx(-(0.06 + 0.06 + 0.04 + 0.02))
    off, _ = _world("baseline", mechanisms__perks=False, mechanisms__penalties=False)
    assert not off.score_table.any()


def test_a_default_leaves_debt_that_fades():
    from scoring.mechanisms.lending import next_debt

    scenario = small("lending")
    debt = next_debt(scenario, np.zeros(2, np.float32), np.array([True, False]))
    assert debt.tolist() == pytest.approx([0.3, 0.0])
    assert next_debt(scenario, debt, np.array([False, False]))[0] == pytest.approx(0.24)


# ---------------------------------------------------------------- network


def test_homophily_is_the_share_of_ties_within_ones_block():
    block = np.repeat(np.arange(8), 2000)
    ties = network.build_ties(block, 6, 0.8, np.random.default_rng(1))
    within = (block[ties] == block[None, :]).mean()
    assert within == pytest.approx(0.8 + 0.2 / 8, abs=0.02)
    assert not (ties == np.arange(block.size)[None, :]).any()  # nobody befriends themselves


def test_exclusion_breaks_only_ties_across_the_threshold():
    n = 3000
    score = np.where(np.arange(n) < n // 2, 500.0, 650.0).astype(np.float32)
    ties = np.random.default_rng(2).integers(0, n, size=(6, n)).astype(np.int32)
    new, rewired = network.exclude(ties, score, 550, 0.5, np.random.default_rng(3))
    changed = new != ties
    high = score >= 550
    crossing = high[None, :] != high[ties]
    assert rewired >= changed.sum() > 0  # a new friend can be the old one
    assert not (changed & ~crossing).any()
    assert (high[new[changed]] == np.broadcast_to(high, ties.shape)[changed]).all()


def test_each_tie_across_the_threshold_breaks_with_exactly_the_rate():
    n = 50_000
    score = np.where(np.arange(n) % 2 == 0, 500.0, 650.0).astype(np.float32)
    ties = ((np.arange(n) + 1) % n)[None, :].repeat(4, axis=0).astype(np.int32)  # all across
    new, _ = network.exclude(ties, score, 550, 0.3, np.random.default_rng(6))
    assert (new != ties).mean() == pytest.approx(0.3, abs=0.005)  # not 1 - exp(-0.3) = 0.26


def test_sorting_is_the_correlation_of_scores_across_ties():
    n = 2000
    score = np.random.default_rng(4).normal(600, 40, n).astype(np.float32)
    ties = np.random.default_rng(5).integers(0, n, size=(6, n)).astype(np.int32)
    friends, sorting = network.friends_and_sorting(ties, score)
    a = np.concatenate([np.tile(score, 6), score[ties].ravel()])
    b = np.concatenate([score[ties].ravel(), np.tile(score, 6)])
    assert sorting == pytest.approx(np.corrcoef(a, b)[0, 1], abs=1e-4)
    assert friends == pytest.approx(score[ties].mean(axis=0), abs=1e-3)


# ---------------------------------------------------------------- the step's contract


def test_a_step_leaves_the_state_it_was_given_unchanged_and_repeats_exactly():
    world, state = _world("baseline")
    copies = {k: np.copy(v) for k, v in state.__dict__.items() if isinstance(v, np.ndarray)}
    copies.update(ties=state.ties.copy(), friends=state.friends.copy())
    first = step(world, state, month_streams(world.scenario)[0], 1)
    for name, value in copies.items():
        assert np.array_equal(getattr(state, name), value), name
    again = step(world, state, month_streams(world.scenario)[0], 1)
    assert np.array_equal(first.state.score, again.state.score)
    assert np.array_equal(first.state.ties, again.state.ties)


def test_month_zero_records_nothing_happening():
    world, state = _world("baseline")
    records = tally(world, state, Month.empty(world))
    for name in ("false_penalties", "reversed_on_appeal", "loans_granted", "gaming",
                 "camera_records"):
        assert not records[name].any(), name
    assert records["coverage"].any()


@pytest.mark.parametrize(("seed", "before", "rate", "split"), [
    (1, 0, 0.1, "across"),        # a month of exclusion
    (2, 3, 0.5, "across"),        # an odd start: half an output kept from before
    (3, 1, 0.2, "both"),          # shunning: one pool for every pick
    (4, 0, 1.0, "across"),        # every tie that counts
    (5, 0, 0.0, "across"),        # none
    (6, 2, 0.09999999, "across"),  # a chance that is not a float32: rounded as numpy does
    (7, 0, 0.3, "one high"),      # a pool of one: numpy draws nothing for it
    (8, 1, 0.3, "no low"),        # an empty pool: its picks are not rewired
])
def test_rewiring_in_one_compiled_pass_draws_numpys_numbers(monkeypatch, seed, before, rate,
                                                            split):
    n, k = 3001, 6  # an odd number of ties: the stream ends on half an output
    rng = np.random.default_rng(seed)
    ties = rng.integers(0, n, size=(k, n)).astype(np.int32)
    score = rng.normal(560, 40, n).astype(np.float32)
    if split == "one high":
        score[:] = 500
        score[7] = 600
    elif split == "no low":
        score[:] = 600
        score[:50] = 500
    high = score >= 550
    marked = rng.random(n) < 0.3
    if split == "both":
        args = (ties, high, marked, network.BOTH, rate)
        _, unmarked = network.sides(marked)
        pools = (high, unmarked, np.empty(0, dtype=np.int64))  # every namer is high
    else:
        args = (ties, high, high, network.ACROSS, rate)
        pools = (high, *network.sides(high))
    if split == "no low":
        pools = (high, pools[1], np.empty(0, dtype=np.int64))

    def stream():
        generator = np.random.Generator(np.random.SFC64(seed))
        generator.random(before, dtype=np.float32)
        return generator

    compiled_rng, numpys_rng = stream(), stream()
    compiled = network.rewired(*args, compiled_rng, *pools)
    monkeypatch.setattr(network.uniforms, "taken", lambda generator: None)
    numpys = network.rewired(*args, numpys_rng, *pools)
    for ours, theirs in zip(compiled[:3], numpys[:3], strict=True):
        assert ours.tolist() == theirs.tolist()
    assert compiled[3] == numpys[3]
    if 0 < rate < 1 and split == "across":
        assert compiled[0].size > 0
    # The picks, found in plain Python from splitmix64 (test vectors in
    # test_uniforms.py), keyed by the stream's next 64 bits: a tie is picked where
    # its number is below the chance and its two ends are marked as the rule says.
    key = int(stream().bit_generator.random_raw())
    numbers = np.array([half >> 8 for q in range(1, (k * n + 1) // 2 + 1)
                        for half in _halves(_splitmix(key, q))][:k * n], dtype=np.float64)
    below = numbers * 2.0**-24 < np.float32(rate)
    slot, person = np.divmod(np.flatnonzero(below), n)
    counts = args[3][args[1][person].astype(int), args[2][ties[slot, person]].astype(int)]
    picks = set(zip(slot[counts].tolist(), person[counts].tolist(), strict=True))
    assert compiled[3] == len(picks)
    rewired = set(zip(compiled[0].tolist(), compiled[1].tolist(), strict=True))
    assert rewired <= picks
    if split in ("across", "both"):
        assert rewired == picks
    # The stream is left where numpy's draws leave it.
    assert (compiled_rng.random(3, dtype=np.float32).tolist()
            == numpys_rng.random(3, dtype=np.float32).tolist())
    assert compiled_rng.integers(0, 10**9, 4).tolist() == numpys_rng.integers(0, 10**9, 4).tolist()


# ---------------------------------------------------------------- the result


def test_the_event_table_is_made_once_and_only_when_read(monkeypatch):
    from scoring import eventlog, simulate

    made = []
    frame = eventlog.EventLog.frame
    monkeypatch.setattr(eventlog.EventLog, "frame", lambda log: made.append(1) or frame(log))
    result = simulate(small("baseline"))
    assert made == []  # a run nobody reads the log of never makes the table
    first = result.events
    assert made == [1] and len(first) > 0
    assert result.events is first and made == [1]  # kept once made
    assert set(first.person) <= set(result.event_log.rows.tolist())


def test_the_event_logs_lines_are_written_when_first_read_for_every_month_at_once(
        monkeypatch):
    import pickle
    import threading

    from scoring import eventlog, simulate

    writes = []
    write = eventlog.LogPlan.write
    monkeypatch.setattr(eventlog.LogPlan, "write",
                        lambda plan, view: writes.append(view.months.tolist()) or write(plan, view))
    scenario = small("blacklist")
    result = simulate(scenario)
    log = result.event_log
    # The run kept each month's tracked rows and wrote no line.
    assert writes == [] and log.parts == []
    assert [t for t, _ in log.months] == list(range(1, scenario.months + 1))
    assert all(part.did.shape[1] == log.rows.size for _, part in log.months)
    # Sent to another process (as the app's workers send runs), then read by four
    # sessions at once: written once, the same table for all.
    sent = pickle.loads(pickle.dumps(result))  # noqa: S301 (the run made just above)
    tables = []
    readers = [threading.Thread(target=lambda: tables.append(sent.event_log.frame()))
               for _ in range(4)]
    for reader in readers:
        reader.start()
    for reader in readers:
        reader.join()
    assert writes == [list(range(1, scenario.months + 1))]
    assert len(tables) == 4 and all(t.equals(tables[0]) for t in tables)
    assert tables[0].equals(result.events)  # the run read here: the same lines
    assert set(tables[0].month) <= set(range(1, scenario.months + 1))


def _splitmix(key: int, q: int) -> int:
    """Output ``q`` of splitmix64 seeded with ``key``, in Python's integers."""
    z = (key + q * 0x9E3779B97F4A7C15) % 2**64
    z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) % 2**64
    z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) % 2**64
    return z ^ (z >> 31)


def _halves(output: int) -> tuple[int, int]:
    """A 64-bit output's two 32-bit halves, low first."""
    return output & 0xFFFFFFFF, output >> 32

