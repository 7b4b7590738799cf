"""What a metric declares: its key, words, unit, digits and how it is measured.

The catalogue itself is :data:`scoring.metrics.CATALOGUE`: the core metrics
and those the mechanisms bring (:attr:`scoring.mechanisms.base.Mechanism.metrics`).
Every view, the command line, exports and lessons read metrics through
:func:`scoring.metrics.read`, which refuses a key that is not catalogued.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Metric:
    """One metric of ``metrics.json``.

    Attributes:
        key: Its key in each month's metrics (``group_gap``).
        label: Plain name shown to students ("Group gap").
        unit: What its numbers count ("points", "share of people").
        digits: Decimal places to show.
        formula: How it is computed, in words (for docs/metrics.md).
        reading: How to read it.
        measure: ``(month) -> value``: the value in one month (a number,
            None where not defined, or a table such as ``{"overall": ...,
            "by_group": {...}}``); ``month`` is a
            :class:`scoring.metrics.MonthView`.
    """

    key: str
    label: str
    unit: str
    digits: int
    formula: str
    reading: str
    measure: Callable[[Any], Any]


def shares_and_ratio(m: Any, by_group: Any, by_district: Any) -> dict[str, Any]:
    """A harm counted per group and district, as a metric's table.

    Returns ``overall`` (share of all real persons), ``by_group``,
    ``by_district`` and ``ratio``: the minority's share over the majority's
    (None where the majority's share is 0), the number that shows how a small
    gap in means becomes a large gap in who is harmed.
    """
    groups = m.ctx.groups.shares(by_group)
    a, b = (groups[label] for label in m.ctx.groups.labels)
    ratio = m.rounded(b / a) if a and b is not None else None
    return {"overall": m.rounded(float(sum(by_group)) / m.n), "by_group": groups,
            "by_district": m.ctx.districts.shares(by_district), "ratio": ratio}
