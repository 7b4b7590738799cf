"""Colours and chart styling shared by every view.

Colours start from the Okabe-Ito palette (safe for the common forms of colour
blindness), darkened or lightened where a line would be too faint on a white or a
dark background; bands use viridis, ordered from dark (poor) to light (excellent).
A group or a district keeps its colour in every chart.
"""

from __future__ import annotations

from typing import Any

import plotly.graph_objects as go
import streamlit as st

from scoring.constants import BAND_NAMES, SCORE_MAX, SCORE_MIN

# Majority blue, minority orange. Every colour that marks a line has at least 3:1
# contrast against both the light (white) and the dark chart background, and stays
# apart from the others under protan, deutan and tritan simulation (tests/test_colours.py).
GROUP_COLOURS = ("#0072B2", "#DC7000")
DISTRICT_COLOURS = ("#009E73", "#2F80ED", "#D55E00", "#CC79A7", "#6060A8", "#786030",
                    "#9018F0", "#F01848")
BAND_COLOURS = dict(zip(BAND_NAMES, ("#440154", "#3B528B", "#21918C", "#5EC962", "#FDE725"),
                        strict=True))
# A reference line (zero, the four-fifths line, "no effect", "fair"): a grey of
# at least 3:1 on white and on the dark background alike, so it is seen in every
# theme and presenter mode, and never a colour that names a group or district.
REFERENCE = "#808080"
TWIN_DASH = "dot"
FONT_SIZE = 16


def _theme() -> str:
    return "dark" if getattr(st.context.theme, "type", None) == "dark" else "light"


def ink() -> str:
    """Black on the light theme, white on the dark one (for the line that matters most)."""
    return "#FFFFFF" if _theme() == "dark" else "#000000"


# The name of an annotation drawn on a patch of the page's colour (a loop
# diagram arrow's label); presenter mode repaints the patch white.
ON_PAPER = "on paper"


# The page's own colour by theme (Streamlit's; a browser test checks they agree).
PAPER = {"light": "#FFFFFF", "dark": "#171614"}
# A chart's own text by theme: Streamlit's chart grey is 3.7:1 on white, under
# the 4.5:1 of WCAG AA for text; this one is 6.3:1 (and Streamlit's light grey,
# kept on the dark theme, 13:1).
CHART_TEXT = {"light": "#5C5F6E", "dark": "#E6EAF1"}
# The loop diagram's labels by theme, for a loop switched on and one off: text,
# so at least 4.5:1 on the page (the arrows' own orange is 3.9:1 on white).
LOOP_TEXT = {"light": {True: "#B34D00", False: "#6B6B6B"},
             "dark": {True: "#D55E00", False: "#A0A0A0"}}


def chart_text() -> str:
    """The colour of a chart's own text (ticks, axis titles, numbers on bars)."""
    return CHART_TEXT[_theme()]


def paper() -> str:
    """The page's own colour: white on the light theme, Streamlit's dark on the dark one."""
    return PAPER[_theme()]


def loop_text(on: bool) -> str:
    """The colour of a loop diagram label, for a loop switched on or off."""
    return LOOP_TEXT[_theme()][on]


def group_colours(labels: tuple[str, str] | list[str]) -> dict[str, str]:
    """Colour per group label."""
    return dict(zip(labels, GROUP_COLOURS, strict=True))


def district_colours(names: list[str]) -> dict[str, str]:
    """Colour per district name, in scenario order."""
    return {name: DISTRICT_COLOURS[i % len(DISTRICT_COLOURS)] for i, name in enumerate(names)}


def style(fig: go.Figure, title: str | None = None, *, y_title: str | None = None,
          x_title: str | None = "month", height: int = 420) -> go.Figure:
    """Large type, a clear title and axis labels: legible from the back of a classroom."""
    fig.update_layout(
        title={"text": title, "font": {"size": FONT_SIZE + 3}} if title else None,
        font={"size": FONT_SIZE, "color": chart_text()},
        height=height,
        margin={"l": 10, "r": 10, "t": 50 if title else 20, "b": 30},
        legend={"orientation": "h", "yanchor": "top", "y": -0.28, "xanchor": "left", "x": 0,
                "title": None},
        hoverlabel={"font_size": FONT_SIZE},
        # No drag-to-zoom: a swipe that starts on a chart scrolls the page on a phone;
        # a tap or hover still shows the values, and the toolbar still zooms.
        dragmode=False,
    )
    # The theme's template colours axes' text itself: readable grey there too.
    fig.update_xaxes(tickfont_color=chart_text(), title_font_color=chart_text())
    fig.update_yaxes(tickfont_color=chart_text(), title_font_color=chart_text())
    if x_title is not None:
        fig.update_xaxes(title_text=x_title)
    if y_title is not None:
        fig.update_yaxes(title_text=y_title)
    return fig


def band_background(fig: go.Figure, edges: tuple[int, ...], low: float = SCORE_MIN,
                    high: float = SCORE_MAX) -> go.Figure:
    """Shade the score bands behind a chart whose y axis is the score."""
    bounds = [SCORE_MIN, *edges, SCORE_MAX + 1]
    shapes, notes = [], []
    for name, lo, hi in zip(BAND_NAMES, bounds, bounds[1:], strict=False):
        if hi <= low or lo >= high:
            continue
        y0, y1 = max(lo, low), min(hi, high)
        shapes.append(band_shape(name, {"xref": "x domain", "x0": 0, "x1": 1,
                                        "yref": "y", "y0": y0, "y1": y1}))
        notes.append({"text": name, "showarrow": False, "font": {"size": FONT_SIZE - 3},
                      "xref": "x domain", "x": 1, "xanchor": "right",
                      "yref": "y", "y": (y0 + y1) / 2, "yanchor": "middle"})
    add_shapes(fig, shapes, notes)
    fig.update_yaxes(range=[low, high])
    return fig


def band_shape(name: str, where: dict[str, Any]) -> dict[str, Any]:
    """A band's shaded rectangle, drawn below the data."""
    return {"type": "rect", "fillcolor": BAND_COLOURS[name], "opacity": 0.12,
            "line": {"width": 0}, "layer": "below", **where}


def add_shapes(fig: go.Figure, shapes: list[dict], notes: list[dict]) -> None:
    """Add shapes and annotations in one layout update (one by one is slow in plotly)."""
    fig.update_layout(shapes=[*fig.layout.shapes, *shapes],
                      annotations=[*fig.layout.annotations, *notes])


def chart_config(filename: str) -> dict[str, Any]:
    """Plotly settings: a PNG download and a reset in the chart's toolbar, no logo."""
    return {
        "displaylogo": False,
        "toImageButtonOptions": {"format": "png", "filename": filename, "scale": 2},
        # Two buttons only, the PNG download and "reset axes": a toolbar short enough
        # never to cover a chart's title (a drag still zooms, a double-click resets).
        "modeBarButtonsToRemove": ["lasso2d", "select2d", "zoom2d", "pan2d", "zoomIn2d",
                                   "zoomOut2d", "autoScale2d"],
        "scrollZoom": False,
    }
