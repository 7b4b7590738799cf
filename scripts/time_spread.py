"""How long a change takes to simulate on Drift: the run, its twin, and the spread's seeds.

    .venv/bin/python scripts/time_spread.py

Times, on the app's two worker processes, the runs Drift needs after a rule
change: the run and its every-loop-off twin, then the same with the three
extra seeds of the spread (ui/spread.py). docs/performance.md keeps the figures.
"""

from __future__ import annotations

import time
from concurrent.futures import ProcessPoolExecutor

from scoring.counterfactual import all_loops_off
from scoring.presets import load_preset
from scoring.scenario import with_changes
from ui.runs import simulate_json
from ui.spread import SEEDS, other_seeds


def main() -> None:
    """Print three changes' timings."""
    base = load_preset("baseline")
    with ProcessPoolExecutor(2) as pool:
        list(pool.map(simulate_json, [base.model_dump_json()] * 2))  # workers started
        for k in range(3):
            plain = with_changes(base, {"rules.bill_late.points": -31 - k})
            spread = with_changes(base, {"rules.bill_late.points": -41 - k})
            timings = []
            for jobs in ([plain, all_loops_off(plain)],
                         [spread, all_loops_off(spread), *other_seeds(spread)]):
                started = time.perf_counter()
                list(pool.map(simulate_json, [j.model_dump_json() for j in jobs]))
                timings.append(time.perf_counter() - started)
            print(f"change {k + 1}: run + twin {timings[0]:.2f} s; with {SEEDS - 1} more "
                  f"seeds {timings[1]:.2f} s")


if __name__ == "__main__":
    main()
