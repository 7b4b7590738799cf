"""Data minimisation (GDPR art. 5(1)(c)): the score uses only what its purpose needs.

The GDPR (Regulation (EU) 2016/679, applying from 25 May 2018) says personal
data shall be "adequate, relevant and limited to what is necessary" for the
purposes they are processed for. Here the purpose is picked in the scenario
(``law.purpose``): for *creditworthiness* the score may use payment history
only (bills, loans and rentals); for *rentals* only rental and loan records.

What the model does when it is on: every rule outside the purpose's
dimensions scores 0 points (no purchases as proxies, no volunteering, no
salary-on-platform loyalty, no street behaviour), the street cameras feed
nothing (so no camera records and no face matches), and friends' scores do
not count.

Where the model simplifies: the law asks what is *necessary*, a judgement;
the model fixes it per purpose as a list of dimensions. Fewer records can
mean a thinner file (see thin files): that cost stays in the model.
"""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from scoring.fields import Frozen
from scoring.mechanisms.base import Mechanism

# The score dimensions each purpose needs.
PURPOSES: dict[str, tuple[str, ...]] = {
    "creditworthiness": ("credit_history", "contracts"),
    "rentals": ("contracts",),
}


class Settings(Frozen):
    """The purpose the score is for."""

    purpose: Literal["creditworthiness", "rentals"] = Field(
        "creditworthiness", title="Purpose of the score (data minimisation)",
        description="What the score is for: creditworthiness uses payment history only "
        "(bills, loans, rentals); rentals uses rental and loan records only.")


def changes(scenario) -> dict:
    """The rules outside the purpose score nothing; no cameras, no friends."""
    needed = PURPOSES[scenario.law.purpose]
    out: dict = {f"rules.{key}.points": 0 for key, rule in scenario.rules
                 if rule.dimension not in needed and rule.points != 0}
    out["mechanisms.cameras"] = False
    out["mechanisms.friends"] = False
    return out


MECHANISM = Mechanism(
    key="data_minimisation", title="Data minimisation", kind="law", provenance="law",
    description="GDPR art. 5(1)(c): the score may use only the data its purpose needs. For "
    "creditworthiness: payment history only; no street cameras, no purchases as proxies, "
    "no friends' scores.",
    source="GDPR (Regulation (EU) 2016/679), art. 5(1)(c); applies from 25 May 2018.",
    settings=Settings, section="law", default=False, at={"law": changes},
    simplifies=("The law asks what is necessary, a judgement; the model fixes it per purpose as a "
                "list of score dimensions."),
)
