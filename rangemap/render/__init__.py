"""Renderers: a :class:`~rangemap.scene.RangeMap` to files, and the one way to write them.

This package owns writing: the format registry (:func:`register_writer`,
:func:`writers`), the check of every output before any work (:func:`check_output`),
:func:`save`, the HTML page (:func:`to_html`), the GeoJSON collection
(:func:`to_geojson`) and the embed snippet (:func:`embed_snippet`, :func:`embed_path`).
:class:`~rangemap.scene.RangeMap` delegates to these.

The renderers, each registering its formats:

- :mod:`rangemap.render.html`: a self-contained Leaflet page (folium), offline by default.
- :mod:`rangemap.render.static`: PNG, SVG and PDF images (matplotlib) in an azimuthal
  equidistant projection.
- :mod:`rangemap.render.vector`: GeoJSON (RFC 7946) with each layer's provenance, the
  places in range and their credit.
- :mod:`rangemap.render.export`: KML and GeoPackage, built on the same GeoJSON, and
  size-limited GeoJSON.

Renderers know nothing of YAML or the command line; they read the map only, through a
:class:`~rangemap.render._context.Context` prepared once per render.
"""

from __future__ import annotations

import os
import urllib.parse
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from rangemap._io import destination_problem, write_all
from rangemap.errors import InputError
from rangemap.escaping import html_attr, quote
from rangemap.render._context import Context, prepare
from rangemap.render._registry import Format, formats, register_writer

if TYPE_CHECKING:
    from rangemap.scene import RangeMap

__all__ = [
    "API_NAMES",
    "CLI_NAMES",
    "Context",
    "OptionNames",
    "check_output",
    "embed_path",
    "embed_snippet",
    "prepare",
    "register_writer",
    "save",
    "to_geojson",
    "to_html",
    "writers",
]


def _builtin() -> dict[str, Format]:
    """Return every format, loading the built-in renderers on first use."""
    from rangemap.render import export, html, static, vector

    del export, html, static, vector  # imported for the formats they register
    return formats()


def writers() -> tuple[str, ...]:
    """Return the file suffixes :func:`save` can write, sorted.

    Examples
    --------
    >>> writers()
    ('.geojson', '.gpkg', '.htm', '.html', '.kml', '.pdf', '.png', '.svg')
    """
    return tuple(sorted(_builtin()))


@dataclass(frozen=True, slots=True)
class OptionNames:
    """How the output and its options are called in messages (Python or command line)."""

    output: str = "output"
    embed: str = "embed"
    preset: str = "preset"
    max_bytes: str = "max_bytes"


#: Names in the Python API (:meth:`RangeMap.save`).
API_NAMES = OptionNames()
#: Names on the command line (``rangemap map -o FILE --embed --preset --max-bytes``).
CLI_NAMES = OptionNames("-o", "--embed", "--preset", "--max-bytes")


def embed_path(path: str | os.PathLike[str]) -> Path:
    """Where :func:`save` writes the embed snippet of a map saved at ``path``.

    Examples
    --------
    >>> embed_path("atacms-nov-2024.html").name
    'atacms-nov-2024.embed.html'
    """
    target = Path(path)
    return target.with_name(f"{target.stem}.embed.html")


def check_output(
    path: str | os.PathLike[str],
    *,
    embed: bool = False,
    preset: object = None,
    max_bytes: int | None = None,
    names: OptionNames = API_NAMES,
) -> Format:
    """Refuse an output before any work: unknown suffix, misplaced option, bad folder.

    Every output of the call (the map, and with ``embed`` its snippet) is checked.

    Parameters
    ----------
    path : str or os.PathLike
        Where the map will be written; its suffix names the format.
    embed : bool, optional
        Whether an embed snippet is asked for (HTML only).
    preset : object, optional
        A size preset, if one is given (static images only).
    max_bytes : int, optional
        A size limit, if one is given (GeoJSON only).
    names : OptionNames, optional
        How to call the output and the options in messages.

    Returns
    -------
    Format
        The format that will write the file.

    Raises
    ------
    InputError
        Naming the output or option, the bad value and what to do.
    """
    target = Path(path)
    suffix = target.suffix.lower()
    known = _builtin()
    chosen = known.get(suffix)
    if chosen is None:
        shown = quote(suffix) if suffix else "(none)"
        msg = (
            f"{names.output}: {quote(str(target))} has suffix {shown}, which is not "
            f"supported; use one of {', '.join(sorted(known))}"
        )
        raise InputError(msg)
    if embed and suffix not in (".html", ".htm"):
        msg = f"{names.embed}: only .html maps can be embedded, not {quote(str(target))}"
        raise InputError(msg)
    for option, value, what in (
        ("preset", preset, "sizes static images"),
        ("max_bytes", max_bytes, "limits GeoJSON files"),
    ):
        if value is not None and option not in chosen.options:
            takers = sorted(s for s, f in known.items() if option in f.options)
            name = getattr(names, option)
            msg = (
                f"{name}: {what}, not {quote(str(target))}; write a {', '.join(takers)} "
                f"file or drop {name}"
            )
            raise InputError(msg)
    if max_bytes is not None and (
        isinstance(max_bytes, bool) or not isinstance(max_bytes, int) or max_bytes < 1
    ):
        msg = (
            f"{names.max_bytes}: {quote(max_bytes)} is not a size; give a whole number of "
            "bytes, for example 500000"
        )
        raise InputError(msg)
    problem = destination_problem(target)
    if problem is not None:
        msg = (
            f"{names.output}: {problem}; give a file name in an existing folder, such as 'map.html'"
        )
        raise InputError(msg)
    if embed:
        problem = destination_problem(embed_path(target))
        if problem is not None:
            msg = (
                f"{names.embed}: cannot write the snippet, {problem}; move it away or save "
                "the map under another name"
            )
            raise InputError(msg)
    return chosen


def save(
    range_map: RangeMap,
    path: str | os.PathLike[str],
    *,
    embed: bool = False,
    preset: object = None,
    max_bytes: int | None = None,
    names: OptionNames = API_NAMES,
) -> Path:
    """Write a map to a file, its format from the suffix; see :meth:`RangeMap.save`.

    Every output is checked first (:func:`check_output`); the map is prepared once
    (:func:`prepare`); all files are written together or none
    (:func:`rangemap._io.write_all`).
    """
    target = Path(path)
    chosen = check_output(target, embed=embed, preset=preset, max_bytes=max_bytes, names=names)
    options: dict[str, Any] = {}
    if preset is None and "preset" in chosen.options:
        preset = range_map.preset
    if preset is not None:
        options["preset"] = preset
    if max_bytes is not None:
        options["max_bytes"] = max_bytes
    content = chosen.write(prepare(range_map), **options)
    files: list[tuple[Path, str | bytes]] = [(target, content)]
    if embed:
        # The snippet names the map by a relative address: the file name, URL-encoded.
        src = urllib.parse.quote(os.fsencode(target.name), safe="")
        files.append((embed_path(target), embed_snippet(range_map, src)))
    write_all(files)
    return target


def to_html(range_map: RangeMap) -> str:
    """Return the map as one self-contained HTML page; see :func:`rangemap.render.html.render_html`."""  # noqa: E501
    from rangemap.render.html import render_html

    return render_html(range_map)


def to_geojson(range_map: RangeMap) -> dict[str, Any]:
    """Return the map as an RFC 7946 FeatureCollection; see :func:`rangemap.render.vector.to_geojson`."""  # noqa: E501
    from rangemap.render.vector import to_geojson as build

    return build(range_map)


def embed_snippet(range_map: RangeMap, src: str, *, aspect: float = 0.75) -> str:
    """Return a responsive ``<iframe>`` snippet that shows a saved map in a CMS page.

    Parameters
    ----------
    range_map : RangeMap
        The map (its title names the frame).
    src : str
        The address the map will be published at, e.g. ``"atacms-nov-2024.html"``.
    aspect : float, optional
        Height over width of the frame; 0.75 when omitted.

    Returns
    -------
    str
        The HTML snippet.
    """
    if isinstance(aspect, bool) or not isinstance(aspect, int | float) or not 0.2 <= aspect <= 3:
        msg = f"aspect: {quote(aspect)} is not between 0.2 and 3; for example 0.75"
        raise InputError(msg)
    title = html_attr(range_map.title or "Reach map")
    return (
        f'<div style="position:relative;width:100%;max-width:1200px;'
        f'padding-top:max(560px,{aspect * 100:.2f}%);">\n'
        f'  <iframe src="{html_attr(src)}" title="{title}" loading="lazy" '
        'style="position:absolute;inset:0;width:100%;height:100%;border:0;" '
        'sandbox="allow-scripts allow-popups"></iframe>\n</div>\n'
    )
