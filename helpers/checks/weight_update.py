"""Checks for the exercises of notebook 03, learning by gradient descent.

Each check computes what it compares against here, on fresh random inputs each time it runs, prints one
verdict and returns True or False. The learner's loops use the notebook's `loss_and_gradients`, which
computes the loss and gradients of one sigmoid neuron on AND exactly as `_loss_and_gradients` below
does, so the check can ask for a loss equal to a target, where `<` and `<=` part ways.
"""

import numpy as np

from .. import activations, data, network, optimizers, sweep, training
from ..exercises import check_function, check_number
from .common import refuse_helper

MAX_UPDATES = 1000


# Bound here, so that a guard that counts the learner's calls of helpers.sigmoid does not count these.
_sigmoid = activations.sigmoid


def _loss_and_gradients(w, b, X, y):
    """The notebook's loss_and_gradients, operation for operation: (MSE, dL/dw (2, 1), dL/db (1, 1))."""
    a = _sigmoid(X @ w + b)
    delta = 2.0 / len(X) * (a - y) * a * (1.0 - a)
    return np.mean((a - y) ** 2), X.T @ delta, delta.sum(keepdims=True)


# Every helper that takes a step, or trains, does the work these exercises ask for.
_STEPPERS = [
    network.gradient_step,
    network.backward,
    training.train,
    sweep.train_many,
    optimizers.GradientDescent,
    optimizers.make_optimizer,
]


def gradient_descent_step(function, seed=0):
    """Exercise 1: gradient_descent_step(w, b, learning_rate) -> the (w, b) after one step on AND."""
    X, y = data.and_gate()

    def step_with(update):  # update(parameter, gradient, learning_rate) -> new parameter
        def step(w, b, learning_rate):
            _, grad_w, grad_b = _loss_and_gradients(w, b, X, y)
            return update(w, grad_w, learning_rate), update(b, grad_b, learning_rate)

        return step

    right = step_with(lambda p, g, rate: p - rate * g)
    mistakes = {
        "a step uphill: + where - belongs": step_with(lambda p, g, rate: p + rate * g),
        "the learning rate is left out": step_with(lambda p, g, rate: p - g),
        "b is not updated": lambda w, b, rate: (right(w, b, rate)[0], b),
        "w is not updated": lambda w, b, rate: (w, right(w, b, rate)[1]),
    }
    if refuse_helper("gradient_descent_step", function):
        return False
    return check_function(
        "gradient_descent_step",
        function,
        right,
        lambda rng: (rng.normal(size=(2, 1)), rng.normal(size=(1, 1)), float(rng.uniform(0.1, 5.0))),
        seed=seed,
        mistakes=mistakes,
        forbidden=_STEPPERS,
        hint="compute the gradients at (w, b), then step against them.",
    )


def epochs_at_rate(answer):
    """Exercise 2: how many epochs the rate 0.3 needs to bring the AND loss below 0.05, within 3 %."""
    rate, target = 0.3, 0.05

    def epochs_below(learning_rate):
        """Updates of gradient descent on AND from helpers.init_network([2, 1], seed=0) until the loss < target."""
        X, y = data.and_gate()
        start = network.init_network([2, 1], seed=0)
        w, b = start.weights[0], start.biases[0]
        for update in range(100_000):
            loss, grad_w, grad_b = _loss_and_gradients(w, b, X, y)
            if loss < target:
                return update
            w, b = w - learning_rate * grad_w, b - learning_rate * grad_b
        raise RuntimeError(f"rate {learning_rate} does not get below {target} within 100000 updates")

    at_one = epochs_below(1.0)
    mistakes = {
        "the count of rate 1 itself: a smaller rate needs more epochs": at_one,
        "the count of rate 1 times 0.3: a smaller rate needs more epochs, not fewer": at_one * rate,
        "1000, the length of the runs above": MAX_UPDATES,
    }
    hint = "while steps are small, only learning rate x epochs matters: keep that product."
    return check_number("epochs at rate 0.3", answer, epochs_below(rate), tolerance=0.03, mistakes=mistakes, hint=hint)


class TooManyUpdates(Exception):
    """Raised inside the learner's loop once it has gone well past the cap of 1000 updates."""


class _UpdateBudget:
    """Counts the calls of loss_and_gradients (in the learner's namespace) and of helpers.sigmoid, and
    raises TooManyUpdates once a loop has clearly gone past 1000 updates, so a loop without the cap
    ends instead of running for ever. reset() starts a new count (before each call of the learner's)."""

    def __init__(self, function):
        self.function, self.calls, self.saved = function, {"loss_and_gradients": 0, "sigmoid": 0}, []
        # A right loop calls loss_and_gradients once or twice per update, sigmoid a few times: these
        # limits leave room for that and still end a loop without a cap within a second.
        self.limits = {"loss_and_gradients": 3 * MAX_UPDATES + 10, "sigmoid": 10 * MAX_UPDATES + 10}

    def counting(self, key, original):
        def counted(*args, **kwargs):
            self.calls[key] += 1
            if self.calls[key] > self.limits[key]:
                raise TooManyUpdates(f"more than {MAX_UPDATES} updates: stop the loop after {MAX_UPDATES} updates")
            return original(*args, **kwargs)

        return counted

    def reset(self):
        self.calls = dict.fromkeys(self.calls, 0)

    def __enter__(self):
        import helpers

        spaces = getattr(self.function, "__globals__", {})
        targets = [(spaces, "loss_and_gradients", "loss_and_gradients")]
        targets += [(vars(helpers), "sigmoid", "sigmoid"), (vars(activations), "sigmoid", "sigmoid")]
        if spaces.get("sigmoid") is _sigmoid:
            targets.append((spaces, "sigmoid", "sigmoid"))
        for space, name, key in targets:
            if callable(space.get(name)):
                self.saved.append((space, name, space[name]))
                space[name] = self.counting(key, space[name])
        return self

    def __exit__(self, *exc):
        for space, name, original in reversed(self.saved):
            space[name] = original


def updates_needed(function, seed=0):
    """Exercise 3: updates_needed(w, b, learning_rate, target): updates from (w, b) until the AND loss is
    below target (0 if it already is), at most 1000."""
    X, y = data.and_gate()

    def losses_from(w, b, learning_rate, updates):  # the losses before each of `updates` updates, and after
        losses = []
        for _ in range(updates + 1):
            loss, grad_w, grad_b = _loss_and_gradients(w, b, X, y)
            losses.append(loss)
            w, b = w - learning_rate * grad_w, b - learning_rate * grad_b
        return np.array(losses)

    def first_below(w, b, learning_rate, target, strictly=True, cap=MAX_UPDATES, shift=0):
        budget.reset()  # the learner's next call starts a new count
        losses = losses_from(w, b, learning_rate, cap)
        below = np.flatnonzero(losses < target if strictly else losses <= target)
        return (int(below[0]) if below.size else cap) + shift

    def case(rng):
        w, b = rng.normal(size=(2, 1)), rng.normal(size=(1, 1))
        kind = rng.integers(4)
        if kind == 0:  # a rate too small to get there: the cap decides
            return w, b, float(rng.uniform(0.01, 0.1)), 0.01
        if kind == 1:  # a target equal to a loss the loop meets: `<` and `<=` differ by one update
            rate = float(rng.uniform(0.5, 2.0))
            return w, b, rate, float(losses_from(w, b, rate, 40)[rng.integers(0, 40)])
        if kind == 2:  # a target the starting loss is already below: no update at all
            return w, b, float(rng.uniform(1.0, 20.0)), float(losses_from(w, b, 1.0, 0)[0] + rng.uniform(0.001, 0.1))
        return w, b, float(rng.uniform(1.0, 20.0)), float(rng.choice([0.1, 0.05, 0.02]))

    def never_stops(*arguments):
        budget.reset()
        return MAX_UPDATES

    mistakes = {
        "loss <= target where the loss must be below it (<)": lambda *a: first_below(*a, strictly=False),
        "one update too many: test the loss before each update": lambda *a: first_below(*a, shift=1),
        "one update too few": lambda *a: first_below(*a, shift=-1),
        "an update made before the first test: a start already below the target needs 0": lambda *a: max(
            first_below(*a), 1
        ),
        "a loop that stops after 999 updates, not 1000": lambda *a: first_below(*a, cap=MAX_UPDATES - 1),
        "a loop that does not stop at the target": never_stops,
    }
    with _UpdateBudget(function) as budget:
        if refuse_helper("updates_needed", function):
            return False
        return check_function(
            "updates_needed",
            function,
            first_below,
            case,
            trials=24,
            seed=seed,
            mistakes=mistakes,
            forbidden=_STEPPERS,
            hint="from copies of w and b: test the loss before each update, count the updates, stop at 1000.",
        )
