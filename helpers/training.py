"""Full-batch training with a recorded history.

`train` trains one network; `train_many` trains one copy of the same starting network per
learning rate, all at once in a stack, so a learning-rate slider can look results up.
"""

import math
from dataclasses import dataclass

import numpy as np

from ._validate import check_choice, check_count, check_inputs, check_positive_number
from .network import Network, _backward, _check_loss, _forward
from .optimizers import OPTIMIZERS, make_optimizer


class TrainingDiverged(ArithmeticError):
    """Raised by History.require_converged, and by plots asked to show a diverged run."""


@dataclass
class History:
    """What happened during one training run.

    losses: (epochs_run + 1,) loss after 0, 1, ..., epochs_run updates.
    snapshot_epochs: (k,) epochs whose parameters were kept; snapshots[name]: (k, *shape).
    predictions: (n, n_outputs) outputs on the training X of the last snapshot (for a run that
        diverged, the last one taken before its loss stopped being finite).
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
        """The network as it was after `epoch` updates (the latest snapshot at or before it).

        Its arrays are copies, so changing them leaves this History as it was.
        """
        epoch = check_count("epoch", epoch)
        if epoch > self.epochs:
            raise ValueError(f"epoch must be between 0 and {self.epochs}, got {epoch}")
        index = max(int(np.searchsorted(self.snapshot_epochs, epoch, side="right")) - 1, 0)
        n_layers = len(self.activations)
        return Network(
            [self.snapshots[f"W{i}"][index].copy() for i in range(1, n_layers + 1)],
            [self.snapshots[f"b{i}"][index].copy() for i in range(1, n_layers + 1)],
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
    """Train one copy of `network` per learning rate, side by side; returns a History per rate.

    network: a single network (2-D weights); X: (n, n_inputs); y: (n, n_outputs);
    learning_rates: (G,) positive numbers. Each History is what train() with that rate gives.
    """
    if not isinstance(network, Network):
        raise TypeError(f"network must be a Network (see init_network), got {type(network).__name__}")
    if any(np.ndim(w) != 2 for w in network.weights):
        raise ValueError(f"network must be a single network with 2-D weights, got shapes {network.layer_sizes}")
    sizes = network.layer_sizes
    X, y = check_inputs(X, y, n_inputs=sizes[0], n_outputs=sizes[-1])
    if isinstance(learning_rates, (str, bytes)) or np.ndim(learning_rates) != 1 or len(learning_rates) == 0:
        raise ValueError(f"learning_rates must be a non-empty 1-D list of numbers, got {learning_rates!r}")
    rates = np.array([check_positive_number("learning_rate", r) for r in learning_rates])
    epochs = check_count("epochs", epochs)
    record_every = check_count("record_every", record_every, minimum=1)
    loss_ = _check_loss(loss, y)
    if loss_.needs_probabilities and network.activations[-1] != "sigmoid":
        raise ValueError(f"cross_entropy needs a sigmoid output layer, got {network.activations[-1]!r}")
    check_choice("optimizer", optimizer, OPTIMIZERS)

    stack = len(rates)
    names = list(network.parameters())  # W1, b1, W2, b2, ...
    shapes = [p.shape for p in network.parameters().values()]
    # All parameters live in one flat array, each W and b a view into it, and so do their gradients.
    # With arrays this small numpy's cost is per call, not per number: one update of the flat array
    # and one copy per snapshot beat one of each per parameter array. A single run keeps a 1-D flat
    # array and a float rate; a stack has one row per rate.
    flat = np.concatenate([p.ravel() for p in network.parameters().values()])
    if stack == 1:
        lr = float(rates[0])
    else:
        flat = np.repeat(flat[None], stack, axis=0)
        lr = rates.reshape(stack, 1)
    params = _views(flat, shapes)
    flat_gradient = np.zeros_like(flat)
    gradients = _views(flat_gradient, shapes)
    gradient_views = gradients[0::2] + gradients[1::2]  # in the order _backward returns them
    net = Network(params[0::2], params[1::2], network.activations)
    update = make_optimizer(optimizer, lr, **constants)

    snapshot_epochs = np.unique(np.append(np.arange(0, epochs + 1, record_every), epochs))
    snapshots = np.empty((len(snapshot_epochs), stack, flat.shape[-1]))
    taken = 0
    losses = np.empty((epochs + 1, stack))
    alive = np.ones(stack, dtype=bool)
    diverged_at = np.full(stack, epochs + 1)
    everyone_alive = True  # a plain bool, so the common case costs no array test per epoch
    # A single run's loss is a numpy float, which math.isfinite tests ~50x faster than np.isfinite:
    # that test runs every epoch, so it is a visible part of the loop's cost.
    all_finite = math.isfinite if stack == 1 else lambda values: bool(np.isfinite(values).all())

    # Overflow is expected when a rate is too large; it is caught below as a non-finite loss.
    with np.errstate(over="ignore", invalid="ignore", divide="ignore"):
        for epoch in range(epochs + 1):
            outputs = _forward(net, X)
            loss_now, grad_output = loss_.value_and_gradient(outputs[-1], y)
            losses[epoch] = loss_now
            if not all_finite(loss_now):
                if epoch == 0:
                    raise ValueError("network must start with a finite loss on (X, y), got NaN or inf")
                newly = alive & ~np.isfinite(loss_now)
                diverged_at[newly] = epoch
                alive &= ~newly
                everyone_alive = bool(alive.all())
                if not alive.any():
                    break
            if epoch % record_every == 0 or epoch == epochs:
                snapshots[taken] = flat
                taken += 1
            if epoch == epochs:
                break
            grad_weights, grad_biases = _backward(net, outputs, grad_output)
            for view, computed in zip(gradient_views, grad_weights + grad_biases):
                view[...] = computed
            if not everyone_alive:
                flat_gradient[~alive] = 0.0  # freeze the members that diverged; the others go on
            update.step([flat], [flat_gradient])

        return [
            _history(
                network,
                X,
                loss,
                rates[member],
                losses[:, member],
                diverged_at[member],
                snapshot_epochs,
                dict(zip(names, _views(snapshots[:, member], shapes))),
            )
            for member in range(stack)
        ]


def _views(flat, shapes):
    """Arrays of the given 2-D shapes that share memory with consecutive parts of flat's last axis."""
    views, offset = [], 0
    for rows, columns in shapes:
        views.append(flat[..., offset : offset + rows * columns].reshape(flat.shape[:-1] + (rows, columns)))
        offset += rows * columns
    return views


def _history(network, X, loss, rate, losses, diverged_at, snapshot_epochs, snapshots):
    """One member's History from its losses (epochs + 1,) and snapshots {'W1': (k, n_in, n_out), ...}."""
    epochs = len(losses) - 1
    # A member's snapshots are those taken before its loss stopped being finite.
    kept = int(np.searchsorted(snapshot_epochs, diverged_at))
    snapshots = {name: snapshot[:kept].copy() for name, snapshot in snapshots.items()}
    n_layers = len(network.weights)
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
        losses=losses[: run + 1].copy(),
        snapshot_epochs=snapshot_epochs[:kept].copy(),
        snapshots=snapshots,
        activations=network.activations,
        predictions=_forward(final, X)[-1],
        learning_rate=float(rate),
        epochs=run,
        diverged_at=None if diverged_at > epochs else int(diverged_at),
        message=message,
    )
