"""pytest settings for the whole repository (tests/ and, under --nbval, notebooks/)."""

from pathlib import Path

NBVAL_SANITIZE = Path(__file__).resolve().parent / "tests" / "nbval_sanitize.cfg"


def pytest_configure(config):
    # Strict nbval compares a figure's alt text but not its base64 picture (see helpers/figures.py),
    # whichever way pytest is started; an explicit --nbval-sanitize-with still wins.
    if getattr(config.option, "nbval_sanitize_with", "absent") is None:
        config.option.nbval_sanitize_with = str(NBVAL_SANITIZE)
