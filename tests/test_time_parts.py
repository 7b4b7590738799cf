"""The benchmark that says where a run's time goes (scripts/time_parts.py)."""

from __future__ import annotations

import gc
import re
import subprocess
import sys
import time
from collections import defaultdict
from pathlib import Path

import pytest

from scoring import engine, load_preset

ROOT = Path(__file__).resolve().parent.parent


def _parts(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "scripts/time_parts.py", *args], cwd=ROOT,
                          capture_output=True, text=True)


def test_every_mechanism_on_is_timed_at_each_of_its_points():
    out = _parts("--population", "600", "--months", "3", "--runs", "1")
    assert out.returncode == 0, out.stderr
    timed = {label: float(ms) for ms, label
             in re.findall(r"^\s+(-?[\d.]+) ms  (.+)$", out.stdout, flags=re.M)}
    expected = {f"{point}: {m.key}" for m in engine.active(load_preset("baseline"))
                for point in m.at if point in ("hardship", "behaviour", "observation",
                                               "contest", "recording", "scoring", "network",
                                               "update")}
    assert expected and expected <= set(timed)
    # Tallies are taken for every mechanism, on or off, and the engine's pieces too.
    assert "tally: lending" in timed and "month: the uniform draws" in timed
    assert any(label.startswith("the rest") for label in timed)
    assert all(ms >= 0 for ms in timed.values())


def test_runs_whose_parts_overlap_are_refused():
    out = _parts("--population", str(engine.BESIDE_FROM), "--months", "1", "--runs", "1")
    assert out.returncode == 2 and "overlap" in out.stderr


def test_a_garbage_collection_inside_a_timed_call_is_counted_apart():
    sys.path.insert(0, str(ROOT / "scripts"))
    try:
        import time_parts
    finally:
        sys.path.remove(str(ROOT / "scripts"))
    spent = defaultdict(float)
    garbage = [[i] for i in range(200_000)]  # a collection with something to walk

    def busy():
        time.sleep(0.01)
        gc.collect()

    timed = time_parts._timed(busy, "busy", spent)
    callback = time_parts._collector_timed(spent)
    gc.callbacks.append(callback)
    try:
        started = time.perf_counter()
        timed()
        elapsed = time.perf_counter() - started
    finally:
        gc.callbacks.remove(callback)
    collected = spent["Python's garbage collector"]
    assert collected > 0 and len(garbage) == 200_000
    assert spent["busy"] + collected == pytest.approx(elapsed, abs=1e-3)
    assert spent["busy"] >= 0.01 and spent["busy"] < elapsed
