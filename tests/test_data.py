"""The logic-gate data sets: shapes, dtypes, values, fresh copies, unknown names."""

import numpy as np
import pytest

import helpers

CORNERS = [[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]]


@pytest.mark.parametrize(
    ("make", "name", "labels"),
    [
        (helpers.xor, "xor", [0.0, 1.0, 1.0, 0.0]),
        (helpers.and_gate, "and", [0.0, 0.0, 0.0, 1.0]),
        (helpers.or_gate, "or", [0.0, 1.0, 1.0, 1.0]),
    ],
)
def test_truth_tables(make, name, labels):
    X, y = make()
    assert X.shape == (4, 2) and y.shape == (4, 1)
    assert X.dtype == np.float64 and y.dtype == np.float64
    np.testing.assert_array_equal(X, CORNERS)
    np.testing.assert_array_equal(y.ravel(), labels)
    # The label is the gate applied to the two inputs.
    gate = {"xor": np.logical_xor, "and": np.logical_and, "or": np.logical_or}[name]
    np.testing.assert_array_equal(y.ravel(), gate(X[:, 0], X[:, 1]))
    X_again, y_again = helpers.logic_gate(name)
    np.testing.assert_array_equal(X_again, X)
    np.testing.assert_array_equal(y_again, y)


def test_each_call_returns_fresh_arrays():
    X, y = helpers.xor()
    X[0, 0] = 99.0
    y[0, 0] = 99.0
    X_again, y_again = helpers.xor()
    assert X_again[0, 0] == 0.0 and y_again[0, 0] == 0.0


@pytest.mark.parametrize("name", ["nand", "XOR", "", 3, None])
def test_unknown_gate_names_are_refused(name):
    with pytest.raises(ValueError, match=r"name must be one of \['and', 'or', 'xor'\]"):
        helpers.logic_gate(name)
