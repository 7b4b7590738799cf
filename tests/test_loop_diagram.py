"""The loop diagram reads cleanly: labels clear of boxes, of each other and of the
edge, each label nearest its own arrow, arrows starting and ending outside boxes.

Checked on the layout's own pixel geometry (the figure keeps it at every width
wide enough to draw it) for every mechanism alone, all on and all off; the
browser test in test_keyboard_and_touch.py checks the drawn figure.
"""

from __future__ import annotations

import math

import pytest

from scoring.mechanisms import REGISTRY
from ui import charts

EDGES = charts.diagram_edges()
PLACES = charts.diagram_layout(EDGES)
KEYS = [m.key for m in REGISTRY]
STATES = {"all on": set(KEYS), "all off": set(), **{k: {k} for k in KEYS}}


def layout(active: set[str]) -> tuple[list[dict], list[str]]:
    texts = charts._texts(EDGES, active)
    return charts._arrow_layout(EDGES, PLACES, texts), texts


def boxes() -> dict[str, tuple[float, float, float, float]]:
    s = charts.SCALE
    return {n: (x * s, y * s, *charts._box_size(n)) for n, (x, y) in PLACES.items()}


def gap(a: tuple, b: tuple) -> float:
    return max(abs(a[0] - b[0]) - (a[2] + b[2]) / 2, abs(a[1] - b[1]) - (a[3] + b[3]) / 2)


def distance(p: tuple, a: tuple, b: tuple) -> float:
    dx, dy = b[0] - a[0], b[1] - a[1]
    t = max(0.0, min(1.0, ((p[0] - a[0]) * dx + (p[1] - a[1]) * dy) / (dx * dx + dy * dy)))
    return math.hypot(a[0] + t * dx - p[0], a[1] + t * dy - p[1])


def clashes(arrows: list[dict], texts: list[str]) -> list[str]:
    """Every way the labels fail to read cleanly, in words."""
    s = charts.SCALE
    (left, right), (bottom, top) = ((v * s for v in r) for r in charts._ranges())
    found, placed = [], []
    for i, arrow in enumerate(arrows):
        if arrow["label"] is None:
            continue
        width, height = charts._label_size(texts[i])
        rect = (arrow["label"][0] * s, arrow["label"][1] * s, width, height)
        name = texts[i].replace("<br>", " ")
        found += [f"{name} on box {b}" for b, box in boxes().items() if gap(rect, box) < 2]
        found += [f"{name} on label {other}" for other, r in placed if gap(rect, r) < 2]
        if (rect[0] - width / 2 < left or rect[0] + width / 2 > right
                or rect[1] - height / 2 < bottom or rect[1] + height / 2 > top):
            found.append(f"{name} off the edge")
        edge = arrow["edge"]
        twin = [j for j, o in enumerate(arrows)
                if (o["edge"].source, o["edge"].target) == (edge.target, edge.source)
                and not o["edge"].label]
        own = distance(rect[:2], arrow["tail"], arrow["head"])
        found += [f"{name} nearer {o['edge'].source}->{o['edge'].target}"
                  for j, o in enumerate(arrows)
                  if j != i and j not in twin and distance(rect[:2], o["tail"], o["head"]) < own]
        placed.append((name, rect))
    return found


@pytest.mark.parametrize("state", list(STATES))
def test_every_label_is_clear_and_nearest_its_own_arrow(state):
    arrows, texts = layout(STATES[state])
    assert sum(a["label"] is not None for a in arrows) == len(
        {e.label for e, _ in EDGES if e.label})
    assert clashes(arrows, texts) == []


def test_the_clash_check_can_fail():
    arrows, texts = layout(set(KEYS))
    labelled = [a for a in arrows if a["label"] is not None]
    labelled[0]["label"] = PLACES["Score"]  # on a box, and far from its own arrow
    labelled[1]["label"] = labelled[2]["label"]  # two labels in one place
    found = clashes(arrows, texts)
    assert any("on box Score" in f for f in found)
    assert any("on label" in f for f in found)
    assert any("nearer" in f for f in found)


def test_arrows_start_and_end_outside_every_box():
    arrows, _ = layout(set(KEYS))
    for arrow in arrows:
        for end in (arrow["tail"], arrow["head"]):
            assert all(gap((*end, 0, 0), box) > 0 for box in boxes().values()), arrow["edge"]
        # The drawn arrow (centre to centre, minus its standoffs) ends where the layout says.
        s = charts.SCALE
        (ax, ay), (bx, by) = arrow["from"], arrow["to"]
        length = math.hypot(bx - ax, by - ay) * s
        start, stop = arrow["standoffs"]
        head = (bx * s - (bx - ax) * s * stop / length, by * s - (by - ay) * s * stop / length)
        assert math.dist(head, arrow["head"]) < 1e-6
        assert start + stop < length


def test_the_figure_keeps_its_shape_at_every_width():
    figure = charts.loop_diagram(set(KEYS))
    assert figure.layout.yaxis.scaleanchor == "x" and figure.layout.yaxis.scaleratio == 1
    x_range, y_range = charts._ranges()
    plot_height = charts.DIAGRAM_HEIGHT - figure.layout.margin.t - figure.layout.margin.b
    assert (y_range[1] - y_range[0]) * charts.SCALE == pytest.approx(plot_height)
    plot_width = charts.DIAGRAM_WIDTH - figure.layout.margin.l - figure.layout.margin.r
    assert (x_range[1] - x_range[0]) * charts.SCALE <= plot_width
