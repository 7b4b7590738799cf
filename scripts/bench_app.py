"""Benchmark the app: server time per rerun, browser time per change, memory per session.

Run with ``.venv/bin/python scripts/bench_app.py`` (``make bench-app``). It
starts the real app as ``make run`` does (``python -m ui.launch``) on a free
local port, drives Debian's Chromium, and prints one JSON object. Results are
recorded in docs/performance.md.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from pathlib import Path

import psutil
from playwright.sync_api import sync_playwright
from streamlit.testing.v1 import AppTest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))
sys.path.insert(0, str(ROOT))

from browser import CHROMIUM_ARGS, app_server, chromium_path, wait_idle  # noqa: E402


def server_reruns(changes: int) -> dict[str, float]:
    """Script time of a rerun after a control change (new scenario) and of a cached one."""
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120).run()
    fresh, cached = [], []
    for seed in range(100, 100 + changes):
        started = time.perf_counter()
        at.number_input(key="v0:seed").set_value(seed).run()
        fresh.append(time.perf_counter() - started)
    for seed in range(100, 100 + changes):
        started = time.perf_counter()
        at.number_input(key="v0:seed").set_value(seed).run()
        cached.append(time.perf_counter() - started)
    return {"rerun_new_scenario_s_median": round(statistics.median(fresh), 3),
            "rerun_new_scenario_s_max": round(max(fresh), 3),
            "rerun_cached_scenario_s_median": round(statistics.median(cached), 3)}


def _first_view(page, url: str) -> float:
    """Seconds from opening the app to every headline number and chart drawn."""
    started = time.perf_counter()
    page.goto(url)
    page.wait_for_function(
        "() => document.querySelectorAll('[data-testid=stMain] .js-plotly-plot').length >= 3"
        " && document.querySelector('[data-testid=stMetricValue]')"
        " && document.querySelector('[data-testid=stSidebar] [data-testid=stNumberInput] input')"
        " && !document.querySelector('[data-testid=\"stStatusWidget\"]')",
        timeout=60_000, polling=20)
    return time.perf_counter() - started


def _headline(page) -> str:
    return "|".join(page.locator("[data-testid='stMetricValue']").all_inner_texts())


def first_views(url: str, browsers: int) -> dict[str, float]:
    """First view in browsers that have never opened the app (a new profile each)."""
    times = []
    with sync_playwright() as p:
        for _ in range(browsers):
            browser = p.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_ARGS)
            page = browser.new_page(viewport={"width": 1500, "height": 1200})
            times.append(_first_view(page, url))
            browser.close()
    return {"first_view_new_browser_s_median": round(statistics.median(times), 2),
            "first_view_new_browser_s_max": round(max(times), 2),
            "first_view_new_browser_s_all": [round(t, 2) for t in times]}


def browser_changes(url: str, changes: int) -> dict[str, float]:
    """Wall time from typing a new seed to the redrawn page, in a real browser."""
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": 1500, "height": 1200})
        _first_view(page, url)
        warm = statistics.median(_first_view(page, url) for _ in range(3))
        seed_box = page.locator("[data-testid='stSidebar'] [data-testid='stNumberInput'] input")
        times = []
        for seed in range(200, 200 + changes):
            shown = _headline(page)
            seed_box.first.fill(str(seed))
            started = time.perf_counter()
            seed_box.first.press("Enter")
            # Done when every headline number is redrawn for the new seed.
            page.wait_for_function(
                "old => { const v = [...document.querySelectorAll("
                "'[data-testid=\"stMetricValue\"]')].map(e => e.innerText).join('|');"
                " return v !== old && v.length > 0"
                " && !document.querySelector('[data-testid=\"stStatusWidget\"]'); }",
                arg=shown, timeout=30_000, polling=20)
            times.append(time.perf_counter() - started)
        browser.close()
    return {"first_view_cached_browser_s_median": round(warm, 2),
            "change_to_redraw_s_median": round(statistics.median(times), 3),
            "change_to_redraw_s_max": round(max(times), 3)}


def memory_per_session(url: str, server_pid: int, sessions: int) -> dict[str, float]:
    """Server memory growth per open session (each one changes its own scenario)."""
    server = psutil.Process(server_pid)

    def rss() -> float:
        return sum(p.memory_info().rss for p in [server, *server.children(recursive=True)]
                   ) / 2**20

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_ARGS)
        warm = browser.new_page()
        warm.goto(url)
        wait_idle(warm)
        before = rss()
        contexts = []
        for i in range(sessions):
            context = browser.new_context(viewport={"width": 1400, "height": 1000})
            page = context.new_page()
            page.goto(url)
            wait_idle(page)
            box = page.locator("[data-testid='stSidebar'] [data-testid='stNumberInput'] input")
            box.first.fill(str(1000 + i))
            box.first.press("Enter")
            page.wait_for_timeout(50)
            wait_idle(page)
            contexts.append(context)
        after = rss()
        browser.close()
    return {"sessions": sessions, "server_rss_mb_before": round(before, 1),
            "server_rss_mb_after": round(after, 1),
            "mb_per_session": round((after - before) / sessions, 1)}


def main() -> int:
    """Run the three measurements and print them as JSON."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--changes", type=int, default=8)
    parser.add_argument("--sessions", type=int, default=5)
    parser.add_argument("--browsers", type=int, default=5,
                        help="new browsers for the first-view measure")
    args = parser.parse_args()
    report = {"scenario": "baseline, 5,000 persons x 60 months (the app's default)"}
    report.update(server_reruns(args.changes))
    # The server starts as `make run` starts it; the clock starts when a page opens.
    with app_server(return_pid=True) as (url, pid):
        report.update(first_views(url, args.browsers))
        report.update(browser_changes(url, args.changes))
        report.update(memory_per_session(url, pid, args.sessions))
    print(json.dumps(report, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
