"""Figures laid out for a live view, so that a notebook's live cell says which pictures it shows,
not where each axes sits.

hidden_layer_figure: the decision boundary, the loss curve, room for a network diagram, and one
small picture per hidden unit along the bottom. Panels are placed once, by hand (figure
fractions), so moving a slider never changes the layout and a redraw repaints only the data.
"""

from dataclasses import dataclass, field

from matplotlib.figure import Figure

from ._validate import check_count, check_positive_number
from .diagram import NetworkView
from .livefigure import new_figure
from .plots import BoundaryView, HiddenUnitsView, LossView

# Figure fractions (left, bottom, width, height) of the panels.
BOUNDARY_PLACE = (0.075, 0.31, 0.27, 0.66)
LOSS_PLACE = (0.42, 0.41, 0.23, 0.55)
DIAGRAM_PLACE = (0.68, 0.27, 0.31, 0.72)
UNITS_LEFT, UNITS_BOTTOM, UNITS_HEIGHT, UNITS_WIDTH_USED = 0.05, 0.02, 0.19, 0.92


@dataclass
class HiddenLayerFigure:
    """The figure and its views: boundary (BoundaryView), loss (LossView), hidden_units (HiddenUnitsView,
    which shows a network of 1 to max_units hidden units and hides the pictures left over), and
    diagrams: one NetworkView per network shape shown so far, {layer sizes: view}.

    update(network, losses, epoch) shows one moment of one run in all of them.
    """

    fig: Figure
    boundary: BoundaryView
    loss: LossView
    hidden_units: HiddenUnitsView
    max_labels: int = 12
    diagrams: dict = field(default_factory=dict)

    def show_diagram(self, network):
        """Draw `network` where the diagram goes: its shape's NetworkView (made when first needed), others hidden."""
        shape = tuple(network.layer_sizes)
        if shape not in self.diagrams:
            self.diagrams[shape] = NetworkView(self.fig.add_axes(DIAGRAM_PLACE), network, max_labels=self.max_labels)
        for other, view in self.diagrams.items():
            view.ax.set_visible(other == shape)
        self.diagrams[shape].update(network)

    def update(self, network, losses, epoch):
        """Show `network` (2 inputs, one hidden layer of at most max_units, 1 output) and the loss curve
        `losses` (epochs_run + 1,) with a marker at losses[epoch]."""
        self.boundary.update(network)
        self.loss.update(losses, epoch)
        self.hidden_units.update(network)
        self.show_diagram(network)


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
    return HiddenLayerFigure(fig, boundary, loss, hidden_units)
