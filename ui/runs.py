"""Simulation results for the views, shared by every session.

Runs are kept by scenario (its JSON), so two students with the same scenario
share one run, a run asked for while it is still simulating is waited for
rather than started twice, and going back to a scenario is instant. A run is
shared, not copied: its arrays are made read-only when it arrives, so no view
can change what another session sees.

Simulations run in two worker processes. A page that needs several runs (its
scenario and a twin) starts them all first with ``prefetch`` so both workers
simulate at once.
"""

from __future__ import annotations

import ctypes
import gc
import logging
import os
import threading
import time
from collections import OrderedDict
from concurrent.futures import Executor, Future, ProcessPoolExecutor, ThreadPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, fields
from multiprocessing import get_context
from typing import Any

import numpy as np
import streamlit as st

from scoring import Result, Scenario
from scoring.counterfactual import all_loops_off, loop_off
from ui.worker import simulate_json

WORKERS = max(1, min(2, os.cpu_count() or 1))
MAX_RUNS = 64  # about 6 MB each at the default size
IDLE_SECONDS = 300  # no run asked for this long: the class has gone, give memory back


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


_runs: OrderedDict[str, Future] = OrderedDict()  # scenario JSON -> (running) simulation
_lock = threading.RLock()
_pool: Executor | None = None
_in_process_only = False
_last_asked = time.monotonic()
_janitor: threading.Thread | None = None
_log = logging.getLogger("social_credit_sandbox")


def run(scenario: Scenario) -> Run:
    """The run of a scenario: shared if known, waited for if simulating, else simulated."""
    key = scenario.model_dump_json()
    try:
        result, metrics = _wait(key)
    except BrokenProcessPool:  # a worker died (killed, out of memory): once more, afresh
        _forget_workers()
        result, metrics = _wait(key)
    _make_read_only(result)
    return Run(scenario, result, metrics)


def _wait(key: str) -> tuple[Result, dict[str, Any]]:
    future = _start(key)
    try:
        if future.done():
            return future.result()
        with st.spinner("Simulating..."):
            return future.result()
    except Exception:
        _forget(key, future)  # not kept: asking again simulates again
        raise


def prefetch(*scenarios: Scenario) -> None:
    """Start simulating every scenario not yet known, without waiting."""
    for scenario in scenarios:
        _start(scenario.model_dump_json())


def warm(*scenarios: Scenario) -> None:
    """Simulate scenarios, all at once, before anyone asks (at start-up: no page to draw on)."""
    for future in [_start(scenario.model_dump_json()) for scenario in scenarios]:
        future.result()


def without_loops(scenario: Scenario) -> Run:
    """The same scenario and seed with every feedback loop off."""
    return run(all_loops_off(scenario))


def without(scenario: Scenario, mechanism: str) -> Run:
    """The same scenario and seed with one mechanism off."""
    return run(loop_off(scenario, mechanism))


def _start(key: str) -> Future:
    """The simulation of a scenario JSON, started if nobody has asked for it yet."""
    global _last_asked
    with _lock:
        _last_asked = time.monotonic()
        future = _runs.get(key)
        if future is not None:
            _runs.move_to_end(key)
            return future
        future = _submit(key)
        _runs[key] = future
        done = [k for k, f in _runs.items() if f.done()]
        for old in done[: max(0, len(_runs) - MAX_RUNS)]:
            del _runs[old]  # oldest finished runs first; running ones stay
        return future


def _submit(key: str) -> Future:
    global _in_process_only
    try:
        return _workers().submit(simulate_json, key)
    except BrokenProcessPool:  # a worker died since the last run: fresh workers
        _forget_workers()
    except (OSError, RuntimeError) as exc:
        if _in_process_only:
            raise
        reason = next((line.strip() for line in str(exc).splitlines() if line.strip()),
                      type(exc).__name__)
        _log.warning("worker processes cannot start here (%s); simulating in the server",
                     reason)
        _in_process_only = True
        _forget_workers()
    return _workers().submit(simulate_json, key)


def _make_read_only(result: Result) -> None:
    """Shared by every session: no view may change it (cheap, done on every read)."""
    arrays = [getattr(result, field.name) for field in fields(result)]
    for value in [*arrays, *result.records.values()]:
        if isinstance(value, np.ndarray):
            value.flags.writeable = False


def _forget(key: str, future: Future) -> None:
    with _lock:
        if _runs.get(key) is future:
            del _runs[key]


def _workers() -> Executor:
    """Two worker processes, started once, shared by every session.

    Streamlit runs every session's script as a thread of one process, so
    simulations run there would take turns on one core; in workers they use
    both cores and leave the server free to draw. "spawn" starts clean
    processes (forking a threaded server is unsafe). Where processes cannot
    start, one thread of the server simulates instead.
    """
    global _pool, _janitor
    with _lock:
        if _pool is None:
            _pool = ThreadPoolExecutor(max_workers=1) if _in_process_only else \
                ProcessPoolExecutor(max_workers=WORKERS, mp_context=get_context("spawn"))
        if _janitor is None:
            _janitor = threading.Thread(target=_tidy_when_idle, daemon=True,
                                        name="sandbox-tidy")
            _janitor.start()
        return _pool


def _forget_workers() -> None:
    global _pool
    with _lock:
        _pool = None


def _tidy_when_idle() -> None:
    while True:
        time.sleep(60)
        tidy_if_idle()


def tidy_if_idle() -> bool:
    """Give memory back once the class has gone; True if it tidied.

    Once nobody has asked for a run for IDLE_SECONDS: drop the kept runs,
    stop the worker processes and hand freed memory back to the system.
    A background thread calls this every minute.
    """
    global _pool
    with _lock:
        if time.monotonic() - _last_asked < IDLE_SECONDS:
            return False
        idle_pool, _pool = _pool, None
        _runs.clear()
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
