"""The law before the run: what each legal principle switched on lets the scorer do.

A legal principle is a mechanism of kind ``law`` (:mod:`scoring.mechanisms`):
it does nothing during the month, it changes the scenario before the run (a
rule that may not count scores 0, a camera that may not identify is off).
:func:`lawful` applies every principle that is on, in registry order, and
the engine runs the result; :func:`what_the_law_changes` lists the changes
for the app and the docs, so a student sees exactly what each one does.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from scoring.mechanisms import REGISTRY
from scoring.scenario import Scenario, with_changes


def _applied(scenario: Scenario) -> tuple[dict[str, dict[str, Any]], Scenario]:
    """The changes of each principle switched on, in order, and the scenario after them.

    Each principle sees the scenario as the ones before it left it.
    """
    found: dict[str, dict[str, Any]] = {}
    for m in REGISTRY:
        if m.kind != "law" or not getattr(scenario.mechanisms, m.key):
            continue
        changes = m.at["law"](scenario)
        found[m.key] = changes
        if changes:
            scenario = with_changes(scenario, changes)
    return found, scenario


def what_the_law_changes(scenario: Scenario) -> dict[str, dict[str, Any]]:
    """Principle key -> its dotted changes, for the principles switched on, in order."""
    return _applied(scenario)[0]


@lru_cache(maxsize=256)
def lawful(scenario: Scenario) -> Scenario:
    """The scenario as the principles switched on allow it (itself if none is on)."""
    return _applied(scenario)[1]
