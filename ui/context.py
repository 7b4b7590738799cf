"""The runs a page needs, for the session's current scenario (cached)."""

from __future__ import annotations

from ui import state
from ui.runs import Run, run, without_loops


def current_run() -> Run:
    """The run of the session's scenario."""
    return run(state.current())


def loops_off_run() -> Run:
    """The same scenario and seed with every feedback loop off."""
    return without_loops(state.current())
