"""Many seeds: every final number with its mean, spread and 95% interval."""

from __future__ import annotations

import json
import math

import numpy as np
import pytest
from conftest import run, small

from scoring.cli import main
from scoring.ensemble import ensemble, summary, t_975
from scoring.scenario import with_changes


def test_summary_is_the_mean_sd_and_t_interval():
    values = [1.0, 2.0, 4.0, 7.0]
    got = summary(values)
    sd = float(np.std(values, ddof=1))
    assert got["mean"] == 3.5 and got["sd"] == pytest.approx(sd, abs=1e-4)
    assert got["hi"] - got["mean"] == pytest.approx(3.182 * sd / 2, abs=1e-3)
    assert got["n"] == 4
    assert t_975(200) == 1.96 and t_975(1) > 12


def test_ensemble_pools_every_number_of_the_final_metrics():
    scenario = small("baseline", months=12, population__size=800)
    pooled = ensemble(scenario, 4, lambda runs: (run(s)[1]["final"] for s in runs))
    assert pooled["seeds"] == [scenario.seed + k for k in range(4)]
    gaps = [run(with_changes(scenario, {"seed": s}))[1]["final"]["group_gap"]
            for s in pooled["seeds"]]
    gap = pooled["final"]["group_gap"]
    assert gap["mean"] == pytest.approx(np.mean(gaps), abs=1e-4)
    assert gap["sd"] == pytest.approx(np.std(gaps, ddof=1), abs=1e-4)
    assert gap["lo"] < gap["mean"] < gap["hi"]
    by_group = pooled["final"]["mean_score"]["by_group"]
    assert set(by_group) == set(scenario.population.group_labels)
    assert set(by_group["minority"]) == {"mean", "sd", "lo", "hi", "n"}
    matrix = pooled["final"]["band_mobility"]["matrix"]
    assert len(matrix) == 5 and "mean" in matrix[0][0]
    assert "rows" not in pooled["final"]["band_mobility"]  # words are not pooled


def test_a_number_undefined_on_some_seeds_counts_only_where_defined():
    finals = [{"x": v} for v in (1.0, None, 3.0)]
    pooled = ensemble(small("control", months=1), 3, lambda runs: iter(finals))
    assert pooled["final"]["x"]["n"] == 2 and pooled["final"]["x"]["mean"] == 2.0


def test_run_with_seeds_writes_ensemble_json(tmp_path):
    code = main(["run", "--preset", "control", "--population", "500", "--months", "12",
                 "--seeds", "3", "--no-history", "--out", str(tmp_path)])
    assert code == 0
    pooled = json.loads((tmp_path / "ensemble.json").read_text())
    single = json.loads((tmp_path / "metrics.json").read_text())["final"]
    assert pooled["seeds"] == [7, 8, 9]
    defined = {k for k, v in single.items() if v is not None}
    assert set(pooled["final"]) == defined  # a number undefined on every seed is left out
    entry = pooled["final"]["mean_score"]["overall"]
    assert entry["lo"] <= entry["mean"] <= entry["hi"] and entry["n"] == 3
    assert not math.isnan(entry["sd"])
