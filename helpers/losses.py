"""Losses with their gradients.

Shapes: outputs and targets are (n, k) (or a stack (..., n, k)); the loss is the mean over all
n*k entries, one number per stack member.

MSE works on the network's output a. Cross-entropy works on the logit z of a sigmoid output
layer, a = sigmoid(z):

    L = mean(log(1 + e^z) - y z),    dL/dz = (sigmoid(z) - y) / (n k)

log(1 + e^z) is computed without forming e^z (like np.logaddexp(0, z)), exact for any z, so a
confidently wrong output gives a large loss (about |z|) and a gradient of full size, never a
clipped or vanishing one: the sigmoid's slope has cancelled out of dL/dz.

For K classes the output layer is a softmax, p = softmax(z) along each row, the targets y are
one-hot rows (or rows of probabilities), and cross-entropy is the mean over the n rows:

    L = mean_i( -sum_k y_ik log p_ik ),    dL/dz = (softmax(z) - y) / n

log p is computed from z with the log-sum-exp of the row, shifted by its largest entry, so it is
exact at any z. With K = 2 it is the sigmoid's cross-entropy on the logit z_1 - z_2.
"""

from collections.abc import Callable
from typing import NamedTuple

import numpy as np

from ._validate import as_float_array, check_choice, check_class_rows
from .activations import ACTIVATIONS, OUTPUT_ACTIVATIONS


def _check_pair(name, values, targets, probabilities=False):
    values = as_float_array(name, values)
    targets = as_float_array("targets", targets)
    if values.ndim != 2 or values.size == 0:
        raise ValueError(f"{name} must be a non-empty 2-D array (n, k), got shape {values.shape}")
    if targets.shape != values.shape:
        raise ValueError(f"targets must have the shape of {name} {values.shape}, got shape {targets.shape}")
    if probabilities and np.any((targets < 0) | (targets > 1)):
        raise ValueError("targets must lie in [0, 1] for cross-entropy, got values outside it")
    return values, targets


def mse_value_and_gradient(a, y):
    """Unchecked MSE and dL/da for outputs a and targets y: (..., n, k)."""
    error = a - y
    count = a.shape[-2] * a.shape[-1]
    # For one network the sum of squares is a single dot product, the training loop's cheapest form.
    squares = np.vdot(error, error) if error.ndim == 2 else (error * error).sum(axis=(-2, -1))
    return squares / count, error * (2.0 / count)


def cross_entropy_value_and_gradient(z, y):
    """Unchecked cross-entropy and dL/dz for logits z and targets y: (..., n, k)."""
    count = z.shape[-2] * z.shape[-1]
    # log(1 + e^z) - y z written as max(z, 0) - y z + log(1 + e^-|z|): exact for a confidently wrong z
    # (about |z|) and for a confidently right one (about e^-|z|, which a difference of logs would round to 0).
    value = (np.maximum(z, 0.0) - y * z + np.log1p(np.exp(-np.abs(z)))).sum(axis=(-2, -1)) / count
    return value, (ACTIVATIONS["sigmoid"].function(z) - y) / count


def softmax_cross_entropy_value_and_gradient(z, y):
    """Unchecked softmax cross-entropy and dL/dz for logits z and target rows y: (..., n, K)."""
    shifted = z - z.max(axis=-1, keepdims=True)  # <= 0, with a 0 at each row's largest logit
    e = np.exp(shifted)
    # log sum_k e^shifted_k = log(1 + the other terms): log1p keeps a tiny sum of the others (a
    # confident row) instead of rounding 1 + it to 1, so a right answer costs e^-gap, not 0.
    others = e.copy()
    np.put_along_axis(others, shifted.argmax(axis=-1)[..., None], 0.0, axis=-1)
    log_p = shifted - np.log1p(others.sum(axis=-1, keepdims=True))
    count = z.shape[-2]
    value = -(y * log_p).sum(axis=(-2, -1)) / count
    return value, (e / e.sum(axis=-1, keepdims=True) - y) / count


class Loss(NamedTuple):
    """A loss: value_and_gradient(x, y) -> (L, dL/dx), unchecked; x is the output a, or the logit z
    of a sigmoid output layer when on_logits."""

    value_and_gradient: Callable
    on_logits: bool


LOSSES = {
    "mse": Loss(mse_value_and_gradient, False),
    "cross_entropy": Loss(cross_entropy_value_and_gradient, True),
}


# Cross-entropy on the logits of a softmax output layer: one loss per row over its K classes.
SOFTMAX_CROSS_ENTROPY = Loss(softmax_cross_entropy_value_and_gradient, True)


def get_loss(name, output_activation="sigmoid"):
    """The Loss called `name` ('mse' or 'cross_entropy'), or a ValueError listing the choices.

    output_activation: the network's output layer; 'cross_entropy' on a 'softmax' output is the
    softmax cross-entropy over each row, on any other the elementwise one of a sigmoid.
    """
    check_choice("output_activation", output_activation, OUTPUT_ACTIVATIONS)
    loss = LOSSES[check_choice("loss", name, LOSSES)]
    return SOFTMAX_CROSS_ENTROPY if loss.on_logits and output_activation == "softmax" else loss


def mean_squared_error(predictions, targets):
    """L = mean((a - y)^2). predictions, targets: (n, k). Returns a float."""
    return float(mse_value_and_gradient(*_check_pair("predictions", predictions, targets))[0])


def mean_squared_error_gradient(predictions, targets):
    """dL/da = 2 (a - y) / (n k), shape (n, k)."""
    return mse_value_and_gradient(*_check_pair("predictions", predictions, targets))[1]


def cross_entropy(logits, targets):
    """L = mean(log(1 + e^z) - y z) for the logits z of a sigmoid output, targets y in [0, 1]: a float.

    This equals -mean(y log a + (1 - y) log(1 - a)) with a = sigmoid(z), computed without ever
    forming log(a), so it stays exact where a rounds to 0 or 1.
    """
    return float(cross_entropy_value_and_gradient(*_check_pair("logits", logits, targets, True))[0])


def cross_entropy_gradient(logits, targets):
    """dL/dz = (sigmoid(z) - y) / (n k), shape (n, k)."""
    return cross_entropy_value_and_gradient(*_check_pair("logits", logits, targets, True))[1]


def binary_cross_entropy(predictions, targets):
    """L = -mean(y log a + (1 - y) log(1 - a)) for probabilities a in [0, 1]: a float.

    The textbook formula, computed as written: where a has rounded to exactly 0 or 1 on the wrong
    side of its target, log(0) makes the loss inf. That is why training computes cross-entropy
    from the logit instead (cross_entropy).
    """
    a, y = _check_pair("predictions", predictions, targets, True)
    if np.any((a < 0) | (a > 1)):
        raise ValueError("predictions must lie in [0, 1] for binary_cross_entropy, got values outside it")
    # 0 * log(0) counts as 0: a target of exactly 0 or 1 ignores the other term.
    with np.errstate(divide="ignore", invalid="ignore"):
        ones = np.where(y > 0, y * np.log(a), 0.0)
        zeros = np.where(y < 1, (1.0 - y) * np.log1p(-a), 0.0)
    return float(-(ones + zeros).mean())


def softmax_cross_entropy(logits, targets):
    """L = mean over the n rows of -sum_k y_k log softmax(z)_k: a float.

    logits z: (n, K); targets y: (n, K) one-hot rows (or rows of probabilities summing to 1).
    Computed with the log-sum-exp of each row, never forming log(softmax(z)) from a rounded
    probability, so a confidently wrong row costs about its gap in logits and a right one about 0.
    """
    z, y = _check_pair("logits", logits, targets, True)
    return float(softmax_cross_entropy_value_and_gradient(z, check_class_rows("targets", y))[0])


def softmax_cross_entropy_gradient(logits, targets):
    """dL/dz = (softmax(z) - y) / n, shape (n, K)."""
    z, y = _check_pair("logits", logits, targets, True)
    return softmax_cross_entropy_value_and_gradient(z, check_class_rows("targets", y))[1]
