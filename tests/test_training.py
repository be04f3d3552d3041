"""Training: what the course claims it learns, determinism, train_many, divergence, History."""

import re
import warnings
from pathlib import Path

import numpy as np
import pytest

import helpers
from helpers import TrainingDiverged

# [2, 4, 1] sigmoid on XOR: lr * epochs is what matters at these rates (lr 0.5 x 10000 epochs ends
# within 0.01 of lr 5 x 1000), and 1000 epochs keep the ten-seed test well under a second.
XOR_RATE, XOR_EPOCHS = 5.0, 1000


def margins(predictions, y):
    """How far each prediction is on the right side of 0.5 (negative: wrong side)."""
    return np.where(y == 1.0, predictions - 0.5, 0.5 - predictions).ravel()


def test_one_neuron_cannot_learn_xor(xor_data, neuron):
    X, y = xor_data
    history = helpers.train(neuron, X, y, learning_rate=1.0, epochs=2000)
    assert np.all(np.abs(history.predictions - 0.5) < 0.05)
    assert history.final_loss == pytest.approx(0.25, abs=1e-3)
    assert not history.diverged


@pytest.mark.parametrize("gate", ["and", "or"])
def test_one_neuron_learns_and_and_or(gate, neuron):
    X, y = helpers.logic_gate(gate)
    history = helpers.train(neuron, X, y, learning_rate=2.0, epochs=1000)
    np.testing.assert_array_equal(history.predictions > 0.5, y == 1.0)


def test_hidden_layer_learns_xor_with_the_default_seed(xor_data):
    X, y = xor_data
    history = helpers.train(helpers.init_network([2, 4, 1]), X, y, XOR_RATE, XOR_EPOCHS)
    assert margins(history.predictions, y).min() >= 0.4


def test_hidden_layer_learns_xor_for_nine_of_ten_seeds(xor_data):
    X, y = xor_data
    learned = []
    for seed in range(10):
        history = helpers.train(helpers.init_network([2, 4, 1], seed=seed), X, y, XOR_RATE, XOR_EPOCHS)
        learned.append(bool(margins(history.predictions, y).min() >= 0.4))
    assert sum(learned) >= 9, learned


def test_same_seed_gives_a_bit_identical_history(xor_data):
    X, y = xor_data
    runs = [helpers.train(helpers.init_network([2, 3, 1], seed=5), X, y, 1.0, 200, record_every=10) for _ in range(2)]
    first, second = runs
    np.testing.assert_array_equal(first.losses, second.losses)
    np.testing.assert_array_equal(first.snapshot_epochs, second.snapshot_epochs)
    assert list(first.snapshots) == list(second.snapshots)
    for name in first.snapshots:
        np.testing.assert_array_equal(first.snapshots[name], second.snapshots[name])
    np.testing.assert_array_equal(first.predictions, second.predictions)


def test_helpers_use_no_global_random_state():
    # Only np.random.default_rng (a local generator) may appear; np.random.seed/rand/normal/... share state.
    source_dir = Path(helpers.__file__).parent
    for path in sorted(source_dir.glob("*.py")):
        text = path.read_text()
        uses = set(re.findall(r"np\.random\.(\w+)", text))
        assert uses <= {"default_rng", "Generator"}, f"{path.name} uses np.random.{sorted(uses)}"
        assert not re.search(r"^\s*(import random|from random import)", text, re.MULTILINE), path.name


def test_history_losses_are_the_loss_of_each_snapshot(xor_data, small_net):
    X, y = xor_data
    history = helpers.train(small_net, X, y, 0.5, 20)
    assert history.losses.shape == (21,)
    np.testing.assert_array_equal(history.snapshot_epochs, np.arange(21))
    assert history.snapshots["W1"].shape == (21, 2, 4)
    assert history.snapshots["b2"].shape == (21, 1, 1)
    for epoch in (0, 7, 20):
        expected = helpers.loss_value(history.network_at(epoch), X, y)
        assert history.losses[epoch] == pytest.approx(expected, rel=1e-14)
    np.testing.assert_array_equal(history.predictions, helpers.predict(history.final_network, X))
    assert history.predictions.shape == (4, 1)


def test_changing_a_looked_up_network_leaves_the_history_alone(xor_data, small_net):
    X, y = xor_data
    history = helpers.train(small_net, X, y, 0.5, 10)
    looked_up = history.network_at(10)
    looked_up.weights[0][:] = 0.0
    assert np.any(history.network_at(10).weights[0] != 0.0)
    assert np.any(history.snapshots["W1"][-1] != 0.0)


def test_one_epoch_of_train_is_one_gradient_step(xor_data, small_net):
    X, y = xor_data
    history = helpers.train(small_net, X, y, 0.7, epochs=1)
    stepped = helpers.gradient_step(small_net, helpers.backward(small_net, X, y), 0.7)
    for name, p in stepped.parameters().items():
        np.testing.assert_allclose(history.final_network.parameters()[name], p, rtol=1e-15, atol=1e-17)


def test_train_leaves_the_starting_network_unchanged(xor_data, small_net):
    X, y = xor_data
    before = small_net.copy()
    helpers.train(small_net, X, y, 1.0, 50)
    for name, p in small_net.parameters().items():
        np.testing.assert_array_equal(p, before.parameters()[name])


def test_zero_epochs_keeps_the_start(xor_data, small_net):
    X, y = xor_data
    history = helpers.train(small_net, X, y, 1.0, 0)
    assert history.losses.shape == (1,)
    np.testing.assert_array_equal(history.final_network.weights[0], small_net.weights[0])


@pytest.mark.parametrize("loss", ["mse", "cross_entropy"])
@pytest.mark.parametrize("optimizer", ["gd", "momentum", "rmsprop", "adam"])
def test_train_many_members_equal_train_alone(xor_data, small_net, optimizer, loss):
    X, y = xor_data
    rates = [0.05, 0.3, 1.0]
    many = helpers.train_many(small_net, X, y, rates, epochs=150, record_every=20, optimizer=optimizer, loss=loss)
    assert len(many) == 3
    for rate, member in zip(rates, many):
        alone = helpers.train(small_net, X, y, rate, 150, record_every=20, optimizer=optimizer, loss=loss)
        assert member.learning_rate == rate == alone.learning_rate
        np.testing.assert_allclose(member.losses, alone.losses, rtol=1e-12, atol=1e-15)
        np.testing.assert_array_equal(member.snapshot_epochs, alone.snapshot_epochs)
        for name in alone.snapshots:
            np.testing.assert_allclose(member.snapshots[name], alone.snapshots[name], rtol=1e-12, atol=1e-15)
        np.testing.assert_allclose(member.predictions, alone.predictions, rtol=1e-12, atol=1e-15)


def diverging_run():
    """relu hidden layer + identity output + MSE at a huge rate: weights blow up to inf, then NaN."""
    X, y = helpers.xor()
    net = helpers.init_network([2, 4, 1], activation="relu", output_activation="identity", seed=0)
    return net, X, y


def test_a_huge_rate_diverges_and_stops_with_a_readable_history():
    net, X, y = diverging_run()
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        history = helpers.train(net, X, y, learning_rate=50.0, epochs=500, record_every=3)
    assert history.diverged
    stop = history.diverged_at
    assert isinstance(stop, int) and 1 <= stop <= 500
    assert history.message == (
        f"Training diverged at epoch {stop}: the mse loss became NaN or infinite with learning_rate=50: "
        "the learning rate is too large. Try a smaller learning rate."
    )
    # Every kept loss is finite, one per epoch before the stop.
    assert history.losses.shape == (stop,)
    assert np.all(np.isfinite(history.losses))
    assert history.epochs == stop - 1
    assert np.all(history.snapshot_epochs < stop)
    last = history.network_at(history.epochs)
    assert all(np.all(np.isfinite(p)) for p in last.parameters().values())
    np.testing.assert_array_equal(history.network_at(0).weights[0], net.weights[0])
    assert np.all(np.isfinite(history.predictions))
    with pytest.raises(TrainingDiverged, match=f"diverged at epoch {stop}"):
        history.require_converged()
    with pytest.raises(ValueError, match="epoch"):
        history.network_at(stop)


def test_in_a_stack_only_the_diverging_member_stops():
    net, X, y = diverging_run()
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        small, huge = helpers.train_many(net, X, y, [0.01, 50.0], epochs=300)
    assert huge.diverged and not small.diverged
    assert small.losses.shape == (301,)
    alone = helpers.train(net, X, y, 0.01, 300)
    np.testing.assert_allclose(small.losses, alone.losses, rtol=1e-12)
    assert small.require_converged() is small


def test_a_network_that_starts_at_an_infinite_loss_is_refused(xor_data):
    X, y = xor_data
    net = helpers.init_network([2, 1], output_activation="identity", weight_scale=1e300)
    with pytest.raises(ValueError, match="network must start with a finite loss"):
        helpers.train(net, X, y, 0.1, 10)


def test_network_at_looks_up_the_latest_snapshot(xor_data, small_net):
    X, y = xor_data
    sparse = helpers.train(small_net, X, y, 0.5, 50, record_every=7)
    dense = helpers.train(small_net, X, y, 0.5, 50, record_every=1)
    np.testing.assert_array_equal(sparse.snapshot_epochs, [0, 7, 14, 21, 28, 35, 42, 49, 50])
    for epoch, kept in [(0, 0), (6, 0), (7, 7), (10, 7), (48, 42), (49, 49), (50, 50)]:
        np.testing.assert_array_equal(sparse.network_at(epoch).weights[1], dense.network_at(kept).weights[1])
    # A snapshot is the network after exactly that many updates.
    seven = helpers.train(small_net, X, y, 0.5, 7).final_network
    np.testing.assert_allclose(sparse.network_at(7).weights[0], seven.weights[0], rtol=1e-15)
    np.testing.assert_array_equal(sparse.final_network.weights[0], dense.final_network.weights[0])
    assert sparse.losses.shape == (51,)
    with pytest.raises(ValueError, match=r"epoch must be between 0 and 50, got 51"):
        sparse.network_at(51)
    with pytest.raises(ValueError, match="epoch"):
        sparse.network_at(-1)
    with pytest.raises(TypeError, match="epoch"):
        sparse.network_at(2.5)


def test_every_optimizer_lowers_the_loss(xor_data, small_net):
    X, y = xor_data
    for optimizer, rate in [("gd", 1.0), ("momentum", 0.3), ("rmsprop", 0.01), ("adam", 0.01)]:
        history = helpers.train(small_net, X, y, rate, 300, optimizer=optimizer)
        assert history.final_loss < history.losses[0], optimizer


def test_cross_entropy_training(xor_data):
    X, y = xor_data
    history = helpers.train(helpers.init_network([2, 4, 1]), X, y, 1.0, 1000, loss="cross_entropy")
    assert margins(history.predictions, y).min() >= 0.4


# Mini-batches --------------------------------------------------------------------------------------


def moons(n=40):
    X, y = helpers.make_dataset("two_moons", n=n, seed=3)
    return helpers.init_network([2, 5, 1], activation="tanh", seed=1), X, y


def test_mini_batches_with_the_same_seed_give_the_same_run_and_another_seed_another():
    net, X, y = moons()
    first = helpers.train(net, X, y, 0.3, 20, batch_size=7, seed=5)
    again = helpers.train(net, X, y, 0.3, 20, batch_size=7, seed=5)
    other = helpers.train(net, X, y, 0.3, 20, batch_size=7, seed=6)
    np.testing.assert_array_equal(first.losses, again.losses)
    np.testing.assert_array_equal(first.update_losses, again.update_losses)
    assert not np.array_equal(first.losses, other.losses)
    # One full-data loss per epoch as before, and one loss per update: ceil(40 / 7) = 6 updates an epoch.
    assert first.losses.shape == (21,) and first.update_losses.shape == (20 * 6,)
    assert helpers.train(net, X, y, 0.3, 20).update_losses is None


def test_one_batch_of_every_row_is_full_batch_training():
    net, X, y = moons()
    full = helpers.train(net, X, y, 0.3, 50, optimizer="adam")
    batched = helpers.train(net, X, y, 0.3, 50, optimizer="adam", batch_size=len(X), seed=9)
    # The rows come in a shuffled order, so sums differ only in rounding.
    np.testing.assert_allclose(batched.losses, full.losses, rtol=1e-12)
    np.testing.assert_allclose(batched.update_losses, full.losses[:-1], rtol=1e-12)
    for name, values in full.snapshots.items():
        np.testing.assert_allclose(batched.snapshots[name], values, rtol=1e-10, atol=1e-14)


@pytest.mark.parametrize("batch_size", [1, 4, 10])
def test_an_epoch_of_mini_batches_moves_by_the_full_gradient_times_the_batches_per_epoch(batch_size):
    """Each mini-batch gradient is a mean over its rows, so over an epoch that visits every row once
    they add up to (n / batch_size) times the full gradient. With a tiny rate the parameters hardly
    move within the epoch, so one epoch of plain descent moves them by -rate * (n / batch_size) * gradient."""
    net, X, y = moons(n=40)
    rate = 1e-7
    moved = helpers.train(net, X, y, rate, 1, batch_size=batch_size, seed=2).network_at(1).parameters()
    full = helpers.backward(net, X, y)
    for name, start in net.parameters().items():
        step = (start - moved[name]) / (rate * len(X) / batch_size)
        np.testing.assert_allclose(step, full[name], rtol=1e-4, atol=1e-9)


def test_the_mini_batch_gradients_of_one_shuffle_average_to_the_full_gradient():
    net, X, y = moons(n=40)
    order = np.random.default_rng(0).permutation(len(X))
    batches = [order[start : start + 8] for start in range(0, len(X), 8)]
    gradients = [helpers.backward(net, X[rows], y[rows]) for rows in batches]
    full = helpers.backward(net, X, y)
    for name in full:
        mean = np.mean([gradient[name] for gradient in gradients], axis=0)
        np.testing.assert_allclose(mean, full[name], rtol=1e-12, atol=1e-15)
        # while each single batch's gradient differs from it: the noise of stochastic descent
        assert not np.allclose(gradients[0][name], full[name], rtol=1e-3)


@pytest.mark.parametrize(
    ("batch_size", "error", "message"),
    [
        (0, ValueError, "batch_size must be an integer >= 1, got 0"),
        (-3, ValueError, "batch_size must be an integer >= 1"),
        (2.5, TypeError, "batch_size must be an integer >= 1, got 2.5"),
        ("8", TypeError, "batch_size must be an integer >= 1, got '8'"),
        (True, TypeError, "batch_size must be an integer >= 1, got True"),
        (41, ValueError, "batch_size must be None or at most the 40 rows of X, got 41"),
    ],
)
def test_bad_batch_sizes_are_refused(batch_size, error, message):
    net, X, y = moons()
    with pytest.raises(error, match=re.escape(message)):
        helpers.train(net, X, y, 0.1, 5, batch_size=batch_size)


@pytest.mark.parametrize(("seed", "error"), [(-1, ValueError), (1.5, TypeError), (None, TypeError)])
def test_bad_seeds_are_refused(seed, error):
    net, X, y = moons()
    with pytest.raises(error, match="seed must be an integer >= 0"):
        helpers.train(net, X, y, 0.1, 5, batch_size=4, seed=seed)


# A loss that stays finite but ends far above its start ---------------------------------------------


def test_a_loss_that_ends_far_above_its_start_is_reported_like_a_divergence(xor_data, neuron):
    """Sigmoid + MSE at learning_rate 1e6: every step overshoots to saturated outputs; the loss stays
    finite (at most 1) but ends far above where it started. The History says the rate is too large."""
    X, y = xor_data
    history = helpers.train(neuron, X, y, learning_rate=1e6, epochs=200)
    assert np.all(np.isfinite(history.losses)) and history.diverged_at is None
    assert history.final_loss > 1.5 * history.losses[0]
    assert history.diverged
    assert "the learning rate is too large" in history.message and "learning_rate=1e+06" in history.message
    with pytest.raises(TrainingDiverged, match="the learning rate is too large"):
        history.require_converged()
    # The same in a sweep, for that member only.
    small, huge = helpers.train_many(neuron, X, y, [0.5, 1e6], epochs=200)
    assert not small.diverged and huge.message == history.message


def test_a_live_view_shows_the_message_of_such_a_run(xor_data, neuron):
    from matplotlib.figure import Figure

    from helpers.controls import learning_rate_slider
    from helpers.livefigure import LiveFigure

    X, y = xor_data
    histories = dict(zip([0.5, 1e6], helpers.train_many(neuron, X, y, [0.5, 1e6], epochs=100)))
    fig = Figure()
    fig.subplots()
    live = LiveFigure(
        fig,
        lambda learning_rate: histories[learning_rate].require_converged() and None,
        {"learning_rate": learning_rate_slider([0.5, 1e6], value=0.5)},
    )
    assert not live.diverged
    live.set(learning_rate=1e6)
    assert live.diverged and "the learning rate is too large" in live.alert.value
    live.close()


def test_training_with_huge_inputs_or_rates_raises_no_floating_point_error(xor_data):
    """Under np.seterr(all="raise") overflow and underflow would raise; training expects both when a
    rate is too large (a NaN/inf loss stops it) or inputs are huge (sigmoids saturate), and ignores them."""
    X, y = xor_data
    nets = [helpers.init_network([2, 4, 1]), helpers.init_network([2, 8, 1], activation="relu", seed=2)]
    old = np.seterr(all="raise")
    try:
        for inputs, learning_rate in ((1e4 * X, 0.5), (-1e4 * X, 0.5), (X, 1e6)):
            for net in nets:
                for loss in ("mse", "cross_entropy"):
                    for optimizer in ("gd", "adam"):
                        history = helpers.train(net, inputs, y, learning_rate, 100, loss=loss, optimizer=optimizer)
                        assert np.all(np.isfinite(history.losses))
                        helpers.train(net, inputs, y, learning_rate, 10, loss=loss, batch_size=3)
                        helpers.train_many(net, inputs, y, [learning_rate, 0.1], 50, loss=loss, optimizer=optimizer)
    finally:
        np.seterr(**old)
