"""Guided lessons: data files, and the checks that every claim they make holds.

A lesson (``scoring/lesson_plans/*.toml``) has a goal, a *predict first* question,
steps that each set a scenario and point at one chart, discussion questions
and teacher notes. A step's claims are sentences about the outcome ("the
minority is wrongly matched at least three times as often") tied to a
measurable comparison of final metrics. :func:`check` runs each claim for the
step's own seed and for the 30 seeds of ``SEEDS``, and pools them: a claim
holds when it holds on the step's own seed (the run the screen shows) and the
95% interval of its margin over the seeds lies wholly on the claimed side of
"no effect". A vote of seeds would not do: in the level-playing-field world,
single blocks of ten seeds drift 2.5 standard errors from zero. Each verdict
also states the effect's size with its interval (:meth:`Verdict.size`), in
words a student can read, and whether the effect is *visible*: at least
``VISIBLE`` times its seed-to-seed standard deviation.

Comparisons (``relation``), with ``x`` the claim's metric in the step's run:

- ``greater`` / ``less``: ``x > y + by`` / ``x < y - by``
- ``at_least_times``: ``x >= by * y``
- ``above`` / ``below``: ``x > by`` / ``x < by`` (no ``y``)

where ``y`` is ``other`` (another metric of the same run) or the same metric
in the run named by ``against``: ``all_loops_off`` (every feedback loop off),
``off:MECHANISM`` (that one mechanism off), ``step:N`` (step N of the same
lesson) or ``preset:NAME`` (that preset with the step's changes), always on the
same seed.
"""

from __future__ import annotations

import json
import tomllib
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cache
from multiprocessing import get_context
from pathlib import Path
from typing import Any

import numpy as np

from scoring.counterfactual import all_loops_off, loop_off
from scoring.engine import simulate
from scoring.mechanisms import MECHANISMS_BY_KEY
from scoring.metrics import final_month_metrics, metric, read
from scoring.presets import PRESETS, load_preset
from scoring.scenario import Scenario, ScenarioError, with_changes

FOLDER = Path(__file__).parent / "lesson_plans"
SEEDS = tuple(range(1, 31))  # the seeds every claim is pooled over
Z95 = 1.96  # a 95% interval: mean +- 1.96 standard errors
VISIBLE = 3.0  # an effect a class can see: at least 3 seed-to-seed standard deviations
RELATIONS = ("greater", "less", "at_least_times", "above", "below")
CHARTS = ("histogram", "group_means", "district_means", "mobility")  # or "metric:PATH"
VIEWS = ("drift", "personas", "rules", "bias", "loops", "compare", "regulation", "build",
         "about")


@dataclass(frozen=True)
class Claim:
    """A sentence about a step's outcome and the comparison that checks it."""

    says: str
    metric: str
    relation: str
    by: float = 0.0
    other: str | None = None
    against: str | None = None


@dataclass(frozen=True)
class Step:
    """One scenario, one chart to look at, what to notice there."""

    title: str
    preset: str
    changes: dict[str, Any]
    view: str
    chart: str
    notice: str
    ask: str  # the handout's question for this step: it asks, the notice tells
    claims: tuple[Claim, ...] = ()

    def scenario(self, seed: int | None = None) -> Scenario:
        """The step's scenario (on another seed if given)."""
        scenario = with_changes(load_preset(self.preset), self.changes)
        return scenario if seed is None else with_changes(scenario, {"seed": seed})


@dataclass(frozen=True)
class Predict:
    """The question students answer before running anything."""

    question: str
    choices: tuple[str, ...]
    answer: int
    step: int  # the step whose first claim shows the outcome
    why: str


@dataclass(frozen=True)
class Lesson:
    """A guided path through one theme, for one class period."""

    key: str
    title: str
    theme: str
    minutes: int
    goal: str
    predict: Predict
    steps: tuple[Step, ...]
    discussion: tuple[str, ...]
    notes: dict[str, Any] = field(default_factory=dict)


def _claim(data: dict[str, Any], where: str) -> Claim:
    claim = Claim(**data)
    if claim.relation not in RELATIONS:
        raise ScenarioError([f"{where}: relation '{claim.relation}' is not one of "
                             f"{', '.join(RELATIONS)}"])
    needs_other = claim.relation in ("greater", "less", "at_least_times")
    if needs_other and (claim.other is None) == (claim.against is None):
        raise ScenarioError([f"{where}: '{claim.relation}' needs exactly one of other, "
                             "against"])
    return claim


def _step(data: dict[str, Any], where: str) -> Step:
    claims = tuple(_claim(c, f"{where}.claims.{i}") for i, c in
                   enumerate(data.pop("claims", [])))
    step = Step(**data, claims=claims)
    if step.preset not in PRESETS:
        raise ScenarioError([f"{where}: unknown preset '{step.preset}'"])
    if step.view not in VIEWS:
        raise ScenarioError([f"{where}: unknown view '{step.view}'"])
    if step.chart not in CHARTS and not step.chart.startswith("metric:"):
        raise ScenarioError([f"{where}: unknown chart '{step.chart}' (one of "
                             f"{', '.join(CHARTS)}, or metric:PATH)"])
    step.scenario()  # raises ScenarioError with the setting's path if a change is bad
    return step


def read_lesson(path: Path) -> Lesson:
    """Read and validate one lesson file."""
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    try:
        steps = tuple(_step(dict(s), f"{path.stem}.steps.{i}")
                      for i, s in enumerate(data.pop("steps")))
        asked = data.pop("predict")
        predict = Predict(**{**asked, "choices": tuple(asked["choices"])})
        lesson = Lesson(**{**data, "predict": predict, "steps": steps,
                           "discussion": tuple(data["discussion"])})
    except (TypeError, KeyError) as exc:
        raise ScenarioError([f"{path.name}: {exc}"]) from None
    if not 0 <= predict.answer < len(predict.choices):
        raise ScenarioError([f"{path.stem}.predict.answer: no choice {predict.answer}"])
    if not 0 <= predict.step < len(steps) or not steps[predict.step].claims:
        raise ScenarioError([f"{path.stem}.predict.step: step {predict.step} has no claim"])
    return lesson


@cache
def lessons(folder: Path = FOLDER) -> tuple[Lesson, ...]:
    """Every lesson in a folder (the project's own by default), by file name."""
    return tuple(read_lesson(path) for path in sorted(Path(folder).glob("*.toml")))


def lesson(key: str) -> Lesson:
    """The lesson with this key."""
    for item in lessons():
        if item.key == key:
            return item
    raise KeyError(key)


_FINALS: dict[str, dict[str, Any]] = {}


def _final_of_json(scenario_json: str) -> dict[str, Any]:
    return final_month_metrics(simulate(Scenario.model_validate_json(scenario_json)))


def final_metrics(scenario: Scenario) -> dict[str, Any]:
    """Final-month metrics of a scenario (kept for the checks)."""
    key = scenario.model_dump_json()
    if key not in _FINALS:
        _FINALS[key] = _final_of_json(key)
    return _FINALS[key]


def value_at(final: dict[str, Any], path: str) -> float | None:
    """The number at a dotted path of the final metrics (:func:`scoring.metrics.read`)."""
    value = read(final, path)
    return None if value is None else float(value)


def comparison_run(step: Step, against: str, seed: int, steps: tuple[Step, ...] = ()
                   ) -> Scenario:
    """The run a claim compares with: same seed, one thing different."""
    scenario = step.scenario(seed)
    if against == "all_loops_off":
        return all_loops_off(scenario)
    kind, _, name = against.partition(":")
    if kind == "off" and name in MECHANISMS_BY_KEY:
        return loop_off(scenario, name)
    if kind == "step" and name.isdigit() and int(name) < len(steps):
        return steps[int(name)].scenario(seed)
    if kind == "preset" and name in PRESETS:
        return with_changes(load_preset(name), {**step.changes, "seed": seed})
    raise ScenarioError([f"against = '{against}': use all_loops_off, off:MECHANISM, step:N "
                         "or preset:NAME"])


def margin(claim: Claim, x: float | None, y: float | None) -> float | None:
    """How far one seed's numbers are on the claimed side (> 0: the claim holds there)."""
    if x is None or (y is None and claim.relation not in ("above", "below")):
        return None
    return {
        "greater": lambda: x - y - claim.by,
        "less": lambda: y - claim.by - x,
        "at_least_times": lambda: x - claim.by * y,
        "above": lambda: x - claim.by,
        "below": lambda: claim.by - x,
    }[claim.relation]()


def measure(step: Step, claim: Claim, seed: int, steps: tuple[Step, ...] = (),
            final: Callable[[Scenario], dict[str, Any]] = final_metrics
            ) -> tuple[float | None, float | None, bool]:
    """The claim's two numbers on one seed, and whether the claim holds there.

    ``steps`` are the lesson's steps, for claims compared with ``step:N``.
    """
    here = final(step.scenario(seed))
    x = value_at(here, claim.metric)
    if claim.other is not None:
        y = value_at(here, claim.other)
    elif claim.against is not None:
        y = value_at(final(comparison_run(step, claim.against, seed, steps)), claim.metric)
    else:
        y = None
    if x is None or (y is None and claim.relation not in ("above", "below")):
        return x, y, False
    holds = {
        "greater": lambda: x > y + claim.by,
        "less": lambda: x < y - claim.by,
        "at_least_times": lambda: x >= claim.by * y,
        "above": lambda: x > claim.by,
        "below": lambda: x < claim.by,
    }[claim.relation]()
    return x, y, bool(holds)


def interval(values: list[float]) -> tuple[float, float, float, float]:
    """Mean, seed-to-seed standard deviation and 95% interval of the mean."""
    a = np.asarray(values, dtype=np.float64)
    if a.size == 0:
        return (float("nan"),) * 4
    mean = float(a.mean())
    sd = float(a.std(ddof=1)) if a.size > 1 else 0.0
    half = Z95 * sd / np.sqrt(a.size)
    return mean, sd, mean - half, mean + half


@dataclass(frozen=True)
class Verdict:
    """How one claim fared: on the step's seed, and pooled over ``SEEDS``.

    Attributes:
        xs, ys: The claim's two numbers on each pooled seed (None where not
            defined); ``ys`` are None for ``above`` / ``below``.
        margins: How far each seed is on the claimed side (:func:`margin`).
    """

    lesson: str
    step: int
    claim: Claim
    own_seed: int
    holds_on_own_seed: bool
    xs: tuple[float | None, ...]
    ys: tuple[float | None, ...]
    margins: tuple[float | None, ...]

    @property
    def tried(self) -> int:
        """Seeds pooled."""
        return len(self.margins)

    @property
    def held(self) -> int:
        """Seeds on which the claim holds by itself."""
        return sum(m is not None and m > 0 for m in self.margins)

    @property
    def pooled(self) -> tuple[float, float, float, float]:
        """Mean margin, its seed-to-seed sd and its 95% interval."""
        if any(m is None for m in self.margins):
            return (float("nan"),) * 4
        return interval(list(self.margins))

    @property
    def effect(self) -> tuple[float, float, float, float]:
        """The effect the claim points at, per seed: x - y, x / y, or x."""
        if self.claim.relation in ("above", "below"):
            values = self.xs
        elif self.claim.relation == "at_least_times":
            values = tuple(None if x is None or not y else x / y
                           for x, y in zip(self.xs, self.ys, strict=True))
        else:
            values = tuple(None if x is None or y is None else x - y
                           for x, y in zip(self.xs, self.ys, strict=True))
        if any(v is None for v in values):
            return (float("nan"),) * 4
        return interval(list(values))

    @property
    def visible(self) -> bool:
        """True if the effect is at least ``VISIBLE`` seed-to-seed sds from no effect.

        No effect is 0 for a difference or a level, 1 for a ratio.
        """
        mean, sd, _, _ = self.effect
        return bool(np.isfinite(mean)
                    and abs(mean - self.no_effect()) >= VISIBLE * max(sd, 1e-12))

    @property
    def ok(self) -> bool:
        """True if it holds on the step's seed and the pooled interval excludes no effect."""
        _, _, lo, _ = self.pooled
        return self.holds_on_own_seed and bool(np.isfinite(lo) and lo > 0)

    def no_effect(self) -> float:
        """The value that would mean no effect: 1 for a ratio, else 0."""
        if self.claim.relation == "at_least_times":
            return 1.0
        if self.claim.relation in ("above", "below"):
            return 1.0 if metric(self.claim.metric.split(".")[0]).unit == "ratio" else 0.0
        return 0.0

    def size(self) -> str:
        """The effect in words, with its 95% interval over the pooled seeds."""
        digits = metric(self.claim.metric.split(".")[0]).digits
        mean, _, lo, hi = self.effect
        if not np.isfinite(mean):
            return "not defined on every seed"
        if self.claim.relation == "at_least_times":
            return f"{mean:.1f} times as much ({lo:.1f} to {hi:.1f})"
        # Enough places that a share's small difference does not round to one number.
        shown = 3 if abs(mean) < 1 else max(digits, 1) if abs(mean) < 10 else digits
        if self.claim.relation in ("above", "below"):
            return f"{mean:.{shown}f} ({lo:.{shown}f} to {hi:.{shown}f})"
        x = interval([v for v in self.xs if v is not None])[0]
        y = interval([v for v in self.ys if v is not None])[0]
        return (f"{x:.{shown}f} against {y:.{shown}f}: a difference of {mean:+.{shown}f} "
                f"({lo:+.{shown}f} to {hi:+.{shown}f})")


def _runs_needed(items: tuple[Lesson, ...], seeds: tuple[int, ...]) -> list[str]:
    """Every scenario the checks simulate, as JSON, each once."""
    needed: dict[str, None] = {}
    for item in items:
        for step in item.steps:
            for seed in (*seeds, step.scenario().seed):
                needed[step.scenario(seed).model_dump_json()] = None
                for claim in step.claims:
                    if claim.against is not None:
                        other = comparison_run(step, claim.against, seed, item.steps)
                        needed[other.model_dump_json()] = None
    return list(needed)


def check(items: tuple[Lesson, ...] | None = None, seeds: tuple[int, ...] = SEEDS,
          workers: int = 1) -> list[Verdict]:
    """Check every claim of every lesson (simulating on ``workers`` processes)."""
    items = lessons() if items is None else items
    todo = [key for key in _runs_needed(items, seeds) if key not in _FINALS]
    if workers > 1 and todo:
        with get_context("spawn").Pool(workers) as pool:
            _FINALS.update(zip(todo, pool.map(_final_of_json, todo, chunksize=2), strict=True))
    verdicts = []
    for item in items:
        for number, step in enumerate(item.steps):
            own = step.scenario().seed
            for claim in step.claims:
                pairs = [measure(step, claim, seed, item.steps)[:2] for seed in seeds]
                verdicts.append(Verdict(
                    item.key, number, claim, own, measure(step, claim, own, item.steps)[2],
                    tuple(x for x, _ in pairs), tuple(y for _, y in pairs),
                    tuple(margin(claim, x, y) for x, y in pairs)))
    return verdicts


POOLED = FOLDER / "pooled.json"


def pooled_table(verdicts: list[Verdict]) -> dict[str, dict[str, Any]]:
    """Each claim's pooled size as the app shows it, by ``lesson/step/claim``."""
    table: dict[str, dict[str, Any]] = {}
    counts: dict[tuple[str, int], int] = {}
    for v in verdicts:
        i = counts.get((v.lesson, v.step), 0)
        counts[(v.lesson, v.step)] = i + 1
        mean, sd, lo, hi = v.effect
        kind = {"at_least_times": "ratio", "above": "level", "below": "level"}.get(
            v.claim.relation, "difference")
        table[f"{v.lesson}/{v.step}/{i}"] = {
            "says": v.claim.says, "size": v.size(), "seeds": v.tried, "holds": v.ok,
            "visible": v.visible,
            "effect": {"kind": kind, "mean": round(mean, 4), "sd": round(sd, 4),
                       "lo": round(lo, 4), "hi": round(hi, 4),
                       "no_effect": v.no_effect()}}
    return table


def write_pooled(verdicts: list[Verdict], path: Path = POOLED) -> Path:
    """Write the pooled sizes (``lessons --check --write``); a test keeps them current."""
    path.write_text(json.dumps(pooled_table(verdicts), indent=1) + "\n", encoding="utf-8")
    return path


@cache
def pooled() -> dict[str, dict[str, Any]]:
    """The pooled sizes written by ``lessons --check --write`` (empty if none)."""
    try:
        return json.loads(POOLED.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
