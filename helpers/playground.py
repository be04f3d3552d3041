"""A TensorFlow-Playground-like view: choose data, network and optimiser, and watch it learn.

The configurations, their data and their (kept) training live in configurations.py; this module
is the view: controls, one figure, and what a move redraws.
"""

import numpy as np
from matplotlib.backends.backend_agg import FigureCanvasAgg
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
    playground_data,
)
from .controls import dropdown, epochs_slider, learning_rate_slider
from .data import DATASET_LIMITS
from .livefigure import LiveFigure
from .network import accuracy, dead_units, forward_pass
from .optimizers import OPTIMIZERS
from .plots import BOUNDARY_CMAP, BoundaryView, LossView, colour_limits, plane_grid

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


class Playground:
    """The live playground: controls, the kept runs (`runs`, a configurations.Runs) and one figure.

    The figure shows the network's output over the plane with the training points, one small
    picture per unit of the first hidden layer (a 4 x 4 grid of tiles), and the loss on the
    training and test points over the epochs, with a dot at the chosen epoch. A new configuration
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
        self._build_figure(*playground_data(dataset)[:2])
        controls = {
            "dataset": dropdown(list(PLAYGROUND_DATASETS), dataset, "data"),
            "hidden": dropdown(list(HIDDEN_PRESETS), hidden, "hidden layers"),
            "activation": dropdown(list(PLAYGROUND_ACTIVATIONS), activation, "activation"),
            "optimizer": dropdown(list(OPTIMIZERS), optimizer, "optimiser"),
            "learning_rate": learning_rate_slider(LEARNING_RATES, value=learning_rate),
            "epoch": epochs_slider(self.runs.epochs, step=self.runs.record_every, description="epoch"),
        }
        self.live = LiveFigure(self.fig, self._update, controls, title="playground")

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
        # Fixed ranges: switching between kept runs then never redraws the axes' ticks.
        self.loss_view = LossView(axes["loss"], epochs=self.runs.epochs, loss_range=LOSS_RANGE)
        (self.test_line,) = axes["loss"].plot([], [], "--", color="0.45", linewidth=1.2)
        axes["loss"].set_ylabel("loss: training —, test - -")
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

    def _update(self, dataset, hidden, activation, optimizer, learning_rate, epoch):
        run = self.runs.get(dataset, hidden, activation, optimizer, learning_rate)
        history = run.history.require_converged()
        network = history.network_at(epoch)
        if self._shown_data != dataset:
            self.boundary.points.set_offsets(run.X)
            self.boundary.points.set_array(run.y[:, 0])
            self._shown_data = dataset
        outputs = [forward_pass(network, rows)[0][-1] for rows in self._grid_chunks]
        self.boundary.update_values(np.concatenate(outputs))
        self._show_hidden_units(network)
        self.loss_view.update(np.maximum(history.losses, LOSS_RANGE[0]), epoch)
        self.test_line.set_data(history.snapshot_epochs, np.maximum(run.test_losses, LOSS_RANGE[0]))
        caption = (
            f"epoch {epoch}: training loss {history.losses[epoch]:.4f}; accuracy on the {len(run.X)} training "
            f"points {accuracy(network, run.X, run.y):.1%}, on {len(run.X_test)} new test points "
            f"{accuracy(network, run.X_test, run.y_test):.1%}"
        )
        return caption + _warnings(history, network, run.X, epoch)

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
