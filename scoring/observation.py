"""Observation: the score sees only what is recorded.

Payments count only if they run through the platform (thin files). Street
infractions count only where a camera looks (coverage by district), and a
recorded infraction may be pinned on the wrong person: face matching errs
more for some groups and for seniors (NISTIR 8280). Gamers add what the
scorer likes to see. Appeals reverse a share of wrong matches.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from scoring.behaviour import TrueMonth
from scoring.events import CAMERA_EVENTS, EVENT_INDEX, EVENTS
from scoring.scenario import Scenario

# How much of the false-match rate the best algorithm (quality 1) removes.
QUALITY_ERROR_CUT = 0.9

_CAMERA_ROWS = np.array([EVENT_INDEX[k] for k in CAMERA_EVENTS])
_REGISTRY_ROWS = np.array([i for i, e in enumerate(EVENTS) if e.observed_by == "registry"])
_PLATFORM_ROWS = tuple(i for i, e in enumerate(EVENTS) if e.observed_by == "platform")


def effective_false_match(scenario: Scenario) -> tuple[float, np.ndarray, float]:
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
    def build(cls, scenario: Scenario, district: np.ndarray, group: np.ndarray,
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


@dataclass(frozen=True)
class Observation:
    """What the scorer recorded this month, and how.

    Attributes:
        recorded: ``(E, n)`` count of each event recorded against each person.
        seen: ``(E, n)`` true events recorded against the person who did them.
        matched_away: ``(E, n)`` true events recorded but pinned on someone else.
        wrong_stuck: Per camera event index, the sorted rows of persons a wrong
            match stands against (a row repeats if hit twice).
        wrong_reversed: Per camera event index, rows whose wrong match was
            reversed on appeal.
        gaming: ``(n,)`` who gamed the score this month.
        records_by_district: Camera records per district (for adaptive cameras).
    """

    recorded: np.ndarray
    seen: np.ndarray
    matched_away: np.ndarray
    wrong_stuck: dict[int, np.ndarray]
    wrong_reversed: dict[int, np.ndarray]
    gaming: np.ndarray
    records_by_district: np.ndarray


def observe(
    scenario: Scenario,
    *,
    month: TrueMonth,
    platform_use: np.ndarray,
    district: np.ndarray,
    coverage: np.ndarray,
    gaming: np.ndarray,
    pool: MatchPool,
    rng: np.random.Generator,
) -> Observation:
    """Record this month's events as the scorer sees them.

    Args:
        scenario: Switches and surveillance settings.
        month: What people truly did, and the draws that decided it. A
            payment is seen if its draw fell in the first ``platform_use``
            share of the event's interval; a street infraction is recorded if
            it fell in the first ``coverage`` share, and pinned on the wrong
            person if in the first ``coverage x false-match rate`` share.
        platform_use: Share of each person's payments through the platform.
        district: District code per person.
        coverage: Camera coverage per district this month.
        gaming: Who games the score this month.
        pool: Who may be wrongly matched in each district.
        rng: Stream for drawing wrong-match victims and appeals.
    """
    mech = scenario.mechanisms
    true_events = month.events
    n = true_events.shape[1]
    seen = np.zeros_like(true_events)
    if mech.thin_files:
        for row in _PLATFORM_ROWS:
            seen[row] = month.seen_part(row, platform_use)
    else:
        seen[list(_PLATFORM_ROWS)] = true_events[list(_PLATFORM_ROWS)]
    seen[_REGISTRY_ROWS] = true_events[_REGISTRY_ROWS]
    matched_away = np.zeros_like(true_events)
    no_one = np.empty(0, dtype=np.int64)
    wrong_stuck = {int(row): no_one for row in _CAMERA_ROWS}
    wrong_reversed = {int(row): no_one for row in _CAMERA_ROWS}
    records_by_district = np.zeros(len(scenario.districts))
    if mech.cameras:
        rate, _, _ = effective_false_match(scenario)
        watched = coverage[district]
        for row in _CAMERA_ROWS:
            recorded = month.seen_part(row, watched)
            records_by_district += np.bincount(
                district[recorded], minlength=len(scenario.districts)
            )
            if mech.face_match_errors and rate > 0:
                wrong = month.seen_part(row, watched * rate)
                matched_away[row] = wrong
                recorded = recorded & ~wrong
                victims = [
                    pool.draw(d, int(c), rng)
                    for d, c in enumerate(np.bincount(district[wrong], minlength=len(coverage)))
                ]
                hit = np.concatenate(victims) if victims else np.empty(0, dtype=np.int64)
                reversed_ = (
                    rng.random(hit.size) < scenario.surveillance.appeal_rate
                    if mech.appeals
                    else np.zeros(hit.size, dtype=bool)
                )
                wrong_stuck[int(row)] = np.sort(hit[~reversed_])
                wrong_reversed[int(row)] = np.sort(hit[reversed_])
            seen[row] = recorded
    counts = seen.astype(np.float32)
    for row, victims in wrong_stuck.items():
        np.add.at(counts[row], victims, 1.0)
    if mech.gaming and gaming.any():
        counts[EVENT_INDEX["diapers_bought"]] = np.where(
            gaming, 1.0, counts[EVENT_INDEX["diapers_bought"]]
        )
        counts[EVENT_INDEX["games_heavy"]] = np.where(
            gaming, 0.0, counts[EVENT_INDEX["games_heavy"]]
        )
    return Observation(
        recorded=counts,
        seen=seen,
        matched_away=matched_away,
        wrong_stuck=wrong_stuck,
        wrong_reversed=wrong_reversed,
        gaming=gaming if mech.gaming else np.zeros(n, dtype=bool),
        records_by_district=records_by_district,
    )


def who_games(
    scenario: Scenario, score: np.ndarray, thresholds: tuple[int, ...], draw: np.ndarray
) -> np.ndarray:
    """People within ``gaming.window`` points below a threshold who game this month."""
    if not scenario.mechanisms.gaming or scenario.gaming.window == 0:
        return np.zeros(score.shape, dtype=bool)
    near = np.zeros(score.shape, dtype=bool)
    for threshold in thresholds:
        near |= (score < threshold) & (score >= threshold - scenario.gaming.window)
    return near & (draw < scenario.gaming.propensity)


def count_hits(victims: np.ndarray, rows: np.ndarray) -> np.ndarray:
    """How often each of ``rows`` appears in the sorted array ``victims``."""
    return np.searchsorted(victims, rows, side="right") - np.searchsorted(victims, rows)


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

    @classmethod
    def start(cls, scenario: Scenario) -> Cameras:
        """Cameras as the scenario places them."""
        share = np.array([d.population_share for d in scenario.districts])
        share = share / share.sum()
        coverage = np.array([d.camera_coverage for d in scenario.districts])
        capacity = float(coverage @ share)
        allocation = coverage * share / capacity if capacity > 0 else share.copy()
        return cls(allocation, capacity, share)

    @property
    def coverage(self) -> np.ndarray:
        """Chance a street infraction is recorded, per district."""
        return np.minimum(1.0, self.capacity * self.allocation / self.population_share)

    def moved(self, scenario: Scenario, records: np.ndarray) -> Cameras:
        """Cameras after one month of following the records.

        Without correction, each district's weight is its count of records,
        which grows with the cameras already there: the runaway loop. With
        the correction each record counts inversely to the coverage that found
        it, which estimates the true count (Ensign et al. 2018).
        """
        if records.sum() == 0:
            return self
        weights = records.astype(np.float64)
        if scenario.surveillance.adaptive_correction:
            weights = weights / np.maximum(self.coverage, 1e-9)
        target = weights / weights.sum()
        rate = scenario.surveillance.adaptive_rate
        allocation = (1.0 - rate) * self.allocation + rate * target
        return Cameras(allocation, self.capacity, self.population_share)
