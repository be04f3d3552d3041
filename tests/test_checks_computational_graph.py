"""The checks of notebook 06's exercises: a right answer passes, each typical mistake is named, a lazy one fails.

Exercise 3 extends the page's own `Value` class, so its answers are made in the namespace of the page
(run by test_try_this.page); the others are plain functions written here.
"""

import numpy as np
import pytest
from test_try_this import page

import helpers
from helpers.checks import computational_graph as check


def verdict(capsys, passed):
    """(passed, the one verdict printed)."""
    return passed, capsys.readouterr().out


def sigmoid(b):
    return 1 / (1 + np.exp(-b))


def right_division(a, b, g):
    return g / b, -g * a / b**2


def right_used_twice(b):
    s = helpers.sigmoid(b)
    return s + b * s * (1 - s)


def softmax_cross_entropy(logits, c):
    """log Σ_j e^(z_j) - z_c of one example's logits (Values), its largest logit subtracted first."""
    m = max(z.value for z in logits)
    return sum((z - m).exp() for z in logits).log() + m - logits[c]


def right_step(model, X, labels, learning_rate):
    losses = [softmax_cross_entropy(model(x), c) for x, c in zip(X, labels)]
    L = sum(losses[1:], losses[0]) * (1 / len(losses))
    L.backward()
    for p in model.parameters():
        p.value -= learning_rate * p.gradient


def right_cross_entropy_gradient(Z, labels):
    e = np.exp(Z - Z.max(axis=1, keepdims=True))
    return (e / e.sum(axis=1, keepdims=True) - np.eye(Z.shape[1])[labels]) / len(Z)


RELU = """
def relu(self):
    out = Value(max(self.value, 0.0), (self,), "relu")

    def backward_rule():
        self.gradient {assign} {local} * out.gradient

    out.backward_rule = backward_rule
    return out
"""


def page_relu(assign="+=", local="(1.0 if self.value > 0 else 0.0)", parents="(self,)"):
    """A relu written in the namespace of notebook 06, extending the page's Value."""
    namespace = dict(page("06_computational_graph"))
    exec(RELU.format(assign=assign, local=local).replace("(self,)", parents), namespace)
    return namespace["relu"]


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_right_answers_pass(capsys, seed):
    answers = {
        check.division_gradients: right_division,
        check.used_twice_gradient: right_used_twice,
        check.relu: page_relu(),
        check.training_step: right_step,
        check.cross_entropy_gradient: right_cross_entropy_gradient,
    }
    for exercise, answer in answers.items():
        passed, printed = verdict(capsys, exercise(answer, seed=seed))
        assert passed and printed.startswith("✓"), printed


def test_other_right_forms_pass(capsys):
    assert check.division_gradients(lambda a, b, g: np.array([g * b**-1, g * a * -1 * b**-2]), seed=3)
    assert check.used_twice_gradient(lambda b: sigmoid(b) * (1 + b * (1 - sigmoid(b))), seed=3)
    assert check.relu(page_relu(local="float(out.value > 0)"), seed=3)  # the slope read off the output


def test_a_blank_answer_is_not_answered_yet(capsys):
    def blank(*arguments):
        """The answer cell as stored."""
        ...

    for exercise in (check.division_gradients, check.used_twice_gradient, check.relu, check.training_step):
        passed, printed = verdict(capsys, exercise(blank))
        assert not passed and printed.startswith("Not answered yet"), printed
    passed, printed = verdict(capsys, check.cross_entropy_gradient(...))
    assert not passed and printed.startswith("Not answered yet"), printed


def wrong_step(loss="softmax", mean=True, zero=True, per_example=False, sign=-1.0):
    """A training step that makes one of the typical mistakes."""
    kept = {}

    def example_loss(logits, c):
        if loss == "-z_c":
            return logits[c] * -1.0
        if loss == "a sigmoid per class":
            return sum(((1 + z.exp()).log() - float(k == c) * z for k, z in enumerate(logits)), helpers.Value(0.0))
        return softmax_cross_entropy(logits, c)

    def step(model, X, labels, learning_rate):
        batches = [(X[i : i + 1], labels[i : i + 1]) for i in range(len(X))] if per_example else [(X, labels)]
        for rows, classes in batches:
            losses = [example_loss(model(x), c) for x, c in zip(rows, classes)]
            L = sum(losses[1:], losses[0]) * (1 / (len(X) if mean else 1))
            L.backward()
            for p in model.parameters():
                if not zero:  # the gradients of every earlier step added in, as an engine that never zeroes
                    kept[p] = kept.get(p, 0.0) + p.gradient
                    p.gradient = kept[p]
                p.value += sign * learning_rate * p.gradient

    return step


@pytest.mark.parametrize(
    ("exercise", "answer", "named"),
    [
        (check.division_gradients, lambda a, b, g: (g / b, g * a / b**2), "the sign of dL/db flipped"),
        (check.division_gradients, lambda a, b, g: (g / b, -g / b**2), "lost the factor a"),
        (check.division_gradients, lambda a, b, g: (g / b, -g * a / b), "divided by b, not by b squared"),
        (check.division_gradients, lambda a, b, g: (1 / b, -a / b**2), "never multiplied in"),
        (check.division_gradients, lambda a, b, g: (-g * a / b**2, g / b), "swapped"),
        (check.division_gradients, lambda a, b, g: (g / b, -a / b**2), "into dL/da only"),
        (check.division_gradients, lambda a, b, g: (g / b, -g * a / b * b), "which Python reads as"),
        (check.used_twice_gradient, sigmoid, "only the direct use of b counted"),
        (check.used_twice_gradient, lambda b: b * sigmoid(b) * (1 - sigmoid(b)), "only the use through σ"),
        (check.used_twice_gradient, lambda b: sigmoid(b) + b * sigmoid(b), "σ'(b) taken as σ(b)"),
        (check.training_step, wrong_step(mean=False), "the sum of the example losses"),
        (check.training_step, wrong_step(sign=1.0), "a step up the gradient"),
        (check.training_step, wrong_step(loss="-z_c"), "the log of the sum of the e^z is missing"),
        (check.training_step, wrong_step(loss="a sigmoid per class"), "as if each class were a sigmoid output"),
        (check.training_step, wrong_step(zero=False), "never zeroed"),
        (check.training_step, wrong_step(per_example=True, mean=False), "a step after each example"),
        (
            check.cross_entropy_gradient,
            lambda Z, labels: right_cross_entropy_gradient(Z, labels) * len(Z),
            "1/n is missing",
        ),
        (check.cross_entropy_gradient, lambda Z, labels: -right_cross_entropy_gradient(Z, labels), "y - p where p - y"),
        (
            check.cross_entropy_gradient,
            lambda Z, labels: right_cross_entropy_gradient(Z, labels) * len(Z) / Z.shape[1],
            "divided by the number of classes K",
        ),
    ],
)
def test_each_typical_mistake_is_named(capsys, exercise, answer, named):
    passed, printed = verdict(capsys, exercise(answer, seed=5))
    assert not passed and named in printed, printed


@pytest.mark.parametrize(
    ("kind", "named"),
    [
        ({"parents": "()"}, "does not list its input among its parents"),
        ({"assign": "="}, "set with = where += belongs"),
        ({"local": "1.0"}, "passed on where the input is negative"),
        ({"local": "-(1.0 if self.value > 0 else 0.0)"}, "wrong sign"),
    ],
)
def test_each_relu_mistake_is_named(capsys, kind, named):
    passed, printed = verdict(capsys, check.relu(page_relu(**kind), seed=5))
    assert not passed and named in printed, printed


@pytest.mark.parametrize("step", [1e-4, 1e-5, 1e-6, 1e-7, 1e-8])
def test_a_finite_difference_is_not_the_exact_derivative(capsys, step):
    def division_by_differences(a, b, g):
        return g * ((a + step) / b - (a - step) / b) / (2 * step), g * (a / (b + step) - a / (b - step)) / (2 * step)

    def used_twice_by_differences(b):
        return ((b + step) * sigmoid(b + step) - (b - step) * sigmoid(b - step)) / (2 * step)

    for exercise, answer in (
        (check.division_gradients, division_by_differences),
        (check.used_twice_gradient, used_twice_by_differences),
    ):
        for seed in range(4):
            passed, printed = verdict(capsys, exercise(answer, seed=seed))
            assert not passed, (seed, printed)


def test_a_finite_difference_close_to_the_derivative_is_called_an_estimate(capsys):
    passed, printed = verdict(
        capsys,
        check.used_twice_gradient(lambda b: ((b + 1e-6) * sigmoid(b + 1e-6) - (b - 1e-6) * sigmoid(b - 1e-6)) / 2e-6),
    )
    assert not passed and "an estimate such as a finite difference" in printed, printed


def by_the_engine(b):
    B = helpers.Value(b)
    (B * B.sigmoid()).backward()
    return B.gradient


def softmax_gradient_of_a_helper(Z, labels):
    loss = helpers.losses.get_loss("cross_entropy", "softmax")
    return loss.value_and_gradient(Z, np.eye(Z.shape[1])[labels])[1]


@pytest.mark.parametrize(
    ("exercise", "answer", "refused"),
    [
        (
            check.division_gradients,
            lambda a, b, g: (
                g * helpers.numerical_derivative(lambda s: s / b, a),
                g * helpers.numerical_derivative(lambda s: a / s, b),
            ),
            "calls helpers.numerical_derivative",
        ),
        (check.used_twice_gradient, by_the_engine, "calls helpers.Value"),
        (
            check.used_twice_gradient,
            lambda b: helpers.numerical_derivative(lambda s: s * helpers.sigmoid(s), b),
            "calls helpers.numerical_derivative",
        ),
        (check.relu, helpers.Value.relu, "helpers.engine's own function"),
        (check.training_step, helpers.train, "helpers.training's own function"),
        (check.cross_entropy_gradient, helpers.softmax_cross_entropy_gradient, "helpers.losses's own function"),
        (
            check.cross_entropy_gradient,
            softmax_gradient_of_a_helper,
            "calls helpers.softmax_cross_entropy_value_and_gradient",
        ),
        (
            check.cross_entropy_gradient,
            lambda Z, labels: (helpers.softmax(Z) - np.eye(Z.shape[1])[labels]) / len(Z),
            "calls helpers.softmax",
        ),
    ],
)
def test_helpers_that_do_the_work_are_refused(capsys, exercise, answer, refused):
    passed, printed = verdict(capsys, exercise(answer, seed=2))
    assert not passed and refused in printed, printed


def test_a_relu_of_the_page_without_its_input_or_of_another_class_is_refused(capsys):
    passed, printed = verdict(capsys, check.relu(page("06_computational_graph")["tanh"], seed=2))
    assert not passed and printed.startswith("Not yet"), printed

    def relu(self):  # written where no Value with a backward pass is in reach
        return max(self, 0.0)

    passed, printed = verdict(capsys, check.relu(relu))
    assert not passed and "an operation of the page's Value class" in printed, printed


def test_logits_in_the_hundreds_need_the_row_shift(capsys):
    def no_shift(Z, labels):
        e = np.exp(Z)
        return (e / e.sum(axis=1, keepdims=True) - np.eye(Z.shape[1])[labels]) / len(Z)

    def one_shift_for_all(Z, labels):
        e = np.exp(Z - Z.max())
        return (e / e.sum(axis=1, keepdims=True) - np.eye(Z.shape[1])[labels]) / len(Z)

    for answer in (no_shift, one_shift_for_all):
        passed, printed = verdict(capsys, check.cross_entropy_gradient(answer, seed=2))
        assert not passed and "Subtract each row's own largest logit" in printed, printed


def test_the_two_class_loss_of_the_page_is_not_a_step_for_k_classes(capsys):
    mean_cross_entropy = page("06_computational_graph")["mean_cross_entropy"]

    def step(model, X, labels, learning_rate):
        mean_cross_entropy(model, X, labels[:, None].astype(float)).backward()
        for p in model.parameters():
            p.value -= learning_rate * p.gradient

    passed, printed = verdict(capsys, check.training_step(step, seed=2))
    assert not passed and printed.startswith("Not yet"), printed
