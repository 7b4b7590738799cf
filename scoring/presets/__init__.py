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

from scoring.mechanisms import REGISTRY
from scoring.scenario import Scenario, ScenarioError, from_dict

# The preset in which every mechanism of the registry is off.
CONTROL = "control"

# Presets the app lists first, in this order; every other TOML file beside
# this module follows in alphabetical order (a new preset is one new file).
FIRST: tuple[str, ...] = (
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


def _found() -> tuple[str, ...]:
    names = sorted(p.name.removesuffix(".toml")
                   for p in resources.files("scoring.presets").iterdir()
                   if p.name.endswith(".toml"))
    return (*[n for n in FIRST if n in names], *[n for n in names if n not in FIRST])


PRESETS: tuple[str, ...] = _found()


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
    if name == CONTROL:
        data["mechanisms"] = {m.key: False for m in REGISTRY}
    parent = data.pop("extends", None)
    return _merge(_raw(parent), data) if parent else data


@cache
def load_preset(name: str) -> Scenario:
    """The resolved, validated scenario of a preset (validated once: scenarios are frozen).

    Raises:
        ScenarioError: if there is no preset of that name.
    """
    return from_dict(_raw(name))


def preset_description(name: str) -> str:
    """The preset's one-line description."""
    return load_preset(name).description
