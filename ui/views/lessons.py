"""Lessons: predict first, then guided steps, then discussion and the sandbox.

Each lesson is a data file (``scoring/lesson_plans``); every claim a step makes is
checked by ``python -m scoring lessons --check`` on the step's seed and pooled
over seeds 1-30. Here a step's claims are measured again on the step's run and
shown with their numbers and their pooled size, so the class sees what the
sentence rests on.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import streamlit as st

from classroom import store
from scoring.lessons import (
    SEEDS,
    Claim,
    Lesson,
    Step,
    comparison_run,
    lessons,
    measure,
    pooled,
)
from scoring.mechanisms import LAW_KEYS, REGISTRY
from scoring.metrics import FOUR_FIFTHS, metric
from scoring.scenario import Scenario
from ui import alt, charts, handout, membership, present, state
from ui.runs import Run, run
from ui.site import PAGE_BY_KEY
from ui.text import escape, how_to_read, number
from ui.theme import REFERENCE

TITLES = {m.key: m.title for m in REGISTRY}


# Parts of a metric's path that say nothing to a student.
_QUIET = {"by_group", "by_district", "overall"}


def path_words(path: str) -> str:
    """A metric path in words: "Wrong matches, majority, per 1,000"."""
    key, *parts = path.split(".")
    words = [metric(key).label]
    words += ["per 1,000" if part == "per_1000" else part.replace("_", " ")
              for part in parts if part not in _QUIET]
    return ", ".join(words)


def against_label(against: str | None) -> str:
    """How a comparison run is named on screen."""
    if against is None:
        return ""
    if against == "all_loops_off":
        return "every loop off"
    kind, _, name = against.partition(":")
    if kind == "off" and name in LAW_KEYS:
        return "no law"
    if kind == "off":
        return f"{TITLES.get(name, name).lower()} off"
    if kind == "step":
        return f"step {int(name) + 1}"
    return f"the {name.replace('_', ' ')} preset"


def finals() -> Callable[[Scenario], dict[str, Any]]:
    """Final metrics by scenario, each read from the run cache once per page draw.

    A step's claims mostly compare the same two runs.
    """
    seen: dict[str, dict[str, Any]] = {}

    def final(scenario: Scenario) -> dict[str, Any]:
        key = scenario.model_dump_json()
        if key not in seen:
            seen[key] = run(scenario).final
        return seen[key]

    return final


def claim_line(step: Step, claim: Claim, steps: tuple[Step, ...],
               final: Callable[[Scenario], dict[str, Any]]) -> tuple[bool, str]:
    """Whether a claim holds on the step's run, and its numbers in words."""
    seed = step.scenario().seed
    x, y, holds = measure(step, claim, seed, steps, final=final)
    digits = 3 if max(abs(x or 0), abs(y or 0)) < 10 else 1
    if claim.other is not None:
        detail = (f"{number(x, digits)} against {number(y, digits)} "
                  f"({path_words(claim.other)})")
    elif claim.against is not None:
        detail = (f"{number(x, digits)} here, {number(y, digits)} with "
                  f"{against_label(claim.against)}")
    else:
        side = "above" if claim.relation == "above" else "below"
        detail = f"{number(x, digits)}, to be {side} {claim.by:g}"
    return holds, detail


def _compare_run(step: Step, steps: tuple[Step, ...]) -> tuple[Run | None, str]:
    for claim in step.claims:
        if claim.against is not None:
            other = comparison_run(step, claim.against, step.scenario().seed, steps)
            return run(other), against_label(claim.against)
    return None, ""


def step_chart(step: Step, steps: tuple[Step, ...], key: str, height: int | None = None) -> None:
    """The one chart a step points at (``height``: its height in presenter mode)."""
    here = run(step.scenario())
    scenario = here.scenario
    labels = list(scenario.population.group_labels)
    edges = scenario.score.band_edges
    other, other_name = _compare_run(step, steps)
    if step.chart == "histogram" and other is not None:
        fig = charts.histogram_against(here.result, other.result, other_name, edges)
    elif step.chart == "histogram":
        fig = charts.histogram(here.result, here.result.months, labels, edges)
    elif step.chart == "group_means":
        fig = charts.group_means(here.metrics, labels, edges,
                                 twin=other.metrics if other else None, twin_name=other_name)
    elif step.chart == "district_means":
        fig = charts.district_means(here.metrics, [d.name for d in scenario.districts], edges)
    elif step.chart == "mobility":
        final = here.final["band_mobility"]
        fig = charts.mobility(final["matrix"], final["from_month"], here.result.months)
    else:
        path = tuple(step.chart.removeprefix("metric:").split("."))
        name = path[-1].replace("_", " ")
        fig = charts.line(here.metrics, path, name.capitalize(), name,
                          line_at=FOUR_FIFTHS if path == ("disparate_impact",) else None,
                          line_text="four-fifths line")
        if other is not None:
            fig.add_scatter(x=[m["month"] for m in other.metrics["by_month"]],
                            y=charts.series(other.metrics, *path), name=other_name,
                            mode="lines", line={"dash": "dot", "width": 3, "color": REFERENCE})
    alt.show(fig, f"lesson-{key}", key=f"lesson-chart-{key}", height=height)
    if other is not None and (step.chart == "group_means" or step.chart.startswith("metric:")):
        how_to_read(f"Solid: this step's run. Dotted: {other_name}, the same people and luck.")
    elif other is not None and step.chart == "histogram":
        how_to_read(f"Dark bars: this step's run. Grey bars: {other_name}, the same "
                    "people and luck. Compare the two tails.")


def _part_from_link(value: str | None) -> int:
    """The part of a lesson a link names (0, the prediction, if none or not a number)."""
    return int(value) if value is not None and value.isdigit() and len(value) < 4 else 0


def _go(stage: int) -> None:
    st.session_state.lesson_stage = stage


def _picked() -> None:
    st.session_state.lesson_chosen = st.session_state.lesson_key
    _go(0)


def _open_in_sandbox(step: Step) -> None:
    state.replace(step.scenario(), step.preset,
                  notice=f"Loaded the lesson step '{step.title}'. Change anything you like.")
    st.session_state.lesson_handoff = PAGE_BY_KEY[step.view].script


def _navigation(stage: int, last: int, where: str, locked: bool = True,
                boxes: tuple | None = None) -> None:
    """Large previous / next buttons (above and below the content, or in ``boxes``).

    On the predict-first part, Next waits until a prediction is locked in.
    """
    back, forward = boxes if boxes is not None else st.columns(2)
    back.button("◀  Previous", on_click=_go, args=(stage - 1,), disabled=stage == 0,
                width="stretch", key=f"lesson-back{where}")
    waiting = stage == 0 and not locked
    forward.button("Next  ▶", on_click=_go, args=(stage + 1,),
                   disabled=stage == last or waiting, width="stretch", type="primary",
                   key=f"lesson-next{where}",
                   help="Lock in a prediction first." if waiting else None)


def _send_to_class(item: Lesson, choice: int) -> str | None:
    """Send a locked-in prediction to the student's class session; what happened, in words."""
    code, member = membership.code(), membership.member_key()
    if not (code and member):
        return None
    try:
        store.predict(code, member, item.key, choice)
    except store.ClassError as exc:
        return f"Not sent to your class: {exc}."
    return "Sent to your class session: your teacher's screen counts it."


def _predict(item: Lesson) -> None:
    asked = item.predict
    st.subheader("Predict first")
    st.markdown(escape(asked.question))
    locked = st.session_state.get("lesson_locked") == item.key
    choice = st.radio("Your prediction", asked.choices, index=None, key=f"predict-{item.key}",
                      disabled=locked, help="Pick before you run anything.")
    if not locked:
        if st.button("Lock in my prediction and run", disabled=choice is None,
                     key="lesson-lock", type="primary"):
            st.session_state.lesson_locked = item.key
            st.session_state.lesson_sent = _send_to_class(item, asked.choices.index(choice))
            st.rerun()
        if membership.teacher_key():
            st.caption("Your class's answers come in on the Class page.")
        return
    sent = st.session_state.get("lesson_sent")
    if sent:
        (st.caption if sent.startswith("Sent") else st.warning)(escape(sent))
    step = item.steps[asked.step]
    _, detail = claim_line(step, step.claims[0], item.steps, finals())
    right = asked.choices.index(choice) == asked.answer if choice in asked.choices else False
    verdict = "You predicted it." if right else (
        f"Not what you predicted: the run says \"{asked.choices[asked.answer]}\".")
    (st.success if right else st.info)(verdict, icon=":material/lightbulb:")
    st.markdown(f"**In the run** (step {asked.step + 1}, seed {step.scenario().seed}): "
                f"{escape(step.claims[0].says)} {detail}.")
    st.markdown(escape(asked.why))


def _short(text: str, width: int = 90) -> str:
    """A claim's sentence cut to fit a chart title."""
    return text if len(text) <= width else text[: width - 1].rsplit(" ", 1)[0] + "…"


def _step(item: Lesson, number_: int) -> None:
    step = item.steps[number_]
    st.subheader(f"Step {number_ + 1} of {len(item.steps)}: {escape(step.title)}")
    st.markdown(escape(step.notice))
    step_chart(step, item.steps, f"{item.key}-{number_}")
    st.markdown("**What the run says**")
    final = finals()
    sizes = pooled()
    for i, claim in enumerate(step.claims):
        holds, detail = claim_line(step, claim, item.steps, final)
        mark = ":material/check_circle:" if holds else ":material/cancel:"
        st.markdown(f"{mark} {escape(claim.says)} *{detail}*")
        size = sizes.get(f"{item.key}/{number_}/{i}")
        if size and size.get("says") == claim.says:
            st.caption(f"Over {size['seeds']} seeds: {escape(size['size'])} "
                       "(mean, with its 95% interval).")
    items = [{"label": _short(claim.says), "effect": sizes[f"{item.key}/{number_}/{i}"]["effect"]}
             for i, claim in enumerate(step.claims)
             if sizes.get(f"{item.key}/{number_}/{i}", {}).get("says") == claim.says]
    if items:
        alt.show(charts.claim_effects(items), f"effect-{item.key}",
                 key=f"lesson-effect-{item.key}-{number_}")
        how_to_read("Each bar: the size of one sentence's effect, averaged over "
                    f"{len(SEEDS)} seeds, from the dashed no-effect line (0 for a difference, "
                    "1 for a ratio); the black whisker is its 95% interval. A whisker clear "
                    "of the dashed line is an effect, not luck.")
    st.caption(f"Every sentence above is checked over {len(SEEDS)} seeds: it must hold for "
               "this run, and the 95% interval of the effect over the seeds must exclude "
               "no effect.")
    st.button("Open this step in the sandbox", on_click=_open_in_sandbox, args=(step,),
              key=f"sandbox-{item.key}-{number_}", icon=":material/open_in_new:",
              help="Loads this step's scenario into the controls and opens the "
                   f"{step.view} view.")


# Presenter mode: the step's chart height, so title, chart and claims fit one
# screen at 1366 x 768 as at 1920 x 1080 (the browser test measures it).
PROJECTED_CHART = 360


def effect_words(size: dict[str, Any]) -> str:
    """A pooled effect in a few words: "30 seeds: -0.097 (-0.102 to -0.092)"."""
    e = size["effect"]
    span = f"({e['lo']:.3g} to {e['hi']:.3g})"
    what = {"difference": f"{e['mean']:+.3g} {span}",
            "ratio": f"{e['mean']:.3g} times {span}",
            "level": f"{e['mean']:.3g} {span}"}[e["kind"]]
    return f"{size['seeds']} seeds: {what}"


def _step_projected(item: Lesson, number_: int) -> None:
    """A step on the projector, on one screen.

    The chart on the left; what to notice and the claims, each with its size
    over the seeds, on the right.
    """
    step = item.steps[number_]
    st.subheader(f"Step {number_ + 1} of {len(item.steps)}: {escape(step.title)}")
    left, right = st.columns(2, gap="medium")
    with left:
        step_chart(step, item.steps, f"{item.key}-{number_}", height=PROJECTED_CHART)
    final = finals()
    sizes = pooled()
    with right:
        st.markdown(escape(step.notice))
        for i, claim in enumerate(step.claims):
            holds, detail = claim_line(step, claim, item.steps, final)
            mark = ":material/check_circle:" if holds else ":material/cancel:"
            size = sizes.get(f"{item.key}/{number_}/{i}")
            pooled_words = (f"; {escape(effect_words(size))}"
                            if size and size.get("says") == claim.says else "")
            st.markdown(f"{mark} {escape(claim.says)} *{detail}*{pooled_words}")
        st.button("Open this step in the sandbox", on_click=_open_in_sandbox, args=(step,),
                  key=f"sandbox-{item.key}-{number_}", icon=":material/open_in_new:",
                  help="Loads this step's scenario into the controls and opens the "
                       f"{step.view} view.")


def _discuss(item: Lesson) -> None:
    st.subheader("Discuss")
    for question in item.discussion:
        st.markdown(f"- {escape(question)}")
    last = item.steps[-1]
    st.button("Go on in the sandbox with the last step's scenario", on_click=_open_in_sandbox,
              args=(last,), key=f"sandbox-{item.key}-end", icon=":material/open_in_new:",
              type="primary")


def _teacher_notes(item: Lesson) -> None:
    with st.expander("Teacher notes, with the answers (teacher's view only)",
                     icon=":material/school:"):
        st.markdown(handout.teacher_notes_markdown(item, escape))


def render() -> None:
    """Draw the lessons view."""
    items = lessons()
    keys = [item.key for item in items]
    if "lesson_key" not in st.session_state:
        # Back from another page: the lesson chosen before; else a link's ?lesson=KEY.
        wanted = st.session_state.get("lesson_chosen") or st.query_params.get("lesson")
        st.session_state.lesson_key = wanted if wanted in keys else keys[0]
        if wanted and wanted not in keys:
            st.session_state.lesson_unknown = wanted
    projected = present.is_on()
    chosen = st.session_state.get("lesson_key") or st.session_state.get("lesson_chosen")
    if chosen not in keys:
        chosen = keys[0]
    last_of = {i.key: len(i.steps) + 1 for i in items}
    if "lesson_stage" not in st.session_state:
        # A reload or a shared link keeps its part: ?lesson=KEY&part=N.
        st.session_state.lesson_stage = _part_from_link(st.query_params.get("part"))
    early = min(max(int(st.session_state.get("lesson_stage", 0)), 0), last_of[chosen])
    unknown = st.session_state.pop("lesson_unknown", None)
    if projected and early > 0:
        # On the projector a step needs the whole screen: one line for the lesson.
        item = next(i for i in items if i.key == chosen)
        key = item.key
        top = st.columns([4, 3, 3, 3], vertical_alignment="center")
        top[0].markdown(f"**{escape(item.title)}** · part {early + 1} of "
                        f"{last_of[key] + 1}")
        _navigation(early, last_of[key], "-top", True, boxes=(top[1], top[2]))
        with top[3]:
            present.switch()
        if unknown:
            st.warning(f"There is no lesson called \"{escape(unknown)}\"; showing the first "
                       f"one. The lessons are: {', '.join(keys)}.", icon=":material/help:")
    else:
        st.header("Lessons: predict, look, discuss")
        if unknown:
            st.warning(f"There is no lesson called \"{escape(unknown)}\"; showing the first "
                       f"one. The lessons are: {', '.join(keys)}.", icon=":material/help:")
        top = st.columns([3, 1])
        key = top[0].selectbox("Lesson", keys, key="lesson_key",
                               format_func=lambda k: next(i.title for i in items if i.key == k),
                               on_change=_picked,
                               help=f"{len(items)} lessons, one per theme; each fits in one "
                                    "class period.")
        with top[1]:
            present.switch()
    st.session_state.lesson_chosen = key
    item = next(i for i in items if i.key == key)
    last = len(item.steps) + 1
    stage = min(max(int(st.session_state.get("lesson_stage", 0)), 0), last)
    # One write, and only when something changed (it replaces the history entry:
    # present.HISTORY_SCRIPT).
    address = {"lesson": key, "part": str(stage)}
    if any(st.query_params.get(k) != v for k, v in address.items()):
        st.query_params.update(address)
    if not (projected and stage > 0):
        st.markdown(f"**Goal.** {escape(item.goal)}  \n*{escape(item.theme)} · about "
                    f"{item.minutes} minutes*")
        st.progress(stage / last, text=f"Part {stage + 1} of {last + 1}")
        st.caption("The panel is put away during a lesson: each step sets its own scenario. "
                   "\"Open this step in the sandbox\" loads a step into the panel to change it.")
    locked = st.session_state.get("lesson_locked") == key
    if not (projected and stage > 0):
        _navigation(stage, last, "-top", locked)
    if stage == 0:
        _predict(item)
    elif stage <= len(item.steps):
        (_step_projected if projected else _step)(item, stage - 1)
    else:
        _discuss(item)
    if not projected:
        _navigation(stage, last, "", locked)
    cols = st.columns(3)
    cols[0].download_button("Handout (Markdown)", handout.markdown(item),
                            file_name=f"lesson-{item.key}.md", mime="text/markdown",
                            key=f"md-{item.key}")
    cols[1].download_button("Handout (print-ready HTML)", handout.html(item),
                            file_name=f"lesson-{item.key}.html", mime="text/html",
                            key=f"html-{item.key}")
    if present.is_teacher():
        if st.query_params.get("teacher") != "1":
            st.query_params["teacher"] = "1"
        cols[2].download_button("Teacher notes (Markdown)",
                                handout.teacher_notes_markdown(item),
                                file_name=f"lesson-{item.key}-teacher.md",
                                mime="text/markdown", key=f"notes-{item.key}")
        _teacher_notes(item)
    target = st.session_state.pop("lesson_handoff", None)
    if target:
        st.switch_page(target)
