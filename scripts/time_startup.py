"""Time ``make run``'s start: from launching the app to its 'is ready' line.

Ready means the server answers, and the default scenario and its
every-loop-off twin are simulated in the two workers (``ui/launch.py``).
Run from a checkout's root (``docs/performance.md``):

    .venv/bin/python scripts/time_startup.py --times 3

``--cold`` first removes the compiled loops kept on disk, to time a start
that must compile them (what ``make`` spares the first ``make run``).
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path.cwd()


def _forget_compiled() -> None:
    # The folder of the engine's digest (scoring/compiled.py), and what a checkout
    # from before it keeps beside its modules.
    for folder in ROOT.glob("scoring/__pycache__/compiled-*"):
        shutil.rmtree(folder)
    for path in ROOT.glob("scoring/**/__pycache__/*.nb[ic]"):
        path.unlink()


def one_start(port: int) -> float:
    """Seconds from launch to the ready line."""
    started = time.perf_counter()
    app = subprocess.Popen(  # noqa: S603 - our own launcher
        [sys.executable, "-m", "ui.launch", "--no-browser", "--port", str(port)],
        cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        for line in app.stdout:
            if "is ready" in line:
                return time.perf_counter() - started
        raise RuntimeError("the app stopped before it was ready")
    finally:
        app.terminate()
        app.wait(timeout=30)


def main() -> int:
    """Print each start's seconds."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--times", type=int, default=3)
    parser.add_argument("--port", type=int, default=8620)
    parser.add_argument("--cold", action="store_true", help="compile the loops again first")
    args = parser.parse_args()
    for i in range(args.times):
        if args.cold:
            _forget_compiled()
        print(f"start {i + 1}: ready in {one_start(args.port + i):.2f} s", flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
