"""Load test: K students at once on one server, each changing controls in a loop.

Run with ``make load-test`` (both ways below, about 30 minutes) or
``.venv/bin/python scripts/load_test.py [--browser idle|normal|none]``. It
starts the app as ``make run`` does and, for each K, opens K sessions (K
students). Each student reads the page for up to 10 s, then changes the seed
to a value nobody used before (two new simulations every time, never a kept
run: the scenario and its every-loop-off twin), waits until the page is
redrawn, pauses 5-10 s to read the charts, and again, for a bounded time. It
reports, for each K: rerun latency p50, p95 and max, errors, and the server's
memory (worker processes included); then the memory once every session has
closed and the server has tidied up (sessions go 120 s after they disconnect;
kept runs and workers 300 s after the last run was asked for, checked every
minute: 400 s in all). Prints one JSON object; results are recorded in
docs/performance.md.

Students, two ways:

- ``--browser idle`` (default) or ``normal``: one Debian Chromium with K
  browser contexts. Rerun latency is measured on the wire (a page's rerun
  request reaching the server to the server's "script finished" leaving it,
  timed by a proxy in front of the server: wire_clock.py) and to redrawn
  (Enter pressed to new headline numbers and all three charts drawn again).
  The browser shares this machine's two cores with the server: at
  ``idle`` priority (``chrt --idle``) it gets only the CPU the server leaves;
  at ``normal`` it competes for it.
- ``--browser none``: no browser. Each student speaks Streamlit's websocket
  protocol, sending the very message a page sends when the seed changes, and
  draws nothing, as when every student's own laptop draws their page. Rerun
  latency is on the wire, timed by the same proxy.

Opening the pages is not counted (the first view is measured by
``make bench-app``).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import math
import random
import shlex
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

import psutil
import websockets
from playwright.async_api import async_playwright
from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

from browser import CHROMIUM_ARGS, app_server, chromium_path  # noqa: E402
from wire_clock import WireClock  # noqa: E402 - beside this script

PAUSE_S = (5.0, 10.0)  # a student reads the charts before the next change
SETTLE_S = 5.0  # after every page is drawn, before the first change
SEED_BOX = "[data-testid='stSidebar'] [data-testid='stNumberInput'] input"
# Before a change: note the headline numbers and mark every chart as waiting
# until plotly reports it has drawn again.
MARK = """() => {
  for (const plot of document.querySelectorAll('.js-plotly-plot')) {
    plot.dataset.waiting = 'yes';
    if (!plot.dataset.listening) {
      plot.dataset.listening = 'yes';
      plot.on('plotly_afterplot', () => { delete plot.dataset.waiting; });
    }
  }
  return [...document.querySelectorAll('[data-testid="stMetricValue"]')]
    .map(e => e.innerText).join('|');
}"""
# Redrawn: new headline numbers, all three charts drawn again, the run over.
REDRAWN = """old => {
  const shown = [...document.querySelectorAll('[data-testid="stMetricValue"]')]
    .map(e => e.innerText).join('|');
  const plots = [...document.querySelectorAll('.js-plotly-plot')];
  return shown !== old && shown.length > 0 && plots.length >= 3
    && plots.every(plot => plot.querySelector('.main-svg') && !plot.dataset.waiting)
    && !document.querySelector('[data-testid="stStatusWidget"]');
}"""
# Opened: the controls, the headline numbers and all three charts drawn.
DRAWN = """() => document.querySelector(
    "[data-testid='stSidebar'] [data-testid='stNumberInput'] input")
  && document.querySelectorAll('[data-testid=stMetricValue]').length > 0
  && [...document.querySelectorAll('.js-plotly-plot')]
    .filter(plot => plot.querySelector('.main-svg')).length >= 3
  && !document.querySelector('[data-testid="stStatusWidget"]')"""


def server_mb(pid: int) -> float:
    """Resident memory of the server process and its children, in MB."""
    server = psutil.Process(pid)
    return sum(p.memory_info().rss for p in [server, *server.children(recursive=True)]) / 2**20


def browser_executable(priority: str, folder: Path) -> str:
    """Chromium, or Chromium started at idle priority through a small wrapper.

    At idle priority (``chrt --idle``) the browser only gets the CPU the server
    and its workers leave, as if the students drew their pages on their own
    laptops; its pages still draw, a little later.
    """
    if priority == "normal":
        return chromium_path()
    chrt = shutil.which("chrt")
    if chrt is None:
        raise SystemExit("chrt (util-linux) is missing: use --browser normal")
    wrapper = folder / "chromium-at-idle-priority"
    wrapper.write_text(f'#!/bin/sh\nexec {shlex.quote(chrt)} --idle 0 '
                       f'{shlex.quote(chromium_path())} "$@"\n')
    wrapper.chmod(0o755)
    return str(wrapper)


async def student(change_once, number: int, k: int, seconds: float, latencies: list[float],
                  errors: list[str]) -> None:
    """Read the page, change the seed, wait for the redraw, pause, until the time is up."""
    pause = random.Random(1000 * k + number)
    deadline = time.monotonic() + seconds
    await asyncio.sleep(pause.uniform(0, PAUSE_S[1]))  # reads the page before the first change
    change = 0
    while time.monotonic() < deadline:
        change += 1
        seed = 1_000_000 * k + 1000 * number + change  # never seen before: a new run
        try:
            latencies.append(await change_once(seed))
        except Exception as exc:  # noqa: BLE001 - counted and reported, the test goes on
            errors.append(f"student {number}: {type(exc).__name__}: {str(exc)[:80]}")
        await asyncio.sleep(pause.uniform(*PAUSE_S))


def in_browser(page):
    """One change made in a browser page: type the seed, Enter, wait until redrawn."""
    async def change_once(seed: int) -> float:
        shown = await page.evaluate(MARK)
        box = page.locator(SEED_BOX).first
        await box.fill(str(seed))
        started = time.perf_counter()
        await box.press("Enter")
        await page.wait_for_function(REDRAWN, arg=shown, timeout=30_000, polling=50)
        drawn = time.perf_counter() - started
        if await page.locator("[data-testid='stException'], "
                              "[data-testid='stAlertContentError']").count():
            raise RuntimeError("an error is shown")
        return drawn
    return change_once


class ProtocolStudent:
    """A student whose page is drawn elsewhere: speaks Streamlit's websocket protocol.

    It opens a session as a page does (a first run with no widget set), notes
    the seed box's widget id and the page's query string from what the server
    sends, and then asks for reruns with a new seed, exactly the message a page
    sends, and waits for the server's "script finished" (and new headline
    numbers, as a page does).
    """

    def __init__(self, url: str):
        self.url = url.replace("http", "ws", 1) + "/_stcore/stream"
        self.socket = None
        self.seed_id = ""
        self.query = ""
        self.headline: list[str] = []

    async def open(self) -> None:
        """Open a session: the first run, as a page's."""
        self.socket = await websockets.connect(self.url, subprotocols=["streamlit"],
                                               max_size=None)
        first = BackMsg()
        first.rerun_script.widget_states.SetInParent()
        await self.socket.send(first.SerializeToString())
        await self._until_finished()
        if not self.seed_id:
            raise RuntimeError("the page has no seed box")

    async def _until_finished(self) -> None:
        problem = None
        self.headline = []
        while True:
            message = ForwardMsg.FromString(await self.socket.recv())
            kind = message.WhichOneof("type")
            if kind == "page_info_changed":
                self.query = message.page_info_changed.query_string
            elif kind == "delta" and message.delta.WhichOneof("type") == "new_element":
                element = message.delta.new_element
                shown = element.WhichOneof("type")
                if shown == "number_input" and element.number_input.id.endswith(":seed"):
                    self.seed_id = element.number_input.id
                elif shown == "metric":
                    self.headline.append(element.metric.body)
                elif shown == "exception" or (shown == "alert" and element.alert.format
                                              == element.alert.ERROR):
                    problem = "an error is shown"
            elif kind == "script_finished":
                if message.script_finished != ForwardMsg.FINISHED_SUCCESSFULLY:
                    problem = f"script finished with status {message.script_finished}"
                if problem:
                    raise RuntimeError(problem)
                return

    async def change_once(self, seed: int) -> float:
        """Ask for a rerun with a new seed; seconds until the server has finished it."""
        shown = self.headline
        message = BackMsg()
        message.rerun_script.query_string = self.query
        widget = message.rerun_script.widget_states.widgets.add()
        widget.id = self.seed_id
        widget.int_value = seed
        started = time.perf_counter()
        await self.socket.send(message.SerializeToString())
        await asyncio.wait_for(self._until_finished(), timeout=30)
        finished = time.perf_counter() - started
        if not self.headline or self.headline == shown:
            raise RuntimeError("the headline numbers did not change")
        return finished

    async def close(self) -> None:
        """Leave, as closing the tab does."""
        await self.socket.close()


def spread(name: str, values: list[float]) -> dict[str, float | None]:
    """p50, p95 and max of ``values``, named ``name_p50`` and so on."""
    ordered = sorted(values)
    if not ordered:
        return {f"{name}_p50": None, f"{name}_p95": None, f"{name}_max": None}
    return {f"{name}_p50": round(statistics.median(ordered), 2),
            f"{name}_p95": round(ordered[max(0, math.ceil(0.95 * len(ordered)) - 1)], 2),
            f"{name}_max": round(ordered[-1], 2)}


async def open_pages(browser, clock: WireClock, k: int) -> tuple[list, list]:
    """K browser contexts, each with the app open (through the clock) and drawn."""
    contexts = [await browser.new_context(viewport={"width": 1280, "height": 900})
                for _ in range(k)]
    pages = [await context.new_page() for context in contexts]
    await asyncio.gather(*(page.goto(clock.url) for page in pages))
    await asyncio.gather(*(page.wait_for_function(DRAWN, timeout=120_000) for page in pages))
    await asyncio.sleep(SETTLE_S)
    return contexts, [in_browser(page) for page in pages]


async def round_of(browser, clock: WireClock, pid: int, k: int, seconds: float) -> dict:
    """K students at once for ``seconds``; latencies, errors and server memory.

    With ``browser`` None the students speak the protocol and draw nothing.
    """
    if browser is None:
        clients = [ProtocolStudent(clock.url) for _ in range(k)]
        await asyncio.gather(*(client.open() for client in clients))
        await asyncio.sleep(SETTLE_S)
        changes = [client.change_once for client in clients]
    else:
        contexts, changes = await open_pages(browser, clock, k)
    clock.latencies.clear()  # opening the pages is not a change (first views: make bench-app)
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
    await asyncio.gather(*(student(change, i, k, seconds, latencies, errors)
                           for i, change in enumerate(changes)))
    watcher.cancel()
    errors += clock.problems
    clock.problems.clear()
    if browser is None:
        await asyncio.gather(*(client.close() for client in clients))
    else:
        for context in contexts:
            await context.close()
    return {
        "sessions": k, "changes": len(latencies), "errors": len(errors),
        "error_examples": errors[:3],
        **spread("rerun_on_the_wire_s", clock.latencies),
        **({} if browser is None else spread("rerun_to_redrawn_s", latencies)),
        "server_mb_with_sessions_open": round(before, 0),
        "server_mb_peak": round(peak, 0),
    }


async def main_async(sessions: list[int], seconds: float, settle: float, kind: str) -> dict:
    """Every round on one server, then the memory once the sessions are gone."""
    with app_server(return_pid=True) as (url, pid), tempfile.TemporaryDirectory() as folder:
        report: dict = {"server_mb_at_start": round(server_mb(pid), 0), "rounds": []}
        async with async_playwright() as p, WireClock(url) as clock:
            browser = None if kind == "none" else await p.chromium.launch(
                executable_path=browser_executable(kind, Path(folder)), args=CHROMIUM_ARGS)
            for k in sessions:
                report["rounds"].append(await round_of(browser, clock, pid, k, seconds))
                print(json.dumps(report["rounds"][-1]), file=sys.stderr, flush=True)
            if browser is not None:
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
    parser.add_argument("--seconds", type=float, default=90.0,
                        help="how long each round of changes lasts")
    parser.add_argument("--settle", type=float, default=400.0,
                        help="seconds to wait after closing before the last memory reading")
    parser.add_argument("--browser", choices=("idle", "normal", "none"), default="idle",
                        help="idle: one Chromium draws every page but gets only the CPU the "
                        "server leaves; normal: it competes with the server for the cores; "
                        "none: no browser, each student speaks Streamlit's protocol and draws "
                        "nothing, as if every page were drawn on the student's own laptop")
    args = parser.parse_args()
    sessions = [int(k) for k in args.sessions.split(",")]
    report = asyncio.run(main_async(sessions, args.seconds, args.settle, args.browser))
    report["browser"] = args.browser
    report["scenario"] = "baseline, 5,000 persons x 60 months (the app's default)"
    print(json.dumps(report, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
