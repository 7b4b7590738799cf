"""Social Credit Sandbox: a stylised, teaching model of behaviour scoring.

The public API::

    from scoring import load_preset, simulate, compute_metrics
    result = simulate(load_preset("baseline"))
    metrics = compute_metrics(result)

The engine never imports the user interface.
"""

from scoring.counterfactual import loop_off, twin_trajectories
from scoring.engine import Result, simulate
from scoring.metrics import compute_metrics
from scoring.presets import PRESETS, load_preset, preset_description
from scoring.scenario import (
    Scenario,
    ScenarioError,
    from_dict,
    from_toml,
    to_dict,
    to_toml,
    with_changes,
)

__all__ = [
    "PRESETS",
    "Result",
    "Scenario",
    "ScenarioError",
    "compute_metrics",
    "from_dict",
    "from_toml",
    "load_preset",
    "loop_off",
    "preset_description",
    "simulate",
    "to_dict",
    "to_toml",
    "twin_trajectories",
    "with_changes",
]
