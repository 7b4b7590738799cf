"""The load test's browserless student speaks the protocol the app expects.

``make load-test`` is a measurement, not a test; this checks that its
protocol student still drives the real server as a page would (so the figures
in docs/performance.md stay reproducible) and that the server rejects nothing.
"""

from __future__ import annotations

import asyncio
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "scripts"))

from browser import app_server  # noqa: E402
from load_test import ProtocolStudent, spread  # noqa: E402


def test_a_protocol_student_changes_the_seed_and_gets_new_numbers():
    async def session(url: str) -> tuple[list[str], list[str], list[float]]:
        student = ProtocolStudent(url)
        await student.open()
        first = student.headline
        took = [await student.change_once(seed) for seed in (4101, 4102)]
        await student.close()
        return first, student.headline, took

    with app_server() as url:
        first, last, took = asyncio.run(session(url))
    assert len(first) == len(last) == 6 and all(first) and all(last), "six headline numbers"
    assert first != last, "a new seed must give new headline numbers"
    assert all(0 < seconds < 30 for seconds in took)


def test_spread_reads_p95_from_the_sorted_values():
    values = [float(v) for v in range(1, 21)]  # 1..20: p95 is the 19th of 20
    assert spread("x", values) == {"x_p50": 10.5, "x_p95": 19.0, "x_max": 20.0}
    assert spread("x", []) == {"x_p50": None, "x_p95": None, "x_max": None}
