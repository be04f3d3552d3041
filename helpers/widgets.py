"""Live figures: controls (sliders, dropdowns) wired to one reused matplotlib figure.

The figure is drawn off-screen with Agg and sent as PNG bytes to an `ipywidgets.Image`, which
the browser swaps in place; clearing an `Output` and displaying a figure anew is slower and
flickers. The `update` function changes the figure's artists (set_data, set_ydata, set_array)
rather than clearing axes, so each redraw does the least work.
"""

import base64
import io
import time

import ipywidgets as widgets
import numpy as np
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from ._validate import check_count, check_positive_number
from .training import TrainingDiverged


def new_figure(width=6.4, height=3.2, dpi=80, **subplot_options):
    """A Figure (not managed by pyplot, so a notebook never shows it twice) and its axes.

    Returns (fig, axes) like plt.subplots; subplot_options go to Figure.subplots.
    """
    fig = Figure(figsize=(width, height), dpi=dpi, layout="constrained")
    FigureCanvasAgg(fig)
    return fig, fig.subplots(**subplot_options)


def figure_png(fig):
    """The figure rendered to PNG bytes."""
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png")
    return buffer.getvalue()


def log_spaced(low, high, per_decade=3):
    """Rates from low to high, `per_decade` per factor of ten, rounded to 2 significant digits.

    log_spaced(0.01, 10) -> [0.01, 0.022, 0.046, 0.1, ..., 10.0]: what a learning-rate slider offers.
    """
    low, high = check_positive_number("low", low), check_positive_number("high", high)
    per_decade = check_count("per_decade", per_decade, minimum=1)
    if high <= low:
        raise ValueError(f"high must be greater than low ({low!r}), got {high!r}")
    count = int(round(np.log10(high / low) * per_decade)) + 1
    values = np.logspace(np.log10(low), np.log10(high), count)
    return np.array([float(f"{v:.2g}") for v in values])


def learning_rate_slider(rates, value=None, description="learning rate"):
    """A slider over a fixed list of rates (log-spaced, from `log_spaced`), showing each as text."""
    rates = [float(r) for r in rates]
    if not rates:
        raise ValueError("rates must not be empty")
    value = rates[len(rates) // 2] if value is None else min(rates, key=lambda r: abs(np.log(r / value)))
    return widgets.SelectionSlider(
        options=[(f"{r:g}", r) for r in rates],
        value=value,
        description=description,
        style={"description_width": "initial"},
        layout=widgets.Layout(width="320px"),
    )


def epochs_slider(epochs, value=None, step=1, description="epochs"):
    """An integer slider from 0 to `epochs` in steps of `step` (use the record_every of training)."""
    epochs = check_count("epochs", epochs, minimum=1)
    step = check_count("step", step, minimum=1)
    value = epochs if value is None else check_count("value", value)
    return widgets.IntSlider(
        min=0,
        max=epochs,
        step=step,
        value=value,
        description=description,
        style={"description_width": "initial"},
        layout=widgets.Layout(width="320px"),
    )


class LiveFigure:
    """One figure redrawn by `update(**values)` whenever a control's value changes.

    fig: a Figure (see new_figure). controls: {name: widget}; every widget's `.value` is passed
    to update under its name. update may return a string (HTML) shown under the figure, e.g. a
    predictions table; if it raises TrainingDiverged, its message replaces the figure.
    Display it as the last expression of a cell; drive it from code with `set(**values)`.
    """

    def __init__(self, fig, update, controls, title=None):
        if not isinstance(fig, Figure):
            raise TypeError(f"fig must be a matplotlib Figure, got {type(fig).__name__}")
        if not callable(update):
            raise TypeError(f"update must be callable, got {type(update).__name__}")
        if not isinstance(controls, dict) or not controls:
            raise ValueError(f"controls must be a non-empty dict of widgets, got {controls!r}")
        self.fig, self.update, self.controls = fig, update, dict(controls)
        self.title = title or "live figure"
        self.image = widgets.Image(format="png", layout=widgets.Layout(width="auto", max_width="100%"))
        self.caption = widgets.HTML()
        self.alert = widgets.HTML(layout=widgets.Layout(display="none"))
        self.redraw_seconds = []
        self._holding = False
        for control in self.controls.values():
            control.observe(self._on_change, names="value")
        self.widget = widgets.VBox(
            [
                widgets.HBox(list(self.controls.values()), layout=widgets.Layout(flex_flow="row wrap")),
                self.alert,
                self.image,
                self.caption,
            ]
        )
        self.redraw()

    @property
    def values(self):
        """{name: current value} of every control."""
        return {name: control.value for name, control in self.controls.items()}

    @property
    def diverged(self):
        """True while the view shows a divergence message instead of the figure."""
        return self.alert.layout.display != "none"

    def _on_change(self, change):
        if not self._holding:
            self.redraw()

    def redraw(self):
        """Run update with the current values and show the result; returns the seconds it took."""
        start = time.perf_counter()
        try:
            caption = self.update(**self.values)
        except TrainingDiverged as error:
            self.alert.value = f'<div style="color:#b00020;font-weight:bold;padding:8px">{error}</div>'
            self.alert.layout.display = "block"
            self.image.layout.display = "none"
            self.caption.value = ""
        else:
            self.image.value = figure_png(self.fig)
            self.image.layout.display = "block"
            self.alert.layout.display = "none"
            self.alert.value = ""
            self.caption.value = caption or ""
        elapsed = time.perf_counter() - start
        self.redraw_seconds.append(elapsed)
        return elapsed

    def set(self, **values):
        """Set several controls at once (one redraw, as after a slider move); returns its seconds."""
        unknown = set(values) - set(self.controls)
        if unknown:
            raise ValueError(f"no control named {sorted(unknown)}; controls are {sorted(self.controls)}")
        self._holding = True
        try:
            for name, value in values.items():
                self.controls[name].value = value
        finally:
            self._holding = False
        return self.redraw()

    def _repr_mimebundle_(self, **kwargs):
        # JupyterLab shows the live widget; a viewer without widgets (GitHub, nbviewer) falls
        # back to the PNG of the state the notebook was saved in. The text is stable, so strict
        # output checks compare it.
        bundle = self.widget._repr_mimebundle_(**kwargs)
        if self.diverged:
            bundle["text/html"] = self.alert.value
        else:
            bundle["image/png"] = base64.b64encode(self.image.value).decode("ascii")
        settings = ", ".join(f"{name}={value!r}" for name, value in self.values.items())
        bundle["text/plain"] = f"{self.title} ({settings})"
        return bundle
