"""Argument checks shared by the public functions: each raises an error that names the argument,
what was expected and what was given. Public functions check once, at the door; the functions
they call inside helpers take checked values and check nothing again."""

import math
import numbers

import numpy as np


def as_float_array(name, value, ndim=None, width=None, allow_infinite=False, allow_nan=False):
    """Return `value` as a float64 array, or raise naming `name` and what was wrong.

    NaN is refused unless allow_nan (a loss curve leaves a diverged epoch out); inf unless
    allow_infinite (an activation of z = inf is defined).
    """
    if isinstance(value, (str, bytes)) or value is None:
        raise TypeError(f"{name} must be a numeric array, got {type(value).__name__}")
    try:
        array = np.asarray(value)
    except (TypeError, ValueError) as error:
        raise TypeError(f"{name} must be a numeric array, got {type(value).__name__}") from error
    if array.dtype == bool or not np.issubdtype(array.dtype, np.number):
        raise TypeError(f"{name} must hold real numbers, got dtype {array.dtype}")
    if np.issubdtype(array.dtype, np.complexfloating):
        raise TypeError(f"{name} must hold real numbers, got dtype {array.dtype}")
    array = array.astype(np.float64, copy=False)
    if ndim is not None and array.ndim != ndim:
        raise ValueError(f"{name} must be {ndim}-D, got shape {array.shape}")
    if width is not None and array.shape[-1] != width:
        raise ValueError(f"{name} must have {width} columns, got shape {array.shape}")
    if not allow_nan and np.isnan(array).any():
        raise ValueError(f"{name} must hold {'numbers' if allow_infinite else 'finite numbers'}, got NaN")
    if not allow_infinite and np.isinf(array).any():
        raise ValueError(f"{name} must hold finite numbers, got inf")
    return array


def check_inputs(X, y=None, n_inputs=None, n_outputs=None):
    """Validate a data set: X (n, n_inputs) and y (n, n_outputs), both float64."""
    X = as_float_array("X", X, ndim=2, width=n_inputs)
    if X.shape[0] == 0:
        raise ValueError("X must have at least one row, got shape (0, ...)")
    if y is None:
        return X
    y = as_float_array("y", y, ndim=2, width=n_outputs)
    if y.shape[0] != X.shape[0]:
        raise ValueError(f"y must have one row per row of X ({X.shape[0]}), got shape {y.shape}")
    return X, y


def too_large_for_float(value):
    """How a message names a real number beyond float64's range (about 1.8e308), such as the int 10**400."""
    if isinstance(value, numbers.Integral):
        sign = "-" if value < 0 else ""
        return f"an integer of about {sign}10^{math.log10(abs(int(value))):.0f}, too large for float64"
    return "a number too large for float64"


def _real(name, value, expected):
    """float(value) for a real number; a TypeError for anything else (bool too), a ValueError for an
    int too large for float64. `expected` says what the caller asks for, for the message."""
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise TypeError(f"{name} must be {expected}, got {value!r}")
    try:
        return float(value)
    except OverflowError:
        raise ValueError(f"{name} must be {expected}, got {too_large_for_float(value)}") from None


def check_positive_number(name, value):
    """A finite real number > 0, returned as float."""
    value = _real(name, value, "a positive finite number")
    if not np.isfinite(value) or value <= 0:
        raise ValueError(f"{name} must be a positive finite number, got {value!r}")
    return value


def check_number_between(name, value, low, high, include_low=False):
    """A finite real number with low < value < high (low <= value if include_low), returned as float.

    high may be inf: noise is check_number_between("noise", noise, 0, inf, include_low=True).
    """
    if high == np.inf:
        expected = f"a finite number {'>=' if include_low else '>'} {low:g}"
    elif include_low:
        expected = f"a number in [{low:g}, {high:g})"
    else:
        expected = f"a number between {low} and {high} (exclusive)"
    value = _real(name, value, expected)
    inside = (low <= value if include_low else low < value) and value < high
    if not (np.isfinite(value) and inside):
        raise ValueError(f"{name} must be {expected}, got {value!r}")
    return value


def check_count(name, value, minimum=0):
    """An integer >= minimum (numpy integers accepted, bools and floats refused)."""
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        raise TypeError(f"{name} must be an integer >= {minimum}, got {value!r}")
    if value < minimum:
        raise ValueError(f"{name} must be an integer >= {minimum}, got {value!r}")
    return int(value)


def check_choice(name, value, options):
    """One of the names in `options`."""
    if not isinstance(value, str) or value not in options:
        raise ValueError(f"{name} must be one of {sorted(options)}, got {value!r}")
    return value


def check_layers(weights, biases, activations, known_activations, single=True):
    """The layers of a network chain: weights[l] (..., n_in, n_out) arrays of real numbers, biases[l]
    (..., 1, n_out), one name of known_activations per layer, every parameter finite.
    single: refuse a stack (3-D weights). network.check_network calls it with the network's fields."""
    for field, values in (("weights", weights), ("biases", biases), ("activations", activations)):
        if not isinstance(values, (list, tuple)) or not values:
            raise TypeError(f"network.{field} must be a non-empty list, got {type(values).__name__}")
    if not len(weights) == len(biases) == len(activations):
        raise ValueError(
            "network must have one bias and one activation per weight matrix, got "
            f"{len(weights)} weights, {len(biases)} biases, {len(activations)} activations"
        )
    for index, (w, b, name) in enumerate(zip(weights, biases, activations), start=1):
        for label, p in ((f"W{index}", w), (f"b{index}", b)):
            if not isinstance(p, np.ndarray) or p.dtype.kind not in "iuf":
                kind = type(p).__name__ if not isinstance(p, np.ndarray) else f"array of {p.dtype}"
                raise TypeError(f"network parameter {label} must be a numpy array of real numbers, got {kind}")
            if single and p.ndim != 2:
                raise ValueError(
                    f"network must be a single network with 2-D weights (not a stack), got {label} of shape {p.shape}"
                )
            if p.ndim < 2:
                raise ValueError(f"network parameter {label} must be 2-D, got shape {p.shape}")
            if not np.isfinite(p).all():
                raise ValueError(f"network parameter {label} must hold finite numbers, got NaN or inf")
        if index > 1 and w.shape[-2] != weights[index - 2].shape[-1]:
            raise ValueError(
                f"network layers must chain: W{index} must have {weights[index - 2].shape[-1]} rows "
                f"(the outputs of layer {index - 1}), got shape {w.shape}"
            )
        if b.shape[-2:] != (1, w.shape[-1]) or b.shape[:-2] != w.shape[:-2]:
            raise ValueError(f"network parameter b{index} must have shape (1, {w.shape[-1]}), got {b.shape}")
        check_choice(f"network.activations[{index - 1}]", name, known_activations)


def check_cross_entropy_targets(network, y):
    """Cross-entropy is computed on the logit of a sigmoid or softmax output layer, for targets y in
    [0, 1]; a softmax's rows of y must each sum to 1 (one-hot rows)."""
    if network.activations[-1] not in ("sigmoid", "softmax"):
        raise ValueError(
            f"loss 'cross_entropy' needs a sigmoid output layer (or a softmax one; it works on the logit z), "
            f"got output activation {network.activations[-1]!r}"
        )
    if np.any((y < 0) | (y > 1)):
        raise ValueError("y must lie in [0, 1] for cross_entropy, got values outside it")
    if network.activations[-1] == "softmax":
        check_class_rows("y", y)


# A row of targets for a softmax must sum to 1 within this (one-hot rows sum to exactly 1).
ROW_SUM_TOLERANCE = 1e-9


def check_class_rows(name, targets):
    """targets: (n, K) float64 rows that each sum to 1 (one-hot rows, see helpers.one_hot)."""
    sums = targets.sum(axis=-1)
    worst = int(np.argmax(np.abs(sums - 1.0)))
    if abs(sums[worst] - 1.0) > ROW_SUM_TOLERANCE:
        raise ValueError(
            f"{name} must hold one row per point that sums to 1 (one-hot rows, see helpers.one_hot), "
            f"got row {worst} summing to {sums[worst]:g}"
        )
    return targets


def check_axes(name, ax):
    """A matplotlib Axes to draw on."""
    from matplotlib.axes import Axes

    if not isinstance(ax, Axes):
        raise TypeError(f"{name} must be a matplotlib Axes, got {type(ax).__name__}")
    return ax


def check_limits(limits):
    """(low, high): two finite numbers, low < high, for both axes of a plane."""
    try:
        low, high = (float(v) for v in limits)
    except (TypeError, ValueError) as error:
        raise TypeError(f"limits must be a pair of numbers (low, high), got {limits!r}") from error
    if not (np.isfinite(low) and np.isfinite(high) and low < high):
        raise ValueError(f"limits must be finite with low < high, got {limits!r}")
    return low, high


def check_labels(X, y):
    """X: (n, 2); y: (n, 1) or (n,) labels, returned as (n, 1)."""
    X = check_inputs(X, n_inputs=2)
    y = as_float_array("y", y)
    if y.ndim == 1:
        y = y[:, None]
    if y.shape != (X.shape[0], 1):
        raise ValueError(f"y must have shape ({X.shape[0]}, 1) (one label per row of X), got {y.shape}")
    return X, y
