"""The 2-D data sets of helpers.data: shapes, labels, the shared box, seeding, the shapes themselves, input checks."""

import numpy as np
import pytest

import helpers
from helpers import data

GENERATORS = [
    data.two_moons,
    data.circles,
    data.spiral,
    data.gaussian_blobs,
    data.noisy_xor,
]


@pytest.mark.parametrize("name", helpers.DATASETS)
@pytest.mark.parametrize("n", [2, 3, 101, 200])
def test_shapes_dtypes_and_balanced_labels(name, n):
    X, y = helpers.make_dataset(name, n=n, seed=1)
    assert X.shape == (n, 2) and y.shape == (n, 1)
    assert X.dtype == np.float64 and y.dtype == np.float64
    assert set(np.unique(y)) <= {0.0, 1.0}
    # Class 0 holds the smaller half when n is odd, so both classes are always present.
    assert int((y == 0).sum()) == n // 2
    assert int((y == 1).sum()) == n - n // 2
    assert np.isfinite(X).all()


def test_dataset_names():
    assert set(helpers.DATASETS) == {"two_moons", "circles", "spiral", "noisy_xor", "gaussian_blobs"}
    assert helpers.DATASET_LIMITS == (-1.5, 1.5)


@pytest.mark.parametrize("name", helpers.DATASETS)
def test_noise_free_points_fit_the_common_box(name):
    X, _ = helpers.make_dataset(name, n=500, noise=0.0, seed=3)
    assert np.abs(X).max() <= 1.2 + 1e-12
    # Each set fills most of the box, so one plot window suits all of them.
    assert np.abs(X).max() > 0.5


@pytest.mark.parametrize("name", helpers.DATASETS)
def test_default_noise_stays_roughly_in_the_plot_window(name):
    low, high = helpers.DATASET_LIMITS
    X, _ = helpers.make_dataset(name, n=400, seed=0)
    inside = np.mean((X >= low) & (X <= high))
    assert inside > 0.99


@pytest.mark.parametrize("name", helpers.DATASETS)
def test_same_seed_same_arrays_other_seed_other_arrays(name):
    X1, y1 = helpers.make_dataset(name, n=50, seed=7)
    X2, y2 = helpers.make_dataset(name, n=50, seed=7)
    X3, _ = helpers.make_dataset(name, n=50, seed=8)
    np.testing.assert_array_equal(X1, X2)
    np.testing.assert_array_equal(y1, y2)
    assert not np.array_equal(X1, X3)


@pytest.mark.parametrize("generator", GENERATORS)
def test_noise_is_the_jitter_standard_deviation(generator):
    # Same seed, same noise-free shape; independent jitter of standard deviation 0.2 adds about
    # 0.2^2 to the variance along each axis.
    clean, _ = generator(n=4000, noise=0.0, seed=5)
    noisy, _ = generator(n=4000, noise=0.2, seed=5)
    extra = noisy.var(axis=0) - clean.var(axis=0)
    np.testing.assert_allclose(extra, 0.04, atol=0.01)


def test_make_dataset_matches_the_generators():
    for name, generator in [
        ("two_moons", data.two_moons),
        ("circles", data.circles),
        ("spiral", data.spiral),
        ("noisy_xor", data.noisy_xor),
        ("gaussian_blobs", data.gaussian_blobs),
    ]:
        X1, y1 = helpers.make_dataset(name, n=30, noise=0.1, seed=2)
        X2, y2 = generator(n=30, noise=0.1, seed=2)
        np.testing.assert_array_equal(X1, X2)
        np.testing.assert_array_equal(y1, y2)
    # noise=None keeps the generator's own default.
    np.testing.assert_array_equal(helpers.make_dataset("spiral", n=30)[0], data.spiral(n=30)[0])
    X, _ = helpers.make_dataset("circles", n=30, noise=0.0, factor=0.25)
    np.testing.assert_allclose(np.sort(np.hypot(X[:, 0], X[:, 1]))[:15], 0.3)


def test_circles_radii_and_labels():
    X, y = helpers.circles(n=100, noise=0.0, factor=0.5, seed=0)
    radius = np.hypot(X[:, 0], X[:, 1])
    np.testing.assert_allclose(radius[y[:, 0] == 0], 1.2)
    np.testing.assert_allclose(radius[y[:, 0] == 1], 0.6)


def test_xor_labels_follow_the_quadrants():
    X, y = helpers.noisy_xor(n=400, noise=0.0, seed=0)
    opposite_signs = (X[:, 0] * X[:, 1] < 0).astype(float)
    np.testing.assert_array_equal(y[:, 0], opposite_signs)
    # Kept away from the axes, so no point sits on the class border.
    assert np.abs(X).min() >= 0.1


def test_gaussian_blobs_centres():
    X, y = helpers.gaussian_blobs(n=4000, noise=0.25, seed=0)
    np.testing.assert_allclose(X[y[:, 0] == 0].mean(axis=0), [-0.6, -0.6], atol=0.03)
    np.testing.assert_allclose(X[y[:, 0] == 1].mean(axis=0), [0.6, 0.6], atol=0.03)
    np.testing.assert_allclose(X[y[:, 0] == 1].std(axis=0), 0.25, atol=0.02)


def test_spiral_arms_are_half_a_turn_apart():
    X, y = helpers.spiral(n=200, noise=0.0, turns=1.0, seed=0)
    radius = np.hypot(X[:, 0], X[:, 1])
    assert radius.min() >= 0.1 - 1e-12 and radius.max() <= 1.2 + 1e-12
    # Turning class 0 by pi lands it on class 1's arm: the angle of each point, less its
    # winding 2 pi t, is 0 for class 0 and pi for class 1.
    t = (radius - 0.1) / 1.1
    offset = np.mod(np.arctan2(X[:, 1], X[:, 0]) - 2 * np.pi * t, 2 * np.pi)
    distance_to_pi = np.abs(offset - np.pi)
    assert np.all(distance_to_pi[y[:, 0] == 1] < 1e-9)
    assert np.all(np.minimum(offset, 2 * np.pi - offset)[y[:, 0] == 0] < 1e-9)


def test_two_moons_shapes():
    X, y = helpers.two_moons(n=300, noise=0.0, seed=0)
    # Undo the centring and scaling: class 0 lies on the unit circle's upper half, class 1 on
    # the lower half of the circle centred at (1, 0.5).
    raw = X / (1.2 / 1.5) + [0.5, 0.25]
    upper, lower = raw[y[:, 0] == 0], raw[y[:, 0] == 1]
    np.testing.assert_allclose(np.hypot(upper[:, 0], upper[:, 1]), 1.0)
    assert (upper[:, 1] >= -1e-12).all()
    np.testing.assert_allclose(np.hypot(lower[:, 0] - 1.0, lower[:, 1] - 0.5), 1.0)
    assert (lower[:, 1] <= 0.5 + 1e-12).all()


@pytest.mark.parametrize("name", helpers.DATASETS)
def test_rows_are_shuffled(name):
    # The labels are not one block of 0s followed by one block of 1s.
    _, y = helpers.make_dataset(name, n=100, seed=0)
    assert not np.array_equal(y[:, 0], np.sort(y[:, 0]))


@pytest.mark.parametrize("generator", GENERATORS)
@pytest.mark.parametrize(
    "kwargs, error, words",
    [
        ({"n": 1}, ValueError, "n must be an integer >= 2, got 1"),
        ({"n": 0}, ValueError, "n must be an integer >= 2"),
        ({"n": 10.0}, TypeError, "n must be an integer >= 2, got 10.0"),
        ({"n": True}, TypeError, "n must be an integer"),
        ({"n": "10"}, TypeError, "n must be an integer"),
        ({"noise": -0.1}, ValueError, "noise must be a finite number >= 0, got -0.1"),
        ({"noise": float("nan")}, ValueError, "noise must be a finite number >= 0, got nan"),
        ({"noise": float("inf")}, ValueError, "noise must be a finite number >= 0"),
        ({"noise": "0.1"}, TypeError, "noise must be a finite number >= 0, got '0.1'"),
        ({"noise": None}, TypeError, "noise must be a finite number >= 0, got None"),
        ({"seed": -1}, ValueError, "seed must be an integer >= 0, got -1"),
        ({"seed": 1.5}, TypeError, "seed must be an integer"),
    ],
)
def test_shared_arguments_are_validated(generator, kwargs, error, words):
    with pytest.raises(error, match=words.replace("(", r"\(").replace(".", r"\.")):
        generator(**kwargs)


def test_numpy_integers_and_int_noise_are_accepted():
    X, _ = helpers.two_moons(n=np.int64(10), noise=0, seed=np.int32(3))
    assert X.shape == (10, 2)


@pytest.mark.parametrize(
    "call, error, words",
    [
        (lambda: helpers.circles(factor=1.0), ValueError, "factor must be a number between 0.0 and 1.0"),
        (lambda: helpers.circles(factor=0), ValueError, "factor must be a number between 0.0 and 1.0"),
        (lambda: helpers.circles(factor="half"), TypeError, "factor must be a number"),
        (lambda: helpers.spiral(turns=0), ValueError, "turns must be a positive finite number, got 0"),
        (lambda: helpers.spiral(turns=None), TypeError, "turns must be a positive finite number"),
        (lambda: helpers.make_dataset("moons"), ValueError, "name must be one of"),
        (lambda: helpers.make_dataset(3), ValueError, "name must be one of"),
        (lambda: helpers.make_dataset("noisy_xor", turns=2), TypeError, "options for 'noisy_xor' must be among none"),
        (
            lambda: helpers.make_dataset("circles", turns=2),
            TypeError,
            r"options for 'circles' must be among \['factor'\]",
        ),
        (lambda: helpers.make_dataset("spiral", n=1), ValueError, "n must be an integer >= 2"),
    ],
)
def test_shape_arguments_and_names_are_validated(call, error, words):
    with pytest.raises(error, match=words):
        call()
