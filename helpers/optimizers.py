"""Update rules. Each updates a list of parameter arrays in place from their gradients.

Each rule's constructor checks its learning rate and constants; `step(params, grads)` checks its
arguments; `update(params, grads)` is the same rule unchecked, the call of the training loops. The
learning rate is a positive number, or an array with one rate per member of a stack of G networks
that broadcasts against the parameters: (G, 1, 1) for (G, n_in, n_out) arrays, (G, 1) for the
(G, P) array that holds every parameter in train_many.
"""

import inspect

import numpy as np

from ._validate import as_float_array, check_choice, check_number_between, check_positive_number


def _fraction(name, value):
    return check_number_between(name, value, 0.0, 1.0, include_low=True)


def _learning_rate(learning_rate):
    """A positive finite number, or an array of them (one per member of a stack): a negative rate
    would step uphill."""
    if not isinstance(learning_rate, np.ndarray):
        return check_positive_number("learning_rate", learning_rate)
    rates = as_float_array("learning_rate", learning_rate)
    if not np.all(rates > 0):
        raise ValueError(f"learning_rate must hold positive finite numbers, got {learning_rate.ravel().tolist()!r}")
    return rates


class Optimizer:
    """What every rule shares: the checked `step`."""

    def step(self, params, grads):
        """One update of params (a list of float64 arrays, changed in place) from grads (same shapes)."""
        if not isinstance(params, list) or not isinstance(grads, list) or len(params) != len(grads):
            raise TypeError("params and grads must be lists of arrays of the same length")
        for index, (p, g) in enumerate(zip(params, grads)):
            if not isinstance(p, np.ndarray) or p.dtype != np.float64:
                raise TypeError(f"params[{index}] must be a float64 numpy array, got {type(p).__name__}")
            if np.shape(g) != p.shape:
                raise ValueError(f"grads[{index}] must have the shape of params[{index}] {p.shape}, got {np.shape(g)}")
            if not np.isfinite(g).all():
                raise ValueError(f"grads[{index}] must hold finite numbers, got NaN or inf")
        self.update(params, [np.asarray(g, dtype=np.float64) for g in grads])


class GradientDescent(Optimizer):
    """p <- p - learning_rate * g."""

    def __init__(self, learning_rate):
        self.learning_rate = _learning_rate(learning_rate)

    def update(self, params, grads):
        for p, g in zip(params, grads):
            p -= self.learning_rate * g


class Momentum(Optimizer):
    """v <- beta v + g;  p <- p - learning_rate * v.  A heavy ball that keeps part of its last step."""

    def __init__(self, learning_rate, beta=0.9):
        self.learning_rate, self.beta = _learning_rate(learning_rate), _fraction("beta", beta)
        self.velocity = None

    def update(self, params, grads):
        if self.velocity is None:
            self.velocity = [np.zeros_like(p) for p in params]
        for p, g, v in zip(params, grads, self.velocity):
            v *= self.beta
            v += g
            p -= self.learning_rate * v


class RMSprop(Optimizer):
    """s <- rho s + (1 - rho) g^2;  p <- p - learning_rate * g / (sqrt(s) + eps).  A step size per parameter."""

    def __init__(self, learning_rate, rho=0.9, epsilon=1e-8):
        self.learning_rate, self.rho = _learning_rate(learning_rate), _fraction("rho", rho)
        self.epsilon = check_positive_number("epsilon", epsilon)
        self.square_average = None

    def update(self, params, grads):
        if self.square_average is None:
            self.square_average = [np.zeros_like(p) for p in params]
        for p, g, s in zip(params, grads, self.square_average):
            s *= self.rho
            s += (1.0 - self.rho) * g * g
            p -= self.learning_rate * g / (np.sqrt(s) + self.epsilon)


class Adam(Optimizer):
    """Momentum and RMSprop together, with both averages corrected for starting at zero.

    m <- b1 m + (1 - b1) g;  v <- b2 v + (1 - b2) g^2;  p <- p - learning_rate * m_hat / (sqrt(v_hat) + eps)
    with m_hat = m / (1 - b1^t), v_hat = v / (1 - b2^t) at step t = 1, 2, ...
    """

    def __init__(self, learning_rate, beta1=0.9, beta2=0.999, epsilon=1e-8):
        self.learning_rate = _learning_rate(learning_rate)
        self.beta1, self.beta2 = _fraction("beta1", beta1), _fraction("beta2", beta2)
        self.epsilon = check_positive_number("epsilon", epsilon)
        self.first = self.second = None
        self.t = 0

    def update(self, params, grads):
        if self.first is None:
            self.first = [np.zeros_like(p) for p in params]
            self.second = [np.zeros_like(p) for p in params]
        self.t += 1
        correction1, correction2 = 1.0 - self.beta1**self.t, 1.0 - self.beta2**self.t
        for p, g, m, v in zip(params, grads, self.first, self.second):
            m *= self.beta1
            m += (1.0 - self.beta1) * g
            v *= self.beta2
            v += (1.0 - self.beta2) * g * g
            p -= self.learning_rate * (m / correction1) / (np.sqrt(v / correction2) + self.epsilon)


OPTIMIZERS = {"gd": GradientDescent, "momentum": Momentum, "rmsprop": RMSprop, "adam": Adam}


def check_constants(name, constants):
    """The optimizer class called `name`, after checking it takes every one of `constants`."""
    rule = OPTIMIZERS[check_choice("optimizer", name, OPTIMIZERS)]
    takes = [p for p in inspect.signature(rule).parameters if p != "learning_rate"]
    unknown = sorted(set(constants) - set(takes))
    if unknown:
        raise TypeError(f"optimizer {name!r} takes the constants {takes or 'none'}, got {unknown}")
    return rule


def make_optimizer(name, learning_rate, **constants):
    """An optimizer by name ('gd', 'momentum', 'rmsprop', 'adam') with its learning rate and its own constants."""
    return check_constants(name, constants)(learning_rate, **constants)
