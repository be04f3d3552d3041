"""Exercise checks given odd arguments by the person who writes the exercise, and odd answers.

A teacher's mistake (an expected value that is not one number, a tolerance below 0, no choices, a
data set the playground does not have, ...) raises at once, blank answer or not, with a message that
names the argument, what was expected and what was given: it must never let a wrong answer pass or
make a right one fail without a word. A learner's answer never raises: an int too large for float64
(10**400) gets a verdict like any other answer.
"""

import numpy as np
import pytest

from helpers.exercises import (
    check_array,
    check_choice,
    check_configuration,
    check_function,
    check_integer,
    check_number,
)

NAN = float("nan")
BIG = 10**400  # an int beyond float64 (about 1.8e308)
CONFIGURATION = {"hidden": "4", "activation": "tanh", "optimizer": "adam", "learning_rate": 0.1}


def double(z):
    return 2 * z


def vectors(rng):
    return (rng.normal(size=3),)


# (what is wrong, the check called with an answer, a real answer, the error, what the message must say)
TEACHER_MISTAKES = [
    # A wrong answer would pass.
    (
        "check_function with trials=0",
        lambda answer: check_function("f", answer, double, vectors, trials=0),
        double,
        ValueError,
        "trials must be an integer >= 1, got 0",
    ),
    (
        "check_number with two expected values",
        lambda answer: check_number("x", answer, [0.5, 0.5]),
        0.5,
        TypeError,
        r"expected must be one real number, got list \[0.5, 0.5\]",
    ),
    # The exercise would be unpassable.
    *[
        (
            f"check_number with expected {expected!r}",
            lambda answer, expected=expected: check_number("x", answer, expected),
            0.5,
            error,
            message,
        )
        for expected, error, message in [
            (NAN, ValueError, "expected must be a finite number, got nan"),
            (float("inf"), ValueError, "expected must be a finite number, got inf"),
            (None, TypeError, "expected must be one real number, got NoneType None"),
            ("abc", TypeError, "expected must be one real number, got str 'abc'"),
            (True, TypeError, "expected must be one real number, got bool True"),
        ]
    ],
    *[
        (
            f"{check.__name__} with tolerance {tolerance!r}",
            lambda answer, check=check, tolerance=tolerance: check("x", answer, 0.5, tolerance=tolerance),
            0.5,
            error,
            f"tolerance must be a positive finite number, got {message}",
        )
        for check in (check_number, check_array)
        for tolerance, error, message in [
            (-1, ValueError, "-1.0"),
            (NAN, ValueError, "nan"),
            ("1e-6", TypeError, "'1e-6'"),
        ]
    ],
    (
        "check_number with a mistake that is not one number",
        lambda answer: check_number("x", answer, 0.5, mistakes={"halved": [0.25, 0.25]}),
        0.5,
        TypeError,
        r"mistakes\['halved'\] must be one real number, got list",
    ),
    (
        "check_number with a hint that is not text",
        lambda answer: check_number("x", answer, 0.5, hint=3),
        0.5,
        TypeError,
        "hint must be None or a str, got int",
    ),
    *[
        (
            f"check_array with expected {what}",
            lambda answer, expected=expected: check_array("w", answer, expected),
            [1.0, 2.0],
            error,
            message,
        )
        for what, expected, error, message in [
            ("holding NaN", [1.0, NAN], ValueError, "expected must hold finite numbers, got NaN"),
            ("a string", "1.0 2.0", TypeError, "expected must be a numeric array, got str"),
            ("ragged", [[1.0], [1.0, 2.0]], TypeError, "expected must be a numeric array, got list"),
            ("None", None, TypeError, "expected must be a numeric array, got NoneType"),
        ]
    ],
    (
        "check_array with a mistake of another shape (it could never be recognised)",
        lambda answer: check_array("w", answer, [1.0, 2.0], mistakes={"one entry": [1.0]}),
        [1.0, 2.0],
        ValueError,
        r"mistakes\['one entry'\] must have the shape of expected \(2,\), got shape \(1,\)",
    ),
    *[
        (
            f"check_integer with expected {expected!r}",
            lambda answer, expected=expected: check_integer("n", answer, expected),
            3,
            TypeError,
            f"expected must be an integer \\(int or numpy integer\\), got {kind}",
        )
        for expected, kind in [(2.5, "float 2.5"), ("3", "str '3'"), (None, "NoneType None")]
    ],
    (
        "check_integer with a mistake that is not an integer",
        lambda answer: check_integer("n", answer, 3, mistakes={"off by a half": 3.5}),
        3,
        TypeError,
        r"mistakes\['off by a half'\] must be an integer",
    ),
    (
        "check_choice whose expected is not among the choices",
        lambda answer: check_choice("rate", answer, 0.3, [0.1, 0.22, 0.46]),
        0.22,
        ValueError,
        r"expected must be one of choices \[0.1, 0.22, 0.46\], got 0.3",
    ),
    (
        "check_choice with no choices",
        lambda answer: check_choice("rate", answer, 0.1, []),
        0.1,
        ValueError,
        r"choices must hold at least two options, got \[\]",
    ),
    (
        "check_choice with choices 'abc' (not read as 'a', 'b', 'c')",
        lambda answer: check_choice("letter", answer, "a", "abc"),
        "a",
        TypeError,
        "choices must be a list or tuple of the options, got str 'abc'",
    ),
    (
        "check_choice explaining a choice it does not offer",
        lambda answer: check_choice("rate", answer, 0.1, [0.1, 0.2], explanations={0.3: "too large"}),
        0.1,
        ValueError,
        r"each key of explanations must be one of choices \[0.1, 0.2\], got 0.3",
    ),
    *[
        (
            f"check_function with tolerance {tolerance!r}",
            lambda answer, tolerance=tolerance: check_function("f", answer, double, vectors, tolerance=tolerance),
            double,
            ValueError,
            "tolerance must be a positive finite number",
        )
        for tolerance in (-1e-6, NAN)
    ],
    (
        "check_function with a reference that is not callable",
        lambda answer: check_function("f", answer, 2.0, vectors),
        double,
        TypeError,
        "reference must be a function, got float 2.0",
    ),
    (
        "check_function whose make_inputs returns an array, not a tuple of arguments",
        lambda answer: check_function("f", answer, double, lambda rng: rng.normal(size=3)),
        double,
        TypeError,
        "make_inputs must return a tuple of arguments, got ndarray",
    ),
    (
        "check_function with a mistake that is a value, not a function",
        lambda answer: check_function("f", answer, double, vectors, mistakes={"halved": 1.0}),
        double,
        TypeError,
        r"mistakes\['halved'\] must be a function, got float 1.0",
    ),
    (
        "check_function with forbidden given as a name",
        lambda answer: check_function("f", answer, double, vectors, forbidden="helpers.sigmoid"),
        double,
        TypeError,
        "forbidden must be a list of functions, got str",
    ),
    *[
        (
            f"check_configuration with min_validation_accuracy {value!r}",
            lambda answer, value=value: check_configuration("c", answer, "circles", value),
            CONFIGURATION,
            error,
            f"min_validation_accuracy must be a fraction in \\(0, 1\\], such as 0.9, got {message}",
        )
        for value, error, message in [(NAN, ValueError, "nan"), (1.5, ValueError, "1.5"), ("0.9", TypeError, "'0.9'")]
    ],
    # The learner would be misdirected ("that configuration cannot be trained").
    (
        "check_configuration with an unknown data set",
        lambda answer: check_configuration("c", answer, "moon", 0.9),
        CONFIGURATION,
        ValueError,
        r"dataset must be one of \[.*'circles', 'moons'.*\], got 'moon'",
    ),
    (
        "check_configuration requiring a setting the answer does not have",
        lambda answer: check_configuration("c", answer, "circles", 0.9, rate=0.1),
        CONFIGURATION,
        TypeError,
        r"required settings must be among \['hidden', 'activation', 'optimizer', 'learning_rate'\], got \['rate'\]",
    ),
]


@pytest.mark.parametrize("blank", [False, True], ids=["answered", "blank"])
@pytest.mark.parametrize(
    ("what", "call", "answer", "error", "message"), TEACHER_MISTAKES, ids=[case[0] for case in TEACHER_MISTAKES]
)
def test_a_teachers_mistake_raises_at_once_naming_the_argument(what, call, answer, error, message, blank, capsys):
    with pytest.raises(error, match=message):
        call(... if blank else answer)
    assert capsys.readouterr().out == ""  # nothing judged before the error


def test_the_arguments_notebooks_give_still_work(capsys):
    assert check_number("x", 0.25, np.array([[0.25]]), mistakes={"doubled": np.float64(0.5)})
    assert check_integer("n", 3, np.int64(3), mistakes={"one more": np.int64(4)})
    assert check_choice("rate", 0.22, 0.22, np.array([0.1, 0.22]), explanations={0.1: "too slow"})
    assert check_choice("activation", "tanh", "tanh", ("sigmoid", "tanh", "relu"))
    assert check_array("w", [1.0, 2.0], [1.0, 2.0], mistakes={"halved": [0.5, 1.0]})
    assert check_function("f", double, double, vectors, trials=3, forbidden=(np.sum,), mistakes=None)
    assert all(line.startswith("✓") for line in capsys.readouterr().out.splitlines())


# (what, the check given an answer too large for float64, what its verdict must say)
BIG_ANSWERS = [
    ("check_number", lambda: check_number("x", BIG, 0.5), "x is an integer of about 10^400, too large for float64"),
    ("check_number, negative", lambda: check_number("x", -BIG, 0.5), "about -10^400, too large for float64"),
    ("check_array", lambda: check_array("w", [1.0, BIG], [1.0, 2.0]), "w holds a number too large for float64"),
    ("check_array, one number", lambda: check_array("w", BIG, [1.0]), "w holds a number too large for float64"),
    ("check_integer", lambda: check_integer("n", BIG, 3), "n is an integer of about 10^400, too large for float64"),
    ("check_choice", lambda: check_choice("rate", BIG, 0.1, [0.1, 0.2]), "rate must be one of 0.1, 0.2; got 1000"),
    (
        "check_choice, an int too long to print",
        lambda: check_choice("rate", 10**5000, 0.1, [0.1, 0.2]),
        "got an integer of about 10^5000, too large for float64",
    ),
    (
        "check_function, as a return value",
        lambda: check_function("f", lambda z: BIG, double, vectors),
        "f returns something that holds a number too large for float64",
    ),
    (
        "check_configuration, as the learning rate",
        lambda: check_configuration("c", {**CONFIGURATION, "learning_rate": BIG}, "circles", 0.9),
        "learning_rate must be a positive finite number, got an integer of about 10^400, too large for float64",
    ),
    (
        "check_configuration, an array where one of the allowed rates is asked for",
        lambda: check_configuration(
            "c", {**CONFIGURATION, "learning_rate": np.array([0.1, 0.2])}, "circles", 0.9, learning_rate=(0.1, 0.46)
        ),
        "asks for learning_rate 0.1 or 0.46, got array",
    ),
]


@pytest.mark.parametrize(("what", "call", "says"), BIG_ANSWERS, ids=[case[0] for case in BIG_ANSWERS])
def test_an_answer_too_large_for_float64_gets_a_verdict(what, call, says, capsys):
    assert call() is False
    verdict = capsys.readouterr().out
    assert verdict.startswith("Not yet:") and says in verdict
