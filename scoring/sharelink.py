"""Share links: a whole scenario in a short, versioned URL token.

A token holds the preset the scenario started from and only the settings that
differ from it, as JSON, compressed with zlib and written in URL-safe base64.
Decoding checks every step and raises :class:`ScenarioError` with a plain
message for anything else (tampered, truncated, too large, unknown version).
"""

from __future__ import annotations

import base64
import binascii
import json
import zlib
from typing import Any

from scoring.constants import FORMAT_VERSION
from scoring.presets import PRESETS, load_preset
from scoring.scenario import Scenario, ScenarioError, plain_data, to_dict, with_changes

# Longest token accepted, in characters (a heavily edited scenario is ~1,500).
MAX_TOKEN_CHARS = 8_000
# Most bytes a token may expand to.
MAX_JSON_BYTES = 100_000


def _flatten(data: Any, prefix: str = "") -> dict[str, Any]:
    """Dotted paths to leaves; lists count as leaves."""
    if isinstance(data, dict):
        flat: dict[str, Any] = {}
        for key, value in data.items():
            flat.update(_flatten(value, f"{prefix}{key}."))
        return flat
    return {prefix[:-1]: data}


def changes_from(base: Scenario, scenario: Scenario) -> dict[str, Any]:
    """Dotted-path settings in which ``scenario`` differs from ``base``."""
    old = _flatten(plain_data(to_dict(base)))
    new = _flatten(plain_data(to_dict(scenario)))
    return {path: value for path, value in new.items() if old.get(path) != value}


def nearest_preset(scenario: Scenario) -> str:
    """The preset from which the scenario differs in the fewest settings."""
    return min(PRESETS, key=lambda name: len(changes_from(load_preset(name), scenario)))


def encode(scenario: Scenario, preset: str | None = None) -> str:
    """A URL-safe token for the scenario.

    Args:
        scenario: The scenario to share.
        preset: The preset to store differences against (the nearest if None).
    """
    preset = preset if preset in PRESETS else nearest_preset(scenario)
    payload = {"v": FORMAT_VERSION, "p": preset,
               "c": changes_from(load_preset(preset), scenario)}
    raw = json.dumps(payload, separators=(",", ":"), sort_keys=True).encode()
    return base64.urlsafe_b64encode(zlib.compress(raw, 9)).decode().rstrip("=")


def decode(token: str) -> Scenario:
    """The scenario a token holds.

    Raises:
        ScenarioError: with one plain sentence if the token cannot be used.
    """
    if not isinstance(token, str) or not token:
        raise ScenarioError(["the link holds no scenario"])
    if len(token) > MAX_TOKEN_CHARS:
        raise ScenarioError([f"the link is too long ({len(token):,} characters; "
                             f"at most {MAX_TOKEN_CHARS:,})"])
    try:
        # A link cut at any length: drop a lone trailing character base64 cannot
        # hold, so the compressed stream, not the encoding, says it is cut short.
        whole = token[: len(token) - 1] if len(token) % 4 == 1 else token
        packed = base64.urlsafe_b64decode(whole + "=" * (-len(whole) % 4))
        inflater = zlib.decompressobj()
        raw = inflater.decompress(packed, MAX_JSON_BYTES)
        if inflater.unconsumed_tail:
            raise ScenarioError(["the link expands to too much data"])
        if not inflater.eof:
            raise ScenarioError(["the link is cut short: copy the whole address"])
        payload = json.loads(raw.decode("utf-8"))
    except ScenarioError:
        raise
    except (binascii.Error, ValueError, zlib.error, UnicodeDecodeError, RecursionError):
        raise ScenarioError(["the link is damaged: copy the whole address again"]) from None
    if not isinstance(payload, dict) or not isinstance(payload.get("c"), dict):
        raise ScenarioError(["the link is damaged: it holds no scenario"])
    version = payload.get("v")
    if version != FORMAT_VERSION:
        raise ScenarioError([f"the link uses format version {version!r}; this version of the "
                             f"app reads version {FORMAT_VERSION}"])
    preset = payload.get("p")
    if preset not in PRESETS:
        raise ScenarioError([f"the link names an unknown preset {str(preset)[:40]!r}"])
    if not all(isinstance(k, str) for k in payload["c"]):
        raise ScenarioError(["the link is damaged: it holds no scenario"])
    return with_changes(load_preset(preset), payload["c"])
