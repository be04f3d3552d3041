"""Controls for live figures: a learning-rate slider over log-spaced rates, an epoch slider, a dropdown.

Sliders keep continuous_update=True (the default). While a slider is dragged the browser sends at
most one value change at a time to the kernel and keeps only the newest while that one is being
handled (ipywidgets' message throttle), so a drag never builds a backlog: the picture follows the
pointer as fast as redraws allow. continuous_update=False would redraw only on release, which
hides the very change a learner drags the slider to see.

A screen reader learns each control's name (its description) and the value it shows (a rate of
0.22, not the slider's position 6) from the live figure that holds it: ipywidgets leaves both out,
so helpers/liveview.py adds them in the browser.
"""

import ipywidgets as widgets
import numpy as np

from ._validate import check_count, check_positive_number

STYLE = {"description_width": "initial"}


def log_spaced(low, high, per_decade=3):
    """Rates from low to high, `per_decade` per factor of ten, rounded to 2 significant digits.

    log_spaced(0.01, 10) -> [0.01, 0.022, 0.046, 0.1, ..., 10.0]: what a learning-rate slider offers.
    """
    low, high = check_positive_number("low", low), check_positive_number("high", high)
    per_decade = check_count("per_decade", per_decade, minimum=1)
    if high <= low:
        raise ValueError(f"high must be greater than low ({low!r}), got {high!r}")
    count = int(round(np.log10(high / low) * per_decade)) + 1
    values = np.logspace(np.log10(low), np.log10(high), count)
    return np.array([float(f"{v:.2g}") for v in values])


def learning_rate_slider(learning_rates, value=None, description="learning rate"):
    """A slider over a fixed list of learning rates (e.g. from `log_spaced`), showing each as text.

    value: the rate to start at (the nearest on the list); None: the middle one.
    """
    if isinstance(learning_rates, (str, bytes)) or np.ndim(learning_rates) != 1 or len(learning_rates) == 0:
        raise ValueError(f"learning_rates must be a non-empty list of positive numbers, got {learning_rates!r}")
    learning_rates = [check_positive_number(f"learning_rates[{i}]", v) for i, v in enumerate(learning_rates)]
    if value is None:
        value = learning_rates[len(learning_rates) // 2]
    else:
        value = check_positive_number("value", value)
        value = min(learning_rates, key=lambda candidate: abs(np.log(candidate / value)))
    return widgets.SelectionSlider(
        options=[(f"{learning_rate:g}", learning_rate) for learning_rate in learning_rates],
        value=value,
        description=description,
        style=STYLE,
        layout=widgets.Layout(width="320px"),
    )


def epochs_slider(epochs, value=None, step=1, description="epoch shown"):
    """An integer slider from 0 to `epochs` in steps of `step` (use the record_every of training).

    It picks which recorded epoch the figure shows; training has already run all `epochs`.
    """
    epochs = check_count("epochs", epochs, minimum=1)
    step = check_count("step", step, minimum=1)
    value = epochs if value is None else check_count("value", value)
    if value > epochs:
        raise ValueError(f"value must be between 0 and epochs ({epochs}), got {value}")
    return widgets.IntSlider(
        min=0,
        max=epochs,
        step=step,
        value=value,
        description=description,
        style=STYLE,
        layout=widgets.Layout(width="320px"),
    )


def dropdown(options, value=None, description=""):
    """A dropdown over `options` (a list of names), starting at `value` (None: the first)."""
    if isinstance(options, (str, bytes)) or not hasattr(options, "__len__") or len(options) == 0:
        raise ValueError(f"options must be a non-empty list, got {options!r}")
    options = list(options)
    value = options[0] if value is None else value
    if value not in options:
        raise ValueError(f"value must be one of {options}, got {value!r}")
    return widgets.Dropdown(
        options=options, value=value, description=description, style=STYLE, layout=widgets.Layout(width="200px")
    )
