"""The regulation lens: the same people under each law, and under each principle alone.

A law here is a set of legal principles (mechanisms of kind ``law``, plus the
appeals remedy for GDPR art. 15 and 22) switched on over a scenario, as the
presets ``gdpr``, ``ai_act`` and ``gdpr_and_ai_act`` do over the baseline.
:func:`under` puts any scenario under a law, :func:`principle_alone` under one
principle; :data:`HARMS` are the measures the Regulation view and lesson 7
compare; :func:`in_words` says what a principle changes in the model.
"""

from __future__ import annotations

from typing import Any

from scoring.events import EVENTS_BY_KEY
from scoring.mechanisms import LAW_KEYS, MECHANISMS_BY_KEY
from scoring.presets import load_preset
from scoring.scenario import Scenario, with_changes
from scoring.sharelink import changes_from

LAWS: dict[str, str] = {
    "gdpr": "GDPR",
    "ai_act": "EU AI Act",
    "gdpr_and_ai_act": "GDPR and AI Act",
}
# The principles a student can switch one at a time: the law's own, and appeals,
# which stand for the rights of access and to contest (GDPR art. 15 and 22).
PRINCIPLES: tuple[str, ...] = (*LAW_KEYS, "appeals")
ARTICLES: dict[str, str] = {
    "data_minimisation": "GDPR art. 5(1)(c)",
    "purpose_limitation": "GDPR art. 5(1)(b)",
    "storage_limitation": "GDPR art. 5(1)(e)",
    "special_categories": "GDPR art. 9",
    "appeals": "GDPR art. 15 and 22",
    "social_scoring_ban": "AI Act art. 5(1)(c)",
    "biometric_ban": "AI Act art. 5(1)(h)",
}
# Human review under art. 22: the share of wrong matches contested and reversed.
REVIEW_RATE = 0.6

# The harms compared: (metric path, label, digits, which way is less harm); a
# share shown "per 1,000" is multiplied by :data:`PER_1000`.
HARMS: tuple[tuple[str, str, int, str], ...] = (
    ("group_gap", "Group gap (points)", 1, "towards 0"),
    ("listed_share.ratio", "Listing-rate ratio, minority to majority", 2, "towards 1"),
    ("wrongly_listed_share.overall", "Wrongly listed (per 1,000 people)", 2, "lower"),
    ("lock_in_rate", "Lock-in (poor a year on)", 2, "lower"),
    ("false_penalties_by_group.minority.per_1000", "Wrong matches, minority, per 1,000", 0,
     "lower"),
    ("score_measures_reliability", "Score measures reliability (correlation)", 2, "higher"),
    ("denied_loan_share.overall", "Loans refused (share of people)", 2, "lower"),
)

PER_1000 = {"wrongly_listed_share.overall"}


def law_changes(name: str) -> dict[str, Any]:
    """The settings a law's preset changes from the baseline, as dotted changes."""
    changes = changes_from(load_preset("baseline"), load_preset(name))
    return {path: value for path, value in changes.items()
            if path not in ("name", "description")}


def without_the_law(scenario: Scenario) -> Scenario:
    """The scenario with every principle of :data:`PRINCIPLES` but appeals off."""
    changes = {f"mechanisms.{key}": False for key in LAW_KEYS
               if getattr(scenario.mechanisms, key)}
    return with_changes(scenario, changes) if changes else scenario


def under(scenario: Scenario, name: str) -> Scenario:
    """The scenario (its people, seed and rules) under a law of :data:`LAWS`."""
    return with_changes(without_the_law(scenario), law_changes(name))


def principle_alone(scenario: Scenario, key: str) -> Scenario:
    """The scenario without the law, then with one principle on."""
    base = without_the_law(scenario)
    if key == "appeals":
        return with_changes(base, {"mechanisms.appeals": True,
                                   "surveillance.appeal_rate": max(
                                       REVIEW_RATE, base.surveillance.appeal_rate)})
    return with_changes(base, {f"mechanisms.{key}": True})


def with_principles(scenario: Scenario, keys: list[str] | tuple[str, ...]) -> Scenario:
    """The scenario without the law, then with these principles on."""
    out = without_the_law(scenario)
    for key in keys:
        if key == "appeals":
            out = with_changes(out, {"mechanisms.appeals": True, "surveillance.appeal_rate": max(
                REVIEW_RATE, out.surveillance.appeal_rate)})
        else:
            out = with_changes(out, {f"mechanisms.{key}": True})
    return out


def title(key: str) -> str:
    """A principle's name with its article: "Data minimisation (GDPR art. 5(1)(c))"."""
    return f"{MECHANISMS_BY_KEY[key].title} ({ARTICLES[key]})"


def in_words(path: str, value: Any, scenario: Scenario) -> str:
    """One change a principle makes, in words a student reads."""
    parts = path.split(".")
    if parts[0] == "mechanisms":
        return f"{MECHANISMS_BY_KEY[parts[1]].title}: {'on' if value else 'off'}"
    if parts[0] == "rules" and parts[-1] == "points":
        return f"{EVENTS_BY_KEY[parts[1]].label}: {value:+d} points" if value else \
            f"{EVENTS_BY_KEY[parts[1]].label}: no longer counts"
    if parts[0] == "districts":
        name = scenario.districts[int(parts[1])].name
        return f"Cameras in {name} can name {value:.1%} of what they see"
    if parts[:2] == ["consequences", "perks"]:
        names = "; ".join(p["name"] for p in value) or "none"
        return f"Perks kept: {names}"
    if parts[:2] == ["consequences", "penalties"]:
        names = "; ".join(p["name"] for p in value) or "none"
        return f"Penalties kept: {names}"
    if path == "score.decay":
        return f"Memory fades {value:.1%} a month"
    if path == "blacklist.months_to_delist":
        return f"A listing ends after {value} months above the threshold"
    if path == "surveillance.false_match_rate":
        return f"Wrong face matches at {value:.2%} of camera records"
    if path == "surveillance.appeal_rate":
        return f"{value:.0%} of wrong matches are contested and reversed"
    return f"{path} = {value}"
