"""What a worker process runs: one simulation and its metrics.

Kept apart from the Streamlit code so a worker imports only the engine.
"""

from __future__ import annotations

from typing import Any

from scoring import Result, Scenario, compute_metrics, simulate
from scoring.metrics import final_month_metrics


def simulate_json(scenario_json: str) -> tuple[Result, dict[str, Any]]:
    """Simulate a scenario given as JSON and compute its metrics."""
    result = simulate(Scenario.model_validate_json(scenario_json))
    return result, compute_metrics(result)


def finals_json(scenario_json: str) -> tuple[None, dict[str, Any]]:
    """Simulate a scenario given as JSON and keep only its final-month metrics.

    For pages that compare many runs by their last month: a few kilobytes each
    instead of a whole result.
    """
    result = simulate(Scenario.model_validate_json(scenario_json), twins=False,
                      subscores="tracked")
    return None, {"final": final_month_metrics(result)}
