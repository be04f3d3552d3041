"""Input checks shared by the public functions: each raises an error that names the argument."""

import numbers

import numpy as np


def as_float_array(name, value, ndim=None, width=None):
    """Return `value` as a float64 array, or raise naming `name` and what was wrong."""
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
    if not np.all(np.isfinite(array)):
        raise ValueError(f"{name} must hold finite numbers, got NaN or inf")
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


def check_positive_number(name, value):
    """A finite real number > 0, returned as float."""
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise TypeError(f"{name} must be a positive finite number, got {value!r}")
    value = float(value)
    if not np.isfinite(value) or value <= 0:
        raise ValueError(f"{name} must be a positive finite number, got {value!r}")
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
