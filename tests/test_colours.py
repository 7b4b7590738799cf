"""Colours told apart under colour-vision deficiency, seen on either background, and
never the only cue.

Each palette is run through the Machado, Oliveira and Fernandes (2009)
simulation of protanopia, deuteranopia and tritanopia (full severity), and every
pair of colours must stay at least 15 apart in CIELAB (Delta E 1976; about 2.3
is the smallest difference people notice). Lines also carry one marker each.
"""

from __future__ import annotations

import itertools

import numpy as np
import pytest

from ui.charts import LINE_SYMBOLS, line_marker
from ui.theme import CHART_TEXT, DISTRICT_COLOURS, GROUP_COLOURS, LOOP_TEXT, PAPER, REFERENCE

SIMULATIONS = {
    "protanopia": [[0.152286, 1.052583, -0.204868], [0.114503, 0.786281, 0.099216],
                   [-0.003882, -0.048116, 1.051998]],
    "deuteranopia": [[0.367322, 0.860646, -0.227968], [0.280085, 0.672501, 0.047413],
                     [-0.011820, 0.042940, 0.968881]],
    "tritanopia": [[1.255528, -0.076749, -0.178779], [-0.078411, 0.930809, 0.147602],
                   [0.004733, 0.691367, 0.303900]],
}
MIN_DELTA_E = 15
# Chart backgrounds: white (light theme, presenter mode) and Streamlit's dark theme.
BACKGROUNDS = PAPER
# WCAG 2.2 AA, 1.4.11 non-text contrast: a line a student must see, 3:1.
MIN_CONTRAST = 3.0


def _linear(colour: str) -> np.ndarray:
    c = np.array([int(colour[i:i + 2], 16) for i in (1, 3, 5)]) / 255
    return np.where(c <= 0.04045, c / 12.92, ((c + 0.055) / 1.055) ** 2.4)


def _lab(rgb: np.ndarray) -> np.ndarray:
    xyz = np.array([[0.4124, 0.3576, 0.1805], [0.2126, 0.7152, 0.0722],
                    [0.0193, 0.1192, 0.9505]]) @ rgb / np.array([0.95047, 1.0, 1.08883])
    f = np.where(xyz > 0.008856, np.cbrt(xyz), 7.787 * xyz + 16 / 116)
    return np.array([116 * f[1] - 16, 500 * (f[0] - f[1]), 200 * (f[1] - f[2])])


def delta_e(a: str, b: str, simulation: str | None = None) -> float:
    m = np.eye(3) if simulation is None else np.array(SIMULATIONS[simulation])
    return float(np.linalg.norm(_lab(np.clip(m @ _linear(a), 0, 1))
                                - _lab(np.clip(m @ _linear(b), 0, 1))))


def contrast(a: str, b: str) -> float:
    """WCAG contrast ratio of two colours."""
    lighter, darker = sorted((float(_linear(c) @ [0.2126, 0.7152, 0.0722]) for c in (a, b)),
                             reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


@pytest.mark.parametrize("simulation", [None, *SIMULATIONS])
@pytest.mark.parametrize("palette", [DISTRICT_COLOURS, GROUP_COLOURS],
                         ids=["districts", "groups"])
def test_every_pair_of_colours_stays_apart(palette, simulation):
    closest = min(itertools.combinations(palette, 2), key=lambda p: delta_e(*p, simulation))
    assert delta_e(*closest, simulation) >= MIN_DELTA_E, (simulation, closest)


@pytest.mark.parametrize("background", BACKGROUNDS)
@pytest.mark.parametrize("colour", [*DISTRICT_COLOURS, *GROUP_COLOURS, REFERENCE])
def test_every_line_colour_stands_out_on_either_background(colour, background):
    assert contrast(colour, BACKGROUNDS[background]) >= MIN_CONTRAST


@pytest.mark.parametrize("theme", list(PAPER))
def test_loop_diagram_labels_are_readable_text_on_either_background(theme):
    # WCAG 2.2 AA, 1.4.3: text at 4.5:1, a label of a loop switched off too.
    for on, colour in LOOP_TEXT[theme].items():
        assert contrast(colour, PAPER[theme]) >= 4.5, (theme, on, colour)


@pytest.mark.parametrize("theme", list(PAPER))
def test_chart_text_is_readable_on_either_background(theme):
    assert contrast(CHART_TEXT[theme], PAPER[theme]) >= 4.5


def test_the_contrast_check_can_fail():
    # Okabe-Ito sky blue and yellow, the colours this palette replaced, are faint on white.
    assert contrast("#000000", "#FFFFFF") == pytest.approx(21.0)
    assert contrast("#56B4E9", "#FFFFFF") < MIN_CONTRAST
    assert contrast("#F0E442", "#FFFFFF") < MIN_CONTRAST


def test_the_simulation_itself_merges_red_and_green():
    # The check can fail: pure red and green are far apart, and close for a deutan.
    assert delta_e("#FF0000", "#00FF00") > 80
    assert delta_e("#CC3333", "#669900", "deuteranopia") < MIN_DELTA_E


def test_lines_get_one_marker_each():
    symbols = [line_marker(i, None)["symbol"] for i in range(4)]
    assert len(set(symbols)) == 4 and set(symbols) <= set(LINE_SYMBOLS)


NAMED = {c.upper() for c in (*GROUP_COLOURS, *DISTRICT_COLOURS)}


def _colours_not_of_groups_or_districts(fig) -> list[str]:
    """Colours of the figure's reference lines and unnamed lines that name a group or district."""
    found = [shape.line.color for shape in fig.layout.shapes]
    found += [trace.line.color for trace in fig.data
              if trace.name not in ("majority", "minority") and trace.line.color]
    return [c for c in found if str(c).upper() in NAMED]


def test_reference_lines_and_single_lines_never_borrow_a_group_or_district_colour():
    """A colour means one thing: blue and orange are the groups, the palette the districts;
    zero lines, the four-fifths line and one-line metrics are grey or black."""
    from conftest import run, small

    from scoring.metrics import FOUR_FIFTHS
    from ui import charts

    _, metrics = run(small("baseline"))
    figures = [charts.line(metrics, ("group_gap",), "Group gap", "points", line_at=0),
               charts.line(metrics, ("disparate_impact",), "Disparate impact", "ratio",
                           line_at=FOUR_FIFTHS),
               charts.line(metrics, ("true_score_gap", "by_group"), "Recorded minus true",
                           "points", labels=["majority", "minority"],
                           colours=dict(zip(("majority", "minority"), GROUP_COLOURS,
                                            strict=True)), line_at=0)]
    for fig in figures:
        assert _colours_not_of_groups_or_districts(fig) == [], fig.layout.title.text
    # The check can fail: a zero line in the minority's orange is caught.
    figures[0].add_hline(y=1, line_color=GROUP_COLOURS[1])
    assert _colours_not_of_groups_or_districts(figures[0]) == [GROUP_COLOURS[1]]
