"""Figures laid out for a live view, so that a notebook's live cell says which pictures it shows,
not where each axes sits.

hidden_layer_figure: the decision boundary, the loss curve, room for a network diagram, and one
small picture per hidden unit along the bottom. Panels are placed once, by hand (figure
fractions), so moving a slider never changes the layout and a redraw repaints only the data.
"""

from dataclasses import dataclass

from matplotlib.figure import Figure

from ._validate import check_count, check_positive_number
from .livefigure import new_figure
from .plots import BoundaryView, HiddenUnitsView, LossView

# Figure fractions (left, bottom, width, height) of the panels.
BOUNDARY_PLACE = (0.05, 0.31, 0.28, 0.66)
LOSS_PLACE = (0.42, 0.41, 0.23, 0.55)
DIAGRAM_PLACE = (0.68, 0.27, 0.31, 0.72)
UNITS_LEFT, UNITS_BOTTOM, UNITS_HEIGHT, UNITS_WIDTH_USED = 0.05, 0.02, 0.19, 0.92


@dataclass
class HiddenLayerFigure:
    """The figure and its views: boundary (BoundaryView), loss (LossView), hidden_units (HiddenUnitsView,
    which shows a network of 1 to max_units hidden units and hides the pictures left over)."""

    fig: Figure
    boundary: BoundaryView
    loss: LossView
    hidden_units: HiddenUnitsView

    def diagram_axes(self):
        """A new axes where the network diagram goes (e.g. for NetworkView(figure.diagram_axes(), network)).

        Several diagrams may share the place, one per network shape, with only one visible at a time.
        """
        return self.fig.add_axes(DIAGRAM_PLACE)


def hidden_layer_figure(X, y, max_units, epochs=None, loss_range=None, limits=(-0.5, 1.5), width=10.0, height=4.8):
    """A figure for watching a network with one hidden layer learn on X: (n, 2), y: (n, 1).

    max_units: the widest hidden layer to be shown; epochs, loss_range: fixed ranges of the loss
    axis (see LossView), so that curves of several runs compare at a glance and no move rescales it.
    Returns a HiddenLayerFigure; show it with LiveFigure(figure.fig, update, controls).
    """
    max_units = check_count("max_units", max_units, minimum=1)
    fig, boundary_axes = new_figure(check_positive_number("width", width), check_positive_number("height", height))
    fig.set_layout_engine("none")
    boundary_axes.set_position(BOUNDARY_PLACE)
    boundary = BoundaryView(boundary_axes, X, y, limits=limits)
    loss = LossView(fig.add_axes(LOSS_PLACE), epochs=epochs, loss_range=loss_range)
    loss.ax.minorticks_off()
    step = min(0.118, UNITS_WIDTH_USED / max_units)
    unit_axes = [
        fig.add_axes((UNITS_LEFT + step * unit, UNITS_BOTTOM, 0.85 * step, UNITS_HEIGHT)) for unit in range(max_units)
    ]
    hidden_units = HiddenUnitsView(unit_axes, X, y, limits=limits)
    for ax in unit_axes:
        ax.set_axis_off()  # no frame: pictures that come and go leave the background as it is
    return HiddenLayerFigure(fig, boundary, loss, hidden_units)
