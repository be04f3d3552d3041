"""Update rules. Each updates a list of parameter arrays in place from their gradients.

The learning rate may be a number, or an array with one rate per member of a stack of G networks
that broadcasts against the parameters: (G, 1, 1) for (G, n_in, n_out) arrays, (G, 1) for (G, P).
"""

import numbers

import numpy as np

from ._validate import check_choice, check_positive_number


class GradientDescent:
    """p <- p - lr * g."""

    def __init__(self, learning_rate):
        self.learning_rate = learning_rate

    def step(self, params, grads):
        for p, g in zip(params, grads):
            p -= self.learning_rate * g


class Momentum:
    """v <- beta v + g;  p <- p - lr * v.  A heavy ball that keeps part of its last step."""

    def __init__(self, learning_rate, beta=0.9):
        self.learning_rate, self.beta = learning_rate, _fraction("beta", beta)
        self.velocity = None

    def step(self, params, grads):
        if self.velocity is None:
            self.velocity = [np.zeros_like(p) for p in params]
        for p, g, v in zip(params, grads, self.velocity):
            v *= self.beta
            v += g
            p -= self.learning_rate * v


class RMSprop:
    """s <- rho s + (1 - rho) g^2;  p <- p - lr * g / (sqrt(s) + eps).  A step size per parameter."""

    def __init__(self, learning_rate, rho=0.9, epsilon=1e-8):
        self.learning_rate, self.rho = learning_rate, _fraction("rho", rho)
        self.epsilon = check_positive_number("epsilon", epsilon)
        self.square_average = None

    def step(self, params, grads):
        if self.square_average is None:
            self.square_average = [np.zeros_like(p) for p in params]
        for p, g, s in zip(params, grads, self.square_average):
            s *= self.rho
            s += (1.0 - self.rho) * g * g
            p -= self.learning_rate * g / (np.sqrt(s) + self.epsilon)


class Adam:
    """Momentum and RMSprop together, with both averages corrected for starting at zero.

    m <- b1 m + (1 - b1) g;  v <- b2 v + (1 - b2) g^2;  p <- p - lr * m_hat / (sqrt(v_hat) + eps)
    with m_hat = m / (1 - b1^t), v_hat = v / (1 - b2^t) at step t = 1, 2, ...
    """

    def __init__(self, learning_rate, beta1=0.9, beta2=0.999, epsilon=1e-8):
        self.learning_rate = learning_rate
        self.beta1, self.beta2 = _fraction("beta1", beta1), _fraction("beta2", beta2)
        self.epsilon = check_positive_number("epsilon", epsilon)
        self.first = self.second = None
        self.t = 0

    def step(self, params, grads):
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


def make_optimizer(name, learning_rate, **constants):
    """An optimizer by name ('gd', 'momentum', 'rmsprop', 'adam') with its own constants.

    learning_rate: a positive number, or an array of them for a stack of G networks ((G, 1, 1) or (G, 1)).
    """
    check_choice("optimizer", name, OPTIMIZERS)
    if isinstance(learning_rate, np.ndarray):
        if not (np.all(np.isfinite(learning_rate)) and np.all(learning_rate > 0)):
            raise ValueError(f"learning_rate must hold positive finite numbers, got {learning_rate.ravel()!r}")
    else:
        learning_rate = check_positive_number("learning_rate", learning_rate)
    try:
        return OPTIMIZERS[name](learning_rate, **constants)
    except TypeError as error:
        raise TypeError(f"optimizer {name!r} got constants it does not take: {sorted(constants)}") from error


def _fraction(name, value):
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise TypeError(f"{name} must be a number in [0, 1), got {value!r}")
    if not 0 <= value < 1:
        raise ValueError(f"{name} must be a number in [0, 1), got {value!r}")
    return float(value)
