"""Checks for the exercises: each prints one verdict and returns True/False, and never raises on an answer.

A right answer prints a line starting with "✓", a blank one "Not answered yet", anything else "Not yet:"
and the kind of mistake (a sign, a missing factor, a transposed matrix, ...), never the expected value.
The arguments the exercise itself gives (expected value, tolerance, choices, reference, ...) are
checked first: a mistake there raises a ValueError or TypeError at once, whatever the answer.
"""

import dis
import numbers
import reprlib
from collections.abc import Sequence

import numpy as np

from ._validate import as_float_array, check_count, check_positive_number, too_large_for_float
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


def say(message):
    """Print one verdict; True when it is a pass (it starts with "✓")."""
    return print(message) or message.startswith("✓")


# The arguments a teacher gives a check (expected values, tolerances, choices, ...) are checked
# before the answer is looked at, blank or not: a mistake in an exercise raises at once, naming
# the argument, instead of making a wrong answer pass or a right one fail.


def _text(name, value, optional=False):
    """A teacher's text (the exercise's name, a hint, a description); None too if optional."""
    if not isinstance(value, str) and not (optional and value is None):
        raise TypeError(f"{name} must be {'None or ' if optional else ''}a str, got {type(value).__name__}")
    return value


def _callable(name, value):
    if not callable(value):
        raise TypeError(f"{name} must be a function, got {type(value).__name__} {reprlib.repr(value)}")
    return value


def _one_number(name, value):
    """A teacher's number (an expected value): one finite real number, or an array holding one."""
    if isinstance(value, np.ndarray) and value.size == 1 and value.dtype.kind in "iuf":
        value = value.item()
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, numbers.Real):
        raise TypeError(f"{name} must be one real number, got {type(value).__name__} {reprlib.repr(value)}")
    if _number_problem(value):  # NaN, inf, or an int beyond float64
        raise ValueError(f"{name} must be a finite number, got {_shown(value)}")
    return float(value)


def _integer(name, value):
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, numbers.Integral):
        raise TypeError(f"{name} must be an integer (int or numpy integer), got {type(value).__name__} {value!r}")
    return int(value)


def _mistakes(mistakes, check_value):
    """A teacher's {description: value} (None: none), each value checked by check_value(label, value)."""
    if mistakes is None:
        return {}
    if not isinstance(mistakes, dict):
        raise TypeError(f"mistakes must be None or a dict {{description: ...}}, got {type(mistakes).__name__}")
    checked = {}
    for description, value in mistakes.items():
        _text("each description in mistakes", description)
        checked[description] = check_value(f"mistakes[{description!r}]", value)
    return checked


def _shown(answer):
    """reprlib.repr of an answer; an int too long for Python to print (10**5000) is described instead."""
    try:
        return reprlib.repr(answer)
    except ValueError:
        return too_large_for_float(answer)


def _number_problem(answer):
    """Why `answer` is not one real number that fits a float64 (None if it is one)."""
    if isinstance(answer, str):
        return f"is the text {answer!r}, not a number: remove the quotes"
    if isinstance(answer, (bool, np.bool_)):
        return f"is {answer!r}, a truth value, not a number"
    if isinstance(answer, np.ndarray) and answer.size == 1 and answer.dtype.kind in "iuf":
        answer = answer.item()
    if not isinstance(answer, numbers.Real):
        return f"should be one number, got {type(answer).__name__} {_shown(answer)}"
    try:
        value = float(answer)
    except OverflowError:
        return f"is {too_large_for_float(answer)}"
    if not np.isfinite(value):
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
        return None, f"should be an array of numbers, got {type(answer).__name__} {_shown(answer)}"
    if raw.dtype.kind in "US" or (raw.dtype.kind == "O" and any(isinstance(item, str) for item in raw.ravel())):
        return None, text
    if raw.dtype.kind in "bc":
        return None, "holds truth values or complex numbers, not real numbers"
    try:
        array = raw.astype(np.float64)
    except OverflowError:  # an int such as 10**400
        return None, "holds a number too large for float64"
    except (TypeError, ValueError):
        return None, f"should be an array of numbers, got {type(answer).__name__} {_shown(answer)}"
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
    """The verdict on a well-formed numeric answer (scalar or array of expected's shape); expected and
    the values of mistakes are checked: floats, or float64 arrays of expected's shape."""
    expected = np.asarray(expected)
    if np.all(_close(got, expected, tolerance)):
        return say(f"✓ {name}: correct (relative error below {tolerance:g}).")
    for description, value in mistakes.items():
        if np.all(_close(got, value, tolerance)):
            return say(f"Not yet: {name} looks like {description}.")
    if np.any(expected != 0) and np.all(_close(got, -expected, tolerance)):
        return say(f"Not yet: {name} has the sign flipped: check the direction of each factor.")
    if expected.ndim == 2 and expected.shape == expected.T.shape and np.all(_close(got, expected.T, tolerance)):
        return say(f"Not yet: {name} looks transposed: rows and columns are swapped.")
    # "Close" means rounded: within 5 % at most, whatever the tolerance.
    if np.all(_close(got, expected, min(max(1e-2, 5 * tolerance), 0.05))):
        return say(
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
    return say(message)


def check_number(name, answer, expected, tolerance=1e-6, mistakes=None, hint=None):
    """Check one real number (int, float, numpy scalar; not bool or text); mistakes: {description: its value}.

    expected: one finite number; tolerance: the relative error allowed, > 0.
    """
    _text("name", name)
    expected = _one_number("expected", expected)
    tolerance = check_positive_number("tolerance", tolerance)
    mistakes = _mistakes(mistakes, _one_number)
    _text("hint", hint, optional=True)
    if not_answered(answer):
        return say(BLANK.format(name=name))
    problem = _number_problem(answer)
    if problem:
        return say(f"Not yet: {name} {problem}.")
    return _judge(name, np.float64(np.asarray(answer).item()), expected, tolerance, mistakes, hint)


def check_array(name, answer, expected, tolerance=1e-6, mistakes=None, hint=None):
    """Check an array of numbers: its shape first (a transposed answer is recognised), then its entries.

    expected: an array of finite numbers; mistakes: {description: an array of expected's shape}.
    """
    _text("name", name)
    expected = as_float_array("expected", expected)
    tolerance = check_positive_number("tolerance", tolerance)

    def same_shape(label, value):
        value = as_float_array(label, value)
        if value.shape != expected.shape:
            raise ValueError(f"{label} must have the shape of expected {expected.shape}, got shape {value.shape}")
        return value

    mistakes = _mistakes(mistakes, same_shape)
    _text("hint", hint, optional=True)
    if not_answered(answer):
        return say(BLANK.format(name=name))
    got, problem = _as_array(answer)
    if problem:
        return say(f"Not yet: {name} {problem}.")
    if got.shape != expected.shape:
        if got.shape == expected.T.shape and got.ndim == 2 and np.all(_close(got.T, expected, tolerance)):
            return say(f"Not yet: {name} is transposed: it has shape {got.shape}, its parameter {expected.shape}.")
        return say(f"Not yet: {name} has shape {got.shape}, but it should have shape {expected.shape}.")
    return _judge(name, got, expected, tolerance, mistakes, hint)


def check_integer(name, answer, expected, mistakes=None, hint=None):
    """Check a whole number (an int or numpy integer, or a float such as 3.0 with no fractional part).

    expected: an int or numpy integer; mistakes: {description: its integer}.
    """
    _text("name", name)
    expected = _integer("expected", expected)
    mistakes = _mistakes(mistakes, _integer)
    _text("hint", hint, optional=True)
    if not_answered(answer):
        return say(BLANK.format(name=name))
    problem = _number_problem(answer)
    if problem:
        return say(f"Not yet: {name} {problem}.")
    value = np.asarray(answer).item()
    if value != int(value):
        return say(f"Not yet: {name} should be a whole number, got {value!r}.")
    if int(value) == expected:
        return say(f"✓ {name}: correct.")
    named = next((f" looks like {text}." for text, wrong in mistakes.items() if int(value) == wrong), None)
    return say(f"Not yet: {name}" + (named or " is not right." + (f"\nHint: {hint}" if hint else "")))


def _same_choice(a, b):
    if isinstance(a, numbers.Real) and isinstance(b, numbers.Real) and not isinstance(a, (bool, np.bool_)):
        try:
            a_value, b_value = float(a), float(b)
        except OverflowError:  # an int beyond float64 (10**400) is only ever itself
            return a == b
        # A float32 answer (2.2 stored as 2.2000000477) is the same choice at float32's precision.
        rtol = max(1e-9, 4 * float(np.finfo(a).eps)) if isinstance(a, np.floating) else 1e-9
        return bool(np.isclose(a_value, b_value, rtol=rtol, atol=0))
    return type(a) is type(b) and a == b


def _among(name, value, choices):
    """value, if it is one of choices; else a ValueError naming `name`."""
    if not any(_same_choice(value, choice) for choice in choices):
        raise ValueError(f"{name} must be one of choices {reprlib.repr(choices)}, got {reprlib.repr(value)}")
    return value


def check_choice(name, answer, expected, choices, explanations=None):
    """Check that `answer` is `expected`, one of `choices`; explanations: {wrong choice: why it is wrong}.

    choices: a list or tuple of at least two options (numbers or text); expected and every key of
    explanations are among them.
    """
    _text("name", name)
    if isinstance(choices, np.ndarray) and choices.ndim == 1:
        choices = choices.tolist()
    if isinstance(choices, (str, bytes)) or not isinstance(choices, Sequence):
        raise TypeError(f"choices must be a list or tuple of the options, got {type(choices).__name__} {choices!r}")
    if len(choices) < 2:
        raise ValueError(f"choices must hold at least two options, got {list(choices)!r}")
    _among("expected", expected, choices)
    if explanations is not None and not isinstance(explanations, dict):
        raise TypeError(f"explanations must be None or a dict {{choice: why}}, got {type(explanations).__name__}")
    for choice, why in (explanations or {}).items():
        _among("each key of explanations", choice, choices)
        _text(f"explanations[{choice!r}]", why)
    if not_answered(answer):
        return say(BLANK.format(name=name))
    picked = next((choice for choice in choices if _same_choice(answer, choice)), None)
    show = lambda value: f"{value:g}" if isinstance(value, numbers.Real) else repr(value)  # noqa: E731
    if picked is None:
        quoted = isinstance(answer, str) and not any(isinstance(choice, str) for choice in choices)
        text = " (text, not a number: remove the quotes)" if quoted else ""
        listed = ", ".join(show(choice) for choice in choices)
        return say(f"Not yet: {name} must be one of {listed}; got {_shown(answer)}{text}.")
    if _same_choice(picked, expected):
        return say(f"✓ {name}: correct.")
    why = next((text for choice, text in (explanations or {}).items() if _same_choice(picked, choice)), None)
    return say(f"Not yet: {name}: not {show(picked)}." + (f" {why}" if why else ""))


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


def check_function(
    name, function, reference, make_inputs, trials=20, seed=0, mistakes=None, forbidden=(), tolerance=1e-6, hint=None
):
    """Call `function` and `reference` on `trials` fresh inputs from `make_inputs(rng)` (a tuple of arguments).

    mistakes: {description: a function that makes that mistake}. forbidden: helpers functions the
    learner's function must not call; each is swapped for a recorder during the calls.
    """
    _text("name", name)
    _callable("reference", reference)
    _callable("make_inputs", make_inputs)
    trials, seed = check_count("trials", trials, minimum=1), check_count("seed", seed)
    mistakes = _mistakes(mistakes, _callable)
    if isinstance(forbidden, (str, bytes)) or not isinstance(forbidden, (list, tuple, set)):
        raise TypeError(f"forbidden must be a list of functions, got {type(forbidden).__name__}")
    for index, banned in enumerate(forbidden):
        _callable(f"forbidden[{index}]", banned)
    tolerance = check_positive_number("tolerance", tolerance)
    _text("hint", hint, optional=True)
    rng = np.random.default_rng(seed)
    cases = [make_inputs(rng) for _ in range(trials)]
    if not isinstance(cases[0], (tuple, list)):
        raise TypeError(f"make_inputs must return a tuple of arguments, got {type(cases[0]).__name__}")
    if not_answered(function):
        return say(BLANK.format(name=name))
    if not callable(function):
        return say(f"Not yet: {name} should be a function (def ...), got {type(function).__name__}.")
    wrong = []
    for index, arguments in enumerate(cases):
        got, called, error = call_recording(function, arguments, forbidden)
        if called:
            return say(f"Not yet: {name} calls {called[0]}, which this exercise asks you to do without.")
        if isinstance(error, TypeError) and "ellipsis" in str(error).lower():  # a `...` left in the answer
            return say(BLANK.format(name=name))
        if error is not None:
            shapes = " (do the shapes fit? is a matrix transposed?)" if "matmul" in str(error) else ""
            if "truth value of an array" in str(error):
                return say(
                    f"Not yet: {name} works on single numbers only (an `if` or `max` on an array): "
                    "use np.where or np.maximum so it works elementwise on arrays."
                )
            return say(f"Not yet: {name} raised {type(error).__name__}: {error}{shapes}")
        if got is None or got is Ellipsis:
            return say(f"Not yet: {name} returns {got!r}: did you forget the `return`?")
        ok, problem = _agrees(got, reference(*arguments), tolerance)
        if problem:
            return say(f"Not yet: {name} {problem}.")
        if not ok:
            wrong.append(index)
    if not wrong:
        return say(f"✓ {name}: correct on all {trials} random inputs.")
    for description, mistaken in mistakes.items():
        if all(_agrees(call_recording(function, args, ())[0], mistaken(*args), tolerance)[0] for args in cases):
            return say(f"Not yet: {name} looks like {description}.")
    message = f"Not yet: {name} is wrong on {len(wrong)} of {trials} random inputs"
    message += (
        " (right on others: is a case wrong, such as negative inputs, or is something hard-coded?)."
        if len(wrong) < trials
        else "."
    )
    return say(message + (f"\nHint: {hint}" if hint else ""))


def check_configuration(name, answer, dataset, min_validation_accuracy, **required):
    """The playground's exercise check: train `answer` on `dataset`; right if its validation accuracy is high enough.

    A setting the learner tunes is judged on the validation points, never the test points: the test set
    reports once, at the end, on what was chosen.

    answer: {"hidden": ..., "activation": ..., "optimizer": ..., "learning_rate": ...}, the playground's
    settings, trained as the playground trains them. dataset: a playground data set ("circles", ...);
    min_validation_accuracy: a fraction in (0, 1]. required: settings the answer must use, each a value or
    a tuple of allowed values (e.g. optimizer="gd").
    """
    from .configurations import PLAYGROUND_DATASETS, train_configuration  # the other checks need no training code
    from .network import accuracy

    keys = ("hidden", "activation", "optimizer", "learning_rate")
    _text("name", name)
    if not isinstance(dataset, str) or dataset not in PLAYGROUND_DATASETS:
        raise ValueError(f"dataset must be one of {sorted(PLAYGROUND_DATASETS)}, got {dataset!r}")
    if isinstance(min_validation_accuracy, (bool, np.bool_)) or not isinstance(min_validation_accuracy, numbers.Real):
        raise TypeError(
            f"min_validation_accuracy must be a fraction in (0, 1], such as 0.9, got {min_validation_accuracy!r}"
        )
    if not 0 < min_validation_accuracy <= 1:  # False for NaN too
        raise ValueError(
            f"min_validation_accuracy must be a fraction in (0, 1], such as 0.9, got {min_validation_accuracy!r}"
        )
    unknown = sorted(set(required) - set(keys))
    if unknown:
        raise TypeError(f"check_configuration's required settings must be among {list(keys)}, got {unknown}")
    if not_answered(answer) or (isinstance(answer, dict) and any(not_answered(v) for v in answer.values())):
        return say(BLANK.format(name=name))
    if not isinstance(answer, dict) or set(answer) != set(keys):
        return say(f"Not yet: {name} should be a dict with the keys {list(keys)}, got {_shown(answer)}.")
    for key, allowed in required.items():
        allowed = allowed if isinstance(allowed, tuple) else (allowed,)
        if not any(_same_choice(answer[key], value) for value in allowed):
            choices = " or ".join(repr(value) for value in allowed)
            return say(f"Not yet: {name}: this exercise asks for {key} {choices}, got {_shown(answer[key])}.")
    try:
        run = train_configuration(dataset, **answer)
    except (TypeError, ValueError) as error:
        return say(f"Not yet: {name}: that configuration cannot be trained: {error}")
    if run.history.diverged:
        return say(f"Not yet: {name}: {run.history.message}")
    reached = accuracy(run.history.final_network, run.X_val, run.y_val)
    if reached >= min_validation_accuracy:
        return say(
            f"✓ {name}: validation accuracy {reached:.1%}, at least the {min_validation_accuracy:.0%} asked for."
        )
    message = f"Not yet: {name}: validation accuracy {reached:.1%}, below the {min_validation_accuracy:.0%} asked for."
    if np.ptp(run.history.predictions) < 1e-3:
        message += " The output is the same for every point: dead units, or a learning rate too large."
    return say(message)
