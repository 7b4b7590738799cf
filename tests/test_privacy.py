"""Private by design: nothing reported, no user text as HTML or code."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SOURCES = [p for folder in ("app.py", "ui", "scoring", "personas")
           for p in ([ROOT / folder] if folder.endswith(".py") else (ROOT / folder).rglob("*.py"))]


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    """The options as Streamlit itself reads them where make run starts it."""
    script = ("import json, streamlit.config as c; c.get_config_options(force_reparse=True); "
              f"print(json.dumps({{k: c.get_option(k) for k in {OPTIONS!r}}}))")
    out = subprocess.run([sys.executable, "-c", script], cwd=ROOT, capture_output=True,
                         text=True, check=True, env={**os.environ, "HOME": str(
                             tmp_path_factory.mktemp("home"))})
    return json.loads(out.stdout.strip().splitlines()[-1])


OPTIONS = ["browser.gatherUsageStats", "browser.serverAddress", "server.enableXsrfProtection",
           "server.maxUploadSize", "client.toolbarMode", "client.showErrorDetails"]


def test_usage_statistics_are_off_as_the_server_reads_them(served):
    # A misspelled key in config.toml would leave Streamlit's default (on): read it as it does.
    assert served["browser.gatherUsageStats"] is False


def test_no_outside_lookup_of_the_public_address(served):
    # Without a named address Streamlit asks an outside service for it at start-up.
    assert served["browser.serverAddress"] == "localhost"


def test_xsrf_protection_is_on_and_uploads_are_small(served):
    assert served["server.enableXsrfProtection"] is True
    assert served["server.maxUploadSize"] <= 1


def test_no_deploy_button_and_no_tracebacks(served):
    assert served["client.toolbarMode"] == "minimal"
    assert served["client.showErrorDetails"] == "none"


# The HTML the app sends: fixed style sheets (layout, presenter mode) and the fixed
# scripts that keep keyboard focus and one history entry per page; no user text.
ALLOWED_HTML = {"ui/present.py": ("st.html(STYLE_SHEETS[is_on()])", "st.html(LESSON_CSS)",
                                  "st.html(PAGE_SCRIPTS, unsafe_allow_javascript=True)")}


def test_no_html_rendering_eval_or_pickle_in_the_code():
    pattern = re.compile(r"unsafe_allow_html\s*=\s*True|st\.html\(|components\.html|"
                         r"\beval\(|\bexec\(|pickle\.loads?\(|yaml\.load\(")
    offenders = [f"{p.relative_to(ROOT)}:{i}" for p in SOURCES
                 for i, line in enumerate(p.read_text().splitlines(), 1)
                 if pattern.search(line)
                 and line.strip() not in ALLOWED_HTML.get(str(p.relative_to(ROOT)), ())]
    assert offenders == []


def test_the_style_sheets_are_constants_without_user_text():
    from ui.present import LAYOUT_CSS, LESSON_CSS, PRESENTER_CSS, STYLE_SHEETS

    for sheet in (LAYOUT_CSS, PRESENTER_CSS, LESSON_CSS):
        assert sheet.startswith("<style>") and sheet.endswith("</style>")
        assert sheet.count("<") == 2  # only the style tags: no element, no script
        assert "{" in sheet and "script" not in sheet.lower()
    assert STYLE_SHEETS == (LAYOUT_CSS, LAYOUT_CSS + PRESENTER_CSS)


@pytest.mark.parametrize("name", ["FOCUS_SCRIPT", "HISTORY_SCRIPT", "PANEL_SCRIPT",
                                  "MISSING_SCRIPT"])
def test_the_page_scripts_are_constants_that_send_nothing(name):
    from ui import present

    script = getattr(present, name)
    assert script in present.PAGE_SCRIPTS
    assert script.startswith("<script>") and script.endswith("</script>")
    assert script.count("<script>") == 1
    # Each moves the focus or keeps the history and nothing else: no request, no
    # storage, no markup written.
    for word in ("fetch", "XMLHttpRequest", "WebSocket", "sendBeacon", "localStorage",
                 "cookie", "innerHTML", "outerHTML", "eval", "Function(", "src", "href="):
        assert word not in script, word
