"""Every chart's text alternative says what the chart shows now, from its data."""

from __future__ import annotations

import pytest

from scoring import compute_metrics, load_preset, simulate, with_changes
from ui import alt, charts


@pytest.fixture(scope="module")
def run():
    scenario = load_preset("baseline")
    result = simulate(scenario)
    return scenario, result, compute_metrics(result)


def test_a_line_chart_says_where_each_line_starts_and_ends(run):
    scenario, _, metrics = run
    labels = list(scenario.population.group_labels)
    fig = charts.group_means(metrics, labels, scenario.score.band_edges)
    sentence = alt.describe(fig)
    end = metrics["by_month"][-1]["mean_score"]["by_group"]
    for label in labels:
        assert f"{label} goes from 600 (month 0) to {end[label]:,.1f} (month 60)" in sentence
    table = alt.numbers(fig)
    assert list(table.columns) == ["month", *labels]
    assert len(table) == 61
    assert table[labels[1]].iloc[-1] == pytest.approx(end[labels[1]], abs=0.01)


def test_the_sentence_follows_the_data_not_a_fixed_caption(run):
    scenario, _, metrics = run
    other = with_changes(scenario, {"seed": 99, "population.size": 1500})
    fig_a = charts.group_means(metrics, list(scenario.population.group_labels),
                               scenario.score.band_edges)
    fig_b = charts.group_means(compute_metrics(simulate(other)),
                               list(scenario.population.group_labels), scenario.score.band_edges)
    assert alt.describe(fig_a) != alt.describe(fig_b)


def test_many_bars_without_a_value_title_say_their_peak_without_a_stray_space():
    import plotly.graph_objects as go

    fig = go.Figure(go.Bar(x=[f"k{i}" for i in range(10)], y=list(range(10)), name="n"))
    fig.update_layout(xaxis_title="kind")
    assert "peaks at kind k9 (9)," in alt.describe(fig)


def test_the_why_waterfall_says_what_took_and_gave_most(run):
    _, result, _ = run
    events = result.events[result.events.person == 0]
    score = int(result.score[-1, 0])
    fig = charts.rule_waterfall(events, 600, result.months, score)
    sentence = alt.describe(fig)
    bar = fig.data[0]
    rules = dict(zip(bar.y[1:-1], bar.x[1:-1], strict=True))
    lowest = min(rules, key=rules.get)
    highest = max(rules, key=rules.get)
    assert sentence.startswith(f"Why is this score {score}?: from the start score 600; ")
    assert f"what took most: {lowest} {rules[lowest]:+.0f}" in sentence
    assert f"what gave most: {highest} {rules[highest]:+.0f}" in sentence
    assert sentence.endswith(f"in month {result.months} the score is {score}.")
    assert alt.numbers(fig).shape[0] == len(bar.y)  # the table still has every bar


def test_a_histogram_names_each_groups_peak(run):
    scenario, result, _ = run
    labels = list(scenario.population.group_labels)
    fig = charts.histogram(result, result.months, labels, scenario.score.band_edges)
    sentence = alt.describe(fig)
    assert all(f"{label} peaks at score" in sentence for label in labels)
    table = alt.numbers(fig)
    assert table[labels[0]].sum() == pytest.approx(100, abs=0.5)  # shares of a group


def test_shaded_ranges_stay_out_of_the_sentence(run):
    scenario, _, metrics = run
    labels = list(scenario.population.group_labels)
    band = {label: ([590.0] * 61, [610.0] * 61) for label in labels}
    fig = charts.group_means(metrics, labels, scenario.score.band_edges, band=band,
                             band_name="4 seeds")
    assert "4 seeds" not in alt.describe(fig)
    assert "4 seeds" not in " ".join(alt.numbers(fig).columns)


def test_the_loop_diagram_lists_its_arrows_and_the_loops_on():
    fig = charts.loop_diagram({"perks"})
    sentence = alt.describe(fig)
    assert "Loops switched on: perks" in sentence
    table = alt.numbers(fig)
    assert {"from", "to", "switched on"} <= set(table.columns)
    assert (table["switched on"] == "no").any() and (table["switched on"] == "yes").any()
    assert "No loop is switched on" in alt.describe(charts.loop_diagram(set()))


def test_a_grid_keeps_its_row_names(run):
    _, _, metrics = run
    final = metrics["final"]["band_mobility"]
    table = alt.numbers(charts.mobility(final["matrix"], final["from_month"], 60))
    assert table.iloc[:, 0].tolist()[0] == "poor"
    assert len(table) == 5


def test_effect_bars_give_mean_and_interval():
    items = [{"label": "The gap grows", "effect": {"mean": 4.0, "lo": 3.0, "hi": 5.0,
                                                   "no_effect": 0.0, "kind": "difference"}}]
    fig = charts.claim_effects(items)
    assert "The gap grows: 4 (95% interval 3 to 5" in alt.describe(fig)
    assert alt.numbers(fig)["95% high"].tolist() == [5.0]


def test_a_persona_line_over_numpy_months_reads_as_a_line(run):
    import pandas as pd

    _, result, _ = run
    fig = charts.trajectory(result, 0, pd.DataFrame(
        columns=["month", "event", "points", "how"]), {})
    sentence = alt.describe(fig)
    assert sentence.startswith("score goes from 600 (month 0) to ")
    assert "peaks" not in sentence
    bars = alt.describe(charts.dimension_bars(result, 0, result.months))
    assert bars.startswith("Points by dimension: Credit history: ") and "value" not in bars


def _laws_map(open_law=None):
    from classroom import policy
    from ui.views.classroom import _policy_figure

    x, y = policy.MEASURES[0], policy.MEASURES[1]
    rows = [{"number": n, "id": 10 + n, "title": f"Law {n}", "why": "", "by": "A",
             "changes": 1, "digest": digest, x.key: gap, y.key: ratio}
            for n, digest, gap, ratio in ((1, "a", 0.5, 1.0), (2, "a", 0.5, 1.0),
                                          (3, "b", 12.0, 0.9))]
    return _policy_figure(rows, x, y, names=False, open_law=open_law)


def test_a_click_on_the_law_map_names_the_law_of_its_point():
    from ui.views.classroom import _clicked

    fig = _laws_map()
    assert list(fig.data[0].customdata) == [11, 13]  # identical laws 1 and 2 share a point
    event = {"selection": {"points": [{"point_index": 1, "customdata": 13}]}}
    assert _clicked(event, {11, 12, 13}) == 13
    assert _clicked({"selection": {"points": [{"customdata": [11]}]}}, {11}) == 11
    assert _clicked(event, {11, 12}) is None  # a law no longer in the session
    assert _clicked({"selection": {"points": []}}, {11}) is None
    assert _clicked(None, {11}) is None


def test_the_open_law_is_marked_by_more_than_colour_and_a_click_fades_nothing():
    fig = _laws_map(open_law=13)
    trace = fig.data[0]
    assert list(trace.text) == ["1, 2", "3 (open)"]
    assert trace.marker.size[1] > trace.marker.size[0]
    assert trace.unselected.marker.opacity == 1 and trace.unselected.textfont.color
    projected = alt.for_projector(fig)
    assert projected.data[0].unselected.textfont.color == "#000000"


def test_the_dark_themes_white_lines_turn_black_on_the_projectors_white():
    import plotly.graph_objects as go

    fig = go.Figure(go.Scatter(x=[0, 1], y=[1, 2], line={"color": "#FFFFFF"},
                               marker={"color": "#ffffff"}))
    fig.add_scatter(x=[0, 1], y=[2, 3], line={"color": "#0072B2"})
    projected = alt.for_projector(fig)
    assert projected.data[0].line.color == "#000000"
    assert projected.data[0].marker.color == "#000000"
    assert projected.data[1].line.color == "#0072B2"  # a group's colour is kept
