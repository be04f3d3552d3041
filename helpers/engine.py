"""A scalar that remembers how it was made: reverse-mode differentiation on a computational graph.

Every operation on a `Value` returns a new Value holding the result, its parents (the Values it was
computed from) and a `backward_rule`: given dL/d(this node) in `gradient`, it adds each parent's share,
local derivative times the gradient flowing in. The rule sits right under the forward formula.
`root.backward()` visits the graph in reverse topological order, so a node's gradient is complete
(every use has added its share) before its own rule passes it on.
"""

import math
import sys
from numbers import Real

# e^a overflows float64 (beyond 1.8e308) for any a above this, log(1.8e308) = 709.78.
LARGEST_EXP_INPUT = math.log(sys.float_info.max)


def _finite(name, x):
    """x as a float: a finite real number, or an error naming `name` (NaN, inf, 10**400 are refused)."""
    if isinstance(x, bool) or not isinstance(x, Real):
        raise TypeError(f"{name} must be a real number, got {type(x).__name__}")
    try:
        x = float(x)
    except OverflowError:
        raise ValueError(f"{name} must be a finite number, got an integer too large for float64") from None
    if not math.isfinite(x):
        raise ValueError(f"{name} must be a finite number, got {x!r}")
    return x


def _stable_sigmoid(z):
    # Only exp of a non-positive number is ever formed, so no overflow for any finite z.
    if z >= 0:
        return 1.0 / (1.0 + math.exp(-z))
    e = math.exp(z)
    return e / (1.0 + e)


class Value:
    """One number in a computation: value, gradient dL/dvalue, parents, and the local backward rule."""

    def __init__(self, value, parents=(), op="", label=""):
        if parents and isinstance(value, float) and not math.isfinite(value):
            # Every input is finite, so a result that is not has overflowed (a + b, a * b, a ** k).
            inputs = [f"{parent.value:g}" for parent in parents]
            made = f" {op} ".join(inputs) if len(inputs) == 2 else f"({inputs[0]}){op}"
            raise ValueError(f"{made} overflows float64: the result is beyond ±1.8e308")
        self.value = _finite("value", value)
        self.gradient = 0.0
        self.parents = tuple(parents)
        self.op = op
        self.label = label
        self.backward_rule = _no_parents

    def __repr__(self):
        name = f"{self.label}: " if self.label else ""
        return f"Value({name}value={self.value:.6g}, gradient={self.gradient:.6g})"

    def __add__(self, other):
        other = as_value(other)
        out = Value(self.value + other.value, (self, other), "+")

        def backward_rule():
            # d(a + b)/da = 1, d(a + b)/db = 1; += because a node may feed several others.
            self.gradient += out.gradient
            other.gradient += out.gradient

        out.backward_rule = backward_rule
        return out

    def __mul__(self, other):
        other = as_value(other)
        out = Value(self.value * other.value, (self, other), "*")

        def backward_rule():
            # d(a b)/da = b, d(a b)/db = a.
            self.gradient += other.value * out.gradient
            other.gradient += self.value * out.gradient

        out.backward_rule = backward_rule
        return out

    def __sub__(self, other):
        other = as_value(other)
        out = Value(self.value - other.value, (self, other), "-")

        def backward_rule():
            # d(a - b)/da = 1, d(a - b)/db = -1.
            self.gradient += out.gradient
            other.gradient -= out.gradient

        out.backward_rule = backward_rule
        return out

    def __pow__(self, exponent):
        exponent = _finite("exponent", exponent)  # a number, not a Value: no gradient flows to it
        if self.value < 0 and not exponent.is_integer():
            raise ValueError(
                f"({self.value:g}) ** {exponent:g} has no real result: a negative base needs a whole exponent"
            )
        if self.value == 0 and exponent < 0:
            raise ValueError(f"0 ** {exponent:g} divides by zero: 0 has no negative powers")
        try:
            result = self.value**exponent
        except OverflowError:
            result = math.inf  # named as an overflow by Value()
        out = Value(result, (self,), f"**{exponent:g}")

        def backward_rule():
            # d(a^k)/da = k a^(k-1).
            self.gradient += exponent * self.value ** (exponent - 1) * out.gradient

        out.backward_rule = backward_rule
        return out

    def exp(self):
        if self.value > LARGEST_EXP_INPUT:
            raise ValueError(
                f"exp({self.value:g}) overflows float64: e^a is finite only for a <= {LARGEST_EXP_INPUT:.2f}"
            )
        out = Value(math.exp(self.value), (self,), "exp")

        def backward_rule():
            # d(e^a)/da = e^a, the output itself.
            self.gradient += out.value * out.gradient

        out.backward_rule = backward_rule
        return out

    def log(self):
        if self.value <= 0:
            raise ValueError(f"log needs a positive value, got {self.value!r}")
        out = Value(math.log(self.value), (self,), "log")

        def backward_rule():
            # d(log a)/da = 1/a.
            self.gradient += out.gradient / self.value

        out.backward_rule = backward_rule
        return out

    def sigmoid(self):
        out = Value(_stable_sigmoid(self.value), (self,), "σ")

        def backward_rule():
            # dσ(a)/da = σ(a) (1 - σ(a)), from the output.
            self.gradient += out.value * (1.0 - out.value) * out.gradient

        out.backward_rule = backward_rule
        return out

    def tanh(self):
        out = Value(math.tanh(self.value), (self,), "tanh")

        def backward_rule():
            # d tanh(a)/da = 1 - tanh(a)^2, from the output.
            self.gradient += (1.0 - out.value**2) * out.gradient

        out.backward_rule = backward_rule
        return out

    def relu(self):
        out = Value(max(self.value, 0.0), (self,), "relu")

        def backward_rule():
            # d relu(a)/da = 1 where a > 0, else 0 (the kink at 0 takes 0).
            self.gradient += (1.0 if self.value > 0 else 0.0) * out.gradient

        out.backward_rule = backward_rule
        return out

    def backward(self):
        """Set every gradient of the graph to dself/dnode: zero them, seed 1 here, run each rule once.

        The rules run in reverse topological order: each node after every node that uses it.
        """
        order = topological_order(self)
        for node in order:
            node.gradient = 0.0
        self.gradient = 1.0
        for node in reversed(order):
            node.backward_rule()

    # The rest is spelled with the operations above, so it needs no rules of its own.
    def __neg__(self):
        return self * -1.0

    def __truediv__(self, other):
        other = as_value(other)
        if other.value == 0:
            raise ValueError(f"division by zero: {self.value:g} / 0")
        return self * other**-1

    def __radd__(self, other):
        return as_value(other) + self

    def __rmul__(self, other):
        return as_value(other) * self

    def __rsub__(self, other):
        return as_value(other) - self

    def __rtruediv__(self, other):
        return as_value(other) / self


def _no_parents():
    """The backward rule of a leaf (an input or a parameter): nothing to pass on."""


def as_value(x):
    """x itself if it is a Value, else a new leaf Value holding the number x."""
    return x if isinstance(x, Value) else Value(x)


def topological_order(root):
    """Every node of root's graph, each after all of its parents (root last). root: a Value."""
    if not isinstance(root, Value):
        raise TypeError(f"root must be a Value, got {type(root).__name__}")
    order, visited = [], set()
    # Depth-first with an explicit stack (no recursion limit for long chains): a node is appended
    # once all its parents have been.
    stack = [(root, False)]
    while stack:
        node, parents_done = stack.pop()
        if parents_done:
            order.append(node)
        elif id(node) not in visited:
            visited.add(id(node))
            stack.append((node, True))
            stack.extend((parent, False) for parent in reversed(node.parents) if id(parent) not in visited)
    return order
