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
  it is imported only when an image is drawn. A map with web tiles is drawn on the
  bundled borders, with one warning (:data:`TILES_NOTE`).
- **Themes** (:mod:`rangemap.theme`): :func:`_look` turns a theme into the image's
  :class:`~rangemap.render._static_text.Look` (colours, text sizes, logo, credit on the
  map) and registers its font files; with no theme the image is the default look.

The projection helpers :func:`aeqd_crs`, :func:`aeqd_transformer`, :func:`map_center`
and :func:`project_reach` are importable from here too.
"""

from __future__ import annotations

import contextlib
import io
import os
import warnings
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from rangemap import escaping
from rangemap._io import write_atomic
from rangemap.errors import InputError, RangemapError
from rangemap.options import PRESETS, Basemap, Preset
from rangemap.render import _bidi
from rangemap.render import _static_map as static_map
from rangemap.render._aeqd import aeqd_crs, aeqd_transformer, map_center, project_reach
from rangemap.render._context import prepare
from rangemap.render._points import legend_items
from rangemap.render._registry import Writer, register_writer
from rangemap.render._static_map import attribution, draw_map
from rangemap.render._static_text import (
    LOOK,
    MISSING_SCRIPT,
    MUTED,
    SCALE_PAIRS,
    Column,
    Look,
    draw_head,
    missing_scripts,
    texts,
)
from rangemap.render.describe import describe_context, short_description, svg_with_description
from rangemap.theme import Theme

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


def _too_much(context: Context, preset: Preset) -> InputError:
    """Return the error for content that cannot fit ``preset`` at readable text sizes."""
    width, height = preset.pixels
    scene = context.scene
    what = []
    for name, text, limit in (("title", scene.title, 200), ("subtitle", scene.subtitle, 600)):
        if text and len(text) > limit:
            what.append(f"a {len(text):,}-character {name}")
    origins = sum(len(label) for label in context.origin_labels())
    if origins > 300:
        what.append(f"{origins:,} characters of origin names")
    if context.sources:
        what.append(f"{len(context.sources)} sources")
    if len(scene.layers) > 1:
        what.append(f"{len(scene.layers)} layers")
    if context.places:
        what.append(f"{len(context.places)} cities")
    listed = " and ".join([", ".join(what[:-1]), what[-1]] if len(what) > 1 else what)
    verb = "does" if len(what) == 1 and not what[0][0].isdigit() else "do"
    listed = listed or "the title, legend and notes"
    if preset.grow:
        advice = "shorten the title and subtitle, or use fewer layers or places"
    else:
        advice = (
            "use the 'print' preset (it grows to fit), a larger size, fewer layers or "
            "places, or shorten the title and subtitle"
        )
    msg = (
        f"preset: {listed} {verb} not fit a {preset.name!r} image ({width}x{height} px) "
        f"with text of at least {preset.min_text_pt:g} pt; {advice}"
    )
    return InputError(msg)


def _figure(context: Context, preset: Preset, *, numbered: bool = False) -> tuple[Any, int]:
    """Lay out and draw the whole image; return the figure and the places left unnamed."""
    range_map = context.scene
    mpl = _matplotlib()
    import matplotlib.lines
    import matplotlib.patches
    import matplotlib.path
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    del matplotlib  # the submodules are reached through mpl
    w, h = preset.width_in, preset.height_in
    floor = preset.min_text_pt
    margin = 0.22
    legend, full_lines, foot = texts(context, numbered=numbered)
    short_lines = texts(context, numbered=numbered, short=True)[1]
    words = context.words
    origins = context.origin_labels()
    keys = legend_items(context.points, words)
    notes = [context.layer_notes(layer) for layer in range_map.layers]
    foot_lines = [*foot, words(attribution())]
    # The source list's forms, fullest first: a line each, one paragraph, no titles.
    forms = ("lines", "paragraph", "short")

    def head(col: Column) -> None:
        draw_head(col, range_map, legend, origins, words, keys, notes)

    def tail(col: Column, size: float, text_scale: float, columns: int, form: str) -> None:
        col.scale = text_scale
        lines = short_lines if form == "short" else full_lines
        if lines:
            col.text(words("Sources"), size * 1.15, weight="bold", gap=0.02)
            if form == "lines":
                col.lines(lines, size, columns, color=MUTED)
            else:
                col.text("  ".join(lines), size, color=MUTED, gap=0.02)
        col.top_in -= 0.03
        for line in foot_lines:
            col.text(line, size, color=MUTED, gap=0.025)

    def column(left: float, width: float, top: float, scale: float, dry: bool) -> Column:
        return Column(None if dry else fig, mpl, left, width, top, scale, dry, floor)

    fig: Any = None
    chosen: tuple[float, float, float, float, float, int, str] | None = None
    if w / h > 1.3:  # side by side: map on the left, text column on the right
        for form in forms:
            for share in (1.0, 0.9, 0.8):
                map_w = (h - 2 * margin) * share
                left, width = 2 * margin + map_w, w - 3 * margin - map_w
                for scale, tail_scale in SCALE_PAIRS:
                    for columns in (1, 2) if width > 4.5 and form == "lines" else (1,):
                        dry = column(left, width, h - margin, scale, True)
                        head(dry)
                        dry.top_in -= 0.04
                        tail(dry, 6.2, tail_scale, columns, form)
                        if dry.top_in >= margin * 0.5:
                            chosen = (map_w, left, width, scale, tail_scale, columns, form)
                            break
                    if chosen:
                        break
                if chosen:
                    break
            if chosen:
                break
    if chosen is not None:  # else stacked, with the text across the whole width
        map_w, left, width, scale, tail_scale, columns, form = chosen
        fig = Figure(figsize=(w, h), dpi=preset.dpi)
        col = column(left, width, h - margin, scale, False)
        head(col)
        col.top_in -= 0.04
        tail(col, 6.2, tail_scale, columns, form)
        bottom = (h - map_w) / 2
        ax = fig.add_axes((margin / w, bottom / h, map_w / w, map_w / h))
        unnamed = draw_map(ax, context, mpl, 1.0, 1.0, floor=floor, numbered=numbered)
        FigureCanvasAgg(fig)
        fig.patch.set_facecolor(LOOK.get().background)
        return fig, unnamed

    # stacked: title and legend above the map, sources and notes below it
    width = w - 2 * margin
    options = []
    for form in forms:
        for scale, tail_scale in SCALE_PAIRS:
            top_col = column(margin, width, 0.0, scale, True)
            head(top_col)
            heights = []
            for columns in (1, 2) if width >= 5.0 and form == "lines" else (1,):
                bottom_col = column(margin, width, 0.0, scale, True)
                tail(bottom_col, 5.8, tail_scale, columns, form)
                heights.append((-bottom_col.top_in, columns))
            tail_h, columns = min(heights)
            text_h = -top_col.top_in + 0.05 + tail_h + 0.12
            options.append((text_h, form, scale, tail_scale, columns))
    # The first sizes that leave the map half the height; else print grows the canvas
    # with the full sources, and a fixed size takes the smallest text if the map keeps
    # at least 30 % of the height.
    fits = [o for o in options if h - 2 * margin - o[0] >= 0.5 * h]
    if fits:
        text_h, form, scale, tail_scale, columns = fits[0]
    elif preset.grow:
        text_h, form, scale, tail_scale, columns = min(o for o in options if o[1] == "lines")
        h = text_h + 2 * margin + 0.5 * preset.height_in
        if h > 3.0 * preset.height_in:
            raise _too_much(context, preset)
    else:
        text_h, form, scale, tail_scale, columns = min(options)
        if h - 2 * margin - text_h < 0.3 * h:
            raise _too_much(context, preset)
    fig = Figure(figsize=(w, h), dpi=preset.dpi)
    top_col = column(margin, width, h - margin, scale, False)
    head(top_col)
    top = top_col.top_in - 0.05
    bottom_col = column(margin, width, 0.0, scale, True)
    tail(bottom_col, 5.8, tail_scale, columns, form)
    bottom = margin - bottom_col.top_in + 0.06
    tail(column(margin, width, bottom - 0.06, scale, False), 5.8, tail_scale, columns, form)
    ax = fig.add_axes((margin / w, bottom / h, width / w, (top - bottom) / h))
    aspect = width / max(top - bottom, 0.5)
    unnamed = draw_map(ax, context, mpl, aspect, 1.0, floor=floor, numbered=numbered)
    FigureCanvasAgg(fig)
    fig.patch.set_facecolor(LOOK.get().background)
    return fig, unnamed


def _check_inside(fig: Any, preset: Preset) -> None:
    """Refuse an image with any text outside the canvas: never a clipped image."""
    renderer = fig.canvas.get_renderer()
    width, height = fig.bbox.width, fig.bbox.height
    for text in fig.findobj(lambda a: a.__class__.__name__ in ("Text", "Annotation")):
        if not text.get_visible() or not text.get_text():
            continue
        box = text.get_window_extent(renderer)
        if box.x0 < -0.5 or box.y0 < -0.5 or box.x1 > width + 0.5 or box.y1 > height + 0.5:
            shown = escaping.quote(text.get_text(), limit=60)
            msg = (
                f"preset: the text {shown} does not fit a {preset.name!r} image "
                f"({preset.pixels[0]}x{preset.pixels[1]} px); shorten it or choose a larger size"
            )
            raise InputError(msg)


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
    import matplotlib.text  # noqa: F401  (mpl.text below)

    prepared = prepare(range_map) if context is None else context
    if not Basemap.parse(range_map.basemap).offline:
        warnings.warn(TILES_NOTE, UserWarning, stacklevel=2)
    look, families = _look(range_map.theme if isinstance(range_map.theme, Theme) else None)
    rc["font.family"] = [*families, "DejaVu Sans"]
    token = LOOK.set(look)
    with (
        contextlib.ExitStack() as stack,
        mpl.rc_context(rc),
        warnings.catch_warnings(record=True) as caught,
    ):
        stack.callback(LOOK.reset, token)
        stack.enter_context(_bidi.direction(prepared.words.direction))
        warnings.simplefilter("always")
        fig, unnamed = _figure(prepared, chosen)
        if unnamed:  # some places have no room for their names: number them all
            fig, _ = _figure(prepared, chosen, numbered=True)
        if _bidi.right_to_left():  # Hebrew, Arabic: each line isolated in its direction
            _bidi.prepare(fig, outlines=format == "pdf")
        _check_inside(fig, chosen)
        # The text alternative (rangemap.render.describe): PNG chunk, PDF metadata, SVG <desc>.
        description = describe_context(prepared, projection="static")
        title = short_description(range_map)
        if format == "png":
            metadata["Title"], metadata["Description"] = title, description
        elif format == "pdf":
            metadata["Title"], metadata["Subject"] = title, description
            keywords = "; ".join(escaping.clean(layer.name) for layer in range_map.layers)
            metadata["Keywords"] = keywords
        buffer = io.BytesIO()
        fig.savefig(buffer, format=format, dpi=chosen.dpi, metadata=metadata)
        drawn = [text.get_text() for text in fig.findobj(mpl.text.Text)]
    _warn_once(caught, drawn)
    if format == "svg":
        return svg_with_description(buffer.getvalue(), title, description)
    return buffer.getvalue()


#: The one warning of a static image of a map with web tiles.
TILES_NOTE = "web tiles are not drawn in static images; they use the bundled borders"


def _look(theme: Theme | None) -> tuple[Look, list[str]]:
    """Return a theme's look for static images and its font families (registered here).

    No theme is the default look, with matplotlib's DejaVu Sans.
    """
    if theme is None:
        return Look(), []
    from matplotlib import font_manager

    families: list[str] = []
    for path in theme.font_files():
        font_manager.fontManager.addfont(str(path))
        name = font_manager.FontProperties(fname=str(path)).get_name()
        if name not in families:
            families.append(name)
    c = theme.colors
    sizes = theme.text_sizes
    logo = theme.logo_data(raster=True)
    if theme.logo is not None and logo is None:
        warnings.warn(
            "the theme's logo is an SVG, which static images cannot draw; give a PNG "
            "version as logo.raster",
            UserWarning,
            stacklevel=3,
        )
    look = Look(
        ink=c.text,
        muted=c.muted,
        background=c.background,
        land=c.land,
        water=c.water,
        borders=c.borders,
        country=c.muted,
        frame=c.borders,
        origin=c.origin,
        sizes=(sizes.title / 13.0, sizes.body / 7.5, sizes.small / 6.25),
        logo=None if logo is None else logo[1],
        credit_over=theme.credit == "overlay-bottom-right",
    )
    return look, families


def _warn_once(caught: list[warnings.WarningMessage], drawn: list[str]) -> None:
    """Pass on the warnings of a drawing, with one line for every missing glyph.

    Matplotlib warns once per missing glyph and :func:`drawable` once for the source
    titles it replaced by their English titles; both become one warning naming the
    scripts of ``drawn`` (every text in the figure) that no installed font has.
    """
    seen: set[str] = set()
    glyphs = english = False
    replaced: list[str] = []
    for item in caught:
        text = str(item.message)
        if "missing from font" in text or "Glyph" in text:
            glyphs = True
        elif text.startswith(MISSING_SCRIPT):  # from drawable(): titles replaced
            english = True
            replaced += text.removeprefix(MISSING_SCRIPT).split(" script;")[0].split(", ")
        elif text not in seen:
            seen.add(text)
            warnings.warn(text, item.category, stacklevel=3)
    if not glyphs and not english:
        return
    scripts = sorted({*replaced, *(s for text in drawn for s in missing_scripts(text))})
    named = f"{', '.join(scripts)} script" if scripts else "glyphs of some characters"
    parts = [f"{MISSING_SCRIPT}{named}"]
    if english:
        parts.append("sources with titles in it print their English titles (title_en)")
    if glyphs:
        parts.append(
            "other text in it is drawn as empty boxes: write the title, labels and notes "
            "in a script the fonts have, or install a font for it"
        )
    warnings.warn("; ".join(parts), UserWarning, stacklevel=3)


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
