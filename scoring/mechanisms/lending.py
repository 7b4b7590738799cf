"""Lending by score: repayment adds points, default takes many away (Liu et al. 2018)."""

from __future__ import annotations

import numpy as np
from pydantic import Field, StrictBool, StrictFloat, StrictInt

from scoring.catalogue import Metric, shares_and_ratio
from scoring.compiled import kernel
from scoring.constants import SCORE_MAX, SCORE_MIN
from scoring.events import EVENT_INDEX
from scoring.fields import Frozen, share
from scoring.mechanisms.base import Edge, Mechanism
from scoring.mechanisms.thin_files import thin_file

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
    same_repayment: StrictBool = Field(
        False, title="Every borrower repays with the same chance",
        description="On: every borrower repays with `repayment_chance`, to reach Liu et "
        "al.'s three regimes. Off: each person's own chance, from reliability and hardship.",
    )
    repayment_chance: StrictFloat = share(
        0.9, "With the same chance for everyone: above the break-even chance (2/3 with +75 "
        "and -150) borrowers gain, at it they stagnate, below it lending harms them.",
        "Chance a borrower repays",
    )


def break_even(scenario) -> float:
    """Repayment chance at which a loan's expected points are zero (2/3 with +75 / -150)."""
    gain = scenario.rules.get("loan_repaid").points
    loss = -scenario.rules.get("loan_default").points
    return loss / (gain + loss) if gain + loss > 0 else 1.0


def _behaviour(world, state, hardship: np.ndarray, chances) -> None:
    # Those granted a loan (at or above the threshold, a file thick enough) need one
    # with a chance that grows with hardship; of a loan, the first p_default share
    # of its interval is a default: the person's own chance from unreliability and
    # hardship (at most 0.95), or, with the same repayment for everyone, 1 - that.
    lending, f32 = world.scenario.lending, np.float32
    need, defaults = _loans(state.score, thin_file(world, state), hardship,
                            world.traits.unreliable, f32(lending.approval_threshold),
                            f32(world.scenario.behaviour.loan_need), f32(DEFAULT_BASE),
                            f32(DEFAULT_HARDSHIP), lending.same_repayment,
                            f32(1.0 - lending.repayment_chance))
    chances.interval("loan_default", defaults)
    chances.interval("loan_repaid", need, defaults)


@kernel
def _loans(score, thin, hardship, unreliable, threshold, loan_need, base, with_hardship,
           same_repayment, same_default):
    """Each row's chance of needing a loan and being granted it, and of then defaulting.

    In float32, as numpy computed ``need = loan_need * (1 + hardship) * granted``
    and ``need * clip(base * unreliable + with_hardship * hardship, 0, 0.95)``
    (or ``need * same_default``).
    """
    n = score.size
    need = np.empty(n, dtype=np.float32)
    defaults = np.empty(n, dtype=np.float32)
    one, zero, most = np.float32(1.0), np.float32(0.0), np.float32(0.95)
    for i in range(n):
        granted = np.float32(score[i] >= threshold and not thin[i])
        need[i] = loan_need * (one + hardship[i]) * granted
        if same_repayment:
            p_default = same_default
        else:
            p_default = min(max(base * unreliable[i] + with_hardship * hardship[i], zero), most)
        defaults[i] = need[i] * p_default
    return need, defaults


def next_debt(scenario, debt: np.ndarray, defaulted: np.ndarray) -> np.ndarray:
    """Debt hardship next month: what is left of the old plus new defaults (at most 1)."""
    lending = scenario.lending
    return _debt_after(debt, np.float32(lending.debt_fade), float(lending.default_debt),
                       defaulted)


@kernel
def _debt_after(debt, fade, default_debt, defaulted):
    """``min(debt * fade + default_debt * defaulted, 1)`` as numpy computed it.

    numpy faded the debt in float32, added the new defaults' debt in float64
    (a number times a bool is a float64) and rounded the sum to float32.
    """
    after = np.empty(debt.size, dtype=np.float32)
    for i in range(debt.size):
        new = default_debt if defaulted[i] else 0.0
        after[i] = np.float32(min(np.float64(debt[i] * fade) + new, 1.0))
    return after


def _update(world, state, month) -> dict:
    return {"lending": next_debt(world.scenario, state.parts["lending"],
                                 month.true.events[_DEFAULT])}


def refused(world, state) -> np.ndarray:
    """Who would be refused a loan now: below the approval threshold, or a thin file."""
    return (state.score < world.scenario.lending.approval_threshold) | thin_file(world, state)


def _tally(world, state, month) -> dict[str, np.ndarray]:
    by_group, by_district = world.counts(refused(world, state))
    found = {"refused_by_group": by_group, "refused_by_district": by_district}
    defaulted = month.true.events[_DEFAULT]
    return {**found, "loans_granted": world.by_group(defaulted | month.true.events[_REPAID]),
            "loans_defaulted": world.by_group(defaulted)}


def _denied(m) -> dict:
    return shares_and_ratio(m, m.result.refused_by_group[m.t], m.result.refused_by_district[m.t])


MECHANISM = Mechanism(
    key="lending", title="Lending by score", kind="loop", provenance="hypothetical",
    description="Loans go to those above a threshold; repayment adds points, default takes "
    "many away. Lending to people unlikely to repay can lower their group's mean.",
    source="Liu et al., Delayed Impact of Fair Machine Learning (ICML 2018): +75 on "
    "repayment, -150 on default.",
    settings=Settings, section="lending",
    edges=(Edge("Score", "Loans", "lending"), Edge("Loans", "Score"),
           Edge("Loans", "Hardship", "debt")),
    metrics=(Metric(
        "denied_loan_share", "Refused a loan", "share of people", 3,
        "share of persons who would be refused a loan that month (below the approval "
        "threshold, or a thin file): `overall`, `by_group`, `by_district`, `ratio` "
        "(minority / majority)", "Who is shut out of credit; compare groups.", _denied),),
    at={"initial": lambda world: np.zeros(world.rows, dtype=np.float32),
        "hardship": lambda world, state: state.parts["lending"],
        "behaviour": _behaviour, "update": _update, "tally": _tally},
)
