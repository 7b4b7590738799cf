"""Helpers for the browser tests: a real app server and Debian's Chromium."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SCREENSHOTS = ROOT / "tests" / "screenshots"
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
    "--disable-quic",
]


def chromium_path() -> str:
    """Debian's Chromium (``make test`` installs it); fail loudly if it is missing."""
    path = shutil.which("chromium") or "/usr/bin/chromium"
    if not Path(path).exists():
        raise RuntimeError("Chromium is missing: run 'make test', which installs it")
    return path


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextmanager
def app_server(return_pid: bool = False, env: dict[str, str] | None = None) -> Iterator:
    """Start the app as ``make run`` does, on a free local port, and wait until it is
    ready (the default scenario simulated); yield its base URL (and pid); stop it.
    ``env`` adds to its environment (another class database, say)."""
    port = free_port()
    env = {**os.environ, "PYTHONUNBUFFERED": "1", **(env or {})}
    process = subprocess.Popen(
        [sys.executable, "-m", "ui.launch", "--no-browser", "--port", str(port),
         "--address", "127.0.0.1"],
        cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )
    ready = threading.Event()

    def follow() -> None:  # read every line, so the server never blocks on a full pipe
        log = open(os.environ["APP_LOG"], "a") if os.environ.get("APP_LOG") else None  # noqa: SIM115
        for line in process.stdout:
            if log:
                log.write(line)
                log.flush()
            if "is ready" in line:
                ready.set()

    threading.Thread(target=follow, daemon=True).start()
    try:
        deadline = time.monotonic() + 90
        while not ready.wait(timeout=0.3):
            if process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError("the app did not start")
        yield (f"http://127.0.0.1:{port}", process.pid) if return_pid \
            else f"http://127.0.0.1:{port}"
    finally:
        stop(process)


def stop(process: subprocess.Popen) -> None:
    """Ask a server started by a test to stop; kill it if it has not in 10 s."""
    process.terminate()
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()


def wait_idle(page, timeout: float = 120_000) -> None:
    """Wait until Streamlit has finished running the script and drawing."""
    page.wait_for_selector("[data-testid='stApp']", timeout=timeout)
    # The controls are drawn on every page: wait for them before anything else.
    page.wait_for_selector("[data-testid='stSidebar'] [data-testid='stNumberInput'] input",
                           state="attached", timeout=timeout)
    page.wait_for_function(
        "() => !document.querySelector('[data-testid=\"stStatusWidget\"]')"
        " && !document.querySelector('[data-testid=\"stSkeleton\"]')", timeout=timeout)
    page.wait_for_timeout(400)


def metric(page, label: str) -> str:
    """The value of the headline metric with this label."""
    box = page.locator("[data-testid='stMetric']", has_text=label).first
    return box.locator("[data-testid='stMetricValue']").inner_text().strip()


def wait_changed(page, label: str, before: str, timeout: float = 60_000) -> None:
    """Wait until a headline metric shows something other than ``before``, then idle."""
    page.wait_for_function(
        """([label, before]) => {
            const box = [...document.querySelectorAll('[data-testid="stMetric"]')]
                .find(e => e.innerText.includes(label));
            const value = box && box.querySelector('[data-testid="stMetricValue"]');
            return value && value.innerText.trim() !== before;
        }""", arg=[label, before], timeout=timeout, polling=50)
    wait_idle(page)


def screenshot(page, name: str) -> Path:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    page.screenshot(path=str(path))
    return path
