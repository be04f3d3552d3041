"""Make the README figures: the backpropagation diagram and one thumbnail per notebook.

Usage: python images/make_figures.py [outdir]   (default: the images/ folder beside this script)

Every number drawn comes from `helpers` (seeded), and the PNGs carry no timestamp or version
metadata, so running the script twice gives the same files.
"""

import sys
from pathlib import Path

import numpy as np
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.patches import Circle, FancyArrowPatch, FancyBboxPatch

import helpers
from helpers.graphview import graph_layout, node_name
from helpers.plots import NEGATIVE_COLOUR, POSITIVE_COLOUR, BoundaryView

THUMBNAIL_INCHES, THUMBNAIL_DPI = (3.0, 2.0), 80  # 240 x 160 pixels
DIAGRAM_INCHES, DIAGRAM_DPI = (9.0, 5.0), 100  # 900 x 500 pixels
THUMBNAIL_NAMES = [
    "01_forward_pass",
    "02_gradients",
    "03_weight_update",
    "04_single_neuron_xor",
    "05_hidden_layer",
    "06_computational_graph",
    "07_activations_and_depth",
    "08_optimisers",
    "09_playground",
]
FORWARD_COLOUR, BACKWARD_COLOUR, UPDATE_COLOUR = POSITIVE_COLOUR, "#c0392b", "#2e7d32"
SUBSCRIPTS = "₁₂"


def _figure(size, dpi):
    fig = Figure(figsize=size, dpi=dpi)
    FigureCanvasAgg(fig)
    return fig


def _save(fig, path):
    # No metadata: matplotlib would otherwise stamp its version into every file.
    fig.savefig(path, format="png", metadata={"Software": None})
    return path


def _thumbnail_axes():
    fig = _figure(THUMBNAIL_INCHES, THUMBNAIL_DPI)
    ax = fig.add_axes((0.02, 0.03, 0.96, 0.94))
    return fig, ax


def _curve_axes(xlabel, ylabel, log_y=False):
    """A thumbnail with one plot area, bare axes and two small axis names."""
    fig = _figure(THUMBNAIL_INCHES, THUMBNAIL_DPI)
    ax = fig.add_axes((0.1, 0.12, 0.86, 0.84))
    if log_y:
        ax.set_yscale("log")  # before the ticks go: a later change of scale would bring them back
    ax.set_xticks([])
    ax.set_yticks([])
    ax.set_xlabel(xlabel, fontsize=8, labelpad=1)
    ax.set_ylabel(ylabel, fontsize=8, labelpad=1)
    return fig, ax


def _boundary(ax, network, X, y, limits, resolution=81):
    """The course's boundary picture (heat map, 0.5 line, points), without axis furniture."""
    view = BoundaryView(ax, X, y, limits=limits, resolution=resolution)
    view.update(network)
    view.points.set_sizes([60 if len(X) < 10 else 10])
    ax.set_xticks([])
    ax.set_yticks([])
    ax.set_xlabel("")
    ax.set_ylabel("")


def thumbnail_01(path):
    """One sigmoid neuron's output over the plane, trained on AND: a straight boundary."""
    X, y = helpers.and_gate()
    history = helpers.train(helpers.init_network([2, 1], seed=0), X, y, learning_rate=2.0, epochs=2000)
    fig, ax = _thumbnail_axes()
    _boundary(ax, history.final_network, X, y, (-0.5, 1.5))
    return _save(fig, path)


def thumbnail_02(path):
    """The loss along one weight, with the tangent whose slope backpropagation computes."""
    X, y = helpers.and_gate()
    network = helpers.init_network([2, 1], seed=0)
    # Move the weight away from the bottom of the valley so the tangent has a visible slope.
    network.weights[0][0, 0] += 2.0
    w0 = network.weights[0][0, 0]
    slope = helpers.backward(network, X, y)["W1"][0, 0]
    offsets = np.linspace(-6.0, 3.0, 161)
    probe = network.copy()
    losses = []
    for offset in offsets:
        probe.weights[0][0, 0] = w0 + offset
        losses.append(helpers.loss_value(probe, X, y))
    fig, ax = _curve_axes("weight", "loss")
    ax.plot(w0 + offsets, losses, color=FORWARD_COLOUR, lw=2)
    near = np.abs(offsets) <= 1.5
    loss0 = helpers.loss_value(network, X, y)
    ax.plot(w0 + offsets[near], loss0 + slope * offsets[near], color=BACKWARD_COLOUR, lw=1.5, ls="--")
    ax.plot([w0], [loss0], "o", color=BACKWARD_COLOUR)
    return _save(fig, path)


def thumbnail_03(path):
    """Loss curves of gradient descent at several learning rates: crawl, converge, overshoot."""
    X, y = helpers.or_gate()
    rates = [0.05, 0.5, 5.0, 50.0]
    histories = helpers.train_many(helpers.init_network([2, 1], seed=0), X, y, rates, epochs=300)
    fig, ax = _curve_axes("epoch", "loss", log_y=True)
    colours = ["#adb5bd", "#74c0fc", POSITIVE_COLOUR, NEGATIVE_COLOUR]
    for history, colour in zip(histories, colours):
        ax.plot(history.losses, color=colour, lw=1.8, label=f"lr {history.learning_rate:g}")
    ax.legend(fontsize=6, frameon=False, loc="lower left")
    return _save(fig, path)


def thumbnail_04(path):
    """XOR: one trained neuron says 0.5 everywhere, and no straight line separates the colours."""
    X, y = helpers.xor()
    history = helpers.train(helpers.init_network([2, 1], seed=0), X, y, learning_rate=0.5, epochs=2000)
    fig, ax = _thumbnail_axes()
    # The output is 0.5 everywhere up to rounding, so there is no boundary to draw, only failed lines.
    _boundary(ax, history.final_network, X, y, (-0.5, 1.5))
    xs = np.array([-0.5, 1.5])
    for slope, intercept in [(-1.0, 1.5), (-1.0, 0.5), (1.0, 0.0)]:
        ax.plot(xs, slope * xs + intercept, color="0.3", lw=1, ls=":")
    return _save(fig, path)


def thumbnail_05(path):
    """The [2, 3, 1] network of notebook 05 trained on XOR: a band of 1s between the 0s."""
    X, y = helpers.xor()
    history = helpers.train(helpers.init_network([2, 3, 1], seed=0), X, y, learning_rate=2.2, epochs=5000)
    fig, ax = _thumbnail_axes()
    _boundary(ax, history.final_network, X, y, (-0.5, 1.5))
    return _save(fig, path)


def thumbnail_06(path):
    """One neuron's loss as an expression graph, each node as red as its gradient is large; the backward sweep."""

    leaves = [
        helpers.Value(v, label=name) for name, v in zip(("x₁", "w₁", "x₂", "w₂", "b"), (1.0, 0.8, 0.5, -1.2, 0.1))
    ]
    x1, w1, x2, w2, b = leaves
    loss = ((x1 * w1 + x2 * w2 + b).sigmoid() - helpers.Value(1.0, label="y")) ** 2
    loss.backward()
    nodes, positions = graph_layout(loss)
    place = {id(node): xy for node, xy in zip(nodes, positions)}
    largest = max(abs(node.gradient) for node in nodes)
    fig, ax = _thumbnail_axes()
    columns = [x for x, _ in positions]
    rows = [y for _, y in positions]
    ax.set_xlim(min(columns) - 0.5, max(columns) + 0.5)
    ax.set_ylim(min(rows) - 0.95, max(rows) + 0.45)
    ax.axis("off")
    for node in nodes:
        for parent in node.parents:
            ax.plot(*zip(place[id(parent)], place[id(node)]), color="0.65", lw=1, zorder=1)
    for node in nodes:
        # Red as strong as the gradient that reaches the node: where the backward pass carries the most.
        shade = 0.1 + 0.7 * abs(node.gradient) / largest
        ax.add_patch(Circle(place[id(node)], 0.4, facecolor=(BACKWARD_COLOUR, shade), edgecolor="0.3", lw=1))
        ax.text(*place[id(node)], node_name(node).replace("**2", "²"), ha="center", va="center", fontsize=8, zorder=3)
    bottom = min(rows) - 0.7
    _arrow(ax, (max(columns), bottom), (min(columns), bottom), BACKWARD_COLOUR)
    return _save(fig, path)


def thumbnail_07(path):
    """Gradient size per layer of a deep net at its start: sigmoid shrinks, ReLU and tanh keep more."""
    X, y = helpers.xor()
    depth = 8
    fig, ax = _curve_axes("layer", "|gradient|", log_y=True)
    for name, colour in [("sigmoid", BACKWARD_COLOUR), ("tanh", UPDATE_COLOUR), ("relu", FORWARD_COLOUR)]:
        network = helpers.init_network([2] + [8] * depth + [1], activation=name, seed=0)
        grads = helpers.backward(network, X, y)
        norms = [np.linalg.norm(grads[f"W{layer}"]) for layer in range(1, depth + 2)]
        ax.plot(range(1, depth + 2), norms, "o-", color=colour, lw=1.5, ms=3, label=name)
    ax.legend(fontsize=6, frameon=False)
    return _save(fig, path)


def thumbnail_08(path):
    """Four optimisers from the same start on XOR: loss against epoch."""
    X, y = helpers.xor()
    network = helpers.init_network([2, 4, 1], seed=0)
    fig, ax = _curve_axes("epoch", "loss", log_y=True)
    runs = [("gd", 2.2, "#adb5bd"), ("momentum", 0.5, UPDATE_COLOUR), ("rmsprop", 0.01, FORWARD_COLOUR)]
    runs.append(("adam", 0.05, BACKWARD_COLOUR))
    for name, rate, colour in runs:
        history = helpers.train(network, X, y, learning_rate=rate, epochs=1000, optimizer=name)
        ax.plot(history.losses, color=colour, lw=1.5, label=name)
    ax.legend(fontsize=6, frameon=False, loc="lower left")
    return _save(fig, path)


def thumbnail_09(path):
    """A small tanh network trained on two moons: the playground's boundary."""
    X, y = helpers.make_dataset("two_moons", n=200, seed=0)
    limits = helpers.DATASET_LIMITS
    network = helpers.init_network([2, 8, 8, 1], activation="tanh", seed=0)
    history = helpers.train(network, X, y, learning_rate=0.02, epochs=600, optimizer="adam")
    fig, ax = _thumbnail_axes()
    _boundary(ax, history.final_network, X, y, limits)
    return _save(fig, path)


def _node(ax, xy, text, colour):
    ax.add_patch(Circle(xy, 0.42, facecolor="white", edgecolor=colour, lw=2, zorder=3))
    ax.text(*xy, text, ha="center", va="center", fontsize=10, zorder=4)


def _arrow(ax, start, end, colour, **style):
    ax.add_patch(FancyArrowPatch(start, end, arrowstyle="-|>", mutation_scale=14, color=colour, lw=2, **style))


def backpropagation_diagram(path, learning_rate=0.5):
    """Forward pass, loss, backward pass and update of a [2, 2, 1] sigmoid network on one example."""
    x, target = np.array([[1.0, 0.0]]), np.array([[1.0]])
    network = helpers.init_network([2, 2, 1], seed=0)
    _, a1, a2 = helpers.forward(network, x)
    loss = helpers.loss_value(network, x, target)
    grads = helpers.backward(network, x, target)
    # The error signals dL/dz, layer by layer, as the backward pass computes them.
    delta2 = 2.0 * (a2 - target) * a2 * (1.0 - a2)
    delta1 = delta2 @ network.weights[1].T * a1 * (1.0 - a1)
    assert np.allclose(grads["W2"], a1.T @ delta2) and np.allclose(grads["W1"], x.T @ delta1)
    updated = helpers.gradient_step(network, grads, learning_rate)

    fig = _figure(DIAGRAM_INCHES, DIAGRAM_DPI)
    ax = fig.add_axes((0, 0, 1, 1))
    ax.set_xlim(0, 9)
    ax.set_ylim(0, 5)
    ax.axis("off")
    inputs = [(0.9, 3.55), (0.9, 1.85)]
    hidden = [(3.6, 3.55), (3.6, 1.85)]
    output = (6.1, 2.7)
    # Labels sit where the edges do not cross: the straight edges mid-way, the diagonals near the hidden units.
    label_spots = {(0, 0): (2.25, 3.68), (1, 1): (2.25, 1.55), (0, 1): (2.55, 2.05), (1, 0): (2.55, 3.25)}
    for i, start in enumerate(inputs):
        for j, end in enumerate(hidden):
            ax.plot(*zip(start, end), color="0.6", lw=1.2, zorder=1)
            ax.text(
                *label_spots[i, j],
                f"w{SUBSCRIPTS[i]}{SUBSCRIPTS[j]}={network.weights[0][i, j]:+.2f}",
                fontsize=8,
                color=FORWARD_COLOUR,
                ha="center",
            )
    for j, start in enumerate(hidden):
        ax.plot(*zip(start, output), color="0.6", lw=1.2, zorder=1)
        middle = ((start[0] + output[0]) / 2, (start[1] + output[1]) / 2 + (0.2 if j == 0 else -0.3))
        ax.text(
            *middle,
            f"v{SUBSCRIPTS[j]}={network.weights[1][j, 0]:+.2f}\n∂L/∂v{SUBSCRIPTS[j]}={grads['W2'][j, 0]:+.3f}",
            fontsize=8,
            ha="center",
            color=FORWARD_COLOUR,
        )
    for i, xy in enumerate(inputs):
        _node(ax, xy, f"x={x[0, i]:g}", "0.4")
    for j, xy in enumerate(hidden):
        _node(ax, xy, f"{a1[0, j]:.3f}", FORWARD_COLOUR)
        ax.text(xy[0], xy[1] - 0.62, f"δ={delta1[0, j]:+.4f}", ha="center", fontsize=9, color=BACKWARD_COLOUR)
    _node(ax, output, f"{a2[0, 0]:.3f}", FORWARD_COLOUR)
    ax.text(output[0], output[1] - 0.62, f"δ={delta2[0, 0]:+.4f}", ha="center", fontsize=9, color=BACKWARD_COLOUR)
    box = FancyBboxPatch((7.25, 2.25), 1.5, 0.9, boxstyle="round,pad=0.05", facecolor="#fff4e6", edgecolor="0.4")
    ax.add_patch(box)
    ax.text(8.0, 2.7, f"loss\n(a−y)² = {loss:.3f}\ny = {target[0, 0]:g}", ha="center", va="center", fontsize=9)
    ax.plot([output[0] + 0.42, 7.25], [2.7, 2.7], color="0.6", lw=1.2)

    # The shape of every matrix, above its column: the picture is one instance, the shapes hold for any n and H.
    shapes = [
        (0.9, "X: n×2"),
        (2.25, "W₁: 2×H   b₁: 1×H"),
        (3.6, "Z₁, A₁, δ₁: n×H"),
        (4.85, "W₂: H×1   b₂: 1×1"),
        (6.1, "Z₂, A₂, δ₂: n×1"),
    ]
    for column, text in shapes:
        ax.text(column, 4.2, text, ha="center", fontsize=9, color="0.15")
    ax.text(8.0, 1.75, "drawn for one example\n(n = 1) and H = 2", ha="center", va="center", fontsize=8, color="0.3")

    _arrow(ax, (0.6, 4.62), (8.4, 4.62), FORWARD_COLOUR)
    ax.text(
        4.5,
        4.72,
        "1. forward pass, left to right: Z = A_prev W + b, A = σ(Z)",
        color=FORWARD_COLOUR,
        ha="center",
        fontsize=10,
        weight="bold",
    )
    ax.text(8.0, 3.35, "2. loss", ha="center", fontsize=10, weight="bold")
    _arrow(ax, (8.4, 0.95), (0.6, 0.95), BACKWARD_COLOUR)
    ax.text(
        4.5,
        1.03,
        "3. backward pass, right to left: δ = ∂L/∂Z;  δ₁ = δ₂ W₂ᵀ ⊙ σ′(Z₁)",
        ha="center",
        color=BACKWARD_COLOUR,
        fontsize=10,
        weight="bold",
    )
    change = "   ".join(
        f"{name}: {old:+.3f} → {new:+.3f}"
        for name, old, new in [
            ("w₁₁", network.weights[0][0, 0], updated.weights[0][0, 0]),
            ("w₁₂", network.weights[0][0, 1], updated.weights[0][0, 1]),
            ("v₁", network.weights[1][0, 0], updated.weights[1][0, 0]),
            ("v₂", network.weights[1][1, 0], updated.weights[1][1, 0]),
        ]
    )
    ax.text(
        4.5,
        0.5,
        f"4. update W ← W − η ∂L/∂W, η = {learning_rate:g}:  "
        "∂L/∂W₂ = A₁ᵀδ₂ (H×1),  ∂L/∂W₁ = Xᵀδ₁ (2×H),  ∂L/∂b = Σ_rows δ",
        ha="center",
        color=UPDATE_COLOUR,
        fontsize=10,
        weight="bold",
    )
    ax.text(4.5, 0.15, change, ha="center", color=UPDATE_COLOUR, fontsize=9)
    return _save(fig, path)


def make_all(outdir):
    """Write backpropagation.png and the eight thumbnails into outdir; returns their paths."""
    outdir = Path(outdir)
    outdir.mkdir(parents=True, exist_ok=True)
    makers = [thumbnail_01, thumbnail_02, thumbnail_03, thumbnail_04, thumbnail_05, thumbnail_06, thumbnail_07]
    makers += [thumbnail_08, thumbnail_09]
    paths = [backpropagation_diagram(outdir / "backpropagation.png")]
    paths += [make(outdir / f"{name}.png") for make, name in zip(makers, THUMBNAIL_NAMES)]
    return paths


if __name__ == "__main__":
    if len(sys.argv) > 2:
        sys.exit("usage: python images/make_figures.py [outdir]")
    target = sys.argv[1] if len(sys.argv) == 2 else Path(__file__).resolve().parent
    for written in make_all(target):
        print(written)
