"""Command line: ``python -m scoring COMMAND``.

Bad input anywhere gives exit status 2 and one line per problem on stderr,
never a traceback.
"""

from __future__ import annotations

import argparse
import itertools
import json
import os
import re
import resource
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any, NoReturn

import pandas as pd

from scoring.allocator import keep_freed_memory
from scoring.budget import too_big
from scoring.constants import MAX_MONTHS, MAX_POPULATION, MIN_POPULATION
from scoring.engine import SUBSCORES, simulate
from scoring.export import write_outputs
from scoring.metrics import compute_metrics, final_month_metrics, read
from scoring.presets import PRESETS, load_preset
from scoring.scenario import (
    Scenario,
    ScenarioError,
    from_toml,
    parse_assignment,
    parse_value,
    to_toml,
    with_changes,
)

# Exit status for bad input.
EXIT_USAGE = 2


class UsageError(Exception):
    """Bad command-line input: one message per problem."""

    def __init__(self, problems: Sequence[str]):
        self.problems = list(problems)
        super().__init__("; ".join(self.problems))


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        raise UsageError([message])


# ------------------------------------------------------------------ scenario


def _read_scenario_file(path: str) -> Scenario:
    file = Path(path)
    try:
        if file.stat().st_size > 1_000_000:
            raise UsageError([f"{path}: file too large for a scenario"])
        data = file.read_bytes()
    except OSError as exc:
        raise UsageError([f"{path}: cannot read ({exc.strerror or exc})"]) from None
    try:
        return from_toml(data)
    except ScenarioError as exc:
        raise UsageError([f"{path}: {p}" for p in exc.problems]) from None


def _resolve(args: argparse.Namespace) -> Scenario:
    """The scenario from --preset/--scenario with --set and the shortcuts applied."""
    scenario = (
        _read_scenario_file(args.scenario) if args.scenario else load_preset(args.preset)
    )
    changes: dict[str, Any] = {}
    problems: list[str] = []
    for text in args.set or []:
        try:
            path, value = parse_assignment(text)
            changes[path] = value
        except ScenarioError as exc:
            problems.extend(f"--set: {p}" for p in exc.problems)
    for flag, path in (("population", "population.size"), ("months", "months"),
                       ("seed", "seed")):
        value = getattr(args, flag, None)
        if value is not None:
            changes[path] = value
    if problems:
        raise UsageError(problems)
    try:
        return with_changes(scenario, changes) if changes else scenario
    except ScenarioError as exc:
        raise UsageError(exc.problems) from None


def _add_source(parser: argparse.ArgumentParser) -> None:
    source = parser.add_mutually_exclusive_group(required=True)
    source.add_argument("--preset", choices=PRESETS, metavar="NAME",
                        help=f"start from a preset ({', '.join(PRESETS)})")
    source.add_argument("--scenario", metavar="FILE", help="start from a scenario TOML file")
    parser.add_argument("--set", action="append", metavar="PATH=VALUE",
                        help="change one setting, e.g. --set surveillance.false_match_rate=0.2 "
                        "(VALUE is TOML: 0.2, true, [1.0, 10.0], \"text\")")


def _int_arg(low: int, high: int, what: str):
    def parse(text: str) -> int:
        try:
            value = int(text)
        except ValueError:
            message = f"{what} must be a whole number, got {text!r}"
            raise argparse.ArgumentTypeError(message) from None
        if not low <= value <= high:
            raise argparse.ArgumentTypeError(
                f"{what} must be between {low:,} and {high:,}, got {value:,}"
            )
        return value

    return parse


# ------------------------------------------------------------------ commands


def cmd_presets(args: argparse.Namespace) -> int:
    """List presets with their descriptions."""
    width = max(len(p) for p in PRESETS)
    for name in PRESETS:
        print(f"{name:<{width}}  {load_preset(name).description}")
    return 0


def cmd_show(args: argparse.Namespace) -> int:
    """Print a preset's full resolved scenario as TOML."""
    print(to_toml(load_preset(args.name)), end="")
    return 0


def cmd_validate(args: argparse.Namespace) -> int:
    """Check a scenario file; exit 0 if valid."""
    scenario = _read_scenario_file(args.file)
    print(f"{args.file}: valid ({scenario.name}, {scenario.population.size:,} persons, "
          f"{scenario.months} months)")
    return 0


def cmd_run(args: argparse.Namespace) -> int:
    """Run a scenario and write its four files."""
    scenario = _resolve(args)
    out = Path(args.out)
    if out.exists() and not out.is_dir():
        raise UsageError([f"--out {args.out}: exists and is not a folder"])
    _check_budget(scenario.population.size, scenario.months, history=not args.no_history)
    started = time.perf_counter()
    # Without history.csv nobody reads every person's sub-scores: keep the personas'.
    result = simulate(scenario, subscores="every" if not args.no_history else "tracked")
    metrics = compute_metrics(result)
    try:
        written = write_outputs(result, out, metrics, history=not args.no_history)
    except OSError as exc:
        raise UsageError([f"--out {args.out}: cannot write ({exc.strerror or exc})"]) from None
    if args.seeds > 1:
        written.append(_write_ensemble(scenario, args.seeds, out))
    seconds = time.perf_counter() - started
    final = metrics["final"]
    seeds = (f"seed {scenario.seed}" if args.seeds == 1 else
             f"seeds {scenario.seed}-{scenario.seed + args.seeds - 1}")
    print(f"{scenario.name}: {result.size:,} persons, {result.months} months, {seeds}, "
          f"{seconds:.1f} s")
    print(f"  mean score {read(final, 'mean_score.overall')}, group gap "
          f"{read(final, 'group_gap')}, disparate impact {read(final, 'disparate_impact')}")
    for path in written:
        print(f"  wrote {path}")
    return 0


def _final_of(scenario: Scenario) -> dict[str, Any]:
    """A seed's final-month metrics, as the ensemble pools them."""
    return final_month_metrics(simulate(scenario, subscores="tracked"))


def _write_ensemble(scenario: Scenario, count: int, out: Path) -> Path:
    """ensemble.json: every final number over ``count`` seeds, on both cores."""
    from multiprocessing import get_context

    from scoring.ensemble import ensemble

    workers = max(1, min(2, os.cpu_count() or 1, count))
    _check_budget(scenario.population.size, scenario.months, workers)
    with get_context("fork").Pool(workers) as pool:
        pooled = ensemble(scenario, count, lambda runs: pool.imap(_final_of, list(runs)))
    path = out / "ensemble.json"
    try:
        path.write_text(json.dumps(pooled, indent=1) + "\n", encoding="utf-8")
    except OSError as exc:
        raise UsageError([f"--out {out}: cannot write ({exc.strerror or exc})"]) from None
    return path


def _check_budget(population: int, months: int, runs_at_once: int = 1,
                  history: bool = False) -> None:
    problem = too_big(population, months, runs_at_once, history)
    if problem:
        raise UsageError([problem])


def split_values(text: str) -> list[str]:
    """Split ``V1,V2,...`` on commas outside brackets and quotes."""
    parts, depth, quote, current = [], 0, "", ""
    for ch in text:
        if quote:
            quote = "" if ch == quote else quote
        elif ch in "\"'":
            quote = ch
        elif ch in "[{":
            depth += 1
        elif ch in "]}":
            depth -= 1
        elif ch == "," and depth == 0:
            parts.append(current.strip())
            current = ""
            continue
        current += ch
    parts.append(current.strip())
    return parts


# Final metrics flattened into sweep columns (catalogue keys, scoring.metrics).
SWEEP_COLUMNS = ("mean_score.overall", "group_gap", "true_group_gap", "true_score_gap.overall",
                 "disparate_impact", "lock_in_rate", "gini", "network_sorting",
                 "score_measures_reliability")


def _flat_final(final: dict[str, Any], labels: Sequence[str]) -> dict[str, Any]:
    row: dict[str, Any] = {path.removesuffix(".overall"): read(final, path)
                           for path in SWEEP_COLUMNS}
    for label in labels:
        row[f"mean_score[{label}]"] = read(final, "mean_score", "by_group", label)
        row[f"false_penalties_per_1000[{label}]"] = read(
            final, "false_penalties_by_group", label, "per_1000")
    return row


def _sweep_task(task: tuple[dict[str, Any], Scenario]) -> dict[str, Any]:
    settings, scenario = task
    final = final_month_metrics(simulate(scenario, subscores="tracked"))
    return {**settings, "seed": scenario.seed,
            **_flat_final(final, scenario.population.group_labels)}


def cmd_sweep(args: argparse.Namespace) -> int:
    """Run every combination of the varied settings for several seeds."""
    from multiprocessing import get_context

    from tqdm import tqdm

    base = _resolve(args)
    axes: list[tuple[str, list[Any]]] = []
    problems: list[str] = []
    for text in args.vary:
        path, sep, values = text.partition("=")
        if not sep or not path.strip() or not values.strip():
            problems.append(f"--vary: '{text}' is not PATH=V1,V2,...")
            continue
        try:
            axes.append((path.strip(), [parse_value(v) for v in split_values(values)]))
        except ScenarioError as exc:
            problems.extend(f"--vary {path.strip()}: {p}" for p in exc.problems)
    if problems:
        raise UsageError(problems)
    tasks = []
    for combo in itertools.product(*(values for _, values in axes)):
        settings = {path: value for (path, _), value in zip(axes, combo, strict=True)}
        for k in range(args.seeds):
            changes = {**settings, "seed": (base.seed + k) % 2**32}
            try:
                tasks.append((settings, with_changes(base, changes)))
            except ScenarioError as exc:
                raise UsageError([f"--vary {settings}: {p}" for p in exc.problems]) from None
    out = Path(args.out)
    workers = min(args.workers, len(tasks))
    biggest = max(tasks, key=lambda task: task[1].population.size * task[1].months)[1]
    _check_budget(biggest.population.size, biggest.months, workers)
    rows: list[dict[str, Any]] = []
    with get_context("fork").Pool(workers) as pool, tqdm(
        total=len(tasks), desc="sweep", unit="run", file=sys.stderr
    ) as bar:
        for row in pool.imap(_sweep_task, tasks):
            rows.append(row)
            bar.update()
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        pd.DataFrame(rows).to_csv(out, index=False, lineterminator="\n")
    except OSError as exc:
        raise UsageError([f"--out {args.out}: cannot write ({exc.strerror or exc})"]) from None
    print(f"{len(rows)} runs ({len(tasks) // args.seeds} settings x {args.seeds} seeds) "
          f"on {workers} processes: wrote {out}")
    return 0


def cmd_lessons(args: argparse.Namespace) -> int:
    """List the lessons, or check that every claim they make holds."""
    from scoring import lessons as guide

    folder = Path(args.folder) if args.folder else guide.FOLDER
    if not folder.is_dir():
        raise UsageError([f"--folder {args.folder}: not a folder"])
    try:
        items = guide.lessons(folder)
    except (OSError, ValueError) as exc:  # tomllib's errors are ValueErrors
        raise UsageError([f"a lesson file cannot be read: {exc}"]) from None
    if not items:
        raise UsageError([f"no lesson files (*.toml) in {folder}"])
    if not args.check:
        for item in items:
            claims = sum(len(step.claims) for step in item.steps)
            print(f"{item.key:10} {item.title} ({len(item.steps)} steps, {claims} claims, "
                  f"{item.minutes} min)")
        return 0
    started = time.perf_counter()
    verdicts = guide.check(items, workers=args.workers)
    for v in verdicts:
        print(f"{'ok  ' if v.ok else 'FAIL'} {v.lesson} step {v.step + 1}: {v.claim.says} "
              f"(seed {v.own_seed}: {'holds' if v.holds_on_own_seed else 'does not hold'}; "
              f"over {v.tried} seeds: {v.size()}; "
              f"{'visible' if v.visible else 'faint'})")
    failed = sum(not v.ok for v in verdicts)
    faint = sum(not v.visible for v in verdicts)
    if args.write:
        path = guide.write_pooled(verdicts)
        print(f"wrote {path}")
    print(f"{len(verdicts) - failed} of {len(verdicts)} claims hold (each on its step's seed, "
          f"and pooled over seeds {guide.SEEDS[0]}-{guide.SEEDS[-1]} with a 95% interval "
          f"that excludes no effect); {len(verdicts) - faint} of {len(verdicts)} effects "
          f"visible (at least {guide.VISIBLE:g} seed-to-seed sd); "
          f"{time.perf_counter() - started:.0f} s")
    return 1 if failed else 0


def cmd_compile(args: argparse.Namespace) -> int:
    """Compile the engine's loops now and keep them on disk (make runs this once)."""
    started = time.perf_counter()
    scenario = with_changes(load_preset("baseline"), {
        "population.size": 500, "months": 2, "mechanisms.blacklist": True})
    simulate(scenario)  # every mechanism on: every loop of the month is compiled or loaded
    print(f"the engine's compiled loops are ready ({time.perf_counter() - started:.1f} s)")
    return 0


def cmd_bench(args: argparse.Namespace) -> int:
    """Time the baseline with every mechanism on (median of ``--repeat`` runs).

    Simulation and metrics are timed apart; peak memory is the process's.
    """
    scenario = with_changes(load_preset("baseline"), {
        "population.size": args.population, "months": args.months,
    })
    _check_budget(args.population, args.months)
    runs, metrics_runs = [], []
    for _ in range(args.repeat):
        started = time.perf_counter()
        result = simulate(scenario, subscores=args.subscores)
        runs.append(time.perf_counter() - started)
        started = time.perf_counter()
        compute_metrics(result)
        metrics_runs.append(time.perf_counter() - started)
        del result
    seconds = sorted(runs)[len(runs) // 2]
    metrics_seconds = sorted(metrics_runs)[len(metrics_runs) // 2]
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    report = {
        "population": args.population,
        "months": args.months,
        "subscores": args.subscores,
        "seconds": round(seconds, 3),
        "person_months_per_s": round(args.population * args.months / seconds),
        "peak_rss_mb": round(peak_mb, 1),
        "metrics_seconds": round(metrics_seconds, 3),
        "repeats": [round(s, 3) for s in runs],
    }
    if args.json:
        print(json.dumps(report))
    else:
        print(f"baseline, every mechanism on: {args.population:,} persons x {args.months} "
              f"months in {seconds:.2f} s, median of {args.repeat} "
              f"({report['person_months_per_s']:,} person-months/s); metrics "
              f"{metrics_seconds:.2f} s; peak memory {peak_mb:,.0f} MB")
    return 0


# Tables in docs/ made from the registries, by file and name.
DOC_TABLES = {"model.md": "mechanisms", "metrics.md": "metrics"}


def doc_table(name: str) -> str:
    """The markdown of one generated docs table."""
    from scoring import mechanisms, metrics

    return {"mechanisms": mechanisms.markdown_table, "metrics": metrics.markdown_table}[name]()


def fill_doc_tables(folder: Path) -> list[Path]:
    """Rewrite every generated table in ``folder``; return the files that changed."""
    changed = []
    for file_name, name in DOC_TABLES.items():
        path = folder / file_name
        text = path.read_text(encoding="utf-8")
        pattern = re.compile(rf"(<!-- {name} table:[^\n]*-->\n).*?(<!-- end of {name} table -->)",
                             re.S)
        if not pattern.search(text):
            raise UsageError([f"{path}: no '<!-- {name} table: ... -->' marker"])
        table = doc_table(name)
        new = pattern.sub(lambda m, table=table: m.group(1) + table + m.group(2), text)
        if new != text:
            path.write_text(new, encoding="utf-8")
            changed.append(path)
    return changed


def cmd_docs(args: argparse.Namespace) -> int:
    """Rewrite the docs tables made from the mechanism registry and the metric catalogue."""
    changed = fill_doc_tables(Path(args.folder))
    print("\n".join(f"rewrote {p}" for p in changed) or "docs tables already up to date")
    return 0


def cmd_calibrate(args: argparse.Namespace) -> int:
    """Measure every calibration target over seeds; print, or write docs/calibration.md."""
    from scoring.calibration import markdown

    table = markdown(args.seeds)
    if not args.write:
        print(table, end="")
        return 0
    path = Path(args.folder) / "calibration.md"
    text = path.read_text(encoding="utf-8")
    pattern = re.compile(r"(<!-- calibration table:[^\n]*-->\n).*?(<!-- end of calibration "
                         r"table -->)", re.S)
    if not pattern.search(text):
        raise UsageError([f"{path}: no '<!-- calibration table: ... -->' marker"])
    path.write_text(pattern.sub(lambda m: m.group(1) + table + m.group(2), text),
                    encoding="utf-8")
    print(f"wrote {path}")
    return 0


def build_parser() -> argparse.ArgumentParser:
    """The argument parser of ``python -m scoring``."""
    parser = _Parser(prog="python -m scoring", description="Social Credit Sandbox engine.")
    sub = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)
    sub.add_parser("presets", help="list presets").set_defaults(func=cmd_presets)
    show = sub.add_parser("show", help="print a preset as TOML")
    show.add_argument("name", choices=PRESETS, metavar="NAME")
    show.set_defaults(func=cmd_show)
    validate = sub.add_parser("validate", help="check a scenario file")
    validate.add_argument("file")
    validate.set_defaults(func=cmd_validate)

    population = _int_arg(MIN_POPULATION, MAX_POPULATION, "--population")
    months = _int_arg(1, MAX_MONTHS, "--months")
    run = sub.add_parser("run", help="run a scenario and write its files")
    _add_source(run)
    run.add_argument("--population", type=population, help="number of persons")
    run.add_argument("--months", type=months, help="months to simulate")
    run.add_argument("--seed", type=_int_arg(0, 2**32 - 1, "--seed"), help="random seed")
    run.add_argument("--seeds", type=_int_arg(1, 1000, "--seeds"), default=1,
                     help="also run this many seeds from --seed on and write ensemble.json: "
                     "every final number's mean, sd and 95%% interval")
    run.add_argument("--out", required=True, metavar="DIR", help="folder for the outputs")
    run.add_argument("--no-history", action="store_true",
                     help="skip history.csv (large for big populations)")
    run.set_defaults(func=cmd_run)

    sweep = sub.add_parser("sweep", help="a parameter sweep over settings and seeds")
    _add_source(sweep)
    sweep.add_argument("--vary", action="append", required=True, metavar="PATH=V1,V2,...")
    sweep.add_argument("--seeds", type=_int_arg(1, 1000, "--seeds"), default=3)
    sweep.add_argument("--workers", type=_int_arg(1, 64, "--workers"),
                       default=max(1, min(2, os.cpu_count() or 1)))
    sweep.add_argument("--out", required=True, metavar="FILE.csv")
    sweep.set_defaults(func=cmd_sweep, population=None, months=None, seed=None)

    lessons = sub.add_parser("lessons", help="list the guided lessons, or check their claims")
    lessons.add_argument("--check", action="store_true",
                         help="run every claim on its seed and pool it over 30 seeds; exit 1 "
                         "if one fails")
    lessons.add_argument("--write", action="store_true",
                         help="with --check: write the pooled sizes the app shows "
                         "(scoring/lesson_plans/pooled.json)")
    lessons.add_argument("--folder", metavar="DIR", help="lessons to read (default: the app's)")
    lessons.add_argument("--workers", type=_int_arg(1, 64, "--workers"),
                         default=max(1, min(2, os.cpu_count() or 1)))
    lessons.set_defaults(func=cmd_lessons)

    calibrate = sub.add_parser("calibrate", help="measure the calibration targets over seeds")
    calibrate.add_argument("--seeds", type=_int_arg(2, 200, "--seeds"), default=20)
    calibrate.add_argument("--write", action="store_true",
                           help="write the tables into docs/calibration.md")
    calibrate.add_argument("--folder", default=str(Path(__file__).resolve().parents[1] / "docs"),
                           help="the docs folder (default: the project's)")
    calibrate.set_defaults(func=cmd_calibrate)

    docs = sub.add_parser("docs", help="rewrite the docs tables made from the registries")
    docs.add_argument("--folder", default=str(Path(__file__).resolve().parents[1] / "docs"),
                      help="the docs folder (default: the project's)")
    docs.set_defaults(func=cmd_docs)

    sub.add_parser("compile", help="compile the engine's loops ahead (kept on disk)"
                   ).set_defaults(func=cmd_compile)

    bench = sub.add_parser("bench", help="time the baseline")
    bench.add_argument("--population", type=population, default=100_000)
    bench.add_argument("--months", type=months, default=120)
    bench.add_argument("--repeat", type=_int_arg(1, 20, "--repeat"), default=3,
                       help="runs to time; the median is reported")
    bench.add_argument("--subscores", choices=SUBSCORES, default="every",
                       help="keep every person's sub-scores (as for history.csv, the "
                       "default) or the tracked persons' only (as run --no-history does)")
    bench.add_argument("--json", action="store_true", help="print one JSON line")
    bench.set_defaults(func=cmd_bench)

    from classroom.cli import add_commands  # the class sessions' admin: a front end too

    add_commands(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the exit status."""
    try:
        args = build_parser().parse_args(argv)
        keep_freed_memory()  # one job, then exit: reuse memory month after month
        return args.func(args)
    except UsageError as exc:
        for problem in exc.problems:
            print(f"error: {problem}", file=sys.stderr)
        return EXIT_USAGE
    except ScenarioError as exc:
        for problem in exc.problems:
            print(f"error: {problem}", file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130
    except MemoryError:
        print("error: out of memory: lower --population or --months", file=sys.stderr)
        return 1
