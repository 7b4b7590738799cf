"""Shared helpers: small, fast versions of the presets."""

from __future__ import annotations

from functools import cache
from typing import Any

import pytest

from scoring import Result, Scenario, compute_metrics, load_preset, simulate, with_changes

# Small enough to run in a fraction of a second, large enough for directions
# to show above sampling noise.
SMALL = {"population.size": 3000, "months": 48}


def small(name: str, **changes: Any) -> Scenario:
    """A preset at test size, with dotted-path changes (``__`` for ``.``)."""
    settings = dict(SMALL)
    settings.update({k.replace("__", "."): v for k, v in changes.items()})
    return with_changes(load_preset(name), settings)


@cache
def _run(scenario_json: str) -> tuple[Result, dict]:
    scenario = Scenario.model_validate_json(scenario_json)
    result = simulate(scenario)
    return result, compute_metrics(result)


def run(scenario: Scenario) -> tuple[Result, dict]:
    """Simulate and compute metrics, cached within the test session."""
    return _run(scenario.model_dump_json())


@pytest.fixture
def run_scenario():
    return run


# The browser tests' app server and Debian's Chromium: one of each per test module.
@pytest.fixture(scope="module")
def server():
    from browser import app_server

    with app_server() as url:
        yield url


@pytest.fixture(scope="module")
def chromium():
    from browser import CHROMIUM_ARGS, chromium_path
    from playwright.sync_api import sync_playwright  # only the browser tests need it

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_ARGS)
        yield browser
        browser.close()
