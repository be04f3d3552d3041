"""Checks for the exercises: each prints one verdict and returns True/False, and never raises on an answer.

A right answer prints a line starting with "✓", a blank one "Not answered yet", anything else "Not yet:"
and the kind of mistake (a sign, a missing factor, a transposed matrix, ...), never the expected value.
"""

import dis
import functools
import numbers
import reprlib

import numpy as np

from .recording import call_recording

BLANK = "Not answered yet: {name}. Replace each ... in the cell above with your answer, run it, then run this check."


def not_answered(answer):
    """True for a blank answer: None, `...`, a list or tuple holding None or `...`, a function whose body is `...`."""
    if answer is None or answer is Ellipsis:
        return True
    if isinstance(answer, (list, tuple)):
        return any(not_answered(item) for item in answer if item is None or item is Ellipsis)
    code = getattr(answer, "__code__", None)
    if code is None:
        return False
    # A stub (`...`, or a docstring and `...`) compiles to "return None"; `return ...` to "return Ellipsis".
    steps = [ins for ins in dis.get_instructions(code) if ins.opname not in ("RESUME", "NOP", "CACHE")]
    returns_constant = [ins.opname for ins in steps] in (["RETURN_CONST"], ["LOAD_CONST", "RETURN_VALUE"])
    return returns_constant and steps[0].argval in (None, Ellipsis)


def _say(message):
    return print(message) or message.startswith("✓")


def _blank_first(check):
    """A check that first says "Not answered yet" for a blank answer (its second argument)."""

    @functools.wraps(check)
    def checked(name, answer, *args, **kwargs):
        return _say(BLANK.format(name=name)) if not_answered(answer) else check(name, answer, *args, **kwargs)

    return checked


def _number_problem(answer):
    """Why `answer` is not one real number (None if it is one)."""
    if isinstance(answer, str):
        return f"is the text {answer!r}, not a number: remove the quotes"
    if isinstance(answer, (bool, np.bool_)):
        return f"is {answer!r}, a truth value, not a number"
    if isinstance(answer, np.ndarray) and answer.size == 1 and answer.dtype.kind in "iuf":
        answer = answer.item()
    if not isinstance(answer, numbers.Real):
        return f"should be one number, got {type(answer).__name__} {reprlib.repr(answer)}"
    if not np.isfinite(float(answer)):
        return f"is {answer!r}, which is not a finite number"
    return None


def _as_array(answer):
    """(float64 array, None), or (None, why it is not an array of numbers)."""
    text = "holds text, not numbers: remove the quotes"
    if isinstance(answer, str):
        return None, text
    try:
        raw = np.asarray(answer)
    except (TypeError, ValueError):
        return None, f"should be an array of numbers, got {type(answer).__name__} {reprlib.repr(answer)}"
    if raw.dtype.kind in "US" or (raw.dtype.kind == "O" and any(isinstance(item, str) for item in raw.ravel())):
        return None, text
    if raw.dtype.kind in "bc":
        return None, "holds truth values or complex numbers, not real numbers"
    try:
        array = raw.astype(np.float64)
    except (TypeError, ValueError):
        return None, f"should be an array of numbers, got {type(answer).__name__} {reprlib.repr(answer)}"
    if not np.all(np.isfinite(array)):
        return None, "contains NaN or inf"
    return array, None


def _close(answer, expected, tolerance):
    """Entrywise: relative error within `tolerance`. An entry near zero is measured against a thousandth
    of the largest expected entry (not against 1), so a tiny expected value is never matched by 0."""
    largest = float(np.max(np.abs(expected), initial=0.0))
    scale = np.maximum(np.abs(expected), 1e-3 * largest) if largest else 1.0
    return np.abs(answer - expected) <= tolerance * scale


def _judge(name, got, expected, tolerance, mistakes, hint):
    """The verdict on a well-formed numeric answer (scalar or array of expected's shape)."""
    expected = np.asarray(expected, dtype=np.float64)
    if np.all(_close(got, expected, tolerance)):
        return _say(f"✓ {name}: correct (relative error below {tolerance:g}).")
    for description, value in (mistakes or {}).items():
        value = np.asarray(value, dtype=np.float64)
        if value.shape == got.shape and np.all(_close(got, value, tolerance)):
            return _say(f"Not yet: {name} looks like {description}.")
    if np.any(expected != 0) and np.all(_close(got, -expected, tolerance)):
        return _say(f"Not yet: {name} has the sign flipped: check the direction of each factor.")
    if expected.ndim == 2 and expected.shape == expected.T.shape and np.all(_close(got, expected.T, tolerance)):
        return _say(f"Not yet: {name} looks transposed: rows and columns are swapped.")
    # "Close" means rounded: within 5 % at most, whatever the tolerance.
    if np.all(_close(got, expected, min(max(1e-2, 5 * tolerance), 0.05))):
        return _say(
            f"Not yet: {name} is close, but the check asks for a relative error below {tolerance:g}: "
            "keep more digits and do not round intermediate results."
        )
    if got.ndim:
        wrong = ~_close(got, expected, tolerance)
        first = tuple(int(i) for i in np.argwhere(wrong)[0])
        message = f"Not yet: {name}: {int(wrong.sum())} of {wrong.size} entries are not right (first: {first})."
    else:
        message = f"Not yet: {name} is not right."
    if hint:
        message += f"\nHint: {hint}"
    return _say(message)


@_blank_first
def check_number(name, answer, expected, tolerance=1e-6, mistakes=None, hint=None):
    """Check one real number (int, float, numpy scalar; not bool or text); mistakes: {description: its value}."""
    problem = _number_problem(answer)
    if problem:
        return _say(f"Not yet: {name} {problem}.")
    return _judge(name, np.float64(np.asarray(answer).item()), expected, tolerance, mistakes, hint)


@_blank_first
def check_array(name, answer, expected, tolerance=1e-6, mistakes=None, hint=None):
    """Check an array of numbers: its shape first (a transposed answer is recognised), then its entries."""
    got, problem = _as_array(answer)
    if problem:
        return _say(f"Not yet: {name} {problem}.")
    expected = np.asarray(expected, dtype=np.float64)
    if got.shape != expected.shape:
        if got.shape == expected.T.shape and got.ndim == 2 and np.all(_close(got.T, expected, tolerance)):
            return _say(f"Not yet: {name} is transposed: it has shape {got.shape}, its parameter {expected.shape}.")
        return _say(f"Not yet: {name} has shape {got.shape}, but it should have shape {expected.shape}.")
    return _judge(name, got, expected, tolerance, mistakes, hint)


@_blank_first
def check_integer(name, answer, expected, mistakes=None, hint=None):
    """Check a whole number (an int or numpy integer, or a float such as 3.0 with no fractional part)."""
    problem = _number_problem(answer)
    if problem:
        return _say(f"Not yet: {name} {problem}.")
    value = np.asarray(answer).item()
    if value != int(value):
        return _say(f"Not yet: {name} should be a whole number, got {value!r}.")
    if int(value) == expected:
        return _say(f"✓ {name}: correct.")
    named = next((f" looks like {text}." for text, wrong in (mistakes or {}).items() if int(value) == wrong), None)
    return _say(f"Not yet: {name}" + (named or " is not right." + (f"\nHint: {hint}" if hint else "")))


def _same_choice(a, b):
    if isinstance(a, numbers.Real) and isinstance(b, numbers.Real) and not isinstance(a, (bool, np.bool_)):
        # A float32 answer (2.2 stored as 2.2000000477) is the same choice at float32's precision.
        rtol = max(1e-9, 4 * float(np.finfo(a).eps)) if isinstance(a, np.floating) else 1e-9
        return bool(np.isclose(float(a), float(b), rtol=rtol, atol=0))
    return type(a) is type(b) and a == b


@_blank_first
def check_choice(name, answer, expected, choices, explanations=None):
    """Check that `answer` is `expected`, one of `choices`; explanations: {wrong choice: why it is wrong}."""
    picked = next((choice for choice in choices if _same_choice(answer, choice)), None)
    show = lambda value: f"{value:g}" if isinstance(value, numbers.Real) else repr(value)  # noqa: E731
    if picked is None:
        quoted = isinstance(answer, str) and not any(isinstance(choice, str) for choice in choices)
        text = " (text, not a number: remove the quotes)" if quoted else ""
        listed = ", ".join(show(choice) for choice in choices)
        return _say(f"Not yet: {name} must be one of {listed}; got {reprlib.repr(answer)}{text}.")
    if _same_choice(picked, expected):
        return _say(f"✓ {name}: correct.")
    why = next((text for choice, text in (explanations or {}).items() if _same_choice(picked, choice)), None)
    return _say(f"Not yet: {name}: not {show(picked)}." + (f" {why}" if why else ""))


def _agrees(got, want, tolerance):
    """(agrees, problem): problem says why `got` is malformed, None when it is a fair answer."""
    if isinstance(want, tuple) and not isinstance(got, (tuple, list)):
        return False, f"should return a tuple of {len(want)}, got {type(got).__name__}"
    if isinstance(want, tuple) and all(isinstance(item, numbers.Integral) for item in want):
        return tuple(got) == want, None
    if isinstance(want, tuple):  # several arrays, e.g. (new w, new b): each is judged
        verdicts = (
            [_agrees(mine, theirs, tolerance) for mine, theirs in zip(got, want)] if len(got) == len(want) else []
        )
        problem = next((why for _, why in verdicts if why), None if verdicts else f"should return {len(want)} values")
        return bool(verdicts) and all(ok for ok, _ in verdicts), problem
    array, problem = _as_array(got)
    if problem:
        return False, f"returns something that {problem}"
    want = np.asarray(want, dtype=np.float64)
    if array.shape != want.shape:
        flipped = " (transposed?)" if array.shape == want.T.shape else ""
        return False, f"returns shape {array.shape} where shape {want.shape} is needed{flipped}"
    return bool(np.all(_close(array, want, tolerance))), None


@_blank_first
def check_function(
    name, function, reference, make_inputs, trials=20, seed=0, mistakes=None, forbidden=(), tolerance=1e-6, hint=None
):
    """Call `function` and `reference` on `trials` fresh inputs from `make_inputs(rng)` (a tuple of arguments).

    mistakes: {description: a function that makes that mistake}. forbidden: helpers functions the
    learner's function must not call; each is swapped for a recorder during the calls.
    """
    if not callable(function):
        return _say(f"Not yet: {name} should be a function (def ...), got {type(function).__name__}.")
    rng = np.random.default_rng(seed)
    cases = [make_inputs(rng) for _ in range(trials)]
    wrong = []
    for index, arguments in enumerate(cases):
        got, called, error = call_recording(function, arguments, forbidden)
        if called:
            return _say(f"Not yet: {name} calls {called[0]}, which this exercise asks you to do without.")
        if isinstance(error, TypeError) and "ellipsis" in str(error).lower():  # a `...` left in the answer
            return _say(BLANK.format(name=name))
        if error is not None:
            shapes = " (do the shapes fit? is a matrix transposed?)" if "matmul" in str(error) else ""
            if "truth value of an array" in str(error):
                return _say(
                    f"Not yet: {name} works on single numbers only (an `if` or `max` on an array): "
                    "use np.where or np.maximum so it works elementwise on arrays."
                )
            return _say(f"Not yet: {name} raised {type(error).__name__}: {error}{shapes}")
        if got is None or got is Ellipsis:
            return _say(f"Not yet: {name} returns {got!r}: did you forget the `return`?")
        ok, problem = _agrees(got, reference(*arguments), tolerance)
        if problem:
            return _say(f"Not yet: {name} {problem}.")
        if not ok:
            wrong.append(index)
    if not wrong:
        return _say(f"✓ {name}: correct on all {trials} random inputs.")
    for description, mistaken in (mistakes or {}).items():
        if all(_agrees(call_recording(function, args, ())[0], mistaken(*args), tolerance)[0] for args in cases):
            return _say(f"Not yet: {name} looks like {description}.")
    message = f"Not yet: {name} is wrong on {len(wrong)} of {trials} random inputs"
    message += (
        " (right on others: is a case wrong, such as negative inputs, or is something hard-coded?)."
        if len(wrong) < trials
        else "."
    )
    return _say(message + (f"\nHint: {hint}" if hint else ""))


def check_configuration(name, answer, dataset, min_test_accuracy, **required):
    """The playground's exercise check: train `answer` on `dataset`; right if its test accuracy is high enough.

    answer: {"hidden": ..., "activation": ..., "optimizer": ..., "learning_rate": ...}, the playground's
    settings, trained as the playground trains them. required: settings the answer must use, each a
    value or a tuple of allowed values (e.g. optimizer="gd").
    """
    from .configurations import train_configuration  # imported here: the other checks need no training code
    from .network import accuracy

    if not_answered(answer) or (isinstance(answer, dict) and any(not_answered(v) for v in answer.values())):
        return _say(BLANK.format(name=name))
    keys = ("hidden", "activation", "optimizer", "learning_rate")
    if not isinstance(answer, dict) or set(answer) != set(keys):
        return _say(f"Not yet: {name} should be a dict with the keys {list(keys)}, got {reprlib.repr(answer)}.")
    for key, allowed in required.items():
        allowed = allowed if isinstance(allowed, tuple) else (allowed,)
        if answer[key] not in allowed:
            choices = " or ".join(repr(value) for value in allowed)
            return _say(f"Not yet: {name}: this exercise asks for {key} {choices}, got {answer[key]!r}.")
    try:
        run = train_configuration(dataset, **answer)
    except (TypeError, ValueError) as error:
        return _say(f"Not yet: {name}: that configuration cannot be trained: {error}")
    if run.history.diverged:
        return _say(f"Not yet: {name}: {run.history.message}")
    reached = accuracy(run.history.final_network, run.X_test, run.y_test)
    if reached >= min_test_accuracy:
        return _say(f"✓ {name}: test accuracy {reached:.1%}, at least the {min_test_accuracy:.0%} asked for.")
    message = f"Not yet: {name}: test accuracy {reached:.1%}, below the {min_test_accuracy:.0%} asked for."
    if np.ptp(run.history.predictions) < 1e-3:
        message += " The output is the same for every point: dead units, or a learning rate too large."
    return _say(message)
