"""Activation functions, their derivatives, output ranges and inverses.

The public functions work elementwise on arrays of any shape, check their input once and return
float64. Each derivative is given twice: from the pre-activation `z`, and from the output
`a = f(z)`, which is what backpropagation has at hand after the forward pass. The network's own
passes use the unchecked functions through ACTIVATIONS.

softmax is the one activation that is not elementwise: each of its K outputs depends on the whole
row of z. It serves only as an output layer, trained with cross-entropy, so it lives apart, in
OUTPUT_ACTIVATIONS, with no slope of its own.
"""

from collections.abc import Callable
from typing import NamedTuple

import numpy as np

from ._validate import as_float_array, check_choice


def _sigmoid(z):
    # 1 / (1 + e^-z) = exp(-log(1 + e^-z)); logaddexp(0, -z) computes log(1 + e^-z) without
    # forming e^-z, so z = -1000 gives exp(-1000) = 0.0 (an underflow, ignored by numpy's default
    # settings and by training), never an overflow.
    return np.exp(-np.logaddexp(0.0, -z))


def _sigmoid_slope(a):
    return a * (1.0 - a)


def _tanh_slope(a):
    return 1.0 - a * a


def _relu(z):
    return np.maximum(z, 0.0)


def _relu_slope(a):
    return (a > 0).astype(np.float64)


def _identity(z):
    return z


def _ones(z):
    return np.ones_like(z)


def _inverse(function, low, high):
    """f^-1 on the open range (low, high) of an activation's outputs; NaN outside it."""

    def inverse(a):
        a = np.asarray(a, dtype=np.float64)
        z = np.full(a.shape, np.nan)
        inside = (a > low) & (a < high)
        z[inside] = function(a[inside])
        return z[()]

    return inverse


class Activation(NamedTuple):
    """An activation (unchecked, on float64 arrays) with its derivative from z and from its output a,
    the range (low, high) of its outputs (None where unbounded), and its inverse (NaN outside the range)."""

    function: Callable
    derivative: Callable
    derivative_from_output: Callable
    output_range: tuple
    inverse: Callable


ACTIVATIONS = {
    "sigmoid": Activation(
        _sigmoid,
        lambda z: _sigmoid_slope(_sigmoid(z)),
        _sigmoid_slope,
        (0.0, 1.0),
        _inverse(lambda a: np.log(a) - np.log1p(-a), 0.0, 1.0),
    ),
    "tanh": Activation(
        np.tanh, lambda z: _tanh_slope(np.tanh(z)), _tanh_slope, (-1.0, 1.0), _inverse(np.arctanh, -1, 1)
    ),
    # ReLU is invertible only where it is positive.
    "relu": Activation(_relu, _relu_slope, _relu_slope, (0.0, None), _inverse(_identity, 0.0, np.inf)),
    "identity": Activation(_identity, _ones, _ones, (None, None), _inverse(_identity, -np.inf, np.inf)),
}


def _softmax(z):
    # e^z / sum(e^z) along the last axis. Subtracting each row's largest z changes nothing (the factor
    # e^-max cancels) and keeps every exponent <= 0: no overflow at z = 1000, and the largest term is 1.
    e = np.exp(z - z.max(axis=-1, keepdims=True))
    return e / e.sum(axis=-1, keepdims=True)


# The activations an output layer may use: every elementwise one, and softmax. Softmax has no
# elementwise slope (derivative and derivative_from_output are None) and no inverse: its gradient
# is taken only through cross-entropy, whose dL/dz = (softmax(z) - y) / n skips it (see losses.py).
OUTPUT_ACTIVATIONS = {**ACTIVATIONS, "softmax": Activation(_softmax, None, None, (0.0, 1.0), None)}


def get_activation(name):
    """The Activation called `name` (one of ACTIVATIONS), or a ValueError listing the choices."""
    return ACTIVATIONS[check_choice("activation", name, ACTIVATIONS)]


def _z(z):
    return as_float_array("z", z, allow_infinite=True)


def _output(a, name, low, high):
    """The output a of activation `name`, which must lie in [low, high]."""
    a = as_float_array("a", a)
    if np.any((a < low) | (a > high)):
        raise ValueError(f"a must be an output of {name}, in [{low:g}, {high:g}], got values outside it")
    return a


def sigmoid(z):
    """1 / (1 + exp(-z)), computed without overflow for any z."""
    return _sigmoid(_z(z))


def sigmoid_derivative(z):
    """d sigmoid / dz, from the pre-activation z."""
    return ACTIVATIONS["sigmoid"].derivative(_z(z))


def sigmoid_derivative_from_output(a):
    """d sigmoid / dz, from the output a = sigmoid(z) in [0, 1]: a (1 - a). Give it a, never z."""
    return _sigmoid_slope(_output(a, "sigmoid", 0.0, 1.0))


def tanh(z):
    """Hyperbolic tangent."""
    return np.tanh(_z(z))


def tanh_derivative(z):
    """d tanh / dz = 1 - tanh(z)^2, from z."""
    return ACTIVATIONS["tanh"].derivative(_z(z))


def tanh_derivative_from_output(a):
    """d tanh / dz from the output a = tanh(z) in [-1, 1]: 1 - a^2."""
    return _tanh_slope(_output(a, "tanh", -1.0, 1.0))


def relu(z):
    """max(0, z)."""
    return _relu(_z(z))


def relu_derivative(z):
    """d relu / dz: 1 where z > 0, else 0 (the kink at 0 takes 0)."""
    return _relu_slope(_z(z))


def relu_derivative_from_output(a):
    """d relu / dz from the output a = relu(z) >= 0: 1 where a > 0, else 0."""
    return _relu_slope(_output(a, "relu", 0.0, np.inf))


def softmax(z):
    """e^z / sum(e^z) along the last axis: z (n, K) -> (n, K), each row positive and summing to 1.

    Computed from z minus its row's largest entry, so no logit overflows (z = 1000 is fine).
    Any shape (..., K) works; the last axis holds the K classes.
    """
    z = as_float_array("z", z)
    if z.ndim == 0 or z.shape[-1] == 0:
        raise ValueError(f"z must have at least one class along its last axis, got shape {z.shape}")
    return _softmax(z)
