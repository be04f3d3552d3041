"""GraphView: where the nodes go, what the boxes say, updates in place, and a live redraw that is fast."""

import statistics

import matplotlib
import pytest
from matplotlib.figure import Figure
from matplotlib.text import Text

from helpers.engine import Value
from helpers.graphview import GraphView, graph_layout
from helpers.livefigure import LiveFigure, new_figure

matplotlib.use("Agg")


def neuron(x1=1.0, x2=0.5, w1=0.8, w2=-1.2, b=0.1, y=1.0):
    leaves = {name: Value(v, label=name) for name, v in dict(x1=x1, x2=x2, w1=w1, w2=w2, b=b, y=y).items()}
    a = (leaves["x1"] * leaves["w1"] + leaves["x2"] * leaves["w2"] + leaves["b"]).sigmoid()
    loss = (a - leaves["y"]) ** 2
    loss.backward()
    return loss, leaves


def test_layout_puts_each_node_right_of_its_parents_and_leaves_next_to_their_use():
    loss, _ = neuron()
    nodes, positions = graph_layout(loss)
    column = {id(node): positions[i][0] for i, node in enumerate(nodes)}
    for node in nodes:
        for parent in node.parents:
            assert column[id(parent)] < column[id(node)]
    for node in nodes:
        users = [other for other in nodes if any(parent is node for parent in other.parents)]
        if not node.parents and users:
            assert column[id(node)] == min(column[id(user)] for user in users) - 1
    assert len(set(positions)) == len(positions), "two nodes drawn in the same place"
    assert column[id(loss)] == max(column.values())


def texts_of(view):
    return [(value.get_text(), gradient.get_text()) for value, gradient in zip(view.value_texts, view.gradient_texts)]


def test_each_box_shows_its_name_value_and_gradient():
    loss, leaves = neuron()
    fig = Figure()
    view = GraphView(fig.add_subplot(), loss)
    shown = dict(zip([node.label for node in view.nodes], texts_of(view)))
    assert shown["w1"] == ("0.800", f"{leaves['w1'].gradient:+.3f}")
    last = texts_of(view)[view.nodes.index(loss)]
    assert last == (f"{loss.value:.3f}", "+1.000")
    # The names are drawn once, with the boxes, as figure artists (a live view's background).
    names = {artist.get_text() for artist in fig.artists if isinstance(artist, Text)}
    assert {"w1", "x1", "b", "y", "σ", "*", "+", "-", "**2"} <= names


def test_update_changes_the_numbers_of_the_same_drawing():
    first, _ = neuron()
    fig = Figure()
    view = GraphView(fig.add_subplot(), first)
    before = texts_of(view)
    artists = list(view.value_texts)
    second, leaves = neuron(w1=-2.0, x1=0.0)
    view.update(second)
    after = texts_of(view)
    assert view.value_texts == artists, "update must reuse the text artists, not add new ones"
    assert before != after
    assert dict(zip([node.label for node in view.nodes], after))["w1"] == ("-2.000", "+0.000")
    assert leaves["w1"].gradient == 0.0  # its input x1 is 0


def test_update_refuses_a_graph_of_another_shape():
    loss, _ = neuron()
    view = GraphView(Figure().add_subplot(), loss)
    other = (Value(1.0) * Value(2.0)).tanh()
    with pytest.raises(ValueError, match="same shape"):
        view.update(other)


def test_rejects_what_is_not_a_value():
    with pytest.raises(TypeError, match="root must be a Value"):
        GraphView(Figure().add_subplot(), 3.0)


def test_live_view_redraws_quickly():
    from ipywidgets import FloatSlider

    fig, ax = new_figure(9, 3.4)
    view = GraphView(ax, neuron()[0])

    def show(**values):
        view.update(neuron(**values)[0])

    controls = {name: FloatSlider(value=0.5, min=-3.0, max=3.0, step=0.1) for name in ("x1", "w1", "b")}
    live = LiveFigure(fig, show, controls)
    seconds = [live.set(w1=round(-3.0 + 0.3 * step, 1), x1=round(0.1 * step, 1)) for step in range(20)]
    live.close()
    assert len(seconds) == 20
    # The kernel's part of a slider move (update, blit, PNG), with room for other work on the two cores;
    # benchmarks/browser_redraw.py times the whole way from key press to changed view.
    assert statistics.median(seconds) < 0.1, f"median redraw {statistics.median(seconds) * 1e3:.1f} ms"
