"""The bad-input catalogue (docs/robustness.md): every row is a test here.

Each case names what a user does and the words they then see. For the app the
test also checks that the session keeps the scenario it had (a seed changed to
42 beforehand) and that nothing raised; for the command line, exit status 2 and
one ``error:`` line per problem, never a traceback.
"""

from __future__ import annotations

import base64
import json
import re
import subprocess
import sys
import zlib
from dataclasses import dataclass
from pathlib import Path

import pytest
from test_app import metric, start

from scoring import compute_metrics, load_preset, simulate, with_changes
from scoring.budget import too_big
from scoring.events import EVENTS
from scoring.sharelink import encode
from ui.site import PAGES as SITE

ROOT = Path(__file__).resolve().parent.parent
DOC = ROOT / "docs" / "robustness.md"
# Every page that runs the panel's scenario.
PAGES = [p.key for p in SITE if p.key != "lessons"]


@dataclass(frozen=True)
class Case:
    """One row of the catalogue: what the user gives and a part of what they see."""

    id: str
    given: object
    shown: str


def _pack(payload: object) -> str:
    raw = payload if isinstance(payload, bytes) else json.dumps(payload).encode()
    return base64.urlsafe_b64encode(zlib.compress(raw)).decode().rstrip("=")


GOOD_TOKEN = encode(with_changes(load_preset("cameras"), {"seed": 3}), "cameras")

UPLOADS = [
    Case("upload-not-toml", b"population: 5000\nmonths: 60\n", "not valid TOML"),
    Case("upload-binary", bytes(range(256)) * 8, "the file is not text (not UTF-8)"),
    Case("upload-image", b"\x89PNG\r\n\x1a\n" + bytes(500), "the file is not text (not UTF-8)"),
    Case("upload-empty", b"", "the file is empty"),
    Case("upload-blank", b"\n\n   \n", "the file is empty"),
    Case("upload-huge", b"# padding\n" * 30_000, "a scenario file is at most 200,000 bytes"),
    Case("upload-malformed", b"[population\nsize = 3000\n", "not valid TOML"),
    Case("upload-wrong-type", b'months = "sixty"\n', "months = 'sixty': must be a whole number"),
    Case("upload-out-of-range", b"months = 0\n", "months = 0: must be between 1 and 240"),
    Case("upload-not-finite", b"[surveillance]\nfalse_match_rate = nan\n",
         "surveillance.false_match_rate = nan: must be a finite number"),
    Case("upload-unknown-key", b"[surveillance]\nfalse_match_rat = 0.2\n",
         "did you mean 'false_match_rate'"),
    Case("upload-unknown-rule", b"[rules.smoking]\npoints = -5\n",
         "rules.smoking: unknown key"),
    Case("upload-deep-nesting", b"a = " + b"[" * 3000 + b"]" * 3000 + b"\n",
         "not valid TOML: nested too deeply"),
    Case("upload-deep-tables", b"[" + b".".join([b"x"] * 2000) + b"]\ny = 1\n",
         "x: unknown key"),
    Case("upload-shares-wrong", b"[[districts]]\nname = 'Only'\npopulation_share = 0.5\n",
         "population_share"),
    Case("upload-unknown-purpose", b'[law]\npurpose = "marketing"\n',
         "law.purpose = 'marketing': must be one of 'creditworthiness' or 'rentals'"),
    Case("upload-retention-too-short", b"[law]\nretention_months = 1\n",
         "law.retention_months = 1: must be between 5 and 120"),
    Case("upload-unknown-context",
         b'[[consequences.perks]]\nthreshold = 600\nname = "A perk"\ncontext = "moon"\n',
         "context = 'moon': must be one of 'credit', 'travel', 'jobs', 'visas' or 'other'"),
    Case("upload-too-big-for-app", b"months = 240\n[population]\nsize = 100000\n",
         "the app runs 500 to 20,000 persons"),
]

LINKS = [
    Case("link-garbage", "not-a-scenario", "the link is damaged"),
    Case("link-truncated", GOOD_TOKEN[:-6], "the link is cut short"),
    Case("link-tampered", GOOD_TOKEN[:12] + ("A" if GOOD_TOKEN[12] != "A" else "B")
         + GOOD_TOKEN[13:], "the link is damaged"),
    Case("link-too-long", "A" * 9000, "the link is too long (9,000 characters"),
    Case("link-not-compressed", base64.urlsafe_b64encode(b"hello").decode(),
         "the link is damaged"),
    Case("link-not-json", _pack(b"hello"), "the link is damaged"),
    Case("link-no-scenario", _pack([1, 2, 3]), "the link is damaged: it holds no scenario"),
    Case("link-unknown-version", _pack({"v": 99, "p": "baseline", "c": {}}),
         "the link uses format version 99"),
    Case("link-unknown-preset", _pack({"v": 1, "p": "utopia", "c": {}}),
         "the link names an unknown preset 'utopia'"),
    Case("link-invalid-setting", _pack({"v": 1, "p": "baseline", "c": {"months": -3}}),
         "months = -3: must be between 1 and 240"),
    Case("link-unknown-setting", _pack({"v": 1, "p": "baseline", "c": {"score.decy": 0.1}}),
         "did you mean 'decay'"),
    Case("link-zip-bomb", _pack(b"{" + b" " * 3_000_000 + b"}"),
         "the link expands to too much data"),
    Case("link-over-app-limit", encode(with_changes(load_preset("baseline"), {
        "population.size": 20_000, "months": 120})), "lower the population or the months"),
]

BASE = load_preset("baseline")
_ALL_ZERO = {
    **{f"rules.{e.key}.points": 0 for e in EVENTS},
    "network.peer_weight": 0.0, "network.homophily": 0.0, "network.exclusion_rate": 0.0,
    "score.decay": 0.0, "surveillance.false_match_rate": 0.0,
    "surveillance.algorithm_quality": 0.0, "surveillance.adaptive_rate": 0.0,
    "surveillance.appeal_rate": 0.0, "gaming.window": 0, "gaming.propensity": 0.0,
    **{f"districts.{i}.camera_coverage": 0.0 for i in range(4)},
    **{f"districts.{i}.platform_share": 0.0 for i in range(4)},
}
_ALL_MAX = {
    **{f"rules.{e.key}.points": 300 if BASE.rules.get(e.key).points > 0 else -300
       for e in EVENTS},
    "network.peer_weight": 1.0, "network.homophily": 1.0, "network.exclusion_rate": 1.0,
    "network.exclusion_threshold": 940, "score.decay": 0.5, "score.monthly_cap": 600,
    "surveillance.false_match_rate": 0.5, "surveillance.false_match_multiplier": [100.0, 100.0],
    "surveillance.senior_false_match_multiplier": 20.0, "surveillance.algorithm_quality": 1.0,
    "surveillance.adaptive_rate": 1.0, "surveillance.appeal_rate": 1.0,
    "gaming.window": 300, "gaming.propensity": 1.0,
    "population.minority_reliability_shift": 0.3, "lending.approval_threshold": 950,
    **{f"districts.{i}.camera_coverage": 1.0 for i in range(4)},
    **{f"districts.{i}.street_activity": 5.0 for i in range(4)},
    **{f"districts.{i}.platform_share": 1.0 for i in range(4)},
}
EXTREMES = [
    Case("controls-largest-population", {"population.size": 20_000, "months": 60}, ""),
    Case("controls-longest-run", {"population.size": 10_000, "months": 120}, ""),
    Case("controls-smallest", {"population.size": 500, "months": 12}, ""),
    Case("controls-all-zero", _ALL_ZERO, ""),
    Case("controls-all-maximum", _ALL_MAX, ""),
    Case("controls-all-mechanisms-off", {"preset": "control"}, ""),
    Case("controls-strictest-law", {"preset": "gdpr_and_ai_act", "law.purpose": "rentals",
                                    "law.retention_months": 5, "law.consent_share": 0.0}, ""),
]

CLI = [
    Case("cli-unknown-preset", ["run", "--preset", "nope", "--out", "x"], "invalid choice"),
    Case("cli-population-too-small", ["run", "--preset", "baseline", "--population", "5",
                                      "--out", "x"], "--population must be between 100"),
    Case("cli-months-not-a-number", ["run", "--preset", "baseline", "--months", "ten",
                                     "--out", "x"], "must be a whole number"),
    Case("cli-set-out-of-range", ["run", "--preset", "baseline", "--set", "score.decay=2",
                                  "--out", "x"], "score.decay = 2: must be between 0.0 and 0.5"),
    Case("cli-set-unknown-path", ["run", "--preset", "baseline", "--set", "scor.decay=0.1",
                                  "--out", "x"], "did you mean 'score'"),
    Case("cli-set-no-equals", ["run", "--preset", "baseline", "--set", "nothing",
                               "--out", "x"], "is not PATH=VALUE"),
    Case("cli-set-bad-value", ["run", "--preset", "baseline", "--set", "months=[1,",
                               "--out", "x"], "is not a TOML value"),
    Case("cli-missing-file", ["run", "--scenario", "/no/such/file.toml", "--out", "x"],
         "cannot read"),
    Case("cli-validate-missing-file", ["validate", "/no/such/file.toml"], "cannot read"),
    Case("cli-vary-no-values", ["sweep", "--preset", "baseline", "--vary", "months",
                                "--out", "x.csv"], "is not PATH=V1,V2"),
    Case("cli-negative-population", ["bench", "--population", "-1"],
         "--population must be between"),
    Case("cli-no-command", [], "required"),
    Case("cli-unknown-command", ["frobnicate"], "invalid choice"),
    Case("cli-over-memory", ["run", "--preset", "baseline", "--population", "2000000",
                             "--months", "240", "--out", "x"], "lower --population or --months"),
]


def _ids(cases: list[Case]) -> list[str]:
    return [case.id for case in cases]


@pytest.fixture(scope="module")
def kept():
    """The scenario a session holds before the bad input: baseline with seed 42."""
    return compute_metrics(simulate(with_changes(load_preset("baseline"), {"seed": 42})))["final"]


def _session_with_seed_42():
    at = start()
    at.number_input(key="v0:seed").set_value(42).run()
    return at


def _assert_kept(at, kept) -> None:
    assert not at.exception, at.exception
    assert metric(at, "Group gap") == f"{kept['group_gap']:.1f}"
    assert [n.value for n in at.number_input if n.label == "Seed"] == [42]


@pytest.mark.parametrize("case", UPLOADS, ids=_ids(UPLOADS))
def test_bad_upload_shows_what_is_wrong_and_keeps_the_scenario(case, kept):
    at = _session_with_seed_42()
    at.get("file_uploader")[0].upload("mine.toml", case.given, "application/toml").run()
    messages = " ".join(e.value for e in at.error)
    assert "The file 'mine.toml' was not loaded, so the current scenario stays" in messages
    assert case.shown in messages, messages
    _assert_kept(at, kept)


@pytest.mark.parametrize("case", LINKS, ids=_ids(LINKS))
def test_bad_link_shows_what_is_wrong_and_keeps_the_scenario(case, kept):
    at = _session_with_seed_42()
    at.query_params["s"] = case.given  # the same tab opens the bad link
    at.run()
    messages = " ".join(e.value for e in at.error)
    assert "This link could not be opened, so the current scenario stays" in messages
    assert case.shown in messages, messages
    _assert_kept(at, kept)


def test_a_good_link_still_opens_after_a_bad_one():
    at = start(s="not-a-scenario")
    assert at.error
    at.query_params["s"] = GOOD_TOKEN
    at.run()
    assert not at.error and not at.exception
    assert [s.value for s in at.selectbox if s.label == "Preset"] == ["cameras"]


@pytest.mark.parametrize("case", EXTREMES, ids=_ids(EXTREMES))
def test_extreme_allowed_controls_draw_every_view(case):
    preset = case.given.get("preset", "baseline")
    changes = {k: v for k, v in case.given.items() if k != "preset"}
    scenario = with_changes(load_preset(preset), changes)
    at = start(s=encode(scenario))
    assert not at.error, [e.value for e in at.error]
    for page in PAGES:
        at.switch_page(f"ui/pages/{page}.py").run()
        assert not at.exception, (page, at.exception)
        assert not at.error, (page, [e.value for e in at.error])
        for shown in at.metric:
            assert shown.value and "nan" not in shown.value.lower(), (page, shown.label)


@pytest.mark.parametrize("case", CLI, ids=_ids(CLI))
def test_bad_command_line_gives_exit_2_and_one_line_per_problem(case, tmp_path):
    done = subprocess.run([sys.executable, "-m", "scoring", *case.given], capture_output=True,
                          text=True, cwd=tmp_path, timeout=120)
    assert done.returncode == 2, done.stderr
    assert "Traceback" not in done.stderr
    lines = done.stderr.strip().splitlines()
    assert lines and all(line.startswith("error: ") for line in lines)
    assert case.shown in done.stderr


def test_memory_refusal_names_what_to_lower():
    assert too_big(1_000, 12, available=8 * 2**30) is None
    message = too_big(2_000_000, 240, runs_at_once=2, history=True, available=8 * 2**30)
    assert "lower --population or --months or --workers, or add --no-history" in message


def test_the_catalogue_document_lists_every_case():
    documented = set(re.findall(r"^\| `([a-z0-9-]+)` \|", DOC.read_text(), flags=re.MULTILINE))
    cases = {case.id for group in (UPLOADS, LINKS, EXTREMES, CLI) for case in group}
    assert documented == cases, (sorted(cases - documented), sorted(documented - cases))
