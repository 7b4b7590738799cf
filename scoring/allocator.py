"""Memory the command line keeps for reuse instead of giving it back each month.

A month of a big run makes and drops many arrays of megabytes (a million
persons: 4 MB for each float32 row). glibc's allocator maps each such array
from the system and unmaps it when it is dropped, so next month's arrays
fault in fresh zeroed pages again. The command line runs one job and exits:
:func:`keep_freed_memory` has dropped arrays kept and reused, which makes a
million-person month about a seventh faster (``docs/performance.md``) at
the same peak memory. The app's server does not call it: a process that runs
for days should give memory back.
"""

from __future__ import annotations

import ctypes
import ctypes.util

# mallopt() parameters (glibc's malloc.h).
_M_TRIM_THRESHOLD = -1
_M_MMAP_THRESHOLD = -3
# Arrays up to this size come from the heap, not a mapping of their own.
HEAP_UP_TO = 1 << 30
# Free memory at the heap's top is kept up to this much.
KEEP_UP_TO = (1 << 31) - 1


def keep_freed_memory() -> bool:
    """Have glibc keep and reuse dropped arrays; False where that allocator is absent."""
    name = ctypes.util.find_library("c")
    if name is None:
        return False
    try:
        libc = ctypes.CDLL(name)
        mallopt = libc.mallopt
    except (OSError, AttributeError):  # not glibc (musl, macOS, Windows)
        return False
    mallopt.argtypes = (ctypes.c_int, ctypes.c_int)
    return bool(mallopt(_M_MMAP_THRESHOLD, HEAP_UP_TO)) and bool(
        mallopt(_M_TRIM_THRESHOLD, KEEP_UP_TO))
