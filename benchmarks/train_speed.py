"""How fast helpers.train is against the shortest hand-written numpy loop for the same network.

A [2, 4, 1] sigmoid network learns XOR by full-batch gradient descent (MSE, learning rate 0.5,
10,000 epochs) three ways, each started from the same weights:
  hand         the shortest numpy loop: forward, backward, update; nothing recorded
  hand+losses  the same loop, also keeping the loss of every epoch
  helpers      helpers.train, which also keeps every epoch's parameters and checks for divergence
The three give the same predictions (asserted). The runs are interleaved and repeated, and the
medians printed: other processes on the machine slow single runs, medians much less.

Prints only (timings vary from machine to machine and run to run; nothing about them is asserted).
Targets: helpers within 1.3x of the hand loop, and 10,000 epochs in under 0.5 s.
Run: .venv/bin/python benchmarks/train_speed.py [--repeats 7] [--epochs 10000]
"""

import argparse
import os
import statistics
import time

import numpy as np

import helpers

LEARNING_RATE = 0.5


def hand_loop(X, y, W1, b1, W2, b2, lr, epochs):
    """Plain numpy gradient descent; returns the final predictions (n, 1)."""
    W1, b1, W2, b2 = W1.copy(), b1.copy(), W2.copy(), b2.copy()
    for _ in range(epochs):
        a1 = 1.0 / (1.0 + np.exp(-(X @ W1 + b1)))
        a2 = 1.0 / (1.0 + np.exp(-(a1 @ W2 + b2)))
        delta2 = (a2 - y) * (2.0 / y.size) * a2 * (1.0 - a2)
        delta1 = (delta2 @ W2.T) * a1 * (1.0 - a1)
        W2 -= lr * (a1.T @ delta2)
        b2 -= lr * delta2.sum(axis=0, keepdims=True)
        W1 -= lr * (X.T @ delta1)
        b1 -= lr * delta1.sum(axis=0, keepdims=True)
    a1 = 1.0 / (1.0 + np.exp(-(X @ W1 + b1)))
    return 1.0 / (1.0 + np.exp(-(a1 @ W2 + b2)))


def hand_loop_with_losses(X, y, W1, b1, W2, b2, lr, epochs):
    """The same loop, also keeping the MSE before each update; returns (predictions, losses (epochs,))."""
    W1, b1, W2, b2 = W1.copy(), b1.copy(), W2.copy(), b2.copy()
    losses = np.empty(epochs)
    for epoch in range(epochs):
        a1 = 1.0 / (1.0 + np.exp(-(X @ W1 + b1)))
        a2 = 1.0 / (1.0 + np.exp(-(a1 @ W2 + b2)))
        error = a2 - y
        losses[epoch] = (error * error).mean()
        delta2 = error * (2.0 / y.size) * a2 * (1.0 - a2)
        delta1 = (delta2 @ W2.T) * a1 * (1.0 - a1)
        W2 -= lr * (a1.T @ delta2)
        b2 -= lr * delta2.sum(axis=0, keepdims=True)
        W1 -= lr * (X.T @ delta1)
        b1 -= lr * delta1.sum(axis=0, keepdims=True)
    a1 = 1.0 / (1.0 + np.exp(-(X @ W1 + b1)))
    return 1.0 / (1.0 + np.exp(-(a1 @ W2 + b2))), losses


def seconds(function, *args):
    """(wall-clock seconds, CPU seconds of this process, result) of one call."""
    wall, cpu = time.perf_counter(), time.process_time()
    result = function(*args)
    return time.perf_counter() - wall, time.process_time() - cpu, result


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=7)
    parser.add_argument("--epochs", type=int, default=10_000)
    options = parser.parse_args()

    X, y = helpers.xor()
    net = helpers.init_network([2, 4, 1], seed=0)
    start = (X, y, net.weights[0], net.biases[0], net.weights[1], net.biases[1], LEARNING_RATE, options.epochs)

    wall = {"hand": [], "hand+losses": [], "helpers": []}
    cpu = {name: [] for name in wall}
    for _ in range(options.repeats):
        for name, function, args in [
            ("hand", hand_loop, start),
            ("hand+losses", hand_loop_with_losses, start),
            ("helpers", helpers.train, (net, X, y, LEARNING_RATE, options.epochs)),
        ]:
            wall_seconds, cpu_seconds, result = seconds(function, *args)
            wall[name].append(wall_seconds)
            cpu[name].append(cpu_seconds)
            if name == "hand":
                hand_predictions = result
            elif name == "hand+losses":
                logged_predictions, hand_losses = result
            else:
                history = result

    # Same start, same rate, same maths: the same network comes out (up to rounding).
    np.testing.assert_allclose(history.predictions, hand_predictions, rtol=1e-9, atol=1e-12)
    np.testing.assert_allclose(history.predictions, logged_predictions, rtol=1e-9, atol=1e-12)
    np.testing.assert_allclose(history.losses[:-1], hand_losses, rtol=1e-9, atol=1e-15)

    blas = np.show_config(mode="dicts")["Build Dependencies"]["blas"]
    print(f"numpy {np.__version__}, BLAS {blas.get('name')} {blas.get('version')}")
    for variable in ("OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE", "OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS"):
        print(f"  {variable}={os.environ.get(variable, '(unset)')}")
    print(f"[2, 4, 1] on XOR, {options.epochs} epochs, lr {LEARNING_RATE}, {options.repeats} interleaved repeats")
    print(f"load average {os.getloadavg()[0]:.2f} on {os.cpu_count()} cores (CPU time is less disturbed by load)")
    for label, times in (("wall", wall), ("CPU", cpu)):
        medians = {name: statistics.median(values) for name, values in times.items()}
        print(f"{label} time, median (min-max) over the repeats:")
        for name, values in times.items():
            per_epoch = medians[name] / options.epochs * 1e6
            print(
                f"  {name:12s} {medians[name]:.3f} s ({min(values):.3f}-{max(values):.3f})  {per_epoch:5.1f} us/epoch"
            )
        ratio = medians["helpers"] / medians["hand"]
        per_10k = medians["helpers"] * 10_000 / options.epochs
        print(
            f"  helpers / hand = {ratio:.2f}x (target <= 1.3x: {'met' if ratio <= 1.3 else 'NOT met'}),"
            f" helpers / hand+losses = {medians['helpers'] / medians['hand+losses']:.2f}x,"
            f" helpers 10,000 epochs = {per_10k:.3f} s (target < 0.5 s: {'met' if per_10k < 0.5 else 'NOT met'})"
        )


if __name__ == "__main__":
    main()
