"""Plumbing shared by the course notebooks. Plain numpy, float64, seeded.

The maths is exported here (activations, losses, the network, training and the learning-rate
sweep, gradient checks, data, the scalar engine). The pictures and controls are imported from their
own modules: helpers.livefigure, helpers.controls, helpers.plots, helpers.diagram, helpers.tables,
helpers.layouts, helpers.graphview and helpers.playground (with its configurations in
helpers.configurations); the exercise checks from helpers.exercises.
"""

from .activations import (
    ACTIVATIONS,
    OUTPUT_ACTIVATIONS,
    get_activation,
    relu,
    relu_derivative,
    relu_derivative_from_output,
    sigmoid,
    sigmoid_derivative,
    sigmoid_derivative_from_output,
    softmax,
    tanh,
    tanh_derivative,
    tanh_derivative_from_output,
)
from .data import (
    DATASET_LIMITS,
    DATASETS,
    THREE_CLASS_DATASETS,
    and_gate,
    circles,
    gaussian_blobs,
    logic_gate,
    make_dataset,
    noisy_xor,
    one_hot,
    or_gate,
    spiral,
    split,
    two_moons,
    xor,
)
from .engine import Value
from .gradcheck import gradient_check, numerical_derivative, numerical_gradients, relative_error
from .losses import (
    binary_cross_entropy,
    cross_entropy,
    cross_entropy_gradient,
    get_loss,
    mean_squared_error,
    mean_squared_error_gradient,
    softmax_cross_entropy,
    softmax_cross_entropy_gradient,
)
from .network import (
    WEIGHT_SCALES,
    Network,
    accuracy,
    backward,
    dead_units,
    forward,
    gradient_step,
    init_network,
    loss_value,
    predict,
)
from .optimizers import OPTIMIZERS, make_optimizer
from .sweep import train_many
from .training import History, TrainingDiverged, train
