"""Building blocks of every settings model: frozen, validated, range-checked.

The scenario (:mod:`scoring.scenario`) and each mechanism's own settings
(:mod:`scoring.mechanisms`) are made of these, so a problem anywhere names
the dotted field, the value and what is allowed.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, StrictFloat, StrictInt, StrictStr

from scoring.constants import SCORE_MAX, SCORE_MIN

Provenance = Literal["operator", "press", "alleged", "hypothetical", "law"]

# Where a consequence of the score applies: the context that purpose limitation
# and the AI Act's ban on social scoring ask about. "credit" is the context the
# platform's payment data were gathered in; the others are unrelated to it.
Context = Literal["credit", "travel", "jobs", "visas", "other"]
CONTEXTS: dict[str, str] = {
    "credit": "credit, deposits and rentals (where the payment data come from)",
    "travel": "travel (flights and trains)",
    "jobs": "jobs",
    "visas": "visas",
    "other": "another context",
}

Share = StrictFloat
Text = Annotated[StrictStr, Field(min_length=1, max_length=80)]
# A score a threshold can sit at: strictly inside 350-950.
ScorePoint = Annotated[StrictInt, Field(ge=SCORE_MIN + 1, le=SCORE_MAX - 1)]


def share(default: float, description: str, title: str | None = None) -> Any:
    """A field for a share or chance: a number from 0 to 1 (``title``: its short label)."""
    return Field(default, ge=0.0, le=1.0, description=description, title=title)


class Frozen(BaseModel):
    """A settings model: frozen, no unknown keys, no infinities."""

    model_config = ConfigDict(frozen=True, extra="forbid", allow_inf_nan=False)
