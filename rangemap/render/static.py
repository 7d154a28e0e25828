"""Static images of a RangeMap: PNG, SVG and PDF with matplotlib, for print and social.

What this module owns:

- **The image files**: :func:`render_static` and its shortcuts :func:`to_png`,
  :func:`to_svg`, :func:`to_pdf`, and :func:`save_static`. The figure puts the map
  panel (:mod:`rangemap.render._static_map`, drawn in the projection of
  :mod:`rangemap.render._aeqd`, where reach is true) beside or between columns of text
  (:mod:`rangemap.render._static_text`): title, subtitle, legend with source numbers,
  "measured from" origins, the numbered sources, the method note, the "as of" date, the
  credit and the basemap attribution, worded as in the HTML map.
- **Presets** (:data:`PRESETS`): ``social`` (1200x675 px), ``square`` (1080x1080 px)
  and ``print`` (300 dpi).
- **Byte-stable output.** No dates or software versions in the files, a fixed SVG hash
  salt, fonts shipped with matplotlib: the same map gives the same bytes.
- **No browser, no tiles, no network.** matplotlib is the optional extra ``static``;
  it is imported only when an image is drawn.

The projection helpers :func:`aeqd_crs`, :func:`aeqd_transformer`, :func:`map_center`
and :func:`project_reach` are importable from here too.
"""

from __future__ import annotations

import io
import os
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from rangemap._io import write_atomic
from rangemap.errors import InputError, RangemapError
from rangemap.options import PRESETS, Preset
from rangemap.render import _static_map as static_map
from rangemap.render._aeqd import aeqd_crs, aeqd_transformer, map_center, project_reach
from rangemap.render._context import prepare
from rangemap.render._points import legend_items
from rangemap.render._registry import Writer, register_writer
from rangemap.render._static_map import attribution, draw_map
from rangemap.render._static_text import MUTED, SCALE_PAIRS, Column, draw_head, texts

if TYPE_CHECKING:
    from rangemap.render._context import Context
    from rangemap.scene import RangeMap

__all__ = [
    "PRESETS",
    "Preset",
    "StaticFormat",
    "aeqd_crs",
    "aeqd_transformer",
    "map_center",
    "project_reach",
    "render_static",
    "save_static",
    "to_pdf",
    "to_png",
    "to_svg",
]

#: Formats :func:`render_static` writes.
StaticFormat = Literal["png", "svg", "pdf"]

_INSTALL_HINT = 'pip install "rangemap[static]"'

#: The cached basemap (``_basemap.cache_clear()`` empties it).
_basemap = static_map.basemap


def _matplotlib() -> Any:
    """Import matplotlib (non-interactive) or say how to install it."""
    try:
        import matplotlib
    except ImportError as err:
        msg = (
            "PNG, SVG and PDF export needs matplotlib, which is not installed; "
            f"install it with: {_INSTALL_HINT}"
        )
        raise RangemapError(msg) from err
    return matplotlib


def _preset(preset: str | Preset) -> Preset:
    return Preset.parse(preset)


def _figure(context: Context, preset: Preset) -> Any:
    range_map = context.scene
    mpl = _matplotlib()
    import matplotlib.lines
    import matplotlib.patches
    import matplotlib.path
    from matplotlib.figure import Figure

    del matplotlib  # the submodules are reached through mpl
    fig = Figure(figsize=(preset.width_in, preset.height_in), dpi=preset.dpi)
    fig.patch.set_facecolor("white")
    w, h = preset.width_in, preset.height_in
    margin = 0.22
    legend, source_lines, foot = texts(context)
    words = context.words
    origins = context.origin_labels()
    keys = legend_items(context.points, words)
    notes = [context.layer_notes(layer) for layer in range_map.layers]
    foot_lines = [*foot, words(attribution())]

    def head(col: Column) -> None:
        draw_head(col, range_map, legend, origins, words, keys, notes)

    def tail(col: Column, size: float, text_scale: float) -> None:
        col.scale = text_scale
        if source_lines:
            col.text(words("Sources"), size * 1.15, weight="bold", gap=0.02)
            for line in source_lines:
                col.text(line, size, color=MUTED, gap=0.02)
        col.top_in -= 0.03
        for line in foot_lines:
            col.text(line, size, color=MUTED, gap=0.025)

    if w / h > 1.3:  # side by side: map on the left, text column on the right
        map_w = h - 2 * margin
        left, width = 2 * margin + map_w, w - 3 * margin - map_w
        for scale, tail_scale in SCALE_PAIRS:
            dry = Column(fig, mpl, left, width, h - margin, scale, dry=True)
            head(dry)
            tail(dry, 6.2, tail_scale)
            if dry.top_in >= margin * 0.5:
                break
        col = Column(fig, mpl, left, width, h - margin, scale)
        head(col)
        col.top_in -= 0.04
        tail(col, 6.2, tail_scale)
        ax = fig.add_axes((margin / w, margin / h, map_w / w, map_w / h))
        draw_map(ax, context, mpl, 1.0, 1.0)
        return fig

    # stacked: title and legend above the map, sources and notes below it
    width = w - 2 * margin
    for scale, tail_scale in SCALE_PAIRS:
        top_col = Column(fig, mpl, margin, width, h - margin, scale, dry=True)
        head(top_col)
        bottom_col = Column(fig, mpl, margin, width, 0.0, scale, dry=True)
        tail(bottom_col, 5.8, tail_scale)
        top, bottom = top_col.top_in - 0.05, margin - bottom_col.top_in + 0.06
        if top - bottom >= 0.5 * h:
            break
    if top - bottom < 0.2 * h:
        msg = (
            f"preset: the title, subtitle, legend and sources do not fit a {preset.name!r} "
            "image even in the smallest text; shorten them or choose another preset"
        )
        raise InputError(msg)
    head(Column(fig, mpl, margin, width, h - margin, scale))
    tail(Column(fig, mpl, margin, width, bottom - 0.06, scale), 5.8, tail_scale)
    ax = fig.add_axes((margin / w, bottom / h, width / w, (top - bottom) / h))
    draw_map(ax, context, mpl, width / max(top - bottom, 0.5), 1.0)
    return fig


def render_static(
    range_map: RangeMap,
    *,
    format: StaticFormat = "png",
    preset: str | Preset = "social",
    context: Context | None = None,
) -> bytes:
    r"""Draw a map as a PNG, SVG or PDF image and return the file's bytes.

    Parameters
    ----------
    range_map : RangeMap
        The map: layers, title, subtitle, credit, "as of" date, annotations.
    format : {"png", "svg", "pdf"}, optional
        The file format.
    preset : str or Preset, optional
        ``"social"`` (1200x675 px), ``"square"`` (1080x1080 px) or ``"print"``
        (300 dpi); see :data:`PRESETS`.
    context : Context, optional
        The map already prepared (``rangemap.render.prepare``), when the caller has it.

    Returns
    -------
    bytes
        The complete file. Rendering the same map again gives the same bytes.

    Raises
    ------
    RangemapError
        If matplotlib is not installed (``pip install "rangemap[static]"``).
    InputError
        If the format or preset is unknown.

    Examples
    --------
    >>> from rangemap.reach import Reach
    >>> from rangemap.scene import RangeMap
    >>> m = RangeMap(title="300 km from Kharkiv")
    >>> _ = m.add(Reach.from_distance(300_000, "49.99, 36.23=Kharkiv"))
    >>> render_static(m, format="png")[:8]
    b'\x89PNG\r\n\x1a\n'
    """
    if format not in ("png", "svg", "pdf"):
        msg = f"format: {format!r} is not one of 'png', 'svg', 'pdf'"
        raise InputError(msg)
    chosen = _preset(preset)
    mpl = _matplotlib()
    rc = {
        "svg.hashsalt": "rangemap",
        "svg.fonttype": "none",
        "pdf.fonttype": 42,
        "font.family": "DejaVu Sans",
        "path.simplify": True,
    }
    metadata: dict[str, Any]
    if format == "png":
        metadata = {"Software": None}
    elif format == "svg":
        metadata = {"Date": None, "Creator": None}
    else:
        metadata = {"CreationDate": None, "ModDate": None, "Producer": None, "Creator": None}
    with mpl.rc_context(rc):
        fig = _figure(prepare(range_map) if context is None else context, chosen)
        buffer = io.BytesIO()
        fig.savefig(buffer, format=format, dpi=chosen.dpi, metadata=metadata)
    return buffer.getvalue()


def to_png(range_map: RangeMap, *, preset: str | Preset = "social") -> bytes:
    """Return the map as PNG bytes; see :func:`render_static`."""
    return render_static(range_map, format="png", preset=preset)


def to_svg(range_map: RangeMap, *, preset: str | Preset = "social") -> bytes:
    """Return the map as SVG bytes (text kept as text); see :func:`render_static`."""
    return render_static(range_map, format="svg", preset=preset)


def to_pdf(range_map: RangeMap, *, preset: str | Preset = "print") -> bytes:
    """Return the map as PDF bytes (fonts embedded); see :func:`render_static`."""
    return render_static(range_map, format="pdf", preset=preset)


def save_static(
    range_map: RangeMap, path: str | os.PathLike[str], *, preset: str | Preset = "social"
) -> Path:
    """Write the map as a PNG, SVG or PDF file chosen by the suffix.

    Parameters
    ----------
    range_map : RangeMap
        The map.
    path : str or os.PathLike
        Ends in ``.png``, ``.svg`` or ``.pdf``.
    preset : str or Preset, optional
        See :data:`PRESETS`.

    Returns
    -------
    pathlib.Path
        The path written; the file is replaced only once the new one is complete.

    Raises
    ------
    InputError
        If the suffix is not ``.png``, ``.svg`` or ``.pdf``.
    """
    target = Path(path)
    suffix = target.suffix.lower().lstrip(".")
    if suffix not in ("png", "svg", "pdf"):
        msg = f"output {str(target)!r}: suffix must be .png, .svg or .pdf for a static image"
        raise InputError(msg)
    fmt: StaticFormat = "png" if suffix == "png" else "svg" if suffix == "svg" else "pdf"
    return write_atomic(target, render_static(range_map, format=fmt, preset=preset))


def _writer(format: StaticFormat, default: str) -> Writer:
    def write(context: Context, *, preset: str | Preset = default) -> bytes:
        return render_static(context.scene, format=format, preset=preset, context=context)

    return write


register_writer(".png", _writer("png", "social"), options=("preset",))
register_writer(".svg", _writer("svg", "social"), options=("preset",))
register_writer(".pdf", _writer("pdf", "print"), options=("preset",))
