"""Many seeds of one scenario: every final number with its spread and interval.

One seed is an anecdote. :func:`ensemble` runs the same scenario on ``N``
seeds and gives, for every number in ``metrics.json``'s ``final``, its
``mean`` over the seeds, the seed-to-seed standard deviation ``sd``, and a
95% interval for the mean, ``lo`` to ``hi`` (Student's t with N - 1 degrees
of freedom: mean +/- t x sd / sqrt(N)). ``n`` counts the seeds where the
number was defined (a rate of nobody is not). ``python -m scoring run
--seeds N`` writes it as ``ensemble.json``.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable
from typing import Any

from scoring.engine import simulate
from scoring.metrics import final_month_metrics
from scoring.scenario import Scenario, with_changes

# Two-sided 95% quantiles of Student's t by degrees of freedom (1 to 30);
# beyond 30 the normal 1.96 is within 2% of it.
T_975 = (12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228, 2.201, 2.179,
         2.160, 2.145, 2.131, 2.120, 2.110, 2.101, 2.093, 2.086, 2.080, 2.074, 2.069, 2.064,
         2.060, 2.056, 2.052, 2.048, 2.045, 2.042)
DIGITS = 4


def t_975(freedom: int) -> float:
    """The 97.5% quantile of Student's t with ``freedom`` degrees of freedom."""
    return T_975[freedom - 1] if freedom <= len(T_975) else 1.96


def summary(values: list[float]) -> dict[str, Any]:
    """Mean, standard deviation and 95% interval of the mean of some seeds' values."""
    n = len(values)
    mean = sum(values) / n
    sd = math.sqrt(sum((v - mean) ** 2 for v in values) / (n - 1)) if n > 1 else 0.0
    half = t_975(n - 1) * sd / math.sqrt(n) if n > 1 else 0.0
    r = lambda x: round(x, DIGITS)  # noqa: E731
    return {"mean": r(mean), "sd": r(sd), "lo": r(mean - half), "hi": r(mean + half), "n": n}


def _pool(finals: list[Any]) -> Any:
    """The seeds' finals, pooled leaf by leaf (numbers only; words are left out)."""
    first = finals[0]
    if isinstance(first, dict):
        pooled = {k: _pool([f[k] for f in finals]) for k in first}
        return {k: v for k, v in pooled.items() if v is not None}
    if isinstance(first, list):
        if first and all(isinstance(x, str) for x in first):
            return None
        return [_pool([f[i] for f in finals]) for i in range(len(first))]
    numbers = [float(v) for v in finals if isinstance(v, int | float) and not isinstance(v, bool)]
    return summary(numbers) if numbers else None


def seeds_of(scenario: Scenario, count: int) -> list[int]:
    """The scenario's own seed and the ``count - 1`` after it."""
    return [(scenario.seed + k) % 2**32 for k in range(count)]


def ensemble(scenario: Scenario, count: int,
             run_all: Callable[[Iterable[Scenario]], Iterable[dict[str, Any]]] | None = None
             ) -> dict[str, Any]:
    """Pool the final metrics of ``count`` seeds of one scenario.

    Args:
        scenario: What to run; seeds start at its own.
        count: How many seeds (2 or more for a spread).
        run_all: Scenarios -> their final-month metrics, in order (default: one
            after another).
    """
    runs = [with_changes(scenario, {"seed": seed}) for seed in seeds_of(scenario, count)]
    run_all = run_all or (lambda items: (final_month_metrics(simulate(s, subscores="tracked"))
                                         for s in items))
    finals = list(run_all(runs))
    return {"scenario": scenario.name, "population": scenario.population.size,
            "months": scenario.months, "seeds": [s.seed for s in runs],
            "interval": "95% interval of the mean over the seeds (Student's t)",
            "final": _pool(finals)}
