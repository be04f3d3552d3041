"""Update rules against their formulas on hand-worked steps; bad constants are refused."""

import math

import numpy as np
import pytest

import helpers
from helpers.optimizers import Adam, GradientDescent, Momentum, RMSprop, make_optimizer

START = [[1.0, -2.0]]
G1 = [[0.5, -1.0]]
G2 = [[0.2, 0.4]]


def run(optimizer, *gradients):
    """Apply the steps to a copy of START and return the parameter after each one."""
    p = np.array(START)
    seen = []
    for g in gradients:
        optimizer.step([p], [np.array(g)])
        seen.append(p.copy())
    return seen


def test_gradient_descent():
    (after,) = run(GradientDescent(0.1), G1)
    np.testing.assert_allclose(after, [[1.0 - 0.05, -2.0 + 0.1]], rtol=1e-15)


def test_momentum_two_steps():
    first, second = run(Momentum(0.1, beta=0.9), G1, G2)
    # v1 = g1 = (0.5, -1); v2 = 0.9 v1 + g2 = (0.65, -0.5)
    np.testing.assert_allclose(first, [[0.95, -1.9]], rtol=1e-15)
    np.testing.assert_allclose(second, [[0.95 - 0.1 * 0.65, -1.9 + 0.1 * 0.5]], rtol=1e-14)


def test_rmsprop_one_step():
    (after,) = run(RMSprop(0.01, rho=0.9, epsilon=1e-8), G1)
    # s = 0.1 g^2 = (0.025, 0.1); each step is lr * g / (sqrt(s) + eps), about lr * sqrt(10) in size.
    expected = [[1.0 - 0.01 * 0.5 / (math.sqrt(0.025) + 1e-8), -2.0 + 0.01 * 1.0 / (math.sqrt(0.1) + 1e-8)]]
    np.testing.assert_allclose(after, expected, rtol=1e-14)


def test_adam_two_steps_with_bias_correction():
    first, second = run(Adam(0.1, beta1=0.9, beta2=0.999, epsilon=1e-8), G1, G2)
    # Step 1: m = 0.1 g1, v = 0.001 g1^2; corrected m_hat = g1, v_hat = g1^2, so the step is lr * sign(g1).
    step1 = [0.1 * 0.5 / (0.5 + 1e-8), 0.1 * -1.0 / (1.0 + 1e-8)]
    np.testing.assert_allclose(first, [[1.0 - step1[0], -2.0 - step1[1]]], rtol=1e-14)
    # Step 2: m = 0.9 m + 0.1 g2 = (0.065, -0.05); v = 0.999 v + 0.001 g2^2 = (0.00028975, 0.001159);
    # m_hat = m / (1 - 0.9^2) = m / 0.19; v_hat = v / (1 - 0.999^2) = v / 0.001999.
    m_hat = np.array([0.065, -0.05]) / 0.19
    v_hat = np.array([0.00028975, 0.001159]) / 0.001999
    step2 = 0.1 * m_hat / (np.sqrt(v_hat) + 1e-8)
    np.testing.assert_allclose(second, [[first[0, 0] - step2[0], first[0, 1] - step2[1]]], rtol=1e-12)
    # Without the correction the second step would be several times larger.
    uncorrected = 0.1 * 0.065 / math.sqrt(0.00028975)
    assert uncorrected > 4 * step2[0]


@pytest.mark.parametrize("name", ["gd", "momentum", "rmsprop", "adam"])
def test_a_stack_of_rates_steps_each_member_like_a_single_rate(name):
    rates = np.array([0.1, 0.02]).reshape(2, 1, 1)
    stacked = helpers.OPTIMIZERS[name](rates)  # one rate per member of a stack of (2, 1, 2) parameters
    p = np.repeat(np.array(START)[None], 2, axis=0)
    for g in (G1, G2):
        stacked.step([p], [np.repeat(np.array(g)[None], 2, axis=0)])
    for member, rate in enumerate([0.1, 0.02]):
        alone = run(make_optimizer(name, rate), G1, G2)[-1]
        np.testing.assert_allclose(p[member], alone, rtol=1e-14)


def test_make_optimizer_builds_each_rule_with_its_constants():
    assert isinstance(make_optimizer("gd", 0.1), GradientDescent)
    assert make_optimizer("momentum", 0.1, beta=0.5).beta == 0.5
    adam = make_optimizer("adam", 0.1, beta1=0.8, beta2=0.99, epsilon=1e-6)
    assert (adam.beta1, adam.beta2, adam.epsilon) == (0.8, 0.99, 1e-6)
    assert sorted(helpers.OPTIMIZERS) == ["adam", "gd", "momentum", "rmsprop"]


@pytest.mark.parametrize(
    ("name", "constants", "error", "named"),
    [
        ("momentum", {"beta": 1.0}, ValueError, "beta"),
        ("momentum", {"beta": -0.1}, ValueError, "beta"),
        ("momentum", {"beta": float("nan")}, ValueError, "beta"),
        ("momentum", {"beta": "0.9"}, TypeError, "beta"),
        ("momentum", {"beta": True}, TypeError, "beta"),
        ("rmsprop", {"rho": 1.5}, ValueError, "rho"),
        ("rmsprop", {"epsilon": 0.0}, ValueError, "epsilon"),
        ("rmsprop", {"epsilon": "tiny"}, TypeError, "epsilon"),
        ("adam", {"beta1": 1.0}, ValueError, "beta1"),
        ("adam", {"beta2": -0.5}, ValueError, "beta2"),
        ("adam", {"epsilon": -1e-8}, ValueError, "epsilon"),
        (
            "adam",
            {"momentum": 0.9},
            TypeError,
            r"'adam' takes the constants \['beta1', 'beta2', 'epsilon'\], got \['momentum'\]",
        ),
        ("gd", {"beta": 0.9}, TypeError, r"'gd' takes the constants none, got \['beta'\]"),
    ],
)
def test_bad_constants_are_refused(name, constants, error, named):
    with pytest.raises(error, match=named):
        make_optimizer(name, 0.1, **constants)


def test_bad_names_and_rates_are_refused(xor_data, small_net):
    X, y = xor_data
    with pytest.raises(ValueError, match=r"optimizer must be one of .*got 'sgd'"):
        make_optimizer("sgd", 0.1)
    with pytest.raises(ValueError, match="learning_rate"):
        make_optimizer("adam", -0.1)
    with pytest.raises(ValueError, match=r"learning_rate must hold positive finite numbers, got \[0.1, 0.0\]"):
        make_optimizer("adam", np.array([0.1, 0.0]).reshape(2, 1, 1))
    with pytest.raises(ValueError, match="beta"):
        helpers.train(small_net, X, y, 0.1, 10, optimizer="momentum", beta=2.0)
    with pytest.raises(TypeError, match="constants"):
        helpers.train(small_net, X, y, 0.1, 10, optimizer="rmsprop", beta1=0.9)
