"""The session's scenario: one per browser session, never shared between users.

The scenario lives in ``st.session_state`` as the frozen, validated model
(read as it is, never parsed again) and as its JSON (the key of its runs). Controls change
it through :func:`apply_changes`, which validates the new scenario before it
replaces the old one: a bad change shows a message and loses nothing. Whole
replacements (a preset, an upload, a shared link) bump a version number, so
every control starts again from the new scenario's values.

The URL always holds the current scenario (``?s=TOKEN``, see
:mod:`scoring.sharelink`), so the address bar is the share link.
"""

from __future__ import annotations

from typing import Any

import streamlit as st

from scoring import Scenario, ScenarioError, load_preset, with_changes
from scoring.sharelink import decode, encode, nearest_preset

DEFAULT_PRESET = "baseline"

# Limits of the app (the engine accepts more; the command line is for big runs).
APP_MAX_POPULATION = 20_000
APP_MIN_POPULATION = 500
APP_MAX_MONTHS = 120
APP_MIN_MONTHS = 12
# Largest persons x months one run may take in the app (about 1 s of work).
APP_MAX_PERSON_MONTHS = 1_200_000


def _ss() -> Any:
    return st.session_state


def init() -> None:
    """Set up the session on its first run, then apply a shared link if one is new."""
    ss = _ss()
    if "scenario" not in ss:
        _keep(load_preset(DEFAULT_PRESET))
        ss.preset = DEFAULT_PRESET
        ss.version = 0
        ss.problems = []
        ss.notice = None
        ss.url_token = None
    token = st.query_params.get("s")
    if token and token != ss.url_token:
        ss.url_token = token
        try:
            scenario = decode(token)
            problems = fits_app(scenario)
            if problems:
                raise ScenarioError(problems)
        except ScenarioError as exc:
            ss.problems = ["This link could not be opened, so the current scenario stays: "
                           + p for p in exc.problems]
        else:
            replace(scenario, nearest_preset(scenario), notice="Opened the shared scenario.")


def _keep(scenario: Scenario) -> None:
    """Make ``scenario`` the session's (frozen: it can be shared by reference)."""
    ss = _ss()
    ss.scenario_model = scenario
    ss.scenario = scenario.model_dump_json()


def current() -> Scenario:
    """The session's scenario."""
    return _ss().scenario_model


def preset() -> str:
    """The preset the session's scenario started from."""
    return _ss().preset


def version() -> int:
    """Bumped at every whole replacement; part of every control's key."""
    return _ss().version


def fits_app(scenario: Scenario) -> list[str]:
    """Problems that keep a valid scenario out of the app (too big to run here)."""
    problems = []
    size, months = scenario.population.size, scenario.months
    if not APP_MIN_POPULATION <= size <= APP_MAX_POPULATION:
        problems.append(f"population.size = {size:,}: the app runs {APP_MIN_POPULATION:,} to "
                        f"{APP_MAX_POPULATION:,} persons (use the command line for more)")
    if not APP_MIN_MONTHS <= months <= APP_MAX_MONTHS:
        problems.append(f"months = {months}: the app runs {APP_MIN_MONTHS} to "
                        f"{APP_MAX_MONTHS} months")
    if size * months > APP_MAX_PERSON_MONTHS:
        problems.append(f"{size:,} persons x {months} months is more than the app runs at once "
                        f"({APP_MAX_PERSON_MONTHS:,} person-months): lower the population or "
                        "the months")
    return problems


def replace(scenario: Scenario, preset_name: str, notice: str | None = None) -> None:
    """Replace the whole scenario (preset, upload, link, reset)."""
    ss = _ss()
    _keep(scenario)
    ss.preset = preset_name
    ss.version += 1
    ss.problems = []
    ss.upload_problems = []  # an old file's problems no longer apply
    ss.notice = notice


def apply_changes(changes: dict[str, Any]) -> bool:
    """Apply dotted-path changes if the result is valid; else keep the scenario.

    Returns:
        True if the scenario changed.
    """
    ss = _ss()
    try:
        scenario = with_changes(current(), changes)
        problems = fits_app(scenario)
        if problems:
            raise ScenarioError(problems)
    except ScenarioError as exc:
        ss.problems = exc.problems
        ss.version += 1  # put every control back to the kept scenario's values
        return False
    _keep(scenario)
    ss.problems = []
    ss.notice = None
    return True


def problems() -> list[str]:
    """Messages about the last change that could not be made."""
    return list(_ss().problems)


def notice() -> str | None:
    """A one-off note about the last replacement."""
    return _ss().notice


def sync_url() -> str:
    """Put the current scenario into the address bar; return the token."""
    token = encode(current(), preset())
    ss = _ss()
    if st.query_params.get("s") != token:
        st.query_params["s"] = token
    ss.url_token = token
    return token
