"""How much memory a run needs, and refusing runs this machine cannot hold.

A run keeps every month of every person's score and points (int16) plus counts
and the true-behaviour twin: measured at about 21 bytes per person-month at its
peak (1,000,000 persons x 120 months: 2.6 GB; 1.4 GB for a run that keeps the
tracked persons' points only, as run --no-history does). Writing history.csv builds one
table row per person-month first: about 65 bytes per person-month (200,000 x 60:
0.94 GB against 0.44 GB without it). The estimates below round both up.
"""

from __future__ import annotations

import os

BYTES_PER_PERSON_MONTH = 24
BYTES_PER_HISTORY_ROW = 72
SHARE_OF_MEMORY = 0.75  # leave a quarter of the machine to everything else


def memory_needed(population: int, months: int, history: bool = False) -> int:
    """Bytes a run of this size needs at its peak (an estimate, on the safe side)."""
    per = BYTES_PER_HISTORY_ROW if history else BYTES_PER_PERSON_MONTH
    return population * (months + 1) * per + 200 * 2**20


def physical_memory() -> int | None:
    """Bytes of memory this machine has, or None where the system does not say."""
    try:
        return os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES")
    except (AttributeError, ValueError, OSError):
        return None


def too_big(population: int, months: int, runs_at_once: int = 1, history: bool = False,
            available: int | None = None) -> str | None:
    """A sentence saying what to lower if the run would not fit in memory, else None."""
    available = physical_memory() if available is None else available
    if available is None:
        return None
    needed = memory_needed(population, months, history) * runs_at_once
    if needed <= available * SHARE_OF_MEMORY:
        return None
    at_once = f" ({runs_at_once} at once)" if runs_at_once > 1 else ""
    return (f"{population:,} persons x {months} months{at_once} needs about "
            f"{needed / 2**30:.1f} GB of memory; this machine has {available / 2**30:.1f} GB: "
            "lower --population or --months" + (" or --workers" if runs_at_once > 1 else "")
            + (", or add --no-history" if history else ""))
