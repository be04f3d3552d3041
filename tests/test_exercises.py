"""The exercise checks: blank answers, wrong kinds, named mistakes, forbidden helpers, and never the expected value."""

import sys

import numpy as np
import pytest

import helpers
from helpers.configurations import train_configuration
from helpers.exercises import (
    check_array,
    check_choice,
    check_configuration,
    check_function,
    check_integer,
    check_number,
    not_answered,
)


def verdict(capsys):
    return capsys.readouterr().out


def stub(x):
    """A function still to be written."""
    ...


def stub_returning_ellipsis(x):
    return ...


def written(x):
    return x


@pytest.mark.parametrize("blank", [None, ..., (..., 1.0), [None, 2.0], stub, stub_returning_ellipsis])
def test_blank_answers_are_not_answered(blank):
    assert not_answered(blank)


@pytest.mark.parametrize("answer", [0.0, 0, (1.0, 2.0), np.zeros(3), written, lambda x: x + 1, "text"])
def test_real_answers_are_answered(answer):
    assert not not_answered(answer)


@pytest.mark.parametrize("check", [check_number, check_array])
def test_blank_prints_not_answered_yet(check, capsys):
    assert check("x", ..., 1.0) is False
    assert verdict(capsys).startswith("Not answered yet: x.")


def test_correct_number_passes_and_numpy_scalars_are_numbers(capsys):
    for answer in (0.25, np.float64(0.25), np.float32(0.25), np.array(0.25), np.array([[0.25]])):
        assert check_number("slope", answer, 0.25, tolerance=1e-6) is True
    assert check_integer("count", np.int64(14), 14) is True
    assert check_integer("count", 14.0, 14) is True
    assert all(line.startswith("✓") for line in verdict(capsys).splitlines())


@pytest.mark.parametrize(
    ("answer", "says"),
    [
        ("0.25", "text"),
        (True, "truth value"),
        ([0.25, 0.5], "one number"),
        (np.nan, "not a finite"),
        ({}, "one number"),
    ],
)
def test_wrong_kinds_are_refused_by_name(answer, says, capsys):
    assert check_number("slope", answer, 0.25) is False
    out = verdict(capsys)
    assert out.startswith("Not yet:") and says in out


def test_strings_are_not_arrays_and_bools_are_not_integers(capsys):
    assert check_array("w", ["0.1", "0.2"], [0.1, 0.2]) is False
    assert "text" in verdict(capsys)
    assert check_integer("count", True, 1) is False
    assert check_integer("count", 2.5, 2) is False
    assert check_integer("count", "14", 14) is False
    out = verdict(capsys)
    assert "truth value" in out and "whole number" in out and "text" in out


def test_a_listed_mistake_is_named_and_the_expected_value_never_printed(capsys):
    expected = 0.1234567
    mistakes = {"the 1/n is missing": expected * 4, "sigma'(z) is missing": 0.5}
    assert check_number("delta", expected * 4, expected, mistakes=mistakes) is False
    assert check_number("delta", 0.5, expected, mistakes=mistakes) is False
    assert check_number("delta", -expected, expected) is False
    assert check_number("delta", round(expected, 3), expected, tolerance=1e-6) is False
    assert check_number("delta", 7.0, expected, hint="look at the sign of a - y") is False
    out = verdict(capsys)
    assert "looks like the 1/n is missing" in out
    assert "looks like sigma'(z) is missing" in out
    assert "sign flipped" in out
    assert "close, but" in out and "1e-06" in out  # the tolerance is stated
    assert "Hint: look at the sign of a - y" in out
    for shown in ("0.123", "0.1234567", "0.12346"):
        assert shown not in out


def test_arrays_check_the_shape_first_and_recognise_a_transpose(capsys):
    expected = np.array([[1.0, 2.0, 3.0]])
    assert check_array("dW", expected.T, expected) is False
    assert "transposed" in verdict(capsys)
    square = np.array([[1.0, 2.0], [3.0, 4.0]])
    assert check_array("dW", square.T, square) is False
    assert "transposed" in verdict(capsys)
    assert check_array("dW", np.zeros(3), expected) is False
    assert "shape (3,)" in verdict(capsys)
    assert check_array("dW", [[1.0, 2.0, 3.5]], expected) is False
    out = verdict(capsys)
    assert "1 of 3 entries" in out and "3.0" not in out
    assert check_array("dW", [[1.0, 2.0, 3.0]], expected) is True


def test_choice_explains_a_wrong_pick(capsys):
    choices = [0.1, 0.22, 0.46]
    assert check_choice("rate", 0.46, 0.22, choices, explanations={0.46: "A smaller one gets there too."}) is False
    assert "smaller one" in verdict(capsys)
    assert check_choice("rate", 0.3, 0.22, choices) is False
    assert "must be one of" in verdict(capsys)
    assert check_choice("rate", "0.22", 0.22, choices) is False
    assert check_choice("rate", np.float64(0.22), 0.22, choices) is True
    assert verdict(capsys).splitlines()[-1].startswith("✓")


def make_inputs(rng):
    return (rng.normal(size=(3, 2)),)


def test_function_on_fresh_inputs_names_mistakes_and_hard_coding(capsys):
    def reference(z):
        return 2 * z

    fixed = reference(make_inputs(np.random.default_rng(0))[0])
    assert check_function("double", lambda z: 2 * z, reference, make_inputs) is True
    assert (
        check_function("double", lambda z: z, reference, make_inputs, mistakes={"the factor 2 is missing": lambda z: z})
        is False
    )
    assert check_function("double", lambda z: fixed, reference, make_inputs) is False
    assert check_function("double", lambda z: z.T, reference, make_inputs) is False
    assert check_function("double", lambda z: 1 / 0, reference, make_inputs) is False
    assert check_function("double", stub, reference, make_inputs) is False
    assert check_function("double", 2.0, reference, make_inputs) is False
    out = verdict(capsys).splitlines()
    assert out[0].startswith("✓")
    assert "looks like the factor 2 is missing" in out[1]
    assert "hard-coded" in out[2]
    assert "shape (2, 3)" in out[3]
    assert "ZeroDivisionError" in out[4]
    assert out[5].startswith("Not answered yet")
    assert "should be a function" in out[6]


def test_forbidden_helpers_are_detected_however_they_are_imported(capsys):
    notebook = {}  # a notebook's global names
    source = (
        "import numpy as np\nimport helpers\nfrom helpers import sigmoid\n"
        "def by_module(z):\n    return helpers.sigmoid(z)\n"
        "def by_name(z):\n    return sigmoid(z)\n"
        "def by_hand(z):\n    return 1 / (1 + np.exp(-z))\n"
    )
    exec(source, notebook)
    original = helpers.sigmoid
    for learner in ("by_module", "by_name", "by_hand"):
        check_function("sigma", notebook[learner], notebook["by_hand"], make_inputs, forbidden=[helpers.sigmoid])
    out = verdict(capsys).splitlines()
    assert "calls helpers.sigmoid" in out[0] and "calls helpers.sigmoid" in out[1]
    assert out[2].startswith("✓")
    assert helpers.sigmoid is original and notebook["sigmoid"] is original  # put back afterwards


def test_function_returning_a_shape_is_compared_exactly(capsys):
    def reference(n, d):
        return (n, d)

    inputs = lambda rng: tuple(int(k) for k in rng.integers(1, 9, size=2))  # noqa: E731
    assert check_function("shape", lambda n, d: (n, d), reference, inputs) is True
    assert check_function("shape", lambda n, d: (d, n), reference, inputs) is False
    assert check_function("shape", lambda n, d: np.zeros((n, d)), reference, inputs) is False
    out = verdict(capsys).splitlines()
    assert out[0].startswith("✓") and out[1].startswith("Not yet") and "tuple" in out[2]


def test_checks_never_raise_on_odd_answers(capsys):
    for odd in (object(), {"a": 1}, [[1, 2], [3]], b"bytes", 1j):
        assert check_number("x", odd, 1.0) is False
        assert check_array("x", odd, [1.0, 2.0]) is False
        assert check_integer("x", odd, 1) is False
    assert all(line.startswith("Not yet:") for line in verdict(capsys).splitlines())


def test_a_dot_dot_dot_left_in_arithmetic_counts_as_blank(capsys):
    weight = ...
    assert check_function("gate", lambda X: X * weight, lambda X: X, make_inputs) is False
    assert verdict(capsys).startswith("Not answered yet: gate.")


def test_functions_returning_several_arrays_are_judged_entry_by_entry(capsys):
    def reference(z):
        return z, 2 * z

    assert check_function("pair", lambda z: (z, 2 * z), reference, make_inputs) is True
    assert check_function("pair", lambda z: (z, z), reference, make_inputs) is False
    assert check_function("pair", lambda z: z, reference, make_inputs) is False
    assert check_function("pair", lambda z: (z, 2 * z.T), reference, make_inputs) is False
    out = verdict(capsys).splitlines()
    assert out[0].startswith("✓") and out[1].startswith("Not yet")
    assert "tuple of 2" in out[2] and "transposed" in out[3]


def test_configuration_check_refuses_malformed_answers_before_training(capsys):
    good = {"hidden": "4", "activation": "tanh", "optimizer": "adam", "learning_rate": 0.1}
    assert check_configuration("ex", ..., "circles", 0.9) is False
    assert check_configuration("ex", {**good, "hidden": ...}, "circles", 0.9) is False
    assert check_configuration("ex", {"hidden": "4"}, "circles", 0.9) is False
    assert check_configuration("ex", good, "circles", 0.9, optimizer="gd") is False
    out = verdict(capsys).splitlines()
    assert out[0].startswith("Not answered yet") and out[1].startswith("Not answered yet")
    assert "keys" in out[2] and "asks for optimizer 'gd'" in out[3]


def test_configuration_check_trains_the_answer(capsys):
    good = {"hidden": "4", "activation": "tanh", "optimizer": "adam", "learning_rate": 0.1}
    assert check_configuration("ex", good, "circles", 0.9) is True
    assert check_configuration("ex", good, "circles", 1.0) is False
    out = verdict(capsys).splitlines()
    assert out[0].startswith("✓") and out[1].startswith("Not yet:") and "below the 100%" in out[1]


def test_configuration_check_judges_on_validation_points_not_test_points(capsys):
    answer = {"hidden": "4", "activation": "tanh", "optimizer": "gd", "learning_rate": 0.1}
    run = train_configuration("circles", **answer)
    on_validation = helpers.accuracy(run.history.final_network, run.X_val, run.y_val)
    on_test = helpers.accuracy(run.history.final_network, run.X_test, run.y_test)
    assert f"{on_validation:.1%}" != f"{on_test:.1%}"  # the two sets tell apart which one was used
    check_configuration("ex", answer, "circles", 1.0)
    assert f"validation accuracy {on_validation:.1%}" in verdict(capsys)


def test_zero_is_not_a_tiny_expected_value_and_close_means_rounded(capsys):
    assert not check_number("slope", 0.0, 3.8e-6, tolerance=0.02)
    assert "close" not in verdict(capsys)
    assert check_number("slope", 3.8e-6 * 1.01, 3.8e-6, tolerance=0.02)
    verdict(capsys)
    # A value off by a factor is "not right", not "close", even under a loose tolerance.
    assert not check_number("rate", 1e-9, 0.05, tolerance=0.02)
    assert "close" not in verdict(capsys)
    assert not check_number("factor", 3.0, 12.0, tolerance=0.15)
    assert "close" not in verdict(capsys)
    assert not check_number("rate", 0.0502, 0.05, tolerance=1e-6)
    assert "close" in verdict(capsys)


def momentum_step(w):
    """Stands for a function a notebook defines (a global name, as in a notebook)."""
    return w


def lazy_walk(w):
    return momentum_step(w)


def test_a_forbidden_function_of_the_notebook_is_named_plainly(capsys):
    assert not check_function("walk", lazy_walk, lambda w: w, lambda rng: (rng.normal(),), forbidden=(momentum_step,))
    said = verdict(capsys)
    assert "momentum_step" in said and "helpers.momentum_step" not in said


def scalar_only_relu(z):
    return max(z, 0.0)


def test_a_function_for_single_numbers_only_is_told_to_work_elementwise(capsys):
    make = lambda rng: (rng.normal(size=(3, 2)),)  # noqa: E731
    assert not check_function("relu", scalar_only_relu, lambda z: np.maximum(z, 0.0), make)
    said = verdict(capsys)
    assert "single numbers only" in said and "np.maximum" in said


def test_configuration_check_says_when_the_output_is_flat(capsys):
    answer = {"hidden": "16-16", "activation": "relu", "optimizer": "adam", "learning_rate": 0.46}
    assert not check_configuration("spiral", answer, "spiral", 0.9)
    said = verdict(capsys)
    assert "validation accuracy 50.0%" in said and "the same for every point" in said


def tanh_slope_through_the_table(z):
    return helpers.ACTIVATIONS["tanh"].derivative(z)


def test_a_forbidden_helper_reached_through_a_table_is_detected(capsys):
    make = lambda rng: (rng.normal(size=4),)  # noqa: E731
    table_entry = helpers.ACTIVATIONS["tanh"].derivative
    forbidden = (helpers.tanh_derivative, table_entry)
    assert not check_function("slope", tanh_slope_through_the_table, helpers.tanh_derivative, make, forbidden=forbidden)
    assert "helpers.ACTIVATIONS['tanh'].derivative" in verdict(capsys)
    # The table is as it was afterwards.
    assert helpers.ACTIVATIONS["tanh"].derivative is table_entry


def test_a_float32_answer_is_the_same_choice():
    assert check_choice("rate", np.float32(2.2), 2.2, [0.22, 2.2, 22.0])


def gd_step_through_the_table(w, g):
    w = w.copy()
    helpers.OPTIMIZERS["gd"](0.5).step([w], [g])
    return w


MADE_BEFORE = {"gd": helpers.optimizers.GradientDescent(0.5), "momentum": helpers.optimizers.Momentum(0.5, beta=0.0)}


def step_of_an_object_made_before(name):
    def step(w, g):
        w = w.copy()
        MADE_BEFORE[name].step([w], [g])  # Optimizer.step, inherited: the class is known by the instance
        return w

    return step


SLOPES = {"tanh": helpers.tanh_derivative}  # a plain function held in a dict of the page


def tanh_slope_through_a_dict(w, g):
    return SLOPES["tanh"](w) * g


def test_a_forbidden_class_or_function_is_detected_however_it_is_reached(capsys):
    make = lambda rng: (rng.normal(size=(2, 1)), rng.normal(size=(2, 1)))  # noqa: E731
    right = lambda w, g: w - 0.5 * g  # noqa: E731
    gradient_descent = [helpers.optimizers.GradientDescent]
    assert not check_function("step", gd_step_through_the_table, right, make, forbidden=gradient_descent)
    assert not check_function("step", step_of_an_object_made_before("gd"), right, make, forbidden=gradient_descent)
    # Momentum with beta = 0 takes the same step and inherits the same Optimizer.step: not forbidden here.
    assert check_function("step", step_of_an_object_made_before("momentum"), right, make, forbidden=gradient_descent)
    slope = lambda w, g: (1 - np.tanh(w) ** 2) * g  # noqa: E731
    assert not check_function("slope", tanh_slope_through_a_dict, slope, make, forbidden=[helpers.tanh_derivative])
    out = verdict(capsys).splitlines()
    assert "calls helpers.GradientDescent" in out[0] and "calls helpers.GradientDescent" in out[1]
    assert out[2].startswith("✓") and "calls helpers.tanh_derivative" in out[3]
    assert helpers.OPTIMIZERS["gd"] is helpers.optimizers.GradientDescent and SLOPES["tanh"] is helpers.tanh_derivative
    assert sys.getprofile() is None  # the recording is over


def test_closures_of_one_factory_are_told_apart_and_ufuncs_in_tables_are_recorded(capsys):
    # ACTIVATIONS' inverses are closures of one function: forbidding tanh's leaves the sigmoid's free.
    inverses = {name: helpers.ACTIVATIONS[name].inverse for name in ("sigmoid", "tanh")}
    make = lambda rng: (rng.uniform(0.1, 0.9, size=3),)  # noqa: E731
    logit = lambda a: np.log(a) - np.log1p(-a)  # noqa: E731
    forbidden = [inverses["tanh"]]
    assert check_function(
        "logit", lambda a: helpers.ACTIVATIONS["sigmoid"].inverse(a), logit, make, forbidden=forbidden
    )
    assert not check_function("atanh", lambda a: inverses["tanh"](a), np.arctanh, make, forbidden=forbidden)
    # np.tanh has no Python code to watch: it is swapped for a recorder in the table that holds it.
    assert not check_function(
        "tanh", lambda a: helpers.ACTIVATIONS["tanh"].function(a), np.tanh, make, forbidden=[np.tanh]
    )
    out = verdict(capsys).splitlines()
    assert out[0].startswith("✓") and "calls helpers.ACTIVATIONS['tanh'].inverse" in out[1]
    assert "calls helpers.ACTIVATIONS['tanh'].function" in out[2] and helpers.ACTIVATIONS["tanh"].function is np.tanh
