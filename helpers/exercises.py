"""Checks for the exercises: compare a learner's answer with an independently computed one."""

import numpy as np


def check_answer(name, answer, expected, rtol=1e-6, atol=1e-9, hint=None):
    """Print whether `answer` matches `expected` (numbers or arrays) and why not; return True/False.

    An answer of None or Ellipsis counts as not attempted yet. Shapes must match exactly.
    """
    if answer is None or answer is Ellipsis:
        print(f"{name}: not answered yet. Fill in the cell above, run it, then run this check again.")
        return False
    try:
        got = np.asarray(answer, dtype=np.float64)
    except (TypeError, ValueError):
        print(f"{name}: expected a number or an array of numbers, got {type(answer).__name__}.")
        return False
    want = np.asarray(expected, dtype=np.float64)
    if got.shape != want.shape:
        print(f"{name}: expected shape {want.shape}, got shape {got.shape}.")
        return False
    if not np.all(np.isfinite(got)):
        print(f"{name}: your answer contains NaN or inf.")
        return False
    wrong = ~np.isclose(got, want, rtol=rtol, atol=atol)
    if wrong.any():
        index = tuple(int(i) for i in np.argwhere(wrong)[0]) if got.ndim else ()
        where = f" at index {index}" if index else ""
        print(
            f"{name}: not yet. {int(wrong.sum())} of {wrong.size} value(s) differ{where}: "
            f"yours {got[index]:.6g}, expected {want[index]:.6g}."
        )
        if hint:
            print(f"Hint: {hint}")
        return False
    print(f"{name}: correct.")
    return True
