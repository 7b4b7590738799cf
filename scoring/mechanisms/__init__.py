"""The registry of mechanisms: one module each, listed here once, in order.

The order is the order the app lists them in and the order their actions
run at each point of the month. Everything that lists mechanisms (the
scenario's ``[mechanisms]`` switches and their settings, the control preset,
the panel, the About page, the loop diagram, the loop-off twins, the docs)
is derived from :data:`REGISTRY`. ``docs/extending.md`` walks through adding
one.
"""

from __future__ import annotations

from scoring.mechanisms import (
    adaptive_cameras,
    appeals,
    biometric_ban,
    blacklist,
    cameras,
    data_minimisation,
    exclusion,
    face_matching,
    friends,
    gaming,
    lending,
    penalties,
    perks,
    purpose_limitation,
    social_scoring_ban,
    special_categories,
    storage_limitation,
    thin_files,
)
from scoring.mechanisms.base import KINDS, POINTS, Edge, LogKind, Mechanism

REGISTRY: tuple[Mechanism, ...] = tuple(module.MECHANISM for module in (
    thin_files,
    cameras,
    face_matching,
    adaptive_cameras,
    perks,
    penalties,
    lending,
    friends,
    exclusion,
    gaming,
    appeals,
    blacklist,
    # The law: each principle changes what the scorer may do, before the run.
    data_minimisation,
    purpose_limitation,
    storage_limitation,
    special_categories,
    social_scoring_ban,
    biometric_ban,
))

MECHANISMS_BY_KEY: dict[str, Mechanism] = {m.key: m for m in REGISTRY}
LOOP_KEYS: tuple[str, ...] = tuple(m.key for m in REGISTRY if m.is_loop)
LAW_KEYS: tuple[str, ...] = tuple(m.key for m in REGISTRY if m.kind == "law")
# Boxes every diagram has, and the arrows that are always there.
CORE_EDGES: tuple[Edge, ...] = (
    Edge("Behaviour", "Records"), Edge("Records", "Score"), Edge("Hardship", "Behaviour"),
)


def sections() -> dict[str, list[type]]:
    """Scenario table -> the settings models of the mechanisms that live there."""
    found: dict[str, list[type]] = {}
    for m in REGISTRY:
        if m.settings is not None:
            found.setdefault(m.section, []).append(m.settings)
    return found


def diagram_edges() -> list[tuple[Edge, tuple[str, ...]]]:
    """Every arrow of the loop diagram with the mechanisms that draw it (none: always)."""
    edges: dict[tuple[str, str], tuple[Edge, list[str]]] = {
        (e.source, e.target): (e, []) for e in CORE_EDGES
    }
    for m in REGISTRY:
        for e in m.edges:
            edge, owners = edges.setdefault((e.source, e.target), (e, []))
            owners.append(m.key)
    return [(edge, tuple(owners)) for edge, owners in edges.values()]


def markdown_table() -> str:
    """The registry as the table in ``docs/model.md`` (a test keeps the two the same)."""
    from scoring.constants import PROVENANCE

    lines = ["| switch | mechanism | kind | provenance | settings | source |",
             "|---|---|---|---|---|---|"]
    for m in REGISTRY:
        settings = ", ".join(f"`{m.section}.{f}`" for f in m.settings.model_fields) \
            if m.settings else ""
        lines.append(f"| `{m.key}` | {m.title} | {KINDS[m.kind]} | "
                     f"{PROVENANCE[m.provenance]} | {settings} | {m.source} |")
    return "\n".join(lines) + "\n"


__all__ = ["CORE_EDGES", "KINDS", "LAW_KEYS", "LOOP_KEYS", "MECHANISMS_BY_KEY", "POINTS",
           "REGISTRY", "Edge", "LogKind", "Mechanism", "diagram_edges", "markdown_table",
           "sections"]
