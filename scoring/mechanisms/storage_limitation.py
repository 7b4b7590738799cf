"""Storage limitation (GDPR art. 5(1)(e)): records are kept no longer than needed.

The GDPR (Regulation (EU) 2016/679, applying from 25 May 2018) says personal
data shall be kept in a form which permits identification "for no longer
than is necessary". Here a retention period is set (``law.retention_months``).

What the model does when it is on: the score's memory fades fast enough that
a record keeps less than 5% of its weight once it is older than the retention
period, and a listed person is delisted after at most that many months above
the threshold.

Where the model simplifies: a real deletion drops a record on a date; the
model's score keeps no dated records, only points that fade each month, so
the retention period is a fading rate (``score.decay``) at least
``1 - 0.05 ** (1 / retention_months)``.
"""

from __future__ import annotations

from pydantic import Field, StrictInt

from scoring.fields import Frozen
from scoring.mechanisms.base import Mechanism

# Weight a record keeps at the end of the retention period.
LEFT_AT_END = 0.05
# The fastest fading the score allows (score.decay), reached at 5 months.
MAX_FADE = 0.5


class Settings(Frozen):
    """How long records are kept."""

    retention_months: StrictInt = Field(
        24, ge=5, le=120, title="Records kept for (months; storage limitation)",
        description="After this many months a record keeps less than 5% of its weight "
        "(5 months at the least: the score's memory cannot fade faster than half a month).")


def fade_for(months: int) -> float:
    """The monthly fading that leaves a record 5% of its weight after ``months``."""
    return round(1.0 - LEFT_AT_END ** (1.0 / months), 4)


def changes(scenario) -> dict:
    """Memory fades within the retention period; listings end within it."""
    months = scenario.law.retention_months
    return {"score.decay": min(MAX_FADE, max(scenario.score.decay, fade_for(months))),
            "blacklist.months_to_delist": min(scenario.blacklist.months_to_delist, months)}


MECHANISM = Mechanism(
    key="storage_limitation", title="Storage limitation", kind="law", provenance="law",
    description="GDPR art. 5(1)(e): records are kept no longer than needed. After the "
    "retention period a record has all but faded from the score, and a listing ends.",
    source="GDPR (Regulation (EU) 2016/679), art. 5(1)(e); applies from 25 May 2018.",
    settings=Settings, section="law", default=False, at={"law": changes},
    simplifies=("The model keeps no dated records, only fading points: the retention period "
                "becomes a fading rate that leaves 5% of a record's weight at its end."),
)
