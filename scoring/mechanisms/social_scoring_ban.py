"""The AI Act's ban on social scoring (art. 5(1)(c)): no detrimental treatment by score.

The EU AI Act (Regulation (EU) 2024/1689, in force 1 August 2024; its
prohibitions apply from 2 February 2025) prohibits AI systems that evaluate
or classify people by their social behaviour or personal traits where the
score leads to detrimental or unfavourable treatment in contexts unrelated to
those in which the data were gathered, or treatment unjustified or
disproportionate to the behaviour.

What the model does when it is on: the score may still be computed and used
to lend (the context its payment data come from), but no perk and no penalty
follows from it, and there is no dishonest-persons list: perks for some are
unfavourable treatment of the rest, and a travel ban for a low score is
unrelated to how it was earned.

Where the model simplifies: the Act weighs each use (unrelated context, or
out of proportion); the model drops every perk and penalty, keeping only
lending, which purpose limitation alone would also keep.
"""

from __future__ import annotations

from scoring.mechanisms.base import Mechanism


def changes(scenario) -> dict:
    """No perk, no penalty, no list; lending by score stays."""
    return {"mechanisms.perks": False, "mechanisms.penalties": False,
            "mechanisms.blacklist": False}


MECHANISM = Mechanism(
    key="social_scoring_ban", title="AI Act: no social scoring", kind="law",
    provenance="law",
    description="EU AI Act art. 5(1)(c): a social score may not lead to detrimental "
    "treatment in unrelated contexts or out of proportion. No perks, no penalties and no "
    "list follow from the score; lending by score stays.",
    source="EU AI Act (Regulation (EU) 2024/1689), art. 5(1)(c); in force 1 August 2024, "
    "prohibitions apply from 2 February 2025.",
    default=False, at={"law": changes},
    simplifies=("The Act weighs each use; the model drops every perk, penalty and listing by score "
                "and keeps lending."),
)
