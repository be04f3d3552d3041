"""Gradients through depth: the facts notebook 07 teaches, checked against independent computations."""

import numpy as np
import pytest

import helpers

DEEP_SIZES = [2] + [16] * 9 + [1]
WEIGHT_SCALES = {"sigmoid": 1.0, "tanh": 1.0, "relu": np.sqrt(2.0)}


@pytest.fixture(scope="module")
def moons():
    return helpers.make_dataset("two_moons", n=200, seed=0)


def layer_norms(activation, seed, X, y, sizes=DEEP_SIZES):
    net = helpers.init_network(sizes, activation=activation, seed=seed, weight_scale=WEIGHT_SCALES[activation])
    grads = helpers.backward(net, X, y, loss="cross_entropy")
    return np.array([np.linalg.norm(grads[f"W{layer}"]) for layer in range(1, len(sizes))])


def deltas_by_hand(net, X, y):
    """dL/dz_l for every layer, by the chain rule written out here (cross-entropy, sigmoid output)."""
    slopes = {
        "sigmoid": lambda z: helpers.sigmoid(z) * (1 - helpers.sigmoid(z)),
        "tanh": lambda z: 1 - np.tanh(z) ** 2,
        "relu": lambda z: (z > 0).astype(float),
    }
    functions = {"sigmoid": helpers.sigmoid, "tanh": np.tanh, "relu": lambda z: np.maximum(z, 0)}
    a, zs, outputs = X, [], [X]
    for w, b, name in zip(net.weights, net.biases, net.activations):
        zs.append(a @ w + b)
        a = functions[name](zs[-1])
        outputs.append(a)
    deltas = [(outputs[-1] - y) / len(X)]
    for layer in range(len(net.weights) - 1, 0, -1):
        deltas.insert(0, (deltas[0] @ net.weights[layer].T) * slopes[net.activations[layer - 1]](zs[layer - 1]))
    return deltas, outputs


@pytest.mark.parametrize("activation", ["sigmoid", "tanh", "relu"])
def test_backward_matches_the_chain_rule_written_out(moons, activation):
    X, y = moons
    net = helpers.init_network(DEEP_SIZES, activation=activation, seed=3, weight_scale=WEIGHT_SCALES[activation])
    deltas, outputs = deltas_by_hand(net, X, y)
    grads = helpers.backward(net, X, y, loss="cross_entropy")
    for layer, (delta, a_prev) in enumerate(zip(deltas, outputs), start=1):
        np.testing.assert_allclose(grads[f"W{layer}"], a_prev.T @ delta, rtol=1e-9, atol=1e-300)
        np.testing.assert_allclose(grads[f"b{layer}"], delta.sum(axis=0, keepdims=True), rtol=1e-9, atol=1e-300)


@pytest.mark.parametrize("seed", range(4))
def test_each_sigmoid_layer_shrinks_delta_by_at_most_a_quarter_times_the_weights(moons, seed):
    # ||delta_{l-1}|| <= (1/4) ||W_l||_2 ||delta_l||, because every sigmoid slope is at most 1/4.
    X, y = moons
    net = helpers.init_network(DEEP_SIZES, activation="sigmoid", seed=seed)
    deltas, _ = deltas_by_hand(net, X, y)
    for layer in range(1, len(net.weights)):
        spectral = np.linalg.norm(net.weights[layer], 2)
        assert np.linalg.norm(deltas[layer - 1]) <= 0.25 * spectral * np.linalg.norm(deltas[layer]) * (1 + 1e-12)


def test_sigmoid_slope_is_at_most_a_quarter():
    z = np.linspace(-20, 20, 400001)
    slopes = helpers.sigmoid_derivative(z)
    assert slopes.max() == pytest.approx(0.25, abs=1e-12)
    assert helpers.tanh_derivative(z).max() == pytest.approx(1.0, abs=1e-12)
    assert helpers.relu_derivative(z[z > 0]).min() == 1.0


def test_sigmoid_gradient_vanishes_through_ten_layers(moons):
    X, y = moons
    norms = np.median([layer_norms("sigmoid", seed, X, y) for seed in range(5)], axis=0)
    # Shrinks towards the input: layer 10 is more than 10^4 times layer 1, and it falls at almost every step.
    assert norms[-1] / norms[0] > 1e4
    assert np.sum(np.diff(norms) > 0) >= 8


@pytest.mark.parametrize("activation", ["tanh", "relu"])
def test_tanh_and_scaled_relu_keep_the_gradient_level(moons, activation):
    X, y = moons
    norms = np.median([layer_norms(activation, seed, X, y) for seed in range(5)], axis=0)
    assert norms.max() / norms.min() < 10
    assert norms[0] > 1e-2


@pytest.mark.parametrize("seed", range(3))
def test_he_scale_keeps_the_spread_of_relu_layers(seed):
    # With weights N(0, 2/n_in) the mean square of z stays about level from layer to layer;
    # with N(0, 1/n_in) it halves at every layer, as half of the ReLU outputs are zero.
    X = np.random.default_rng(0).normal(size=(500, 2))
    sizes = [2] + [128] * 8 + [1]
    factor = {}
    for scale in (1.0, np.sqrt(2.0)):
        net = helpers.init_network(
            sizes, activation="relu", output_activation="identity", seed=seed, weight_scale=scale
        )
        outputs = helpers.forward(net, X)
        spread = [np.mean((a_prev @ w + b) ** 2) for a_prev, w, b in zip(outputs, net.weights, net.biases)]
        # Geometric mean of the change per layer over the hidden layers 2..8.
        factor[scale] = (spread[-2] / spread[1]) ** (1 / (len(spread) - 3))
    assert 0.75 < factor[np.sqrt(2.0)] < 1.33
    assert 0.35 < factor[1.0] < 0.65


@pytest.mark.parametrize("activation", ["sigmoid", "tanh", "relu"])
def test_deep_gradients_pass_the_finite_difference_check(activation):
    X, y = helpers.make_dataset("circles", n=12, seed=4)
    net = helpers.init_network([2, 5, 5, 5, 1], activation=activation, seed=2, weight_scale=WEIGHT_SCALES[activation])
    errors = helpers.gradient_check(net, X, y, loss="cross_entropy")
    # Looser than for a shallow network: the sigmoid's first-layer gradient is so small that the
    # rounding error of the finite differences is a larger part of it.
    assert max(errors.values()) < 1e-5


def test_deep_sigmoid_stalls_where_deep_tanh_learns():
    # The notebook's comparison, one data set: four hidden layers of 8 units, 1000 epochs, rate 0.5.
    X, y = helpers.make_dataset("circles", n=150, seed=0)
    accuracy = {}
    for activation in ("sigmoid", "tanh"):
        net = helpers.init_network([2, 8, 8, 8, 8, 1], activation=activation, seed=0)
        history = helpers.train(net, X, y, learning_rate=0.5, epochs=1000, loss="cross_entropy", record_every=100)
        accuracy[activation] = np.mean((history.predictions > 0.5) == (y > 0.5))
        if activation == "sigmoid":
            # Stuck near ln 2, the loss of answering 0.5 for every point.
            assert history.final_loss == pytest.approx(np.log(2), abs=0.01)
    assert accuracy["sigmoid"] < 0.7
    assert accuracy["tanh"] > 0.99
