"""Activation functions and their derivatives.

Every function works elementwise on arrays of any shape and returns float64.
Each derivative is given twice: from the pre-activation `z`, and from the output
`a = f(z)`, which is what backpropagation has at hand after the forward pass.
"""

from collections.abc import Callable
from typing import NamedTuple

import numpy as np


def sigmoid(z):
    """1 / (1 + exp(-z)), computed without overflow for any finite z."""
    # 1 / (1 + e^-z) = exp(-log(1 + e^-z)); logaddexp(0, -z) computes log(1 + e^-z) without
    # forming e^-z, so z = -1000 gives exp(-1000) = 0.0 (a harmless underflow), never an overflow.
    return np.exp(-np.logaddexp(0.0, -np.asarray(z, dtype=np.float64)))


def sigmoid_derivative(z):
    """d sigmoid / dz, from the pre-activation z."""
    s = sigmoid(z)
    return s * (1.0 - s)


def sigmoid_derivative_from_output(a):
    """d sigmoid / dz, from the output a = sigmoid(z): a (1 - a). Give it a, never z."""
    a = np.asarray(a, dtype=np.float64)
    return a * (1.0 - a)


def tanh(z):
    """Hyperbolic tangent."""
    return np.tanh(np.asarray(z, dtype=np.float64))


def tanh_derivative(z):
    """d tanh / dz = 1 - tanh(z)^2, from z."""
    return 1.0 - np.tanh(np.asarray(z, dtype=np.float64)) ** 2


def tanh_derivative_from_output(a):
    """d tanh / dz from the output a = tanh(z): 1 - a^2."""
    return 1.0 - np.asarray(a, dtype=np.float64) ** 2


def relu(z):
    """max(0, z)."""
    return np.maximum(np.asarray(z, dtype=np.float64), 0.0)


def relu_derivative(z):
    """d relu / dz: 1 where z > 0, else 0 (the kink at 0 takes 0)."""
    return (np.asarray(z, dtype=np.float64) > 0).astype(np.float64)


def relu_derivative_from_output(a):
    """d relu / dz from the output a = relu(z): 1 where a > 0, else 0."""
    return (np.asarray(a, dtype=np.float64) > 0).astype(np.float64)


def identity(z):
    """z itself: a layer with no non-linearity."""
    return np.asarray(z, dtype=np.float64)


def identity_derivative(z):
    """d z / dz = 1."""
    return np.ones_like(np.asarray(z, dtype=np.float64))


class Activation(NamedTuple):
    """An activation with its derivative from z and from its output a."""

    function: Callable
    derivative: Callable
    derivative_from_output: Callable


ACTIVATIONS = {
    "sigmoid": Activation(sigmoid, sigmoid_derivative, sigmoid_derivative_from_output),
    "tanh": Activation(tanh, tanh_derivative, tanh_derivative_from_output),
    "relu": Activation(relu, relu_derivative, relu_derivative_from_output),
    "identity": Activation(identity, identity_derivative, identity_derivative),
}


def get_activation(name):
    """The Activation called `name` (one of ACTIVATIONS), or a ValueError listing the choices."""
    if not isinstance(name, str) or name not in ACTIVATIONS:
        raise ValueError(f"activation must be one of {sorted(ACTIVATIONS)}, got {name!r}")
    return ACTIVATIONS[name]
