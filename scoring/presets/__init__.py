"""Preset scenarios shipped as TOML files beside this module.

``baseline`` is the Sesame-like world with every mechanism on at documented
defaults; ``control`` turns every bias source and every loop off; each other
preset starts from ``control`` and turns one mechanism on, so its effect can be
seen alone. A preset file holds only what differs from the defaults (or from
the preset it ``extends``); :func:`load_preset` resolves the rest.
"""

from __future__ import annotations

import tomllib
from functools import cache
from importlib import resources

from scoring.scenario import Scenario, ScenarioError, from_dict

# Preset names in the order the app lists them.
PRESETS: tuple[str, ...] = (
    "baseline",
    "control",
    "cameras",
    "face_matching",
    "adaptive_cameras",
    "perks_penalties",
    "lending",
    "friends",
    "exclusion",
    "gaming",
    "appeals",
    "thin_files",
)


def _merge(base: dict, top: dict) -> dict:
    merged = dict(base)
    for key, value in top.items():
        if isinstance(value, dict) and isinstance(merged.get(key), dict):
            merged[key] = _merge(merged[key], value)
        else:
            merged[key] = value
    return merged


@cache
def _raw(name: str) -> dict:
    if name not in PRESETS:
        raise ScenarioError([f"unknown preset '{name}'; presets: {', '.join(PRESETS)}"])
    text = resources.files("scoring.presets").joinpath(f"{name}.toml").read_text("utf-8")
    data = tomllib.loads(text)
    parent = data.pop("extends", None)
    return _merge(_raw(parent), data) if parent else data


def load_preset(name: str) -> Scenario:
    """The resolved, validated scenario of a preset.

    Raises:
        ScenarioError: if there is no preset of that name.
    """
    return from_dict(_raw(name))


def preset_description(name: str) -> str:
    """The preset's one-line description."""
    return load_preset(name).description
