"""The layers: schema -> simulation -> analysis -> front ends, never backwards.

A mechanism module is one place for one mechanism, so it holds both its
declaration (read by the scenario) and its actions (run by the engine); it
may use schema and simulation parts but never the engine itself or analysis.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SCHEMA = {"scoring.constants", "scoring.events", "scoring.fields", "scoring.catalogue",
          "scoring.scenario", "scoring.presets"}
SIMULATION = {"scoring.compiled", "scoring.population", "scoring.behaviour",
              "scoring.network", "scoring.rules", "scoring.eventlog", "scoring.engine",
              "scoring.mechanisms", "scoring.law", "scoring.uniforms"}
ANALYSIS = {"scoring.metrics", "scoring.counterfactual", "scoring.lessons", "scoring.export",
            "scoring.sharelink", "scoring.budget", "scoring.ensemble",
            "scoring.calibration", "scoring.regulation"}
FRONT = {"scoring.cli", "scoring.__main__", "scoring.allocator", "ui", "app", "streamlit", "plotly"}


def _module(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts = parts[:-1]
    return ".".join(parts)


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found |= {a.name for a in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module)
            found |= {f"{node.module}.{a.name}" for a in node.names}
    return found


def _in(name: str, layer: set[str]) -> bool:
    return any(name == part or name.startswith(part + ".") for part in layer)


MODULES = {_module(p): _imports(p) for folder in ("scoring", "personas")
           for p in (ROOT / folder).rglob("*.py")}


@pytest.mark.parametrize("name", sorted(MODULES))
def test_no_module_imports_a_layer_above_its_own(name):
    imports = MODULES[name]
    if name.startswith("personas"):
        above = {"scoring", "ui", "streamlit", "plotly"}
    elif _in(name, SCHEMA):
        above = SIMULATION - {"scoring.mechanisms"} | ANALYSIS | FRONT
    elif name.startswith("scoring.mechanisms"):
        above = {"scoring.engine", "scoring.population"} | ANALYSIS | FRONT
    elif _in(name, SIMULATION):
        above = ANALYSIS | FRONT
    elif _in(name, ANALYSIS):
        above = FRONT
    else:
        above = {"ui", "app", "streamlit", "plotly"}  # the command line draws nothing
    wrong = sorted(i for i in imports if _in(i, above))
    assert wrong == [], f"{name} imports {wrong}"


def test_every_engine_module_has_a_layer():
    unplaced = [name for name in MODULES if name.startswith("scoring")
                and not any(_in(name, layer) for layer in (SCHEMA, SIMULATION, ANALYSIS, FRONT))
                and name != "scoring"]
    assert unplaced == []


CLASSROOM = {_module(p): _imports(p) for p in (ROOT / "classroom").rglob("*.py")}


@pytest.mark.parametrize("name", sorted(CLASSROOM))
def test_the_class_sessions_never_import_the_app(name):
    # A front end beside the command line: it may read the engine and its
    # analysis, never the app (the command line's admin uses it without one).
    wrong = sorted(i for i in CLASSROOM[name] if _in(i, {"ui", "app", "streamlit", "plotly"}))
    assert wrong == [], f"{name} imports {wrong}"


# Collects the unit tests in a Python where Playwright and axe cannot be imported.
WITHOUT_PLAYWRIGHT = """
import importlib.util, sys
BLOCKED = ("playwright", "axe_playwright_python")
real = importlib.util.find_spec
importlib.util.find_spec = lambda name, *a: None if name.startswith(BLOCKED) else real(name, *a)
for name in ("playwright", "playwright.sync_api", "axe_playwright_python",
             "axe_playwright_python.sync_playwright"):
    sys.modules[name] = None
import pytest
sys.exit(pytest.main(["-q", "--collect-only", "-m", "not browser", "-p", "no:cacheprovider"]))
"""


def test_the_unit_tests_load_without_playwright():
    """`make unit` needs no browser tools: every module collects without Playwright."""
    import subprocess
    import sys

    done = subprocess.run([sys.executable, "-c", WITHOUT_PLAYWRIGHT], cwd=ROOT,
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0 and "ERROR " not in done.stdout, done.stdout[-2000:]
    assert " tests collected" in done.stdout
