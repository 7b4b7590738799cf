"""Wrong face matches: a recorded infraction pinned on the wrong person (NISTIR 8280)."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from pydantic import Field, StrictFloat, model_validator

from scoring.constants import GROUPS
from scoring.eventlog import count_hits
from scoring.events import CAMERA_EVENTS
from scoring.fields import Frozen, share
from scoring.mechanisms.base import LogKind, Mechanism
from scoring.mechanisms.cameras import CAMERA_ROWS, watched

# How much of the false-match rate the best algorithm (quality 1) removes.
QUALITY_ERROR_CUT = 0.9


class Settings(Frozen):
    """Face matching: how often, and whom, it wrongly matches."""

    false_match_rate: StrictFloat = share(
        0.15,
        "Share of camera records pinned on the wrong person by the worst algorithm.",
    )
    false_match_multiplier: tuple[StrictFloat, StrictFloat] = Field(
        (1.0, 10.0),
        description="How much more often each group (majority, minority) is wrongly matched. "
        "NISTIR 8280 found factors of 10 to 100 between groups.",
    )
    senior_false_match_multiplier: StrictFloat = Field(
        3.0, ge=1.0, le=100.0, description="How much more often seniors are wrongly matched."
    )
    algorithm_quality: StrictFloat = share(
        0.3,
        "0 = worst algorithm, 1 = best: better algorithms err less and differ less by group.",
    )

    @model_validator(mode="after")
    def _multipliers_in_range(self) -> Settings:
        for label, value in zip(GROUPS, self.false_match_multiplier, strict=True):
            if not 1.0 <= value <= 100.0:
                raise ValueError(
                    f"false_match_multiplier for the {label} must be between 1 and 100, "
                    f"got {value}"
                )
        return self


def effective_false_match(scenario) -> tuple[float, np.ndarray, float]:
    """False-match rate and multipliers after the algorithm quality lever.

    Returns:
        ``(rate, group_multipliers, senior_multiplier)``: better algorithms
        err less and their group differences shrink towards 1.
    """
    s = scenario.surveillance
    keep = 1.0 - s.algorithm_quality
    rate = s.false_match_rate * (1.0 - QUALITY_ERROR_CUT * s.algorithm_quality)
    groups = 1.0 + (np.array(s.false_match_multiplier) - 1.0) * keep
    senior = 1.0 + (s.senior_false_match_multiplier - 1.0) * keep
    return rate, groups, senior


@dataclass(frozen=True)
class MatchPool:
    """Who a camera in each district may wrongly match, with what weight."""

    rows: tuple[np.ndarray, ...]
    cdf: tuple[np.ndarray, ...]

    @classmethod
    def build(cls, scenario, district: np.ndarray, group: np.ndarray,
              age: np.ndarray) -> MatchPool:
        """Weights per person: group multiplier times senior multiplier."""
        _, groups, senior = effective_false_match(scenario)
        weight = groups[group] * np.where(age == 2, senior, 1.0)
        rows, cdfs = [], []
        for d in range(len(scenario.districts)):
            members = np.flatnonzero(district == d)
            w = np.cumsum(weight[members])
            rows.append(members)
            cdfs.append(w / w[-1] if len(w) else w)
        return cls(tuple(rows), tuple(cdfs))

    def draw(self, d: int, count: int, rng: np.random.Generator) -> np.ndarray:
        """Rows of ``count`` people wrongly matched in district ``d``."""
        if count == 0 or len(self.rows[d]) == 0:
            return np.empty(0, dtype=np.int64)
        picks = np.searchsorted(self.cdf[d], rng.random(count), side="right")
        return self.rows[d][np.minimum(picks, len(self.rows[d]) - 1)]


def _setup(world) -> tuple[float, MatchPool]:
    pop = world.population
    rate, _, _ = effective_false_match(world.scenario)
    return rate, MatchPool.build(world.scenario, pop.district, pop.group, pop.age)


def _observe(world, state, month) -> None:
    rate, pool = world.fixed["face_match_errors"]
    if rate <= 0:
        return
    district = world.population.district
    districts = len(world.scenario.districts)
    chance = watched(world, state) * rate
    for row in CAMERA_ROWS:
        # Pinned on someone else if the draw fell in the first coverage x rate share.
        wrong = month.true.seen_part(row, chance)
        month.matched_away[row] = wrong
        month.seen[row] &= ~wrong
        victims = [pool.draw(d, int(c), month.rng)
                   for d, c in enumerate(np.bincount(district[wrong], minlength=districts))]
        hit = np.concatenate(victims) if victims else np.empty(0, dtype=np.int64)
        undone = month.contest(hit)
        month.wrong_stuck[int(row)] = np.sort(hit[~undone])
        month.wrong_reversed[int(row)] = np.sort(hit[undone])


def victims_by_group(victims: dict[int, np.ndarray], group: np.ndarray, n: int) -> np.ndarray:
    """Wrong matches standing against real persons, by group."""
    rows = np.concatenate(list(victims.values()))
    return np.bincount(group[rows[rows < n]], minlength=2)


def _tally(world, state, month) -> dict[str, np.ndarray]:
    return {"false_penalties": victims_by_group(month.wrong_stuck, world.population.group,
                                                world.n)}


def _matched_away(view, e):
    return view.matched_away[e], None


def _stuck(view, e):
    hits = count_hits(view.month.wrong_stuck[e], view.rows)
    return hits > 0, view.worth[e] * hits


MECHANISM = Mechanism(
    key="face_match_errors", title="Wrong face matches", kind="bias", provenance="press",
    description="A recorded infraction can be pinned on the wrong person. Some groups and "
    "seniors are wrongly matched more often; better algorithms err less and differ less.",
    source="NISTIR 8280 (NIST FRVT Part 3, Dec 2019): false positives higher for some "
    "groups, often by a factor of 10 to 100.",
    settings=Settings, section="surveillance", needs=("cameras",),
    log=(LogKind("matched_away", "recorded, but pinned on someone else", CAMERA_EVENTS, 2,
                 _matched_away),
         LogKind("stuck", "wrongly matched by a camera", CAMERA_EVENTS, 2, _stuck)),
    at={"setup": _setup, "observation": _observe, "tally": _tally},
)
