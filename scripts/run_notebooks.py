"""Run notebooks top to bottom in a fresh kernel and store them exactly as JupyterLab writes them.

JupyterLab reads a notebook into the browser and, on every save (autosave included), sends it back
as the browser's JSON. So a notebook stored any other way changes as soon as a learner opens it:
- every number goes through a JavaScript number: `8.0` comes back as `8`, `-0.0` as `0`;
- the kernelspec's display name becomes the running kernel's ("Python 3 (ipykernel)").
This script stores the notebook in that form already, and keeps no per-cell timing metadata
(JupyterLab writes none by default, and it would change on every run).

Run:   .venv/bin/python scripts/run_notebooks.py [notebooks/NN_name.ipynb ...]   (default: all)
Check: .venv/bin/python scripts/run_notebooks.py --check [...]   lists notebooks not in that form
       (executes nothing).
Exit status 1 when a notebook failed to run (it is then left as it was) or, with --check, is not in
JupyterLab's form.
"""

import argparse
import os
import subprocess
import sys
import time
from pathlib import Path

import nbformat
from jupyter_client.kernelspec import KernelSpecManager
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError

ROOT = Path(__file__).resolve().parents[1]
KERNEL = "python3"
# JavaScript prints integral numbers below this without an exponent, so JSON.parse then
# JSON.stringify turns 8.0 into 8; from here on it keeps the exponent form and Python reads a float.
JS_EXPONENT_FROM = 1e21
JS_SAFE_INTEGER = 2**53


def as_javascript_number(value):
    """`value` after a trip through a JavaScript number and back into Python's json (bools untouched)."""
    if isinstance(value, bool):
        return value
    if isinstance(value, float):
        if value.is_integer() and abs(value) < JS_EXPONENT_FROM:
            return int(value)
        return value
    if isinstance(value, int) and abs(value) > JS_SAFE_INTEGER:
        return int(float(value))
    return value


def through_javascript(node):
    """A copy of a JSON tree (dicts, lists, scalars) with every number as JavaScript returns it."""
    if isinstance(node, dict):
        return {key: through_javascript(item) for key, item in node.items()}
    if isinstance(node, list):
        return [through_javascript(item) for item in node]
    return as_javascript_number(node)


def lab_kernelspec(name=KERNEL):
    """The kernelspec metadata JupyterLab writes for a notebook running kernel `name`."""
    spec = KernelSpecManager().get_kernel_spec(name)
    return {"display_name": spec.display_name, "language": spec.language, "name": name}


def lab_form(notebook, kernelspec):
    """`notebook` (a NotebookNode) in the form JupyterLab saves it: a new NotebookNode."""
    tree = through_javascript(notebook)
    tree["metadata"]["kernelspec"] = dict(kernelspec)
    for cell in tree["cells"]:
        cell.get("metadata", {}).pop("execution", None)
    return nbformat.from_dict(tree)


def execute(path, timeout_seconds=600):
    """Run the notebook at `path` in a fresh kernel, from its own folder; returns the executed NotebookNode.

    Widget state is stored, so GitHub and a freshly opened lab show the widgets' last values.
    """
    notebook = nbformat.read(path, as_version=4)
    client = NotebookClient(
        notebook,
        timeout=timeout_seconds,
        kernel_name=KERNEL,
        store_widget_state=True,
        record_timing=False,
        resources={"metadata": {"path": str(Path(path).parent)}},
    )
    # The kernel's own start-up notices on stderr are not the notebook's output.
    client.execute(stderr=subprocess.DEVNULL)
    return notebook


def stored_text(notebook):
    """The file's text as JupyterLab's server writes it: nbformat's JSON (sorted keys, indent 1) and a
    final newline."""
    return nbformat.writes(notebook).rstrip("\n") + "\n"


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="only list notebooks not stored in JupyterLab's form")
    parser.add_argument("notebooks", nargs="*", type=Path, help="notebooks (default: notebooks/[0-9][0-9]_*.ipynb)")
    args = parser.parse_args(argv)
    os.environ.setdefault("JUPYTER_PLATFORM_DIRS", "1")
    paths = args.notebooks or sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))
    kernelspec = lab_kernelspec()
    changed = []
    for path in paths:
        before = path.read_text(encoding="utf-8")
        if args.check:
            notebook = nbformat.reads(before, as_version=4)
            if stored_text(lab_form(notebook, kernelspec)) != before:
                changed.append(path)
                print(f"{path}: not in JupyterLab's form")
            continue
        start = time.perf_counter()
        try:
            after = stored_text(lab_form(execute(path), kernelspec))
        except CellExecutionError as error:
            # Left as it was: a notebook that fails is fixed first, then stored.
            changed.append(path)
            print(f"{path}: a cell failed, file left unchanged\n{error}", flush=True)
            continue
        path.write_text(after, encoding="utf-8")
        verdict = "unchanged" if after == before else "rewritten"
        print(f"{path}: ran in {time.perf_counter() - start:.1f} s, {verdict}", flush=True)
    return 1 if changed else 0


if __name__ == "__main__":
    sys.exit(main())
