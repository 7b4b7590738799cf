"""Appeals: a share of wrong face matches is contested and reversed (GDPR art. 22)."""

from __future__ import annotations

import numpy as np
from pydantic import StrictFloat

from scoring.events import CAMERA_EVENTS
from scoring.fields import Frozen, share
from scoring.mechanisms.base import LogKind, Mechanism
from scoring.mechanisms.face_matching import victims_by_group


class Settings(Frozen):
    """How many wrong matches are undone."""

    appeal_rate: StrictFloat = share(0.3, "Share of wrong matches contested and reversed.")


def _contest(world, chance: float) -> float:
    # One appeal per person and kind of record a month: it undoes all of them or
    # none, where the person's appeal draw is below the rate.
    return world.scenario.surveillance.appeal_rate


def _tally(world, state, month) -> dict[str, np.ndarray]:
    return {"reversed_on_appeal": victims_by_group(month.wrong_reversed,
                                                   world.population.group, world.n)}


def _reversed(view, e):
    return view.hits("wrong_reversed", e) > 0, None


MECHANISM = Mechanism(
    key="appeals", title="Appeals", kind="remedy", provenance="hypothetical",
    description="A share of wrong face matches is contested and reversed: the right to "
    "contest an automated decision, as in GDPR article 22.",
    source="GDPR (EU 2016/679), articles 15 and 22.",
    settings=Settings, section="surveillance", needs=("face_match_errors",),
    log=(LogKind("reversed", "wrongly matched, reversed on appeal", CAMERA_EVENTS, 2,
                 _reversed),),
    at={"contest": _contest, "tally": _tally},
)
