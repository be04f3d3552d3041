"""Bad input, round two: the Value engine, stacks of networks, numbers beyond float64, and the rest.

Each case raises a ValueError or TypeError whose message says what went wrong in the learner's
terms: the argument, what was expected and what was given (a bare OverflowError, a "not enough
values to unpack" or numpy's own conversion error before). Stacks of networks follow one rule:
whatever measures a network (loss_value, accuracy, dead_units) gives one value per member.
"""

import numpy as np
import pytest
from matplotlib.figure import Figure

import helpers
from helpers.engine import Value
from helpers.optimizers import make_optimizer
from helpers.plots import LossView, colour_limits

X, Y = helpers.xor()
NET = helpers.init_network([2, 3, 1], seed=0)
BIG = 10**400  # an int beyond float64 (about 1.8e308)
TOO_LARGE = "got an integer of about 10\\^400, too large for float64"


def stack(*networks):
    """The networks (of one shape) as one stack: every parameter gains a leading axis of len(networks)."""
    return helpers.Network(
        [np.stack(layer) for layer in zip(*(n.weights for n in networks))],
        [np.stack(layer) for layer in zip(*(n.biases for n in networks))],
        networks[0].activations,
    )


def loss_view_update(losses):
    LossView(Figure().subplots()).update(losses)


# (what is wrong, the call, the error, what the message must say)
BAD_INPUT = [
    # The engine refuses what every array function refuses, and names what overflowed or divided by zero.
    *[
        (
            f"Value({value!r})",
            lambda value=value: Value(value),
            ValueError,
            f"value must be a finite number, got {shown}",
        )
        for value, shown in [(float("nan"), "nan"), (float("inf"), "inf"), (float("-inf"), "-inf")]
    ],
    ("Value(10**400)", lambda: Value(BIG), ValueError, "value must be a finite number, got an integer too large"),
    ("Value(1) / 0", lambda: Value(1) / 0, ValueError, "division by zero: 1 / 0"),
    ("1 / Value(0)", lambda: 1 / Value(0.0), ValueError, "division by zero: 1 / 0"),
    (
        "Value(1000).exp()",
        lambda: Value(1000).exp(),
        ValueError,
        r"exp\(1000\) overflows float64: e\^a is finite only for a <= 709.78",
    ),
    (
        "Value(-8) ** 0.5",
        lambda: Value(-8) ** 0.5,
        ValueError,
        r"\(-8\) \*\* 0.5 has no real result: a negative base needs a whole exponent",
    ),
    ("Value(0) ** -1", lambda: Value(0) ** -1, ValueError, r"0 \*\* -1 divides by zero: 0 has no negative powers"),
    ("a product beyond float64", lambda: Value(1e200) * 1e200, ValueError, r"1e\+200 \* 1e\+200 overflows float64"),
    ("a sum beyond float64", lambda: Value(1e308) + 1e308, ValueError, r"1e\+308 \+ 1e\+308 overflows float64"),
    ("a power beyond float64", lambda: Value(1e200) ** 2, ValueError, r"\(1e\+200\)\*\*2 overflows float64"),
    ("a NaN exponent", lambda: Value(2.0) ** float("nan"), ValueError, "exponent must be a finite number, got nan"),
    ("a NaN constant in a sum", lambda: Value(2.0) + float("nan"), ValueError, "value must be a finite number"),
    # A number too large for float64 where a number is checked.
    (
        "train(learning_rate=10**400)",
        lambda: helpers.train(NET, X, Y, BIG, 2),
        ValueError,
        "learning_rate must be a positive finite number, " + TOO_LARGE,
    ),
    (
        "init_network(weight_scale=10**400)",
        lambda: helpers.init_network([2, 1], weight_scale=BIG),
        ValueError,
        "weight_scale must be a positive finite number, " + TOO_LARGE,
    ),
    (
        "two_moons(noise=10**400)",
        lambda: helpers.two_moons(noise=BIG),
        ValueError,
        "noise must be a finite number >= 0, " + TOO_LARGE,
    ),
    (
        "two_moons(noise=-10**400)",
        lambda: helpers.two_moons(noise=-BIG),
        ValueError,
        "got an integer of about -10\\^400",
    ),
    (
        "make_optimizer with a rate of 10**400",
        lambda: make_optimizer("adam", BIG),
        ValueError,
        "learning_rate must be a positive finite number, " + TOO_LARGE,
    ),
    (
        "momentum's beta of 10**400",
        lambda: make_optimizer("momentum", 0.1, beta=BIG),
        ValueError,
        "beta must be a number in \\[0, 1\\), " + TOO_LARGE,
    ),
    # loss=None wherever a loss is taken ("not enough values to unpack" before).
    *[
        (f"{name}(loss=None)", call, ValueError, r"loss must be one of \['cross_entropy', 'mse'\], got None")
        for name, call in {
            "backward": lambda: helpers.backward(NET, X, Y, loss=None),
            "train": lambda: helpers.train(NET, X, Y, 0.1, 2, loss=None),
            "loss_value": lambda: helpers.loss_value(NET, X, Y, loss=None),
            "gradient_check": lambda: helpers.gradient_check(NET, X, Y, loss=None),
            "numerical_gradients": lambda: helpers.numerical_gradients(NET, X, Y, loss=None),
            "train_many": lambda: helpers.train_many(NET, X, Y, [0.1], 2, loss=None),
        }.items()
    ],
    # A loss curve of text, None or ragged lists (numpy's conversion error before).
    ("LossView.update('abc')", lambda: loss_view_update("abc"), TypeError, "losses must be a numeric array, got str"),
    (
        "LossView.update(None)",
        lambda: loss_view_update(None),
        TypeError,
        "losses must be a numeric array, got NoneType",
    ),
    (
        "LossView.update(ragged)",
        lambda: loss_view_update([[1.0], [1.0, 2.0]]),
        TypeError,
        "losses must be a numeric array, got list",
    ),
    # The update rules, built directly, check their rate at the door (a negative one steps uphill).
    *[
        (
            f"{name} built with rate {rate!r}",
            lambda name=name, rate=rate: helpers.OPTIMIZERS[name](rate),
            error,
            message,
        )
        for name in helpers.OPTIMIZERS
        for rate, error, message in [
            (-0.1, ValueError, "learning_rate must be a positive finite number, got -0.1"),
            ("0.1", TypeError, "learning_rate must be a positive finite number, got '0.1'"),
            (
                np.array([[0.1], [-0.1]]),
                ValueError,
                r"learning_rate must hold positive finite numbers, got \[0.1, -0.1\]",
            ),
        ]
    ],
    # An output activation colour_limits does not know (KeyError before).
    (
        "colour_limits of an unknown activation",
        lambda: colour_limits("softplus", [0.5]),
        ValueError,
        r"activation must be one of \[.*'softmax'.*\], got 'softplus'",
    ),
    (
        "colour_limits of text values",
        lambda: colour_limits("relu", "high"),
        TypeError,
        "values must be a numeric array, got str",
    ),
    # Accuracy of two outputs with labels of one column: the message asks for what it then accepts.
    (
        "accuracy of two outputs on one column of y",
        lambda: helpers.accuracy(helpers.init_network([2, 3, 2]), X, Y),
        ValueError,
        r"y must have 2 columns, got shape \(4, 1\)",
    ),
]


@pytest.mark.parametrize(("what", "call", "error", "message"), BAD_INPUT, ids=[case[0] for case in BAD_INPUT])
def test_bad_input_is_refused_with_a_message_that_names_it(what, call, error, message):
    with pytest.raises(error, match=message):
        call()


def test_the_engine_still_takes_what_it_can_compute():
    a = Value(-8.0)
    square = a**2  # a negative base with a whole exponent has a real result
    square.backward()
    assert (square.value, a.gradient) == (64.0, -16.0)
    assert (Value(-2.0) ** 3.0).value == -8.0
    assert Value(709.0).exp().value == pytest.approx(np.exp(709.0), rel=1e-15)
    assert (Value(1.0) / 4).value == 0.25 and (Value(0.0) ** 2).value == 0.0


def test_accuracy_takes_the_one_hot_columns_its_message_asks_for():
    two_outputs = helpers.init_network([2, 3, 2], seed=0)
    one_hot = np.hstack([1.0 - Y, Y])
    assert 0.0 <= helpers.accuracy(two_outputs, X, one_hot) <= 1.0


def test_colour_limits_colours_softmax_outputs_as_probabilities():
    assert colour_limits("softmax", [[0.2, 0.8], [0.6, 0.4]]) == (0.0, 1.0)
    assert colour_limits("sigmoid", [0.3]) == (0.0, 1.0)
    assert colour_limits("relu", [0.0, 3.0]) == (0.0, 3.0)


def test_a_loss_curve_still_leaves_out_nan_and_inf():
    loss_view_update([0.5, 0.25, float("nan")])
    loss_view_update([0.5, float("inf")])


@pytest.mark.parametrize("activation", ["relu", "tanh"])
def test_a_stack_is_measured_member_by_member(activation):
    """accuracy, loss_value and dead_units of a stack give each member's own value (not their mean)."""
    members = [
        helpers.init_network([2, 6, 4, 1], activation=activation, seed=seed, weight_scale=scale)
        for seed, scale in [(0, 1.0), (3, 4.0), (7, 0.5)]
    ]
    stacked = stack(*members)
    X_moons, y_moons = helpers.two_moons(n=40, seed=1)
    accuracies = helpers.accuracy(stacked, X_moons, y_moons)
    losses = helpers.loss_value(stacked, X_moons, y_moons)
    dead = helpers.dead_units(stacked, X_moons)
    assert accuracies.shape == losses.shape == (3,)
    assert [d.shape for d in dead] == [(3,), (3,)]
    for k, member in enumerate(members):
        assert accuracies[k] == helpers.accuracy(member, X_moons, y_moons)
        assert losses[k] == pytest.approx(helpers.loss_value(member, X_moons, y_moons), rel=1e-14)
        assert [int(d[k]) for d in dead] == helpers.dead_units(member, X_moons)
    assert len(set(accuracies.tolist())) > 1  # the members differ, so a mean would not do


def test_a_stack_of_softmax_networks_is_measured_member_by_member():
    members = [helpers.init_network([2, 4, 3], output_activation="softmax", seed=seed) for seed in range(3)]
    X3, labels = helpers.spiral(n=60, classes=3)
    accuracies = helpers.accuracy(stack(*members), X3, labels)
    assert accuracies.tolist() == [helpers.accuracy(member, X3, labels) for member in members]
