"""The monthly loop: ``simulate(scenario) -> Result``.

A run is a :class:`World` (what stays fixed: the people, the rules, the
mechanisms switched on), a :class:`State` (what changes: points, scores,
ties, each mechanism's own part) and :func:`step`, which takes a state and
the month's random streams and returns the next state and a
:class:`MonthRecord`. A :class:`Collector` stacks the records into the
:class:`Result`, counting each month's tallies as it keeps it; the step
records nothing itself and the collector changes no state.

One month runs these points, each mechanism that is on acting at its own
(:data:`scoring.mechanisms.POINTS`, in registry order):

1. consequences: last month's score and each mechanism's hardship;
2. behaviour: true events are drawn (:mod:`scoring.behaviour`);
3. observation and recording: what the scorer sees of them;
4. scoring: rules turn records into points per dimension, friends pull,
   memory fades, scores are kept in range;
5. network and update: ties, debt, cameras for next month.

Alongside the recorded score runs the *true-behaviour score*: the same rules
applied to everything people truly did, every act seen by the right person,
nothing gamed. The gap between the two is what observation adds.

One seed drives everything through child streams (population, network,
behaviour, observation, exclusion), split again by month, so the same
scenario gives byte-identical results and changing one rule does not
reshuffle anyone's luck.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

import numpy as np
import pandas as pd

from personas.cast import CAST
from scoring import behaviour, network, uniforms
from scoring.compiled import kernel
from scoring.constants import DIMENSIONS, SCORE_MAX, SCORE_MIN
from scoring.eventlog import EventLog, LogView
from scoring.events import CAMERA_EVENTS, EVENT_INDEX, EVENTS
from scoring.law import lawful
from scoring.mechanisms import REGISTRY, Mechanism
from scoring.population import People, build_population
from scoring.rules import RuleArrays, add_by_score_clipped, apply_rules, keep_in_range, total_score
from scoring.scenario import Scenario

_CAMERA_ROWS = tuple(EVENT_INDEX[k] for k in CAMERA_EVENTS)
# The observation stream's draws per person each month, in a fixed layout
# whatever is switched on: name -> how many rows of draws.
OBSERVATION_DRAWS: dict[str, int] = {
    "gaming": 1, "wrong_match": len(CAMERA_EVENTS), "appeal": len(CAMERA_EVENTS),
}
_DRAW_START = dict(zip(OBSERVATION_DRAWS, np.cumsum([0, *OBSERVATION_DRAWS.values()])[:-1],
                       strict=True))
_UNSEEN_BY_DEFAULT = np.flatnonzero([e.observed_by == "camera" for e in EVENTS])

# Hardship of a person with median income and average thrift.
BASE_HARDSHIP = 0.3
# Hardship change per unit of log income (richer, less hardship).
INCOME_HARDSHIP = 0.25
# Hardship change per unit of thrift above average (savings soften shocks).
THRIFT_HARDSHIP = 0.2


def _generator(seed: np.random.SeedSequence) -> np.random.Generator:
    """A generator for one stream: SFC64, about a tenth faster than PCG64 for floats."""
    return np.random.Generator(np.random.SFC64(seed))


def base_hardship(income: np.ndarray, thrift: np.ndarray) -> np.ndarray:
    """Hardship before any consequence of the score."""
    raw = BASE_HARDSHIP - INCOME_HARDSHIP * np.log(income) - THRIFT_HARDSHIP * (thrift - 0.5)
    return np.clip(raw, 0.0, 1.0).astype(np.float32)


def active(scenario: Scenario) -> tuple[Mechanism, ...]:
    """The mechanisms switched on, each with every mechanism it acts through."""
    switches = scenario.mechanisms
    on = {m.key for m in REGISTRY if getattr(switches, m.key)}
    return tuple(m for m in REGISTRY if m.key in on and set(m.needs) <= on)


_FIRST = np.zeros(1, dtype=np.int64)  # the one row of a 1-d mask


@kernel
def _counts(masks, rows, block, districts):
    """How many persons ``masks`` hold in each group and each district, one pass.

    ``masks`` is ``(k, persons)`` and ``rows`` says which of its k rows to
    count: a person counts once in each of them that holds them. Persons are
    counted by block (district x 2 + group) into four counters per block,
    taking persons in turn, so that no add waits for the one before it to be
    stored (one counter made a chain of dependent adds: three times slower).
    """
    # Counter ``4 * block + lane``, indexed unsigned: a signed index is checked
    # for a count from the end every time (a third slower).
    lanes = np.zeros(8 * districts, dtype=np.int64)
    n = block.size  # real persons: the first rows
    stop = n - n % 4
    four = np.uint64(4)
    for k in rows:
        if k < 0 or k >= masks.shape[0]:
            raise IndexError("a row to count that the mask does not have")
        seen = masks[k].view(np.uint8)
        for i in range(0, stop, 4):
            lanes[np.uint64(block[i]) * four] += seen[i]
            lanes[np.uint64(block[i + 1]) * four + np.uint64(1)] += seen[i + 1]
            lanes[np.uint64(block[i + 2]) * four + np.uint64(2)] += seen[i + 2]
            lanes[np.uint64(block[i + 3]) * four + np.uint64(3)] += seen[i + 3]
        for i in range(stop, n):
            lanes[np.uint64(block[i]) * four] += seen[i]
    groups = np.zeros(2, dtype=np.int64)
    where = np.zeros(districts, dtype=np.int64)
    for b in range(2 * districts):
        count = lanes[4 * b] + lanes[4 * b + 1] + lanes[4 * b + 2] + lanes[4 * b + 3]
        groups[b % 2] += count
        where[b // 2] += count
    return groups, where


@dataclass(frozen=True, eq=False)
class World:
    """What stays fixed during a run.

    Attributes:
        scenario: The scenario being run.
        population: Every row's attributes (real persons, then twins).
        rules: The rule table as arrays.
        traits: Per-person behaviour factors.
        base_hardship: Hardship before any consequence of the score.
        score_table: Hardship the score adds, for every whole score 350-950.
        block: Each real person's district x 2 + group (1: minority), for counts.
        tracked: Rows whose every change goes in the event log.
        on: The mechanisms switched on.
        fixed: Per mechanism key, what its ``setup`` made.
        hooks: Per point of the month, the functions of the mechanisms on.
    """

    scenario: Scenario
    population: People
    rules: RuleArrays
    traits: behaviour.Traits
    base_hardship: np.ndarray
    score_table: np.ndarray
    block: np.ndarray
    tracked: np.ndarray
    on: tuple[Mechanism, ...]
    fixed: Mapping[str, Any]
    hooks: Mapping[str, tuple[Callable[..., Any], ...]]

    @property
    def n(self) -> int:
        """Real persons."""
        return self.population.size

    @property
    def rows(self) -> int:
        """Real persons and twins."""
        return self.population.total_rows

    @property
    def start(self) -> float:
        """The start score."""
        return float(self.scenario.score.start_score)

    def by_group(self, mask: np.ndarray) -> np.ndarray:
        """How many real persons of each group (majority, minority) a mask holds."""
        return self.counts(mask)[0]

    def counts(self, mask: np.ndarray, rows: np.ndarray | None = None
               ) -> tuple[np.ndarray, np.ndarray]:
        """How many real persons a mask holds, by group and by district (one pass).

        Args:
            mask: ``(persons,)`` booleans; or ``(k, persons)``, with ``rows``.
            rows: Which rows of a 2-d ``mask`` to count, all added together
                (a person in two of them counts twice): several acts'
                infractions, say, in one call.
        """
        masks, rows = (mask[None], _FIRST) if rows is None else (mask, rows)
        if masks.ndim != 2 or masks.shape[1] < self.n:
            raise ValueError(f"a mask of shape {mask.shape} for {self.n} persons")
        return _counts(masks, rows, self.block, len(self.scenario.districts))


@dataclass(frozen=True, eq=False)
class Network:
    """Who names whom at the end of a month, and what that makes of the scores.

    Attributes:
        ties: ``(k, n)`` friend rows (:mod:`scoring.network`).
        friends: Friends' mean score of each real person.
        sorting: Correlation of scores across ties.
        true_friends: Friends' mean true-behaviour score, read with
            ``friends`` (None when no mechanism pulls by friends' scores).
    """

    ties: np.ndarray
    friends: np.ndarray
    sorting: float
    true_friends: np.ndarray | None


@dataclass(frozen=True, eq=False)
class State:
    """What a month changes. A step never changes a state: it makes the next one.

    Attributes:
        points: ``(5, rows)`` points each dimension has added to the start score.
        true_points: The same for the true-behaviour score.
        score: Recorded score of every row.
        true_score: True-behaviour score of every row.
        parts: Per mechanism key, its own part of the state (debt, cameras...).
        network: The ties, friends' scores and sorting (:class:`Network`), or,
            on a big run, the second thread's future of them: read through
            :attr:`ties`, :attr:`friends` and :attr:`sorting`, which wait for
            it. The next month needs them only when friends pull (scoring),
            so it starts while they are made.
    """

    points: np.ndarray
    true_points: np.ndarray
    score: np.ndarray
    true_score: np.ndarray
    parts: Mapping[str, Any]
    network: Network | Future

    def _network(self) -> Network:
        made = self.network
        if isinstance(made, Future):
            made = made.result()  # raises what the second thread raised
            object.__setattr__(self, "network", made)  # the same value on every read
        return made

    @property
    def ties(self) -> np.ndarray:
        """``(k, n)`` friend rows."""
        return self._network().ties

    @property
    def friends(self) -> np.ndarray:
        """Friends' mean score of each real person."""
        return self._network().friends

    @property
    def sorting(self) -> float:
        """Correlation of scores across ties."""
        return self._network().sorting

    @property
    def true_friends(self) -> np.ndarray | None:
        """Friends' mean true-behaviour score (None when nobody pulls)."""
        return self._network().true_friends


@dataclass(eq=False)
class Month:
    """One month's working record, filled point by point within a step.

    Attributes:
        true: What people truly did, and the draws that decided it.
        observed: ``(sum of OBSERVATION_DRAWS, rows)`` the observation draws
            (gaming, wrong matches, appeals), twins sharing their persona's.
        rng: The month's observation stream, after those draws: for draws
            about the whole city, not any one person (where cameras go).
        seen: ``(E, rows)`` true events recorded against the person who did them.
        matched_away: ``(E, rows)`` true events recorded but pinned on someone else.
        wrong_stuck: Per camera event index, sorted rows a wrong match stands against.
        wrong_reversed: Per camera event index, rows whose wrong match was reversed.
        gaming: Who gamed the score this month.
        records_by_district: Camera records per district (wrong matches included).
        counts: ``(E, rows)`` events recorded against each person, once
            observed (uint8: a person is recorded a few times a month at most).
        score: The recorded score at the end of the month, once scored.
        true_scored: The true-behaviour score's ``(points, score)`` at the end
            of the month, or the second thread's future of them (read
            :attr:`true_score`, which waits for it).
        notes: What mechanisms note for their records and the event log.
        contest: The chance a wrong match is contested and reversed (the
            remedies against wrong matches; 0 with none).
    """

    true: behaviour.TrueMonth
    observed: np.ndarray
    rng: uniforms.Stream | None
    seen: np.ndarray
    matched_away: np.ndarray
    wrong_stuck: dict[int, np.ndarray]
    wrong_reversed: dict[int, np.ndarray]
    gaming: np.ndarray
    records_by_district: np.ndarray
    counts: np.ndarray | None = None
    score: np.ndarray | None = None
    true_scored: tuple[np.ndarray, np.ndarray] | Future | None = None
    notes: dict[str, Any] = field(default_factory=dict)
    contest: float = 0.0

    def true_month(self) -> tuple[np.ndarray, np.ndarray]:
        """The true-behaviour score's ``(points, score)`` at the end of the month."""
        made = self.true_scored
        if isinstance(made, Future):
            made = self.true_scored = made.result()  # raises what the second thread raised
        return made

    @property
    def true_score(self) -> np.ndarray | None:
        """The true-behaviour score at the end of the month, once scored."""
        return None if self.true_scored is None else self.true_month()[1]

    def draws(self, name: str, i: int = 0) -> np.ndarray:
        """Row ``i`` of the observation draws called ``name``, one per row."""
        return self.observed[_DRAW_START[name] + i]

    @property
    def u_gaming(self) -> np.ndarray:
        """A draw per row for who games the score."""
        return self.draws("gaming")

    @classmethod
    def begin(cls, world: World, true: behaviour.TrueMonth, observed: np.ndarray,
              rng: uniforms.Stream | None) -> Month:
        """A month in which nothing is seen yet but what no mechanism hides.

        Payments and registry entries are seen as they happen unless a
        mechanism says otherwise; street infractions only where cameras are.
        """
        events = true.events
        seen = events.copy()
        seen[_UNSEEN_BY_DEFAULT] = False
        no_one = np.empty(0, dtype=np.int64)
        return cls(true=true, observed=observed, rng=rng, seen=seen,
                   matched_away=np.zeros(events.shape, dtype=bool),
                   wrong_stuck={row: no_one for row in _CAMERA_ROWS},
                   wrong_reversed={row: no_one for row in _CAMERA_ROWS},
                   gaming=np.zeros(events.shape[1], dtype=bool),
                   records_by_district=np.zeros(len(world.scenario.districts)))

    @classmethod
    def empty(cls, world: World) -> Month:
        """Month 0: nothing happened yet."""
        rows = world.rows
        events = np.zeros((len(EVENTS), rows), dtype=bool)
        true = behaviour.TrueMonth(events=events, uniforms=np.zeros((0, rows)), lower={},
                                   upper={})
        month = cls.begin(world, true, np.ones((sum(OBSERVATION_DRAWS.values()), rows),
                                               dtype=np.float32), None)
        month.score = world.start + np.zeros(rows, dtype=np.float32)
        month.true_scored = (None, month.score)
        return month


@dataclass(frozen=True, eq=False)
class Streams:
    """The month's random streams, one per part of the model."""

    behaviour: uniforms.Stream
    observation: uniforms.Stream
    network: uniforms.Stream


@dataclass(frozen=True, eq=False)
class MonthRecord:
    """What a month leaves for the collector.

    Attributes:
        t: The month (0 = the start).
        state: The state at the end of the month.
        month: The month's working record, which the collector counts
            (:func:`tally`) into the mechanisms' monthly records.
        log: The month as the event log sees it (None in month 0).
        steps: For the tracked rows, the points friends, fading memory and
            the 350-950 range added.
    """

    t: int
    state: State
    month: Month
    log: LogView | None = None
    steps: tuple[np.ndarray, ...] = ()


def build_world(scenario: Scenario, track: Sequence[int] = (),
                twins: bool = True) -> tuple[World, State]:
    """The fixed part of a run and its state in month 0 (with the personas' twins or not).

    The run follows the scenario as the legal principles switched on allow it
    (:func:`scoring.law.lawful`).
    """
    scenario = lawful(scenario)
    root = np.random.SeedSequence(scenario.seed)
    pop_seq, net_seq, _, _, _ = root.spawn(5)
    pop = build_population(scenario, _generator(pop_seq), CAST + scenario.personas, twins)
    n, rows = pop.size, pop.total_rows
    real_group = pop.group[:n].astype(np.int64)
    block = pop.district[:n].astype(np.int64) * 2 + real_group
    ties = network.build_ties(
        block, scenario.network.ties_per_person, scenario.network.homophily,
        _generator(net_seq),
    )
    tracked = np.unique(np.concatenate([
        np.arange(len(pop.personas)), np.arange(n, rows), np.asarray(track, dtype=np.int64),
    ])).astype(np.int64)
    if tracked.size and (tracked.min() < 0 or tracked.max() >= rows):
        raise ValueError(f"track rows must be between 0 and {rows - 1}")
    activity = np.array([d.street_activity for d in scenario.districts], dtype=np.float32)
    on = active(scenario)
    table = np.zeros(SCORE_MAX - SCORE_MIN + 1, dtype=np.float32)
    for m in on:
        if "score_table" in m.at:
            m.at["score_table"](scenario, table)
    world = World(
        scenario=scenario, population=pop, rules=RuleArrays.build(scenario),
        traits=behaviour.Traits.build(scenario, pop.reliability, pop.civic,
                                      activity[pop.district], pop.parent, pop.gamer,
                                      pop.driver),
        base_hardship=base_hardship(pop.income, pop.thrift), score_table=table,
        block=block.astype(np.int32), tracked=tracked, on=on, fixed={},
        hooks={point: tuple(m.at[point] for m in on if point in m.at)
               for point in ("hardship", "behaviour", "observation", "contest", "recording",
                             "scoring", "network", "update")},
    )
    fixed = {m.key: m.at["setup"](world) for m in on if "setup" in m.at}
    object.__setattr__(world, "fixed", fixed)  # made once, from the world itself

    points = np.zeros((len(DIMENSIONS), rows), dtype=np.float32)
    score = total_score(world.start, points)
    true_score = total_score(world.start, points)
    state = State(points=points, true_points=points.copy(), score=score, true_score=true_score,
                  parts={m.key: m.at["initial"](world) for m in REGISTRY if "initial" in m.at},
                  network=_read_network(world, ties, score, true_score))
    return world, state


def month_streams(scenario: Scenario) -> list[Streams]:
    """Every month's random streams, in month order.

    The seed's sequence has five children: the population, the network, then
    behaviour, observation and exclusion, each spawning one stream a month
    (made in one go by :func:`scoring.uniforms.month_streams`, numpy's numbers).
    """
    parts = uniforms.month_streams(scenario.seed, (2, 3, 4), scenario.months)
    return [Streams(*month) for month in zip(*parts, strict=True)]


def tally(world: World, state: State, month: Month) -> dict[str, np.ndarray]:
    """Every mechanism's monthly records, whether it is on or off."""
    found: dict[str, np.ndarray] = {}
    for m in REGISTRY:
        if "tally" in m.at:
            found.update(m.at["tally"](world, state, month))
    return found


def advance(world: World, before: np.ndarray, points: np.ndarray, friends: np.ndarray | None,
            rows: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray, tuple]:
    """One month of points after the rules: mechanisms' pull, fading memory, the range.

    Args:
        world: The run.
        before: ``(5, rows)`` points per dimension at the start of the month.
        points: ``(5, rows)`` the same with this month's rules applied
            (:func:`scoring.rules.apply_rules`); changed in place.
        friends: Friends' mean score of each real person (None: nobody pulls).
        rows: Rows to report each step's change for (for the event log).

    Returns:
        The new points, the score, and for ``rows`` the points added by
        friends, by fading memory and by the 350-950 range.
    """
    start, decay_rate = world.start, world.scenario.score.decay
    peer = None
    if friends is not None:
        for pull in world.hooks["scoring"]:
            moved = pull(world, points, friends)
            peer = moved if peer is None else peer + moved
    steps: tuple[np.ndarray, ...] = ()
    keep = np.float32(1.0 - decay_rate)
    if rows is not None:
        tracked = points.take(rows, axis=1)
        decay = -decay_rate * tracked.sum(axis=0)
        unclipped = start + (tracked * keep).sum(axis=0)
    score = keep_in_range(start, points, before, keep)  # memory fades, then the range
    if rows is not None:
        no_peer = np.zeros(rows.size, dtype=np.float32)
        steps = (no_peer if peer is None else peer.take(rows), decay,
                 score.take(rows) - unclipped)
    return points, score, steps


# From this many rows, three pieces of a month run on a second thread (the
# true-behaviour score's month, the month's network, keeping the month); below,
# handing them over costs more than it saves.
BESIDE_FROM = 50_000
_BESIDE: list[ThreadPoolExecutor] = []
# A forked process has none of its parent's threads: work handed to the parent's
# would wait forever (seeds and sweeps run in forked processes). It makes its own.
os.register_at_fork(after_in_child=_BESIDE.clear)


def _beside() -> ThreadPoolExecutor:
    """One thread, made when first needed, for work beside the month's own."""
    if not _BESIDE:
        _BESIDE.append(ThreadPoolExecutor(1, thread_name_prefix="beside-the-month"))
    return _BESIDE[0]


def _true_score(world: World, state: State, events: np.ndarray) -> tuple[np.ndarray, ...]:
    """The true-behaviour score's month: every true event, no observation."""
    points, _ = apply_rules(world.rules, state.true_points, events)
    points, score, _ = advance(world, state.true_points, points, state.true_friends)
    return points, score


def _draws(world: World, rng: uniforms.Stream, k: int) -> np.ndarray:
    """``(k, rows)`` uniform draws: ``(k, n)`` for real persons, twins copying their persona.

    Row by row into one array, the same numbers as one ``(k, n)`` draw
    (:func:`scoring.uniforms.fill`).
    """
    n = world.n
    draws = np.empty((k, world.rows), dtype=np.float32)
    uniforms.fill(rng, draws, n)
    if world.rows > n:
        draws[:, n:] = draws.take(world.population.twin_source, axis=1)
    return draws


def step(world: World, state: State, streams: Streams, t: int) -> MonthRecord:
    """One month: from a state and the month's streams to the next state and its record.

    Args:
        world: The run.
        state: The state at the start of the month (left unchanged).
        streams: The month's random streams.
        t: The month (1 = the first).
    """
    hooks = world.hooks
    # Draws for real persons only, so that twins change nothing of theirs;
    # twins share their persona's luck.
    uniforms = _draws(world, streams.behaviour, len(behaviour.DRAWS))
    observed = _draws(world, streams.observation, sum(OBSERVATION_DRAWS.values()))

    # 1. Consequences of last month's score.
    hardship = world.base_hardship.copy()
    for extra in hooks["hardship"]:
        hardship += extra(world, state)
    add_by_score_clipped(hardship, world.score_table, state.score)  # kept within 0..1
    # 2. True behaviour.
    chances = behaviour.chances(world.scenario, world.traits, hardship)
    for change in hooks["behaviour"]:
        change(world, state, hardship, chances)
    true = behaviour.draw_true_events(uniforms, chances)
    # The true-behaviour score needs nothing of what follows: on a big run it goes
    # to the other core while this one observes and scores (its loops free the GIL).
    true_scoring = (_beside().submit(_true_score, world, state, true.events)
                    if world.rows >= BESIDE_FROM else None)
    # 3. Observation and recording.
    month = Month.begin(world, true, observed, streams.observation)
    for remedy in hooks["contest"]:
        month.contest = remedy(world, month.contest)
    for observe in hooks["observation"]:
        observe(world, state, month)
    month.counts = month.seen.astype(np.uint8)
    for row, victims in month.wrong_stuck.items():
        _add_hits(month.counts[row], victims)
    for record in hooks["recording"]:
        record(world, state, month)
    # 4. Scoring.
    points, scale = apply_rules(world.rules, state.points, month.counts)
    rows = world.tracked
    # take(): the same rows as [:, rows], a third of the time.
    view = LogView(rows=rows, did=true.events.take(rows, axis=1),
                   seen=month.seen.take(rows, axis=1),
                   matched_away=month.matched_away.take(rows, axis=1),
                   gaming=month.gaming.take(rows),
                   worth=world.rules.points[:, None] * scale.take(rows), month=month)
    points, score, steps = advance(world, state.points, points, state.friends, rows)
    month.score = score
    month.true_scored = (true_scoring if true_scoring is not None
                         else _true_score(world, state, true.events))
    # 5. Network and each mechanism's part of the next state. The network reads only
    # the ties, the score and the state it was given: on big runs it is made beside
    # the updates and the next month's start.
    next_network = (
        _beside().submit(_network_month, world, state, month, streams.network)
        if world.rows >= BESIDE_FROM else _network_month(world, state, month, streams.network))
    parts = dict(state.parts)
    for update in hooks["update"]:
        parts.update(update(world, state, month))
    true_points, true_score = month.true_month()  # the second thread's, on big runs
    after = State(points=points, true_points=true_points, score=score, true_score=true_score,
                  parts=parts, network=next_network)
    return MonthRecord(t=t, state=after, month=month, log=view, steps=steps)


@kernel
def _add_hits(counts, victims):
    """In place: one more for each of ``victims`` (repeats count again), as ``np.add.at``."""
    for v in victims:
        counts[v] += 1


def _network_month(world: World, state: State, month: Month,
                   rng: uniforms.Stream) -> Network:
    """The month's ties (each mechanism's rewiring in turn), friends' scores on them."""
    ties = state.ties
    for rewire in world.hooks["network"]:
        ties = rewire(world, state, ties, month.score, rng)
    # On the second thread the true-behaviour score was made first: no wait.
    return _read_network(world, ties, month.score, month.true_score)


def _read_network(world: World, ties: np.ndarray, score: np.ndarray,
                  true_score: np.ndarray) -> Network:
    """Friends' scores on ``ties``, both scores in one read where friends pull."""
    pull = bool(world.hooks["scoring"])
    return Network(ties, *network.read_friends(ties, score, true_score if pull else None))


@dataclass(frozen=True, eq=False)
class Result:
    """Everything a run produced. Rows are persons; the first axis is the month.

    Attributes:
        scenario: The scenario that was run.
        population: Attributes of every row (real persons, then twins).
        score: ``(months + 1, rows)`` recorded score, rounded, int16.
        true_score: ``(months + 1, rows)`` true-behaviour score, int16.
        subscores: ``(months + 1, 5, rows)`` points each dimension has added
            to the start score (the sub-scores), rounded, int16; for a run
            that kept them for the tracked rows only, ``(months + 1, 5,
            len(subscore_rows))``: read a row's with :meth:`subscores_of`.
        sorting: ``(months + 1,)`` correlation of scores across ties.
        records: The mechanisms' monthly records, each ``(months + 1, ...)``
            (also read as attributes: ``result.coverage``).
        event_log: Event log of the tracked rows (personas, twins,
            requested), as kept month by month; read it as a table through
            :attr:`events`.
        subscore_rows: The rows ``subscores`` holds, in order, or None for
            every row.
    """

    scenario: Scenario
    population: People
    score: np.ndarray
    true_score: np.ndarray
    subscores: np.ndarray
    sorting: np.ndarray
    records: Mapping[str, np.ndarray]
    event_log: EventLog
    subscore_rows: np.ndarray | None = None

    @cached_property
    def events(self) -> pd.DataFrame:
        """The event log as a table, by person then month (made when first read).

        Most runs are never asked for it (the every-loop-off twin, the
        spread's other seeds, the Regulation view's runs): they skip making it.
        """
        return self.event_log.frame()

    def __getattr__(self, name: str) -> np.ndarray:
        # Only called for names that are not fields: a mechanism's record.
        records = self.__dict__.get("records", {})
        if name in records:
            return records[name]
        raise AttributeError(f"a result has no '{name}'")

    @property
    def months(self) -> int:
        """Number of simulated months (month 0 is the start)."""
        return self.score.shape[0] - 1

    @property
    def size(self) -> int:
        """Number of real persons (twins excluded)."""
        return self.population.size

    def subscores_of(self, row: int) -> np.ndarray:
        """``(months + 1, 5)``: one row's sub-scores, month by month.

        Raises:
            KeyError: The run kept sub-scores for the tracked rows only, and
                ``row`` is not one of them.
        """
        if self.subscore_rows is None:
            return self.subscores[:, :, row]
        at = int(np.searchsorted(self.subscore_rows, row))
        if at == self.subscore_rows.size or self.subscore_rows[at] != row:
            raise KeyError(f"this run kept sub-scores for the tracked persons only, not row {row}")
        return self.subscores[:, :, at]

    def persona_row(self, key: str) -> int:
        """Row of the persona with this key."""
        for row, spec in enumerate(self.population.personas):
            if spec.key == key:
                return row
        raise KeyError(f"no persona '{key}' in this run")


@kernel
def _keep(score, true_score, points, rows, score_out, true_score_out, points_out):
    """One month of history as int16: scores rounded, points per dimension of ``rows`` rounded."""
    half = np.float32(0.5)
    for i in range(score.size):
        # Scores are positive, so adding 0.5 and truncating rounds them.
        score_out[i] = np.int16(score[i] + half)
        true_score_out[i] = np.int16(true_score[i] + half)
    # Every row (rows are then 0, 1, 2...): straight reads, in vector instructions,
    # six times faster than reading through ``rows``.
    every = rows.size == points.shape[1]
    for d in range(points.shape[0]):
        kept, out = points[d], points_out[d]
        if every:
            for j in range(kept.size):
                out[j] = np.int16(np.rint(kept[j]))
        else:
            for j in range(rows.size):
                out[j] = np.int16(np.rint(kept[rows[j]]))


SUBSCORES = ("every", "tracked")


class Collector:
    """Stacks month records into a :class:`Result`; changes no state.

    Args:
        world: The run.
        subscores: ``"every"`` row's sub-scores kept, or only the
            ``"tracked"`` rows' (a run whose every person's history is not
            written needs no more: at a million persons x 120 months that is
            1.2 GB less).
    """

    def __init__(self, world: World, subscores: str = "every"):
        if subscores not in SUBSCORES:
            raise ValueError(f"subscores must be one of {SUBSCORES}, got {subscores!r}")
        self.world = world
        months, rows = world.scenario.months, world.rows
        self.score = np.empty((months + 1, rows), dtype=np.int16)
        self.true_score = np.empty((months + 1, rows), dtype=np.int16)
        self.subscore_rows = world.tracked if subscores == "tracked" else None
        kept = np.arange(rows) if self.subscore_rows is None else self.subscore_rows
        self.kept_rows = kept
        self.subscores = np.empty((months + 1, len(DIMENSIONS), kept.size), dtype=np.int16)
        self.sorting = np.zeros(months + 1, dtype=np.float32)
        self.records: dict[str, np.ndarray] = {}
        self.log = EventLog(world.tracked, world.rules, [kind for m in world.on for kind in m.log])

    def add(self, record: MonthRecord) -> None:
        """Keep one month: its scores, its tallies (:func:`tally`), its event log."""
        t, state = record.t, record.state
        _keep(state.score, state.true_score, state.points, self.kept_rows, self.score[t],
              self.true_score[t], self.subscores[t])
        self.sorting[t] = state.sorting
        for name, value in tally(self.world, state, record.month).items():
            if name not in self.records:
                self.records[name] = np.zeros((self.score.shape[0], *np.shape(value)),
                                              dtype=np.asarray(value).dtype)
            self.records[name][t] = value
        if record.log is not None:
            self.log.keep(t, record.log, record.steps)

    def result(self) -> Result:
        """The run's result."""
        return Result(scenario=self.world.scenario, population=self.world.population,
                      score=self.score, true_score=self.true_score, subscores=self.subscores,
                      sorting=self.sorting, records=self.records, event_log=self.log,
                      subscore_rows=self.subscore_rows)


def simulate(scenario: Scenario, track: Sequence[int] = (), twins: bool = True,
             subscores: str = "every") -> Result:
    """Run a scenario month by month.

    Args:
        scenario: What to run (its ``seed`` drives every random draw).
        track: Extra person rows to keep an event log for, besides the
            personas and their twins.
        twins: Whether to run the personas' twins alongside (they observe:
            the real persons' results are the same without them).
        subscores: Keep ``"every"`` row's sub-scores (for history.csv) or
            only the ``"tracked"`` rows' (the personas' and ``track``'s):
            nothing else of the result changes.

    Returns:
        The :class:`Result`; the same scenario always gives the same result.
    """
    world, state = build_world(scenario, track, twins)
    collector = Collector(world, subscores)
    collector.add(MonthRecord(t=0, state=state, month=Month.empty(world)))
    # On big runs the second thread keeps each month while the next one runs (the
    # collector changes no state; one month at a time, in order).
    beside = world.rows >= BESIDE_FROM
    kept = None
    for t, streams in enumerate(month_streams(scenario), start=1):
        record = step(world, state, streams, t)
        if kept is not None:
            kept.result()  # the month before is kept (or its error raised) first
        if beside:
            kept = _beside().submit(collector.add, record)
        else:
            collector.add(record)
        state = record.state
        del record  # its month's working arrays go once it is kept
    if kept is not None:
        kept.result()
    return collector.result()
