"""Time simulate() in two checkouts, alternating, and print each one's median.

The machine's speed wanders by a tenth or more from minute to minute, so two
versions are only compared side by side: each round runs every checkout once,
in turn, each in a fresh process (``docs/performance.md``):

    git worktree add ../before e034438
    .venv/bin/python scripts/compare_speed.py ../before . --population 5000 --months 60

Each checkout is run with this checkout's Python environment; a checkout's
own ``scoring`` package is the one imported. Each process keeps freed memory
for reuse as ``python -m scoring`` does (``scoring/allocator.py``), where the
checkout has that.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
from pathlib import Path

RUN = r"""
import json, sys, time
sys.path.insert(0, ".")
from scoring import load_preset, simulate, with_changes
try:  # as `python -m scoring bench` runs, where the checkout has it
    from scoring.allocator import keep_freed_memory
    keep_freed_memory()
except ImportError:
    pass
size, months, repeat = (int(a) for a in sys.argv[1:4])
options = {"subscores": sys.argv[4]} if sys.argv[4] != "every" else {}
scenario = with_changes(load_preset("baseline"), {"population.size": size, "months": months})
simulate(scenario, **options)  # warm: caches, compiled loops, first-touch memory
times = []
for _ in range(repeat):
    started = time.perf_counter()
    simulate(scenario, **options)
    times.append(time.perf_counter() - started)
print(json.dumps(times))
"""


def main() -> int:
    """Print one line per checkout: median, fastest, slowest, runs."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("checkouts", nargs="+", type=Path)
    parser.add_argument("--population", type=int, default=5000)
    parser.add_argument("--months", type=int, default=60)
    parser.add_argument("--repeat", type=int, default=5, help="runs per process")
    parser.add_argument("--rounds", type=int, default=4, help="processes per checkout")
    parser.add_argument("--subscores", choices=("every", "tracked"), default="every",
                        help="whose dimension points a run keeps (tracked: as bench "
                        "--subscores tracked; a checkout from before it was possible "
                        "cannot run it)")
    args = parser.parse_args()
    found: dict[Path, list[float]] = {path: [] for path in args.checkouts}
    for _ in range(args.rounds):
        for path in args.checkouts:
            out = subprocess.run(
                [sys.executable, "-c", RUN, str(args.population), str(args.months),
                 str(args.repeat), args.subscores],
                cwd=path, capture_output=True, text=True, check=True)
            found[path] += json.loads(out.stdout)
    for path, times in found.items():
        per_second = args.population * args.months / statistics.median(times)
        print(f"{path}: {args.population:,} x {args.months}: median "
              f"{statistics.median(times):.3f} s (fastest {min(times):.3f}, slowest "
              f"{max(times):.3f}, {len(times)} runs; {per_second / 1e6:.2f} million "
              "person-months/s)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
