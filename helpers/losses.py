"""Losses with their gradients with respect to the predictions.

Shapes: predictions and targets are (n, k) (or a stack (..., n, k)); the loss is
the mean over all n*k entries, one number per stack member.
"""

from collections.abc import Callable
from typing import NamedTuple

import numpy as np

from ._validate import as_float_array

# Predictions are kept this far from 0 and 1 inside log() so cross-entropy stays finite.
PROBABILITY_FLOOR = 1e-12


def _check_pair(predictions, targets, probabilities=False):
    predictions = as_float_array("predictions", predictions)
    targets = as_float_array("targets", targets)
    if predictions.ndim < 2:
        raise ValueError(f"predictions must be 2-D (n, k), got shape {predictions.shape}")
    if targets.shape != predictions.shape[-targets.ndim :] or targets.ndim < 2:
        raise ValueError(
            f"targets must have the shape of predictions {predictions.shape[-2:]}, got shape {targets.shape}"
        )
    if probabilities:
        if np.any((targets < 0) | (targets > 1)):
            raise ValueError("targets must lie in [0, 1] for cross-entropy, got values outside it")
        if np.any((predictions < 0) | (predictions > 1)):
            raise ValueError("predictions must lie in [0, 1] for cross-entropy, got values outside it")
    return predictions, targets


def _mse(a, y):
    return _mse_value_and_gradient(a, y)[0]


def _mse_gradient(a, y):
    return _mse_value_and_gradient(a, y)[1]


def _mse_value_and_gradient(a, y):
    error = a - y
    count = a.shape[-2] * a.shape[-1]
    # For one network the sum of squares is a single dot product, the training loop's cheapest form.
    squares = error.ravel() @ error.ravel() if error.ndim == 2 else (error * error).sum(axis=(-2, -1))
    return squares / count, error * (2.0 / count)


def _bce(a, y):
    a = np.clip(a, PROBABILITY_FLOOR, 1.0 - PROBABILITY_FLOOR)
    return -(y * np.log(a) + (1.0 - y) * np.log(1.0 - a)).sum(axis=(-2, -1)) / (a.shape[-2] * a.shape[-1])


def _bce_gradient(a, y):
    a = np.clip(a, PROBABILITY_FLOOR, 1.0 - PROBABILITY_FLOOR)
    return (a - y) / (a * (1.0 - a)) / (a.shape[-2] * a.shape[-1])


def _bce_value_and_gradient(a, y):
    return _bce(a, y), _bce_gradient(a, y)


def mean_squared_error(predictions, targets):
    """L = mean((a - y)^2). predictions, targets: (n, k). Returns a float."""
    a, y = _check_pair(predictions, targets)
    return _mse(a, y)[()]


def mean_squared_error_gradient(predictions, targets):
    """dL/da = 2 (a - y) / (n k), shape (n, k)."""
    a, y = _check_pair(predictions, targets)
    return _mse_gradient(a, y)


def binary_cross_entropy(predictions, targets):
    """L = -mean(y log a + (1 - y) log(1 - a)), finite even at a = 0 or 1. Returns a float."""
    a, y = _check_pair(predictions, targets, probabilities=True)
    return _bce(a, y)[()]


def binary_cross_entropy_gradient(predictions, targets):
    """dL/da = (a - y) / (a (1 - a)) / (n k), shape (n, k)."""
    a, y = _check_pair(predictions, targets, probabilities=True)
    return _bce_gradient(a, y)


class Loss(NamedTuple):
    """A loss, its gradient dL/da, and both at once (the training loop's call); all unchecked."""

    value: Callable
    gradient: Callable
    value_and_gradient: Callable
    needs_probabilities: bool


LOSSES = {
    "mse": Loss(_mse, _mse_gradient, _mse_value_and_gradient, False),
    "cross_entropy": Loss(_bce, _bce_gradient, _bce_value_and_gradient, True),
}


def get_loss(name):
    """The Loss called `name` ('mse' or 'cross_entropy'), or a ValueError listing the choices."""
    if not isinstance(name, str) or name not in LOSSES:
        raise ValueError(f"loss must be one of {sorted(LOSSES)}, got {name!r}")
    return LOSSES[name]
