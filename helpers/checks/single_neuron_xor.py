"""Checks for the exercises of notebook 04, one neuron on XOR.

Each check computes what it compares against here, on seeded random inputs the page never shows, prints one
verdict and returns True or False.
"""

import itertools
import numbers

import numpy as np

from .. import data, gradcheck, losses, network, sweep, training
from ..exercises import BLANK, check_function, check_integer, not_answered, say
from ..recording import call_recording
from .common import CORNERS, sigmoid


def xor_loss(function, seed=0):
    """Exercise 1: xor_loss(w1, w2, b) is the mean squared error of one sigmoid neuron on XOR's four points."""
    X, y = data.xor()

    def loss_with(error, of=sigmoid, targets=y):  # the mean over the four points of error(output, target)
        return lambda w1, w2, b: float(np.mean(error(of(X @ np.array([[w1], [w2]]) + b), targets)))

    squared = lambda a, t: (a - t) ** 2  # noqa: E731
    mistakes = {
        "the sum, not the mean, of the squared errors": loss_with(lambda a, t: 4 * squared(a, t)),
        "z where a = sigma(z) belongs": loss_with(squared, of=lambda z: z),
        "|a - y|, not squared": loss_with(lambda a, t: np.abs(a - t)),
        "the targets of AND, not XOR": loss_with(squared, targets=data.and_gate()[1]),
        "half the mean (the 1/2 some books put in front)": loss_with(lambda a, t: squared(a, t) / 2),
        "the mean of a 4 x 4 table of errors: outputs of shape (4, 1) minus targets of shape (4,), or the "
        "other way round, broadcast to every pair; give both the same shape": loss_with(squared, targets=y.ravel()),
        "the square root of the mean (the RMSE), not the mean squared error": lambda *line: float(
            np.sqrt(loss_with(squared)(*line))
        ),
        "the output 1 - a (the targets of XNOR): look at the sign of z": loss_with(squared, targets=1.0 - y),
        "a neuron without its bias b": lambda w1, w2, b: loss_with(squared)(w1, w2, 0.0),
    }
    # Every helper that computes an output or a loss of a network does the work this exercise asks for.
    forbidden = [
        network.loss_value,
        network.predict,
        network.forward,
        network.forward_pass,
        network.output_gradient,
        losses.mean_squared_error,
        losses.mse_value_and_gradient,
        training.train,
        sweep.train_many,
        gradcheck.gradient_check,
    ]
    return check_function(
        "xor_loss",
        function,
        loss_with(squared),
        lambda rng: tuple(float(value) for value in rng.normal(scale=3.0, size=3)),
        seed=seed,
        mistakes=mistakes,
        forbidden=forbidden,
        hint="a = sigmoid(X w + b) on the four rows, then the mean of (a - y)^2.",
    )


def tables_one_neuron_splits(answer):
    """Exercise 2: how many of the 16 truth tables on two inputs one neuron can represent."""

    def tables_one_line_splits():
        """Every truth table on the corners that some line w1 x1 + w2 x2 + b = 0 splits, as 0/1 tuples.

        Weights in {-1, 0, 1} and biases at half-integers reach every such table (no corner on a line);
        that no line splits XOR or XNOR is the four inequalities of the notebook. Computed here, so that
        nothing reachable from the notebook holds the count.
        """
        lines = itertools.product((-1.0, 0.0, 1.0), (-1.0, 0.0, 1.0), (-1.5, -0.5, 0.5, 1.5))
        return {tuple(int(z > 0) for z in CORNERS @ np.array([w1, w2]) + b) for w1, w2, b in lines}

    count = len(tables_one_line_splits())
    mistakes = {
        "a count that includes XOR, which no single line splits (the four inequalities above)": 16,
        "a count with a table besides XOR that needs two lines: draw each table on the square": 15,
        "a count without the tables that answer the same on every corner: a line may leave the whole "
        "square on one side": count - 2,
        "a count without the tables that copy or negate one input": count - 4,
        "a count without the tables that single out one corner (a 1 on one corner only, or a 0 on one "
        "corner only)": count - 8,
        "a count of the named gates only (AND, OR, NAND, NOR): a truth table is any choice of 0 or 1 for "
        "each corner, named or not": 4,
    }
    hint = (
        "sort the 16 tables by how many corners answer 1 (from none to all four), draw each group on the "
        "square, and count the ones a straight line can split."
    )
    if isinstance(answer, numbers.Integral) and not 0 <= answer <= 16:
        return say(f"Not yet: there are 16 truth tables on two inputs, so the count is from 0 to 16, got {answer}.")
    return check_integer("tables one neuron can represent", answer, count, mistakes=mistakes, hint=hint)


def _kind_of(table):
    """A few words that say what sort of table `table` (four 0/1 answers, one per corner) is."""
    ones = sum(table)
    if ones in (0, 4):
        return "the same answer on every corner: a line can leave the whole square on one side"
    if ones == 2:
        return "an answer that copies or negates one input: a line parallel to an axis"
    if ones == 1:
        return "a 1 on one corner only, as AND: a line that cuts that corner off"
    return "a 0 on one corner only, as OR: a line that cuts that corner off"


def _three_numbers(result):
    """(w1, w2, b) as floats, or (None, why `result` is not three real numbers)."""
    if isinstance(result, str) or (isinstance(result, (tuple, list)) and any(isinstance(v, str) for v in result)):
        return None, "returns text, not numbers: remove the quotes"
    try:
        values = np.asarray(result, dtype=np.float64).ravel()
    except (TypeError, ValueError):
        return None, f"should return three numbers (w1, w2, b), got {type(result).__name__}"
    if values.size != 3:
        return None, f"returns {values.size} number{'s' * (values.size != 1)}; a line needs three, (w1, w2, b)"
    if not np.all(np.isfinite(values)):
        return None, "returns NaN or inf"
    return values, None


def separating_line(function, seed=0):
    """Exercise 3: separating_line(targets) returns (w1, w2, b) whose neuron gets every corner right,
    for every truth table one line can split; targets: (4, 1) of 0.0 and 1.0 in helpers.xor's row order."""
    name = "separating_line"
    if not_answered(function):
        return say(BLANK.format(name=name))
    if not callable(function):
        return say(f"Not yet: {name} should be a function (def ...), got {type(function).__name__}.")
    # Every table one line splits (as in tables_one_neuron_splits), from the lines with weights in {-1, 0, 1}
    # and biases at half-integers, which reach each of them with no corner on the line.
    lines = itertools.product((-1.0, 0.0, 1.0), (-1.0, 0.0, 1.0), (-1.5, -0.5, 0.5, 1.5))
    tables = sorted({tuple(int(z > 0) for z in CORNERS @ np.array([w1, w2]) + b) for w1, w2, b in lines})
    order = np.random.default_rng(seed).permutation(len(tables))
    forbidden = [training.train, sweep.train_many, network.backward, network.gradient_step]
    wrong, on_the_line, swapped = [], [], 0
    for table in (tables[i] for i in order):
        targets = np.array(table, dtype=np.float64).reshape(4, 1)
        result, called, error = call_recording(function, (targets,), forbidden)
        if called:
            return say(f"Not yet: {name} calls {called[0]}, which this exercise asks you to do without.")
        if isinstance(error, TypeError) and "ellipsis" in str(error).lower():
            return say(BLANK.format(name=name))
        if error is not None:
            return say(f"Not yet: {name} raised {type(error).__name__}: {error} (on the table {table}).")
        if result is None:
            return say(
                f"Not yet: {name} returns None for the table {table}: is a `return` missing, or did your search "
                "find no line? (targets has shape (4, 1): compare z of shape (4,) with targets[:, 0].)"
            )
        line, problem = _three_numbers(result)
        if problem:
            return say(f"Not yet: {name} {problem}.")
        z = CORNERS @ line[:2] + line[2]
        right = np.where(np.array(table) == 1, z > 0, z < 0)
        if not right.all():
            wrong.append(table)
            on_the_line += [(table, tuple(int(v) for v in CORNERS[k])) for k in np.flatnonzero(z == 0)]
            swapped += bool(np.all(z != 0) and not right.any())
    if not wrong:
        return say(f"✓ {name}: every corner right, for each of the {len(tables)} tables one line can split.")
    if swapped == len(tables):
        return say(f"Not yet: {name} puts every corner on the wrong side: z > 0 must mean an answer of 1.")
    if on_the_line:
        table, corner = on_the_line[0]
        return say(
            f"Not yet: {name} puts the corner {corner} exactly on the line for the table {table}: "
            "z = 0 there, an output of exactly 0.5, which decides nothing. Move the line off the corner."
        )
    first = wrong[0]
    return say(
        f"Not yet: {name} gets a corner wrong on {len(wrong)} tables, for example {first}, which has "
        f"{_kind_of(first)}.\nHint: for each table, which corners must z > 0 hold at, and which z < 0?"
    )
