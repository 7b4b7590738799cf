"""Penalties for the low: refused loans, deposits, travel blacklists, job screening."""

from __future__ import annotations

import numpy as np
from pydantic import Field, StrictFloat

from scoring.constants import SCORE_MAX, SCORE_MIN
from scoring.fields import Context, Frozen, Provenance, ScorePoint, Text, share
from scoring.mechanisms.base import Edge, Mechanism


class Penalty(Frozen):
    """A penalty for everyone below a threshold."""

    below: ScorePoint
    name: Text
    burden: StrictFloat = share(0.1, "Hardship added while the penalty applies.")
    provenance: Provenance = "press"
    context: Context = "other"


DEFAULT_PENALTIES: tuple[Penalty, ...] = (
    Penalty(below=550, name="Loans refused; higher deposits and prices", burden=0.12,
            context="credit"),
    Penalty(below=500, name="Travel blacklist: flights and high-speed trains", burden=0.08,
            context="travel"),
    Penalty(below=450, name="Screened out of jobs", burden=0.15, provenance="alleged",
            context="jobs"),
)


class Settings(Frozen):
    """The penalties in force."""

    penalties: tuple[Penalty, ...] = Field(DEFAULT_PENALTIES, max_length=8)


def _score_table(scenario, table: np.ndarray) -> None:
    scores = np.arange(SCORE_MIN, SCORE_MAX + 1)
    for penalty in scenario.consequences.penalties:
        table += penalty.burden * (scores < penalty.below)


MECHANISM = Mechanism(
    key="penalties", title="Penalties for the low", kind="loop", provenance="press",
    description="Below thresholds come refused loans, higher deposits, travel blacklists and "
    "job screening. Hardship rises, bills slip, and the score falls further.",
    source="National Public Credit Information Center: 17.46 million blocked flight "
    "purchases and 5.47 million blocked train purchases in 2018 (counts of purchases, not "
    "people).",
    settings=Settings, section="consequences",
    edges=(Edge("Score", "Hardship", "perks, penalties"),),
    at={"score_table": _score_table},
)
