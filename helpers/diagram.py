"""A diagram of a small network: nodes in columns, one edge per weight, coloured by sign.

Like the other views it creates its artists once and changes them in place on `update`.
"""

import numpy as np
from matplotlib.collections import LineCollection
from matplotlib.colors import to_rgba

from ._validate import check_axes, check_count
from .network import check_network
from .plots import BOUNDARY_CMAP, LINE_COLOUR, NEGATIVE_COLOUR, POSITIVE_COLOUR

_POSITIVE_RGBA, _NEGATIVE_RGBA = np.array(to_rgba(POSITIVE_COLOUR)), np.array(to_rgba(NEGATIVE_COLOUR))


NODE_DIAMETER = 20.0  # points, when the axes leave room for it
LABEL_HEIGHT = 9.0  # points taken by a bias label above its node (6.5-point text and a margin)
LABEL_BOX = {"boxstyle": "round,pad=0.1", "fc": "white", "ec": "none", "alpha": 0.8}  # legible over edges
SOLID, DASHED = "-", (0, (2.0, 1.0))  # edge styles for positive and negative weights (dashes in line widths)


def _node_diameter(ax):
    """The node diameter in points: NODE_DIAMETER, or less where units sit so close (a wide layer in a short
    axes) that a circle and the bias label above it would reach the next unit's circle."""
    low, high = ax.get_ylim()
    points_per_unit = ax.get_position().height * ax.figure.get_figheight() * 72.0 / (high - low)
    return float(min(NODE_DIAMETER, max(points_per_unit - LABEL_HEIGHT - 2.0, 8.0)))


def _node_positions(sizes):
    """Node centres for a diagram: layer l at x = l, its units spread evenly around y = 0."""
    positions = []
    for layer, size in enumerate(sizes):
        ys = np.arange(size)[::-1] - (size - 1) / 2.0
        positions.append(np.column_stack([np.full(size, float(layer)), ys]))
    return positions


class NetworkView:
    """A diagram of the network: nodes in columns, one edge per weight, biases at the nodes.

    Edges are solid blue for positive and dashed orange for negative weights, wider for larger |w|; each
    edge carries its value when there are at most `max_labels` edges. A node's colour (orange
    negative, blue positive) and the number above it give its bias. update(network) changes
    colours, widths and labels in place (the network must keep its layer sizes).
    input_names: names for the input nodes (default x1, x2, ...).
    """

    def __init__(self, ax, network, input_names=None, max_labels=24, decimals=2):
        self.ax = check_axes("ax", ax)
        self.sizes = check_network(network).layer_sizes
        names = [f"$x_{i + 1}$" for i in range(self.sizes[0])] if input_names is None else list(input_names)
        if len(names) != self.sizes[0] or not all(isinstance(n, str) for n in names):
            raise ValueError(f"input_names must be {self.sizes[0]} strings, got {input_names!r}")
        self.decimals = check_count("decimals", decimals)
        self.positions = _node_positions(self.sizes)
        segments = []
        for left, right in zip(self.positions, self.positions[1:]):
            for start in left:
                for end in right:
                    segments.append([start, end])
        # One collection for every edge: an update sets all colours and widths in one call.
        self.edges = LineCollection(segments, zorder=1, capstyle="round")
        ax.add_collection(self.edges)
        self.edge_labels = []
        if len(segments) <= max_labels:
            for start, end, t in zip(*zip(*segments), self._label_positions()):
                x, y = start[0] + t * (end[0] - start[0]), start[1] + t * (end[1] - start[1])
                self.edge_labels.append(
                    ax.text(
                        x,
                        y,
                        "",
                        fontsize=7,
                        ha="center",
                        va="center",
                        zorder=4,
                        bbox={"boxstyle": "round,pad=0.15", "fc": "white", "ec": "none", "alpha": 0.8},
                    )
                )
        tallest = max(self.sizes)
        ax.set_xlim(-0.4, len(self.sizes) - 0.6)
        ax.set_ylim(-(tallest - 1) / 2 - 0.45, (tallest - 1) / 2 + 0.6)
        ax.set_axis_off()
        diameter = _node_diameter(ax)
        names_size = 9 if diameter >= NODE_DIAMETER else 8
        everything = np.vstack(self.positions)
        self.nodes = ax.scatter(
            everything[:, 0],
            everything[:, 1],
            s=diameter**2,
            c="white",
            edgecolors=LINE_COLOUR,
            linewidths=1.2,
            zorder=3,
        )
        for name, (x, y) in zip(names, self.positions[0]):
            ax.text(x, y, name, ha="center", va="center", fontsize=names_size, zorder=5)
        self.bias_labels = []
        for layer, column in enumerate(self.positions[1:], start=1):
            last = layer == len(self.sizes) - 1
            for unit, (x, y) in enumerate(column, start=1):
                name = f"$h_{{{unit}}}$"
                if last:
                    name = "$\\hat y$" if len(column) == 1 else f"$\\hat y_{{{unit}}}$"
                ax.text(x, y, name, ha="center", va="center", fontsize=names_size, zorder=5)
                # Just above the circle, in points: the gap stays the same whatever the axes' size.
                above = {"xytext": (0, diameter / 2 + 1), "textcoords": "offset points", "bbox": LABEL_BOX}
                self.bias_labels.append(
                    ax.annotate("", (x, y), ha="center", va="bottom", fontsize=6.5, zorder=5, **above)
                )
        self.update(network)

    def _label_positions(self):
        """Where along each edge (0 = source, 1 = target) its label sits, edges in drawing order."""
        positions = []
        for n_in, n_out in zip(self.sizes, self.sizes[1:]):
            # n_in edges meet at each target and n_out leave each source; labels go to the end
            # where fewer edges meet, close enough to it that neighbouring edges have spread apart.
            positions.extend([0.7 if n_in <= n_out else 0.3] * (n_in * n_out))
        return positions

    def update(self, network):
        """Show the parameters of `network` (same layer sizes as the one the view was made with)."""
        if check_network(network).layer_sizes != self.sizes:
            raise ValueError(f"network must have layer sizes {self.sizes} (one network), got {network.layer_sizes}")
        weights = np.concatenate([w.ravel() for w in network.weights])
        biases = np.concatenate([b.ravel() for b in network.biases])
        self.edges.set_color(np.where(weights[:, None] >= 0, _POSITIVE_RGBA, _NEGATIVE_RGBA))
        # Dashed for negative as well as orange, so the sign does not rest on colour alone (edges beyond
        # max_labels carry no number).
        self.edges.set_linestyle([SOLID if w >= 0 else DASHED for w in weights])
        # Width grows with |w| but saturates, so one huge weight does not hide the rest.
        self.edges.set_linewidth(0.6 + 6.0 * np.tanh(np.abs(weights) / 3.0))
        for label, w in zip(self.edge_labels, weights):
            label.set_text(f"{w:.{self.decimals}f}")
        hidden_and_output = np.concatenate([np.full(self.sizes[0], 0.5), 0.5 + 0.5 * np.tanh(biases / 2.0)])
        self.nodes.set_facecolor(BOUNDARY_CMAP(hidden_and_output))
        for label, b in zip(self.bias_labels, biases):
            label.set_text(f"b={b:.{self.decimals}f}")
