"""Private by design: nothing reported, no user text as HTML or code."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CONFIG = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text())
SOURCES = [p for folder in ("app.py", "ui", "scoring", "personas")
           for p in ([ROOT / folder] if folder.endswith(".py") else (ROOT / folder).rglob("*.py"))]


def test_usage_statistics_are_off():
    assert CONFIG["browser"]["gatherUsageStats"] is False


def test_no_outside_lookup_of_the_public_address():
    # Without a named address Streamlit asks an outside service for it at start-up.
    assert CONFIG["browser"]["serverAddress"]


def test_xsrf_protection_is_on_and_uploads_are_small():
    assert CONFIG["server"]["enableXsrfProtection"] is True
    assert CONFIG["server"]["maxUploadSize"] <= 1


def test_no_deploy_button():
    assert CONFIG["client"]["toolbarMode"] == "minimal"


# The one HTML the app sends: presenter mode's fixed style sheet, no user text in it.
ALLOWED_HTML = {"ui/present.py": "st.html(PRESENTER_CSS)"}


def test_no_html_rendering_eval_or_pickle_in_the_code():
    pattern = re.compile(r"unsafe_allow_html\s*=\s*True|st\.html\(|components\.html|"
                         r"\beval\(|\bexec\(|pickle\.loads?\(|yaml\.load\(")
    offenders = [f"{p.relative_to(ROOT)}:{i}" for p in SOURCES
                 for i, line in enumerate(p.read_text().splitlines(), 1)
                 if pattern.search(line)
                 and ALLOWED_HTML.get(str(p.relative_to(ROOT))) != line.strip()]
    assert offenders == []


def test_the_presenter_style_sheet_is_a_constant_without_user_text():
    from ui.present import PRESENTER_CSS

    assert PRESENTER_CSS.startswith("<style>") and PRESENTER_CSS.endswith("</style>")
    assert PRESENTER_CSS.count("<") == 2  # only the style tags: no element, no script
    assert "{" in PRESENTER_CSS and "script" not in PRESENTER_CSS.lower()
