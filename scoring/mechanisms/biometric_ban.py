"""The AI Act's ban on real-time face identification in public (art. 5(1)(h)).

The EU AI Act (Regulation (EU) 2024/1689, in force 1 August 2024; its
prohibitions apply from 2 February 2025) prohibits "real-time" remote
biometric identification in publicly accessible spaces for law enforcement,
with narrow exceptions (searching for victims or missing persons, an imminent
threat, suspects of serious crimes), each needing prior authorisation.

What the model does when it is on: the street cameras that name jaywalkers
and red-light runners by their face are off, and with them wrong face matches
and cameras that follow the records.

Where the model simplifies: the narrow exceptions are not modelled (they
concern serious crimes, not jaywalking); the ban is on law enforcement, and
the model's cameras feed a score by the same identification, so they go too.
"""

from __future__ import annotations

from scoring.mechanisms.base import Mechanism


def changes(scenario) -> dict:
    """No street camera names anyone."""
    return {"mechanisms.cameras": False}


MECHANISM = Mechanism(
    key="biometric_ban", title="AI Act: no face identification in public", kind="law",
    provenance="law",
    description="EU AI Act art. 5(1)(h): no real-time remote face identification in public "
    "spaces for law enforcement (narrow exceptions for serious crimes). The street cameras "
    "that name people by their face are off.",
    source="EU AI Act (Regulation (EU) 2024/1689), art. 5(1)(h); in force 1 August 2024, "
    "prohibitions apply from 2 February 2025.",
    default=False, at={"law": changes},
    simplifies=("The narrow exceptions (serious crimes) are not modelled; the cameras that name "
                "people for the score go with the ban."),
)
