"""Counterfactuals: the same run with a loop off, the same person elsewhere."""

from __future__ import annotations

from functools import lru_cache

import pandas as pd

from scoring.engine import Result
from scoring.mechanisms import LOOP_KEYS, MECHANISMS_BY_KEY
from scoring.scenario import Scenario, with_changes


# Twins are asked for at every rerun of a page; scenarios are frozen, so each
# twin is derived (and validated) once and then shared.
@lru_cache(maxsize=512)
def loop_off(scenario: Scenario, mechanism: str) -> Scenario:
    """The same scenario (same seed) with one mechanism switched off.

    Raises:
        KeyError: if ``mechanism`` is not a key of :mod:`scoring.mechanisms`.
    """
    if mechanism not in MECHANISMS_BY_KEY:
        raise KeyError(f"unknown mechanism '{mechanism}'")
    return with_changes(scenario, {f"mechanisms.{mechanism}": False})


@lru_cache(maxsize=256)
def all_loops_off(scenario: Scenario) -> Scenario:
    """The same scenario with every feedback loop off (bias sources stay as they are)."""
    return with_changes(scenario, {f"mechanisms.{key}": False for key in LOOP_KEYS})


def twin_label(result: Result, change: tuple[str, int]) -> str:
    """Plain words for a twin: "in Old Town", "in the minority"."""
    kind, code = change
    if kind == "district":
        return f"in {result.scenario.districts[code].name}"
    return f"in the {result.scenario.population.group_labels[code]} group"


def twin_trajectories(result: Result, persona_key: str) -> pd.DataFrame:
    """Score by month of a persona and of each of its twins.

    Each twin is the same person, with the same luck and the same friends,
    living in another district or belonging to the other group.

    Returns:
        Long table with columns ``month``, ``who``, ``kind``, ``score``,
        ``true_score``.
    """
    row = result.persona_row(persona_key)
    pop = result.population
    frames = []
    whos = [("as they are", "self", row)]
    for twin_row in pop.twin_rows(row):
        change = pop.twin_change[twin_row - pop.size]
        whos.append((twin_label(result, change), change[0], twin_row))
    for who, kind, r in whos:
        frames.append(pd.DataFrame({
            "month": range(result.months + 1),
            "who": who,
            "kind": kind,
            "score": result.score[:, r].astype(int),
            "true_score": result.true_score[:, r].astype(int),
        }))
    return pd.concat(frames, ignore_index=True)
