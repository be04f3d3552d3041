"""Hygiene of the stored notebooks: clean outputs, fresh-kernel execution counts, navigation links,
the sections every notebook has, the README's Contents table, and strict nbval in ./course test.

These read the .ipynb files only (fast); nbval and the browser test run them.
"""

import ast
import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))
IDS = [path.stem for path in NOTEBOOKS]

TITLE = re.compile(r"^# (\d\d) · (\S.*)$")
# 'nan' printed as a number (numpy prints nan, -nan; tables may say NaN), not inside a word.
PRINTED_NAN = re.compile(r"(?<![A-Za-z])[-+]?nan(?![A-Za-z])", re.IGNORECASE)
# A figure's picture inside its <img> (helpers.figures): base64, where 'nan' may occur by chance.
PICTURE = re.compile(r'src="data:image/png;base64,[A-Za-z0-9+/=]*"')
WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"
TEXT_KEYS = ("text/plain", "text/html", "text/markdown", "text/latex")


def load(path):
    return json.loads(path.read_text(encoding="utf-8"))


def source(cell):
    text = cell.get("source", "")
    return "".join(text) if isinstance(text, list) else text


def title_of(path):
    """(number, title) from the notebook's first line, `# NN · Title`; None if it has no such line."""
    cells = load(path)["cells"]
    if not cells or cells[0]["cell_type"] != "markdown":
        return None
    match = TITLE.match(source(cells[0]).strip().splitlines()[0].strip()) if source(cells[0]).strip() else None
    return (match.group(1), match.group(2).strip()) if match else None


def expected_navigation(path):
    """The navigation line for `path`: previous and next notebook by number, with their titles."""
    number = int(path.name[:2])
    by_number = {int(other.name[:2]): other for other in NOTEBOOKS}
    parts = []
    if number > 1:
        previous = by_number.get(number - 1)
        assert previous is not None, f"{path.name}: no notebook numbered {number - 1:02d} before it"
        assert title_of(previous), f"{previous.name}: first cell must start with '# NN · Title'"
        parts.append(f"[← {number - 1:02d} · {title_of(previous)[1]}]({previous.name})")
    parts.append("[Contents](../README.md#contents)")
    following = by_number.get(number + 1)
    if following is not None:
        assert title_of(following), f"{following.name}: first cell must start with '# NN · Title'"
        parts.append(f"[{number + 1:02d} · {title_of(following)[1]} →]({following.name})")
    return " | ".join(parts)


def output_texts(output):
    """Every piece of text an output shows (stream text, error text, text mimetypes)."""
    if output["output_type"] == "stream":
        yield "".join(output["text"]) if isinstance(output["text"], list) else output["text"]
    elif output["output_type"] == "error":
        yield "\n".join(output.get("traceback", []))
    else:
        for key in TEXT_KEYS:
            value = output.get("data", {}).get(key)
            if value is not None:
                yield "".join(value) if isinstance(value, list) else value


def nbval_markers(cell):
    """nbval's per-cell markers, as comments in the source or as cell tags (lower case)."""
    found = {match.lower() for match in re.findall(r"#\s*(NBVAL_\w+)", source(cell))}
    found |= {tag.replace("-", "_").lower() for tag in cell.get("metadata", {}).get("tags", [])}
    return {marker for marker in found if marker.startswith("nbval_")}


def test_there_are_notebooks():
    assert NOTEBOOKS, "no notebooks/NN_name.ipynb found"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=IDS)
def test_no_error_warning_or_nan_in_outputs(path):
    problems = []
    for index, cell in enumerate(load(path)["cells"], start=1):
        for output in cell.get("outputs", []):
            if output["output_type"] == "error":
                problems.append(f"cell {index}: error output {output.get('ename')}: {output.get('evalue')}")
            if output["output_type"] == "stream" and output["name"] == "stderr":
                problems.append(f"cell {index}: writes to stderr (a warning?): {''.join(output['text'])[:200]!r}")
            for text in output_texts(output):
                for line in PICTURE.sub('src="PICTURE"', text).splitlines():
                    # The readable divergence message names NaN on purpose; a printed nan number is a bug.
                    if PRINTED_NAN.search(line) and "diverged" not in line.lower():
                        problems.append(f"cell {index}: NaN in output: {line.strip()[:200]!r}")
    assert not problems, f"{path.name}:\n" + "\n".join(problems)


@pytest.mark.parametrize("path", NOTEBOOKS, ids=IDS)
def test_execution_counts_are_one_to_n(path):
    code_cells = [cell for cell in load(path)["cells"] if cell["cell_type"] == "code"]
    counts = [cell.get("execution_count") for cell in code_cells]
    assert counts == list(range(1, len(code_cells) + 1)), (
        f"{path.name}: execution counts {counts}; run it top to bottom in a fresh kernel and save"
    )
    for cell in code_cells:
        for output in cell.get("outputs", []):
            if output["output_type"] == "execute_result":
                assert output["execution_count"] == cell["execution_count"], f"{path.name}: stale output"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=IDS)
def test_first_cell_has_title_and_intro(path):
    title = title_of(path)
    assert title, f"{path.name}: first cell must be markdown starting with '# NN · Title'"
    assert title[0] == path.name[:2], f"{path.name}: title number {title[0]} does not match the file name"
    first = source(load(path)["cells"][0])
    for heading in ("What you will learn", "What this assumes"):
        assert heading in first, f"{path.name}: first cell lacks '{heading}'"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=IDS)
def test_navigation_cells(path):
    cells = load(path)["cells"]
    expected = expected_navigation(path)
    assert len(cells) >= 3, f"{path.name}: too few cells"
    for label, cell in (("second", cells[1]), ("last", cells[-1])):
        assert cell["cell_type"] == "markdown", f"{path.name}: {label} cell must be the markdown navigation line"
        assert source(cell).strip() == expected, (
            f"{path.name}: {label} cell must be exactly\n{expected}\nbut is\n{source(cell).strip()}"
        )


@pytest.mark.parametrize("path", NOTEBOOKS, ids=IDS)
@pytest.mark.parametrize("section", ["Summary", "Exercises"])
def test_has_section(path, section):
    headings = re.compile(rf"^#{{2,3}} {section}\b", re.MULTILINE)
    markdown = [source(cell) for cell in load(path)["cells"] if cell["cell_type"] == "markdown"]
    assert any(headings.search(text) for text in markdown), f"{path.name}: no '## {section}' section"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=IDS)
def test_kernelspec_is_python3(path):
    kernelspec = load(path)["metadata"].get("kernelspec", {})
    assert kernelspec.get("name") == "python3", f"{path.name}: kernelspec {kernelspec!r}"
    assert kernelspec.get("language") == "python", f"{path.name}: kernelspec {kernelspec!r}"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=IDS)
def test_nbval_markers_only_where_allowed(path):
    """Strict nbval compares every text output. Ignoring one is allowed only for a live widget view
    (its state is the browser's); skipping a cell or expecting an exception is never allowed."""
    for index, cell in enumerate(load(path)["cells"], start=1):
        markers = nbval_markers(cell)
        assert not markers & {"nbval_skip", "nbval_raises_exception"}, f"{path.name}: cell {index} has {markers}"
        if "nbval_ignore_output" in markers:
            outputs = cell.get("outputs", [])
            live = outputs and all(WIDGET_VIEW in output.get("data", {}) for output in outputs)
            assert live, f"{path.name}: cell {index} ignores output that is not a live widget view"


def contents_section():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    match = re.search(r"^## Contents\s*$(.*?)(?=^## |\Z)", readme, re.MULTILINE | re.DOTALL)
    assert match, "README.md has no '## Contents' section"
    return match.group(1)


@pytest.mark.parametrize("path", NOTEBOOKS, ids=IDS)
def test_notebook_is_in_readme_contents(path):
    assert f"notebooks/{path.name}" in contents_section(), f"README Contents does not link notebooks/{path.name}"


def test_readme_contents_links_exist():
    for link in re.findall(r"\((notebooks/[^)\s]+\.ipynb)\)", contents_section()):
        assert (ROOT / link).exists(), f"README Contents links {link}, which does not exist"


def test_course_test_runs_strict_nbval():
    script = (ROOT / "course").read_text()
    assert "--nbval-lax" not in script, "./course test must run strict nbval, not --nbval-lax"
    pytest_lines = [line for line in script.splitlines() if re.match(r"\s*pytest\b", line)]
    assert pytest_lines and all("--nbval" in line and "notebooks" in line for line in pytest_lines), pytest_lines
    ci = (ROOT / ".ci" / "run").read_text()
    assert "./course test" in ci, ".ci/run must run exactly ./course test"


def tags(cell):
    return cell.get("metadata", {}).get("tags", [])


def check_call(cell):
    """The call of a check cell, `passed = check.NAME(ANSWER, ...)`, as an ast.Call; None if it is not one."""
    try:
        body = ast.parse(source(cell)).body
    except SyntaxError:
        return None
    if len(body) != 1 or not isinstance(body[0], ast.Assign) or not isinstance(body[0].value, ast.Call):
        return None
    call = body[0].value
    is_check = isinstance(call.func, ast.Attribute) and isinstance(call.func.value, ast.Name)
    return call if is_check and call.func.value.id == "check" else None


@pytest.mark.parametrize("path", NOTEBOOKS, ids=IDS)
def test_exercises_follow_the_convention(path):
    """At least one exercise; each is an `answer` cell holding `...`, a one-line `check` cell that calls the
    notebook's module of helpers.checks (`passed = check.NAME(ANSWER)`) and is stored in its blank state, then
    a folded solution. The notebook imports that module as `check`. No cell writes its own 'not answered yet'
    message: helpers.exercises says it."""
    cells = load(path)["cells"]
    answers = [index for index, cell in enumerate(cells) if "answer" in tags(cell)]
    assert answers, f"{path.name}: no exercise with a code cell tagged 'answer'"
    checks = [index for index, cell in enumerate(cells) if "check" in tags(cell)]
    assert checks == [index + 1 for index in answers], f"{path.name}: each answer cell must be followed by a check"
    module = path.stem[3:]
    imports = f"from helpers.checks import {module} as check"
    assert any(imports in source(cell) for cell in cells if cell["cell_type"] == "code"), f"{path.name}: {imports}"
    for index in answers:
        answer, check, folded = cells[index], cells[index + 1], cells[index + 2]
        where = f"{path.name} cell {index}"
        assert answer["cell_type"] == "code" and "..." in source(answer), f"{where}: an answer cell holds `...`"
        assert check["cell_type"] == "code" and check_call(check) is not None, (
            f"{where}: the check cell is one line, passed = check.NAME(ANSWER), got {source(check)!r}"
        )
        printed = "".join(text for output in check.get("outputs", []) for text in output_texts(output))
        assert printed.startswith("Not answered yet"), f"{where}: store the check in its blank state, got {printed!r}"
        text = source(folded)
        assert folded["cell_type"] == "markdown" and "<details><summary>Solution</summary>" in text, (
            f"{where}: the cell after the check must be a folded solution"
        )
        assert "```python" in text and "</details>" in text, f"{where}: the solution needs a ```python block"
    for index, cell in enumerate(cells):
        if cell["cell_type"] == "code":
            assert "not answered yet" not in source(cell).lower(), f"{path.name} cell {index}: use helpers.exercises"


def hidden(cell):
    return bool(cell.get("metadata", {}).get("jupyter", {}).get("source_hidden"))


@pytest.mark.parametrize("path", NOTEBOOKS, ids=IDS)
def test_no_assert_in_a_cell_the_learner_reads(path):
    """Checks that keep prose and outputs together run, out of the learner's way: an assert stands only in a
    cell stored collapsed (JupyterLab's source_hidden) and tagged 'claims', which holds nothing the learner
    needs: no output, no definition used later."""
    for index, cell in enumerate(load(path)["cells"]):
        if cell["cell_type"] != "code":
            continue
        tree = ast.parse(source(cell))
        has_assert = any(isinstance(node, ast.Assert) for node in ast.walk(tree))
        where = f"{path.name} cell {index}"
        if has_assert:
            assert hidden(cell) and "claims" in tags(cell), f"{where}: an assert in a cell the learner reads"
        if "claims" in tags(cell):
            assert hidden(cell), f"{where}: a claims cell is stored collapsed (source_hidden)"
            assert not cell.get("outputs"), f"{where}: a claims cell shows nothing"
            defined = [node for node in tree.body if isinstance(node, (ast.FunctionDef, ast.ClassDef))]
            assert not defined, f"{where}: a claims cell defines nothing the page uses"


def test_notebooks_are_stored_as_jupyterlab_writes_them():
    """Opening and saving a notebook in JupyterLab must leave it byte for byte as it is (the browser test
    checks that for real); this fast check uses scripts/run_notebooks.py's own idea of that form."""
    result = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "run_notebooks.py"), "--check"],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, f"store them with scripts/run_notebooks.py:\n{result.stdout}{result.stderr}"
