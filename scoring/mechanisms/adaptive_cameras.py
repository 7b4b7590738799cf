"""Cameras follow the records: the runaway loop of Ensign et al. (FAT* 2018)."""

from __future__ import annotations

import numpy as np
from pydantic import Field, StrictBool, StrictFloat

from scoring.compiled import kernel, numpy_sum
from scoring.fields import Frozen, share
from scoring.mechanisms.base import Edge, Mechanism
from scoring.mechanisms.cameras import CAMERA_ROWS, Cameras

# Past records the urn starts with, shared as the scenario places the cameras.
START_RECORDS = 100.0
_CAMERA_ROWS = CAMERA_ROWS


class Settings(Frozen):
    """How cameras move."""

    adaptive_rate: StrictFloat = share(
        0.05,
        "Camera decisions each month, per 100 past records: each sends a camera to a "
        "district drawn by the records so far, and adds a record if it finds an infraction.",
    )
    adaptive_correction: StrictBool = Field(
        False,
        description="Count each new record with a weight inverse to the chance of looking "
        "there (the remedy of Ensign et al. 2018).",
    )


def decisions(scenario) -> int:
    """Camera decisions a month."""
    return int(round(scenario.surveillance.adaptive_rate * START_RECORDS))


def moved(cameras: Cameras, scenario, true_by_district: np.ndarray,
          draws: np.ndarray) -> Cameras:
    """Cameras after one month of following the records (Ensign et al.'s urn).

    The urn holds past records per district and the cameras are shared as
    the urn is. Each decision sends a camera to a district drawn by those
    shares; it finds an infraction there with a chance that grows with the
    district's true infractions this month, and a found one is a new record.
    Records come only from where cameras already look, so with equal true
    rates the shares wander and lock in, at any population size: a few
    decisions a month, not the number of residents, drive them. With the
    correction a new record counts inversely to the chance of having looked
    there, and the shares head for the true shares of infractions.

    Args:
        cameras: Cameras this month (with their urn).
        scenario: The run's scenario.
        true_by_district: True infractions per district this month (real persons).
        draws: ``(2, decisions)`` uniforms: where each camera goes, whether it finds.
    """
    urn = cameras.urn if cameras.urn is not None else cameras.allocation * START_RECORDS
    if draws.shape[1] == 0 or true_by_district.max() <= 0:
        return Cameras(cameras.allocation, cameras.capacity, cameras.population_share, urn)
    allocation, urn = _urn_after(urn, draws[0], draws[1], true_by_district,
                                 scenario.surveillance.adaptive_correction)
    return Cameras(allocation, cameras.capacity, cameras.population_share, urn)


@kernel
def _urn_after(urn, where, finds, true_by_district, correct):
    """The month's decisions on the urn: ``(the new shares, the new urn)``, in one call.

    Each decision goes to the first district whose running share of the urn
    exceeds its ``where`` draw (the last if none does) and finds an
    infraction if its ``finds`` draw is below that district's true
    infractions over the most any district had; a find adds 1 to that
    district's records, or with ``correct`` 1 over (its share x districts).
    The arithmetic is numpy's, in numpy's order: its sums as
    :func:`scoring.compiled.numpy_sum`, the running shares one add at a time.
    """
    d = urn.size
    total = numpy_sum(urn)
    shares = np.empty(d, dtype=np.float64)
    running = np.empty(d, dtype=np.float64)
    for i in range(d):
        shares[i] = urn[i] / total
        running[i] = shares[i] if i == 0 else running[i - 1] + shares[i]
    most = true_by_district.max()
    added = np.zeros(d, dtype=np.float64)
    for k in range(where.size):
        went = 0
        while went < d and running[went] <= where[k]:
            went += 1
        went = min(went, d - 1)
        if finds[k] < true_by_district[went] / most:
            added[went] += 1.0 / shares[went] / d if correct else 1.0
    after = urn + added
    return after / numpy_sum(after), after


def _update(world, state, month) -> dict:
    # True street infractions of the real persons, per district: one count per act.
    by_district = world.counts(month.true.events, rows=_CAMERA_ROWS)[1].astype(np.float64)
    draws = month.rng.random((2, decisions(world.scenario)))
    return {"cameras": moved(state.parts["cameras"], world.scenario, by_district, draws)}


MECHANISM = Mechanism(
    key="adaptive_cameras", title="Cameras follow the records", kind="loop",
    provenance="hypothetical",
    description="Cameras go where past records are, and new records come only from where "
    "cameras look: the allocation wanders away from the true rates and locks in. Counting "
    "each record inversely to the chance of having looked there brings it back.",
    source="Ensign et al., Runaway Feedback Loops in Predictive Policing (FAT* 2018).",
    settings=Settings, section="surveillance", needs=("cameras",),
    edges=(Edge("Records", "Cameras", "follow records"), Edge("Cameras", "Records")),
    at={"update": _update},
)
