"""The command line, as a user types it: outputs, determinism, bad input."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

import scoring.cli
from scoring.cli import main, split_values
from scoring.presets import PRESETS


def cli(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "scoring", *args], capture_output=True, text=True, cwd=cwd,
        timeout=300,
    )


def test_presets_lists_every_preset_with_a_description(capsys):
    assert main(["presets"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert [line.split()[0] for line in lines] == list(PRESETS)
    assert all(len(line.split(maxsplit=1)[1]) > 20 for line in lines)


def test_show_prints_the_full_resolved_scenario(capsys):
    assert main(["show", "control"]) == 0
    text = capsys.readouterr().out
    assert 'name = "control"' in text
    assert "[mechanisms]" in text and "cameras = false" in text
    assert "[rules.bill_late]" in text


def test_validate_accepts_a_valid_file(tmp_path, capsys):
    main(["show", "baseline"])
    path = tmp_path / "s.toml"
    path.write_text(capsys.readouterr().out)
    assert main(["validate", str(path)]) == 0


def test_validate_lists_every_problem(tmp_path, capsys):
    path = tmp_path / "bad.toml"
    path.write_text("months = 0\n[surveillance]\nfalse_match_rat = 0.1\n")
    assert main(["validate", str(path)]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 2
    assert all(line.startswith(f"error: {path}: ") for line in err)
    assert any("did you mean 'false_match_rate'" in line for line in err)


def test_run_writes_four_files_and_is_byte_identical(tmp_path):
    args = ["run", "--preset", "baseline", "--population", "800", "--months", "14",
            "--seed", "7"]
    first, second = tmp_path / "a", tmp_path / "b"
    assert cli(*args, "--out", str(first)).returncode == 0
    assert cli(*args, "--out", str(second)).returncode == 0
    for name in ("scenario.toml", "history.csv", "events.csv", "metrics.json"):
        assert (first / name).read_bytes() == (second / name).read_bytes(), name
    history = pd.read_csv(first / "history.csv")
    assert list(history.columns) == [
        "month", "person_id", "group", "district", "score", "band", "credit_history",
        "contracts", "behaviour", "identity", "relationships", "true_score"]
    assert len(history) == 800 * 15
    metrics = json.loads((first / "metrics.json").read_text())
    for key in ("mean_score", "group_gap", "true_score_gap", "disparate_impact",
                "false_penalties_by_group", "lock_in_rate", "gini", "band_shares",
                "camera_share_by_district"):
        assert key in metrics["final"], key
    assert set(metrics["final"]["mean_score"]) >= {"by_group", "by_district"}
    assert len(metrics["by_month"]) == 15
    events = pd.read_csv(first / "events.csv")
    assert {"wei_rider", "zhou_teacher"} <= set(events.persona)


def test_run_set_changes_the_resolved_scenario(tmp_path):
    out = tmp_path / "o"
    done = cli("run", "--preset", "control", "--population", "300", "--months", "2",
               "--set", "surveillance.false_match_multiplier=[1.0, 20.0]",
               "--set", "name=tweaked", "--out", str(out))
    assert done.returncode == 0, done.stderr
    text = (out / "scenario.toml").read_text()
    assert 'name = "tweaked"' in text
    assert "20.0" in text


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["run", "--preset", "nope", "--out", "x"], "invalid choice"),
        (["run", "--preset", "baseline", "--population", "5", "--out", "x"],
         "--population must be between 100"),
        (["run", "--preset", "baseline", "--months", "ten", "--out", "x"],
         "must be a whole number"),
        (["run", "--preset", "baseline", "--set", "score.decay=2", "--out", "x"],
         "score.decay = 2: must be between 0.0 and 0.5"),
        (["run", "--preset", "baseline", "--set", "scor.decay=0.1", "--out", "x"],
         "did you mean 'score'"),
        (["run", "--preset", "baseline", "--set", "nothing", "--out", "x"],
         "is not PATH=VALUE"),
        (["run", "--scenario", "/no/such/file.toml", "--out", "x"], "cannot read"),
        (["validate", "/no/such/file.toml"], "cannot read"),
        (["sweep", "--preset", "baseline", "--vary", "months", "--out", "x.csv"],
         "is not PATH=V1,V2"),
        (["bench", "--population", "-1"], "--population must be between"),
        ([], "required"),
        (["frobnicate"], "invalid choice"),
    ],
)
def test_bad_input_gives_exit_2_and_one_line_per_problem(args, message, tmp_path):
    done = cli(*args, cwd=tmp_path)
    assert done.returncode == 2
    assert "Traceback" not in done.stderr
    lines = done.stderr.strip().splitlines()
    assert lines and all(line.startswith("error: ") for line in lines)
    assert message in done.stderr


def test_binary_scenario_file_is_refused_cleanly(tmp_path):
    path = tmp_path / "photo.toml"
    path.write_bytes(bytes(range(256)) * 10)
    done = cli("validate", str(path))
    assert done.returncode == 2
    assert "not text" in done.stderr and "Traceback" not in done.stderr


def test_sweep_writes_one_row_per_setting_and_seed(tmp_path):
    out = tmp_path / "sweep.csv"
    done = cli("sweep", "--preset", "face_matching", "--set", "population.size=300",
               "--set", "months=6", "--vary", "surveillance.algorithm_quality=0.0,1.0",
               "--seeds", "2", "--out", str(out))
    assert done.returncode == 0, done.stderr
    table = pd.read_csv(out)
    assert len(table) == 4
    assert sorted(table["surveillance.algorithm_quality"].unique()) == [0.0, 1.0]
    assert sorted(table["seed"].unique()) == [7, 8]
    assert "false_penalties_per_1000[minority]" in table.columns


def test_split_values_keeps_lists_and_quoted_commas_whole():
    assert split_values('[1.0, 10.0],[1.0, 50.0]') == ["[1.0, 10.0]", "[1.0, 50.0]"]
    assert split_values('"a,b",c') == ['"a,b"', "c"]


def test_bench_json_has_the_documented_keys():
    done = cli("bench", "--population", "500", "--months", "3", "--repeat", "1", "--json")
    assert done.returncode == 0, done.stderr
    report = json.loads(done.stdout)
    assert {"population", "months", "seconds", "person_months_per_s", "peak_rss_mb"} <= set(
        report)
    assert report["population"] == 500 and report["months"] == 3


_DROPPED_ARRAY = """
import sys
import numpy as np
from scoring import allocator
if sys.argv[1] == "keep":
    assert allocator.keep_freed_memory()
pages = lambda: int(open("/proc/self/statm").read().split()[1])
before = pages()
big = np.ones(16 << 20)  # 128 MB, touched
del big
print((pages() - before) * 4096 >> 20)
"""


@pytest.mark.parametrize(("mode", "kept"), [("keep", True), ("give back", False)])
def test_freed_memory_is_kept_for_reuse_only_when_asked(mode, kept):
    out = subprocess.run([sys.executable, "-c", _DROPPED_ARRAY, mode], capture_output=True,
                         text=True, check=True).stdout
    still_held_mb = int(out.strip())
    assert (still_held_mb >= 100) is kept


def test_the_command_line_asks_to_keep_freed_memory(monkeypatch):
    calls = []
    monkeypatch.setattr(scoring.cli, "keep_freed_memory", lambda: calls.append(1) or True)
    assert main(["presets"]) == 0
    assert calls == [1]
