"""Friends' scores count: the relationships sub-score pulled towards friends' (alleged)."""

from __future__ import annotations

import numpy as np
from pydantic import StrictFloat

from scoring.compiled import kernel
from scoring.constants import DIMENSIONS
from scoring.fields import Frozen, share
from scoring.mechanisms.base import Edge, Mechanism

# Share of the way the relationships points move each month towards
# peer_weight x (friends' mean score - start score).
PEER_PULL = 0.3
_REL = DIMENSIONS.index("relationships")


class Settings(Frozen):
    """How much friends' scores weigh."""

    peer_weight: StrictFloat = share(
        0.05,
        "Friends' weight: the relationships points head for this share of how far "
        "friends' mean score is above or below the start (5% is the weight explainer "
        "sites give the relationships dimension).",
    )


def _pull(world, points: np.ndarray, friends: np.ndarray) -> np.ndarray:
    """Move the relationships points towards the friends' target, in place."""
    return _pull_rows(points[_REL], friends, world.population.twin_source,
                      np.float32(world.scenario.network.peer_weight), np.float32(world.start),
                      np.float32(PEER_PULL))


@kernel
def _pull_rows(points, friends, twin_source, weight, start, pull):
    """In place, row by row: ``points += pull * (weight * (friends - start) - points)``.

    Twins (the rows after the real persons) feel the pull of their persona's friends.
    """
    n = friends.size
    peer = np.empty(points.size, dtype=np.float32)
    for i in range(n):  # the real persons: one straight pass, in vector instructions
        moved = pull * (weight * (friends[i] - start) - points[i])
        peer[i] = moved
        points[i] += moved
    for i in range(n, points.size):
        moved = pull * (weight * (friends[twin_source[i - n]] - start) - points[i])
        peer[i] = moved
        points[i] += moved
    return peer


MECHANISM = Mechanism(
    key="friends", title="Friends' scores count", kind="loop", provenance="alleged",
    description="The relationships sub-score is pulled towards friends' mean score: guilt "
    "by association. Claimed for Sesame Credit in a viral 2015 video; never substantiated.",
    source="China Law Translate, Getting Rongcheng right; press reports of the 2015 video.",
    settings=Settings, section="network",
    edges=(Edge("Friends", "Score", "friends' scores"),),
    at={"scoring": _pull},
)
