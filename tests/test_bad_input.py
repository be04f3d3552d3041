"""Bad input to the public functions: every case gives a ValueError or TypeError whose message names
the argument, what was expected and what was given. The cases are inputs that plain numpy code would
pass over silently or answer obscurely (a numpy matmul error, a silently dropped layer, gradients of
2e10, NaN parameters, strings taken as numbers, a RuntimeWarning, ZeroDivisionError, 0.5 accuracy on
two outputs, ...).

BAD_INPUT lists them, one test case each (the four malformed networks are tried on every function
that takes a network).
"""

import numpy as np
import pytest

import helpers
from helpers.controls import learning_rate_slider
from helpers.optimizers import make_optimizer

X, Y = helpers.xor()
NET = helpers.init_network([2, 3, 1], seed=0)
W1, W2 = NET.weights
B1, B2 = NET.biases
LINEAR_OUTPUT = helpers.init_network([2, 3, 1], output_activation="identity", seed=0)
TWO_OUTPUTS = helpers.init_network([2, 3, 2], seed=0)


def hand_built(weights, biases, activations=("sigmoid", "sigmoid")):
    return helpers.Network(weights, biases, activations)


def network_calls(network):
    """Every public function that takes a network and data, called on `network`."""
    return {
        "forward": lambda: helpers.forward(network, X),
        "predict": lambda: helpers.predict(network, X),
        "backward": lambda: helpers.backward(network, X, Y),
        "loss_value": lambda: helpers.loss_value(network, X, Y),
        "train": lambda: helpers.train(network, X, Y, 0.1, 2),
        "train_many": lambda: helpers.train_many(network, X, Y, [0.1], 2),
        "gradient_check": lambda: helpers.gradient_check(network, X, Y),
        "accuracy": lambda: helpers.accuracy(network, X, Y),
    }


def nan_gradients():
    gradients = helpers.backward(NET, X, Y)
    gradients["W1"] = np.full_like(gradients["W1"], np.nan)
    return gradients


def optimizer_step(grads):
    params = [p.copy() for p in NET.weights + NET.biases]
    make_optimizer("adam", 0.1).step(params, grads)


GOOD_GRADS = [np.ones_like(p) for p in NET.weights + NET.biases]

# (what is wrong, the call, the error, what the message must say)
BAD_INPUT = [
    # A Network built by hand whose layers do not chain, has fewer biases than weights, holds nested
    # lists, or names an unknown activation: refused by every function that takes a network.
    *[
        (
            f"layers that do not chain ({name})",
            call,
            ValueError,
            r"network layers must chain: W2 must have 3 rows \(the outputs of layer 1\), got shape \(4, 1\)",
        )
        for name, call in network_calls(hand_built([W1, np.ones((4, 1))], [B1, B2])).items()
    ],
    *[
        (
            f"fewer biases than weights ({name})",
            call,
            ValueError,
            "network must have one bias and one activation per weight matrix, got 2 weights, 1 biases",
        )
        for name, call in network_calls(hand_built([W1, W2], [B1])).items()
    ],
    *[
        (
            f"weights as nested lists ({name})",
            call,
            TypeError,
            "network parameter W1 must be a numpy array of real numbers, got list",
        )
        for name, call in network_calls(hand_built([W1.tolist(), W2], [B1, B2])).items()
    ],
    *[
        (
            f"an unknown activation ({name})",
            call,
            ValueError,
            r"network.activations\[1\] must be one of \['identity', 'relu', 'sigmoid', 'softmax', 'tanh'\], "
            r"got 'softplus'",
        )
        for name, call in network_calls(hand_built([W1, W2], [B1, B2], ("sigmoid", "softplus"))).items()
    ],
    (
        "a bias of the wrong width",
        lambda: helpers.predict(hand_built([W1, W2], [np.zeros((1, 2)), B2]), X),
        ValueError,
        r"network parameter b1 must have shape \(1, 3\), got \(1, 2\)",
    ),
    (
        "a NaN weight",
        lambda: helpers.predict(hand_built([W1 * np.nan, W2], [B1, B2]), X),
        ValueError,
        "network parameter W1 must hold finite numbers, got NaN or inf",
    ),
    # Cross-entropy on an output layer that is not a sigmoid: gradients of 2e10 before, silently.
    (
        "cross-entropy on a linear output (backward)",
        lambda: helpers.backward(LINEAR_OUTPUT, X, Y, "cross_entropy"),
        ValueError,
        "'cross_entropy' needs a sigmoid output layer .*got output activation 'identity'",
    ),
    (
        "cross-entropy on a linear output (loss_value)",
        lambda: helpers.loss_value(LINEAR_OUTPUT, X, Y, "cross_entropy"),
        ValueError,
        "'cross_entropy' needs a sigmoid output layer",
    ),
    (
        "cross-entropy targets outside [0, 1]",
        lambda: helpers.backward(NET, X, 2 * Y, "cross_entropy"),
        ValueError,
        r"y must lie in \[0, 1\] for cross_entropy",
    ),
    # Optimiser step and gradient_step with NaN or wrongly shaped gradients.
    (
        "gradient_step with NaN gradients",
        lambda: helpers.gradient_step(NET, nan_gradients(), 0.1),
        ValueError,
        r"gradients\['W1'\] must hold finite numbers, got NaN or inf",
    ),
    (
        "optimizer step with NaN gradients",
        lambda: optimizer_step([GOOD_GRADS[0] * np.nan, *GOOD_GRADS[1:]]),
        ValueError,
        r"grads\[0\] must hold finite numbers, got NaN or inf",
    ),
    (
        "optimizer step with a wrongly shaped gradient",
        lambda: optimizer_step([GOOD_GRADS[0].T, *GOOD_GRADS[1:]]),
        ValueError,
        r"grads\[0\] must have the shape of params\[0\] \(2, 3\), got \(3, 2\)",
    ),
    (
        "optimizer step with too few gradients",
        lambda: optimizer_step(GOOD_GRADS[:2]),
        TypeError,
        "params and grads must be lists of arrays of the same length",
    ),
    # Activations given strings, None, NaN, or outputs outside their range.
    ("relu of strings", lambda: helpers.relu(["1", "2"]), TypeError, "z must hold real numbers, got dtype <U1"),
    ("sigmoid of None", lambda: helpers.sigmoid(None), TypeError, "z must be a numeric array, got NoneType"),
    ("tanh of a string", lambda: helpers.tanh("0.5"), TypeError, "z must be a numeric array, got str"),
    ("sigmoid of NaN", lambda: helpers.sigmoid([0.0, np.nan]), ValueError, "z must hold numbers, got NaN"),
    ("sigmoid_derivative of NaN", lambda: helpers.sigmoid_derivative(np.nan), ValueError, "z must hold numbers"),
    (
        "sigmoid_derivative_from_output of 2.0",
        lambda: helpers.sigmoid_derivative_from_output(2.0),
        ValueError,
        r"a must be an output of sigmoid, in \[0, 1\], got values outside it",
    ),
    (
        "tanh_derivative_from_output of -3",
        lambda: helpers.tanh_derivative_from_output([-3.0]),
        ValueError,
        r"a must be an output of tanh, in \[-1, 1\]",
    ),
    (
        "relu_derivative_from_output of -1",
        lambda: helpers.relu_derivative_from_output([-1.0]),
        ValueError,
        r"a must be an output of relu, in \[0, inf\]",
    ),
    (
        "an unknown activation name",
        lambda: helpers.get_activation("softplus"),
        ValueError,
        r"activation must be one of \['identity', 'relu', 'sigmoid', 'tanh'\], got 'softplus'",
    ),
    # Losses on empty arrays (ZeroDivisionError or NaN before).
    (
        "MSE of empty arrays",
        lambda: helpers.mean_squared_error(np.zeros((0, 1)), np.zeros((0, 1))),
        ValueError,
        r"predictions must be a non-empty 2-D array \(n, k\), got shape \(0, 1\)",
    ),
    (
        "MSE gradient of empty arrays",
        lambda: helpers.mean_squared_error_gradient([[]], [[]]),
        ValueError,
        r"predictions must be a non-empty 2-D array",
    ),
    (
        "cross-entropy of empty arrays",
        lambda: helpers.cross_entropy(np.zeros((0, 1)), np.zeros((0, 1))),
        ValueError,
        r"logits must be a non-empty 2-D array",
    ),
    (
        "binary cross-entropy of empty arrays",
        lambda: helpers.binary_cross_entropy([[]], [[]]),
        ValueError,
        r"predictions must be a non-empty 2-D array",
    ),
    (
        "MSE with NaN",
        lambda: helpers.mean_squared_error([[np.nan]], [[0.0]]),
        ValueError,
        "predictions must hold finite numbers, got NaN",
    ),
    # Gradient checking.
    (
        "relative_error with NaN",
        lambda: helpers.relative_error([1.0, np.nan], [1.0, 2.0]),
        ValueError,
        "analytic must hold finite numbers, got NaN",
    ),
    (
        "relative_error with inf",
        lambda: helpers.relative_error([1.0], [np.inf]),
        ValueError,
        "numeric must hold finite numbers, got inf",
    ),
    (
        "numerical_derivative of a non-callable",
        lambda: helpers.numerical_derivative("sigmoid", [0.0]),
        TypeError,
        "function must be callable .*, got str",
    ),
    (
        "numerical_derivative with a zero step",
        lambda: helpers.numerical_derivative(helpers.sigmoid, [0.0], 0),
        ValueError,
        "epsilon must be a positive finite number, got 0",
    ),
    # Accuracy over two classes with targets that are not one-hot rows.
    (
        "accuracy of a two-output network",
        lambda: helpers.accuracy(TWO_OUTPUTS, X, np.zeros((4, 2))),
        ValueError,
        r"y must hold one-hot rows \(see helpers.one_hot\) to measure accuracy over 2 classes",
    ),
    # A learning-rate slider with a negative value.
    (
        "a negative rate on a slider",
        lambda: learning_rate_slider([0.1, -1.0]),
        ValueError,
        r"learning_rates\[1\] must be a positive finite number, got -1.0",
    ),
    (
        "a negative starting value of a slider",
        lambda: learning_rate_slider([0.1, 1.0], value=-0.5),
        ValueError,
        "value must be a positive finite number, got -0.5",
    ),
    # Unknown optimiser constants: the message says which constants the optimiser takes.
    (
        "an unknown constant for momentum",
        lambda: helpers.train(NET, X, Y, 0.1, 2, optimizer="momentum", rho=0.9),
        TypeError,
        r"optimizer 'momentum' takes the constants \['beta'\], got \['rho'\]",
    ),
    (
        "an unknown constant for adam",
        lambda: make_optimizer("adam", 0.1, beta=0.9),
        TypeError,
        r"optimizer 'adam' takes the constants \['beta1', 'beta2', 'epsilon'\], got \['beta'\]",
    ),
    (
        "an unknown constant for a sweep",
        lambda: helpers.train_many(NET, X, Y, [0.1], 2, optimizer="gd", beta=0.9),
        TypeError,
        r"optimizer 'gd' takes the constants none, got \['beta'\]",
    ),
    # batch_size is validated like the other arguments of train.
    (
        "a batch larger than the data",
        lambda: helpers.train(NET, X, Y, 0.1, 2, batch_size=5),
        ValueError,
        "batch_size must be None or at most the 4 rows of X, got 5",
    ),
]


@pytest.mark.parametrize(("what", "call", "error", "message"), BAD_INPUT, ids=[case[0] for case in BAD_INPUT])
def test_bad_input_is_refused_with_a_message_that_names_it(what, call, error, message):
    with pytest.raises(error, match=message):
        call()
