"""Perks for the already-high: deposit-free rentals, credit lines, visa help."""

from __future__ import annotations

import numpy as np
from pydantic import Field, StrictFloat

from scoring.constants import SCORE_MAX, SCORE_MIN
from scoring.fields import Frozen, Provenance, ScorePoint, Text, share
from scoring.mechanisms.base import Edge, Mechanism


class Perk(Frozen):
    """A perk for everyone at or above a threshold."""

    threshold: ScorePoint
    name: Text
    relief: StrictFloat = share(0.05, "Hardship taken away while the perk is held.")
    provenance: Provenance = "press"


DEFAULT_PERKS: tuple[Perk, ...] = (
    Perk(threshold=600, name="Deposit-free power banks and hotels; a consumer credit line",
         relief=0.06),
    Perk(threshold=650, name="Deposit-free bikes, cars and flats", relief=0.06),
    Perk(threshold=700, name="Singapore visa application; about 100 deposit-free rentals",
         relief=0.04),
    Perk(threshold=750, name="Fast-tracked Schengen visa", relief=0.02),
)


class Settings(Frozen):
    """The perks on offer."""

    perks: tuple[Perk, ...] = Field(DEFAULT_PERKS, max_length=8)


def _score_table(scenario, table: np.ndarray) -> None:
    scores = np.arange(SCORE_MIN, SCORE_MAX + 1)
    for perk in scenario.consequences.perks:
        table -= perk.relief * (scores >= perk.threshold)


MECHANISM = Mechanism(
    key="perks", title="Perks for the already-high", kind="loop", provenance="press",
    description="Above thresholds come deposit-free rentals, credit lines and visa help. "
    "Lower costs mean less hardship, fewer late bills and a still higher score.",
    source="Perks from 600, 650, 700 and 750 points reported in the press (2015-2018).",
    settings=Settings, section="consequences",
    edges=(Edge("Score", "Hardship", "perks, penalties"),),
    at={"score_table": _score_table},
)


def perk_threshold(scenario) -> int:
    """The lowest score that brings a perk (the first band edge above medium if none)."""
    perks = scenario.consequences.perks
    return min(p.threshold for p in perks) if perks else scenario.score.band_edges[1]
