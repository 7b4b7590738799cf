"""The map that names the compiled loops for perf (scripts/profile_loops.py)."""

from __future__ import annotations

import re
import sys
from pathlib import Path

from conftest import small

from scoring import simulate

ROOT = Path(__file__).resolve().parent.parent


def _script():
    sys.path.insert(0, str(ROOT / "scripts"))
    try:
        import profile_loops
    finally:
        sys.path.remove(str(ROOT / "scripts"))
    return profile_loops


def test_the_map_names_each_loop_a_run_calls_at_its_address(tmp_path):
    profile_loops = _script()
    simulate(small("baseline"))
    entries = profile_loops.loop_addresses()
    names = {name for _, name in entries}
    assert "scoring.network._rewired[wrap]" in names
    assert "scoring.uniforms._fill" in names or "scoring.uniforms._fill[wrap]" in names
    addresses = [address for address, _ in entries]
    assert addresses == sorted(addresses) and len(set(addresses)) == len(addresses)
    path = tmp_path / "perf.map"
    profile_loops.write_map(entries, path)
    lines = path.read_text().splitlines()
    assert len(lines) == len(entries)
    for line, (address, name) in zip(lines, entries, strict=True):
        start, size, written = re.fullmatch(r"([0-9a-f]+) ([0-9a-f]+) (.+)", line).groups()
        assert int(start, 16) == address and written == name and 0 < int(size, 16) <= 0x100000
