"""Digests of every preset's results on several seeds, for the regression test.

``python scripts/pin_results.py`` prints the digests as JSON;
``--write`` stores them in ``tests/pins.json``. A change to the model that is
meant must rewrite the pins in the same commit and say why; a refactor must
leave them as they are.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from scoring import PRESETS, compute_metrics, load_preset, simulate, with_changes  # noqa: E402

PINS = ROOT / "tests" / "pins.json"
# Small runs: every preset and several seeds in a few seconds.
SIZE = {"population.size": 1500, "months": 36}
SEEDS = (3, 11, 29)
# Every array a run had when the pins were first made, in that order.
RESULT_ARRAYS = ("score", "true_score", "subscores", "coverage", "camera_allocation",
                 "camera_records", "false_penalties", "reversed_on_appeal", "loans_granted",
                 "loans_defaulted", "gaming", "sorting")
POPULATION_ARRAYS = ("district", "group", "age", "income", "reliability", "thrift", "civic",
                     "parent", "gamer", "driver", "platform_use", "twin_source")


def digest(preset: str, seed: int) -> dict[str, str]:
    """Hashes of a run's arrays, its mechanisms' records, its event log and its metrics."""
    scenario = with_changes(load_preset(preset), {**SIZE, "seed": seed})
    result = simulate(scenario)
    arrays = hashlib.sha256()
    for owner, names in ((result, RESULT_ARRAYS), (result.population, POPULATION_ARRAYS)):
        for name in names:
            value = getattr(owner, name)
            arrays.update(name.encode())
            arrays.update(str(value.dtype).encode())
            arrays.update(np.ascontiguousarray(value).tobytes())
    records = hashlib.sha256()
    for name in sorted(result.records):  # every mechanism's records, new ones included
        records.update(name.encode())
        records.update(np.ascontiguousarray(result.records[name]).tobytes())
    events = result.events.to_csv(index=False).encode()
    metrics = json.dumps(compute_metrics(result), sort_keys=True).encode()
    return {
        "arrays": arrays.hexdigest(),
        "records": records.hexdigest(),
        "events": hashlib.sha256(events).hexdigest(),
        "metrics": hashlib.sha256(metrics).hexdigest(),
    }


def all_digests() -> dict[str, dict[str, str]]:
    """Digests for every preset and seed, keyed ``preset/seed``."""
    return {f"{p}/{s}": digest(p, s) for p in PRESETS for s in SEEDS}


def main() -> int:
    """Print the digests, or write them with --write."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--write", action="store_true", help=f"write {PINS.name}")
    args = parser.parse_args()
    pins = all_digests()
    text = json.dumps(pins, indent=1, sort_keys=True) + "\n"
    if args.write:
        PINS.write_text(text)
        print(f"wrote {PINS.relative_to(ROOT)} ({len(pins)} runs)")
    else:
        print(text, end="")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
