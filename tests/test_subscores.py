"""A run may keep the tracked persons' sub-scores only: nothing else changes."""

from __future__ import annotations

import json

import numpy as np
import pytest
from conftest import small

from scoring import cli, simulate
from scoring.engine import Collector, build_world
from scoring.export import history_frame


def test_keeping_the_tracked_rows_changes_nothing_else():
    scenario = small("baseline")
    every = simulate(scenario, track=[5, 40])
    tracked = simulate(scenario, track=[5, 40], subscores="tracked")
    assert np.array_equal(every.score, tracked.score)
    assert np.array_equal(every.true_score, tracked.true_score)
    assert every.events.equals(tracked.events)
    assert sorted(every.records) == sorted(tracked.records)
    for name in every.records:
        assert np.array_equal(every.records[name], tracked.records[name]), name
    rows = tracked.subscore_rows
    assert tracked.subscores.shape == (every.months + 1, 5, rows.size) and 40 in rows
    for row in (0, 5, 40, rows[-1]):  # a persona, the two requested rows, a twin
        assert np.array_equal(tracked.subscores_of(row), every.subscores_of(row))
        assert np.array_equal(every.subscores_of(row), every.subscores[:, :, row])


def test_an_untracked_row_and_history_csv_say_what_was_not_kept():
    result = simulate(small("baseline"), subscores="tracked")
    untracked = int(np.setdiff1d(np.arange(result.size), result.subscore_rows)[0])
    with pytest.raises(KeyError, match="tracked persons only"):
        result.subscores_of(untracked)
    with pytest.raises(ValueError, match="history.csv needs"):
        history_frame(result)


def test_an_unknown_choice_is_refused():
    world, _ = build_world(small("control"))
    with pytest.raises(ValueError, match="subscores must be one of"):
        Collector(world, "some")


def test_bench_reports_which_subscores_it_kept(capsys):
    code = cli.main(["bench", "--population", "2000", "--months", "6", "--repeat", "1",
                     "--subscores", "tracked", "--json"])
    report = json.loads(capsys.readouterr().out)
    assert code == 0 and report["subscores"] == "tracked" and report["seconds"] > 0
