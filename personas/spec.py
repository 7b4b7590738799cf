"""What a persona is: the record of a named person followed through a run.

The lowest layer of the project: it imports nothing of the engine, so the
engine (``scoring``) reads personas and the personas never read the engine.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StrictBool, StrictFloat, StrictInt, StrictStr

# The two groups of the synthetic population. The scorer is never given them.
GROUPS: tuple[str, ...] = ("majority", "minority")
# Age bands. Face matching errs more on the elderly (NISTIR 8280).
AGE_BANDS: tuple[str, ...] = ("young", "adult", "senior")
Group = Literal["majority", "minority"]
AgeBand = Literal["young", "adult", "senior"]

_Share = Annotated[StrictFloat, Field(ge=0.0, le=1.0)]


class PersonaSpec(BaseModel):
    """A named person followed through the run (see :mod:`personas`)."""

    model_config = ConfigDict(frozen=True, extra="forbid", allow_inf_nan=False)

    key: Annotated[StrictStr, Field(min_length=1, max_length=40, pattern=r"^[a-z0-9_]+$")]
    name: Annotated[StrictStr, Field(min_length=1, max_length=80)]
    story: Annotated[StrictStr, Field(max_length=600)] = ""
    age_band: AgeBand = "adult"
    group: Group = "majority"
    district: StrictInt = Field(0, ge=0, le=7, description="Index of the home district.")
    income: StrictFloat = Field(1.0, ge=0.1, le=10.0, description="Income, 1 = the median.")
    reliability: _Share = Field(0.7, description="How reliably the person keeps promises "
                                "(true trait).")
    thrift: _Share = Field(0.5, description="How much the person saves (softens hardship).")
    civic: _Share = Field(0.3, description="Civic spirit: volunteering and giving blood.")
    platform_use: _Share = Field(0.9, description="Share of the person's payments through "
                                 "the platform.")
    parent: StrictBool = False
    gamer: StrictBool = False
    driver: StrictBool = False


assert Group.__args__ == GROUPS and AgeBand.__args__ == AGE_BANDS
