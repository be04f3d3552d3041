"""Bad input gives a clear error: the right type, and a message that names the argument."""

import numpy as np
import pytest

import helpers

X_GOOD, Y_GOOD = helpers.xor()
NET = helpers.init_network([2, 3, 1], seed=0)

# Every public function that takes (network, X[, y]), called with the rest of its arguments fixed.
ALL = {
    "forward": lambda net, X, y: helpers.forward(net, X),
    "predict": lambda net, X, y: helpers.predict(net, X),
    "backward": lambda net, X, y: helpers.backward(net, X, y),
    "loss_value": lambda net, X, y: helpers.loss_value(net, X, y),
    "train": lambda net, X, y: helpers.train(net, X, y, 0.1, 5),
    "train_many": lambda net, X, y: helpers.train_many(net, X, y, [0.1, 0.2], 5),
    "gradient_check": lambda net, X, y: helpers.gradient_check(net, X, y),
    "numerical_gradients": lambda net, X, y: helpers.numerical_gradients(net, X, y),
}
WITH_X_Y = {name: call for name, call in ALL.items() if name not in ("forward", "predict")}


@pytest.mark.parametrize("name", sorted(ALL))
@pytest.mark.parametrize(
    ("X", "error", "message"),
    [
        ([0.0, 1.0], ValueError, r"X must be 2-D, got shape \(2,\)"),
        (np.zeros((4, 3)), ValueError, r"X must have 2 columns, got shape \(4, 3\)"),
        (np.zeros((0, 2)), ValueError, "X must have at least one row"),
        ([[0.0, np.nan]] * 4, ValueError, "X must hold finite numbers"),
        ("0 1", TypeError, "X must be a numeric array"),
        ([["a", "b"]] * 4, TypeError, "X must hold real numbers"),
        (None, TypeError, "X must be a numeric array"),
    ],
)
def test_bad_X(name, X, error, message):
    with pytest.raises(error, match=message):
        ALL[name](NET, X, Y_GOOD)


@pytest.mark.parametrize("name", sorted(WITH_X_Y))
@pytest.mark.parametrize(
    ("y", "message"),
    [
        (np.zeros((3, 1)), r"y must have one row per row of X \(4\), got shape \(3, 1\)"),
        (np.zeros((4, 2)), r"y must have 1 columns, got shape \(4, 2\)"),
        (np.zeros(4), r"y must be 2-D, got shape \(4,\)"),
    ],
)
def test_bad_y(name, y, message):
    with pytest.raises(ValueError, match=message):
        WITH_X_Y[name](NET, X_GOOD, y)


@pytest.mark.parametrize("name", sorted(ALL))
@pytest.mark.parametrize("not_a_network", [None, [np.zeros((2, 1))], {"W1": np.zeros((2, 1))}])
def test_not_a_network(name, not_a_network):
    with pytest.raises(TypeError, match=r"network must be a Network \(see init_network\), got"):
        ALL[name](not_a_network, X_GOOD, Y_GOOD)


def test_not_a_network_in_gradient_step():
    grads = helpers.backward(NET, X_GOOD, Y_GOOD)
    with pytest.raises(TypeError, match="network must be a Network"):
        helpers.gradient_step(NET.parameters(), grads, 0.1)


@pytest.mark.parametrize(
    "call",
    [
        lambda y: helpers.backward(NET, X_GOOD, y, "cross_entropy"),
        lambda y: helpers.loss_value(NET, X_GOOD, y, "cross_entropy"),
        lambda y: helpers.train(NET, X_GOOD, y, 0.1, 5, loss="cross_entropy"),
        lambda y: helpers.train_many(NET, X_GOOD, y, [0.1], 5, loss="cross_entropy"),
    ],
)
def test_labels_outside_0_1_for_cross_entropy(call):
    with pytest.raises(ValueError, match=r"y must lie in \[0, 1\] for cross_entropy"):
        call(np.array([[0.0], [1.0], [2.0], [0.0]]))


LINEAR_OUTPUT = helpers.init_network([2, 3, 1], output_activation="identity")


@pytest.mark.parametrize(
    "call",
    [
        lambda: helpers.train(LINEAR_OUTPUT, X_GOOD, Y_GOOD, 0.1, 5, loss="cross_entropy"),
        lambda: helpers.train_many(LINEAR_OUTPUT, X_GOOD, Y_GOOD, [0.1], 5, loss="cross_entropy"),
        lambda: helpers.backward(LINEAR_OUTPUT, X_GOOD, Y_GOOD, loss="cross_entropy"),
        lambda: helpers.loss_value(LINEAR_OUTPUT, X_GOOD, Y_GOOD, loss="cross_entropy"),
        lambda: helpers.gradient_check(LINEAR_OUTPUT, X_GOOD, Y_GOOD, loss="cross_entropy"),
    ],
)
def test_cross_entropy_needs_a_sigmoid_output(call):
    # Cross-entropy works on the logit of a sigmoid output; any other output layer is refused at once.
    with pytest.raises(ValueError, match="'cross_entropy' needs a sigmoid output layer .*, got output activation"):
        call()


RATE_CALLS = {
    "train": lambda rate: helpers.train(NET, X_GOOD, Y_GOOD, rate, 5),
    "train_many": lambda rate: helpers.train_many(NET, X_GOOD, Y_GOOD, [0.1, rate], 5),
    "gradient_step": lambda rate: helpers.gradient_step(NET, helpers.backward(NET, X_GOOD, Y_GOOD), rate),
}


@pytest.mark.parametrize("name", sorted(RATE_CALLS))
@pytest.mark.parametrize(
    ("rate", "error"),
    [
        (0.0, ValueError),
        (-0.5, ValueError),
        (float("nan"), ValueError),
        (float("inf"), ValueError),
        ("0.1", TypeError),
        (True, TypeError),
        (None, TypeError),
    ],
)
def test_bad_learning_rate(name, rate, error):
    with pytest.raises(error, match=r"learning_rates?(\[1\])? must be a positive finite number, got"):
        RATE_CALLS[name](rate)


@pytest.mark.parametrize("rates", [[], [[0.1, 0.2]], "0.1", 0.1])
def test_bad_learning_rate_lists(rates):
    with pytest.raises(ValueError, match="learning_rates must be a non-empty 1-D list of numbers"):
        helpers.train_many(NET, X_GOOD, Y_GOOD, rates, 5)


@pytest.mark.parametrize(
    ("epochs", "error"),
    [(-1, ValueError), (1.5, TypeError), (10.0, TypeError), (True, TypeError), ("10", TypeError), (None, TypeError)],
)
def test_bad_epochs(epochs, error):
    with pytest.raises(error, match=r"epochs must be an integer >= 0, got"):
        helpers.train(NET, X_GOOD, Y_GOOD, 0.1, epochs)
    with pytest.raises(error, match=r"epochs must be an integer >= 0, got"):
        helpers.train_many(NET, X_GOOD, Y_GOOD, [0.1], epochs)


def test_numpy_integers_are_fine_as_epochs():
    assert helpers.train(NET, X_GOOD, Y_GOOD, 0.1, np.int64(3)).losses.shape == (4,)


@pytest.mark.parametrize(("every", "error"), [(0, ValueError), (2.0, TypeError)])
def test_bad_record_every(every, error):
    with pytest.raises(error, match=r"record_every must be an integer >= 1"):
        helpers.train(NET, X_GOOD, Y_GOOD, 0.1, 5, record_every=every)


def test_unknown_names():
    with pytest.raises(ValueError, match=r"^activation must be one of \['identity', 'relu', 'sigmoid', 'tanh'\]"):
        helpers.init_network([2, 1], activation="swish")
    with pytest.raises(ValueError, match=r"^output_activation must be one of"):
        helpers.init_network([2, 1], output_activation="softplus")
    with pytest.raises(ValueError, match=r"^loss must be one of \['cross_entropy', 'mse'\], got 'mae'"):
        helpers.train(NET, X_GOOD, Y_GOOD, 0.1, 5, loss="mae")
    with pytest.raises(ValueError, match=r"^loss must be one of"):
        helpers.backward(NET, X_GOOD, Y_GOOD, loss="l1")
    with pytest.raises(ValueError, match=r"^optimizer must be one of \['adam', 'gd', 'momentum', 'rmsprop'\]"):
        helpers.train(NET, X_GOOD, Y_GOOD, 0.1, 5, optimizer="lbfgs")


@pytest.mark.parametrize(
    ("sizes", "error", "message"),
    [
        ([2], ValueError, r"layer_sizes must list at least two sizes"),
        ([], ValueError, r"layer_sizes must list at least two sizes"),
        ([2, 0, 1], ValueError, r"layer_sizes\[1\] must be an integer >= 1, got 0"),
        ([2, -3], ValueError, r"layer_sizes\[1\] must be an integer >= 1"),
        ([2, 1.5], TypeError, r"layer_sizes\[1\] must be an integer"),
        ([True, 1], TypeError, r"layer_sizes\[0\] must be an integer"),
        ("21", TypeError, r"layer_sizes must be a list of integers"),
        (3, TypeError, r"layer_sizes must be a list of integers"),
    ],
)
def test_bad_layer_sizes(sizes, error, message):
    with pytest.raises(error, match=message):
        helpers.init_network(sizes)


def test_bad_seed_and_weight_scale():
    with pytest.raises(ValueError, match="seed must be an integer >= 0"):
        helpers.init_network([2, 1], seed=-1)
    with pytest.raises(TypeError, match="seed must be an integer"):
        helpers.init_network([2, 1], seed=0.5)
    with pytest.raises(ValueError, match="weight_scale must be a positive finite number"):
        helpers.init_network([2, 1], weight_scale=0)


def test_gradient_step_with_wrong_gradients():
    grads = helpers.backward(NET, X_GOOD, Y_GOOD)
    wrong_shape = {**grads, "W2": np.zeros((1, 3))}
    with pytest.raises(ValueError, match=r"gradients\['W2'\] must have shape \(3, 1\), got \(1, 3\)"):
        helpers.gradient_step(NET, wrong_shape, 0.1)
    missing = {k: v for k, v in grads.items() if k != "b1"}
    with pytest.raises(ValueError, match=r"gradients must be a dict with keys \['W1', 'W2', 'b1', 'b2'\]"):
        helpers.gradient_step(NET, missing, 0.1)
    with pytest.raises(TypeError, match="gradients must be a dict"):
        helpers.gradient_step(NET, list(grads.values()), 0.1)


def test_train_refuses_a_stacked_network():
    stack = helpers.Network([w[None] for w in NET.weights], [b[None] for b in NET.biases], NET.activations)
    with pytest.raises(ValueError, match="network must be a single network with 2-D weights"):
        helpers.train(stack, X_GOOD, Y_GOOD, 0.1, 5)


def test_errors_leave_no_partial_state():
    # A refused call must not have touched the network it was given.
    before = NET.copy()
    with pytest.raises(ValueError):
        helpers.train(NET, X_GOOD, Y_GOOD, 0.1, -1)
    for name, p in NET.parameters().items():
        np.testing.assert_array_equal(p, before.parameters()[name])
