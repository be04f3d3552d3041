"""Every "try this" on a page runs, and does what the page says it does.

Each test runs a notebook's code cells in this process (the exercises' answer and check cells left out),
then changes the setting the page suggests, through the live view's `set` or by re-running the cell's
code with the suggested value, and checks the outcome the text describes. Tests are named
test_NN_<what>, NN the notebook's number.
"""

import contextlib
import io
import json
from functools import cache
from pathlib import Path

import matplotlib
import numpy as np

matplotlib.use("Agg")

ROOT = Path(__file__).resolve().parents[1]
LEFT_OUT = {"answer", "check"}


@cache
def page(stem):
    """The namespace of notebooks/<stem>.ipynb after running its code cells (not the exercises') in order."""
    cells = json.loads((ROOT / "notebooks" / f"{stem}.ipynb").read_text(encoding="utf-8"))["cells"]
    namespace = {}
    with contextlib.redirect_stdout(io.StringIO()):  # the page's own prints and displays
        for cell in cells:
            if cell["cell_type"] == "code" and not LEFT_OUT & set(cell["metadata"].get("tags", [])):
                exec("".join(cell["source"]), namespace)
    return namespace


def _right_of_four(live):
    """How many of the four inputs the live view of notebook 01 has on the right side of 0.5."""
    return int(live.description.split(" of 4 on the right side")[0].rsplit(" ", 1)[-1])


def test_01_or_then_and_gate_with_the_sliders():
    live = page("01_forward_pass")["live"]
    live.set(target="or", w1=4.0, w2=4.0, b=-2.0, scale=1.0)
    assert _right_of_four(live) == 4
    live.set(target="and", w1=4.0, w2=4.0, b=-6.0)
    assert _right_of_four(live) == 4


def test_01_scale_keeps_the_line_and_changes_the_band():
    namespace = page("01_forward_pass")
    live, boundary = namespace["live"], namespace["boundary"]
    live.set(target="xor", w1=2.0, w2=-1.0, b=-0.5, scale=1.0)
    line, band = boundary.line.get_segments()[0], {}
    for scale in (10.0, 1.0, 0.1):
        live.set(scale=scale)
        np.testing.assert_allclose(boundary.line.get_segments()[0], line, atol=1e-12)  # the line stays put
        values = boundary.values
        band[scale] = np.mean((values > 0.25) & (values < 0.75))  # the share of the plane in the band
    assert band[10.0] < 0.5 * band[1.0] and band[0.1] > 1.5 * band[1.0], band  # narrower, then wider


def test_01_xor_puts_at_most_three_on_the_right_side():
    live = page("01_forward_pass")["live"]
    rng = np.random.default_rng(0)
    for w1, w2, b in rng.uniform(-8.0, 8.0, size=(30, 3)).round(1):
        live.set(target="xor", w1=float(w1), w2=float(w2), b=float(b))
        assert _right_of_four(live) <= 3


def _loss_and_right(live):
    """(loss, points on the right side of 0.5) from the description of notebook 04's or 05's live view."""
    text = live.description
    loss = float(text.split("loss ")[1].split(";")[0].split(",")[0])
    right = int(text.split(" of 4 points")[0].rsplit(" ", 1)[-1])
    return loss, right


def test_04_the_view_opens_on_a_different_picture_for_each_rate():
    namespace = page("04_single_neuron_xor")
    live = namespace["live"]
    seen = set()
    for learning_rate in namespace["learning_rates"]:
        live.set(learning_rate=float(learning_rate), epoch=100)
        seen.add(live.description.split(": ", 1)[1])
    assert len(seen) == len(namespace["learning_rates"])


def test_04_rates_from_0_046_to_10_fade_to_a_flat_plane():
    namespace = page("04_single_neuron_xor")
    live = namespace["live"]
    for learning_rate in namespace["learning_rates"]:
        live.set(learning_rate=float(learning_rate), epoch=0)
        assert "a line where it crosses 0.5" in live.description
        live.set(epoch=10_000)
        flat = "no line (flat at 0.5)" in live.description
        assert flat == (0.046 <= learning_rate <= 10), (learning_rate, live.description)


def test_04_rates_22_and_46_keep_swinging_above_a_quarter():
    live = page("04_single_neuron_xor")["live"]
    for learning_rate in (22.0, 46.0):
        losses = []
        for epoch in range(9800, 10_001, 10):
            live.set(learning_rate=learning_rate, epoch=epoch)
            losses.append(_loss_and_right(live)[0])
        assert min(losses) > 0.25 and max(losses) - min(losses) > 1e-3, (learning_rate, losses)


def test_04_rate_100_plateaus_then_creeps_down_with_three_right():
    live = page("04_single_neuron_xor")["live"]
    live.set(learning_rate=100.0, epoch=1000)
    assert _loss_and_right(live)[0] > 0.49
    live.set(epoch=10_000)
    loss, right = _loss_and_right(live)
    assert 0.25 <= loss < 0.2501 and right == 3


def test_05_a_tiny_rate_barely_moves():
    live = page("05_hidden_layer")["live"]
    live.set(learning_rate=0.01, units=3, epoch=0)
    start = _loss_and_right(live)[0]
    live.set(epoch=5000)
    end = _loss_and_right(live)[0]
    assert (round(start, 4), round(end, 4)) == (0.2597, 0.2502)


def test_05_three_units_learn_at_the_listed_rates():
    namespace = page("05_hidden_layer")
    live = namespace["live"]
    for learning_rate in namespace["learning_rates"]:
        live.set(learning_rate=float(learning_rate), units=3, epoch=5000)
        learned = not live.diverged and _loss_and_right(live)[1] == 4
        assert learned == (learning_rate in namespace["learned"][3]), learning_rate


def test_05_rate_100_fails_stalls_or_learns_after_a_plateau_by_width():
    live = page("05_hidden_layer")["live"]
    for units in range(1, 9):
        live.set(learning_rate=100.0, units=units, epoch=5000)
        assert live.diverged == (units in (1, 2, 5, 6, 7)), units
        if units in (3, 4):
            assert _loss_and_right(live)[1] == 3
    live.set(units=8, epoch=1000)
    assert abs(_loss_and_right(live)[0] - 0.25) < 0.01  # the plateau
    live.set(epoch=5000)
    loss, right = _loss_and_right(live)
    assert right == 4 and loss < 1e-5


def test_05_one_unit_never_learns_and_more_units_learn_at_a_smaller_rate():
    namespace = page("05_hidden_layer")
    live = namespace["live"]
    for learning_rate in namespace["learning_rates"]:
        live.set(learning_rate=float(learning_rate), units=1, epoch=5000)
        assert live.diverged or _loss_and_right(live)[1] < 4
    live.set(learning_rate=0.22, units=3, epoch=5000)
    assert _loss_and_right(live)[1] < 4
    live.set(units=8)
    assert _loss_and_right(live)[1] == 4


def test_05_identical_units_with_a_first_layer_of_zeros_do_not_learn():
    # Exercise 2's solution: "(A W1 of zeros is not enough: try it.)", beside its W1 of 0.5, which learns.
    namespace = page("05_hidden_layer")
    helpers, X, y = namespace["helpers"], namespace["X"], namespace["y"]
    W2 = np.array([[1.0], [-0.5], [0.3]])
    for value, learns in ((0.0, False), (0.5, True)):
        start = helpers.Network(
            [np.full((2, 3), value), W2], [np.zeros((1, 3)), np.zeros((1, 1))], ("sigmoid", "sigmoid")
        )
        trained = helpers.train(start, X, y, learning_rate=2.2, epochs=5000).final_network
        assert (helpers.accuracy(trained, X, y) == 1.0) == learns, value


def test_03_the_suggested_rates_and_epochs_show_what_the_text_says():
    namespace = page("03_weight_update")
    live, by_rate = namespace["live"], namespace["by_rate"]
    live.set(learning_rate=1.0, epoch=100)  # "epochs 0 to 100: the line swings into place"
    assert "4 of 4 on the right side" in live.description
    for epoch in range(21):  # rate 22, epochs 0 to 20, one at a time: the view follows, never fails
        live.set(learning_rate=22.0, epoch=epoch)
        assert not live.diverged and f"epoch {epoch} of 1000" in live.description
    live.set(learning_rate=46.0, epoch=60)  # on the plateau
    assert by_rate[46.0].losses[60] > 0.24 and "loss 0.2" in live.description
    live.set(learning_rate=100.0, epoch=1000)  # "never does within 1000 epochs"
    assert "loss 0.2500" in live.description


def _09_view(**settings):
    """Notebook 09's playground set to `settings` at the last epoch; returns it and the Run it shows."""
    playground = page("09_playground")["playground"]
    playground.set(**settings, epoch=playground.runs.epochs)
    values = playground.values
    run = playground.runs.get(
        *(values[name] for name in ("dataset", "hidden", "activation", "optimizer")), values["learning_rate"]
    )
    return playground, run


def _09_validation_accuracy(run):
    from helpers.network import accuracy

    return accuracy(run.history.final_network, run.X_val, run.y_val)


def test_09_watch_it_learn_the_line_is_straight_at_epoch_100_and_bends_by_1000():
    playground, _ = _09_view(dataset="moons", hidden="8", activation="tanh", optimizer="adam", learning_rate=0.022)

    def bend():
        # How far the 0.5 line's points stray from their best straight line (root mean square).
        points = np.concatenate(playground.boundary.line.get_segments())
        return np.linalg.svd(points - points.mean(axis=0), compute_uv=False)[1] / np.sqrt(len(points))

    playground.set(epoch=100)
    straight = bend()
    playground.set(epoch=1000)
    assert straight < 0.02 < 0.2 < bend()


def test_09_too_slow_too_fast():
    playground, slow = _09_view(dataset="moons", hidden="8", activation="tanh", optimizer="gd", learning_rate=0.001)
    assert 0.7 < _09_validation_accuracy(slow) < 0.9  # about one point in five still wrong
    _, fast = _09_view(learning_rate=2.2)
    assert _09_validation_accuracy(fast) == 1.0
    playground.set(optimizer="adam", learning_rate=10.0)
    assert playground.live.diverged
    _, learns = _09_view(dataset="spiral", hidden="16-16", activation="relu", optimizer="adam", learning_rate=0.1)
    assert _09_validation_accuracy(learns) >= 0.99
    playground.set(learning_rate=2.2)
    assert "Stuck?" in playground.live.caption.value


def test_09_three_arms_need_more_than_four_units():
    _, four = _09_view(dataset="3 arms", hidden="4", activation="tanh", optimizer="adam", learning_rate=0.022)
    _, eight = _09_view(hidden="8")
    assert _09_validation_accuracy(four) < 0.9 < 0.95 < _09_validation_accuracy(eight)


def test_09_overfitting_shows_in_the_dashed_curve():
    playground, run = _09_view(dataset="xor", hidden="8-8", activation="sigmoid", optimizer="adam", learning_rate=0.1)
    validation = playground.val_line.get_ydata()
    np.testing.assert_array_equal(validation, np.maximum(run.val_losses, 1e-6))
    assert validation[-1] > 2 * validation.min() and run.history.final_loss < run.history.losses[100]


def test_07_each_suggested_view_runs_and_shows_what_the_text_says():
    namespace = page("07_activations_and_depth")
    view, epochs, record_every = namespace["view"], namespace["epochs"], namespace["record_every"]
    for activation in ("sigmoid", "tanh", "relu"):  # spiral, 4 hidden layers: switch between the three
        view.set(data_set="spiral", activation=activation, depth=4, epoch=epochs)
        assert not view.diverged and view.description.startswith(f"spiral, {activation}, 4 hidden layers")
    test_accuracy = {}
    for depth in (1, 4):  # circles, sigmoid: 1 hidden layer against 4
        view.set(data_set="circles", activation="sigmoid", depth=depth, epoch=epochs)
        test_accuracy[depth] = float(view.description.split(" and ")[-1].split(" of the test points")[0])
    assert test_accuracy[1] > 0.95 and test_accuracy[4] < 0.6, test_accuracy
    for data_set, activation in (("two_moons", "sigmoid"), ("spiral", "relu"), ("spiral", "tanh")):
        for epoch in range(0, epochs + 1, record_every):  # follow the loss curve, drag the epoch slider from 0
            view.set(data_set=data_set, activation=activation, depth=4, epoch=epoch)
            assert not view.diverged and f"epoch {epoch}:" in view.description


def _08_valley_with(curvature):
    """Notebook 08's code cells with CURVATURE changed, from the valley to the live view (claims left out)."""
    cells = json.loads((ROOT / "notebooks" / "08_optimisers.ipynb").read_text(encoding="utf-8"))["cells"]
    namespace = {}
    with contextlib.redirect_stdout(io.StringIO()):
        for cell in cells:
            tags = set(cell["metadata"].get("tags", []))
            if cell["cell_type"] != "code" or tags & (LEFT_OUT | {"claims"}):
                continue
            source = "".join(cell["source"])
            if "valley_view" in namespace and "valley_view" not in source:
                break  # past the live view: the valley's part of the page has run
            old = "CURVATURE = np.array([1.0, 40.0])"
            exec(source.replace(old, f"CURVATURE = np.array({curvature!r})") if old in source else source, namespace)
    return namespace


def test_08_a_narrower_valley_runs_from_the_paths_to_the_live_view():
    namespace = _08_valley_with([1.0, 400.0])
    assert list(namespace["CURVATURE"]) == [1.0, 400.0]
    assert set(namespace["paths"]) == {"gd", "momentum", "rmsprop", "adam"}
    assert namespace["tuned"]["gd"] < 2 / 400  # the sweep found a rate below the narrower valley's limit
    settled_at = namespace["settled_at"]  # gradient descent settles at no rate within 100 steps; these two do
    assert all(steps is None for steps in settled_at["gd"])
    assert all(any(steps is not None for steps in settled_at[name]) for name in ("rmsprop", "adam"))
    view = namespace["valley_view"]
    for optimizer in ("gd", "momentum", "rmsprop", "adam"):
        view.set(optimizer=optimizer)
        assert not view.diverged


def test_08_gd_above_two_fortieths_zigzags_out_of_the_picture():
    namespace = page("08_optimisers")
    view, path_line, ax_path = namespace["valley_view"], namespace["path_line"], namespace["ax_path"]
    view.set(optimizer="gd", learning_rate=0.046, steps=100)
    assert "below 0.001 for good from step" in view.description
    view.set(learning_rate=0.068)
    assert not view.diverged and "diverges" in view.description  # the picture stays, with the path on it
    w2 = np.asarray(path_line.get_ydata())
    assert len(w2) > 3 and np.all(np.abs(w2[1:]) > np.abs(w2[:-1])) and np.abs(w2).max() > ax_path.get_ylim()[1]
    assert np.all(np.sign(w2[1:]) != np.sign(w2[:-1]))  # a zigzag: across the valley floor at each step


def test_08_the_other_suggested_valley_settings_run():
    namespace = page("08_optimisers")
    view, path_line = namespace["valley_view"], namespace["path_line"]
    view.set(optimizer="gd", learning_rate=0.001, steps=200)
    assert "ends at w = (" in view.description
    view.set(optimizer="momentum", learning_rate=0.022, beta=0.0, steps=100)
    zero_beta = np.array(path_line.get_xydata())
    view.set(optimizer="gd")
    np.testing.assert_allclose(np.array(path_line.get_xydata()), zero_beta)  # beta = 0 is gradient descent
    view.set(optimizer="momentum", beta=0.99)
    assert np.asarray(path_line.get_xdata()).max() > 0.5  # rolls far past the minimum along w1
    view.set(optimizer="adam", learning_rate=0.68)
    assert not view.diverged and "adam at learning rate 0.68" in view.description


def test_08_only_the_sliders_that_act_are_shown():
    namespace = page("08_optimisers")
    view, controls = namespace["valley_view"], namespace["valley_controls"]
    acts_on = {"gd": set(), "momentum": {"beta"}, "rmsprop": {"rho"}, "adam": {"beta1", "beta2"}}
    for optimizer, acting in acts_on.items():
        view.set(optimizer=optimizer)
        shown = {name for name in ("beta", "rho", "beta1", "beta2") if controls[name].layout.display != "none"}
        assert shown == acting, optimizer


def test_08_each_batch_size_fills_its_loss_axis():
    namespace = page("08_optimisers")
    view, ax_updates, runs = namespace["sgd_view"], namespace["ax_updates"], namespace["sgd_runs"]
    for batch_size in (1, 300):  # the suggested pair
        view.set(batch_size=batch_size)
        history, bottom = runs[batch_size], ax_updates.get_ylim()[0]
        smallest = min(history.update_losses.min(), history.losses.min())
        assert bottom <= smallest < 10 * bottom, (batch_size, bottom, smallest)


def test_08_single_examples_fall_smoothly_the_whole_set_jumps_and_one_example_dips_below():
    namespace = page("08_optimisers")
    view, runs = namespace["sgd_view"], namespace["sgd_runs"]
    for batch_size in (1, 300):
        view.set(batch_size=batch_size)
        assert not view.diverged
    assert np.diff(runs[1].losses).max() < 0.01 < 1 < np.diff(runs[300].losses).max()
    assert runs[1].update_losses.min() < runs[1].losses.min() / 100  # single examples far below the whole set


def test_06_a_zero_input_silences_its_weight_and_a_far_weight_saturates():
    namespace = page("06_computational_graph")
    live, view = namespace["live"], namespace["neuron_view"]

    def node(label):
        return next(node for node in view.nodes if node.label == label)

    live.set(**namespace["start_values"])
    start = {label: node(label).gradient for label in ("a", "z", "w1")}
    live.set(x1=0.0)  # "set x1 = 0 and watch dL/dw1 become 0"
    assert node("w1").gradient == 0.0 and "∂L/∂w1 = +0.0000" in live.description
    live.set(w1=-3.0)  # with x1 still 0, w1 does not reach z: z stays at -0.5, dL/dw1 at 0
    assert abs(node("z").value + 0.5) < 1e-12 and node("w1").gradient == 0.0
    live.set(x1=1.0)  # "put x1 back to 1 and set w1 = -3": z far below zero, a confidently wrong
    assert node("z").value < -3.0 and node("a").value < 0.05
    assert abs(node("a").gradient) > abs(start["a"])  # a stronger pull on a ...
    assert abs(node("z").gradient) < abs(start["z"])  # ... a weaker one below σ
    assert abs(node("w1").gradient) < abs(start["w1"])


def test_09_two_layers_of_eight_learn_the_spiral_and_relu_at_046_leaves_it():
    from helpers.network import accuracy, predict

    playground, run = _09_view(dataset="spiral", hidden="8-8", activation="tanh", optimizer="adam", learning_rate=0.1)
    assert _09_validation_accuracy(run) >= 0.99
    playground.set(epoch=0)
    assert accuracy(run.history.network_at(0), run.X_val, run.y_val) < 0.8
    _, dying = _09_view(hidden="16-16", activation="relu", learning_rate=0.46)
    # "the boundary leaves the spiral altogether": one output on every point of the data, half of them right.
    assert _09_validation_accuracy(dying) == 0.5
    assert np.ptp(predict(dying.history.final_network, dying.X)) < 1e-3
