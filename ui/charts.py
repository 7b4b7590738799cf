"""Figures for the views. Each takes results and returns a plotly figure.

Charts show aggregates (means, shares, histograms), never one point per
person, so they stay fast at any population size.
"""

from __future__ import annotations

import math
from functools import lru_cache
from typing import Any

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from scoring.constants import BAND_NAMES, DIMENSION_LABELS, DIMENSIONS, SCORE_MAX, SCORE_MIN
from scoring.engine import Result
from scoring.eventlog import label as label_of
from scoring.events import EVENTS_BY_KEY
from scoring.mechanisms import CORE_EDGES, MECHANISMS_BY_KEY, diagram_edges
from scoring.metrics import read
from ui.theme import (
    ON_PAPER,
    REFERENCE,
    TWIN_DASH,
    add_shapes,
    band_background,
    band_shape,
    district_colours,
    group_colours,
    ink,
    loop_text,
    paper,
    style,
)

SHORT_BANDS = dict(zip(BAND_NAMES, ("poor", "med.", "good", "v. good", "excellent"),
                       strict=True))



def series(metrics: dict[str, Any], *path: str) -> list[Any]:
    """One metric through the months: ``series(m, "mean_score", "by_group")``."""
    return [read(month, path) for month in metrics["by_month"]]


def _months(metrics: dict[str, Any]) -> list[int]:
    return [m["month"] for m in metrics["by_month"]]


def _padded(values: list[float], pad: float) -> tuple[float, float]:
    if not values:
        return SCORE_MIN, SCORE_MAX
    return max(SCORE_MIN, min(values) - pad), min(SCORE_MAX, max(values) + pad)


# A shape per line, so lines are told apart by more than colour (colour-blind readers,
# black-and-white handouts); a dozen marks per line are enough to follow it.
LINE_SYMBOLS = ("circle", "square", "diamond", "triangle-up", "x", "cross", "star",
                "triangle-down")


def line_marker(i: int, colour: str | None) -> dict[str, Any]:
    """The marks of the ``i``-th line of a chart."""
    return {"symbol": LINE_SYMBOLS[i % len(LINE_SYMBOLS)], "size": 9, "color": colour,
            "maxdisplayed": 12}


def _translucent(colour: str, alpha: float = 0.3) -> str:
    """A #rrggbb colour as rgba with some transparency."""
    r, g, b = (int(colour[i:i + 2], 16) for i in (1, 3, 5))
    return f"rgba({r},{g},{b},{alpha})"


def mean_lines(metrics: dict[str, Any], by: str, names: list[str], colours: dict[str, str],
               edges: tuple[int, ...], title: str, other: dict[str, Any] | None = None,
               other_name: str = "", band: dict[str, tuple[list, list]] | None = None,
               band_name: str = "") -> go.Figure:
    """Mean score of each group or district (``by``) by month, over the band colours.

    ``other`` draws a second run's lines dotted, named "NAME, ``other_name``";
    ``band`` shades, per name, the lowest to the highest value of each month
    over several seeds, named "NAME, ``band_name``".
    """
    fig = go.Figure()
    months = _months(metrics)
    values = []
    for name in names if band else ():
        low, high = band[name]
        count = min(len(months), len(low))
        xs = months[:count]
        fig.add_scatter(x=[*xs, *xs[::-1]], y=[*high[:count], *low[:count][::-1]],
                        fill="toself", fillcolor=_translucent(colours[name]),
                        line={"width": 0}, hoverinfo="skip", name=f"{name}, {band_name}")
        values += [v for v in (*low, *high) if v is not None]
    runs = [(metrics, "", 4, None)]
    if other is not None:
        runs.append((other, f", {other_name}", 2, TWIN_DASH))
    for run_metrics, suffix, width, dash in runs:
        means = series(run_metrics, "mean_score", by)
        for i, name in enumerate(names):
            ys = [m[name] for m in means]
            values += [y for y in ys if y is not None]
            fig.add_scatter(x=months, y=ys, name=f"{name}{suffix}", mode="lines+markers",
                            line={"color": colours[name], "width": width, "dash": dash},
                            marker=line_marker(i, colours[name]))
    band_background(fig, edges, *_padded(values, 40))
    return style(fig, title, y_title="mean score")


def group_means(metrics: dict[str, Any], labels: list[str], edges: tuple[int, ...],
                twin: dict[str, Any] | None = None, title: str = "Mean score by group",
                twin_name: str = "every loop off",
                band: dict[str, tuple[list, list]] | None = None,
                band_name: str = "") -> go.Figure:
    """Mean score of each group by month; dotted: the twin run; shaded: other seeds."""
    return mean_lines(metrics, "by_group", labels, group_colours(labels), edges, title,
                      twin, twin_name, band, band_name)


def district_means(metrics: dict[str, Any], names: list[str], edges: tuple[int, ...],
                   band: dict[str, tuple[list, list]] | None = None,
                   band_name: str = "") -> go.Figure:
    """Mean score of each district by month; shaded: the range over other seeds."""
    return mean_lines(metrics, "by_district", names, district_colours(names), edges,
                      "Mean score by district", band=band, band_name=band_name)


SCORE_BINS = np.arange(SCORE_MIN, SCORE_MAX + 11, 10)  # 10-point bins of the score


def _score_bars(fig: go.Figure, edges: tuple[int, ...], title: str, y_title: str) -> go.Figure:
    """Grouped bars of score bins over the band strips, styled for a score histogram."""
    bounds = [SCORE_MIN, *edges, SCORE_MAX]
    bands = list(zip(BAND_NAMES, bounds, bounds[1:], strict=False))
    add_shapes(fig, [band_shape(name, {"xref": "x", "x0": lo, "x1": hi, "yref": "y domain",
                                       "y0": 0, "y1": 1}) for name, lo, hi in bands],
               [{"x": (lo + hi) / 2, "y": 1.0, "yref": "paper", "yanchor": "bottom",
                 "text": SHORT_BANDS[name], "showarrow": False, "font": {"size": 12}}
                for name, lo, hi in bands])
    fig.update_layout(barmode="group", bargap=0.05)
    fig.update_xaxes(range=[SCORE_MIN, SCORE_MAX])
    fig = style(fig, title, x_title="score", y_title=y_title)
    fig.update_layout(margin={"t": 80})
    return fig


def _shares(scores: np.ndarray) -> np.ndarray:
    """Per cent of ``scores`` in each 10-point bin."""
    counts, _ = np.histogram(scores, bins=SCORE_BINS)
    return counts / max(1, counts.sum()) * 100


def histogram(result: Result, month: int, labels: list[str], edges: tuple[int, ...]) -> go.Figure:
    """Share of each group in 10-point score bins, in one month."""
    n = result.size
    scores = result.score[month, :n]
    group = result.population.group[:n]
    fig = go.Figure()
    colours = group_colours(labels)
    for code, label in enumerate(labels):
        fig.add_bar(x=SCORE_BINS[:-1] + 5, y=_shares(scores[group == code]), name=label,
                    marker_color=colours[label])
    return _score_bars(fig, edges, f"Scores in month {month}", "% of the group")


def histogram_against(result: Result, other: Result, other_name: str,
                      edges: tuple[int, ...]) -> go.Figure:
    """Everyone's final scores in 10-point bins: this run against a comparison run."""
    fig = go.Figure()
    for run, name, colour in ((result, "this run", "#332288"),
                              (other, other_name, "#8C8C8C")):
        fig.add_bar(x=SCORE_BINS[:-1] + 5, y=_shares(run.score[-1, : run.size]), name=name,
                    marker_color=colour)  # told apart by lightness, not hue alone
    return _score_bars(fig, edges, f"Scores in month {result.months}: this run and "
                       f"{other_name}", "% of people")


def line(metrics: dict[str, Any], path: tuple[str, ...], title: str, y_title: str,
         labels: list[str] | None = None, colours: dict[str, str] | None = None,
         line_at: float | None = None, line_text: str = "") -> go.Figure:
    """A metric through the months: one line, or one per label."""
    fig = go.Figure()
    months = _months(metrics)
    values = series(metrics, *path)
    if labels:
        for i, label in enumerate(labels):
            colour = (colours or {}).get(label)
            fig.add_scatter(x=months, y=[v[label] if v else None for v in values], name=label,
                            mode="lines+markers", line={"width": 4, "color": colour},
                            marker=line_marker(i, colour))
    else:
        # One line for everyone: black (white on the dark theme), not a group's colour.
        fig.add_scatter(x=months, y=values, mode="lines", showlegend=False,
                        line={"width": 4, "color": ink()})
    if line_at is not None:
        fig.add_hline(y=line_at, line_dash="dash", line_color=REFERENCE,
                      annotation_text=line_text, annotation_position="bottom right")
    return style(fig, title, y_title=y_title, height=330)


def mobility(matrix: list[list[float]], from_month: int, month: int) -> go.Figure:
    """Band mobility: rows = band then, columns = band now."""
    z = np.array([[v or 0.0 for v in row] for row in matrix]) * 100
    fig = go.Figure(go.Heatmap(
        z=z, x=list(BAND_NAMES), y=list(BAND_NAMES), colorscale="Viridis", zmin=0, zmax=100,
        text=np.round(z).astype(int), texttemplate="%{text}%", colorbar={"title": "%"},
        hovertemplate="from %{y} to %{x}: %{z:.0f}%<extra></extra>",
    ))
    fig.update_yaxes(autorange="reversed", title_text=f"band in month {from_month}")
    fig.update_xaxes(title_text=f"band in month {month}")
    return style(fig, "Band mobility", x_title=None, height=380)


def trajectory(result: Result, row: int, events: pd.DataFrame, twin_rows: dict[str, int],
               ) -> go.Figure:
    """A person's score by month, events marked, twins dotted."""
    months = np.arange(result.months + 1)
    fig = go.Figure()
    for label, twin_row in twin_rows.items():
        fig.add_scatter(x=months, y=result.score[:, twin_row], name=f"twin {label}",
                        mode="lines", line={"width": 3, "dash": TWIN_DASH})
    hover = month_summaries(events, result.months)
    fig.add_scatter(x=months, y=result.score[:, row], name="score", mode="lines+markers",
                    line={"width": 5, "color": ink()}, marker={"size": 6},
                    text=hover, hovertemplate="month %{x}: %{y}<br>%{text}<extra></extra>")
    fig.add_scatter(x=months, y=result.true_score[:, row], name="true-behaviour score",
                    mode="lines", line={"width": 2, "color": "#009E73"})
    for _, change in biggest_changes(events, 3).iterrows():
        month = int(change.month)
        fig.add_annotation(x=month, y=float(result.score[month, row]),
                           text=f"{change.points:+.0f}: {label_of(change.event)}",
                           showarrow=True, arrowhead=2, ax=0, ay=-45, font={"size": 14},
                           bgcolor="rgba(128,128,128,0.25)")
    values = np.concatenate([result.score[:, row], result.true_score[:, row],
                             *[result.score[:, r] for r in twin_rows.values()]])
    band_background(fig, result.scenario.score.band_edges, *_padded(list(values), 30))
    return style(fig, None, y_title="score", height=440)


def month_summaries(events: pd.DataFrame, months: int) -> list[str]:
    """Hover text per month: the events that moved the score."""
    texts = [""] * (months + 1)
    moving = events[(events.points.abs() >= 0.5)]
    for month, group in moving.groupby("month"):
        parts = [f"{p:+.0f} {label_of(e)} ({h})" for e, p, h in
                 zip(group.event, group.points, group.how, strict=True)]
        texts[int(month)] = "<br>".join(parts[:8])
    return texts


def biggest_changes(events: pd.DataFrame, count: int) -> pd.DataFrame:
    """The largest single events (by points) of a person."""
    scored = events[events.event.isin(list(EVENTS_BY_KEY))]
    return scored.reindex(scored.points.abs().sort_values(ascending=False).index).head(count)


def dimension_bars(result: Result, row: int, month: int) -> go.Figure:
    """Points per dimension in a month: which dimension moved the score."""
    points = result.subscores_of(row)[month].astype(int)
    labels = [DIMENSION_LABELS[d] for d in DIMENSIONS]
    colours = ["#009E73" if p >= 0 else "#D55E00" for p in points]
    signed = [f"{p:+d}" for p in points]
    fig = go.Figure(go.Bar(x=points, y=labels, orientation="h", marker_color=colours,
                           text=signed, textposition="none",
                           hovertemplate="%{y}: %{text} points<extra></extra>"))
    _signed_labels(fig, labels, signed)
    return style(fig, "Points by dimension", x_title="points", height=320)


def _signed_labels(fig: go.Figure, names: list[str], numbers: list[str]) -> None:
    """Each bar's number beside its name on the axis, top to bottom.

    Beside the name it can never be clipped at the chart's edge or run into
    a name, however short the bar or narrow the screen (a phone); the data
    keep the plain names, for the chart's sentence and its table.
    """
    fig.update_yaxes(autorange="reversed", tickmode="array", tickvals=names,
                     ticktext=[f"{name}  {number}" for name, number in
                               zip(names, numbers, strict=True)])


def rule_waterfall(events: pd.DataFrame, start: int, month: int, score: int) -> go.Figure:
    """Start score, then the points of each rule and step up to ``month``, to the score."""
    upto = events[events.month <= month]
    totals = upto.groupby("event").points.sum()
    totals = totals[totals.abs() >= 0.5].sort_values()
    names = ["start", *[label_of(e) for e in totals.index], f"month {month}"]
    values = [start, *totals.tolist(), score]
    numbers = [f"{start}", *[f"{v:+.0f}" for v in totals], f"{score}"]
    fig = go.Figure(go.Waterfall(
        orientation="h", y=names, x=values,
        measure=["absolute", *["relative"] * len(totals), "total"],
        text=numbers, textinfo="none", hovertemplate="%{y}: %{text}<extra></extra>",
        increasing={"marker": {"color": "#009E73"}}, decreasing={"marker": {"color": "#D55E00"}},
        totals={"marker": {"color": "#0072B2"}},
    ))
    _signed_labels(fig, names, numbers)
    fig.update_layout(meta={"alt": _why_in_words(start, totals, month, score)})
    # The bars fall through every lowering rule first, then climb: the path's lowest
    # point is after the last of them, its highest the start or the end.
    fig.update_xaxes(range=[min(SCORE_MIN, start + totals[totals < 0].sum() - 60),
                            max(start, start + totals.sum(), score) + 60])
    return style(fig, f"Why is this score {score}?", x_title="score",
                 height=max(320, 34 * len(names) + 80))


def _why_in_words(start: int, totals: pd.Series, month: int, score: int) -> str:
    """The waterfall in a sentence: the start, the rules that took and gave most, the end."""
    def most(chosen: pd.Series) -> str:
        parts = [f"{label_of(e)} {v:+.0f}" for e, v in chosen.items()]
        return ", ".join(parts[:-1]) + f" and {parts[-1]}" if len(parts) > 1 else parts[0]
    took = totals[totals < 0].head(3)  # sorted from the most negative
    gave = totals[totals > 0].iloc[::-1].head(3)
    words = [f"Why is this score {score}?: from the start score {start}"]
    if len(took):
        words.append(f"what took most: {most(took)}")
    if len(gave):
        words.append(f"what gave most: {most(gave)}")
    return "; ".join(words) + f"; in month {month} the score is {score}."


# Raises / lowers in the loop bars: colours no group or district line uses, and a
# hatch on the lowering bars, so the two never rest on colour alone.
RAISES, LOWERS = "#AA4499", "#117733"


def effects(rows: list[dict[str, Any]], metric: str, title: str) -> go.Figure:
    """Bar per loop: metric with the loop on minus with it off."""
    fig = go.Figure(go.Bar(
        x=[r["effect"] for r in rows], y=[r["loop"] for r in rows], orientation="h",
        marker_color=[RAISES if r["effect"] > 0 else LOWERS for r in rows],
        marker_pattern_shape=["" if r["effect"] > 0 else "/" for r in rows],
        text=[f"{r['effect']:+.1f}" for r in rows], textposition="outside", cliponaxis=False,
    ))
    fig.update_yaxes(autorange="reversed")
    values = [0.0, *(r["effect"] for r in rows)]
    pad = 0.15 * (max(values) - min(values)) or 1.0  # room for the numbers beside the bars
    fig.update_xaxes(range=[min(values) - (pad if min(values) < 0 else 0), max(values) + pad])
    return style(fig, title, x_title=f"change in {metric}", height=80 + 45 * max(1, len(rows)))


# The loop diagram is laid out from the registry's arrows (scoring.mechanisms):
# every box on one oval, in the order round it that crosses the fewest
# arrows, runs no arrow through a box and keeps arrows short, so a new
# mechanism's boxes find their place without coordinates.
RADII = (3.6, 2.4)
BOX = 0.75  # how near an arrow may pass a box centre, in chart units


SQUARENESS = 3  # 2: an ellipse; more: a rounded rectangle, boxes nearer its corners


def _places(order: list[str]) -> dict[str, tuple[float, float]]:
    # From the left, clockwise, so the main cycle reads left to right. On a
    # superellipse rather than an ellipse: the boxes at either end of it stand
    # further apart, which leaves room for the labels of the arrows between them.
    step, power = 2 * math.pi / len(order), 2 / SQUARENESS
    places = {}
    for i, name in enumerate(order):
        cos, sin = math.cos(math.pi - i * step), math.sin(math.pi - i * step)
        places[name] = (RADII[0] * math.copysign(abs(cos) ** power, cos),
                        RADII[1] * math.copysign(abs(sin) ** power, sin))
    return places


def _distance(p: tuple[float, float], a: tuple[float, float], b: tuple[float, float]) -> float:
    """How far point p is from the segment a-b."""
    (px, py), (ax, ay), (bx, by) = p, a, b
    dx, dy = bx - ax, by - ay
    t = max(0.0, min(1.0, ((px - ax) * dx + (py - ay) * dy) / (dx * dx + dy * dy)))
    return math.hypot(ax + t * dx - px, ay + t * dy - py)


def _through(p: tuple, a: tuple, b: tuple) -> bool:
    """True if the segment a-b passes within a box's reach of point p."""
    return _distance(p, a, b) < BOX


def _crossings_and_hits(order: list[str], pairs: list[tuple[str, str]]) -> tuple[int, int]:
    """Arrows crossing inside the ellipse, and arrows passing a box they do not join."""
    place = {name: i for i, name in enumerate(order)}
    at = _places(order)
    chords = [tuple(sorted((place[a], place[b]))) for a, b in pairs]
    crossings = sum(1 for i, (a, b) in enumerate(chords) for c, d in chords[i + 1:]
                    if a < c < b < d or c < a < d < b)
    hits = sum(1 for a, b in pairs for n in order
               if n not in (a, b) and _through(at[n], at[a], at[b]))
    return crossings, hits


def _cost(order: list[str], pairs: list[tuple[str, str]]) -> float:
    crossings, hits = _crossings_and_hits(order, pairs)
    at = _places(order)
    return 10 * crossings + 10 * hits + sum(math.dist(at[a], at[b]) for a, b in pairs)


def _improved(order: list[str], pairs: tuple[tuple[str, str], ...]) -> tuple[float, list[str]]:
    best = _cost(order, list(pairs))
    improved = True
    while improved:  # swap two boxes, or move one, while that lowers the cost
        improved = False
        trials = []
        for i in range(1, len(order)):
            for j in range(1, len(order)):
                if i < j:
                    swapped = order.copy()
                    swapped[i], swapped[j] = swapped[j], swapped[i]
                    trials.append(swapped)
                if i != j:
                    moved = order.copy()
                    moved.insert(j, moved.pop(i))
                    trials.append(moved)
        for trial in trials:
            cost = _cost(trial, list(pairs))
            if cost < best - 1e-9:
                order, best, improved = trial, cost, True
    return best, order


@lru_cache(maxsize=8)
def _orders(pairs: tuple[tuple[str, str], ...], core: tuple[str, ...]
            ) -> tuple[tuple[float, tuple[str, ...]], ...]:
    """The orders found from several starts, best first (once per process: cached)."""
    names = list(dict.fromkeys(n for pair in pairs for n in pair))
    start = [n for n in core if n in names] + [n for n in names if n not in core]
    rest = start[1:]
    starts = [[start[0], *rest[i:], *rest[:i]] for i in range(len(rest))]
    starts += [[start[0], *reversed(s[1:])] for s in starts]  # and each mirrored
    found = {tuple(order): cost for cost, order in (_improved(s, pairs) for s in starts)}
    return tuple(sorted((cost, order) for order, cost in found.items()))


@lru_cache(maxsize=8)
def _layout(edges: tuple) -> tuple[tuple[str, tuple[float, float]], ...]:
    pairs = tuple(dict.fromkeys(tuple(sorted((e.source, e.target))) for e, _ in edges))
    core = tuple(dict.fromkeys(n for e in CORE_EDGES for n in (e.source, e.target)))
    orders = _orders(pairs, core)
    # Of the orders nearly as good as the best (a mirror image costs the same),
    # the one whose labels all find a clear place, with every loop on or off.
    near = [(cost, order) for cost, order in orders if cost <= 1.1 * orders[0][0]]

    def clashes(order: tuple[str, ...]) -> int:
        places = _places(list(order))
        return sum(arrow["clash"] for texts in (_texts(edges, {k for _, ks in edges for k in ks}),
                                                 _texts(edges, set()))
                   for arrow in _arrow_layout(list(edges), places, texts))

    _, order = min(near, key=lambda found: (clashes(found[1]), found[0]))
    return tuple(_places(list(order)).items())


def diagram_layout(edges: list) -> dict[str, tuple[float, float]]:
    """Where each box of the loop diagram sits, worked out from its arrows."""
    return dict(_layout(tuple(edges)))


def _texts(edges: list | tuple, active: set[str]) -> list[str]:
    """Each arrow's label as drawn.

    A loop switched off has "(off)" on a line of its own, so its label stays
    narrow enough to sit beside its arrow.
    """
    return [e.label if not loops or any(k in active for k in loops) else f"{e.label}<br>(off)"
            for e, loops in edges]


ACTIVE = "#D55E00"
INACTIVE = "rgba(150,150,150,0.45)"


# The diagram keeps its shape: x and y units are drawn the same size, and the
# figure's fixed height sets that size, so on every screen wide enough to draw it
# (DIAGRAM_WIDTH and more; narrower ones list the arrows instead) boxes, arrows
# and labels sit the same number of pixels apart; a wider screen only adds margin.
DIAGRAM_HEIGHT = 560
PAD = (1.5, 0.55)  # room around the boxes' centres, in chart units: labels go there too
SCALE = (DIAGRAM_HEIGHT - 50) / (2 * (RADII[1] + PAD[1]))  # pixels per chart unit
PIXELS = (SCALE, SCALE)
DIAGRAM_WIDTH = math.ceil(2 * (RADII[0] + PAD[0]) * SCALE) + 20  # with the figure's margins
BOX_FONT, LABEL_FONT = 17, 14


def _ranges() -> tuple[tuple[float, float], tuple[float, float]]:
    """The diagram's x and y ranges in chart units: the ellipse and room round it."""
    return ((-RADII[0] - PAD[0], RADII[0] + PAD[0]), (-RADII[1] - PAD[1], RADII[1] + PAD[1]))


def _box_size(text: str) -> tuple[float, float]:
    """A box's width and height in pixels: its text and padding."""
    return 0.56 * BOX_FONT * len(text) + 24, BOX_FONT + 26


def _label_size(text: str) -> tuple[float, float]:
    """A label's width and height in pixels, line by line (``<br>`` breaks a line)."""
    lines = text.split("<br>")
    return 0.5 * LABEL_FONT * max(map(len, lines)) + 8, 1.3 * LABEL_FONT * len(lines) + 6


def _gap(a: tuple[float, float, float, float], b: tuple[float, float, float, float]) -> float:
    """How far apart two rectangles (centre x, y, width, height in pixels) are; < 0: overlap."""
    return max(abs(a[0] - b[0]) - (a[2] + b[2]) / 2, abs(a[1] - b[1]) - (a[3] + b[3]) / 2)


def _exit(width: float, height: float, dx: float, dy: float) -> float:
    """Pixels from a box's centre to its edge, going in direction (dx, dy)."""
    length = math.hypot(dx, dy)
    return min(width / 2 / (abs(dx) / length or 1e-9), height / 2 / (abs(dy) / length or 1e-9))


def _arrow_layout(edges: list, places: dict[str, tuple[float, float]],
                  texts: list[str]) -> list[dict]:
    """Each arrow's ends in pixels (outside its boxes) and where its label goes.

    Labels are placed one by one, on their own arrow (over a patch of the page's
    colour) where they stay clear of every box and every label placed before, and
    hide the least of any other arrow, near the arrow's middle; beside it where
    twin arrows leave no room on them. Positions are worked out for the narrowest
    width that draws the diagram; wider screens only add room.
    """
    sx, sy = PIXELS
    pairs = {(e.source, e.target) for e, _ in edges}
    boxes = {name: (x * sx, y * sy, *_box_size(name)) for name, (x, y) in places.items()}
    arrows = []
    for edge, loops in edges:
        (x0, y0), (x1, y1) = places[edge.source], places[edge.target]
        px0, py0, px1, py1 = x0 * sx, y0 * sy, x1 * sx, y1 * sy
        dx, dy = px1 - px0, py1 - py0
        length = math.hypot(dx, dy)
        # Two arrows between the same boxes are drawn side by side.
        shift = 12.0 if (edge.target, edge.source) in pairs else 0.0
        ox, oy = -dy / length * shift, dx / length * shift
        # The arrow runs between the boxes' centres and stands off their edges:
        # plotly's standoffs are pixels, so a box that grows on a projector keeps
        # its arrows outside it.
        start = _exit(*boxes[edge.source][2:], dx, dy) + 6
        stop = _exit(*boxes[edge.target][2:], dx, dy) + 8
        a = (px0 + dx * start / length + ox, py0 + dy * start / length + oy)
        b = (px1 - dx * stop / length + ox, py1 - dy * stop / length + oy)
        arrows.append({"edge": edge, "loops": loops, "tail": a, "head": b, "shift": (ox, oy),
                       "from": ((px0 + ox) / sx, (py0 + oy) / sy),
                       "to": ((px1 + ox) / sx, (py1 + oy) / sy),
                       "standoffs": (start, stop)})
    dots = []  # points along every arrow, 6 px apart: where a label would hide an arrow
    for i, arrow in enumerate(arrows):
        (ax, ay), (bx, by) = arrow["tail"], arrow["head"]
        steps = max(2, int(math.hypot(bx - ax, by - ay) / 6))
        dots += [(i, ax + (bx - ax) * k / steps, ay + (by - ay) * k / steps)
                 for k in range(steps + 1)]
    placed: list[tuple[float, float, float, float]] = []
    labelled: set[str] = set()
    (left, right), (bottom, top) = _ranges()
    inside = (left * sx, right * sx, bottom * sy, top * sy)
    for i, arrow in enumerate(arrows):
        label = arrow["edge"].label
        arrow["label"], arrow["clash"] = None, False
        if not label or label in labelled:  # one label per text: perks and penalties share
            continue
        labelled.add(label)
        width, height = _label_size(texts[i])
        (ax, ay), (bx, by) = arrow["tail"], arrow["head"]
        length = math.hypot(bx - ax, by - ay)
        nx, ny = -(by - ay) / length, (bx - ax) / length
        # Beside a twin arrow, a label goes on the side away from its twin (on
        # the other side it would read as the twin's); on it, it covers the twin
        # too, so that costs more. A twin with no label of its own leaves this
        # label either side of the pair (it then names the loop both arrows make).
        edge = arrow["edge"]
        twin = next((j for j, other in enumerate(arrows) if (other["edge"].source,
                     other["edge"].target) == (edge.target, edge.source)), None)
        outward = nx * arrow["shift"][0] + ny * arrow["shift"][1]
        if twin is None:
            sides = [(0, 0), (1, 4), (-1, 4)]
        elif arrows[twin]["edge"].label:
            sides = [(0, 0), *((s, 4) for s in (1, -1) if s * outward > 0)]
        else:
            sides = [(1, 4 + 24 * (outward < 0)), (-1, 4 + 24 * (outward > 0))]
        on_twin = 40 if twin is not None else 0
        best = None
        for t in np.linspace(0.05, 0.95, 19):
            for side, room in sides:
                # On its arrow (hiding it there), or beside it, `room` pixels away.
                reach = room + abs(nx) * width / 2 + abs(ny) * height / 2 if side else 0.0
                cx = ax + (bx - ax) * t + side * nx * reach
                cy = ay + (by - ay) * t + side * ny * reach
                rect = (cx, cy, width, height)
                margin = min(cx - width / 2 - inside[0], inside[1] - cx - width / 2,
                             cy - height / 2 - inside[2], inside[3] - cy - height / 2)
                clear = min([_gap(rect, box) for box in boxes.values()]
                            + [_gap(rect, other) for other in placed] + [margin + 4])
                hidden = sum(1 for j, x, y in dots
                             if j not in (i, twin) and _gap(rect, (x, y, 0.0, 0.0)) < 0)
                # A label reads as its nearest arrow's: it must be its own.
                own = _distance((cx, cy), arrow["tail"], arrow["head"])
                misread = any(_distance((cx, cy), other["tail"], other["head"]) < own
                              for j, other in enumerate(arrows) if j not in (i, twin))
                # Clear of boxes, labels and the edge first, nearest its own arrow;
                # then hiding the least of other arrows, near the middle of its own,
                # on it rather than beside it.
                cost = (0.0 if clear >= 4 else 1000 + 10 * (4 - clear)) + 300 * misread \
                    + 25 * hidden + 20 * abs(t - 0.5) + (30 if side else on_twin)
                if best is None or cost < best[0]:
                    best = (cost, rect)
        placed.append(best[1])
        arrow["label"] = (best[1][0] / sx, best[1][1] / sy)
        arrow["clash"] = best[0] >= 300  # on a box, a label or the edge, or misread
    return arrows


def loop_diagram(active: set[str]) -> go.Figure:
    """The feedback loops as boxes and arrows; the loops switched on in orange."""
    fig = go.Figure()
    edges = diagram_edges()
    places = diagram_layout(edges)
    switched = [not loops or any(loop in active for loop in loops) for _, loops in edges]
    texts = _texts(edges, active)
    for arrow, on, text in zip(_arrow_layout(edges, places, texts), switched, texts,
                               strict=True):
        loops = arrow["loops"]
        colour = (ACTIVE if loops else "#777777") if on else INACTIVE
        (ax, ay), (bx, by) = arrow["from"], arrow["to"]
        start, stop = arrow["standoffs"]
        fig.add_annotation(
            x=bx, y=by, ax=ax, ay=ay, xref="x", yref="y", axref="x", ayref="y", text="",
            showarrow=True, arrowhead=3, arrowsize=1.2, startstandoff=start, standoff=stop,
            arrowwidth=4 if on and loops else 2, arrowcolor=colour)
        if arrow["label"] is not None:
            x, y = arrow["label"]
            # On a patch of the page's colour, so the arrow under it does not cross it.
            fig.add_annotation(x=x, y=y, text=text,
                               showarrow=False, xanchor="center", yanchor="middle",
                               bgcolor=paper(), name=ON_PAPER, borderpad=2,
                               font={"size": LABEL_FONT, "color": loop_text(on)})
    for name, (x, y) in places.items():
        # A box is its name with a border: it grows with its text, whatever the font.
        fig.add_annotation(x=x, y=y, text=name, showarrow=False,
                           font={"size": BOX_FONT, "color": ink()},
                           bgcolor="rgba(128,128,128,0.15)", bordercolor="rgba(128,128,128,0.6)",
                           borderwidth=2, borderpad=10)
    xs, ys = [x for x, _ in places.values()], [y for _, y in places.values()]
    # An invisible point per box keeps the axes' ranges and hover off.
    fig.add_scatter(x=xs, y=ys, mode="markers", marker={"opacity": 0}, hoverinfo="skip",
                    showlegend=False)
    x_range, y_range = _ranges()
    fig.update_xaxes(visible=False, range=list(x_range))
    fig.update_yaxes(visible=False, range=list(y_range),
                     scaleanchor="x", scaleratio=1)
    rows = [{"from": e.source, "to": e.target, "arrow": e.label,
             "loop": "always there" if not loops else ", ".join(
                 MECHANISMS_BY_KEY[k].title.lower() for k in loops),
             "switched on": "yes" if not loops or any(k in active for k in loops) else "no"}
            for e, loops in edges]
    on = sorted({MECHANISMS_BY_KEY[k].title.lower() for _, loops in edges for k in loops
                 if k in active})
    fig.update_layout(meta={
        "alt": (f"A diagram of {len(places)} boxes and {len(edges)} arrows: behaviour is "
                "recorded, records make the score, the score's consequences shape behaviour. "
                + (f"Loops switched on: {', '.join(on)}." if on else "No loop is switched on.")),
        "table": rows})
    return style(fig, None, x_title=None, height=DIAGRAM_HEIGHT)


def claim_effects(items: list[dict[str, Any]]) -> go.Figure:
    """Each claim's effect over the pooled seeds: a bar from no effect, with its interval.

    ``items``: per claim, ``label`` and the ``effect`` of ``pooled.json`` (mean,
    lo, hi, no_effect, kind). Each claim gets its own row and scale, so a small
    effect in points and a large one in shares are both readable.
    """
    from plotly.subplots import make_subplots

    rows = len(items)
    fig = make_subplots(rows=rows, cols=1, vertical_spacing=0.5 / max(rows, 1),
                        subplot_titles=[item["label"] for item in items])
    for row, item in enumerate(items, start=1):
        e = item["effect"]
        base = e["no_effect"]
        fig.add_bar(x=[e["mean"] - base], y=[""], base=[base], orientation="h",
                    marker_color="#0072B2", showlegend=False, row=row, col=1,
                    error_x={"type": "data", "symmetric": False,
                             "array": [e["hi"] - e["mean"]], "arrayminus": [e["mean"] - e["lo"]],
                             "color": "#000000", "thickness": 2, "width": 8},
                    hovertemplate=f"{e['mean']:.3g} ({e['lo']:.3g} to {e['hi']:.3g})"
                    "<extra></extra>")
        low, high = min(base, e["lo"]), max(base, e["hi"])
        pad = (high - low) * 0.15 or 1.0
        words = {"difference": "difference: this run minus the comparison",
                 "ratio": "times as much", "level": "value at the end"}[e["kind"]]
        fig.update_xaxes(range=[low - pad, high + pad], title_text=words,
                         title_font={"size": 13}, row=row, col=1)
        fig.add_vline(x=base, line_dash="dash", line_color=REFERENCE, row=row, col=1)
    fig = style(fig, "The effect, over 30 seeds", x_title=None, height=120 + 150 * rows)
    fig.update_annotations(font={"size": 14})
    fig.update_layout(meta={
        "alt": "The effect over 30 seeds: " + "; ".join(
            f"{item['label']}: {item['effect']['mean']:.3g} (95% interval "
            f"{item['effect']['lo']:.3g} to {item['effect']['hi']:.3g}; no effect is "
            f"{item['effect']['no_effect']:g})" for item in items) + ".",
        "table": [{"sentence": item["label"], "mean": round(item["effect"]["mean"], 4),
                   "95% low": round(item["effect"]["lo"], 4),
                   "95% high": round(item["effect"]["hi"], 4),
                   "no effect": item["effect"]["no_effect"]} for item in items]})
    return fig
