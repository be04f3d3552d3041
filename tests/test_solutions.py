"""The folded solutions are right: each notebook, run with every answer cell replaced by its solution,
prints a line starting with "✓" under every check cell.

The convention (see tests/test_notebooks.py::test_exercises_follow_the_convention): a code cell tagged
`answer`, then a code cell tagged `check`, then a markdown cell whose ```python block is the solution.
One kernel per notebook; notebooks without tagged exercises are skipped here (test_notebooks.py fails them).
"""

import os
import re
from pathlib import Path

import pytest

os.environ.setdefault("JUPYTER_PLATFORM_DIRS", "1")  # jupyter_core warns without it, and warnings are errors

import nbformat  # noqa: E402
from nbclient import NotebookClient  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))
SOLUTION = re.compile(r"```python\n(.*?)```", re.DOTALL)


def tagged(cell, tag):
    return tag in cell.get("metadata", {}).get("tags", [])


def solution_of(notebook, answer_index):
    """The code of the folded solution that follows the answer cell at `answer_index` and its check."""
    check, folded = notebook.cells[answer_index + 1], notebook.cells[answer_index + 2]
    assert tagged(check, "check"), f"cell {answer_index + 1} after an answer cell is not tagged 'check'"
    match = SOLUTION.search(folded.source) if folded.cell_type == "markdown" else None
    assert match and "<details>" in folded.source, f"cell {answer_index + 2}: no folded ```python solution"
    return match.group(1)


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[path.stem for path in NOTEBOOKS])
def test_solutions_pass_their_checks(path):
    notebook = nbformat.read(path, as_version=4)
    answers = [index for index, cell in enumerate(notebook.cells) if tagged(cell, "answer")]
    if not answers:
        pytest.skip(f"{path.name} has no exercise tagged 'answer' yet")
    for index in answers:
        notebook.cells[index].source = solution_of(notebook, index)
    NotebookClient(
        notebook, timeout=300, kernel_name="python3", resources={"metadata": {"path": str(path.parent)}}
    ).execute()
    failures = []
    for index in answers:
        check = notebook.cells[index + 1]
        printed = "".join(output.get("text", "") for output in check.outputs if output.output_type == "stream")
        if not any(line.startswith("✓") for line in printed.splitlines()):
            failures.append(f"check cell {index + 1} printed:\n{printed}")
    assert not failures, f"{path.name}: a solution does not pass its check:\n" + "\n".join(failures)
