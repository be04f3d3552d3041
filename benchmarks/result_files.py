"""Where a benchmark writes what it measured.

By default into build/benchmarks/ (git ignores build/), so running a benchmark changes nothing git
tracks and leaves the test suite as it was. With --update-results it writes benchmarks/results/
instead: the committed figures from which scripts/readme_figures.py makes the README's "Teaching
with it" figures (run that script next, and commit both).
"""

import json
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SCRATCH = ROOT / "build" / "benchmarks"
COMMITTED = ROOT / "benchmarks" / "results"


def add_options(parser):
    """Adds --update-results to an argparse parser."""
    parser.add_argument(
        "--update-results",
        action="store_true",
        help=f"write the committed {COMMITTED.relative_to(ROOT)}/ (the README's figures) instead of "
        f"{SCRATCH.relative_to(ROOT)}/",
    )


def output_path(name, update_results=False):
    """The JSON file benchmark `name` writes: in build/benchmarks/, or benchmarks/results/ when asked."""
    return (COMMITTED if update_results else SCRATCH) / f"{name}.json"


def write(name, result, update_results=False):
    """Writes the dict `result` as benchmark `name`'s JSON file and says where."""
    path = output_path(name, update_results)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(result, indent=1) + "\n", encoding="utf-8")
    print(f"written to {path.relative_to(ROOT)}")
    if update_results:
        print("now run scripts/readme_figures.py to carry it into the README, and commit both")
    return path
