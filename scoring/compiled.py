"""Compiled loops: a month's per-person work in one pass instead of many.

A numpy expression over all persons is one pass over memory and one call
from Python; a month of the model is about a hundred of them. The loops
here do what several such calls did, person by person, in machine code
made by numba. Each stays in the module whose model it belongs to (the
rules in :mod:`scoring.rules`, ties in :mod:`scoring.network`...); this
module only says how they are compiled:

- ``cache=True``: the machine code is kept on disk beside the module
  (``__pycache__``), so only the first run after an install or a change
  compiles (``python -m scoring warm`` does it ahead; ``docs/performance.md``
  gives the times);
- ``nogil=True``: the app's worker threads and the engine's own threads
  can run compiled loops side by side;
- ``error_model="numpy"``: a division by zero gives inf or nan, as numpy
  does, instead of raising in the middle of a loop.

Loops take and return plain arrays and numbers, and do the same float32
arithmetic, in the same order, as the numpy code they replace: the pinned
results (``tests/pins.json``) say where that holds.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numba


def kernel(function: Callable[..., Any]) -> Callable[..., Any]:
    """Compile ``function`` as a cached, GIL-free loop."""
    return numba.njit(cache=True, nogil=True, error_model="numpy")(function)
