"""helpers.layouts: the hidden-layer figure places its views once and serves networks of several widths."""

import ipywidgets
import numpy as np
import pytest

import helpers
from helpers.layouts import hidden_layer_figure
from helpers.livefigure import LiveFigure


def test_hidden_layer_figure_shows_networks_of_any_width_up_to_its_maximum(xor_data):
    X, y = xor_data
    figure = hidden_layer_figure(X, y, max_units=4, epochs=100, loss_range=(1e-3, 1.0))
    networks = {units: helpers.init_network([2, units, 1], seed=units) for units in (1, 2, 4)}
    histories = {units: helpers.train(network, X, y, 1.0, 100) for units, network in networks.items()}

    def show(units):
        figure.update(histories[units].final_network, histories[units].losses, 100)

    live = LiveFigure(figure.fig, show, {"units": ipywidgets.Dropdown(options=[1, 2, 4], value=4)})
    for units in (1, 2, 4, 2):
        live.set(units=units)
        assert [ax.get_visible() for ax in figure.hidden_units.axes] == [k < units for k in range(4)]
        trained = histories[units].final_network
        hidden = helpers.sigmoid(figure.hidden_units.grid @ trained.weights[0] + trained.biases[0])
        for unit in range(units):
            np.testing.assert_allclose(figure.hidden_units.images[unit].get_array().ravel(), hidden[:, unit])
        expected = helpers.predict(histories[units].final_network, figure.boundary.grid)
        np.testing.assert_allclose(figure.boundary.values.ravel(), expected.ravel())
        # One diagram per shape shown so far, only this one visible.
        assert [view.ax.get_visible() for view in figure.diagrams.values()] == [
            shape == (2, units, 1) for shape in figure.diagrams
        ]
    assert set(figure.diagrams) == {(2, 1, 1), (2, 2, 1), (2, 4, 1)}
    # The panels never move, so no move re-runs a layout.
    live.set(units=1)
    layout = [tuple(ax.get_position().bounds) for ax in figure.fig.axes]
    live.set(units=4)
    assert [tuple(ax.get_position().bounds) for ax in figure.fig.axes] == layout
    live.close()


def test_hidden_layer_figure_checks_its_arguments(xor_data):
    with pytest.raises(ValueError, match="max_units must be an integer >= 1, got 0"):
        hidden_layer_figure(*xor_data, max_units=0)
    with pytest.raises(ValueError, match="width must be a positive finite number"):
        hidden_layer_figure(*xor_data, max_units=2, width=-1)


@pytest.mark.parametrize("units", [1, 3, 8])
def test_bias_labels_sit_clear_of_every_node(xor_data, units):
    figure = hidden_layer_figure(*xor_data, max_units=8, epochs=10, loss_range=(1e-3, 1.0))
    network = helpers.init_network([2, units, 1], seed=0)
    network.biases = [np.full_like(b, -12.34) for b in network.biases]  # the widest labels, "b=-12.34"
    figure.update(network, np.full(11, 0.25), 10)
    view = figure.diagrams[(2, units, 1)]
    renderer = figure.fig.canvas.get_renderer()
    radius = np.sqrt(view.nodes.get_sizes()[0]) / 2 * figure.fig.dpi / 72  # points to pixels
    centres = view.ax.transData.transform(np.vstack(view.positions))
    for label in view.bias_labels:
        box = label.get_window_extent(renderer)
        nearest_x = np.clip(centres[:, 0], box.x0, box.x1)
        nearest_y = np.clip(centres[:, 1], box.y0, box.y1)
        assert np.all(np.hypot(centres[:, 0] - nearest_x, centres[:, 1] - nearest_y) > radius), label.get_text()
