"""Build a persona: a student defines a person and follows them under the rules."""

from __future__ import annotations

import streamlit as st

from personas import persona_template
from personas.spec import PersonaSpec
from ui import state
from ui.runs import Run
from ui.text import escape
from ui.views import personas as persona_view

MAX_OWN = 12


def _add(scenario, values: dict) -> None:
    existing = [p.model_dump() for p in scenario.personas]
    number = 1 + max([int(p["key"].split("_")[-1]) for p in existing
                      if p["key"].startswith("own_")] or [0])
    values = {**values, "key": f"own_{number}"}
    try:
        PersonaSpec.model_validate(values)
    except ValueError:
        st.session_state.problems = ["That person could not be added: check the fields."]
        return
    state.apply_changes({"personas": [*existing, values]})


def render(run: Run) -> None:
    """Draw the build-a-persona view."""
    scenario = run.scenario
    st.header("Build a persona")
    st.markdown("Make up a person, add them to the world, and follow them under the current "
                "rules. They live among everyone else, with twins in every other district and "
                "in the other group.")
    template = persona_template()
    districts = [d.name for d in scenario.districts]
    labels = scenario.population.group_labels
    with st.form("build", border=True):
        cols = st.columns(2)
        name = cols[0].text_input("Name", template.name, max_chars=60)
        district = cols[1].selectbox("District", range(len(districts)),
                                     format_func=lambda i: districts[i])
        group = cols[0].radio("Group", ("majority", "minority"), horizontal=True,
                              format_func=lambda g: labels[0 if g == "majority" else 1],
                              help="The scorer never sees it; cameras' face matching does.")
        age = cols[1].radio("Age", ("young", "adult", "senior"), index=1, horizontal=True)
        income = cols[0].slider("Income (x the median)", 0.1, 5.0, 1.0, 0.1)
        platform = cols[1].slider("Share of payments through the platform", 0.0, 1.0, 0.9, 0.05,
                                  help="The rest is cash, which the scorer never sees.")
        reliability = cols[0].slider("Reliability (keeps promises)", 0.0, 1.0, 0.7, 0.05)
        thrift = cols[1].slider("Thrift (savings soften hard months)", 0.0, 1.0, 0.5, 0.05)
        civic = cols[0].slider("Civic spirit (volunteers, gives blood)", 0.0, 1.0, 0.3, 0.05)
        habits = cols[1].multiselect("Habits", ["parent", "gamer", "driver"],
                                     help="Parents buy diapers; gamers play for hours; drivers "
                                     "can run red lights.")
        story = st.text_area("Story (optional)", "", max_chars=600)
        full = len(scenario.personas) >= MAX_OWN
        if st.form_submit_button("Add to the world", type="primary", disabled=full):
            _add(scenario, {
                "name": name.strip() or "My persona", "story": story, "age_band": age,
                "group": group, "district": district, "income": income,
                "reliability": reliability, "thrift": thrift, "civic": civic,
                "platform_use": platform, "parent": "parent" in habits,
                "gamer": "gamer" in habits, "driver": "driver" in habits,
            })
            st.rerun()
        if full:
            st.caption(f"A scenario holds at most {MAX_OWN} personas of your own.")
    own = scenario.personas
    if not own:
        return
    keys = [p.key for p in run.result.population.personas]
    st.subheader("Your personas")
    for spec in own:
        cols = st.columns([4, 1])
        cols[0].markdown(f"**{escape(spec.name)}**")
        if cols[1].button("Remove", key=f"remove:{spec.key}"):
            state.apply_changes({"personas": [p.model_dump() for p in own
                                              if p.key != spec.key]})
            st.rerun()
    latest = own[-1]
    persona_view.follow(run, f"own:{latest.key}", keys.index(latest.key))
