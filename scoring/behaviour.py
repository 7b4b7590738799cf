"""True behaviour: what people actually do each month, seen or not.

Every person draws one uniform number per kind of behaviour each month, in a
fixed layout, so changing a rule never reshuffles anyone's luck and a twin
shares its persona's luck exactly. Hardship (low income, penalties, debt)
raises the chance of late bills and defaults: that is the channel through
which consequences feed back into behaviour.
"""

from __future__ import annotations

import numpy as np

from scoring.events import EVENT_INDEX, EVENTS
from scoring.scenario import Scenario

# Rows of the monthly uniform draws.
DRAWS = (
    "bill_late", "loan_need", "loan_default", "rental_use", "rental_late", "diapers",
    "games", "volunteering", "blood_donation", "jaywalking", "red_light",
)
DRAW = {name: i for i, name in enumerate(DRAWS)}

# Mean unreliability (1 - reliability) of the population: rates are per average person.
MEAN_UNRELIABILITY = 0.29
# Mean civic spirit of the population.
MEAN_CIVIC = 1 / 3
# Chance of default for an average person without hardship, and at full hardship on top.
DEFAULT_BASE = 0.05
DEFAULT_HARDSHIP = 0.4
# Chance of returning a rental late, average person, and at full hardship on top.
RENTAL_LATE_BASE = 0.08
RENTAL_LATE_HARDSHIP = 0.2


def draw_true_events(
    scenario: Scenario,
    *,
    uniforms: np.ndarray,
    reliability: np.ndarray,
    civic: np.ndarray,
    parent: np.ndarray,
    gamer: np.ndarray,
    driver: np.ndarray,
    hardship: np.ndarray,
    score: np.ndarray,
    street_activity: np.ndarray,
) -> np.ndarray:
    """Draw this month's true events.

    Args:
        scenario: Behaviour rates, lending threshold and switches.
        uniforms: ``(len(DRAWS), n)`` uniform draws for this month.
        reliability: True reliability per person.
        civic: Civic spirit per person.
        parent: Who has a baby at home.
        gamer: Who games for hours a day.
        driver: Who drives.
        hardship: This month's hardship, 0..1.
        score: Current recorded score (decides who gets a loan).
        street_activity: Street-infraction rate factor of each person's district.

    Returns:
        ``(len(EVENTS), n)`` boolean matrix: who did what.
    """
    rates = scenario.behaviour
    n = uniforms.shape[1]
    unreliable = (1.0 - reliability) / MEAN_UNRELIABILITY
    events = np.zeros((len(EVENTS), n), dtype=bool)

    def put(key: str, mask: np.ndarray) -> None:
        events[EVENT_INDEX[key]] = mask

    late = uniforms[DRAW["bill_late"]] < np.clip(
        rates.bill_late_base * unreliable + rates.hardship_late_effect * hardship, 0.0, 0.95
    )
    put("bill_late", late)
    put("bill_on_time", ~late)

    if scenario.mechanisms.lending:
        asks = uniforms[DRAW["loan_need"]] < rates.loan_need * (1.0 + hardship)
        granted = asks & (score >= scenario.lending.approval_threshold)
        p_default = np.clip(DEFAULT_BASE * unreliable + DEFAULT_HARDSHIP * hardship, 0.0, 0.95)
        default = granted & (uniforms[DRAW["loan_default"]] < p_default)
        put("loan_default", default)
        put("loan_repaid", granted & ~default)

    rents = uniforms[DRAW["rental_use"]] < rates.rental_use
    p_late_return = np.clip(
        RENTAL_LATE_BASE * unreliable + RENTAL_LATE_HARDSHIP * hardship, 0.0, 0.95
    )
    rental_late = rents & (uniforms[DRAW["rental_late"]] < p_late_return)
    put("rental_late", rental_late)
    put("rental_on_time", rents & ~rental_late)

    put("diapers_bought", parent & (uniforms[DRAW["diapers"]] < rates.diaper_rate))
    put("games_heavy", gamer & (uniforms[DRAW["games"]] < rates.gaming_rate))
    civic_factor = civic / MEAN_CIVIC
    put(
        "volunteering",
        uniforms[DRAW["volunteering"]]
        < rates.volunteering_rate * civic_factor * (1.0 - 0.5 * hardship),
    )
    donates = uniforms[DRAW["blood_donation"]] < rates.blood_donation_rate * civic_factor
    put("blood_donation", donates)
    street = unreliable * street_activity
    put("jaywalking", uniforms[DRAW["jaywalking"]] < rates.jaywalking_rate * street)
    put("red_light", driver & (uniforms[DRAW["red_light"]] < rates.red_light_rate * street))
    put("salary_on_platform", np.ones(n, dtype=bool))
    return events
