"""The playground's configurations: their data (training, validation and test draws), one configuration's
training (two classes or three), all rates at once."""

import numpy as np
import pytest

import helpers
from helpers import configurations
from helpers.configurations import PLAYGROUND_DATASETS, train_configuration
from helpers.network import accuracy

SHORT = {"epochs": 30, "record_every": 10}


@pytest.mark.parametrize("dataset", list(PLAYGROUND_DATASETS))
def test_data_are_three_draws_of_the_same_set(dataset):
    X, y, X_val, y_val, X_test, y_test = configurations.playground_data(dataset, n=50)
    classes = configurations.classes_of(dataset)
    assert X.shape == X_val.shape == X_test.shape == (50, 2)
    assert y.shape == y_val.shape == y_test.shape == (50, 1 if classes == 2 else classes)
    name, options = PLAYGROUND_DATASETS[dataset]
    for seed, (X_drawn, y_drawn) in enumerate([(X, y), (X_val, y_val), (X_test, y_test)]):
        expected_X, expected_y = helpers.make_dataset(name, n=50, seed=seed, **options)
        np.testing.assert_array_equal(X_drawn, expected_X)
        np.testing.assert_array_equal(y_drawn, expected_y)
    assert not np.array_equal(X, X_val) and not np.array_equal(X_val, X_test)


def test_the_three_arms_are_the_only_set_of_three_classes():
    assert {name: configurations.classes_of(name) for name in PLAYGROUND_DATASETS} == {
        "xor": 2,
        "moons": 2,
        "circles": 2,
        "spiral": 2,
        "3 arms": 3,
    }


def test_train_configuration_is_train_with_the_presets_settings():
    run = train_configuration("moons", "8-8", "relu", "momentum", 0.1, **SHORT)
    X, y = configurations.playground_data("moons")[:2]
    network = helpers.init_network([2, 8, 8, 1], activation="relu", seed=0, weight_scale=np.sqrt(2.0))
    expected = helpers.train(network, X, y, 0.1, epochs=30, loss="cross_entropy", record_every=10, optimizer="momentum")
    np.testing.assert_array_equal(run.history.losses, expected.losses)
    assert run.history.final_network.layer_sizes == [2, 8, 8, 1]
    np.testing.assert_array_equal(run.history.snapshot_epochs, [0, 10, 20, 30])
    # Validation losses: an independent cross-entropy of each snapshot on the validation points.
    for epoch, val_loss in zip(run.history.snapshot_epochs, run.val_losses):
        a = helpers.predict(run.history.network_at(int(epoch)), run.X_val)
        want = -np.mean(run.y_val * np.log(a) + (1 - run.y_val) * np.log(1 - a))
        assert val_loss == pytest.approx(want, rel=1e-10)


def test_the_three_arms_train_a_softmax_output_with_and_without_weight_decay():
    for weight_decay in (0.0, 0.01):
        run = train_configuration("3 arms", "8", "tanh", "adam", 0.1, **SHORT, weight_decay=weight_decay)
        X, y = configurations.playground_data("3 arms")[:2]
        network = helpers.init_network([2, 8, 3], "tanh", "softmax", seed=0)
        expected = helpers.train(
            network, X, y, 0.1, 30, "cross_entropy", 10, optimizer="adam", weight_decay=weight_decay
        )
        np.testing.assert_array_equal(run.history.losses, expected.losses)
        assert run.history.activations == ("tanh", "softmax")
        for epoch, val_loss in zip(run.history.snapshot_epochs, run.val_losses):
            p = helpers.predict(run.history.network_at(int(epoch)), run.X_val)
            assert val_loss == pytest.approx(-np.mean(np.sum(run.y_val * np.log(p), axis=1)), rel=1e-10)


@pytest.mark.parametrize("weight_decay", [0.0, 1e-3])
def test_train_grid_equals_train_configuration_for_each_rate(weight_decay):
    rates = [0.01, 0.1, 1.0]
    grid = configurations.train_grid("spiral", "4-4", "tanh", "adam", rates, **SHORT, weight_decay=weight_decay)
    assert list(grid) == rates
    for rate in rates:
        alone = train_configuration("spiral", "4-4", "tanh", "adam", rate, **SHORT, weight_decay=weight_decay)
        np.testing.assert_array_equal(grid[rate].history.losses, alone.history.losses)
        np.testing.assert_array_equal(grid[rate].val_losses, alone.val_losses)
        for name, values in alone.history.snapshots.items():
            np.testing.assert_array_equal(grid[rate].history.snapshots[name], values)
        np.testing.assert_array_equal(grid[rate].X_test, alone.X_test)


def test_a_confidently_wrong_start_still_learns_with_cross_entropy_on_logits():
    """spiral / "16-16" / relu / adam / 2.2: the first steps overshoot to outputs that are confidently
    wrong; cross-entropy on the logit keeps their gradient, so training recovers instead of sticking
    at a clipped loss with 50 % accuracy."""
    run = train_configuration("spiral", "16-16", "relu", "adam", 2.2)
    history = run.history
    assert not history.diverged and history.message is None
    assert history.losses.max() > 5 * history.losses[0]  # the overshoot happened
    assert history.final_loss < history.losses[0]  # and was learned back
    assert accuracy(history.final_network, run.X, run.y) > 0.7
    assert accuracy(history.final_network, run.X_val, run.y_val) > 0.7
