"""Activations: stable sigmoid, every derivative against central finite differences, ranges and inverses."""

import math
import warnings

import numpy as np
import pytest

import helpers
from helpers.activations import ACTIVATIONS

# Pre-activations away from relu's kink at 0, so finite differences are valid for every activation.
Z_GRID = np.array([[-4.0, -1.5, -0.3, 0.2], [0.7, 1.1, 2.5, 5.0]])


def strict():
    """Any numpy overflow/invalid/divide, or any Python warning, becomes an error."""
    warnings.simplefilter("error")
    return np.errstate(over="raise", invalid="raise", divide="raise")


def test_sigmoid_is_stable_and_correct_at_extremes():
    z = np.array([-1000.0, -710.0, 0.0, 710.0, 1000.0])
    with warnings.catch_warnings(), strict():
        s = helpers.sigmoid(z)
    assert s[0] == 0.0
    # e^-710 is a subnormal float; the naive 1 / (1 + e^710) overflows before it gets there.
    assert s[1] == pytest.approx(math.exp(-710.0), rel=1e-9)
    assert s[2] == 0.5
    assert s[3] == 1.0
    assert s[4] == 1.0
    assert np.all(np.isfinite(s))


def test_sigmoid_matches_the_textbook_formula_where_that_is_safe():
    z = np.linspace(-30.0, 30.0, 121)
    np.testing.assert_allclose(helpers.sigmoid(z), 1.0 / (1.0 + np.exp(-z)), rtol=1e-13, atol=0)
    np.testing.assert_allclose(helpers.sigmoid(-z), 1.0 - helpers.sigmoid(z), rtol=0, atol=1e-15)


def test_sigmoid_accepts_scalars_lists_and_ints_and_returns_float64():
    assert helpers.sigmoid(0) == 0.5
    out = helpers.sigmoid([[0, 1], [2, 3]])
    assert out.dtype == np.float64
    assert out.shape == (2, 2)


def test_sigmoid_derivative_from_z_and_from_output_agree():
    z = np.linspace(-12.0, 12.0, 49)
    np.testing.assert_array_equal(
        helpers.sigmoid_derivative(z), helpers.sigmoid_derivative_from_output(helpers.sigmoid(z))
    )
    assert helpers.sigmoid_derivative(0.0) == 0.25


def test_passing_z_to_the_from_output_derivative_is_wrong():
    # The common bug: the backward pass hands z (not a = sigmoid(z)) to the a (1 - a) formula.
    z = np.array([-2.0, 0.0, 0.5, 2.0])
    true = helpers.sigmoid_derivative(z)
    mistaken = ACTIVATIONS["sigmoid"].derivative_from_output(z)  # the unchecked formula
    assert not np.allclose(mistaken, true)
    assert mistaken[0] == -6.0 and mistaken[1] == 0.0  # z (1 - z): negative, or 0 where the truth is 0.25
    assert np.all((true > 0) & (true <= 0.25))
    # The public function refuses what cannot be a sigmoid output, so the bug shows at once.
    with pytest.raises(ValueError, match=r"a must be an output of sigmoid, in \[0, 1\]"):
        helpers.sigmoid_derivative_from_output(z)


@pytest.mark.parametrize("name", sorted(ACTIVATIONS))
def test_derivative_matches_finite_differences(name, finite_difference):
    activation = helpers.get_activation(name)
    numeric = finite_difference(activation.function, Z_GRID)
    np.testing.assert_allclose(activation.derivative(Z_GRID), numeric, rtol=1e-7, atol=1e-9)


@pytest.mark.parametrize("name", sorted(ACTIVATIONS))
def test_derivative_from_output_matches_finite_differences(name, finite_difference):
    activation = helpers.get_activation(name)
    numeric = finite_difference(activation.function, Z_GRID)
    from_output = activation.derivative_from_output(activation.function(Z_GRID))
    np.testing.assert_allclose(from_output, numeric, rtol=1e-7, atol=1e-9)


@pytest.mark.parametrize("name", sorted(ACTIVATIONS))
def test_activations_keep_shape_and_stack_axes(name):
    activation = helpers.get_activation(name)
    z = np.arange(24.0).reshape(2, 3, 4) - 12.0
    for function in (activation.function, activation.derivative, activation.derivative_from_output):
        out = function(z)
        assert out.shape == z.shape
        assert out.dtype == np.float64


def test_tanh_and_relu_values():
    with warnings.catch_warnings(), strict():
        np.testing.assert_array_equal(helpers.tanh([-1000.0, 0.0, 1000.0]), [-1.0, 0.0, 1.0])
    np.testing.assert_array_equal(helpers.relu([-2.0, 0.0, 3.0]), [0.0, 0.0, 3.0])
    # The kink at 0 takes the derivative 0, from z and from the output alike.
    np.testing.assert_array_equal(helpers.relu_derivative([-2.0, 0.0, 3.0]), [0.0, 0.0, 1.0])
    np.testing.assert_array_equal(helpers.relu_derivative_from_output([0.0, 0.0, 3.0]), [0.0, 0.0, 1.0])
    assert helpers.tanh_derivative(0.0) == 1.0
    assert helpers.tanh_derivative_from_output(helpers.tanh(0.5)) == pytest.approx(helpers.tanh_derivative(0.5))


def test_identity():
    z = np.array([[-3.0, 0.0, 2.5]])
    np.testing.assert_array_equal(ACTIVATIONS["identity"].function(z), z)
    np.testing.assert_array_equal(ACTIVATIONS["identity"].derivative(z), np.ones_like(z))


@pytest.mark.parametrize("name", sorted(ACTIVATIONS))
def test_outputs_stay_in_the_range_and_the_inverse_undoes_the_function(name):
    activation = ACTIVATIONS[name]
    low, high = activation.output_range
    z = np.linspace(-6.0, 6.0, 25)
    a = activation.function(z)
    assert low is None or a.min() >= low
    assert high is None or a.max() <= high
    # Invertible where the function is strictly monotone: everywhere but relu's flat half.
    inside = z > 0 if name == "relu" else np.ones_like(z, dtype=bool)
    np.testing.assert_allclose(activation.inverse(a[inside]), z[inside], rtol=1e-9, atol=1e-9)
    if low is not None:
        assert np.isnan(activation.inverse(low - 1.0)) and np.isnan(activation.inverse(low))
    if high is not None:
        assert np.isnan(activation.inverse(high))


def test_get_activation_returns_the_registry_entry_and_rejects_unknown_names():
    assert helpers.get_activation("sigmoid") is ACTIVATIONS["sigmoid"]
    assert helpers.get_activation("sigmoid").function(np.array(0.0)) == 0.5
    with pytest.raises(ValueError, match=r"activation must be one of .*'softmax'"):
        helpers.get_activation("softmax")
    with pytest.raises(ValueError, match="activation"):
        helpers.get_activation(None)
