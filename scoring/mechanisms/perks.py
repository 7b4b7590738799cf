"""Perks for the already-high: deposit-free rentals, credit lines, visa help."""

from __future__ import annotations

import numpy as np
from pydantic import Field, StrictFloat

from scoring.catalogue import Metric, shares_and_ratio
from scoring.constants import SCORE_MAX, SCORE_MIN
from scoring.fields import Context, Frozen, Provenance, ScorePoint, Text, share
from scoring.mechanisms.base import Edge, Mechanism
from scoring.mechanisms.thin_files import thin_file
from scoring.rules import by_score


class Perk(Frozen):
    """A perk for everyone at or above a threshold."""

    threshold: ScorePoint
    name: Text
    relief: StrictFloat = share(0.05, "Hardship taken away while the perk is held.")
    provenance: Provenance = "press"
    context: Context = "other"


DEFAULT_PERKS: tuple[Perk, ...] = (
    Perk(threshold=600, name="Deposit-free power banks and hotels; a consumer credit line",
         relief=0.06, context="credit"),
    Perk(threshold=650, name="Deposit-free bikes, cars and flats", relief=0.06,
         context="credit"),
    Perk(threshold=700, name="Singapore visa application; about 100 deposit-free rentals",
         relief=0.04, context="visas"),
    Perk(threshold=750, name="Fast-tracked Schengen visa", relief=0.02, context="visas"),
)


class Settings(Frozen):
    """The perks on offer."""

    perks: tuple[Perk, ...] = Field(DEFAULT_PERKS, max_length=8)


def relief_by_score(scenario) -> np.ndarray:
    """Hardship the perks take away at every whole score 350-950."""
    scores = np.arange(SCORE_MIN, SCORE_MAX + 1)
    relief = np.zeros(scores.size, dtype=np.float32)
    for perk in scenario.consequences.perks:
        relief += perk.relief * (scores >= perk.threshold)
    return relief


def _score_table(scenario, table: np.ndarray) -> None:
    table -= relief_by_score(scenario)


def _refused(world, state) -> np.ndarray:
    """The relief a thin file is refused: no deposit-free perk without payment history."""
    relief = by_score(world.fixed["perks"], state.score)
    return relief * thin_file(world, state)


def _tally(world, state, month) -> dict[str, np.ndarray]:
    # Who holds the lowest perk: at or above its threshold, with a file thick enough.
    holds = (state.score >= perk_threshold(world.scenario)) & ~thin_file(world, state)
    by_group, by_district = world.counts(holds)
    return {"perk_holders_by_group": by_group, "perk_holders_by_district": by_district}


def _perk_share(m) -> dict:
    return shares_and_ratio(m, m.result.perk_holders_by_group[m.t],
                            m.result.perk_holders_by_district[m.t])


MECHANISM = Mechanism(
    key="perks", title="Perks for the already-high", kind="loop", provenance="press",
    description="Above thresholds come deposit-free rentals, credit lines and visa help. "
    "Lower costs mean less hardship, fewer late bills and a still higher score.",
    source="Perks from 600, 650, 700 and 750 points reported in the press (2015-2018).",
    settings=Settings, section="consequences",
    edges=(Edge("Score", "Hardship", "perks, penalties"),),
    metrics=(Metric(
        "perk_share", "Holding a perk", "share of people", 3,
        "share of persons at or above the lowest perk threshold and not refused for a thin "
        "file: `overall`, `by_group`, `by_district`, `ratio` (minority / majority)",
        "A ratio below 0.8 is adverse impact by the four-fifths rule.", _perk_share),),
    at={"setup": lambda world: relief_by_score(world.scenario), "score_table": _score_table,
        "hardship": _refused, "tally": _tally},
)


def perk_threshold(scenario) -> int:
    """The lowest score that brings a perk (the first band edge above medium if none)."""
    perks = scenario.consequences.perks
    return min(p.threshold for p in perks) if perks else scenario.score.band_edges[1]
