"""A throwaway nginx in front of app copies: the project's own docs/deploy/nginx.conf.

``make test`` installs Debian's nginx where missing (scripts/ensure-nginx.sh).
:func:`nginx_proxy` copies the deploy configuration with only its addresses
changed (a free port to listen on, the given copies as the upstream, files in
a temporary folder), adds one response header naming the copy that answered
(so a test can tell the copies apart), starts nginx in the foreground, yields
the proxy's URL and stops it.
"""

from __future__ import annotations

import re
import shutil
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from browser import ROOT, free_port, stop

CONFIG = ROOT / "docs" / "deploy" / "nginx.conf"
COPY_HEADER = "X-Sandbox-Copy"


def _binary() -> str:
    found = shutil.which("nginx") or ("/usr/sbin/nginx" if Path("/usr/sbin/nginx").exists()
                                      else None)
    if found is None:
        raise RuntimeError("nginx is not installed: `make test` installs it "
                           "(scripts/ensure-nginx.sh)")
    return found


def configuration(text: str, folder: Path, port: int, upstreams: list[str]) -> str:
    """The deploy configuration, moved to ``folder`` and ``port`` and these copies."""
    servers = "".join(f"        server {address};\n" for address in upstreams)
    changed, count = re.subn(r"(upstream sandbox \{\n\s*hash [^\n]*\n)(?:\s*server [^\n]*\n)+",
                             lambda m: m.group(1) + servers, text)
    assert count == 1, "the deploy configuration has no upstream block of servers"
    changed = changed.replace("listen 8080;", f"listen 127.0.0.1:{port};")
    changed = changed.replace("/tmp/sandbox-nginx", str(folder / "nginx"))
    header = f'            add_header {COPY_HEADER} $upstream_addr always;\n'
    changed = changed.replace("            add_header Set-Cookie", header
                              + "            add_header Set-Cookie")
    return changed


@contextmanager
def nginx_proxy(copies: list[str]) -> Iterator[str]:
    """Start nginx in front of these copies (``http://127.0.0.1:PORT``); yield its URL."""
    folder = Path(tempfile.mkdtemp(prefix="scs-nginx-"))
    folder.chmod(0o755)  # run as root, nginx's workers are another user
    port = free_port()
    upstreams = [url.removeprefix("http://") for url in copies]
    conf = folder / "nginx.conf"
    conf.write_text(configuration(CONFIG.read_text(), folder, port, upstreams))
    binary = _binary()
    subprocess.run([binary, "-t", "-q", "-c", str(conf), "-p", str(folder)], check=True,
                   capture_output=True, text=True)
    process = subprocess.Popen([binary, "-c", str(conf), "-p", str(folder),
                                "-g", "daemon off;"], stdout=subprocess.PIPE,
                               stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + 15
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                if process.poll() is not None or time.monotonic() > deadline:
                    log = folder / "nginx-error.log"
                    raise RuntimeError("nginx did not start: "
                                       + (log.read_text() if log.exists() else "no log")) from None
                time.sleep(0.1)
        yield f"http://127.0.0.1:{port}"
    finally:
        stop(process)
        shutil.rmtree(folder, ignore_errors=True)
