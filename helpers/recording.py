"""Calling a learner's function while noting which forbidden functions it calls.

An exercise that says "without calling helpers.backward" holds to it however the function is reached:
by its name, through a table (helpers.OPTIMIZERS['gd'], helpers.ACTIVATIONS['tanh'].derivative), as a
method of an object made before the call, through `type(obj)`, or from inside another helper. During
the call a profiler (sys.setprofile) notes every run of a forbidden function's code, wherever the
function object sits. A forbidden class stands for its methods: those it defines, and those it
inherits when they run on one of its instances. Callables without Python code of their own (numpy's
ufuncs, builtins) cannot be seen that way, so they are swapped for a recorder wherever helpers'
modules, their tables or the learner's global names hold them.
"""

import copy
import inspect
import sys


def _helpers_spaces():
    """The global names of every imported helpers module."""
    return [vars(module) for key, module in list(sys.modules.items()) if key.split(".")[0] == "helpers"]


def _tables(space):
    """(table name, key, entry) for each entry of the dicts among `space`'s values."""
    return [
        (name, key, entry)
        for name, table in list(space.items())
        if isinstance(table, dict)
        for key, entry in list(table.items())
    ]


def _is_named_tuple(value):
    return isinstance(value, tuple) and hasattr(value, "_replace")


def label_of(original):
    """How a verdict names a forbidden callable: helpers.NAME, helpers.TABLE[key].field, or the notebook's name."""
    name = getattr(original, "__name__", None) or type(original).__name__
    module = getattr(original, "__module__", "") or ""
    if module.split(".")[0] != "helpers":
        return name
    spaces = _helpers_spaces()
    if any(space.get(name) is original for space in spaces) and not name.startswith("_"):
        return f"helpers.{name}"
    for space in spaces:  # a lambda, a closure or a private function: named by the table that holds it
        for table, key, entry in _tables(space):
            if entry is original:
                return f"helpers.{table}[{key!r}]"
            if _is_named_tuple(entry):
                for field, item in entry._asdict().items():
                    if item is original:
                        return f"helpers.{table}[{key!r}].{field}"
    return f"helpers.{name}"


def recorder_of(original, called, label=None):
    """`original`, wrapped so that each call is first noted in `called` by name (or by `label`)."""
    label = label_of(original) if label is None else label

    def recorder(*args, **kwargs):
        called.append(label)
        return original(*args, **kwargs)

    return recorder


def _functions_of(attribute):
    """The Python functions behind a class attribute: a method, a static or class method, a property."""
    if isinstance(attribute, (staticmethod, classmethod)):
        attribute = attribute.__func__
    if isinstance(attribute, property):
        return [f for f in (attribute.fget, attribute.fset, attribute.fdel) if inspect.isfunction(f)]
    return [attribute] if inspect.isfunction(attribute) else []


def _watch_list(forbidden):
    """{code object: [(label, class or None, function)]} for the forbidden callables that run Python code.

    The class is set for a method a forbidden class inherits: its run counts only on that class's
    instances (or subclasses). The function is kept so that closures sharing one code object are told apart.
    """
    watched = {}
    for item in forbidden:
        if inspect.isclass(item):
            for owner in item.__mro__:
                for attribute in vars(owner).values() if owner is not object else ():
                    for function in _functions_of(attribute):
                        entry = (label_of(item), None if owner is item else item, function)
                        watched.setdefault(function.__code__, []).append(entry)
        elif inspect.isfunction(getattr(item, "__func__", item)):  # a function, or a bound method's
            function = getattr(item, "__func__", item)
            watched.setdefault(function.__code__, []).append((label_of(item), None, function))
    return watched


def _runs(frame, owner, function):
    """True when the code running in `frame` is `function` (not another closure of the same code) and,
    for a method inherited by the forbidden class `owner`, runs on an instance (or subclass) of it."""
    code = frame.f_code
    if function.__closure__ or owner is not None:
        local = frame.f_locals
        for name, cell in zip(code.co_freevars, function.__closure__ or ()):
            try:
                if local.get(name) is not cell.cell_contents:
                    return False
            except ValueError:  # an empty cell
                return False
        if owner is not None:
            first = local.get(code.co_varnames[0]) if code.co_argcount else None
            return isinstance(first, owner) or (inspect.isclass(first) and issubclass(first, owner))
    return True


def _swap_plain(forbidden, function, called):
    """Swap each forbidden callable without Python code for a recorder, in helpers' modules and tables and
    in the learner's global names; returns [(container, key, original)] to put back."""
    plain = [f for f in forbidden if not inspect.isclass(f) and not inspect.isfunction(getattr(f, "__func__", f))]
    saved = []
    if not plain:
        return saved
    for space in [*_helpers_spaces(), getattr(function, "__globals__", {})]:
        for key, value in [(key, value) for key, value in space.items() if any(value is f for f in plain)]:
            saved.append((space, key, value))
            space[key] = recorder_of(value, called)
        for name, key, entry in _tables(space):
            table = space[name]
            if any(entry is f for f in plain):
                saved.append((table, key, entry))
                table[key] = recorder_of(entry, called, f"helpers.{name}[{key!r}]")
            elif _is_named_tuple(entry):
                swaps = {
                    field: recorder_of(item, called, f"helpers.{name}[{key!r}].{field}")
                    for field, item in entry._asdict().items()
                    if any(item is f for f in plain)
                }
                if swaps:
                    saved.append((table, key, entry))
                    table[key] = entry._replace(**swaps)
    return saved


def call_recording(function, arguments, forbidden):
    """Call `function(*arguments)` (on copies of the arguments) while noting each call of a forbidden
    callable; returns (result, labels of the forbidden callables called, in order, the exception raised
    or None)."""
    called = []
    arguments = copy.deepcopy(arguments)  # before the profiler: copying may run a forbidden class's code
    watched = _watch_list(forbidden)
    saved = _swap_plain(forbidden, function, called)
    previous = sys.getprofile()  # another profiler (a debugger's) pauses during the call

    def profiler(frame, event, arg):
        if event == "call" and frame.f_code in watched:
            for label, owner, original in watched[frame.f_code]:
                if _runs(frame, owner, original):
                    called.append(label)
                    break

    if watched:
        sys.setprofile(profiler)
    try:
        return function(*arguments), called, None
    except Exception as error:  # a learner's bug is reported, never raised
        return None, called, error
    finally:
        if watched:
            sys.setprofile(previous)
        for space, key, original in reversed(saved):
            space[key] = original
