"""Presenter mode: large type, high contrast, controls tucked away, big buttons.

One switch (on the Lessons page, and at the top of any page while it is on)
and a URL flag, ``?present=1``. The look is fixed style sheets below: the
only HTML the app ever sends, and they hold no user text.
"""

from __future__ import annotations

import streamlit as st

from ui.charts import DIAGRAM_WIDTH
from ui.site import PAGES

# Black on white in both system themes: fields are white with a black border,
# and a control's "on" parts (a switch, a chosen option, a slider) take the light
# theme's purple, since the dark theme's (#b08fd8) is 2.7:1 on white, under the
# 3:1 WCAG asks of a control. The fields are matched by Streamlit's own names
# (react-aria's ComboBox, stTextInputRootElement...): tests/test_projector.py
# fails if a release renames them.
PRESENTER_CSS = """<style>
html { font-size: 24px; }
[data-testid="stSidebar"], [data-testid="stSidebarCollapsedControl"],
[data-testid="stExpandSidebarButton"] { display: none !important; }
[data-testid="stApp"], [data-testid="stMain"], [data-testid="stHeader"] {
  background: #ffffff !important; color: #000000 !important; }
[data-testid="stTooltipIcon"] svg { stroke: #333333 !important; }
[data-testid="stMain"] p, [data-testid="stMain"] li, [data-testid="stMain"] label,
[data-testid="stMain"] h1, [data-testid="stMain"] h2, [data-testid="stMain"] h3 {
  color: #000000 !important; }
[data-testid="stMain"] p, [data-testid="stMain"] li { font-weight: 500; }
[data-testid="stCaptionContainer"] p { color: #222222 !important; }
[data-testid="stMainBlockContainer"] { max-width: 100% !important; padding-top: 4.3rem !important;
  padding-bottom: 1rem !important; }
[data-testid="stMain"] p, [data-testid="stMain"] li { line-height: 1.4; }
[data-testid="stMain"] h3 { padding-top: 0.25rem !important; padding-bottom: 0.25rem !important; }
.stButton button { min-height: 3rem; font-size: 1.5rem !important; font-weight: 700;
  border-width: 3px; }
.stButton button p { font-size: 1.5rem !important; }
[data-testid="stTopNavLink"], [data-testid="stTopNavLink"] *,
[data-testid="stHeader"] p, [data-testid="stHeader"] span { color: #000000 !important; }
[data-testid="stMetricDelta"] { background: #e6e6e6 !important; }
[data-testid="stMetricDelta"], [data-testid="stMetricDelta"] * { color: #000000 !important; }
.stButton button, .stDownloadButton button { background: #ffffff !important;
  color: #000000 !important; border: 3px solid #000000 !important; }
.stButton button *, .stDownloadButton button * { color: inherit !important; }
.stButton button[kind="primary"] { background: #3d1a78 !important; color: #ffffff !important;
  border-color: #3d1a78 !important; }
.stButton button:disabled { background: #f2f2f2 !important; color: #595959 !important;
  border: 3px dashed #767676 !important; }
.stButton button:focus-visible { outline: 4px solid #d55e00 !important;
  outline-offset: 3px !important; }
[data-testid="stAlertContainer"] { background: #eef0f4 !important;
  border-left: 6px solid #3d1a78 !important; }
[data-testid="stAlertContainer"] * { color: #000000 !important; }
.react-aria-ComboBox > [role="group"], [data-testid="stTextInputRootElement"],
[data-testid="stTextAreaRootElement"], .react-aria-ComboBox input,
[data-testid="stTextInputRootElement"] input, [data-testid="stTextAreaRootElement"] textarea {
  background: #ffffff !important; color: #000000 !important; }
.react-aria-ComboBox > [role="group"], [data-testid="stTextInputRootElement"],
[data-testid="stTextAreaRootElement"] { border: 2px solid #000000 !important; }
.react-aria-ComboBox button, [data-testid="stWidgetLabel"] * { color: #000000 !important; }
[data-testid="stCheckbox"] label[data-selected="true"] > div:first-of-type,
[data-testid="stRadioOption"][data-selected="true"] > div > div:first-child,
[data-testid="stSlider"] div:has(> div > input[type="range"]) {
  background-color: #6a3d9a !important; border-color: #6a3d9a !important; }
[data-testid="stSlider"] [role="group"] > div > div:first-child { filter: brightness(0.6); }
[data-testid="stRadioOption"]:not([data-selected="true"]) > div > div:first-child,
[data-testid="stCheckbox"] label:not([data-selected="true"]) > div:first-of-type {
  background-color: #ffffff !important; border: 1px solid #595959 !important; }
.react-aria-ComboBox input::placeholder, [data-testid="stTextInputRootElement"] input::placeholder,
[data-testid="stTextAreaRootElement"] textarea::placeholder { color: #595959 !important; }
[data-testid="stProgress"] div[role="progressbar"] > div > div { background: #d0d0d0 !important; }
[data-testid="stProgress"] div[role="progressbar"] > div > div > div {
  background: #3d1a78 !important; }
[data-testid="stExpander"] details { background: #ffffff !important;
  border: 2px solid #000000 !important; }
[data-testid="stExpander"] summary, [data-testid="stExpander"] summary *,
[data-testid="stTable"], [data-testid="stTable"] * { color: #000000 !important;
  background: #ffffff !important; }
[data-testid="stMain"] [data-testid="stMarkdownContainer"] strong { color: #000000 !important; }
</style>"""


# Always sent:
# - keyboard focus is a thick orange ring (3:1 or more on either theme's
#   background) on every control;
# - headline numbers and their labels wrap instead of ending in "…" on a tablet
#   or a narrow window, and shrink a little there;
# - captions are the body text a little paler (the theme's grey was 3.9:1 on
#   white, under the 4.5:1 of WCAG AA);
# - a chosen option's tag is white on a dark purple in both themes (the dark
#   theme's light purple under white text was 2.7:1);
# - on a phone or any touch screen (a tablet), where a chart's toolbar is always
#   shown and would sit on its title, the toolbar is left out (a tap still shows
#   the values, and every chart's numbers are in its table); elsewhere it has two
#   buttons only, short enough to clear every title (ui.theme.chart_config);
# - where the page is narrower than the loop diagram (ui.charts.DIAGRAM_WIDTH: a
#   phone, a small window, a laptop's panel open at under about 1300 px), the
#   diagram gives way to the list of its arrows.
LAYOUT_CSS = """<style>
[data-testid="stMetricLabel"] *, [data-testid="stMetricValue"] *,
[data-testid="stMetricDelta"] * { white-space: normal !important; overflow: visible !important;
  text-overflow: clip !important; }
[data-testid="stCaptionContainer"], [data-testid="stCaptionContainer"] * {
  color: inherit !important; }
[data-testid="stCaptionContainer"] { opacity: 0.82; }
button:focus-visible, a:focus-visible, summary:focus-visible, [role="slider"]:focus-visible,
[role="tab"]:focus-visible, [data-testid="stMain"]:focus-visible,
label:has(input:focus-visible), .react-aria-ComboBox > [role="group"]:focus-within,
[data-testid="stTextInputRootElement"]:focus-within,
[data-testid="stTextAreaRootElement"]:focus-within,
[data-testid="stNumberInputContainer"]:focus-within {
  outline: 3px solid #d55e00 !important; outline-offset: 2px !important; }
[data-tag] { background-color: #4b2a7b !important; }
[data-tag], [data-tag] * { color: #ffffff !important; }
@media (max-width: 700px), (hover: none) { [data-testid="stPlotlyChart"] .modebar-container {
  display: none !important; } }
.st-key-loop-view { container-type: inline-size; }
@container (max-width: DIAGRAM_WIDTHpx) { .st-key-loop-diagram { display: none !important; } }
@container (min-width: DIAGRAM_WIDTH.02px) { .st-key-loop-list { display: none !important; } }
button[kind="primaryFormSubmit"] { background-color: #6a3d9a !important;
  border-color: #6a3d9a !important; }
button[kind="primaryFormSubmit"], button[kind="primaryFormSubmit"] * { color: #ffffff !important; }
.st-key-class-join-code p { font-family: ui-monospace, monospace !important;
  font-size: 4.5rem !important; font-weight: 700; letter-spacing: 0.35em; line-height: 1.1;
  margin: 0.2rem 0 0.6rem; }
@media (max-width: 1100px) { [data-testid="stMetricValue"] { font-size: 1.6rem !important; }
  [data-testid="stMetricLabel"] p { font-size: 0.8rem !important; } }
</style>""".replace("DIAGRAM_WIDTH", str(DIAGRAM_WIDTH))
# During a lesson the panel is out of the way: changing it would not change the
# lesson's charts, which each step sets itself ("Open this step in the sandbox"
# loads a step into the panel). On a phone the page links live in the panel's
# drawer, so there only the controls are put away.
LESSON_CSS = """<style>
@media (min-width: 768px) { [data-testid="stSidebar"],
  [data-testid="stSidebarCollapsedControl"], [data-testid="stExpandSidebarButton"] {
  display: none !important; } }
@media (max-width: 767.98px) { [data-testid="stSidebarUserContent"] {
  display: none !important; } }
</style>"""
# The style sheets by presenter mode (off, on).
STYLE_SHEETS = (LAYOUT_CSS, LAYOUT_CSS + PRESENTER_CSS)


# Keyboard focus is never lost after an action. A Streamlit rerun redraws the
# controls, and the button just pressed ("Lock in", "Next") loses its focus to the
# page; a keyboard user would have to tab from the top again. After each redraw,
# if the last input came from the keyboard and nothing has focus, this puts it
# back on the control last used (found by its widget key), or, when that control
# is gone or disabled, on the lesson's Next, Previous or the page's main region.
# A fixed script: no user text, nothing sent anywhere.
FOCUS_FALLBACK = ("lesson-next-top", "lesson-back-top")
FOCUS_SCRIPT = """<script>
(() => {
  if (window.__sandboxFocus) { return; }
  window.__sandboxFocus = true;
  const doc = document;
  const fallback = FALLBACK;
  const focusable = "button, input, textarea, select, summary, a[href], [tabindex='0']";
  let keyboard = false;
  let last = null;
  doc.addEventListener("keydown", () => { keyboard = true; }, true);
  doc.addEventListener("pointerdown", () => { keyboard = false; }, true);
  doc.addEventListener("focusin", (event) => {
    const box = event.target.closest("[class*='st-key-']");
    const name = box && [...box.classList].find((c) => c.startsWith("st-key-"));
    if (name) { last = name; }
  }, true);
  const usable = (el) => el && !el.disabled && el.getClientRects().length > 0;
  const restore = () => {
    const now = doc.activeElement;
    if (!keyboard || !last || (now && now !== doc.body)) { return; }
    const box = doc.querySelector("." + CSS.escape(last));
    let el = box && box.querySelector(focusable);
    for (const key of fallback) {
      if (usable(el)) { break; }
      el = doc.querySelector(".st-key-" + key + " button");
    }
    if (!usable(el)) { el = doc.querySelector("[data-testid='stMain']"); }
    if (el) { el.focus(); }
  };
  new MutationObserver(() => setTimeout(restore, 60)).observe(doc.body,
    { childList: true, subtree: true });
})();
</script>""".replace("FALLBACK", str(list(FOCUS_FALLBACK)).replace("'", '"'))


# One page, one entry in the browser's history. Streamlit adds an entry for every
# change of the address's query (the run's ?s= token, the lesson's step), on top
# of the one for the page, so Back seemed to do nothing. A change of query alone
# now replaces the current entry; a new page still adds one, and Back goes to it.
HISTORY_SCRIPT = """<script>
(() => {
  if (window.__sandboxHistory) { return; }
  window.__sandboxHistory = true;
  const push = window.history.pushState.bind(window.history);
  const replace = window.history.replaceState.bind(window.history);
  window.history.pushState = (state, title, url) => {
    const next = url === undefined || url === null ? null : new URL(url, window.location.href);
    if (next && next.pathname !== window.location.pathname) { return push(state, title, url); }
    return replace(state, title, url);
  };
  // A page opened without a scenario in the address may get its ?s= as a second
  // entry before this script runs: Back from it would land on the same page once
  // more. Such a bare entry (the browser's own, with no state, and no ?s=) is
  // passed over: one more step back.
  window.addEventListener("popstate", (event) => {
    if (event.state === null && !new URLSearchParams(window.location.search).has("s")) {
      window.history.back();
    }
  }, true);
})();
</script>"""

# The panel starts closed on a narrow screen. Streamlit closes it on phones only
# (under 768 px); on a tablet held upright (820 px) it took 300 px of the page and
# the headline labels broke mid-word. Below PANEL_CLOSED_BELOW px this closes it
# once, when the page first loads; a student who opens it keeps it open.
PANEL_CLOSED_BELOW = 1024
PANEL_SCRIPT = """<script>
(() => {
  if (window.__sandboxPanel) { return; }
  window.__sandboxPanel = true;
  if (window.innerWidth >= WIDTH || window.innerWidth < 768) { return; }
  const close = () => {
    const panel = document.querySelector("[data-testid='stSidebar']");
    const button = document.querySelector("[data-testid='stSidebarCollapseButton'] button");
    if (!panel || !button) { return false; }
    const open = panel.getBoundingClientRect().right > 50
      && !document.querySelector("[data-testid='stExpandSidebarButton']");
    if (open) { button.click(); }
    return true;
  };
  if (close()) { return; }
  const watch = new MutationObserver(() => { if (close()) { watch.disconnect(); } });
  watch.observe(document.body, { childList: true, subtree: true });
  setTimeout(() => watch.disconnect(), 10000);
})();
</script>""".replace("WIDTH", str(PANEL_CLOSED_BELOW))

# A path typed wrong (/persona): Streamlit says "Page not found" and runs the
# first page. This sends the browser on to the app's root with the path asked
# for (?asked=persona), and the app opens the nearest page with a notice
# (app.py, ui.site.nearest_page). The known paths are the pages' own.
MISSING_SCRIPT = """<script>
(() => {
  if (window.__sandboxMissing) { return; }
  window.__sandboxMissing = true;
  const known = KNOWN;
  // The address the page was loaded from: Streamlit has put the first page's in
  // the address bar by now.
  const entry = performance.getEntriesByType("navigation")[0];
  const first = new URL(entry ? entry.name : window.location.href);
  const path = first.pathname;
  const here = decodeURIComponent(path.slice(path.lastIndexOf("/") + 1));
  if (!here || known.includes(here)) { return; }
  const query = new URLSearchParams(first.search);
  query.set("asked", here.slice(0, 60));
  window.location.replace(path.slice(0, path.lastIndexOf("/") + 1) + "?" + query.toString());
})();
</script>""".replace("KNOWN", str([*(page.key for page in PAGES), "home"]).replace("'", '"'))

# The page's fixed scripts, sent once per run (each installs itself once).
PAGE_SCRIPTS = FOCUS_SCRIPT + HISTORY_SCRIPT + PANEL_SCRIPT + MISSING_SCRIPT


def is_on() -> bool:
    """True if presenter mode is on for this session (first set from ``?present=1``)."""
    if "presenter_on" not in st.session_state:
        st.session_state.presenter_on = st.query_params.get("present") == "1"
    return bool(st.session_state.presenter_on)


def _switched() -> None:
    st.session_state.presenter_on = bool(st.session_state.present)
    if st.session_state.presenter_on:
        st.query_params["present"] = "1"
    else:
        st.query_params.pop("present", None)


def switch() -> None:
    """The presenter-mode switch.

    The mode lives in its own session key: the switch is drawn on different
    pages, and each page's switch starts from the mode as it is.
    """
    st.toggle("Presenter mode", value=is_on(), key="present", on_change=_switched,
              help="Large type and high contrast for a projector; the controls panel is "
                   "hidden. Also as a link: add ?present=1 to the address.")


def apply(page: str = "") -> None:
    """Send the style sheets (presenter mode's when it is on, the lesson's on Lessons)."""
    st.html(STYLE_SHEETS[is_on()])
    if page == "lessons":
        st.html(LESSON_CSS)
    st.html(PAGE_SCRIPTS, unsafe_allow_javascript=True)


def is_teacher() -> bool:
    """True on the teacher's view: the Lessons page opened with ``?teacher=1``.

    The teacher notes (with the answers) and the teacher handout are shown only
    there, and never in presenter mode, which the class sees on the projector.
    It keeps answers out of a student's way; it is not a lock (the lesson files
    are public), so it needs no key.
    """
    if "teacher_on" not in st.session_state:
        st.session_state.teacher_on = st.query_params.get("teacher") == "1"
    return bool(st.session_state.teacher_on) and not is_on()


def panel_words() -> str:
    """Where the controls are, in words that are true in either mode."""
    if is_on():
        return "the panel (hidden in presenter mode: switch presenter mode off to see it)"
    return "the panel on the left (on a phone, » at the top opens it)"
