"""Class: a whole class in one session, its predictions and its own scoring laws, pooled live.

A teacher starts a session and projects its code; students join with the code
and a nickname. In a lesson's "predict first" part, each student's locked-in
answer goes to the session; the teacher's screen counts them and, once
revealed, shows how the class answered beside what the runs say. In the policy
lab each student submits their rules (their changes from the session's
starting scenario) with a title and a reason; every distinct law runs on the
same people and seeds, and the teacher's map shows all of them on two
measures. The teacher's screen asks the database every second whether
anything is new and redraws only then. Every typed text (nicknames, titles,
reasons, and messages that quote them) is escaped before it is drawn.
"""

from __future__ import annotations

import io
import logging
from typing import Any
from urllib.parse import urlencode, urlsplit

import pandas as pd
import plotly.graph_objects as go
import segno
import streamlit as st

from classroom import policy, store
from classroom.db import database_url, describe
from classroom.text import NICKNAME_CHARS, TITLE_CHARS, WHY_CHARS
from scoring.lessons import lesson as lesson_named
from scoring.lessons import lessons
from scoring.regulation import in_words
from scoring.scenario import Scenario, ScenarioError
from scoring.sharelink import decode, encode, nearest_preset
from ui import alt, membership, state
from ui.launch import room_address
from ui.runs import finals
from ui.text import escape, how_to_read
from ui.theme import REFERENCE, chart_text, style

ANSWER = "#0072B2"  # what the runs say (Okabe-Ito blue)
OTHER = "#8a8a8a"
LAW = "#D55E00"

TEACHER_REFRESH_S = 1.0
STUDENT_REFRESH_S = 2.0


def _plain(text: str) -> str:
    """A student's text inside a chart label: shown as typed, never as markup."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _origin() -> str:
    """The address students type: this page's, or this machine's on the network."""
    parts = urlsplit(st.context.url or "http://localhost:8501/")
    host = parts.hostname or "localhost"
    if host in ("localhost", "127.0.0.1", "::1"):
        room = room_address()
        if room:
            host = room
    port = f":{parts.port}" if parts.port else ""
    return f"{parts.scheme or 'http'}://{host}{port}"


def join_link(code: str) -> str:
    """The link a student opens to join (the code filled in)."""
    return f"{_origin()}/class?{urlencode({'class': code})}"


def _qr_png(link: str) -> bytes:
    out = io.BytesIO()
    segno.make(link, error="m").save(out, kind="png", scale=10, border=2, dark="#000000",
                                     light="#ffffff")
    return out.getvalue()


def _base(snap: store.Snapshot) -> Scenario | None:
    try:
        return decode(snap.scenario)
    except ScenarioError:
        return None


def _lesson_title(key: str | None) -> str:
    if not key:
        return "no lesson"
    try:
        return lesson_named(key).title
    except KeyError:
        return key


def _error(exc: Exception) -> None:
    st.error(escape(str(exc)), icon=":material/error:")  # it may quote what was typed


# Starting and joining.

def _start_form(scenario: Scenario) -> None:
    with st.form("class-start"):
        st.markdown("**Start a class session** (for the teacher)")
        title = st.text_input("Title", max_chars=80, placeholder="e.g. Year 11, Thursday",
                              key="class-title")
        keys = [None, *(item.key for item in lessons())]
        lesson_key = st.selectbox("Lesson (optional)", keys, key="class-lesson",
                                  format_func=lambda k: "No lesson" if k is None
                                  else _lesson_title(k))
        st.caption("The class starts from your current scenario: its people, seed and rules "
                   "are what every student's law changes.")
        if st.form_submit_button("Start the session", type="primary"):
            try:
                started = store.start(title, encode(scenario, state.preset()), lesson_key)
            except store.ClassError as exc:
                _error(exc)
                return
            membership.set_place(started.code, key=started.teacher_key)
            st.rerun()


def _join_form() -> None:
    with st.form("class-join"):
        st.markdown("**Join your class**")
        typed = st.text_input("Join code", max_chars=12, placeholder="e.g. K7MPQ4",
                              value=membership.code() or "", key="class-code",
                              help="Six letters and digits, on your teacher's screen.")
        nickname = st.text_input("Nickname (optional)", max_chars=NICKNAME_CHARS,
                                 key="class-nickname",
                                 help="No real name needed; empty gives you a number.")
        if st.form_submit_button("Join", type="primary"):
            try:
                joined = store.join(typed, nickname)
            except store.ClassError as exc:
                _error(exc)
                return
            membership.set_place(store.snapshot(typed).code, member=joined.member_key)
            st.rerun()


# The teacher's screen.

def _answers_figure(snap: store.Snapshot, lesson_key: str) -> go.Figure:
    item = lesson_named(lesson_key)
    asked = item.predict
    counts = snap.answers.get(lesson_key, {})
    colours = [ANSWER if i == asked.answer else OTHER
               for i in range(len(asked.choices))]
    fig = go.Figure(go.Bar(
        y=[f"{c}{'  (what the runs say)' if i == asked.answer else ''}"
           for i, c in enumerate(asked.choices)],
        x=[counts.get(i, 0) for i in range(len(asked.choices))], orientation="h",
        marker_color=colours, text=[counts.get(i, 0) for i in range(len(asked.choices))],
        textposition="outside", name="Students"))
    style(fig, "How the class predicted", x_title="Students", y_title=None, height=340)
    fig.layout.meta = {"table": [{"Prediction": c, "Students": counts.get(i, 0),
                                  "What the runs say": "yes" if i == asked.answer else ""}
                                 for i, c in enumerate(asked.choices)]}
    fig.update_layout(yaxis=dict(autorange="reversed"), showlegend=False)
    fig.update_xaxes(tick0=0, dtick=max(1, -(-max(counts.values(), default=1) // 8)),
                     rangemode="tozero")
    return fig


def _predictions_panel(snap: store.Snapshot, key: str) -> None:
    st.subheader("Predictions")
    keys = [None, *(item.key for item in lessons())]
    chosen = st.selectbox("Lesson", keys, index=keys.index(snap.lesson)
                          if snap.lesson in keys else 0, key="class-teacher-lesson",
                          format_func=lambda k: "No lesson" if k is None else _lesson_title(k))
    if chosen != snap.lesson:
        _act(store.set_lesson, snap.code, key, chosen)
    if not snap.lesson:
        st.info("This session has no lesson. Pick one to pool the class's predictions.",
                icon=":material/school:")
        return
    item = lesson_named(snap.lesson)
    st.markdown(f"**{escape(item.predict.question)}**")
    st.page_link("ui/pages/lessons.py", label="Open the lesson", icon=":material/school:",
                 query_params={"lesson": snap.lesson})
    cols = st.columns(2)
    if cols[0].button("Hide the answers" if snap.revealed else "Reveal the answers",
                      key="class-reveal", type="primary"):
        _act(store.reveal, snap.code, key, not snap.revealed)
    if cols[1].button("Reopen answers" if snap.answers_locked else "Lock answers",
                      key="class-lock-answers"):
        _act(store.lock_answers, snap.code, key, not snap.answers_locked)
    if snap.answers_locked:
        st.caption("Answers are locked: students cannot send or change one.")
    answered = sum(snap.answers.get(snap.lesson, {}).values())
    st.metric("Answered", f"{answered} of {snap.members}",
              help="Students who locked in a prediction in this lesson.")
    if snap.revealed:
        alt.show(_answers_figure(snap, snap.lesson), "class-answers", key="class-answers")
        st.markdown(f"**What the runs say:** {escape(item.predict.choices[item.predict.answer])}."
                    f" {escape(item.predict.why)}")
    else:
        st.caption("The answers stay hidden until you reveal them, so nobody follows the "
                   "crowd.")


def _act(action, *args) -> None:
    try:
        action(*args)
    except store.ClassError as exc:
        st.session_state.class_problem = str(exc)
    st.rerun()


def _simulate_missing(snap: store.Snapshot, base: Scenario) -> dict[str, dict[str, Any]]:
    """Every distinct law's measures, simulating only the laws with none kept."""
    results = dict(snap.results)
    missing = {law.digest: law for law in snap.laws if law.digest not in results}
    for digest, law in missing.items():
        measures = simulate_law(snap.code, base, law.changes, digest)
        if measures is not None:
            results[digest] = measures
    return results


def simulate_law(code: str, base: Scenario, changes: dict[str, Any],
                 digest: str) -> dict[str, Any] | None:
    """Run a law on the session's seeds and keep its measures (None if it cannot run)."""
    try:
        scenario = policy.scenario_of(base, changes)
    except ScenarioError:
        return None
    runs = finals(policy.seeded(scenario))
    measures = policy.measures_of(runs, scenario.population.size)
    store.keep_result(code, digest, measures)
    return measures


def _fmt(v: float | None, digits: int) -> str:
    return "–" if v is None else f"{v:.{digits}f}"


def _policy_figure(rows: list[dict[str, Any]], x: policy.Measure, y: policy.Measure,
                   names: bool, open_law: int | None = None) -> go.Figure:
    points: dict[str, list[dict[str, Any]]] = {}
    for r in rows:
        if r[x.key] is not None and r[y.key] is not None:
            points.setdefault(r["digest"], []).append(r)
    shown = list(points.values())
    is_open = [any(r["id"] == open_law for r in p) for p in shown]
    # A clicked point stays as it was drawn (plotly would fade the others, and their
    # numbers with them); the law open for everyone has a ring and says so.
    same = dict(marker=dict(opacity=1), textfont=dict(color=chart_text()))
    fig = go.Figure(go.Scatter(
        x=[p[0][x.key] for p in shown], y=[p[0][y.key] for p in shown], mode="markers+text",
        text=[", ".join(str(r["number"]) for r in p) + (" (open)" if o else "")
              for p, o in zip(shown, is_open, strict=True)],
        textposition="top center", customdata=[p[0]["id"] for p in shown],
        selected=same, unselected=same,
        marker=dict(size=[22 if o else 16 for o in is_open], color=LAW, opacity=1,
                    line=dict(width=[4 if o else 1 for o in is_open], color="#000")),
        hovertext=["<br>".join(_plain(f"{r['number']}. {r['title']}"
                                      + (f" ({r['by']})" if names else "")) for r in p)
                   for p in shown], hoverinfo="text", name="Laws"))
    fair = {"towards 1": 1.0, "towards 0": 0.0}
    if x.way in fair:
        fig.add_vline(x=fair[x.way], line_dash="dot", line_color=REFERENCE,
                      annotation_text="fair", annotation_position="top")
    if y.way in fair:
        fig.add_hline(y=fair[y.way], line_dash="dot", line_color=REFERENCE,
                      annotation_text="fair", annotation_position="right")
    style(fig, "Every law of the class, on the same people and seeds", x_title=x.label,
          y_title=y.label, height=460)
    fig.update_layout(showlegend=False, margin={"r": 50, "t": 70})
    for axis, measure, values in (("xaxis", x, [p[0][x.key] for p in shown]),
                                  ("yaxis", y, [p[0][y.key] for p in shown])):
        # Room around the points and the "fair" line, so no label is cut off.
        edges = [*values, *([fair[measure.way]] if measure.way in fair else [])]
        if edges:
            low, high = min(edges), max(edges)
            pad = max(0.12 * (high - low), 0.05 * max(abs(low), abs(high)), 0.02)
            fig.layout[axis].range = [low - pad, high + pad]
    fig.layout.meta = {
        "alt": (f"A map of {len(rows)} laws: {x.label} across, {y.label} up. "
                + " ".join(f"Law {r['number']}: {_fmt(r[x.key], x.digits)} and "
                           f"{_fmt(r[y.key], y.digits)}." for r in rows)),
        "table": [{"Law": r["number"], x.label: _fmt(r[x.key], x.digits),
                   y.label: _fmt(r[y.key], y.digits)} for r in rows]}
    return fig


def _policy_panel(snap: store.Snapshot, key: str) -> None:
    st.subheader("Policy lab")
    base = _base(snap)
    if base is None:
        st.error("This session's starting scenario cannot be read.", icon=":material/error:")
        return
    cols = st.columns([2, 2, 1])
    keys = [m.key for m in policy.MEASURES]
    cols[0].selectbox("Across", keys, index=0, key="class-x",
                      format_func=lambda k: policy.MEASURE_BY_KEY[k].label)
    cols[1].selectbox("Up", keys, index=1, key="class-y",
                      format_func=lambda k: policy.MEASURE_BY_KEY[k].label)
    cols[2].toggle("Show nicknames", value=False, key="class-names",
                   help="Hidden by default, for the projector.")
    if cols[2].button("Reopen the lab" if snap.laws_locked else "Lock the lab",
                      key="class-lock-laws"):
        _act(store.lock_laws, snap.code, key, not snap.laws_locked)
    if snap.laws_locked:
        st.caption("The lab is locked: students cannot send or change a law.")
    clicked = _laws(snap, base)
    if clicked is None:
        st.session_state.pop("class-clicked", None)
    elif clicked != st.session_state.get("class-clicked"):
        # A click on a point opens that law, once per click (the chart keeps its
        # selection across reruns); the select below follows it.
        st.session_state["class-clicked"] = clicked
        st.session_state["class-open"] = clicked
        _act(store.show_law, snap.code, key, clicked)
    if snap.laws:
        numbered = {law.id: f"{n}. {law.title}" for n, law in enumerate(snap.laws, start=1)}
        pick = st.selectbox("Open a law for the whole class", [None, *numbered],
                            key="class-open", index=[None, *numbered].index(snap.shown_law)
                            if snap.shown_law in numbered else 0,
                            format_func=lambda i: "None" if i is None else numbered[i])
        if st.button("Open it for everyone", key="class-open-go",
                     disabled=pick == snap.shown_law):
            _act(store.show_law, snap.code, key, pick)
        if snap.shown_law in numbered:
            st.caption(f"Open for everyone: {escape(numbered[snap.shown_law])}. Each student "
                       "sees a button that loads it into their sandbox.")


def _laws(snap: store.Snapshot, base: Scenario) -> int | None:
    """The map and table of every law; the id of a law whose point was just clicked."""
    st.caption(f"{len(snap.laws)} laws from {snap.members} members; identical laws are "
               f"simulated once. Each runs on {policy.SEEDS} seeds from seed {base.seed}: a "
               "point is the mean over them.")
    if not snap.laws:
        st.info("No law yet. Students build theirs in the sandbox, then submit it on the "
                "Class page.", icon=":material/gavel:")
        return None
    results = _simulate_missing(snap, base)
    x_key = st.session_state.get("class-x", policy.MEASURES[0].key)
    y_key = st.session_state.get("class-y", policy.MEASURES[1].key)
    names = bool(st.session_state.get("class-names"))
    rows = []
    for number, law in enumerate(snap.laws, start=1):
        measures = results.get(law.digest)
        row = {"number": number, "id": law.id, "title": law.title, "why": law.why,
               "by": law.nickname, "changes": len(law.changes), "digest": law.digest}
        for m in policy.MEASURES:
            row[m.key] = None if measures is None else policy.value(measures, m.key)
        rows.append(row)
    x, y = policy.MEASURE_BY_KEY[x_key], policy.MEASURE_BY_KEY[y_key]
    event = alt.show(_policy_figure(rows, x, y, names, snap.shown_law), "class-laws",
                     key="class-laws", pick=True)
    how_to_read("Each numbered point is one student's law (identical laws share a point). "
                "A dotted line marks where a ratio is equal (1) or a gap is none (0). Click "
                "a point to open that law for the whole class; the open law has a ring and "
                "says (open). The table gives every law's reason.")
    table = pd.DataFrame([{"Law": r["number"], "Title": r["title"], "Why": r["why"],
                           **({"By": r["by"]} if names else {}), "Changes": r["changes"],
                           x.label: _fmt(r[x_key], x.digits), y.label: _fmt(r[y_key], y.digits)}
                          for r in rows])
    st.dataframe(table, hide_index=True, width="stretch")
    _fairest(snap, results, x_key, base)
    return _clicked(event, {law.id for law in snap.laws})


def _clicked(event: Any, ids: set[int]) -> int | None:
    """The law of the clicked point, if it is still in the session."""
    try:
        points = event["selection"]["points"]
    except (KeyError, TypeError):
        return None
    for point in points:
        data = point.get("customdata")
        law = data[0] if isinstance(data, list) and data else data
        if isinstance(law, int) and law in ids:
            return law
    return None


def _fairest(snap: store.Snapshot, results: dict[str, Any], key: str, base: Scenario) -> None:
    distinct: dict[str, tuple[dict[str, Any], dict[str, Any]]] = {}
    for law in snap.laws:
        if law.digest in results:
            distinct[law.digest] = (law.changes, results[law.digest])
    count, shared = policy.common_to_fairest(list(distinct.values()), key)
    measure = policy.MEASURE_BY_KEY[key]
    st.markdown(f"**What the fairest laws share** (fairest on: {escape(measure.label)})")
    if count == 0:
        st.caption("No law has a result on this measure yet.")
        return
    if not shared:
        st.caption(f"The {count} fairest distinct law(s) share no change.")
        return
    st.markdown("\n".join(f"- {escape(in_words(path, value, base))}: in {n} of the {count} "
                          f"fairest, and in {others} of the other {len(distinct) - count}"
                          for (path, value), n, others in shared[:8]))


def _teacher_view(code: str, key: str) -> None:
    try:
        snap = store.snapshot(code)
    except store.ClassError as exc:
        _error(exc)
        if st.button("Start again", key="class-forget"):
            membership.leave()
            st.rerun()
        return
    problem = st.session_state.pop("class_problem", None)
    if problem:
        st.error(escape(problem), icon=":material/error:")
    link = join_link(snap.code)
    top = st.columns([3, 2], vertical_alignment="center")
    with top[0]:
        st.header(escape(snap.title))
        st.markdown(f"Join at **{escape(_origin())}/class** with the code")
        with st.container(key="class-join-code"):
            st.markdown(snap.code)  # six characters of the code alphabet: nothing to escape
        st.metric("Members", snap.members, help="Students who joined this session.")
    with top[1]:
        st.image(_qr_png(link), width=260, alt=f"QR code of the join link {link}",
                 caption=f"Scan to join: {link}")
    with st.expander("Your teacher link: keep it to yourself", icon=":material/key:"):
        st.markdown("Open this link on another device to keep control of the session. "
                    "Your address bar holds it too: project in full screen (F11) so the "
                    "class does not see it.")
        st.code(f"{_origin()}/class?{urlencode({'class': snap.code, 'key': key})}",
                language=None)
    _predictions_panel(snap, key)
    _policy_panel(snap, key)
    _ending(snap, key)
    _watch_teacher(snap.code, snap.version)


def _ending(snap: store.Snapshot, key: str) -> None:
    st.subheader("End of class")
    st.markdown(f"Kept until you end it, and at most until "
                f"{snap.expires:%d %B %Y, %H:%M} UTC ({store.retention_days()} days); then "
                "every answer and law of it is deleted. Only nicknames are stored.")
    cols = st.columns(2)
    try:
        data = store.export_csv(snap.code, key)
    except store.ClassError as exc:
        _error(exc)
        return
    cols[0].download_button("Download answers and laws (CSV)", data,
                            file_name=f"class-{snap.code}.csv", mime="text/csv",
                            key="class-export")
    sure = cols[1].checkbox("Yes, delete everything of this session", key="class-end-sure")
    if cols[1].button("End the session", key="class-end", disabled=not sure):
        try:
            store.end(snap.code, key)
        except store.ClassError as exc:
            _error(exc)
            return
        membership.leave()
        st.session_state.class_problem = None
        st.rerun()


# A student's screen.

def _student_view(code: str, member: str) -> None:
    nickname = store.nickname_of(code, member)
    try:
        snap = store.snapshot(code)
    except store.ClassError as exc:
        _error(exc)
        nickname = None
        snap = None
    if snap is None or nickname is None:
        if snap is not None:
            st.warning("This browser is not a member of that session: join it with its code.",
                       icon=":material/help:")
        membership.leave()
        _join_form()
        return
    st.header(escape(snap.title))
    st.markdown(f"You are in this class session as **{escape(nickname)}**. "
                "Only your nickname is kept, and only until your teacher ends the session.")
    if st.button("Leave the session", key="class-leave"):
        membership.leave()
        st.rerun()
    _student_news(snap)
    base = _base(snap)
    if base is not None:
        _submit_form(snap, member, base)
    _watch_student(code, (snap.lesson, snap.answers_locked, snap.laws_locked, snap.shown_law))


def _student_news(snap: store.Snapshot) -> None:
    if snap.lesson:
        st.subheader("Predict")
        st.markdown(f"Today's lesson: **{escape(_lesson_title(snap.lesson))}**. Lock in your "
                    "prediction there: it goes to your teacher's screen.")
        st.page_link("ui/pages/lessons.py", label="Open the lesson", icon=":material/school:",
                     query_params={"lesson": snap.lesson})
        if snap.answers_locked:
            st.caption("Your teacher has closed the answers.")
    shown = next((law for law in snap.laws if law.id == snap.shown_law), None)
    if shown is not None:
        st.info(f"Your teacher opened the law \"{escape(shown.title)}\" for the class.",
                icon=":material/gavel:")
        if st.button("Open it in my sandbox", key="class-open-shown"):
            _open_law(snap, shown.changes, shown.title)


def _open_law(snap: store.Snapshot, changes: dict[str, Any], title: str) -> None:
    base = _base(snap)
    try:
        scenario = policy.scenario_of(base, changes)
    except (ScenarioError, TypeError) as exc:
        st.error(f"That law cannot be opened: {escape(str(exc))}", icon=":material/error:")
        return
    state.replace(scenario, nearest_preset(scenario), notice=f"Opened the law \"{escape(title)}\".")
    st.switch_page("ui/pages/drift.py")


def _submit_form(snap: store.Snapshot, member: str, base: Scenario) -> None:
    st.subheader("Policy lab: your scoring law")
    current = state.current()
    changes = policy.law_changes(base, current)
    if snap.laws_locked:
        st.caption("Your teacher has closed the policy lab.")
    if not changes:
        st.markdown("Your scenario is the class's starting scenario. Change its rules in "
                    "the panel (or on Rules), then come back here to submit them as your law.")
    else:
        st.markdown("**Your law changes:**\n" + "\n".join(
            f"- {escape(in_words(path, value, current))}" for path, value in changes.items()))
    if st.button("Start again from the class's scenario", key="class-from-base"):
        state.replace(base, nearest_preset(base), notice="The class's starting scenario.")
        st.rerun()
    mine = store.law_of(snap.code, member)
    if mine is not None:
        st.caption(f"You sent \"{escape(mine.title)}\" at {mine.sent:%H:%M} UTC; sending again "
                   "replaces it.")
    with st.form("class-law"):
        title = st.text_input("Title of your law", max_chars=TITLE_CHARS, key="class-law-title")
        why = st.text_area("Why, in one sentence", max_chars=WHY_CHARS, key="class-law-why")
        sent = st.form_submit_button("Submit my law", type="primary",
                                     disabled=snap.laws_locked)
    if sent:
        # The law runs first, here, so the teacher's screen finds its result
        # kept when the law arrives (identical laws run once: the result is shared).
        try:
            policy.scenario_of(base, changes)
            store.check_law(title, why)
            digest = store.digest_of(changes)
            if not store.has_result(snap.code, digest):
                with st.spinner("Running your law on the class's people…"):
                    simulate_law(snap.code, base, changes, digest)
            law_id = store.submit_law(snap.code, member, title, why, changes)
        except (store.ClassError, ScenarioError) as exc:
            message = "; ".join(exc.problems) if isinstance(exc, ScenarioError) else str(exc)
            st.error(f"Not sent: {escape(message)}. Your rules, title and reason are kept: "
                     "mend and send again.", icon=":material/error:")
            return
        st.success(f"Sent (law {law_id}). Your teacher's screen shows it.",
                   icon=":material/check:")


def render(scenario: Scenario) -> None:
    """Draw the Class page."""
    code, member, key = membership.code(), membership.member_key(), membership.teacher_key()
    if code and key:
        if store.is_teacher(code, key):
            _teacher_view(code, key)
            return
        st.error("This teacher link does not match a running session (it may have ended).",
                 icon=":material/error:")
        membership.leave()
    elif code and member:
        _student_view(code, member)
        return
    st.header("Class session")
    st.markdown("A whole class in one session: students join with a code, their "
                "predictions and their own scoring laws are pooled on the teacher's screen. "
                "No accounts; only a nickname is kept.")
    if membership.code():  # a join link: the code is filled in, the teacher's form is not needed
        _join_form()
    else:
        cols = st.columns(2)
        with cols[0]:
            _join_form()
        with cols[1]:
            _start_form(scenario)
    st.caption(f"Stored in the {describe(database_url())}. A session is deleted when its "
               f"teacher ends it, or after {store.retention_days()} days. See docs/privacy.md.")


def _check(code: str, seen: Any, signature) -> None:
    """Ask the database whether anything is new; redraw the page only then.

    It draws nothing itself, so an open menu or a half-typed text stays as it is
    until something changes.
    """
    try:
        now = signature(code)
    except Exception:  # noqa: BLE001 - the database is away for a moment: try again next time
        logging.getLogger("social_credit_sandbox").exception("the class watch failed")
        return
    if now != seen:
        st.rerun()


@st.fragment(run_every=TEACHER_REFRESH_S)
def _watch_teacher(code: str, seen: int) -> None:
    _check(code, seen, store.version)


@st.fragment(run_every=STUDENT_REFRESH_S)
def _watch_student(code: str, seen: tuple) -> None:
    _check(code, seen, _student_signature)


def _student_signature(code: str) -> tuple:
    """What a student's page shows of the session (not other students' doings)."""
    try:
        snap = store.snapshot(code)
    except store.ClassError:
        return ("gone",)
    return (snap.lesson, snap.answers_locked, snap.laws_locked, snap.shown_law)
