"""No exercise can be passed without doing its work.

Each notebook is run in one kernel as a learner who has solved every exercise would run it (each answer
cell replaced by its folded solution, as in test_solutions.py). At each exercise, before the answer cell,
the probe below notes what the page offers at that point; after the solution it offers every such thing as
the answer to the check, one answer name at a time (the other names keep the solution's value), and none
may pass:

- to a function answer: every callable reachable from `helpers` (the functions and classes of each of its
  modules, the methods of its classes, the callables in its tables such as ACTIVATIONS), and every callable
  in the notebook's namespace at the exercise (the notebook's own functions and classes included), each
  both as itself and called from a function of the learner's own;
- to a value answer: every number printed in an output above the exercise, every run of as many
  consecutive numbers on one printed line as the answer has entries, and every value in the namespace at
  the exercise of the answer's kind (a number, an array, a tuple or list of numbers), and for any other
  answer (a text, a configuration, a tuple of arrays) every value in the namespace of the same type.

A self-test plants a lazy exercise in a small notebook and checks that the probe catches it.
"""

import json
import math
import os
import re
from pathlib import Path

import pytest

os.environ.setdefault("JUPYTER_PLATFORM_DIRS", "1")  # jupyter_core warns without it, and warnings are errors

import nbformat  # noqa: E402
from nbclient import NotebookClient  # noqa: E402
from test_notebooks import check_call, output_texts, tags  # noqa: E402
from test_solutions import solution_of  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))
NUMBER = re.compile(r"(?<![\w.])[-+]?(?:\d+\.\d*|\.\d+|\d+)(?:[eE][-+]?\d+)?(?![\w])")
SECONDS_PER_TRY = 5

pytestmark = pytest.mark.timeout(900)

# Runs in the kernel. Notes what the page offers before the answer cell; then, once the solution has run,
# tries each offer in place of each answer name and prints a JSON report of the ones that passed.
PROBE = r"""
import contextlib as _contextlib, importlib as _importlib, inspect as _inspect, io as _io, json as _json
import numbers as _numbers, pkgutil as _pkgutil, signal as _signal
import numpy as _np


def _lazy_reachable_from_helpers():
    import helpers
    found = {}
    modules = [helpers] + [
        _importlib.import_module(info.name) for info in _pkgutil.walk_packages(helpers.__path__, "helpers.")
    ]

    def add(label, value, depth=0):
        if callable(value) and id(value) not in found:
            found[id(value)] = (label, value)
        if _inspect.isclass(value) and (value.__module__ or "").startswith("helpers"):
            for key, member in vars(value).items():
                member = member.__func__ if isinstance(member, (staticmethod, classmethod)) else member
                if callable(member):
                    found.setdefault(id(member), (f"{label}.{key}", member))
        if depth < 2 and isinstance(value, dict):
            for key, item in value.items():
                add(f"{label}[{key!r}]", item, depth + 1)
        if depth < 2 and isinstance(value, tuple):
            for key, item in enumerate(value):
                add(f"{label}[{key}]", item, depth + 1)

    for module in modules:
        for key, value in vars(module).items():
            if not key.startswith("__"):
                add(f"{module.__name__}.{key}", value)
    return list(found.values())


def _lazy_page_values():
    return {
        key: value
        for key, value in globals().items()
        if not key.startswith("_") and key not in ("In", "Out", "exit", "quit", "get_ipython")
    }


def _lazy_wrapped(function):
    def answer(*args, **kwargs):
        return function(*args, **kwargs)

    return answer


class _LazyTimeout(Exception):
    pass


def _lazy_alarm(signum, frame):
    raise _LazyTimeout()


def _lazy_numeric(value):
    if isinstance(value, (bool, _np.bool_)):
        return False
    if isinstance(value, _numbers.Real):
        return True
    if isinstance(value, _np.ndarray):
        return value.dtype.kind in "iuf" and value.size <= 100_000
    if isinstance(value, (tuple, list)) and 0 < len(value) <= 10_000:
        return all(isinstance(item, _numbers.Real) and not isinstance(item, bool) for item in value)
    return False


def _lazy_offers(name, right, page_values, printed_runs):
    if callable(right):
        offers = list(_lazy_reachable_from_helpers())
        offers += [(key, value) for key, value in page_values.items() if callable(value)]
        # The same, each called from a function of the learner's own, as `def answer(*args): return helper(*args)`.
        offers += [(f"a function that calls {label}", _lazy_wrapped(value)) for label, value in offers]
        return offers
    size = _np.size(right) if _lazy_numeric(right) else None
    offers = []
    if size is None:  # a text, a configuration, a tuple of arrays...: whatever on the page has its type
        offers += [(key, value) for key, value in page_values.items() if type(value) is type(right)]
    else:
        offers += [(key, value) for key, value in page_values.items() if _lazy_numeric(value)]
        for run in printed_runs:
            if size == 1:
                offers += [(f"printed {number}", number) for number in run]
            else:
                offers += [
                    (f"printed {run[start:start + size]}", tuple(run[start:start + size]))
                    for start in range(len(run) - size + 1)
                ]
    return offers


def _lazy_probe(call, names, page_values, printed_runs):
    scope = globals()
    passes, tried = [], 0
    previous = _signal.signal(_signal.SIGALRM, _lazy_alarm)
    try:
        for name in names:
            right = scope[name]
            for label, offer in _lazy_offers(name, right, page_values, printed_runs):
                if offer is right:
                    continue
                tried += 1
                scope[name] = offer
                verdict = None
                try:
                    _signal.setitimer(_signal.ITIMER_REAL, SECONDS_PER_TRY)
                    with _contextlib.redirect_stdout(_io.StringIO()), _contextlib.redirect_stderr(_io.StringIO()):
                        verdict = eval(call, scope)
                except BaseException:  # a check that breaks on an offer has not passed it
                    verdict = None
                finally:
                    _signal.setitimer(_signal.ITIMER_REAL, 0)
                    scope[name] = right
                if verdict is True:
                    passes.append(f"{name} = {label}")
    finally:
        _signal.signal(_signal.SIGALRM, previous)
    print("\nlazy-report " + _json.dumps({"tried": tried, "passes": passes}))
""".replace("SECONDS_PER_TRY", str(SECONDS_PER_TRY))


def printed_runs(cells):
    """The numbers of each printed line of these cells' outputs, as lists (one list per line)."""
    runs = []
    for cell in cells:
        for output in cell.get("outputs", []):
            for text in output_texts(output):
                for line in text.splitlines():
                    numbers = [float(match) for match in NUMBER.findall(line)]
                    numbers = [n for n in numbers if math.isfinite(n)]  # 1.8e308 is printed, not a float64
                    numbers = [int(n) if n.is_integer() and abs(n) < 2**53 else n for n in numbers]
                    if numbers:
                        runs.append(numbers)
    return runs


def exercises(notebook):
    """[(answer index, check source as an expression, answer names)] in page order."""
    found = []
    for index, cell in enumerate(notebook.cells):
        if "answer" in tags(cell):
            call = check_call(notebook.cells[index + 1])
            assert call is not None, f"cell {index + 1}: not a one-line check"
            names = [arg.id for arg in call.args if hasattr(arg, "id")]
            expression = notebook.cells[index + 1].source.split("=", 1)[1].strip()
            found.append((index, expression, names))
    return found


def run(client, cell, index):
    """Execute `cell` (a notebook cell object) in the client's kernel; the text it printed."""
    client.execute_cell(cell, index)
    return "".join(text for output in cell.outputs for text in output_texts(output))


def probe_notebook(path):
    """{exercise label: (tried, [passing lazy answers])} for the notebook at `path`."""
    notebook = nbformat.read(path, as_version=4)
    stored = [dict(cell) for cell in json.loads(path.read_text(encoding="utf-8"))["cells"]]
    found = exercises(notebook)
    solutions = {index: solution_of(notebook, index) for index, _, _ in found}
    client = NotebookClient(
        notebook, timeout=600, kernel_name="python3", resources={"metadata": {"path": str(path.parent)}}
    )
    report = {}
    cells = list(notebook.cells)
    notebook.cells.append(nbformat.v4.new_code_cell(""))  # the place where the probe's own cells run
    spare = len(notebook.cells) - 1
    with client.setup_kernel():
        run(client, nbformat.v4.new_code_cell(PROBE), spare)
        by_index = {index: (expression, names) for index, expression, names in found}
        for index, cell in enumerate(cells):
            if cell.cell_type != "code":
                continue
            if index in by_index:
                expression, names = by_index[index]
                snapshot = nbformat.v4.new_code_cell("_lazy_snapshot = _lazy_page_values()")
                run(client, snapshot, spare)
                cell.source = solutions[index]
                run(client, cell, index)
                runs = printed_runs(stored[:index])
                probe = nbformat.v4.new_code_cell(f"_lazy_probe({expression!r}, {names!r}, _lazy_snapshot, {runs!r})")
                printed = run(client, probe, spare)
                result = json.loads(printed.rsplit("lazy-report ", 1)[1].strip())
                report[f"cell {index} ({', '.join(names)})"] = (result["tried"], result["passes"])
                continue
            run(client, cell, index)
    return report


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[path.stem for path in NOTEBOOKS])
def test_no_lazy_answer_passes(path):
    report = probe_notebook(path)
    assert report, f"{path.name}: no exercise found"
    passing = {label: passes for label, (tried, passes) in report.items() if passes}
    assert all(tried > 0 for tried, _ in report.values()), f"{path.name}: an exercise was offered nothing: {report}"
    assert not passing, f"{path.name}: lazy answers pass: {passing}"


LAZY_NOTEBOOK = [
    ("code", [], "import helpers\nimport numpy as np\n\nz_seen = 2.5\nprint('the mean was', 0.125, 'of', 3)"),
    (
        "code",
        [],
        "class check:  # stands in for a helpers.checks module: both checks are lazy on purpose\n"
        "    @staticmethod\n"
        "    def squash(f):\n"
        "        z = np.linspace(-3, 3, 7)\n"
        "        return bool(np.allclose(f(z), 1 / (1 + np.exp(-z))))\n"
        "\n"
        "    @staticmethod\n"
        "    def mean(value):\n"
        "        return abs(value - 0.125) < 1e-9",
    ),
    ("code", ["answer"], "def squash(z):\n    ..."),
    ("code", ["check"], "passed = check.squash(squash)"),
    (
        "markdown",
        [],
        "<details><summary>Solution</summary>\n\n```python\n"
        "def squash(z):\n    return 1 / (1 + np.exp(-z))\n```\n\n</details>",
    ),
    ("code", ["answer"], "mean = ..."),
    ("code", ["check"], "passed = check.mean(mean)"),
    ("markdown", [], "<details><summary>Solution</summary>\n\n```python\nmean = 1 / 8\n```\n\n</details>"),
]


def test_the_probe_catches_a_helper_and_a_printed_value(tmp_path):
    cells = []
    for kind, cell_tags, text in LAZY_NOTEBOOK:
        make = nbformat.v4.new_code_cell if kind == "code" else nbformat.v4.new_markdown_cell
        cell = make(text)
        cell.metadata["tags"] = cell_tags
        cells.append(cell)
    cells[0].outputs = [nbformat.v4.new_output("stream", name="stdout", text="the mean was 0.125 of 3\n")]
    notebook = nbformat.v4.new_notebook(cells=cells)
    notebook.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    path = tmp_path / "99_lazy.ipynb"
    nbformat.write(notebook, path)
    report = probe_notebook(path)
    passes = {label: passes for label, (_, passes) in report.items()}
    assert any(lazy == "squash = helpers.sigmoid" for lazy in passes["cell 2 (squash)"]), passes
    assert any(lazy == "squash = a function that calls helpers.sigmoid" for lazy in passes["cell 2 (squash)"]), passes
    assert any("printed 0.125" in lazy for lazy in passes["cell 5 (mean)"]), passes
