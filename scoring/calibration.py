"""Calibration: every target the model is set to, its source, and what it measures.

``python -m scoring calibrate --seeds 20`` runs each target's scenario on 20
seeds and writes two tables into ``docs/calibration.md`` (between its
``calibration`` markers): target against measured, with a 95% interval over
the seeds, and what the feedback loops add to lock-in, listing and the
group gap against the same-seed twin with every loop off. A test keeps the
targets met.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np

from scoring.counterfactual import all_loops_off
from scoring.engine import Result, simulate
from scoring.ensemble import summary
from scoring.mechanisms.lending import break_even
from scoring.metrics import final_month_metrics, read
from scoring.presets import load_preset
from scoring.scenario import with_changes


@dataclass(frozen=True)
class Target:
    """One number the model is set to reach.

    Attributes:
        key: Short name.
        says: The target in words.
        source: Where it comes from, with its provenance label.
        preset: The scenario it is measured on.
        changes: Changes to that preset (months, size).
        measure: ``(result, final metrics) -> number``.
        low, high: The range the measured mean must fall in.
        unit: How to print it.
    """

    key: str
    says: str
    source: str
    preset: str
    changes: dict[str, Any]
    measure: Callable[[Result, dict[str, Any]], float]
    low: float
    high: float
    digits: int = 2


def _control_drift(result: Result, _: dict[str, Any]) -> float:
    means = result.score[:, : result.size].mean(axis=1)
    return float(np.abs(means - result.scenario.score.start_score).max())


def _wrong_ratio(result: Result, final: dict[str, Any]) -> float:
    per = read(final, "false_penalties_by_group")
    a, b = (per[g]["per_1000"] for g in result.scenario.population.group_labels)
    return float(b / a) if a else float("nan")


def _below(score: int) -> Callable[[Result, dict[str, Any]], float]:
    return lambda result, _: float((result.score[-1, : result.size] < score).mean())


TARGETS: tuple[Target, ...] = (
    Target("flat_control", "The level playing field does not drift: the largest distance of "
           "the mean score from the start (600) over 120 months, in points, is at most 10",
           "design: rules and fading memory balanced around the start (hypothetical)",
           "control", {"months": 120}, _control_drift, 0.0, 10.0, 1),
    Target("listed_share", "Share of persons on the dishonest-persons list in the baseline: "
           "0.5% to 3% of adults",
           "press reports of the courts' list: roughly 13 to 16 million people around 2019, "
           "about 1.2-1.5% of some 1.1 billion adults; the 17.46 million blocked flight "
           "purchases of 2018 count purchases, not people (press)",
           "baseline", {}, lambda _, f: read(f, "listed_share.overall"), 0.005, 0.03, 3),
    Target("nist_worst", "Wrong matches per person, minority over majority, worst algorithm "
           "(face_matching preset): within NIST's 10 to 100",
           "NISTIR 8280 (2019): false positives higher for some groups, often by a factor "
           "of 10 to 100 (research)",
           "face_matching", {}, _wrong_ratio, 8.0, 100.0, 1),
    Target("nist_baseline", "The same ratio in the baseline (algorithm quality 0.3): between "
           "1 and 10, a middling algorithm",
           "NISTIR 8280: the most accurate algorithms have the smallest differences (research)",
           "baseline", {}, _wrong_ratio, 1.0, 10.0, 1),
    Target("poor_band", "Share in the poor band (below 550) in the baseline: between 5% and "
           "30%",
           "no source gives the distribution of Sesame scores over people; the bands are "
           "reported (press), the shares here are the model's own (hypothetical)",
           "baseline", {}, lambda _, f: read(f, "band_shares.poor"), 0.05, 0.30, 2),
)


LOOP_EFFECTS: tuple[tuple[str, str], ...] = (
    ("lock_in_rate", "Lock-in"),
    ("listed_share.overall", "Listed as dishonest"),
    ("listed_share.ratio", "Listing-rate ratio (minority / majority)"),
    ("group_gap", "Group gap (points)"),
)


def measure_targets(seeds: int) -> list[tuple[Target, dict[str, Any]]]:
    """Each target with its measured mean, sd and 95% interval over ``seeds`` seeds."""
    found = []
    for target in TARGETS:
        values = []
        for seed in range(1, seeds + 1):
            scenario = with_changes(load_preset(target.preset), {**target.changes, "seed": seed})
            result = simulate(scenario)
            values.append(target.measure(result, final_month_metrics(result)))
        found.append((target, summary(values)))
    return found


def loops_off_twin(scenario):
    """The same seed with every feedback loop off, the list kept as a measure only.

    The list is itself a loop (its hardship and shunning feed back), so the
    twin keeps it on with neither: it lists whom the scores would list, and
    the difference is what the loops add, not the list's existence.
    """
    twin = all_loops_off(scenario)
    if not scenario.mechanisms.blacklist:
        return twin
    return with_changes(twin, {"mechanisms.blacklist": True, "blacklist.burden": 0.0,
                               "blacklist.shunning": 0.0})


def loop_effects(seeds: int, preset: str = "baseline") -> list[tuple[str, dict, dict, dict]]:
    """The baseline, its all-loops-off twin and their difference, per metric, over seeds."""
    rows: dict[str, list[tuple[float, float]]] = {key: [] for key, _ in LOOP_EFFECTS}
    for seed in range(1, seeds + 1):
        scenario = with_changes(load_preset(preset), {"seed": seed})
        on = final_month_metrics(simulate(scenario))
        off = final_month_metrics(simulate(loops_off_twin(scenario)))
        for key, _ in LOOP_EFFECTS:
            a, b = read(on, key), read(off, key)
            if a is not None and b is not None:
                rows[key].append((float(a), float(b)))
    out = []
    for key, label in LOOP_EFFECTS:
        pairs = rows[key]
        out.append((label, summary([a for a, _ in pairs]), summary([b for _, b in pairs]),
                    summary([a - b for a, b in pairs])))
    return out


def _cell(s: dict[str, Any], digits: int) -> str:
    return f"{s['mean']:.{digits}f} ({s['lo']:.{digits}f} to {s['hi']:.{digits}f})"


def markdown(seeds: int) -> str:
    """Both tables, as ``docs/calibration.md`` holds them."""
    lines = [f"Measured over seeds 1-{seeds}: mean (95% interval of the mean).", "",
             "| target | source | range | measured | met |", "|---|---|---|---|---|"]
    for target, s in measure_targets(seeds):
        d = target.digits
        met = "yes" if target.low <= s["mean"] <= target.high else "**no**"
        lines.append(f"| {target.says} | {target.source} | {target.low:.{d}f} to "
                     f"{target.high:.{d}f} | {_cell(s, d)} | {met} |")
    lines += ["", f"Liu et al.'s break-even repayment chance with the default rules: "
              f"{break_even(load_preset('baseline')):.3f} (+75 on repayment, -150 on "
              "default).", "",
              "What the feedback loops add: the baseline against the same seed with every "
              "loop off (the twin keeps the biases: thin files, cameras, wrong matches; and "
              "the list, as a measure only, with no hardship and no shunning).", "",
              "| metric | baseline | every loop off | the loops add |", "|---|---|---|---|"]
    for label, on, off, diff in loop_effects(seeds):
        d = 1 if "points" in label else 3
        lines.append(f"| {label} | {_cell(on, d)} | {_cell(off, d)} | {_cell(diff, d)} |")
    return "\n".join(lines) + "\n"
