"""Regulation: what the GDPR and the EU AI Act would change, one principle at a time.

The session's world (its people, seed and rules) runs without the law, under
each law, under each principle alone, and under the principles the student
switches on here, all on the same seeds; every harm is shown with its mean and
its range over the seeds. The law is the model's reading, not legal advice.
"""

from __future__ import annotations

from statistics import mean
from typing import Any

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from scoring.ensemble import seeds_of
from scoring.law import what_the_law_changes
from scoring.mechanisms import MECHANISMS_BY_KEY
from scoring.metrics import read
from scoring.regulation import (
    ARTICLES,
    HARMS,
    LAWS,
    PER_1000,
    PRINCIPLES,
    in_words,
    principle_alone,
    title,
    under,
    with_principles,
    without_the_law,
)
from scoring.scenario import Scenario
from ui import alt, state
from ui.runs import finals
from ui.spread import SEEDS
from ui.text import escape, how_to_read
from ui.theme import style


def _seeded(scenario: Scenario) -> list[Scenario]:
    return [scenario.model_copy(update={"seed": seed}) for seed in seeds_of(scenario, SEEDS)]


def harm_values(runs: list[dict[str, Any]], path: str) -> list[float] | None:
    """A harm's value on each seed (None if it is not defined on every seed)."""
    values = [read(final, path) for final in runs]
    scale = 1000.0 if path in PER_1000 else 1.0
    return None if any(v is None for v in values) else [float(v) * scale for v in values]


def _harm(value: float, way: str) -> float:
    """How much harm a value is: its distance from no harm."""
    return {"towards 0": abs(value), "towards 1": abs(value - 1.0), "lower": value,
            "higher": 1.0 - value}[way]


def removed(base: list[float] | None, other: list[float] | None, way: str) -> float | None:
    """The share of a harm that goes (negative: it grows), from the seeds' means."""
    if base is None or other is None:
        return None
    before = _harm(mean(base), way)
    if before <= 1e-9:
        return None
    return (before - _harm(mean(other), way)) / before


def cell(values: list[float] | None, digits: int, path: str = "") -> str:
    """Mean, with the lowest and highest seed: "12.8 (10.4 to 16.2)".

    Undefined on some seed: "no list" for the listing ratio when nobody is
    listed (the list is off), else a dash.
    """
    if values is None:
        return "no list" if path.startswith("listed_share") else "–"
    return f"{mean(values):.{digits}f} ({min(values):.{digits}f} to {max(values):.{digits}f})"


def _worlds(scenario: Scenario, chosen: list[str]) -> dict[str, Scenario]:
    worlds = {"No law": without_the_law(scenario)}
    worlds |= {label: under(scenario, key) for key, label in LAWS.items()}
    worlds |= {f"alone:{key}": principle_alone(scenario, key) for key in PRINCIPLES}
    worlds["Your law"] = with_principles(scenario, chosen)
    return worlds


def _run_all(worlds: dict[str, Scenario]) -> dict[str, list[dict[str, Any]]]:
    names = list(worlds)
    flat = [s for name in names for s in _seeded(worlds[name])]
    done = finals(flat)
    return {name: done[i * SEEDS:(i + 1) * SEEDS] for i, name in enumerate(names)}


def _laws_table(runs: dict[str, list[dict[str, Any]]]) -> pd.DataFrame:
    columns = ["No law", *LAWS.values()]
    return pd.DataFrame([{"Harm": label, "Less harm is": way,
                          **{c: cell(harm_values(runs[c], path), digits, path)
                             for c in columns}}
                         for path, label, digits, way in HARMS])


def removed_chart(runs: dict[str, list[dict[str, Any]]]) -> go.Figure:
    """Rows: each principle alone; columns: harms; cell: the share of the harm it removes."""
    rows = [title(k) for k in PRINCIPLES]
    cols = [label for _, label, _, _ in HARMS]
    z, text = [], []
    for key in PRINCIPLES:
        line, words = [], []
        for path, _, _, way in HARMS:
            share = removed(harm_values(runs["No law"], path),
                            harm_values(runs[f"alone:{key}"], path), way)
            line.append(None if share is None else max(-1.0, min(1.0, share)) * 100)
            words.append("–" if share is None else f"{share:+.0%}")
        z.append(line)
        text.append(words)
    fig = go.Figure(go.Heatmap(
        z=z, x=cols, y=rows, text=text, texttemplate="%{text}", zmin=-100, zmax=100,
        colorscale=[[0, "#762A83"], [0.5, "#F7F7F7"], [1, "#1B7837"]],
        colorbar={"title": "% of the harm removed"},
        hovertemplate="%{y}<br>%{x}: %{text} of the harm removed<extra></extra>"))
    fig.update_yaxes(autorange="reversed")
    fig.update_xaxes(tickangle=-30)
    fig = style(fig, None, x_title=None, height=520)
    fig.update_layout(margin={"l": 10, "r": 10, "t": 20, "b": 140})
    best = []
    for j, (_, label, _, _) in enumerate(HARMS):
        scored = [(z[i][j], rows[i]) for i in range(len(rows)) if z[i][j] is not None]
        value, name = max(scored) if scored else (0, "")
        best.append(f"{label}: {name}, {value:+.0f}%" if value > 0.5
                    else f"{label}: no principle alone lowers it")
    fig.update_layout(meta={
        "alt": f"Share of each harm one principle alone removes, mean of {SEEDS} seeds; the "
               "principle that removes most of each: " + "; ".join(best) + ".",
        "table": [{"Principle": rows[i], **{cols[j]: text[i][j] for j in range(len(cols))}}
                  for i in range(len(rows))]})
    return fig


def _chosen() -> list[str]:
    st.markdown("Switch principles on over the same world (no law to begin with):")
    chosen = []
    columns = st.columns(2)  # one per law, so a phone keeps each law's principles together
    columns[0].markdown("**GDPR**")
    columns[1].markdown("**EU AI Act**")
    for key in PRINCIPLES:
        principle = MECHANISMS_BY_KEY[key]
        box = columns[0] if ARTICLES[key].startswith("GDPR") else columns[1]
        if box.toggle(title(key), key=f"regulation-{key}",
                      help=f"{principle.description} {principle.source}"):
            chosen.append(key)
    return chosen


def _your_law(runs: dict[str, list[dict[str, Any]]], scenario: Scenario,
              chosen: list[str]) -> None:
    rows = []
    for path, label, digits, way in HARMS:
        base, yours = harm_values(runs["No law"], path), harm_values(runs["Your law"], path)
        share = removed(base, yours, way)
        rows.append({"Harm": label, "No law": cell(base, digits, path),
                     "Your law": cell(yours, digits, path),
                     "Harm removed": "–" if share is None else f"{share:+.0%}"})
    st.table(pd.DataFrame(rows), hide_index=True, border="horizontal")
    if not chosen:
        st.caption("No principle is on: your law is the world without the law.")
        return
    law = with_principles(scenario, chosen)
    st.markdown("**What your law changes in the model**")
    for key, changes in what_the_law_changes(law).items():
        words = "; ".join(in_words(p, v, scenario) for p, v in changes.items())
        st.markdown(f"- **{escape(title(key))}**: {escape(words) or 'nothing more'}")
    if "appeals" in chosen:
        st.markdown(f"- **{escape(title('appeals'))}**: appeals on; "
                    f"{law.surveillance.appeal_rate:.0%} of wrong matches are contested and "
                    "reversed")
    st.button("Open your law in the sandbox", icon=":material/open_in_new:",
              on_click=_open, args=(law,), key="regulation-open",
              help="Loads this world, with your principles on, into the panel.")


def _open(law: Scenario) -> None:
    state.replace(law, state.preset(), notice="Loaded your law into the sandbox. Every view "
                  "now shows the world under it.")


def render(scenario: Scenario) -> None:
    """Draw the regulation view."""
    st.header("Regulation: what the GDPR and the EU AI Act would change")
    st.info("The model's reading of the law, for teaching: not legal advice. Each principle "
            "is simplified (see below and docs/model.md).", icon=":material/gavel:")
    st.markdown(
        "The same people, the same luck and your scenario's rules, without the law, under "
        f"each law and under each principle alone, each on {SEEDS} seeds: every number is the "
        "mean, with the lowest and highest seed in brackets.")
    chosen = _chosen()
    runs = _run_all(_worlds(scenario, chosen))
    st.subheader("Your law, principle by principle")
    _your_law(runs, scenario, chosen)
    st.subheader("Which principle removes which harm")
    alt.show(removed_chart(runs), "regulation-principles", key="regulation-heatmap")
    how_to_read("Each row is one principle alone on the same world; each cell, how much of a "
                "harm it removes (+100%: all of it; negative: the harm grows). Green removes, "
                "purple adds. The last columns are costs: how well the score measures "
                "reliability, and loans refused.")
    st.subheader("The three laws on the same people")
    st.table(_laws_table(runs), hide_index=True, border="horizontal")
    how_to_read("GDPR: data minimisation, purpose limitation, storage limitation, biometric "
                "data only with consent, human review of wrong matches. AI Act: no social "
                "scoring with detrimental treatment, no face identification in public.")
    with st.expander("What each principle does in the model, and where it simplifies",
                     icon=":material/menu_book:"):
        for key in PRINCIPLES:
            principle = MECHANISMS_BY_KEY[key]
            simplifies = principle.simplifies or "The share reversed is a setting (60% here)."
            st.markdown(f"**{escape(title(key))}.** {escape(principle.description)}  \n"
                        f"*Source:* {escape(principle.source)}  \n"
                        f"*Where the model simplifies:* {escape(simplifies)}")
