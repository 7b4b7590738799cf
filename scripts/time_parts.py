"""Where a run's time goes: each mechanism's part at each point of the month, and the engine's.

    .venv/bin/python scripts/time_parts.py                      # the app's run, 5,000 x 60
    .venv/bin/python scripts/time_parts.py --population 100000 --months 120 --runs 2

Puts a timer around every mechanism's function at every point of the month
(hardship, behaviour, observation, contest, recording, scoring, network,
update, tally) and around the engine's own pieces, runs the baseline preset (every
mechanism on), and prints milliseconds per run, largest first. The timers
add a little to each call (the "timed run" line says how much in all). Each
part's time is its own: a timed call made inside another (friends' pull
inside ``advance``) counts for itself only, so the parts add up to the timed
run, and what is left is the step's and the collector's own lines and the
calls between.

The engine imported is the installed one (this checkout's, after ``make``);
to time another checkout's, name it first: ``PYTHONPATH=../before
.venv/bin/python scripts/time_parts.py``.

Runs below 50,000 rows only: above, parts of the month run on a second
thread and their times would overlap (``scoring.engine.BESIDE_FROM``).
docs/performance.md keeps the figures.
"""

from __future__ import annotations

import argparse
import gc
import statistics
import time
from collections import defaultdict
from collections.abc import Callable
from typing import Any

from scoring import behaviour, engine, eventlog
from scoring.mechanisms import POINTS as EVERY_POINT
from scoring.mechanisms import REGISTRY
from scoring.presets import load_preset
from scoring.scenario import with_changes

# Points of the month where a mechanism runs: all but what runs once, before the months.
ONCE = ("setup", "initial", "score_table", "law")
POINTS = tuple(point for point in EVERY_POINT if point not in ONCE)
# The engine's own pieces: (owner, attribute, label).
ENGINE = (
    (engine, "build_world", "run: the population, ties and world"),
    (engine, "month_streams", "run: the months' random streams"),
    (engine.Collector, "result", "run: the result"),
    (engine, "_draws", "month: the uniform draws"),
    (behaviour, "chances", "month: the chances of each event"),
    (behaviour, "draw_true_events", "month: the true events"),
    (engine.Month, "begin", "month: the working record"),
    (engine, "apply_rules", "month: the rules (both scores)"),
    (engine, "advance", "month: pull, fading memory, the range (both scores)"),
    (engine, "_read_network", "month: friends' scores on the ties"),
    (engine, "_keep", "keeping: the month's history"),
    (eventlog.EventLog, "keep", "keeping: the event log's part of the month"),
)


# The time of the timed calls running inside the one being timed, innermost last.
_INSIDE: list[float] = []


def _timed(function: Callable[..., Any], label: str, spent: dict[str, float]):
    """``function`` with its own time (less that of the timed calls it makes) added up."""
    def timed(*args: Any, **kwargs: Any) -> Any:
        _INSIDE.append(0.0)
        started = time.perf_counter()
        try:
            return function(*args, **kwargs)
        finally:
            elapsed = time.perf_counter() - started
            spent[label] += elapsed - _INSIDE.pop()
            if _INSIDE:
                _INSIDE[-1] += elapsed

    return timed


def _collector_timed(spent: dict[str, float]) -> Callable[[str, dict], None]:
    """A ``gc.callbacks`` entry: Python's garbage collections counted as a part of their own.

    A collection runs inside whatever call allocates when its threshold is
    crossed; without this it showed as 3-4 ms of one tally or another (the
    timers' own objects bring the threshold on), though the tallies take
    about 0.1-1 ms each.
    """
    started: list[float] = []

    def callback(phase: str, info: dict) -> None:
        if phase == "start":
            started.append(time.perf_counter())
            return
        elapsed = time.perf_counter() - started.pop()
        spent["Python's garbage collector"] += elapsed
        if _INSIDE:  # not the timed call's own time
            _INSIDE[-1] += elapsed

    return callback


def _runs(scenario, runs: int) -> list[float]:
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        engine.simulate(scenario)
        times.append(time.perf_counter() - started)
    return times


def main() -> int:
    """Print the plain and timed runs' medians, then every part's milliseconds per run."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--population", type=int, default=5000)
    parser.add_argument("--months", type=int, default=60)
    parser.add_argument("--runs", type=int, default=10)
    args = parser.parse_args()
    scenario = with_changes(load_preset("baseline"),
                            {"population.size": args.population, "months": args.months})
    if engine.build_world(scenario)[0].rows >= engine.BESIDE_FROM:
        parser.error(f"runs of {engine.BESIDE_FROM:,} rows or more overlap their parts")
    engine.simulate(scenario)  # warm: compiled loops, caches
    plain = statistics.median(_runs(scenario, args.runs))

    spent: dict[str, float] = defaultdict(float)
    for mechanism in REGISTRY:
        for point in POINTS:
            if point in mechanism.at:
                mechanism.at[point] = _timed(mechanism.at[point], f"{point}: {mechanism.key}",
                                             spent)
    for owner, name, label in ENGINE:
        setattr(owner, name, _timed(getattr(owner, name), label, spent))
    collections = _collector_timed(spent)
    gc.callbacks.append(collections)
    try:
        timed = _runs(scenario, args.runs)
    finally:
        gc.callbacks.remove(collections)

    print(f"baseline, {args.population:,} persons x {args.months} months, {args.runs} runs")
    print(f"plain run (median): {plain * 1000:.1f} ms; timed run: "
          f"{statistics.median(timed) * 1000:.1f} ms")
    total = sum(spent.values()) / args.runs
    for label, seconds in sorted(spent.items(), key=lambda item: -item[1]):
        print(f"  {seconds / args.runs * 1000:6.2f} ms  {label}")
    print(f"  {(sum(timed) / args.runs - total) * 1000:6.2f} ms  the rest: the step's and the "
          "collector's own lines")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
