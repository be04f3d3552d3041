"""Checks for the exercises of notebook 06 · Backpropagation on a computational graph.

Each check takes the learner's answer, prints one verdict and returns True or False. Everything it
compares against (the right result and the typical mistakes) is computed inside it, on seeded random
inputs the page never shows. A function that lives in helpers is never accepted as an answer, and none
of the engines (helpers' Value, or a class of the learner's page with a backward pass) may do an
exercise's differentiating.
"""

import inspect

import numpy as np

from .. import gradcheck, losses
from ..activations import OUTPUT_ACTIVATIONS, relu_derivative, sigmoid, softmax
from ..engine import Value
from ..exercises import check_function, not_answered
from ..network import backward, backward_pass, gradient_step, output_gradient
from ..recording import call_recording
from ..sweep import train_many
from ..training import train

# The exact derivatives of exercises 1 and 2 agree with the check's to the last few digits; an estimate
# (a finite difference with any fixed step) loses more than this on inputs that span several decades.
EXACT = 1e-10
# Helpers that estimate a derivative by nudging: an exercise that asks for the exact one refuses them.
_ESTIMATORS = [gradcheck.numerical_derivative, gradcheck.numerical_gradients, gradcheck.gradient_check]


def _refused(name, answer):
    """A verdict (False) when `answer` is one of helpers' own callables; None when it is the learner's."""
    if not_answered(answer) or not callable(answer):
        return None
    module = inspect.getmodule(answer) or inspect.getmodule(type(answer))
    if module is not None and module.__name__.split(".")[0] == "helpers":
        print(f"Not yet: {name} is {module.__name__}'s own function; this exercise asks you to write it.")
        return False
    return None


def _engines_of(answer):
    """Every class in the answer's global names that has a backward pass (the page's Value), and helpers'."""
    names = getattr(answer, "__globals__", {})
    found = [value for value in names.values() if inspect.isclass(value) and callable(getattr(value, "backward", None))]
    return [Value, *(engine for engine in found if engine is not Value)]


def _holds_inf_or_nan(result):
    """True when `result` is numbers among which is an inf or a NaN (False for anything that is not numbers)."""
    try:
        return not np.all(np.isfinite(np.asarray(result, dtype=np.float64)))
    except (TypeError, ValueError):
        return False


def _nonzero(rng, scale=2.0):
    """A random number at least 0.1 away from 0 (a divisor, or an input kept off relu's kink)."""
    return float(rng.choice([-1, 1]) * rng.uniform(0.1, scale))


def _estimated(name, answer, right, make_inputs, trials, seed, forbidden):
    """A verdict (False) when the answer is near the right derivatives on every trial but only to a few digits,
    as an estimate (a finite difference) is; None otherwise, for check_function to judge. The trials are
    check_function's own: the same seed, the same inputs."""
    if not_answered(answer) or not callable(answer):
        return None
    rng = np.random.default_rng(seed)
    worst = 0.0
    for arguments in [make_inputs(rng) for _ in range(trials)]:
        got, called, error = call_recording(answer, arguments, forbidden)
        expected = np.asarray(right(*arguments), dtype=np.float64)
        try:
            got = np.asarray(got, dtype=np.float64)
        except (TypeError, ValueError):
            return None
        if called or error is not None or got.shape != expected.shape or not np.all(np.isfinite(got)):
            return None
        worst = max(worst, float(np.max(np.abs(got - expected) / np.abs(expected))))
    if not EXACT < worst < 1e-3:
        return None
    digits = int(-np.log10(worst))
    print(
        f"Not yet: {name} agrees with the exact derivatives to about {digits} digits only, as an estimate such as "
        "a finite difference does. The exercise asks for the exact local derivatives, worked out from the rules."
    )
    return False


def division_gradients(answer, seed=0):
    """Exercise 1: answer(a, b, out_gradient) -> (dL/da, dL/db) for c = a / b, from the local derivatives."""
    refused = _refused("division_gradients", answer)
    if refused is not None:
        return refused

    def right(a, b, g):
        return np.array([g / b, -g * a / b**2])

    def inputs(rng):  # b from 0.001 to 1000 in size: no one step of a finite difference suits them all
        return float(rng.normal()), float(rng.choice([-1, 1]) * 10 ** rng.uniform(-3, 3)), float(rng.normal())

    forbidden = [*_engines_of(answer), *_ESTIMATORS]
    estimated = _estimated("division_gradients", answer, right, inputs, 20, seed, forbidden)
    if estimated is not None:
        return estimated
    return check_function(
        "division_gradients",
        answer,
        right,
        inputs,
        seed=seed,
        tolerance=EXACT,
        mistakes={
            "the sign of dL/db flipped": lambda a, b, g: (g / b, g * a / b**2),
            "dL/db lost the factor a": lambda a, b, g: (g / b, -g / b**2),
            "dL/db divided by b, not by b squared": lambda a, b, g: (g / b, -g * a / b),
            "the upstream gradient out_gradient never multiplied in": lambda a, b, g: (1 / b, -a / b**2),
            "dL/da and dL/db swapped": lambda a, b, g: (-g * a / b**2, g / b),
            "out_gradient multiplied into dL/da only": lambda a, b, g: (g / b, -a / b**2),
            "out_gradient multiplied into dL/db only": lambda a, b, g: (1 / b, -g * a / b**2),
            "dL/db written as -out_gradient * a / b * b, which Python reads as (-out_gradient * a / b) * b: "
            "write b**2, or put b * b in parentheses": lambda a, b, g: (g / b, -g * a),
        },
        forbidden=forbidden,
        hint="write c = a * b**-1 and use the rules of * and of a power; multiply each by out_gradient.",
    )


def used_twice_gradient(answer, seed=0):
    """Exercise 2: answer(b) -> dL/db for L = b * sigmoid(b), worked out by hand."""
    refused = _refused("used_twice_gradient", answer)
    if refused is not None:
        return refused

    def s(b):
        return 1.0 / (1.0 + np.exp(-b))

    def right(b):
        return s(b) + b * s(b) * (1.0 - s(b))

    def inputs(rng):  # near 0, where σ bends, and far out (|b| up to 40), where L is about b or about 0
        return (float(3 * rng.normal()) if rng.random() < 0.6 else float(rng.choice([-1, 1]) * rng.uniform(10, 40)),)

    forbidden = [*_engines_of(answer), *_ESTIMATORS]
    estimated = _estimated("used_twice_gradient", answer, right, inputs, 20, seed, forbidden)
    if estimated is not None:
        return estimated
    return check_function(
        "used_twice_gradient",
        answer,
        right,
        inputs,
        seed=seed,
        tolerance=EXACT,
        mistakes={
            "only the direct use of b counted (the share through σ was lost, as when a gradient is set, not added)": (
                s
            ),
            "only the use through σ counted (the direct use was lost, as when a gradient is set, not added)": (
                lambda b: b * s(b) * (1 - s(b))
            ),
            "σ'(b) taken as σ(b) instead of σ(b)(1 - σ(b))": lambda b: s(b) + b * s(b),
            "σ'(b) written b(1 - b), with the input where the output σ(b) belongs": lambda b: s(b) + b * b * (1 - b),
        },
        forbidden=forbidden,
    )


def relu(answer, seed=0):
    """Exercise 3: answer(self) -> a new Value max(self, 0) of the page's Value class, with its backward rule.

    Tried where relu's input is an intermediate node, z = x * w, used twice: L = g * relu(z) + z. The
    check returns (relu(z), dL/dz, dL/dx, dL/dw) from the page's backward pass and compares them with
    the derivatives of the same expression written out.
    """
    refused = _refused("relu", answer)
    if refused is not None:
        return refused
    engine = getattr(answer, "__globals__", {}).get("Value")
    if not not_answered(answer) and not (inspect.isclass(engine) and callable(getattr(engine, "backward", None))):
        print("Not yet: relu should be an operation of the page's Value class (def relu(self): ... in the notebook).")
        return False

    def through_the_page(x, w, g):
        x_node, w_node = engine(x), engine(w)
        z = x_node * w_node
        out = answer(z)
        (out * engine(g) + z).backward()
        return np.array([out.value, z.gradient, x_node.gradient, w_node.gradient])

    def expression(step):
        # The four numbers when relu passes `step(z, g)` times its upstream gradient g to z.
        def numbers(x, w, g, step=step):
            z = x * w
            dz = step(z, g) + 1.0
            return np.array([max(z, 0.0), dz, dz * w, dz * x])

        return numbers

    def forgets_its_input(x, w, g):
        # Its rule still adds to z, but z's own rule has already run: x and w get the direct share only.
        z = x * w
        return np.array([max(z, 0.0), g * (z > 0) + 1.0, w, x])

    def sets_the_gradient(x, w, g):
        z = x * w
        dz = g * (z > 0)
        return np.array([max(z, 0.0), dz, dz * w, dz * x])

    def inputs(rng):
        x, w = _nonzero(rng), _nonzero(rng)
        return x, w, float(rng.normal())

    return check_function(
        "relu",
        answer if not_answered(answer) else through_the_page,
        expression(lambda z, g: g * (z > 0)),
        inputs,
        seed=seed,
        mistakes={
            "an operation whose new Value does not list its input among its parents: the backward pass then "
            "cannot run relu's rule before its input passes its gradient on": forgets_its_input,
            "the gradient passed on where the input is negative (the identity's rule)": expression(lambda z, g: g),
            "the upstream gradient never multiplied in": expression(lambda z, g: float(z > 0)),
            "a gradient of the wrong sign": expression(lambda z, g: -g * (z > 0)),
            "a gradient set with = where += belongs (the input's other share is lost)": sets_the_gradient,
            "no gradient passed back through relu at all": expression(lambda z, g: 0.0),
        },
        forbidden=[relu_derivative, Value],  # the page's own Value is the one to extend
        hint="compare with the rule of exp or tanh: a new Value with (self,) as parents; its rule adds "
        "local derivative times out.gradient to self.gradient.",
    )


def training_step(answer, seed=0):
    """Exercise 5: answer(model, X, labels, learning_rate) makes one step of gradient descent on the mean
    softmax cross-entropy of a model with K output logits, with the engine; nothing is returned.

    The check builds fresh models (one or two tanh layers, then K linear units, from helpers.Value) on
    fresh data with 2 to 4 classes, trains each for three steps with the answer, and compares the
    parameters with the same three steps computed with arrays.
    """
    refused = _refused("training_step", answer)
    if refused is not None:
        return refused
    steps = 3

    class Model:
        """tanh layers, then K linear outputs; model(x) -> [K logits], model.parameters() -> [Value]."""

        def __init__(self, weights, biases):
            self.weights = [[[Value(v) for v in row] for row in W] for W in weights]
            self.biases = [[Value(v) for v in b] for b in biases]

        def __call__(self, x):
            a = [Value(float(v)) for v in x]
            for layer, (W, b) in enumerate(zip(self.weights, self.biases)):
                z = [sum((a[i] * W[i][j] for i in range(len(a))), b[j]) for j in range(len(b))]
                a = z if layer == len(self.weights) - 1 else [zj.tanh() for zj in z]
            return a

        def parameters(self):
            leaves = [v for W in self.weights for row in W for v in row]
            return leaves + [v for b in self.biases for v in b]

    def flat(weights, biases):
        return np.concatenate([W.ravel() for W in weights] + [b.ravel() for b in biases])

    def through_the_answer(weights, biases, X, labels, learning_rate):
        model = Model(weights, biases)
        for _ in range(steps):
            answer(model, X, labels, learning_rate)
        return np.array([p.value for p in model.parameters()])

    def gradients_of(weights, biases, rows, targets, n, kind):
        # [(dL/dW, dL/db) per layer] of the loss `kind` names, summed over `rows` and divided by n.
        outputs = [rows]
        for layer, (W, b) in enumerate(zip(weights, biases)):
            z = outputs[-1] @ W + b
            outputs.append(z if layer == len(weights) - 1 else np.tanh(z))
        z = outputs[-1]
        p = np.exp(z - z.max(axis=1, keepdims=True))
        p /= p.sum(axis=1, keepdims=True)
        delta = {
            "no log-sum-exp": -targets,
            "no z_c": p,
            "a sigmoid per class": sigmoid(z) - targets,
        }.get(kind, p - targets) / n
        gradients = []
        for layer in range(len(weights) - 1, -1, -1):
            gradients.append((outputs[layer].T @ delta, delta.sum(axis=0)))
            if layer:
                delta = (delta @ weights[layer].T) * (1 - outputs[layer] ** 2)
        return gradients[::-1]

    def with_arrays(kind="right"):
        # The same three steps with arrays; `kind` makes one of the typical mistakes instead.
        def steps_taken(weights, biases, X, labels, learning_rate):
            weights, biases = [W.copy() for W in weights], [b.copy() for b in biases]
            Y = (labels[:, None] == np.arange(len(biases[-1]))).astype(float)  # one-hot rows
            kept = [(np.zeros_like(W), np.zeros_like(b)) for W, b in zip(weights, biases)]  # never zeroed
            for _ in range(steps):
                if kind in ("a step per example", "a step per example, its loss divided by n"):
                    batches = [(X[i : i + 1], Y[i : i + 1]) for i in range(len(X))]
                elif kind == "last example only":
                    batches = [(X[-1:], Y[-1:])]
                else:
                    batches = [(X, Y)]
                n = 1 if kind in ("sum", "a step per example") else len(X)
                for rows, targets in batches:
                    gradients = gradients_of(weights, biases, rows, targets, n, kind)
                    if kind == "never zeroed":
                        kept = [(dW + old_W, db + old_b) for (dW, db), (old_W, old_b) in zip(gradients, kept)]
                        gradients = kept
                    sign = -1.0 if kind == "ascent" else 1.0
                    for layer, (dW, db) in enumerate(gradients):
                        weights[layer] -= sign * learning_rate * dW
                        biases[layer] -= sign * learning_rate * db
            return flat(weights, biases)

        return steps_taken

    def inputs(rng):
        classes = int(rng.integers(2, 5))
        sizes = [2, *(int(h) for h in rng.integers(1, 5, size=rng.integers(1, 3))), classes]
        weights = [rng.normal(size=(m, k)) for m, k in zip(sizes, sizes[1:])]
        biases = [rng.normal(size=k) for k in sizes[1:]]
        n = int(rng.integers(3, 9))
        return weights, biases, rng.normal(size=(n, 2)), rng.integers(0, classes, size=n), float(rng.uniform(0.1, 1))

    return check_function(
        "training_step",
        answer if not_answered(answer) else through_the_answer,
        with_arrays(),
        inputs,
        trials=8,
        seed=seed,
        mistakes={
            "the sum of the example losses, not their mean": with_arrays("sum"),
            "a step up the gradient (+= where -= belongs)": with_arrays("ascent"),
            "a loss of -z_c alone: the log of the sum of the e^z is missing": with_arrays("no log-sum-exp"),
            "a loss of the log of the sum of the e^z alone: the - z_c of the right class is missing": (
                with_arrays("no z_c")
            ),
            "the cross-entropy of each logit on its own, as if each class were a sigmoid output; the classes "
            "share one softmax": with_arrays("a sigmoid per class"),
            "gradients that were never zeroed: each step moves by the sum of all the gradients so far. "
            "A backward pass that adds to the gradients needs each parameter's gradient set to 0 before it": (
                with_arrays("never zeroed")
            ),
            "a step after each example, not one step on the mean over all of them": with_arrays("a step per example"),
            "a step after each example (each loss divided by n), not one step on the mean over all of them": (
                with_arrays("a step per example, its loss divided by n")
            ),
            "only the last example's gradient: backward() zeroes every gradient of its graph first, so build "
            "the mean loss of all the examples, then call backward once": with_arrays("last example only"),
        },
        forbidden=[
            train,
            train_many,
            backward,
            backward_pass,
            gradient_step,
            output_gradient,
            *_ESTIMATORS,
            softmax,
            losses.softmax_cross_entropy,
            losses.softmax_cross_entropy_gradient,
            losses.softmax_cross_entropy_value_and_gradient,
            OUTPUT_ACTIVATIONS["softmax"].function,
        ],
        hint="the loss of an example is log(e^z_0 + ... + e^z_(K-1)) - z_c, with z = model(x) and c its label; "
        "the mean over the examples, one backward(), then p.value -= learning_rate * p.gradient for every p in "
        "model.parameters().",
    )


def cross_entropy_gradient(answer, seed=0):
    """Exercise 4: answer(Z, labels) -> dL/dZ, (n, K), for L the mean over the rows of softmax cross-entropy.

    Z: (n, K) logits; labels: (n,) class numbers 0..K-1. Tried on fresh logits, some of them in the
    hundreds (where exp overflows unless each row's largest logit is subtracted first).
    """
    name = "cross_entropy_gradient"
    refused = _refused(name, answer)
    if refused is not None:
        return refused

    def probabilities(Z, axis=1):
        e = np.exp(Z - Z.max(axis=axis, keepdims=True))
        return e / e.sum(axis=axis, keepdims=True)

    def one_hot(labels, K):
        return (labels[:, None] == np.arange(K)).astype(float)

    def right(Z, labels):
        return (probabilities(Z) - one_hot(labels, Z.shape[1])) / len(Z)

    def inputs(rng):
        n, K = int(rng.integers(1, 7)), int(rng.integers(2, 6))
        Z = 3 * rng.normal(size=(n, K))
        if rng.random() < 0.3:  # rows hundreds apart: a global shift or no shift at all overflows
            Z += rng.uniform(-900, 900, size=(n, 1))
        return Z, rng.integers(0, K, size=n)

    def wrong(kind):
        def gradient(Z, labels):
            P, Y = probabilities(Z, axis=0 if kind == "columns" else 1), one_hot(labels, Z.shape[1])
            return {
                "columns": (P - Y) / len(Z),
                "no mean": P - Y,
                "by K": (P - Y) / Z.shape[1],
                "sign": (Y - P) / len(Z),
                "no y": P / len(Z),
            }[kind]

        return gradient

    forbidden = [
        softmax,
        losses.softmax_cross_entropy,
        losses.softmax_cross_entropy_gradient,
        losses.softmax_cross_entropy_value_and_gradient,  # also losses.get_loss("cross_entropy", "softmax")'s
        OUTPUT_ACTIVATIONS["softmax"].function,
        output_gradient,
        backward,
        backward_pass,
        train,
        train_many,
        *_ESTIMATORS,
        *_engines_of(answer),
    ]
    with np.errstate(over="ignore", invalid="ignore", divide="ignore", under="ignore"):
        if callable(answer) and not not_answered(answer):
            # Two rows far apart: an exp without a shift overflows, a shift by the whole array's largest
            # logit leaves the lower row 0 / 0. Said by name before the random trials.
            far_apart = np.array([[900.0, 899.0, 890.0], [-900.0, -897.0, -905.0]])
            got, called, error = call_recording(answer, (far_apart, np.array([0, 1])), forbidden)
            if error is None and not called and _holds_inf_or_nan(got):
                print(
                    f"Not yet: {name} gives inf or NaN for logits in the hundreds: np.exp overflowed, or a whole row "
                    "underflowed to 0 / 0. Subtract each row's own largest logit before np.exp."
                )
                return False
        return check_function(
            name,
            answer,
            right,
            inputs,
            seed=seed,
            mistakes={
                "the gradient of the sum over rows, not of the mean (the 1/n is missing)": wrong("no mean"),
                "(p - y) divided by the number of classes K, where the mean over the rows divides by n": wrong("by K"),
                "the softmax taken down each column, not along each row": wrong("columns"),
                "y - p where p - y belongs": wrong("sign"),
                "p alone: the one-hot target y was never subtracted": wrong("no y"),
            },
            forbidden=forbidden,
            hint="p = softmax of each row (subtract the row's largest logit before np.exp, so nothing overflows); "
            "y = one-hot rows from the labels; the gradient is (p - y) / n.",
        )
