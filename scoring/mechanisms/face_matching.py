"""Wrong face matches: a recorded infraction pinned on the wrong person (NISTIR 8280).

NIST measures false matches as a rate *per comparison*, by group: a camera
record is compared with every face in the database, and each comparison with
a person of a badly served group is more often a false match. So here each
person's expected wrong matches are the month's camera records (city-wide)
times the per-comparison rate times their own multiplier: a group with
multiplier k is wrongly matched k times as often as another wherever it lives,
and a worse algorithm adds errors in total. A record that brings up a wrong
match misses its true offender. Twins are in no one's database: they are
matched like their persona, by the same draws, and no one else's records
change because of them.

Simplifications: one database of the whole city; every wrong match is acted
on (no human check); a record brings up at most its expected share of wrong
persons.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from pydantic import Field, StrictFloat, model_validator

from scoring.behaviour import _seen_from_zero, _seen_part
from scoring.compiled import kernel
from scoring.constants import GROUPS
from scoring.events import CAMERA_EVENTS
from scoring.fields import Frozen, share
from scoring.mechanisms.base import LogKind, Mechanism
from scoring.mechanisms.cameras import CAMERA_ROWS

# How much of the false-match rate the best algorithm (quality 1) removes.
QUALITY_ERROR_CUT = 0.9


class Settings(Frozen):
    """Face matching: how often, and whom, it wrongly matches."""

    false_match_rate: StrictFloat = share(
        0.05,
        "Wrong matches per camera record by the worst algorithm, if everyone were matched "
        "as wrongly as the majority's adults (each record is compared with everyone's face).",
    )
    false_match_multiplier: tuple[StrictFloat, StrictFloat] = Field(
        (1.0, 10.0),
        description="How much more often a person of each group (majority, minority) is "
        "wrongly matched per comparison. NISTIR 8280 found factors of 10 to 100 between groups.",
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
        err less and their group differences shrink towards 1. The best
        (quality 1) keeps a tenth of the worst's rate with no differences:
        NIST found the most accurate algorithms' false positives low and
        their group differences undetectable in some tests, never zero.
    """
    s = scenario.surveillance
    keep = 1.0 - s.algorithm_quality
    rate = s.false_match_rate * (1.0 - QUALITY_ERROR_CUT * s.algorithm_quality)
    groups = 1.0 + (np.array(s.false_match_multiplier) - 1.0) * keep
    senior = 1.0 + (s.senior_false_match_multiplier - 1.0) * keep
    return rate, groups, senior


@dataclass(frozen=True)
class Gallery:
    """Everyone's face in the database, with how often each is wrongly matched.

    Attributes:
        weight: Per row, the per-comparison false-match rate relative to the
            majority's adults (group multiplier times senior multiplier).
        rate: Wrong matches per record at weight 1 for everyone (after quality).
        per_record: Expected wrong matches of one record against the whole
            real population: ``rate`` times the real persons' mean weight.
        weights: The few different weights there are (groups x seniors).
        kind: Per row, which of ``weights`` is its weight.
    """

    weight: np.ndarray
    rate: float
    per_record: float
    weights: np.ndarray
    kind: np.ndarray

    @classmethod
    def build(cls, scenario, group: np.ndarray, age: np.ndarray, n: int) -> Gallery:
        """The gallery of one run: real persons and twins each with their own weight."""
        rate, groups, senior = effective_false_match(scenario)
        weight = (groups[group] * np.where(age == 2, senior, 1.0)).astype(np.float64)
        weights, kind = np.unique(weight, return_inverse=True)
        return cls(weight, rate, rate * float(weight[:n].mean()) if n else 0.0, weights,
                   kind.astype(np.uint8 if weights.size <= 256 else np.int64))


def poisson_counts(u: np.ndarray, lam: np.ndarray) -> np.ndarray:
    """Poisson counts with means ``lam`` from one uniform each (the inverse CDF).

    One uniform per row means a twin with the same uniform and the same mean
    gets the same count: twins share luck here as everywhere.
    """
    hits = _matched_rows(u, np.arange(u.size), lam, np.exp(-lam))
    return np.bincount(hits, minlength=u.size)


@kernel
def _matched_rows(u, kind, lam, chance_of_none):
    """Each row as many times as its Poisson count (mean ``lam[kind[i]]``), in row order.

    The inverse CDF: most rows' draws fall below the chance of no match and
    cost one comparison; only the others are counted, then repeated.
    """
    some = np.empty(u.size + 1, dtype=np.int64)
    m = 0
    for i in range(u.size):
        # A branch: a wrong match is rare (a few in a thousand draws), so it is
        # almost always guessed right, and most draws cost one comparison.
        if u[i] >= chance_of_none[kind[i]]:
            some[m] = i
            m += 1
    counts = np.empty(m, dtype=np.int64)
    total = 0
    for c in range(m):
        i = some[c]
        k = 0
        p = chance_of_none[kind[i]]
        mean = lam[kind[i]]
        cdf = p
        while u[i] >= cdf and k < 200:
            k += 1
            p *= mean / k
            cdf += p
        counts[c] = k
        total += k
    hits = np.empty(total, dtype=np.int64)
    at = 0
    for c in range(m):
        for _ in range(counts[c]):
            hits[at] = some[c]
            at += 1
    return hits


def _setup(world) -> Gallery:
    pop = world.population
    return Gallery.build(world.scenario, pop.group, pop.age, world.n)


def _observe(world, state, month) -> None:
    gallery = world.fixed["face_match_errors"]
    if gallery.rate <= 0:
        return
    n = world.n
    # A record that brings up a wrong match misses its true offender: the first
    # coverage x (wrong matches per record) share of the act's interval.
    chance = state.parts["cameras"].coverage * min(1.0, gallery.per_record)  # per district
    district = world.population.district
    true = month.true
    reversal = np.float32(month.contest)
    for i, row in enumerate(CAMERA_ROWS):
        e = int(row)
        # Records (probes: twins are not among them) before any is pinned elsewhere.
        records = _pinned_elsewhere(month.seen[e], month.matched_away[e], true.draw(e),
                                    true.lower.get(e), true.upper[e], chance, district, n)
        # The same expected count for every row of a kind: exp() once per kind.
        lam = (records * gallery.rate / max(n, 1)) * gallery.weights
        month.wrong_stuck[e], month.wrong_reversed[e] = _wrong_matches(
            month.draws("wrong_match", i), gallery.kind, lam, np.exp(-lam),
            month.draws("appeal", i), reversal)


@kernel
def _pinned_elsewhere(seen, pinned, u, lower, upper, chance, district, n):
    """In place, for one act: records pinned on someone else, no longer seen against their own.

    ``pinned`` gets what :meth:`scoring.behaviour.TrueMonth.seen_part` gives
    with ``chance`` per district (the first share of each interval), and
    those records leave ``seen``. Returns how many real persons (the first
    ``n`` rows) were recorded before.
    """
    records = 0
    for i in range(n):
        records += seen[i]
    if lower is None:
        _seen_from_zero(u, upper, chance, district, pinned)
    else:
        _seen_part(u, lower, upper, chance, district, pinned)
    for i in range(seen.size):
        seen[i] = seen[i] and not pinned[i]
    return records


@kernel
def _wrong_matches(u, kind, lam, chance_of_none, appeal, reversal):
    """One act's wrong matches (:func:`_matched_rows`): ``(those that stand, those reversed)``.

    A wrong match is reversed on appeal where the person's appeal draw is
    below ``reversal``, the chance of the remedies (0 with none).
    """
    hit = _matched_rows(u, kind, lam, chance_of_none)
    undone = np.empty(hit.size, dtype=np.bool_)
    for h in range(hit.size):
        undone[h] = appeal[hit[h]] < reversal
    return hit[~undone], hit[undone]


def victims_by_group(victims: dict[int, np.ndarray], group: np.ndarray, n: int) -> np.ndarray:
    """Wrong matches standing against real persons, by group."""
    return _by_group(tuple(victims.values()), group, n)


@kernel
def _by_group(victims, group, n):
    """How many of the rows in ``victims`` (a tuple of arrays) are real persons of each group."""
    found = np.zeros(2, dtype=np.int64)
    for rows in victims:
        for row in rows:
            if row < n:
                found[group[row]] += 1
    return found


def _tally(world, state, month) -> dict[str, np.ndarray]:
    return {"false_penalties": victims_by_group(month.wrong_stuck, world.population.group,
                                                world.n)}


def _matched_away(view, e):
    return view.matched_away[e], None


def _stuck(view, e):
    hits = view.hits("wrong_stuck", e)
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
