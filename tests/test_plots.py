"""The views in helpers.plots, helpers.diagram and helpers.tables: artists made once and updated in
place, values that match an independent computation, and clear errors for bad input. Figures are
Agg-only, never shown."""

import numpy as np
import pytest
from matplotlib.collections import LineCollection
from matplotlib.colors import to_rgba
from matplotlib.figure import Figure

import helpers
from helpers import diagram, plots, tables


def sigmoid(z):
    return 1.0 / (1.0 + np.exp(-z))


def axes(ncols=1, width=4.0, height=3.0):
    fig = Figure(figsize=(width, height), dpi=50)
    return fig.subplots(ncols=ncols)


def neuron(w1, w2, b):
    return helpers.Network([np.array([[w1], [w2]])], [np.array([[b]])], ("sigmoid",))


def draw(ax):
    ax.figure.canvas.draw()


# plane_grid --------------------------------------------------------------------------------------


def test_plane_grid_runs_row_by_row_from_the_bottom():
    grid = plots.plane_grid((0.0, 1.0), 3)
    assert grid.shape == (9, 2)
    np.testing.assert_allclose(grid[:3], [[0, 0], [0.5, 0], [1, 0]])
    np.testing.assert_allclose(grid[3:6, 1], 0.5)


@pytest.mark.parametrize("limits", [(1.0, 0.0), (0.0, np.inf), "ab", None])
def test_plane_grid_refuses_bad_limits(limits):
    with pytest.raises((ValueError, TypeError), match="limits"):
        plots.plane_grid(limits)


# BoundaryView ------------------------------------------------------------------------------------


def test_boundary_view_makes_its_artists_once_and_updates_them(xor_data, small_net):
    X, y = xor_data
    ax = axes()
    view = plots.BoundaryView(ax, X, y, resolution=21)
    image, line, points = view.image, view.line, view.points
    children = len(ax.get_children())
    view.update(small_net)
    first = view.values.copy()
    other = helpers.init_network([2, 4, 1], seed=3)
    view.update(other)
    draw(ax)
    assert (view.image, view.line, view.points) == (image, line, points)
    assert len(ax.get_children()) == children
    assert not np.allclose(first, view.values)


def test_boundary_values_are_the_network_output_over_the_grid(xor_data, small_net):
    X, y = xor_data
    view = plots.BoundaryView(axes(), X, y, limits=(-1.0, 2.0), resolution=31)
    view.update(small_net)
    (W1, W2), (b1, b2) = small_net.weights, small_net.biases
    expected = sigmoid(sigmoid(view.grid @ W1 + b1) @ W2 + b2)
    np.testing.assert_allclose(view.values, expected.reshape(31, 31), rtol=1e-12)
    # Row i is x2 = xs[i]: the image is drawn from the bottom up.
    assert view.image.origin == "lower"
    assert view.image.get_extent() == [-1.0, 2.0, -1.0, 2.0]


def test_one_neuron_line_is_exactly_w_dot_x_plus_b_equal_zero(xor_data):
    X, y = xor_data
    view = plots.BoundaryView(axes(), X, y)
    view.update(neuron(2.0, 3.0, -2.5))
    (segment,) = view.line.get_segments()
    np.testing.assert_allclose(segment @ [2.0, 3.0] - 2.5, 0.0, atol=1e-12)
    # Both ends on the border of the square [-0.5, 1.5]^2.
    on_border = np.isclose(segment, -0.5) | np.isclose(segment, 1.5)
    assert on_border.any(axis=1).all()


@pytest.mark.parametrize(
    ("w1", "w2", "b", "ends"),
    [
        (1.0, 0.0, -0.5, [[0.5, -0.5], [0.5, 1.5]]),  # vertical: x1 = 0.5
        (0.0, 1.0, -0.25, [[-0.5, 0.25], [1.5, 0.25]]),  # horizontal: x2 = 0.25
    ],
)
def test_one_neuron_line_handles_axis_parallel_lines(xor_data, w1, w2, b, ends):
    view = plots.BoundaryView(axes(), *xor_data)
    view.update(neuron(w1, w2, b))
    (segment,) = view.line.get_segments()
    np.testing.assert_allclose(sorted(segment.tolist()), ends, atol=1e-12)


def test_one_neuron_line_outside_the_plane_draws_nothing(xor_data):
    view = plots.BoundaryView(axes(), *xor_data)
    view.update(neuron(1.0, 1.0, 10.0))
    assert view.line.get_segments() == []
    view.update(neuron(0.0, 0.0, 1.0))
    assert view.line.get_segments() == []


def test_a_flat_output_draws_no_line(xor_data):
    view = plots.BoundaryView(axes(), *xor_data)
    # Weights of 1e-9 put the exact line inside the plane, but the output is 0.5 to nine digits.
    view.update(neuron(1e-9, 1e-9, -1e-9))
    assert view.line.get_segments() == []
    view.update_values(np.full(view.resolution**2, 0.5) + 1e-6 * view.grid[:, 0])
    assert view.line.get_segments() == []
    view.update(neuron(1.0, 1.0, -1.0))  # a varying output gets its line back
    assert len(view.line.get_segments()) == 1


def test_hidden_layer_line_follows_the_half_level(xor_data):
    X, y = xor_data
    history = helpers.train(helpers.init_network([2, 4, 1], seed=0), X, y, learning_rate=2.0, epochs=2000)
    view = plots.BoundaryView(axes(), X, y)
    view.update(history.final_network)
    segments = view.line.get_segments()
    assert len(segments) >= 2  # XOR needs two lines
    vertices = np.vstack(segments)
    np.testing.assert_allclose(helpers.predict(history.final_network, vertices), 0.5, atol=0.02)


def test_update_values_takes_flat_or_square_grids(xor_data):
    view = plots.BoundaryView(axes(), *xor_data, resolution=11)
    values = np.linspace(0, 1, 121)
    view.update_values(values)
    np.testing.assert_allclose(view.values, values.reshape(11, 11))
    view.update_values(values.reshape(11, 11)[::-1])
    np.testing.assert_allclose(view.values, values.reshape(11, 11)[::-1])
    view.update_values(values[:, None])
    assert view.line.get_segments()  # 0.5 is crossed, so there is a line
    with pytest.raises(ValueError, match=r"values must have shape \(121,\)"):
        view.update_values(np.zeros(120))
    with pytest.raises(ValueError, match="values must have shape"):
        view.update_values(np.zeros((1, 121)))


def test_boundary_view_points_are_coloured_by_label(xor_data):
    X, y = xor_data
    view = plots.BoundaryView(axes(), X, y)
    np.testing.assert_array_equal(view.points.get_array(), y[:, 0])
    np.testing.assert_array_equal(view.points.get_offsets(), X)


@pytest.mark.parametrize(
    ("X", "y", "error", "match"),
    [
        (np.zeros((4, 3)), np.zeros((4, 1)), ValueError, "X must have 2 columns"),
        (np.zeros(4), np.zeros((4, 1)), ValueError, "X must be 2-D"),
        (np.zeros((4, 2)), np.zeros((3, 1)), ValueError, r"y must have shape \(4, 1\)"),
        (np.zeros((4, 2)), np.zeros((4, 2)), ValueError, r"y must have shape \(4, 1\)"),
        ("abc", np.zeros((4, 1)), TypeError, "X must be a numeric array"),
    ],
)
def test_boundary_view_refuses_bad_data(X, y, error, match):
    with pytest.raises(error, match=match):
        plots.BoundaryView(axes(), X, y)


def test_boundary_view_refuses_networks_it_cannot_draw(xor_data):
    view = plots.BoundaryView(axes(), *xor_data)
    with pytest.raises(ValueError, match="2 inputs"):
        view.update(helpers.init_network([3, 1]))
    with pytest.raises(ValueError, match="1 output"):
        view.update(helpers.init_network([2, 2]))
    with pytest.raises(TypeError, match="network must be a Network"):
        view.update({"W1": np.zeros((2, 1))})
    stacked = helpers.init_network([2, 1])
    stacked.weights[0] = np.zeros((3, 2, 1))
    with pytest.raises(ValueError, match="stack"):
        view.update(stacked)
    with pytest.raises(TypeError, match="ax must be a matplotlib Axes"):
        plots.BoundaryView("ax", *xor_data)


# LossView ----------------------------------------------------------------------------------------


def losses():
    return 0.25 * np.exp(-np.linspace(0, 6, 101))


def test_loss_view_updates_its_line_and_marker_in_place():
    ax = axes()
    view = plots.LossView(ax)
    curve, marker = view.curve, view.marker
    view.update(losses(), epoch=40)
    assert (view.curve, view.marker) == (curve, marker)
    np.testing.assert_allclose(view.curve.get_ydata(), losses())
    np.testing.assert_allclose(view.marker.get_xydata(), [[40, losses()[40]]])
    view.update(losses())
    assert len(view.marker.get_xdata()) == 0
    assert ax.get_yscale() == "log"


def test_loss_view_ranges_cover_the_data_in_whole_decades_and_stay_put():
    ax = axes()
    view = plots.LossView(ax)
    view.update(losses(), epoch=0)
    assert ax.get_xlim() == (0, 100)
    low, high = ax.get_ylim()
    assert low <= losses().min() and losses().max() <= high
    np.testing.assert_allclose(np.log10([low, high]) % 1, 0.0, atol=1e-12)
    for epoch in range(0, 101, 10):
        view.update(losses(), epoch)
        assert ax.get_ylim() == (low, high)
    view.update(losses() * 1e-3, 5)  # the data leave the range: it follows them
    assert ax.get_ylim()[0] <= losses().min() * 1e-3


def test_loss_view_leaves_out_non_finite_losses():
    ax = axes()
    view = plots.LossView(ax)
    values = losses()
    values[60:] = np.inf
    values[50] = np.nan
    view.update(values, epoch=70)
    assert np.isnan(view.curve.get_ydata()[60:]).all()
    assert np.isfinite(ax.get_ylim()).all()
    draw(ax)


def test_loss_view_fixed_ranges_and_linear_scale():
    ax = axes()
    view = plots.LossView(ax, epochs=500, loss_range=(1e-4, 1.0))
    view.update(losses(), 3)
    assert ax.get_xlim() == (0, 500) and ax.get_ylim() == (1e-4, 1.0)
    ax2 = axes()
    linear = plots.LossView(ax2, log_scale=False)
    linear.update(losses(), 3)
    assert ax2.get_yscale() == "linear"
    assert ax2.get_ylim()[0] < losses().min() and losses().max() < ax2.get_ylim()[1]


@pytest.mark.parametrize(
    ("args", "error", "match"),
    [
        ((np.zeros((3, 3)),), ValueError, "losses must be a non-empty 1-D"),
        ((np.zeros(0),), ValueError, "losses must be a non-empty 1-D"),
        ((np.ones(5), 5), ValueError, "epoch must be between 0 and 4"),
        ((np.ones(5), -1), ValueError, "epoch must be an integer"),
        ((np.ones(5), 1.5), TypeError, "epoch must be an integer"),
    ],
)
def test_loss_view_refuses_bad_input(args, error, match):
    with pytest.raises(error, match=match):
        plots.LossView(axes()).update(*args)


# NetworkView -------------------------------------------------------------------------------------


def test_network_view_shows_weights_as_edges_and_labels(small_net):
    ax = axes(width=5)
    view = diagram.NetworkView(ax, small_net)
    edges, nodes, labels = view.edges, view.nodes, list(view.edge_labels)
    weights = np.concatenate([w.ravel() for w in small_net.weights])
    assert len(view.edges.get_segments()) == 2 * 4 + 4 * 1
    colours = view.edges.get_colors()
    np.testing.assert_allclose(colours[weights >= 0], [to_rgba(plots.POSITIVE_COLOUR)] * int((weights >= 0).sum()))
    np.testing.assert_allclose(colours[weights < 0], [to_rgba(plots.NEGATIVE_COLOUR)] * int((weights < 0).sum()))
    widths = np.asarray(view.edges.get_linewidths())
    order = np.argsort(np.abs(weights))
    assert np.all(np.diff(widths[order]) >= 0)  # wider for larger |w|
    assert [label.get_text() for label in view.edge_labels] == [f"{w:.2f}" for w in weights]

    trained = helpers.train(small_net, *helpers.xor(), learning_rate=2.0, epochs=300).final_network
    view.update(trained)
    draw(ax)
    assert (view.edges, view.nodes) == (edges, nodes) and view.edge_labels == labels
    new_weights = np.concatenate([w.ravel() for w in trained.weights])
    assert [label.get_text() for label in view.edge_labels] == [f"{w:.2f}" for w in new_weights]
    biases = np.concatenate([b.ravel() for b in trained.biases])
    assert [label.get_text() for label in view.bias_labels] == [f"b={b:.2f}" for b in biases]


def test_network_view_drops_weight_labels_on_big_networks():
    view = diagram.NetworkView(axes(), helpers.init_network([2, 8, 8, 1]))
    assert len(view.edges.get_segments()) == 2 * 8 + 8 * 8 + 8
    assert view.edge_labels == []
    assert len(view.bias_labels) == 8 + 8 + 1


def test_network_view_names_inputs_and_refuses_other_shapes(neuron):
    ax = axes()
    view = diagram.NetworkView(ax, neuron, input_names=["a", "b"])
    assert {"a", "b"} <= {text.get_text() for text in ax.texts}
    with pytest.raises(ValueError, match=r"layer sizes \[2, 1\]"):
        view.update(helpers.init_network([2, 3, 1]))
    with pytest.raises(ValueError, match="input_names must be 2 strings"):
        diagram.NetworkView(axes(), neuron, input_names=["a"])
    with pytest.raises(TypeError, match="network must be a Network"):
        diagram.NetworkView(axes(), [np.zeros((2, 1))])


# HiddenUnitsView ---------------------------------------------------------------------------------


def test_hidden_units_show_each_first_layer_unit(xor_data, small_net):
    X, y = xor_data
    all_axes = axes(ncols=4, width=8)
    view = plots.HiddenUnitsView(all_axes, X, y, resolution=15)
    images = list(view.images)
    assert [ax.get_title() for ax in all_axes] == ["$h_{1}$", "$h_{2}$", "$h_{3}$", "$h_{4}$"]
    view.update(small_net)
    draw(all_axes[0])
    assert view.images == images
    hidden = sigmoid(view.grid @ small_net.weights[0] + small_net.biases[0])
    for unit, image in enumerate(view.images):
        np.testing.assert_allclose(image.get_array(), hidden[:, unit].reshape(15, 15), rtol=1e-12)
        assert image.get_clim() == (0.0, 1.0)


def test_hidden_units_colour_range_follows_the_activation(xor_data):
    all_axes = axes(ncols=3, width=6)
    view = plots.HiddenUnitsView(all_axes, *xor_data, resolution=9)
    view.update(helpers.init_network([2, 3, 1], activation="tanh"))
    assert view.images[0].get_clim() == (-1.0, 1.0)
    net = helpers.init_network([2, 3, 1], activation="relu", seed=1)
    view.update(net)
    top = np.maximum(view.grid @ net.weights[0] + net.biases[0], 0).max()
    np.testing.assert_allclose(view.images[0].get_clim(), (0.0, top))


def test_hidden_units_show_narrower_layers_and_hide_the_axes_left_over(xor_data):
    all_axes = axes(ncols=4, width=8)
    view = plots.HiddenUnitsView(all_axes, *xor_data, resolution=9)
    for units in (2, 4, 1):
        net = helpers.init_network([2, units, 1], seed=units)
        view.update(net)
        assert [ax.get_visible() for ax in all_axes] == [k < units for k in range(4)]
        hidden = sigmoid(view.grid @ net.weights[0] + net.biases[0])
        for unit in range(units):
            np.testing.assert_allclose(view.images[unit].get_array(), hidden[:, unit].reshape(9, 9), rtol=1e-12)


def test_hidden_units_need_an_axes_per_unit(xor_data):
    view = plots.HiddenUnitsView(axes(ncols=2), *xor_data)
    with pytest.raises(ValueError, match="first hidden layer of 1 to 2 units"):
        view.update(helpers.init_network([2, 4, 1]))
    with pytest.raises(ValueError, match="first hidden layer of 1 to 2 units"):
        view.update(helpers.init_network([2, 1]))
    with pytest.raises(TypeError, match=r"axes\[1\] must be a matplotlib Axes"):
        plots.HiddenUnitsView([axes(), None], *xor_data)


# Activation curves -------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["sigmoid", "tanh", "relu", "identity"])
def test_plot_activation_draws_the_function_and_its_dashed_derivative(name):
    ax = axes()
    curve, slope = plots.plot_activation(ax, name)
    z = curve.get_xdata()
    activation = helpers.get_activation(name)
    np.testing.assert_allclose(curve.get_ydata(), activation.function(z))
    np.testing.assert_allclose(slope.get_ydata(), activation.derivative(z))
    assert slope.get_linestyle() == "--" and curve.get_linestyle() == "-"


def test_plot_activation_sigmoid_slope_peaks_at_a_quarter_and_bad_names():
    curve, slope = plots.plot_activation(axes(), "sigmoid")
    assert np.isclose(slope.get_ydata().max(), 0.25, atol=1e-4)
    with pytest.raises(ValueError, match="activation must be one of"):
        plots.plot_activation(axes(), "softplus")


# Predictions as text -----------------------------------------------------------------------------


def test_format_predictions_gives_one_line_per_example(xor_data):
    X, y = xor_data
    text = tables.format_predictions(X, y, np.array([0.0314, 0.97251, 0.5, 0.02]))
    assert text.splitlines() == [
        "x = (0, 0)  target 0  prediction 0.031",
        "x = (0, 1)  target 1  prediction 0.973",
        "x = (1, 0)  target 1  prediction 0.500",
        "x = (1, 1)  target 0  prediction 0.020",
    ]
    assert tables.format_predictions(X[:1], y[:1], [[0.12345]], decimals=2) == "x = (0, 0)  target 0  prediction 0.12"


def test_predictions_table_is_an_html_table(xor_data):
    X, y = xor_data
    table = tables.predictions_table(X, y, np.full((4, 1), 0.25))
    assert table.startswith("<table") and table.endswith("</table>")
    assert table.count("<tr>") == 5  # header and four rows
    assert table.count("<b>0.250</b>") == 4


@pytest.mark.parametrize("function", [tables.format_predictions, tables.predictions_table])
def test_prediction_text_refuses_mismatched_rows(xor_data, function):
    X, y = xor_data
    with pytest.raises(ValueError, match="predictions must have one row per row of X"):
        function(X, y, np.zeros(3))
    with pytest.raises(ValueError, match="y must have one row per row of X"):
        function(X, y[:2], np.zeros(4))
    with pytest.raises(TypeError, match="decimals must be an integer"):
        function(X, y, np.zeros(4), decimals=1.5)


def test_line_collection_is_the_only_line_artist(xor_data):
    # The 0.5 line is one LineCollection updated with set_segments, not a new contour per update.
    ax = axes()
    view = plots.BoundaryView(ax, *xor_data)
    for seed in range(3):
        view.update(helpers.init_network([2, 3, 1], seed=seed))
    assert [c for c in ax.collections if isinstance(c, LineCollection)] == [view.line]
