"""The network: initialisation, forward pass by hand, backward shapes, one descent step."""

import numpy as np
import pytest

import helpers


def sigmoid_by_hand(z):
    return 1.0 / (1.0 + np.exp(-z))


def test_init_network_shapes_biases_and_activations():
    net = helpers.init_network([2, 4, 3, 1], activation="tanh", output_activation="sigmoid", seed=3)
    assert [w.shape for w in net.weights] == [(2, 4), (4, 3), (3, 1)]
    assert [b.shape for b in net.biases] == [(1, 4), (1, 3), (1, 1)]
    assert all(w.dtype == np.float64 for w in net.weights)
    assert all(np.all(b == 0.0) for b in net.biases)
    assert net.activations == ("tanh", "tanh", "sigmoid")
    assert net.layer_sizes == [2, 4, 3, 1]


def test_same_seed_same_weights_different_seed_different_weights():
    first = helpers.init_network([2, 4, 1], seed=7)
    again = helpers.init_network([2, 4, 1], seed=7)
    other = helpers.init_network([2, 4, 1], seed=8)
    for w, w_again, w_other in zip(first.weights, again.weights, other.weights):
        np.testing.assert_array_equal(w, w_again)
        assert not np.array_equal(w, w_other)


def test_weight_scale_sets_the_spread():
    net = helpers.init_network([400, 300], seed=0, weight_scale=2.0)
    # Var(w) = scale^2 / n_in, so the sample std of 120,000 draws is within 1% of 2 / 20.
    assert np.std(net.weights[0]) == pytest.approx(2.0 / np.sqrt(400), rel=0.01)
    assert abs(np.mean(net.weights[0])) < 0.01 * 0.1


def test_forward_of_one_neuron_by_hand(xor_data):
    X, _ = xor_data
    net = helpers.Network([np.array([[2.0], [-3.0]])], [np.array([[0.5]])], ("sigmoid",))
    outputs = helpers.forward(net, X)
    assert len(outputs) == 2
    np.testing.assert_array_equal(outputs[0], X)
    z = X[:, [0]] * 2.0 + X[:, [1]] * -3.0 + 0.5
    np.testing.assert_allclose(outputs[1], sigmoid_by_hand(z), rtol=1e-14)


def test_forward_of_a_hidden_layer_by_hand(xor_data, small_net):
    X, _ = xor_data
    (W1, W2), (b1, b2) = small_net.weights, small_net.biases
    a1 = sigmoid_by_hand(X @ W1 + b1)
    a2 = sigmoid_by_hand(a1 @ W2 + b2)
    outputs = helpers.forward(small_net, X)
    assert [o.shape for o in outputs] == [(4, 2), (4, 4), (4, 1)]
    np.testing.assert_allclose(outputs[1], a1, rtol=1e-14)
    np.testing.assert_allclose(outputs[2], a2, rtol=1e-14)
    np.testing.assert_array_equal(helpers.predict(small_net, X), outputs[-1])


def test_forward_accepts_integer_lists():
    net = helpers.init_network([2, 1])
    out = helpers.predict(net, [[0, 1], [1, 0]])
    assert out.shape == (2, 1) and out.dtype == np.float64


def test_copy_is_independent_and_parameters_are_named_in_order(small_net):
    clone = small_net.copy()
    clone.weights[0][0, 0] += 1.0
    clone.biases[1][0, 0] += 1.0
    assert small_net.weights[0][0, 0] != clone.weights[0][0, 0]
    assert small_net.biases[1][0, 0] == 0.0
    params = small_net.parameters()
    assert list(params) == ["W1", "b1", "W2", "b2"]
    assert params["W2"] is small_net.weights[1]


def test_backward_returns_one_gradient_per_parameter_with_its_shape(xor_data, small_net):
    X, y = xor_data
    for loss in ("mse", "cross_entropy"):
        grads = helpers.backward(small_net, X, y, loss)
        params = small_net.parameters()
        assert list(grads) == list(params)
        for name in params:
            assert grads[name].shape == params[name].shape


def test_backward_of_one_neuron_by_hand(xor_data):
    # L = mean((a - y)^2), a = sigmoid(X w + b): dL/dz = 2 (a - y) / n * a (1 - a), dL/dw = X^T dL/dz.
    X, y = xor_data
    net = helpers.Network([np.array([[0.3], [-0.2]])], [np.array([[0.1]])], ("sigmoid",))
    a = sigmoid_by_hand(X @ net.weights[0] + net.biases[0])
    dz = 2.0 * (a - y) / 4.0 * a * (1.0 - a)
    grads = helpers.backward(net, X, y, "mse")
    np.testing.assert_allclose(grads["W1"], X.T @ dz, rtol=1e-13)
    np.testing.assert_allclose(grads["b1"], dz.sum(axis=0, keepdims=True), rtol=1e-13)
    # With cross-entropy the a (1 - a) cancels: dL/dz = (a - y) / n.
    grads = helpers.backward(net, X, y, "cross_entropy")
    np.testing.assert_allclose(grads["W1"], X.T @ ((a - y) / 4.0), rtol=1e-12)


def test_gradient_step_moves_against_the_gradient_and_leaves_the_input_alone(xor_data, small_net):
    X, y = xor_data
    before = small_net.copy()
    grads = helpers.backward(small_net, X, y)
    stepped = helpers.gradient_step(small_net, grads, 0.5)
    for name, p in stepped.parameters().items():
        np.testing.assert_array_equal(p, before.parameters()[name] - 0.5 * grads[name])
        np.testing.assert_array_equal(small_net.parameters()[name], before.parameters()[name])
    assert stepped.activations == small_net.activations
    assert helpers.loss_value(stepped, X, y) < helpers.loss_value(small_net, X, y)


def test_loss_value_is_the_loss_of_the_predictions(xor_data, small_net):
    X, y = xor_data
    value = helpers.loss_value(small_net, X, y)
    assert isinstance(value, float)
    assert value == pytest.approx(np.mean((helpers.predict(small_net, X) - y) ** 2), rel=1e-14)


def test_accuracy_counts_outputs_on_the_right_side_of_one_half():
    # One sigmoid neuron computing x1 - x2: output > 0.5 exactly where x1 > x2.
    network = helpers.Network([np.array([[1.0], [-1.0]])], [np.zeros((1, 1))], ("sigmoid",))
    X = np.array([[1.0, 0.0], [0.0, 1.0], [2.0, 1.0], [0.0, 3.0]])
    y = np.array([[1.0], [1.0], [1.0], [0.0]])
    assert helpers.accuracy(network, X, y) == 0.75
    # On the line x1 = x2 the output is exactly 0.5, which decides nothing: wrong for either label.
    on_the_line = np.array([[1.0, 1.0], [2.0, 2.0]])
    assert helpers.accuracy(network, on_the_line, np.array([[0.0], [1.0]])) == 0.0
    with pytest.raises(TypeError, match="network must be a Network"):
        helpers.accuracy("net", X, y)


def test_accuracy_checks_its_inputs():
    network = helpers.init_network([2, 4, 1], seed=0)
    with pytest.raises(ValueError, match="X must have 2 columns"):
        helpers.accuracy(network, np.zeros((3, 3)), np.zeros((3, 1)))
    with pytest.raises(ValueError, match="y must have one row per row of X"):
        helpers.accuracy(network, np.zeros((3, 2)), np.zeros((2, 1)))


def test_dead_units_counts_relu_units_that_are_zero_on_every_row():
    # Hidden unit 1 has z = x1 + x2 > 0 on positive inputs; unit 2 has z = -x1 - x2 - 1 < 0 always.
    W1 = np.array([[1.0, -1.0], [1.0, -1.0]])
    b1 = np.array([[0.0, -1.0]])
    network = helpers.Network([W1, np.ones((2, 1))], [b1, np.zeros((1, 1))], ("relu", "sigmoid"))
    X = np.array([[0.5, 0.0], [1.0, 2.0], [0.0, 0.1]])
    assert helpers.dead_units(network, X) == [1]
    sigmoid_network = helpers.init_network([2, 3, 3, 1])
    assert helpers.dead_units(sigmoid_network, X) == [0, 0]
    with pytest.raises(ValueError, match="X must have 2 columns"):
        helpers.dead_units(network, np.zeros((3, 3)))
