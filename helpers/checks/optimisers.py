"""Checks for the exercises of notebook 08, optimisers.

Each check computes what it compares with inside itself: the momentum walk step by step, the largest
learning rate at which momentum converges from the eigenvalues of its update, and an epoch of
stochastic gradient descent on a linear model.
"""

import contextlib
import numbers

import numpy as np

from .. import optimizers, sweep, training
from ..exercises import BLANK, check_function, not_answered, say

VALLEY = np.array([1.0, 40.0])  # the notebook's valley, L = (w1^2 + 40 w2^2) / 2


class ForbiddenHelper(RuntimeError):
    """Raised when an answer reaches an update rule of helpers.optimizers, by any route."""


@contextlib.contextmanager
def _rules_refused():
    """While it lasts, every update rule of helpers.optimizers raises ForbiddenHelper when used.

    check_function refuses the functions it is given wherever they are bound; a rule reached through
    helpers.OPTIMIZERS or an instance made earlier is a method, so the methods are swapped here.
    """
    saved = []
    for rule in (optimizers.Optimizer, *optimizers.OPTIMIZERS.values()):
        for method in ("step", "update"):
            if method in vars(rule):
                saved.append((rule, method, vars(rule)[method]))

                def refuse(*args, _used=f"{rule.__name__}.{method}", **kwargs):
                    raise ForbiddenHelper(
                        f"it uses helpers.optimizers' {_used}, which this exercise asks you to do without"
                    )

                setattr(rule, method, refuse)
    try:
        yield
    finally:
        for rule, method, original in saved:
            setattr(rule, method, original)


def momentum_walk(momentum_walk, forbidden=()):
    """Exercise: momentum_walk(w, velocity, learning_rate, beta, steps) -> (w, velocity) on the valley.

    The valley is the notebook's, with its curvatures (1, 40); forbidden: the notebook's own functions
    that take the step (momentum_step, walk).
    """

    def valley_gradient(w):
        return VALLEY * w

    def reference(w, velocity, learning_rate, beta, steps):
        for _ in range(steps):
            velocity = beta * velocity + valley_gradient(w)
            w = w - learning_rate * velocity
        return w, velocity

    def narrower_walk(w, velocity, learning_rate, beta, steps):
        for _ in range(steps):
            velocity = beta * velocity + np.array([1.0, 400.0]) * w
            w = w - learning_rate * velocity
        return w, velocity

    def walk_with(rule):
        # A momentum walk whose single step is rule(w, g, velocity, learning_rate, beta) -> (w, velocity).
        def walk(w, velocity, learning_rate, beta, steps):
            for _ in range(steps):
                w, velocity = rule(w, valley_gradient(w), velocity, learning_rate, beta)
            return w, velocity

        return walk

    mistakes = {
        "momentum written as a moving average, v <- beta v + (1 - beta) g": walk_with(
            lambda w, g, v, rate, beta: (w - rate * (beta * v + (1 - beta) * g), beta * v + (1 - beta) * g)
        ),
        "a step along the old velocity: update v first, then step with the new v": walk_with(
            lambda w, g, v, rate, beta: (w - rate * v, beta * v + g)
        ),
        "a single step, whatever `steps` is": lambda w, v, rate, beta, steps: reference(w, v, rate, beta, 1),
        "the sign flipped: w + learning_rate * v climbs the valley": walk_with(
            lambda w, g, v, rate, beta: (w + rate * (beta * v + g), beta * v + g)
        ),
        "beta forgotten: v <- v + g": walk_with(lambda w, g, v, rate, beta: (w - rate * (v + g), v + g)),
        "a plain gradient step: w moves by learning_rate * g, not by learning_rate * v": walk_with(
            lambda w, g, v, rate, beta: (w - rate * g, beta * v + g)
        ),
        "one step fewer than `steps`": lambda w, v, rate, beta, steps: reference(w, v, rate, beta, steps - 1),
        "one step more than `steps`": lambda w, v, rate, beta, steps: reference(w, v, rate, beta, steps + 1),
        "the valley of CURVATURE = [1.0, 400.0], the narrower one to try above: this exercise walks the valley of "
        "[1.0, 40.0] (set CURVATURE back and re-run its cell)": narrower_walk,
    }

    def inputs(rng):
        return (
            rng.normal(0, 2, size=2),
            rng.normal(0, 1, size=2),
            float(rng.uniform(0.001, 0.04)),
            float(rng.uniform(0, 0.95)),
            int(rng.integers(1, 6)),
        )

    refused = (*optimizers.OPTIMIZERS.values(), optimizers.make_optimizer, training.train, sweep.train_many)
    with _rules_refused():
        return check_function(
            "momentum_walk",
            momentum_walk,
            reference,
            inputs,
            seed=8,
            mistakes=mistakes,
            forbidden=(*refused, *forbidden),
        )


def momentum_limit(largest_rate, beta=0.9):
    """Exercise: the largest learning rate at which momentum with this beta converges on the valley,
    within 2 % below the limit (a rate at or above it, where the path does not shrink, is refused)."""
    name = "largest_rate"
    if not_answered(largest_rate):
        return say(BLANK.format(name=name))
    if isinstance(largest_rate, (bool, np.bool_, str)) or not isinstance(largest_rate, numbers.Real):
        return say(f"Not yet: {name} should be one number, got {type(largest_rate).__name__} {largest_rate!r}.")
    try:
        rate = float(largest_rate)
    except OverflowError:
        return say(f"Not yet: {name} is an integer too large for float64, not a learning rate.")
    if not np.isfinite(rate):
        return say(f"Not yet: {name} is {largest_rate!r}, which is not a finite number.")

    def largest_factor(learning_rate):
        # Per step, momentum maps (w_i, v_i) by a 2 x 2 matrix for each direction of curvature c:
        # v <- beta v + c w, w <- w - learning_rate v. The path shrinks when every eigenvalue is inside 1.
        return max(
            np.abs(np.linalg.eigvals([[1 - learning_rate * c, -learning_rate * beta], [c, beta]])).max() for c in VALLEY
        )

    low, high = 1e-6, 10.0
    for _ in range(200):  # bisection on "converges": the limit to float precision
        middle = 0.5 * (low + high)
        low, high = (middle, high) if largest_factor(middle) < 1 else (low, middle)
    limit = low
    mistakes = {
        "plain gradient descent's limit 2 / 40: the velocity changes where momentum breaks": 2 / VALLEY.max(),
        "2 / (40 (1 - beta)): the step's growth along a steady slope is not the limit across the valley": 2
        / (VALLEY.max() * (1 - beta)),
        "the limit of the flat direction w1: the steep direction breaks first": 2 * (1 + beta) / VALLEY.min(),
        "a rate half the limit's size": limit / 2,
    }
    if limit * 0.98 <= rate < limit:
        return say(f"✓ {name}: correct (momentum still converges there, and within 2 % of where it stops).")
    for description, value in mistakes.items():
        if abs(rate - value) <= 0.02 * value:
            return say(f"Not yet: {name} looks like {description}.")
    if rate <= 0:
        return say(f"Not yet: {name} should be a positive learning rate, got {largest_rate!r}.")
    if rate >= limit:
        return say(
            f"Not yet: at learning rate {rate:g} momentum (beta = {beta:g}) does not converge on the valley: "
            "the swing across it keeps its size or grows. Try walk('momentum', rate, beta=...) with many steps."
        )
    return say(
        f"Not yet: momentum (beta = {beta:g}) still converges at rates more than 2 % above {rate:g}: "
        "look for the largest."
    )


def sgd_epoch(sgd_epoch):
    """Exercise: sgd_epoch(w, X, y, batch_size, learning_rate, seed) -> w after one epoch of SGD on
    the linear model X w with the MSE loss, the rows visited in np.random.default_rng(seed).permutation(n).
    """

    def gradient(w, X, y):
        return 2.0 * X.T @ (X @ w - y) / len(X)

    def epoch(
        w,
        X,
        y,
        batch_size,
        learning_rate,
        seed,
        shuffle=True,
        keep_last=True,
        whole=False,
        fresh=False,
        by_b=False,
        scale="mean",
        legacy=False,
    ):
        # The reference (the defaults) and the slips it recognises.
        order = np.random.default_rng(seed).permutation(len(X)) if shuffle else np.arange(len(X))
        if legacy:
            order = np.random.RandomState(seed).permutation(len(X))
        for start in range(0, len(X), batch_size):
            if fresh:
                order = np.random.default_rng(seed).permutation(len(X))
            rows = order[start : start + batch_size]
            if len(rows) < batch_size and not keep_last:
                break
            step = (
                gradient(w, X, y) if whole else gradient(w, X[rows], y[rows]) * (len(rows) / batch_size if by_b else 1)
            )
            step = step * {"mean": 1.0, "sum": len(rows), "half": 0.5}[scale]
            w = w - learning_rate * step
        return w

    def first_batch(X, y, batch_size, seed):
        rows = np.random.default_rng(seed).permutation(len(X))[:batch_size]
        return X[rows], y[rows]

    def inputs(rng):
        n, d = int(rng.integers(5, 30)), int(rng.integers(1, 5))
        batch_size = int(rng.integers(2, n))
        while n % batch_size == 0:  # a shorter last batch, so that dropping it shows
            batch_size = int(rng.integers(2, n))
        X = rng.normal(size=(n, d))
        y = X @ rng.normal(size=(d, 1)) + rng.normal(0, 0.3, size=(n, 1))
        return rng.normal(size=(d, 1)), X, y, batch_size, float(rng.uniform(0.01, 0.1)), int(rng.integers(1000))

    mistakes = {
        "the rows in their stored order: the permutation is not used": lambda *a: epoch(*a, shuffle=False),
        "the last, shorter batch left out": lambda *a: epoch(*a, keep_last=False),
        "the gradient of the whole set at every step: full-batch descent, n / B times": lambda *a: epoch(
            *a, whole=True
        ),
        "a new permutation drawn for every batch: each epoch must visit every row once": lambda *a: epoch(
            *a, fresh=True
        ),
        "the last batch's gradient divided by batch_size, though it holds fewer rows": lambda *a: epoch(*a, by_b=True),
        "a single step, on the first batch only": lambda w, X, y, batch_size, learning_rate, seed: (
            w - learning_rate * gradient(w, *first_batch(X, y, batch_size, seed))
        ),
        "the gradient summed over the batch, not averaged: the 1/B of the mean is missing": lambda *a: epoch(
            *a, scale="sum"
        ),
        "the gradient without the factor 2 of the squared error": lambda *a: epoch(*a, scale="half"),
        "the order of np.random.seed(seed) and np.random.permutation, the old generator: the exercise asks for "
        "np.random.default_rng(seed).permutation(n)": lambda *a: epoch(*a, legacy=True),
    }
    return check_function(
        "sgd_epoch",
        sgd_epoch,
        epoch,
        inputs,
        seed=8,
        mistakes=mistakes,
        forbidden=(training.train, sweep.train_many),
    )
