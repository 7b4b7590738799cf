"""The registry is the one list of mechanisms: everything derived from it agrees."""

from __future__ import annotations

import math
import re
from pathlib import Path

import pytest

from scoring import load_preset
from scoring.counterfactual import all_loops_off, loop_off
from scoring.mechanisms import (
    CORE_EDGES,
    LOOP_KEYS,
    MECHANISMS_BY_KEY,
    REGISTRY,
    Mechanism,
    diagram_edges,
    markdown_table,
)
from scoring.metrics import CATALOGUE, read
from scoring.metrics import markdown_table as metrics_table
from scoring.presets import PRESETS
from scoring.scenario import Mechanisms, Scenario

DOCS = Path(__file__).resolve().parents[1] / "docs"


def test_every_registered_mechanism_is_a_scenario_switch_in_registry_order():
    assert list(Mechanisms.model_fields) == [m.key for m in REGISTRY]
    defaults = Mechanisms()
    assert {m.key: getattr(defaults, m.key) for m in REGISTRY} == {
        m.key: m.default for m in REGISTRY}


@pytest.mark.parametrize("mechanism", [m for m in REGISTRY if m.settings],
                         ids=lambda m: m.key)
def test_a_mechanisms_settings_are_fields_of_its_scenario_table(mechanism):
    table = Scenario.model_fields[mechanism.section].annotation
    for name, field in mechanism.settings.model_fields.items():
        assert name in table.model_fields, f"{mechanism.section}.{name}"
        assert table.model_fields[name].default == field.default


def test_settings_tables_keep_their_validation():
    with pytest.raises(ValueError, match="false_match_multiplier for the minority"):
        Scenario.model_validate({"surveillance": {"false_match_multiplier": [1.0, 500.0]}})


def test_control_switches_every_mechanism_off():
    control = load_preset("control")
    assert not any(getattr(control.mechanisms, m.key) for m in REGISTRY)


# The laws' presets: the baseline world with a law's principles on.
LAW_PRESETS = ("gdpr", "ai_act", "gdpr_and_ai_act")


@pytest.mark.parametrize("name", [p for p in PRESETS
                                  if p not in ("baseline", "control", *LAW_PRESETS)])
def test_each_one_mechanism_preset_switches_on_what_it_is_about(name):
    on = [m.key for m in REGISTRY if getattr(load_preset(name).mechanisms, m.key)]
    assert on, f"preset {name} switches nothing on"
    assert len(on) <= 3


@pytest.mark.parametrize("name", LAW_PRESETS)
def test_each_law_preset_is_the_baseline_with_legal_principles_on(name):
    law, baseline = load_preset(name), load_preset("baseline")
    changed = {m.key for m in REGISTRY
               if getattr(law.mechanisms, m.key) != getattr(baseline.mechanisms, m.key)}
    assert changed and all(MECHANISMS_BY_KEY[k].kind == "law" for k in changed)
    assert law.rules == baseline.rules and law.districts == baseline.districts


def test_loop_off_and_all_loops_off_follow_the_registry():
    baseline = load_preset("baseline")
    for key in LOOP_KEYS:
        off = loop_off(baseline, key)
        changed = [m.key for m in REGISTRY
                   if getattr(off.mechanisms, m.key) != getattr(baseline.mechanisms, m.key)]
        assert changed == ([key] if getattr(baseline.mechanisms, key) else [])
    none_left = all_loops_off(baseline)
    assert not any(getattr(none_left.mechanisms, k) for k in LOOP_KEYS)
    kept = [m.key for m in REGISTRY if not m.is_loop]
    assert all(getattr(none_left.mechanisms, k) == getattr(baseline.mechanisms, k)
               for k in kept)
    with pytest.raises(KeyError, match="unknown mechanism"):
        loop_off(baseline, "blacklists")


def test_the_diagram_draws_every_loop_and_lays_out_every_box():
    from ui.charts import diagram_layout

    edges = diagram_edges()
    owners = {key for _, keys in edges for key in keys}
    assert set(LOOP_KEYS) <= owners
    places = diagram_layout(edges)
    boxes = {n for e, _ in edges for n in (e.source, e.target)}
    assert set(places) == boxes
    for a in places:
        for b in places:
            if a < b:
                distance = math.dist(places[a], places[b])
                assert distance > 1.2, f"{a} and {b} overlap ({distance:.2f})"
    # Boxes on one ellipse cannot avoid every crossing here (Score has six
    # neighbours), but the layout must do far better than the registry's order.
    from ui.charts import _crossings_and_hits

    pairs = list(dict.fromkeys(tuple(sorted((e.source, e.target))) for e, _ in edges))
    crossings, hits = _crossings_and_hits(list(places), pairs)
    naive = _crossings_and_hits(list(dict.fromkeys(n for p in pairs for n in p)), pairs)
    assert crossings + hits <= 4 < sum(naive)
    assert all((e.source, e.target) in {(x.source, x.target) for x, _ in edges}
               for e in CORE_EDGES)


def test_a_mechanism_refuses_a_point_of_the_month_that_does_not_exist():
    with pytest.raises(ValueError, match="unknown points"):
        Mechanism(key="x", title="X", kind="loop", provenance="hypothetical",
                  description="", source="", at={"breakfast": print})


def _block(path: Path, name: str) -> str:
    text = path.read_text(encoding="utf-8")
    found = re.search(rf"<!-- {name} table:.*?-->\n(.*?)<!-- end of {name} table -->", text,
                      re.S)
    assert found, f"no {name} table in {path.name}"
    return found.group(1)


def test_the_model_docs_table_is_the_registry():
    assert _block(DOCS / "model.md", "mechanisms") == markdown_table(), \
        "docs/model.md is behind the registry: run python -m scoring docs"


def test_the_metrics_docs_table_is_the_catalogue():
    assert _block(DOCS / "metrics.md", "metrics") == metrics_table(), \
        "docs/metrics.md is behind the catalogue: run python -m scoring docs"


def test_the_docs_command_rewrites_a_stale_table(tmp_path):
    from scoring.cli import main

    for name in ("model.md", "metrics.md"):
        (tmp_path / name).write_text((DOCS / name).read_text(encoding="utf-8"))
    stale = (tmp_path / "model.md").read_text().replace("| `cameras` |", "| `camerass` |")
    (tmp_path / "model.md").write_text(stale)
    assert main(["docs", "--folder", str(tmp_path)]) == 0
    assert _block(tmp_path / "model.md", "mechanisms") == markdown_table()


def test_every_mechanism_says_where_it_comes_from():
    for m in REGISTRY:
        assert m.description and m.source and m.title
        assert m.provenance in ("operator", "press", "alleged", "hypothetical", "law")
        # A legal principle names its law, its article and when it applies.
        assert (m.kind == "law") == (m.provenance == "law")
        if m.kind == "law":
            assert "Regulation (EU)" in m.source and "art." in m.source
            assert any(year in m.source for year in ("2018", "2024", "2025"))


def test_reading_an_unknown_metric_or_part_raises(run_scenario):
    from conftest import small

    _, metrics = run_scenario(small("control", months=12))
    final = metrics["final"]
    assert read(final, "mean_score.by_group.minority") == read(
        final, "mean_score", "by_group", "minority")
    with pytest.raises(KeyError, match="no metric 'group_gpa'"):
        read(final, "group_gpa")
    with pytest.raises(KeyError, match="has no part 'minorty'"):
        read(final, "mean_score.by_group.minorty")
    assert set(CATALOGUE) <= set(final)
