"""The calibration targets of docs/calibration.md hold, pooled over seeds."""

from __future__ import annotations

from pathlib import Path

from scoring.calibration import TARGETS, loop_effects, measure_targets

DOC = Path(__file__).resolve().parents[1] / "docs" / "calibration.md"


def test_every_calibration_target_is_met_over_seeds():
    for target, found in measure_targets(3):
        assert target.low <= found["mean"] <= target.high, (target.key, found)


def test_the_doc_holds_every_target_and_the_command_that_measured_it():
    text = DOC.read_text(encoding="utf-8")
    assert "<!-- calibration table: python -m scoring calibrate --seeds 20 --write -->" in text
    assert "Measured over seeds 1-20" in text
    for target in TARGETS:
        assert target.says in text
    assert "**no**" not in text  # every target met when the table was written


def test_the_loops_add_to_lock_in_and_to_the_list_but_do_not_make_all_of_it():
    effects = {label: (on, off, diff) for label, on, off, diff in loop_effects(3)}
    on, off, diff = effects["Lock-in"]
    assert diff["mean"] > 0 and off["mean"] > diff["mean"]  # stable traits give most of it
    _, _, listed = effects["Listed as dishonest"]
    assert listed["mean"] > 0
