"""Text alternatives: a plain-text description of a map, written from its own words.

This module owns what a map says to a reader who cannot see it: :func:`describe`
writes, in the map's language, what is shaded and from where, which figure and whose
claim (the legend's own lines, with each outline's dash pattern), the caveats, the
sources, the cities listed (the most populous first, with distances), the method note,
the "as of" date and the basemap and projection. :func:`short_description` is the
map's name for a frame ``title``.

The text is plain and cleaned (:func:`rangemap.escaping.clean`): it holds user text
(titles, names, notes), so every output escapes it for its own format. It goes into

- the HTML page: a summary after the title, before the map, which the map names as its
  description (``aria-describedby``);
- SVG images: the root's ``<title>`` and ``<desc>`` (:func:`svg_with_description`);
- PNG images: the ``Description`` text chunk, and ``NAME.alt.txt`` beside the file;
- PDF files: the document's ``Title`` and ``Subject``;
- the embed snippet: the frame's ``title`` is the short name.
"""

from __future__ import annotations

import copy
import re
from typing import TYPE_CHECKING, Literal

from rangemap.escaping import clean, xml_text

if TYPE_CHECKING:
    from rangemap.render._context import Context
    from rangemap.scene import RangeMap
    from rangemap.words import Words

__all__ = [
    "DESCRIPTION_ID",
    "Projection",
    "alt_text_path",
    "describe",
    "describe_context",
    "short_description",
    "svg_with_description",
]

#: The id of the HTML page's summary, which the map names with ``aria-describedby``.
DESCRIPTION_ID = "rm-description"

#: How an output draws the map: ``"web"`` (the HTML page's projection, Web Mercator or,
#: for long ranges, azimuthal equidistant) or ``"static"`` (images: azimuthal equidistant).
Projection = Literal["web", "static"]


def _sentence(text: str) -> str:
    """Return ``text`` ending in a full stop (unless it already ends a sentence)."""
    text = text.strip()
    if not text or text[-1] in ".!?\u2026\u3002\u061f":
        return text
    return text + "."


def short_description(scene: RangeMap) -> str:
    """Return a map's short name, for a frame's ``title``: its title, else "Reach map".

    Examples
    --------
    >>> from rangemap.scene import RangeMap
    >>> short_description(RangeMap(title="ATACMS from Sumy"))
    'ATACMS from Sumy'
    >>> short_description(RangeMap())
    'Reach map'
    """
    from rangemap.words import words

    w = words(scene.language)
    title = clean(scene.title or "")
    return title if title.strip() else w("Reach map")


def describe(
    scene: RangeMap,
    language: str | None = None,
    *,
    projection: Projection = "web",
    top: int = 12,
) -> str:
    """Return a plain-text description of a map, in its language (or ``language``).

    Parameters
    ----------
    scene : RangeMap
        The map.
    language : str, optional
        A language code (``"en"``, ``"uk"``, ...); the map's own language when omitted.
    projection : {"web", "static"}, optional
        Describe the HTML page's projection (``"web"``) or the images' (``"static"``).
    top : int, optional
        How many of the listed cities are named, the most populous first.

    Returns
    -------
    str
        One paragraph of plain text (cleaned of control and bidi-control characters);
        escape it for the format it goes into.

    Examples
    --------
    >>> from rangemap.reach import Reach
    >>> from rangemap.scene import RangeMap
    >>> m = RangeMap(title="What ATACMS can reach from Sumy")
    >>> _ = m.add(Reach.from_system("atacms:block-i", "Sumy")).show_places(2, countries="RU")
    >>> print(describe(m))  # doctest: +ELLIPSIS
    What ATACMS can reach from Sumy. Shaded, measured from Sumy: ATACMS ... 165 km (solid
    outline). ... Cities in range: Kursk (448,733; 132 km from Sumy), Belgorod (...). ...
    """
    from rangemap.render._context import prepare

    if language is not None and language != scene.language:
        from rangemap.words import words

        words(language, argument="language")  # an unknown language is refused here
        # The same map in that language: its words and its place names.
        scene = copy.copy(scene)
        scene.language = language
    return describe_context(prepare(scene), projection=projection, top=top)


def describe_context(context: Context, *, projection: Projection = "web", top: int = 12) -> str:
    """Return :func:`describe` of a map already prepared (what the renderers call)."""
    scene, w = context.scene, context.words
    parts: list[str] = []
    if scene.title and clean(scene.title).strip():
        parts.append(_sentence(clean(scene.title)))
    if scene.subtitle and clean(scene.subtitle).strip():
        parts.append(_sentence(clean(scene.subtitle)))
    parts.extend(_layers(context, w))
    parts.extend(_places(context, w, top))
    points = _points(context, w)
    if points:
        parts.append(points)
    parts.append(context.method_note())
    if scene.date is not None:
        parts.append(w("Ranges as reported up to {date}.", date=w.date(scene.date)))
    parts.extend(_basemap(scene, w, projection))
    text = " ".join(p.strip() for p in parts if p and p.strip())
    return re.sub(r"\s+", " ", clean(text)).strip()


def _layers(context: Context, w: Words) -> list[str]:
    """Say what is shaded, from where, and whose figure, with the caveats and sources."""
    from rangemap.theme import LAYER_DASHES

    scene = context.scene
    if not scene.layers:
        return []
    lines = []
    for i, layer in enumerate(scene.layers):
        outline = _outline(LAYER_DASHES[i % len(LAYER_DASHES)][1], w)
        lines.append(w("{layer} ({outline})", layer=context.layer_name(layer), outline=outline))
    listed = w("; ").join(lines)
    labels = context.origin_labels()
    if labels:
        head = w("Shaded, measured from {places}:", places=w(", ").join(labels))
    else:
        head = w("Shaded:")
    out = [_sentence(f"{head} {listed}")]
    notes: list[str] = []
    for layer in scene.layers:
        for note in context.layer_notes(layer):
            if note not in notes:
                notes.append(note)
    out.extend(_sentence(note) for note in notes)
    publishers = list(dict.fromkeys(clean(s.publisher) for s in context.sources if s.publisher))
    if publishers:
        out.append(_sentence(f"{w('Sources:')} {w(', ').join(publishers)}"))
    return out


def _outline(style: str, w: Words) -> str:
    """Say an outline's dash pattern (:data:`rangemap.theme.LAYER_DASHES`)."""
    if style == "dashed":
        return w("dashed outline")
    if style == "dotted":
        return w("dotted outline")
    return w("solid outline")


def _places(context: Context, w: Words, top: int) -> list[str]:
    """Name the cities listed, the most populous first, with distances and the sum."""
    from rangemap.render._placemarks import SUM_NOTE, population_note

    rows = list(context.places)
    if not rows:
        return []
    named = []
    for row in rows[: max(top, 0)]:
        name = row.name
        people = w.number(row.population)
        if row.distance_km is None:
            named.append(w("{name} ({people})", name=name, people=people))
            continue
        km = w("{km} km", km=w.number(row.distance_km))
        if row.nearest_origin:
            km = w("{distance} from {origin}", distance=km, origin=row.nearest_origin)
        named.append(w("{name} ({people}; {km})", name=name, people=people, km=km))
    return [
        w("Cities in range: {places}.", places=w(", ").join(named)),
        population_note(rows, w),
        w(SUM_NOTE),
    ]


def _points(context: Context, w: Words) -> str:
    """Say how many of your points are in range of a layer (``""`` without points)."""
    if not context.points:
        return ""
    inside: dict[int, bool] = {}
    for row in context.points:
        inside[row.index] = inside.get(row.index, False) or row.in_range
    return w(
        "Your points in range: {inside} of {total}.",
        inside=w.number(sum(inside.values())),
        total=w.number(len(inside)),
    )


def _basemap(scene: RangeMap, w: Words, projection: Projection) -> list[str]:
    """Say what the basemap is and which projection the map is drawn in."""
    from rangemap.options import Basemap
    from rangemap.render import _webcrs

    borders = w("Basemap: country borders.")
    aeqd = w("Azimuthal equidistant projection: distances from the map's centre are true.")
    if projection == "static" or _webcrs.choose(scene) is not None:
        return [borders, aeqd]
    if not Basemap.parse(scene.basemap).offline:
        borders = w("Basemap: web map tiles.")
    return [
        borders,
        w("Web Mercator projection: areas far from the equator look larger than they are."),
    ]


def alt_text_path(path: str) -> str:
    """Return the name of a PNG's text alternative: ``NAME.alt.txt`` beside ``NAME.png``.

    Examples
    --------
    >>> alt_text_path("maps/atacms-sumy.png")
    'maps/atacms-sumy.alt.txt'
    """
    stem, dot, _ = path.rpartition(".")
    return f"{stem if dot else path}.alt.txt"


def svg_with_description(svg: bytes, title: str, description: str) -> bytes:
    r"""Return an SVG file with ``<title>`` and ``<desc>`` as the root's first children.

    Both texts are escaped for XML (:func:`rangemap.escaping.xml_text`); the root
    gets ``role="img"`` and ``aria-labelledby``/``aria-describedby`` naming them.

    Examples
    --------
    >>> svg = b'<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg">\n</svg>\n'
    >>> print(svg_with_description(svg, "Kursk & Belgorod", "<b>bold</b>").decode())
    <?xml version="1.0"?>
    <svg xmlns="http://www.w3.org/2000/svg" role="img" aria-labelledby="rm-svg-title" aria-describedby="rm-svg-desc"><title id="rm-svg-title">Kursk &amp; Belgorod</title><desc id="rm-svg-desc">&lt;b&gt;bold&lt;/b&gt;</desc>
    </svg>
    """  # noqa: E501
    text = svg.decode("utf-8")
    match = re.search(r"<svg\b[^>]*?(/?)>", text)
    if match is None or match.group(1):  # pragma: no cover - matplotlib always writes one
        return svg
    opening = match.group(0)[:-1].rstrip()
    inserted = (
        f'{opening} role="img" aria-labelledby="rm-svg-title" aria-describedby="rm-svg-desc">'
        f'<title id="rm-svg-title">{xml_text(title)}</title>'
        f'<desc id="rm-svg-desc">{xml_text(description)}</desc>'
    )
    return (text[: match.start()] + inserted + text[match.end() :]).encode("utf-8")
