"""Each mechanism does what its source measures (docs/calibration.md).

Every check here pools several seeds, so a claim rests on a mean, not on one
lucky run.
"""

from __future__ import annotations

import numpy as np
import pytest

from scoring.engine import simulate
from scoring.metrics import compute_metrics, read
from scoring.presets import PRESETS, load_preset
from scoring.scenario import with_changes

SEGREGATED = [
    {"name": "West", "population_share": 0.5, "minority_share": 0.0, "platform_share": 0.9,
     "camera_coverage": 0.4},
    {"name": "East", "population_share": 0.5, "minority_share": 1.0, "platform_share": 0.9,
     "camera_coverage": 0.4},
]
EQUAL = [{"name": name, "population_share": 0.25, "minority_share": 0.2,
          "platform_share": 0.9, "camera_coverage": 0.3} for name in "ABCD"]


def run(preset: str, seed: int, **changes):
    return simulate(with_changes(load_preset(preset), {"seed": seed, **changes}))


def wrong_per_person(preset: str, seeds=range(1, 4), **changes) -> np.ndarray:
    """Wrong matches per person of each group over the run, pooled over seeds."""
    hits, people = np.zeros(2), np.zeros(2)
    for seed in seeds:
        result = run(preset, seed, **{"population.size": 4000, **changes})
        hits += result.false_penalties.sum(axis=0)
        people += np.bincount(result.population.group[: result.size], minlength=2)
    return hits / people


# ---------------------------------------------------------------- 1. face matching


@pytest.mark.parametrize("districts", [None, SEGREGATED], ids=["default", "segregated"])
@pytest.mark.parametrize("k", [10.0, 40.0])
def test_a_group_k_times_as_error_prone_is_wrongly_matched_k_times_as_often(districts, k):
    extra = {"districts": districts} if districts else {}
    per = wrong_per_person("face_matching", **{"surveillance.false_match_multiplier": [1.0, k]},
                           **extra)
    assert per[1] / per[0] == pytest.approx(k, rel=0.2)


def test_a_worse_algorithm_adds_errors_and_the_best_leaves_few():
    worse = wrong_per_person("face_matching", **{"surveillance.false_match_multiplier":
                                                 [1.0, 100.0]}).sum()
    bad = wrong_per_person("face_matching").sum()
    best = wrong_per_person("face_matching", **{"surveillance.algorithm_quality": 1.0}).sum()
    assert worse > 5 * bad  # more error-prone comparisons are more errors in total
    assert best < bad / 10  # a tenth of the rate, no group difference


# ---------------------------------------------------------------- 2. twins


@pytest.mark.parametrize("preset", PRESETS)
def test_twins_change_nothing_of_the_real_population(preset):
    scenario = with_changes(load_preset(preset), {"population.size": 600, "months": 24})
    with_twins, without = simulate(scenario), simulate(scenario, twins=False)
    n = with_twins.size
    assert len(with_twins.population.twin_source) > 0
    assert np.array_equal(with_twins.score[:, :n], without.score)
    assert np.array_equal(with_twins.true_score[:, :n], without.true_score)
    assert np.array_equal(with_twins.subscores[:, :, :n], without.subscores)
    for name, values in with_twins.records.items():
        assert np.array_equal(values, without.records[name]), name


def test_group_twins_equal_their_persona_when_matching_treats_groups_alike():
    result = run("baseline", 5, **{"population.size": 800,
                                   "surveillance.false_match_multiplier": [1.0, 1.0]})
    n, pop = result.size, result.population
    groups = [i for i, (kind, _) in enumerate(pop.twin_change) if kind == "group"]
    assert groups
    for i in groups:
        assert np.array_equal(result.score[:, n + i], result.score[:, pop.twin_source[i]])


def test_district_twins_equal_their_persona_when_districts_are_alike():
    alike = [{**d, "minority_share": 0.3} for d in EQUAL]
    # Cameras that follow records make districts differ as they wander: off here.
    result = run("baseline", 5, **{"population.size": 800, "districts": alike,
                                   "mechanisms.adaptive_cameras": False})
    n, pop = result.size, result.population
    districts = [i for i, (kind, _) in enumerate(pop.twin_change) if kind == "district"]
    assert districts
    for i in districts:
        assert np.array_equal(result.score[:, n + i], result.score[:, pop.twin_source[i]])


# ---------------------------------------------------------------- 3. thin files


def test_the_level_playing_field_does_not_drift():
    for seed in range(1, 4):
        result = run("control", seed, months=120, **{"population.size": 3000})
        means = result.score[:, : result.size].mean(axis=1)
        assert np.abs(means - 600).max() <= 10


def test_being_unseen_is_no_advantage_when_people_behave_alike():
    low, high = [], []
    for seed in range(1, 4):
        result = run("thin_files", seed, months=120, **{"population.size": 4000})
        n = result.size
        use, score = result.population.platform_use[:n], result.score[-1, :n]
        low.append(score[use <= np.quantile(use, 0.25)].mean())
        high.append(score[use >= np.quantile(use, 0.75)].mean())
    assert np.mean(low) < np.mean(high) - 5


def test_a_thin_file_gets_no_loan_and_no_perk():
    result = run("thin_files", 2, **{"population.size": 3000})
    final = compute_metrics(result)["final"]
    thin = result.thin_by_group[-1].sum() / result.size
    assert thin > 0.02
    assert read(final, "denied_loan_share.overall") >= thin
    assert read(final, "perk_share.overall") <= 1 - thin


# ---------------------------------------------------------------- 4. gaming


def test_the_more_people_game_the_less_the_score_measures_reliability():
    def measure(propensity: float) -> float:
        return float(np.mean([
            read(compute_metrics(run("gaming", seed, **{"population.size": 4000,
                                                        "gaming.propensity": propensity}))
                 ["final"], "score_measures_reliability") for seed in range(1, 5)]))
    values = [measure(p) for p in (0.0, 0.45, 0.9)]
    assert values[0] > values[1] > values[2]
    assert values[0] - values[2] > 0.03


# ---------------------------------------------------------------- 5. harm at thresholds


def test_harm_at_thresholds_is_counted_per_group_with_ratios():
    final = compute_metrics(run("baseline", 3, **{"population.size": 3000}))["final"]
    for key in ("listed_share", "wrongly_listed_share", "denied_loan_share", "perk_share"):
        value = read(final, key)
        assert set(value) == {"overall", "by_group", "by_district", "ratio"}
        a, b = value["by_group"].values()
        if a:
            assert value["ratio"] == pytest.approx(b / a, abs=1e-3)
    listed = [read(compute_metrics(run("baseline", seed))["final"], "listed_share.overall")
              for seed in range(1, 5)]
    assert 0.005 <= np.mean(listed) <= 0.03  # docs/calibration.md: 0.5% to 3% of adults


def test_wrongly_listed_means_a_true_score_above_the_threshold():
    # Wrong matches list some who did nothing to deserve it: a handful in 3,000, so
    # counted over every month of four runs, not in one month (often none at its end).
    wrongly = [run("baseline", seed, **{"population.size": 3000}).wrongly_listed_by_group
               for seed in range(1, 5)]
    assert sum(int(w.sum()) for w in wrongly) > 0
    # Where nothing is pinned on the wrong person and no one's offence is seen that
    # is not in the true-behaviour score, nobody is listed wrongly.
    for seed in range(1, 4):
        final = compute_metrics(run("blacklist", seed, **{"population.size": 3000}))["final"]
        assert read(final, "listed_share.overall") > 0
        assert read(final, "wrongly_listed_share.overall") == 0


# ---------------------------------------------------------------- 8. adaptive cameras


def allocation_spread(size: int, correction: bool) -> tuple[float, float]:
    finals = np.array([
        run("adaptive_cameras", seed, districts=EQUAL, **{
            "population.size": size, "surveillance.adaptive_correction": correction,
        }).camera_allocation[-1] for seed in range(1, 7)])
    return float(finals.std(axis=0).mean()), float(np.abs(finals - 0.25).max())


def test_cameras_that_follow_records_wander_at_any_population_size():
    small, _ = allocation_spread(2000, False)
    large, _ = allocation_spread(20000, False)
    assert small > 0.02 and large > 0.02
    assert large > small / 2  # unlike smoothing, more residents do not pin the shares


def test_the_inverse_coverage_remedy_brings_the_true_shares_back():
    spread, furthest = allocation_spread(2000, True)
    assert spread < 0.02 and furthest < 0.05


# ---------------------------------------------------------------- 11. Liu's three regimes


def lending_effect(chance: float) -> float:
    """Mean score with lending minus the same seed without, pooled over seeds."""
    from scoring.counterfactual import loop_off
    gaps = []
    for seed in range(1, 4):
        scenario = with_changes(load_preset("lending"), {
            "seed": seed, "population.size": 3000, "lending.same_repayment": True,
            "lending.repayment_chance": chance})
        on, off = simulate(scenario), simulate(loop_off(scenario, "lending"))
        gaps.append(on.score[-1, : on.size].mean() - off.score[-1, : off.size].mean())
    return float(np.mean(gaps))


def test_lending_improves_stagnates_or_harms_around_the_break_even_chance():
    from scoring.mechanisms.lending import break_even
    assert break_even(load_preset("lending")) == pytest.approx(2 / 3)
    assert lending_effect(0.9) > 10  # improvement
    assert abs(lending_effect(2 / 3)) < 4  # stagnation
    assert lending_effect(0.4) < -10  # active harm


def test_the_panel_says_when_the_cap_swallows_a_penalty():
    from ui.controls import capped_rules
    assert capped_rules(load_preset("baseline")) == []
    scenario = with_changes(load_preset("baseline"), {"rules.loan_default.points": -200})
    assert capped_rules(scenario) == ["Loan defaulted (-200)"]
