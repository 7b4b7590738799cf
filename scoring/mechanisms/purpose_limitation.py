"""Purpose limitation (GDPR art. 5(1)(b)): data gathered for one purpose stay there.

The GDPR (Regulation (EU) 2016/679, applying from 25 May 2018) says personal
data shall be collected for specified purposes and "not further processed in
a manner that is incompatible with those purposes". The platform's score is
made of payment and shopping records: a shopping record cannot bar a train
ticket.

What the model does when it is on: every perk and penalty of the score in a
context other than credit (deposits, rentals, credit lines) is dropped:
travel bans, job screening, visa help; and the dishonest-persons list, whose
bars are flights, trains and perks, is off. Perks and penalties in the credit
context, and lending by score, stay.

Where the model simplifies: each perk and penalty names its context
(``context`` in the scenario); whether a new use is "compatible" is a
judgement the law leaves to a balancing test (art. 6(4)), here it is a
yes-or-no by context.
"""

from __future__ import annotations

from scoring.mechanisms.base import Mechanism
from scoring.mechanisms.contexts import kept_in_context


def changes(scenario) -> dict:
    """Consequences outside the credit context go; the list goes."""
    return {**kept_in_context(scenario, ("credit",)), "mechanisms.blacklist": False}


MECHANISM = Mechanism(
    key="purpose_limitation", title="Purpose limitation", kind="law", provenance="law",
    description="GDPR art. 5(1)(b): data gathered for one purpose cannot be used for "
    "another. A payment or shopping record cannot bar a train ticket: perks and penalties "
    "outside credit and deposits, and the dishonest-persons list, are dropped.",
    source="GDPR (Regulation (EU) 2016/679), art. 5(1)(b); applies from 25 May 2018.",
    default=False, at={"law": changes},
    simplifies=("Whether a new use is compatible is a balancing test in the law (art. 6(4)); "
                "here it is yes or no by each consequence's context."),
)
