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


def test_deep_sigmoid_stalls_at_every_rate_of_plain_descent_and_learns_with_adam():
    # The notebook's comparison on the circles: four hidden layers of 8 units, 1000 epochs, its six rates.
    X, y = helpers.make_dataset("circles", n=150, seed=0)
    net = helpers.init_network([2, 8, 8, 8, 8, 1], activation="sigmoid", seed=0)
    rates = [0.05, 0.17, 0.55, 1.8, 6.0, 20.0]
    for history in helpers.train_many(net, X, y, rates, epochs=1000, loss="cross_entropy", record_every=1000):
        # Stuck near ln 2, the loss of answering 0.5 for every point (or diverged).
        assert not np.isfinite(history.final_loss) or history.final_loss > 0.68
    adam = helpers.train(
        net, X, y, learning_rate=0.1, epochs=1000, loss="cross_entropy", record_every=1000, optimizer="adam"
    )
    assert np.mean((adam.predictions > 0.5) == (y > 0.5)) > 0.99
    tanh = helpers.init_network([2, 8, 8, 8, 8, 1], activation="tanh", seed=0)
    history = helpers.train(tanh, X, y, learning_rate=0.5, epochs=1000, loss="cross_entropy", record_every=1000)
    assert np.mean((history.predictions > 0.5) == (y > 0.5)) > 0.99


def backward_written_out(slip=None):
    """A backward(network, X, y, loss) for any depth, as Exercise 1 asks, with one slip switched on or none."""

    def backward(network, X, y, loss):
        zs, outputs = [], [X]
        for w, b, name in zip(network.weights, network.biases, network.activations):
            zs.append(outputs[-1] @ w + b)
            outputs.append(helpers.get_activation(name).function(zs[-1]))
        scale = 1.0 if slip == "1/n lost" else 1.0 / y.size
        if loss == "cross_entropy":
            delta = (helpers.sigmoid(zs[-1]) - y) * scale
        else:
            delta = 2 * (outputs[-1] - y) * scale * helpers.get_activation(network.activations[-1]).derivative(zs[-1])
        grads = {}
        for layer in range(len(network.weights), 0, -1):
            grads[f"W{layer}"] = outputs[layer - 1].T @ delta
            grads[f"b{layer}"] = delta.sum(axis=1 if slip == "bias axis" else 0, keepdims=True)
            if layer > 1:
                w = network.weights[layer - 1]
                back = delta @ (w if slip == "transpose" else w.T)
                slope = helpers.get_activation(network.activations[layer - 2]).derivative(zs[layer - 2])
                delta = back if slip == "slope" else back * slope
        return grads

    return backward


def test_the_backward_check_accepts_a_backward_written_out(capsys):
    from helpers.checks import activations_and_depth as check

    assert check.backward(backward_written_out())
    assert capsys.readouterr().out.startswith("✓ backward: correct on all 36 random networks")


@pytest.mark.parametrize(
    ("slip", "named"),
    [
        ("slope", "lost the activation's slope"),
        ("transpose", "not by its transpose"),
        ("bias axis", "summed over the units (axis 1)"),
        ("1/n lost", "1/(n k) of the mean lost"),
    ],
)
def test_the_backward_check_names_each_slip(capsys, slip, named):
    from helpers.checks import activations_and_depth as check

    assert not check.backward(backward_written_out(slip))
    printed = capsys.readouterr().out
    assert printed.startswith("Not yet") and named in printed, printed


def test_the_backward_check_refuses_helpers_that_do_the_work(capsys):
    from helpers.checks import activations_and_depth as check

    assert not check.backward(helpers.backward)
    assert not check.backward(lambda network, X, y, loss: helpers.backward(network, X, y, loss))
    assert not check.backward(lambda network, X, y, loss: helpers.numerical_gradients(network, X, y, loss=loss))
    printed = capsys.readouterr().out.splitlines()
    assert "helpers' own backward" in printed[0]
    assert "calls helpers.backward" in printed[1] and "calls helpers.numerical_gradients" in printed[2]


def test_the_backward_check_reports_an_answer_that_raises_and_stops_there(capsys):
    from helpers.checks import activations_and_depth as check

    calls = []

    def broken(network, X, y, loss):
        calls.append(loss)
        return {"W1": network.weights[0] @ X}  # the shapes do not fit on any network

    assert not check.backward(broken)
    printed = capsys.readouterr().out
    assert printed.startswith("Not yet: backward raised ValueError") and "do the shapes fit?" in printed, printed
    assert len(calls) == 1  # like no slip on the first network: the other 35 cannot change the verdict


def test_the_twenty_layer_check_measures_as_the_notebook_does(moons, capsys):
    from helpers.checks import activations_and_depth as check

    X, y = moons
    sizes = [2] + [16] * 19 + [1]
    norms = {
        activation: np.median([layer_norms(activation, seed, X, y, sizes) for seed in range(5)], axis=0)
        for activation in WEIGHT_SCALES
    }
    measured = np.log10(norms["sigmoid"][-1] / norms["sigmoid"][0])
    smallest = min(norms, key=lambda activation: norms[activation][0])
    assert smallest == "sigmoid"
    assert check.twenty_layers(smallest, measured)
    assert not check.twenty_layers(smallest, 19 * np.log10(4.0))
    assert not check.twenty_layers("relu", measured)
    printed = capsys.readouterr().out
    assert "the (1/4)^19 bound" in printed and "not 'relu'" in printed, printed
