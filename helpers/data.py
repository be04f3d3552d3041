"""Small data sets. Every one returns X: (n, 2) float64 and y: (n, 1) float64 labels in {0, 1}."""

import numpy as np

from ._validate import check_choice

# The four corners of the unit square, in the order every notebook prints them.
CORNERS = np.array([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]])

_GATES = {
    "xor": [0.0, 1.0, 1.0, 0.0],
    "and": [0.0, 0.0, 0.0, 1.0],
    "or": [0.0, 1.0, 1.0, 1.0],
}


def logic_gate(name):
    """Truth table of 'xor', 'and' or 'or': X (4, 2), y (4, 1)."""
    check_choice("name", name, _GATES)
    return CORNERS.copy(), np.array(_GATES[name]).reshape(4, 1)


def xor():
    """XOR truth table: y = 1 where exactly one input is 1. X (4, 2), y (4, 1)."""
    return logic_gate("xor")


def and_gate():
    """AND truth table: y = 1 only for (1, 1). X (4, 2), y (4, 1)."""
    return logic_gate("and")


def or_gate():
    """OR truth table: y = 1 unless both inputs are 0. X (4, 2), y (4, 1)."""
    return logic_gate("or")
