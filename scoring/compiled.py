"""Compiled loops: a month's per-person work in one pass instead of many.

A numpy expression over all persons is one pass over memory and one call
from Python; a month of the model is about a hundred of them. The loops
here do what several such calls did, person by person, in machine code
made by numba. Each stays in the module whose model it belongs to (the
rules in :mod:`scoring.rules`, ties in :mod:`scoring.network`...); this
module only says how they are compiled:

- ``cache=True``: the machine code is kept on disk, so only the first run
  after an install or a change compiles (``python -m scoring compile`` does it
  ahead; ``docs/performance.md`` gives the times);
- ``nogil=True``: the app's worker threads and the engine's own threads
  can run compiled loops side by side;
- ``error_model="numpy"``: a division by zero gives inf or nan, as numpy
  does, instead of raising in the middle of a loop.

Where the machine code is kept: in :func:`cache_folder`, a folder named by
a digest of every module of the engine (and of the Python, numba and numpy
that compile them). numba on its own checks only the file a loop is written
in, so a loop that uses another module's function or constant (the
network's month runs :mod:`scoring.uniforms`' generator step, the range
reads :mod:`scoring.constants`) would keep running the old machine code
after an update that changed only that other module. With the digest, any
change to the engine compiles every loop anew, once; the folders of earlier
versions are removed when a new one is made. Where no place can hold the
folder, each process compiles the loops it calls and keeps nothing.

Loops take and return plain arrays and numbers, and do the same float32
arithmetic, in the same order, as the numpy code they replace: the pinned
results (``tests/pins.json``) say where that holds.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import shutil
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numba
import numpy as np

# The engine: every module whose functions or constants a loop may use.
ENGINE = Path(__file__).resolve().parent
# A folder of machine code is called this, then the digest.
PREFIX = "compiled-"


def source_digest(root: Path = ENGINE) -> str:
    """A digest of every module under ``root`` and of what compiles them."""
    digest = hashlib.sha256()
    for part in (sys.version, numba.__version__, np.__version__):
        digest.update(part.encode() + b"\0")
    for path in sorted(root.rglob("*.py")):
        digest.update(path.relative_to(root).as_posix().encode() + b"\0")
        digest.update(path.read_bytes() + b"\0")
    return digest.hexdigest()[:16]


def _writable(folder: Path) -> bool:
    try:
        folder.mkdir(parents=True, exist_ok=True)
        tempfile.TemporaryFile(dir=folder).close()
    except OSError:
        return False
    return True


def cache_folder(root: Path = ENGINE) -> Path | None:
    """Where the loops of ``root``'s modules keep their machine code (None: nowhere).

    Under the first writable of: ``NUMBA_CACHE_DIR`` where it is set, the
    engine's own ``__pycache__``, the user's cache folder. Making a new
    folder removes what earlier versions left in the same place: folders of
    other digests, and machine code kept beside the modules (as numba keeps
    it by itself).
    """
    name = PREFIX + source_digest(root)
    for place in _places(root):
        folder = place / name
        if folder.is_dir():
            return folder
        if _writable(folder):
            for old in place.glob(PREFIX + "*"):
                if old.name != name:
                    shutil.rmtree(old, ignore_errors=True)
            for old in root.glob("**/__pycache__/*.nb[ic]"):
                with contextlib.suppress(OSError):
                    old.unlink()
            return folder
    return None


def _places(root: Path) -> list[Path]:
    """Where a folder of machine code may go, in order of preference."""
    places = [Path(os.environ["NUMBA_CACHE_DIR"])] if os.environ.get("NUMBA_CACHE_DIR") else []
    places.append(root / "__pycache__")
    try:
        user_cache = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
    except RuntimeError:  # no home folder to be found
        return places
    return [*places, user_cache / "social-credit-sandbox"]


_FOLDER = cache_folder()
if _FOLDER is not None:
    # Read by numba when a loop is decorated (below), for its place on disk.
    numba.config.CACHE_DIR = str(_FOLDER)


def kept(folder: Path | None = None) -> bool:
    """Whether machine code of this version of the engine is on disk (default: in use)."""
    folder = _FOLDER if folder is None else folder
    return folder is not None and any(folder.rglob("*.nbi"))


def kernel(function: Callable[..., Any]) -> Callable[..., Any]:
    """Compile ``function`` as a GIL-free loop, cached where a place can hold it.

    With no place to keep machine code (a read-only install run by a user
    without a home folder), each process compiles the loops it calls: slower
    to start, never stale. numba's own places would be the stale kind, and
    with none of them writable it refuses to define a cached loop at all.
    """
    return numba.njit(cache=_FOLDER is not None, nogil=True, error_model="numpy")(function)


@numba.njit(inline="always")
def numpy_sum(a: np.ndarray) -> float:
    """``a.sum()`` of a float64 row of up to 128 numbers, added in numpy's order.

    numpy adds fewer than eight numbers one after another, and up to 128 in
    eight running sums (the i-th number into sum ``i % 8``), then those
    pairwise, then the rest one by one: the same bits as numpy's, which a
    plain loop would not give from eight numbers on (``tests/test_compiled.py``).
    """
    n = a.size
    if n > 128:
        raise ValueError("numpy_sum adds up to 128 numbers")
    if n < 8:
        total = 0.0
        for i in range(n):
            total += a[i]
        return total
    r = a[:8].copy()
    i = 8
    while i + 8 <= n:
        for k in range(8):
            r[k] += a[i + k]
        i += 8
    total = ((r[0] + r[1]) + (r[2] + r[3])) + ((r[4] + r[5]) + (r[6] + r[7]))
    while i < n:
        total += a[i]
        i += 1
    return total
