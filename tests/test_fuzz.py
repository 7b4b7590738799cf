"""Fuzzing the three parsers a user can reach: scenario files, ``--set``, share links.

Thousands of generated inputs per run (the counts are in ``EXAMPLES``). Every
one must end in a scenario or in the project's own ``ScenarioError``, whose
sentences are what the user sees; anything else (a KeyError, a RecursionError,
a pydantic error escaping) is a bug.
"""

from __future__ import annotations

import base64
import json
import zlib
from typing import Any

import tomli_w
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from scoring import Scenario, ScenarioError, from_toml, load_preset, with_changes
from scoring.presets import PRESETS
from scoring.scenario import parse_assignment, plain_data
from scoring.sharelink import decode, encode

EXAMPLES = 1500
FUZZ = settings(max_examples=EXAMPLES, deadline=None, database=None,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
BASE = plain_data(load_preset("baseline").model_dump())

# Values TOML can hold, from harmless to hostile.
leaves = st.one_of(
    st.integers(min_value=-(2**63), max_value=2**63 - 1), st.floats(allow_nan=True),
    st.booleans(), st.text(max_size=30),
    st.sampled_from([0, 1, -1, 0.5, 350, 950, 2**31, "", "baseline", "Old Town"]),
)
toml_values = st.recursive(
    leaves,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(
        st.text(min_size=1, max_size=12), inner, max_size=4),
    max_leaves=12,
)


def _paths(data: Any, prefix: tuple = ()) -> list[tuple]:
    """Every path into the scenario's plain data, tables and list items included."""
    found = [prefix] if prefix else []
    if isinstance(data, dict):
        for key, value in data.items():
            found += _paths(value, (*prefix, key))
    elif isinstance(data, list):
        for i, value in enumerate(data):
            found += _paths(value, (*prefix, i))
    return found


PATHS = _paths(BASE)


def _set(data: Any, path: tuple, value: Any) -> Any:
    """A copy of ``data`` with ``value`` at ``path``."""
    copy = json.loads(json.dumps(data))
    target = copy
    for step in path[:-1]:
        target = target[step]
    target[path[-1]] = value
    return copy


def _only_scenario_error(parse, *args) -> Scenario | None:
    try:
        return parse(*args)
    except ScenarioError as exc:
        assert exc.problems and all(isinstance(p, str) and p for p in exc.problems)
        return None


@FUZZ
@given(st.binary(max_size=2000))
def test_scenario_reader_takes_any_bytes(data):
    _only_scenario_error(from_toml, data)


@FUZZ
@given(st.text(max_size=2000))
def test_scenario_reader_takes_any_text(text):
    _only_scenario_error(from_toml, text)


@FUZZ
@given(st.lists(st.tuples(st.sampled_from(PATHS), toml_values), min_size=1, max_size=4),
       st.sampled_from(PRESETS))
def test_scenario_reader_takes_damaged_scenario_files(edits, preset):
    data = plain_data(load_preset(preset).model_dump())
    for path, value in edits:
        try:
            data = _set(data, path, value)
        except (KeyError, IndexError, TypeError):
            continue  # an earlier edit replaced the table this path goes through
    try:
        text = tomli_w.dumps(data)
    except (TypeError, ValueError):
        return  # not expressible as TOML, so no user can upload it
    scenario = _only_scenario_error(from_toml, text)
    if scenario is not None:  # what is accepted must be a whole, valid scenario
        assert Scenario.model_validate_json(scenario.model_dump_json()) == scenario


@FUZZ
@given(st.text(max_size=200))
def test_set_reader_takes_any_text(text):
    try:
        path, value = parse_assignment(text)
    except ScenarioError:
        return
    _only_scenario_error(with_changes, load_preset("baseline"), {path: value})


@FUZZ
@given(st.sampled_from(PATHS), toml_values)
def test_set_takes_any_value_at_any_real_path(path, value):
    dotted = ".".join(str(step) for step in path)
    _only_scenario_error(with_changes, load_preset("baseline"), {dotted: value})


@FUZZ
@given(st.text(max_size=300))
def test_link_decoder_takes_any_text(token):
    _only_scenario_error(decode, token)


VALID_TOKEN = encode(with_changes(load_preset("friends"), {"seed": 11, "months": 36}))


@FUZZ
@given(st.integers(0, len(VALID_TOKEN) - 1), st.integers(0, len(VALID_TOKEN)),
       st.text(alphabet="ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_",
               max_size=3))
def test_link_decoder_takes_damaged_links(start, stop, splice):
    damaged = VALID_TOKEN[:start] + splice + VALID_TOKEN[max(start, stop):]
    _only_scenario_error(decode, damaged)


@FUZZ
@given(st.dictionaries(st.text(max_size=8), toml_values, max_size=4),
       st.one_of(st.integers(-2, 3), st.text(max_size=4), st.none()),
       st.one_of(st.sampled_from(PRESETS), st.text(max_size=8), st.integers()))
def test_link_decoder_takes_well_packed_nonsense(changes, version, preset):
    payload = json.dumps({"v": version, "p": preset, "c": changes}).encode()
    token = base64.urlsafe_b64encode(zlib.compress(payload)).decode().rstrip("=")
    _only_scenario_error(decode, token)
