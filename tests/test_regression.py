"""Pinned values for one seeded scenario, so an accidental model change is seen.

If a change to the model is intended, run this scenario again and update the
numbers in the same commit, saying why.
"""

from __future__ import annotations

import hashlib
import json
import sys
from pathlib import Path

import pytest

from scoring import PRESETS, compute_metrics, load_preset, simulate, with_changes

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "scripts"))
import pin_results  # noqa: E402

SCENARIO = {"population.size": 2000, "months": 24, "seed": 11}


def test_pinned_baseline_run():
    scenario = with_changes(load_preset("baseline"), SCENARIO)
    result = simulate(scenario)
    final = compute_metrics(result)["final"]
    assert result.score[-1, :10].tolist() == [552, 624, 588, 529, 630, 477, 574, 736, 574, 661]
    assert final["mean_score"]["overall"] == 604.6725
    assert final["group_gap"] == 15.574
    assert final["gini"] == 0.1535
    assert final["false_penalties_by_group"]["minority"]["count"] == 72
    assert final["band_shares"]["poor"] == 0.203
    assert hashlib.sha256(result.score.tobytes()).hexdigest() == (
        "2c2832824210efdfd9ec6ea4e89f2cf67fd1a5cfbf1fc07cc3b9142bb0e738ce"
    )
    # The personas' event log: every entry, its words, points and order.
    log = result.events.to_csv(index=False).encode()
    assert len(result.events) == 5438
    assert hashlib.sha256(log).hexdigest() == (
        "8898b051b10f8179f247b8198136b8a2e4ca19f493b62a6f8527a08b0c154836"
    )


PINS = json.loads((Path(__file__).parent / "pins.json").read_text())


@pytest.mark.parametrize("key", sorted(PINS))
def test_every_preset_and_seed_matches_its_pin(key):
    """Arrays, event log and metrics of every preset on three seeds, byte for byte."""
    preset, seed = key.split("/")
    assert pin_results.digest(preset, int(seed)) == PINS[key]


def test_pins_cover_every_preset():
    assert {key.split("/")[0] for key in PINS} == set(PRESETS)
