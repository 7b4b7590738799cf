"""The load test's parts: its browserless student and its clock at the server's door.

``make load-test`` is a measurement, not a test, and runs these first (they
speak Streamlit's internal protocol, so they are not part of ``make test``,
which must not break when that protocol changes); they check that its
protocol student still drives the real server as a page would, that its clock
passes everything on and times each rerun (so the figures in
docs/performance.md stay reproducible), and that the server rejects nothing.
"""

from __future__ import annotations

import asyncio
import random
import sys
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "scripts"))

from browser import app_server  # noqa: E402
from load_test import ProtocolStudent, spread  # noqa: E402
from wire_clock import Frames, WireClock  # noqa: E402


def test_a_student_through_the_clock_gets_new_numbers_and_every_rerun_is_timed():
    async def session(url: str):
        async with WireClock(url) as clock:
            health = await asyncio.to_thread(
                lambda: urllib.request.urlopen(f"{clock.url}/_stcore/health").read())
            student = ProtocolStudent(clock.url)
            await student.open()
            first = student.headline
            took = [await student.change_once(seed) for seed in (4101, 4102)]
            await student.close()
            return health, first, student.headline, took, clock.latencies, clock.problems

    with app_server() as url:
        health, first, last, took, timed, problems = asyncio.run(session(url))
    assert health == b"ok", "plain HTTP passes through the clock"
    assert len(first) == len(last) == 6 and all(first) and all(last), "six headline numbers"
    assert first != last, "a new seed must give new headline numbers"
    assert all(0 < seconds < 30 for seconds in took)
    assert not problems
    assert len(timed) == 3, "the opening run and both changes"
    # The clock stands between the student and the server: it sees each request
    # after the student sent it and each answer before the student gets it.
    assert all(0 < wire <= whole for wire, whole in zip(timed[1:], took, strict=True))


def frame(payload: bytes, opcode: int = 2, fin: bool = True, key: bytes = b"") -> bytes:
    """One websocket frame as RFC 6455 writes it (masked when a key is given)."""
    size = len(payload)
    mask = 0x80 if key else 0
    if size < 126:
        head = bytes([mask | size])
    elif size < 1 << 16:
        head = bytes([mask | 126]) + size.to_bytes(2, "big")
    else:
        head = bytes([mask | 127]) + size.to_bytes(8, "big")
    body = bytes(b ^ key[i % 4] for i, b in enumerate(payload)) if key else payload
    return bytes([(0x80 if fin else 0) | opcode]) + head + key + body


def test_frames_rebuilds_messages_from_any_cut_of_the_stream():
    big = random.Random(5).randbytes(70_000)  # a 64-bit length
    middle = bytes(range(200))  # a 16-bit length
    stream = (frame(big[:300], fin=False, key=b"\x01\x02\x03\x04")
              + frame(b"", opcode=0x9)  # a ping between fragments
              + frame(big[300:], opcode=0, key=b"\xaa\xbb\xcc\xdd")
              + frame(middle) + frame(b"hi", opcode=1))
    for piece in (1, 7, 4096, len(stream)):
        frames = Frames()
        got = [m for at in range(0, len(stream), piece) for m in frames.feed(stream[at:at + piece])]
        assert got == [(2, big), (2, middle), (1, b"hi")], f"cut every {piece} bytes"


def test_frames_refuses_compressed_messages_it_cannot_read():
    with pytest.raises(ValueError, match="compressed"):
        Frames().feed(bytes([0xC2, 0x01, 0x00]))  # RSV1 set: permessage-deflate


def test_spread_reads_p95_from_the_sorted_values():
    values = [float(v) for v in range(1, 21)]  # 1..20: p95 is the 19th of 20
    assert spread("x", values) == {"x_p50": 10.5, "x_p95": 19.0, "x_max": 20.0}
    assert spread("x", []) == {"x_p50": None, "x_p95": None, "x_max": None}
