"""A learning-rate sweep: one start, many learning rates, trained at once for a slider to look up.

`train_many` gives, for each rate, the History that `train` gives (tests check they are equal),
but trains every rate in one stack: parameter arrays (G, n_in, n_out) with one row per rate, so
each numpy call serves all G runs. With arrays this small numpy's cost is per call, not per
number, so G rates cost little more than one.
"""

import numpy as np

from ._validate import check_count, check_positive_number
from .network import Network, backward_pass, check_network_data, forward_pass, output_gradient
from .optimizers import check_constants
from .training import make_history


def train_many(network, X, y, learning_rates, epochs=1000, loss="mse", record_every=1, optimizer="gd", **constants):
    """Train one copy of `network` per learning rate, side by side; returns a History per rate.

    network: a single network (2-D weights); X: (n, n_inputs); y: (n, n_outputs);
    learning_rates: (G,) positive numbers. Full batch; the other arguments are those of train().
    """
    X, y, loss_ = check_network_data(network, X, y, loss, single=True)
    if isinstance(learning_rates, (str, bytes)) or np.ndim(learning_rates) != 1 or len(learning_rates) == 0:
        raise ValueError(f"learning_rates must be a non-empty 1-D list of numbers, got {learning_rates!r}")
    learning_rates = np.array(
        [check_positive_number(f"learning_rates[{i}]", value) for i, value in enumerate(learning_rates)]
    )
    epochs, record_every = check_count("epochs", epochs), check_count("record_every", record_every, minimum=1)
    rule = check_constants(optimizer, constants)

    stack = len(learning_rates)
    start = network.copy()
    net = Network(
        [np.repeat(p[None], stack, axis=0) for p in start.weights],
        [np.repeat(p[None], stack, axis=0) for p in start.biases],
        start.activations,
    )
    params = net.weights + net.biases
    step = rule(learning_rates.reshape(stack, 1, 1), **constants)
    snapshot_epochs = np.unique(np.append(np.arange(0, epochs + 1, record_every), epochs))
    snapshots = {name: np.empty((len(snapshot_epochs), *p.shape)) for name, p in net.parameters().items()}
    losses = np.full((epochs + 1, stack), np.nan)
    alive = np.ones(stack, dtype=bool)  # members whose loss is still finite
    ended = np.full(stack, epochs)  # the last epoch each member ran (its NaN/inf epoch if it diverged)
    taken = 0

    with np.errstate(over="ignore", under="ignore", invalid="ignore", divide="ignore"):
        for epoch in range(epochs + 1):
            outputs, z = forward_pass(net, X)
            value, grad_z = output_gradient(net, loss_, outputs, z, y)
            losses[epoch, alive] = value[alive]
            newly = alive & ~np.isfinite(value)
            if newly.any():
                ended[newly] = epoch
                alive &= ~newly
                if not alive.any():
                    break
            if epoch == snapshot_epochs[taken]:
                for name, p in net.parameters().items():
                    snapshots[name][taken] = p
                taken += 1
            if epoch == epochs:
                break
            grad_weights, grad_biases = backward_pass(net, outputs, grad_z)
            grads = grad_weights + grad_biases
            if not alive.all():
                # Members that diverged stay as they were; the others go on.
                grads = [np.where(alive[:, None, None], g, 0.0) for g in grads]
            step.update(params, grads)

        histories = []
        for member, learning_rate in enumerate(learning_rates):
            # A member's snapshots are those taken before its loss stopped being finite.
            diverged = not np.isfinite(losses[ended[member], member])
            kept = int(np.searchsorted(snapshot_epochs, ended[member], side="left" if diverged else "right"))
            member_snapshots = {name: values[:kept, member].copy() for name, values in snapshots.items()}
            histories.append(
                make_history(
                    start,
                    X,
                    loss,
                    learning_rate,
                    losses[: ended[member] + 1, member],
                    snapshot_epochs[:kept],
                    member_snapshots,
                )
            )
    return histories
