"""Simulation results for the views, cached by scenario.

The cache is keyed by the scenario's JSON, so two students with the same
scenario share one run and nobody's run ever depends on another's state.
"""

from __future__ import annotations

import ctypes
import gc
import logging
import os
import threading
import time
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


IDLE_SECONDS = 300  # no run asked for this long: the class has gone, give memory back
_last_asked = time.monotonic()
_janitor: threading.Thread | None = None


def _tidy_when_idle() -> None:
    while True:
        time.sleep(60)
        tidy_if_idle()


def tidy_if_idle() -> bool:
    """Give memory back once the class has gone; True if it tidied.

    Once nobody has asked for a run for IDLE_SECONDS: drop the cached runs,
    stop the worker processes and hand freed memory back to the system.
    (Streamlit's cache would drop expired runs only when it is next used.)
    A background thread calls this every minute.
    """
    global _pool
    if time.monotonic() - _last_asked < IDLE_SECONDS:
        return False
    with _pool_lock:
        idle_pool, _pool = _pool, None
    _simulate.clear()
    if idle_pool is not None:
        idle_pool.shutdown(wait=True)
    gc.collect()
    _release_freed_memory()
    return True


def _release_freed_memory() -> None:
    try:
        ctypes.CDLL("libc.so.6").malloc_trim(0)  # glibc keeps freed memory otherwise
    except (OSError, AttributeError):
        pass  # another C library: it returns memory its own way


def _workers() -> ProcessPoolExecutor:
    """Two worker processes, started once, shared by every session.

    Streamlit runs every session's script as a thread of one process, so
    simulations run there would take turns on one core; in workers they use
    both cores and leave the server free to draw. "spawn" starts clean
    processes (forking a threaded server is unsafe).
    """
    global _pool, _janitor
    with _pool_lock:
        if _pool is None:
            _pool = ProcessPoolExecutor(max_workers=WORKERS, mp_context=get_context("spawn"))
        if _janitor is None:
            _janitor = threading.Thread(target=_tidy_when_idle, daemon=True,
                                        name="sandbox-tidy")
            _janitor.start()
        return _pool


def _forget_workers() -> None:
    global _pool
    with _pool_lock:
        _pool = None


_in_process_only = False


@st.cache_data(max_entries=64, show_spinner="Simulating...")
def _simulate(scenario_json: str) -> tuple[Result, dict[str, Any]]:
    global _in_process_only
    for _ in range(2):
        if _in_process_only:
            break
        pool = _workers()
        try:
            future = pool.submit(simulate_json, scenario_json)
        except BrokenProcessPool:
            _forget_workers()
            continue
        except (OSError, RuntimeError) as exc:
            if _pool is not pool:
                continue  # tidied away just now: start a fresh pool
            reason = next((line.strip() for line in str(exc).splitlines() if line.strip()),
                          type(exc).__name__)
            logging.getLogger("social_credit_sandbox").warning(
                "worker processes cannot start here (%s); simulating in the server", reason)
            _in_process_only = True
            _forget_workers()
            break
        try:
            return future.result()  # an error of the simulation itself is raised here
        except BrokenProcessPool:  # a worker died (killed, out of memory): start afresh
            _forget_workers()
    return simulate_json(scenario_json)


def run(scenario: Scenario) -> Run:
    """The run of a scenario."""
    global _last_asked
    _last_asked = time.monotonic()
    result, metrics = _simulate(scenario.model_dump_json())
    return Run(scenario, result, metrics)


def without_loops(scenario: Scenario) -> Run:
    """The same scenario and seed with every feedback loop off."""
    return run(all_loops_off(scenario))


def without(scenario: Scenario, mechanism: str) -> Run:
    """The same scenario and seed with one mechanism off."""
    return run(loop_off(scenario, mechanism))
