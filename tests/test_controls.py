"""helpers.controls: log-spaced rates, the learning-rate and epoch sliders, the dropdown."""

import numpy as np
import pytest

from helpers import controls


def test_log_spaced_and_learning_rate_slider():
    rates = controls.log_spaced(0.01, 10)
    np.testing.assert_allclose(rates[:4], [0.01, 0.022, 0.046, 0.1])
    assert rates[-1] == 10.0 and len(rates) == 10
    slider = controls.learning_rate_slider(rates, value=0.9)
    assert slider.value == 1.0  # the nearest rate on a log scale
    assert slider.continuous_update
    with pytest.raises(ValueError, match="high must be greater than low"):
        controls.log_spaced(1, 0.1)
    with pytest.raises(ValueError, match="learning_rates must be a non-empty list"):
        controls.learning_rate_slider([])
    with pytest.raises(ValueError, match=r"learning_rates\[1\] must be a positive finite number, got -0.1"):
        controls.learning_rate_slider([0.1, -0.1])
    with pytest.raises(ValueError, match="value must be a positive finite number, got -1"):
        controls.learning_rate_slider(rates, value=-1)


def test_epochs_slider_range_and_step():
    slider = controls.epochs_slider(500, step=10)
    assert (slider.min, slider.max, slider.step, slider.value) == (0, 500, 10, 500)
    # It picks the recorded epoch the figure shows; training has run all of them already.
    assert slider.description == "epoch shown"
    with pytest.raises(ValueError, match="epochs must be an integer >= 1"):
        controls.epochs_slider(0)


def test_dropdown_starts_at_its_value_and_refuses_unknown_ones():
    menu = controls.dropdown(["tanh", "relu"], "relu", "activation")
    assert (menu.options, menu.value, menu.description) == (("tanh", "relu"), "relu", "activation")
    assert controls.dropdown(["a", "b"]).value == "a"
    with pytest.raises(ValueError, match=r"value must be one of \['a', 'b'\], got 'c'"):
        controls.dropdown(["a", "b"], "c")
    with pytest.raises(ValueError, match="options must be a non-empty list"):
        controls.dropdown([])
