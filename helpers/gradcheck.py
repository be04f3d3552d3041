"""Gradient checking: compare backpropagation with central finite differences.

    dL/dp  ~  (L(p + eps) - L(p - eps)) / (2 eps)

relative_error compares two gradients entry by entry, |a - b| / max(|a|, |b|). gradient_check
measures each parameter's disagreement against the scale of the whole gradient instead: the
finite differences carry a round-off error of about float64's eps * |L| / eps_step (~1e-11 for a
loss near 1), the same for every parameter, so an entry whose gradient is itself ~1e-9 (the first
layers of a deep sigmoid network) would show a large *relative* error although nothing is wrong.
"""

import numpy as np

from ._validate import as_float_array, check_positive_number
from .network import backward, check_network_data, forward_pass

# Below this size both gradients count as zero, so round-off on ~0 is not a "relative" error.
GRADIENT_FLOOR = 1e-10


def relative_error(analytic, numeric):
    """Elementwise |a - b| / max(|a|, |b|), with a floor so two near-zero values agree.

    analytic, numeric: arrays of one shape; returns an array of that shape.
    """
    analytic = as_float_array("analytic", analytic)
    numeric = as_float_array("numeric", numeric)
    if analytic.shape != numeric.shape:
        raise ValueError(f"analytic and numeric must have the same shape, got {analytic.shape} and {numeric.shape}")
    scale = np.maximum(np.maximum(np.abs(analytic), np.abs(numeric)), GRADIENT_FLOOR)
    return np.abs(analytic - numeric) / scale


def numerical_derivative(function, z, epsilon=1e-6):
    """Central difference of an elementwise function f at every entry of z (same shape as z)."""
    if not callable(function):
        raise TypeError(f"function must be callable (e.g. helpers.sigmoid), got {type(function).__name__}")
    epsilon = check_positive_number("epsilon", epsilon)
    z = as_float_array("z", z)
    return (np.asarray(function(z + epsilon)) - np.asarray(function(z - epsilon))) / (2.0 * epsilon)


def numerical_gradients(network, X, y, loss="mse", epsilon=1e-5):
    """dL/dp for every parameter by central differences: {'W1': ..., 'b1': ..., ...}.

    network: a single network (no stack axis); X: (n, n_inputs), y: (n, n_outputs).
    """
    X, y, loss_ = check_network_data(network, X, y, loss, single=True)
    epsilon = check_positive_number("epsilon", epsilon)
    probe = network.copy()

    def loss_now():
        outputs, z = forward_pass(probe, X)
        return float(loss_.value_and_gradient(z if loss_.on_logits else outputs[-1], y)[0])

    gradients = {}
    for name, p in probe.parameters().items():
        grad = np.zeros_like(p)
        for index in np.ndindex(p.shape):
            original = p[index]
            p[index] = original + epsilon
            plus = loss_now()
            p[index] = original - epsilon
            minus = loss_now()
            p[index] = original
            grad[index] = (plus - minus) / (2.0 * epsilon)
        gradients[name] = grad
    return gradients


def gradient_check(network, X, y, loss="mse", epsilon=1e-5):
    """How far backward() is from finite differences, per parameter, on the scale of the whole gradient.

    For each parameter: max |analytic - numeric| over its entries, divided by the largest |entry| of
    the whole gradient (every parameter, analytic or numeric; at least GRADIENT_FLOOR). A correct
    backward pass gives ~1e-10 however small one layer's gradient is; a wrong one gives a large value
    wherever the gradient it gets wrong matters for the step. A bug confined to a parameter whose
    gradient is tiny gives a value as small as that gradient's share of the whole (still well above
    round-off). network: a single network; X: (n, n_inputs), y: (n, n_outputs).
    Returns {'W1': float, 'b1': float, ...}.
    """
    analytic = backward(network, X, y, loss)
    numeric = numerical_gradients(network, X, y, loss, epsilon)
    scale = max(max(np.abs(analytic[name]).max(), np.abs(numeric[name]).max()) for name in analytic)
    scale = max(float(scale), GRADIENT_FLOOR)
    return {name: float(np.abs(analytic[name] - numeric[name]).max() / scale) for name in analytic}
