"""The playground view: controls, the looked-up runs, what each move redraws, the caption."""

import numpy as np
import pytest

import helpers
from helpers import configurations, playground
from helpers.configurations import HIDDEN_PRESETS, LEARNING_RATES, train_configuration
from helpers.network import accuracy
from helpers.playground import Playground

SHORT = {"epochs": 30, "record_every": 10}


@pytest.fixture
def trainings(monkeypatch):
    """Counts the trainings the playground starts: a configuration's whole grid, or one rate off it."""
    count = [0]

    def counting(function):
        def wrapper(*arguments, **options):
            count[0] += 1
            return function(*arguments, **options)

        return wrapper

    for name in ("train_grid", "train_configuration"):
        monkeypatch.setattr(configurations, name, counting(getattr(configurations, name)))
    return lambda: count[0]


@pytest.fixture(scope="module")
def small_playground():
    """A playground that trains 30 epochs per configuration, so building one costs little."""
    return Playground(dataset="xor", hidden="4", activation="tanh", optimizer="adam", learning_rate=0.1, **SHORT)


@pytest.mark.parametrize(
    ("arguments", "error", "message"),
    [
        ({"dataset": "moon"}, ValueError, "dataset must be one of"),
        ({"hidden": "3"}, ValueError, "hidden must be one of"),
        ({"activation": "softplus"}, ValueError, "activation must be one of"),
        ({"optimizer": "sgd"}, ValueError, "optimizer must be one of"),
        ({"learning_rate": 0}, ValueError, "learning_rate must be a positive finite number"),
        ({"learning_rate": "fast"}, TypeError, "learning_rate must be a positive finite number"),
    ],
)
def test_train_configuration_names_the_bad_argument(arguments, error, message):
    settings = {"dataset": "xor", "hidden": "4", "activation": "tanh", "optimizer": "gd", "learning_rate": 0.1}
    settings.update(arguments)
    with pytest.raises(error, match=message):
        train_configuration(**settings, **SHORT)
    with pytest.raises(error, match=message):
        Playground(**settings, **SHORT)


def test_epoch_moves_and_cached_settings_do_not_train(small_playground, trainings):
    pg = small_playground
    pg.set(dataset="xor", hidden="4", activation="tanh", optimizer="adam", learning_rate=0.1, epoch=30)
    before = trainings()
    for epoch in (0, 10, 20, 30):
        pg.set(epoch=epoch)
        assert f"epoch {epoch}:" in pg.live.caption.value
    assert trainings() == before
    pg.set(dataset="circles")
    assert trainings() == before + 1
    pg.set(dataset="xor")
    pg.set(dataset="circles")
    assert trainings() == before + 1


def test_learning_rate_moves_only_look_up(small_playground, trainings):
    pg = small_playground
    pg.set(dataset="moons", hidden="4", activation="relu", optimizer="momentum", learning_rate=0.1, epoch=30)
    before = trainings()
    for rate in LEARNING_RATES:
        pg.set(learning_rate=float(rate))
    assert trainings() == before
    assert set(pg.runs.kept[("moons", "4", "relu", "momentum")]) == set(LEARNING_RATES)
    # A rate off the slider's grid (only possible from code) is trained alone and kept.
    pg.runs.get("moons", "4", "relu", "momentum", 0.3)
    pg.runs.get("moons", "4", "relu", "momentum", 0.3)
    assert trainings() == before + 1


def test_the_caption_says_training_while_a_grid_trains(monkeypatch):
    pg = Playground(dataset="xor", hidden="4", activation="tanh", optimizer="gd", learning_rate=0.1, **SHORT)
    captions = []
    train_grid = configurations.train_grid

    def recording_train_grid(*arguments, **options):
        captions.append(pg.live.caption.value)
        return train_grid(*arguments, **options)

    monkeypatch.setattr(configurations, "train_grid", recording_train_grid)
    pg.set(dataset="circles")
    assert captions == ["<i>training circles, hidden 4, tanh, gd, all learning rates …</i>"]
    assert pg.live.caption.value.startswith("epoch 30:")


def test_the_view_shows_the_chosen_network(small_playground):
    pg = small_playground
    pg.set(dataset="spiral", hidden="8-8", activation="sigmoid", optimizer="rmsprop", learning_rate=0.022, epoch=20)
    run = pg.runs.get("spiral", "8-8", "sigmoid", "rmsprop", 0.022)
    network = run.history.network_at(20)
    # The boundary shows this network's output; its points are the spiral's training points.
    expected = helpers.predict(network, pg.boundary.grid).reshape(pg.boundary.values.shape)
    np.testing.assert_allclose(pg.boundary.values, expected)
    np.testing.assert_array_equal(pg.boundary.points.get_offsets(), run.X)
    # One picture per first-layer unit (8) in a 4 x 4 grid of tiles; the other eight stay white.
    r, step = playground.HIDDEN_RESOLUTION, playground.HIDDEN_RESOLUTION + playground.TILE_GAP
    tiles = pg.hidden_image.get_array()
    first_unit = helpers.sigmoid(pg.hidden_grid @ network.weights[0][:, :1] + network.biases[0][:, :1])
    expected_colours = playground.BOUNDARY_CMAP(first_unit.reshape(r, r)[::-1], bytes=True)
    np.testing.assert_array_equal(tiles[:r, :r], expected_colours)
    for unit in range(16):
        top, left = (step * index for index in divmod(unit, 4))
        blank = np.all(tiles[top : top + r, left : left + r] == 255)
        assert blank == (unit >= 8), f"unit {unit}"
    assert f"{accuracy(network, run.X, run.y):.1%}" in pg.live.caption.value
    assert pg.loss_view.marker.get_xdata()[0] == 20


def test_the_three_arms_show_each_class_by_tint_and_marker(small_playground):
    pg = small_playground
    pg.set(dataset="3 arms", hidden="8", activation="tanh", optimizer="adam", learning_rate=0.1, epoch=30)
    run = pg.runs.get("3 arms", "8", "tanh", "adam", 0.1)
    network = run.history.network_at(30)
    assert not pg.boundary.image.get_visible() and not pg.boundary.points.get_visible()
    assert all(artist.get_visible() for artist in pg._classes_artists)
    # Each pixel mixes the classes' tints by the network's probabilities there.
    r = pg.boundary.resolution
    expected = (helpers.predict(network, pg.boundary.grid) @ playground.CLASS_TINTS).reshape(r, r, 3)
    np.testing.assert_allclose(pg.classes_image.get_array(), expected)
    labels = run.y.argmax(axis=1)
    for k, points in enumerate(pg.class_points):
        np.testing.assert_array_equal(points.get_offsets(), run.X[labels == k])
    assert len(set(playground.CLASS_MARKERS)) == 3 and len(set(playground.CLASS_COLOURS)) == 3
    assert len(pg.classes_borders.get_segments()) > 0
    val_right = accuracy(network, run.X_val, run.y_val)
    assert f"on the 200 validation points {val_right:.1%}" in pg.live.caption.value
    assert pg.live.description.startswith("Playground, 3 arms (3 classes), hidden layers 8, tanh, adam")
    assert f"{val_right:.1%} of the validation points right." in pg.live.description
    # Back to two classes: the two-class picture returns.
    pg.set(dataset="moons")
    assert pg.boundary.image.get_visible() and not any(artist.get_visible() for artist in pg._classes_artists)


def test_the_loss_panel_shows_validation_not_test(small_playground):
    pg = small_playground
    pg.set(dataset="circles", hidden="4", activation="tanh", optimizer="adam", learning_rate=0.1, epoch=30)
    run = pg.runs.get("circles", "4", "tanh", "adam", 0.1)
    np.testing.assert_array_equal(pg.val_line.get_ydata(), np.maximum(run.val_losses, playground.LOSS_RANGE[0]))
    assert "validation" in pg.loss_view.ax.get_ylabel() and "test" not in pg.loss_view.ax.get_ylabel()
    assert "test" not in pg.live.caption.value and "test" not in pg.live.description


def test_cache_keeps_the_latest_configurations():
    pg = Playground(dataset="xor", hidden="4", learning_rate=0.1, keep=2, **SHORT)
    for activation in ("relu", "sigmoid"):
        pg.set(activation=activation)
    kept = [key[2] for key in pg.runs.kept]
    assert kept == ["relu", "sigmoid"]
    assert all(len(runs) == len(LEARNING_RATES) for runs in pg.runs.kept.values())


def test_a_diverged_run_shows_its_message(small_playground):
    pg = small_playground
    # So large a rate makes the weights infinite after one step: the loss becomes NaN.
    with pytest.raises(helpers.TrainingDiverged, match="diverged at epoch"):
        pg._update(dataset="xor", hidden="4", activation="relu", optimizer="gd", learning_rate=1e300, epoch=30)


def test_presets_are_the_documented_layer_sizes():
    assert HIDDEN_PRESETS["8-8"] == (8, 8)
    assert all(max(sizes) <= playground.MAX_HIDDEN_PICTURES for sizes in HIDDEN_PRESETS.values())


def test_display_gives_the_sentence_that_describes_the_picture():
    pg = Playground(dataset="moons", hidden="4", activation="tanh", optimizer="gd", learning_rate=2.2, **SHORT)
    bundle = pg._repr_mimebundle_()
    run = pg.runs.get("moons", "4", "tanh", "gd", 2.2)
    network = run.history.final_network
    assert bundle["text/plain"] == (
        "playground (dataset='moons', hidden='4', activation='tanh', optimizer='gd', learning_rate=2.2, epoch=30)"
    )
    assert pg.live.description == (
        "Playground, moons (2 classes), hidden layers 4, tanh, gd, learning rate 2.2, epoch 30: loss on the "
        f"training points {run.history.losses[30]:.4f}, on the validation points {run.val_losses[-1]:.4f}; "
        f"{accuracy(network, run.X, run.y):.1%} of the 200 training points and "
        f"{accuracy(network, run.X_val, run.y_val):.1%} of the validation points right."
    )
    assert "<img" in bundle["text/html"] and "alt=" in bundle["text/html"]


def test_a_stuck_run_says_why_in_the_caption():
    """spiral / 16-16 / relu / adam at 2.2 learns only part of the spiral: the caption names the dead
    units and the loss's jump, which the accuracy alone does not explain."""
    pg = Playground(dataset="spiral", hidden="16-16", activation="relu", optimizer="adam", learning_rate=2.2)
    run = pg.runs.get("spiral", "16-16", "relu", "adam", 2.2)
    network = run.history.final_network
    dead = helpers.dead_units(network, run.X)
    assert sum(dead) > 0
    caption = pg.live.caption.value
    assert "Stuck?" in caption and "the loss jumped to" in caption
    assert max(dead) >= 8
    for layer, count in enumerate(dead, start=1):
        if count >= 8:
            assert f"{count} of 16 units of hidden layer {layer} output 0 on every training point" in caption
    # A run that learns well says nothing of the kind (a unit or two may be dead there too).
    pg.set(learning_rate=0.022)
    assert "Stuck?" not in pg.live.caption.value


# The checks of notebook 09's exercises: each slip a learner makes is named, the answer is not given.


def _verdict(check, answer, capsys):
    passed = check(answer)
    return passed, capsys.readouterr().out


def _decayed(gradients, network, weight_decay, layers=None):
    # The gradients of L + (lambda / 2) * the sum of the squared weights of `layers` (all layers if None).
    decayed = dict(gradients)
    for layer, w in enumerate(network.weights, start=1):
        if layers is None or layer in layers:
            decayed[f"W{layer}"] = gradients[f"W{layer}"] + weight_decay * w
    return decayed


@pytest.mark.parametrize(
    ("answer", "named"),
    [
        (lambda g, net, lam: _decayed(g, net, lam), None),
        (lambda g, net, lam: dict(g), "the gradients returned as they were"),
        (lambda g, net, lam: _decayed(g, net, lam, layers={1}), "only the first layer's weights decayed"),
        (lambda g, net, lam: _decayed(g, net, lam, layers={len(net.weights)}), "only the last layer's weights"),
        (lambda g, net, lam: _decayed(g, net, lam / 2), "lambda / 2 * W added"),
    ],
)
def test_weight_decay_check_names_each_slip(answer, named, capsys):
    from helpers.checks import playground as check

    passed, said = _verdict(check.with_weight_decay, answer, capsys)
    assert passed == (named is None)
    assert said.startswith("✓") if named is None else named in said, said


def _early_stopping(losses, patience, resets_on_any_fall=False, count_all=False):
    best, since = 0, 0
    for index in range(1, len(losses)):
        if losses[index] < losses[best]:
            best, since = index, (since if count_all else 0)
        elif resets_on_any_fall and losses[index] < losses[index - 1]:
            since = 0
        else:
            since += 1
            if since == patience:
                break
    return best


@pytest.mark.parametrize(
    ("answer", "named"),
    [
        (_early_stopping, None),
        (lambda v, p: _early_stopping(v, p, resets_on_any_fall=True), "a fall that stays above the lowest loss"),
        (lambda v, p: _early_stopping(v, p, count_all=True), "counting the records without progress since the start"),
        (lambda v, p: int(np.argmin(v)), "the lowest loss of the whole curve"),
    ],
)
def test_early_stopping_check_names_each_slip(answer, named, capsys):
    from helpers.checks import playground as check

    passed, said = _verdict(check.early_stopping, answer, capsys)
    assert passed == (named is None)
    assert said.startswith("✓") if named is None else named in said, said


@pytest.mark.parametrize(
    ("change", "named"),
    [
        ({"optimizer": "adam"}, "✓ three arms"),
        ({"learning_rate": 2.2}, "its steps are too large for this network"),
        ({"hidden": "4"}, "Is the network too small to bend three borders, or does it learn too slowly"),
        ({"learning_rate": 0.1}, "it has not finished learning the arms"),
    ],
)
def test_three_arms_check_says_what_kind_of_failure(change, named, capsys):
    from helpers.checks import playground as check

    passed, said = _verdict(check.three_arms, {**check.STUCK, **change}, capsys)
    assert passed == named.startswith("✓")
    assert named in said, said
    assert "adam" not in said or passed  # a failing verdict does not name the setting that would pass
