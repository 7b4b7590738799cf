"""Thin files: only payments through the platform are seen, and no record means no credit.

Two things happen to a person who pays mostly in cash. Their payments are
not seen, so good habits and bad ones barely move their score. And their
file is *thin*: as in credit scoring everywhere, a lender or a deposit-free
service that finds too little payment history says no, whatever the score.
The US Consumer Financial Protection Bureau counted 26 million adults with
no credit record and 19 million more whose record was too thin or too old
to score (Data Point: Credit Invisibles, 2015); Sesame Credit scores only
what runs through Alipay and its partners (operator).

Where the model simplifies: the file is the count of payments the platform
saw, fading over about a year (a twelfth a month); below
``thin_files.min_records`` a person gets no loan and no deposit-free perk.
The file starts where a person's platform use would have put it after
years of the same habits.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

import numpy as np
from pydantic import Field, StrictFloat

from scoring.compiled import kernel
from scoring.events import EVENTS
from scoring.fields import Frozen
from scoring.mechanisms.base import Edge, Mechanism

_PLATFORM_ROWS = tuple(i for i, e in enumerate(EVENTS) if e.observed_by == "platform")
# The payments a file is made of (purchases such as diapers are not payment history).
_PAYMENT_ROWS = np.array([i for i, e in enumerate(EVENTS)
                          if e.key.startswith(("bill_", "loan_", "rental_", "salary_"))
                          and e.observed_by == "platform"], dtype=np.int64)
# Share of the file still there a month later: a memory of about a year.
FILE_KEEP = 11 / 12


class Settings(Frozen):
    """When a file is too thin to lend on."""

    min_records: StrictFloat = Field(
        12.0, ge=0.0, le=100.0, title="Thin below (payments seen in a year)",
        description="Payments the platform saw in about the last year below which a file "
        "is thin: no loan and no deposit-free perk, whatever the score.",
    )


def start_file(scenario, platform_use: np.ndarray) -> np.ndarray:
    """Each row's file in month 0: a year of its usual payments, as the platform sees them."""
    per_month = 2.0 + scenario.behaviour.rental_use  # a bill, a salary, sometimes a rental
    return (platform_use * per_month / (1.0 - FILE_KEEP)).astype(np.float32)


@dataclass(frozen=True, eq=False)
class File:
    """Each row's payment file: the payments the platform saw in about the last year.

    Attributes:
        records: Per row, the payments seen, fading a twelfth a month.
        thin_below: Records below which a file is thin; None while the
            mechanism is off (then no file is thin).
    """

    records: np.ndarray
    thin_below: float | None

    @cached_property
    def thin(self) -> np.ndarray:
        """Who has a thin file (read-only; made once a month, read by lending and perks)."""
        thin = (np.zeros(self.records.size, dtype=bool) if self.thin_below is None
                else self.records < self.thin_below)
        thin.flags.writeable = False
        return thin


def _initial(world) -> File:
    on = any(m.key == "thin_files" for m in world.on)
    return File(start_file(world.scenario, world.population.platform_use),
                world.scenario.thin_files.min_records if on else None)


def thin_file(world, state) -> np.ndarray:
    """Who has a thin file this month (nobody while the mechanism is off; read-only)."""
    return state.parts["thin_files"].thin


def _observe(world, state, month) -> None:
    # A payment is seen if its draw fell in the first platform_use share of its interval.
    for row in _PLATFORM_ROWS:
        month.true.seen_part(row, world.population.platform_use, out=month.seen[row])


def _update(world, state, month) -> dict:
    file = state.parts["thin_files"]
    return {"thin_files": File(_file_after(file.records, np.float32(FILE_KEEP), month.seen,
                                           _PAYMENT_ROWS), file.thin_below)}


@kernel
def _file_after(file, keep, seen, payment_rows):
    """Each file a month on: what is kept of it, plus the payments seen this month."""
    payments = np.zeros(file.size, dtype=np.uint8)
    for row in payment_rows:  # row by row: each a straight read
        for i in range(file.size):
            payments[i] += seen[row, i]
    after = np.empty(file.size, dtype=np.float32)
    for i in range(file.size):
        after[i] = file[i] * keep + np.float32(payments[i])
    return after


def _tally(world, state, month) -> dict[str, np.ndarray]:
    by_group, by_district = world.counts(thin_file(world, state))
    return {"thin_by_group": by_group, "thin_by_district": by_district}


MECHANISM = Mechanism(
    key="thin_files", title="Thin files", kind="bias", provenance="operator",
    description="Only payments that run through the platform are seen. People who pay in "
    "cash have a thin file: their habits barely move their score, and with too little "
    "payment history they get no loan and no deposit-free perk, whatever the score.",
    source="Sesame Credit scores activity on Alipay and partner services (operator); "
    "CFPB, Data Point: Credit Invisibles (2015): no record, no score.",
    settings=Settings, section="thin_files",
    edges=(Edge("Records", "Hardship", "thin file"),),
    at={"initial": _initial,
        "observation": _observe, "update": _update, "tally": _tally},
)
