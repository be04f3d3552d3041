"""A learning-rate sweep: one start, many learning rates, trained at once for a slider to look up.

`train_many` gives, for each rate, the History that `train` gives (tests check they are equal),
but trains every rate in one stack: parameter arrays (G, n_in, n_out) with one row per rate, all
held in one flat array, so each numpy call serves all G runs and every parameter. With arrays this
small numpy's cost is per call, not per number, so G rates cost little more than one.
"""

import numpy as np

from ._validate import check_count, check_positive_number
from .network import Network, backward_pass, check_network_data, forward_pass, output_gradient
from .optimizers import check_constants
from .training import check_weight_decay, make_history


def train_many(
    network,
    X,
    y,
    learning_rates,
    epochs=1000,
    loss="mse",
    record_every=1,
    optimizer="gd",
    weight_decay=0.0,
    **constants,
):
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
    weight_decay = check_weight_decay(weight_decay)
    rule = check_constants(optimizer, constants)

    stack, start = len(learning_rates), network.copy()
    # Every parameter of every member lives in one (G, P) array, each W and b a view into it (as
    # train's network would see it, with a leading axis of G), and so do the gradients: one update
    # and one snapshot copy per epoch serve every parameter of every member.
    shapes, layers = [p.shape for p in start.weights + start.biases], len(start.weights)
    flat = np.repeat(np.concatenate([p.ravel() for p in start.weights + start.biases])[None], stack, axis=0)
    flat_gradient = np.zeros_like(flat)
    params, gradients = _views(flat, shapes), _views(flat_gradient, shapes)
    net = Network(params[:layers], params[layers:], start.activations)
    step = rule(learning_rates.reshape(stack, 1), **constants)
    snapshot_epochs = [*range(0, epochs + 1, record_every), *([epochs] if epochs % record_every else [])]
    snapshots = np.empty((len(snapshot_epochs), stack, flat.shape[1]))
    losses = np.empty((epochs + 1, stack))
    alive = np.ones(stack, dtype=bool)  # members whose loss is still finite
    ended = np.full(stack, epochs)  # the last epoch each member ran (its NaN/inf epoch if it diverged)
    everyone_alive, taken = True, 0

    with np.errstate(over="ignore", under="ignore", invalid="ignore", divide="ignore"):
        for epoch in range(epochs + 1):
            outputs, z = forward_pass(net, X)
            value, grad_z = output_gradient(net, loss_, outputs, z, y)
            losses[epoch] = value
            if not np.isfinite(value).all():
                newly = alive & ~np.isfinite(value)
                ended[newly] = epoch
                alive &= ~newly
                everyone_alive = False
                if not alive.any():
                    break
            if epoch % record_every == 0 or epoch == epochs:
                snapshots[taken] = flat
                taken += 1
            if epoch == epochs:
                break
            grad_weights, grad_biases = backward_pass(net, outputs, grad_z)
            for view, computed in zip(gradients, grad_weights + grad_biases):
                view[...] = computed
            if weight_decay:
                for view, w in zip(gradients, net.weights):
                    view += weight_decay * w  # L2 weight decay on the weights, not the biases
            if not everyone_alive:
                flat_gradient[~alive] = 0.0  # members that diverged stay as they were; the others go on
            step.update([flat], [flat_gradient])

        histories = []
        for member, learning_rate in enumerate(learning_rates):
            # A member's snapshots are those taken before its loss stopped being finite.
            diverged = not np.isfinite(losses[ended[member], member])
            kept = int(np.searchsorted(snapshot_epochs, ended[member], side="left" if diverged else "right"))
            member_params = [view.copy() for view in _views(snapshots[:kept, member], shapes)]
            named = Network(member_params[:layers], member_params[layers:], start.activations).parameters()
            member_losses = losses[: ended[member] + 1, member]
            histories.append(make_history(start, X, loss, learning_rate, member_losses, snapshot_epochs[:kept], named))
    return histories


def _views(flat, shapes):
    """Arrays of the given 2-D shapes sharing memory with consecutive parts of flat's last axis:
    flat (..., P) gives arrays (..., rows, columns)."""
    arrays, offset = [], 0
    for rows, columns in shapes:
        arrays.append(flat[..., offset : offset + rows * columns].reshape(flat.shape[:-1] + (rows, columns)))
        offset += rows * columns
    return arrays
