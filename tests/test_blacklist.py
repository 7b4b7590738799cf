"""The dishonest-persons list, one mechanism in one module: listing, its cost, its reach."""

from __future__ import annotations

import numpy as np
import pytest
from conftest import run, small

from scoring.counterfactual import loop_off
from scoring.mechanisms.blacklist import Listing, Settings, _shun

SEEDS = (1, 2, 3)
SETTINGS = Settings(listing_threshold=450, months_to_list=3, months_to_delist=2)


def _months(listing: Listing, *scores: float) -> list[bool]:
    seen = []
    for score in scores:
        listing = listing.next(SETTINGS, np.array([score], dtype=np.float32))
        seen.append(bool(listing.listed[0]))
    return seen


def test_a_person_is_listed_only_after_months_in_a_row_below_the_threshold():
    assert _months(Listing.empty(1), 440, 440, 440) == [False, False, True]
    # A month back above the threshold starts the count again.
    assert _months(Listing.empty(1), 440, 440, 460, 440, 440) == [False] * 5


def test_a_listed_person_is_delisted_after_months_in_a_row_above_it():
    listed = Listing(np.array([True]), np.zeros(1, np.int16), np.zeros(1, np.int16))
    assert _months(listed, 460, 440, 460, 460, 440) == [True, True, True, False, False]


def test_shunning_breaks_ties_from_high_scorers_to_the_listed_only():
    n, k = 400, 6
    rng = np.random.default_rng(0)
    ties = rng.integers(0, n, size=(k, n)).astype(np.int32)
    listed = np.zeros(n, dtype=bool)
    listed[:100] = True
    score = np.where(np.arange(n) < 200, 430.0, 650.0).astype(np.float32)
    scenario = small("blacklist")
    state = type("S", (), {"parts": {"blacklist": Listing(listed, listed * 0, listed * 0)},
                           "ties": ties})
    world = type("W", (), {"scenario": scenario})
    before = ties.copy()
    after = _shun(world, state, ties, score, np.random.default_rng(1))
    assert np.array_equal(ties, before)  # the state's own ties are left as they were
    # Ties another mechanism made this month are rewired in place, the same way.
    made_this_month = ties.copy()
    again = _shun(world, state, made_this_month, score, np.random.default_rng(1))
    assert again is made_this_month and np.array_equal(again, after)
    high = score >= scenario.network.exclusion_threshold
    to_listed = lambda t: (listed[t] & high[None, :]).sum()  # noqa: E731
    assert to_listed(after) < 0.9 * to_listed(ties)
    low = ~high
    assert (after[:, low] == ties[:, low]).all()  # the low keep their friends
    assert not listed[after[after != ties]].any()  # rewired to someone not listed


@pytest.mark.parametrize("seed", SEEDS)
def test_listing_adds_hardship_so_the_listed_fall_further(seed):
    scenario = small("blacklist", seed=seed, population__size=8000,
                     blacklist__listing_threshold=480)
    on, _ = run(scenario)
    off, _ = run(loop_off(scenario, "blacklist"))
    n = on.size
    ever = (on.listed_by_group.sum() > 0)
    assert ever
    # Everyone below the threshold for long: the same people, listed or not.
    low = (off.score[:, :n] < 480).sum(axis=0) >= 12
    assert low.sum() > 20
    assert on.score[-1, :n][low].mean() < off.score[-1, :n][low].mean() - 5


@pytest.mark.parametrize("seed", SEEDS)
def test_listed_share_counts_the_list_overall_by_group_and_district(seed):
    result, metrics = run(small("blacklist", seed=seed))
    final = metrics["final"]["listed_share"]
    assert 0 < final["overall"] < 0.3
    groups = result.population.group[: result.size]
    sizes = np.bincount(groups, minlength=2)
    weighted = sum(final["by_group"][g] * sizes[i] for i, g in
                   enumerate(result.scenario.population.group_labels)) / result.size
    assert weighted == pytest.approx(final["overall"], abs=1e-3)
    assert set(final["by_district"]) == {d.name for d in result.scenario.districts}
    # Nobody can be listed before three months below the threshold.
    assert all(m["listed_share"]["overall"] == 0 for m in metrics["by_month"][:3])


def test_the_event_log_says_when_a_persona_is_listed():
    result, _ = run(small("blacklist", seed=1, months=120))
    listed = result.events[result.events.event == "listed"]
    assert not listed.empty
    assert (listed.how == "put on the list: no flights, trains or perks").all()
    assert (listed.points == 0).all()


def test_the_list_is_on_in_the_baseline_and_its_preset_and_off_in_control():
    # A new scenario has it off; the calibrated baseline lists 0.5-3% of adults.
    assert small("baseline").mechanisms.blacklist
    assert small("blacklist").mechanisms.blacklist
    assert not small("control").mechanisms.blacklist
