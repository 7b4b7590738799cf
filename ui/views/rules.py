"""Rules: the whole rule table, editable, with dimensions and provenance."""

from __future__ import annotations

import streamlit as st

from ui import controls, state
from ui.runs import Run


def render(run: Run) -> None:
    """Draw the rules view."""
    st.header("Rules: what the score counts")
    st.markdown(
        "Each row is a rule: when the scorer **records** the event, the points are added to "
        "the score, in one of five dimensions. Edit the points or move a rule to another "
        "dimension; every view follows. The event happens whether or not it is recorded: "
        "*Seen by* says who must see it. *Provenance* says how we know such a rule exists; "
        "the points themselves are this sandbox's choice (no operator publishes them).")
    controls.rules_editor(state.current(), compact=False)
    st.caption("Proxy: the event says nothing about keeping promises and is scored only as "
               "a stand-in for character (games as idleness, diapers as responsibility).")
