"""Data sets. Every one returns X: (n, 2) float64 and y: (n, 1) float64 labels in {0, 1}.

Truth tables: the four corners of the unit square labelled by a logic gate (`xor()`, `and_gate()`,
`or_gate()`, `logic_gate(name)`). 2-D sets for classification, in the spirit of TensorFlow
Playground (`make_dataset(name)`, one of DATASETS; "noisy_xor" is XOR as a cloud of points, "xor"
alone always means the truth table): half of the points (rounded down) in class 0, all drawn in the
same box so one plot window, DATASET_LIMITS = (-1.5, 1.5) on both axes, shows every one of them.
The noise-free shapes lie within [-1.2, 1.2]^2 and `noise` (the standard deviation of Gaussian
jitter added to each coordinate, in the same units) spreads them from there. Rows come shuffled.
Same seed, same arrays.
"""

import numpy as np

from ._validate import check_choice, check_count, check_number_between, check_positive_number

# The four corners of the unit square, in the order every notebook prints them.
CORNERS = np.array([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]])

_GATES = {
    "xor": [0.0, 1.0, 1.0, 0.0],
    "and": [0.0, 0.0, 0.0, 1.0],
    "or": [0.0, 1.0, 1.0, 1.0],
}


def logic_gate(name):
    """Truth table of 'xor', 'and' or 'or': X (4, 2), y (4, 1)."""
    check_choice("name", name, _GATES)
    return CORNERS.copy(), np.array(_GATES[name]).reshape(4, 1)


def xor():
    """XOR truth table: y = 1 where exactly one input is 1. X (4, 2), y (4, 1)."""
    return logic_gate("xor")


def and_gate():
    """AND truth table: y = 1 only for (1, 1). X (4, 2), y (4, 1)."""
    return logic_gate("and")


def or_gate():
    """OR truth table: y = 1 unless both inputs are 0. X (4, 2), y (4, 1)."""
    return logic_gate("or")


# Plot window (low, high) shared by both axes of every data set below.
DATASET_LIMITS = (-1.5, 1.5)

# Noise-free points lie within [-_EXTENT, _EXTENT]^2, leaving room for jitter inside DATASET_LIMITS.
_EXTENT = 1.2


def _start(n, noise, seed):
    """Validate the arguments every generator shares; return (n, noise, rng, class sizes)."""
    n = check_count("n", n, minimum=2)
    noise = check_number_between("noise", noise, 0.0, np.inf, include_low=True)
    seed = check_count("seed", seed)
    # Class 0 gets the smaller half when n is odd, so both classes always have a point.
    return n, noise, np.random.default_rng(seed), (n // 2, n - n // 2)


def _finish(points, labels, noise, rng):
    """Add the jitter, shuffle the rows and return X (n, 2), y (n, 1)."""
    X = points + rng.normal(0.0, noise, size=points.shape) if noise else points
    order = rng.permutation(len(X))
    return X[order].astype(np.float64), labels[order].reshape(-1, 1).astype(np.float64)


def _labels(sizes):
    return np.repeat([0.0, 1.0], sizes)


def two_moons(n=200, noise=0.1, seed=0):
    """Two interleaving half circles: class 0 arches up, class 1 hangs below it, shifted right.

    X: (n, 2) float64, y: (n, 1) float64 in {0, 1}.
    """
    n, noise, rng, sizes = _start(n, noise, seed)
    upper = rng.uniform(0.0, np.pi, sizes[0])
    lower = rng.uniform(0.0, np.pi, sizes[1])
    points = np.concatenate(
        [
            np.column_stack([np.cos(upper), np.sin(upper)]),
            np.column_stack([1.0 - np.cos(lower), 0.5 - np.sin(lower)]),
        ]
    )
    # The moons span x in [-1, 2] and y in [-0.5, 1]: centre them and stretch x to the common box.
    points = (points - [0.5, 0.25]) * (_EXTENT / 1.5)
    return _finish(points, _labels(sizes), noise, rng)


def circles(n=200, noise=0.05, factor=0.5, seed=0):
    """A ring of class 0 around a smaller concentric ring of class 1 (radius `factor` times as large).

    factor: between 0 and 1. X: (n, 2) float64, y: (n, 1) float64 in {0, 1}.
    """
    n, noise, rng, sizes = _start(n, noise, seed)
    factor = check_number_between("factor", factor, 0.0, 1.0)
    angles = rng.uniform(0.0, 2.0 * np.pi, n)
    radii = np.repeat([_EXTENT, factor * _EXTENT], sizes)
    points = radii[:, None] * np.column_stack([np.cos(angles), np.sin(angles)])
    return _finish(points, _labels(sizes), noise, rng)


def spiral(n=200, noise=0.05, turns=1.0, seed=0):
    """Two interleaved spiral arms, class 1 the other arm turned by half a revolution.

    Each arm winds `turns` times around the centre (turns > 0) while its radius grows from 0.1 to
    1.2. X: (n, 2) float64, y: (n, 1) float64 in {0, 1}.
    """
    n, noise, rng, sizes = _start(n, noise, seed)
    turns = check_positive_number("turns", turns)
    # Points spread along the arm by arc position t in [0, 1]; sqrt keeps the density even along
    # the arm instead of crowding the centre.
    t = np.sqrt(rng.uniform(0.0, 1.0, n))
    radius = 0.1 + (_EXTENT - 0.1) * t
    angle = 2.0 * np.pi * turns * t + np.repeat([0.0, np.pi], sizes)
    points = radius[:, None] * np.column_stack([np.cos(angle), np.sin(angle)])
    return _finish(points, _labels(sizes), noise, rng)


def gaussian_blobs(n=200, noise=0.25, seed=0):
    """Two round Gaussian clouds, class 0 around (-0.6, -0.6) and class 1 around (0.6, 0.6).

    Here `noise` is the clouds' standard deviation (0 puts every point on its centre).
    X: (n, 2) float64, y: (n, 1) float64 in {0, 1}.
    """
    n, noise, rng, sizes = _start(n, noise, seed)
    points = np.repeat([[-0.6, -0.6], [0.6, 0.6]], sizes, axis=0)
    return _finish(points, _labels(sizes), noise, rng)


def noisy_xor(n=200, noise=0.05, seed=0):
    """XOR on the plane: class 1 where the two coordinates have opposite signs (the quadrants
    that play the corners (0, 1) and (1, 0) of the truth table), class 0 where they agree.

    Points are uniform in each quadrant, kept 0.1 away from the axes before the jitter.
    X: (n, 2) float64, y: (n, 1) float64 in {0, 1}.
    """
    n, noise, rng, sizes = _start(n, noise, seed)
    # Magnitudes away from the axes; signs chosen so that each class fills its two quadrants.
    magnitude = rng.uniform(0.1, _EXTENT, size=(n, 2))
    first = rng.choice([-1.0, 1.0], size=n)
    second = first * np.repeat([1.0, -1.0], sizes)
    points = magnitude * np.column_stack([first, second])
    return _finish(points, _labels(sizes), noise, rng)


_GENERATORS = {
    "gaussian_blobs": gaussian_blobs,
    "noisy_xor": noisy_xor,
    "circles": circles,
    "two_moons": two_moons,
    "spiral": spiral,
}

# The extra shape argument each generator takes besides n, noise and seed.
_OPTIONS = {"circles": {"factor"}, "spiral": {"turns"}}

# Names make_dataset accepts.
DATASETS = tuple(_GENERATORS)


def make_dataset(name, n=200, noise=None, seed=0, **options):
    """The data set called `name` (one of DATASETS): X (n, 2) float64, y (n, 1) float64 in {0, 1}.

    noise=None takes that generator's default; options go to the generator: factor for
    'circles', turns for 'spiral'.
    """
    check_choice("name", name, _GENERATORS)
    unknown = set(options) - _OPTIONS.get(name, set())
    if unknown:
        allowed = sorted(_OPTIONS.get(name, set())) or "none"
        raise TypeError(f"options for {name!r} must be among {allowed}, got {sorted(unknown)}")
    if noise is not None:
        options["noise"] = noise
    return _GENERATORS[name](n=n, seed=seed, **options)
