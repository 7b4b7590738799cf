"""The event log of tracked rows: every change to a persona's score, in words.

Each month, for each event, the log says what the scorer saw ("seen by the
platform") and what it missed ("not seen: paid in cash"); mechanisms add
their own kinds of line (:class:`scoring.mechanisms.base.LogKind`): gaming
before what was seen, face matching and appeals after. Then come the steps
that touch every dimension: friends' pull, fading memory and the range.

A run keeps each month's part for the tracked rows only (:class:`LogMonth`,
a few arrays of a few dozen rows) and writes the lines when the log is
first read, for every month at once (:meth:`LogPlan.write`): most runs are
never asked for their log, and those that are pay for a few dozen calls
over the whole run instead of a few dozen a month.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd
from pandas.api.types import pandas_dtype

from scoring.constants import DIMENSIONS
from scoring.events import EVENTS

if TYPE_CHECKING:
    from scoring.rules import RuleArrays

_OBSERVER = {"platform": "seen by the platform", "camera": "seen by a camera",
             "registry": "on the register"}
_MISSED = {"platform": "not seen: paid in cash", "camera": "not seen: no camera there",
           "registry": "not on the register"}
# The steps after the rules, with the dimension they touch and their words.
STEPS = (("friends", "relationships", "friends' scores"),
         ("memory_fades", "all", "memory fades"),
         ("score_limit", "all", "kept within 350-950"))
# What the log's event column shows for lines that are not events.
STEP_LABELS = {"friends": "Friends' scores", "memory_fades": "Memory fades",
               "score_limit": "Kept within 350-950"}
COLUMNS = ["month", "person", "event", "points", "dimension", "how"]


class EventLog:
    """The tracked rows' months, kept as the run goes; their lines written when first read.

    Each entry names a line of the log (event, dimension, how) by its number
    in ``lines``; the words are filled in once, when the frame is made.

    Args:
        rows: The tracked rows.
        rules: The run's rule table (the dimension of each event's lines).
        kinds: The kinds of line of the mechanisms switched on.
    """

    def __init__(self, rows: np.ndarray, rules: RuleArrays, kinds: Sequence = ()):
        self.rows = rows
        self.lines: dict[tuple[str, str, str], int] = {}
        self.parts: list[tuple[np.ndarray, ...]] = []
        self.plan = LogPlan(self, rules, kinds)
        self.months: list[tuple[int, LogMonth]] = []
        self._writing = threading.Lock()

    def __getstate__(self) -> dict:
        # A run made in a worker process is sent whole to the app's: all but the lock.
        return {key: value for key, value in self.__dict__.items() if key != "_writing"}

    def __setstate__(self, state: dict) -> None:
        self.__dict__.update(state, _writing=threading.Lock())

    def line(self, event: str, dimension: str, how: str) -> int:
        """The number of a line of the log, new lines numbered as they come."""
        return self.lines.setdefault((event, dimension, how), len(self.lines))

    def keep(self, t: int, view: LogView, steps: Sequence[np.ndarray]) -> None:
        """Keep month ``t``'s part for the tracked rows (its lines are written when read)."""
        self.months.append((t, LogMonth.of(view, steps)))

    def add(self, months: np.ndarray, lines: np.ndarray, picked: np.ndarray,
            points: np.ndarray) -> None:
        """Entries for ``picked`` (months x lines x tracked rows), in month then line order.

        Args:
            months: The month of each row of ``picked``.
            lines: The line of each column of ``picked``.
            picked: Which tracked rows have an entry on each line, each month.
            points: The points of each entry, the shape of ``picked``.
        """
        when, which, at = np.nonzero(picked)
        if which.size:
            self.parts.append((months[when].astype(np.int16), at, lines[which],
                               points[when, which, at]))

    def _write(self) -> None:
        """The kept months' lines, once (two threads reading one run's log: the first writes)."""
        with self._writing:
            if self.months:
                self.plan.write(RunView.stack(self.rows, self.months))
                self.months = []

    def frame(self) -> pd.DataFrame:
        """The log as a table, by person then month."""
        self._write()
        if not self.parts:
            return pd.DataFrame({c: [] for c in COLUMNS}).astype(
                {"month": "int16", "person": "int64", "points": "float64"}
            )
        month, at, line, points = (np.concatenate(c) for c in zip(*self.parts, strict=True))
        person = self.rows[at]
        order = np.lexsort((month, person))  # by person, then month; stable, as entered
        line = line[order]
        words = list(zip(*self.lines, strict=True))  # (events, dimensions, hows), by line number
        return pd.DataFrame({"month": month[order], "person": person[order],
                             "event": _text(words[0], line),
                             "points": np.round(points[order].astype(np.float64), 2),
                             "dimension": _text(words[1], line), "how": _text(words[2], line)})


def _text(words: Sequence[str], line: np.ndarray) -> pd.Series:
    """A column of pandas' text type: ``words[line[i]]`` for each entry.

    The log has a few dozen lines and thousands of entries: each line's words
    are made once and repeated by pyarrow (pandas keeps its text in pyarrow
    arrays), not turned into a Python string per entry (six times faster).
    """
    text = pandas_dtype("str")  # what pandas makes of a column of strings
    if text.storage != "pyarrow":  # pandas without pyarrow: a string per entry
        return pd.Series(np.asarray(words, dtype=object)[line], dtype=text)
    import pyarrow as pa

    taken = pa.array(words, pa.large_string()).take(pa.array(line))
    return pd.Series(pd.arrays.ArrowStringArray(taken, dtype=text), copy=False)


@dataclass(frozen=True)
class LogView:
    """One month as the step leaves it: the tracked rows' part, and the whole month.

    Attributes:
        rows: The tracked rows.
        did: ``(E, rows)`` what they truly did.
        seen: ``(E, rows)`` what the scorer recorded against the right person.
        matched_away: ``(E, rows)`` what was recorded but pinned on someone else.
        gaming: Who gamed the score.
        worth: ``(E, rows)`` points each event is worth after the monthly cap.
        month: The whole month's working record: the log keeps of it only
            the tracked rows' notes and the month's wrong-match victims
            (:meth:`LogMonth.of`).
    """

    rows: np.ndarray
    did: np.ndarray
    seen: np.ndarray
    matched_away: np.ndarray
    gaming: np.ndarray
    worth: np.ndarray
    month: object


# The month's lists of persons a wrong match stands against, and whose was
# reversed: per camera event, sorted rows (small: a few in a thousand).
VICTIMS = ("wrong_stuck", "wrong_reversed")
# More than any row: month t's rows, shifted by t times this, follow month t - 1's.
_MONTH_APART = np.int64(1) << 40


@dataclass(frozen=True)
class LogMonth:
    """What the log keeps of a month: the tracked rows' part only.

    Attributes:
        did, seen, matched_away, gaming, worth: As in :class:`LogView`.
        steps: The points friends, fading memory and the range added.
        notes: The mechanisms' notes (:attr:`scoring.engine.Month.notes`)
            for the tracked rows.
        victims: Per name of :data:`VICTIMS`, per camera event, the month's
            sorted rows.
    """

    did: np.ndarray
    seen: np.ndarray
    matched_away: np.ndarray
    gaming: np.ndarray
    worth: np.ndarray
    steps: tuple[np.ndarray, ...]
    notes: dict[str, np.ndarray]
    victims: dict[str, dict[int, np.ndarray]]

    @classmethod
    def of(cls, view: LogView, steps: Sequence[np.ndarray]) -> LogMonth:
        """The part of a month the log keeps (after the month's last point)."""
        month = view.month
        return cls(did=view.did, seen=view.seen, matched_away=view.matched_away,
                   gaming=view.gaming, worth=view.worth, steps=tuple(steps),
                   notes={key: value.take(view.rows) for key, value in month.notes.items()},
                   victims={name: getattr(month, name) for name in VICTIMS})


@dataclass(frozen=True)
class RunView:
    """Every kept month at once, for the tracked rows: what a line's pick reads.

    Each array has the month as its first axis after the event's, so that
    ``view.did[e]`` is ``(months, rows)``, as is ``view.gaming``.

    Attributes:
        rows: The tracked rows.
        months: The month of each kept month, in order.
        did, seen, matched_away, worth: ``(E, months, rows)``.
        gaming: ``(months, rows)``.
        steps: Per step (friends, fading memory, the range), ``(months, rows)``.
        notes: Per note, ``(months, rows)``.
        victims: Per name of :data:`VICTIMS`, a month's lists each month.
    """

    rows: np.ndarray
    months: np.ndarray
    did: np.ndarray
    seen: np.ndarray
    matched_away: np.ndarray
    gaming: np.ndarray
    worth: np.ndarray
    steps: tuple[np.ndarray, ...]
    notes: dict[str, np.ndarray]
    victims: dict[str, list[dict[int, np.ndarray]]]

    @classmethod
    def stack(cls, rows: np.ndarray, kept: Sequence[tuple[int, LogMonth]]) -> RunView:
        """The kept months, stacked."""
        parts = [part for _, part in kept]

        def by_event(name: str) -> np.ndarray:
            return np.stack([getattr(part, name) for part in parts], axis=1)

        return cls(rows=rows, months=np.array([t for t, _ in kept], dtype=np.int64),
                   did=by_event("did"), seen=by_event("seen"),
                   matched_away=by_event("matched_away"), worth=by_event("worth"),
                   gaming=np.stack([part.gaming for part in parts]),
                   steps=tuple(np.stack([part.steps[i] for part in parts])
                               for i in range(len(parts[0].steps))),
                   notes={key: np.stack([part.notes[key] for part in parts])
                          for key in parts[0].notes},
                   victims={name: [part.victims[name] for part in parts] for name in VICTIMS})

    def hits(self, name: str, e: int) -> np.ndarray:
        """``(months, rows)``: how often each tracked row is in that month's ``name`` list."""
        lists = [month[e] for month in self.victims[name]]
        # Each month's rows after the month before's: one sorted list for the run.
        victims = np.concatenate([t * _MONTH_APART + v for t, v in enumerate(lists)])
        asked = np.arange(len(lists))[:, None] * _MONTH_APART + self.rows[None, :]
        return count_hits(victims, asked.ravel()).reshape(asked.shape)


class LogPlan:
    """The lines a month writes for each event, in order, worked out once per run.

    For each event: the mechanisms' lines that come first (order 0), then
    seen and missed, then their lines that come after (order 2), in registry
    order within each.
    """

    def __init__(self, log: EventLog, rules: RuleArrays, kinds: Sequence) -> None:
        self.log = log
        self.entries: list[tuple[int, object]] = []  # (event index, LogKind or "seen"/"missed")
        lines = []
        for e, event in enumerate(EVENTS):
            dim = DIMENSIONS[rules.dimension[e]]
            mine = [k for k in kinds if event.key in k.events]
            ordered = ([(k, k.how) for k in mine if k.order < 1]
                       + [("seen", _OBSERVER[event.observed_by]),
                          ("missed", _MISSED[event.observed_by])]
                       + [(k, k.how) for k in mine if k.order >= 1])
            for kind, how in ordered:
                lines.append(log.line(event.key, dim, how))
                self.entries.append((e, kind))
        # Where seen and missed stand among the entries, and of which event: set in one go.
        self.seen_at, self.seen_events = self._where("seen")
        self.missed_at, self.missed_events = self._where("missed")
        self.picks = [(i, e, k) for i, (e, k) in enumerate(self.entries) if not isinstance(k, str)]
        self.claims = [(e, k) for e, k in self.entries if not isinstance(k, str) and k.claims]
        # Kinds about no one event (being listed, say): written after the steps.
        self.marks = [k for k in kinds if not k.events]
        # Every line a month writes, in order: the entries', the steps', the marks'.
        self.numbers = np.array(
            lines + [log.line(name, dim, how) for name, dim, how in STEPS]
            + [log.line(kind.kind, "none", kind.how) for kind in self.marks], dtype=np.int64)

    def _where(self, which: str) -> tuple[np.ndarray, np.ndarray]:
        at = [i for i, (_, kind) in enumerate(self.entries) if isinstance(kind, str)
              and kind == which]
        return np.array(at, dtype=np.int64), np.array([self.entries[i][0] for i in at],
                                                      dtype=np.int64)

    def write(self, view: RunView) -> None:
        """Every kept month's entries, in one block of months x lines x tracked rows.

        Each month: every event's lines, then the steps after the rules
        (friends, memory, the range), then the kinds about no one event.
        """
        seen = view.seen.copy()
        missed = view.did & ~view.seen & ~view.matched_away
        for e, kind in self.claims:
            claimed, _ = kind.pick(view, e)
            seen[e] &= ~claimed
            missed[e] &= ~claimed
        shape = (view.months.size, self.numbers.size, view.rows.size)
        picked = np.zeros(shape, dtype=bool)
        points = np.zeros(shape, dtype=np.float64)
        # (E, months, rows) -> (months, lines, rows): each line its event's.
        picked[:, self.seen_at] = seen[self.seen_events].swapaxes(0, 1)
        points[:, self.seen_at] = view.worth[self.seen_events].swapaxes(0, 1)
        picked[:, self.missed_at] = missed[self.missed_events].swapaxes(0, 1)
        for i, e, kind in self.picks:
            picked[:, i], value = kind.pick(view, e)
            if value is not None:
                points[:, i] = value
        at = len(self.entries)
        for i, values in enumerate(view.steps):
            # Compared in the values' own float32, as they are kept.
            picked[:, at + i] = np.abs(values) >= 0.005
            points[:, at + i] = values
        at += len(STEPS)
        for i, kind in enumerate(self.marks):
            picked[:, at + i], values = kind.pick(view, None)
            if values is not None:
                points[:, at + i] = values
        self.log.add(view.months, self.numbers, picked, points)


def label(key: str) -> str:
    """Plain words for an event-log key: an event, a step or a mechanism's mark."""
    from scoring.events import EVENTS_BY_KEY
    from scoring.mechanisms import MECHANISMS_BY_KEY

    if key in EVENTS_BY_KEY:
        return EVENTS_BY_KEY[key].label
    if key in STEP_LABELS:
        return STEP_LABELS[key]
    marks = {k.kind: k.label for m in MECHANISMS_BY_KEY.values() for k in m.log if not k.events}
    return marks.get(key, key)


def count_hits(victims: np.ndarray, rows: np.ndarray) -> np.ndarray:
    """How often each of ``rows`` appears in the sorted array ``victims``."""
    return np.searchsorted(victims, rows, side="right") - np.searchsorted(victims, rows)
