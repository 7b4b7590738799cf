"""Time simulate() of the baseline at the app's size and at 100,000 x 120.

Run from a checkout's root: ``.venv/bin/python scripts/time_simulate.py``
(docs/performance.md). It runs the checkout's own engine, so the same script
times an older commit checked out elsewhere.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path.cwd()))

from scoring import load_preset, simulate, with_changes  # noqa: E402


def median_seconds(scenario, repeats: int) -> float:
    """Median wall time of ``repeats`` simulations, after one warm-up run."""
    simulate(scenario)
    times = []
    for _ in range(repeats):
        started = time.perf_counter()
        simulate(scenario)
        times.append(time.perf_counter() - started)
    return sorted(times)[repeats // 2]


def main() -> None:
    """Print both medians."""
    baseline = load_preset("baseline")
    print("app default 5000x60 median", round(median_seconds(baseline, 9), 4))
    big = with_changes(baseline, {"population.size": 100_000, "months": 120})
    seconds = median_seconds(big, 3)
    print("100k x 120 median", round(seconds, 3), "->", round(12e6 / seconds / 1e6, 2),
          "M pm/s")


if __name__ == "__main__":
    main()
