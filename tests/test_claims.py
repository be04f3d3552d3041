"""Every number and every sweeping claim in a notebook's prose is backed by something the notebook runs.

How it works, per notebook notebooks/NN_name.ipynb and its list tests/claims/NN_name.txt:

Prose is the text of the markdown cells, with fenced code blocks (the folded solutions) removed.

Numbers. Every decimal number in the prose is checked: a number with a decimal point (0.983), with an
exponent (1e-6, 9.36e-14) or written in LaTeX as a power of ten (10^{-7}, 9.36\\times10^{-14}).
Integers are not checked: in this prose they are counts and sizes the text itself sets up (4 inputs,
3 hidden units, 1000 epochs, notebook 05), and a result that is an integer must be printed by a cell
anyway to be stated. A decimal number passes when the stored outputs (stream text and the text of
rich outputs) show a number that rounds to it at the precision it is written with, shown with at least
that many digits: prose 0.25 agrees with an output 0.2500 or 0.25012, prose 0.250 not with 0.25. Signs are
ignored, because prose writes minus signs and dashes in several ways. A number that is a parameter or
a definition rather than a result (a learning rate the text chooses, a tolerance, a threshold) is
listed instead, with the reason:

    number 0.01 — the smallest learning rate of the sweep, chosen by the text

Claims. Every occurrence of a word or phrase of CLAIM_WORDS ("never", "every", "all four", ...) in the
prose must lie inside a phrase listed with what backs it: an assert statement in a code cell of the
same notebook (a substring of it), or a test function that recomputes it:

    claim never quite reaches 0 or 1 — cell: assert stable_sigmoid(40.0) == 1.0
    claim all four outputs — test: tests/test_depth.py::test_name

Stale entries fail too: a listed number or phrase that no longer occurs in the prose, a `cell:`
substring found in no assert, a `test:` naming no existing test function. Lines starting with # are
comments.
"""

import ast
import json
import re
from decimal import Decimal
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))
CLAIMS = ROOT / "tests" / "claims"

CLAIM_WORDS = (
    "never",
    "always",
    "every",
    "everywhere",
    "all four",
    "all three",
    "none",
    "not one",
    "no rate",
    "no seed",
    "disappears",
    "vanishes",
    "about half",
)
CLAIM_PATTERN = re.compile(r"\b(" + "|".join(re.escape(word) for word in CLAIM_WORDS) + r")\b", re.IGNORECASE)
# 9.36\times10^{-14}, 10^{-7}, 1.5e-3, 0.983 (a leading digit, then a point or an exponent).
LATEX_POWER = re.compile(r"(?:(\d+(?:\.\d+)?)\s*\\times\s*)?10\^\{?(-?\d+)\}?")
DECIMAL = re.compile(r"(?<![\w.])(\d+\.\d+(?:[eE][-+]?\d+)?|\d+[eE][-+]?\d+)(?![\w])")
FENCED = re.compile(r"```.*?```", re.DOTALL)
DATA_URI = re.compile(r"data:[\w/+.-]+;base64,[A-Za-z0-9+/=]*")


def cells(path):
    return json.loads(path.read_text(encoding="utf-8"))["cells"]


def text_of(value):
    return "".join(value) if isinstance(value, list) else value


def prose(path):
    """The notebook's markdown, fenced code removed, whitespace runs made single spaces."""
    parts = [FENCED.sub(" ", text_of(cell["source"])) for cell in cells(path) if cell["cell_type"] == "markdown"]
    return re.sub(r"\s+", " ", "\n".join(parts))


def outputs_text(path):
    texts = []
    for cell in cells(path):
        for output in cell.get("outputs", []):
            if output["output_type"] == "stream":
                texts.append(text_of(output["text"]))
            for key in ("text/plain", "text/html", "text/markdown", "text/latex"):
                if key in output.get("data", {}):
                    # A picture inlined as a data: URI (helpers.figures.show) holds base64, not numbers.
                    texts.append(DATA_URI.sub(" ", text_of(output["data"][key])))
    return "\n".join(texts)


def written_numbers(text):
    """(as written, value, half a unit in the last written place) for each decimal number in `text`."""
    found = []
    for match in LATEX_POWER.finditer(text):
        mantissa, exponent = match.group(1) or "1", int(match.group(2))
        digits = len(mantissa.split(".")[1]) if "." in mantissa else 0
        # Decimal, not float: 4.9 x 10^-324 and its rounding step must not underflow to 0.
        value = Decimal(mantissa).scaleb(exponent)
        found.append((match.group(0), value, Decimal(5).scaleb(exponent - digits - 1)))
    text = LATEX_POWER.sub(" ", text)
    for match in DECIMAL.finditer(text):
        written = match.group(1)
        mantissa, _, exponent = written.lower().partition("e")
        digits = len(mantissa.split(".")[1]) if "." in mantissa else 0
        found.append((written, Decimal(written), Decimal(5).scaleb(int(exponent or 0) - digits - 1)))
    return found


def shown_numbers(text):
    """(value, half a unit in the last shown place) for every number in the outputs, integers too."""
    found = []
    for match in re.finditer(r"(?<![\w.])(\d+(?:\.\d+)?(?:[eE][-+]?\d+)?)", text):
        written = match.group(1)
        mantissa, _, exponent = written.lower().partition("e")
        digits = len(mantissa.split(".")[1]) if "." in mantissa else 0
        found.append((Decimal(written), Decimal(5).scaleb(int(exponent or 0) - digits - 1)))
    return found


def agrees(value, resolution, shown):
    """The prose number is an output rounded to the prose's precision (never more precise than the output)."""
    tiny = resolution.scaleb(-9)
    return any(
        step <= resolution + tiny and abs(number - value) <= resolution + tiny
        for number, step in shown
        if number != 0 or value == 0
    )


def read_claims(path):
    """{"number": {written: reason}, "claim": {phrase: backing}} from tests/claims/<stem>.txt."""
    listed = {"number": {}, "claim": {}}
    file = CLAIMS / f"{path.stem}.txt"
    if not file.exists():
        return listed
    for number, line in enumerate(file.read_text(encoding="utf-8").splitlines(), start=1):
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        kind, _, rest = line.partition(" ")
        item, separator, backing = rest.partition(" — ")
        assert kind in listed and separator and backing.strip(), f"{file.name}:{number}: cannot read {line!r}"
        listed[kind][item.strip()] = backing.strip()
    return listed


def asserts_of(path):
    """The source of every assert statement in the notebook's code cells."""
    found = []
    for cell in cells(path):
        if cell["cell_type"] != "code":
            continue
        source = text_of(cell["source"])
        try:
            tree = ast.parse(source)
        except SyntaxError:
            continue
        found += [ast.get_source_segment(source, node) for node in ast.walk(tree) if isinstance(node, ast.Assert)]
    return found


def names_a_test_function(reference):
    """True when `reference`, tests/file.py::name, names a function defined in that file."""
    file, _, name = reference.partition("::")
    path = ROOT / file
    if not (path.is_file() and name):
        return False
    tree = ast.parse(path.read_text(encoding="utf-8"))
    return any(isinstance(node, ast.FunctionDef) and node.name == name for node in ast.walk(tree))


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[path.stem for path in NOTEBOOKS])
def test_numbers_in_the_prose_are_computed_or_listed(path):
    text, listed = prose(path), read_claims(path)["number"]
    shown = shown_numbers(outputs_text(path))
    written = written_numbers(text)
    unbacked = sorted(
        {word for word, value, resolution in written if word not in listed and not agrees(value, resolution, shown)}
    )
    assert not unbacked, (
        f"{path.name}: decimal numbers in the prose that no output shows and tests/claims/{path.stem}.txt "
        f"does not list: {unbacked}"
    )
    stale = sorted(set(listed) - {word for word, _, _ in written})
    assert not stale, f"tests/claims/{path.stem}.txt lists numbers the prose no longer has: {stale}"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[path.stem for path in NOTEBOOKS])
def test_claims_in_the_prose_are_backed(path):
    text, listed = prose(path), read_claims(path)["claim"]
    spans = [match.span() for phrase in listed for match in re.finditer(re.escape(phrase), text)]
    uncovered = []
    for match in CLAIM_PATTERN.finditer(text):
        if not any(start <= match.start() and match.end() <= end for start, end in spans):
            uncovered.append(text[max(0, match.start() - 50) : match.end() + 50])
    assert not uncovered, (
        f"{path.name}: claims not listed in tests/claims/{path.stem}.txt with what backs them:\n"
        + "\n".join(f"  ...{context}..." for context in uncovered)
    )
    asserts = asserts_of(path)
    problems = []
    for phrase, backing in listed.items():
        if phrase not in text:
            problems.append(f"stale: {phrase!r} is no longer in the prose")
        kind, _, reference = backing.partition(":")
        reference = reference.strip()
        if kind == "cell" and not any(reference in statement for statement in asserts):
            problems.append(f"{phrase!r}: no assert in a code cell contains {reference!r}")
        elif kind == "test" and not names_a_test_function(reference):
            problems.append(f"{phrase!r}: no test function {reference}")
        elif kind not in ("cell", "test"):
            problems.append(f"{phrase!r}: backing must start with 'cell:' or 'test:', got {backing!r}")
    assert not problems, f"tests/claims/{path.stem}.txt:\n" + "\n".join(problems)
