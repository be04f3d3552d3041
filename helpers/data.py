"""Data sets. Every one returns X: (n, 2) float64 and y: (n, 1) float64 labels in {0, 1}.

Truth tables: the four corners of the unit square labelled by a logic gate (`xor()`, `and_gate()`,
`or_gate()`, `logic_gate(name)`). 2-D sets for classification, in the spirit of TensorFlow
Playground (`make_dataset(name)`, one of DATASETS; "noisy_xor" is XOR as a cloud of points, "xor"
alone always means the truth table): half of the points (rounded down) in class 0, all drawn in the
same box so one plot window, DATASET_LIMITS = (-1.5, 1.5) on both axes, shows every one of them.
The noise-free shapes lie within [-1.2, 1.2]^2 and `noise` (the standard deviation of Gaussian
jitter added to each coordinate, in the same units) spreads them from there. Rows come shuffled.
Same seed, same arrays.

More classes: `spiral(classes=3)` (make_dataset("spiral3")) has three arms and one-hot targets
y: (n, 3), as a softmax output layer needs (`one_hot` turns labels into such rows). `split` cuts
a data set into training, validation and test points.
"""

import numpy as np

from ._validate import as_float_array, check_choice, check_count, check_number_between, check_positive_number

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


def spiral(n=200, noise=0.05, turns=1.0, seed=0, classes=2):
    """Interleaved spiral arms, one per class, arm k turned by k / classes of a revolution.

    Each arm winds `turns` times around the centre (turns > 0) while its radius grows from 0.1 to
    1.2. X: (n, 2) float64. classes=2: y (n, 1) float64 in {0, 1}, class 1 the arm turned by half
    a revolution. classes >= 3: y (n, classes) one-hot rows, the classes as even as n allows.
    """
    classes = check_count("classes", classes, minimum=2)
    n, noise, rng, sizes = _start(n, noise, seed)
    if n < classes:
        raise ValueError(f"n must be an integer >= {classes} (a point per class), got {n}")
    turns = check_positive_number("turns", turns)
    sizes = [(n + k) // classes for k in range(classes)]  # (n // 2, n - n // 2) for two classes
    # Points spread along the arm by arc position t in [0, 1]; sqrt keeps the density even along
    # the arm instead of crowding the centre.
    t = np.sqrt(rng.uniform(0.0, 1.0, n))
    radius = 0.1 + (_EXTENT - 0.1) * t
    labels = np.repeat(np.arange(classes), sizes)
    angle = 2.0 * np.pi * turns * t + 2.0 * np.pi * labels / classes
    points = radius[:, None] * np.column_stack([np.cos(angle), np.sin(angle)])
    X, y = _finish(points, labels, noise, rng)
    return (X, y) if classes == 2 else (X, one_hot(y[:, 0].astype(np.int64), classes))


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


def _three_arm_spiral(n=200, noise=0.05, turns=1.0, seed=0):
    return spiral(n, noise, turns, seed, classes=3)


_GENERATORS = {
    "gaussian_blobs": gaussian_blobs,
    "noisy_xor": noisy_xor,
    "circles": circles,
    "two_moons": two_moons,
    "spiral": spiral,
    "spiral3": _three_arm_spiral,
}

# The extra shape argument each generator takes besides n, noise and seed.
_OPTIONS = {"circles": {"factor"}, "spiral": {"turns"}, "spiral3": {"turns"}}

# Names make_dataset accepts for two classes, y (n, 1); and for three, y (n, 3) one-hot.
DATASETS = ("gaussian_blobs", "noisy_xor", "circles", "two_moons", "spiral")
THREE_CLASS_DATASETS = ("spiral3",)


def make_dataset(name, n=200, noise=None, seed=0, **options):
    """The data set called `name`: X (n, 2) float64 and y, (n, 1) float64 in {0, 1} for one of
    DATASETS, (n, 3) one-hot rows for one of THREE_CLASS_DATASETS ('spiral3': spiral(classes=3)).

    noise=None takes that generator's default; options go to the generator: factor for
    'circles', turns for 'spiral' and 'spiral3'.
    """
    check_choice("name", name, _GENERATORS)
    unknown = set(options) - _OPTIONS.get(name, set())
    if unknown:
        allowed = sorted(_OPTIONS.get(name, set())) or "none"
        raise TypeError(f"options for {name!r} must be among {allowed}, got {sorted(unknown)}")
    if noise is not None:
        options["noise"] = noise
    return _GENERATORS[name](n=n, seed=seed, **options)


def one_hot(labels, classes):
    """Labels (n,) whole numbers in 0..classes-1 -> (n, classes) float64 rows, a 1 at each label.

    A column (n, 1) of labels, like the y of a two-class data set, is accepted too.
    """
    classes = check_count("classes", classes, minimum=1)
    labels = as_float_array("labels", labels)
    if labels.ndim == 2 and labels.shape[1] == 1:
        labels = labels[:, 0]
    if labels.ndim != 1:
        raise ValueError(f"labels must be a 1-D array (n,) of class numbers, got shape {labels.shape}")
    if np.any((labels != np.round(labels)) | (labels < 0) | (labels >= classes)):
        raise ValueError(f"labels must be whole numbers from 0 to {classes - 1}, got values outside them")
    rows = np.zeros((len(labels), classes))
    rows[np.arange(len(labels)), labels.astype(np.int64)] = 1.0
    return rows


def split(X, y, fractions=(0.6, 0.2, 0.2), seed=0):
    """Cut (X, y) into training, validation and test points, in a seeded random order.

    X: (n, d); y: (n, k); fractions: three positive numbers summing to 1, the share of each part
    (each part gets at least one row). Returns (X_train, y_train), (X_val, y_val), (X_test, y_test).
    Train on the first; choose the epoch, rate, width... on the second; report the third once.
    """
    X = as_float_array("X", X, ndim=2)
    y = as_float_array("y", y, ndim=2)
    if len(y) != len(X):
        raise ValueError(f"y must have one row per row of X ({len(X)}), got shape {y.shape}")
    if isinstance(fractions, (str, bytes)) or np.ndim(fractions) != 1 or len(fractions) != 3:
        raise ValueError(f"fractions must be three numbers (training, validation, test), got {fractions!r}")
    shares = [check_positive_number(f"fractions[{i}]", share) for i, share in enumerate(fractions)]
    if abs(sum(shares) - 1.0) > 1e-9:
        raise ValueError(f"fractions must sum to 1, got {fractions!r} (sum {sum(shares):g})")
    order = np.random.default_rng(check_count("seed", seed)).permutation(len(X))
    ends = np.round(np.cumsum(shares[:2]) * len(X)).astype(int)
    parts = np.split(order, ends)
    if min(len(part) for part in parts) == 0:
        raise ValueError(f"X must have enough rows for each of the three parts, got {len(X)} rows for {fractions!r}")
    return tuple((X[part], y[part]) for part in parts)
