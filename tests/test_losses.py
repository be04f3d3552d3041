"""Losses: hand-worked values, gradients against finite differences, cross-entropy at 0 and 1."""

import math
import warnings

import numpy as np
import pytest

import helpers


def test_mse_hand_worked():
    # ((0.5 - 1)^2 + (0.2 - 0)^2) / 2 = (0.25 + 0.04) / 2
    assert helpers.mean_squared_error([[0.5], [0.2]], [[1.0], [0.0]]) == pytest.approx(0.145, abs=1e-15)
    # Mean over all n*k entries: (1 + 4 + 9 + 16) / 4
    assert helpers.mean_squared_error([[1.0, 2.0], [3.0, 4.0]], np.zeros((2, 2))) == 7.5
    assert isinstance(helpers.mean_squared_error([[0.5]], [[0.5]]), float)


def test_mse_gradient_hand_worked():
    # 2 (a - y) / (n k) with n k = 2
    gradient = helpers.mean_squared_error_gradient([[0.5], [0.2]], [[1.0], [0.0]])
    np.testing.assert_allclose(gradient, [[-0.5], [0.2]], rtol=0, atol=1e-15)


def test_cross_entropy_hand_worked():
    expected = -(math.log(0.9) + math.log(1.0 - 0.2)) / 2.0
    assert helpers.binary_cross_entropy([[0.9], [0.2]], [[1.0], [0.0]]) == pytest.approx(expected, rel=1e-12)
    # At a = 0.5 the loss is log 2 whatever the label.
    assert helpers.binary_cross_entropy([[0.5], [0.5]], [[1.0], [0.0]]) == pytest.approx(math.log(2.0), rel=1e-12)


def test_cross_entropy_gradient_hand_worked():
    # dL/da = (-y / a + (1 - y) / (1 - a)) / (n k)
    gradient = helpers.binary_cross_entropy_gradient([[0.9], [0.2]], [[1.0], [0.0]])
    np.testing.assert_allclose(gradient, [[-1.0 / 0.9 / 2.0], [1.0 / 0.8 / 2.0]], rtol=1e-12)


@pytest.mark.parametrize(
    ("value", "gradient"),
    [
        (helpers.mean_squared_error, helpers.mean_squared_error_gradient),
        (helpers.binary_cross_entropy, helpers.binary_cross_entropy_gradient),
    ],
)
def test_loss_gradients_match_finite_differences(value, gradient, rng, finite_difference):
    predictions = rng.uniform(0.05, 0.95, size=(5, 3))
    targets = rng.uniform(0.0, 1.0, size=(5, 3))
    numeric = finite_difference(lambda a: value(a, targets), predictions)
    np.testing.assert_allclose(gradient(predictions, targets), numeric, rtol=1e-6, atol=1e-10)


def test_cross_entropy_is_finite_at_exactly_0_and_1():
    predictions = np.array([[0.0], [1.0], [0.0], [1.0]])
    targets = np.array([[0.0], [1.0], [1.0], [0.0]])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        with np.errstate(over="raise", invalid="raise", divide="raise"):
            right = helpers.binary_cross_entropy(predictions[:2], targets[:2])
            wrong = helpers.binary_cross_entropy(predictions, targets)
            gradient = helpers.binary_cross_entropy_gradient(predictions, targets)
    assert 0.0 <= right < 1e-9
    # Confidently wrong costs about -log(1e-12) = 27.6 per entry, large but finite.
    assert math.isfinite(wrong) and wrong > 10.0
    assert np.all(np.isfinite(gradient))
    assert gradient[2, 0] < 0 < gradient[3, 0]


def test_losses_of_a_stack_are_one_value_per_member(rng):
    loss = helpers.get_loss("mse")
    stack = rng.uniform(0.1, 0.9, size=(3, 4, 1))
    targets = np.array([[0.0], [1.0], [1.0], [0.0]])
    values = loss.value(stack, targets)
    assert values.shape == (3,)
    for member in range(3):
        assert values[member] == pytest.approx(helpers.mean_squared_error(stack[member], targets), rel=1e-14)


@pytest.mark.parametrize("name", ["mse", "cross_entropy"])
def test_value_and_gradient_agree_with_the_separate_calls(name, rng):
    loss = helpers.get_loss(name)
    a = rng.uniform(0.1, 0.9, size=(4, 2))
    y = rng.integers(0, 2, size=(4, 2)).astype(float)
    value, gradient = loss.value_and_gradient(a, y)
    assert value == loss.value(a, y)
    np.testing.assert_array_equal(gradient, loss.gradient(a, y))


def test_loss_inputs_are_checked():
    with pytest.raises(ValueError, match="targets must have the shape of predictions"):
        helpers.mean_squared_error([[0.5], [0.2]], [[1.0]])
    with pytest.raises(ValueError, match="predictions must be 2-D"):
        helpers.mean_squared_error([0.5, 0.2], [0.5, 0.2])
    with pytest.raises(ValueError, match=r"targets must lie in \[0, 1\]"):
        helpers.binary_cross_entropy([[0.5]], [[2.0]])
    with pytest.raises(ValueError, match=r"predictions must lie in \[0, 1\]"):
        helpers.binary_cross_entropy([[1.5]], [[1.0]])
    with pytest.raises(TypeError, match="predictions"):
        helpers.mean_squared_error("0.5", [[1.0]])


def test_get_loss_rejects_unknown_names():
    assert helpers.get_loss("mse").needs_probabilities is False
    assert helpers.get_loss("cross_entropy").needs_probabilities is True
    with pytest.raises(ValueError, match=r"loss must be one of \['cross_entropy', 'mse'\], got 'hinge'"):
        helpers.get_loss("hinge")
