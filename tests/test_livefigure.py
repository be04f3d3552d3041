"""helpers.livefigure: LiveFigure (one redraw per move, blitting that matches a full draw, the
divergence message, the notebook output bundle). Redraws and draws are counted by wrapping the
class's methods (the `draws` fixture), so the product class carries no counters."""

import io

import ipywidgets
import numpy as np
import pytest
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from PIL import Image

import helpers
from helpers import plots, tables
from helpers.controls import epochs_slider, learning_rate_slider
from helpers.livefigure import LiveFigure, new_figure

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def pixels(png):
    return np.asarray(Image.open(io.BytesIO(bytes(png))).convert("RGB"), dtype=np.int16)


def saved_png(fig):
    """The whole figure drawn in one pass by savefig, as PNG bytes."""
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png")
    return buffer.getvalue()


@pytest.fixture
def draws(monkeypatch):
    """Counts, per LiveFigure, of redraws, whole-figure draws and single-axes background redraws."""
    counts = {}

    def counting(method, kind):
        def wrapper(self, *args, **kwargs):
            counts.setdefault(self, {"redraws": 0, "full": 0, "axes": 0})[kind] += 1
            return method(self, *args, **kwargs)

        return wrapper

    for name, kind in (("redraw", "redraws"), ("_draw_background", "full"), ("_redraw_axes_background", "axes")):
        monkeypatch.setattr(LiveFigure, name, counting(getattr(LiveFigure, name), kind))
    return lambda live: counts.setdefault(live, {"redraws": 0, "full": 0, "axes": 0})


@pytest.fixture(scope="module")
def histories():
    """[2, 4, 1] runs on XOR: sigmoid output at rates 0.5 and 2.0, and at 500 one that diverges."""
    X, y = helpers.xor()
    net = helpers.init_network([2, 4, 1], seed=0)
    runs = dict(zip([0.5, 2.0], helpers.train_many(net, X, y, [0.5, 2.0], 400, record_every=10)))
    # A linear output lets the loss grow without bound, so a large rate really diverges.
    linear = helpers.init_network([2, 4, 1], seed=0, output_activation="identity")
    runs[500.0] = helpers.train(linear, X, y, learning_rate=500.0, epochs=400, record_every=10)
    assert runs[500.0].diverged
    return X, y, runs


@pytest.fixture
def live(histories, draws):
    """A LiveFigure with a boundary and a loss curve over precomputed runs, closed afterwards."""
    X, y, runs = histories
    fig, (ax_plane, ax_loss) = new_figure(6, 2.5, dpi=50, ncols=2)
    boundary = plots.BoundaryView(ax_plane, X, y, resolution=41)
    loss_view = plots.LossView(ax_loss)

    def show(learning_rate, epoch):
        history = runs[learning_rate].require_converged()
        boundary.update(history.network_at(epoch))
        loss_view.update(history.losses, epoch)
        ax_loss.set_title(f"loss {history.losses[epoch]:.4f}")
        return tables.predictions_table(X, y, history.predictions)

    controls = {
        "learning_rate": learning_rate_slider([0.5, 2.0, 500.0], value=2.0),
        "epoch": epochs_slider(400, step=10),
    }
    view = LiveFigure(fig, show, controls, title="test view")
    view.views = boundary, loss_view
    view.counts = draws(view)
    yield view
    view.close()


# Figures and PNG ---------------------------------------------------------------------------------


def test_new_figure_is_an_agg_figure_outside_pyplot():
    fig, axes = new_figure(4, 2, ncols=2)
    assert isinstance(fig, Figure) and isinstance(fig.canvas, FigureCanvasAgg)
    assert len(axes) == 2
    assert tuple(fig.get_size_inches()) == (4.0, 2.0) and fig.dpi == 80
    with pytest.raises(ValueError, match="width must be a positive finite number"):
        new_figure(0, 2)


# LiveFigure --------------------------------------------------------------------------------------


def test_live_figure_draws_once_on_creation(live):
    assert live.counts == {"redraws": 1, "full": 1, "axes": 0}
    assert bytes(live.image.value).startswith(PNG_SIGNATURE)
    assert "<table" in live.caption.value
    assert not live.diverged


def test_set_redraws_exactly_once_and_changes_the_picture(live):
    before = live.image.value
    seconds = live.set(learning_rate=0.5, epoch=100)
    assert live.counts["redraws"] == 2 and seconds > 0
    assert live.values == {"learning_rate": 0.5, "epoch": 100}
    assert live.image.value != before
    live.controls["epoch"].value = 200  # a slider move from the browser
    assert live.counts["redraws"] == 3


def test_views_keep_their_artists_across_moves(live):
    boundary, loss_view = live.views
    artists = (boundary.image, boundary.line, boundary.points, loss_view.curve, loss_view.marker)
    children = [len(ax.get_children()) for ax in live.fig.axes]
    for epoch in range(0, 401, 50):
        live.set(epoch=epoch)
    assert (boundary.image, boundary.line, boundary.points, loss_view.curve, loss_view.marker) == artists
    assert [len(ax.get_children()) for ax in live.fig.axes] == children


def test_moves_that_keep_the_axes_are_blitted(live):
    for epoch in range(0, 401, 40):
        live.set(epoch=epoch)  # same run: same loss axes, only the data and the title change
    assert (live.counts["full"], live.counts["axes"]) == (1, 0)
    live.invalidate()
    live.set(epoch=0)
    assert live.counts["full"] == 2


def test_new_limits_redraw_that_axes_alone_and_match_a_full_draw(live):
    loss_axes = live.fig.axes[1]
    live.set(learning_rate=0.5, epoch=400)
    loss_axes.set_xlim(0, 200)  # as an update that zooms the loss curve would
    loss_axes.set_ylim(0.1, 1.0)
    live.redraw()
    assert (live.counts["full"], live.counts["axes"]) == (1, 1)
    partial = pixels(live.image.value)
    live.invalidate(relayout=False)
    live.redraw()
    assert live.counts["full"] == 2
    np.testing.assert_array_equal(partial, pixels(live.image.value))


def test_axes_without_axis_can_come_and_go_without_a_full_draw(draws):
    fig, (ax_plot, ax_extra) = new_figure(4, 2, dpi=40, ncols=2)
    ax_extra.set_axis_off()
    (dot,) = ax_extra.plot([0.5], [0.5], "o")

    def show(shown):
        if shown and ax_extra not in fig.axes:
            fig.add_axes(ax_extra)
        elif not shown and ax_extra in fig.axes:
            fig.delaxes(ax_extra)

    live = LiveFigure(fig, show, {"shown": ipywidgets.Checkbox(value=True)})
    with_dot = pixels(live.image.value)
    live.set(shown=False)
    assert not np.array_equal(with_dot, pixels(live.image.value))
    live.set(shown=True)
    np.testing.assert_array_equal(with_dot, pixels(live.image.value))
    assert draws(live)["full"] == 1
    live.close()


def test_a_blitted_frame_matches_a_full_draw(live):
    live.set(learning_rate=0.5, epoch=10)
    live.set(learning_rate=0.5, epoch=300)
    blitted = pixels(live.image.value)
    live.invalidate(relayout=False)
    live.redraw()
    full = pixels(live.image.value)
    assert live.counts["full"] >= 2
    np.testing.assert_array_equal(blitted, full)
    # and savefig, which draws every artist in one pass, differs at most in a few edge pixels
    saved = pixels(saved_png(live.fig))
    assert saved.shape == full.shape
    assert np.mean(np.abs(saved - full).max(axis=2) > 8) < 0.001


def test_divergence_shows_the_message_instead_of_the_figure(live):
    live.set(learning_rate=500.0)
    assert live.diverged
    assert live.image.layout.display == "none"
    assert "Training diverged" in live.alert.value and "learning_rate=500" in live.alert.value
    assert 'role="alert"' in live.alert.value  # a screen reader reads the message out when it appears
    assert live.caption.value == ""
    bundle = live._repr_mimebundle_()
    assert "image/png" not in bundle and "Training diverged" in bundle["text/html"]
    live.set(learning_rate=2.0)
    assert not live.diverged and live.image.layout.display == "block"


def test_mimebundle_has_widget_img_with_alt_and_stable_text(live):
    live.set(learning_rate=0.5, epoch=120)
    bundle = live._repr_mimebundle_()
    assert {"application/vnd.jupyter.widget-view+json", "text/html", "text/plain"} == set(bundle)
    # The picture is stored once, as an <img> whose alt is the description (no image/png beside it).
    assert bundle["text/plain"] == "test view (learning_rate=0.5, epoch=120)"
    alt = "test view: learning rate 0.5, epoch shown 120."
    assert bundle["text/html"].startswith(f'<img alt="{alt}" src="data:image/png;base64,')
    assert live._repr_mimebundle_() == bundle


def test_describe_gives_the_alt_text_and_the_announced_line(histories):
    X, y, runs = histories
    fig, ax = new_figure(3, 2, dpi=40)
    (line,) = ax.plot([], [])
    seen = []

    def show(epoch):
        line.set_data(np.arange(epoch + 1), runs[0.5].losses[: epoch + 1])

    def describe(epoch):
        seen.append(epoch)
        return f"loss {runs[0.5].losses[epoch]:.3f} at epoch {epoch}"

    live = LiveFigure(fig, show, {"epoch": epochs_slider(400, step=10)}, title="loss", describe=describe)
    try:
        assert live.description == f"loss {runs[0.5].losses[400]:.3f} at epoch 400"
        live.set(epoch=20)
        assert live.image.description == f"loss {runs[0.5].losses[20]:.3f} at epoch 20" and seen == [400, 20]
        assert live.image.control_labels == ["epoch shown"] and live.image.title == "loss"
        assert f'alt="{live.description}"' in live._repr_mimebundle_()["text/html"]
    finally:
        live.close()


@pytest.mark.parametrize(
    ("describe", "error", "message"),
    [
        ("loss", TypeError, "describe must be callable or None, got str"),
        (lambda epoch: "", TypeError, "describe must return a non-empty sentence"),
        (lambda epoch: None, TypeError, "describe must return a non-empty sentence"),
    ],
)
def test_describe_is_checked(describe, error, message):
    fig, ax = new_figure(3, 2, dpi=40)
    with pytest.raises(error, match=message):
        LiveFigure(fig, lambda epoch: None, {"epoch": epochs_slider(10)}, describe=describe)


def test_default_description_names_each_control_and_the_value_it_shows():
    fig, ax = new_figure(3, 2, dpi=40)
    controls = {
        "learning_rate": learning_rate_slider([0.1, 0.22, 0.46], value=0.22),
        "weight": ipywidgets.FloatSlider(value=0.5, description="w1"),
        "units": ipywidgets.IntSlider(value=3),
        "activation": ipywidgets.ToggleButtons(options=[("ReLU", "relu"), ("tanh", "tanh")], value="tanh"),
    }
    live = LiveFigure(fig, lambda **values: None, controls, title="net")
    try:
        assert live.description == "net: learning rate 0.22, w1 0.5, units 3, activation tanh."
        assert live.image.control_labels == ["learning rate", "w1", "units", "activation"]
    finally:
        live.close()


def test_set_refuses_unknown_controls(live):
    with pytest.raises(ValueError, match=r"no control named \['speed'\]"):
        live.set(speed=1)
    assert live.counts["redraws"] == 1


def test_a_closed_figure_no_longer_follows_its_controls(live):
    live.close()
    live.close()  # closing twice is harmless
    live.controls["epoch"].value = 0
    assert live.counts["redraws"] == 1


def test_an_update_may_add_artists_later():
    fig, ax = new_figure(3, 2, dpi=40)
    ax.set_xlim(0, 1)
    ax.set_ylim(0, 1)

    def show(x):
        if x > 0.5 and not ax.lines:
            ax.plot([x], [x], "o")
        for line in ax.lines:
            line.set_data([x], [x])

    live = LiveFigure(fig, show, {"x": ipywidgets.FloatSlider(value=0.0)})
    live.set(x=0.8)
    blitted = pixels(live.image.value)
    live.invalidate(relayout=False)
    live.redraw()
    np.testing.assert_array_equal(blitted, pixels(live.image.value))
    live.close()


@pytest.mark.parametrize(
    ("args", "error", "match"),
    [
        (("fig", lambda: None, {"a": ipywidgets.IntSlider()}), TypeError, "fig must be a matplotlib Figure"),
        ((None, "update", {"a": ipywidgets.IntSlider()}), TypeError, "update must be callable"),
        ((None, lambda a: None, {}), ValueError, "controls must be a non-empty dict"),
        ((None, lambda a: None, {"a": 3}), TypeError, r"controls\['a'\] must be an ipywidgets control"),
    ],
)
def test_live_figure_refuses_bad_arguments(args, error, match):
    fig, _ = new_figure(2, 2)
    args = (fig if args[0] is None else args[0], *args[1:])
    with pytest.raises(error, match=match):
        LiveFigure(*args)


def test_hidden_unit_pictures_come_and_go_without_a_full_draw(xor_data, draws):
    """A network of another width shows or hides some of HiddenUnitsView's pictures; the rest of the
    figure stays as drawn, so such a move is blitted like any other."""
    X, y = xor_data
    fig, (ax_plane, *unit_axes) = new_figure(6, 2, dpi=40, ncols=5)
    boundary, hidden_units = plots.BoundaryView(ax_plane, X, y, resolution=21), plots.HiddenUnitsView(unit_axes, X, y)
    networks = {units: helpers.init_network([2, units, 1], seed=units) for units in (1, 2, 4)}

    def show(units):
        boundary.update(networks[units])
        hidden_units.update(networks[units])

    live = LiveFigure(fig, show, {"units": ipywidgets.Dropdown(options=[1, 2, 4], value=4)})
    for units in (1, 2, 4, 1):
        live.set(units=units)
    assert draws(live)["full"] == 1
    blitted = pixels(live.image.value)
    live.invalidate(relayout=False)
    live.redraw()
    np.testing.assert_array_equal(blitted, pixels(live.image.value))
    live.close()
