"""Social Credit Sandbox: the app (``make run``).

A short table of contents: page set-up, the controls, the share bar, the
views. Every view lives in ``ui/views`` and draws results it is given.
"""

from __future__ import annotations

import streamlit as st

from ui import controls, share, state
from ui.runs import run, without_loops
from ui.views import about, bias, build, compare, drift, loops, personas

st.set_page_config(page_title="Social Credit Sandbox", page_icon=":material/visibility:",
                   layout="wide", initial_sidebar_state="expanded")

state.init()
controls.render(state.current())
scenario = state.current()
token = state.sync_url()
current = run(scenario)

for problem in state.problems():
    st.error(problem, icon=":material/error:")
if state.notice():
    st.toast(state.notice())

PAGES = [
    st.Page(lambda: drift.render(current, without_loops(scenario)), title="Drift",
            icon=":material/show_chart:", url_path="drift", default=True),
    st.Page(lambda: personas.render(current), title="Personas", icon=":material/group:",
            url_path="personas"),
    st.Page(lambda: bias.render(current), title="Bias", icon=":material/balance:",
            url_path="bias"),
    st.Page(lambda: loops.render(current), title="Feedback loops", icon=":material/loop:",
            url_path="loops"),
    st.Page(lambda: compare.render(current), title="Compare", icon=":material/compare:",
            url_path="compare"),
    st.Page(lambda: build.render(current), title="Build a persona",
            icon=":material/person_add:", url_path="build"),
    st.Page(about.render, title="About the model", icon=":material/info:", url_path="about"),
]

page = st.navigation(PAGES, position="top")
share.bar(current, token)
page.run()
