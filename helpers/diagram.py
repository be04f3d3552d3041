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


def _node_positions(sizes):
    """Node centres for a diagram: layer l at x = l, its units spread evenly around y = 0."""
    positions = []
    for layer, size in enumerate(sizes):
        ys = np.arange(size)[::-1] - (size - 1) / 2.0
        positions.append(np.column_stack([np.full(size, float(layer)), ys]))
    return positions


class NetworkView:
    """A diagram of the network: nodes in columns, one edge per weight, biases at the nodes.

    Edges are blue for positive and orange for negative weights, wider for larger |w|; each
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
        everything = np.vstack(self.positions)
        self.nodes = ax.scatter(
            everything[:, 0], everything[:, 1], s=400, c="white", edgecolors=LINE_COLOUR, linewidths=1.2, zorder=3
        )
        for name, (x, y) in zip(names, self.positions[0]):
            ax.text(x, y, name, ha="center", va="center", fontsize=9, zorder=5)
        self.bias_labels = []
        for layer, column in enumerate(self.positions[1:], start=1):
            last = layer == len(self.sizes) - 1
            for unit, (x, y) in enumerate(column, start=1):
                name = f"$h_{{{unit}}}$"
                if last:
                    name = "$\\hat y$" if len(column) == 1 else f"$\\hat y_{{{unit}}}$"
                ax.text(x, y, name, ha="center", va="center", fontsize=9, zorder=5)
                self.bias_labels.append(ax.text(x, y + 0.27, "", ha="center", va="bottom", fontsize=7, zorder=5))
        tallest = max(self.sizes)
        ax.set_xlim(-0.4, len(self.sizes) - 0.6)
        ax.set_ylim(-(tallest - 1) / 2 - 0.45, (tallest - 1) / 2 + 0.6)
        ax.set_axis_off()
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
        # Width grows with |w| but saturates, so one huge weight does not hide the rest.
        self.edges.set_linewidth(0.6 + 6.0 * np.tanh(np.abs(weights) / 3.0))
        for label, w in zip(self.edge_labels, weights):
            label.set_text(f"{w:.{self.decimals}f}")
        hidden_and_output = np.concatenate([np.full(self.sizes[0], 0.5), 0.5 + 0.5 * np.tanh(biases / 2.0)])
        self.nodes.set_facecolor(BOUNDARY_CMAP(hidden_and_output))
        for label, b in zip(self.bias_labels, biases):
            label.set_text(f"b={b:.{self.decimals}f}")
