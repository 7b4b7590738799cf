"""The controls panel (sidebar): every lever of the scenario, each with help.

Each control writes one dotted path of the scenario through
:func:`ui.state.apply_changes`; a change that would make the scenario invalid
is refused with a message and the scenario stays as it was.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, get_args

import pandas as pd
import streamlit as st

from scoring import ScenarioError, from_toml, load_preset, to_toml
from scoring.constants import DIMENSION_LABELS, DIMENSIONS, PROVENANCE
from scoring.events import EVENTS
from scoring.mechanisms import REGISTRY
from scoring.presets import PRESETS
from scoring.scenario import MAX_SCENARIO_BYTES, Scenario
from scoring.sharelink import nearest_preset
from ui import state

DIMENSION_BY_LABEL = {label: key for key, label in DIMENSION_LABELS.items()}
SEEN_BY = {"platform": "payment platform", "camera": "camera", "registry": "official register"}


def _key(path: str) -> str:
    return f"v{state.version()}:{path}"


def _changed(path: str, key: str, convert: Callable[[Any], Any] | None = None) -> None:
    value = st.session_state[key]
    state.apply_changes({path: convert(value) if convert else value})


def _slider(box: Any, label: str, path: str, value: float, low: float, high: float,
            step: float, help_text: str, convert: Callable[[Any], Any] | None = None) -> None:
    key = _key(path)
    box.slider(label, low, high, value, step, key=key, help=help_text,
               on_change=_changed, args=(path, key, convert))


def _toggle(box: Any, label: str, path: str, value: bool, help_text: str) -> None:
    key = _key(path)
    box.toggle(label, value, key=key, help=help_text, on_change=_changed, args=(path, key))


def rule_sentence(label: str, points: int) -> str:
    """The sentence a rule reads as, e.g. "Late bill payment: -30"."""
    return f"{label}: {points:+d}" if points else f"{label}: no points"


def rules_frame(scenario: Scenario) -> pd.DataFrame:
    """The rule table as the app shows it."""
    rows = []
    for event in EVENTS:
        rule = scenario.rules.get(event.key)
        rows.append({
            "Rule": rule_sentence(event.label, rule.points),
            "Points": rule.points,
            "Dimension": DIMENSION_LABELS[rule.dimension],
            "Seen by": SEEN_BY[event.observed_by],
            "Provenance": PROVENANCE[event.provenance].split(" (")[0]
            + (" (weak proxy)" if event.is_proxy else ""),
        })
    return pd.DataFrame(rows)


def rule_changes(edited_rows: dict[Any, dict[str, Any]]) -> dict[str, Any]:
    """Scenario changes from the rule table's edited rows."""
    changes: dict[str, Any] = {}
    for row, columns in edited_rows.items():
        event = EVENTS[int(row)].key
        if columns.get("Points") is not None:
            changes[f"rules.{event}.points"] = int(columns["Points"])
        if columns.get("Dimension") in DIMENSION_BY_LABEL:
            changes[f"rules.{event}.dimension"] = DIMENSION_BY_LABEL[columns["Dimension"]]
    return changes


def table_changes(edited_rows: dict[Any, dict[str, Any]], path: str,
                  columns: dict[str, str]) -> dict[str, Any]:
    """Scenario changes from a table whose rows are the items of the list at ``path``."""
    return {
        f"{path}.{int(row)}.{columns[name]}": value
        for row, edited in edited_rows.items()
        for name, value in edited.items()
        if name in columns and value is not None
    }


def _rules_changed(key: str) -> None:
    changes = rule_changes(st.session_state[key].get("edited_rows", {}))
    if changes:
        state.apply_changes(changes)


def _table_changed(key: str, path: str, columns: dict[str, str]) -> None:
    changes = table_changes(st.session_state[key].get("edited_rows", {}), path, columns)
    if changes:
        state.apply_changes(changes)


def _band_changed(key: str, index: int) -> None:
    edges = list(state.current().score.band_edges)
    edges[index] = st.session_state[key]
    state.apply_changes({"score.band_edges": edges})


def _consequences_changed(key: str, path: str, edge: str, effect: str) -> None:
    changes: dict[str, Any] = {}
    for row, edited in st.session_state[key].get("edited_rows", {}).items():
        if edited.get("Score") is not None:
            changes[f"{path}.{int(row)}.{edge}"] = int(edited["Score"])
        if edited.get("Hardship") is not None:
            changes[f"{path}.{int(row)}.{effect}"] = abs(float(edited["Hardship"]))
    if changes:
        state.apply_changes(changes)


def _preset_changed(key: str) -> None:
    name = st.session_state[key]
    state.replace(load_preset(name), name, notice=f"Loaded the preset '{name}'.")


def _reset() -> None:
    name = state.preset()
    state.replace(load_preset(name), name, notice=f"Reset to the preset '{name}'.")


def _uploaded(key: str) -> None:
    upload = st.session_state.get(key)
    if upload is None:
        return
    data = upload.getvalue()
    try:
        scenario = from_toml(data)
        problems = state.fits_app(scenario)
        if problems:
            raise ScenarioError(problems)
    except ScenarioError as exc:
        # Shown under the file box, where the student is looking (not at the page's top).
        st.session_state.upload_problems = [
            f"The file '{upload.name}' was not loaded, so the current scenario stays: {p}"
            for p in exc.problems
        ]
        return
    state.replace(scenario, nearest_preset(scenario), notice=f"Loaded '{upload.name}'.")


def rules_editor(scenario: Scenario, compact: bool) -> None:
    """The editable rule table; compact shows only the rule and its points."""
    key = _key("rules-compact" if compact else "rules")
    st.data_editor(
        rules_frame(scenario), key=key, hide_index=True, num_rows="fixed",
        height=35 * (len(EVENTS) + 1) + 3,
        column_order=("Points", "Rule") if compact else None,
        disabled=["Rule", "Seen by", "Provenance"], on_change=_rules_changed, args=(key,),
        column_config={
            # On the Rules page the provenance (and "weak proxy") must fit at 1366 px too.
            "Rule": st.column_config.TextColumn(width="large" if compact else 265),
            "Seen by": st.column_config.TextColumn(width=125),
            "Provenance": st.column_config.TextColumn(width=255),
            "Points": st.column_config.NumberColumn(
                min_value=-300, max_value=300, step=1, width="small" if compact else 70,
                help="Points added to the score each time the event is recorded."),
            "Dimension": st.column_config.SelectboxColumn(
                options=[DIMENSION_LABELS[d] for d in DIMENSIONS], required=True, width=185,
                help="Which of the five dimensions the points count in."),
        },
    )


def render(scenario: Scenario) -> None:
    """Draw every control for the current scenario."""
    side = st.sidebar
    side.subheader("Scenario")
    key = _key("preset")
    side.selectbox(
        "Preset", PRESETS, index=PRESETS.index(state.preset()), key=key,
        format_func=lambda name: name.replace("_", " "),
        help="A ready-made world. baseline: every mechanism on. control: every bias and "
        "loop off. The others switch one mechanism on alone.",
        on_change=_preset_changed, args=(key,),
    )
    side.caption(load_preset(state.preset()).description)
    columns = side.columns(2)
    key = _key("seed")
    columns[0].number_input("Seed", 0, 2**32 - 1, scenario.seed, 1, key=key,
                            help="Same scenario and seed, same run, to the last person.",
                            on_change=_changed, args=("seed", key))
    columns[1].button("Reset to preset", on_click=_reset, width="stretch",
                      help="Undo every change since the preset was loaded.")
    _slider(side, "Population", "population.size", scenario.population.size,
            state.APP_MIN_POPULATION, state.APP_MAX_POPULATION, 500,
            "Number of synthetic persons (the ten personas live among them).")
    _slider(side, "Months", "months", scenario.months, state.APP_MIN_MONTHS,
            state.APP_MAX_MONTHS, 6, "How many months to simulate.")

    for title, key, expanded, draw in SECTIONS:
        # Closed sections send nothing to the browser, so the first page draws
        # fast; opening one reruns the script, which then draws its controls.
        folder = side.expander(title, expanded=expanded, key=f"section-{key}",
                               on_change="rerun")
        if folder.open:
            with folder:
                draw(scenario)


def _rule_controls(scenario: Scenario) -> None:
    """Points per event, memory and the monthly cap."""
    st.caption("Edit the points of a rule (the Rules page has dimensions and provenance).")
    rules_editor(scenario, compact=True)
    _slider(st, "Memory fades (share per month)", "score.decay", scenario.score.decay,
            0.0, 0.5, 0.01, "Share of every dimension's points that fades each month.")
    _slider(st, "Monthly cap", "score.monthly_cap", scenario.score.monthly_cap, 1, 600, 1,
            "Largest change the rules may make to a score in one month.")
    swallowed = capped_rules(scenario)
    if swallowed:
        st.caption(f"The monthly cap ({scenario.score.monthly_cap:g} points) is smaller than "
                   f"{', '.join(swallowed)}: a month takes at most the cap, so these rules "
                   "never count in full.")


def capped_rules(scenario: Scenario) -> list[str]:
    """The rules worth more points than the monthly cap lets through, in words."""
    cap = scenario.score.monthly_cap
    return [f"{e.label} ({scenario.rules.get(e.key).points:+d})" for e in EVENTS
            if abs(scenario.rules.get(e.key).points) > cap]


def _band_controls(scenario: Scenario) -> None:
    """Band edges, the perks and penalties attached, loans."""
    st.caption("Band edges: lowest score of medium, good, very good, excellent.")
    cols = st.columns(4)
    for i, edge in enumerate(scenario.score.band_edges):
        key = _key(f"band{i}")
        cols[i].number_input(
            ["medium", "good", "v. good", "excellent"][i], 351, 949, edge, 5, key=key,
            on_change=_band_changed, args=(key, i), help="Bands must increase.")
    _consequence_table("Perks (at or above)", "consequences.perks",
                       scenario.consequences.perks, "threshold", "relief")
    _consequence_table("Penalties (below)", "consequences.penalties",
                       scenario.consequences.penalties, "below", "burden")
    _slider(st, "Loans from score", "lending.approval_threshold",
            scenario.lending.approval_threshold, 350, 950, 10,
            "Lowest score that gets a loan (when lending is on).")


def _surveillance_controls(scenario: Scenario) -> None:
    """Districts, cameras, face matching and appeals."""
    _district_table(scenario)
    s = scenario.surveillance
    labels = scenario.population.group_labels
    for i, label in enumerate(labels):
        _slider(st, f"{label.capitalize()} wrongly matched x",
                f"surveillance.false_match_multiplier.{i}", s.false_match_multiplier[i],
                1.0, 100.0, 1.0,
                f"How many times the base rate the {label} group is wrongly matched "
                "(NISTIR 8280: some groups often 10 to 100 times more than others).")
    _slider(st, "Seniors wrongly matched x", "surveillance.senior_false_match_multiplier",
            s.senior_false_match_multiplier, 1.0, 20.0, 0.5,
            "How many times more often seniors are wrongly matched.")
    _slider(st, "Wrong matches (worst algorithm)", "surveillance.false_match_rate",
            s.false_match_rate, 0.0, 0.5, 0.01,
            "Share of camera records pinned on the wrong person by the worst algorithm.")
    _slider(st, "Algorithm quality", "surveillance.algorithm_quality",
            s.algorithm_quality, 0.0, 1.0, 0.05,
            "0 = worst, 1 = best: better algorithms err less and differ less by group.")
    _slider(st, "Cameras follow records (per month)", "surveillance.adaptive_rate",
            s.adaptive_rate, 0.0, 1.0, 0.01,
            "How far cameras move each month towards where infractions were recorded.")
    _toggle(st, "Correct for where cameras look", "surveillance.adaptive_correction",
            s.adaptive_correction,
            "Count each record inversely to the coverage that found it (Ensign et al.).")
    _slider(st, "Appeals: share reversed", "surveillance.appeal_rate", s.appeal_rate,
            0.0, 1.0, 0.05, "Share of wrong matches contested and reversed.")


def _friends_controls(scenario: Scenario) -> None:
    """Friends' weight, exclusion, gaming and the groups' behaviour."""
    n = scenario.network
    _slider(st, "Friends' weight", "network.peer_weight", n.peer_weight, 0.0, 1.0, 0.05,
            "Alleged: how much friends' scores pull yours (0.05 is the 5% explainer sites "
            "give the relationships dimension).")
    _slider(st, "Homophily", "network.homophily", n.homophily, 0.0, 1.0, 0.05,
            "Share of friends from one's own district and group.")
    _slider(st, "Exclusion threshold", "network.exclusion_threshold",
            n.exclusion_threshold, 360, 940, 10,
            "People above it drop friends below it.")
    _slider(st, "Exclusion rate", "network.exclusion_rate", n.exclusion_rate, 0.0, 1.0,
            0.05, "Share of ties across the threshold that break each month.")
    g = scenario.gaming
    _slider(st, "Gaming window (points below a perk)", "gaming.window", g.window, 0, 300, 5,
            "How far below a perk threshold people start gaming.")
    _slider(st, "Gaming propensity", "gaming.propensity", g.propensity, 0.0, 1.0, 0.05,
            "Monthly chance a person in the window games the score.")
    _slider(st, "Minority reliability shift", "population.minority_reliability_shift",
            scenario.population.minority_reliability_shift, -0.3, 0.3, 0.01,
            "0: both groups behave alike, so every gap is made by the system. Anything "
            "else builds a behaviour difference into the world.")


def _mechanism_controls(scenario: Scenario) -> None:
    """One switch per source of bias, feedback loop and remedy."""
    for kind, title in (("bias", "Sources of bias"), ("loop", "Feedback loops"),
                        ("remedy", "Remedies"), ("law", "The law (GDPR, EU AI Act)")):
        st.markdown(f"**{title}**")
        for mechanism in REGISTRY:
            if mechanism.kind == kind:
                _toggle(st, mechanism.title, f"mechanisms.{mechanism.key}",
                        getattr(scenario.mechanisms, mechanism.key),
                        f"{mechanism.description} ({PROVENANCE[mechanism.provenance]}.)")


# Tables whose settings the sections above draw by hand, with words of their own.
DRAWN_BY_HAND = {"surveillance", "consequences", "lending", "network", "gaming"}


def _bounds(field: Any) -> tuple[float | None, float | None]:
    low = high = None
    for meta in field.metadata:
        low = getattr(meta, "ge", None) if getattr(meta, "ge", None) is not None else low
        high = getattr(meta, "le", None) if getattr(meta, "le", None) is not None else high
    return low, high


def settings_controls(mechanism: Any, scenario: Scenario) -> None:
    """A mechanism's own settings, drawn from its settings model: nothing written twice."""
    values = getattr(scenario, mechanism.section)
    for name, field in mechanism.settings.model_fields.items():
        path, value = f"{mechanism.section}.{name}", getattr(values, name)
        label = field.title or name.replace("_", " ").capitalize()
        if isinstance(value, bool):
            _toggle(st, label, path, value, field.description or "")
            continue
        choices = get_args(field.annotation)
        if isinstance(value, str) and choices:
            key = _key(path)
            st.selectbox(label, choices, index=choices.index(value), key=key,
                         help=field.description or "", on_change=_changed, args=(path, key))
            continue
        low, high = _bounds(field)
        if low is None or high is None or not isinstance(value, int | float):
            continue  # tables and lists: the scenario file and the command line
        if isinstance(value, int):
            step = 1 if high - low <= 60 else 10
            _slider(st, label, path, value, int(low), int(high), step, field.description or "")
        else:
            step = 0.01 if high - low <= 1 else 0.05
            _slider(st, label, path, float(value), float(low), float(high), step,
                    field.description or "")


def _own_sections() -> tuple:
    """One folding section per settings table of its own (the law's principles share one)."""
    found: dict[str, list] = {}
    for m in REGISTRY:
        if m.settings is not None and m.section not in DRAWN_BY_HAND:
            found.setdefault(m.section, []).append(m)
    return tuple(
        ("The law: settings" if section == "law" else f"{ms[0].title}: settings", section,
         False, lambda scenario, ms=ms: [settings_controls(m, scenario) for m in ms])
        for section, ms in found.items())


def _file_controls(scenario: Scenario) -> None:
    """Download the scenario and load one."""
    st.download_button("Download scenario (TOML)", to_toml(scenario),
                       file_name=f"{scenario.name}.toml", mime="application/toml",
                       help="Save every setting; load it again below.")
    key = _key("upload")
    st.file_uploader("Load a scenario (TOML)", type=["toml"], key=key,
                     max_upload_size=1,
                     help=f"A scenario file, at most {MAX_SCENARIO_BYTES // 1000} kB. "
                     "A file with problems is not loaded and nothing is lost.",
                     on_change=_uploaded, args=(key,))
    for problem in st.session_state.get("upload_problems", []):
        st.error(problem, icon=":material/error:")


# The panel's folding sections: title, key, open at first, what they draw.
SECTIONS = (
    ("Rules: points per event", "rules", False, _rule_controls),
    ("Bands, perks and penalties", "bands", False, _band_controls),
    ("Surveillance", "surveillance", False, _surveillance_controls),
    ("Friends and gaming", "friends", False, _friends_controls),
    *_own_sections(),
    ("Mechanisms: switch each on or off", "mechanisms", True, _mechanism_controls),
    ("Save and load", "files", False, _file_controls),
)


def _consequence_table(title: str, path: str, items: tuple, edge: str, effect: str) -> None:
    st.markdown(f"**{title}**")
    frame = pd.DataFrame([{
        "Score": getattr(item, edge), "Consequence": item.name, "Context": item.context,
        "Hardship": (-1 if effect == "relief" else 1) * getattr(item, effect),
        "Provenance": PROVENANCE[item.provenance].split(" (")[0],
    } for item in items])
    key = _key(path)
    st.data_editor(
        frame, key=key, hide_index=True, num_rows="fixed",
        disabled=["Consequence", "Context", "Provenance"],
        on_change=_consequences_changed, args=(key, path, edge, effect),
        column_config={
            "Score": st.column_config.NumberColumn(min_value=351, max_value=949, step=10),
            "Hardship": st.column_config.NumberColumn(
                min_value=-1.0, max_value=1.0, step=0.01, format="%+.2f",
                help="Hardship taken away (negative) or added while it applies."),
        },
    )


def _district_table(scenario: Scenario) -> None:
    st.markdown("**Districts**")
    frame = pd.DataFrame([{
        "District": d.name, "People": d.population_share, "Minority": d.minority_share,
        "Platform": d.platform_share, "Cameras": d.camera_coverage,
        "Street activity": d.street_activity,
    } for d in scenario.districts])
    key = _key("districts")
    columns = {"People": "population_share", "Minority": "minority_share",
               "Platform": "platform_share", "Cameras": "camera_coverage",
               "Street activity": "street_activity"}
    share = st.column_config.NumberColumn(min_value=0.0, max_value=1.0, step=0.01, format="%.2f")
    st.data_editor(
        frame, key=key, hide_index=True, num_rows="fixed", disabled=["District"],
        on_change=_table_changed, args=(key, "districts", columns),
        column_config={
            "People": share, "Minority": share,
            "Platform": st.column_config.NumberColumn(
                min_value=0.0, max_value=1.0, step=0.01, format="%.2f",
                help="Share of payments through the platform (the rest is cash)."),
            "Cameras": st.column_config.NumberColumn(
                min_value=0.0, max_value=1.0, step=0.01, format="%.2f",
                help="Chance a street infraction here is recorded."),
            "Street activity": st.column_config.NumberColumn(
                min_value=0.1, max_value=5.0, step=0.05, format="%.2f",
                help="How often infractions truly happen here, relative to elsewhere."),
        },
    )
