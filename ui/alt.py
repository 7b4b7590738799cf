"""Every chart's text alternative: one sentence in words, and its numbers as a table.

A screen reader, a phone in the sun and a student who wants the exact figure
all get the same thing: :func:`show` draws the chart, then a sentence that
:func:`describe` writes from the figure as it is now (not a fixed caption), then
the chart's numbers (:func:`numbers`) in a table behind an expander.

A chart function can write its own sentence in ``fig.layout.meta["alt"]`` and
its own rows in ``fig.layout.meta["table"]`` when better ones are known (the
loop diagram lists its arrows; the effect bars their intervals).
"""

from __future__ import annotations

import re
from numbers import Number
from typing import Any

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from ui import present
from ui.text import escape
from ui.theme import ON_PAPER, chart_config

# At most this many series are named in the sentence; the table has them all.
NAMED = 4
_TAGS = re.compile(r"<[^>]+>")


def _plain(text: Any) -> str:
    return _TAGS.sub(" ", str(text or "")).replace("  ", " ").strip()


def _fmt(value: Any) -> str:
    if isinstance(value, str) or not isinstance(value, Number):
        return str(value)
    value = float(value)
    if value.is_integer() and abs(value) >= 10:
        return f"{value:,.0f}"
    return f"{value:,.1f}" if abs(value) >= 10 else f"{value:.3g}"


def _series(fig: go.Figure) -> list[tuple[str, list, list, str]]:
    """The data traces: (name, x, y, type); shaded ranges and labels left out."""
    out = []
    y_title = _plain(fig.layout.yaxis.title.text) or "value"
    for trace in fig.data:
        if trace.type not in ("scatter", "bar", "waterfall"):
            continue
        if getattr(trace, "fill", None) or trace.hoverinfo == "skip":
            continue
        x, y = list(trace.x if trace.x is not None else []), list(
            trace.y if trace.y is not None else [])
        if getattr(trace, "orientation", None) == "h":
            x, y = y, x
        if not y:
            continue
        name = _plain(trace.name) or ("" if trace.type != "scatter" else y_title)
        out.append((name, x, y, trace.type))
    return out


def _line_words(name: str, x: list, y: list, x_title: str) -> str:
    points = [(a, b) for a, b in zip(x, y, strict=False) if b is not None]
    if not points:
        return f"{name}: no values"
    (x0, y0), (x1, y1) = points[0], points[-1]
    low = min(points, key=lambda p: p[1])
    high = max(points, key=lambda p: p[1])
    words = (f"{name} goes from {_fmt(y0)} ({x_title} {_fmt(x0)}) "
             f"to {_fmt(y1)} ({x_title} {_fmt(x1)})")
    if low[1] < min(y0, y1) or high[1] > max(y0, y1):
        words += f", between {_fmt(low[1])} and {_fmt(high[1])}"
    return words


def _bar_words(name: str, x: list, y: list, x_title: str, y_title: str) -> str:
    pairs = [(a, b) for a, b in zip(x, y, strict=False) if b is not None]
    if len(pairs) <= 8:
        inner = "; ".join(f"{_plain(a)}: {_fmt(b)}" for a, b in pairs)
        return f"{name}: {inner}" if name else inner
    top = max(pairs, key=lambda p: p[1])
    used = [a for a, b in pairs if b]
    span = f", from {_fmt(used[0])} to {_fmt(used[-1])}" if used else ""
    amount = f"{_fmt(top[1])} {y_title}".strip()  # a chart with no y title: the number alone
    return f"{name} peaks at {x_title} {_fmt(top[0])} ({amount}){span}"


def describe(fig: go.Figure) -> str:
    """One sentence saying what the chart shows, written from its data."""
    meta = fig.layout.meta
    if isinstance(meta, dict) and meta.get("alt"):
        return str(meta["alt"])
    title = _plain(fig.layout.title.text)
    heatmaps = [t for t in fig.data if t.type == "heatmap"]
    if heatmaps:
        h = heatmaps[0]
        return (f"{title or 'A grid'}: {len(h.y)} rows by {len(h.x)} columns; each cell's "
                "number is in the table.")
    x_title = _plain(fig.layout.xaxis.title.text) or "x"
    y_title = _plain(fig.layout.yaxis.title.text)
    series = _series(fig)
    if not series:
        return title or "A chart."
    parts = []
    for name, x, y, kind in series[:NAMED]:
        numeric = all(isinstance(v, Number) for v in x)
        if kind == "scatter" and numeric and len(x) > 2:
            parts.append(_line_words(name, x, y, x_title))
        else:
            parts.append(_bar_words(name, x, y, x_title, y_title))
    more = len(series) - NAMED
    tail = f"; and {more} more in the table" if more > 0 else ""
    head = f"{title}: " if title else ""
    return head + "; ".join(parts) + tail + "."


def numbers(fig: go.Figure) -> pd.DataFrame:
    """The chart's numbers: one column per series, one row per x value.

    A chart function may put its own rows in ``fig.layout.meta["table"]``.
    """
    meta = fig.layout.meta
    if isinstance(meta, dict) and meta.get("table"):
        return pd.DataFrame(meta["table"])
    heatmaps = [t for t in fig.data if t.type == "heatmap"]
    if heatmaps:
        h = heatmaps[0]
        table = pd.DataFrame(list(h.z), index=[str(v) for v in h.y],
                             columns=[str(v) for v in h.x]).round(1)
        table.index.name = _plain(fig.layout.yaxis.title.text) or "row"
        return table.reset_index()
    x_title = _plain(fig.layout.xaxis.title.text) or "x"
    columns: dict[str, pd.Series] = {}
    for name, x, y, _ in _series(fig):
        label = name
        while label in columns:
            label += " "
        index = [_plain(v) if isinstance(v, str) else v for v in x] or list(range(len(y)))
        column = pd.Series(y, index=index, dtype="float64")
        columns[label] = column[~column.index.duplicated()]
    if not columns:
        return pd.DataFrame()
    table = pd.DataFrame(columns).round(2)
    table.index.name = x_title if x_title not in columns else f"{x_title} (axis)"
    return table.reset_index()


# Presenter mode: chart text at least this big (px), black on white in either theme.
PROJECTOR_FONT = 20
PROJECTOR_SMALLEST = 18


def for_projector(fig: go.Figure) -> go.Figure:
    """The figure as presenter mode draws it: larger type, black on white."""
    fig.update_layout(template="plotly_white", paper_bgcolor="#ffffff", plot_bgcolor="#ffffff",
                      font={"size": PROJECTOR_FONT, "color": "#000000"},
                      hoverlabel={"font_size": PROJECTOR_FONT})
    if fig.layout.title.text:
        fig.update_layout(title_font={"size": PROJECTOR_FONT + 4, "color": "#000000"})
    fig.update_annotations(font_size=PROJECTOR_SMALLEST, font_color="#000000")
    # An arrow's label sits on a patch of the page's colour, which is now white.
    fig.update_annotations(selector={"name": ON_PAPER}, bgcolor="#ffffff")
    axes = {"tickfont_size": PROJECTOR_SMALLEST, "tickfont_color": "#000000",
            "title_font_size": PROJECTOR_FONT, "title_font_color": "#000000"}
    fig.update_xaxes(**axes)
    fig.update_yaxes(**axes)
    for trace in fig.data:
        # A line in the dark theme's ink (white) is black on the projector's white.
        for part in ("line", "marker"):
            if part in trace and str(trace[part].color).upper() == "#FFFFFF":
                trace[part].color = "#000000"
        if "textfont" in trace:
            size = trace.textfont.size
            trace.textfont.size = max(size or 0, PROJECTOR_SMALLEST)
        for state in ("selected", "unselected"):  # a clicked point's text, black too
            if "textfont" in getattr(trace, state, {}) and trace[state].textfont.color:
                trace[state].textfont.color = "#000000"
    return fig


def show(fig: go.Figure, name: str, key: str | None = None, height: int | None = None,
         pick: bool = False) -> Any:
    """Draw a chart, its sentence, and its numbers on request.

    In presenter mode the chart is black on white with larger type whatever the
    system theme (``height`` then sets its height, to fit one screen). With
    ``pick`` a click on a point reruns the page and the chart's selection
    (Streamlit's event, its points' ``customdata`` included) is returned.
    """
    sentence = describe(fig)
    theme: str | None = "streamlit"
    if present.is_on():
        fig = for_projector(go.Figure(fig))
        if height:
            fig.update_layout(height=height)
        theme = None
    picking = {"on_select": "rerun", "selection_mode": "points"} if pick else {}
    event = st.plotly_chart(fig, config=chart_config(name), key=key or name, alt=sentence,
                            theme=theme, **picking)
    st.caption(f"**In words:** {escape(sentence)}")
    with st.expander("The chart's numbers as a table", icon=":material/table:"):
        table = numbers(fig)
        table.columns = [escape(str(c)) for c in table.columns]
        st.table(table, border="horizontal", hide_index=True, alt=f"The numbers of: {sentence}")
    return event if pick else None
