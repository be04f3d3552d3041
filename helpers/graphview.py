"""Drawing the expression graph of a `Value`: one box per node with its value, its gradient under it.

Inputs and parameters (the leaves) sit on the left, the result on the right; each node is placed one
column after the latest of its parents, and each leaf just before the first node that uses it. Within
a column, nodes are ordered to follow their neighbours, which keeps edges from crossing much.
`GraphView.update` takes a graph of the same shape (the same expression with other numbers) and only
changes texts, so a live view redraws quickly.
"""

from matplotlib.collections import LineCollection
from matplotlib.text import Text
from matplotlib.transforms import offset_copy

from .engine import Value, topological_order

VALUE_COLOUR, GRADIENT_COLOUR, EDGE_COLOUR = "#212529", "#c0392b", "#adb5bd"
LEAF_FACE, NODE_FACE = "#e7f1fb", "white"


def graph_layout(root):
    """(nodes, positions): nodes in topological order, positions[i] = (column, row) of nodes[i]."""
    nodes = topological_order(root)
    index = {id(node): i for i, node in enumerate(nodes)}
    children = [[] for _ in nodes]
    for i, node in enumerate(nodes):
        for parent in node.parents:
            children[index[id(parent)]].append(i)
    column = [0] * len(nodes)
    for i, node in enumerate(nodes):
        if node.parents:
            column[i] = 1 + max(column[index[id(parent)]] for parent in node.parents)
    # A leaf sits right before its first use, not in column 0 far from it.
    for i, node in enumerate(nodes):
        if not node.parents and children[i]:
            column[i] = min(column[c] for c in children[i]) - 1
    columns = {}
    for i in range(len(nodes)):
        columns.setdefault(column[i], []).append(i)
    row = [0.0] * len(nodes)
    for members in columns.values():
        for rank, i in enumerate(members):
            row[i] = rank - (len(members) - 1) / 2
    # Two sweeps each way: order every column by the mean row of its neighbours (barycentre heuristic).
    for _ in range(2):
        for neighbours, order in (
            (lambda i: [index[id(p)] for p in nodes[i].parents], sorted(columns)),
            (lambda i: children[i], sorted(columns, reverse=True)),
        ):
            for c in order:
                members = columns[c]
                keyed = [
                    (sum(row[j] for j in neighbours(i)) / len(neighbours(i)) if neighbours(i) else row[i], i)
                    for i in members
                ]
                members[:] = [i for _, i in sorted(keyed)]
                for rank, i in enumerate(members):
                    row[i] = rank - (len(members) - 1) / 2
    return nodes, [(float(column[i]), -row[i]) for i in range(len(nodes))]


def node_name(node):
    """What a box is titled: the node's label, else its operation (a constant has neither)."""
    return node.label or node.op


class GraphView:
    """The graph of `root` drawn on `ax`: edges, a box per node (name, value), the gradient under it.

    root: a Value, after root.backward() if the gradients are to mean something. Columns and rows are
    one data unit apart and the axes limits are set to fit, so give the figure about 0.9 inch per
    column and 0.55 inch per row. fontsize in points; digits: decimals shown.

    Edges, boxes and names never change, so they are added to the figure (placed in the axes' data
    coordinates) rather than to the axes: a LiveFigure draws figure artists once, into its background,
    and redraws only the axes' texts, the numbers. Their negative zorder puts them under the axes (whose
    frame is off), so a plain figure draws the numbers on top too. Keep the axes' limits as set here.
    """

    def __init__(self, ax, root, fontsize=7, digits=3):
        if not isinstance(root, Value):
            raise TypeError(f"root must be a Value, got {type(root).__name__}")
        self.ax, self.digits = ax, digits
        self.nodes, self.positions = graph_layout(root)
        self.signature = graph_signature(self.nodes)
        columns = [x for x, _ in self.positions]
        rows = [y for _, y in self.positions]
        ax.set_xlim(min(columns) - 0.6, max(columns) + 0.6)
        ax.set_ylim(min(rows) - 0.9, max(rows) + 0.5)
        ax.set_axis_off()
        fig, data = ax.get_figure(), ax.transData
        index = {id(node): i for i, node in enumerate(self.nodes)}
        segments = [
            (self.positions[index[id(parent)]], self.positions[i])
            for i, node in enumerate(self.nodes)
            for parent in node.parents
        ]
        fig.add_artist(LineCollection(segments, colors=EDGE_COLOUR, linewidths=1.0, transform=data, zorder=-3))
        # Offsets in points, so the lines of a box stay together whatever the figure's size.
        half_line = 0.6 * fontsize
        upper = offset_copy(data, fig=fig, y=half_line, units="points")
        lower = offset_copy(data, fig=fig, y=-half_line, units="points")
        below = offset_copy(data, fig=fig, y=-2.0 * half_line - 4, units="points")
        placeholder = f"{-1:.{digits}f}"
        self.value_texts, self.gradient_texts = [], []
        for node, (x, y) in zip(self.nodes, self.positions):
            name = node_name(node)
            face = LEAF_FACE if not node.parents else NODE_FACE
            box = {"boxstyle": "round,pad=0.3", "facecolor": face, "edgecolor": "0.45", "linewidth": 0.8}
            # An invisible text the size of the contents, to size the box.
            sizer = f"{name}\n{placeholder}" if name else placeholder
            fig.add_artist(
                Text(
                    x,
                    y,
                    sizer,
                    transform=data,
                    ha="center",
                    va="center",
                    fontsize=fontsize,
                    color="none",
                    bbox=box,
                    zorder=-2,
                )
            )
            if name:
                fig.add_artist(
                    Text(x, y, name, transform=upper, ha="center", va="center", fontsize=fontsize, zorder=-1)
                )
            value_place = lower if name else data
            self.value_texts.append(
                ax.text(
                    x, y, "", transform=value_place, ha="center", va="center", fontsize=fontsize, color=VALUE_COLOUR
                )
            )
            self.gradient_texts.append(
                ax.text(x, y, "", transform=below, ha="center", va="top", fontsize=fontsize, color=GRADIENT_COLOUR)
            )
        self.update(root)

    def update(self, root):
        """Show the values and gradients of `root`'s graph, which must have the shape of the first one."""
        nodes = topological_order(root)
        if graph_signature(nodes) != self.signature:
            raise ValueError("root must be a graph of the same shape as the one this view was made for")
        for node, value_text, gradient_text in zip(nodes, self.value_texts, self.gradient_texts):
            value_text.set_text(f"{node.value:.{self.digits}f}")
            gradient_text.set_text(f"{node.gradient:+.{self.digits}f}")
        self.nodes = nodes


def graph_signature(nodes):
    """What fixes a drawing: each node's name and the positions of its parents in the list."""
    index = {id(node): i for i, node in enumerate(nodes)}
    return tuple((node_name(node), tuple(index[id(p)] for p in node.parents)) for node in nodes)
