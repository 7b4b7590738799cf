"""Simulation results for the views, cached by scenario.

The cache is keyed by the scenario's JSON, so two students with the same
scenario share one run and nobody's run ever depends on another's state.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import streamlit as st

from scoring import Result, Scenario, compute_metrics, simulate
from scoring.counterfactual import all_loops_off, loop_off


@dataclass(frozen=True)
class Run:
    """A scenario with its result and metrics."""

    scenario: Scenario
    result: Result
    metrics: dict[str, Any]

    @property
    def final(self) -> dict[str, Any]:
        """Metrics of the last month."""
        return self.metrics["final"]


@st.cache_data(max_entries=64, show_spinner="Simulating...")
def _simulate(scenario_json: str) -> tuple[Result, dict[str, Any]]:
    result = simulate(Scenario.model_validate_json(scenario_json))
    return result, compute_metrics(result)


def run(scenario: Scenario) -> Run:
    """The run of a scenario."""
    result, metrics = _simulate(scenario.model_dump_json())
    return Run(scenario, result, metrics)


def without_loops(scenario: Scenario) -> Run:
    """The same scenario and seed with every feedback loop off."""
    return run(all_loops_off(scenario))


def without(scenario: Scenario, mechanism: str) -> Run:
    """The same scenario and seed with one mechanism off."""
    return run(loop_off(scenario, mechanism))
