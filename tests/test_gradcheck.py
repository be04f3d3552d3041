"""Backpropagation against finite differences, for several shapes, activations and both losses."""

import numpy as np
import pytest

import helpers
from helpers.activations import ACTIVATIONS

SIZES = [[2, 1], [2, 3, 1], [2, 4, 4, 1]]
# (hidden activation, output activation, loss); cross-entropy needs a sigmoid output.
SETTINGS = [
    (hidden, output, loss)
    for hidden in ("sigmoid", "tanh", "relu")
    for output, loss in ((hidden, "mse"), ("identity", "mse"), ("sigmoid", "cross_entropy"))
]


def random_problem(sizes, hidden, output, seed):
    """A network with nonzero biases, 6 random inputs and targets in [0, 1]."""
    rng = np.random.default_rng(seed)
    net = helpers.init_network(sizes, activation=hidden, output_activation=output, seed=seed)
    net.biases = [rng.normal(0.0, 0.5, size=b.shape) for b in net.biases]
    X = rng.normal(0.0, 1.0, size=(6, sizes[0]))
    y = rng.uniform(0.0, 1.0, size=(6, sizes[-1]))
    return net, X, y


def smallest_pre_activation(net, X):
    """min |z| over every unit and input: how far the nearest relu kink is."""
    outputs = helpers.forward(net, X)
    return min(np.abs(a @ w + b).min() for a, w, b in zip(outputs, net.weights, net.biases))


@pytest.mark.parametrize("sizes", SIZES, ids=lambda s: "-".join(map(str, s)))
@pytest.mark.parametrize(("hidden", "output", "loss"), SETTINGS)
def test_backward_matches_finite_differences(sizes, hidden, output, loss):
    net, X, y = random_problem(sizes, hidden, output, seed=sum(sizes))
    if "relu" in (hidden, output):
        # A step of 1e-5 in a weight moves z by ~1e-5; keep every z far from the kink at 0.
        assert smallest_pre_activation(net, X) > 1e-3
    errors = helpers.gradient_check(net, X, y, loss)
    assert list(errors) == list(net.parameters())
    assert max(errors.values()) < 1e-6, errors


def test_stacked_network_gives_each_members_gradients(xor_data):
    X, y = xor_data
    members = [helpers.init_network([2, 3, 1], activation="tanh", seed=seed) for seed in (0, 1, 2)]
    stack = helpers.Network(
        [np.stack([m.weights[i] for m in members]) for i in range(2)],
        [np.stack([m.biases[i] + 0.1 * (k + 1) for k, m in enumerate(members)]) for i in range(2)],
        members[0].activations,
    )
    for k, m in enumerate(members):
        m.biases = [b + 0.1 * (k + 1) for b in m.biases]
    for loss in ("mse", "cross_entropy"):
        stacked = helpers.backward(stack, X, y, loss)
        values = helpers.loss_value(stack, X, y, loss)
        assert values.shape == (3,)
        for k, member in enumerate(members):
            alone = helpers.backward(member, X, y, loss)
            for name in alone:
                assert stacked[name].shape == (3,) + alone[name].shape
                np.testing.assert_allclose(stacked[name][k], alone[name], rtol=1e-13, atol=1e-16)
            assert values[k] == pytest.approx(helpers.loss_value(member, X, y, loss), rel=1e-14)
            np.testing.assert_allclose(helpers.predict(stack, X)[k], helpers.predict(member, X), rtol=1e-14)


def test_gradient_check_catches_the_derivative_given_the_wrong_argument(monkeypatch, xor_data):
    # A backward pass that applies the from-z formula to a = sigmoid(z): the classic slip.
    X, y = xor_data
    net = helpers.init_network([2, 3, 1], seed=0)
    right = ACTIVATIONS["sigmoid"]
    buggy = right._replace(derivative_from_output=right.derivative)
    monkeypatch.setitem(ACTIVATIONS, "sigmoid", buggy)
    assert max(helpers.gradient_check(net, X, y).values()) > 1e-2


def test_numerical_gradients_match_backward_by_value(xor_data, small_net):
    X, y = xor_data
    numeric = helpers.numerical_gradients(small_net, X, y)
    analytic = helpers.backward(small_net, X, y)
    for name in analytic:
        np.testing.assert_allclose(numeric[name], analytic[name], rtol=1e-6, atol=1e-11)


def test_numerical_gradients_leave_the_network_unchanged(xor_data, small_net):
    X, y = xor_data
    before = small_net.copy()
    helpers.numerical_gradients(small_net, X, y)
    for name, p in small_net.parameters().items():
        np.testing.assert_array_equal(p, before.parameters()[name])


def test_relative_error():
    np.testing.assert_allclose(helpers.relative_error([1.0, 2.0, -1.0], [1.1, 2.0, 1.0]), [0.1 / 1.1, 0.0, 2.0])
    # Two values below the floor count as agreeing, not as a 100% error.
    assert helpers.relative_error(1e-14, -1e-14) < 1e-3
    with pytest.raises(ValueError, match="same shape"):
        helpers.relative_error([1.0, 2.0], [1.0])


def test_numerical_derivative_of_a_cube():
    z = np.array([-2.0, 0.5, 3.0])
    np.testing.assert_allclose(helpers.numerical_derivative(lambda v: v**3, z), 3 * z**2, rtol=1e-9)
    with pytest.raises(ValueError, match="epsilon"):
        helpers.numerical_derivative(np.sin, z, epsilon=0.0)


def ten_layer_sigmoid_problem():
    """A fresh sigmoid network with nine hidden layers of 8 units, on 40 points of two moons."""
    X, y = helpers.make_dataset("two_moons", n=40, seed=0)
    return helpers.init_network([2] + [8] * 9 + [1], activation="sigmoid", seed=0), X, y


def test_gradient_check_does_not_cry_wolf_on_a_correct_deep_network():
    net, X, y = ten_layer_sigmoid_problem()
    analytic = helpers.backward(net, X, y, "cross_entropy")
    numeric = helpers.numerical_gradients(net, X, y, "cross_entropy")
    # Entry by entry, the first layers' tiny gradients meet the finite differences' round-off:
    # a large relative error although backward is right.
    entrywise = max(helpers.relative_error(analytic[name], numeric[name]).max() for name in ("W1", "W2"))
    assert np.abs(analytic["W1"]).max() < 1e-5 * np.abs(analytic["W10"]).max()
    assert entrywise > 1e-4
    # On the scale of the whole gradient, the same numbers are round-off.
    errors = helpers.gradient_check(net, X, y, "cross_entropy")
    assert list(errors) == list(net.parameters())
    assert max(errors.values()) < 1e-8, errors


def test_gradient_check_flags_a_broken_deep_network(monkeypatch):
    net, X, y = ten_layer_sigmoid_problem()
    right = ACTIVATIONS["sigmoid"]
    monkeypatch.setitem(ACTIVATIONS, "sigmoid", right._replace(derivative_from_output=right.derivative))
    assert max(helpers.gradient_check(net, X, y, "cross_entropy").values()) > 1e-3


def test_gradient_check_flags_a_bug_confined_to_the_smallest_gradient(monkeypatch):
    # W1's gradient is the smallest of the network; a bug there (its rows swapped) is still far above round-off.
    net, X, y = ten_layer_sigmoid_problem()
    backward = helpers.gradcheck.backward

    def rows_swapped(*args):
        gradients = backward(*args)
        return gradients | {"W1": gradients["W1"][::-1]}

    monkeypatch.setattr(helpers.gradcheck, "backward", rows_swapped)
    errors = helpers.gradient_check(net, X, y, "cross_entropy")
    assert errors["W1"] > 1e-7 and max(value for name, value in errors.items() if name != "W1") < 1e-8
