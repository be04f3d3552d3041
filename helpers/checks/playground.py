"""Checks for the exercises of notebook 09, the playground.

Each check computes what it compares with inside itself: weight decay's gradients from fresh random
networks, the epoch early stopping keeps from fresh random validation curves, and the validation
accuracy of a configuration by training it here.
"""

import copy

import numpy as np

from .. import sweep, training
from ..exercises import BLANK, check_function, not_answered, say
from ..network import init_network
from .common import from_helpers

# The three-arm exercise starts from this configuration, which learns the arms far too slowly.
STUCK = {"hidden": "16-16", "activation": "relu", "optimizer": "gd", "learning_rate": 0.001}
THREE_ARMS_ACCURACY = 0.95  # what the validation points must reach


def with_weight_decay(with_weight_decay):
    """Exercise: with_weight_decay(gradients, network, weight_decay) -> the gradients of the loss plus
    (weight_decay / 2) * the sum of every squared weight: {'W1': ..., 'b1': ..., ...}.

    Tried on fresh random networks (1 to 3 layers, widths 1 to 5) and gradients; the mistakes it knows:
    the biases decayed too, a factor 1/2 or 2 on lambda, the sign, lambda times W squared.
    """
    name = "with_weight_decay"
    if not_answered(with_weight_decay):
        return say(BLANK.format(name=name))
    if not callable(with_weight_decay):
        return say(
            f"Not yet: {name} should be a function (def with_weight_decay(gradients, network, weight_decay): ...)."
        )
    if from_helpers(with_weight_decay):
        return say(f"Not yet: {name} is helpers' own {with_weight_decay.__name__}: write the sum yourself.")

    def decayed(gradients, network, weight_decay, weights=1.0, biases=0.0, power=1, layers=None):
        # The gradients plus weights * lambda * W^power on each W (and biases * lambda * b on each b);
        # layers: the only layers (numbered from 1) whose parameters gain anything, or None for all.
        parameters = network.parameters()

        def factor(key):
            if layers is not None and int(key[1:]) not in layers:
                return 0.0
            return weights if key.startswith("W") else biases

        return {
            key: gradient + factor(key) * weight_decay * parameters[key] ** power for key, gradient in gradients.items()
        }

    def as_tuple(function):
        # The answer's dict as a tuple in a fixed order (W1, b1, W2, ...), so each array is judged;
        # the answer gets copies, so changing them in place cannot change what it is compared with.
        def ordered(gradients, network, weight_decay):
            got = function(copy.deepcopy(gradients), network.copy(), weight_decay)
            if not isinstance(got, dict) or set(got) != set(gradients):
                raise TypeError(f"should return a dict with the keys {sorted(gradients)}, got {_kind(got)}")
            return tuple(got[key] for key in sorted(gradients))

        return ordered

    def reference(gradients, network, weight_decay):
        return as_tuple(decayed)(gradients, network, weight_decay)

    def inputs(rng):
        depth = int(rng.integers(1, 4))
        sizes = [int(size) for size in rng.integers(1, 6, size=depth + 1)]
        network = init_network(sizes, activation="tanh", seed=int(rng.integers(0, 10_000)))
        for b in network.biases:
            b += rng.normal(0.0, 1.0, size=b.shape)  # biases not 0, so decaying them shows
        gradients = {key: rng.normal(0.0, 1.0, size=p.shape) for key, p in network.parameters().items()}
        return gradients, network, float(rng.uniform(0.01, 1.0))

    mistakes = {
        "the biases decayed too: weight decay adds lambda * W to dL/dW only, the biases keep their gradient": (
            lambda g, net, lam: decayed(g, net, lam, biases=1.0)
        ),
        "lambda / 2 * W added: the derivative of (lambda / 2) W^2 is lambda * W": (
            lambda g, net, lam: decayed(g, net, lam, weights=0.5)
        ),
        "2 lambda * W added: the 1/2 in (lambda / 2) W^2 cancels the 2 of the square": (
            lambda g, net, lam: decayed(g, net, lam, weights=2.0)
        ),
        "lambda * W subtracted: the penalty grows with |W|, so its gradient points along W": (
            lambda g, net, lam: decayed(g, net, lam, weights=-1.0)
        ),
        "lambda * W^2 added: that is the penalty, not its derivative": (
            lambda g, net, lam: decayed(g, net, lam, power=2)
        ),
        "the gradients returned as they were: the penalty adds a term to each weight's gradient": (
            lambda g, net, lam: decayed(g, net, lam, weights=0.0)
        ),
        "only the first layer's weights decayed: the penalty sums over the weights of every layer": (
            lambda g, net, lam: decayed(g, net, lam, layers={1})
        ),
        "only the last layer's weights decayed: the penalty sums over the weights of every layer": (
            lambda g, net, lam: decayed(g, net, lam, layers={len(net.weights)})
        ),
    }
    return check_function(
        name,
        as_tuple(with_weight_decay),
        reference,
        inputs,
        seed=9,
        mistakes={description: as_tuple(mistaken) for description, mistaken in mistakes.items()},
        forbidden=(training.add_weight_decay, training.train, sweep.train_many),
        hint="Compare each entry of your dict with the gradients of L_lambda in the section on weight decay.",
    )


def _kind(value):
    return f"{type(value).__name__} with keys {sorted(value)}" if isinstance(value, dict) else type(value).__name__


def early_stopping(early_stopping):
    """Exercise: early_stopping(validation_losses, patience) -> the index of the record to keep.

    validation_losses: the validation loss at each record, in order; training stops once `patience`
    records in a row have not set a new lowest (strictly lower) loss, and keeps the record of the
    lowest loss seen so far. Tried on fresh random curves, with ties and with second dips after the stop.
    """
    name = "early_stopping"
    if not_answered(early_stopping):
        return say(BLANK.format(name=name))

    def stopping(
        losses, patience, improves=lambda new, best: new < best, wait=0, answer="kept", resets="best", count="in a row"
    ):
        # resets="fall": any fall below the previous record restarts the count, not only a new lowest;
        # count="all": every record without progress since the start counts, not only those in a row.
        best, since = 0, 0
        for index in range(1, len(losses)):
            if improves(losses[index], losses[best]):
                best, since = index, (0 if count == "in a row" else since)
            elif resets == "fall" and losses[index] < losses[index - 1]:
                since = 0
            else:
                since += 1
                if since == patience + wait:
                    return best if answer == "kept" else index
        return best if answer == "kept" else len(losses) - 1

    def reference(losses, patience):
        return stopping(losses, patience)

    def inputs(rng):
        # A falling curve that turns up, rounded so that ties happen, often with a deeper dip later on;
        # half the curves climb in a zigzag after the turn (up 1, down 0.5), falls that set no new lowest.
        length = int(rng.integers(8, 30))
        turn = int(rng.integers(2, length - 2))
        after = np.where(np.arange(length) % 2 == 0, 1.0, -0.5) if rng.uniform() < 0.5 else 0.6
        steps = np.where(np.arange(length) < turn, -1.0, after) + rng.normal(0.0, 0.8, size=length)
        losses = np.round(10.0 + np.cumsum(steps), 0) / 10.0
        if rng.uniform() < 0.5:
            losses[int(rng.integers(turn + 1, length)) :] -= 2.0
        return [float(loss) for loss in losses], int(rng.integers(1, 5))

    mistakes = {
        "the lowest loss of the whole curve: early stopping cannot see the records after it stops": (
            lambda losses, patience: int(np.argmin(losses))
        ),
        "a tie counted as progress (<=): a loss equal to the best is no improvement": (
            lambda losses, patience: stopping(losses, patience, improves=lambda new, best: new <= best)
        ),
        "the index where training stops, not the record it keeps": (
            lambda losses, patience: stopping(losses, patience, answer="stopped")
        ),
        "stopping one record early: patience records without progress are allowed, then it stops": (
            lambda losses, patience: stopping(losses, patience, wait=-1)
        ),
        "stopping one record late: training stops at the patience-th record without progress": (
            lambda losses, patience: stopping(losses, patience, wait=1)
        ),
        "a fall that stays above the lowest loss counted as progress: only a new lowest loss is": (
            lambda losses, patience: stopping(losses, patience, resets="fall")
        ),
        "counting the records without progress since the start: the count starts again at each new lowest": (
            lambda losses, patience: stopping(losses, patience, count="all")
        ),
    }
    hint = "Run the exercise's example by hand: which records count as no progress, and when does the count restart?"
    return check_function(name, early_stopping, reference, inputs, trials=40, seed=10, mistakes=mistakes, hint=hint)


def three_arms(answer):
    """Exercise: a configuration {"hidden", "activation", "optimizer", "learning_rate"} for the three arms
    that differs from STUCK in at most two settings and gets at least 95 % of the validation points right.

    The configuration is trained here as the playground trains it (1000 epochs), and judged on the
    validation points. A configuration that falls short is told which kind of failure its run shows:
    steps too large (a loss that jumped, half a layer of dead units), not fitting its own training points
    (too small, or too slow), fitting them while its validation loss rose (overfitting), or still
    improving at the last epoch (not finished).
    """
    from ..configurations import HIDDEN_PRESETS, LEARNING_RATES, PLAYGROUND_ACTIVATIONS, train_configuration
    from ..network import accuracy, dead_units
    from ..optimizers import OPTIMIZERS

    name = "three arms"
    if not_answered(answer) or (isinstance(answer, dict) and any(not_answered(v) for v in answer.values())):
        return say(BLANK.format(name=name))
    if not isinstance(answer, dict) or set(answer) != set(STUCK):
        return say(f"Not yet: {name} should be a dict with the keys {list(STUCK)}, got {_kind(answer)}.")
    choices = {
        "hidden": list(HIDDEN_PRESETS),
        "activation": list(PLAYGROUND_ACTIVATIONS),
        "optimizer": list(OPTIMIZERS),
        "learning_rate": list(LEARNING_RATES),
    }
    for key, allowed in choices.items():
        if not any(_same(answer[key], value) for value in allowed):
            return say(f"Not yet: {name}: {key} must be one of the playground's {allowed}, got {answer[key]!r}.")
    changed = [key for key in STUCK if not _same(answer[key], STUCK[key])]
    if len(changed) > 2:
        return say(f"Not yet: {name}: that changes {len(changed)} settings ({', '.join(changed)}); two at most.")
    if not changed:
        return say(f"Not yet: {name}: that is the stuck configuration itself; change one or two settings.")
    settings = {key: (float(answer[key]) if key == "learning_rate" else answer[key]) for key in STUCK}
    run = train_configuration("3 arms", **settings)
    if run.history.diverged:
        return say(f"Not yet: {name}: {run.history.message}")
    network = run.history.final_network
    on_validation, on_training = accuracy(network, run.X_val, run.y_val), accuracy(network, run.X, run.y)
    if on_validation >= THREE_ARMS_ACCURACY:
        return say(
            f"✓ {name}: {on_validation:.1%} of the validation points right ({on_training:.1%} of the training "
            f"points), with {' and '.join(changed)} changed."
        )
    message = f"Not yet: {name}: {on_validation:.1%} of the validation points right, below {THREE_ARMS_ACCURACY:.0%}."
    losses, val_losses = run.history.losses, run.val_losses
    peak = int(np.argmax(losses))
    dead = [
        f"{count} of {size} units of hidden layer {layer}"
        for layer, (count, size) in enumerate(zip(dead_units(network, run.X), network.layer_sizes[1:-1]), start=1)
        if 2 * count >= size
    ]
    jumped = bool(losses[peak] > 2 * losses[0])  # a loss that climbs far above its start: the steps overshoot
    if jumped or dead:
        signs = []
        if jumped:
            signs.append(f"Its training loss jumped from {losses[0]:.3g} to {losses[peak]:.3g} at epoch {peak}")
        if dead:
            signs.append(f"{' and '.join(dead)} output 0 on every training point")
        message += f" {'; '.join(signs)}: its steps are too large for this network."
    elif on_training < THREE_ARMS_ACCURACY:
        message += (
            f" It gets only {on_training:.1%} of its own training points right, and its training loss went from "
            f"{losses[len(losses) // 2]:.3f} at epoch {len(losses) // 2} to {losses[-1]:.3f} at the end: it does "
            "not fit the arms. Is the network too small to bend three borders, or does it learn too slowly for "
            "1000 epochs?"
        )
    elif val_losses[-1] > 1.05 * val_losses.min():
        message += (
            f" It fits {on_training:.1%} of its training points while its validation loss rose from its lowest, "
            f"{val_losses.min():.3f}, to {val_losses[-1]:.3f}: it learned those points, not the arms."
        )
    else:
        message += (
            f" It fits {on_training:.1%} of its training points and its validation loss is still at its lowest at "
            "the last epoch: it has not finished learning the arms in 1000 epochs."
        )
    return say(message)


def _same(a, b):
    """Equal settings: equal strings, or equal numbers (a rate given as an int or numpy float too)."""
    if isinstance(a, str) or isinstance(b, str):
        return isinstance(a, str) and isinstance(b, str) and a == b
    if isinstance(a, bool) or isinstance(b, bool):
        return False
    try:
        return float(a) == float(b)
    except (TypeError, ValueError):
        return False
