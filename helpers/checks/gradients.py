"""Checks for the exercises of notebook 02, gradients by the chain rule.

Each check computes what it compares against here, on seeded random inputs the page never shows, prints one
verdict and returns True or False.
"""

import numpy as np

from .. import activations, engine, gradcheck, losses, network, sweep, training
from ..exercises import check_array, check_function
from .common import refuse_helper, sigmoid

# The neuron of the notebook: w1, w2, b, picked by hand there.
W1, W2, B = 0.5, -0.4, 0.1


def _finite_differences(function, step, central=True):
    """An estimate of function's slope by differences with this step, centred or forward."""
    if central:
        return lambda z: (function(z + step) - function(z - step)) / (2 * step)
    return lambda z: (function(z + step) - function(z)) / step


# The helpers that differentiate, or compute a loss that finite differences could differentiate.
_DIFFERENTIATORS = [
    gradcheck.numerical_derivative,
    gradcheck.numerical_gradients,
    gradcheck.gradient_check,
    network.backward,
    network.backward_pass,
    network.output_gradient,
    training.train,
    sweep.train_many,
    engine.Value,
    activations.get_activation,
]


def _table_slopes():
    """The slopes in helpers' activation tables (ACTIVATIONS['tanh'].derivative, ...), and the sigmoid the
    table holds: each reached through the table does an exercise's differentiating as well as by name."""
    table = activations.OUTPUT_ACTIVATIONS
    slopes = [f for entry in table.values() for f in (entry.derivative, entry.derivative_from_output) if f]
    return [*slopes, table["sigmoid"].function]


def gradient_row(answer):
    """Exercise 1: [dL/dw1, dL/dw2, dL/db] of (a - y)^2 on the XOR row x = (0, 1), y = 1, of the neuron above."""
    x, target = np.array([0.0, 1.0]), 1.0
    z = W1 * x[0] + W2 * x[1] + B
    a = sigmoid(z)
    dz = np.array([x[0], x[1], 1.0])  # dz/dw1, dz/dw2, dz/db
    right = 2 * (a - target) * a * (1 - a) * dz
    X, y = np.array([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]]), np.array([[0.0], [1.0], [1.0], [0.0]])
    outputs = sigmoid(X @ np.array([[W1], [W2]]) + B)
    delta = 2 / 4 * (outputs - y) * outputs * (1 - outputs)
    mistakes = {
        "the factor 2 of (a - y)^2 is missing": right / 2,
        "a 1/n, but this loss is one example's": right / 4,
        "sigma'(z) is missing": 2 * (a - target) * dz,
        "z(1 - z) where a(1 - a) belongs": 2 * (a - target) * z * (1 - z) * dz,
        "dz/dw1 = 1, but x1 = 0 on this row": right[2] * np.ones(3),
        "the gradient of the whole batch, not of this row": np.append((X.T @ delta).ravel(), delta.sum()),
        "the gradient of the row (1, 1) with target 0": 2
        * sigmoid(W1 + W2 + B) ** 2
        * (1 - sigmoid(W1 + W2 + B))
        * np.ones(3),
    }
    hint = "dL/da = 2(a - y), da/dz = a(1 - a), and dz/dw1 = x1, dz/dw2 = x2, dz/db = 1."
    return check_array("gradient on the row (0, 1)", answer, right, tolerance=1e-5, mistakes=mistakes, hint=hint)


def tanh_derivative(function, seed=0):
    """Exercise 2: d tanh/dz at every entry of an array, exactly (from tanh(z) alone), without helpers."""

    def band(rng):  # a narrow band of z somewhere in [-8, 8]: far out, an estimate loses its digits
        return (rng.uniform(-8.0, 8.0) + rng.normal(scale=0.3, size=rng.integers(1, 20)),)

    t = np.tanh
    mistakes = {
        "1 - tanh(z): the square is missing": lambda z: 1 - t(z),
        "tanh(z)(1 - tanh(z)): the sigmoid's form": lambda z: t(z) * (1 - t(z)),
        "1 + tanh(z)^2: a sign is flipped": lambda z: 1 + t(z) ** 2,
        "1 - z^2: z where tanh(z) belongs": lambda z: 1 - z**2,
    }
    for step in (1e-3, 1e-4, 1e-5, 1e-6, 1e-7, 1e-8):
        for central in (True, False):
            kind = "a centred" if central else "a one-sided"
            description = (
                f"{kind} finite difference with step {step:g} (an estimate): the exercise asks for the exact slope"
            )
            mistakes.setdefault(description, _finite_differences(t, step, central))
    # Every helper that knows the slope of tanh (or of the sigmoid: tanh'(z) = 4 sigma'(2z)) or estimates one.
    forbidden = [
        activations.tanh,
        activations.tanh_derivative,
        activations.tanh_derivative_from_output,
        activations.sigmoid,
        activations.sigmoid_derivative,
        activations.sigmoid_derivative_from_output,
        *_table_slopes(),
        sigmoid,  # this module's own
        *_DIFFERENTIATORS,
    ]
    if refuse_helper("my_tanh_derivative", function):
        return False
    return check_function(
        "my_tanh_derivative",
        function,
        lambda z: 1 / np.cosh(z) ** 2,
        band,
        seed=seed,
        mistakes=mistakes,
        forbidden=forbidden,
        tolerance=1e-8,
        hint="differentiate sinh/cosh by the quotient rule, then write the exact result with tanh(z) alone "
        "(an estimate such as a finite difference is close, but not exact).",
    )


def cross_entropy_grad_w(function, seed=0):
    """Exercise 3: dL/dw of the mean binary cross-entropy of sigma(X w + b); X (n, d), y (n, 1), w (d, 1)."""

    def batch(rng):
        n, d = rng.integers(1, 9), rng.integers(1, 5)
        X, w = rng.normal(size=(n, d)), rng.normal(size=(d, 1))
        return X, rng.integers(0, 2, size=(n, 1)).astype(float), w, float(rng.normal())

    def gradient(delta):  # X^T delta, where delta(a, y, n) is dL/dz
        return lambda X, y, w, b: X.T @ delta(sigmoid(X @ w + b), y, len(X))

    mistakes = {
        "the squared error's gradient, not the cross-entropy's": gradient(
            lambda a, y, n: 2 * (a - y) * a * (1 - a) / n
        ),
        "sigma'(z) kept: it cancels": gradient(lambda a, y, n: (a - y) * a * (1 - a) / n),
        "the 1/n is missing": gradient(lambda a, y, n: a - y),
        "y - a: the sign is flipped": gradient(lambda a, y, n: (y - a) / n),
        "a mean over the d inputs where the mean is over the n examples (rows of X)": lambda X, y, w, b: (
            X.T @ (sigmoid(X @ w + b) - y) / X.shape[1]
        ),
    }
    # Every helper that differentiates a loss, or computes the cross-entropy for finite differences to use.
    forbidden = [
        losses.binary_cross_entropy,
        losses.cross_entropy,
        losses.cross_entropy_gradient,
        losses.cross_entropy_value_and_gradient,
        # Two classes of a softmax, logits (0, z), are the sigmoid's: its gradient's second column is (a - y) / n.
        losses.softmax_cross_entropy,
        losses.softmax_cross_entropy_gradient,
        losses.softmax_cross_entropy_value_and_gradient,
        losses.get_loss,
        network.loss_value,
        *_DIFFERENTIATORS,
    ]
    if refuse_helper("cross_entropy_grad_w", function):
        return False
    return check_function(
        "cross_entropy_grad_w",
        function,
        gradient(lambda a, y, n: (a - y) / n),
        batch,
        seed=seed,
        mistakes=mistakes,
        forbidden=forbidden,
        tolerance=1e-10,
        hint="a = sigma(Xw + b), then the exact dL/dz of each row, then X^T times it "
        "(an estimate such as a finite difference is close, but not exact).",
    )
