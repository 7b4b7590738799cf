"""The share bar: the link to this exact run and view, and the downloads."""

from __future__ import annotations

import json
from urllib.parse import urlsplit, urlunsplit

import streamlit as st

from scoring.export import history_csv_gz, monthly_summary
from ui.runs import Run


def share_url(token: str) -> str:
    """The address of this page with the scenario in it."""
    try:
        parts = urlsplit(st.context.url or "")
    except (AttributeError, ValueError):
        parts = urlsplit("")
    base = urlunsplit((parts.scheme or "http", parts.netloc or "localhost:8501", parts.path,
                       "", ""))
    extra = "".join(f"&{k}={v}" for k, v in st.query_params.items() if k != "s")
    return f"{base}?s={token}{extra}"


def bar(current: Run, token: str) -> None:
    """Share link and downloads, above every view."""
    scenario = current.scenario
    folder = st.expander("Share this run · download the data", icon=":material/share:",
                         key="section-share", on_change="rerun")
    if not folder.open:
        return  # built only when opened, so the first page draws fast
    with folder:
        st.markdown("Anyone who opens this link sees the same run and the same view "
                    "(use the copy button on the right):")
        st.code(share_url(token), language=None, wrap_lines=True)
        people = current.result.size * (current.result.months + 1)
        cols = st.columns(3)
        cols[0].download_button(
            "Summary by month (CSV)",
            lambda: monthly_summary(current.metrics).to_csv(index=False),
            file_name=f"{scenario.name}-by-month.csv", mime="text/csv",
            help="One row per month: mean scores by group and district, the gap, "
            "perk rates, lock-in and every other monthly metric. A few kilobytes.")
        cols[1].download_button(
            "Every person, every month (CSV, gzip)", lambda: history_csv_gz(current.result),
            file_name=f"{scenario.name}-history.csv.gz", mime="application/gzip",
            help=f"{people:,} rows: score, band, points by dimension, true-behaviour "
            "score. Compressed to about a quarter of the plain CSV; spreadsheets and pandas "
            "open it after unzipping (pandas reads it as it is).")
        cols[2].download_button(
            "Metrics (JSON)", json.dumps(current.metrics, indent=1),
            file_name=f"{scenario.name}-metrics.json", mime="application/json",
            help="Every bias metric, per month and final (see docs/metrics.md).")
        st.caption("On a computer every chart downloads as PNG from its toolbar; every "
                   "chart's numbers are in its table.")
