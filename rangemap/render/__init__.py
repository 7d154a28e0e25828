"""Renderers: a :class:`~rangemap.scene.RangeMap` to files, and the one way to write them.

This package owns writing: the format registry (:func:`register_writer`,
:func:`writers`), the check of every output before any work (:func:`check_output`),
:func:`save`, the HTML page (:func:`to_html`), the GeoJSON collection
(:func:`to_geojson`) and the embed snippet (:func:`embed_snippet`, :func:`embed_path`,
:func:`check_embed_url`): a frame that grows to the map page's height.
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

import hashlib
import os
import urllib.parse
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from rangemap._io import destination_problem, write_all
from rangemap.errors import InputError
from rangemap.escaping import check_url, html_attr, quote
from rangemap.render._context import Context, prepare
from rangemap.render._registry import Format, format_for, options_of, register_writer, suffixes

if TYPE_CHECKING:
    from rangemap.scene import RangeMap

__all__ = [
    "API_NAMES",
    "CLI_NAMES",
    "Context",
    "OptionNames",
    "check_embed_url",
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


def writers() -> tuple[str, ...]:
    """Return the file suffixes :func:`save` can write, sorted (no renderer is loaded).

    Examples
    --------
    >>> writers()
    ('.geojson', '.gpkg', '.htm', '.html', '.kml', '.pdf', '.png', '.svg')
    """
    return suffixes()


@dataclass(frozen=True, slots=True)
class OptionNames:
    """How the output and its options are called in messages (Python or command line)."""

    output: str = "output"
    embed: str = "embed"
    preset: str = "preset"
    max_bytes: str = "max_bytes"
    embed_url: str = "embed_url"


#: Names in the Python API (:meth:`RangeMap.save`).
API_NAMES = OptionNames()
#: Names on the command line (``rangemap map -o FILE --embed --preset --max-bytes``).
CLI_NAMES = OptionNames("-o", "--embed", "--preset", "--max-bytes", embed_url="--embed-url")


def embed_path(path: str | os.PathLike[str]) -> Path:
    """Where :func:`save` writes the embed snippet of a map saved at ``path``.

    Examples
    --------
    >>> embed_path("atacms-nov-2024.html").name
    'atacms-nov-2024.embed.html'
    """
    target = Path(path)
    return target.with_name(f"{target.stem}.embed.html")


def check_embed_url(url: object, *, name: str = "embed_url") -> str:
    """Return ``url`` if it may be the address of an embedded map, else raise.

    The address is written into the snippet's ``src``: an absolute ``https://``
    address with a real host name (:func:`rangemap.escaping.check_url`).

    Examples
    --------
    >>> check_embed_url("https://graphics.example.org/maps/atacms-sumy.html")
    'https://graphics.example.org/maps/atacms-sumy.html'
    """
    problem = check_url(url) if isinstance(url, str) else "it is not text"
    if not problem and urllib.parse.urlsplit(str(url)).scheme.lower() != "https":
        problem = "an embedded map must be served over https://"
    if problem:
        msg = (
            f"{name}: {quote(url)} cannot be the map's address: {problem}; give the https:// "
            "address the map will be published at, e.g. https://example.org/maps/map.html"
        )
        raise InputError(msg)
    return str(url)


def check_output(
    path: str | os.PathLike[str],
    *,
    embed: bool = False,
    preset: object = None,
    max_bytes: int | None = None,
    names: OptionNames = API_NAMES,
    embed_url: str | None = None,
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
    embed_url : str, optional
        The ``https://`` address the map will be published at, for the snippet's
        ``src`` (:func:`check_embed_url`); implies ``embed``.

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
    if embed_url is not None:
        check_embed_url(embed_url, name=names.embed_url)
        embed = True
    suffix = target.suffix.lower()
    taken = options_of(suffix)  # no renderer is loaded to check the output
    if taken is None:
        shown = quote(suffix) if suffix else "(none)"
        msg = (
            f"{names.output}: {quote(str(target))} has suffix {shown}, which is not "
            f"supported; use one of {', '.join(suffixes())}"
        )
        raise InputError(msg)
    if embed and suffix not in (".html", ".htm"):
        option = names.embed if embed_url is None else names.embed_url
        msg = f"{option}: only .html maps can be embedded, not {quote(str(target))}"
        raise InputError(msg)
    for option, value, what in (
        ("preset", preset, "sizes static images"),
        ("max_bytes", max_bytes, "limits GeoJSON files"),
    ):
        if value is not None and option not in taken:
            takers = [s for s in suffixes() if option in (options_of(s) or ())]
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
    if suffix == ".png":  # its text alternative, NAME.alt.txt (rangemap.render.describe)
        from rangemap.render.describe import alt_text_path

        problem = destination_problem(target.with_name(alt_text_path(target.name)))
        if problem is not None:
            msg = f"{names.output}: cannot write the text alternative, {problem}"
            raise InputError(msg)
    if embed:
        problem = destination_problem(embed_path(target))
        if problem is not None:
            msg = (
                f"{names.embed}: cannot write the snippet, {problem}; move it away or save "
                "the map under another name"
            )
            raise InputError(msg)
    chosen = format_for(suffix)  # loads this format's renderer only
    if chosen is None:  # pragma: no cover - a built-in renderer that registers nothing
        msg = f"{names.output}: no writer for {quote(suffix)}; use one of {', '.join(suffixes())}"
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
    embed_url: str | None = None,
) -> Path:
    """Write a map to a file, its format from the suffix; see :meth:`RangeMap.save`.

    Every output is checked first (:func:`check_output`); the map is prepared once
    (:func:`prepare`); all files are written together or none
    (:func:`rangemap._io.write_all`). With ``embed`` (or ``embed_url``, which implies
    it) the snippet :func:`embed_snippet` is written to :func:`embed_path`, its
    ``src`` the ``embed_url`` or else the map's file name (relative: the snippet then
    works only on a page beside the map).
    """
    target = Path(path)
    chosen = check_output(
        target,
        embed=embed,
        preset=preset,
        max_bytes=max_bytes,
        names=names,
        embed_url=embed_url,
    )
    embed = embed or embed_url is not None
    options: dict[str, Any] = {}
    if preset is None and "preset" in chosen.options:
        preset = range_map.preset
    if preset is not None:
        options["preset"] = preset
    if max_bytes is not None:
        options["max_bytes"] = max_bytes
    context = prepare(range_map)
    content = chosen.write(context, **options)
    files: list[tuple[Path, str | bytes]] = [(target, content)]
    if target.suffix.lower() == ".png":  # written with the image, or neither is
        from rangemap.render.describe import alt_text_path, describe_context

        alt = describe_context(context, projection="static") + "\n"
        files.append((target.with_name(alt_text_path(target.name)), alt))
    if embed:
        # The snippet names the map by its published address, or else by a relative
        # address: the file name, URL-encoded.
        src = embed_url or urllib.parse.quote(os.fsencode(target.name), safe="")
        files.append((embed_path(target), embed_snippet(range_map, src)))
    write_all(files)
    return target


def to_html(range_map: RangeMap) -> str:
    """Return the map as one self-contained HTML page; see :func:`rangemap.render.page.render_page`."""  # noqa: E501
    from rangemap.render.page import render_page

    return render_page(range_map)


def to_geojson(range_map: RangeMap) -> dict[str, Any]:
    """Return the map as an RFC 7946 FeatureCollection; see :func:`rangemap.render.vector.to_geojson`."""  # noqa: E501
    from rangemap.render.vector import to_geojson as build

    return build(range_map)


#: The frame's sandbox: the map's scripts run, and its source links open in a normal
#: tab (``allow-popups-to-escape-sandbox``), never with the host page's origin (no
#: ``allow-same-origin``, which beside ``allow-scripts`` would undo the sandbox).
SANDBOX = "allow-scripts allow-popups allow-popups-to-escape-sandbox"
#: Height of the frame when the host page runs no scripts (``<noscript>``): tall enough
#: for the whole page of a typical map on a phone, so nothing sits in an inner scroll.
NOSCRIPT_HEIGHT_PX = 1600

#: The host page's listener, with ``{id}`` the frame's id (hex digits only). It sets
#: the frame's height from a message of the map page (:data:`rangemap.render._panels.MAP_SCRIPT`)
#: that comes from that very frame and holds a number; nothing else is read.
_LISTENER = (
    '(function(){{var f=document.getElementById("{id}");if(!f){{return;}}'
    'window.addEventListener("message",function(e){{'
    'if(e.source!==f.contentWindow||!e.data||typeof e.data!=="object"){{return;}}'
    'var h=e.data["rangemap-height"];'
    'if(typeof h!=="number"||!isFinite(h)||h<50||h>30000){{return;}}'
    'f.style.aspectRatio="auto";f.style.minHeight="0";f.style.height=Math.ceil(h)+"px";'
    "}});}}());"
)


def embed_snippet(range_map: RangeMap, src: str, *, aspect: float = 0.75) -> str:
    """Return an ``<iframe>`` snippet for a CMS page that grows to the map page's height.

    Like Datawrapper's and Flourish's embeds: the frame is as wide as the article
    (``width:100%``); the map page posts its height (``{"rangemap-height": N}``) and
    the snippet's few lines of script set the frame to it, so the title, map, list of
    cities, sources and credits show with no scroll inside the frame. The listener
    only takes a number from its own frame (``event.source``). Without scripts on the
    host page, a ``<noscript>`` style gives the frame a fixed tall height
    (:data:`NOSCRIPT_HEIGHT_PX`). The frame's ``title`` is the map's title; its
    sandbox is :data:`SANDBOX`.

    Parameters
    ----------
    range_map : RangeMap
        The map (its title names the frame).
    src : str
        The address the map will be published at: an absolute ``https://`` address
        (``rangemap map --embed-url``), or the file name, e.g. ``"atacms-nov-2024.html"``,
        when the snippet sits beside the map.
    aspect : float, optional
        Height over width of the frame until the map page reports its height; 0.75
        when omitted (never less than 560 px high).

    Returns
    -------
    str
        The HTML snippet: a ``<div>`` holding the ``<iframe>``, the ``<noscript>``
        height and the listener ``<script>``.

    Examples
    --------
    >>> from rangemap.reach import Reach
    >>> from rangemap.scene import RangeMap
    >>> m = RangeMap(title="ATACMS from Sumy").add(Reach.from_distance(300_000, "Sumy"))
    >>> snippet = embed_snippet(m, "https://maps.example.org/atacms-sumy.html")
    >>> 'title="ATACMS from Sumy"' in snippet and "allow-popups-to-escape-sandbox" in snippet
    True
    """
    if isinstance(aspect, bool) or not isinstance(aspect, int | float) or not 0.2 <= aspect <= 3:
        msg = f"aspect: {quote(aspect)} is not between 0.2 and 3; for example 0.75"
        raise InputError(msg)
    from rangemap.render.describe import short_description

    title = html_attr(short_description(range_map))
    address = html_attr(src)
    # The frame's id: from the address only (hex digits), the same for the same map.
    frame_id = (
        "rangemap-" + hashlib.sha256(str(src).encode("utf-8", "surrogatepass")).hexdigest()[:12]
    )
    ratio = f"{1 / aspect:.4g}"
    return (
        '<div class="rangemap-embed">\n'
        f'<iframe id="{frame_id}" src="{address}" title="{title}" loading="lazy" '
        f'scrolling="no" sandbox="{SANDBOX}" '
        f'style="display:block;width:100%;aspect-ratio:{ratio};min-height:560px;border:0;">'
        "</iframe>\n"
        f"<noscript><style>#{frame_id}{{height:{NOSCRIPT_HEIGHT_PX}px!important;"
        "aspect-ratio:auto!important;}</style></noscript>\n"
        f"<script>{_LISTENER.format(id=frame_id)}</script>\n"
        "</div>\n"
    )
