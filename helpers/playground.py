"""A TensorFlow-Playground-like view: choose data, network and optimiser, and watch it learn.

The configurations, their data and their (kept) training live in configurations.py; this module
is the view: controls, one figure, and what a move redraws, with a sentence that says what the
picture shows (for a screen reader, and as the picture's alt text).
"""

import numpy as np
from contourpy import contour_generator
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.collections import LineCollection
from matplotlib.colors import to_rgb
from matplotlib.figure import Figure

from ._validate import check_positive_number
from .activations import ACTIVATIONS
from .configurations import (
    EPOCHS,
    HIDDEN_PRESETS,
    LEARNING_RATES,
    PLAYGROUND_ACTIVATIONS,
    PLAYGROUND_DATASETS,
    RECORD_EVERY,
    Runs,
    check_configuration_settings,
    classes_of,
    playground_data,
)
from .controls import dropdown, epochs_slider, learning_rate_slider
from .data import DATASET_LIMITS
from .livefigure import LiveFigure
from .network import accuracy, dead_units, forward_pass
from .optimizers import OPTIMIZERS
from .plots import (
    BOUNDARY_CMAP,
    CLASS_COLOURS,
    CLASS_MARKERS,
    FLAT_OUTPUT,
    LINE_COLOUR,
    BoundaryView,
    LossView,
    colour_limits,
    plane_grid,
)

# The loss axis. Cross-entropy has no upper bound (a confidently wrong output costs about |z|);
# losses outside the range are drawn at its edge.
LOSS_RANGE = (1e-6, 100.0)
MAX_HIDDEN_PICTURES = 16  # a 4 x 4 grid: the widest first layer a preset has
HIDDEN_RESOLUTION = 41  # grid points per axis of a hidden unit's small picture
TILES_PER_ROW, TILE_GAP = 4, 4  # the pictures sit in a 4 x 4 grid, 4 white pixels apart
MOSAIC_SIZE = TILES_PER_ROW * HIDDEN_RESOLUTION + (TILES_PER_ROW - 1) * TILE_GAP
# OpenBLAS splits a matrix product over threads above 65536 * 4 multiply-adds; on a busy 2-core
# machine that split is far slower than one thread for these small products, so the grid goes
# through a 16-16 network in chunks of 1000 rows (1000 * 16 * 16 < 65536 * 4).
GRID_CHUNK = 1000
# The three arms: each class its colour and marker shape (plots.py: the classes stay apart without
# colour), and a pale tint of its colour for the plane, mixed by the network's probabilities.
CLASS_TINTS = np.array([0.7 + 0.3 * np.array(to_rgb(colour)) for colour in CLASS_COLOURS])  # (3, 3) RGB


class Playground:
    """The live playground: controls, the kept runs (`runs`, a configurations.Runs) and one figure.

    The figure shows the network's output over the plane with the training points (for the three
    arms: each class's probability as a tint of its colour, the borders where the most likely class
    changes, and a marker shape per class), one small picture per unit of the first hidden layer
    (a 4 x 4 grid of tiles), and the loss on the training and validation points over the epochs,
    with a dot at the chosen epoch. The test points are not shown: they are for the end (see
    configurations.py). A new configuration
    is trained for all the slider's learning rates when it is first chosen (the caption says so
    meanwhile), so a learning-rate move only looks up. Display it as the last expression of a
    cell; `set(**values)` drives it from code and returns the redraw's seconds.
    """

    def __init__(
        self,
        dataset="moons",
        hidden="8",
        activation="tanh",
        optimizer="adam",
        learning_rate=0.022,
        epochs=EPOCHS,
        record_every=RECORD_EVERY,
        keep=64,
    ):
        check_configuration_settings(dataset, hidden, activation, optimizer)
        check_positive_number("learning_rate", learning_rate)
        self.live = None
        self.runs = Runs(epochs, record_every, keep, on_training=self._say_training)
        self._shown = {}
        self._build_figure(*playground_data("moons")[:2])
        controls = {
            "dataset": dropdown(list(PLAYGROUND_DATASETS), dataset, "data"),
            "hidden": dropdown(list(HIDDEN_PRESETS), hidden, "hidden layers"),
            "activation": dropdown(list(PLAYGROUND_ACTIVATIONS), activation, "activation"),
            "optimizer": dropdown(list(OPTIMIZERS), optimizer, "optimiser"),
            "learning_rate": learning_rate_slider(LEARNING_RATES, value=learning_rate),
            "epoch": epochs_slider(self.runs.epochs, step=self.runs.record_every, description="epoch"),
        }
        self.live = LiveFigure(self.fig, self._update, controls, title="playground", describe=self._describe)

    def _say_training(self, text):
        if self.live is not None:
            # The caption stays visible while the kernel trains, so a pause is explained.
            self.live.caption.value = f"<i>{text}</i>"

    def _build_figure(self, X, y):
        self.fig = Figure(figsize=(10.5, 3.5), dpi=80, layout="constrained")
        FigureCanvasAgg(self.fig)
        axes = self.fig.subplot_mosaic([["boundary", "hidden", "loss"]])
        self.boundary = BoundaryView(axes["boundary"], X, y, limits=DATASET_LIMITS, resolution=81)
        self.boundary.points.set_sizes([14.0])
        self.boundary.points.set_linewidths(0.5)
        self._build_classes_view(axes["boundary"])
        # Fixed ranges: switching between kept runs then never redraws the axes' ticks.
        self.loss_view = LossView(axes["loss"], epochs=self.runs.epochs, loss_range=LOSS_RANGE)
        (self.val_line,) = axes["loss"].plot([], [], "--", color="0.45", linewidth=1.2)
        axes["loss"].set_ylabel("loss: training —, validation - -")
        # All the hidden units' pictures are tiles of one RGBA image: one image to draw instead of
        # sixteen, already coloured, so a redraw neither resamples nor colour-maps sixteen times.
        self.hidden_grid = plane_grid(DATASET_LIMITS, HIDDEN_RESOLUTION)
        self._grid_chunks = np.array_split(self.boundary.grid, -(-len(self.boundary.grid) // GRID_CHUNK))
        self.hidden_tiles = np.full((MOSAIC_SIZE, MOSAIC_SIZE, 4), 255, dtype=np.uint8)
        self.hidden_image = axes["hidden"].imshow(self.hidden_tiles, interpolation="nearest")
        # The caption is an axis label, drawn once with the background, not on every move like a title.
        axes["hidden"].set(xticks=[], yticks=[], xlabel="first hidden layer: one picture per unit")
        for spine in axes["hidden"].spines.values():
            spine.set_visible(False)
        self._shown_data = None

    def _build_classes_view(self, ax):
        """The three arms' picture, on the boundary's axes, hidden while a two-class set is shown."""
        low, high = DATASET_LIMITS
        r = self.boundary.resolution
        self.classes_image = ax.imshow(
            np.ones((r, r, 3)), origin="lower", extent=(low, high, low, high), interpolation="bilinear", zorder=0
        )
        self.classes_borders = LineCollection([], colors=LINE_COLOUR, linewidths=1.5, zorder=2)
        ax.add_collection(self.classes_borders)
        self.class_points = [
            ax.scatter([], [], s=16, c=colour, marker=marker, edgecolors="black", linewidths=0.5, zorder=3)
            for colour, marker in zip(CLASS_COLOURS, CLASS_MARKERS)
        ]
        self._classes_artists = [self.classes_image, self.classes_borders, *self.class_points]
        self._axis = np.linspace(low, high, r)

    def _show_data(self, run, classes):
        """Show the run's training points, and the picture for two classes or for three."""
        two = classes == 2
        for artist in (self.boundary.image, self.boundary.line, self.boundary.points):
            artist.set_visible(two)
        for artist in self._classes_artists:
            artist.set_visible(not two)
        if two:
            self.boundary.points.set_offsets(run.X)
            self.boundary.points.set_array(run.y[:, 0])
        else:
            labels = run.y.argmax(axis=1)
            for k, points in enumerate(self.class_points):
                points.set_offsets(run.X[labels == k])

    def _show_classes(self, probabilities):
        """probabilities: (r * r, 3) over the grid: tints mixed by them, and the borders between classes."""
        r = self.boundary.resolution
        self.classes_image.set_data((probabilities @ CLASS_TINTS).reshape(r, r, 3).clip(0.0, 1.0))
        borders = []
        if np.ptp(probabilities) >= FLAT_OUTPUT:
            for k in range(probabilities.shape[1]):
                # Class k's region ends where its probability meets the largest of the others.
                others = np.delete(probabilities, k, axis=1).max(axis=1)
                lead = (probabilities[:, k] - others).reshape(r, r)
                borders += contour_generator(self._axis, self._axis, lead, line_type="Separate").lines(0.0)
        self.classes_borders.set_segments(borders)

    def _update(self, dataset, hidden, activation, optimizer, learning_rate, epoch):
        run = self.runs.get(dataset, hidden, activation, optimizer, learning_rate)
        history = run.history.require_converged()
        network = history.network_at(epoch)
        classes = classes_of(dataset)
        if self._shown_data != dataset:
            self._show_data(run, classes)
            self._shown_data = dataset
        outputs = np.concatenate([forward_pass(network, rows)[0][-1] for rows in self._grid_chunks])
        if classes == 2:
            self.boundary.update_values(outputs)
        else:
            self._show_classes(outputs)
        self._show_hidden_units(network)
        self.loss_view.update(np.maximum(history.losses, LOSS_RANGE[0]), epoch)
        self.val_line.set_data(history.snapshot_epochs, np.maximum(run.val_losses, LOSS_RANGE[0]))
        index = int(np.searchsorted(history.snapshot_epochs, epoch, side="right")) - 1
        shown = self._shown = {
            "dataset": dataset,
            "epoch": epoch,
            "training_loss": float(history.losses[epoch]),
            "val_loss": float(run.val_losses[index]),
            "training_right": accuracy(network, run.X, run.y),
            "val_right": accuracy(network, run.X_val, run.y_val),
            "points": len(run.X),
        }
        caption = (
            f"epoch {epoch}: loss on the training points {shown['training_loss']:.4f}, on the validation points "
            f"{shown['val_loss']:.4f}; accuracy on the {len(run.X)} training points {shown['training_right']:.1%}, "
            f"on the {len(run.X_val)} validation points {shown['val_right']:.1%}"
        )
        return caption + _warnings(history, network, run.X, epoch)

    def _describe(self, dataset, hidden, activation, optimizer, learning_rate, epoch):
        """One sentence: what the picture shows now (the settings and the numbers read off it)."""
        shown = self._shown
        return (
            f"Playground, {dataset} ({classes_of(dataset)} classes), hidden layers {hidden}, {activation}, "
            f"{optimizer}, learning rate {learning_rate:g}, epoch {epoch}: loss on the training points "
            f"{shown['training_loss']:.4f}, on the validation points {shown['val_loss']:.4f}; "
            f"{shown['training_right']:.1%} of the {shown['points']} training points and {shown['val_right']:.1%} "
            f"of the validation points right."
        )

    def _show_hidden_units(self, network):
        # The first hidden layer over the pictures' grid: (r * r, units), scaled to 0..1 for colouring.
        activation = network.activations[0]
        hidden = ACTIVATIONS[activation].function(self.hidden_grid @ network.weights[0] + network.biases[0])
        low, high = colour_limits(activation, hidden)
        colours = BOUNDARY_CMAP((hidden - low) / (high - low), bytes=True)  # (r * r, units, 4)
        r, step = HIDDEN_RESOLUTION, HIDDEN_RESOLUTION + TILE_GAP
        self.hidden_tiles[:] = 255
        for unit in range(min(hidden.shape[1], MAX_HIDDEN_PICTURES)):
            top, left = (step * index for index in divmod(unit, TILES_PER_ROW))
            # Grid rows run from the bottom of the plane up; image rows run from the top down.
            self.hidden_tiles[top : top + r, left : left + r] = colours[:, unit].reshape(r, r, 4)[::-1]
        self.hidden_image.set_data(self.hidden_tiles)

    @property
    def values(self):
        """{control name: value} of the current settings."""
        return self.live.values

    def set(self, **values):
        """Change several controls at once (one redraw); returns the redraw's seconds."""
        return self.live.set(**values)

    def _repr_mimebundle_(self, **kwargs):
        return self.live._repr_mimebundle_(**kwargs)


# A loss that climbs this many times above its start on the way says the steps are too large for the network.
LOSS_JUMP = 10.0


def _warnings(history, network, X, epoch):
    """What the caption adds when a run that did not diverge is stuck: dead ReLU units, a loss that jumped."""
    notes = []
    peak = int(np.argmax(history.losses[: epoch + 1]))
    if history.losses[peak] > LOSS_JUMP * history.losses[0]:
        notes.append(f"the loss jumped to {history.losses[peak]:.4g} at epoch {peak}")
    sizes = network.layer_sizes[1:-1]
    for layer, (dead, size) in enumerate(zip(dead_units(network, X), sizes), start=1):
        if 2 * dead >= size:  # a few dead units are common in a network that learns; half a layer is not
            notes.append(f"{dead} of {size} units of hidden layer {layer} output 0 on every training point")
    if not notes:
        return ""
    return "<br><b>Stuck?</b> " + "; ".join(notes) + ". The learning rate is large for this network: try a smaller one."
