"""The spread over seeds the app shows: bands on the mean-score charts, ranges on headlines.

One seed is an anecdote, so Drift and Bias also run the session's scenario on
the next ``SEEDS - 1`` seeds (the same people drawn anew, the same rules) and
show how far the numbers move: a shaded band from the lowest to the highest
seed on the group and district charts, and "4 seeds: a to b" under the
headline numbers. Four seeds keep a change redrawn within about a second on
the two workers here (docs/performance.md); ``python -m scoring run --seeds
30`` gives the full interval (ensemble.json).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from scoring import Scenario
from scoring.ensemble import seeds_of
from scoring.metrics import read

SEEDS = 4  # the session's seed and the three after it


def other_seeds(scenario: Scenario) -> list[Scenario]:
    """The scenario on the seeds after its own (the runs the spread adds).

    Only the seed changes, to a valid seed, so the copies need no new validation.
    """
    return [scenario.model_copy(update={"seed": seed}) for seed in seeds_of(scenario, SEEDS)[1:]]


@dataclass(frozen=True)
class Spread:
    """Several seeds' metrics of one scenario, the session's own first."""

    metrics: tuple[dict[str, Any], ...]

    @property
    def seeds(self) -> int:
        """How many seeds."""
        return len(self.metrics)

    def band(self, by: str, names: list[str]) -> dict[str, tuple[list, list]]:
        """Per name, the lowest and highest mean score of each month over the seeds."""
        out: dict[str, tuple[list, list]] = {}
        months = min(len(m["by_month"]) for m in self.metrics)
        for name in names:
            rows = [[m["by_month"][t]["mean_score"][by][name] for m in self.metrics]
                    for t in range(months)]
            out[name] = ([min((v for v in r if v is not None), default=None) for r in rows],
                         [max((v for v in r if v is not None), default=None) for r in rows])
        return out

    def range_of(self, path: str) -> tuple[float, float] | None:
        """The lowest and highest final value of a metric over the seeds (None if undefined)."""
        values = [read(m["final"], path) for m in self.metrics]
        if any(v is None for v in values):
            return None
        return float(min(values)), float(max(values))

    def words(self, path: str, digits: int, scale: float = 1.0) -> str:
        """``"4 seeds: a to b"`` (values times ``scale``), or that it is not always defined."""
        found = self.range_of(path)
        if found is None:
            return f"{self.seeds} seeds: not defined on every seed"
        low, high = found[0] * scale, found[1] * scale
        return f"{self.seeds} seeds: {low:.{digits}f} to {high:.{digits}f}"
