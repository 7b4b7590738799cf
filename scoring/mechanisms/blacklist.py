"""The dishonest-persons list: a low score for months in a row puts a person on a public list.

China's courts keep a public list of "dishonest judgment defaulters"; a
listed person may not buy flights or high-speed train tickets, among other
restrictions. The National Public Credit Information Center reported 17.46
million flight and 5.47 million train ticket purchases blocked in 2018
(counts of purchases, not of people).

Where the model simplifies: the real list is kept by courts for people who
do not comply with a judgment, not by a score; here a person is listed after
``months_to_list`` months in a row below ``listing_threshold``, and delisted
after ``months_to_delist`` months in a row at or above it. Being listed adds
hardship (no flights, trains or perks), and the list is public: each month a
share of the ties that friends above the exclusion threshold hold to a
listed person break, rewired to someone not listed.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from pydantic import Field, StrictFloat, StrictInt

from scoring.catalogue import Metric, shares_and_ratio
from scoring.compiled import kernel
from scoring.fields import Frozen, ScorePoint, share
from scoring.mechanisms.base import Edge, LogKind, Mechanism
from scoring.network import BOTH, rewire, rewired, sides
from scoring.uniforms import Stream


class Settings(Frozen):
    """Who is listed, for how long, and what it costs."""

    listing_threshold: ScorePoint = Field(
        450, title="Listed below (score)",
        description="A score below this, month after month, puts a person on the list."
    )
    months_to_list: StrictInt = Field(
        3, ge=1, le=24, title="Months below before listing",
        description="Months in a row below the threshold before listing."
    )
    months_to_delist: StrictInt = Field(
        6, ge=1, le=60, title="Months above before delisting",
        description="Months in a row at or above the threshold before a listed person is "
        "taken off the list.",
    )
    burden: StrictFloat = share(
        0.15, "Hardship added while listed: barred from flights, trains and perks.",
        "Hardship while listed",
    )
    shunning: StrictFloat = share(
        0.2, "Share of ties from friends above the exclusion threshold to a listed person "
        "that break each month (the list is public).", "Shunned by friends (per month)",
    )


@dataclass(frozen=True)
class Listing:
    """Each row's standing with the list.

    Attributes:
        listed: Who is on the list.
        months_below: Months in a row below the threshold (not yet listed).
        months_above: Months in a row at or above it while listed.
        wrongly: Who was listed while their true-behaviour score was at or
            above the threshold (listed for what the score saw, not for
            what they did), for as long as they stay listed.
    """

    listed: np.ndarray
    months_below: np.ndarray
    months_above: np.ndarray
    wrongly: np.ndarray | None = None

    @classmethod
    def empty(cls, rows: int) -> Listing:
        """Nobody listed."""
        zeros = np.zeros(rows, dtype=np.int16)
        return cls(np.zeros(rows, dtype=bool), zeros, zeros.copy(), np.zeros(rows, dtype=bool))

    def next(self, settings: Settings, score: np.ndarray,
             true_score: np.ndarray | None = None) -> Listing:
        """The list after a month that ended with ``score`` (and ``true_score``, if known).

        Who is listed wrongly is carried on while they stay listed, and set
        for the newly listed from ``true_score`` (without it: nobody).
        """
        wrongly = self.wrongly if self.wrongly is not None else np.zeros_like(self.listed)
        listed, below, above, wrongly = _next_listing(
            self.listed, self.months_below, self.months_above, wrongly, score,
            score if true_score is None else true_score, true_score is not None,
            settings.listing_threshold, settings.months_to_list, settings.months_to_delist)
        return Listing(listed, below, above, wrongly)


@kernel
def _next_listing(listed, months_below, months_above, wrongly, score, true_score, known,
                  threshold, to_list, to_delist):
    """Each row's standing a month on, in one pass (see :meth:`Listing.next`)."""
    listed_after = np.empty(listed.size, dtype=np.bool_)
    below_after = np.empty(listed.size, dtype=np.int16)
    above_after = np.empty(listed.size, dtype=np.int16)
    wrongly_after = np.empty(listed.size, dtype=np.bool_)
    # Without a branch: each row's standing is a draw of the lottery of its score,
    # so a branch per row is mispredicted often (this loop was five times slower).
    for i in range(listed.size):
        below = score[i] < threshold
        was = listed[i]
        # Months in a row below while not listed, or above while listed.
        months_below_now = (np.int64(months_below[i]) + 1) * (below and not was)
        months_above_now = (np.int64(months_above[i]) + 1) * (was and not below)
        now = (was or months_below_now >= to_list) and not months_above_now >= to_delist
        listed_after[i] = now
        above_after[i] = months_above_now * now
        below_after[i] = months_below_now * (not now)
        # Newly listed: wrongly if their true-behaviour score is at or above the
        # threshold; the others keep what they were while they stay listed.
        new = now and not was
        wrongly_after[i] = (new and known and true_score[i] >= threshold) or (
            not new and wrongly[i] and now)
    return listed_after, below_after, above_after, wrongly_after


def _shun(world, state, ties: np.ndarray, score: np.ndarray,
          rng: Stream) -> np.ndarray:
    """Friends above the exclusion threshold drop their ties to listed persons.

    Each such tie breaks with chance ``shunning`` a month; the friend names
    someone not listed instead.
    """
    listed = state.parts["blacklist"].listed
    n = ties.shape[1]
    rate = world.scenario.blacklist.shunning
    if rate == 0 or not listed[:n].any():
        return ties
    high = score[:n] >= world.scenario.network.exclusion_threshold
    # Every pick's namer is high: each draws from the one pool, everyone not listed.
    _, not_listed = sides(listed[:n])
    slot, person, friend, _ = rewired(ties, high, listed, BOTH, rate, rng, high, not_listed,
                                      not_listed[:0])
    if slot.size == 0:
        return ties
    # Ties another mechanism already rewired this month are this month's own: no copy.
    new_ties = ties.copy() if ties is state.ties else ties
    rewire(new_ties, slot, person, friend)
    return new_ties


def _update(world, state, month) -> dict:
    before = state.parts["blacklist"]
    after = before.next(world.scenario.blacklist, month.score, month.true_score)
    month.notes["listed_now"] = after.listed & ~before.listed
    month.notes["delisted_now"] = before.listed & ~after.listed
    return {"blacklist": after}


def _tally(world, state, month) -> dict[str, np.ndarray]:
    listing = state.parts["blacklist"]
    listed_by_group, listed_by_district = world.counts(listing.listed)
    wrongly_by_group, wrongly_by_district = world.counts(listing.wrongly)
    return {
        "listed_by_group": listed_by_group,
        "listed_by_district": listed_by_district,
        "wrongly_listed_by_group": wrongly_by_group,
        "wrongly_listed_by_district": wrongly_by_district,
    }


def _listed_share(m) -> dict:
    return shares_and_ratio(m, m.result.listed_by_group[m.t], m.result.listed_by_district[m.t])


def _wrongly_listed_share(m) -> dict:
    return shares_and_ratio(m, m.result.wrongly_listed_by_group[m.t],
                            m.result.wrongly_listed_by_district[m.t])


def _listed(view, _):
    return view.notes["listed_now"], None


def _delisted(view, _):
    return view.notes["delisted_now"], None


MECHANISM = Mechanism(
    key="blacklist", title="Dishonest-persons list", kind="loop", provenance="press",
    description="A score below the listing threshold for months in a row puts a person on "
    "a public list: barred from flights, trains and perks, which adds hardship, and shunned "
    "by friends with higher scores. Months back above the threshold take them off.",
    source="National Public Credit Information Center: 17.46 million flight and 5.47 "
    "million train ticket purchases blocked in 2018 (counts of purchases, not people).",
    settings=Settings, section="blacklist", default=False,
    edges=(Edge("Score", "List", "listing"), Edge("List", "Hardship", "barred"),
           Edge("List", "Friends", "shunned")),
    log=(LogKind("listed", "put on the list: no flights, trains or perks", (), 3, _listed,
                 label="Listed as dishonest"),
         LogKind("delisted", "taken off the list", (), 3, _delisted,
                 label="Taken off the list")),
    metrics=(Metric(
        "listed_share", "Listed as dishonest", "share of people", 3,
        "share of persons on the list that month: `overall`, `by_group`, `by_district`, "
        "`ratio` (minority / majority: the listing-rate ratio)",
        "Small mean gaps can become large gaps in who is listed: compare groups.",
        _listed_share),
        Metric("wrongly_listed_share", "Wrongly listed", "share of people", 3,
               "share of persons on the list who were listed while their true-behaviour "
               "score was at or above the listing threshold: `overall`, `by_group`, "
               "`by_district`, `ratio`",
               "Listed for what the score saw, not for what they did.",
               _wrongly_listed_share)),
    at={"initial": lambda world: Listing.empty(world.rows),
        "hardship": lambda world, state: world.scenario.blacklist.burden
        * state.parts["blacklist"].listed,
        "network": _shun, "update": _update, "tally": _tally},
)
