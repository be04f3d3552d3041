"""Checks for the exercises of notebook 07, activations and depth.

Each check computes what it compares with inside itself, on fresh inputs: backward's reference is a
forward and backward pass written out here (with the mistakes it recognises as variants of it), the
saturation point is solved here, and the twenty-layer network is measured here.
"""

import numpy as np

from .. import engine, gradcheck, losses, network, sweep, training
from ..activations import ACTIVATIONS, sigmoid, sigmoid_derivative
from ..data import make_dataset
from ..exercises import BLANK, check_choice, check_function, check_number, not_answered, say
from ..network import Network, init_network
from ..recording import call_recording
from .common import from_helpers

# What a backward of one's own may not call: the passes, losses' gradients, gradient checks, the engine
# and training (each computes the gradients, or part of them, for the learner).
_DOES_THE_WORK = (
    network.forward_pass,
    network.output_gradient,
    network.backward_pass,
    network.forward,
    network.predict,
    network.backward,
    network.loss_value,
    losses.mse_value_and_gradient,
    losses.cross_entropy_value_and_gradient,
    losses.mean_squared_error_gradient,
    losses.cross_entropy_gradient,
    gradcheck.gradient_check,
    gradcheck.numerical_gradients,
    gradcheck.numerical_derivative,
    engine.Value,
    training.train,
    sweep.train_many,
)


def backward(function, trials=36, seed=7):
    """Exercise: `function(network, X, y, loss)` returns {'W1': dL/dW1, 'b1': dL/db1, ...} for any depth.

    Runs it on `trials` fresh networks (1 to 5 layers, widths 1 to 8, each layer's activation drawn from
    sigmoid, tanh, ReLU and identity; loss 'mse' on any output or 'cross_entropy' on a sigmoid output's
    logit) and compares with a forward and backward pass written out here. A wrong answer is matched
    against the usual slips (a missing slope, a transpose, the slope or input of the wrong layer, a bias
    gradient summed over the wrong axis, the 1/n lost ...) and, failing those, located by layer and loss.
    """
    name = "backward"
    if not_answered(function):
        return say(BLANK.format(name=name))
    if not callable(function):
        return say(f"Not yet: {name} should be a function (def backward(network, X, y, loss): ...).")
    if from_helpers(function):
        return say(f"Not yet: {name} is helpers' own {function.__name__}: write the passes yourself.")
    kinds = ("sigmoid", "tanh", "relu", "identity")
    functions = {kind: ACTIVATIONS[kind].function for kind in kinds}
    slopes = {  # from z, written out: f'(z)
        "sigmoid": lambda z: sigmoid(z) * (1.0 - sigmoid(z)),
        "tanh": lambda z: 1.0 - np.tanh(z) ** 2,
        "relu": lambda z: (z > 0).astype(np.float64),
        "identity": np.ones_like,
    }

    def gradients(net, X, y, loss, mistake=None):
        # The reference (mistake=None) and the slips it recognises, one switch each.
        count = y.size
        zs, outputs = [], [X]
        for w, b, kind in zip(net.weights, net.biases, net.activations):
            zs.append(outputs[-1] @ w + b)
            outputs.append(functions[kind](zs[-1]))
        a, z, kind = outputs[-1], zs[-1], net.activations[-1]
        slope_of = (lambda k, zz: slopes[k](functions[k](zz))) if mistake == "slope at a" else None
        slope = slope_of or (lambda k, zz: slopes[k](zz))
        scale = {"no mean": 1.0, "mean over n": 1.0 / len(X)}.get(mistake, 1.0 / count)
        sign = -1.0 if mistake == "sign" else 1.0
        if loss == "cross_entropy":
            delta = sign * (sigmoid(z) - y) * scale
            if mistake == "slope on logit":
                delta = delta * sigmoid_derivative(z)
        else:
            delta = sign * (1.0 if mistake == "no 2" else 2.0) * (a - y) * scale
            if mistake != "no output slope":
                delta = delta * slope(kind, z)
        grads = {}
        for layer in reversed(range(len(net.weights))):
            below = outputs[layer + 1] if mistake == "output as input" else outputs[layer]
            grads[f"W{layer + 1}"] = delta.T @ below if mistake == "dW transposed" else below.T @ delta
            if mistake == "dW mean":
                grads[f"W{layer + 1}"] = grads[f"W{layer + 1}"] / len(X)
            if mistake == "bias axis 1":
                grads[f"b{layer + 1}"] = delta.sum(axis=1, keepdims=True)
            elif mistake == "bias keepdims":
                grads[f"b{layer + 1}"] = delta.sum(axis=0)
            else:
                grads[f"b{layer + 1}"] = delta.sum(axis=0, keepdims=True) / (len(X) if mistake == "bias mean" else 1)
            if layer:
                back = delta @ net.weights[layer] if mistake == "no transpose" else delta @ net.weights[layer].T
                slope_layer, slope_kind = layer - 1, net.activations[layer - 1]
                if mistake == "slope of layer above":
                    slope_layer = layer
                if mistake == "activation of layer above":
                    slope_kind = net.activations[layer]
                delta = back if mistake == "no hidden slope" else back * slope(slope_kind, zs[slope_layer])
        return grads

    mistakes = {
        "no hidden slope": "the step back through a hidden layer has lost the activation's slope f'(z_l)",
        "no output slope": "delta_L for MSE has lost the output activation's slope f'(z_L)",
        "slope on logit": "delta_L for cross-entropy is multiplied by sigmoid'(z_L): on the logit that slope "
        "has cancelled, delta_L = (sigmoid(z_L) - y) / (n k)",
        "slope at a": "the slope evaluated at the output a = f(z) instead of at z",
        "no transpose": "the step back multiplies delta by W_l, not by its transpose",
        "dW transposed": "dL/dW_l is transposed: the layer's input goes on the left, a_{l-1}^T delta_l",
        "slope of layer above": "the slope taken at z of the layer above (delta from the wrong layer)",
        "activation of layer above": "the slope of z_{l-1} taken with layer l's activation, not layer l-1's",
        "output as input": "dL/dW_l built from the layer's output a_l instead of its input a_{l-1}",
        "bias axis 1": "the bias gradient summed over the units (axis 1) instead of over the examples (axis 0)",
        "bias keepdims": "the bias gradient summed without keepdims: shape (k,) where b has shape (1, k)",
        "bias mean": "the bias gradient averaged over the examples: delta already holds the 1/n",
        "dW mean": "dL/dW divided by n again: delta already holds the 1/n",
        "no mean": "the 1/(n k) of the mean lost: every gradient n k times too large",
        "mean over n": "the loss's mean divided by n only, but it averages all n k entries of the output",
        "no 2": "the derivative of (a - y)^2 without its factor 2",
        "sign": "the sign flipped: (y - a) instead of (a - y)",
    }

    def make_case(rng, index):
        depth = 1 + index % 5
        loss = "cross_entropy" if index % 2 else "mse"
        if index % 3 == 0:  # every width alike: slips that swap layers or transpose keep the shapes
            sizes = [int(rng.integers(2, 9))] * (depth + 1)
        else:
            sizes = [int(size) for size in rng.integers(1, 9, size=depth + 1)]
        hidden = [kinds[(index + layer) % 4] if layer == 0 else str(rng.choice(kinds)) for layer in range(depth - 1)]
        output = "sigmoid" if loss == "cross_entropy" else kinds[(index // 2) % 4]
        weights = [rng.normal(0.0, 1.5 / np.sqrt(n_in), size=(n_in, n_out)) for n_in, n_out in zip(sizes, sizes[1:])]
        biases = [rng.normal(0.0, 0.5, size=(1, n_out)) for n_out in sizes[1:]]
        n = int(rng.integers(2, 10))
        while n in sizes:  # n apart from every width, so a sum over the wrong axis shows in the shape
            n += 1
        X = rng.normal(0.0, 1.0, size=(n, sizes[0]))
        y = rng.integers(0, 2, size=(n, sizes[-1])).astype(np.float64)
        if loss == "mse":
            y = y + rng.normal(0.0, 0.3, size=y.shape)
        return Network(weights, biases, (*hidden, output)), X, y, loss

    rng = np.random.default_rng(seed)
    cases = [make_case(rng, index) for index in range(trials)]

    def described(case):
        net, X, _, loss = case
        return (
            f"{len(net.weights)} layer(s) {net.layer_sizes}, activations {list(net.activations)}, {loss}, n = {len(X)}"
        )

    def agree(got, want):
        # Each gradient within 1e-7 of the reference, relative to that gradient's largest entry at least.
        if not isinstance(got, dict) or set(got) != set(want):
            return False
        for key, expected in want.items():
            try:
                array = np.asarray(got[key], dtype=np.float64)
            except (TypeError, ValueError, OverflowError):
                return False
            if array.shape != expected.shape:
                return False
            scale = np.maximum(np.abs(expected), 1e-3 * np.abs(expected).max(initial=0.0)) + 1e-300
            if not np.all(np.abs(array - expected) <= 1e-7 * scale):
                return False
        return True

    def same_outcome(answer, case, mistake):
        got, error = answer
        try:
            expected = gradients(*case, mistake=mistake)
        except ValueError:  # the slip cannot even be computed on this network (shapes do not fit)
            return error is not None
        return error is None and agree(got, expected)

    def broken(got, error, case, want):
        # What is wrong with the answer's form on this network (an error, the type, keys, shapes), or None.
        if error is not None:
            shapes = " (do the shapes fit? is a matrix transposed? is delta from the wrong layer?)"
            shapes = shapes if "matmul" in str(error) or "broadcast" in str(error) else ""
            return f"Not yet: {name} raised {type(error).__name__}: {error} on a network with {described(case)}{shapes}"
        if not isinstance(got, dict):
            return (
                f"Not yet: {name} should return a dict {{'W1': dL/dW1, 'b1': dL/db1, ...}}, "
                f"got {type(got).__name__}" + (": did you forget the `return`?" if got is None else ".")
            )
        if set(got) != set(want):
            missing, extra = sorted(set(want) - set(got), key=str), sorted(set(got) - set(want), key=str)
            return (
                f"Not yet: {name} returns the keys {sorted(got, key=str)} for a network with {described(case)}; "
                f"it needs {sorted(want)}"
                + (f" (missing {missing})" if missing else "")
                + (f" (not wanted: {extra})" if extra else "")
                + ". Layers are counted from 1, one W and one b per layer."
            )
        for key, expected in want.items():
            shape = np.shape(got[key])
            if shape != expected.shape:
                return (
                    f"Not yet: {name}: its {key} has shape {shape}, but the parameter {key} "
                    f"has shape {expected.shape} (network with {described(case)}). Each gradient has the shape "
                    "of its parameter."
                )
        return None

    # Network by network: the slips the answer still agrees with, and the first network on which its form
    # is wrong. Once it is wrong in form and like no slip, the other networks cannot change the verdict.
    answers, references, slips, first_broken = [], [], list(mistakes), None
    for case in cases:
        got, called, error = call_recording(function, case, _DOES_THE_WORK)
        if called:
            return say(f"Not yet: {name} calls {called[0]}, which this exercise asks you to do without.")
        if isinstance(error, TypeError) and "ellipsis" in str(error).lower():
            return say(BLANK.format(name=name))
        want = gradients(*case)
        answers.append((got, error))
        references.append(want)
        slips = [mistake for mistake in slips if same_outcome((got, error), case, mistake)]
        first_broken = first_broken or broken(got, error, case, want)
        if first_broken and not slips:
            return say(first_broken)
    if all(error is None and agree(got, want) for (got, error), want in zip(answers, references)):
        return say(
            f"✓ {name}: correct on all {trials} random networks (1 to 5 layers, widths 1 to 8, "
            "sigmoid, tanh, ReLU and identity layers, MSE and cross-entropy)."
        )
    if slips:
        return say(f"Not yet: {name} looks like {mistakes[slips[0]]}.")
    wrong = [(case, got, want) for (got, _), case, want in zip(answers, cases, references) if not agree(got, want)]
    by_loss = {loss for (_, _, _, loss), _, _ in wrong}
    message = f"Not yet: {name} is wrong on {len(wrong)} of {trials} random networks"
    if len(by_loss) == 1 and len(wrong) < trials:
        message += f", all of them with the {by_loss.pop()} loss (the others are right)"
    case, got, want = wrong[0]
    layers = len(case[0].weights)

    def right(key):
        return agree({key: got[key]}, {key: want[key]})

    wrong_layers = [layer for layer in range(1, layers + 1) if not (right(f"W{layer}") and right(f"b{layer}"))]
    top = max(wrong_layers)
    if right(f"b{top}"):
        where = f"b{top} is right and W{top} is not: look at dL/dW{top} = (the layer's input)^T delta_{top}"
    elif top == layers:
        where = "the output layer's gradients are wrong already: look at delta_L, dL/dz of the last layer"
    else:
        where = (
            f"the layers above {top} are right and layer {top} is wrong: look at the step from delta_{top + 1} "
            f"to delta_{top}"
        )
    return say(f"{message}. First one: {described(case)}; {where}.")


def saturation(z_saturated):
    """Exercise: the positive z at which sigma'(z) is a hundredth of its largest value sigma'(0) = 1/4."""
    name = "z_saturated"

    def solve(target, slope, low=0.0, high=60.0):
        # The z > 0 at which a decreasing slope equals target, by bisection to float precision.
        for _ in range(200):
            middle = 0.5 * (low + high)
            low, high = (middle, high) if slope(middle) > target else (low, middle)
        return 0.5 * (low + high)

    sigmoid_slope = lambda z: float(sigmoid_derivative(z))  # noqa: E731
    tanh_slope = lambda z: 1.0 - np.tanh(z) ** 2  # noqa: E731
    mistakes = {
        "the z where sigma'(z) = 0.01, a hundredth of 1, not of sigma'(0) = 1/4": solve(0.01, sigmoid_slope),
        "the z where tanh's slope is a hundredth of its largest value": solve(0.01, tanh_slope),
        "the z where sigma(z) itself is 0.99": float(np.log(99.0)),
        "the z where sigma'(z) is a tenth of its largest value": solve(0.025, sigmoid_slope),
    }
    hint = "sigma'(z) = sigma(z) (1 - sigma(z)): solve s (1 - s) = 1/400 for s = sigma(z), then z = log(s / (1 - s))."
    return check_number(name, z_saturated, solve(0.0025, sigmoid_slope), tolerance=1e-4, mistakes=mistakes, hint=hint)


def leaky_relu(leaky_relu, leaky_relu_derivative):
    """Exercise: leaky ReLU and its derivative on arrays of any shape, with the slope as an argument."""

    def inputs(rng):
        shape = tuple(int(size) for size in rng.integers(1, 6, size=rng.integers(1, 3)))
        return rng.normal(0.0, 3.0, size=shape), float(rng.uniform(0.001, 0.5))

    def values(z, slope):
        return np.where(z > 0, z, slope * z)

    def slopes(z, slope):
        return np.where(z > 0, 1.0, slope)

    value_mistakes = {
        "the two branches swapped: slope * z where z > 0": lambda z, slope: np.where(z > 0, slope * z, z),
        "plain ReLU: the slope is ignored": lambda z, slope: np.maximum(z, 0.0),
        "a slope of 0.01 whatever `slope` is": lambda z, slope: np.where(z > 0, z, 0.01 * z),
    }
    slope_mistakes = {
        "ReLU's derivative: the slope for z <= 0 is missing": lambda z, slope: (z > 0) * 1.0,
        "leaky_relu itself, not its derivative": values,
        "the two branches swapped": lambda z, slope: np.where(z > 0, slope, 1.0),
        "a slope of 0.01 whatever `slope` is": lambda z, slope: np.where(z > 0, 1.0, 0.01),
    }
    right = check_function("leaky_relu", leaky_relu, values, inputs, mistakes=value_mistakes)
    derivative_right = check_function(
        "leaky_relu_derivative", leaky_relu_derivative, slopes, inputs, mistakes=slope_mistakes
    )
    return right and derivative_right


def twenty_layers(smallest_first_layer, powers_of_ten):
    """Exercise: the notebook's deep network made twice as deep (19 hidden layers of 16 units). Predict which
    activation has the smallest gradient at layer 1; measure log10 of the sigmoid's layer-20 / layer-1 ratio.

    Measured here as the notebook measures the ten-layer network: two moons (200 points, seed 0),
    cross-entropy, the weight scales of helpers.WEIGHT_SCALES, the median over seeds 0-4. The measurement
    is asked to 1e-6: an estimate from the (1/4)^k bound or from the ten-layer network is a prediction to
    compare it with, not the answer.
    """
    blanks = [
        key
        for key, value in (("smallest_first_layer", smallest_first_layer), ("powers_of_ten", powers_of_ten))
        if not_answered(value)
    ]
    if blanks:
        return all([say(BLANK.format(name=key)) for key in blanks])
    X, y = make_dataset("two_moons", n=200, seed=0)
    activations = ["sigmoid", "tanh", "relu"]

    def first_and_last(activation, depth):
        # ||dL/dW_1|| and ||dL/dW_depth|| of seeds 0-4: (5, 2). The five networks go through one forward
        # and one backward pass together, their weights stacked on a leading axis of 5.
        sizes = [2] + [16] * (depth - 1) + [1]
        scale = network.WEIGHT_SCALES[activation]
        starts = [init_network(sizes, activation=activation, seed=seed, weight_scale=scale) for seed in range(5)]
        weights = [np.stack(layer) for layer in zip(*(start.weights for start in starts))]
        biases = [np.stack(layer) for layer in zip(*(start.biases for start in starts))]
        hidden = ACTIVATIONS[activation]
        inputs, zs = [], []
        for w, b in zip(weights, biases):
            inputs.append(hidden.function(zs[-1]) if zs else X)
            zs.append(inputs[-1] @ w + b)
        delta = (sigmoid(zs[-1]) - y) / len(X)  # cross-entropy on the sigmoid output's z: (5, n, 1)
        last = np.linalg.norm(inputs[-1].mT @ delta, axis=(1, 2))
        for layer in reversed(range(depth - 1)):
            delta = (delta @ weights[layer + 1].mT) * hidden.derivative(zs[layer])
        return np.stack([np.linalg.norm(X.T @ delta, axis=(1, 2)), last], axis=1)

    seeds = {activation: first_and_last(activation, 20) for activation in activations}
    twenty = {activation: np.median(norms, axis=0) for activation, norms in seeds.items()}
    smallest = min(activations, key=lambda activation: twenty[activation][0])
    explanations = {
        activation: "At layer 1 its gradient is not the smallest of the three. Which activation's slope is the "
        "smallest factor at every layer?"
        for activation in activations
    }
    choice_right = check_choice("smallest_first_layer", smallest_first_layer, smallest, activations, explanations)
    ratio = twenty["sigmoid"][1] / twenty["sigmoid"][0]
    ten, mean = np.median(first_and_last("sigmoid", 10), axis=0), seeds["sigmoid"].mean(axis=0)
    powers_mistakes = {
        "the ten-layer network's value: the ten extra layers are missing": np.log10(ten[1] / ten[0]),
        "the ratio itself, not its log10": ratio,
        "the natural log of the ratio, not log10": np.log(ratio),
        "an estimate from the ten-layer network (its log10 times 19 / 9), not the measurement": np.log10(
            ten[1] / ten[0]
        )
        * 19
        / 9,
        "the (1/4)^19 bound, 19 log10(4), not the measurement": 19 * np.log10(4.0),
        "the mean over the seeds, not the median the notebook takes": np.log10(mean[1] / mean[0]),
    }
    hint = "measure as the notebook measured ten layers: gradient_norms for sizes [2] + [16] * 19 + [1], seeds 0-4."
    powers_right = check_number(
        "powers_of_ten", powers_of_ten, np.log10(ratio), tolerance=1e-6, mistakes=powers_mistakes, hint=hint
    )
    return choice_right and powers_right
