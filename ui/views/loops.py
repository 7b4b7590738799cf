"""Feedback loops: each loop's own effect, and a diagram of the loops."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from scoring.law import lawful
from scoring.mechanisms import LOOP_KEYS, MECHANISMS_BY_KEY, REGISTRY
from scoring.metrics import read
from ui import alt, charts, present
from ui.runs import Run, without
from ui.text import how_to_read

METRICS = (
    ("group_gap", "Group gap", "points"),
    ("mean_score.overall", "Mean score", "points"),
    ("gini", "Gini x 100", "Gini x 100"),
    ("lock_in_rate", "Lock-in (%)", "percentage points"),
)


def loop_effects(run: Run) -> list[dict]:
    """For each loop that is on: metrics with it on minus with it off (same seed)."""
    rows = []
    running = lawful(run.scenario).mechanisms  # a loop the law switched off has no effect
    for key in LOOP_KEYS:
        if not getattr(running, key):
            continue
        twin = without(run.scenario, key)
        row = {"key": key, "loop": MECHANISMS_BY_KEY[key].title}
        for path, _, _ in METRICS:
            on = read(run.final, *path.split("."))
            off = read(twin.final, *path.split("."))
            scale = 100 if path in ("gini", "lock_in_rate") else 1
            row[path] = None if on is None or off is None else (on - off) * scale
        rows.append(row)
    return rows


def render(run: Run) -> None:
    """Draw the feedback loops view."""
    st.header("Feedback loops: when the score changes what it then measures")
    # What runs: every mechanism on (sources of bias draw arrows too), as the law allows.
    running = lawful(run.scenario).mechanisms
    diagram = charts.loop_diagram({m.key for m in REGISTRY if getattr(running, m.key)})
    # Where the page is narrower than the diagram (a phone, a small window), the
    # arrows are listed instead (the style sheet shows one or the other).
    with st.container(key="loop-view"):
        with st.container(key="loop-diagram"):
            # On a projector the type is larger: the whole diagram grows with it.
            alt.show(diagram, "feedback-loops", key="diagram", height=round(
                charts.DIAGRAM_HEIGHT * alt.PROJECTOR_SMALLEST / charts.LABEL_FONT))
        with st.container(key="loop-list"):
            st.table(pd.DataFrame([{"From": r["from"], "To": r["to"],
                                    "Arrow": r["arrow"] or "–", "On": r["switched on"]}
                                   for r in diagram.layout.meta["table"]]),
                     hide_index=True, border="horizontal")
            st.caption("On a wider screen (or with the panel closed) these arrows are drawn "
                       "as a diagram.")
    active = {k for k in LOOP_KEYS if getattr(running, k)}
    how_to_read("Grey arrows are always there: behaviour is recorded, records make the score, "
                "hardship shapes behaviour. Orange arrows are the loops switched on in this "
                f"scenario; pale ones are off. Switch loops in {present.panel_words()}.")
    if not active:
        st.info("Every feedback loop is off in this scenario. Switch one on in the panel on "
                "the left to see its effect.")
        return
    rows = loop_effects(run)
    metric = st.radio("Effect on", [m[0] for m in METRICS], horizontal=True,
                      format_func=dict((m[0], m[1]) for m in METRICS).get, key="loop_metric")
    unit = dict((m[0], m[2]) for m in METRICS)[metric]
    shown = [{"loop": r["loop"], "effect": r[metric]} for r in rows if r[metric] is not None]
    alt.show(charts.effects(shown, unit, "Each loop's own effect"), f"loop-effects-{metric}",
             key="effects")
    how_to_read("Each bar compares this run with its twin that has only that loop switched "
                "off (same people, same luck). Plain purple bars: the loop raises the measure; "
                "hatched green bars: it lowers it. Loops also act together, so the bars need "
                "not add up.")
    for row in rows:
        mechanism = MECHANISMS_BY_KEY[row["key"]]
        with st.expander(f"{mechanism.title}: how it works"):
            st.markdown(mechanism.description)
            st.caption(f"Source: {mechanism.source}")
