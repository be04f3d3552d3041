"""Pictures of a small network: decision boundary, loss curve, hidden units, activations.

Every view draws onto Axes it is given, creates its artists once and changes them in place on
`update` (set_data, set_array, set_segments), so a live figure can redraw it many times a second.
Colours follow one convention everywhere: orange for 0 / negative, blue for 1 / positive. Classes
differ by marker shape as well (circles: class 0, crosses: class 1, triangles: class 2), so a
picture never rests on colour alone; tests/test_colours.py checks that the class colours stay apart
under simulated colour-vision deficiencies and that lines and text meet WCAG contrast.
"""

import numpy as np
from contourpy import contour_generator
from matplotlib.collections import LineCollection, PathCollection
from matplotlib.colors import LinearSegmentedColormap, Normalize
from matplotlib.markers import MarkerStyle
from matplotlib.transforms import IdentityTransform

from ._validate import as_float_array, check_axes, check_choice, check_count, check_labels, check_limits
from .activations import ACTIVATIONS, OUTPUT_ACTIVATIONS, get_activation
from .network import check_network, forward_pass

# One colour and one marker per class, in class order: orange circles, blue crosses, wine triangles.
# The three stay apart under protanopia, deuteranopia and tritanopia, and each has at least 3:1
# contrast against white, so a line drawn in it is seen (tests/test_colours.py).
CLASS_COLOURS = ("#e07000", "#0877bd", "#882255")
CLASS_MARKERS = ("o", "X", "^")
NEGATIVE_COLOUR, POSITIVE_COLOUR = CLASS_COLOURS[:2]
MIDDLE_COLOUR = "#f4f4f4"
# Orange at 0, near-white at 0.5, blue at 1: the decision threshold is where the colour fades out.
# The ends are paler than the data points' colours, so a point stands out on a region of its own class.
BOUNDARY_CMAP = LinearSegmentedColormap.from_list("orange_white_blue", ["#f9c58a", MIDDLE_COLOUR, "#8cc0e0"])
POINTS_CMAP = LinearSegmentedColormap.from_list("orange_blue", [NEGATIVE_COLOUR, POSITIVE_COLOUR])
LINE_COLOUR = "#222222"
# Reference lines (z = 0): light, yet 3:1 against white.
AXIS_COLOUR = "#8a8a8a"


def _check_plane_network(network, n_outputs=1):
    """A single (unstacked) Network with 2 inputs and n_outputs outputs (None: any)."""
    sizes = check_network(network).layer_sizes
    if sizes[0] != 2:
        raise ValueError(f"network must take 2 inputs to be drawn over the plane, got layer sizes {sizes}")
    if n_outputs is not None and sizes[-1] != n_outputs:
        raise ValueError(f"network must have {n_outputs} output, got layer sizes {sizes}")
    return network


def plane_grid(limits=(-0.5, 1.5), resolution=101):
    """Points of a square grid over the input plane: (resolution**2, 2), row by row from the bottom.

    grid[i * resolution + j] = (xs[j], xs[i]), so values over the grid reshape to
    (resolution, resolution) with x2 along the rows, as imshow(origin="lower") expects.
    """
    low, high = check_limits(limits)
    resolution = check_count("resolution", resolution, minimum=2)
    xs = np.linspace(low, high, resolution)
    x1, x2 = np.meshgrid(xs, xs)
    return np.column_stack([x1.ravel(), x2.ravel()])


def _clipped_line(w1, w2, c, low, high):
    """The segment of w1 x1 + w2 x2 + c = 0 inside the square [low, high]^2: (2, 2), or None."""
    # Walk along the axis the line is least steep against, so the division is well conditioned.
    swap = abs(w2) < abs(w1)
    if swap:
        w1, w2 = w2, w1
    if w2 == 0:
        return None
    # x2 = -(w1 t + c) / w2 for t along x1; keep the t for which x2 stays inside [low, high].
    t = np.array([low, high])
    if w1 != 0:
        ends = np.sort((-(np.array([low, high]) * w2) - c) / w1)
        t = np.array([max(low, ends[0]), min(high, ends[1])])
        if t[0] > t[1]:
            return None
    points = np.column_stack([t, -(w1 * t + c) / w2])
    return points[:, ::-1] if swap else points


# Outputs that vary less than this across the whole plane count as flat: no decision line is drawn.
FLAT_OUTPUT = 1e-3


def _plane_image(ax, limits, resolution):
    """A (resolution, resolution) heat map over the square `limits`, x2 along the rows, all 0.5 for now."""
    low, high = limits
    return ax.imshow(
        np.full((resolution, resolution), 0.5),
        cmap=BOUNDARY_CMAP,
        vmin=0.0,
        vmax=1.0,
        origin="lower",
        extent=(low, high, low, high),
        interpolation="bilinear",
    )


def _marker_path(marker):
    style = MarkerStyle(marker)
    return style.get_path().transformed(style.get_transform())


class LabelledPoints(PathCollection):
    """Data points coloured (POINTS_CMAP) and shaped (CLASS_MARKERS) by their labels in {0, 1}.

    A scatter whose set_array(labels) changes the markers with the colours, so a view that
    relabels its points (another data set, another target) keeps shape and colour in step.
    """

    MARKER_PATHS = tuple(_marker_path(marker) for marker in CLASS_MARKERS)

    def set_array(self, A):
        super().set_array(A)
        if A is not None:
            classes = np.clip(np.rint(np.ravel(A)).astype(int), 0, len(CLASS_MARKERS) - 1)
            self.set_paths([self.MARKER_PATHS[label] for label in classes])


def _labelled_points(ax, X, y, size, edge, zorder):
    """The data points X: (n, 2), coloured and shaped by their labels y: (n, 1); edge is (colour, width)."""
    points = LabelledPoints(
        [],
        sizes=[size],
        offsets=X,
        offset_transform=ax.transData,
        transform=IdentityTransform(),  # marker paths in points, placed at the data offsets (as scatter does)
        cmap=POINTS_CMAP,
        norm=Normalize(0.0, 1.0),
        edgecolors=edge[0],
        linewidths=edge[1],
        zorder=zorder,
    )
    points.set_array(y[:, 0])
    ax.add_collection(points, autolim=False)
    return points


class BoundaryView:
    """The network's output as a heat map over the input plane, its `threshold` line, and the data.

    ax: Axes to draw on. X: (n, 2) inputs, y: (n, 1) or (n,) labels in {0, 1}.
    limits: (low, high) of both axes; resolution: grid points per axis (the grid is
    `.grid`, (resolution**2, 2)). update(network) recomputes the heat map; update_values(v)
    shows precomputed values v: (resolution**2,) or (resolution, resolution).
    For a one-layer network the line is the exact w1 x1 + w2 x2 + b = f^-1(threshold);
    otherwise it is traced through the grid values.
    """

    def __init__(self, ax, X, y, limits=(-0.5, 1.5), resolution=101, threshold=0.5):
        self.ax = check_axes("ax", ax)
        self.X, self.y = check_labels(X, y)
        self.limits = check_limits(limits)
        self.resolution = check_count("resolution", resolution, minimum=2)
        self.threshold = float(as_float_array("threshold", threshold, ndim=0))
        self.grid = plane_grid(self.limits, self.resolution)
        self._axis = np.linspace(*self.limits, self.resolution)
        low, high = self.limits
        self.image = _plane_image(ax, self.limits, self.resolution)
        self.line = LineCollection([], colors=LINE_COLOUR, linewidths=1.5, zorder=2)
        ax.add_collection(self.line)
        self.points = _labelled_points(ax, self.X, self.y, size=100, edge=("black", 1.0), zorder=3)
        ax.set_xlim(low, high)
        ax.set_ylim(low, high)
        ax.set_xlabel("$x_1$")
        ax.set_ylabel("$x_2$")

    @property
    def values(self):
        """The values shown: (resolution, resolution), x2 along the rows."""
        return np.asarray(self.image.get_array())

    def update(self, network):
        """Show `network` (2 inputs, 1 output): heat map of its output over the grid and its line."""
        _check_plane_network(network)
        values = forward_pass(network, self.grid)[0][-1]
        line = None
        if len(network.weights) == 1:
            z = float(ACTIVATIONS[network.activations[-1]].inverse(self.threshold))
            if np.isfinite(z):
                (w1, w2), b = network.weights[0][:, 0], network.biases[0][0, 0]
                segment = _clipped_line(w1, w2, b - z, *self.limits)
                line = [] if segment is None else [segment]
        self._show(values.reshape(self.resolution, self.resolution), line)

    def update_values(self, values):
        """Show precomputed grid values: (resolution**2,), (resolution**2, 1) or (resolution, resolution)."""
        values = as_float_array("values", values)
        r = self.resolution
        if values.shape not in {(r * r,), (r * r, 1), (r, r)}:
            raise ValueError(
                f"values must have shape ({r * r},), ({r * r}, 1) or ({r}, {r}) (the grid), got {values.shape}"
            )
        self._show(values.reshape(r, r), None)

    def _show(self, values, line):
        self.image.set_data(values)
        if np.ptp(values) < FLAT_OUTPUT:
            # A flat output (e.g. 0.5 everywhere) decides nothing; a line there would be rounding noise.
            line = []
        if line is None:
            # The threshold line traced through the grid (marching squares): no new artists needed.
            line = contour_generator(self._axis, self._axis, values, line_type="Separate").lines(self.threshold)
        self.line.set_segments(line)


class LossView:
    """A loss curve (log scale by default) with a marker at the current epoch.

    update(losses, epoch=None): losses (epochs_run + 1,), the loss after 0, 1, ... updates
    (NaN or inf entries are left out of the curve). The x range is 0..len(losses) - 1 and the y
    range spans the finite losses in whole decades; both change only when the data leave them
    (or fill much less than the y range), so moving along one run never rescales the axes.
    epochs and loss_range fix the ranges instead, e.g. to compare runs of several learning rates
    on the same axes.
    """

    def __init__(self, ax, log_scale=True, epochs=None, loss_range=None, colour=POSITIVE_COLOUR):
        self.ax = check_axes("ax", ax)
        self.log_scale = bool(log_scale)
        self.epochs = None if epochs is None else check_count("epochs", epochs, minimum=1)
        self.loss_range = None if loss_range is None else check_limits(loss_range)
        if self.log_scale and self.loss_range is not None and self.loss_range[0] <= 0:
            raise ValueError(f"loss_range must be positive on a log scale, got {loss_range!r}")
        (self.curve,) = ax.plot([], [], color=colour, linewidth=1.5)
        (self.marker,) = ax.plot([], [], "o", color=LINE_COLOUR, markersize=5, zorder=3, clip_on=False)
        if self.log_scale:
            ax.set_yscale("log")
        ax.set_xlabel("epoch")
        ax.set_ylabel("loss")
        ax.set_autoscale_on(False)
        ax.grid(True, which="major", alpha=0.3)
        ax.set_xlim(0, self.epochs or 1)
        ax.set_ylim(*(self.loss_range or ((1e-3, 1.0) if self.log_scale else (0.0, 1.0))))

    def update(self, losses, epoch=None):
        """Show the curve `losses` (1-D) and, unless epoch is None, a marker at losses[epoch]."""
        losses = as_float_array("losses", losses, allow_infinite=True, allow_nan=True)
        if losses.ndim != 1 or losses.size == 0:
            raise ValueError(f"losses must be a non-empty 1-D array, got shape {losses.shape}")
        shown = np.isfinite(losses) & (losses > 0 if self.log_scale else True)
        self.curve.set_data(np.arange(losses.size), np.where(shown, losses, np.nan))
        if epoch is None:
            self.marker.set_data([], [])
        else:
            epoch = check_count("epoch", epoch)
            if epoch >= losses.size:
                raise ValueError(f"epoch must be between 0 and {losses.size - 1}, got {epoch}")
            self.marker.set_data([epoch], [losses[epoch]] if shown[epoch] else [np.nan])
        if self.epochs is None:
            x_high = max(losses.size - 1, 1)
            if self.ax.get_xlim() != (0, x_high):
                self.ax.set_xlim(0, x_high)
        if self.loss_range is None and shown.any():
            self._fit_y(float(losses[shown].min()), float(losses[shown].max()))

    def _fit_y(self, low, high):
        current_low, current_high = self.ax.get_ylim()
        if self.log_scale:
            # Whole decades, so the tick labels stay put while the curve moves within them.
            new_low, new_high = 10.0 ** np.floor(np.log10(low)), 10.0 ** np.ceil(np.log10(high))
            if new_high <= new_low:
                new_high = new_low * 10.0
            too_wide = np.log10(current_high / current_low) > np.log10(new_high / new_low) + 2
        else:
            pad = 0.05 * (high - low) or 0.05 * abs(high) or 0.05
            new_low, new_high = low - pad, high + pad
            too_wide = current_high - current_low > 4 * (new_high - new_low)
        if low < current_low or high > current_high or too_wide:
            self.ax.set_ylim(new_low, new_high)


def colour_limits(activation, values):
    """(low, high) for colouring outputs `values` of the activation called `activation` (one of
    OUTPUT_ACTIVATIONS): its output range (sigmoid and softmax 0..1, tanh -1..1), where unbounded
    the values' own reach (relu 0..max)."""
    low, high = OUTPUT_ACTIVATIONS[check_choice("activation", activation, OUTPUT_ACTIVATIONS)].output_range
    reach = max(float(np.abs(as_float_array("values", values)).max(initial=0.0)), 1e-12)
    return (-reach if low is None else low), (reach if high is None else high)


class HiddenUnitsView:
    """One small heat map per unit of the first hidden layer: the unit's activation over the plane.

    axes: a sequence (or array) of Axes, one per hidden unit, titled h1, h2, ...
    X: (n, 2), y: (n, 1) or (n,) shown as small points. update(network) takes a network with up
    to len(axes) first-layer units: unit k is drawn on axes[k], the axes left over are hidden, so
    one view serves networks of several widths. Colours span the activation's range (see colour_limits).
    """

    def __init__(self, axes, X, y, limits=(-0.5, 1.5), resolution=41):
        axes = list(np.ravel(np.asarray(axes, dtype=object)))
        if not axes:
            raise ValueError("axes must hold at least one Axes")
        self.axes = [check_axes(f"axes[{i}]", ax) for i, ax in enumerate(axes)]
        self.X, self.y = check_labels(X, y)
        self.limits = check_limits(limits)
        self.resolution = check_count("resolution", resolution, minimum=2)
        self.grid = plane_grid(self.limits, self.resolution)
        self.images = []
        for unit, ax in enumerate(self.axes, start=1):
            self.images.append(_plane_image(ax, self.limits, self.resolution))
            _labelled_points(ax, self.X, self.y, size=18, edge=("white", 0.6), zorder=1)
            ax.set_title(f"$h_{{{unit}}}$", fontsize=9)
            # No frame or ticks: a picture that comes and goes with the network's width then leaves a
            # live figure's background as it is (see livefigure.py).
            ax.set_axis_off()

    def update(self, network):
        """Show each first-layer unit of `network` (2 inputs; 1 to len(axes) hidden units)."""
        sizes = _check_plane_network(network, n_outputs=None).layer_sizes
        if len(sizes) < 3 or sizes[1] > len(self.axes):
            raise ValueError(f"network must have a first hidden layer of 1 to {len(self.axes)} units, got {sizes}")
        name = network.activations[0]
        hidden = ACTIVATIONS[name].function(self.grid @ network.weights[0] + network.biases[0])
        low, high = colour_limits(name, hidden)
        for unit, (ax, image) in enumerate(zip(self.axes, self.images)):
            ax.set_visible(unit < sizes[1])
            if unit < sizes[1]:
                image.set_data(hidden[:, unit].reshape(self.resolution, self.resolution))
                image.set_clim(low, high)


def plot_activation(ax, name, limits=(-6.0, 6.0)):
    """Draw activation `name` (solid) and its derivative (dashed) over z in limits; returns the two lines."""
    check_axes("ax", ax)
    activation = get_activation(name)
    low, high = check_limits(limits)
    z = np.linspace(low, high, 401)
    (curve,) = ax.plot(z, activation.function(z), color=POSITIVE_COLOUR, label=f"{name}(z)")
    (slope,) = ax.plot(z, activation.derivative(z), "--", color=NEGATIVE_COLOUR, label=f"{name}'(z)")
    ax.axhline(0.0, color=AXIS_COLOUR, linewidth=0.8, zorder=0)
    ax.axvline(0.0, color=AXIS_COLOUR, linewidth=0.8, zorder=0)
    ax.set_xlabel("z")
    ax.legend(loc="upper left", fontsize=8, frameon=False)
    return curve, slope
