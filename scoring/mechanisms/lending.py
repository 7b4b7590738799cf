"""Lending by score: repayment adds points, default takes many away (Liu et al. 2018)."""

from __future__ import annotations

import numpy as np
from pydantic import Field, StrictFloat, StrictInt

from scoring.constants import SCORE_MAX, SCORE_MIN
from scoring.events import EVENT_INDEX
from scoring.fields import Frozen, share
from scoring.mechanisms.base import Edge, Mechanism

# Chance of default for an average person without hardship, and at full hardship on top.
DEFAULT_BASE = 0.15
DEFAULT_HARDSHIP = 0.4
_DEFAULT = EVENT_INDEX["loan_default"]
_REPAID = EVENT_INDEX["loan_repaid"]


class Settings(Frozen):
    """Loans granted by score; repayment and default feed the score back."""

    approval_threshold: StrictInt = Field(
        600, ge=SCORE_MIN, le=SCORE_MAX, description="Lowest score that gets a loan."
    )
    default_debt: StrictFloat = share(0.3, "Hardship a default adds (then fades).")
    debt_fade: StrictFloat = share(0.8, "Share of debt hardship still there a month later.")


def _behaviour(world, state, hardship: np.ndarray, chances) -> None:
    rates = world.scenario.behaviour
    granted = state.score >= world.scenario.lending.approval_threshold
    need = (rates.loan_need * (1.0 + hardship)) * granted
    p_default = np.clip(
        DEFAULT_BASE * world.traits.unreliable + DEFAULT_HARDSHIP * hardship, 0.0, 0.95
    )
    chances.interval("loan_default", need * p_default)
    chances.interval("loan_repaid", need, need * p_default)


def next_debt(scenario, debt: np.ndarray, defaulted: np.ndarray) -> np.ndarray:
    """Debt hardship next month: what is left of the old plus new defaults."""
    lending = scenario.lending
    return np.minimum(debt * lending.debt_fade + lending.default_debt * defaulted, 1.0).astype(
        np.float32
    )


def _update(world, state, month) -> dict:
    return {"lending": next_debt(world.scenario, state.parts["lending"],
                                 month.true.events[_DEFAULT])}


def _tally(world, state, month) -> dict[str, np.ndarray]:
    defaulted = month.true.events[_DEFAULT]
    return {"loans_granted": world.by_group(defaulted | month.true.events[_REPAID]),
            "loans_defaulted": world.by_group(defaulted)}


MECHANISM = Mechanism(
    key="lending", title="Lending by score", kind="loop", provenance="hypothetical",
    description="Loans go to those above a threshold; repayment adds points, default takes "
    "many away. Lending to people unlikely to repay can lower their group's mean.",
    source="Liu et al., Delayed Impact of Fair Machine Learning (ICML 2018): +75 on "
    "repayment, -150 on default.",
    settings=Settings, section="lending",
    edges=(Edge("Score", "Loans", "lending"), Edge("Loans", "Score"),
           Edge("Loans", "Hardship", "debt")),
    at={"initial": lambda world: np.zeros(world.rows, dtype=np.float32),
        "hardship": lambda world, state: state.parts["lending"],
        "behaviour": _behaviour, "update": _update, "tally": _tally},
)
