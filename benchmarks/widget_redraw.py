"""How long a live view takes to redraw after a control moves.

(a) micro: a decision boundary + loss curve for a [2, 4, 1] network on XOR, driven over its
    learning-rate and epoch sliders, against the naive way (retrain on every move, clear the
    axes, fresh contourf, savefig), and a few variants in between.
(b) notebooks: every notebooks/*.ipynb is run in its own kernel; then every LiveFigure it made
    is driven over each of its controls, and the time to first display and the redraw times
    are printed per view.
(c) playground: the first change to each of a few untrained configurations (it trains every
    learning rate of the configuration before it redraws), in fresh processes, wall and CPU time.

Prints tables only (timings vary from machine to machine and run to run; nothing is asserted).
Run: .venv/bin/python benchmarks/widget_redraw.py [--micro-only | --notebooks-only | --playground-only]
"""

import io
import json
import subprocess
import sys
import time
from pathlib import Path

import matplotlib

matplotlib.use("Agg")

import numpy as np  # noqa: E402
from contourpy import contour_generator  # noqa: E402

import helpers  # noqa: E402
from helpers import plots, tables  # noqa: E402
from helpers.controls import epochs_slider, learning_rate_slider, log_spaced  # noqa: E402
from helpers.livefigure import new_figure  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
MOVES = 30
EPOCHS = 2000
RECORD_EVERY = 10


def summary(seconds):
    """(median, p95) in milliseconds."""
    ms = 1e3 * np.asarray(seconds)
    return float(np.median(ms)), float(np.percentile(ms, 95))


def moves(rates):
    """MOVES moves across the epoch slider, then MOVES across the rate slider: (rate, epoch) pairs."""
    epochs = np.linspace(0, EPOCHS, MOVES).round(-1).astype(int)
    middle = rates[len(rates) // 2]
    by_rate = [rates[i] for i in np.linspace(0, len(rates) - 1, MOVES).round().astype(int)]
    return [(middle, int(e)) for e in epochs] + [(r, EPOCHS) for r in by_rate]


def live_view(X, y, histories, rates):
    """The view under test: a LiveFigure with BoundaryView + LossView over precomputed histories."""
    fig, (ax_plane, ax_loss) = new_figure(8, 3.2, ncols=2)
    boundary = plots.BoundaryView(ax_plane, X, y)
    loss_view = plots.LossView(ax_loss, epochs=EPOCHS, loss_range=(1e-4, 1.0))

    def show(learning_rate, epoch):
        history = histories[learning_rate].require_converged()
        network = history.network_at(min(epoch, history.epochs))
        boundary.update(network)
        loss_view.update(history.losses, min(epoch, history.epochs))
        ax_loss.set_title(f"loss {history.losses[min(epoch, history.epochs)]:.4f}", fontsize=10)
        return tables.predictions_table(X, y, helpers.predict(network, X))

    controls = {
        "learning_rate": learning_rate_slider(rates),
        "epoch": epochs_slider(EPOCHS, step=RECORD_EVERY),
    }
    return instrumented_live_figure()(fig, show, controls, title="benchmark view")


def naive_redraw(X, y, net, rate, epoch, fig, ax_plane, ax_loss, grid_axis):
    """Retrain from scratch, clear both axes, draw a fresh contourf and curve, savefig to PNG."""
    history = helpers.train(net, X, y, learning_rate=rate, epochs=max(epoch, 1))
    ax_plane.clear()
    ax_loss.clear()
    if not history.diverged:
        x1, x2 = np.meshgrid(grid_axis, grid_axis)
        values = helpers.predict(history.final_network, np.column_stack([x1.ravel(), x2.ravel()]))
        ax_plane.contourf(x1, x2, values.reshape(x1.shape), levels=20, cmap=plots.BOUNDARY_CMAP, vmin=0, vmax=1)
        ax_plane.contour(x1, x2, values.reshape(x1.shape), levels=[0.5], colors="black")
        ax_plane.scatter(X[:, 0], X[:, 1], c=y[:, 0], cmap=plots.POINTS_CMAP, edgecolors="black")
        ax_loss.plot(history.losses)
        ax_loss.set_yscale("log")
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png")


def line_only_timings(X, y, histories, rate):
    """The 0.5 line alone: ax.contour re-made each move versus contourpy segments into one LineCollection."""
    fig, ax = new_figure(4, 3.2)
    boundary = plots.BoundaryView(ax, X, y)
    renderer = fig.canvas.get_renderer()
    fig.canvas.draw()
    axis = np.linspace(-0.5, 1.5, boundary.resolution)
    history = histories[rate]
    values = [
        helpers.predict(history.network_at(int(e)), boundary.grid).reshape(boundary.resolution, -1)
        for e in np.linspace(0, EPOCHS, MOVES)
    ]
    contour_times, segment_times = [], []
    contour_set = ax.contour(axis, axis, values[0], levels=[0.5])
    for grid_values in values:
        start = time.perf_counter()
        contour_set.remove()
        contour_set = ax.contour(axis, axis, grid_values, levels=[0.5], colors="black")
        contour_set.draw(renderer)
        contour_times.append(time.perf_counter() - start)
        start = time.perf_counter()
        boundary.line.set_segments(contour_generator(axis, axis, grid_values, line_type="Separate").lines(0.5))
        boundary.line.draw(renderer)
        segment_times.append(time.perf_counter() - start)
    return contour_times, segment_times


def micro():
    X, y = helpers.xor()
    net = helpers.init_network([2, 4, 1], seed=0)
    rates = list(log_spaced(0.01, 100, per_decade=3))
    start = time.perf_counter()
    histories = dict(zip(rates, helpers.train_many(net, X, y, rates, EPOCHS, record_every=RECORD_EVERY)))
    precompute = time.perf_counter() - start
    path = moves(rates)
    rows = []

    def timed(move, *args, **kwargs):
        """Wall and CPU seconds of one move, move(*args, **kwargs)."""
        wall, cpu = time.perf_counter(), time.process_time()
        move(*args, **kwargs)
        return time.perf_counter() - wall, time.process_time() - cpu

    start = time.perf_counter()
    live = live_view(X, y, histories, rates)
    first = time.perf_counter() - start
    rows.append(
        (
            "LiveFigure, blitted (as shipped)",
            [timed(live.set, learning_rate=r, epoch=e) for r, e in path],
            first,
        )
    )

    def full_draw(live, r, e, relayout):
        live.invalidate(relayout=relayout)
        live.set(learning_rate=r, epoch=e)

    for relayout, name in [
        (False, "LiveFigure, full draw every move"),
        (True, "  ... and constrained layout every move"),
    ]:
        view = live_view(X, y, histories, rates)
        rows.append((name, [timed(full_draw, view, r, e, relayout) for r, e in path[::2]], None))

    fig, (ax_plane, ax_loss) = new_figure(8, 3.2, ncols=2)
    fig.set_layout_engine("none")
    grid_axis = np.linspace(-0.5, 1.5, 101)
    times = [timed(naive_redraw, X, y, net, r, e, fig, ax_plane, ax_loss, grid_axis) for r, e in path[::2]]
    rows.append(("naive: retrain + clear + contourf + savefig", times, None))

    print(f"(a) micro: [2, 4, 1] on XOR, {len(rates)} rates x {EPOCHS} epochs precomputed in {precompute:.2f} s;")
    print(f"    {len(path)} moves ({MOVES} along epochs, {MOVES} along rates); the slower rows every second move\n")
    baseline = summary([wall for wall, _ in rows[0][1]])[0]
    print(f"{'approach':48} {'median ms':>10} {'p95 ms':>8} {'x shipped':>10} {'CPU median ms':>14} {'first ms':>9}")
    for name, times, first in rows:
        median, p95 = summary([wall for wall, _ in times])
        cpu = summary([cpu for _, cpu in times])[0]
        first_text = f"{1e3 * first:9.0f}" if first is not None else f"{'':>9}"
        print(f"{name:48} {median:10.1f} {p95:8.1f} {median / baseline:10.1f} {cpu:14.1f} {first_text}")
    print(
        f"\n    shipped view: {live.full_draws} full draws and {live.axes_draws} axes redraws "
        f"in {len(live.redraw_parts)} redraws"
    )

    contour_times, segment_times = line_only_timings(X, y, histories, 1.0)
    print("\n    the 0.5 line alone (compute + draw):")
    for name, times in [("ax.contour re-made", contour_times), ("contourpy -> LineCollection", segment_times)]:
        median, p95 = summary(times)
        print(f"    {name:44} {median:10.2f} {p95:8.2f}")


# The measuring code, run here for (a) and inside each notebook's kernel (before its cells) for (b).
# It wraps LiveFigure's methods so that every live figure keeps a list of its redraws, each split
# into update / draw / PNG encoding and marked when it drew the whole figure or one axes' background,
# and the seconds its creation took. The product class itself carries no such fields.
INSTRUMENT = """
import itertools as _itertools
import time as _time

import ipywidgets as _widgets
import numpy as _np


def _instrument_live_figures():
    from helpers.livefigure import LiveFigure

    if hasattr(LiveFigure, "benchmark_views"):
        return LiveFigure
    LiveFigure.benchmark_views = []
    init, redraw, render = LiveFigure.__init__, LiveFigure.redraw, LiveFigure.render
    draw_background, redraw_axes = LiveFigure._draw_background, LiveFigure._redraw_axes_background

    def timed_init(self, fig, update, controls, title=None, describe=None):
        self.redraw_parts, self.full_draws, self.axes_draws = [], 0, 0

        def timed_update(**values):
            start = _time.perf_counter()
            try:
                return update(**values)
            finally:
                self.current_part["update"] = _time.perf_counter() - start

        start = _time.perf_counter()
        init(self, fig, timed_update, controls, title, describe)
        self.created_seconds = _time.perf_counter() - start
        LiveFigure.benchmark_views.append(self)

    def timed_redraw(self):
        self.current_part = {"update": 0.0, "draw": 0.0}
        full_draws, axes_draws = self.full_draws, self.axes_draws
        seconds = redraw(self)
        part = self.current_part
        part.update(
            seconds=seconds,
            encode=max(seconds - part["update"] - part["draw"], 0.0),
            full=self.full_draws > full_draws,
            axes=self.axes_draws > axes_draws and self.full_draws == full_draws,
        )
        self.redraw_parts.append(part)
        return seconds

    def timed_render(self):
        start = _time.perf_counter()
        render(self)
        self.current_part["draw"] = _time.perf_counter() - start

    def counted_background(self, *args, **kwargs):
        self.full_draws += 1
        return draw_background(self, *args, **kwargs)

    def counted_axes(self, *args, **kwargs):
        self.axes_draws += 1
        return redraw_axes(self, *args, **kwargs)

    LiveFigure.__init__, LiveFigure.redraw, LiveFigure.render = timed_init, timed_redraw, timed_render
    LiveFigure._draw_background, LiveFigure._redraw_axes_background = counted_background, counted_axes
    return LiveFigure


def _sweep_values(control, count=30):
    # count values spread over a control's whole range, in order; a control with fewer settings
    # than count has them repeated back and forth.
    if isinstance(control, _widgets.widget_selection._Selection):
        choices = list(control._options_values)
    elif isinstance(control, _widgets.Checkbox | _widgets.ToggleButton):
        choices = [False, True]
    elif isinstance(control, _widgets.widget_int._Int | _widgets.widget_float._Float) and hasattr(control, "max"):
        step = control.step or (control.max - control.min) / 100
        n_steps = int(round((control.max - control.min) / step))
        positions = _np.linspace(0, n_steps, min(count, n_steps + 1)).round().astype(int)
        choices = [min(control.min + p * step, control.max) for p in positions.tolist()]
    else:
        raise TypeError(f"control must be a slider, dropdown, toggle or checkbox, got {type(control).__name__}")
    if len(choices) >= count:
        return [choices[i] for i in _np.linspace(0, len(choices) - 1, count).round().astype(int)]
    forth_and_back = choices + choices[-2:0:-1] if len(choices) > 1 else choices
    return list(_itertools.islice(_itertools.cycle(forth_and_back), count))


def _benchmark_probe(moves):
    import json

    report = []
    for live in _instrument_live_figures().benchmark_views:
        start_values = live.values
        views = {"title": live.title, "created_ms": 1e3 * live.created_seconds, "controls": {}}
        for name, control in live.controls.items():
            before = len(live.redraw_parts)
            seconds = [live.set(**{name: value}) for value in _sweep_values(control, moves)]
            views["controls"][name] = {"seconds": seconds, "parts": live.redraw_parts[before:]}
            live.set(**{name: start_values[name]})
        views["full_draws"] = live.full_draws
        report.append(views)
    return json.dumps(report)


_instrument_live_figures()
"""

COUNT_EXPRESSION = "len(_instrument_live_figures().benchmark_views)"


def instrumented_live_figure():
    """LiveFigure with the measuring wrappers of INSTRUMENT installed in this process."""
    namespace = {}
    exec(INSTRUMENT, namespace)
    return namespace["_instrument_live_figures"]()


def run_notebook(path, timeout=60):
    """Execute a notebook's code cells in a fresh kernel; return per-view timings and any error."""
    import nbformat
    from jupyter_client.manager import start_new_kernel

    notebook = nbformat.read(path, as_version=4)
    # The kernel's own start-up notices (stderr) are not part of the measurement.
    manager, client = start_new_kernel(kernel_name="python3", cwd=str(path.parent), stderr=subprocess.DEVNULL)
    views, error, made_by = [], None, []
    try:
        client.execute_interactive(INSTRUMENT, timeout=timeout, output_hook=lambda m: None)
        start = time.perf_counter()
        count = 0
        for index, cell in enumerate(notebook.cells):
            if cell.cell_type != "code":
                continue
            cell_start = time.perf_counter()
            reply = client.execute_interactive(
                cell.source, user_expressions={"count": COUNT_EXPRESSION}, timeout=timeout, output_hook=lambda m: None
            )
            cell_seconds = time.perf_counter() - cell_start
            content = reply["content"]
            if content["status"] != "ok":
                error = f"cell {index}: {content.get('ename')}: {content.get('evalue', '')[:80]}"
                break
            result = content["user_expressions"]["count"]
            now = int(result["data"]["text/plain"]) if result.get("status") == "ok" else count
            made_by.extend([(index, cell_seconds)] * (now - count))
            count = now
        run_seconds = time.perf_counter() - start
        if error is None and count:
            reply = client.execute_interactive(
                "", user_expressions={"r": f"_benchmark_probe({MOVES})"}, timeout=120, output_hook=lambda m: None
            )
            result = reply["content"]["user_expressions"]["r"]
            if result.get("status") != "ok":
                error = f"driving the views: {result.get('ename')}: {result.get('evalue', '')[:80]}"
            else:
                views = json.loads(eval(result["data"]["text/plain"]))  # the repr of a JSON string
                for view, (cell_index, cell_seconds) in zip(views, made_by):
                    view["cell"], view["cell_ms"] = cell_index, 1e3 * cell_seconds
    finally:
        client.stop_channels()
        manager.shutdown_kernel(now=True)
    return run_seconds if error is None else None, views, error


def notebooks():
    paths = sorted((ROOT / "notebooks").glob("*.ipynb"))
    print(f"\n(b) notebooks: each run in a fresh kernel, then every live view driven {MOVES} moves per control")
    print("    first display: run time of the cell that made the view (and of LiveFigure(...) within it);")
    print("    update / draw / encode: medians of the parts of a redraw (ms), upd p95: the notebook's update")
    print("    function's 95th percentile (where slow moves come from); full: moves that drew the whole")
    print("    figure; axes: moves that redrew one axes' background (new limits); the rest were blitted\n")
    columns = ["median ms", "p95 ms", "update", "draw", "encode", "upd p95"]
    header = f"{'  control':24} " + " ".join(f"{c:>8}" for c in columns) + f" {'full':>6} {'axes':>6}"
    for path in paths:
        run_seconds, views, error = run_notebook(path)
        ran = f"ran in {run_seconds:.1f} s" if run_seconds is not None else "did not finish"
        print(f"{path.name}: {ran}" + (f"; {error}" if error else f"; {len(views)} live view(s)"))
        for view in views:
            print(
                f"  {view['title']!r}: first display {view['cell_ms']:.0f} ms "
                f"(cell {view['cell']}; LiveFigure {view['created_ms']:.0f} ms)"
            )
            print(header)
            for name, timings in view["controls"].items():
                median, p95 = summary(timings["seconds"])
                parts = {part: summary([p[part] for p in timings["parts"]])[0] for part in ("update", "draw", "encode")}
                full, axes = (sum(p[kind] for p in timings["parts"]) for kind in ("full", "axes"))
                update_p95 = summary([p["update"] for p in timings["parts"]])[1]
                print(
                    f"  {name[:22]:22} {median:9.1f} {p95:8.1f} {parts['update']:8.1f} {parts['draw']:8.1f} "
                    f"{parts['encode']:8.1f} {update_p95:8.1f} {full:6d} {axes:6d}"
                )


# Run in a fresh process per repeat, so every configuration is untrained and nothing is cached.
PLAYGROUND_CHANGES = """
import json, time
import matplotlib
matplotlib.use("Agg")
from helpers.playground import Playground
changes = [{"dataset": "circles"}, {"hidden": "16-16"}, {"activation": "sigmoid"}, {"optimizer": "gd"},
           {"dataset": "spiral", "hidden": "16-16", "activation": "relu"}]
playground, seconds = Playground(), []
for change in changes:
    wall, cpu = time.perf_counter(), time.process_time()
    playground.set(**change)
    seconds.append((time.perf_counter() - wall, time.process_time() - cpu))
print(json.dumps([changes, seconds]))
"""


def playground_first_changes(repeats=3):
    print(f"\n(c) playground: first change to an untrained configuration, {repeats} fresh processes each")
    runs = []
    for _ in range(repeats):
        output = subprocess.run([sys.executable, "-c", PLAYGROUND_CHANGES], capture_output=True, text=True, check=True)
        changes, seconds = json.loads(output.stdout.strip().splitlines()[-1])
        runs.append(seconds)
    print(f"    {'change (from moons, 8, tanh, adam)':58} {'wall median ms':>15} {'CPU median ms':>14}")
    for index, change in enumerate(changes):
        wall = 1e3 * np.median([run[index][0] for run in runs])
        cpu = 1e3 * np.median([run[index][1] for run in runs])
        print(f"    {json.dumps(change):58} {wall:15.0f} {cpu:14.0f}")


def main(argv):
    start = time.perf_counter()
    only = [option for option in argv if option.endswith("-only")]
    if not only or "--micro-only" in only:
        micro()
    if not only or "--notebooks-only" in only:
        notebooks()
    if not only or "--playground-only" in only:
        playground_first_changes()
    print(f"\ntotal {time.perf_counter() - start:.0f} s")


if __name__ == "__main__":
    main(sys.argv[1:])
