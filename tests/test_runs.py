"""The shared run store: one simulation per scenario, started early, read-only, tidy."""

from __future__ import annotations

import threading
from pathlib import Path

import numpy as np
import pytest
from streamlit.testing.v1 import AppTest

from scoring import load_preset, with_changes
from scoring.mechanisms import LOOP_KEYS
from ui import context, runs
from ui.site import PAGE_BY_KEY
from ui.spread import SEEDS
from ui.worker import simulate_json

APP = str(Path(__file__).resolve().parent.parent / "app.py")


def small(seed: int):
    return with_changes(load_preset("baseline"), {"population.size": 500, "months": 12,
                                                   "seed": seed})


@pytest.fixture
def store():
    """A store of its own that counts what it simulates (in a thread, so it can be seen)."""
    started: list[str] = []

    def simulate(key):
        started.append(key)
        return simulate_json(key)

    store = runs.RunStore(simulate=simulate, in_process=True)
    store.started = started
    yield store
    store.forget_workers()


def test_a_run_is_shared_read_only(store):
    run = store.run(small(11))
    assert not run.result.score.flags.writeable
    assert not run.result.false_penalties.flags.writeable  # a mechanism's record too
    with pytest.raises(ValueError):
        run.result.score[0, 0] = 0  # a view cannot change what another session sees
    assert store.run(small(11)).result is run.result
    assert len(store.started) == 1


def test_many_sessions_asking_at_once_share_one_simulation(store):
    scenario = small(12)
    got: list = []
    threads = [threading.Thread(target=lambda: got.append(store.run(scenario).final))
               for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(got) == 6 and all(final == got[0] for final in got)
    assert len(store.started) == 1


def test_a_failed_simulation_is_not_kept(store):
    scenario = small(13)
    counting = store.simulate
    store.simulate = lambda key: 1 / 0
    with pytest.raises(ZeroDivisionError):
        store.run(scenario)
    store.simulate = counting
    assert store.run(scenario).final["mean_score"]["overall"] > 0
    assert len(store.started) == 1  # the first attempt never reached the counting one


def test_the_store_keeps_at_most_its_limit(store):
    store.max_runs = 3
    for seed in range(20, 26):
        store.run(small(seed))
    assert len(store.runs) == 3
    assert list(store.runs)[-1] == small(25).model_dump_json()


@pytest.mark.parametrize("page", ["drift", "loops", "bias"])
def test_a_page_asks_only_for_runs_started_before_it_draws(page, monkeypatch):
    """Everything a page needs is started at once (both workers busy), before drawing."""
    started: list[str] = []
    asked: list[str] = []
    real_prefetch, real_start = runs.prefetch, runs.STORE.start
    monkeypatch.setattr(context, "prefetch", lambda *scenarios: (
        started.extend(s.model_dump_json() for s in scenarios), real_prefetch(*scenarios)))
    monkeypatch.setattr(runs.STORE, "start", lambda key: (asked.append(key), real_start(key))[1])
    at = AppTest.from_file(APP, default_timeout=120)
    at.run()
    if page != "drift":
        at.switch_page(f"ui/pages/{page}.py").run()
    assert not at.exception
    scenario = load_preset("baseline")
    spread = SEEDS - 1  # Drift and Bias also run the next seeds (ui/spread.py)
    expected = {"drift": 2 + spread, "loops": 1 + sum(getattr(scenario.mechanisms, key)
                                                      for key in LOOP_KEYS),
                "bias": 1 + spread}[page]
    assert len(set(started[-expected:])) == expected
    assert set(asked) <= set(started), "a page simulated something it had not started"
    assert started[-expected:] == [s.model_dump_json()
                                   for s in PAGE_BY_KEY[page].needs(scenario)]


def test_runs_arrive_with_arrays_the_engine_made(store):
    run = store.run(small(14))
    assert isinstance(run.result.score, np.ndarray) and run.result.score.dtype == np.int16
