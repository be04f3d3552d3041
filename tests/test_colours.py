"""Colours of the helpers' pictures: categorical colours that stay apart under colour-vision
deficiencies, classes told apart by marker shape too, lines and text with WCAG contrast.

Deficiencies are simulated with the matrices of Machado, Oliveira and Fernandes (2009) at severity
1.0 (protanopia, deuteranopia, tritanopia), applied to linear RGB. Colours are compared by CIEDE2000
(Sharma, Wu and Dalal 2005), computed here and checked against their published test pairs. Contrast
is WCAG 2.2's ratio of relative luminances: 4.5:1 for text (1.4.3), 3:1 for lines and markers a
reader needs to read the picture (1.4.11).
"""

import itertools

import numpy as np
import pytest
from matplotlib.colors import to_rgb

from helpers import diagram, graphview, plots
from helpers.livefigure import new_figure

# Machado et al. 2009, severity 1.0: linear RGB -> linear RGB as seen with the deficiency.
MACHADO = {
    "protanopia": [[0.152286, 1.052583, -0.204868], [0.114503, 0.786281, 0.099216], [-0.003882, -0.048116, 1.051998]],
    "deuteranopia": [[0.367322, 0.860646, -0.227968], [0.280085, 0.672501, 0.047413], [-0.011820, 0.042940, 0.968881]],
    "tritanopia": [[1.255528, -0.076749, -0.178779], [-0.078411, 0.930809, 0.147602], [0.004733, 0.691367, 0.303900]],
}
VISIONS = [None, *MACHADO]
# Two categories a reader must tell apart at a glance: a CIEDE2000 difference of at least this.
DISTINCT = 20.0
WHITE = "#ffffff"


def linear(rgb):
    rgb = np.asarray(rgb, dtype=np.float64)
    return np.where(rgb <= 0.04045, rgb / 12.92, ((rgb + 0.055) / 1.055) ** 2.4)


def gamma(rgb):
    rgb = np.clip(rgb, 0.0, 1.0)
    return np.where(rgb <= 0.0031308, 12.92 * rgb, 1.055 * rgb ** (1 / 2.4) - 0.055)


def seen(colour, vision):
    """sRGB (3,) of `colour` as seen with `vision` (None: normal)."""
    rgb = np.array(to_rgb(colour))
    return rgb if vision is None else gamma(np.array(MACHADO[vision]) @ linear(rgb))


def lab(rgb):
    """CIE L*a*b* (D65) of an sRGB colour (3,)."""
    xyz = np.array(
        [[0.4124564, 0.3575761, 0.1804375], [0.2126729, 0.7151522, 0.0721750], [0.0193339, 0.1191920, 0.9503041]]
    )
    t = xyz @ linear(rgb) / np.array([0.95047, 1.0, 1.08883])
    f = np.where(t > (6 / 29) ** 3, np.cbrt(t), t / (3 * (6 / 29) ** 2) + 4 / 29)
    return np.array([116 * f[1] - 16, 500 * (f[0] - f[1]), 200 * (f[1] - f[2])])


def ciede2000(lab1, lab2):
    """The CIEDE2000 colour difference of two L*a*b* colours (Sharma, Wu and Dalal 2005)."""
    (l1, a1, b1), (l2, a2, b2) = lab1, lab2
    c_mean = (np.hypot(a1, b1) + np.hypot(a2, b2)) / 2
    g = 0.5 * (1 - np.sqrt(c_mean**7 / (c_mean**7 + 25**7)))
    a1, a2 = (1 + g) * a1, (1 + g) * a2
    c1, c2 = np.hypot(a1, b1), np.hypot(a2, b2)
    h1, h2 = np.degrees(np.arctan2(b1, a1)) % 360, np.degrees(np.arctan2(b2, a2)) % 360
    dh = 0.0 if c1 * c2 == 0 else (h2 - h1 + 180) % 360 - 180
    d_hue = 2 * np.sqrt(c1 * c2) * np.sin(np.radians(dh / 2))
    l_bar, c_bar = (l1 + l2) / 2, (c1 + c2) / 2
    if c1 * c2 == 0:
        h_bar = h1 + h2
    elif abs(h1 - h2) <= 180:
        h_bar = (h1 + h2) / 2
    else:
        h_bar = (h1 + h2 + 360) / 2 if h1 + h2 < 360 else (h1 + h2 - 360) / 2
    t = (
        1
        - 0.17 * np.cos(np.radians(h_bar - 30))
        + 0.24 * np.cos(np.radians(2 * h_bar))
        + 0.32 * np.cos(np.radians(3 * h_bar + 6))
        - 0.20 * np.cos(np.radians(4 * h_bar - 63))
    )
    rotation = (
        -np.sin(np.radians(60 * np.exp(-(((h_bar - 275) / 25) ** 2)))) * 2 * np.sqrt(c_bar**7 / (c_bar**7 + 25**7))
    )
    s_l = 1 + 0.015 * (l_bar - 50) ** 2 / np.sqrt(20 + (l_bar - 50) ** 2)
    s_c, s_h = 1 + 0.045 * c_bar, 1 + 0.015 * c_bar * t
    terms = ((l2 - l1) / s_l, (c2 - c1) / s_c, d_hue / s_h)
    return float(np.sqrt(terms[0] ** 2 + terms[1] ** 2 + terms[2] ** 2 + rotation * terms[1] * terms[2]))


def difference(first, second, vision=None):
    return ciede2000(lab(seen(first, vision)), lab(seen(second, vision)))


def contrast(first, second):
    """WCAG contrast ratio of two colours, 1 to 21."""
    low, high = sorted(float(np.dot([0.2126, 0.7152, 0.0722], linear(to_rgb(c)))) for c in (first, second))
    return (high + 0.05) / (low + 0.05)


@pytest.mark.parametrize(
    ("lab1", "lab2", "expected"),
    [  # pairs 1, 7, 17 and 25 of Sharma, Wu and Dalal's test data
        ((50.0, 2.6772, -79.7751), (50.0, 0.0, -82.7485), 2.0425),
        ((50.0, 0.0, 0.0), (50.0, -1.0, 2.0), 2.3669),
        ((50.0, 2.5, 0.0), (73.0, 25.0, -18.0), 27.1492),
        ((60.2574, -34.0099, 36.2677), (60.4626, -34.1751, 39.4387), 1.2644),
    ],
)
def test_ciede2000_matches_the_published_pairs(lab1, lab2, expected):
    assert ciede2000(lab1, lab2) == pytest.approx(expected, abs=1e-4)
    assert ciede2000(lab2, lab1) == pytest.approx(expected, abs=1e-4)


def test_simulation_keeps_greys_and_merges_what_it_should():
    for vision in MACHADO:
        np.testing.assert_allclose(seen("#808080", vision), to_rgb("#808080"), atol=2e-3)
    # Red and green, the classic confusion, come close without the L or M cones; not so without S.
    assert difference("#d62728", "#2ca02c", "deuteranopia") < 15 < difference("#d62728", "#2ca02c", "tritanopia")
    assert contrast("#000000", WHITE) == pytest.approx(21.0) and contrast("#777777", WHITE) == pytest.approx(
        4.48, abs=0.01
    )


@pytest.mark.parametrize("vision", VISIONS, ids=lambda vision: vision or "normal")
def test_class_colours_stay_apart(vision):
    assert len(plots.CLASS_COLOURS) >= 3
    for first, second in itertools.combinations(plots.CLASS_COLOURS, 2):
        assert difference(first, second, vision) >= DISTINCT, (first, second, vision)
    # The plane's pale class regions, and the points of each class against the other's region.
    low, high = plots.BOUNDARY_CMAP(0.0), plots.BOUNDARY_CMAP(1.0)
    assert difference(low, high, vision) >= DISTINCT


def test_classes_differ_by_marker_as_well():
    assert len(set(plots.CLASS_MARKERS)) == len(plots.CLASS_MARKERS) >= len(plots.CLASS_COLOURS)
    assert plots.CLASS_MARKERS[:2] == ("o", "X"), "the notebooks' prose says circles: class 0, crosses: class 1"
    fig, ax = new_figure(3, 3, dpi=50)
    X = np.array([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]])
    view = plots.BoundaryView(ax, X, np.array([[0.0], [1.0], [1.0], [0.0]]))
    circle, cross = plots.LabelledPoints.MARKER_PATHS[:2]
    assert [path is cross for path in view.points.get_paths()] == [False, True, True, False]
    view.points.set_array(np.array([1.0, 1.0, 0.0, 0.0]))  # relabelled: the shapes follow the colours
    assert [path is cross for path in view.points.get_paths()] == [True, True, False, False]
    assert len(circle.vertices) != len(cross.vertices)


@pytest.mark.parametrize(
    ("name", "colour"),
    [(f"CLASS_COLOURS[{i}]", colour) for i, colour in enumerate(plots.CLASS_COLOURS)]
    + [("LINE_COLOUR", plots.LINE_COLOUR), ("AXIS_COLOUR", plots.AXIS_COLOUR), ("graph edges", graphview.EDGE_COLOUR)],
)
def test_lines_and_markers_have_3_to_1_against_white(name, colour):
    assert contrast(colour, WHITE) >= 3.0, f"{name} {colour}: {contrast(colour, WHITE):.2f}:1"


def test_boundary_line_stands_out_on_every_region_colour():
    for value in np.linspace(0.0, 1.0, 11):
        assert contrast(plots.LINE_COLOUR, plots.BOUNDARY_CMAP(value)) >= 3.0, value


@pytest.mark.parametrize(
    ("text", "background"),
    [
        (graphview.VALUE_COLOUR, graphview.NODE_FACE),
        (graphview.VALUE_COLOUR, graphview.LEAF_FACE),
        (graphview.GRADIENT_COLOUR, graphview.NODE_FACE),
        (graphview.GRADIENT_COLOUR, graphview.LEAF_FACE),
        ("black", diagram.BOUNDARY_CMAP(0.0)),  # a node's name on its bias colour
        ("black", diagram.BOUNDARY_CMAP(1.0)),
    ],
)
def test_text_has_4_5_to_1_against_its_background(text, background):
    assert contrast(text, background) >= 4.5, f"{text} on {background}: {contrast(text, background):.2f}:1"
