"""The network's predictions beside the targets, as plain text or as an HTML table."""

import html

from ._validate import as_float_array, check_count, check_inputs


def _prediction_rows(X, y, predictions):
    X = check_inputs(X)
    y = as_float_array("y", y)
    predictions = as_float_array("predictions", predictions)
    y = y[:, None] if y.ndim == 1 else y
    predictions = predictions[:, None] if predictions.ndim == 1 else predictions
    n = X.shape[0]
    if y.ndim != 2 or y.shape[0] != n:
        raise ValueError(f"y must have one row per row of X ({n}), got shape {y.shape}")
    if predictions.ndim != 2 or predictions.shape[0] != n:
        raise ValueError(f"predictions must have one row per row of X ({n}), got shape {predictions.shape}")
    return X, y, predictions


def _numbers(values, decimals=None):
    text = [f"{v:g}" if decimals is None else f"{v:.{decimals}f}" for v in values]
    return text[0] if len(text) == 1 else "(" + ", ".join(text) + ")"


def format_predictions(X, y, predictions, decimals=3):
    """Plain text, one line per example: 'x = (0, 1)  target 1  prediction 0.973'.

    X: (n, d), y: (n, k) or (n,), predictions: (n, k) or (n,).
    """
    X, y, predictions = _prediction_rows(X, y, predictions)
    decimals = check_count("decimals", decimals)
    return "\n".join(
        f"x = {_numbers(x)}  target {_numbers(t)}  prediction {_numbers(p, decimals)}"
        for x, t, p in zip(X, y, predictions)
    )


def predictions_table(X, y, predictions, decimals=3):
    """An HTML table (inputs, target, prediction) for a LiveFigure caption. Shapes as format_predictions."""
    X, y, predictions = _prediction_rows(X, y, predictions)
    decimals = check_count("decimals", decimals)
    header = "".join(f"<th>x{i + 1}</th>" for i in range(X.shape[1])) + "<th>target</th><th>prediction</th>"
    rows = []
    for x, t, p in zip(X, y, predictions):
        cells = "".join(f"<td>{v:g}</td>" for v in x)
        cells += f"<td>{html.escape(_numbers(t))}</td><td><b>{html.escape(_numbers(p, decimals))}</b></td>"
        rows.append(f"<tr>{cells}</tr>")
    style = 'style="border-collapse:collapse;text-align:right;font-family:monospace"'
    return f"<table {style}><thead><tr>{header}</tr></thead><tbody>{''.join(rows)}</tbody></table>"
