"""The runs a page needs, for the session's current scenario (shared, see ui.runs)."""

from __future__ import annotations

from ui import state
from ui.runs import Run, prefetch, run, without_loops
from ui.site import PAGE_BY_KEY
from ui.spread import Spread, other_seeds


def current_run() -> Run:
    """The run of the session's scenario."""
    return run(state.current())


def loops_off_run() -> Run:
    """The same scenario and seed with every feedback loop off."""
    return without_loops(state.current())


def spread() -> Spread:
    """The session's scenario on several seeds, its own first (ui.spread)."""
    scenario = state.current()
    return Spread(tuple(run(s).metrics for s in (scenario, *other_seeds(scenario))))


def start_runs(page: str) -> None:
    """Start every run the page needs at once, so the two workers simulate side by side."""
    prefetch(*PAGE_BY_KEY[page].needs(state.current()))
