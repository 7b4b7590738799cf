"""Cameras by district: a street infraction is recorded where a camera looks."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

import numpy as np

from scoring.events import CAMERA_EVENTS, EVENT_INDEX
from scoring.mechanisms.base import Mechanism

CAMERA_ROWS = np.array([EVENT_INDEX[k] for k in CAMERA_EVENTS])


@dataclass(frozen=True)
class Cameras:
    """Where the cameras are: a share of the camera capacity per district.

    Coverage in a district is capacity times its share over its share of the
    population, capped at 1. The capacity is the population-weighted mean of
    the scenario's coverages, so moving cameras never adds any.
    """

    allocation: np.ndarray
    capacity: float
    population_share: np.ndarray
    urn: np.ndarray | None = None  # past records per district, when cameras follow them

    @classmethod
    def start(cls, scenario) -> Cameras:
        """Cameras as the scenario places them."""
        share = np.array([d.population_share for d in scenario.districts])
        share = share / share.sum()
        coverage = np.array([d.camera_coverage for d in scenario.districts])
        capacity = float(coverage @ share)
        allocation = coverage * share / capacity if capacity > 0 else share.copy()
        return cls(allocation, capacity, share)

    @cached_property
    def coverage(self) -> np.ndarray:
        """Chance a street infraction is recorded, per district (read-only).

        Made once per month's cameras: observation, wrong matches and the
        records all read it.
        """
        coverage = np.minimum(1.0, self.capacity * self.allocation / self.population_share)
        coverage.flags.writeable = False
        return coverage


def _observe(world, state, month) -> None:
    # Recorded if the act's draw fell in the first `coverage` share of its interval,
    # the coverage of the district where the person lives.
    coverage = state.parts["cameras"].coverage
    district = world.population.district
    for row in CAMERA_ROWS:
        month.true.seen_part(row, coverage, out=month.seen[row], where=district)
    month.records_by_district += world.counts(month.seen, rows=CAMERA_ROWS)[1]


def _tally(world, state, month) -> dict[str, np.ndarray]:
    cameras = state.parts["cameras"]
    return {"coverage": cameras.coverage.astype(np.float32),
            "camera_allocation": cameras.allocation.astype(np.float32),
            "camera_records": month.records_by_district.astype(np.int64)}


MECHANISM = Mechanism(
    key="cameras", title="Cameras by district", kind="bias", provenance="press",
    description="A street infraction is recorded with the camera coverage of the district "
    "where it happens, so the same act costs more points where cameras are dense.",
    source="700 million face-recognition cameras planned by 2020 (press, 2018).",
    at={"initial": lambda world: Cameras.start(world.scenario), "observation": _observe,
        "tally": _tally},
)
