"""Static figures with a text alternative: `show(fig, alt)` in place of `plt.show()`.

How the alt text reaches a reader. JupyterLab (4.6) draws an `image/png` output as an `<img>` with
no alt attribute and reads no metadata for one (jupyter/enhancement-proposals#120 proposes an `alt`
metadata key; no renderer reads it yet), and nbconvert's HTML template writes a fixed placeholder.
What every renderer does show as written is a `text/html` output. So `show` displays the figure as
`<img alt="..." src="data:image/png;base64,...">`:
- JupyterLab prefers text/html to image/png; in a notebook that is not trusted (a stored one, just
  opened) its sanitizer keeps `<img>` with `alt` and `src`, and checks the scheme of `href` and
  `cite` only, so the data: URI stays and the picture shows with its alt;
- nbconvert (HTML export) and GitHub's notebook view copy the HTML, alt included.
The output holds only text/html and text/plain (the alt text itself), no image/png beside it: the
picture is stored once, so a notebook is no larger than with plt.show().

Strict nbval compares text/html and text/plain but not image/png. The PNG is drawn by Agg from the
same numbers, so a re-run gives the same bytes; and so that a different machine's last-bit
differences in a curve never fail a notebook, the repository's conftest.py tells nbval to compare
the alt text and not the base64 picture (as it skips image/png).
"""

import base64
import html
import io

import matplotlib.pyplot as plt
from IPython.display import display
from matplotlib.figure import Figure


def check_alt(alt):
    """The alt text, stripped; raises TypeError/ValueError unless it is a non-empty string."""
    if not isinstance(alt, str):
        raise TypeError(f"alt must be a string saying what the picture shows, got {type(alt).__name__}")
    if not alt.strip():
        raise ValueError(f"alt must say what the picture shows, got {alt!r}")
    return alt.strip()


def png_bytes(fig):
    """The figure as PNG bytes, as the inline backend draws it: tight box, the figure's dpi and colours.

    No 'Software' entry (matplotlib's version) in the file, so an upgrade that draws the same
    pixels stores the same bytes.
    """
    buffer = io.BytesIO()
    fig.savefig(
        buffer,
        format="png",
        dpi=fig.dpi,
        facecolor=fig.get_facecolor(),
        edgecolor=fig.get_edgecolor(),
        bbox_inches="tight",
        metadata={"Software": None},
    )
    return buffer.getvalue()


def img_html(png, alt):
    """`<img alt src="data:...">` for PNG bytes `png`; alt is escaped (quotes and angle brackets)."""
    data = base64.b64encode(png).decode("ascii")
    return f'<img alt="{html.escape(alt, quote=True)}" src="data:image/png;base64,{data}">'


def show(fig, alt):
    """Display `fig` with the text alternative `alt`, then close it (so it is not shown twice).

    fig: a matplotlib Figure (from plt.subplots or helpers.livefigure.new_figure). alt: one or two
    sentences saying what the picture shows, with the numbers a sighted reader reads off it.
    """
    if not isinstance(fig, Figure):
        raise TypeError(f"fig must be a matplotlib Figure, got {type(fig).__name__}")
    alt = check_alt(alt)
    bundle = {"text/html": img_html(png_bytes(fig), alt), "text/plain": alt}
    plt.close(fig)
    display(bundle, raw=True)
