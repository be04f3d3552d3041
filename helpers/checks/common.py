"""What several exercise checks share: the square's corners, a sigmoid of their own, and telling a helper apart.

A check computes its reference with these, not with the helpers a learner might call, so a guard that
watches the learner's calls of helpers.sigmoid never counts the check's own.
"""

import numpy as np

# The corners of the square in the order of the truth tables (helpers.xor's rows): (4, 2).
CORNERS = np.array([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]])


def sigmoid(z):
    """1 / (1 + e^-z), elementwise, written with tanh so that no exp can overflow."""
    return 0.5 * (1.0 + np.tanh(np.asarray(z, dtype=np.float64) / 2.0))


def from_helpers(function):
    """True when `function` is defined in helpers (the learner was asked to write their own)."""
    module = getattr(function, "__module__", None) or ""
    return module == "helpers" or module.startswith("helpers.")


def refuse_helper(name, function):
    """True (after saying so) when `function` is one of helpers' own: the exercise asks for the learner's."""
    if not from_helpers(function):
        return False
    label = getattr(function, "__qualname__", "")
    label = label if label.isidentifier() else "a function"
    print(f"Not yet: {name} is {label} from helpers: this exercise asks you to write your own function.")
    return True
