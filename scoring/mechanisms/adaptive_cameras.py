"""Cameras follow the records: the runaway loop of Ensign et al. (FAT* 2018)."""

from __future__ import annotations

import numpy as np
from pydantic import Field, StrictBool, StrictFloat

from scoring.fields import Frozen, share
from scoring.mechanisms.base import Edge, Mechanism
from scoring.mechanisms.cameras import Cameras


class Settings(Frozen):
    """How cameras move."""

    adaptive_rate: StrictFloat = share(
        0.05, "How far cameras move each month towards where infractions were recorded."
    )
    adaptive_correction: StrictBool = Field(
        False,
        description="Count each record with a weight inverse to the camera coverage that "
        "found it (the remedy of Ensign et al. 2018).",
    )


def moved(cameras: Cameras, scenario, records: np.ndarray) -> Cameras:
    """Cameras after one month of following the records.

    Without correction, each district's weight is its count of records,
    which grows with the cameras already there: the runaway loop. With the
    correction each record counts inversely to the coverage that found it,
    which estimates the true count (Ensign et al. 2018).
    """
    if records.sum() == 0:
        return cameras
    weights = records.astype(np.float64)
    if scenario.surveillance.adaptive_correction:
        weights = weights / np.maximum(cameras.coverage, 1e-9)
    target = weights / weights.sum()
    rate = scenario.surveillance.adaptive_rate
    allocation = (1.0 - rate) * cameras.allocation + rate * target
    return Cameras(allocation, cameras.capacity, cameras.population_share)


def _update(world, state, month) -> dict:
    return {"cameras": moved(state.parts["cameras"], world.scenario, month.records_by_district)}


MECHANISM = Mechanism(
    key="adaptive_cameras", title="Cameras follow the records", kind="loop",
    provenance="hypothetical",
    description="Each month cameras move towards districts where infractions were recorded. "
    "Since records come only from where cameras look, the allocation runs away from the "
    "true rates.",
    source="Ensign et al., Runaway Feedback Loops in Predictive Policing (FAT* 2018).",
    settings=Settings, section="surveillance", needs=("cameras",),
    edges=(Edge("Records", "Cameras", "follow records"), Edge("Cameras", "Records")),
    at={"update": _update},
)
