"""The Value engine against independent computations: finite differences of the same expression
evaluated with plain floats, hand-derived rules, and the matrix backward pass of helpers.network."""

import math

import numpy as np
import pytest

import helpers
from helpers.engine import Value, topological_order

STEP = 1e-6


def close(a, b, tolerance=1e-6):
    return abs(a - b) <= tolerance * max(abs(a), abs(b), 1e-3)


# Each operation: how the engine spells it, the same with plain floats, and where its inputs may lie.
OPERATIONS = {
    "add": (lambda a, b: a + b, lambda a, b: a + b, 2),
    "sub": (lambda a, b: a - b, lambda a, b: a - b, 2),
    "mul": (lambda a, b: a * b, lambda a, b: a * b, 2),
    "truediv": (lambda a, b: a / b, lambda a, b: a / b, 2),
    "pow3": (lambda a: a**3, lambda a: a**3, 1),
    "pow_half": (lambda a: a**0.5, lambda a: a**0.5, 1),
    "neg": (lambda a: -a, lambda a: -a, 1),
    "exp": (lambda a: a.exp(), math.exp, 1),
    "log": (lambda a: a.log(), math.log, 1),
    "sigmoid": (lambda a: a.sigmoid(), lambda a: 1 / (1 + math.exp(-a)), 1),
    "tanh": (lambda a: a.tanh(), math.tanh, 1),
    "relu": (lambda a: a.relu(), lambda a: max(a, 0.0), 1),
    "radd": (lambda a: 2.5 + a, lambda a: 2.5 + a, 1),
    "rsub": (lambda a: 2.5 - a, lambda a: 2.5 - a, 1),
    "rmul": (lambda a: 2.5 * a, lambda a: 2.5 * a, 1),
    "rtruediv": (lambda a: 2.5 / a, lambda a: 2.5 / a, 1),
}


def central_difference(function, point, index):
    """d function / d point[index] by a central difference of the plain-float function."""
    plus, minus = list(point), list(point)
    plus[index] += STEP
    minus[index] -= STEP
    return (function(*plus) - function(*minus)) / (2 * STEP)


@pytest.mark.parametrize("name", sorted(OPERATIONS))
def test_every_operation_matches_finite_differences(name, rng):
    engine, plain, arity = OPERATIONS[name]
    for _ in range(20):
        # Positive and away from 0 where an input is divided by, logged or square-rooted, or relu's kink.
        point = [float(rng.choice([-1, 1]) * rng.uniform(0.2, 2.0)) for _ in range(arity)]
        if name in ("log", "pow_half"):
            point = [abs(p) for p in point]
        leaves = [Value(p) for p in point]
        out = engine(*leaves)
        assert close(out.value, plain(*point), 1e-12)
        (out * 1.7).backward()
        for index, leaf in enumerate(leaves):
            assert close(leaf.gradient, 1.7 * central_difference(plain, point, index)), (name, point, index)


def random_program(rng, n_leaves=4, n_steps=14):
    """A random expression as instructions (operation name, operand indices) over a growing pool.

    Operands are drawn from the whole pool, so nodes get used several times and paths of different
    lengths meet: the cases a wrong order or a set-instead-of-add would get wrong.
    """
    unary = ["exp", "sigmoid", "tanh", "pow3", "neg"]
    binary = ["add", "sub", "mul"]
    program, size = [], n_leaves
    for _ in range(n_steps):
        if rng.random() < 0.5:
            program.append((str(rng.choice(binary)), (int(rng.integers(size)), int(rng.integers(size)))))
        else:
            program.append((str(rng.choice(unary)), (int(rng.integers(size)),)))
        size += 1
    return program


def run_program(program, leaves, use_engine):
    pool = list(leaves)
    for name, operands in program:
        engine, plain, _ = OPERATIONS[name]
        pool.append((engine if use_engine else plain)(*(pool[i] for i in operands)))
    # The output: a sum of the last few nodes, squashed so exp of exp stays finite.
    total = pool[-1] + pool[-2] + pool[-3]
    return total.tanh() if use_engine else math.tanh(total)


@pytest.mark.parametrize("seed", range(12))
def test_random_expressions_match_finite_differences(seed):
    rng = np.random.default_rng(seed)
    program = random_program(rng)
    point = [float(v) for v in rng.uniform(-1.0, 1.0, size=4)]
    leaves = [Value(p) for p in point]
    out = run_program(program, leaves, use_engine=True)
    out.backward()
    assert close(out.value, run_program(program, point, use_engine=False), 1e-12)

    def plain(*values):
        return run_program(program, values, use_engine=False)

    for index, leaf in enumerate(leaves):
        assert close(leaf.gradient, central_difference(plain, point, index), 1e-5), (seed, index)


def test_a_node_used_twice_adds_its_gradients():
    b = Value(3.0)
    a = b + b
    a.backward()
    assert b.gradient == 2.0
    square = b * b
    square.backward()
    assert b.gradient == 6.0  # d(b^2)/db = 2b


def backward_as_reached(root):
    """The wrong order: each node runs its rule the first time a walk from the root reaches it."""
    for node in topological_order(root):
        node.gradient = 0.0
    root.gradient = 1.0
    done, stack = set(), [root]
    while stack:
        node = stack.pop(0)
        if id(node) not in done:
            done.add(id(node))
            node.backward_rule()
            stack = list(node.parents) + stack


def test_the_topological_order_gets_what_running_rules_as_reached_misses():
    def loss(w_value):
        w = Value(w_value)
        z = w * 1.5 - 0.2
        return z * z.sigmoid(), w

    expected = central_difference(lambda w: loss(w)[0].value, [0.7], 0)
    root, w = loss(0.7)
    backward_as_reached(root)
    assert not close(w.gradient, expected, 1e-3), "the example must be one where the order matters"
    root.backward()
    assert close(w.gradient, expected)


def test_topological_order_puts_each_node_after_its_parents():
    x = Value(0.5)
    y = (x * x).sigmoid() + x.exp() * x
    order = topological_order(y)
    position = {id(node): i for i, node in enumerate(order)}
    assert order[-1] is y and len(position) == len(order)
    assert all(position[id(parent)] < position[id(node)] for node in order for parent in node.parents)


def test_backward_twice_gives_the_same_gradients():
    x, w = Value(0.3), Value(-1.1)
    out = (x * w).tanh() * w
    out.backward()
    first = (x.gradient, w.gradient)
    out.backward()
    assert (x.gradient, w.gradient) == first


def test_a_long_chain_needs_no_recursion():
    x = Value(1.0)
    total = x
    for _ in range(5000):
        total = total + x
    total.backward()
    assert x.gradient == 5001.0


def test_sigmoid_never_overflows():
    assert Value(-1000.0).sigmoid().value == 0.0
    assert Value(1000.0).sigmoid().value == 1.0
    big = Value(-800.0)
    big.sigmoid().backward()
    assert big.gradient == 0.0


def test_public_entry_points_reject_bad_input():
    with pytest.raises(TypeError, match="value must be a real number"):
        Value("3")
    with pytest.raises(TypeError, match="value must be a real number"):
        Value(True)
    with pytest.raises(TypeError, match="exponent must be a real number"):
        Value(2.0) ** Value(3.0)
    with pytest.raises(ValueError, match="log needs a positive value"):
        Value(-1.0).log()
    with pytest.raises(TypeError, match="root must be a Value"):
        topological_order(3.0)


def network_from_values(network, X, y, loss):
    """The mean loss of `network` on (X, y) built from Values, and the parameter Values by name."""
    weights = [[[Value(v) for v in row] for row in W] for W in network.weights]
    biases = [[Value(v) for v in b[0]] for b in network.biases]
    losses = []
    for x, target in zip(X, y):
        a = [Value(float(v)) for v in x]
        for layer, (W, b, name) in enumerate(zip(weights, biases, network.activations)):
            z = [sum((a[i] * W[i][j] for i in range(len(a))), b[j]) for j in range(len(b))]
            last = layer == len(weights) - 1
            a = z if last and loss == "cross_entropy" else [getattr(zj, name)() for zj in z]
        for out, t in zip(a, target):
            if loss == "mse":
                losses.append((out - float(t)) ** 2)
            else:
                losses.append((1 + out.exp()).log() - float(t) * out)
    total = sum(losses[1:], losses[0]) / len(losses)
    named = {}
    for index, (W, b) in enumerate(zip(weights, biases), start=1):
        named[f"W{index}"], named[f"b{index}"] = W, [b]
    return total, named


@pytest.mark.parametrize("loss", ["mse", "cross_entropy"])
@pytest.mark.parametrize("sizes, activation", [([2, 3, 1], "sigmoid"), ([3, 4, 2, 1], "tanh"), ([2, 5, 2], "relu")])
def test_agrees_with_the_matrix_backward_pass(loss, sizes, activation, rng):
    network = helpers.init_network(sizes, activation=activation, seed=3)
    X = rng.normal(size=(6, sizes[0]))
    y = (rng.random((6, sizes[-1])) > 0.5).astype(float)
    total, named = network_from_values(network, X, y, loss)
    total.backward()
    assert close(total.value, helpers.loss_value(network, X, y, loss=loss), 1e-12)
    matrices = helpers.backward(network, X, y, loss=loss)
    for name, values in named.items():
        engine = np.array([[v.gradient for v in row] for row in values])
        assert np.all(helpers.relative_error(engine, matrices[name]) < 1e-10), name


def test_xor_training_gives_the_loss_curve_of_helpers_train(xor_data):
    X, y = xor_data
    start = helpers.init_network([2, 3, 1], seed=0)
    losses = []
    _, named = network_from_values(start, X, y, "mse")
    parameters = [v for values in named.values() for row in values for v in row]
    for _ in range(41):
        # Rebuild the graph on the current parameter Values (the leaves are reused).
        total = _mse_on(named, X, y)
        losses.append(total.value)
        total.backward()
        for p in parameters:
            p.value -= 4.6 * p.gradient
    history = helpers.train(start, X, y, learning_rate=4.6, epochs=40)
    assert np.max(np.abs(np.array(losses) - history.losses)) < 1e-12


def _mse_on(named, X, y):
    losses = []
    for x, target in zip(X, y):
        a = [Value(float(v)) for v in x]
        for index in (1, 2):
            W, b = named[f"W{index}"], named[f"b{index}"][0]
            a = [sum((a[i] * W[i][j] for i in range(len(a))), b[j]).sigmoid() for j in range(len(b))]
        losses.append((a[0] - float(target[0])) ** 2)
    return sum(losses[1:], losses[0]) / len(losses)
