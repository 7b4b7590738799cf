"""The monthly loop: ``simulate(scenario) -> Result``.

One month is a few small updaters, each doing one job:

1. consequences of last month's score set this month's hardship;
2. true behaviour is drawn (:mod:`scoring.behaviour`);
3. the scorer observes it (:mod:`scoring.observation`);
4. rules turn records into points per dimension (:mod:`scoring.rules`);
5. friends pull the relationships sub-score, memory fades, scores are clipped;
6. debt is carried, ties to low scorers break (:mod:`scoring.network`),
   cameras move towards the records.

Alongside the recorded score runs the *true-behaviour score*: the same rules
applied to everything people truly did, every act seen by the right person,
nothing gamed. The gap between the two is what observation adds.

One seed drives everything through child streams (population, network,
behaviour, observation, exclusion), split again by month, so the same
scenario gives byte-identical results and changing one rule does not
reshuffle anyone's luck.
"""

from __future__ import annotations

from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

import numpy as np
import pandas as pd

from personas.cast import CAST
from personas.population import Population, build_population
from scoring import behaviour, consequences, network, observation
from scoring.constants import DIMENSIONS
from scoring.events import CAMERA_EVENTS, EVENT_INDEX, EVENTS
from scoring.rules import RuleArrays, keep_in_range, rule_deltas, total_score
from scoring.scenario import Scenario

_REL = DIMENSIONS.index("relationships")
def _generator(seed: np.random.SeedSequence) -> np.random.Generator:
    """A generator for one stream: SFC64, about a tenth faster than PCG64 for floats."""
    return np.random.Generator(np.random.SFC64(seed))


# Share of the way the relationships points move each month towards
# peer_weight x (friends' mean score - start score).
PEER_PULL = 0.3
_EVENT_OBSERVER = {"platform": "seen by the platform", "camera": "seen by a camera",
                   "registry": "on the register"}
_EVENT_MISSED = {"platform": "not seen: paid in cash", "camera": "not seen: no camera there",
                 "registry": "not on the register"}
_GAMES = EVENT_INDEX["games_heavy"]
_DIAPERS = EVENT_INDEX["diapers_bought"]


@dataclass(frozen=True, eq=False)
class Result:
    """Everything a run produced. Rows are persons; the first axis is the month.

    Attributes:
        scenario: The scenario that was run.
        population: Attributes of every row (real persons, then twins).
        score: ``(months + 1, rows)`` recorded score, rounded, int16.
        true_score: ``(months + 1, rows)`` true-behaviour score, int16.
        subscores: ``(months + 1, 5, rows)`` points each dimension has added
            to the start score (the sub-scores), rounded, int16.
        coverage: ``(months + 1, districts)`` camera coverage per district.
        camera_allocation: ``(months + 1, districts)`` share of cameras per district.
        camera_records: ``(months + 1, districts)`` street infractions recorded
            by cameras that month (wrong matches included).
        false_penalties: ``(months + 1, 2)`` wrong matches standing against
            real persons that month, by group.
        reversed_on_appeal: ``(months + 1, 2)`` wrong matches reversed, by group.
        loans_granted: ``(months + 1, 2)`` loans granted, by group.
        loans_defaulted: ``(months + 1, 2)`` loans defaulted, by group.
        gaming: ``(months + 1, 2)`` persons gaming the score, by group.
        sorting: ``(months + 1,)`` correlation of scores across ties.
        events: Event log of the tracked rows (personas, twins, requested).
    """

    scenario: Scenario
    population: Population
    score: np.ndarray
    true_score: np.ndarray
    subscores: np.ndarray
    coverage: np.ndarray
    camera_allocation: np.ndarray
    camera_records: np.ndarray
    false_penalties: np.ndarray
    reversed_on_appeal: np.ndarray
    loans_granted: np.ndarray
    loans_defaulted: np.ndarray
    gaming: np.ndarray
    sorting: np.ndarray
    events: pd.DataFrame

    @property
    def months(self) -> int:
        """Number of simulated months (month 0 is the start)."""
        return self.score.shape[0] - 1

    @property
    def size(self) -> int:
        """Number of real persons (twins excluded)."""
        return self.population.size

    def persona_row(self, key: str) -> int:
        """Row of the persona with this key."""
        for row, spec in enumerate(self.population.personas):
            if spec.key == key:
                return row
        raise KeyError(f"no persona '{key}' in this run")


class _EventLog:
    """Collects the event log of tracked rows, a month at a time.

    Each entry names a line of the log (event, dimension, how) by its number
    in ``lines``; the words are filled in once, when the frame is made.
    """

    def __init__(self, rows: np.ndarray):
        self.rows = rows
        self.lines: dict[tuple[str, str, str], int] = {}
        self.parts: list[tuple[np.ndarray, ...]] = []

    def line(self, event: str, dimension: str, how: str) -> int:
        """The number of a line of the log, new lines numbered as they come."""
        return self.lines.setdefault((event, dimension, how), len(self.lines))

    def add_lines(self, month: int, lines: np.ndarray, picked: np.ndarray,
                  points: np.ndarray) -> None:
        """Entries for ``picked`` (lines x tracked rows), with their points, in line order."""
        which, at = np.nonzero(picked)
        if which.size:
            self.parts.append((np.full(which.size, month, dtype=np.int16), self.rows[at],
                               lines[which], np.round(points[which, at].astype(np.float64), 2)))

    def add(self, month: int, picked: np.ndarray, event: str, points: np.ndarray,
            dimension: str, how: str) -> None:
        self.add_lines(month, np.array([self.line(event, dimension, how)]), picked[None, :],
                       points[None, :])

    def frame(self) -> pd.DataFrame:
        columns = ["month", "person", "event", "points", "dimension", "how"]
        if not self.parts:
            return pd.DataFrame({c: [] for c in columns}).astype(
                {"month": "int16", "person": "int64", "points": "float64"}
            )
        month, person, line, points = (np.concatenate(c) for c in zip(*self.parts, strict=True))
        words = np.array(list(self.lines)).T[:, line]  # (event, dimension, how) per entry
        frame = pd.DataFrame({"month": month, "person": person, "event": words[0],
                              "points": points, "dimension": words[1], "how": words[2]})
        return frame.sort_values(["person", "month"], kind="stable").reset_index(drop=True)


class _MonthLog:
    """What ``_log_month`` writes for each event, worked out once per run.

    A month's entries come in this order, as a reader would explain them: for
    each event, gaming first (kept off the platform, or bought for the score),
    then seen, then missed, then what the cameras' face matching did.
    """

    def __init__(self, log: _EventLog, rules: RuleArrays):
        lines: list[int] = []
        self.kinds: list[tuple[int, str]] = []
        for e, event in enumerate(EVENTS):
            dim = DIMENSIONS[rules.dimension[e]]
            kinds = [("gamed", "kept off the platform: gaming")] if e == _GAMES else []
            if e == _DIAPERS:
                kinds.append(("bought", "bought for the score: gaming"))
            kinds += [("seen", _EVENT_OBSERVER[event.observed_by]),
                      ("missed", _EVENT_MISSED[event.observed_by])]
            if event.key in CAMERA_EVENTS:
                kinds += [("matched_away", "recorded, but pinned on someone else"),
                          ("stuck", "wrongly matched by a camera"),
                          ("reversed", "wrongly matched, reversed on appeal")]
            for kind, how in kinds:
                lines.append(log.line(event.key, dim, how))
                self.kinds.append((e, kind))
        self.line_numbers = np.array(lines)


def _log_month(log: _EventLog, plan: _MonthLog, month: int, rules: RuleArrays,
               true_events: np.ndarray, obs: observation.Observation,
               scale: np.ndarray) -> None:
    rows = log.rows
    gaming = obs.gaming[rows]
    did = true_events[:, rows]
    seen = obs.seen[:, rows].copy()
    seen[_GAMES] &= ~gaming
    matched_away = obs.matched_away[:, rows]
    missed = did & ~seen & ~matched_away
    missed[_GAMES] &= ~gaming
    worth = rules.points[:, None] * scale[rows]
    zero = np.zeros(rows.size, dtype=np.float32)
    masks = {"seen": seen, "missed": missed, "matched_away": matched_away}
    picked, points = [], []
    for e, kind in plan.kinds:
        if kind in ("stuck", "reversed"):
            victims = obs.wrong_stuck if kind == "stuck" else obs.wrong_reversed
            hits = observation.count_hits(victims[e], rows)
            picked.append(hits > 0)
            points.append(worth[e] * hits if kind == "stuck" else zero)
        else:
            picked.append(did[e] & gaming if kind == "gamed" else
                          gaming & ~obs.seen[e, rows] if kind == "bought" else masks[kind][e])
            points.append(worth[e] if kind in ("bought", "seen") else zero)
    log.add_lines(month, plan.line_numbers, np.array(picked), np.array(points))


def _by_group(mask: np.ndarray, minority: np.ndarray) -> np.ndarray:
    """Count of a real-person mask in (majority, minority)."""
    total = np.count_nonzero(mask)
    in_minority = np.count_nonzero(mask & minority)
    return np.array([total - in_minority, in_minority])


def _victims_by_group(victims: dict[int, np.ndarray], group: np.ndarray, n: int) -> np.ndarray:
    rows = np.concatenate(list(victims.values()))
    return np.bincount(group[rows[rows < n]], minlength=2)


def _advance(scenario: Scenario, points: np.ndarray, deltas: np.ndarray,
             friends: np.ndarray | None, twin_source: np.ndarray,
             rows: np.ndarray | None = None) -> tuple[np.ndarray, tuple[np.ndarray, ...]]:
    """One month of points, in place: rules, friends' pull, fading memory, the range.

    Args:
        scenario: Decay, friends' weight and switches.
        points: ``(5, n)`` points per dimension, updated in place.
        deltas: ``(5, n)`` points the rules give this month.
        friends: Friends' mean score of each real person (ignored if friends are off).
        twin_source: Rows whose friends each twin shares.
        rows: Rows to report each step's change for (for the event log).

    Returns:
        The score, and for ``rows`` the points added by friends, by fading
        memory and by the 350-950 range.
    """
    start = float(scenario.score.start_score)
    before = points.copy()
    points += deltas
    peer = None
    if scenario.mechanisms.friends and friends is not None:
        # Friends' scores as they stood at the end of last month.
        friends = np.concatenate([friends, friends[twin_source]])
        target = scenario.network.peer_weight * (friends - start)
        peer = PEER_PULL * (target - points[_REL])
        points[_REL] += peer
    steps: tuple[np.ndarray, ...] = ()
    if rows is not None:
        decay = -scenario.score.decay * points[:, rows].sum(axis=0)
    points *= np.float32(1.0 - scenario.score.decay)
    if rows is not None:
        unclipped = start + points[:, rows].sum(axis=0)
    score = keep_in_range(start, points, before)
    if rows is not None:
        no_peer = np.zeros(rows.size, dtype=np.float32)
        steps = (no_peer if peer is None else peer[rows], decay, score[rows] - unclipped)
    return score, steps


def _true_month(scenario: Scenario, rules: RuleArrays, true_events: np.ndarray,
                points: np.ndarray, ties: np.ndarray, last_score: np.ndarray,
                twin_source: np.ndarray) -> np.ndarray:
    """The true-behaviour score's month: every true event, no observation."""
    deltas, _ = rule_deltas(rules, true_events.astype(np.float32))
    friends = network.friends_mean(ties, last_score) if scenario.mechanisms.friends else None
    score, _ = _advance(scenario, points, deltas, friends, twin_source)
    return score


def simulate(scenario: Scenario, track: Sequence[int] = ()) -> Result:
    """Run a scenario month by month.

    Args:
        scenario: What to run (its ``seed`` drives every random draw).
        track: Extra person rows to keep an event log for, besides the
            personas and their twins.

    Returns:
        The :class:`Result`; the same scenario always gives the same result.
    """
    months = scenario.months
    root = np.random.SeedSequence(scenario.seed)
    pop_seq, net_seq, beh_seq, obs_seq, excl_seq = root.spawn(5)
    beh_months, obs_months, excl_months = (s.spawn(months) for s in (beh_seq, obs_seq, excl_seq))

    pop = build_population(scenario, _generator(pop_seq), CAST + scenario.personas)
    n, rows = pop.size, pop.total_rows
    src = pop.twin_source
    real_group = pop.group[:n].astype(np.int64)
    minority = real_group == 1
    block = pop.district[:n].astype(np.int64) * 2 + real_group
    ties = network.build_ties(
        block, scenario.network.ties_per_person, scenario.network.homophily,
        _generator(net_seq),
    )
    rules = RuleArrays.build(scenario)
    pool = observation.MatchPool.build(scenario, pop.district, pop.group, pop.age)
    cameras = observation.Cameras.start(scenario)
    gaming_at = consequences.gaming_thresholds(scenario)
    base_hardship = consequences.base_hardship(pop.income, pop.thrift)
    consequence_table = consequences.consequence_table(scenario)
    mech = scenario.mechanisms
    start = float(scenario.score.start_score)
    activity = np.array([d.street_activity for d in scenario.districts], dtype=np.float32)
    traits = behaviour.Traits.build(
        scenario, pop.reliability, pop.civic, activity[pop.district], pop.parent, pop.gamer,
        pop.driver,
    )

    # Points each dimension has added to the start score: the sub-scores.
    points = np.zeros((len(DIMENSIONS), rows), dtype=np.float32)
    true_points = points.copy()
    debt = np.zeros(rows, dtype=np.float32)

    score_h = np.empty((months + 1, rows), dtype=np.int16)
    true_h = np.empty((months + 1, rows), dtype=np.int16)
    sub_h = np.empty((months + 1, len(DIMENSIONS), rows), dtype=np.int16)
    n_d = len(scenario.districts)
    coverage_h = np.zeros((months + 1, n_d), dtype=np.float32)
    allocation_h = np.zeros((months + 1, n_d), dtype=np.float32)
    records_h = np.zeros((months + 1, n_d), dtype=np.int64)
    false_h, reversed_h, granted_h, default_h, gaming_h = (
        np.zeros((months + 1, 2), dtype=np.int64) for _ in range(5)
    )
    sorting_h = np.zeros(months + 1, dtype=np.float32)

    tracked = np.unique(np.concatenate([
        np.arange(len(pop.personas)), np.arange(n, rows), np.asarray(track, dtype=np.int64),
    ])).astype(np.int64)
    if tracked.size and (tracked.min() < 0 or tracked.max() >= rows):
        raise ValueError(f"track rows must be between 0 and {rows - 1}")
    log = _EventLog(tracked)
    plan = _MonthLog(log, rules)

    def record(t: int, score: np.ndarray, true_score: np.ndarray) -> None:
        # Scores are positive, so adding 0.5 and truncating rounds them.
        np.add(score, 0.5, out=score_h[t], casting="unsafe")
        np.add(true_score, 0.5, out=true_h[t], casting="unsafe")
        sub_h[t] = np.rint(points)
        coverage_h[t] = cameras.coverage
        allocation_h[t] = cameras.allocation
        nonlocal friends_last_month
        friends_last_month, sorting_h[t] = network.friends_and_sorting(ties, score)

    score = total_score(start, points)
    true_score = total_score(start, true_points)
    friends_last_month = np.empty(0, dtype=np.float32)
    record(0, score, true_score)

    u_beh = np.empty((len(behaviour.DRAWS), rows), dtype=np.float32)
    worker = ThreadPoolExecutor(max_workers=1)
    try:
        for t in range(1, months + 1):
            beh_rng = _generator(beh_months[t - 1])
            obs_rng = _generator(obs_months[t - 1])
            beh_rng.random(out=u_beh, dtype=np.float32)
            u_gaming = obs_rng.random(rows, dtype=np.float32)
            u_beh[:, n:] = u_beh[:, src]
            u_gaming[n:] = u_gaming[src]

            # 1. Consequences of last month's score.
            hardship = consequences.hardship(consequence_table, base_hardship, debt, score)
            # 2. True behaviour.
            month = behaviour.draw_true_events(
                scenario, uniforms=u_beh, traits=traits, hardship=hardship, score=score
            )
            true_events = month.events
            # 3. Observation.
            gaming = observation.who_games(scenario, score, gaming_at, u_gaming)
            obs = observation.observe(
                scenario, month=month,
                platform_use=pop.platform_use, district=pop.district, coverage=cameras.coverage,
                gaming=gaming, pool=pool, rng=obs_rng,
            )
            # 4-5. Rules, friends, fading memory, the 350-950 range. The true-behaviour
            # score needs nothing the observation makes, so the second core runs it.
            true_month = worker.submit(_true_month, scenario, rules, true_events, true_points,
                                       ties, true_score, src)
            deltas, scale = rule_deltas(rules, obs.recorded)
            _log_month(log, plan, t, rules, true_events, obs, scale)
            score, steps = _advance(scenario, points, deltas, friends_last_month, src, log.rows)
            for values, name, how in zip(steps, ("friends", "memory_fades", "score_limit"),
                                         ("friends' scores", "memory fades",
                                          "kept within 350-950"), strict=True):
                dim = "relationships" if name == "friends" else "all"
                log.add(t, np.abs(values) >= 0.005, name, values, dim, how)
            true_score = true_month.result()

            # 6. Debt, exclusion, cameras; then the month's aggregates.
            defaulted = true_events[EVENT_INDEX["loan_default"]]
            granted = defaulted | true_events[EVENT_INDEX["loan_repaid"]]
            debt = consequences.next_debt(scenario, debt, defaulted)
            if mech.exclusion:
                ties, _ = network.exclude(
                    ties, score, scenario.network.exclusion_threshold,
                    scenario.network.exclusion_rate, _generator(excl_months[t - 1]),
                )
            records_h[t] = obs.records_by_district
            if mech.cameras and mech.adaptive_cameras:
                cameras = cameras.moved(scenario, obs.records_by_district)
            false_h[t] = _victims_by_group(obs.wrong_stuck, pop.group, n)
            reversed_h[t] = _victims_by_group(obs.wrong_reversed, pop.group, n)
            granted_h[t] = _by_group(granted[:n], minority)
            default_h[t] = _by_group(defaulted[:n], minority)
            gaming_h[t] = _by_group(obs.gaming[:n], minority)
            record(t, score, true_score)
    finally:
        worker.shutdown()

    return Result(
        scenario=scenario, population=pop, score=score_h, true_score=true_h,
        subscores=sub_h, coverage=coverage_h, camera_allocation=allocation_h,
        camera_records=records_h,
        false_penalties=false_h, reversed_on_appeal=reversed_h, loans_granted=granted_h,
        loans_defaulted=default_h, gaming=gaming_h, sorting=sorting_h, events=log.frame(),
    )
