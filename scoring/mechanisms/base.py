"""What a mechanism declares: words, settings, what it does in the month.

A mechanism is one module of :mod:`scoring.mechanisms` that makes one
:class:`Mechanism`. Everything else (the scenario's switches and settings,
the control preset, the panel, the About page, the loop diagram, the twins
with a loop off, the docs tables) is derived from the registry, so adding a
mechanism means adding one module and one line to the registry.

A mechanism acts at named points of the month (:data:`POINTS`), each a plain
function of what that point needs; the engine (:mod:`scoring.engine`) calls
the points of the mechanisms that are switched on, in registry order.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

from scoring.catalogue import Metric
from scoring.fields import Frozen

# The points of a month a mechanism can act at, in the order the month runs them.
POINTS: dict[str, str] = {
    "setup": "fixed data for the whole run, made once: (world) -> anything",
    "initial": "its part of the state in month 0, made even when off: (world) -> anything",
    "score_table": "hardship by score, added to a table of 350..950: (scenario, table) -> None",
    "hardship": "hardship it adds this month: (world, state) -> array",
    "behaviour": "changes to the chances of true events: (world, state, hardship, intervals)",
    "observation": "what the scorer sees of true events: (world, state, month) -> None",
    "contest": "the chance a wrong match is contested and reversed, given the chance "
               "before it (0 with no remedy): (world, chance) -> chance",
    "recording": "changes to the recorded counts: (world, state, month) -> None",
    "scoring": "points pulled this month: (world, points, friends) -> array of points",
    "network": "ties after this month: (world, state, ties, score, rng) -> ties (ties that "
               "are not state.ties were made this month and may be changed in place)",
    "update": "its parts of the next state: (world, state, month) -> {key: part}",
    "tally": "its monthly records, counted as the month is kept, made even when off: "
             "(world, state at the month's end, month) -> dict",
    "law": "what a legal principle changes before the run: (scenario) -> {dotted path: value}",
}

Kind = Literal["bias", "loop", "remedy", "law"]
KINDS: dict[str, str] = {
    "bias": "source of bias",
    "loop": "feedback loop",
    "remedy": "remedy",
    "law": "legal principle",
}


@dataclass(frozen=True)
class Edge:
    """An arrow of the loop diagram that a mechanism draws.

    Attributes:
        source: Box the arrow starts from ("Score").
        target: Box it points to ("Hardship").
        label: Words beside the arrow ("" for none).
    """

    source: str
    target: str
    label: str = ""


@dataclass(frozen=True)
class LogKind:
    """One kind of line a mechanism writes in a persona's event log.

    Attributes:
        kind: Short name ("gamed"); for a kind about no one event, the key
            in the log's event column.
        how: Words shown in the log ("kept off the platform: gaming").
        events: Keys of the events it writes about; none for a mark about
            the person (being listed), written after the month's steps.
        order: Where it stands among an event's lines: 0 before what was
            seen or missed, 2 after.
        pick: ``(view, event_index) -> (picked, points)`` for the tracked rows,
            every month at once: ``view`` is a :class:`scoring.eventlog.RunView`,
            whose ``view.did[e]``, ``view.gaming``... are ``(months, rows)``,
            as ``picked`` and ``points`` must be.
        claims: True if what it picks is no longer shown as seen or missed.
        label: For a kind about no one event, the words of its event column.
    """

    kind: str
    how: str
    events: tuple[str, ...]
    order: int
    pick: Callable[[Any, int], tuple[Any, Any]]
    claims: bool = False
    label: str = ""


@dataclass(frozen=True)
class Mechanism:
    """One switchable mechanism: its words, settings and what it does.

    Attributes:
        key: Its switch in the scenario's ``[mechanisms]`` table.
        title: Short name shown in the app.
        kind: ``bias`` (the score sees people unequally), ``loop`` (the score
            changes what it then measures), ``remedy``, or ``law`` (a legal
            principle: it changes what the scorer may do, before the run).
        provenance: Key of :data:`scoring.constants.PROVENANCE`.
        description: What it does in the model, in plain words (one text,
            used by the app and the docs).
        source: Where the idea comes from.
        settings: Its settings model, or None.
        section: The scenario table its settings live in (shared with other
            mechanisms where they belong together, e.g. ``surveillance``).
        default: Whether a new scenario has it on.
        needs: Mechanisms it acts through (face matching needs cameras).
        edges: Arrows it adds to the loop diagram.
        log: Kinds of line it writes in the event log.
        metrics: The metrics it brings to the catalogue (:mod:`scoring.metrics`).
        at: Point of the month -> function (see :data:`POINTS`).
        simplifies: Where the model simplifies its source, in one sentence
            (shown beside the legal principles).
    """

    key: str
    title: str
    kind: Kind
    provenance: str
    description: str
    source: str
    settings: type[Frozen] | None = None
    section: str | None = None
    default: bool = True
    needs: tuple[str, ...] = ()
    edges: tuple[Edge, ...] = ()
    log: tuple[LogKind, ...] = ()
    metrics: tuple[Metric, ...] = ()
    at: Mapping[str, Callable[..., Any]] = field(default_factory=dict)
    simplifies: str = ""

    def __post_init__(self) -> None:
        unknown = set(self.at) - set(POINTS)
        if unknown:
            raise ValueError(f"mechanism {self.key}: unknown points {sorted(unknown)}")
        if self.kind not in KINDS:
            raise ValueError(f"mechanism {self.key}: kind must be one of {list(KINDS)}")
        if (self.settings is None) != (self.section is None):
            raise ValueError(f"mechanism {self.key}: settings and section go together")

    @property
    def is_loop(self) -> bool:
        """True for a feedback loop."""
        return self.kind == "loop"
