"""Social Credit Sandbox: the app (``make run``).

A short table of contents: page set-up, the controls, the share bar, the
pages. Each page in ``ui/pages`` draws one view from ``ui/views``.
"""

from __future__ import annotations

import logging
from pathlib import Path

import streamlit as st

from ui import controls, membership, present, share, state
from ui.context import current_run, start_runs
from ui.site import DEFAULT_PAGE, PAGE_BY_KEY, nearest_page
from ui.site import PAGES as SITE
from ui.text import escape

ICON = Path(__file__).parent / "ui" / "favicon.png"
st.set_page_config(page_title="Social Credit Sandbox", page_icon=str(ICON), layout="wide",
                   initial_sidebar_state="auto")  # closed on a phone

# The default page is served at the root, yet reserves a path of its own, so it
# reserves "home" and a hidden twin serves its path: typing /drift opens Drift.
PAGES = [st.Page(page.script, title=page.title, icon=page.icon,
                 url_path="home" if page.key == DEFAULT_PAGE else page.key,
                 default=page.key == DEFAULT_PAGE) for page in SITE]
PAGES.append(st.Page(SITE[0].script, title=SITE[0].title, url_path=DEFAULT_PAGE,
                     visibility="hidden"))

state.init()
membership.init()
page = st.navigation(PAGES, position="top")
view = page.url_path if page.url_path in PAGE_BY_KEY else DEFAULT_PAGE
asked = st.query_params.get("asked")
if asked is not None:
    # A path typed wrong, sent here by the page (present.MISSING_SCRIPT): open the
    # nearest page, and say so there.
    del st.query_params["asked"]
    nearest = nearest_page(asked)
    st.session_state.page_notice = (
        f"There is no page \"{asked[:40]}\": this is the nearest, "
        f"{PAGE_BY_KEY[nearest].title}." if nearest else
        f"There is no page \"{asked[:40]}\": this is the first page, "
        f"{PAGE_BY_KEY[DEFAULT_PAGE].title}; the others are in the bar at the top.")
    if nearest and nearest != view:
        st.switch_page(PAGE_BY_KEY[nearest].script, query_params=st.query_params.to_dict())
if view == DEFAULT_PAGE and "lesson" in st.query_params:
    # A lesson link to the root (/?lesson=cameras&present=1) opens that lesson.
    st.switch_page(PAGE_BY_KEY["lessons"].script, query_params=st.query_params.to_dict())
try:
    present.apply(view)
    if present.is_on() and view != "lessons":
        present.switch()  # the panel is hidden: the way out of presenter mode is here
    controls.render(state.current())
    token = state.sync_url()
    membership.sync_url()
    start_runs(view)
    page_notice = st.session_state.pop("page_notice", None)
    if page_notice:
        st.warning(escape(page_notice), icon=":material/help:")
    for problem in state.problems():
        st.error(problem, icon=":material/error:")
    if state.notice():
        st.toast(state.notice())
    if not (present.is_on() and view == "lessons"):  # a projected lesson needs the screen
        share.bar(current_run(), token)
    page.run()
except Exception:  # noqa: BLE001 - a clear message instead of a traceback; nothing is lost
    logging.getLogger("social_credit_sandbox").exception("a view failed")
    st.error("Something went wrong drawing this page. Your scenario is kept: try another "
             "view, or Reset to preset in the panel on the left. (Details are in the server's "
             "log.)", icon=":material/error:")
