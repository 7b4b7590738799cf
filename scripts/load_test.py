"""Load test: K students at once on one server, each changing controls in a loop.

Run with ``.venv/bin/python scripts/load_test.py`` (``make load-test``). It
starts the app as ``make run`` does, opens one Debian Chromium with K browser
contexts (K separate sessions, like K students), and has each one change the
seed to a value nobody used before (a new simulation every time, never the
cache), wait for every headline number to be redrawn, pause 5-10 s to read the
charts as a student would, and again, for a bounded time. It reports, for each
K: rerun latency p50 and p95 (on the wire: rerun request sent to the server's
"script finished" received; and Enter pressed to the new numbers shown),
errors, and the server's memory (worker processes included); then the memory
once every session has closed and the server has tidied up (sessions go 120 s
after they disconnect; cached runs and workers 300 s after the last run was
asked for, checked every minute: 400 s in all). Prints one JSON object;
results are recorded in docs/performance.md.

The browser and the server share this machine's cores, so the latencies include
the browser drawing K pages at once, which a real class does on K laptops.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import math
import random
import statistics
import sys
import time
from pathlib import Path

import psutil
from playwright.async_api import async_playwright
from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

from browser import CHROMIUM_ARGS, app_server, chromium_path  # noqa: E402

PAUSE_S = (5.0, 10.0)  # a student reads the charts before the next change
SEED_BOX = "[data-testid='stSidebar'] [data-testid='stNumberInput'] input"
REDRAWN = (
    "old => { const v = [...document.querySelectorAll('[data-testid=\"stMetricValue\"]')]"
    ".map(e => e.innerText).join('|'); return v !== old && v.length > 0"
    " && !document.querySelector('[data-testid=\"stStatusWidget\"]'); }"
)
HEADLINE = ("() => [...document.querySelectorAll('[data-testid=\"stMetricValue\"]')]"
            ".map(e => e.innerText).join('|')")
IDLE = ("() => document.querySelector(\"[data-testid='stSidebar'] [data-testid='stNumberInput']"
        " input\") && document.querySelectorAll('[data-testid=stMetricValue]').length > 0"
        " && !document.querySelector('[data-testid=\"stStatusWidget\"]')")


def server_mb(pid: int) -> float:
    """Resident memory of the server process and its children, in MB."""
    server = psutil.Process(pid)
    return sum(p.memory_info().rss for p in [server, *server.children(recursive=True)]) / 2**20


def follow_reruns(page, server_side: list[float]) -> None:
    """Time each rerun on the wire: request sent to the server's "script finished"."""
    sent: list[float] = []

    def on_sent(payload) -> None:
        if isinstance(payload, bytes) and BackMsg.FromString(payload).WhichOneof("type") \
                == "rerun_script":
            sent.append(time.perf_counter())

    def on_received(payload) -> None:
        if not isinstance(payload, bytes) or not sent:
            return
        message = ForwardMsg.FromString(payload)
        if message.WhichOneof("type") == "script_finished" and \
                message.script_finished == ForwardMsg.FINISHED_SUCCESSFULLY:
            server_side.append(time.perf_counter() - sent.pop(0))
            sent.clear()

    page.on("websocket", lambda ws: (ws.on("framesent", on_sent),
                                     ws.on("framereceived", on_received)))


async def student(page, number: int, k: int, seconds: float, latencies: list[float],
                  errors: list[str]) -> None:
    """Change the seed, wait for the redraw, pause, until the time is up."""
    pause = random.Random(1000 * k + number)
    deadline = time.monotonic() + seconds
    change = 0
    while time.monotonic() < deadline:
        change += 1
        seed = 1_000_000 * k + 1000 * number + change  # never seen before: a new run
        try:
            shown = await page.evaluate(HEADLINE)
            box = page.locator(SEED_BOX).first
            await box.fill(str(seed))
            started = time.perf_counter()
            await box.press("Enter")
            await page.wait_for_function(REDRAWN, arg=shown, timeout=30_000, polling=50)
            latencies.append(time.perf_counter() - started)
            if await page.locator("[data-testid='stException'], "
                                  "[data-testid='stAlertContentError']").count():
                errors.append(f"student {number}: an error is shown")
        except Exception as exc:  # noqa: BLE001 - counted and reported, the test goes on
            errors.append(f"student {number}: {type(exc).__name__}: {str(exc)[:80]}")
        await asyncio.sleep(pause.uniform(*PAUSE_S))


def spread(name: str, values: list[float]) -> dict[str, float | None]:
    """p50, p95 and max of ``values``, named ``name_p50`` and so on."""
    ordered = sorted(values)
    if not ordered:
        return {f"{name}_p50": None, f"{name}_p95": None, f"{name}_max": None}
    return {f"{name}_p50": round(statistics.median(ordered), 2),
            f"{name}_p95": round(ordered[max(0, math.ceil(0.95 * len(ordered)) - 1)], 2),
            f"{name}_max": round(ordered[-1], 2)}


async def round_of(browser, url: str, pid: int, k: int, seconds: float) -> dict:
    """K students at once for ``seconds``; latencies, errors and server memory."""
    contexts = [await browser.new_context(viewport={"width": 1280, "height": 900})
                for _ in range(k)]
    pages = [await context.new_page() for context in contexts]
    server_side: list[float] = []
    for page in pages:
        follow_reruns(page, server_side)
    await asyncio.gather(*(page.goto(url) for page in pages))
    await asyncio.gather(*(page.wait_for_function(IDLE, timeout=120_000) for page in pages))
    before = server_mb(pid)
    latencies: list[float] = []
    errors: list[str] = []
    peak = before

    async def watch() -> None:
        nonlocal peak
        while True:
            peak = max(peak, server_mb(pid))
            await asyncio.sleep(0.5)

    watcher = asyncio.create_task(watch())
    await asyncio.gather(*(student(page, i, k, seconds, latencies, errors)
                           for i, page in enumerate(pages)))
    watcher.cancel()
    for context in contexts:
        await context.close()
    return {
        "sessions": k, "changes": len(latencies), "errors": len(errors),
        "error_examples": errors[:3],
        **spread("rerun_on_the_wire_s", server_side),
        **spread("rerun_to_redrawn_s", latencies),
        "server_mb_with_sessions_open": round(before, 0),
        "server_mb_peak": round(peak, 0),
    }


async def main_async(sessions: list[int], seconds: float, settle: float) -> dict:
    """Every round on one server, then the memory once the sessions are gone."""
    with app_server(return_pid=True) as (url, pid):
        report: dict = {"server_mb_at_start": round(server_mb(pid), 0), "rounds": []}
        async with async_playwright() as p:
            browser = await p.chromium.launch(executable_path=chromium_path(),
                                              args=CHROMIUM_ARGS)
            for k in sessions:
                report["rounds"].append(await round_of(browser, url, pid, k, seconds))
                print(json.dumps(report["rounds"][-1]), file=sys.stderr, flush=True)
            await browser.close()
        report["server_mb_right_after_close"] = round(server_mb(pid), 0)
        await asyncio.sleep(settle)
        report[f"server_mb_{int(settle)}s_after_close"] = round(server_mb(pid), 0)
    return report


def main() -> int:
    """Run the rounds and print the report as JSON."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sessions", default="1,5,10,20",
                        help="comma-separated numbers of students at once")
    parser.add_argument("--seconds", type=float, default=40.0,
                        help="how long each round of changes lasts")
    parser.add_argument("--settle", type=float, default=400.0,
                        help="seconds to wait after closing before the last memory reading")
    args = parser.parse_args()
    sessions = [int(k) for k in args.sessions.split(",")]
    report = asyncio.run(main_async(sessions, args.seconds, args.settle))
    report["scenario"] = "baseline, 5,000 persons x 60 months (the app's default)"
    print(json.dumps(report, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
