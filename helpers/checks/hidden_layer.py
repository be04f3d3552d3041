"""Checks for the exercises of notebook 05, a hidden layer learns XOR.

Each check computes what it compares against here, on seeded random inputs the page never shows, prints one
verdict and returns True or False.
"""

import numpy as np

from .. import gradcheck, network, training
from ..exercises import BLANK, check_function, not_answered, say
from ..recording import call_recording
from .common import sigmoid


def _batch(rng):
    """A batch and a [d, H, 1] network whose sizes all differ (n > H > d >= 2), so a transposed product
    or a sum over the wrong axis gives a wrong shape rather than a lucky right one."""
    d = int(rng.integers(2, 4))
    units = int(rng.integers(d + 1, d + 4))
    n = int(rng.integers(units + 1, units + 5))
    X = rng.normal(size=(n, d))
    y = rng.integers(0, 2, size=(n, 1)).astype(np.float64)
    W1, b1 = rng.normal(size=(d, units)), rng.normal(scale=0.5, size=(1, units))
    W2, b2 = rng.normal(size=(units, 1)), rng.normal(scale=0.5, size=(1, 1))
    return X, y, W1, b1, W2, b2


def _bias_shape_problem(function, forbidden, seed):
    """A sentence naming a bias gradient of the wrong shape (summed over the wrong axis, or flattened)."""
    arguments = _batch(np.random.default_rng(seed))
    result, _, error = call_recording(function, arguments, forbidden)
    if error is not None or not isinstance(result, (tuple, list)) or len(result) != 4:
        return None
    n, units = len(arguments[0]), arguments[2].shape[1]
    for name, gradient, width in (("db1", result[1], units), ("db2", result[3], 1)):
        shape = np.shape(gradient)
        if shape in ((n, 1), (n,), (1, n)):
            return f"{name} has shape {shape}: it is summed over the wrong axis; sum over the examples (the rows)"
        if shape == (width,):
            return f"{name} has shape {shape}, its bias (1, {width}): keep the row axis (keepdims=True)"
    return None


def two_layer_gradients(function, seed=0):
    """Exercise 1: two_layer_gradients(X, y, W1, b1, W2, b2) returns (dW1, db1, dW2, db2) of the mean squared
    error of a network with a tanh hidden layer and a sigmoid output, for any batch and sizes."""
    name = "two_layer_gradients"

    # The reference and its mistaken variants live here, so no name reachable from helpers computes them.
    def gradients(X, y, W1, b1, W2, b2, hidden_slope="tanh", output_slope=True, scale=2.0, mean=True, sign=1.0):
        """(dW1, db1, dW2, db2) of the MSE of sigmoid(tanh(X W1 + b1) W2 + b2), and variants that make a mistake."""
        Z1 = X @ W1 + b1
        A1 = np.tanh(Z1)
        A2 = sigmoid(A1 @ W2 + b2)
        n = len(X) if mean else 1
        delta2 = scale / n * (A2 - y) * (A2 * (1 - A2) if output_slope else 1.0)
        slope = {"tanh": 1 - A1**2, "sigmoid": A1 * (1 - A1), "none": 1.0, "tanh at z": 1 - Z1**2}[hidden_slope]
        delta1 = delta2 @ W2.T * slope
        result = (X.T @ delta1, delta1.sum(axis=0, keepdims=True), A1.T @ delta2, delta2.sum(axis=0, keepdims=True))
        return tuple(sign * g for g in result)

    forbidden = [
        network.backward,
        network.backward_pass,
        network.output_gradient,
        gradcheck.gradient_check,
        gradcheck.numerical_gradients,
        gradcheck.numerical_derivative,
    ]
    if callable(function) and not not_answered(function):
        problem = _bias_shape_problem(function, forbidden, seed)
        if problem:
            return say(f"Not yet: {name}: {problem}.")
    mistakes = {
        "the sigmoid's slope A1 (1 - A1) in the hidden layer, where the tanh's belongs": lambda *a: gradients(
            *a, hidden_slope="sigmoid"
        ),
        "no slope in the hidden layer: delta1 needs the hidden activation's slope": lambda *a: gradients(
            *a, hidden_slope="none"
        ),
        "the tanh's slope taken at Z1 (1 - Z1^2), where it belongs at the output A1": lambda *a: gradients(
            *a, hidden_slope="tanh at z"
        ),
        "the output's slope A2 (1 - A2) missing from delta2": lambda *a: gradients(*a, output_slope=False),
        "the sum over the examples, not the mean (the 1/n is lost)": lambda *a: gradients(*a, mean=False),
        "the factor 2 of the squared error lost": lambda *a: gradients(*a, scale=1.0),
        "every gradient with its sign flipped: the error is A2 - y": lambda *a: gradients(*a, sign=-1.0),
    }
    return check_function(
        name,
        function,
        gradients,
        _batch,
        seed=seed,
        mistakes=mistakes,
        forbidden=forbidden,
        hint="delta2 as in the notebook; delta1 = delta2 W2^T times the tanh's slope; each dW from delta and "
        "the layer's input.",
    )


def _shapes(units):
    """The shapes of (W1, b1, W2, b2) of a [2, units, 1] network, by name."""
    return {"W1": (2, units), "b1": (1, units), "W2": (units, 1), "b2": (1, 1)}


def _four_arrays(answer, units):
    """{name: float64 array} for (W1, b1, W2, b2) of a [2, units, 1] network, or (None, why the answer is not that)."""
    if isinstance(answer, network.Network):
        return None, "it is a Network: give the four arrays, (W1, b1, W2, b2)"
    if not isinstance(answer, (tuple, list)) or len(answer) != 4:
        return None, "it should be four arrays, (W1, b1, W2, b2)"
    arrays = {}
    for (key, shape), value in zip(_shapes(units).items(), answer):
        try:
            array = np.asarray(value, dtype=np.float64)
        except (TypeError, ValueError):
            return None, f"{key} should be an array of numbers, got {type(value).__name__}"
        if array.shape != shape:
            return None, f"{key} has shape {array.shape}, but it should have shape {shape}"
        if not np.all(np.isfinite(array)):
            return None, f"{key} contains NaN or inf"
        arrays[key] = array
    return arrays, None


def symmetric_start(answer, learning_rate=2.2, epochs=5000):
    """Exercise 2: a start for the [2, 3, 1] sigmoid network whose three hidden units are identical (equal
    columns of W1, equal entries of b1) and from which gradient descent still learns XOR."""
    name = "symmetric_start"
    if not_answered(answer):
        return say(BLANK.format(name=name))
    arrays, problem = _four_arrays(answer, units=3)
    if problem:
        return say(f"Not yet: {name}: {problem}.")
    W1, b1, W2 = arrays["W1"], arrays["b1"], arrays["W2"]
    if np.any(W1 != W1[:, :1]) or np.any(b1 != b1[:, :1]):
        return say(
            f"Not yet: {name}: the hidden units do not start identical (the columns of W1 or the entries of b1 "
            "differ). This exercise asks for a start where each hidden unit has the same weights and bias."
        )
    if np.all(W2 == W2[0, 0]):
        return say(
            f"Not yet: {name}: W2's entries are equal too, so every unit is the same everywhere and gets the "
            "same gradient: the units stay identical for good, as the section above shows."
        )
    X = np.array([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]])
    y = np.array([[0.0], [1.0], [1.0], [0.0]])
    start = network.Network([arrays["W1"], arrays["W2"]], [arrays["b1"], arrays["b2"]], ("sigmoid", "sigmoid"))
    history = training.train(start, X, y, learning_rate=learning_rate, epochs=epochs)
    if history.diverged:
        return say(f"Not yet: {name}: training from this start failed: {history.message}")
    a = history.predictions
    right = int(np.sum(np.where(y == 1, a > 0.5, a < 0.5)))
    trained = f"trained for {epochs} epochs at rate {learning_rate:g}, it ends at loss {history.final_loss:.4f}"
    if right == 4:
        return say(f"✓ {name}: the hidden units start identical, and {trained} with all four points right.")
    return say(
        f"Not yet: {name}: {trained} with {right} of 4 points right.\nHint: which parameters still differ "
        "between the units, and which parts of the backward pass carry that difference into W1 and b1?"
    )


def xnor_by_hand(answer, tolerance=0.1):
    """Exercise 3: weights chosen by hand, (W1, b1, W2, b2), of a [2, 2, 1] sigmoid network whose output on each
    corner of the square is within `tolerance` of XNOR's target (1 on (0, 0) and (1, 1), 0 on the others)."""
    name = "xnor_by_hand"
    if not_answered(answer):
        return say(BLANK.format(name=name))
    arrays, problem = _four_arrays(answer, units=2)
    if problem:
        return say(f"Not yet: {name}: {problem}.")
    W1, b1, W2, b2 = (arrays[key] for key in ("W1", "b1", "W2", "b2"))
    corners = np.array([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]])
    targets = np.array([1.0, 0.0, 0.0, 1.0])
    with np.errstate(over="ignore", invalid="ignore"):  # weights near float64's limit are reported, not raised
        hidden = sigmoid(corners @ W1 + b1)  # (4, 2): each unit's activation on each corner
        outputs = sigmoid(hidden @ W2 + b2)[:, 0]
    if not np.all(np.isfinite(outputs)):
        return say(f"Not yet: {name}: the weights are so large that the network's output is not a number (NaN).")
    right = (outputs > 0.5) == (targets == 1)
    close = np.abs(outputs - targets) <= tolerance
    if close.all():
        return say(f"✓ {name}: each output is within {tolerance:g} of XNOR's target on all four corners.")
    if np.all(W1[:, 0] == W1[:, 1]) and b1[0, 0] == b1[0, 1]:
        return say(
            f"Not yet: {name}: both hidden units have the same weights and bias, so they draw the same line, and "
            "one line cannot split XNOR (notebook 04). Give each unit its own line."
        )
    if right.all():
        far = ", ".join(f"({x1:g}, {x2:g})" for (x1, x2) in corners[~close])
        return say(
            f"Not yet: {name}: all four outputs are on the right side of 0.5, but not within {tolerance:g} of the "
            f"target at {far}. Make the sigmoids more decided: larger weights and biases, in proportion."
        )
    if not right.any():
        return say(
            f"Not yet: {name}: every output is on the wrong side of 0.5, so this network computes XOR, the "
            "opposite of XNOR. Which sign of the output neuron's z means an answer of 1?"
        )
    tables = ", ".join(f"h{k + 1} {tuple(int(value) for value in hidden[:, k] > 0.5)}" for k in range(hidden.shape[1]))
    undecided = [
        f"h{k + 1} at ({x1:g}, {x2:g})"
        for k in range(hidden.shape[1])
        for (x1, x2), value in zip(corners, hidden[:, k])
        if abs(value - 0.5) < 0.1
    ]
    unsure = f"; undecided (within 0.1 of 0.5): {', '.join(undecided)}" if undecided else ""
    return say(
        f"Not yet: {name}: {int(right.sum())} of 4 outputs on the right side of 0.5. Your hidden units compute, "
        f"rounded, in the row order of X: {tables}{unsure}.\nHint: which corners should answer 1? A hidden unit "
        "can single out one corner (notebook 04), and the output neuron can answer 1 when either unit is on."
    )
