"""Compare: two scenarios side by side on the same seed."""

from __future__ import annotations

from functools import lru_cache

import pandas as pd
import streamlit as st

from scoring import Scenario, load_preset, with_changes
from scoring.metrics import metric, read
from scoring.presets import PRESETS
from scoring.sharelink import changes_from
from ui import alt, charts, present
from ui.runs import Run, run
from ui.text import how_to_read, number
from ui.words import setting_words, value_words

# Measures compared (catalogue keys, scoring.metrics).
ROWS = ("mean_score.overall", "group_gap", "true_group_gap", "disparate_impact", "lock_in_rate",
        "gini", "network_sorting", "score_tracks_true_behaviour")
SAME_FOR_BOTH = ("seed", "months", "population.size", "name", "description")


@lru_cache(maxsize=128)
def same_people(preset: str, seed: int, months: int, size: int) -> Scenario:
    """A preset run on A's seed, months and population (validated once)."""
    return with_changes(load_preset(preset), {"seed": seed, "months": months,
                                              "population.size": size})


def render(current: Run) -> None:
    """Draw the compare view."""
    scenario = current.scenario
    st.header("Compare: two rule sets, the same people")
    st.markdown(f"**A** is the scenario in {present.panel_words()}. Pick **B**; it runs with A's "
                "seed, population and months, so the only differences are the rules listed "
                "below.")
    name = st.selectbox("Scenario B", PRESETS, index=PRESETS.index("control"), key="compare_b",
                        format_func=lambda p: f"{p.replace('_', ' ')}: "
                        f"{load_preset(p).description}")
    other = same_people(name, scenario.seed, scenario.months, scenario.population.size)
    b = run(other)
    rows = []
    for path in ROWS:
        entry = metric(path.split(".")[0])
        label, digits = entry.label, entry.digits
        a, b_value = read(current.final, path), read(b.final, path)
        rows.append({
            "Measure": label, "A (this scenario)": number(a, digits),
            f"B ({name})": number(b_value, digits),
            "A - B": number(None if a is None or b_value is None else a - b_value, digits),
        })
    table = pd.DataFrame(rows)
    st.dataframe(table, hide_index=True, width="stretch")
    labels = list(scenario.population.group_labels)
    fig = charts.group_means(current.metrics, labels, scenario.score.band_edges, twin=b.metrics,
                             title="Mean score by group: A solid, B dotted", twin_name="B")
    alt.show(fig, "compare", key="compare_chart")
    how_to_read("Same people, same luck: every difference between solid and dotted lines is "
                "made by the differences in the rules.")
    differences = {k: v for k, v in changes_from(scenario, other).items()
                   if k not in SAME_FOR_BOTH}
    old = {k: v for k, v in changes_from(other, scenario).items() if k not in SAME_FOR_BOTH}
    st.subheader(f"How the rules differ ({len(differences)} settings)")
    if not differences:
        st.info("A and B have the same rules.")
    else:
        st.dataframe(pd.DataFrame([{"Setting": setting_words(scenario, k),
                                    "A": value_words(old.get(k)), "B": value_words(v)}
                                   for k, v in differences.items()]),
                     hide_index=True, width="stretch")
