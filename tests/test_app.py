"""The app as a user meets it, through Streamlit's AppTest: every view, every control kind."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from scoring import compute_metrics, load_preset, simulate, to_toml, with_changes
from scoring.sharelink import encode
from ui.controls import SECTIONS, rule_changes, table_changes
from ui.site import PAGES as SITE

APP = str(Path(__file__).resolve().parent.parent / "app.py")
PAGES = [p.key for p in SITE]


def start(open_sections: bool = True, **query: str) -> AppTest:
    """The app's first run; by default with every folding section of the panel open."""
    at = AppTest.from_file(APP, default_timeout=120)
    for key, value in query.items():
        at.query_params[key] = value
    if open_sections:
        for _, key, _, _ in SECTIONS:
            at.session_state[f"section-{key}"] = True
        at.session_state["section-share"] = True
    return at.run()


def metric(at: AppTest, label: str) -> str:
    return next(m.value for m in at.metric if m.label == label)


def final_of(scenario):
    return compute_metrics(simulate(scenario))["final"]


@pytest.fixture(scope="module")
def baseline_final():
    return final_of(load_preset("baseline"))


def test_first_view_shows_the_engines_numbers(baseline_final):
    at = start()
    assert not at.exception
    assert metric(at, "Group gap") == f"{baseline_final['group_gap']:.1f}"
    assert metric(at, "Mean score") == f"{baseline_final['mean_score']['overall']:.0f}"
    assert metric(at, "Disparate impact") == f"{baseline_final['disparate_impact']:.2f}"


def test_drift_and_bias_show_the_listing_ratio_and_the_spread_over_seeds(baseline_final):
    from scoring.ensemble import seeds_of
    from ui.spread import SEEDS

    at = start()
    assert metric(at, "Listing-rate ratio") == f"{baseline_final['listed_share']['ratio']:.2f}"
    # Each headline says its range over the seeds, and the range is the seeds' own.
    scenario = load_preset("baseline")
    gaps = [final_of(with_changes(scenario, {"seed": seed}))["group_gap"]
            for seed in seeds_of(scenario, SEEDS)]
    captions = [c.value for c in at.caption]
    assert f"{SEEDS} seeds: {min(gaps):.1f} to {max(gaps):.1f}" in captions
    # The group and district charts shade every line's range over the seeds.
    charts = {c.key: json.loads(c.proto.spec) for c in at.get("plotly_chart")}
    for key, names in (("groups", scenario.population.group_labels),
                       ("districts", [d.name for d in scenario.districts])):
        shaded = [t["name"] for t in charts[key]["data"] if t.get("fill") == "toself"]
        assert shaded == [f"{name}, {SEEDS} seeds" for name in names]
        # Each line has its own mark as well as its colour (not colour alone).
        marks = [t["marker"]["symbol"] for t in charts[key]["data"]
                 if t.get("mode") == "lines+markers" and t["name"] in names]
        assert len(marks) == len(names) == len(set(marks))
    at.switch_page("ui/pages/bias.py").run()
    assert not at.exception
    assert metric(at, "Listing-rate ratio") == f"{baseline_final['listed_share']['ratio']:.2f}"
    assert any(c.value.startswith(f"{SEEDS} seeds: ") for c in at.caption)
    # The group-gap chart's legend names both of its lines.
    gap = next(json.loads(c.proto.spec) for c in at.get("plotly_chart") if c.key == "group-gap")
    assert [t["name"] for t in gap["data"] if t.get("showlegend", True)] == [
        "recorded-score gap", "true-behaviour gap"]


def test_closed_sections_are_built_only_when_opened():
    at = start(open_sections=False)
    assert not at.get("file_uploader") and not at.data_editor
    assert at.toggle, "the mechanism switches are open at first"
    at.session_state["section-files"] = True
    at.run()
    assert len(at.get("file_uploader")) == 1
    assert not at.exception


# Charts each view draws at first (the lessons list and the rule table have none).
CHARTS = {"drift": 3, "lessons": 0, "personas": 3, "rules": 0, "bias": 9, "loops": 2,
          "compare": 1, "regulation": 1, "class": 0, "build": 0, "about": 0}


@pytest.mark.parametrize("page", PAGES)
def test_every_view_draws_its_own_page_and_charts(page):
    at = start()
    at.switch_page(f"ui/pages/{page}.py").run()
    assert not at.exception, at.exception
    assert not at.error
    heading = at.header[0].value
    assert heading.startswith("Drift") == (page == "drift"), heading
    charts = at.get("plotly_chart")
    assert len(charts) >= CHARTS[page]
    # Every chart has its text alternative: the sentence as its label and under it,
    # and its numbers as a table.
    sentences = [c.value for c in at.caption if c.value.startswith("**In words:**")]
    assert len(sentences) == len(charts)
    assert all(c.proto.alt for c in charts) if charts else True
    assert len(at.table) >= len(charts)


def test_slider_changes_the_run():
    at = start()
    at.slider(key="v0:population.size").set_value(2000).run()
    assert not at.exception
    expected = final_of(with_changes(load_preset("baseline"), {"population.size": 2000}))
    assert metric(at, "Group gap") == f"{expected['group_gap']:.1f}"


def test_number_input_changes_the_seed():
    at = start()
    at.number_input(key="v0:seed").set_value(99).run()
    expected = final_of(with_changes(load_preset("baseline"), {"seed": 99}))
    assert metric(at, "Group gap") == f"{expected['group_gap']:.1f}"


def test_toggle_switches_a_mechanism_off():
    at = start()
    at.toggle(key="v0:mechanisms.face_match_errors").set_value(False).run()
    expected = final_of(with_changes(load_preset("baseline"),
                                     {"mechanisms.face_match_errors": False}))
    assert metric(at, "Group gap") == f"{expected['group_gap']:.1f}"
    assert metric(at, "Wrong matches /1,000: minority / majority") == "0 / 0"


def test_selectbox_loads_a_preset_and_reset_brings_it_back():
    at = start()
    at.selectbox(key="v0:preset").set_value("control").run()
    control = final_of(load_preset("control"))
    assert metric(at, "Group gap") == f"{control['group_gap']:.1f}"
    at.slider(key="v1:months").set_value(24).run()
    assert metric(at, "Group gap") != f"{control['group_gap']:.1f}"
    at.button[0].click().run()  # Reset to preset
    assert metric(at, "Group gap") == f"{control['group_gap']:.1f}"


def test_bad_upload_shows_the_problem_and_keeps_the_scenario(baseline_final):
    at = start()
    uploader = at.get("file_uploader")[0]
    uploader.upload("broken.toml", b"months = 0\n[surveillance]\nfalse_match_rat = 1\n",
                    "application/toml").run()
    messages = " ".join(e.value for e in at.error)
    assert "broken.toml" in messages and "months = 0" in messages
    assert "did you mean 'false_match_rate'" in messages
    # The message stands under the file box in the panel, not at the top of the page.
    assert "broken.toml" in " ".join(e.value for e in at.sidebar.error)
    assert "broken.toml" not in " ".join(e.value for e in at.main.error)
    assert metric(at, "Group gap") == f"{baseline_final['group_gap']:.1f}"


def test_good_upload_replaces_the_scenario():
    scenario = with_changes(load_preset("cameras"), {"population.size": 1500, "seed": 3})
    at = start()
    at.get("file_uploader")[0].upload("mine.toml", to_toml(scenario).encode(),
                                      "application/toml").run()
    assert not at.error
    assert metric(at, "Group gap") == f"{final_of(scenario)['group_gap']:.1f}"


def test_shared_link_reproduces_the_run():
    scenario = with_changes(load_preset("face_matching"), {"population.size": 1500,
                                                            "rules.jaywalking.points": -40})
    at = start(s=encode(scenario))
    assert not at.exception and not at.error
    assert metric(at, "Group gap") == f"{final_of(scenario)['group_gap']:.1f}"


@pytest.mark.parametrize("token", ["garbage", "eNoLSS0uAQAEvgHF", "A" * 9000])
def test_damaged_link_shows_a_message_and_the_default_run(token, baseline_final):
    at = start(s=token)
    assert not at.exception
    assert at.error and "could not be opened" in at.error[0].value
    assert metric(at, "Group gap") == f"{baseline_final['group_gap']:.1f}"


def test_too_large_a_run_is_refused_with_what_to_lower():
    scenario = with_changes(load_preset("baseline"), {"population.size": 20000,
                                                       "months": 120})
    at = start(s=encode(scenario))
    assert "lower the population or the months" in at.error[0].value


def test_rule_table_shows_the_rules():
    at = start()
    table = at.data_editor[0].value
    assert "Late bill payment: -30" in table["Rule"].tolist()
    assert table.loc[table.Rule == "Late bill payment: -30", "Points"].item() == -30


def test_rule_table_edits_become_scenario_changes():
    edits = {1: {"Points": -80}, 6: {"Dimension": "Identity traits"}}
    assert rule_changes(edits) == {"rules.bill_late.points": -80,
                                   "rules.diapers_bought.dimension": "identity"}
    assert table_changes({2: {"Cameras": 0.1, "District": "x"}}, "districts",
                         {"Cameras": "camera_coverage"}) == {
        "districts.2.camera_coverage": 0.1}


def test_personas_view_follows_the_chosen_persona():
    at = start()
    at.switch_page("ui/pages/personas.py").run()
    at.selectbox(key="who").set_value("zhou_teacher").run()
    assert not at.exception
    assert any("Mr Zhou" in s.value for s in at.subheader)


def test_loops_view_shows_each_loops_effect_on_the_chosen_measure():
    import json

    from scoring.counterfactual import loop_off
    from scoring.mechanisms import LOOP_KEYS, MECHANISMS_BY_KEY

    at = start()
    at.switch_page("ui/pages/loops.py").run()
    at.radio(key="loop_metric").set_value("gini").run()
    assert not at.exception
    figure = json.loads(at.get("plotly_chart")[1].proto.spec)
    bars = {y: x for trace in figure["data"] for x, y in zip(trace["x"], trace["y"],
                                                            strict=True)}
    baseline = load_preset("baseline")
    on = final_of(baseline)["gini"]
    for key in LOOP_KEYS:
        if getattr(baseline.mechanisms, key):
            expected = 100 * (on - final_of(loop_off(baseline, key))["gini"])
            assert bars[MECHANISMS_BY_KEY[key].title] == pytest.approx(expected, abs=1e-6)
    # Raising and lowering bars are told apart by more than colour, and by no group's colour.
    from ui.theme import GROUP_COLOURS
    trace = figure["data"][0]
    colours = trace["marker"]["color"]
    assert not set(colours) & set(GROUP_COLOURS)
    hatch = trace["marker"]["pattern"]["shape"]
    assert all((x < 0) == (h == "/") for x, h in zip(trace["x"], hatch, strict=True))


def test_build_a_persona_adds_them_to_the_run():
    at = start()
    at.switch_page("ui/pages/build.py").run()
    at.text_input[0].set_value("Ana, bus driver")
    at.multiselect[0].set_value(["driver"])
    at.button(key="FormSubmitter:build-Add to the world").click().run()
    assert not at.exception
    assert any("Ana, bus driver" in s.value for s in at.subheader)


def test_compare_lists_rule_differences():
    from scoring.sharelink import changes_from
    from ui.views.compare import SAME_FOR_BOTH, same_people

    at = start()
    at.switch_page("ui/pages/compare.py").run()
    at.selectbox(key="compare_b").set_value("cameras").run()
    assert not at.exception
    baseline = load_preset("baseline")
    b = same_people("cameras", baseline.seed, baseline.months, baseline.population.size)
    differ = [k for k in changes_from(baseline, b) if k not in SAME_FOR_BOTH]
    assert differ and "mechanisms.face_match_errors" in differ
    assert any(s.value == f"How the rules differ ({len(differ)} settings)" for s in at.subheader)
    listed = next(d.value for d in at.dataframe if "Setting" in d.value.columns)
    # In plain words, not dotted keys: "Wrong face matches (mechanism)", on / off.
    from ui.words import setting_words
    assert sorted(listed["Setting"]) == sorted(setting_words(baseline, k) for k in differ)
    assert not any("." in name or "_" in name for name in listed["Setting"])
    row = listed[listed["Setting"] == "Wrong face matches (mechanism)"].iloc[0]
    assert (row["A"], row["B"]) == ("on", "off")


def test_loop_diagram_marks_the_active_loops():
    from scoring.mechanisms import diagram_edges
    from ui.charts import ACTIVE, loop_diagram

    edges = diagram_edges()
    figure = loop_diagram({"gaming"})
    arrows = [a for a in figure.layout.annotations if a.showarrow]
    assert len(arrows) == len(edges)
    active = [a for a, (_, owners) in zip(arrows, edges, strict=True) if a.arrowcolor == ACTIVE]
    assert len(active) == sum(1 for _, owners in edges if "gaming" in owners) == 2


def test_an_error_in_a_view_shows_a_message_not_a_traceback(monkeypatch):
    at = start()
    at.switch_page("ui/pages/bias.py")
    monkeypatch.setattr("ui.views.bias.render", lambda run, spread: 1 / 0)
    at.run()
    assert not at.exception
    assert any("Something went wrong drawing this page" in e.value for e in at.error)


def test_idle_server_drops_cached_runs_and_workers():
    from ui import runs

    scenario = with_changes(load_preset("control"), {"population.size": 600, "months": 12})
    store = runs.STORE
    first = store.run(scenario)
    assert store.pool is not None
    assert store.tidy_if_idle() is False, "a run was just asked for"
    store.last_asked -= runs.IDLE_SECONDS + 1
    assert store.tidy_if_idle() is True
    assert store.pool is None and not store.runs
    again = store.run(scenario)  # simulated afresh on a new pool: the same run
    assert store.pool is not None
    assert again.final == first.final


@pytest.mark.parametrize("page", ["drift", "personas", "bias", "loops", "compare", "lessons"])
def test_a_rerun_validates_no_scenario_again(page, monkeypatch):
    """The session keeps its frozen scenario; twins and presets are derived once."""
    from scoring.scenario import Scenario

    at = start()
    if page != "drift":
        at.switch_page(f"ui/pages/{page}.py").run()
    calls: list[str] = []
    for name in ("model_validate", "model_validate_json"):
        real = getattr(Scenario, name)
        monkeypatch.setattr(Scenario, name, classmethod(
            lambda cls, *args, real=real, name=name, **kw: (calls.append(name),
                                                             real(*args, **kw))[1]))
    at.run()
    assert not at.exception
    assert calls == []


def test_every_lesson_view_is_a_page():
    from scoring.lessons import VIEWS
    from ui.site import PAGE_BY_KEY

    assert set(VIEWS) <= set(PAGE_BY_KEY)


def test_presenter_mode_does_not_point_at_the_hidden_panel():
    at = start(present="1")
    assert not at.exception
    shown = " ".join(m.value for m in at.markdown)
    assert "panel on the left" not in shown
    assert "switch presenter mode off" in shown
    assert "panel on the left" in " ".join(m.value for m in start().markdown)


def test_the_why_waterfall_labels_every_bar_with_its_own_signed_points():
    from ui.charts import rule_waterfall

    result = simulate(with_changes(load_preset("baseline"), {"population.size": 2000}))
    events = result.events[result.events.person == 0]
    month = result.months
    score = int(result.score[month, 0])
    fig = rule_waterfall(events, 600, month, score)
    bar, axis = fig.data[0], fig.layout.yaxis
    # Each bar's number stands beside its name on the axis, where no edge clips it
    # and no name runs into it; the data keep the plain names.
    assert bar.textinfo == "none" and list(axis.tickvals) == list(bar.y)
    assert axis.ticktext[0] == "start  600" and axis.ticktext[-1] == f"month {month}  {score}"
    # Every rule's bar says its own points with their sign ("-40", never "0" or "40").
    for name, value, tick in zip(bar.y[1:-1], bar.x[1:-1], axis.ticktext[1:-1], strict=True):
        assert tick == f"{name}  {value:+.0f}" and tick.split()[-1][0] in "+-"


def test_points_by_dimension_say_each_dimensions_signed_points_beside_its_name():
    from ui.charts import dimension_bars

    result = simulate(with_changes(load_preset("baseline"), {"population.size": 2000}))
    fig = dimension_bars(result, 0, result.months)
    bar, axis = fig.data[0], fig.layout.yaxis
    assert bar.textposition == "none" and list(axis.tickvals) == list(bar.y)
    for name, value, tick in zip(bar.y, bar.x, axis.ticktext, strict=True):
        assert tick == f"{name}  {value:+d}"


def test_downloads_offer_a_monthly_summary_and_a_compressed_history():
    import gzip

    from scoring.export import history_csv_gz, history_frame, monthly_summary

    result = simulate(with_changes(load_preset("baseline"), {"population.size": 500,
                                                             "months": 12}))
    metrics = compute_metrics(result)
    packed = history_csv_gz(result)
    plain = history_frame(result).to_csv(index=False).encode()
    assert gzip.decompress(packed) == plain and len(packed) < len(plain) / 3
    assert history_csv_gz(result) == packed, "the same file every time"
    summary = monthly_summary(metrics)
    assert len(summary) == 13 and summary["month"].tolist() == list(range(13))
    assert summary["group_gap"].iloc[-1] == pytest.approx(metrics["final"]["group_gap"])
    at = start()
    labels = [b.proto.label for b in at.get("download_button")]
    assert {"Summary by month (CSV)", "Every person, every month (CSV, gzip)",
            "Metrics (JSON)"} <= set(labels)


def test_a_path_typed_wrong_finds_the_nearest_page_by_path_or_name():
    from ui.site import nearest_page

    assert nearest_page("persona") == "personas"
    assert nearest_page("Feedback-loops".replace("-", " ")) == "loops"
    assert nearest_page("regulations") == "regulation"
    assert nearest_page("lesson") == "lessons"
    assert nearest_page("zzzz") is None and nearest_page("") is None
