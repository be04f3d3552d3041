"""images/make_figures.py writes every README figure: a real PNG of the promised size with something drawn."""

import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

ROOT = Path(__file__).resolve().parents[1]
SCRIPT = ROOT / "images" / "make_figures.py"
NOTEBOOK_NAMES = [path.stem for path in sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))]
# (width, height) in pixels: the diagram at the top of the README, then one thumbnail per notebook.
EXPECTED_SIZES = {"backpropagation.png": (900, 500)} | {f"{name}.png": (240, 160) for name in NOTEBOOK_NAMES}
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


@pytest.fixture(scope="module")
def outdir(tmp_path_factory):
    target = tmp_path_factory.mktemp("figures")
    result = subprocess.run(
        [sys.executable, "-W", "error", str(SCRIPT), str(target)],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=ROOT,
    )
    assert result.returncode == 0, f"make_figures.py failed:\n{result.stderr}"
    assert result.stderr == "", f"make_figures.py wrote to stderr:\n{result.stderr}"
    return target


def test_there_is_a_thumbnail_per_notebook():
    numbers = [int(name[:2]) for name in NOTEBOOK_NAMES]
    assert numbers == list(range(1, len(numbers) + 1)), f"expected notebooks 01..NN in sequence, found {NOTEBOOK_NAMES}"
    script = SCRIPT.read_text(encoding="utf-8")
    assert all(f'"{name}"' in script for name in NOTEBOOK_NAMES), "make_figures.py must name every notebook's thumbnail"


def test_writes_exactly_the_expected_files(outdir):
    assert sorted(path.name for path in outdir.iterdir()) == sorted(EXPECTED_SIZES)


@pytest.mark.parametrize("name", sorted(EXPECTED_SIZES))
def test_figure_is_a_png_of_the_expected_size_and_not_blank(outdir, name):
    path = outdir / name
    assert path.read_bytes()[:8] == PNG_SIGNATURE, f"{name} is not a PNG file"
    with Image.open(path) as image:
        image.verify()
    with Image.open(path) as image:
        assert image.size == EXPECTED_SIZES[name], f"{name} is {image.size}, expected {EXPECTED_SIZES[name]}"
        pixels = np.asarray(image.convert("L"), dtype=np.float64)
    # A blank or single-colour image has (almost) no spread in brightness.
    assert pixels.std() > 10.0, f"{name} looks blank (brightness std {pixels.std():.2f})"


def test_the_committed_figures_are_all_there():
    for name, size in EXPECTED_SIZES.items():
        path = ROOT / "images" / name
        assert path.exists(), f"images/{name} is missing: run python images/make_figures.py"
        with Image.open(path) as image:
            assert image.size == size, f"images/{name} is {image.size}, expected {size}"


def test_readme_shows_every_figure():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for name in EXPECTED_SIZES:
        assert f"(images/{name})" in readme, f"README.md does not show images/{name}"
