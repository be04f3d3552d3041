"""The playground's configurations: its data sets and presets, and training one configuration.

A configuration is a data set, hidden layers, a hidden activation and an optimiser; with a
learning rate it describes one run. Each data set comes as three draws of the same shape:
training points (the network learns from them), validation points (to choose the epoch, the
rate, the width ... by) and test points (to report once, at the end). Two-class sets train one
sigmoid output, the three-arm spiral a softmax over three, both on cross-entropy.

Runs keeps the trained runs of the configurations seen so far, each trained for every rate of
the playground's slider at once (one stacked run, see sweep.py), so that moving the learning
rate only looks up. Everything is seeded: the same configuration always gives the same run.
"""

from collections import OrderedDict
from typing import NamedTuple

import numpy as np

from ._validate import check_choice, check_count, check_positive_number
from .data import THREE_CLASS_DATASETS, make_dataset
from .losses import get_loss
from .network import WEIGHT_SCALES, forward_pass, init_network
from .optimizers import OPTIMIZERS
from .sweep import train_many
from .training import History, train

# Playground name -> (make_dataset name, its shape options). The spiral winds one and a half
# times, so that one small hidden layer is not enough for it.
PLAYGROUND_DATASETS = {
    "xor": ("noisy_xor", {}),
    "moons": ("two_moons", {}),
    "circles": ("circles", {}),
    "spiral": ("spiral", {"turns": 1.5}),
    "3 arms": ("spiral3", {"turns": 1.0}),
}
# Hidden layer sizes by the name the dropdown shows.
HIDDEN_PRESETS = {"4": (4,), "8": (8,), "4-4": (4, 4), "8-8": (8, 8), "16-16": (16, 16)}
PLAYGROUND_ACTIVATIONS = ("tanh", "relu", "sigmoid")
# The learning-rate slider: 0.001 to 10, a factor of about 4.6 per step (log_spaced(0.001, 10)[::2]).
# Every rate of a configuration is trained at once when it is first chosen, so fewer rates make a
# new configuration appear sooner.
LEARNING_RATES = (0.001, 0.0046, 0.022, 0.1, 0.46, 2.2, 10.0)
POINTS = 200  # training points; as many validation points (the next seed) and test points (the one after)
EPOCHS, RECORD_EVERY = 1000, 10
LOSS = "cross_entropy"


class Run(NamedTuple):
    """One trained configuration: its History and the data it was trained, validated and tested on.

    X, X_val, X_test: (POINTS, 2); y, y_val, y_test: (POINTS, 1) labels, or (POINTS, 3) one-hot
    rows for the three arms; val_losses: (k,) the loss on the validation points at each of
    history.snapshot_epochs.
    """

    history: History
    X: np.ndarray
    y: np.ndarray
    X_val: np.ndarray
    y_val: np.ndarray
    X_test: np.ndarray
    y_test: np.ndarray
    val_losses: np.ndarray


def classes_of(dataset):
    """How many classes a playground data set has: 2, or 3 for the three arms."""
    check_choice("dataset", dataset, PLAYGROUND_DATASETS)
    return 3 if PLAYGROUND_DATASETS[dataset][0] in THREE_CLASS_DATASETS else 2


def playground_data(dataset, n=POINTS, seed=0):
    """Training, validation and test points of a playground data set: (X, y, X_val, y_val, X_test, y_test).

    Three draws of the same shape, with seeds seed, seed + 1 and seed + 2. Each X: (n, 2) float64;
    each y: (n, 1) labels in {0, 1}, or (n, 3) one-hot rows for the three arms.
    """
    check_choice("dataset", dataset, PLAYGROUND_DATASETS)
    name, options = PLAYGROUND_DATASETS[dataset]
    draws = [make_dataset(name, n=n, seed=seed + offset, **options) for offset in range(3)]
    return tuple(array for draw in draws for array in draw)


def check_configuration_settings(dataset, hidden, activation, optimizer):
    """Check the four settings of a configuration against the playground's choices."""
    check_choice("dataset", dataset, PLAYGROUND_DATASETS)
    check_choice("hidden", hidden, HIDDEN_PRESETS)
    check_choice("activation", activation, PLAYGROUND_ACTIVATIONS)
    check_choice("optimizer", optimizer, OPTIMIZERS)


def _start(dataset, hidden, activation, optimizer, seed):
    """Check a configuration; return its data (playground_data) and its seeded initial network."""
    check_configuration_settings(dataset, hidden, activation, optimizer)
    seed = check_count("seed", seed)
    classes = classes_of(dataset)
    sizes = [2, *HIDDEN_PRESETS[hidden], 1 if classes == 2 else classes]
    output = "sigmoid" if classes == 2 else "softmax"
    network = init_network(sizes, activation, output, seed=seed, weight_scale=WEIGHT_SCALES[activation])
    return playground_data(dataset, seed=seed), network


def _run(history, data):
    X, y, X_val, y_val, X_test, y_test = data
    loss = get_loss(LOSS, history.activations[-1])
    val_losses = [
        loss.value_and_gradient(forward_pass(history.network_at(int(epoch)), X_val)[1], y_val)[0]
        for epoch in history.snapshot_epochs
    ]
    return Run(history, X, y, X_val, y_val, X_test, y_test, np.array(val_losses, dtype=np.float64))


def train_configuration(
    dataset,
    hidden,
    activation,
    optimizer,
    learning_rate,
    epochs=EPOCHS,
    record_every=RECORD_EVERY,
    seed=0,
    weight_decay=0.0,
):
    """Train the network a playground configuration describes and return its Run.

    dataset: a key of PLAYGROUND_DATASETS; hidden: a key of HIDDEN_PRESETS ("8-8": two hidden
    layers of 8); activation: for the hidden layers (the output is a sigmoid, or a softmax for the
    three arms); optimizer: 'gd', 'momentum', 'rmsprop' or 'adam' with their usual constants.
    Full batch, cross-entropy loss; weight_decay: the lambda of L2 weight decay (see train).
    """
    data, network = _start(dataset, hidden, activation, optimizer, seed)
    learning_rate = check_positive_number("learning_rate", learning_rate)
    history = train(
        network, data[0], data[1], learning_rate, epochs, LOSS, record_every, optimizer, weight_decay=weight_decay
    )
    return _run(history, data)


def train_grid(
    dataset,
    hidden,
    activation,
    optimizer,
    learning_rates=LEARNING_RATES,
    epochs=EPOCHS,
    record_every=RECORD_EVERY,
    weight_decay=0.0,
):
    """Train a configuration for every learning rate at once; returns {rate (float): Run}.

    Each Run equals train_configuration's with that rate (seed 0).
    """
    data, network = _start(dataset, hidden, activation, optimizer, 0)
    histories = train_many(
        network, data[0], data[1], learning_rates, epochs, LOSS, record_every, optimizer, weight_decay=weight_decay
    )
    return {history.learning_rate: _run(history, data) for history in histories}


class Runs:
    """The trained runs of the last `keep` configurations, each {rate: Run}, trained when first asked for.

    on_training(text), if given, is called just before a training starts, to say what is trained.
    """

    def __init__(self, epochs=EPOCHS, record_every=RECORD_EVERY, keep=64, on_training=None):
        self.epochs = check_count("epochs", epochs, minimum=1)
        self.record_every = check_count("record_every", record_every, minimum=1)
        self.keep = check_count("keep", keep, minimum=1)
        self.on_training = on_training
        self.kept = OrderedDict()

    def get(self, dataset, hidden, activation, optimizer, learning_rate):
        """The Run of a configuration and rate: looked up, or trained now and kept.

        A configuration seen for the first time is trained for every rate of the slider at once;
        a rate off the slider (set from code) is trained alone and kept with them.
        """
        key = (dataset, hidden, activation, optimizer)
        learning_rate = check_positive_number("learning_rate", learning_rate)
        runs = self.kept.get(key)
        if runs is not None:
            self.kept.move_to_end(key)
            if learning_rate in runs:
                return runs[learning_rate]
        if self.on_training is not None:
            which = f"learning rate {learning_rate:g}" if runs is not None else "all learning rates"
            self.on_training(f"training {dataset}, hidden {hidden}, {activation}, {optimizer}, {which} …")
        options = {"epochs": self.epochs, "record_every": self.record_every}
        if runs is None:
            runs = self.kept[key] = train_grid(*key, LEARNING_RATES, **options)
            if len(self.kept) > self.keep:
                self.kept.popitem(last=False)
        if learning_rate not in runs:
            runs[learning_rate] = train_configuration(*key, learning_rate, **options)
        return runs[learning_rate]
