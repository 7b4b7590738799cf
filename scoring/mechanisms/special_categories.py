"""Special categories (GDPR art. 9): faces identify only people who explicitly consent.

The GDPR (Regulation (EU) 2016/679, applying from 25 May 2018) lists
"biometric data for the purpose of uniquely identifying a natural person" as
a special category whose processing is prohibited unless an exception
applies, such as the person's explicit consent (art. 9(2)(a)). Face matching
a street camera's image against a gallery of faces is such processing.

What the model does when it is on: only a share of people have consented
(``law.consent_share``, 10% by default). The street cameras can name only
them, so each district's camera coverage and the rate of wrong matches are
both multiplied by that share.

Where the model simplifies: consent is a share applied to every person's
events alike, not a fixed list of people who said yes.
"""

from __future__ import annotations

from pydantic import StrictFloat

from scoring.fields import Frozen, share
from scoring.mechanisms.base import Mechanism


class Settings(Frozen):
    """Who has given explicit consent to face matching."""

    consent_share: StrictFloat = share(
        0.1, "Share of people who gave explicit consent to be identified by their face.",
        title="Consent to face matching (special categories)")


def changes(scenario) -> dict:
    """Cameras name only the consenting; wrong matches fall in proportion."""
    consent = scenario.law.consent_share
    out: dict = {f"districts.{i}.camera_coverage": round(d.camera_coverage * consent, 6)
                 for i, d in enumerate(scenario.districts)}
    out["surveillance.false_match_rate"] = round(
        scenario.surveillance.false_match_rate * consent, 6)
    return out


MECHANISM = Mechanism(
    key="special_categories", title="Biometric data: consent only", kind="law",
    provenance="law",
    description="GDPR art. 9: biometric data that identify a person are a special "
    "category, allowed only with explicit consent. Cameras can name only those who "
    "consented, so most camera records and wrong face matches go.",
    source="GDPR (Regulation (EU) 2016/679), art. 9(1) and 9(2)(a); applies from "
    "25 May 2018.",
    settings=Settings, section="law", default=False, at={"law": changes},
    simplifies=("Consent is a share applied to everyone's camera records alike, not a fixed "
                "list of people who said yes."),
)
