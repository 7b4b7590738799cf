"""Bias: every bias metric over time, each with how to read it."""

from __future__ import annotations

import streamlit as st

from scoring.metrics import FOUR_FIFTHS, read
from ui import alt, charts
from ui.runs import Run
from ui.spread import Spread
from ui.text import how_to_read, number
from ui.theme import district_colours, group_colours, ink


def _chart(fig, name: str, reading: str) -> None:
    alt.show(fig, name, key=name)
    how_to_read(reading)


# Harm at thresholds: (metric, label) of each ratio shown as a headline.
HARMS = (("listed_share", "Listing-rate ratio"),
         ("wrongly_listed_share", "Wrongly listed /1,000"),
         ("denied_loan_share", "Refused a loan, ratio"), ("perk_share", "Holding a perk, ratio"))


def _thresholds(run: Run, labels: list[str], spread: Spread | None) -> None:
    """Who crosses a line: the ratios between the groups, then who is listed."""
    st.subheader("Harm at thresholds")
    cols = st.columns(len(HARMS))
    for col, (key, label) in zip(cols, HARMS, strict=True):
        value = read(run.final, key)
        if key == "wrongly_listed_share":
            per_1000 = None if value["overall"] is None else 1000 * value["overall"]
            col.metric(label, number(per_1000, 1),
                       help="People per 1,000 who are on the list although their "
                       "true-behaviour score was above the threshold when they were listed.")
            if spread is not None:
                col.caption(spread.words(f"{key}.overall", 1, scale=1000))
            continue
        shares = value["by_group"]
        col.metric(label, number(value["ratio"], 2),
                   help=f"{labels[1]}'s share over the {labels[0]}'s: "
                   f"{number(shares[labels[1]], 3)} / {number(shares[labels[0]], 3)}. "
                   "1 = treated alike.")
        if spread is not None:
            col.caption(spread.words(f"{key}.ratio", 2))
    _chart(charts.line(run.metrics, ("listed_share", "by_group"),
                       "On the dishonest-persons list", "share of the group", labels=labels,
                       colours=group_colours(labels)),
           "listed", "Share of each group on the list each month. A gap of a few points in "
           "mean scores becomes a ratio here: compare the two lines.")


def render(run: Run, spread: Spread | None = None) -> None:
    """Draw the bias view."""
    scenario, metrics = run.scenario, run.metrics
    labels = list(scenario.population.group_labels)
    colours = group_colours(labels)
    districts = [d.name for d in scenario.districts]
    st.header("Bias: who the score sees, and how wrongly")
    if scenario.population.minority_reliability_shift:
        st.warning("In this scenario the groups do not behave alike (minority reliability "
                   f"shifted by {scenario.population.minority_reliability_shift:+.2f}): part "
                   "of any gap comes from behaviour, not from the system.")
    else:
        st.info("Both groups behave alike in this world (the same distribution of true "
                "reliability, thrift and civic spirit), so every gap below is made by the "
                "system.")
    _thresholds(run, labels, spread)
    left, right = st.columns(2)
    with left:
        gap = charts.line(metrics, ("group_gap",), "Group gap", "points", line_at=0)
        gap.update_traces(name="recorded-score gap", showlegend=True, selector=0)
        gap.add_scatter(x=[m["month"] for m in metrics["by_month"]],
                        y=charts.series(metrics, "true_group_gap"), name="true-behaviour gap",
                        mode="lines", line={"width": 3, "dash": "dot", "color": ink()})
        _chart(gap, "group-gap", f"Mean score of the {labels[0]} minus the {labels[1]}. "
               "Dotted: the same gap in true-behaviour scores. The distance between them is "
               "what observation and consequences add.")
        _chart(charts.line(metrics, ("disparate_impact",), "Disparate impact of perks",
                           "ratio", line_at=FOUR_FIFTHS, line_text="four-fifths line"),
               "disparate-impact", f"The {labels[1]}'s share with perks over the "
               f"{labels[0]}'s. Below the dashed 0.8 line, perks fail the four-fifths rule.")
        _chart(charts.line(metrics, ("lock_in_rate",), "Lock-in", "share"),
               "lock-in", "Of those in the poor band twelve months earlier, the share still "
               "there. Starts after month 12.")
        _chart(charts.line(metrics, ("network_sorting",), "Network sorting by score",
                           "correlation"),
               "sorting", "Correlation of scores between friends: 0 mixed, 1 everyone's "
               "friends score like them.")
    with right:
        _chart(charts.line(metrics, ("true_score_gap", "by_group"),
                           "Recorded minus true-behaviour score", "points", labels=labels,
                           colours=colours, line_at=0),
               "true-gap", "Above 0 the score flatters a group, below 0 it punishes more than "
               "its behaviour deserves.")
        wrong = charts.line(metrics, ("false_penalties_by_group",), "Wrong matches per 1,000",
                            "per 1,000 people")
        wrong.data = ()
        months = [m["month"] for m in metrics["by_month"]]
        for label in labels:
            wrong.add_scatter(x=months, y=[m[label]["per_1000"] for m in
                                           charts.series(metrics, "false_penalties_by_group")],
                              name=label, mode="lines", line={"width": 4, "color": colours[label]})
        _chart(wrong, "false-penalties", "Camera offences pinned on the wrong person since "
               "month 0, per 1,000 people of each group (after appeals).")
        _chart(charts.line(metrics, ("gini",), "Inequality (Gini)", "Gini"), "gini",
               "Inequality of points above 350: 0 when everyone is equal.")
        _chart(charts.line(metrics, ("camera_share_by_district",), "Where the cameras are",
                           "share of cameras", labels=districts,
                           colours=district_colours(districts)),
               "cameras", "Share of the camera capacity in each district. With cameras "
               "following the records, watch whether it runs away.")
    final = run.final["band_mobility"]
    _chart(charts.mobility(final["matrix"], final["from_month"], run.result.months),
           "mobility", "Each row: people in a band a year ago; each cell: where they are now. "
           "The diagonal stayed; right of it moved up.")
