"""Key press to changed view, in a real browser: JupyterLab + headless Debian chromium.

Every notebook is opened and run as in tests/test_browser.py; then every slider of every live figure
gets `--moves` arrow-key presses (turning round at the ends of its range), each timed from the key
press to the changed <img> (or divergence message). Prints a line per notebook as it goes, then the
median and 95th percentile per slider and per notebook, and the peak memory (RSS) of the JupyterLab
server, the kernel and chromium. Each slider is put back afterwards. A slider that changes nothing is
tried under each choice of a dropdown next to it; a press that changes nothing visible within 2 s is
counted, not timed. Asserts nothing.

By default 5 presses per slider within a time budget (`--budget`, 150 s): each notebook, once run,
gets an equal share of what is left of it for its sliders (keeping back, for each notebook still to
come, the mean time opening, running and closing one has taken so far), and sliders past the share
are skipped and counted, so the run ends within about 3 minutes on 2 cores. `--long` gives 30
presses per slider and no budget.
Writes the summary to build/benchmarks/browser_redraw.json; with --update-results to
benchmarks/results/browser_redraw.json instead (the README's slider figure).
Run: .venv/bin/python benchmarks/browser_redraw.py [--long | --moves N --budget S] [--update-results] [NN ...]
"""

import argparse
import datetime
import json
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import psutil

ROOT = Path(__file__).resolve().parents[1]
# What opening a notebook, running all its cells and closing it is assumed to take until one has been
# measured; then the mean so far is kept back from the budget for each notebook still to come.
OPEN_AND_RUN_SECONDS = 10.0
sys.path.insert(0, str(ROOT / "tests"))

import result_files  # noqa: E402
from browser_lab import (  # noqa: E402
    LabServer,
    close_notebook,
    launch_chromium,
    live_figures,
    move_slider,
    open_notebook,
    run_all,
    slider_position,
)
from sampling import Sampling  # noqa: E402


class PeakMemory(Sampling):
    """Samples the RSS of process trees every 50 ms in a thread; `peaks` holds MiB per label."""

    interval = 0.05

    def __init__(self):
        super().__init__()
        self.roots = {}
        self.peaks = {}

    def watch(self, label, pid, children=True):
        self.roots[label] = (pid, children)

    def _rss(self, pid, children):
        try:
            process = psutil.Process(pid)
            members = [process, *process.children(recursive=True)] if children else [process]
            return sum(member.memory_info().rss for member in members if member.is_running()) / 2**20
        except psutil.Error:
            return 0.0

    def sample(self):
        for label, (pid, children) in list(self.roots.items()):
            self.peaks[label] = max(self.peaks.get(label, 0.0), self._rss(pid, children))


def drive_slider(page, box, slider, moves):
    """`moves` timed arrow-key presses on one slider; returns (milliseconds list, unchanged count).
    A hidden slider (one that acts only for another choice of a dropdown, as in notebook 08) is not pressed."""
    if not slider.is_visible():
        return [], moves
    slider.scroll_into_view_if_needed()
    timings, unchanged, direction = [], 0, "ArrowLeft"
    for _ in range(moves):
        if unchanged >= 3 and not timings:
            break  # this slider matters only for another choice of a dropdown: nothing to time
        value, low, high = slider_position(slider)
        if value <= low:
            direction = "ArrowRight"
        elif value >= high:
            direction = "ArrowLeft"
        try:
            timings.append(move_slider(page, box, slider, direction, timeout_ms=2_000)["ms"])
        except Exception:  # noqa: BLE001 - playwright's TimeoutError: nothing visible changed
            unchanged += 1
    return timings, unchanged


def restore(page, slider, position):
    """Put a slider back at `position` (its aria-valuenow before the moves), one arrow press at a time
    towards it, so the next slider is timed from the notebook's own settings. The moves were single
    steps, so this takes at most as many presses as there were moves."""
    handle = slider.locator(".noUi-handle").first
    if not slider.is_visible():
        return  # shown only for another dropdown choice, where it was moved: it acts on nothing now
    for _ in range(1000):
        value = slider_position(slider)[0]
        if value == position:
            break
        handle.press("ArrowRight" if value < position else "ArrowLeft")
    page.wait_for_timeout(300)


def drive_with_dropdowns(page, box, slider, moves):
    """drive_slider; a slider that changes nothing is tried again under each choice of the box's
    dropdowns (RMSprop's rho matters only when RMSprop is chosen), which are then set back."""
    timings, unchanged = drive_slider(page, box, slider, moves)
    dropdowns = box.locator(".widget-dropdown select")
    for index in range(dropdowns.count() if not timings else 0):
        dropdown = dropdowns.nth(index)
        original = dropdown.locator("option:checked").text_content()
        for option in dropdown.locator("option").all_text_contents():
            if option == original or timings:
                continue
            dropdown.select_option(label=option)
            page.wait_for_timeout(300)
            timings, unchanged = drive_slider(page, box, slider, moves)
        dropdown.select_option(label=original)
        page.wait_for_timeout(300)
    return timings, unchanged


def summary(values):
    if not values:
        return "      -        -"
    return f"{statistics.median(values):7.0f} {np.percentile(values, 95):8.0f}"


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--moves", type=int, default=5, help="key presses per slider (default 5)")
    parser.add_argument("--budget", type=float, default=150.0, help="seconds for the whole run (default 150)")
    parser.add_argument("--long", action="store_true", help="30 presses per slider, no time budget")
    result_files.add_options(parser)
    parser.add_argument("numbers", nargs="*", help="notebook numbers to drive (default: all)")
    args = parser.parse_args()
    if args.long:
        args.moves, args.budget = 30, float("inf")
    started = time.monotonic()
    from playwright.sync_api import sync_playwright

    notebooks = sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))
    if args.numbers:
        notebooks = [path for path in notebooks if path.name[:2] in {n.zfill(2) for n in args.numbers}]
    rows, per_notebook, skipped, overheads = [], {}, [], []
    with (
        tempfile.TemporaryDirectory(prefix="course-lab-") as workdir,
        tempfile.TemporaryDirectory(prefix="course-chromium-") as profile,
    ):
        server = LabServer(workdir, notebooks)
        try:
            with PeakMemory() as memory, sync_playwright() as playwright:
                memory.watch("JupyterLab server", server.process.pid, children=False)
                memory.watch("server + kernel", server.process.pid)
                context = launch_chromium(playwright, profile)
                browser_pid = next(
                    (
                        process.pid
                        for process in psutil.Process().children(recursive=True)
                        if process.name().startswith("chrom") and not process.parent().name().startswith("chrom")
                    ),
                    None,
                )
                if browser_pid:
                    memory.watch("chromium (all processes)", browser_pid)
                page = context.pages[0]
                for notebook in notebooks:
                    notebook_start = time.monotonic()
                    cells = json.loads(notebook.read_text(encoding="utf-8"))["cells"]
                    open_notebook(page, server, notebook.name, cell_count=len(cells))
                    run_all(page, notebook.name)
                    run_seconds = time.monotonic() - notebook_start
                    everything, skipped_here, driving = [], 0, 0.0
                    still_to_run = len(notebooks) - len(per_notebook) - 1
                    overhead = statistics.mean(overheads) if overheads else OPEN_AND_RUN_SECONDS
                    left = args.budget - (time.monotonic() - started) - overhead * still_to_run
                    slider_deadline = time.monotonic() + max(0.0, left) / (still_to_run + 1)
                    boxes = live_figures(page)
                    for box_index in range(boxes.count()):
                        box = boxes.nth(box_index)
                        sliders = box.locator(".widget-slider")
                        for index in range(sliders.count()):
                            if time.monotonic() > slider_deadline:
                                skipped_here += 1
                                continue
                            slider = sliders.nth(index)
                            label = slider.locator(".widget-label").text_content().strip()
                            start = slider_position(slider)[0]
                            drive_start = time.monotonic()
                            timings, unchanged = drive_with_dropdowns(page, box, slider, args.moves)
                            restore(page, slider, start)
                            driving += time.monotonic() - drive_start
                            everything += timings
                            rows.append((notebook.stem, f"view {box_index + 1}: {label}", timings, unchanged))
                    per_notebook[notebook.stem] = everything
                    close_notebook(page, server)
                    overheads.append(time.monotonic() - notebook_start - driving)
                    drove = f"{len(everything)} moves"
                    if skipped_here:
                        skipped.append(f"{notebook.stem} ({skipped_here})")
                        drove += f", {skipped_here} sliders skipped (time budget)"
                    median = f", median {statistics.median(everything):.0f} ms" if everything else ""
                    print(
                        f"{notebook.stem:32s} open + Run All {run_seconds:5.1f} s, {drove}{median} "
                        f"({time.monotonic() - notebook_start:.0f} s)",
                        flush=True,
                    )
                context.close()
        finally:
            server.close()
    print(f"\n{'notebook':32s} {'slider':32s} {'moves':>5s} {'median':>7s} {'p95':>8s}  (ms, key press -> view)")
    for stem, label, timings, unchanged in rows:
        note = f"  ({unchanged} presses changed nothing visible)" if unchanged else ""
        print(f"{stem:32s} {label[:32]:32s} {len(timings):5d} {summary(timings)}{note}")
    print(f"\n{'notebook':32s} {'moves':>5s} {'median':>7s} {'p95':>8s}")
    for stem, timings in per_notebook.items():
        print(f"{stem:32s} {len(timings):5d} {summary(timings)}")
    every = [ms for timings in per_notebook.values() for ms in timings]
    print(f"{'all notebooks':32s} {len(every):5d} {summary(every)}")
    if skipped:
        print(f"sliders skipped for the time budget: {', '.join(skipped)}")
    print("\npeak memory (RSS, MiB):")
    for label, mib in memory.peaks.items():
        print(f"  {label:28s} {mib:7.0f}")
    seconds = time.monotonic() - started
    print(f"benchmark took {seconds:.0f} s")
    if every:
        result = {
            "benchmark": "benchmarks/browser_redraw.py",
            "date": datetime.date.today().isoformat(),
            "machine": {"cores": os.cpu_count()},
            "moves_per_slider": args.moves,
            "sliders_skipped": skipped,
            "moves": len(every),
            "move_ms_median": float(statistics.median(every)),
            "move_ms_p95": float(np.percentile(every, 95)),
            "peak_rss_mib": {label: round(mib) for label, mib in memory.peaks.items()},
            "seconds": round(seconds),
        }
        result_files.write("browser_redraw", result, args.update_results)


if __name__ == "__main__":
    main()
