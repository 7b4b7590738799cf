"""Small text helpers: user text shown as text, never as markup."""

from __future__ import annotations

import re

import streamlit as st

_MARKDOWN = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~$:])")


def escape(text: str) -> str:
    """Text safe to put inside Markdown: every markup character escaped."""
    return _MARKDOWN.sub(r"\\\1", str(text))


def how_to_read(text: str) -> None:
    """The one-sentence reading under a chart."""
    st.caption(f"**How to read this:** {text}")


def number(value: float | None, digits: int = 1) -> str:
    """A metric for display; a dash when it is not defined."""
    return "–" if value is None else f"{value:,.{digits}f}"
