"""Social exclusion: ties to low scorers are dropped and rewired towards the high."""

from __future__ import annotations

from pydantic import Field, StrictFloat

from scoring.fields import Frozen, ScorePoint, share
from scoring.mechanisms.base import Edge, Mechanism
from scoring.network import exclude


class Settings(Frozen):
    """Who drops whom."""

    exclusion_threshold: ScorePoint = Field(
        550, description="Friends below this score are dropped by those above it."
    )
    exclusion_rate: StrictFloat = share(
        0.1, "Share of ties across the exclusion threshold that break each month."
    )


def _network(world, state, ties, score, rng):
    settings = world.scenario.network
    ties, _ = exclude(ties, score, settings.exclusion_threshold, settings.exclusion_rate, rng)
    return ties


MECHANISM = Mechanism(
    key="exclusion", title="Social exclusion", kind="loop", provenance="hypothetical",
    description="People above a threshold drop friends below it and befriend the high, so "
    "the network sorts itself by score and the low are left with the low.",
    source="A thought experiment following the friends claim.",
    settings=Settings, section="network",
    edges=(Edge("Score", "Friends", "exclusion"),),
    at={"network": _network},
)
