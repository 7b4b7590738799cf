"""True behaviour: what people actually do each month, seen or not.

Every person draws one uniform number per kind of act each month, in a fixed
layout, so changing a rule never reshuffles anyone's luck and a twin shares
its persona's luck exactly. Each event is an *interval* of its act's draw:
a bill is late if the draw falls in ``[0, p_late)`` and paid on time if it
falls in ``[p_late, 1)``. Given that it fell inside an interval, where it fell
is again uniform, so the scorer decides from the same draw whether it saw the
event (the first ``visibility`` share of the interval is seen;
:mod:`scoring.observation`).

Hardship (low income, penalties, debt) raises the chance of late bills and
defaults: that is the channel through which consequences feed back into
behaviour.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from scoring.compiled import kernel
from scoring.events import EVENT_INDEX, EVENTS

if TYPE_CHECKING:  # for annotations only: the scenario's mechanisms use this module
    from scoring.scenario import Scenario

# Rows of the monthly uniform draws: one per kind of act.
DRAWS = (
    "bill", "loan", "rental", "diapers", "games", "volunteering", "blood_donation",
    "jaywalking", "red_light", "salary",
)
DRAW = {name: i for i, name in enumerate(DRAWS)}
# The draw each event is an interval of.
EVENT_DRAW: dict[str, str] = {
    "bill_on_time": "bill", "bill_late": "bill", "loan_repaid": "loan", "loan_default": "loan",
    "rental_on_time": "rental", "rental_late": "rental", "diapers_bought": "diapers",
    "games_heavy": "games", "volunteering": "volunteering", "blood_donation": "blood_donation",
    "jaywalking": "jaywalking", "red_light": "red_light", "salary_on_platform": "salary",
}

# The row of the month's draws each event is an interval of, by event index.
_DRAW_ROW = tuple(DRAW[EVENT_DRAW[event.key]] for event in EVENTS)

# Mean unreliability (1 - reliability) of the population: rates are per average person.
MEAN_UNRELIABILITY = 0.29
# Mean civic spirit of the population.
MEAN_CIVIC = 1 / 3
# Chance of returning a rental late, average person, and at full hardship on top.
RENTAL_LATE_BASE = 0.08
RENTAL_LATE_HARDSHIP = 0.2


@dataclass(frozen=True)
class Traits:
    """Per-person factors of behaviour that do not change during a run.

    Attributes:
        unreliable: Unreliability relative to the average person (1.0).
        civic: Civic spirit relative to the average person (1.0).
        fixed: Chance of each event that hardship does not touch, per person.
    """

    unreliable: np.ndarray
    civic: np.ndarray
    fixed: dict[str, np.ndarray]

    @classmethod
    def build(cls, scenario: Scenario, reliability: np.ndarray, civic: np.ndarray,
              street_activity: np.ndarray, parent: np.ndarray, gamer: np.ndarray,
              driver: np.ndarray) -> Traits:
        """Factors for one run's population and behaviour rates."""
        rates = scenario.behaviour
        unreliable = ((1.0 - reliability) / MEAN_UNRELIABILITY).astype(np.float32)
        civic_factor = (civic / MEAN_CIVIC).astype(np.float32)
        street = unreliable * street_activity
        fixed = {
            "diapers_bought": parent * np.float32(rates.diaper_rate),
            "games_heavy": gamer * np.float32(rates.gaming_rate),
            "blood_donation": civic_factor * np.float32(rates.blood_donation_rate),
            "jaywalking": street * np.float32(rates.jaywalking_rate),
            "red_light": driver * street * np.float32(rates.red_light_rate),
        }
        fixed = {k: v.astype(np.float32) for k, v in fixed.items()}
        return cls(unreliable=unreliable, civic=civic_factor, fixed=fixed)


@dataclass(frozen=True)
class TrueMonth:
    """One month of true behaviour.

    Attributes:
        events: ``(E, n)`` who did what.
        uniforms: ``(len(DRAWS), n)`` the month's draws.
        lower: Per event index, the interval's lower end (0 if absent).
        upper: Per event index, the interval's upper end.
    """

    events: np.ndarray
    uniforms: np.ndarray
    lower: dict[int, np.ndarray]
    upper: dict[int, np.ndarray]

    def draw(self, event: int) -> np.ndarray:
        """The uniform draw an event is an interval of."""
        return self.uniforms[_DRAW_ROW[event]]

    def seen_part(self, event: int, visibility: np.ndarray | float,
                  out: np.ndarray | None = None, where: np.ndarray | None = None) -> np.ndarray:
        """Who did ``event`` *and* fell in the first ``visibility`` share of its interval.

        ``visibility`` is a share for everyone, one per row, or with
        ``where``, one per place (a district), each row's read at its place
        ``where[row]`` in the same pass: the same numbers as
        ``visibility[where]`` without making that array. Written into
        ``out`` (a bool row, e.g. of the month's seen events) where it is
        given, else into a new array; either is returned.
        """
        upper = self.upper[event]
        if type(visibility) is not np.ndarray:
            # A Python number acts as float32, as in numpy; a numpy number keeps its type.
            visibility = np.asarray(visibility, dtype=np.float32 if type(visibility) is float
                                    else None)
        if where is not None and visibility.ndim != 1:
            raise ValueError("with where, visibility is one share per place")
        if visibility.ndim == 0:  # a whole row: the loops are slow over one number repeated
            visibility = np.full(upper.shape, visibility, dtype=visibility.dtype)
        if out is None:
            out = np.empty(upper.shape, dtype=bool)
        lower = self.lower.get(event)
        u = self.uniforms[_DRAW_ROW[event]]
        if lower is None:
            _seen_from_zero(u, upper, visibility, where, out)
        else:
            _seen_part(u, lower, upper, visibility, where, out)
        return out


@kernel
def _between(u, lower, upper, out):
    """In place: ``out = (u < upper) & (u >= lower)``, in one pass."""
    for i in range(u.size):
        out[i] = (u[i] < upper[i]) & (u[i] >= lower[i])


@kernel
def _seen_from_zero(u, upper, visibility, where, seen):
    """In place: ``seen = u < upper * visibility`` (``visibility[where]`` if given), one pass."""
    for i in range(u.size):
        # None or not is known when the loop is compiled: one loop for each.
        if where is None:
            v = visibility[i]
        else:  # places are never negative: read unsigned, with no check for one
            v = visibility[np.uint64(where[i])]
        seen[i] = u[i] < upper[i] * v


@kernel
def _seen_part(u, lower, upper, visibility, where, seen):
    """In place: ``seen = (u >= lower) & (u < lower + (upper - lower) * visibility)``."""
    for i in range(u.size):
        if where is None:
            v = visibility[i]
        else:
            v = visibility[np.uint64(where[i])]
        seen[i] = (u[i] >= lower[i]) & (u[i] < lower[i] + (upper[i] - lower[i]) * v)


class Chances:
    """This month's chance of each event, as an interval of its act's draw."""

    def __init__(self, n: int):
        self.n = n
        self.lower: dict[int, np.ndarray] = {}
        self.upper: dict[int, np.ndarray] = {}

    def interval(self, key: str, high: np.ndarray | float, low: np.ndarray | None = None) -> None:
        """The event happens if its draw falls in ``[low, high)`` (``[0, high)`` if no low)."""
        e = EVENT_INDEX[key]
        if type(high) is float:  # one chance for everyone: a read-only row, made once
            self.upper[e] = _same_for_all(high, self.n)
        else:
            high = np.asarray(high, dtype=np.float32)
            self.upper[e] = high if high.shape == (self.n,) else np.broadcast_to(high, (self.n,))
        if low is not None:
            self.lower[e] = low
        else:
            self.lower.pop(e, None)


@functools.lru_cache(maxsize=16)
def _same_for_all(chance: float, n: int) -> np.ndarray:
    """``chance`` in float32 for ``n`` persons, made once, read-only.

    A whole row, not a view of one number repeated: the compiled loops that
    read it run in vector instructions only over rows laid out one number
    after another (3.6 times faster for 5,000 persons).
    """
    row = np.full(n, chance, dtype=np.float32)
    row.flags.writeable = False
    return row


def chances(scenario: Scenario, traits: Traits, hardship: np.ndarray) -> Chances:
    """Each event's chance before any mechanism changes it (no loans: nobody lends).

    Args:
        scenario: Behaviour rates.
        traits: Per-person behaviour factors.
        hardship: This month's hardship, 0..1.
    """
    rates = scenario.behaviour
    found = Chances(hardship.shape[0])
    f32 = np.float32
    p_late, rental_late, volunteering = _with_hardship(
        traits.unreliable, traits.civic, hardship, f32(rates.bill_late_base),
        f32(rates.hardship_late_effect), f32(RENTAL_LATE_BASE), f32(RENTAL_LATE_HARDSHIP),
        f32(rates.rental_use), f32(rates.volunteering_rate))
    found.interval("bill_late", p_late)
    found.interval("bill_on_time", 1.0, p_late)
    found.interval("loan_default", 0.0)
    found.interval("loan_repaid", 0.0)
    found.interval("rental_late", rental_late)
    found.interval("rental_on_time", rates.rental_use, rental_late)
    found.interval("volunteering", volunteering)
    for key, chance in traits.fixed.items():
        found.interval(key, chance)
    found.interval("salary_on_platform", 1.0)
    return found


@kernel
def _with_hardship(unreliable, civic, hardship, late_base, late_hardship, rental_base,
                   rental_hardship, rental_use, volunteering_rate):
    """The chances that hardship moves, in one pass, in float32 as numpy computes them.

    A bill paid late: ``clip(late_base * unreliable + late_hardship *
    hardship, 0, 0.95)``; a rental returned late: ``rental_use *`` the same
    with the rental's rates; volunteering: ``volunteering_rate * civic *
    (1 - 0.5 * hardship)``.
    """
    n = hardship.size
    bill_late = np.empty(n, dtype=np.float32)
    rental_late = np.empty(n, dtype=np.float32)
    volunteering = np.empty(n, dtype=np.float32)
    zero, most = np.float32(0.0), np.float32(0.95)
    one, half = np.float32(1.0), np.float32(0.5)
    for i in range(n):
        late = late_base * unreliable[i] + late_hardship * hardship[i]
        bill_late[i] = min(max(late, zero), most)
        late = rental_base * unreliable[i] + rental_hardship * hardship[i]
        rental_late[i] = rental_use * min(max(late, zero), most)
        volunteering[i] = volunteering_rate * civic[i] * (one - half * hardship[i])
    return bill_late, rental_late, volunteering


def draw_true_events(uniforms: np.ndarray, chances: Chances) -> TrueMonth:
    """Who did what this month: each event where its draw fell in its interval.

    Args:
        uniforms: ``(len(DRAWS), n)`` uniform draws for this month.
        chances: Every event's interval.
    """
    lower, upper = chances.lower, chances.upper
    events = np.empty((len(EVENTS), uniforms.shape[1]), dtype=bool)
    for e, row in enumerate(_DRAW_ROW):
        u = uniforms[row]
        if e in lower:
            _between(u, lower[e], upper[e], events[e])
        else:
            np.less(u, upper[e], out=events[e])
    return TrueMonth(events=events, uniforms=uniforms, lower=lower, upper=upper)
