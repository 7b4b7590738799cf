"""The scenario: validation, messages, TOML round trip, derived copies."""

from __future__ import annotations

import pytest
from pydantic import BaseModel, ValidationError

from scoring import ScenarioError, from_dict, from_toml, load_preset, to_toml, with_changes
from scoring.presets import PRESETS
from scoring.scenario import Scenario, parse_assignment, parse_value, to_dict


def problems_of(call) -> list[str]:
    with pytest.raises(ScenarioError) as caught:
        call()
    return caught.value.problems


def _tables(model, path="scenario"):
    """Every settings model in the scenario's tree, with its path."""
    yield path, model
    for name, field in model.model_fields.items():
        for candidate in (field.annotation, *getattr(field.annotation, "__args__", ())):
            if isinstance(candidate, type) and issubclass(candidate, BaseModel):
                yield from _tables(candidate, f"{path}.{name}")


def test_every_table_of_the_scenario_is_frozen_and_refuses_unknown_keys():
    tables = dict(_tables(Scenario))
    assert {"scenario.surveillance", "scenario.blacklist", "scenario.mechanisms",
            "scenario.consequences.perks"} <= set(tables)
    for path, model in tables.items():
        assert model.model_config.get("frozen") is True, path
        assert model.model_config.get("extra") == "forbid", path
    scenario = Scenario()
    with pytest.raises(ValidationError):
        scenario.surveillance.appeal_rate = 0.9  # type: ignore[misc]


def test_out_of_range_names_path_value_and_range():
    change = {"surveillance.algorithm_quality": 1.5}
    [problem] = problems_of(lambda: with_changes(Scenario(), change))
    assert problem == "surveillance.algorithm_quality = 1.5: must be between 0.0 and 1.0"


def test_every_problem_is_listed():
    found = problems_of(lambda: from_dict({"months": 0, "seed": -1, "population": {"size": 5}}))
    assert len(found) == 3
    assert any(p.startswith("months = 0") for p in found)
    assert any(p.startswith("population.size = 5: must be between 100") for p in found)


def test_unknown_key_gets_did_you_mean_hint():
    [problem] = problems_of(lambda: from_dict({"surveillance": {"false_match_rat": 0.1}}))
    assert problem == "surveillance.false_match_rat: unknown key; did you mean 'false_match_rate'?"


def test_unknown_top_level_key_lists_close_match():
    [problem] = problems_of(lambda: from_dict({"mechanism": {}}))
    assert "did you mean 'mechanisms'" in problem


def test_wrong_type_is_named():
    [problem] = problems_of(lambda: from_dict({"mechanisms": {"gaming": "yes"}}))
    assert problem == "mechanisms.gaming = 'yes': must be true or false"


def test_shares_must_add_up():
    found = problems_of(lambda: from_dict({"population": {"age_shares": {"young": 0.5}}}))
    assert "age shares must add up to 1" in found[0]
    assert found[0].startswith("population.age_shares")


def test_band_edges_must_increase():
    change = {"score.band_edges": [600, 550, 650, 700]}
    found = problems_of(lambda: with_changes(Scenario(), change))
    assert "band edges must increase" in found[0]


def test_persona_district_must_exist():
    persona = {"key": "me", "name": "Me", "district": 6}
    found = problems_of(lambda: from_dict({"personas": [persona]}))
    assert "personas.0.district = 6: there are only 4 districts" in found[0]


def test_unknown_format_version_is_refused():
    found = problems_of(lambda: from_dict({"format_version": 99}))
    assert "format_version 99 is not known" in found[0]


def test_nan_and_infinity_are_refused():
    found = problems_of(lambda: from_toml("[behaviour]\nbill_late_base = nan\n"))
    assert found[0].startswith("behaviour.bill_late_base")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (b"\xff\xfe\x00binary", "not text"),
        ("", "empty"),
        ("months = ", "not valid TOML"),
        ("a" * 300_000, "at most"),
        ("[x]\n" + "[x.y]\n" * 2, "not valid TOML"),
    ],
)
def test_unreadable_files_get_one_clear_message(text, expected):
    found = problems_of(lambda: from_toml(text))
    assert expected in found[0]


@pytest.mark.parametrize("name", PRESETS)
def test_toml_round_trip_is_exact(name):
    scenario = load_preset(name)
    text = to_toml(scenario)
    again = from_toml(text)
    assert again == scenario
    assert to_toml(again) == text


def test_with_changes_leaves_the_original_alone():
    scenario = load_preset("baseline")
    before = to_dict(scenario)
    changed = with_changes(scenario, {"districts.2.camera_coverage": 0.1, "months": 12})
    assert to_dict(scenario) == before
    assert changed.districts[2].camera_coverage == 0.1
    assert changed.months == 12


def test_with_changes_unknown_path_gets_hint():
    found = problems_of(lambda: with_changes(Scenario(), {"surveilance.appeal_rate": 0.1}))
    assert "did you mean 'surveillance'" in found[0]


def test_with_changes_bad_list_index():
    found = problems_of(lambda: with_changes(Scenario(), {"districts.9.camera_coverage": 0.1}))
    assert "not an index of a list of 4" in found[0]


@pytest.mark.parametrize(
    ("text", "value"),
    [("0.2", 0.2), ("true", True), ("[1.0, 10.0]", [1.0, 10.0]), ('"Old Town"', "Old Town"),
     ("Test", "Test"), ("7", 7)],
)
def test_values_are_read_as_toml(text, value):
    assert parse_value(text) == value


def test_assignment_needs_an_equals_sign():
    found = problems_of(lambda: parse_assignment("months"))
    assert "is not PATH=VALUE" in found[0]
