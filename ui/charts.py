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
    TWIN_DASH,
    add_shapes,
    band_background,
    band_shape,
    district_colours,
    group_colours,
    ink,
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
        fig.add_scatter(x=months, y=values, mode="lines", showlegend=False,
                        line={"width": 4, "color": "#0072B2"})
    if line_at is not None:
        fig.add_hline(y=line_at, line_dash="dash", line_color="#D55E00",
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
    points = result.subscores[month, :, row].astype(int)
    labels = [DIMENSION_LABELS[d] for d in DIMENSIONS]
    colours = ["#009E73" if p >= 0 else "#D55E00" for p in points]
    fig = go.Figure(go.Bar(x=points, y=labels, orientation="h", marker_color=colours,
                           text=[f"{p:+d}" for p in points], textposition="auto"))
    fig.update_yaxes(autorange="reversed")
    return style(fig, "Points by dimension", x_title="points", height=320)


def rule_waterfall(events: pd.DataFrame, start: int, month: int, score: int) -> go.Figure:
    """Start score, then the points of each rule and step up to ``month``, to the score."""
    upto = events[events.month <= month]
    totals = upto.groupby("event").points.sum()
    totals = totals[totals.abs() >= 0.5].sort_values()
    names = ["start", *[label_of(e) for e in totals.index], f"month {month}"]
    values = [start, *totals.tolist(), score]
    fig = go.Figure(go.Waterfall(
        orientation="h", y=names, x=values,
        measure=["absolute", *["relative"] * len(totals), "total"],
        # Our own words on every bar, beside it, so a short bar on a phone keeps its number.
        text=[f"{start}", *[f"{v:+.0f}" for v in totals], f"{score}"], textinfo="text",
        textposition="outside", cliponaxis=False,
        increasing={"marker": {"color": "#009E73"}}, decreasing={"marker": {"color": "#D55E00"}},
        totals={"marker": {"color": "#0072B2"}},
    ))
    fig.update_yaxes(autorange="reversed")
    fig.update_xaxes(range=[min(SCORE_MIN, start + totals[totals < 0].sum() - 60),
                            max(start + totals[totals > 0].sum(), score) + 60])
    return style(fig, f"Why is this score {score}?", x_title="score",
                 height=max(320, 34 * len(names) + 80))


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
# every box on one ellipse, in the order round it that crosses the fewest
# arrows, runs no arrow through a box and keeps arrows short, so a new
# mechanism's boxes find their place without coordinates.
RADII = (3.4, 2.3)
BOX = 0.75  # how near an arrow may pass a box centre, in chart units


def _places(order: list[str]) -> dict[str, tuple[float, float]]:
    # From the left, clockwise, so the main cycle reads left to right.
    step = 2 * math.pi / len(order)
    return {name: (RADII[0] * math.cos(math.pi - i * step),
                   RADII[1] * math.sin(math.pi - i * step)) for i, name in enumerate(order)}


def _through(p: tuple, a: tuple, b: tuple) -> bool:
    """True if the segment a-b passes within a box's reach of point p."""
    (px, py), (ax, ay), (bx, by) = p, a, b
    dx, dy = bx - ax, by - ay
    t = max(0.0, min(1.0, ((px - ax) * dx + (py - ay) * dy) / (dx * dx + dy * dy)))
    return math.hypot(ax + t * dx - px, ay + t * dy - py) < BOX


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
def _order(pairs: tuple[tuple[str, str], ...], core: tuple[str, ...]) -> tuple[str, ...]:
    """The best order found from several starts (once per process: it is cached)."""
    names = list(dict.fromkeys(n for pair in pairs for n in pair))
    start = [n for n in core if n in names] + [n for n in names if n not in core]
    rest = start[1:]
    starts = [[start[0], *rest[i:], *rest[:i]] for i in range(len(rest))]
    return tuple(min((_improved(s, pairs) for s in starts), key=lambda found: found[0])[1])


def diagram_layout(edges: list) -> dict[str, tuple[float, float]]:
    """Where each box of the loop diagram sits, worked out from its arrows."""
    pairs = tuple(dict.fromkeys(tuple(sorted((e.source, e.target))) for e, _ in edges))
    core = tuple(dict.fromkeys(n for e in CORE_EDGES for n in (e.source, e.target)))
    return _places(list(_order(pairs, core)))


ACTIVE = "#D55E00"
INACTIVE = "rgba(150,150,150,0.45)"


def loop_diagram(active: set[str]) -> go.Figure:
    """The feedback loops as boxes and arrows; the loops switched on in orange."""
    fig = go.Figure()
    edges = diagram_edges()
    places = diagram_layout(edges)
    pairs = {(e.source, e.target) for e, _ in edges}
    labelled: set[str] = set()
    for edge, loops in edges:
        source, target = edge.source, edge.target
        # One label per arrow text: perks and penalties share theirs.
        label = "" if edge.label in labelled else edge.label
        labelled.add(edge.label)
        (x0, y0), (x1, y1) = places[source], places[target]
        # Two arrows between the same boxes are drawn side by side.
        shift = 0.09 if (target, source) in pairs else 0.0
        dx, dy = x1 - x0, y1 - y0
        length = (dx * dx + dy * dy) ** 0.5
        ox, oy = -dy / length * shift, dx / length * shift
        on = not loops or any(loop in active for loop in loops)
        colour = (ACTIVE if loops else "#777777") if on else INACTIVE
        # Stop short of the boxes.
        cut = 0.55 / length
        fig.add_annotation(
            x=x1 - dx * cut + ox, y=y1 - dy * cut + oy, ax=x0 + dx * cut + ox,
            ay=y0 + dy * cut + oy, xref="x", yref="y", axref="x", ayref="y", text="",
            showarrow=True, arrowhead=3, arrowsize=1.2, arrowwidth=4 if on and loops else 2,
            arrowcolor=colour)
        if label:
            # Beside the arrow, on its own side (left of its direction).
            # Text grows away from the arrow: anchored on its arrow-side end, so a
            # long label on a steep arrow does not lie across it or its twin.
            nx, ny = -dy / length, dx / length
            anchor = "left" if nx > 0.3 else "right" if nx < -0.3 else "center"
            fig.add_annotation(x=(x0 + x1) / 2 + 0.18 * nx, y=(y0 + y1) / 2 + 0.18 * ny,
                               text=label if on else f"{label} (off)", showarrow=False,
                               xanchor=anchor,
                               font={"size": 14, "color": colour if loops else None})
    names = list(places)
    xs, ys = [places[n][0] for n in names], [places[n][1] for n in names]
    fig.add_scatter(
        x=xs, y=ys,
        mode="markers+text", text=names, textfont={"size": 17}, hoverinfo="skip",
        marker={"symbol": "square", "size": 70, "color": "rgba(128,128,128,0.15)",
                "line": {"width": 2, "color": "rgba(128,128,128,0.6)"}}, showlegend=False)
    fig.update_xaxes(visible=False, range=[min(xs) - 0.9, max(xs) + 0.9])
    fig.update_yaxes(visible=False, range=[min(ys) - 0.7, max(ys) + 0.7])
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
    return style(fig, None, x_title=None, height=430)


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
        fig.add_vline(x=base, line_dash="dash", line_color="#D55E00", row=row, col=1)
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
