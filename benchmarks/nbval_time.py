"""How long strict nbval takes: the whole run over notebooks/, and each notebook's share of it.

Runs `pytest --nbval notebooks` in this process (exactly what ./course test runs for the notebooks)
with a small plugin that adds up setup + call + teardown of every cell per notebook; a notebook's
time includes starting its kernel. Prints a table; asserts nothing (timings vary).
Run: .venv/bin/python benchmarks/nbval_time.py [notebooks/NN_name.ipynb ...]
"""

import os
import sys
import time
from collections import defaultdict
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


class CellTimes:
    """pytest plugin: seconds and outcome per notebook, from every cell's report."""

    def __init__(self):
        self.seconds = defaultdict(float)
        self.cells = defaultdict(int)
        self.failed = defaultdict(int)

    def pytest_runtest_logreport(self, report):
        notebook = report.nodeid.split("::", 1)[0]
        self.seconds[notebook] += report.duration
        if report.when == "call":
            self.cells[notebook] += 1
        if report.failed:
            self.failed[notebook] += 1


def main(paths):
    os.chdir(ROOT)
    os.environ.setdefault("JUPYTER_PLATFORM_DIRS", "1")
    targets = paths or ["notebooks"]
    times = CellTimes()
    start = time.perf_counter()
    exit_code = pytest.main(["--nbval", "-p", "no:cacheprovider", "-q", "--no-header", *targets], plugins=[times])
    wall = time.perf_counter() - start
    print()
    print(f"{'notebook':40s} {'cells':>5s} {'seconds':>8s}  result")
    for notebook in sorted(times.seconds):
        result = "ok" if not times.failed[notebook] else f"{times.failed[notebook]} failed"
        print(f"{notebook:40s} {times.cells[notebook]:5d} {times.seconds[notebook]:8.2f}  {result}")
    print(f"{'all notebooks (sum)':40s} {sum(times.cells.values()):5d} {sum(times.seconds.values()):8.2f}")
    print(f"{'whole strict nbval run (wall clock)':40s} {'':5s} {wall:8.2f}")
    return int(exit_code)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
