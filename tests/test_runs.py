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

APP = str(Path(__file__).resolve().parent.parent / "app.py")


def small(seed: int):
    return with_changes(load_preset("baseline"), {"population.size": 500, "months": 12,
                                                   "seed": seed})


@pytest.fixture
def counted(monkeypatch):
    """Count the simulations the store starts (in a thread here, so they can be seen)."""
    started: list[str] = []
    monkeypatch.setattr(runs, "_in_process_only", True)
    monkeypatch.setattr(runs, "_pool", None)
    real = runs.simulate_json

    def simulate_json(key):
        started.append(key)
        return real(key)

    monkeypatch.setattr(runs, "simulate_json", simulate_json)
    yield started
    runs._forget_workers()


def test_a_run_is_shared_read_only(counted):
    run = runs.run(small(11))
    assert not run.result.score.flags.writeable
    with pytest.raises(ValueError):
        run.result.score[0, 0] = 0  # a view cannot change what another session sees
    assert runs.run(small(11)).result is run.result
    assert len(counted) == 1


def test_many_sessions_asking_at_once_share_one_simulation(counted):
    scenario = small(12)
    got: list = []
    threads = [threading.Thread(target=lambda: got.append(runs.run(scenario).final))
               for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(got) == 6 and all(final == got[0] for final in got)
    assert len(counted) == 1


def test_a_failed_simulation_is_not_kept(counted, monkeypatch):
    scenario = small(13)
    real = runs.simulate_json
    monkeypatch.setattr(runs, "simulate_json", lambda key: 1 / 0)
    with pytest.raises(ZeroDivisionError):
        runs.run(scenario)
    monkeypatch.setattr(runs, "simulate_json", real)
    assert runs.run(scenario).final["mean_score"]["overall"] > 0
    assert len(counted) == 1  # the first attempt never reached the counting stand-in


def test_the_store_keeps_at_most_its_limit(counted, monkeypatch):
    monkeypatch.setattr(runs, "MAX_RUNS", 3)
    for seed in range(20, 26):
        runs.run(small(seed))
    assert len(runs._runs) == 3
    assert list(runs._runs)[-1] == small(25).model_dump_json()


@pytest.mark.parametrize("page", ["drift", "loops", "bias"])
def test_a_page_asks_only_for_runs_started_before_it_draws(page, monkeypatch):
    """Everything a page needs is started at once (both workers busy), before drawing."""
    started: list[str] = []
    asked: list[str] = []
    real_prefetch, real_start = runs.prefetch, runs._start
    monkeypatch.setattr(context, "prefetch", lambda *scenarios: (
        started.extend(s.model_dump_json() for s in scenarios), real_prefetch(*scenarios)))
    monkeypatch.setattr(runs, "_start", lambda key: (asked.append(key), real_start(key))[1])
    at = AppTest.from_file(APP, default_timeout=120)
    at.run()
    if page != "drift":
        at.switch_page(f"ui/pages/{page}.py").run()
    assert not at.exception
    scenario = load_preset("baseline")
    expected = {"drift": 2, "loops": 1 + sum(getattr(scenario.mechanisms, key)
                                             for key in LOOP_KEYS), "bias": 1}[page]
    assert len(set(started[-expected:])) == expected
    assert set(asked) <= set(started), "a page simulated something it had not started"
    assert started[-expected:] == [s.model_dump_json()
                                   for s in context.needed(page, scenario)]


def test_runs_arrive_with_arrays_the_engine_made(counted):
    run = runs.run(small(14))
    assert isinstance(run.result.score, np.ndarray) and run.result.score.dtype == np.int16
