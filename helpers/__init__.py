"""Plumbing shared by the course notebooks: activations, losses, a small network, training,
gradient checks, data sets, plots and widgets. Plain numpy, float64, seeded."""

from .activations import (
    ACTIVATIONS,
    get_activation,
    relu,
    relu_derivative,
    relu_derivative_from_output,
    sigmoid,
    sigmoid_derivative,
    sigmoid_derivative_from_output,
    tanh,
    tanh_derivative,
    tanh_derivative_from_output,
)
from .data import and_gate, logic_gate, or_gate, xor
from .datasets import (
    DATASET_LIMITS,
    DATASETS,
    circles,
    gaussian_blobs,
    make_dataset,
    noisy_xor,
    spiral,
    two_moons,
)
from .exercises import check_answer
from .gradcheck import gradient_check, numerical_derivative, numerical_gradients, relative_error
from .losses import (
    binary_cross_entropy,
    binary_cross_entropy_gradient,
    get_loss,
    mean_squared_error,
    mean_squared_error_gradient,
)
from .network import Network, backward, forward, gradient_step, init_network, loss_value, predict
from .optimizers import OPTIMIZERS, make_optimizer
from .training import History, TrainingDiverged, train, train_many
