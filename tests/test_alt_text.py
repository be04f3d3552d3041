"""helpers.figures.show: a figure displayed as an <img> with its alt text, stored once, closed after."""

import base64
import html
import re

import matplotlib.pyplot as plt
import pytest

from helpers import figures
from helpers.livefigure import new_figure

IMG = re.compile(r'^<img alt="(?P<alt>[^"]*)" src="data:image/png;base64,(?P<data>[A-Za-z0-9+/=]+)">$')


@pytest.fixture
def shown(monkeypatch):
    """What show() sends to display, as a list of (bundle, options)."""
    sent = []
    monkeypatch.setattr(figures, "display", lambda bundle, **options: sent.append((bundle, options)))
    return sent


def test_show_displays_an_img_with_alt_and_closes_the_figure(shown):
    fig, ax = plt.subplots(figsize=(2, 1.5), dpi=50)
    ax.plot([0, 1, 2], [0, 1, 0], "o-")
    alt = 'a tent: rises from 0 to 1 at x = 1, "back" to 0 & done'
    assert figures.show(fig, alt=alt) is None
    assert not plt.fignum_exists(fig.number), "the inline backend would show the figure a second time"
    [(bundle, options)] = shown
    assert options == {"raw": True} and set(bundle) == {"text/html", "text/plain"}
    match = IMG.match(bundle["text/html"])
    assert match and html.unescape(match["alt"]) == alt and bundle["text/plain"] == alt
    assert '"back"' not in match["alt"] and "&amp;" in match["alt"]
    assert base64.b64decode(match["data"]).startswith(b"\x89PNG\r\n\x1a\n")


def test_the_same_figure_gives_the_same_bytes_and_no_version_stamp():
    fig, ax = new_figure(2, 1.5, dpi=50)
    ax.plot([0, 1, 2], [0, 1, 0])
    first, second = figures.png_bytes(fig), figures.png_bytes(fig)
    assert first == second and b"Software" not in first and b"Matplotlib" not in first


@pytest.mark.parametrize(
    ("fig", "alt", "error", "message"),
    [
        ("figure", "a curve", TypeError, "fig must be a matplotlib Figure, got str"),
        (None, None, TypeError, "alt must be a string saying what the picture shows, got NoneType"),
        (None, "   ", ValueError, "alt must say what the picture shows, got '   '"),
    ],
)
def test_show_checks_its_arguments(shown, fig, alt, error, message):
    figure = new_figure(2, 1.5, dpi=50)[0] if fig is None else fig
    with pytest.raises(error, match=message):
        figures.show(figure, alt=alt)
    assert shown == []
