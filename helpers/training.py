"""Full-batch training with a recorded history.

`train` trains one network; `train_many` trains one copy of the same starting network per
learning rate, all at once in a stack, so a learning-rate slider can look results up.
"""

from dataclasses import dataclass

import numpy as np

from ._validate import check_choice, check_count, check_inputs, check_positive_number
from .losses import get_loss
from .network import Network, _backward, _forward
from .optimizers import OPTIMIZERS, make_optimizer


class TrainingDiverged(ArithmeticError):
    """Raised by History.require_converged, and by plots asked to show a diverged run."""


@dataclass
class History:
    """What happened during one training run.

    losses: (epochs_run + 1,) loss after 0, 1, ..., epochs_run updates.
    snapshot_epochs: (k,) epochs whose parameters were kept; snapshots[name]: (k, *shape).
    predictions: (n, n_outputs) outputs of the last finite network on the training X.
    diverged_at: the epoch whose loss was NaN/inf (training stopped there), else None.
    """

    losses: np.ndarray
    snapshot_epochs: np.ndarray
    snapshots: dict
    activations: tuple
    predictions: np.ndarray
    learning_rate: float
    epochs: int
    diverged_at: int | None = None
    message: str | None = None

    @property
    def diverged(self):
        return self.diverged_at is not None

    @property
    def final_loss(self):
        return float(self.losses[-1])

    def network_at(self, epoch):
        """The network as it was after `epoch` updates (the latest snapshot at or before it)."""
        epoch = check_count("epoch", epoch)
        if epoch > self.epochs:
            raise ValueError(f"epoch must be between 0 and {self.epochs}, got {epoch}")
        index = max(int(np.searchsorted(self.snapshot_epochs, epoch, side="right")) - 1, 0)
        n_layers = len(self.activations)
        return Network(
            [self.snapshots[f"W{i}"][index] for i in range(1, n_layers + 1)],
            [self.snapshots[f"b{i}"][index] for i in range(1, n_layers + 1)],
            self.activations,
        )

    @property
    def final_network(self):
        return self.network_at(int(self.snapshot_epochs[-1]))

    def require_converged(self):
        """Raise TrainingDiverged with the readable message if this run diverged."""
        if self.diverged:
            raise TrainingDiverged(self.message)
        return self


def train(network, X, y, learning_rate=0.5, epochs=1000, loss="mse", record_every=1, optimizer="gd", **constants):
    """Train a copy of `network` on X: (n, n_inputs), y: (n, n_outputs) by full-batch descent.

    Keeps the loss after every epoch and the parameters every `record_every` epochs (and at the
    last). If the loss becomes NaN or inf, training stops and the History says when and why.
    """
    learning_rate = check_positive_number("learning_rate", learning_rate)
    return train_many(network, X, y, [learning_rate], epochs, loss, record_every, optimizer, **constants)[0]


def train_many(network, X, y, learning_rates, epochs=1000, loss="mse", record_every=1, optimizer="gd", **constants):
    """Train one copy of `network` per learning rate, side by side; returns a History per rate."""
    if not isinstance(network, Network):
        raise TypeError(f"network must be a Network (see init_network), got {type(network).__name__}")
    sizes = network.layer_sizes
    X, y = check_inputs(X, y, n_inputs=sizes[0], n_outputs=sizes[-1])
    if isinstance(learning_rates, (str, bytes)) or np.ndim(learning_rates) != 1 or len(learning_rates) == 0:
        raise ValueError(f"learning_rates must be a non-empty 1-D list of numbers, got {learning_rates!r}")
    rates = np.array([check_positive_number("learning_rate", r) for r in learning_rates])
    epochs = check_count("epochs", epochs)
    record_every = check_count("record_every", record_every, minimum=1)
    loss_ = get_loss(loss)
    if loss_.needs_probabilities:
        if np.any((y < 0) | (y > 1)):
            raise ValueError("y must lie in [0, 1] for cross_entropy, got values outside it")
        if network.activations[-1] != "sigmoid":
            raise ValueError(f"cross_entropy needs a sigmoid output layer, got {network.activations[-1]!r}")
    check_choice("optimizer", optimizer, OPTIMIZERS)

    stack = len(rates)
    # A single run uses plain 2-D arrays and a float rate, which numpy handles fastest; a stack
    # gets a leading axis with one member per rate.
    if stack == 1:
        params = [p.copy() for p in network.weights + network.biases]
        lr = float(rates[0])
    else:
        params = [np.repeat(p[None], stack, axis=0) for p in network.weights + network.biases]
        lr = rates.reshape(stack, 1, 1)
    net = Network(params[: len(network.weights)], params[len(network.weights) :], network.activations)
    update = make_optimizer(optimizer, lr, **constants)
    recorder = _Recorder(params, stack, epochs, record_every)
    losses = np.empty((epochs + 1, stack))
    alive = np.ones(stack, dtype=bool)
    diverged_at = np.full(stack, epochs + 1)

    # Overflow is expected when a rate is too large; it is caught below as a non-finite loss.
    with np.errstate(over="ignore", invalid="ignore", divide="ignore"):
        for epoch in range(epochs + 1):
            outputs = _forward(net, X)
            losses[epoch], grad_output = loss_.value_and_gradient(outputs[-1], y)
            if not np.isfinite(losses[epoch]).all():
                newly = alive & ~np.isfinite(losses[epoch])
                diverged_at[newly] = epoch
                alive &= ~newly
                if not alive.any():
                    break
            recorder.record(epoch, params)
            if epoch == epochs:
                break
            grad_weights, grad_biases = _backward(net, outputs, grad_output)
            grads = grad_weights + grad_biases
            if not alive.all():
                # Freeze the members that diverged; the others go on.
                grads = [np.where(alive[:, None, None], g, 0.0) for g in grads]
            update.step(params, grads)

    n_layers = len(network.weights)
    names = [f"W{i}" for i in range(1, n_layers + 1)] + [f"b{i}" for i in range(1, n_layers + 1)]
    return [
        _history(member, rates[member], losses, diverged_at[member], recorder, names, network, X, epochs, loss)
        for member in range(stack)
    ]


class _Recorder:
    """Keeps parameters at every `every`-th epoch (and the last) for each stack member."""

    def __init__(self, params, stack, epochs, every):
        self.epochs_kept = np.array(sorted(set(range(0, epochs + 1, every)) | {epochs}))
        self.every, self.last = every, epochs
        # store[i]: (snapshots, stack, *shape of parameter i); a 2-D parameter fills stack slot 0.
        self.store = [np.zeros((len(self.epochs_kept), stack) + p.shape[-2:]) for p in params]

    def record(self, epoch, params):
        if epoch % self.every and epoch != self.last:
            return
        slot = epoch // self.every if epoch % self.every == 0 else len(self.epochs_kept) - 1
        for store, p in zip(self.store, params):
            store[slot] = p


def _history(member, rate, losses, diverged_at, recorder, names, network, X, epochs, loss):
    # A member's snapshots are those taken before its loss stopped being finite.
    kept = int(np.searchsorted(recorder.epochs_kept, diverged_at))
    snapshots = {name: store[:kept, member].copy() for name, store in zip(names, recorder.store)}
    n_layers = len(network.weights)
    snapshot_epochs = recorder.epochs_kept[:kept].copy()
    final = Network(
        [snapshots[f"W{i}"][-1] for i in range(1, n_layers + 1)],
        [snapshots[f"b{i}"][-1] for i in range(1, n_layers + 1)],
        network.activations,
    )
    message = None
    run = epochs
    if diverged_at <= epochs:
        run = int(diverged_at) - 1
        message = (
            f"Training diverged at epoch {int(diverged_at)}: the {loss} loss became NaN or infinite "
            f"with learning_rate={rate:g}. Try a smaller learning rate."
        )
    return History(
        losses=losses[: run + 1, member].copy(),
        snapshot_epochs=snapshot_epochs,
        snapshots=snapshots,
        activations=network.activations,
        predictions=_forward(final, X)[-1],
        learning_rate=float(rate),
        epochs=max(run, 0),
        diverged_at=None if diverged_at > epochs else int(diverged_at),
        message=message,
    )
