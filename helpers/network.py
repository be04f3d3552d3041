"""A small fully connected network: parameters, forward pass, backward pass, one descent step.

Layer l maps a_{l-1} (n, n_in) to a_l = f_l(a_{l-1} W_l + b_l) with W_l: (n_in, n_out) and
b_l: (1, n_out). Every array may carry extra leading axes, a stack of networks of the same
shape trained side by side (for example one per learning rate); `.mT` transposes the last two.
"""

from dataclasses import dataclass

import numpy as np

from ._validate import check_choice, check_count, check_inputs, check_positive_number
from .activations import ACTIVATIONS
from .losses import get_loss


@dataclass
class Network:
    """weights[l]: (..., n_in, n_out); biases[l]: (..., 1, n_out); activations[l]: a name."""

    weights: list
    biases: list
    activations: tuple

    @property
    def layer_sizes(self):
        """[n_inputs, n_hidden..., n_outputs]."""
        return [self.weights[0].shape[-2]] + [w.shape[-1] for w in self.weights]

    def copy(self):
        """An independent copy (parameters are not shared)."""
        return Network([w.copy() for w in self.weights], [b.copy() for b in self.biases], self.activations)

    def parameters(self):
        """{'W1': ..., 'b1': ..., 'W2': ...}: every parameter array by name, layers counted from 1."""
        named = {}
        for index, (w, b) in enumerate(zip(self.weights, self.biases), start=1):
            named[f"W{index}"] = w
            named[f"b{index}"] = b
        return named


def init_network(layer_sizes, activation="sigmoid", output_activation="sigmoid", seed=0, weight_scale=1.0):
    """A network with weights drawn from N(0, weight_scale^2 / n_in) and zero biases.

    layer_sizes: e.g. [2, 1] (one neuron) or [2, 4, 1]; `activation` is used by every hidden
    layer and `output_activation` by the last. Same seed, same weights.
    """
    if isinstance(layer_sizes, (str, bytes)) or not hasattr(layer_sizes, "__len__"):
        raise TypeError(f"layer_sizes must be a list of integers, got {layer_sizes!r}")
    if len(layer_sizes) < 2:
        raise ValueError(f"layer_sizes must list at least two sizes (inputs and outputs), got {list(layer_sizes)!r}")
    sizes = [check_count(f"layer_sizes[{i}]", size, minimum=1) for i, size in enumerate(layer_sizes)]
    check_choice("activation", activation, ACTIVATIONS)
    check_choice("output_activation", output_activation, ACTIVATIONS)
    weight_scale = check_positive_number("weight_scale", weight_scale)
    check_count("seed", seed)
    rng = np.random.default_rng(seed)
    weights = [
        rng.normal(0.0, weight_scale / np.sqrt(n_in), size=(n_in, n_out)) for n_in, n_out in zip(sizes, sizes[1:])
    ]
    biases = [np.zeros((1, n_out)) for n_out in sizes[1:]]
    activations = (activation,) * (len(sizes) - 2) + (output_activation,)
    return Network(weights, biases, activations)


def _forward(network, X):
    """Unchecked forward pass; returns the activations [X, a_1, ..., a_L]."""
    outputs = [X]
    for w, b, name in zip(network.weights, network.biases, network.activations):
        outputs.append(ACTIVATIONS[name].function(outputs[-1] @ w + b))
    return outputs


def _backward(network, outputs, grad_a):
    """Unchecked backward pass from the forward activations and dL/da_L; returns (dWs, dbs)."""
    grad_weights, grad_biases = [], []
    for layer in reversed(range(len(network.weights))):
        a, a_prev = outputs[layer + 1], outputs[layer]
        # dL/dz = dL/da * f'(z), with f'(z) computed from the layer's output a = f(z).
        grad_z = grad_a * ACTIVATIONS[network.activations[layer]].derivative_from_output(a)
        grad_weights.append(a_prev.mT @ grad_z)
        grad_biases.append(grad_z.sum(axis=-2, keepdims=True))
        if layer:
            grad_a = grad_z @ network.weights[layer].mT
    return grad_weights[::-1], grad_biases[::-1]


def _require_network(network):
    if not isinstance(network, Network):
        raise TypeError(f"network must be a Network (see init_network), got {type(network).__name__}")
    return network


def _check_loss(loss, y):
    """The Loss called `loss`, after checking the targets y suit it (cross-entropy needs [0, 1])."""
    loss_ = get_loss(loss)
    if loss_.needs_probabilities and np.any((y < 0) | (y > 1)):
        raise ValueError("y must lie in [0, 1] for cross_entropy, got values outside it")
    return loss_


def _check_network(network, X, y=None):
    _require_network(network)
    n_outputs = network.layer_sizes[-1]
    return check_inputs(X, y, n_inputs=network.layer_sizes[0], n_outputs=None if y is None else n_outputs)


def forward(network, X):
    """Forward pass. X: (n, n_inputs). Returns the list [X, a_1, ..., a_L]; a_L: (n, n_outputs)."""
    return _forward(network, _check_network(network, X))


def predict(network, X):
    """The network's output for X: (n, n_inputs) -> (n, n_outputs)."""
    return forward(network, X)[-1]


def backward(network, X, y, loss="mse"):
    """Gradients of the loss for X: (n, n_inputs), y: (n, n_outputs).

    Returns {'W1': dL/dW1, 'b1': dL/db1, ...}, each the shape of its parameter.
    """
    X, y = _check_network(network, X, y)
    loss_ = _check_loss(loss, y)
    outputs = _forward(network, X)
    grad_weights, grad_biases = _backward(network, outputs, loss_.gradient(outputs[-1], y))
    return _named(grad_weights, grad_biases)


def loss_value(network, X, y, loss="mse"):
    """The loss of the network's predictions on (X, y): a float, or (G,) for a stack of G networks."""
    X, y = _check_network(network, X, y)
    loss_ = _check_loss(loss, y)
    value = loss_.value(_forward(network, X)[-1], y)
    return float(value) if np.ndim(value) == 0 else value


def gradient_step(network, gradients, learning_rate):
    """A new network moved one step of gradient descent: p <- p - learning_rate * dL/dp."""
    _require_network(network)
    learning_rate = check_positive_number("learning_rate", learning_rate)
    params = network.parameters()
    if not isinstance(gradients, dict):
        raise TypeError(f"gradients must be a dict like backward() returns, got {type(gradients).__name__}")
    if set(gradients) != set(params):
        raise ValueError(f"gradients must be a dict with keys {sorted(params)}, got {gradients!r:.80}")
    for name, p in params.items():
        if np.shape(gradients[name]) != p.shape:
            raise ValueError(f"gradients[{name!r}] must have shape {p.shape}, got {np.shape(gradients[name])}")
    n = len(network.weights)
    return Network(
        [network.weights[i] - learning_rate * gradients[f"W{i + 1}"] for i in range(n)],
        [network.biases[i] - learning_rate * gradients[f"b{i + 1}"] for i in range(n)],
        network.activations,
    )


def _named(grad_weights, grad_biases):
    named = {}
    for index, (gw, gb) in enumerate(zip(grad_weights, grad_biases), start=1):
        named[f"W{index}"] = gw
        named[f"b{index}"] = gb
    return named
