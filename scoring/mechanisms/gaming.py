"""Gaming the score: people near a threshold shift what the scorer sees (Goodhart)."""

from __future__ import annotations

import numpy as np
from pydantic import Field, StrictFloat, StrictInt

from scoring.compiled import kernel
from scoring.events import EVENT_INDEX
from scoring.fields import Frozen, share
from scoring.mechanisms.base import Edge, LogKind, Mechanism

_DIAPERS = EVENT_INDEX["diapers_bought"]
_GAMES = EVENT_INDEX["games_heavy"]
_LATE = EVENT_INDEX["bill_late"]


class Settings(Frozen):
    """People near a perk threshold shift what the scorer sees, not what they are."""

    window: StrictInt = Field(
        20, ge=0, le=300, description="How far below a perk threshold people start gaming."
    )
    propensity: StrictFloat = share(
        0.3, "Monthly chance a person in the window games the score."
    )


def gaming_thresholds(scenario) -> tuple[int, ...]:
    """Thresholds people try to reach by gaming: perk thresholds, or band edges."""
    perks = scenario.consequences.perks
    return tuple(p.threshold for p in perks) if perks else scenario.score.band_edges


def who_games(scenario, score: np.ndarray, thresholds: tuple[int, ...],
              draw: np.ndarray) -> np.ndarray:
    """People within ``gaming.window`` points below a threshold who game this month."""
    if scenario.gaming.window == 0:
        return np.zeros(score.shape, dtype=bool)
    # Compared in float32, as numpy compares a float32 score with a number.
    tops = np.array(thresholds, dtype=np.float32)
    bottoms = np.array([t - scenario.gaming.window for t in thresholds], dtype=np.float32)
    return _gamers(score, tops, bottoms, draw, np.float32(scenario.gaming.propensity))


@kernel
def _gamers(score, tops, bottoms, draw, propensity):
    """Who is in some window ``[bottom, top)`` and draws below ``propensity``, one pass."""
    near = np.zeros(score.size, dtype=np.bool_)
    for k in range(tops.size):  # window by window: a straight pass each, no branch
        top, bottom = tops[k], bottoms[k]
        for i in range(score.size):
            near[i] |= (score[i] >= bottom) & (score[i] < top)
    for i in range(score.size):
        near[i] &= draw[i] < propensity
    return near


def _observe(world, state, month) -> None:
    month.gaming = who_games(world.scenario, state.score, world.fixed["gaming"],
                             month.u_gaming)


def _record(world, state, month) -> None:
    # Gamers buy diapers for the score, keep their games off the platform and pay a
    # late bill in cash: what they hide of the late bill is what the score measured.
    _gamed_records(month.counts, month.gaming, _DIAPERS, _GAMES, _LATE)


@kernel
def _gamed_records(counts, gaming, bought, kept_off, paid_in_cash):
    """In place: each gamer's records show one purchase, no games and no late bill."""
    for i in range(gaming.size):
        if gaming[i]:  # a few in a hundred
            counts[bought, i] = 1
            counts[kept_off, i] = 0
            counts[paid_in_cash, i] = 0


def _tally(world, state, month) -> dict[str, np.ndarray]:
    return {"gaming": world.by_group(month.gaming)}


def _gamed(view, e):
    return view.did[e] & view.gaming, None


def _bought(view, e):
    return view.gaming & ~view.seen[e], view.worth[e]


MECHANISM = Mechanism(
    key="gaming", title="Gaming the score", kind="loop", provenance="operator",
    description="People just below a perk threshold change what the scorer sees (buy "
    "diapers, keep games off the platform, pay a late bill in cash) without changing how "
    "reliable they are. Scores inflate and say less about reliability (Goodhart's law).",
    source="The operator's technology director on diapers and video games (BBC / Caixin "
    "2015).",
    settings=Settings, section="gaming",
    edges=(Edge("Score", "Gaming", "gaming"), Edge("Gaming", "Records")),
    log=(LogKind("gamed", "kept off the platform: gaming", ("games_heavy",), 0, _gamed,
                 claims=True),
         LogKind("bought", "bought for the score: gaming", ("diapers_bought",), 0, _bought),
         LogKind("cash", "paid late in cash, off the platform: gaming", ("bill_late",), 0,
                 _gamed, claims=True)),
    at={"setup": lambda world: gaming_thresholds(world.scenario), "observation": _observe,
        "recording": _record, "tally": _tally},
)
