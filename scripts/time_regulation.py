"""How long the Regulation view takes to simulate what it compares.

    .venv/bin/python scripts/time_regulation.py

Times, on two worker processes as the app has, the final metrics the view
needs for a scenario it has not seen: no law, the three laws, each principle
alone and the student's own law (12 worlds), each on the spread's seeds
(ui/spread.py), then the one world a toggled principle adds. docs/performance.md
keeps the figures.
"""

from __future__ import annotations

import time
from concurrent.futures import ProcessPoolExecutor

from scoring.presets import load_preset
from scoring.scenario import with_changes
from ui.spread import SEEDS
from ui.views.regulation import _seeded, _worlds
from ui.worker import finals_json


def main() -> None:
    """Print three scenarios' timings."""
    base = load_preset("baseline")
    with ProcessPoolExecutor(2) as pool:
        list(pool.map(finals_json, [base.model_dump_json()] * 2))  # workers started
        for k in range(3):
            scenario = with_changes(base, {"rules.bill_late.points": -31 - k})
            worlds = _worlds(scenario, [])
            jobs = [s.model_dump_json() for w in worlds.values() for s in _seeded(w)]
            started = time.perf_counter()
            list(pool.map(finals_json, jobs))
            cold = time.perf_counter() - started
            toggled = _worlds(scenario, ["storage_limitation", "biometric_ban"])["Your law"]
            started = time.perf_counter()
            list(pool.map(finals_json, [s.model_dump_json() for s in _seeded(toggled)]))
            print(f"scenario {k + 1}: {len(jobs)} runs ({len(worlds)} worlds x {SEEDS} seeds) "
                  f"{cold:.2f} s; a toggled law {time.perf_counter() - started:.2f} s")


if __name__ == "__main__":
    main()
