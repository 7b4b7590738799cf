"""The named personas, read from ``cast.toml`` beside this file."""

from __future__ import annotations

import tomllib
from importlib import resources

from personas.spec import PersonaSpec


def load_cast() -> tuple[PersonaSpec, ...]:
    """The cast of named personas, validated."""
    text = resources.files("personas").joinpath("cast.toml").read_text(encoding="utf-8")
    return tuple(PersonaSpec.model_validate(p) for p in tomllib.loads(text)["persona"])


CAST: tuple[PersonaSpec, ...] = load_cast()


def persona_template() -> PersonaSpec:
    """A starting record for a user's own persona: an average adult."""
    return PersonaSpec(key="my_persona", name="My persona", story="A person of my own making.")
