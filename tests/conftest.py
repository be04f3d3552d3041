"""Shared fixtures and an independent finite-difference helper for the tests."""

import numpy as np
import pytest

import helpers


def central_difference(function, z, epsilon=1e-6):
    """d function / dz entry by entry, by (f(z + eps) - f(z - eps)) / (2 eps); independent of helpers.gradcheck.

    `function` maps an array to an array of the same shape (elementwise) or to a float (a loss).
    """
    z = np.array(z, dtype=np.float64)
    out = np.asarray(function(z))
    if out.shape == z.shape:
        return (function(z + epsilon) - function(z - epsilon)) / (2.0 * epsilon)
    gradient = np.zeros_like(z)
    for index in np.ndindex(z.shape):
        step = np.zeros_like(z)
        step[index] = epsilon
        gradient[index] = (function(z + step) - function(z - step)) / (2.0 * epsilon)
    return gradient


@pytest.fixture
def finite_difference():
    """The central_difference function above, for tests that compare a derivative with it."""
    return central_difference


@pytest.fixture
def xor_data():
    """The XOR truth table: X (4, 2), y (4, 1)."""
    return helpers.xor()


@pytest.fixture
def rng():
    """A seeded generator, so every test sees the same numbers."""
    return np.random.default_rng(1234)


@pytest.fixture
def neuron():
    """One sigmoid neuron [2, 1] with seed 0."""
    return helpers.init_network([2, 1], seed=0)


@pytest.fixture
def small_net():
    """A [2, 4, 1] sigmoid network with seed 0."""
    return helpers.init_network([2, 4, 1], seed=0)
