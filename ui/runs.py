"""Simulation results for the views, cached by scenario.

The cache is keyed by the scenario's JSON, so two students with the same
scenario share one run and nobody's run ever depends on another's state.
"""

from __future__ import annotations

import logging
import os
import threading
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from multiprocessing import get_context
from typing import Any

import streamlit as st

from scoring import Result, Scenario
from scoring.counterfactual import all_loops_off, loop_off
from ui.worker import simulate_json

WORKERS = max(1, min(2, os.cpu_count() or 1))


@dataclass(frozen=True)
class Run:
    """A scenario with its result and metrics."""

    scenario: Scenario
    result: Result
    metrics: dict[str, Any]

    @property
    def final(self) -> dict[str, Any]:
        """Metrics of the last month."""
        return self.metrics["final"]


_pool: ProcessPoolExecutor | None = None
_pool_lock = threading.Lock()


def _workers() -> ProcessPoolExecutor:
    """Two worker processes, started once, shared by every session.

    Streamlit runs every session's script as a thread of one process, so
    simulations run there would take turns on one core; in workers they use
    both cores and leave the server free to draw. "spawn" starts clean
    processes (forking a threaded server is unsafe).
    """
    global _pool
    with _pool_lock:
        if _pool is None:
            _pool = ProcessPoolExecutor(max_workers=WORKERS, mp_context=get_context("spawn"))
        return _pool


def _forget_workers() -> None:
    global _pool
    with _pool_lock:
        _pool = None


_in_process_only = False


@st.cache_data(max_entries=64, ttl=300, show_spinner="Simulating...")
def _simulate(scenario_json: str) -> tuple[Result, dict[str, Any]]:
    global _in_process_only
    if not _in_process_only:
        try:
            return _workers().submit(simulate_json, scenario_json).result()
        except BrokenProcessPool:  # a worker died (killed, out of memory): start afresh
            _forget_workers()
        except (OSError, RuntimeError):  # workers cannot start here: simulate in-process
            logging.getLogger("social_credit_sandbox").warning(
                "worker processes unavailable; simulating in the server", exc_info=True)
            _in_process_only = True
            _forget_workers()
    return simulate_json(scenario_json)


def run(scenario: Scenario) -> Run:
    """The run of a scenario."""
    result, metrics = _simulate(scenario.model_dump_json())
    return Run(scenario, result, metrics)


def without_loops(scenario: Scenario) -> Run:
    """The same scenario and seed with every feedback loop off."""
    return run(all_loops_off(scenario))


def without(scenario: Scenario, mechanism: str) -> Run:
    """The same scenario and seed with one mechanism off."""
    return run(loop_off(scenario, mechanism))
