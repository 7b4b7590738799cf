"""Tables and files a run produces: history, event log, metrics."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from scoring.constants import BAND_NAMES, DIMENSIONS
from scoring.counterfactual import twin_label
from scoring.engine import Result
from scoring.eventlog import label
from scoring.metrics import bands
from scoring.scenario import to_toml


def history_frame(result: Result) -> pd.DataFrame:
    """One row per real person per month (the ``history.csv`` table).

    Raises:
        ValueError: The run kept sub-scores for the tracked persons only.
    """
    if result.subscore_rows is not None:
        raise ValueError("this run kept sub-scores for the tracked persons only; "
                         "history.csv needs a run that keeps every person's")
    n, months = result.size, result.months
    pop, scenario = result.population, result.scenario
    month = np.repeat(np.arange(months + 1, dtype=np.int16), n)
    person = np.tile(np.arange(n, dtype=np.int32), months + 1)
    group_names = np.array(scenario.population.group_labels, dtype=object)
    district_names = np.array([d.name for d in scenario.districts], dtype=object)
    score = result.score[:, :n]
    columns: dict[str, Any] = {
        "month": month,
        "person_id": person,
        "group": pd.Categorical.from_codes(np.tile(pop.group[:n], months + 1), group_names),
        "district": pd.Categorical.from_codes(
            np.tile(pop.district[:n], months + 1), district_names
        ),
        "score": score.ravel(),
        "band": pd.Categorical.from_codes(
            bands(score, scenario.score.band_edges).ravel(), list(BAND_NAMES)
        ),
    }
    for d, name in enumerate(DIMENSIONS):
        columns[name] = result.subscores[:, d, :n].ravel()
    columns["true_score"] = result.true_score[:, :n].ravel()
    return pd.DataFrame(columns)


def history_csv_gz(result: Result) -> bytes:
    """The history table as gzip-compressed CSV (the same file every time)."""
    import gzip

    text = history_frame(result).to_csv(index=False).encode("utf-8")
    return gzip.compress(text, compresslevel=6, mtime=0)


def monthly_summary(metrics: dict[str, Any]) -> pd.DataFrame:
    """One row per month: every number of the monthly metrics, in dotted columns."""
    rows = []
    for month in metrics["by_month"]:
        flat = pd.json_normalize(month, sep=".").iloc[0].to_dict()
        rows.append({k: v for k, v in flat.items() if not isinstance(v, list | dict)})
    frame = pd.DataFrame(rows)
    first = ["month"] if "month" in frame.columns else []
    return frame[first + [c for c in frame.columns if c not in first]]


def events_frame(result: Result) -> pd.DataFrame:
    """The personas' (and their twins') event log with readable names."""
    pop = result.population
    events = result.events.copy()
    names, personas, whos = [], [], []
    for row in events["person"].to_numpy():
        if row < pop.size:
            spec = pop.personas[row] if row < len(pop.personas) else None
            personas.append(spec.key if spec else "")
            names.append(spec.name if spec else f"person {row}")
            whos.append("as they are")
        else:
            twin = row - pop.size
            spec = pop.personas[int(pop.twin_source[twin])]
            personas.append(spec.key)
            names.append(spec.name)
            whos.append("twin " + twin_label(result, pop.twin_change[twin]))
    events.insert(1, "person_id", events.pop("person"))
    events.insert(2, "persona", personas)
    events.insert(3, "name", names)
    events.insert(4, "who", whos)
    events.insert(6, "label", [label(e) for e in events["event"]])
    return events


def write_outputs(result: Result, out: Path, metrics: dict[str, Any],
                  history: bool = True) -> list[Path]:
    """Write scenario.toml, history.csv, events.csv and metrics.json into ``out``."""
    out.mkdir(parents=True, exist_ok=True)
    written = [out / "scenario.toml"]
    written[0].write_text(to_toml(result.scenario), encoding="utf-8")
    if history:
        path = out / "history.csv"
        history_frame(result).to_csv(path, index=False, lineterminator="\n")
        written.append(path)
    path = out / "events.csv"
    events_frame(result).to_csv(path, index=False, lineterminator="\n")
    written.append(path)
    path = out / "metrics.json"
    path.write_text(json.dumps(metrics, indent=1) + "\n", encoding="utf-8")
    written.append(path)
    return written
