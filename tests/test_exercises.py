"""check_answer prints what a learner needs to read, and returns whether the answer is right."""

import numpy as np
import pytest

from helpers import check_answer


def test_correct_answer(capsys):
    assert check_answer("derivative", 0.25, 0.25) is True
    assert capsys.readouterr().out == "derivative: correct.\n"


def test_close_enough_counts_as_correct(capsys):
    assert check_answer("loss", 0.1 + 0.2, 0.3) is True
    assert check_answer("grads", [[1.0, 2.0]], np.array([[1.0, 2.0 + 1e-12]])) is True
    assert capsys.readouterr().out == "loss: correct.\ngrads: correct.\n"


@pytest.mark.parametrize("unanswered", [None, Ellipsis])
def test_not_answered_yet(capsys, unanswered):
    assert check_answer("slope", unanswered, 1.0) is False
    out = capsys.readouterr().out
    assert out.startswith("slope: not answered yet.")
    assert "Fill in the cell above" in out


def test_wrong_number_says_yours_and_expected(capsys):
    assert check_answer("slope", 0.3, 0.25) is False
    assert capsys.readouterr().out == "slope: not yet. 1 of 1 value(s) differ: yours 0.3, expected 0.25.\n"


def test_wrong_array_points_at_the_first_wrong_entry_and_gives_the_hint(capsys):
    answer = [[0.1, 0.2], [0.3, 0.9]]
    expected = [[0.1, 0.2], [0.3, 0.4]]
    assert check_answer("W", answer, expected, hint="use a (1 - a), not z (1 - z)") is False
    out = capsys.readouterr().out
    assert out == (
        "W: not yet. 1 of 4 value(s) differ at index (1, 1): yours 0.9, expected 0.4.\n"
        "Hint: use a (1 - a), not z (1 - z)\n"
    )


def test_no_hint_line_without_a_hint(capsys):
    check_answer("x", 1.0, 2.0)
    assert "Hint" not in capsys.readouterr().out


def test_wrong_shape(capsys):
    assert check_answer("W", [1.0, 2.0], [[1.0, 2.0]]) is False
    assert capsys.readouterr().out == "W: expected shape (1, 2), got shape (2,).\n"


def test_not_a_number(capsys):
    assert check_answer("x", "a quarter", 0.25) is False
    assert capsys.readouterr().out == "x: expected a number or an array of numbers, got str.\n"
    assert check_answer("x", {"a": 1}, 0.25) is False
    assert "got dict" in capsys.readouterr().out


def test_nan_answer(capsys):
    assert check_answer("x", [np.nan, 1.0], [1.0, 1.0]) is False
    assert capsys.readouterr().out == "x: your answer contains NaN or inf.\n"


def test_tolerances(capsys):
    assert check_answer("x", 1.001, 1.0, rtol=1e-2) is True
    assert check_answer("x", 1.001, 1.0) is False
    capsys.readouterr()
