"""Thin files: only payments through the platform are seen."""

from __future__ import annotations

from scoring.events import EVENTS
from scoring.mechanisms.base import Mechanism

_PLATFORM_ROWS = tuple(i for i, e in enumerate(EVENTS) if e.observed_by == "platform")


def _observe(world, state, month) -> None:
    # A payment is seen if its draw fell in the first platform_use share of its interval.
    for row in _PLATFORM_ROWS:
        month.seen[row] = month.true.seen_part(row, world.population.platform_use)


MECHANISM = Mechanism(
    key="thin_files", title="Thin files", kind="bias", provenance="operator",
    description="Only payments that run through the platform are seen. People who pay in "
    "cash have a thin file: good habits and bad ones barely move their score.",
    source="Sesame Credit scores activity on Alipay and partner services (operator).",
    at={"observation": _observe},
)
