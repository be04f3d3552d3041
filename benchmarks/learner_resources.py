"""What one learner costs a server: memory and CPU of the kernel behind each notebook.

Every notebook runs top to bottom in its own fresh kernel (as when a learner opens it and runs all
cells). The kernel's RSS is sampled every 20 ms; its CPU seconds (user + system, including start-up
and imports) are read just before it shuts down. Prints a table and writes it to
build/benchmarks/learner_resources.json; with --update-results to benchmarks/results/ instead (the
README's per-learner figures). Asserts nothing.
Run: .venv/bin/python benchmarks/learner_resources.py [--update-results]
"""

import argparse
import datetime
import os
import subprocess
import threading
import time
from pathlib import Path

import nbformat
import psutil
import result_files
from nbclient import NotebookClient

ROOT = Path(__file__).resolve().parents[1]


def sample_peak_rss(pid, stop, peak):
    """Keeps peak[0] at the largest RSS (MiB) of process `pid` until `stop` is set."""
    process = psutil.Process(pid)
    while not stop.is_set():
        try:
            peak[0] = max(peak[0], process.memory_info().rss / 2**20)
        except psutil.Error:
            return
        time.sleep(0.02)


def measure(path):
    """(peak RSS MiB, CPU seconds, wall seconds) of a fresh kernel running the notebook at `path`."""
    notebook = nbformat.read(path, as_version=4)
    client = NotebookClient(
        notebook, timeout=300, kernel_name="python3", resources={"metadata": {"path": str(path.parent)}}
    )
    start = time.perf_counter()
    # The kernel's own start-up notices (stderr) are not part of the measurement.
    with client.setup_kernel(stderr=subprocess.DEVNULL):
        pid = client.km.provisioner.pid
        stop, peak = threading.Event(), [0.0]
        sampler = threading.Thread(target=sample_peak_rss, args=(pid, stop, peak), daemon=True)
        sampler.start()
        for index, cell in enumerate(notebook.cells):
            client.execute_cell(cell, index)
        times = psutil.Process(pid).cpu_times()
        peak[0] = max(peak[0], psutil.Process(pid).memory_info().rss / 2**20)
        stop.set()
        sampler.join()
    return peak[0], times.user + times.system, time.perf_counter() - start


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    result_files.add_options(parser)
    args = parser.parse_args()
    os.environ.setdefault("JUPYTER_PLATFORM_DIRS", "1")
    print(f"{'notebook':36s} {'peak RSS MiB':>12s} {'CPU s':>7s} {'wall s':>7s}")
    peaks, cpu, rows = [], [], {}
    for path in sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb")):
        rss, seconds, wall = measure(path)
        peaks.append(rss)
        cpu.append(seconds)
        rows[path.stem] = {"peak_rss_mib": round(rss), "cpu_seconds": round(seconds, 1), "wall_seconds": round(wall, 1)}
        print(f"{path.stem:36s} {rss:12.0f} {seconds:7.1f} {wall:7.1f}", flush=True)
    print(f"{'largest kernel':36s} {max(peaks):12.0f} {max(cpu):7.1f}")
    print(f"{'all kernels left running (sum)':36s} {sum(peaks):12.0f} {sum(cpu):7.1f}")
    result = {
        "benchmark": "benchmarks/learner_resources.py",
        "date": datetime.date.today().isoformat(),
        "machine": {"cores": os.cpu_count()},
        "notebooks": rows,
    }
    result_files.write("learner_resources", result, args.update_results)


if __name__ == "__main__":
    main()
