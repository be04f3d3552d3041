"""Drawing the expression graph of a `Value`: one box per node with its value, its gradient under it.

Inputs and parameters (the leaves) sit on the left, the result on the right; each node is placed one
column after the latest of its parents, and each leaf just before the first node that uses it. Within
a column, nodes are ordered to follow their neighbours, which keeps edges from crossing much.
`GraphView.update` takes a graph of the same shape (the same expression with other numbers) and only
changes the numbers, so a live view redraws quickly.
"""

from matplotlib.collections import LineCollection, PathCollection
from matplotlib.font_manager import FontProperties
from matplotlib.path import Path
from matplotlib.text import Text
from matplotlib.textpath import TextPath
from matplotlib.transforms import Affine2D, offset_copy

from ._validate import check_axes, check_count, check_positive_number
from .engine import topological_order

VALUE_COLOUR, GRADIENT_COLOUR, EDGE_COLOUR = "#212529", "#c0392b", "#868e96"  # edges 3:1 against white
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


# Operations drawn with the sign a reader knows: Python's "*" and hyphen are small and easy to miss in a box.
DRAWN = {"*": "×", "-": "\N{MINUS SIGN}"}


def node_name(node):
    """What a box is titled: the label and the operation that made the node ("a = σ"), or whichever of the
    two it has (an input "x1", an unnamed product "×"); a constant has neither. Operations are drawn as in
    DRAWN ("*" as "×", "-" as a minus sign), others as the engine names them ("**2")."""
    op = DRAWN.get(node.op, node.op)
    if node.label and op:
        return f"{node.label} = {op}"
    return node.label or op


SPOKEN = {"+": "sum", "*": "product", "-": "difference", "σ": "sigmoid", "**2": "square"}


def spoken_operation(op):
    """An operation as a word a screen reader says well ("*" is "product"); others as they are."""
    if op in SPOKEN:
        return SPOKEN[op]
    return f"power {op[2:]}" if op.startswith("**") else op


def counted_operation(count, spoken):
    """'9 products', '1 sum': a spoken operation counted, in the plural where it is one of SPOKEN's words."""
    return f"{count} {spoken}{'s' if count != 1 and spoken in SPOKEN.values() else ''}"


def shown_number(number, digits, sign=False):
    """`number` to `digits` decimals; a -0.0 (the product of a 0 and a negative number) is shown as 0."""
    return f"{number + 0.0:{'+' if sign else ''}.{digits}f}"


def graph_description(root, digits=3):
    """One or two plain sentences saying what GraphView draws for `root`: a text alternative.

    A small graph (up to 16 nodes) is listed node by node, from the inputs to the result, each with its
    value and gradient; a larger one is counted: its leaves and how many times each operation occurs.
    """
    nodes = topological_order(root)
    leaves = [node for node in nodes if not node.parents]
    operations = [node for node in nodes if node.parents]
    head = (
        f"Computational graph of {len(nodes)} nodes, drawn from the inputs and parameters on the left "
        f"(square boxes) to the result on the right; each box shows its value, and under it its gradient."
    )
    if len(nodes) <= 16:

        def say(node):
            numbers = f"{shown_number(node.value, digits)}, gradient {shown_number(node.gradient, digits, sign=True)}"
            if not node.parents:
                return f"{node.label or 'constant'} {numbers}"
            inputs = " and ".join(parent.label or spoken_operation(parent.op) for parent in node.parents)
            named = f"{node.label}, " if node.label else ""
            return f"{named}{spoken_operation(node.op)} of {inputs}: {numbers}"

        return f"{head} Nodes: " + "; ".join(say(node) for node in nodes) + "."
    counts = {}
    for node in operations:
        counts[spoken_operation(node.op)] = counts.get(spoken_operation(node.op), 0) + 1
    made = ", ".join(counted_operation(count, op) for op, count in counts.items())
    result = root.label or spoken_operation(root.op) or "the result"
    value, gradient = shown_number(root.value, digits), shown_number(root.gradient, digits, sign=True)
    return (
        f"{head} {len(leaves)} inputs, parameters and constants; {len(operations)} operations: {made}. "
        f"{result}: value {value}, gradient {gradient}."
    )


class GraphView:
    """The graph of `root` drawn on `ax`: edges, a box per node (name, value), the gradient under it.

    A box is titled by node_name: its label and the operation that made it. Leaves (inputs and
    parameters) have square corners and a tinted face, operations round corners; the gradient, in red,
    always carries its sign. `description()` says the same in words (graph_description).

    root: a Value, after root.backward() if the gradients are to mean something. Columns and rows are
    one data unit apart and the axes limits are set to fit, so give the figure about 0.9 inch per
    column and 0.55 inch per row. fontsize in points; digits: decimals shown. `value_strings` and
    `gradient_strings` hold what the boxes show, in the order of `nodes`.

    Edges, boxes and names never change, so they are added to the figure (placed in the axes' data
    coordinates) rather than to the axes: a LiveFigure draws figure artists once, into its background.
    Their negative zorder puts them under the axes (whose frame is off), so a plain figure draws the
    numbers on top too. The numbers, all that changes, are two collections of glyph outlines (values,
    gradients): two draw calls per redraw instead of one text layout per number. Keep the axes' limits.
    """

    def __init__(self, ax, root, fontsize=7, digits=3):
        self.nodes, self.positions = graph_layout(root)  # topological_order checks root
        check_axes("ax", ax)
        fontsize = check_positive_number("fontsize", fontsize)
        self.ax, self.digits = ax, check_count("digits", digits)
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
        placeholder = f"{-1:.{digits}f}"
        style = {"ha": "center", "va": "center", "fontsize": fontsize}
        for node, (x, y) in zip(self.nodes, self.positions):
            name = node_name(node)
            # A leaf differs by shape (square corners) as well as by colour.
            face, shape = (LEAF_FACE, "square") if not node.parents else (NODE_FACE, "round")
            box = {"boxstyle": f"{shape},pad=0.3", "facecolor": face, "edgecolor": "0.45", "linewidth": 0.8}
            # An invisible text the size of the contents, to size the box.
            sizer = f"{name}\n{placeholder}" if name else placeholder
            fig.add_artist(Text(x, y, sizer, transform=data, color="none", bbox=box, zorder=-2, **style))
            if name:
                fig.add_artist(Text(x, y, name, transform=upper, zorder=-1, **style))
        # Where each number's centre sits below its node's centre, in points.
        self.glyphs = NumberGlyphs(fontsize)
        self.value_drops = [half_line if node_name(node) else 0.0 for node in self.nodes]
        self.gradient_drops = [2.6 * half_line + 4 for _ in self.nodes]
        # Points to pixels at whatever resolution the figure is drawn (savefig may change it).
        scale = Affine2D().scale(1 / 72) + fig.dpi_scale_trans
        self.value_glyphs, self.gradient_glyphs = (
            ax.add_collection(
                PathCollection([], offsets=None, offset_transform=data, transform=scale, facecolors=colour)
            )
            for colour in (VALUE_COLOUR, GRADIENT_COLOUR)
        )
        for collection in (self.value_glyphs, self.gradient_glyphs):
            collection.set_edgecolor("none")
        self.update(root)

    def update(self, root):
        """Show the values and gradients of `root`'s graph, which must have the shape of the first one."""
        nodes = topological_order(root)
        if graph_signature(nodes) != self.signature:
            raise ValueError("root must be a graph of the same shape as the one this view was made for")
        self.value_strings = [shown_number(node.value, self.digits) for node in nodes]
        self.gradient_strings = [shown_number(node.gradient, self.digits, sign=True) for node in nodes]
        for collection, strings, drops in (
            (self.value_glyphs, self.value_strings, self.value_drops),
            (self.gradient_glyphs, self.gradient_strings, self.gradient_drops),
        ):
            paths, offsets = [], []
            for text, drop, place in zip(strings, drops, self.positions):
                glyphs = self.glyphs.centred(text, drop)
                paths += glyphs
                offsets += [place] * len(glyphs)
            collection.set_paths(paths)
            collection.set_offsets(offsets)
        self.nodes = nodes
        self.root = root

    def description(self):
        """The text alternative of what is drawn now (see graph_description)."""
        return graph_description(self.root, self.digits)


class NumberGlyphs:
    """Outlines of the characters of printed numbers, placed and cached: `centred(text, drop)`.

    A path for each (character, place in the string) is made once, in points around the string's
    centre, so a number costs a few dictionary look-ups, not a text layout. Outlines are not hinted
    like text, so the thin strokes of "-", "+" and "." are redrawn at least `min_stroke` points thick
    (over a pixel down to 72 dpi): at a screen's resolution a sign must never fade away.
    """

    CHARACTERS = "0123456789.-+e"

    def __init__(self, fontsize, min_stroke=1.1):
        font = FontProperties(size=fontsize)
        # Python prints a hyphen; the typographic minus (as on matplotlib's axes) is wider and easier to see.
        shapes = {c: c for c in self.CHARACTERS} | {"-": "\N{MINUS SIGN}"}
        self.outlines = {c: TextPath((0, 0), shape, prop=font) for c, shape in shapes.items()}
        zero = TextPath((0, 0), "0", prop=font)
        # Advance of a character: how far "c0" reaches beyond "0" (the outline box alone misses side bearings).
        reach = zero.get_extents().x1
        self.advances = {
            c: TextPath((0, 0), shape + "0", prop=font).get_extents().x1 - reach for c, shape in shapes.items()
        }
        self.half_height = zero.get_extents().height / 2
        minus, plus, dot = (self.outlines[c].get_extents() for c in "-+.")
        stroke = max(minus.height, min_stroke)
        self.outlines["-"] = _rectangle(minus.x0, minus.y0 + minus.height / 2, minus.width, stroke)
        centre_y = plus.y0 + plus.height / 2
        self.outlines["+"] = Path.make_compound_path(
            _rectangle(plus.x0, centre_y, plus.width, stroke),
            _rectangle(plus.x0 + plus.width / 2 - stroke / 2, centre_y, stroke, plus.height),
        )
        side = max(dot.width, min_stroke)
        self.outlines["."] = _rectangle(dot.x0 + dot.width / 2 - side / 2, dot.y0 + side / 2, side, side)
        self.cache = {}

    def centred(self, text, drop):
        """Paths (points) of `text` centred on (0, -drop); characters outside CHARACTERS are left out."""
        text = "".join(c for c in text if c in self.outlines)
        x = -sum(self.advances[c] for c in text) / 2
        paths = []
        for c in text:
            key = (c, round(x, 2), drop)
            if key not in self.cache:
                self.cache[key] = self.outlines[c].transformed(Affine2D().translate(x, -drop - self.half_height))
            paths.append(self.cache[key])
            x += self.advances[c]
        return paths


def _rectangle(x0, centre_y, width, height):
    """A filled rectangle from x0, `width` wide, centred on centre_y (points)."""
    return Path.unit_rectangle().transformed(Affine2D().scale(width, height).translate(x0, centre_y - height / 2))


def graph_signature(nodes):
    """What fixes a drawing: each node's name and the positions of its parents in the list."""
    index = {id(node): i for i, node in enumerate(nodes)}
    return tuple((node_name(node), tuple(index[id(p)] for p in node.parents)) for node in nodes)
