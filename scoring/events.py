"""The catalogue of observable events: what a rule can score.

Each event describes itself (label, observer, proxy flag, provenance and a
source), so the app and the docs explain a rule without a second copy of the
text. Which points an event is worth is the scenario's business
(:class:`scoring.scenario.Rule`).
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Event:
    """One kind of monthly event a person can do and a scorer can record.

    Attributes:
        key: Identifier used in scenario files and logs.
        label: Plain-language name ("Late bill payment").
        observed_by: Who records it: ``platform`` (only payments that run
            through the payment platform), ``camera`` (only where a camera
            looks, and face matching may pin it on the wrong person) or
            ``registry`` (an official register sees every case).
        is_proxy: True for a *weak proxy*: an event that says little or nothing
            about keeping promises (heavy gaming is only slightly more common
            among the less reliable; buying diapers not at all) and
            is scored only as a stand-in for character.
        provenance: Key of :data:`scoring.constants.PROVENANCE`.
        source: Where the idea of scoring this comes from.
        points: Points its rule gives by default.
        dimension: The dimension its rule feeds by default.
    """

    key: str
    label: str
    observed_by: str
    is_proxy: bool
    provenance: str
    source: str
    points: int
    dimension: str


EVENTS: tuple[Event, ...] = (
    Event(
        "bill_on_time", "Bill paid on time", "platform", False, "operator",
        "Sesame Credit names credit history as a dimension (operator, 2015).",
        3, "credit_history",
    ),
    Event(
        "bill_late", "Late bill payment", "platform", False, "operator",
        "Sesame Credit names credit history as a dimension (operator, 2015).",
        -30, "credit_history",
    ),
    Event(
        "loan_repaid", "Loan repaid", "platform", False, "operator",
        "Ability to fulfil contracts; +75 on repayment as in Liu et al., ICML 2018.",
        75, "contracts",
    ),
    Event(
        "loan_default", "Loan defaulted", "platform", False, "operator",
        "Ability to fulfil contracts; -150 on default as in Liu et al., ICML 2018.",
        -150, "contracts",
    ),
    Event(
        "rental_on_time", "Deposit-free rental returned on time", "platform", False, "press",
        "Deposit-free bikes, power banks and flats for high scorers (press, 2015-2018).",
        4, "contracts",
    ),
    Event(
        "rental_late", "Rental returned late", "platform", False, "press",
        "Deposit-free bikes, power banks and flats for high scorers (press, 2015-2018).",
        -15, "contracts",
    ),
    Event(
        "diapers_bought", "Diapers bought", "platform", True, "operator",
        "The operator's technology director: a frequent buyer of diapers is likely "
        "a responsible parent (BBC / Caixin 2015). Weak proxy: in the model it says "
        "nothing about reliability.",
        5, "behaviour",
    ),
    Event(
        "games_heavy", "Ten hours of video games a day", "platform", True, "operator",
        "The operator's technology director: ten hours of games a day would be "
        "considered an idle person (BBC / Caixin 2015). Weak proxy: in the model it is "
        "only slightly more common among the less reliable.",
        -10, "behaviour",
    ),
    Event(
        "volunteering", "Volunteering", "registry", False, "press",
        "Local pilots such as Rongcheng award points for volunteering (press).",
        3, "behaviour",
    ),
    Event(
        "blood_donation", "Blood donation", "registry", False, "press",
        "Local pilots such as Rongcheng award points for blood donation (press).",
        5, "behaviour",
    ),
    Event(
        "jaywalking", "Jaywalking", "camera", False, "press",
        "Cameras that name and shame jaywalkers in Chinese cities (press, 2018).",
        -20, "behaviour",
    ),
    Event(
        "red_light", "Running a red light", "camera", False, "press",
        "Traffic cameras feeding local points systems (press).",
        -50, "behaviour",
    ),
    Event(
        "salary_on_platform", "Salary paid through the platform", "platform", False,
        "operator",
        "Identity traits such as job and education (operator, 2015).",
        1, "identity",
    ),
)

EVENT_KEYS: tuple[str, ...] = tuple(e.key for e in EVENTS)
EVENTS_BY_KEY: dict[str, Event] = {e.key: e for e in EVENTS}
EVENT_INDEX: dict[str, int] = {e.key: i for i, e in enumerate(EVENTS)}

# Events whose recording depends on a camera and may be mismatched.
CAMERA_EVENTS: tuple[str, ...] = tuple(e.key for e in EVENTS if e.observed_by == "camera")
