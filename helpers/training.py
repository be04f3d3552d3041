"""Training with a recorded history: `train` is the loop of notebooks 03 and 05, plus records.

Full batch by default (every update sees all of X); with batch_size, each epoch visits the rows
in a new seeded order, one update per mini-batch.

weight_decay = lambda > 0 adds L2 weight decay: the loss trained is L + (lambda / 2) * sum of
every squared weight (not the biases), so each update's dL/dW gains lambda * W, a pull of every
weight towards 0. The recorded losses stay L itself, so runs with and without it compare directly.
"""

import math
from dataclasses import dataclass

import numpy as np

from ._validate import check_count, check_number_between, check_positive_number
from .network import Network, backward_pass, check_network_data, forward_pass, output_gradient
from .optimizers import check_constants

# A run whose loss stays finite but ends this many times above its start has not learned: the
# steps overshoot (e.g. sigmoid + MSE at learning_rate 1e6 goes from 0.25 to 0.5).
OVERSHOOT_FACTOR = 1.5


def check_weight_decay(weight_decay):
    """A finite number >= 0: the lambda of L2 weight decay (0 for none)."""
    return check_number_between("weight_decay", weight_decay, 0.0, np.inf, include_low=True)


def add_weight_decay(grad_weights, weights, weight_decay):
    """Unchecked: dL/dW + weight_decay * W for each layer (the gradient of (lambda / 2) * sum W^2)."""
    if not weight_decay:
        return grad_weights
    return [grad + weight_decay * w for grad, w in zip(grad_weights, weights)]


class TrainingDiverged(ArithmeticError):
    """Raised by History.require_converged for a run whose learning rate was too large."""


@dataclass
class History:
    """What happened during one training run.

    losses: (epochs + 1,) loss on all of X after 0, 1, ..., epochs epochs.
    update_losses: (updates,) loss of each mini-batch as it was used for its update (with
        batch_size only, else None).
    snapshot_epochs: (k,) epochs whose parameters were kept; snapshots[name]: (k, *shape).
    predictions: (n, n_outputs) outputs on the training X of the last snapshot.
    diverged_at: the epoch whose loss was NaN/inf (training stopped there), else None.
    message: why the learning rate is too large, if it is (the loss became NaN/inf, or ended
        far above where it started); None for a run that learned.
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
    update_losses: np.ndarray | None = None

    @property
    def diverged(self):
        """True when the run failed because its learning rate was too large (see message)."""
        return self.message is not None

    @property
    def final_loss(self):
        """losses[-1] as a float: the loss on all of X after the last epoch kept (finite even if it diverged)."""
        return float(self.losses[-1])

    def network_at(self, epoch):
        """The network as it was after `epoch` epochs (the latest snapshot at or before it), as copies."""
        epoch = check_count("epoch", epoch)
        if epoch > self.epochs:
            raise ValueError(f"epoch must be between 0 and {self.epochs}, got {epoch}")
        index = max(int(np.searchsorted(self.snapshot_epochs, epoch, side="right")) - 1, 0)
        kept = {name: values[index].copy() for name, values in self.snapshots.items()}
        return Network.from_parameters(kept, self.activations)

    @property
    def final_network(self):
        """The network at the last snapshot kept (network_at its epoch), as copies."""
        return self.network_at(int(self.snapshot_epochs[-1]))

    def require_converged(self):
        """Raise TrainingDiverged with the readable message if the learning rate was too large."""
        if self.diverged:
            raise TrainingDiverged(self.message)
        return self


def make_history(network, X, loss, learning_rate, losses, snapshot_epochs, snapshots, update_losses=None):
    """The History of a run from its losses (one per epoch run, the last NaN/inf if it diverged)
    and the parameter snapshots {'W1': (k, n_in, n_out), ...} taken at snapshot_epochs."""
    losses = np.asarray(losses, dtype=np.float64)
    if not np.isfinite(losses[0]):
        raise ValueError("network must start with a finite loss on (X, y), got NaN or inf")
    message = diverged_at = None
    if not np.isfinite(losses[-1]):
        diverged_at, losses = len(losses) - 1, losses[:-1]
        message = f"Training diverged at epoch {diverged_at}: the {loss} loss became NaN or infinite"
    elif losses[-1] > OVERSHOOT_FACTOR * losses[0]:
        message = f"Training failed: the {loss} loss ended at {losses[-1]:.3g}, above its start {losses[0]:.3g}"
    if message:
        message += f" with learning_rate={learning_rate:g}: the learning rate is too large."
        message += " Try a smaller learning rate."
    kept = len(snapshot_epochs)
    final = Network.from_parameters({name: values[kept - 1] for name, values in snapshots.items()}, network.activations)
    return History(
        losses=losses,
        snapshot_epochs=np.asarray(snapshot_epochs),
        snapshots=snapshots,
        activations=network.activations,
        predictions=forward_pass(final, X)[0][-1],
        learning_rate=float(learning_rate),
        epochs=len(losses) - 1,
        diverged_at=diverged_at,
        message=message,
        update_losses=None if update_losses is None else np.array(update_losses),
    )


def train(
    network,
    X,
    y,
    learning_rate=0.5,
    epochs=1000,
    loss="mse",
    record_every=1,
    optimizer="gd",
    batch_size=None,
    seed=0,
    weight_decay=0.0,
    **constants,
):
    """Train a copy of `network` on X: (n, n_inputs), y: (n, n_outputs); returns its History.

    loss: 'mse' or 'cross_entropy'; optimizer: 'gd', 'momentum', 'rmsprop' or 'adam' with its
    constants (e.g. beta=0.9). Keeps the loss after every epoch and the parameters every
    `record_every` epochs (and at the last). batch_size=None: full batch; otherwise mini-batches
    of that many rows in an order shuffled each epoch by np.random.default_rng(seed). If the loss
    becomes NaN or inf, training stops and the History says when and why. weight_decay: the
    lambda of L2 weight decay, which adds lambda * W to every dL/dW (not to the biases); the losses
    recorded are the loss without its penalty.
    """
    X, y, loss_ = check_network_data(network, X, y, loss, single=True)
    learning_rate = check_positive_number("learning_rate", learning_rate)
    epochs, record_every = check_count("epochs", epochs), check_count("record_every", record_every, minimum=1)
    if batch_size is not None and check_count("batch_size", batch_size, minimum=1) > len(X):
        raise ValueError(f"batch_size must be None or at most the {len(X)} rows of X, got {batch_size}")
    rng = np.random.default_rng(check_count("seed", seed))
    weight_decay = check_weight_decay(weight_decay)
    step = check_constants(optimizer, constants)(learning_rate, **constants)

    net = network.copy()
    params, named = net.weights + net.biases, net.parameters()  # the same arrays, updated in place
    snapshot_epochs = [*range(0, epochs + 1, record_every), *([epochs] if epochs % record_every else [])]
    snapshots = {name: np.empty((len(snapshot_epochs), *p.shape)) for name, p in named.items()}
    records = [(snapshots[name], p) for name, p in named.items()]  # (where it is kept, the parameter)
    losses, update_losses, taken = [], [], 0
    # A rate that is too large overflows (or underflows) on the way to a NaN/inf loss, which stops the run.
    with np.errstate(over="ignore", under="ignore", invalid="ignore", divide="ignore"):
        for epoch in range(epochs + 1):
            outputs, z = forward_pass(net, X)
            value, grad_z = output_gradient(net, loss_, outputs, z, y)
            losses.append(value)
            if not math.isfinite(value):
                break
            if epoch % record_every == 0 or epoch == epochs:
                for store, p in records:
                    store[taken] = p
                taken += 1
            if epoch == epochs:
                break
            if batch_size is None:
                grad_weights, grad_biases = backward_pass(net, outputs, grad_z)
                step.update(params, add_weight_decay(grad_weights, net.weights, weight_decay) + grad_biases)
                continue
            order = rng.permutation(len(X))
            for start in range(0, len(X), batch_size):
                rows = order[start : start + batch_size]
                outputs, z = forward_pass(net, X[rows])
                value, grad_z = output_gradient(net, loss_, outputs, z, y[rows])
                update_losses.append(value)
                grad_weights, grad_biases = backward_pass(net, outputs, grad_z)
                step.update(params, add_weight_decay(grad_weights, net.weights, weight_decay) + grad_biases)

        kept = {name: values[:taken] for name, values in snapshots.items()}
        kept_update_losses = None if batch_size is None else update_losses
        return make_history(net, X, loss, learning_rate, losses, snapshot_epochs[:taken], kept, kept_update_losses)
