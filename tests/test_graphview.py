"""GraphView: where the nodes go, what the boxes say, updates in place, and a live redraw that is fast."""

import statistics

import matplotlib
import pytest
from matplotlib.figure import Figure
from matplotlib.text import Text

from helpers.engine import Value
from helpers.graphview import GraphView, NumberGlyphs, graph_description, graph_layout, node_name
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
    return list(zip(view.value_strings, view.gradient_strings))


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
    assert {"w1", "x1", "b", "y", "σ", "×", "+", "\N{MINUS SIGN}", "**2"} <= names


def named_neuron():
    """The neuron with its sum, sigmoid and loss named, as notebook 06 names them."""
    loss, leaves = neuron()
    a = loss.parents[0].parents[0]
    a.label, a.parents[0].label, loss.label = "a", "z", "L"
    return loss, leaves


def test_a_named_operation_shows_its_name_and_its_operation():
    loss, _ = named_neuron()
    fig = Figure()
    GraphView(fig.add_subplot(), loss)
    names = {artist.get_text() for artist in fig.artists if isinstance(artist, Text)}
    assert {"a = σ", "z = +", "L = **2", "w1", "×", "\N{MINUS SIGN}"} <= names
    assert "a" not in names and "L" not in names, "a named operation must not hide what it computes"
    assert node_name(Value(2.0)) == "" and node_name(Value(2.0, label="b")) == "b"


def test_leaves_differ_from_operations_by_shape_not_only_by_colour():
    loss, _ = neuron()
    fig = Figure()
    view = GraphView(fig.add_subplot(), loss)
    boxes = [artist.get_bbox_patch() for artist in fig.artists if isinstance(artist, Text)]
    styles = [type(box.get_boxstyle()).__name__ for box in boxes if box is not None]
    assert len(styles) == len(view.nodes)
    assert styles.count("Square") == sum(1 for node in view.nodes if not node.parents)
    assert styles.count("Round") == sum(1 for node in view.nodes if node.parents)


def test_the_description_lists_every_node_of_a_small_graph_and_counts_a_large_one():
    loss, leaves = named_neuron()
    text = graph_description(loss)
    assert text.startswith("Computational graph of 13 nodes")
    assert f"w1 0.800, gradient {leaves['w1'].gradient:+.3f}" in text
    assert "a, sigmoid of z" in text and "L, square of difference" in text and "product of x1 and w1" in text
    assert GraphView(Figure().add_subplot(), loss).description() == text
    # A larger graph: counted by operation, with the result's value and gradient.
    total = Value(0.0, label="s")
    for k in range(10):
        total = total + Value(float(k)) * Value(2.0)
    total.label = "S"
    total.backward()
    counted = graph_description(total)
    assert "10 products, 10 sums" in counted and "S, sum" not in counted
    assert f"S: value {total.value:.3f}, gradient +1.000." in counted


def test_update_changes_the_numbers_of_the_same_drawing():
    first, _ = neuron()
    fig = Figure()
    view = GraphView(fig.add_subplot(), first)
    before = texts_of(view)
    artists = list(view.ax.get_children())
    second, leaves = neuron(w1=-2.0, x1=0.0)
    view.update(second)
    after = texts_of(view)
    assert view.ax.get_children() == artists, "update must reuse the artists, not add new ones"
    assert before != after
    assert dict(zip([node.label for node in view.nodes], after))["w1"] == ("-2.000", "+0.000")
    assert leaves["w1"].gradient == 0.0  # its input x1 is 0


def test_the_numbers_are_drawn_one_outline_per_character_at_their_nodes():
    loss, _ = neuron()
    view = GraphView(Figure().add_subplot(), loss)
    for collection, strings in ((view.value_glyphs, view.value_strings), (view.gradient_glyphs, view.gradient_strings)):
        assert len(collection.get_paths()) == sum(len(text) for text in strings)
        # Each character is offset to its own node's place; the string's characters run left to right.
        starts = [0]
        for text in strings:
            starts.append(starts[-1] + len(text))
        for node_index, (first, last) in enumerate(zip(starts, starts[1:])):
            assert all(tuple(offset) == view.positions[node_index] for offset in collection.get_offsets()[first:last])
            lefts = [path.get_extents().x0 for path in collection.get_paths()[first:last]]
            assert lefts == sorted(lefts)


def test_thin_strokes_are_thick_enough_to_see():
    glyphs = NumberGlyphs(7, min_stroke=1.2)
    assert glyphs.outlines["-"].get_extents().height >= 1.2 - 1e-9
    assert glyphs.outlines["."].get_extents().width >= 1.2 - 1e-9
    # A negative and a positive number differ in what is drawn, and the minus comes first.
    negative, positive = glyphs.centred("-0.5", 0.0), glyphs.centred("0.5", 0.0)
    assert len(negative) == len(positive) + 1
    assert negative[0].get_extents().x0 < min(path.get_extents().x0 for path in negative[1:])


def test_update_refuses_a_graph_of_another_shape():
    loss, _ = neuron()
    view = GraphView(Figure().add_subplot(), loss)
    other = (Value(1.0) * Value(2.0)).tanh()
    with pytest.raises(ValueError, match="same shape"):
        view.update(other)


def test_rejects_bad_arguments_naming_them():
    with pytest.raises(TypeError, match="root must be a Value"):
        GraphView(Figure().add_subplot(), 3.0)
    loss, _ = neuron()
    with pytest.raises(TypeError, match="ax"):
        GraphView("axes", loss)
    with pytest.raises(ValueError, match="fontsize"):
        GraphView(Figure().add_subplot(), loss, fontsize=0)
    with pytest.raises((TypeError, ValueError), match="digits"):
        GraphView(Figure().add_subplot(), loss, digits=-1)


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


def test_a_negative_zero_is_shown_as_zero_and_a_single_operation_is_not_plural():
    x, w = Value(0.0, label="x"), Value(-2.0, label="w")
    product = x * w  # 0 times a negative number: -0.0
    product.label = "p"
    product.backward()
    assert str(product.value) == "-0.0"
    view = GraphView(Figure().add_subplot(), product)
    assert view.value_strings[view.nodes.index(product)] == "0.000"
    assert "p, product of x and w: 0.000, gradient +1.000" in view.description()
    total = Value(1.0)
    for k in range(17):
        total = total + Value(float(k))
    total = total * Value(3.0)
    total.backward()
    assert "17 sums, 1 product." in graph_description(total)
