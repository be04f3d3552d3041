"""Generalisation: split into training, validation and test points; L2 weight decay in train and
train_many, its gradient checked against finite differences of the penalised loss."""

import numpy as np
import pytest

import helpers


def test_split_cuts_every_row_once_in_a_seeded_order():
    X = np.arange(200, dtype=float).reshape(100, 2)
    y = np.arange(100, dtype=float)[:, None]
    (X_train, y_train), (X_val, y_val), (X_test, y_test) = helpers.split(X, y)
    assert (len(X_train), len(X_val), len(X_test)) == (60, 20, 20)
    rows = np.concatenate([y_train, y_val, y_test])[:, 0]
    np.testing.assert_array_equal(np.sort(rows), np.arange(100))
    assert not np.array_equal(rows, np.arange(100))  # shuffled
    for part_X, part_y in ((X_train, y_train), (X_val, y_val), (X_test, y_test)):
        np.testing.assert_array_equal(part_X[:, 0], 2 * part_y[:, 0])  # rows stay paired
    again = helpers.split(X, y, seed=0)
    other = helpers.split(X, y, seed=1)
    np.testing.assert_array_equal(again[1][1], y_val)
    assert not np.array_equal(other[1][1], y_val)
    sizes = [len(part[0]) for part in helpers.split(X, y, fractions=(0.5, 0.25, 0.25))]
    assert sizes == [50, 25, 25]


def test_split_keeps_one_hot_targets():
    X, y = helpers.make_dataset("spiral3", n=30)
    parts = helpers.split(X, y, (0.4, 0.3, 0.3), seed=2)
    assert [part[1].shape for part in parts] == [(12, 3), (9, 3), (9, 3)]


@pytest.mark.parametrize(
    "kwargs, error, words",
    [
        ({"fractions": (0.5, 0.5)}, ValueError, "fractions must be three numbers"),
        ({"fractions": (0.6, 0.2, 0.3)}, ValueError, r"fractions must sum to 1, got \(0.6, 0.2, 0.3\)"),
        ({"fractions": (0.8, 0.2, 0.0)}, ValueError, r"fractions\[2\] must be a positive finite number, got 0.0"),
        ({"fractions": "abc"}, ValueError, "fractions must be three numbers"),
        ({"fractions": (0.98, 0.01, 0.01)}, ValueError, "X must have enough rows for each of the three parts"),
        ({"seed": -1}, ValueError, "seed must be an integer >= 0"),
        ({"y": np.zeros((9, 1))}, ValueError, r"y must have one row per row of X \(10\)"),
        ({"X": np.zeros(10)}, ValueError, "X must be 2-D"),
    ],
)
def test_split_arguments_are_validated(kwargs, error, words):
    arguments = {"X": np.zeros((10, 2)), "y": np.zeros((10, 1)), **kwargs}
    with pytest.raises(error, match=words):
        helpers.split(**arguments)


def penalised_loss(network, X, y, loss, weight_decay):
    """L + (lambda / 2) * the sum of every squared weight (biases left out), from helpers.loss_value."""
    penalty = sum(float(np.sum(w * w)) for w in network.weights)
    return helpers.loss_value(network, X, y, loss) + 0.5 * weight_decay * penalty


@pytest.mark.parametrize(
    "sizes, output, loss",
    [([2, 4, 1], "sigmoid", "mse"), ([2, 5, 3, 3], "softmax", "cross_entropy")],
)
def test_one_weight_decay_step_follows_the_gradient_of_the_penalised_loss(rng, sizes, output, loss):
    """One plain gradient-descent step moves each parameter by -rate * d(L + lambda/2 sum W^2)/dp, the
    derivative taken here by central differences."""
    network = helpers.init_network(sizes, activation="tanh", output_activation=output, seed=1)
    for b in network.biases:
        b += rng.normal(0.0, 0.5, size=b.shape)
    X = rng.normal(0.0, 1.0, size=(8, 2))
    y = rng.uniform(0.0, 1.0, size=(8, 1)) if output == "sigmoid" else helpers.one_hot(rng.integers(0, 3, 8), 3)
    rate, weight_decay, epsilon = 0.1, 0.3, 1e-6
    moved = helpers.train(network, X, y, rate, epochs=1, loss=loss, weight_decay=weight_decay).final_network
    probe = network.copy()
    for name, p in probe.parameters().items():
        numeric = np.zeros_like(p)
        for index in np.ndindex(p.shape):
            original = p[index]
            p[index] = original + epsilon
            plus = penalised_loss(probe, X, y, loss, weight_decay)
            p[index] = original - epsilon
            minus = penalised_loss(probe, X, y, loss, weight_decay)
            p[index] = original
            numeric[index] = (plus - minus) / (2 * epsilon)
        step = (network.parameters()[name] - moved.parameters()[name]) / rate
        np.testing.assert_allclose(step, numeric, rtol=1e-6, atol=1e-9, err_msg=name)


def test_weight_decay_leaves_the_biases_and_the_recorded_loss_alone(rng):
    network = helpers.init_network([2, 3, 1], seed=2)
    X, y = helpers.xor()
    plain = helpers.train(network, X, y, 0.5, epochs=1)
    decayed = helpers.train(network, X, y, 0.5, epochs=1, weight_decay=2.0)
    for name in ("b1", "b2"):
        np.testing.assert_array_equal(plain.final_network.parameters()[name], decayed.final_network.parameters()[name])
    for name in ("W1", "W2"):
        # The difference is exactly the extra pull -rate * lambda * W.
        difference = decayed.final_network.parameters()[name] - plain.final_network.parameters()[name]
        np.testing.assert_allclose(difference, -0.5 * 2.0 * network.parameters()[name], rtol=1e-12, atol=1e-15)
    assert decayed.losses[0] == plain.losses[0] == helpers.loss_value(network, X, y)


def test_weight_decay_shrinks_the_weights_and_train_many_equals_train():
    X, y = helpers.make_dataset("two_moons", n=60, seed=0)
    network = helpers.init_network([2, 8, 1], activation="tanh", seed=0)
    kwargs = {"epochs": 200, "loss": "cross_entropy", "record_every": 20, "optimizer": "adam"}
    plain = helpers.train(network, X, y, 0.05, **kwargs)
    decayed = helpers.train(network, X, y, 0.05, weight_decay=0.01, **kwargs)

    def size(history):
        return sum(float(np.sum(w**2)) for w in history.final_network.weights)

    assert size(decayed) < 0.8 * size(plain)
    many = helpers.train_many(network, X, y, [0.01, 0.05], weight_decay=0.01, **kwargs)[1]
    np.testing.assert_allclose(many.losses, decayed.losses, rtol=1e-12)
    np.testing.assert_allclose(many.final_network.weights[0], decayed.final_network.weights[0], rtol=1e-12)


def test_weight_decay_with_mini_batches_runs_and_pulls_the_weights_in():
    X, y = helpers.make_dataset("circles", n=40, seed=0)
    network = helpers.init_network([2, 6, 1], activation="tanh", seed=0)
    plain = helpers.train(network, X, y, 0.1, 30, "cross_entropy", batch_size=8)
    decayed = helpers.train(network, X, y, 0.1, 30, "cross_entropy", batch_size=8, weight_decay=0.5)
    assert np.abs(decayed.final_network.weights[0]).sum() < np.abs(plain.final_network.weights[0]).sum()


@pytest.mark.parametrize(
    "value, error, words",
    [
        (-0.1, ValueError, "weight_decay must be a finite number >= 0, got -0.1"),
        (float("nan"), ValueError, "weight_decay must be a finite number >= 0, got nan"),
        (float("inf"), ValueError, "weight_decay must be a finite number >= 0"),
        ("0.1", TypeError, "weight_decay must be a finite number >= 0, got '0.1'"),
        (True, TypeError, "weight_decay must be a finite number >= 0, got True"),
    ],
)
def test_weight_decay_is_validated(value, error, words):
    X, y = helpers.xor()
    network = helpers.init_network([2, 2, 1])
    with pytest.raises(error, match=words):
        helpers.train(network, X, y, epochs=1, weight_decay=value)
    with pytest.raises(error, match=words):
        helpers.train_many(network, X, y, [0.1], epochs=1, weight_decay=value)
