"""Live figures: one reused matplotlib figure redrawn whenever a control (see controls.py) moves.

The figure is drawn off-screen with Agg and sent as PNG bytes to an `ipywidgets.Image`, which
the browser swaps in place; clearing an `Output` and displaying a figure anew is slower and
flickers. The `update` function changes the figure's artists (set_data, set_ydata, set_array)
rather than clearing axes, so each redraw does the least work.

Most of a full Agg draw goes into text: tick labels, axis labels, titles. So a LiveFigure draws
those once into a background and, on each move, pastes the background back and draws only the
data artists (images, lines, collections, texts placed in the axes, titles, legends) on top:
blitting. When an update changes an axes' limits, only that axes' background is drawn again;
when it changes scales or axis labels, adds or removes a framed axes, or a title appears or
disappears, the whole figure is drawn (and laid out) again. Axes with set_axis_off() put nothing
into the background, so they may come and go freely.

What a screen reader gets (see liveview.py): the picture's alt text and a text line under it,
announced when it changes, both the sentence `describe(**values)` returns; and names for the
controls. A viewer without widgets (GitHub, nbconvert) gets the stored picture with the same alt.
"""

import io
import time

import ipywidgets as widgets
import numpy as np
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.colors import to_rgba
from matplotlib.figure import Figure
from matplotlib.layout_engine import PlaceHolderLayoutEngine
from matplotlib.transforms import Bbox
from PIL import Image

from ._validate import check_positive_number
from .figures import img_html
from .liveview import LiveView

# zlib level 1 encodes much faster than matplotlib's default (6) for a somewhat larger PNG; the bytes
# go to a browser on the same machine or a fast link (benchmarks/widget_redraw.py times the parts).
PNG_COMPRESS_LEVEL = 1


def new_figure(width=6.4, height=3.2, dpi=80, **subplot_options):
    """A Figure (not managed by pyplot, so a notebook never shows it twice) and its axes.

    Returns (fig, axes) like plt.subplots; subplot_options go to Figure.subplots. The layout is
    "constrained"; a LiveFigure computes it only when it draws the whole figure, not on each move.
    """
    width, height, dpi = (check_positive_number(n, v) for n, v in (("width", width), ("height", height), ("dpi", dpi)))
    fig = Figure(figsize=(width, height), dpi=dpi, layout="constrained")
    FigureCanvasAgg(fig)
    return fig, fig.subplots(**subplot_options)


def _encode_png(canvas):
    """PNG bytes of what the Agg canvas holds now (no new draw)."""
    width, height = canvas.get_width_height(physical=True)
    image = Image.frombuffer("RGBA", (width, height), canvas.buffer_rgba(), "raw", "RGBA", 0, 1)
    buffer = io.BytesIO()
    # The figure is opaque, so RGB loses nothing and makes a smaller, faster PNG.
    image.convert("RGB").save(buffer, format="png", compress_level=PNG_COMPRESS_LEVEL)
    return buffer.getvalue()


def _dynamic_artists(fig):
    """What an update may change: each axes' data artists, titles, legend (and spines), then figure texts.

    In drawing order: axes after axes, and by zorder within each (as a full draw orders them).
    """
    artists = []
    for ax in fig.axes:
        if not ax.get_visible():
            continue
        children = [*ax.images, *ax.lines, *ax.collections, *ax.patches, *ax.texts, *ax.artists]
        children += [ax.title, ax._left_title, ax._right_title]
        if ax.axison and ax.get_frame_on():
            # Spines are cheap to draw and belong above an image that fills the axes, as in a full draw.
            children += list(ax.spines.values())
        if ax.legend_ is not None:
            children.append(ax.legend_)
        artists.extend(sorted(children, key=lambda artist: artist.get_zorder()))
    if fig._suptitle is not None:
        artists.append(fig._suptitle)
    return artists + list(fig.texts) + list(fig.legends)


def _framed_axes(fig):
    """The axes that put something into the background: visible, with their axis and frame on.

    An axes with set_axis_off() draws no patch, spines or ticks, only data artists (all dynamic),
    so adding or removing one, or changing its limits, leaves the background as it is.
    """
    return [ax for ax in fig.axes if ax.get_visible() and ax.axison and ax.get_frame_on()]


def _layout_key(fig):
    """What the layout depends on: figure size, and each axes' scales, axis labels and whether it has a title."""
    key = [tuple(fig.get_size_inches()), fig.dpi, bool(fig._suptitle and fig._suptitle.get_text())]
    for ax in _framed_axes(fig):
        titles = tuple(bool(title.get_text()) for title in (ax.title, ax._left_title, ax._right_title))
        key.append((id(ax), ax.get_xscale(), ax.get_yscale(), ax.get_xlabel(), ax.get_ylabel(), titles))
    return key


def _axes_limits(fig):
    """{axes: (place, x limits, y limits)} of the framed axes: what their ticks and spines depend on."""
    return {ax: (tuple(ax.get_position().bounds), ax.get_xlim(), ax.get_ylim()) for ax in _framed_axes(fig)}


def _extent(ax, renderer):
    """The display box of an axes' background: frame, ticks, labels, titles; a pixel more for antialiasing."""
    # No extra artists: the data artists are dynamic, and a marker drawn unclipped may lie far outside.
    return ax.get_tightbbox(renderer, bbox_extra_artists=[]).padded(1)


class LiveFigure:
    """One figure redrawn by `update(**values)` whenever a control's value changes.

    fig: a Figure (see new_figure). controls: {name: widget}; every widget's `.value` is passed
    to update under its name. update may return a string (HTML) shown under the figure, e.g. a
    predictions table; if it raises an ArithmeticError (as History.require_converged raises
    TrainingDiverged), its message replaces the figure.
    describe(**values) -> str: one plain-text sentence saying what the picture now shows (the numbers
    a sighted learner reads off it); it is the picture's alt text and the text line under it, which
    a screen reader announces. None: a sentence naming the title and each control's value.
    Display it as the last expression of a cell; drive it from code with `set(**values)`.
    update should change only data artists (set_data, set_array, set_text, ...) and axis limits;
    anything else drawn once (tick labels, titles) is redrawn when limits, scales or titles change,
    or after `invalidate()`.
    """

    def __init__(self, fig, update, controls, title=None, describe=None):
        if not isinstance(fig, Figure):
            raise TypeError(f"fig must be a matplotlib Figure, got {type(fig).__name__}")
        if not callable(update):
            raise TypeError(f"update must be callable, got {type(update).__name__}")
        if not isinstance(controls, dict) or not controls:
            raise ValueError(f"controls must be a non-empty dict of widgets, got {controls!r}")
        for name, control in controls.items():
            if not isinstance(control, widgets.ValueWidget):
                raise TypeError(f"controls[{name!r}] must be an ipywidgets control, got {type(control).__name__}")
        if title is not None and not isinstance(title, str):
            raise TypeError(f"title must be a string, got {type(title).__name__}")
        if describe is not None and not callable(describe):
            raise TypeError(f"describe must be callable or None, got {type(describe).__name__}")
        self.fig, self.update, self.controls = fig, update, dict(controls)
        if not isinstance(fig.canvas, FigureCanvasAgg):
            FigureCanvasAgg(fig)
        self.title = title or "live figure"
        self.describe = describe or self._describe_values
        labels = [control.description or name for name, control in self.controls.items()]
        self.image = LiveView(title=self.title, control_labels=labels, layout=widgets.Layout(max_width="100%"))
        self.caption = widgets.HTML()
        self.alert = widgets.HTML(layout=widgets.Layout(display="none"))
        self._holding = self._closed = False
        self._background = self._layout_key = self._limits = self._extents = None
        # The layout (e.g. "constrained") is computed on the first draw and kept: re-running it costs
        # more than the draw itself, and it only changes when sizes, scales, labels or titles come or go.
        engine = fig.get_layout_engine()
        self._layout_engine = None if isinstance(engine, PlaceHolderLayoutEngine) else engine
        for control in self.controls.values():
            control.observe(self._on_change, names="value")
        row = widgets.HBox(list(self.controls.values()), layout=widgets.Layout(flex_flow="row wrap"))
        self.widget = widgets.VBox([row, self.alert, self.image, self.caption])
        self.redraw()

    @property
    def values(self):
        """{name: current value} of every control."""
        return {name: control.value for name, control in self.controls.items()}

    @property
    def description(self):
        """The sentence the view shows under the picture and gives as its alt text."""
        return self.image.description

    def _describe_values(self, **values):
        """The default description: the title, then each control's label and the value it shows."""
        parts = []
        for name, control in self.controls.items():
            value = values[name]
            if getattr(control, "label", None) is not None:
                shown = str(control.label)  # a selection control: the label it shows, not its value
            elif isinstance(value, float):
                shown = f"{value:g}"
            else:
                shown = str(value)
            parts.append(f"{control.description or name} {shown}")
        return f"{self.title}: {', '.join(parts)}."

    @property
    def diverged(self):
        """True while the view shows a divergence message instead of the figure."""
        return self.alert.layout.display != "none"

    def _on_change(self, change):
        if not self._holding:
            self.redraw()

    def invalidate(self, relayout=True):
        """Make the next redraw draw the whole figure (after changing tick labels, colours, ...).

        relayout: also run the figure's layout engine again (e.g. after changing a tick format).
        """
        if relayout:
            self._background = None
        else:
            self._limits = None

    def render(self):
        """Draw the figure as it stands into the Agg buffer: blit over the background when it is valid."""
        fig, canvas = self.fig, self.fig.canvas
        dynamic = _dynamic_artists(fig)
        layout_key, limits = _layout_key(fig), _axes_limits(fig)
        relayout = self._background is None or layout_key != self._layout_key
        if relayout or self._limits is None or set(limits) != set(self._limits):
            self._draw_background(dynamic, relayout)
        else:
            changed = [ax for ax in limits if limits[ax] != self._limits[ax]]
            if changed:
                self._redraw_axes_background(changed)
            else:
                canvas.restore_region(self._background)
        renderer = canvas.get_renderer()
        for artist in dynamic:
            if not artist.get_animated():
                # Added by update since the background was drawn: draw it from now on as well.
                artist.set_animated(True)
            if artist.get_visible():
                artist.draw(renderer)

    def _draw_background(self, dynamic, relayout):
        """Draw everything but the dynamic artists, and keep it as the background."""
        fig, canvas = self.fig, self.fig.canvas
        if relayout and self._layout_engine is not None:
            fig.set_layout_engine(self._layout_engine)
        for artist in dynamic:
            artist.set_animated(True)
        # A draw leaves animated artists out: what it draws is the background.
        canvas.draw()
        if self._layout_engine is not None:
            fig.set_layout_engine("none")
        self._background = canvas.copy_from_bbox(fig.bbox)
        self._layout_key, self._limits = _layout_key(fig), _axes_limits(fig)
        renderer = canvas.get_renderer()
        self._extents = {ax: _extent(ax, renderer) for ax in self._limits}

    def _redraw_axes_background(self, changed):
        """Redraw the background of the axes whose limits changed, and only theirs.

        Each such axes' old box (with its tick labels) is wiped to the figure colour and the axes
        drawn again there, which costs one axes instead of the whole figure. When the boxes of two
        axes overlap, wiping one would cut into the other: then everything is drawn anew.
        """
        fig, canvas = self.fig, self.fig.canvas
        renderer = canvas.get_renderer()
        canvas.restore_region(self._background)
        pixels = np.asarray(canvas.buffer_rgba())
        height, width = pixels.shape[:2]
        colour = np.round(np.array(to_rgba(fig.get_facecolor())) * 255).astype(np.uint8)
        for ax in changed:
            box = self._extents[ax]
            if any(box.overlaps(other) for axes, other in self._extents.items() if axes is not ax):
                self._draw_background(_dynamic_artists(fig), relayout=False)
                return
            x0, x1 = max(int(np.floor(box.x0)), 0), min(int(np.ceil(box.x1)), width)
            y0, y1 = max(int(np.floor(box.y0)), 0), min(int(np.ceil(box.y1)), height)
            # Display y grows upwards, buffer rows downwards.
            pixels[height - y1 : height - y0, x0:x1] = colour
            locator = ax.get_axes_locator()
            ax.apply_aspect(locator(ax, renderer) if locator else None)
            ax.draw(renderer)
            drawn = _extent(ax, renderer)
            if any(drawn.overlaps(other) for axes, other in self._extents.items() if axes is not ax):
                # New tick labels reach into a neighbour: only a full draw gets both right.
                self._draw_background(_dynamic_artists(fig), relayout=False)
                return
            self._extents[ax] = Bbox.union([box, drawn])
        self._background = canvas.copy_from_bbox(fig.bbox)
        self._limits = _axes_limits(fig)

    def redraw(self):
        """Run update with the current values and show the result; returns the seconds it took."""
        start = time.perf_counter()
        values = self.values
        try:
            caption = self.update(**values)
        except ArithmeticError as error:
            # role="alert": a screen reader reads the message out as soon as it appears.
            alert = f'<div role="alert" style="color:#b00020;font-weight:bold;padding:8px">{error}</div>'
            caption = ""
        else:
            alert = ""
            self.render()
            description = self.describe(**values)
            if not isinstance(description, str) or not description.strip():
                raise TypeError(f"describe must return a non-empty sentence (str), got {description!r}")
            with self.image.hold_sync():
                # One message to the browser: the new picture and the words for it arrive together.
                self.image.value = _encode_png(self.fig.canvas)
                self.image.description = description.strip()
        self.alert.value, self.caption.value = alert, caption or ""
        self.alert.layout.display, self.image.layout.display = ("block", "none") if alert else ("none", "block")
        return time.perf_counter() - start

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

    def close(self):
        """Stop following the controls and close the widgets."""
        for control in self.controls.values():
            if not self._closed:
                control.unobserve(self._on_change, names="value")
        self._closed = True
        for child in (self.widget, *self.controls.values(), self.image, self.caption, self.alert):
            child.close()

    def _repr_mimebundle_(self, **kwargs):
        # JupyterLab shows the live widget; a viewer without widgets (GitHub, nbconvert) falls back
        # to the picture of the state the notebook was saved in, as an <img> with its alt text (see
        # figures.py). The text is stable, so strict output checks compare it (not the picture).
        bundle = self.widget._repr_mimebundle_(**kwargs)
        if self.diverged:
            bundle["text/html"] = self.alert.value
        else:
            bundle["text/html"] = img_html(self.image.value, self.description)
        settings = ", ".join(f"{name}={value!r}" for name, value in self.values.items())
        bundle["text/plain"] = f"{self.title} ({settings})"
        return bundle
