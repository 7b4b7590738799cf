"""Start the app and open it in the browser once it answers (``make run``)."""

from __future__ import annotations

import argparse
import subprocess
import sys
import threading
import time
import urllib.request
import webbrowser
from pathlib import Path

APP = Path(__file__).resolve().parent.parent / "app.py"


def _open_when_ready(url: str, timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url + "/_stcore/health", timeout=2):  # noqa: S310
                break
        except OSError:
            time.sleep(0.5)
    else:
        return
    print(f"\n  Social Credit Sandbox is running: open {url}\n", flush=True)
    webbrowser.open(url)


def main() -> int:
    """Run Streamlit on the app; open a browser tab when it is up."""
    parser = argparse.ArgumentParser(description="Start the Social Credit Sandbox app.")
    parser.add_argument("--port", type=int, default=8501)
    parser.add_argument("--no-browser", action="store_true", help="do not open a browser tab")
    args = parser.parse_args()
    url = f"http://localhost:{args.port}"
    if not args.no_browser:
        threading.Thread(target=_open_when_ready, args=(url,), daemon=True).start()
    command = [sys.executable, "-m", "streamlit", "run", str(APP),
               "--server.port", str(args.port)]
    try:
        return subprocess.call(command, cwd=APP.parent)
    except KeyboardInterrupt:
        return 0


if __name__ == "__main__":
    sys.exit(main())
