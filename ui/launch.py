"""Start the app, get it ready, then open it in the browser (``make run``).

The server runs in this process (``streamlit run``, as its own command line
would), so the engine, pandas and plotly are imported once before the first
visitor, and the default scenario is simulated as soon as the server answers.
The browser tab opens after that, and the first page only has to be drawn.
"""

from __future__ import annotations

import argparse
import logging
import os
import socket
import sys
import threading
import time
import urllib.request
import webbrowser
from pathlib import Path

APP = Path(__file__).resolve().parent.parent / "app.py"


def _answering(url: str, timeout: float = 60.0) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url + "/_stcore/health", timeout=2):  # noqa: S310
                return True
        except OSError:
            time.sleep(0.2)
    return False


def _warm_up() -> None:
    """Simulate the default scenario and its every-loop-off twin for the first visitors."""
    from scoring import load_preset
    from scoring.counterfactual import all_loops_off
    from scoring.mechanisms import diagram_edges
    from ui import runs, state
    from ui.charts import diagram_layout

    scenario = load_preset(state.DEFAULT_PRESET)
    runs.warm(scenario, all_loops_off(scenario))
    diagram_layout(diagram_edges())  # worked out once, before anyone opens Feedback loops


def room_address() -> str | None:
    """This machine's address on the local network, for students to type.

    Connecting a UDP socket only picks the outgoing interface: no packet is sent.
    """
    try:
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
            probe.connect(("10.255.255.255", 1))
            address = probe.getsockname()[0]
    except OSError:
        return None
    return None if address.startswith("127.") else address


def _get_ready(url: str, open_browser: bool, port: int, serving_room: bool) -> None:
    if not _answering(url):
        return
    from scoring import compiled

    if not compiled.kept():
        print("\n  First start of this version: compiling the engine's loops "
              "(once, about 15 s)...", flush=True)
    try:
        _warm_up()
    except Exception:  # noqa: BLE001 - the first visitor then simply simulates it
        logging.getLogger("social_credit_sandbox").exception("warm-up failed")
    print(f"\n  Social Credit Sandbox is ready: open {url}", flush=True)
    if serving_room:
        address = room_address()
        where = f"http://{address}:{port}" if address else f"this machine's address, port {port}"
        print(f"  Students on the same network open {where}", flush=True)
    print(flush=True)
    if open_browser:
        webbrowser.open(url)


def main(argv: list[str] | None = None) -> int:
    """Run Streamlit on the app in this process; open a browser tab when it is ready."""
    parser = argparse.ArgumentParser(description="Start the Social Credit Sandbox app.")
    parser.add_argument("--port", type=int, default=8501)
    parser.add_argument("--address", default="localhost",
                        help="address to listen on (0.0.0.0 for a classroom network)")
    parser.add_argument("--no-browser", action="store_true", help="do not open a browser tab")
    args = parser.parse_args(argv)
    # Imported here, before the server starts, so the first visitor does not wait for them.
    import plotly.graph_objects  # noqa: F401
    from streamlit.web import cli

    import scoring  # noqa: F401
    from ui import charts  # noqa: F401

    host = "localhost" if args.address in ("0.0.0.0", "::") else args.address  # noqa: S104
    serving_room = args.address in ("0.0.0.0", "::")  # noqa: S104
    threading.Thread(target=_get_ready, args=(f"http://{host}:{args.port}", not args.no_browser,
                                              args.port, serving_room), daemon=True).start()
    os.chdir(APP.parent)  # where .streamlit/config.toml is
    sys.argv = ["streamlit", "run", str(APP), "--server.port", str(args.port),
                "--server.address", args.address, "--server.headless", "true"]
    try:
        cli.main()
    except SystemExit as done:
        return int(done.code or 0)
    except KeyboardInterrupt:
        return 0
    return 0


if __name__ == "__main__":
    sys.exit(main())
