"""A TensorFlow-Playground-like view: choose data, network and optimiser, and watch it learn.

When a configuration (data set, hidden layers, activation, optimiser) is first chosen, it is trained
for every rate of the learning-rate slider at once, in one stacked run (`train_grid`), and kept
(`Playground.runs`); moving the learning-rate or the epoch slider then only looks up a kept snapshot
and redraws. Everything is seeded: the same configuration always gives the same run.
"""

from collections import OrderedDict
from typing import NamedTuple

import ipywidgets as widgets
import numpy as np
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from ._validate import check_choice, check_count, check_inputs, check_positive_number
from .activations import ACTIVATIONS
from .datasets import DATASET_LIMITS, make_dataset
from .losses import get_loss
from .network import Network, _forward, init_network
from .optimizers import OPTIMIZERS
from .plots import BOUNDARY_CMAP, BoundaryView, LossView, plane_grid
from .training import History, train, train_many
from .widgets import LiveFigure, epochs_slider, learning_rate_slider, log_spaced

# Playground name -> (make_dataset name, its shape options). The spiral winds one and a half
# times, so that one small hidden layer is not enough for it.
PLAYGROUND_DATASETS = {
    "xor": ("xor", {}),
    "moons": ("two_moons", {}),
    "circles": ("circles", {}),
    "spiral": ("spiral", {"turns": 1.5}),
}
# Hidden layer sizes by the name the dropdown shows.
HIDDEN_PRESETS = {"4": (4,), "8": (8,), "4-4": (4, 4), "8-8": (8, 8), "16-16": (16, 16)}
PLAYGROUND_ACTIVATIONS = ("tanh", "relu", "sigmoid")
# The weight scales of notebook 07: ReLU passes on half of its inputs, so it starts sqrt(2) larger.
WEIGHT_SCALES = {"sigmoid": 1.0, "tanh": 1.0, "relu": float(np.sqrt(2.0))}
# The learning-rate slider: 0.001 to 10, a factor of about 4.6 per step (every other rate of three
# per decade). Every rate of a configuration is trained at once when it is first chosen; thirteen
# rates took up to 2.5 s for a sigmoid "16-16" network, these seven about half of that.
LEARNING_RATES = log_spaced(0.001, 10, per_decade=3)[::2]
POINTS = 200  # training points; as many new points (the next seed) measure the test accuracy
EPOCHS, RECORD_EVERY = 1000, 10
LOSS = "cross_entropy"
# The loss axis: cross-entropy stays below 28 (outputs are kept 1e-12 from 0 and 1); smaller
# losses are drawn at the bottom edge.
LOSS_RANGE = (1e-6, 30.0)
MAX_HIDDEN_PICTURES = 16  # a 4 x 4 grid: the widest first layer a preset has
HIDDEN_RESOLUTION = 41  # grid points per axis of a hidden unit's small picture
_TILES_PER_ROW, _TILE_GAP = 4, 4  # the pictures sit in a 4 x 4 grid, 4 white pixels apart
_MOSAIC_SIZE = _TILES_PER_ROW * HIDDEN_RESOLUTION + (_TILES_PER_ROW - 1) * _TILE_GAP
_GRID_CHUNK = 1000  # rows per forward pass over the grid: 1000 * 16 * 16 < 65536 * 4
# Colour range of a hidden unit's picture: the activation's range (ReLU's top follows the values).
HIDDEN_COLOUR_RANGES = {"tanh": (-1.0, 1.0), "relu": (0.0, None), "sigmoid": (0.0, 1.0)}


class Run(NamedTuple):
    """One trained configuration: its History and the data it was trained and tested on.

    X, X_test: (POINTS, 2); y, y_test: (POINTS, 1); test_losses: (k,) the loss on the test
    points at each of history.snapshot_epochs.
    """

    history: History
    X: np.ndarray
    y: np.ndarray
    X_test: np.ndarray
    y_test: np.ndarray
    test_losses: np.ndarray


def playground_data(dataset, n=POINTS, seed=0):
    """Training and test points of a playground data set: (X, y, X_test, y_test).

    X, X_test: (n, 2) float64; y, y_test: (n, 1) labels in {0, 1}. The test points are drawn
    with seed + 1, from the same shape.
    """
    check_choice("dataset", dataset, PLAYGROUND_DATASETS)
    name, options = PLAYGROUND_DATASETS[dataset]
    X, y = make_dataset(name, n=n, seed=seed, **options)
    X_test, y_test = make_dataset(name, n=n, seed=seed + 1, **options)
    return X, y, X_test, y_test


def accuracy(network, X, y):
    """Fraction of the rows of X: (n, 2) whose output lies on the side of 0.5 that y: (n, 1) asks for."""
    if not isinstance(network, Network):
        raise TypeError(f"network must be a Network (see init_network), got {type(network).__name__}")
    X, y = check_inputs(X, y, n_inputs=network.layer_sizes[0], n_outputs=1)
    return float(np.mean((_forward(network, X)[-1] > 0.5) == (y > 0.5)))


def _start(dataset, hidden, activation, optimizer, seed):
    """Check a configuration; return its data (X, y, X_test, y_test) and its seeded initial network."""
    check_choice("hidden", hidden, HIDDEN_PRESETS)
    check_choice("activation", activation, PLAYGROUND_ACTIVATIONS)
    check_choice("optimizer", optimizer, OPTIMIZERS)
    seed = check_count("seed", seed)
    data = playground_data(dataset, seed=seed)
    network = init_network(
        [2, *HIDDEN_PRESETS[hidden], 1], activation=activation, seed=seed, weight_scale=WEIGHT_SCALES[activation]
    )
    return data, network


def _run(history, X, y, X_test, y_test):
    loss = get_loss(LOSS)
    test_losses = np.array(
        [float(loss.value(_forward(history.network_at(int(e)), X_test)[-1], y_test)) for e in history.snapshot_epochs]
    )
    return Run(history, X, y, X_test, y_test, test_losses)


def train_configuration(
    dataset, hidden, activation, optimizer, learning_rate, epochs=EPOCHS, record_every=RECORD_EVERY, seed=0
):
    """Train the network a playground configuration describes and return its Run.

    dataset: a key of PLAYGROUND_DATASETS; hidden: a key of HIDDEN_PRESETS ("8-8": two hidden
    layers of 8); activation: for the hidden layers (the output is a sigmoid); optimizer: 'gd',
    'momentum', 'rmsprop' or 'adam' with their usual constants. Full batch, cross-entropy loss.
    """
    (X, y, X_test, y_test), network = _start(dataset, hidden, activation, optimizer, seed)
    learning_rate = check_positive_number("learning_rate", learning_rate)
    history = train(
        network, X, y, learning_rate, epochs=epochs, loss=LOSS, record_every=record_every, optimizer=optimizer
    )
    return _run(history, X, y, X_test, y_test)


def train_grid(
    dataset,
    hidden,
    activation,
    optimizer,
    learning_rates=LEARNING_RATES,
    epochs=EPOCHS,
    record_every=RECORD_EVERY,
    seed=0,
):
    """Train a configuration for every learning rate at once; returns {rate (float): Run}.

    learning_rates: (G,) positive numbers, by default the playground slider's grid. The rates are
    trained as one stacked run (helpers.train_many) from the same start; each Run equals
    train_configuration's with that rate.
    """
    (X, y, X_test, y_test), network = _start(dataset, hidden, activation, optimizer, seed)
    histories = train_many(
        network, X, y, learning_rates, epochs=epochs, loss=LOSS, record_every=record_every, optimizer=optimizer
    )
    runs = {history.learning_rate: _run(history, X, y, X_test, y_test) for history in histories}
    return {float(rate): runs[float(rate)] for rate in learning_rates}


class Playground:
    """The live playground: controls, a cache of trained runs, and one figure.

    The figure shows the network's output over the plane with the training points, one small
    picture per unit of the first hidden layer (a 4 x 4 grid of tiles), and the loss on the
    training and test points over the epochs, with a dot at the chosen epoch.
    A new configuration is trained for all the slider's learning rates when it is first chosen
    (the caption says so meanwhile), so a learning-rate move only looks up; `runs` keeps the last
    `keep` configurations, each a {rate: Run}. Display it as the last expression of a cell; `set(**values)`
    drives it from code and returns the redraw's seconds.
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
        check_choice("dataset", dataset, PLAYGROUND_DATASETS)
        check_choice("hidden", hidden, HIDDEN_PRESETS)
        check_choice("activation", activation, PLAYGROUND_ACTIVATIONS)
        check_choice("optimizer", optimizer, OPTIMIZERS)
        check_positive_number("learning_rate", learning_rate)
        self.epochs = check_count("epochs", epochs, minimum=1)
        self.record_every = check_count("record_every", record_every, minimum=1)
        self.keep = check_count("keep", keep, minimum=1)
        self.runs = OrderedDict()
        self.trainings = 0  # trainings run: a configuration's whole grid, or one rate off the grid
        self.live = None

        self._build_figure(*playground_data(dataset)[:2])
        controls = {
            "dataset": _dropdown(list(PLAYGROUND_DATASETS), dataset, "data"),
            "hidden": _dropdown(list(HIDDEN_PRESETS), hidden, "hidden layers"),
            "activation": _dropdown(list(PLAYGROUND_ACTIVATIONS), activation, "activation"),
            "optimizer": _dropdown(list(OPTIMIZERS), optimizer, "optimiser"),
            "learning_rate": learning_rate_slider(LEARNING_RATES, value=learning_rate),
            "epoch": epochs_slider(self.epochs, step=self.record_every, description="epoch"),
        }
        self.live = LiveFigure(self.fig, self._update, controls, title="playground")

    def _build_figure(self, X, y):
        self.fig = Figure(figsize=(10.5, 3.5), dpi=80, layout="constrained")
        FigureCanvasAgg(self.fig)
        axes = self.fig.subplot_mosaic([["boundary", "hidden", "loss"]])
        self.boundary = BoundaryView(axes["boundary"], X, y, limits=DATASET_LIMITS, resolution=81)
        self.boundary.points.set_sizes([14.0])
        self.boundary.points.set_linewidths(0.5)
        # Fixed ranges: switching between kept runs then never redraws the axes' ticks.
        self.loss_view = LossView(axes["loss"], epochs=self.epochs, loss_range=LOSS_RANGE)
        (self.test_line,) = axes["loss"].plot([], [], "--", color="0.45", linewidth=1.2)
        axes["loss"].set_ylabel("loss: training —, test - -")
        # All the hidden units' pictures are tiles of one RGBA image: one image to draw instead of
        # sixteen, already coloured, so a redraw neither resamples nor colour-maps sixteen times.
        self.hidden_grid = plane_grid(DATASET_LIMITS, HIDDEN_RESOLUTION)
        # OpenBLAS splits a matrix product over threads above 65536 * 4 multiply-adds. For a 16-16
        # network over the 81 x 81 grid that split made the forward pass about 15x slower on a busy
        # 2-core machine (measured), so the grid goes through in chunks below that size.
        self._grid_chunks = np.array_split(self.boundary.grid, -(-len(self.boundary.grid) // _GRID_CHUNK))
        self.hidden_tiles = np.full((_MOSAIC_SIZE, _MOSAIC_SIZE, 4), 255, dtype=np.uint8)
        self.hidden_image = axes["hidden"].imshow(self.hidden_tiles, interpolation="nearest")
        # The caption is an axis label, drawn once with the background, not on every move like a title.
        axes["hidden"].set(xticks=[], yticks=[], xlabel="first hidden layer: one picture per unit")
        for spine in axes["hidden"].spines.values():
            spine.set_visible(False)
        self._shown_data = None

    def run(self, dataset, hidden, activation, optimizer, learning_rate):
        """The Run of a configuration and rate: looked up in the cache, or trained now (and kept).

        A configuration seen for the first time is trained for every rate of the slider at once
        (train_grid); a rate off the slider (set from code) is trained alone and kept with them.
        """
        key, rate = (dataset, hidden, activation, optimizer), check_positive_number("learning_rate", learning_rate)
        runs = self.runs.get(key)
        if runs is not None:
            self.runs.move_to_end(key)
            if rate in runs:
                return runs[rate]
        if self.live is not None:
            # The caption stays visible while the kernel trains, so a pause is explained.
            rates = f"learning rate {rate:g}" if runs is not None else "all learning rates"
            self.live.caption.value = (
                f"<i>training {dataset}, hidden {hidden}, {activation}, {optimizer}, {rates} …</i>"
            )
        options = {"epochs": self.epochs, "record_every": self.record_every}
        if runs is None:
            runs = train_grid(dataset, hidden, activation, optimizer, LEARNING_RATES, **options)
            self.runs[key] = runs
            if len(self.runs) > self.keep:
                self.runs.popitem(last=False)
        if rate not in runs:
            runs[rate] = train_configuration(dataset, hidden, activation, optimizer, rate, **options)
        self.trainings += 1
        return runs[rate]

    def _update(self, dataset, hidden, activation, optimizer, learning_rate, epoch):
        run = self.run(dataset, hidden, activation, optimizer, learning_rate)
        history = run.history.require_converged()
        network = history.network_at(epoch)
        if self._shown_data != dataset:
            self.boundary.points.set_offsets(run.X)
            self.boundary.points.set_array(run.y[:, 0])
            self._shown_data = dataset
        self.boundary.update_values(np.concatenate([_forward(network, rows)[-1] for rows in self._grid_chunks]))
        self._show_hidden_units(network)
        self.loss_view.update(np.maximum(history.losses, LOSS_RANGE[0]), epoch)
        self.test_line.set_data(history.snapshot_epochs, np.maximum(run.test_losses, LOSS_RANGE[0]))
        loss = history.losses[epoch]
        return (
            f"epoch {epoch}: training loss {loss:.4f}; accuracy on the {len(run.X)} training points "
            f"{accuracy(network, run.X, run.y):.1%}, on {len(run.X_test)} new test points "
            f"{accuracy(network, run.X_test, run.y_test):.1%}"
        )

    def _show_hidden_units(self, network):
        # The first hidden layer over the pictures' grid: (r * r, units), scaled to 0..1 for colouring.
        activation = network.activations[0]
        hidden = ACTIVATIONS[activation].function(self.hidden_grid @ network.weights[0] + network.biases[0])
        low, high = HIDDEN_COLOUR_RANGES[activation]
        if high is None:
            high = max(float(hidden.max()), 1e-12)
        colours = BOUNDARY_CMAP((hidden - low) / (high - low), bytes=True)  # (r * r, units, 4)
        r, step = HIDDEN_RESOLUTION, HIDDEN_RESOLUTION + _TILE_GAP
        self.hidden_tiles[:] = 255
        for unit in range(min(hidden.shape[1], MAX_HIDDEN_PICTURES)):
            top, left = (step * index for index in divmod(unit, _TILES_PER_ROW))
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


def _dropdown(options, value, description):
    return widgets.Dropdown(
        options=options,
        value=value,
        description=description,
        style={"description_width": "initial"},
        layout=widgets.Layout(width="200px"),
    )


def check_configuration(name, answer, dataset, min_test_accuracy, **required):
    """Exercise check: train `answer` on `dataset` and print whether it is accurate enough; return True/False.

    answer: {"hidden": ..., "activation": ..., "optimizer": ..., "learning_rate": ...}, the
    playground's settings. The run is train_configuration's (EPOCHS epochs); its accuracy on the
    test points at the last epoch must reach min_test_accuracy. required: settings the answer
    must use, each a value or a tuple of allowed values (e.g. optimizer="gd"). Never raises.
    """
    if answer is None or answer is Ellipsis:
        print(f"{name}: not answered yet. Fill in the cell above, run it, then run this check again.")
        return False
    keys = ("hidden", "activation", "optimizer", "learning_rate")
    if not isinstance(answer, dict) or set(answer) != set(keys):
        print(f"{name}: expected a dict with the keys {list(keys)}, got {answer!r}.")
        return False
    for key, allowed in required.items():
        allowed = allowed if isinstance(allowed, tuple) else (allowed,)
        if answer[key] not in allowed:
            choices = " or ".join(repr(value) for value in allowed)
            print(f"{name}: this exercise asks for {key} {choices}, got {answer[key]!r}.")
            return False
    try:
        run = train_configuration(dataset, **answer)
    except (TypeError, ValueError) as error:
        print(f"{name}: that configuration cannot be trained: {error}")
        return False
    if run.history.diverged:
        print(f"{name}: not yet. {run.history.message}")
        return False
    reached = accuracy(run.history.final_network, run.X_test, run.y_test)
    if reached >= min_test_accuracy:
        print(f"{name}: correct. Test accuracy {reached:.1%} (at least {min_test_accuracy:.0%} was asked for).")
        return True
    print(f"{name}: not yet. Test accuracy {reached:.1%}, below the {min_test_accuracy:.0%} asked for.")
    return False
