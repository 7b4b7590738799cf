"""Simulation results for the views, shared by every session.

Runs are kept by scenario (its JSON), so two students with the same scenario
share one run, a run asked for while it is still simulating is waited for
rather than started twice, and going back to a scenario is instant. A run is
shared, not copied: its arrays are made read-only when it arrives, so no view
can change what another session sees.

Simulations run in two worker processes. A page that needs several runs (its
scenario and a twin) starts them all first with ``prefetch`` so both workers
simulate at once. One :class:`RunStore` serves the whole server (:data:`STORE`);
the module's functions are its methods.
"""

from __future__ import annotations

import ctypes
import gc
import logging
import os
import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from concurrent.futures import Executor, Future, ProcessPoolExecutor, ThreadPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, fields
from multiprocessing import get_context
from typing import Any

import numpy as np
import streamlit as st

from scoring import Result, Scenario
from scoring.counterfactual import all_loops_off, loop_off
from ui.worker import finals_json, simulate_json

WORKERS = max(1, min(2, os.cpu_count() or 1))
MAX_RUNS = 64  # about 6 MB each at the default size
IDLE_SECONDS = 300  # no run asked for this long: the class has gone, give memory back
_log = logging.getLogger("social_credit_sandbox")


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


class RunStore:
    """Every run the server has, shared by every session.

    Args:
        simulate: What a worker runs: scenario JSON -> (result, metrics).
        in_process: Simulate in one thread of the server instead of worker
            processes (the store also falls back to this where processes
            cannot start).
        max_runs: How many finished runs to keep, oldest dropped first.
    """

    def __init__(self, simulate: Callable[[str], tuple[Result, dict[str, Any]]] = simulate_json,
                 in_process: bool = False, max_runs: int = MAX_RUNS):
        self.simulate = simulate
        self.in_process = in_process
        self.max_runs = max_runs
        self.runs: OrderedDict[str, Future] = OrderedDict()  # scenario JSON -> simulation
        self.pool: Executor | None = None
        self.last_asked = time.monotonic()
        self._lock = threading.RLock()
        self._janitor: threading.Thread | None = None

    def run(self, scenario: Scenario) -> Run:
        """The run of a scenario: shared if known, waited for if simulating, else simulated."""
        key = scenario.model_dump_json()
        try:
            result, metrics = self._wait(key)
        except BrokenProcessPool:  # a worker died (killed, out of memory): once more, afresh
            self.forget_workers()
            result, metrics = self._wait(key)
        _make_read_only(result)
        return Run(scenario, result, metrics)

    def prefetch(self, *scenarios: Scenario) -> None:
        """Start simulating every scenario not yet known, without waiting."""
        for scenario in scenarios:
            self.start(scenario.model_dump_json())

    def warm(self, *scenarios: Scenario) -> None:
        """Simulate scenarios, all at once, before anyone asks (at start-up)."""
        for future in [self.start(scenario.model_dump_json()) for scenario in scenarios]:
            future.result()

    def _wait(self, key: str) -> tuple[Result, dict[str, Any]]:
        future = self.start(key)
        try:
            if future.done():
                return future.result()
            with st.spinner("Simulating..."):
                return future.result()
        except Exception:
            self._forget(key, future)  # not kept: asking again simulates again
            raise

    def start(self, key: str) -> Future:
        """The simulation of a scenario JSON, started if nobody has asked for it yet."""
        with self._lock:
            self.last_asked = time.monotonic()
            future = self.runs.get(key)
            if future is not None:
                self.runs.move_to_end(key)
                return future
            future = self._submit(key)
            self.runs[key] = future
            done = [k for k, f in self.runs.items() if f.done()]
            for old in done[: max(0, len(self.runs) - self.max_runs)]:
                del self.runs[old]  # oldest finished runs first; running ones stay
            return future

    def _submit(self, key: str) -> Future:
        try:
            return self._workers().submit(self.simulate, key)
        except BrokenProcessPool:  # a worker died since the last run: fresh workers
            self.forget_workers()
        except (OSError, RuntimeError) as exc:
            if self.in_process:
                raise
            reason = next((line.strip() for line in str(exc).splitlines() if line.strip()),
                          type(exc).__name__)
            _log.warning("worker processes cannot start here (%s); simulating in the server",
                         reason)
            self.in_process = True
            self.forget_workers()
        return self._workers().submit(self.simulate, key)

    def _forget(self, key: str, future: Future) -> None:
        with self._lock:
            if self.runs.get(key) is future:
                del self.runs[key]

    def _workers(self) -> Executor:
        """Two worker processes, started once, shared by every session.

        Streamlit runs every session's script as a thread of one process, so
        simulations run there would take turns on one core; in workers they
        use both cores and leave the server free to draw. "spawn" starts clean
        processes (forking a threaded server is unsafe). Where processes
        cannot start, one thread of the server simulates instead.
        """
        with self._lock:
            if self.pool is None:
                self.pool = ThreadPoolExecutor(max_workers=1) if self.in_process else \
                    ProcessPoolExecutor(max_workers=WORKERS, mp_context=get_context("spawn"))
            if self._janitor is None:
                self._janitor = threading.Thread(target=self._tidy_when_idle, daemon=True,
                                                 name="sandbox-tidy")
                self._janitor.start()
            return self.pool

    def forget_workers(self) -> None:
        """Drop the workers; the next run starts fresh ones."""
        with self._lock:
            self.pool = None

    def _tidy_when_idle(self) -> None:
        while True:
            time.sleep(60)
            self.tidy_if_idle()

    def tidy_if_idle(self) -> bool:
        """Give memory back once the class has gone; True if it tidied.

        Once nobody has asked for a run for IDLE_SECONDS: drop the kept runs,
        stop the worker processes and hand freed memory back to the system.
        A background thread calls this every minute.
        """
        with self._lock:
            if time.monotonic() - self.last_asked < IDLE_SECONDS:
                return False
            idle_pool, self.pool = self.pool, None
            self.runs.clear()
        if idle_pool is not None:
            idle_pool.shutdown(wait=True)
        gc.collect()
        _release_freed_memory()
        return True


def _make_read_only(result: Result) -> None:
    """Shared by every session: no view may change it (cheap, done on every read)."""
    arrays = [getattr(result, field.name) for field in fields(result)]
    for value in [*arrays, *result.records.values()]:
        if isinstance(value, np.ndarray):
            value.flags.writeable = False


def _release_freed_memory() -> None:
    try:
        ctypes.CDLL("libc.so.6").malloc_trim(0)  # glibc keeps freed memory otherwise
    except (OSError, AttributeError):
        pass  # another C library: it returns memory its own way


class FinalsStore(RunStore):
    """Final-month metrics only, for pages that compare many runs (Regulation).

    It uses the same two workers as :data:`STORE` and keeps up to 2,048 runs
    (a few kilobytes each).
    """

    def __init__(self, main: RunStore):
        super().__init__(simulate=finals_json, max_runs=2048)
        self.main = main

    def _workers(self) -> Executor:
        return self.main._workers()

    def forget_workers(self) -> None:
        """Drop the shared workers; the next run starts fresh ones."""
        self.main.forget_workers()

    def finals(self, scenarios: list[Scenario]) -> list[dict[str, Any]]:
        """The final metrics of each scenario, all started at once, in order."""
        keys = [s.model_dump_json() for s in scenarios]
        for key in keys:
            self.start(key)
        return [self._wait(key)[1]["final"] for key in keys]


# The server's one store, and its store of final metrics.
STORE = RunStore()
FINALS = FinalsStore(STORE)
finals = FINALS.finals
run = STORE.run
prefetch = STORE.prefetch
warm = STORE.warm
tidy_if_idle = STORE.tidy_if_idle


def without_loops(scenario: Scenario) -> Run:
    """The same scenario and seed with every feedback loop off."""
    return STORE.run(all_loops_off(scenario))


def without(scenario: Scenario, mechanism: str) -> Run:
    """The same scenario and seed with one mechanism off."""
    return STORE.run(loop_off(scenario, mechanism))
