"""Calling a learner's function while noting which forbidden functions it calls.

An exercise that says "without calling helpers.backward" holds to it: during the call each forbidden
function, wherever it is bound (in helpers' modules or in the learner's own global names), is swapped
for a recorder that notes the call and then does what the original does.
"""

import copy
import sys


def recorder_of(original, called, label=None):
    """`original`, wrapped so that each call is first noted in `called` by name (or by `label`)."""
    if label is None:
        module = getattr(original, "__module__", "") or ""
        label = f"helpers.{original.__name__}" if module.startswith("helpers") else original.__name__

    def recorder(*args, **kwargs):
        called.append(label)
        return original(*args, **kwargs)

    return recorder


def call_recording(function, arguments, forbidden):
    """Call `function(*arguments)` (on copies of the arguments) with each forbidden function swapped for
    a recorder; returns (result, names of the forbidden functions called, the exception raised or None)."""
    called, saved = [], []
    spaces = [vars(module) for key, module in list(sys.modules.items()) if key.split(".")[0] == "helpers"]
    for space in [*spaces, getattr(function, "__globals__", {})]:
        for key, value in [(key, value) for key, value in space.items() if any(value is f for f in forbidden)]:
            saved.append((space, key, value))
            space[key] = recorder_of(value, called)
        # Tables of named tuples (helpers.ACTIVATIONS['tanh'].derivative, LOSSES[...]) are a way round too.
        for name, table in [(name, value) for name, value in space.items() if isinstance(value, dict)]:
            for key, entry in list(table.items()):
                if isinstance(entry, tuple) and hasattr(entry, "_replace"):
                    swaps = {
                        field: recorder_of(item, called, f"helpers.{name}[{key!r}].{field}")
                        for field, item in entry._asdict().items()
                        if any(item is f for f in forbidden)
                    }
                    if swaps:
                        saved.append((table, key, entry))
                        table[key] = entry._replace(**swaps)
    try:
        return function(*copy.deepcopy(arguments)), called, None
    except Exception as error:  # a learner's bug is reported, never raised
        return None, called, error
    finally:
        for space, key, original in reversed(saved):
            space[key] = original
