"""Losses: hand-worked values, gradients against finite differences, cross-entropy exact on logits."""

import math
import warnings

import numpy as np
import pytest

import helpers
from helpers.losses import LOSSES


def no_warnings():
    """Any Python warning, or a numpy overflow/invalid/divide, becomes an error."""
    warnings.simplefilter("error")
    return np.errstate(over="raise", invalid="raise", divide="raise")


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


def test_cross_entropy_on_logits_equals_the_probability_formula_where_both_are_exact():
    z = np.array([[2.2], [-1.4], [0.0]])
    y = np.array([[1.0], [0.0], [1.0]])
    a = 1.0 / (1.0 + np.exp(-z))
    textbook = -np.mean(y * np.log(a) + (1 - y) * np.log(1 - a))
    assert helpers.cross_entropy(z, y) == pytest.approx(textbook, rel=1e-12)
    assert helpers.binary_cross_entropy(a, y) == pytest.approx(textbook, rel=1e-12)
    # At z = 0 (a = 0.5) the loss is log 2 whatever the label.
    assert helpers.cross_entropy([[0.0], [0.0]], [[1.0], [0.0]]) == pytest.approx(math.log(2.0), rel=1e-15)


def test_cross_entropy_gradient_is_sigmoid_minus_target_over_n():
    z = np.array([[2.2], [-1.4]])
    y = np.array([[1.0], [0.0]])
    expected = (1.0 / (1.0 + np.exp(-z)) - y) / 2.0
    np.testing.assert_allclose(helpers.cross_entropy_gradient(z, y), expected, rtol=1e-14)


@pytest.mark.parametrize("z", [30.0, 40.0, 1000.0, -30.0, -40.0, -1000.0])
def test_cross_entropy_is_exact_when_the_output_saturates(z):
    """A confidently wrong output costs about |z| and keeps a gradient of full size (about +-1)."""
    wrong_target = np.array([[0.0 if z > 0 else 1.0]])
    right_target = 1.0 - wrong_target
    with warnings.catch_warnings(), no_warnings():
        loss = helpers.cross_entropy([[z]], wrong_target)
        gradient = helpers.cross_entropy_gradient([[z]], wrong_target)[0, 0]
        right_loss = helpers.cross_entropy([[z]], right_target)
    # Exactly: log(1 + e^|z|) = |z| + log(1 + e^-|z|), and the gradient sigmoid(z) - y = +-(1 - sigmoid(-|z|)).
    exact = abs(z) + math.log1p(math.exp(-abs(z)))
    assert loss == pytest.approx(exact, rel=1e-12) and loss == pytest.approx(abs(z), rel=1e-12)
    assert gradient == pytest.approx(math.copysign(1.0, z), rel=1e-12)
    assert 0.0 <= right_loss == pytest.approx(math.log1p(math.exp(-abs(z))), rel=1e-12, abs=1e-300)


@pytest.mark.parametrize("w", [30.0, 40.0, 1000.0])
def test_one_confidently_wrong_neuron_keeps_learning(w):
    """The issue's example: input (1, 0), bias 0, target 0. The gradient for w is sigmoid(w) ~ 1, the loss ~ w."""
    neuron = helpers.Network([np.array([[w], [0.0]])], [np.zeros((1, 1))], ("sigmoid",))
    X, y = np.array([[1.0, 0.0]]), np.array([[0.0]])
    with warnings.catch_warnings(), no_warnings():
        loss = helpers.loss_value(neuron, X, y, "cross_entropy")
        gradients = helpers.backward(neuron, X, y, "cross_entropy")
    assert loss == pytest.approx(w, rel=1e-12)
    assert gradients["W1"][0, 0] == pytest.approx(1.0, rel=1e-12)
    assert gradients["W1"][1, 0] == 0.0
    assert gradients["b1"][0, 0] == pytest.approx(1.0, rel=1e-12)


def test_binary_cross_entropy_of_probabilities_is_honest_at_0_and_1():
    """The probability formula, computed as written: right answers cost 0, a confidently wrong 0 or 1 costs inf."""
    predictions = np.array([[0.0], [1.0], [0.0], [1.0]])
    targets = np.array([[0.0], [1.0], [1.0], [0.0]])
    with warnings.catch_warnings(), no_warnings():
        right = helpers.binary_cross_entropy(predictions[:2], targets[:2])
        wrong = helpers.binary_cross_entropy(predictions, targets)
    assert right == 0.0
    assert wrong == math.inf


def test_loss_gradients_match_finite_differences(rng, finite_difference):
    predictions = rng.uniform(0.05, 0.95, size=(5, 3))
    targets = rng.uniform(0.0, 1.0, size=(5, 3))
    numeric = finite_difference(lambda a: helpers.mean_squared_error(a, targets), predictions)
    np.testing.assert_allclose(helpers.mean_squared_error_gradient(predictions, targets), numeric, rtol=1e-6)
    logits = rng.normal(0.0, 3.0, size=(5, 3))
    numeric = finite_difference(lambda z: helpers.cross_entropy(z, targets), logits)
    np.testing.assert_allclose(helpers.cross_entropy_gradient(logits, targets), numeric, rtol=1e-6, atol=1e-10)


def test_losses_of_a_stack_are_one_value_per_member(rng):
    targets = np.array([[0.0], [1.0], [1.0], [0.0]])
    stack = rng.uniform(0.1, 0.9, size=(3, 4, 1))
    for name, single in (("mse", helpers.mean_squared_error), ("cross_entropy", helpers.cross_entropy)):
        values, gradients = LOSSES[name].value_and_gradient(stack, targets)
        assert values.shape == (3,) and gradients.shape == stack.shape
        for member in range(3):
            assert values[member] == pytest.approx(single(stack[member], targets), rel=1e-14)


def test_loss_inputs_are_checked():
    with pytest.raises(ValueError, match="targets must have the shape of predictions"):
        helpers.mean_squared_error([[0.5], [0.2]], [[1.0]])
    with pytest.raises(ValueError, match="predictions must be a non-empty 2-D array"):
        helpers.mean_squared_error([0.5, 0.2], [0.5, 0.2])
    with pytest.raises(ValueError, match=r"targets must lie in \[0, 1\]"):
        helpers.binary_cross_entropy([[0.5]], [[2.0]])
    with pytest.raises(ValueError, match=r"targets must lie in \[0, 1\]"):
        helpers.cross_entropy([[0.5]], [[-1.0]])
    with pytest.raises(ValueError, match=r"predictions must lie in \[0, 1\]"):
        helpers.binary_cross_entropy([[1.5]], [[1.0]])
    with pytest.raises(TypeError, match="predictions"):
        helpers.mean_squared_error("0.5", [[1.0]])


def test_get_loss_rejects_unknown_names():
    assert helpers.get_loss("mse").on_logits is False
    assert helpers.get_loss("cross_entropy").on_logits is True
    with pytest.raises(ValueError, match=r"loss must be one of \['cross_entropy', 'mse'\], got 'hinge'"):
        helpers.get_loss("hinge")


def test_backward_with_cross_entropy_matches_an_independent_computation_at_saturation(finite_difference):
    """A [2, 3, 1] network whose output logits reach about +-40, half of them on the wrong side: backward
    agrees with central differences of a loss written here from scratch with np.logaddexp."""
    X, y = helpers.xor()
    W1 = np.array([[4.0, -3.0, 2.5], [-2.0, 5.0, 3.0]])
    b1 = np.array([[0.5, -1.0, -2.0]])
    W2 = np.array([[20.0], [-25.0], [30.0]])
    b2 = np.array([[-8.0]])
    network = helpers.Network([W1, W2], [b1, b2], ("sigmoid", "sigmoid"))

    def independent_loss(W1, b1, W2, b2):
        hidden = 1.0 / (1.0 + np.exp(-(X @ W1 + b1)))
        z = hidden @ W2 + b2
        return float(np.mean(np.logaddexp(0.0, z) - y * z))

    z = helpers.forward(network, X)[1] @ W2 + b2
    assert np.abs(z).max() > 30  # saturated: sigmoid(z) rounds to within 1e-13 of 0 or 1
    with warnings.catch_warnings(), no_warnings():
        gradients = helpers.backward(network, X, y, "cross_entropy")
        loss = helpers.loss_value(network, X, y, "cross_entropy")
    parameters = {"W1": W1, "b1": b1, "W2": W2, "b2": b2}
    assert loss == pytest.approx(independent_loss(**parameters), rel=1e-12)
    for name, value in parameters.items():
        numeric = finite_difference(lambda p, name=name: independent_loss(**{**parameters, name: p}), value)
        np.testing.assert_allclose(gradients[name], numeric, rtol=1e-6, atol=1e-9)
