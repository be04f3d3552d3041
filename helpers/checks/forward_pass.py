"""Checks for the exercises of notebook 01, the forward pass of one neuron.

Each check computes what it compares against here, on seeded random inputs the page never shows, prints one
verdict and returns True or False.
"""

import math

import numpy as np

from .. import activations, network, sweep, training
from ..exercises import check_array, check_function, check_number, not_answered
from .common import CORNERS, refuse_helper, sigmoid


def output_a(answer):
    """Exercise 1: the output a of the neuron w = (-1.2, 0.7), b = 0.3 at x = (2, -1), to 3 digits."""
    w1, w2, b, x1, x2 = -1.2, 0.7, 0.3, 2.0, -1.0
    z = w1 * x1 + w2 * x2 + b
    mistakes = {
        "z, before the sigmoid": z,
        "sigma(-z): the sign in the exponent is flipped": 1 / (1 + math.exp(z)),
        "the bias is left out": 1 / (1 + math.exp(-(z - b))),
        "e^(-z) without the 1 / (1 + ...)": math.exp(-z),
        "the output at x = (1, 1), not at x = (2, -1)": 1 / (1 + math.exp(-(w1 + w2 + b))),
        "x2 = +1 where the input has x2 = -1": 1 / (1 + math.exp(-(w1 * x1 + w2 + b))),
    }
    hint = "compute z = w1 x1 + w2 x2 + b first (mind the signs), then a = 1 / (1 + e^(-z))."
    return check_number("output a", answer, 1 / (1 + math.exp(-z)), tolerance=1e-3, mistakes=mistakes, hint=hint)


def _as_three_numbers(answer):
    """(w1, w2, b) as floats, or None when `answer` is not three finite real numbers."""
    if isinstance(answer, str):
        return None
    try:
        values = np.asarray(answer, dtype=np.float64)
    except (TypeError, ValueError, OverflowError):
        return None
    return tuple(float(v) for v in values) if values.shape == (3,) and np.all(np.isfinite(values)) else None


def and_neuron(answer, seed=0):
    """Exercise 2: (w1, w2, b) whose output is below 0.1 at (0, 0), (0, 1), (1, 0) and above 0.9 at (1, 1)."""
    name = "AND neuron"
    parameters = _as_three_numbers(answer)
    if not_answered(answer) or parameters is None:
        # check_array says what is wrong with an answer that is not three numbers (blank, text, a shape).
        return check_array(name, answer, np.zeros(3))
    w1, w2, b = parameters

    def decisions(X):  # 1 for a clear yes (a > 0.9), 0 for a clear no (a < 0.1), 0.5 in between
        a = sigmoid(X @ np.array([[w1], [w2]]) + b)
        return np.where(a > 0.9, 1.0, np.where(a < 0.1, 0.0, 0.5))

    def sides(X):  # 1 where z > 0, 0 where z < 0, 0.5 on the line: the gate the line draws, sharp or not
        return np.sign(X @ np.array([[w1], [w2]]) + b) / 2 + 0.5

    and_gate = lambda X: X.min(axis=1, keepdims=True)  # noqa: E731
    mistakes = {
        "an OR gate: the bias is not negative enough": lambda X: X.max(axis=1, keepdims=True),
        "NOT AND: every sign is flipped": lambda X: 1 - X.min(axis=1, keepdims=True),
        "'no' everywhere: even at (1, 1) z is below 0": lambda X: 0 * X[:, :1],
        "AND, except that z = 0 exactly at (1, 1)": lambda X: X.min(axis=1, keepdims=True) / 2,
        "a line through (0, 1) and (1, 0): z = 0 exactly there, so those two are on neither side": lambda X: np.where(
            X.sum(axis=1, keepdims=True) == 1, 0.5, X.min(axis=1, keepdims=True)
        ),
    }
    mistakes |= {f"a copy of x{k + 1}: one input alone decides": lambda X, k=k: X[:, [k]] for k in range(2)}
    if np.all(sides(CORNERS) == and_gate(CORNERS)):
        # The line is right; what is left to judge is how sharp the neuron is.
        mistakes = {"AND, but not sharp enough: make all three numbers larger, keeping their ratio": decisions}
        judged = decisions
    else:
        judged = sides
    return check_function(
        name,
        judged,
        and_gate,
        lambda rng: (rng.permutation(CORNERS),),
        trials=4,
        seed=seed,
        mistakes=mistakes,
        hint="z must be at least ln 9 = 2.2 at (1, 1) and at most -2.2 at the other three corners.",
    )


def neuron_output(function, seed=0):
    """Exercise 3: neuron_output(X, w, b) = sigma(X w + b) for X (n, d), w (d, 1), b a number; (n, 1)."""

    def batch(rng):
        n, d = rng.integers(1, 8, size=2)
        return rng.normal(size=(n, d)), rng.normal(size=(d, 1)), float(rng.normal())

    mistakes = {
        "the bias is left out": lambda X, w, b: sigmoid(X @ w),
        "the sigmoid is not applied": lambda X, w, b: X @ w + b,
        "sigma(-(Xw + b)): a sign is flipped": lambda X, w, b: sigmoid(-(X @ w + b)),
    }
    # Every helper that runs a network forward does the whole job.
    forbidden = [network.predict, network.forward, network.forward_pass, network.loss_value, network.accuracy]
    forbidden += [training.train, sweep.train_many, activations.get_activation]
    if refuse_helper("neuron_output", function):
        return False
    return check_function(
        "neuron_output",
        function,
        lambda X, w, b: sigmoid(X @ w + b),
        batch,
        seed=seed,
        mistakes=mistakes,
        forbidden=forbidden,
        hint="X @ w has shape (n, 1); add b, then apply the sigmoid.",
    )
