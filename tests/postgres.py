"""A throwaway PostgreSQL server for the storage tests: Debian's binaries, a temporary folder.

``make test`` installs the binaries where missing (scripts/ensure-postgres.sh);
:func:`postgres_server` creates a cluster in a temporary folder, starts it on
a free port of 127.0.0.1 (trust login for the local user ``postgres`` only),
yields its URL and stops it. As root the server runs as the ``postgres`` user,
which PostgreSQL requires.
"""

from __future__ import annotations

import glob
import os
import pwd
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from browser import free_port


def binaries() -> Path:
    """The folder of Debian's PostgreSQL server programs (the newest)."""
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"),
                   key=lambda p: int(Path(p).parts[-3]))
    if not found:
        raise RuntimeError("PostgreSQL is not installed: `make test` installs it "
                           "(scripts/ensure-postgres.sh)")
    return Path(found[-1]).parent


def _as_owner(command: list[str], folder: Path) -> list[str]:
    if os.geteuid() != 0:
        return command
    user = pwd.getpwnam("postgres")
    os.chown(folder, user.pw_uid, user.pw_gid)
    return ["runuser", "-u", "postgres", "--", *command]


@contextmanager
def postgres_server() -> Iterator[str]:
    """Start a PostgreSQL server; yield its URL; stop it and delete its files."""
    bin_dir = binaries()
    folder = Path(tempfile.mkdtemp(prefix="scs-postgres-"))
    os.chmod(folder, 0o755)
    data = folder / "data"
    port = free_port()
    run = lambda args: subprocess.run(_as_owner(args, folder), check=True,  # noqa: E731
                                      capture_output=True, text=True)
    try:
        if os.geteuid() == 0:
            data.mkdir()
            user = pwd.getpwnam("postgres")
            os.chown(data, user.pw_uid, user.pw_gid)
        run([str(bin_dir / "initdb"), "-D", str(data), "-U", "postgres", "--auth=trust",
             "--no-sync", "-E", "UTF8"])
        run([str(bin_dir / "pg_ctl"), "-D", str(data), "-w", "-l", str(folder / "log"),
             "-o", f"-p {port} -k {folder} -c listen_addresses=127.0.0.1 -c fsync=off",
             "start"])
        yield f"postgresql+psycopg://postgres@127.0.0.1:{port}/postgres"
    finally:
        if (data / "postmaster.pid").exists():
            subprocess.run(_as_owner([str(bin_dir / "pg_ctl"), "-D", str(data), "-m", "fast",
                                      "-w", "stop"], folder), capture_output=True)
        shutil.rmtree(folder, ignore_errors=True)
