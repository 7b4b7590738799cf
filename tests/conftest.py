"""Shared helpers: small, fast versions of the presets."""

from __future__ import annotations

import importlib.util
import os
import tempfile
from functools import cache
from typing import Any

import pytest

from scoring import Result, Scenario, compute_metrics, load_preset, simulate, with_changes

# `make unit` runs without Playwright installed: the one module that needs it to
# load (browser tests only, which `make unit` leaves out anyway) is then not
# collected. `make test` and `make browser` install Playwright first.
if importlib.util.find_spec("playwright") is None:
    collect_ignore = ["test_class_session.py"]

# The tests' class sessions go to a database of their own, never the project's
# .data/class.sqlite3 (app servers started by the tests inherit this too).
os.environ["CLASS_DB"] = os.path.join(tempfile.mkdtemp(prefix="scs-class-"), "class.sqlite3")
os.environ.pop("DATABASE_URL", None)

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


# The class-session storage: every storage test runs on SQLite and on PostgreSQL.
@pytest.fixture(scope="session")
def postgres_url():
    from postgres import postgres_server

    with postgres_server() as url:
        yield url


_databases = iter(range(1, 1_000_000))


@pytest.fixture(params=["sqlite", "postgresql"])
def database(request, tmp_path):
    """A fresh, empty class database of each kind; its URL."""
    from sqlalchemy import create_engine, text

    from classroom import db

    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path / 'class.sqlite3'}"
    else:
        server = request.getfixturevalue("postgres_url")
        name = f"class_test_{next(_databases)}"
        admin = create_engine(server, isolation_level="AUTOCOMMIT")
        with admin.connect() as connection:
            connection.execute(text(f"CREATE DATABASE {name}"))
        admin.dispose()
        url = server.rsplit("/", 1)[0] + f"/{name}"
    yield url
    db.forget(url)
