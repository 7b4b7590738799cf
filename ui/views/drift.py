"""Drift: the score distribution month by month and the headline numbers."""

from __future__ import annotations

import streamlit as st

from scoring.metrics import metric, read
from ui import alt, charts, present
from ui.runs import Run
from ui.spread import SEEDS, Spread
from ui.text import how_to_read, number

# Headline metrics (catalogue paths, scoring.metrics), each with its label where the
# catalogue's own would not say which part is shown; then what the arrow compares.
HEADLINES: tuple[tuple[str, str | None], ...] = (
    ("mean_score.overall", None), ("group_gap", None),
    ("listed_share.ratio", "Listing-rate ratio"), ("disparate_impact", None),
    ("lock_in_rate", None),
)
RATIO_HELP = ("How many times as often the minority is on the dishonest-persons list as the "
              "majority: a small gap in means becomes a large gap at the threshold.")
ARROW = "Arrow: change against the same seed with every loop off."


def headline(run: Run, twin: Run, spread: Spread | None = None) -> None:
    """Headline numbers with their change against the every-loop-off twin.

    With a spread, each number also says how far it moves over other seeds.
    """
    cols = st.columns(len(HEADLINES) + 1)
    for col, (path, own_label) in zip(cols, HEADLINES, strict=False):
        entry = metric(path.split(".")[0])
        label, digits, help_text = entry.label, entry.digits, f"{entry.reading} {ARROW}"
        if own_label:
            label, digits, help_text = own_label, 2, f"{RATIO_HELP} {ARROW}"
        value, before = read(run.final, path), read(twin.final, path)
        delta = None if value is None or before is None else round(value - before, digits)
        col.metric(label, number(value, digits), delta=None if delta is None else
                   f"{delta:+.{digits}f} vs loops off", delta_color="off", help=help_text)
        if spread is not None:
            col.caption(spread.words(path, digits))
    wrong = run.final["false_penalties_by_group"]
    labels = run.scenario.population.group_labels
    cols[-1].metric(f"Wrong matches /1,000: {labels[1]} / {labels[0]}",
                    f"{number(wrong[labels[1]]['per_1000'], 0)} / "
                    f"{number(wrong[labels[0]]['per_1000'], 0)}",
                    help=f"Camera offences pinned on the wrong person, per 1,000 people: "
                    f"{labels[1]} / {labels[0]}.")


def render(run: Run, twin: Run, spread: Spread | None = None) -> None:
    """Draw the drift view."""
    scenario = run.scenario
    labels = list(scenario.population.group_labels)
    edges = scenario.score.band_edges
    st.header("Drift: how scores move, month by month")
    st.markdown(
        f"**{scenario.population.size:,} people** live in {len(scenario.districts)} districts "
        f"for **{scenario.months} months**. Everyone starts at "
        f"{scenario.score.start_score}. Change a rule or switch a mechanism in "
        f"{present.panel_words()} and watch the population drift.")
    headline(run, twin, spread)
    month = st.slider("Month", 0, run.result.months, run.result.months, key="drift_month",
                      help="Drag to scrub through the months.")
    left, right = st.columns(2)
    with left:
        alt.show(charts.histogram(run.result, month, labels, edges), f"scores-month-{month}",
                 key="hist")
        how_to_read("Each bar is the share of a group with a score in that 10-point range; "
                    "the shaded bands are poor to excellent.")
    with right:
        band = spread.band("by_group", labels) if spread else None
        alt.show(charts.group_means(run.metrics, labels, edges, twin=twin.metrics,
                                    band=band, band_name=f"{SEEDS} seeds"),
                 "mean-by-group", key="groups")
        how_to_read("Solid lines: this run. Dotted: the same people and luck with every "
                    "feedback loop off. The gap between the dotted and solid lines is what "
                    f"the loops add. Shaded: lowest to highest over {SEEDS} seeds (the people "
                    "drawn anew): a gap wider than the shading is not luck.")
    names = [d.name for d in scenario.districts]
    alt.show(charts.district_means(
        run.metrics, names, edges, band=spread.band("by_district", names) if spread else None,
        band_name=f"{SEEDS} seeds"), "mean-by-district", key="districts")
    how_to_read("Districts differ in camera coverage and in how much people pay through the "
                f"platform, not in how people behave. Shaded: lowest to highest over {SEEDS} "
                "seeds.")
