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
