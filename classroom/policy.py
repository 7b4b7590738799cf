"""The policy lab: every submitted law on the same people and seeds, and what the fairest share.

A law is a set of dotted changes from the session's starting scenario
(:func:`scenario_of`). Each distinct law runs on the starting scenario's seed
and the ones after it (:data:`SEEDS` in all), so laws differ only by their
rules; :func:`measures_of` reads the :data:`MEASURES` from each run's final
month. :func:`common_to_fairest` says which changes the fairest laws share.
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass
from statistics import mean
from typing import Any

from scoring.ensemble import seeds_of
from scoring.metrics import read
from scoring.scenario import Scenario, ScenarioError, with_changes
from scoring.sharelink import changes_from

SEEDS = 4


@dataclass(frozen=True)
class Measure:
    """One axis of the policy map.

    Attributes:
        key: Its name in a law's stored measures.
        label: Its name on the map.
        way: Which way is fairer: "towards 1", "towards 0", "lower" or "higher".
        digits: Digits shown.
    """

    key: str
    label: str
    way: str
    digits: int


MEASURES: tuple[Measure, ...] = (
    Measure("group_gap", "Group gap, majority minus minority (points)", "towards 0", 1),
    Measure("perk_ratio", "Perk-rate ratio, minority to majority", "towards 1", 2),
    Measure("listing_ratio", "Listing-rate ratio, minority to majority", "towards 1", 2),
    Measure("reliability", "How well the score measures reliability (correlation)", "higher", 2),
    Measure("wrong_per_1000", "Wrongful penalties per 1,000 people", "lower", 0),
    Measure("listed_per_1000", "People listed, per 1,000", "lower", 1),
)
MEASURE_BY_KEY = {m.key: m for m in MEASURES}


def scenario_of(base: Scenario, changes: dict[str, Any]) -> Scenario:
    """The law's scenario: the starting scenario with the law's changes.

    Raises:
        ScenarioError: if the changes do not make a valid scenario.
    """
    return with_changes(base, changes)


# What a law may not change: the people it runs on (their seed) and the
# scenario's own labels, which change no rule.
NOT_A_RULE = ("seed", "name", "description")


def law_changes(base: Scenario, scenario: Scenario) -> dict[str, Any]:
    """A student's law: the rules their scenario changes from the starting one."""
    return {path: value for path, value in changes_from(base, scenario).items()
            if path not in NOT_A_RULE}


def seeded(scenario: Scenario) -> list[Scenario]:
    """The scenario on each of the session's seeds."""
    return [scenario.model_copy(update={"seed": seed}) for seed in seeds_of(scenario, SEEDS)]


def _one(final: dict[str, Any], population: int) -> dict[str, float | None]:
    wrong = read(final, "false_penalties_by_group")
    listed = read(final, "listed_share.overall")
    return {
        "group_gap": read(final, "group_gap"),
        "perk_ratio": read(final, "disparate_impact"),
        "listing_ratio": read(final, "listed_share.ratio"),
        "reliability": read(final, "score_measures_reliability"),
        "wrong_per_1000": 1000.0 * sum(g["count"] for g in wrong.values()) / population,
        "listed_per_1000": None if listed is None else 1000.0 * listed,
    }


def measures_of(finals: list[dict[str, Any]], population: int) -> dict[str, list[float | None]]:
    """Each measure on each seed, from the seeds' final months."""
    ones = [_one(final, population) for final in finals]
    return {m.key: [one[m.key] for one in ones] for m in MEASURES}


def value(measures: dict[str, list[float | None]], key: str) -> float | None:
    """A measure's mean over the seeds (None if undefined on any seed)."""
    values = measures.get(key) or []
    if not values or any(v is None for v in values):
        return None
    return float(mean(values))


def unfairness(measures: dict[str, list[float | None]], key: str) -> float | None:
    """How far a law is from fair on one measure (0 is fair)."""
    v = value(measures, key)
    if v is None:
        return None
    way = MEASURE_BY_KEY[key].way
    return {"towards 0": abs(v), "towards 1": abs(v - 1.0), "lower": v, "higher": -v}[way]


def common_to_fairest(laws: list[tuple[dict[str, Any], dict[str, list[float | None]]]],
                      key: str) -> tuple[int, list[tuple[tuple[str, Any], int, int]]]:
    """The changes most laws in the fairest third share, on measure ``key``.

    Args:
        laws: (changes, measures) of each distinct law with a result.
        key: The measure that decides "fairest".

    Returns:
        How many laws are in the fairest third, and ((path, value), how many of
        them make it, how many of the others do) for each change at least half
        of them make, most shared first.
    """
    ranked = [(unfairness(m, key), changes) for changes, m in laws]
    ranked = sorted((r for r in ranked if r[0] is not None), key=lambda r: r[0])
    if not ranked:
        return 0, []
    top = max(1, len(ranked) // 3)
    fairest = [changes for _, changes in ranked[:top]]
    others = [changes for _, changes in ranked[top:]]

    def counted(group: list[dict[str, Any]]) -> Counter:
        return Counter((p, json.dumps(v, sort_keys=True)) for changes in group
                       for p, v in changes.items())

    in_fairest, in_others = counted(fairest), counted(others)
    shared = [(change, n, in_others.get(change, 0)) for change, n in in_fairest.items()
              if n * 2 >= len(fairest)]
    shared.sort(key=lambda row: (-row[1], row[2], row[0]))
    return len(fairest), [((path, json.loads(v)), n, o) for (path, v), n, o in shared]


__all__ = ["MEASURES", "MEASURE_BY_KEY", "Measure", "ScenarioError", "SEEDS",
           "common_to_fairest", "law_changes", "measures_of", "scenario_of", "seeded",
           "unfairness", "value"]
