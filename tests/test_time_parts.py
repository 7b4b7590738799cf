"""The benchmark that says where a run's time goes (scripts/time_parts.py)."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

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
