"""A small fully connected network: parameters, forward pass, backward pass, one descent step.

Layer l maps a_{l-1} (n, n_in) to a_l = f_l(z_l), z_l = a_{l-1} W_l + b_l, with W_l: (n_in, n_out)
and b_l: (1, n_out). Every array may carry extra leading axes, a stack of networks of the same
shape trained side by side (for example one per learning rate); `.mT` transposes the last two.
What measures a network (loss_value, accuracy, dead_units) measures each member of a stack of G:
a (G,) array where one network gives a number.
The output layer may also be a softmax over its K >= 2 units (K classes), trained with
cross-entropy on one-hot targets; its dL/dz_L is (softmax(z_L) - y) / n (see losses.py).

The public functions check their arguments; forward_pass, output_gradient and backward_pass
are the unchecked passes that training calls on every epoch.
"""

from dataclasses import dataclass

import numpy as np

from ._validate import (
    check_choice,
    check_count,
    check_cross_entropy_targets,
    check_inputs,
    check_layers,
    check_positive_number,
)
from .activations import ACTIVATIONS, OUTPUT_ACTIVATIONS
from .losses import get_loss

# The weight_scale of init_network that keeps the spread of z about the same from layer to layer:
# ReLU passes on half of its inputs, so it starts sqrt(2) larger.
WEIGHT_SCALES = {"sigmoid": 1.0, "tanh": 1.0, "relu": float(np.sqrt(2.0))}


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
        """An independent float64 copy (parameters are not shared)."""
        return Network(
            [np.array(w, dtype=np.float64) for w in self.weights],
            [np.array(b, dtype=np.float64) for b in self.biases],
            tuple(self.activations),
        )

    def parameters(self):
        """{'W1': ..., 'b1': ..., 'W2': ...}: every parameter array by name, layers counted from 1."""
        named = {}
        for index, (w, b) in enumerate(zip(self.weights, self.biases), start=1):
            named[f"W{index}"], named[f"b{index}"] = w, b
        return named

    @classmethod
    def from_parameters(cls, parameters, activations):
        """The Network whose parameters() is `parameters` ({'W1': ..., 'b1': ..., ...}); arrays are shared."""
        count = len(activations)
        return cls(
            [parameters[f"W{i}"] for i in range(1, count + 1)],
            [parameters[f"b{i}"] for i in range(1, count + 1)],
            tuple(activations),
        )


def init_network(layer_sizes, activation="sigmoid", output_activation="sigmoid", seed=0, weight_scale=1.0):
    """A network with weights drawn from N(0, weight_scale^2 / n_in) and zero biases.

    layer_sizes: e.g. [2, 1] (one neuron) or [2, 4, 1]; `activation` is used by every hidden
    layer and `output_activation` by the last ('softmax' for K >= 2 classes, e.g. [2, 8, 3]).
    Same seed, same weights.
    """
    if isinstance(layer_sizes, (str, bytes)) or not hasattr(layer_sizes, "__len__"):
        raise TypeError(f"layer_sizes must be a list of integers, got {layer_sizes!r}")
    if len(layer_sizes) < 2:
        raise ValueError(f"layer_sizes must list at least two sizes (inputs and outputs), got {list(layer_sizes)!r}")
    sizes = [check_count(f"layer_sizes[{i}]", size, minimum=1) for i, size in enumerate(layer_sizes)]
    check_choice("activation", activation, ACTIVATIONS)
    check_choice("output_activation", output_activation, OUTPUT_ACTIVATIONS)
    if output_activation == "softmax" and sizes[-1] < 2:
        raise ValueError(f"layer_sizes must end in at least 2 outputs for a softmax output, got {list(layer_sizes)!r}")
    weight_scale = check_positive_number("weight_scale", weight_scale)
    rng = np.random.default_rng(check_count("seed", seed))
    weights = [
        rng.normal(0.0, weight_scale / np.sqrt(n_in), size=(n_in, n_out)) for n_in, n_out in zip(sizes, sizes[1:])
    ]
    biases = [np.zeros((1, n_out)) for n_out in sizes[1:]]
    return Network(weights, biases, (activation,) * (len(sizes) - 2) + (output_activation,))


def forward_pass(network, X):
    """Unchecked forward pass: the activations [X, a_1, ..., a_L] and the last layer's z_L."""
    outputs = [X]
    for w, b, name in zip(network.weights, network.biases, network.activations):
        z = outputs[-1] @ w + b
        outputs.append(OUTPUT_ACTIVATIONS[name].function(z))
    return outputs, z


def output_gradient(network, loss, outputs, z, y):
    """Unchecked: the loss and dL/dz_L, its gradient at the last layer's z.

    Cross-entropy is computed on z directly (for a sigmoid or softmax output); for MSE,
    dL/dz = dL/da * f'(z), f'(z) from a = f(z).
    """
    if loss.on_logits:
        return loss.value_and_gradient(z, y)
    value, grad_a = loss.value_and_gradient(outputs[-1], y)
    return value, grad_a * ACTIVATIONS[network.activations[-1]].derivative_from_output(outputs[-1])


def backward_pass(network, outputs, grad_z):
    """Unchecked backward pass from the forward activations and dL/dz_L; returns (dWs, dbs)."""
    grad_weights, grad_biases = [], []
    for layer in reversed(range(len(network.weights))):
        grad_weights.append(outputs[layer].mT @ grad_z)
        grad_biases.append(np.add.reduce(grad_z, axis=-2, keepdims=True))  # a sum over the n rows
        if layer:
            # dL/da of the layer below, then dL/dz with f'(z) computed from that layer's output a.
            grad_a = grad_z @ network.weights[layer].mT
            grad_z = grad_a * ACTIVATIONS[network.activations[layer - 1]].derivative_from_output(outputs[layer])
    return grad_weights[::-1], grad_biases[::-1]


def check_network(network, single=True):
    """A Network whose layers chain (see _validate.check_layers); single: refuse a stack of networks."""
    if not isinstance(network, Network):
        raise TypeError(f"network must be a Network (see init_network), got {type(network).__name__}")
    check_layers(network.weights, network.biases, network.activations, OUTPUT_ACTIVATIONS, single)
    *hidden, output = network.activations
    if "softmax" in hidden:
        raise ValueError(
            f"network.activations[{hidden.index('softmax')}] must be one of {sorted(ACTIVATIONS)}: "
            "softmax is for the output layer only, got 'softmax'"
        )
    if output == "softmax" and network.weights[-1].shape[-1] < 2:
        raise ValueError(
            f"network must have at least 2 outputs for a softmax output layer, got {network.weights[-1].shape[-1]}"
        )
    return network


def check_network_data(network, X, y=None, loss=None, single=False):
    """The door of every function given a network and data: the network (single: not a stack), (X, y)
    checked against its layer sizes, and with y the Loss called `loss` for its output layer (cross-entropy
    also checks the output layer and the targets; a softmax output takes only cross-entropy)."""
    sizes = check_network(network, single).layer_sizes
    data = check_inputs(X, y, n_inputs=sizes[0], n_outputs=None if y is None else sizes[-1])
    if y is None:
        return data
    loss_ = get_loss(loss, network.activations[-1])
    if network.activations[-1] == "softmax" and not loss_.on_logits:
        raise ValueError(f"loss must be 'cross_entropy' for a softmax output layer, got {loss!r}")
    if loss_.on_logits:
        check_cross_entropy_targets(network, data[1])
    return (*data, loss_)


def forward(network, X):
    """Forward pass. X: (n, n_inputs). Returns the list [X, a_1, ..., a_L]; a_L: (n, n_outputs)."""
    return forward_pass(network, check_network_data(network, X))[0]


def predict(network, X):
    """The network's output for X: (n, n_inputs) -> (n, n_outputs)."""
    return forward(network, X)[-1]


def backward(network, X, y, loss="mse"):
    """Gradients of the loss for X: (n, n_inputs), y: (n, n_outputs).

    loss: 'mse', or 'cross_entropy' (a sigmoid or softmax output layer; computed on its logit z).
    Returns {'W1': dL/dW1, 'b1': dL/db1, ...}, each the shape of its parameter.
    """
    X, y, loss_ = check_network_data(network, X, y, loss)
    outputs, z = forward_pass(network, X)
    grad_z = output_gradient(network, loss_, outputs, z, y)[1]
    return Network(*backward_pass(network, outputs, grad_z), network.activations).parameters()


def loss_value(network, X, y, loss="mse"):
    """The loss of the network on (X, y): a float, or (G,) for a stack of G networks."""
    X, y, loss_ = check_network_data(network, X, y, loss)
    outputs, z = forward_pass(network, X)
    value = loss_.value_and_gradient(z if loss_.on_logits else outputs[-1], y)[0]
    return float(value) if np.ndim(value) == 0 else value


def accuracy(network, X, y):
    """Fraction of the rows of X: (n, n_inputs) that the network classifies as y says.

    One output: y (n, 1) labels in {0, 1}; a row is right when its output lies strictly on the side
    of 0.5 its label asks for (an output of exactly 0.5 decides nothing, so it is wrong).
    K >= 2 outputs (e.g. a softmax): y (n, K) one-hot rows; a row is right when its largest output
    is at its class, and no other output ties with it (a tie decides nothing either).
    A float, or (G,) for a stack of G networks.
    """
    sizes = check_network(network, single=False).layer_sizes
    X, y = check_inputs(X, y, n_inputs=sizes[0], n_outputs=sizes[-1])
    output = forward_pass(network, X)[0][-1]
    if y.shape[1] == 1:
        right = np.where(y[:, 0] > 0.5, output[..., 0] > 0.5, output[..., 0] < 0.5)
    else:
        if not np.all((y == 0) | (y == 1)) or not np.all(y.sum(axis=1) == 1):
            raise ValueError(
                f"y must hold one-hot rows (see helpers.one_hot) to measure accuracy over {y.shape[1]} classes, "
                "got other values"
            )
        largest = output == output.max(axis=-1, keepdims=True)
        right = np.any(largest & (y == 1), axis=-1) & (largest.sum(axis=-1) == 1)
    fraction = right.mean(axis=-1)  # over the n rows: a number, or one per member of a stack
    return float(fraction) if fraction.ndim == 0 else fraction


def dead_units(network, X):
    """For each hidden layer, how many of its units output 0 on every row of X: (n, n_inputs).

    A ReLU unit whose z is negative for every input passes no gradient back, so it never learns
    again: a list of ints, one per hidden layer (sigmoid and tanh units are never exactly 0);
    for a stack of G networks, a (G,) array of counts per hidden layer.
    """
    X = check_network_data(network, X)
    outputs, _ = forward_pass(network, X)
    counts = [np.sum(np.all(a == 0.0, axis=-2), axis=-1) for a in outputs[1:-1]]  # each (G,) for a stack
    return [int(count) if count.ndim == 0 else count for count in counts]


def _check_gradients(network, gradients):
    """Gradients like backward() returns for `network`: a dict of finite arrays of the parameters' shapes."""
    params = network.parameters()
    if not isinstance(gradients, dict):
        raise TypeError(f"gradients must be a dict like backward() returns, got {type(gradients).__name__}")
    if set(gradients) != set(params):
        raise ValueError(f"gradients must be a dict with keys {sorted(params)}, got keys {sorted(gradients)}")
    for name, p in params.items():
        if np.shape(gradients[name]) != p.shape:
            raise ValueError(f"gradients[{name!r}] must have shape {p.shape}, got {np.shape(gradients[name])}")
        if not np.isfinite(gradients[name]).all():
            raise ValueError(f"gradients[{name!r}] must hold finite numbers, got NaN or inf")
    return gradients


def gradient_step(network, gradients, learning_rate):
    """A new network moved one step of gradient descent: p <- p - learning_rate * dL/dp."""
    check_network(network, single=False)
    _check_gradients(network, gradients)
    learning_rate = check_positive_number("learning_rate", learning_rate)
    moved = {name: p - learning_rate * gradients[name] for name, p in network.parameters().items()}
    return Network.from_parameters(moved, network.activations)
