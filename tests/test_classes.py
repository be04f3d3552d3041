"""More than two classes: softmax, its cross-entropy on the logits, one-hot targets, a softmax output
layer in the network, the three-arm spiral. Checked against computations written here from scratch."""

import math
import warnings

import numpy as np
import pytest

import helpers
from helpers.losses import SOFTMAX_CROSS_ENTROPY


def no_warnings():
    """Any Python warning, or a numpy overflow/underflow-free invalid/divide, becomes an error."""
    warnings.simplefilter("error")
    return np.errstate(over="raise", invalid="raise", divide="raise")


def naive_softmax(z):
    """e^z / sum e^z as written, for logits small enough not to overflow."""
    e = np.exp(z)
    return e / e.sum(axis=-1, keepdims=True)


def naive_softmax_cross_entropy(z, y):
    """-mean over rows of sum y log softmax(z), as written."""
    return float(-np.mean(np.sum(y * np.log(naive_softmax(z)), axis=1)))


def test_softmax_rows_are_probabilities_equal_to_the_formula(rng):
    z = rng.normal(0.0, 3.0, size=(6, 4))
    p = helpers.softmax(z)
    assert p.shape == (6, 4) and p.dtype == np.float64
    np.testing.assert_allclose(p, naive_softmax(z), rtol=1e-14)
    np.testing.assert_allclose(p.sum(axis=1), 1.0, rtol=1e-15)
    # Adding one number to a whole row changes nothing.
    np.testing.assert_allclose(helpers.softmax(z + 50.0), p, rtol=1e-13)
    np.testing.assert_allclose(helpers.softmax(z[0]), p[0], rtol=1e-15)


def test_softmax_is_exact_at_saturated_logits():
    z = np.array([[1000.0, -1000.0, 0.0], [1000.0, 1000.0, -1000.0], [-1000.0, -1000.0, -1000.0]])
    with warnings.catch_warnings(), no_warnings():
        p = helpers.softmax(z)
    np.testing.assert_array_equal(p, [[1.0, 0.0, 0.0], [0.5, 0.5, 0.0], [1 / 3, 1 / 3, 1 / 3]])


def test_softmax_cross_entropy_equals_the_formula_and_its_gradient_is_p_minus_y_over_n(rng):
    z = rng.normal(0.0, 2.0, size=(5, 3))
    y = helpers.one_hot([0, 2, 1, 1, 0], 3)
    assert helpers.softmax_cross_entropy(z, y) == pytest.approx(naive_softmax_cross_entropy(z, y), rel=1e-13)
    np.testing.assert_allclose(helpers.softmax_cross_entropy_gradient(z, y), (naive_softmax(z) - y) / 5, rtol=1e-13)
    # All logits equal: every class has probability 1/K and the loss is log K.
    assert helpers.softmax_cross_entropy(np.zeros((2, 4)), helpers.one_hot([3, 1], 4)) == pytest.approx(math.log(4))


@pytest.mark.parametrize("soft", [False, True])
def test_softmax_cross_entropy_gradient_matches_finite_differences(rng, finite_difference, soft):
    z = rng.normal(0.0, 3.0, size=(6, 4))
    y = rng.dirichlet(np.ones(4), size=6) if soft else helpers.one_hot(rng.integers(0, 4, 6), 4)
    numeric = finite_difference(lambda logits: naive_softmax_cross_entropy(logits, y), z)
    np.testing.assert_allclose(helpers.softmax_cross_entropy_gradient(z, y), numeric, rtol=1e-6, atol=1e-8)


@pytest.mark.parametrize("gap", [30.0, 40.0, 1000.0])
def test_softmax_cross_entropy_is_exact_at_saturated_logits(gap):
    """A row whose right class trails by `gap` costs about gap with a gradient of full size; a row whose right
    class leads by `gap` costs log(1 + 2 e^-gap), not a rounded 0 (nor a log(0))."""
    z = np.array([[gap, 0.0, 0.0]])
    wrong, right = helpers.one_hot([1], 3), helpers.one_hot([0], 3)
    with warnings.catch_warnings(), no_warnings():
        wrong_loss = helpers.softmax_cross_entropy(z, wrong)
        wrong_gradient = helpers.softmax_cross_entropy_gradient(z, wrong)
        right_loss = helpers.softmax_cross_entropy(z, right)
        far = helpers.softmax_cross_entropy([[1000.0, -1000.0]], [[0.0, 1.0]])
    # log(e^gap + 2) - 0 = gap + log(1 + 2 e^-gap)
    assert wrong_loss == pytest.approx(gap + math.log1p(2 * math.exp(-gap)), rel=1e-14)
    np.testing.assert_allclose(wrong_gradient, [[1.0, -1.0, 0.0]], atol=1e-12)
    assert right_loss == pytest.approx(math.log1p(2 * math.exp(-gap)), rel=1e-12, abs=1e-300)
    assert far == 2000.0


def test_two_classes_are_the_sigmoid_on_the_difference_of_the_logits(rng):
    z = rng.normal(0.0, 4.0, size=(7, 2))
    labels = rng.integers(0, 2, 7)
    difference, first = z[:, :1] - z[:, 1:], (labels == 0).astype(float)[:, None]
    np.testing.assert_allclose(helpers.softmax(z)[:, :1], helpers.sigmoid(difference), rtol=1e-14)
    y = helpers.one_hot(labels, 2)
    assert helpers.softmax_cross_entropy(z, y) == pytest.approx(helpers.cross_entropy(difference, first), rel=1e-13)
    gradient = helpers.softmax_cross_entropy_gradient(z, y)
    np.testing.assert_allclose(gradient[:, :1], helpers.cross_entropy_gradient(difference, first), rtol=1e-12)
    np.testing.assert_allclose(gradient[:, 1:], -gradient[:, :1], rtol=1e-10, atol=1e-16)


def test_a_stack_of_logits_gives_one_loss_per_member(rng):
    stack = rng.normal(0.0, 2.0, size=(3, 5, 4))
    y = helpers.one_hot([0, 1, 2, 3, 0], 4)
    values, gradients = SOFTMAX_CROSS_ENTROPY.value_and_gradient(stack, y)
    assert values.shape == (3,) and gradients.shape == stack.shape
    for member in range(3):
        assert values[member] == pytest.approx(helpers.softmax_cross_entropy(stack[member], y), rel=1e-14)


def test_one_hot():
    np.testing.assert_array_equal(helpers.one_hot([2, 0, 1], 3), [[0, 0, 1], [1, 0, 0], [0, 1, 0]])
    np.testing.assert_array_equal(helpers.one_hot(np.array([[1.0], [0.0]]), 2), [[0, 1], [1, 0]])
    assert helpers.one_hot(np.array([0], dtype=np.int32), 1).dtype == np.float64


@pytest.mark.parametrize(
    "call, error, words",
    [
        (lambda: helpers.one_hot([0, 3], 3), ValueError, "labels must be whole numbers from 0 to 2"),
        (lambda: helpers.one_hot([0.5], 3), ValueError, "labels must be whole numbers"),
        (lambda: helpers.one_hot([-1], 3), ValueError, "labels must be whole numbers"),
        (lambda: helpers.one_hot([[0, 1]], 3), ValueError, r"labels must be a 1-D array \(n,\)"),
        (lambda: helpers.one_hot([0], 2.0), TypeError, "classes must be an integer >= 1, got 2.0"),
        (lambda: helpers.one_hot("01", 2), TypeError, "labels must be a numeric array"),
        (lambda: helpers.softmax(3.0), ValueError, "z must have at least one class"),
        (lambda: helpers.softmax([[np.nan, 1.0]]), ValueError, "z must hold finite numbers"),
        (lambda: helpers.softmax_cross_entropy([[1.0, 2.0]], [[0.5, 0.4]]), ValueError, "summing to 0.9"),
        (lambda: helpers.softmax_cross_entropy([[1.0, 2.0]], [[1.0]]), ValueError, "targets must have the shape"),
        (lambda: helpers.softmax_cross_entropy_gradient([[1.0, 2.0]], [[2.0, -1.0]]), ValueError, r"\[0, 1\]"),
        (lambda: helpers.get_loss("mse", "softmaxx"), ValueError, "output_activation must be one of"),
    ],
)
def test_bad_arguments_are_named(call, error, words):
    with pytest.raises(error, match=words):
        call()


def three_class_network(seed=0):
    return helpers.init_network([2, 5, 3], activation="tanh", output_activation="softmax", seed=seed)


def scratch_loss(parameters, X, y):
    """The loss of a [2, H, K] tanh-softmax network, written from scratch with a log-sum-exp."""
    hidden = np.tanh(X @ parameters["W1"] + parameters["b1"])
    z = hidden @ parameters["W2"] + parameters["b2"]
    top = z.max(axis=1, keepdims=True)
    log_p = z - top - np.log(np.exp(z - top).sum(axis=1, keepdims=True))
    return float(-np.mean(np.sum(y * log_p, axis=1)))


def test_backward_through_a_softmax_output_matches_finite_differences(rng, finite_difference):
    network = three_class_network()
    network.weights[1] *= 8.0  # logits of several units, so some rows are confidently wrong
    X = rng.normal(0.0, 1.0, size=(9, 2))
    y = helpers.one_hot(rng.integers(0, 3, 9), 3)
    gradients = helpers.backward(network, X, y, "cross_entropy")
    for name, value in network.parameters().items():

        def loss_of(p, name=name):
            return scratch_loss({**network.parameters(), name: p}, X, y)

        numeric = finite_difference(loss_of, value)
        np.testing.assert_allclose(gradients[name], numeric, rtol=1e-6, atol=1e-9)
    assert helpers.loss_value(network, X, y, "cross_entropy") == pytest.approx(
        scratch_loss(network.parameters(), X, y), rel=1e-13
    )
    assert max(helpers.gradient_check(network, X, y, "cross_entropy").values()) < 1e-6


def test_a_two_class_softmax_network_is_the_sigmoid_network():
    """Output weights (w, 0) and biases (b, 0) make softmax's first output sigmoid(z): same outputs, same loss."""
    sigmoid_net = helpers.init_network([2, 4, 1], activation="tanh", seed=3)
    sigmoid_net.biases[1][:] = 0.3
    softmax_net = helpers.Network(
        [sigmoid_net.weights[0], np.hstack([sigmoid_net.weights[1], np.zeros((4, 1))])],
        [sigmoid_net.biases[0], np.hstack([sigmoid_net.biases[1], np.zeros((1, 1))])],
        ("tanh", "softmax"),
    )
    X, y = helpers.make_dataset("two_moons", n=40, seed=1)
    targets = helpers.one_hot(1 - y, 2)  # class 0 of the softmax is label 1 of the sigmoid
    np.testing.assert_allclose(helpers.predict(softmax_net, X)[:, :1], helpers.predict(sigmoid_net, X), rtol=1e-13)
    assert helpers.loss_value(softmax_net, X, targets, "cross_entropy") == pytest.approx(
        helpers.loss_value(sigmoid_net, X, y, "cross_entropy"), rel=1e-13
    )
    assert helpers.accuracy(softmax_net, X, targets) == helpers.accuracy(sigmoid_net, X, y)


def test_a_softmax_network_learns_the_three_arm_spiral_and_train_many_equals_train():
    X, y = helpers.make_dataset("spiral3", n=150, seed=0)
    network = helpers.init_network([2, 16, 16, 3], activation="tanh", output_activation="softmax", seed=0)
    assert helpers.loss_value(network, X, y, "cross_entropy") > 0.9  # about log 3 = 1.10 at the start
    single = helpers.train(network, X, y, 0.01, 300, "cross_entropy", record_every=50, optimizer="adam")
    many = helpers.train_many(network, X, y, [0.003, 0.01], 300, "cross_entropy", 50, "adam")[1]
    np.testing.assert_allclose(many.losses, single.losses, rtol=1e-12)
    assert single.final_loss < 0.1 and helpers.accuracy(single.final_network, X, y) > 0.95
    assert single.predictions.shape == (150, 3)


def test_accuracy_over_classes_counts_the_largest_output_and_a_tie_as_wrong():
    network = helpers.Network([np.zeros((2, 3))], [np.array([[0.0, 1.0, 0.0]])], ("softmax",))
    X = np.zeros((4, 2))
    assert helpers.accuracy(network, X, helpers.one_hot([1, 1, 0, 2], 3)) == 0.5
    network.biases[0][0, 2] = 1.0  # classes 1 and 2 tie on every row: nothing is decided
    assert helpers.accuracy(network, X, helpers.one_hot([1, 1, 2, 2], 3)) == 0.0


@pytest.mark.parametrize(
    "call, error, words",
    [
        (
            lambda: helpers.init_network([2, 3, 1], output_activation="softmax"),
            ValueError,
            "at least 2 outputs for a softmax",
        ),
        (
            lambda: helpers.init_network([2, 3, 3], activation="softmax"),
            ValueError,
            "activation must be one of",
        ),
        (
            lambda: helpers.predict(
                helpers.Network([np.ones((2, 3)), np.ones((3, 3))], [np.ones((1, 3))] * 2, ("softmax", "softmax")),
                np.ones((1, 2)),
            ),
            ValueError,
            "softmax is for the output layer only",
        ),
        (
            lambda: helpers.train(three_class_network(), np.ones((2, 2)), helpers.one_hot([0, 1], 3), loss="mse"),
            ValueError,
            "loss must be 'cross_entropy' for a softmax output layer, got 'mse'",
        ),
        (
            lambda: helpers.backward(three_class_network(), np.ones((1, 2)), [[0.5, 0.0, 0.0]], "cross_entropy"),
            ValueError,
            "y must hold one row per point that sums to 1",
        ),
        (
            lambda: helpers.accuracy(three_class_network(), np.ones((1, 2)), [[0.5, 0.5, 0.0]]),
            ValueError,
            "y must hold one-hot rows",
        ),
        (
            lambda: helpers.loss_value(
                helpers.init_network([2, 3], output_activation="tanh"), np.ones((1, 2)), [[1, 0, 0]], "cross_entropy"
            ),
            ValueError,
            "needs a sigmoid output layer .or a softmax one",
        ),
    ],
)
def test_a_softmax_network_refuses_what_it_cannot_do(call, error, words):
    with pytest.raises(error, match=words):
        call()


def test_three_arm_spiral():
    X, y = helpers.make_dataset("spiral3", n=301, noise=0.0, seed=2)
    assert X.shape == (301, 2) and y.shape == (301, 3) and X.dtype == y.dtype == np.float64
    np.testing.assert_array_equal(y.sum(axis=1), 1.0)
    assert sorted(y.sum(axis=0)) == [100.0, 100.0, 101.0]
    assert not np.array_equal(y.argmax(axis=1), np.sort(y.argmax(axis=1)))  # shuffled
    assert np.abs(X).max() <= 1.2 + 1e-12
    # Without noise, each arm is the first one turned by a third of a revolution: radius r = 0.1 + 1.1 t
    # and angle 2 pi (t + k / 3) for arc position t, so angle - 2 pi (r - 0.1) / 1.1 is 2 pi k / 3.
    radius, angle = np.hypot(X[:, 0], X[:, 1]), np.arctan2(X[:, 1], X[:, 0])
    offset = np.mod(angle - 2 * np.pi * (radius - 0.1) / 1.1, 2 * np.pi)
    for k in range(3):
        arm = offset[y[:, k] == 1]
        distance = np.abs(np.mod(arm - 2 * np.pi * k / 3 + np.pi, 2 * np.pi) - np.pi)
        assert distance.max() < 1e-9
    X2, y2 = helpers.spiral(n=301, noise=0.0, seed=2, classes=3)
    np.testing.assert_array_equal(X, X2)
    np.testing.assert_array_equal(y, y2)
    assert helpers.THREE_CLASS_DATASETS == ("spiral3",)


def test_two_classes_are_the_spiral_as_before():
    X, y = helpers.spiral(n=51, seed=4, classes=2)
    X1, y1 = helpers.spiral(n=51, seed=4)
    np.testing.assert_array_equal(X, X1)
    np.testing.assert_array_equal(y, y1)
    assert y.shape == (51, 1)


@pytest.mark.parametrize(
    "call, error, words",
    [
        (lambda: helpers.spiral(classes=1), ValueError, "classes must be an integer >= 2, got 1"),
        (lambda: helpers.spiral(classes=3.0), TypeError, "classes must be an integer >= 2, got 3.0"),
        (lambda: helpers.spiral(n=2, classes=3), ValueError, r"n must be an integer >= 3 \(a point per class\)"),
        (lambda: helpers.make_dataset("spiral3", factor=0.5), TypeError, r"must be among \['turns'\]"),
    ],
)
def test_spiral_classes_are_validated(call, error, words):
    with pytest.raises(error, match=words):
        call()
