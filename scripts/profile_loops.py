"""Run the app's scenario many times with the compiled loops named for ``perf``.

``perf`` (Linux) samples where a process spends its time, but the compiled
loops are machine code numba made at run time, which ``perf`` cannot name
by itself. This script writes ``/tmp/perf-<pid>.map`` (where ``perf`` looks
for names of code made at run time): each compiled loop's address and
name. Then it runs the simulation, so that the samples are the month's:

    perf record -F 4999 -o /tmp/perf.data .venv/bin/python scripts/profile_loops.py
    perf report -i /tmp/perf.data --no-children --sort dso      # Python, loops, numpy, libc
    perf report -i /tmp/perf.data --no-children --sort sym      # each loop by name

A loop named ``...[wrap]`` is the entry numba calls from Python, into which
the loop itself was often compiled. docs/performance.md keeps the figures.
"""

from __future__ import annotations

import argparse
import gc
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path.cwd()))

from numba.core.registry import CPUDispatcher  # noqa: E402

from scoring import load_preset, simulate, with_changes  # noqa: E402
from scoring.allocator import keep_freed_memory  # noqa: E402


def loop_addresses() -> list[tuple[int, str]]:
    """Every compiled loop's entry points in this process: ``(address, name)``, sorted."""
    found = set()
    for dispatcher in (o for o in gc.get_objects() if isinstance(o, CPUDispatcher)):
        function = dispatcher.py_func
        name = f"{function.__module__}.{function.__name__}"
        for compiled in dispatcher.overloads.values():
            for symbol, tag in ((compiled.fndesc.llvm_func_name, ""),
                                (compiled.fndesc.llvm_cpython_wrapper_name, "[wrap]")):
                address = compiled.library.get_pointer_to_function(symbol)
                if address:
                    found.add((address, name + tag))
    return sorted(found)


def write_map(entries: list[tuple[int, str]], path: Path) -> None:
    """``perf``'s map: each entry runs up to the next one (at most 1 MB)."""
    with path.open("w") as out:
        for i, (address, name) in enumerate(entries):
            end = entries[i + 1][0] if i + 1 < len(entries) else address + 0x10000
            out.write(f"{address:x} {min(end - address, 0x100000):x} {name}\n")


def main() -> int:
    """Write the map, then run the scenario ``--runs`` times and print the mean run."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--population", type=int, default=5000)
    parser.add_argument("--months", type=int, default=60)
    parser.add_argument("--runs", type=int, default=100)
    args = parser.parse_args()
    keep_freed_memory()  # as compare_speed.py and the command line run
    scenario = with_changes(load_preset("baseline"),
                            {"population.size": args.population, "months": args.months})
    simulate(scenario)  # every loop the run calls is loaded, so it has an address
    entries = loop_addresses()
    path = Path(f"/tmp/perf-{os.getpid()}.map")
    write_map(entries, path)
    started = time.perf_counter()
    for _ in range(args.runs):
        simulate(scenario)
    mean = (time.perf_counter() - started) / args.runs
    print(f"{len(entries)} loop entries named in {path}; {args.runs} runs, "
          f"{mean * 1000:.1f} ms a run on average")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
