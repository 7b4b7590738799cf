"""Social Credit Sandbox: the app (``make run``).

A short table of contents: page set-up, the controls, the share bar, the
pages. Each page in ``ui/pages`` draws one view from ``ui/views``.
"""

from __future__ import annotations

import logging
from pathlib import Path

import streamlit as st

from ui import controls, present, share, state
from ui.context import current_run, start_runs

ICON = Path(__file__).parent / "ui" / "favicon.png"
st.set_page_config(page_title="Social Credit Sandbox", page_icon=str(ICON), layout="wide",
                   initial_sidebar_state="expanded")

DEFAULT_PAGE = "drift"  # served at the root, where Streamlit names it ""
PAGES = [
    st.Page("ui/pages/drift.py", title="Drift", icon=":material/show_chart:",
            url_path=DEFAULT_PAGE, default=True),
    st.Page("ui/pages/lessons.py", title="Lessons", icon=":material/school:",
            url_path="lessons"),
    st.Page("ui/pages/personas.py", title="Personas", icon=":material/group:",
            url_path="personas"),
    st.Page("ui/pages/rules.py", title="Rules", icon=":material/rule:", url_path="rules"),
    st.Page("ui/pages/bias.py", title="Bias", icon=":material/balance:", url_path="bias"),
    st.Page("ui/pages/loops.py", title="Feedback loops", icon=":material/loop:",
            url_path="loops"),
    st.Page("ui/pages/compare.py", title="Compare", icon=":material/compare:",
            url_path="compare"),
    st.Page("ui/pages/build.py", title="Build a persona", icon=":material/person_add:",
            url_path="build"),
    st.Page("ui/pages/about.py", title="About the model", icon=":material/info:",
            url_path="about"),
]

state.init()
page = st.navigation(PAGES, position="top")
view = page.url_path or DEFAULT_PAGE
try:
    present.apply()
    if present.is_on() and view != "lessons":
        present.switch()  # the panel is hidden: the way out of presenter mode is here
    controls.render(state.current())
    token = state.sync_url()
    start_runs(view)
    for problem in state.problems():
        st.error(problem, icon=":material/error:")
    if state.notice():
        st.toast(state.notice())
    share.bar(current_run(), token)
    page.run()
except Exception:  # noqa: BLE001 - a clear message instead of a traceback; nothing is lost
    logging.getLogger("social_credit_sandbox").exception("a view failed")
    st.error("Something went wrong drawing this page. Your scenario is kept: try another "
             "view, or Reset to preset in the panel on the left. (Details are in the server's "
             "log.)", icon=":material/error:")
