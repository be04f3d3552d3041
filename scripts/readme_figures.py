"""Writes the figures in the README's "Teaching with it" section from the benchmarks' results files.

The part of README.md between the two marker lines below is made here, from
benchmarks/results/learner_resources.json, browser_redraw.json and classroom_load.json (each written
by the benchmark of that name), so the README quotes only what a benchmark measured.
tests/test_binder.py checks that the README holds exactly what this script makes.

Run: .venv/bin/python scripts/readme_figures.py          rewrite the README's figures
     .venv/bin/python scripts/readme_figures.py --check  exit status 1 if the README differs
"""

import argparse
import json
import math
import re
import sys
import textwrap
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
README = ROOT / "README.md"
RESULTS = ROOT / "benchmarks" / "results"
BEGIN = "<!-- figures: made by scripts/readme_figures.py from benchmarks/results/; edit those, not this -->"
END = "<!-- end of figures -->"
# A slider move feels immediate below this (the course's own target for a redraw).
SLIDER_TARGET_MS = 150
WIDTH = 100  # the README's paragraphs are wrapped at this width; tables are not
HUB_CONFIG = ROOT / "classroom" / "jupyterhub_config.py"
# The memory guarantee assumes a learner spends at least this long on a notebook before the next.
MINUTES_PER_NOTEBOOK = 10


def kernel_idle_minutes(config=HUB_CONFIG):
    """The classroom's default limit for an idle kernel, in minutes, read from its hub config."""
    match = re.search(r'"CLASSROOM_KERNEL_IDLE_SECONDS", "(\d+)"', Path(config).read_text(encoding="utf-8"))
    return int(match.group(1)) / 60


def load_results(folder=RESULTS):
    """The three results files as dicts: learner_resources, browser_redraw, classroom_load."""
    names = ("learner_resources", "browser_redraw", "classroom_load")
    return {name: json.loads((Path(folder) / f"{name}.json").read_text(encoding="utf-8")) for name in names}


def round_up(value, step):
    return int(math.ceil(value / step) * step)


def span(values, digits=0):
    low, high = min(values), max(values)
    return f"{low:.{digits}f}–{high:.{digits}f}" if f"{low:.{digits}f}" != f"{high:.{digits}f}" else f"{low:.{digits}f}"


def paragraph(text):
    return textwrap.fill(text, WIDTH, break_long_words=False, break_on_hyphens=False)


def learners(count):
    return f"{count:g} learner" if count == 1 else f"{count:g} learners"


def capacity(rounds):
    """The largest N measured whose slider p95 stays within the target in every run, with no errors in
    any (None if none)."""
    good = [
        row["learners"]
        for row in rounds
        if row["move_ms_p95"]["worst"] <= SLIDER_TARGET_MS and row["errors"]["worst"] == 0
    ]
    return max(good) if good else None


def across_runs(figure, digits=0, unit=""):
    """A figure's median across runs, and its worst in brackets when that differs."""
    median, worst = f"{figure['median']:.{digits}f}", f"{figure['worst']:.{digits}f}"
    return f"{median}{unit}" if median == worst else f"{median}{unit} ({worst}{unit})"


def render(results):
    """The Markdown between the markers, from the results dicts."""
    kernels = results["learner_resources"]["notebooks"]
    redraw = results["browser_redraw"]
    load = results["classroom_load"]
    cores = load["machine"]["cores"]
    count = len(kernels)
    kernel_mib = [row["peak_rss_mib"] for row in kernels.values()]
    kernel_cpu = [row["cpu_seconds"] for row in kernels.values()]
    server_mib = redraw["peak_rss_mib"]["JupyterLab server"]
    rounds = load["rounds"]
    # On the hub: a learner's server with the benchmark notebook's kernel, plus every other kernel.
    on_hub_mib = max(row["memory_mib_per_learner"]["worst"] for row in rounds)
    other_kernels_mib = sum(row["peak_rss_mib"] for stem, row in kernels.items() if f"{stem}.ipynb" != load["notebook"])
    everything_mib = round(on_hub_mib + other_kernels_mib)
    guarantee_gib = round_up(everything_mib, 256) / 1024
    one_kernel_mib = round_up(
        on_hub_mib - kernels[load["notebook"].removesuffix(".ipynb")]["peak_rss_mib"] + max(kernel_mib), 128
    )
    # Idle kernels are shut down: one that has run nothing for `idle` minutes is gone within a minute
    # more, so a learner who moves on every MINUTES_PER_NOTEBOOK minutes holds the current notebook's
    # kernel and those of the notebooks left in the last idle + 1 minutes.
    idle = kernel_idle_minutes()
    kept = min(count, math.ceil((idle + 1) / MINUTES_PER_NOTEBOOK))
    largest_others = sorted(
        (row["peak_rss_mib"] for stem, row in kernels.items() if f"{stem}.ipynb" != load["notebook"]), reverse=True
    )
    kept_mib = round(on_hub_mib + sum(largest_others[: kept - 1]))
    kept_gib = round_up(kept_mib, 256) / 1024
    best = capacity(rounds)
    limit_gib = guarantee_gib
    largest = rounds[-1]
    share = largest["learners_cores_busy"]["median"] / largest["learners"]
    runs = load["runs"]
    lines = [
        BEGIN,
        paragraph(
            f"What one learner uses, measured on a {cores}-core Linux machine with "
            f"`benchmarks/learner_resources.py` ({results['learner_resources']['date']}) and "
            f"`benchmarks/browser_redraw.py` ({redraw['date']}):"
        ),
        "",
        "| | Memory (peak RSS) | CPU or time |",
        "|---|---|---|",
        f"| JupyterLab server | {server_mib} MiB | |",
        f"| Kernel of one notebook, Run All | {span(kernel_mib)} MiB | "
        f"{span(kernel_cpu, 1)} CPU s per notebook, start-up included |",
        f"| All {count} kernels left running | {sum(kernel_mib)} MiB "
        f"| {sum(kernel_cpu):.0f} CPU s for all {count} notebooks |",
        f"| One slider move in Chromium | | the view changes a median {redraw['move_ms_median']:.0f} ms after the key "
        f"press (95 % within {redraw['move_ms_p95']:.0f} ms, {redraw['moves']} moves) |",
        "",
        paragraph(
            f"A class on one machine: `benchmarks/classroom_load.py` ({load['date']}, commit {load['commit']}, "
            f"{load['seconds']} s to run) logs N learners into the classroom's hub at once; each pulls the course, "
            f"runs `{load['notebook']}` top to bottom, then makes {load['moves_per_learner']} slider moves, about "
            f"{load['pause_seconds']:g} s apart. A move counts from the slider's message to the kernel until the new "
            "image arrives from it. Memory is the peak RSS of a learner's server and kernel; CPU is theirs over the "
            "whole visit. "
            + (
                f"Every class size was measured in {runs} runs: each figure is the median across runs, with the "
                "worst run in brackets where it differs."
                if runs > 1
                else "Every class size was measured in one run only: a rerun may differ (figures that hold come "
                "from 3 runs or more on an otherwise quiet machine, with the spread across them)."
            )
        ),
        "",
        "| Learners | Slider move to new image, median | p95 | Run All, median | Memory per learner "
        "| CPU per learner | Errors (worst run) |",
        "|---|---|---|---|---|---|---|",
    ]
    for row in rounds:
        lines.append(
            f"| {row['learners']} | {across_runs(row['move_ms_median'], unit=' ms')} "
            f"| {across_runs(row['move_ms_p95'], unit=' ms')} | {across_runs(row['run_all_s_median'], 1, ' s')} "
            f"| {across_runs(row['memory_mib_per_learner'], unit=' MiB')} "
            f"| {across_runs(row['cpu_seconds_per_learner'], 1, ' s')} | {row['errors']['worst']} |"
        )
    lines.append("")
    if best is None:
        verdict = (
            f"On this {cores}-core machine no measured class size kept the slider's p95 within {SLIDER_TARGET_MS} ms "
            "in every run."
        )
    else:
        verdict = (
            f"On this {cores}-core machine the slider's p95 stays within {SLIDER_TARGET_MS} ms in every run up to "
            f"**{learners(best)}** (the largest N measured that does): **{learners(best / cores)} per core** at this "
            "pace."
        )
    busy = [run["machine_cpu_percent"] for row in rounds for run in row["each_run"]]
    lines += [
        paragraph(
            f"{verdict} With {learners(largest['learners'])}, each kept {share:.2f} of a core busy on average. "
            f"While it ran, the machine's CPU was {span(busy)} % busy in all (the learners, the hub, the benchmark "
            "itself and any other work on the machine)."
        ),
        "",
        paragraph(
            f"Kernels left idle for {idle:g} minutes are shut down (see below), so a learner who spends "
            f"{MINUTES_PER_NOTEBOOK} minutes or more on each notebook holds at most {kept} kernels at a time: a hub "
            f"gives each learner **{kept_gib:g} GiB of memory as a guarantee** (their server and {kept} kernels, the "
            f"largest: {kept_mib} MiB, rounded up) and a **{limit_gib:g} GiB limit**, which holds their server and "
            f"all {count} kernels at once ({everything_mib} MiB: the hub figure above plus the other kernels, rounded "
            f"up) for a learner who opens every notebook within {idle:g} minutes. Learners who close the notebooks "
            f"they have finished with (File > Close and Shut Down Notebook) need about {one_kernel_mib} MiB. The "
            "work comes in bursts (a Run All, then slider moves), so learners share cores well."
        ),
        END,
    ]
    return "\n".join(lines)


def readme_with(figures, readme_text):
    """`readme_text` with the part between the markers (markers included) replaced by `figures`."""
    start, end = readme_text.index(BEGIN), readme_text.index(END) + len(END)
    return readme_text[:start] + figures + readme_text[end:]


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="only check that the README is up to date")
    args = parser.parse_args(argv)
    text = README.read_text(encoding="utf-8")
    updated = readme_with(render(load_results()), text)
    if args.check:
        if updated != text:
            print("README.md's figures differ from benchmarks/results/: run scripts/readme_figures.py")
            return 1
        return 0
    README.write_text(updated, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
