"""Gradient checking: compare backpropagation with central finite differences.

    dL/dp  ~  (L(p + eps) - L(p - eps)) / (2 eps)

and report |analytic - numeric| / max(|analytic|, |numeric|) for each parameter.
"""

import numpy as np

from ._validate import check_positive_number
from .network import _require_network, backward, loss_value

# Below this size both gradients count as zero, so round-off on ~0 is not a "relative" error.
GRADIENT_FLOOR = 1e-10


def relative_error(analytic, numeric):
    """Elementwise |a - b| / max(|a|, |b|), with a floor so two near-zero values agree."""
    analytic = np.asarray(analytic, dtype=np.float64)
    numeric = np.asarray(numeric, dtype=np.float64)
    if analytic.shape != numeric.shape:
        raise ValueError(f"analytic and numeric must have the same shape, got {analytic.shape} and {numeric.shape}")
    scale = np.maximum(np.maximum(np.abs(analytic), np.abs(numeric)), GRADIENT_FLOOR)
    return np.abs(analytic - numeric) / scale


def numerical_derivative(function, z, epsilon=1e-6):
    """Central difference of an elementwise function f at every entry of z (same shape as z)."""
    epsilon = check_positive_number("epsilon", epsilon)
    z = np.asarray(z, dtype=np.float64)
    return (function(z + epsilon) - function(z - epsilon)) / (2.0 * epsilon)


def numerical_gradients(network, X, y, loss="mse", epsilon=1e-5):
    """dL/dp for every parameter by central differences: {'W1': ..., 'b1': ..., ...}.

    network: a single network (no stack axis); X: (n, n_inputs), y: (n, n_outputs).
    """
    epsilon = check_positive_number("epsilon", epsilon)
    probe = _require_network(network).copy()
    gradients = {}
    for name, p in probe.parameters().items():
        grad = np.zeros_like(p)
        for index in np.ndindex(p.shape):
            original = p[index]
            p[index] = original + epsilon
            plus = loss_value(probe, X, y, loss)
            p[index] = original - epsilon
            minus = loss_value(probe, X, y, loss)
            p[index] = original
            grad[index] = (plus - minus) / (2.0 * epsilon)
        gradients[name] = grad
    return gradients


def gradient_check(network, X, y, loss="mse", epsilon=1e-5):
    """Largest relative error between backward() and finite differences, per parameter name."""
    analytic = backward(network, X, y, loss)
    numeric = numerical_gradients(network, X, y, loss, epsilon)
    return {name: float(relative_error(analytic[name], numeric[name]).max()) for name in analytic}
