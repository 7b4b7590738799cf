"""The runs a page needs, for the session's current scenario (shared, see ui.runs)."""

from __future__ import annotations

from scoring import Scenario
from scoring.counterfactual import all_loops_off, loop_off
from scoring.mechanisms import LOOP_KEYS
from ui import state
from ui.runs import Run, prefetch, run, without_loops


def current_run() -> Run:
    """The run of the session's scenario."""
    return run(state.current())


def loops_off_run() -> Run:
    """The same scenario and seed with every feedback loop off."""
    return without_loops(state.current())


def needed(page: str, scenario: Scenario) -> list[Scenario]:
    """Every scenario a page will ask to run: the scenario itself and its twins."""
    if page == "drift":
        return [scenario, all_loops_off(scenario)]
    if page == "loops":
        return [scenario, *(loop_off(scenario, key) for key in LOOP_KEYS
                            if getattr(scenario.mechanisms, key))]
    return [scenario]


def start_runs(page: str) -> None:
    """Start every run the page needs at once, so the two workers simulate side by side."""
    prefetch(*needed(page, state.current()))
