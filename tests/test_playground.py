"""The playground: its data, one configuration's training, the cache, and the live view's updates."""

import numpy as np
import pytest

import helpers
from helpers import playground
from helpers.playground import HIDDEN_PRESETS, PLAYGROUND_DATASETS, Playground, accuracy, train_configuration

SHORT = {"epochs": 30, "record_every": 10}


@pytest.fixture(scope="module")
def small_playground():
    """A playground that trains 30 epochs per configuration, so building one costs little."""
    return Playground(dataset="xor", hidden="4", activation="tanh", optimizer="adam", learning_rate=0.1, **SHORT)


@pytest.mark.parametrize("dataset", list(PLAYGROUND_DATASETS))
def test_data_are_two_draws_of_the_same_set(dataset):
    X, y, X_test, y_test = playground.playground_data(dataset, n=50)
    assert X.shape == X_test.shape == (50, 2) and y.shape == y_test.shape == (50, 1)
    name, options = PLAYGROUND_DATASETS[dataset]
    expected_X, expected_y = helpers.make_dataset(name, n=50, seed=0, **options)
    np.testing.assert_array_equal(X, expected_X)
    np.testing.assert_array_equal(y, expected_y)
    assert not np.array_equal(X, X_test)


def test_accuracy_counts_outputs_on_the_right_side_of_one_half():
    # One sigmoid neuron computing x1 - x2: output > 0.5 exactly where x1 > x2.
    network = helpers.Network([np.array([[1.0], [-1.0]])], [np.zeros((1, 1))], ("sigmoid",))
    X = np.array([[1.0, 0.0], [0.0, 1.0], [2.0, 1.0], [0.0, 3.0]])
    y = np.array([[1.0], [1.0], [1.0], [0.0]])
    assert accuracy(network, X, y) == 0.75
    with pytest.raises(TypeError, match="network must be a Network"):
        accuracy("net", X, y)


def test_train_configuration_is_train_with_the_presets_settings():
    run = train_configuration("moons", "8-8", "relu", "momentum", 0.1, **SHORT)
    X, y, _, _ = playground.playground_data("moons")
    network = helpers.init_network([2, 8, 8, 1], activation="relu", seed=0, weight_scale=np.sqrt(2.0))
    expected = helpers.train(network, X, y, 0.1, epochs=30, loss="cross_entropy", record_every=10, optimizer="momentum")
    np.testing.assert_array_equal(run.history.losses, expected.losses)
    assert run.history.final_network.layer_sizes == [2, 8, 8, 1]
    np.testing.assert_array_equal(run.history.snapshot_epochs, [0, 10, 20, 30])
    # Test losses: an independent cross-entropy of each snapshot on the test points.
    for epoch, test_loss in zip(run.history.snapshot_epochs, run.test_losses):
        a = helpers.predict(run.history.network_at(int(epoch)), run.X_test)
        want = -np.mean(run.y_test * np.log(a) + (1 - run.y_test) * np.log(1 - a))
        assert test_loss == pytest.approx(want, rel=1e-10)


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


def test_epoch_moves_and_cached_settings_do_not_train(small_playground):
    pg = small_playground
    pg.set(dataset="xor", hidden="4", activation="tanh", optimizer="adam", learning_rate=0.1, epoch=30)
    trainings = pg.trainings
    for epoch in (0, 10, 20, 30):
        pg.set(epoch=epoch)
        assert f"epoch {epoch}:" in pg.live.caption.value
    assert pg.trainings == trainings
    pg.set(dataset="circles")
    assert pg.trainings == trainings + 1
    pg.set(dataset="xor")
    pg.set(dataset="circles")
    assert pg.trainings == trainings + 1


def test_learning_rate_moves_only_look_up(small_playground):
    pg = small_playground
    pg.set(dataset="moons", hidden="4", activation="relu", optimizer="momentum", learning_rate=0.1, epoch=30)
    trainings = pg.trainings
    for rate in playground.LEARNING_RATES:
        pg.set(learning_rate=float(rate))
    assert pg.trainings == trainings
    assert set(pg.runs[("moons", "4", "relu", "momentum")]) == set(playground.LEARNING_RATES)
    # A rate off the slider's grid (only possible from code) is trained alone and kept.
    pg.run("moons", "4", "relu", "momentum", 0.3)
    pg.run("moons", "4", "relu", "momentum", 0.3)
    assert pg.trainings == trainings + 1


def test_the_caption_says_training_while_a_grid_trains(monkeypatch):
    pg = Playground(dataset="xor", hidden="4", activation="tanh", optimizer="gd", learning_rate=0.1, **SHORT)
    captions = []
    train_grid = playground.train_grid

    def recording_train_grid(*arguments, **options):
        captions.append(pg.live.caption.value)
        return train_grid(*arguments, **options)

    monkeypatch.setattr(playground, "train_grid", recording_train_grid)
    pg.set(dataset="circles")
    assert captions == ["<i>training circles, hidden 4, tanh, gd, all learning rates …</i>"]
    assert pg.live.caption.value.startswith("epoch 30:")


def test_train_grid_equals_train_configuration_for_each_rate():
    rates = [0.01, 0.1, 1.0]
    grid = playground.train_grid("spiral", "4-4", "tanh", "adam", rates, **SHORT)
    assert list(grid) == rates
    for rate in rates:
        alone = train_configuration("spiral", "4-4", "tanh", "adam", rate, **SHORT)
        np.testing.assert_array_equal(grid[rate].history.losses, alone.history.losses)
        np.testing.assert_array_equal(grid[rate].test_losses, alone.test_losses)
        for name, values in alone.history.snapshots.items():
            np.testing.assert_array_equal(grid[rate].history.snapshots[name], values)
        np.testing.assert_array_equal(grid[rate].X_test, alone.X_test)


def test_the_view_shows_the_chosen_network(small_playground):
    pg = small_playground
    pg.set(dataset="spiral", hidden="8-8", activation="sigmoid", optimizer="rmsprop", learning_rate=0.022, epoch=20)
    run = pg.run("spiral", "8-8", "sigmoid", "rmsprop", 0.022)
    network = run.history.network_at(20)
    # The boundary shows this network's output; its points are the spiral's training points.
    expected = helpers.predict(network, pg.boundary.grid).reshape(pg.boundary.values.shape)
    np.testing.assert_allclose(pg.boundary.values, expected)
    np.testing.assert_array_equal(pg.boundary.points.get_offsets(), run.X)
    # One picture per first-layer unit (8) in a 4 x 4 grid of tiles; the other eight stay white.
    r, step = playground.HIDDEN_RESOLUTION, playground.HIDDEN_RESOLUTION + playground._TILE_GAP
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


def test_cache_keeps_the_latest_configurations():
    pg = Playground(dataset="xor", hidden="4", learning_rate=0.1, keep=2, **SHORT)
    for activation in ("relu", "sigmoid"):
        pg.set(activation=activation)
    kept = [key[2] for key in pg.runs]
    assert kept == ["relu", "sigmoid"]
    assert all(len(runs) == len(playground.LEARNING_RATES) for runs in pg.runs.values())


def test_a_diverged_run_shows_its_message(small_playground):
    pg = small_playground
    # So large a rate makes the weights infinite after one step: the loss becomes NaN.
    with pytest.raises(helpers.TrainingDiverged, match="diverged at epoch"):
        pg._update(dataset="xor", hidden="4", activation="relu", optimizer="gd", learning_rate=1e300, epoch=30)


def test_presets_are_the_documented_layer_sizes():
    assert HIDDEN_PRESETS["8-8"] == (8, 8)
    assert all(max(sizes) <= playground.MAX_HIDDEN_PICTURES for sizes in HIDDEN_PRESETS.values())


def test_display_gives_stable_text():
    pg = Playground(dataset="moons", hidden="4", activation="tanh", optimizer="gd", learning_rate=2.2, **SHORT)
    bundle = pg._repr_mimebundle_()
    assert bundle["text/plain"] == (
        "playground (dataset='moons', hidden='4', activation='tanh', optimizer='gd', learning_rate=2.2, epoch=30)"
    )
    assert "image/png" in bundle


def test_check_configuration_trains_the_answer(capsys):
    good = {"hidden": "8", "activation": "tanh", "optimizer": "adam", "learning_rate": 0.046}
    assert playground.check_configuration("ex", good, "circles", 0.95)
    run = train_configuration("circles", **good)
    reached = accuracy(run.history.final_network, run.X_test, run.y_test)
    assert f"Test accuracy {reached:.1%}" in capsys.readouterr().out
    assert not playground.check_configuration("ex", good, "circles", 1.01)
    assert "not yet" in capsys.readouterr().out


@pytest.mark.parametrize(
    ("answer", "printed"),
    [
        (None, "not answered yet"),
        ({"hidden": "8"}, "expected a dict with the keys"),
        ({"hidden": "8", "activation": "tanh", "optimizer": "adam", "learning_rate": 0.1}, "asks for optimizer 'gd'"),
        ({"hidden": "5", "activation": "tanh", "optimizer": "gd", "learning_rate": 0.1}, "hidden must be one of"),
        ({"hidden": "8", "activation": "tanh", "optimizer": "gd", "learning_rate": -1}, "learning_rate must be"),
    ],
)
def test_check_configuration_explains_what_is_wrong(answer, printed, capsys):
    assert not playground.check_configuration("ex", answer, "xor", 0.9, optimizer="gd")
    assert printed in capsys.readouterr().out


def test_accuracy_checks_its_inputs():
    network = helpers.init_network([2, 4, 1], seed=0)
    with pytest.raises(ValueError, match="X must have 2 columns"):
        accuracy(network, np.zeros((3, 3)), np.zeros((3, 1)))
    with pytest.raises(ValueError, match="y must have one row per row of X"):
        accuracy(network, np.zeros((3, 2)), np.zeros((2, 1)))
