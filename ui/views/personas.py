"""Personas: named people, their stories, their trajectories and their twins."""

from __future__ import annotations

import streamlit as st

from scoring.constants import BAND_NAMES, DIMENSION_LABELS
from scoring.counterfactual import twin_label
from scoring.metrics import bands
from ui import alt, charts
from ui.runs import Run
from ui.text import escape, how_to_read

AGE_WORDS = {"young": "under 30", "adult": "30 to 64", "senior": "65 or over"}
ROUTINE = {"bill_on_time", "salary_on_platform", "memory_fades", "friends"}


def describe(run: Run, row: int) -> str:
    """One line: district, group, age, habits (user text escaped)."""
    spec = run.result.population.personas[row]
    scenario = run.scenario
    district = scenario.districts[spec.district % len(scenario.districts)].name
    group = scenario.population.group_labels[0 if spec.group == "majority" else 1]
    habits = [word for word, on in (("parent", spec.parent), ("gamer", spec.gamer),
                                     ("driver", spec.driver)) if on]
    parts = [district, f"{group} group", AGE_WORDS[spec.age_band],
             f"income {spec.income:.1f} x median", f"pays {spec.platform_use:.0%} by platform",
             *habits]
    return escape(" · ".join(parts))


def band_of(run: Run, score: int) -> str:
    """Band name of a score."""
    return BAND_NAMES[int(bands(score, run.scenario.score.band_edges))]


def cards(run: Run) -> None:
    """A card per persona with the story and the final score."""
    personas = run.result.population.personas
    cols = st.columns(3)
    for row, spec in enumerate(personas):
        score = int(run.result.score[-1, row])
        with cols[row % 3].container(border=True):
            st.markdown(f"**{escape(spec.name)}** — {score} ({band_of(run, score)})")
            st.caption(describe(run, row))
            st.text(spec.story)


def follow(run: Run, key: str, row: int) -> None:
    """Trajectory, event log, breakdown and twins of one persona."""
    result = run.result
    pop = result.population
    spec = pop.personas[row]
    events = result.events[result.events.person == row]
    twins = {twin_label(result, pop.twin_change[t - pop.size]): t for t in pop.twin_rows(row)}
    st.subheader(escape(spec.name))
    st.caption(describe(run, row))
    chosen = st.multiselect(
        "Show the same person's twin", list(twins), default=list(twins)[:1],
        key=f"twins:{key}", help="The same person, with the same luck and the same friends, "
        "living in another district or belonging to the other group.")
    alt.show(charts.trajectory(result, row, events, {c: twins[c] for c in chosen}),
             f"trajectory-{spec.key}", key=f"traj:{key}")
    how_to_read("Thick line: the recorded score. Green: the true-behaviour score, the same rules "
                "applied to everything this person truly did. Dotted: a twin. Hover a month "
                "to see the events behind it; the biggest changes are labelled.")
    final = int(result.score[-1, row])
    for label, twin_row in twins.items():
        if label in chosen:
            diff = int(result.score[-1, twin_row]) - final
            st.markdown(f"Living {escape(label)}, the same life ends at "
                        f"**{int(result.score[-1, twin_row])}** ({diff:+d}).")
    month = st.slider("Explain the score in month", 0, result.months, result.months,
                      key=f"explain:{key}")
    score = int(result.score[month, row])
    left, right = st.columns(2)
    with left:
        alt.show(charts.rule_waterfall(events, run.scenario.score.start_score, month, score),
                 f"why-{spec.key}", key=f"why:{key}")
        how_to_read("From the start score, every rule's points up to this month (the "
                    "number beside each name), then friends, fading memory and the 350-950 "
                    "limits, add up to the score (within rounding). Each rule's points are "
                    "added over all the months before fading memory takes its share back, "
                    "so the bars can run far below the score on the way.")
    with right:
        alt.show(charts.dimension_bars(result, row, month), f"dimensions-{spec.key}",
                 key=f"dims:{key}")
        how_to_read("Points each of the five dimensions has added to or taken from the start "
                    "score: which dimension moved.")
    routine = st.toggle("Show routine entries (bills on time, salary, friends, fading)",
                        False, key=f"routine:{key}")
    table = events if routine else events[~events.event.isin(ROUTINE)]
    st.dataframe(
        table.assign(event=table.event.map(charts.label_of),
                     dimension=table.dimension.map(
                         lambda d: DIMENSION_LABELS.get(d, "all dimensions")))[
            ["month", "event", "points", "dimension", "how"]],
        hide_index=True, width="stretch",
        column_config={"points": st.column_config.NumberColumn(format="%+.1f")},
    )


def render(run: Run) -> None:
    """Draw the personas view."""
    st.header("Personas: the people behind the numbers")
    personas = run.result.population.personas
    keys = [p.key for p in personas]
    names = {p.key: p.name for p in personas}
    choice = st.selectbox("Follow", keys, format_func=names.get, key="who",
                          bind="query-params", help="Pick a persona to follow.")
    follow(run, choice, keys.index(choice))
    with st.expander("Everyone in the cast", expanded=False):
        cards(run)
