"""How many learners one machine holds: N simulated learners on the classroom's JupyterHub.

Starts the course's hub (classroom/jupyterhub_config.py) on 127.0.0.1, as tests/test_hub.py does, with
a teacher's clone of this repository to pull from. For each N, N learners at once: log in with the
class password, start their server, pull the course with nbgitpuller, run one notebook top to bottom in
a new kernel, then move its sliders at a learner's pace (a move, a pause to look, the next move).
Learners speak the kernel protocol over the server's websocket, as JupyterLab does: a slider move is
the comm message the browser's slider sends, and it counts as done when the live figure's image widget
gets its new PNG. (A browser per learner would measure the browser, not the server.)

Prints per N: slider move to new image (median, 95th percentile), Run All wall time (median, max),
memory per learner (peak RSS of the learner's server and kernel, median), CPU seconds per learner
(server and kernel, the whole visit, median), the cores the learners kept busy on average over the
round, the machine's CPU use from Run All on (everything running, other work included), and errors.
It also prints where a learner's CPU seconds go, part by part (server start, the pull, kernel start,
each cell of Run All, the moves of each slider): process CPU seconds of the learner's server and
kernel, read at the boundaries of each part, median over the round's learners. Unlike wall-clock
latency, these hardly depend on what else the machine is doing.

--runs R repeats the whole sequence of rounds R times (run 1: every N, then run 2, ...) and gives each
figure's spread: the median and the worst across runs. Figures that hold come from 3 runs or more
on an otherwise quiet machine. Writes build/benchmarks/classroom_load.json; with --update-results
benchmarks/results/classroom_load.json instead, which the README's figures are made from
(scripts/readme_figures.py). Each round has a time bound and the run stops by itself; a round's
learners are stopped before the next.

Run: .venv/bin/python benchmarks/classroom_load.py [--learners 1 10 20 40] [--runs 3] [--notebook 04]
     [--moves 20] [--update-results]
"""

import argparse
import datetime
import json
import os
import platform
import random
import statistics
import struct
import sys
import tempfile
import threading
import time
import uuid
from pathlib import Path

import numpy as np
import psutil
import requests
import websocket

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))

import result_files  # noqa: E402
from hub_classroom import ClassroomHub, HubError, HubUser, git, teacher_repository  # noqa: E402
from sampling import Sampling  # noqa: E402

SLIDER_MODELS = {"IntSliderModel", "FloatSliderModel", "FloatLogSliderModel", "SelectionSliderModel"}
# A live figure's picture: helpers.liveview.LiveView (an anywidget, PNG bytes in `value`); an
# ipywidgets Image in earlier versions of the course.
IMAGE_MODELS = {"AnyModel", "ImageModel"}


class LearnerError(HubError):
    """Something a learner would see go wrong: a failed request, a cell error, a view that never changed."""


def decode(frame):
    """A kernel message from a websocket frame: JSON text, or binary (a header of offsets, the JSON,
    then the buffers, which are not needed here)."""
    if isinstance(frame, str):
        return json.loads(frame)
    count = struct.unpack("!I", frame[:4])[0]
    offsets = struct.unpack(f"!{count}I", frame[4 : 4 * (count + 1)])
    end = offsets[1] if count > 1 else len(frame)
    return json.loads(frame[offsets[0] : end])


class Learner(HubUser):
    """One simulated learner: HTTP to the hub and their server, then a websocket to their kernel."""

    def __init__(self, hub, name, repository, notebook, rng):
        super().__init__(hub, name)
        self.rng = rng
        self.repository, self.notebook = repository, notebook
        self.models = {}  # comm id -> widget state, from the kernel's comm_open messages
        self.session_id = uuid.uuid4().hex
        self.ws = None
        self.prepared = threading.Event()  # set once the kernel is open (or the learner gave up)
        self.run_all_seconds = None
        self.move_ms = []
        self.move_ms_by_slider = {}  # slider's label -> milliseconds of its moves
        self.unchanged = 0  # moves after which the picture stayed as it was
        self.errors = []
        self.cpu_parts = {}  # part of the visit -> CPU seconds of the learner's server and kernel in it
        self.moves_by_slider = {}  # slider's label -> timed moves made, changed picture or not
        self._server_process = None
        self._cpu_mark = 0.0

    # -- where the CPU seconds go ----------------------------------------------------------------
    def _cpu_so_far(self):
        """CPU seconds (user + system) of the learner's server and everything it started, so far."""
        if self._server_process is None:
            for process in psutil.Process(self.hub.process.pid).children():
                try:
                    if process.environ().get("JUPYTERHUB_USER") == self.name:
                        self._server_process = process
                        break
                except psutil.Error:
                    continue
            else:
                return 0.0
        total = 0.0
        for process in [self._server_process, *self._server_process.children(recursive=True)]:
            try:
                times = process.cpu_times()
            except psutil.Error:
                continue
            # children_*: processes it started that have ended (git during the pull, a culled kernel).
            total += times.user + times.system + times.children_user + times.children_system
        return total

    def _charge(self, part):
        """Adds the CPU seconds since the last mark to `part`, and marks now."""
        now = self._cpu_so_far()
        self.cpu_parts[part] = self.cpu_parts.get(part, 0.0) + now - self._cpu_mark
        self._cpu_mark = now

    # -- the hub ---------------------------------------------------------------------------------
    def log_in_and_start(self):
        self.log_in()
        self.start_server()

    def pull_course(self):
        """What the README's link does: nbgitpuller clones the course into the learner's home."""
        query = {"repo": Path(self.repository).as_uri(), "branch": "main"}
        reply = self.request("GET", f"{self.server}/git-pull/api", params=query, stream=True)
        events = [line for line in reply.iter_lines(decode_unicode=True) if line.startswith("data:")]
        last = json.loads(events[-1][5:]) if events else {}
        if last.get("phase") != "finished":
            raise LearnerError(f"nbgitpuller did not finish: {last}")

    def stop(self):
        if self.token:
            try:
                self.request("DELETE", f"{self.hub.url}/hub/api/users/{self.name}/server", expect=(202, 204))
            except (HubError, requests.RequestException):
                pass

    # -- the kernel ------------------------------------------------------------------------------
    def open_kernel(self):
        path = f"backprop-course/notebooks/{self.notebook.name}"
        body = {"path": path, "name": self.notebook.name, "type": "notebook", "kernel": {"name": "python3"}}
        kernel = self.request("POST", f"{self.server}/api/sessions", json=body).json()["kernel"]["id"]
        url = f"{self.server.replace('http', 'ws', 1)}/api/kernels/{kernel}/channels?session_id={self.session_id}"
        self.ws = websocket.create_connection(url, header=[f"Authorization: token {self.token}"], timeout=60)
        msg_id = self._send("kernel_info_request", {})
        deadline = time.monotonic() + 120
        while not (self._receive(deadline)["parent_header"].get("msg_id") == msg_id):
            pass

    def _send(self, msg_type, content, channel="shell"):
        header = {
            "msg_id": uuid.uuid4().hex,
            "username": self.name,
            "session": self.session_id,
            "msg_type": msg_type,
            "version": "5.3",
            "date": datetime.datetime.now(datetime.UTC).isoformat(),
        }
        message = {"header": header, "parent_header": {}, "metadata": {}, "content": content, "channel": channel}
        self.ws.send(json.dumps(message))
        return header["msg_id"]

    def _receive(self, deadline):
        """The next kernel message, keeping track of widget models; LearnerError past `deadline`."""
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            raise LearnerError("no answer from the kernel in time")
        self.ws.settimeout(remaining)
        try:
            frame = self.ws.recv()
        except websocket.WebSocketTimeoutException as error:
            raise LearnerError("no answer from the kernel in time") from error
        if not frame:
            raise LearnerError("the server closed the kernel's websocket")
        message = decode(frame)
        content = message.get("content", {})
        if message["header"]["msg_type"] == "comm_open" and content.get("target_name") == "jupyter.widget":
            self.models[content["comm_id"]] = dict(content["data"]["state"])
        elif message["header"]["msg_type"] == "comm_msg" and content.get("comm_id") in self.models:
            self.models[content["comm_id"]].update(content["data"].get("state", {}))
        return message

    def run_all(self, timeout_seconds=300):
        """Every code cell in order, as Run All does; the cells' errors are the learner's errors."""
        cells = json.loads(self.notebook.read_text(encoding="utf-8"))["cells"]
        start = time.monotonic()
        deadline = start + timeout_seconds
        for number, cell in enumerate(cells, start=1):
            if cell["cell_type"] != "code":
                continue
            msg_id = self._send("execute_request", {"code": "".join(cell["source"]), "silent": False})
            replied = idle = False
            while not (replied and idle):
                message = self._receive(deadline)
                if message["parent_header"].get("msg_id") != msg_id:
                    continue
                kind = message["header"]["msg_type"]
                if kind == "execute_reply":
                    replied = True
                    if message["content"]["status"] != "ok":
                        raise LearnerError(
                            f"a cell failed: {message['content'].get('ename')}: {message['content'].get('evalue')}"
                        )
                elif kind == "status" and message["content"]["execution_state"] == "idle":
                    idle = True
            self._charge(f"Run All: cell {number}")
        self.run_all_seconds = time.monotonic() - start

    def _sliders(self):
        return [comm for comm, state in self.models.items() if state.get("_model_name") in SLIDER_MODELS]

    def _images(self):
        return {comm for comm, state in self.models.items() if state.get("_model_name") in IMAGE_MODELS}

    def _next_state(self, comm):
        """The state change one arrow-key press makes on a slider (turning round at the ends)."""
        state = self.models[comm]
        if state["_model_name"] == "SelectionSliderModel":
            last = len(state["_options_labels"]) - 1
            index = state["index"] + 1 if state["index"] < last else state["index"] - 1
            return {"index": index}
        step = state.get("step") or 1
        if state["_model_name"] == "FloatLogSliderModel":
            exponent = np.log(state["value"]) / np.log(state["base"])
            exponent = exponent + step if exponent + step <= state["max"] else exponent - step
            return {"value": float(state["base"] ** exponent)}
        value = state["value"] + step if state["value"] + step <= state["max"] else state["value"] - step
        return {"value": value}

    def move(self, comm, timeout_seconds):
        """One slider move, as the browser's slider sends it. Returns the milliseconds from sending it
        to the new image, or None when the kernel finished the move without sending one (the picture
        did not change, so the widget had nothing to send); LearnerError if it does not finish in time."""
        change = self._next_state(comm)
        self.models[comm].update(change)
        images = self._images()
        start = time.monotonic()
        message = {"comm_id": comm, "data": {"method": "update", "state": change, "buffer_paths": []}}
        msg_id = self._send("comm_msg", message)
        deadline = start + timeout_seconds
        image_ms = None
        while True:
            message = self._receive(deadline)
            content = message.get("content", {})
            data = content.get("data", {})
            new_image = "value" in data.get("state", {}) or ["value"] in data.get("buffer_paths", [])
            if image_ms is None and content.get("comm_id") in images and new_image:
                image_ms = (time.monotonic() - start) * 1000
            # The kernel redraws while it handles the message, so once it is idle again the move is done.
            is_status = message["header"]["msg_type"] == "status"
            if is_status and message["parent_header"].get("msg_id") == msg_id:
                if content.get("execution_state") == "idle":
                    return image_ms

    def drive_sliders(self, moves, pause_seconds, timeout_seconds):
        """Find the sliders that redraw a figure (one move each), then `moves` moves among them, each
        after a pause to look at the result. A move that leaves the picture as it was is counted, not timed."""
        live = [comm for comm in self._sliders() if self.move(comm, timeout_seconds) is not None]
        self._charge("first move of each slider")
        if not live:
            raise LearnerError("no slider changed a figure")
        for index in range(moves):
            time.sleep(pause_seconds * self.rng.uniform(0.5, 1.5))
            comm = live[index % len(live)]
            milliseconds = self.move(comm, timeout_seconds)
            label = self.models[comm].get("description", "?")
            self._charge(f"moves: {label}")
            self.moves_by_slider[label] = self.moves_by_slider.get(label, 0) + 1
            if milliseconds is None:
                self.unchanged += 1
            else:
                self.move_ms.append(milliseconds)
                self.move_ms_by_slider.setdefault(self.models[comm].get("description", "?"), []).append(milliseconds)

    def session(self, ready, moves, pause_seconds, deadline):
        """A learner's whole visit; errors are recorded with the step they happened in, not raised."""
        step = "log in and start the server"
        try:
            self.log_in_and_start()
            self._charge("server start")
            step = "pull the course"
            self.pull_course()
            self._charge("pull the course")
            step = "open a kernel"
            self.open_kernel()
            self._charge("kernel start")
            self.prepared.set()
            ready.wait(timeout=max(0.0, deadline - time.monotonic()))
            step = "Run All"
            self.run_all(timeout_seconds=max(1.0, deadline - time.monotonic()))
            step = "move sliders"
            self.drive_sliders(moves, pause_seconds, timeout_seconds=min(30.0, max(1.0, deadline - time.monotonic())))
        except (
            HubError,
            requests.RequestException,
            websocket.WebSocketException,
            OSError,
            ValueError,
            KeyError,
        ) as error:
            self.errors.append(f"{self.name}, {step}: {type(error).__name__}: {error}")
        finally:
            self.prepared.set()


class LearnerProcesses(Sampling):
    """Per learner, the peak RSS (MiB) and the CPU seconds of their server and its kernel, sampled
    every 0.5 s in a thread (CPU seconds of a process are its last sample's)."""

    final_sample = True

    def __init__(self, hub_pid):
        super().__init__()
        self.hub_pid, self.peaks = hub_pid, {}
        self._cpu = {}  # (learner, pid) -> CPU seconds so far

    def sample(self):
        for process in psutil.Process(self.hub_pid).children():
            try:
                learner = process.environ().get("JUPYTERHUB_USER")
                if not learner:
                    continue
                members = [process, *process.children(recursive=True)]
                rss = 0.0
                for member in members:
                    with member.oneshot():
                        rss += member.memory_info().rss / 2**20
                        times = member.cpu_times()
                    self._cpu[learner, member.pid] = times.user + times.system
                self.peaks[learner] = max(self.peaks.get(learner, 0.0), rss)
            except psutil.Error:
                continue

    def cpu_seconds(self):
        """CPU seconds per learner so far."""
        totals = {}
        for (learner, _), seconds in self._cpu.items():
            totals[learner] = totals.get(learner, 0.0) + seconds
        return totals


def percentile(values, q):
    return float(np.percentile(values, q)) if values else float("nan")


def cpu_breakdown(learners):
    """Where a learner's CPU seconds went, part by part (median over the learners who finished the
    visit); the moves of each slider as CPU seconds per move."""
    finished = [learner for learner in learners if not learner.errors]
    parts = {}
    for learner in finished:
        for part, seconds in learner.cpu_parts.items():
            if part.startswith("moves: "):
                seconds /= max(1, learner.moves_by_slider.get(part.removeprefix("moves: "), 0))
                part = f"one move: {part.removeprefix('moves: ')}"
            parts.setdefault(part, []).append(seconds)
    return {part: statistics.median(values) for part, values in parts.items()}


def run_round(hub, count, repository, notebook, args, round_index):
    """N learners at once; returns the round's figures."""
    rng = random.Random(round_index)
    learners = [
        Learner(hub, f"learner{round_index}x{index}", repository, notebook, random.Random(rng.random()))
        for index in range(count)
    ]
    start = time.monotonic()
    deadline = start + args.round_seconds
    # The class starts together: everyone logs in, pulls and opens the notebook, then all press Run All.
    ready = threading.Event()
    threads = [
        threading.Thread(target=learner.session, args=(ready, args.moves, args.pause, deadline), daemon=True)
        for learner in learners
    ]
    with LearnerProcesses(hub.process.pid) as processes:
        for thread in threads:
            thread.start()
        for learner in learners:
            learner.prepared.wait(timeout=max(0.0, deadline - time.monotonic()))
        # From Run All on: the machine's CPU use (everything running, not only the learners).
        ready.set()
        psutil.cpu_percent()
        for thread in threads:
            thread.join(timeout=max(0.0, deadline + 5 - time.monotonic()))
        machine_busy = psutil.cpu_percent()
    for learner in learners:
        if learner.ws is not None:
            learner.ws.close()
        learner.stop()
    errors = [error for learner in learners for error in learner.errors]
    errors += [
        f"{learner.name}: still busy at the round's time bound"
        for learner, thread in zip(learners, threads)
        if thread.is_alive()
    ]
    moves = [ms for learner in learners for ms in learner.move_ms]
    runs = [learner.run_all_seconds for learner in learners if learner.run_all_seconds is not None]
    by_slider = {}
    for learner in learners:
        for label, values in learner.move_ms_by_slider.items():
            by_slider.setdefault(label, []).extend(values)
    memory_mib = list(processes.peaks.values())
    cpu_seconds = list(processes.cpu_seconds().values())
    elapsed = time.monotonic() - start
    time.sleep(3)  # the stopped servers and kernels leave before the next round
    return {
        "learners": count,
        "moves": len(moves),
        "moves_without_new_image": sum(learner.unchanged for learner in learners),
        "move_ms_median": statistics.median(moves) if moves else float("nan"),
        "move_ms_p95": percentile(moves, 95),
        "run_all_s_median": statistics.median(runs) if runs else float("nan"),
        "run_all_s_max": max(runs) if runs else float("nan"),
        "memory_mib_per_learner": statistics.median(memory_mib) if memory_mib else float("nan"),
        "cpu_seconds_per_learner": statistics.median(cpu_seconds) if cpu_seconds else float("nan"),
        "learners_cores_busy": sum(cpu_seconds) / elapsed,
        "machine_cpu_percent": machine_busy,
        "round_seconds": elapsed,
        "move_ms_by_slider": {
            label: {"moves": len(values), "median": statistics.median(values), "p95": percentile(values, 95)}
            for label, values in by_slider.items()
        },
        "cpu_seconds_by_part": cpu_breakdown(learners),
        "errors": len(errors),
        "error_messages": errors[:5],
    }


HEADER = (
    "  N   move ms: median   p95   Run All s: median   max   MiB/learner   CPU s/learner   cores busy   "
    "machine CPU %   errors   round s"
)
# The figures of a round that get a spread across runs: for each, larger is worse.
SPREAD = (
    "move_ms_median",
    "move_ms_p95",
    "run_all_s_median",
    "run_all_s_max",
    "memory_mib_per_learner",
    "cpu_seconds_per_learner",
    "learners_cores_busy",
    "machine_cpu_percent",
    "errors",
)


def print_row(row):
    print(
        f"{row['learners']:3d} {row['move_ms_median']:18.0f} {row['move_ms_p95']:5.0f} {row['run_all_s_median']:19.1f} "
        f"{row['run_all_s_max']:5.1f} {row['memory_mib_per_learner']:13.0f} {row['cpu_seconds_per_learner']:15.1f} "
        f"{row['learners_cores_busy']:12.2f} {row['machine_cpu_percent']:15.0f} {row['errors']:8d} "
        f"{row['round_seconds']:9.0f}",
        flush=True,
    )
    for label, figures in row["move_ms_by_slider"].items():
        print(
            f"      slider {label!r}: {figures['moves']} moves, "
            f"median {figures['median']:.0f} ms, p95 {figures['p95']:.0f} ms"
        )
    parts = ", ".join(f"{part} {seconds:.2f}" for part, seconds in row["cpu_seconds_by_part"].items())
    print(f"      CPU s of a learner, by part: {parts}")
    for message in row["error_messages"]:
        print(f"      {message}", flush=True)


def spread(runs):
    """One N's rounds, one per run, summed up: each figure's median and worst (largest) across runs,
    and the CPU seconds by part as the median across runs."""
    summary = {"learners": runs[0]["learners"], "runs": len(runs)}
    for key in SPREAD:
        values = [row[key] for row in runs]
        summary[key] = {"median": statistics.median(values), "worst": max(values)}
    parts = {part for row in runs for part in row["cpu_seconds_by_part"]}
    order = list(runs[0]["cpu_seconds_by_part"])
    summary["cpu_seconds_by_part"] = {
        part: statistics.median(row["cpu_seconds_by_part"][part] for row in runs if part in row["cpu_seconds_by_part"])
        for part in order + sorted(parts - set(order))
    }
    return summary


def print_spread(summaries):
    print("\nacross runs, median (worst):")
    print("  N   runs   move ms: median   p95            Run All s: median   CPU s/learner   errors")
    for row in summaries:
        print(
            f"{row['learners']:3d} {row['runs']:6d} {row['move_ms_median']['median']:17.0f} "
            f"{row['move_ms_p95']['median']:5.0f} ({row['move_ms_p95']['worst']:4.0f}) "
            f"{row['run_all_s_median']['median']:19.1f} ({row['run_all_s_median']['worst']:.1f}) "
            f"{row['cpu_seconds_per_learner']['median']:9.1f} ({row['cpu_seconds_per_learner']['worst']:.1f}) "
            f"{row['errors']['worst']:6d}"
        )


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--learners", type=int, nargs="+", default=[1, 10, 20, 40], help="N per round")
    parser.add_argument("--runs", type=int, default=1, help="times the rounds are repeated (default 1; 3 for figures)")
    parser.add_argument("--notebook", default="04", help="number of the notebook every learner runs (default 04)")
    parser.add_argument("--moves", type=int, default=20, help="timed slider moves per learner (default 20)")
    parser.add_argument("--pause", type=float, default=1.0, help="mean seconds a learner looks between moves")
    parser.add_argument("--round-seconds", type=float, default=300.0, help="time bound of one round")
    parser.add_argument("--commit", default="HEAD", help="the course's commit the learners pull (default HEAD)")
    result_files.add_options(parser)
    args = parser.parse_args()
    os.environ.setdefault("JUPYTER_PLATFORM_DIRS", "1")
    started = time.monotonic()
    rounds = {count: [] for count in args.learners}
    with tempfile.TemporaryDirectory(prefix="course-load-") as workdir:
        # Learners pull the committed course; the cells they run are read from the same commit.
        repository = teacher_repository(workdir, "main", args.commit)
        notebook = next((repository / "notebooks").glob(f"{args.notebook.zfill(2)}_*.ipynb"))
        hub = ClassroomHub(workdir)
        try:
            print(f"{notebook.stem}, {args.moves} slider moves per learner, a pause of about {args.pause} s between")
            round_index = 0
            for run in range(args.runs):
                print(f"run {run + 1} of {args.runs}")
                print(HEADER)
                for count in args.learners:
                    row = run_round(hub, count, repository, notebook, args, round_index)
                    round_index += 1
                    rounds[count].append(row)
                    print_row(row)
        finally:
            hub.close()
    summaries = [{**spread(rows), "each_run": rows} for rows in rounds.values()]
    print_spread(summaries)
    total = time.monotonic() - started
    print(f"benchmark took {total:.0f} s")
    result = {
        "benchmark": "benchmarks/classroom_load.py",
        "date": datetime.date.today().isoformat(),
        "machine": {"cores": os.cpu_count(), "memory_gib": round(psutil.virtual_memory().total / 2**30)},
        "python": platform.python_version(),
        "notebook": notebook.name,
        "commit": git("rev-parse", "--short", args.commit, cwd=ROOT).strip(),
        "moves_per_learner": args.moves,
        "pause_seconds": args.pause,
        "runs": args.runs,
        "seconds": round(total),
        "rounds": summaries,
    }
    result_files.write("classroom_load", result, args.update_results)


if __name__ == "__main__":
    main()
