"""Your own points, for every renderer: rows, the "Your points" panel, features, summary.

This module owns how the points a :class:`~rangemap.scene.RangeMap` shows (see
:meth:`~rangemap.scene.RangeMap.add_points`) are turned into output: plain rows, one
per point per layer (:func:`point_rows`), the marks (:func:`point_marks`: one per
point, in range of any layer or not), the HTML "Your points" panel and its CSS, the
legend keys, the one-line summary of static images, and the point features of the
exports (``kind: "point"``; :mod:`rangemap.render.export` writes a KML "Points" folder
and a GeoPackage ``points`` layer from them). In or out of range is always said in
words as well as by the symbol (filled or hollow square). The points are the user's:
no credit is printed for them.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from rangemap.escaping import clean, html_attr, html_text
from rangemap.render._placemarks import point_feature, table_panel_css
from rangemap.words import Words, words

if TYPE_CHECKING:
    from rangemap.scene import RangeMap

__all__ = [
    "POINTS_CSS",
    "PointMark",
    "PointRow",
    "heading",
    "legend_items",
    "mark_data",
    "panel_html",
    "point_features",
    "point_marks",
    "point_rows",
    "summary_text",
]

_EN = words("en")
_COLUMNS = ["name", "layer", "in_range", "distance_km", "margin_km", "nearest_origin", "lon", "lat"]


@dataclass(frozen=True, slots=True)
class PointRow:
    """One of your points against one layer."""

    name: str
    layer: str
    in_range: bool
    distance_km: float
    margin_km: float
    nearest_origin: str
    lon: float
    lat: float
    index: int


@dataclass(frozen=True, slots=True)
class PointMark:
    """One of your points as drawn: in range of at least one layer, or of none."""

    name: str
    lon: float
    lat: float
    in_range: bool


def point_rows(scene: RangeMap) -> list[PointRow]:
    """Return the points against every layer, in file order (empty when none).

    Examples
    --------
    >>> import geopandas
    >>> from rangemap.reach import Reach
    >>> from rangemap.scene import RangeMap
    >>> m = RangeMap().add(Reach.from_distance(300_000, "50.91, 34.80=Sumy")).add_points(
    ...     geopandas.GeoDataFrame({"name": ["Kursk"]},
    ...     geometry=geopandas.points_from_xy([36.19], [51.73]), crs=4326))
    >>> [(r.name, r.in_range, round(r.distance_km)) for r in point_rows(m)]
    [('Kursk', True, 133)]
    """
    table = scene.points_in_range()
    if table is None:
        return []
    per_point = max(1, len(scene.layers))
    return [
        PointRow(
            name=str(record["name"]),
            layer=str(record["layer"]),
            in_range=bool(record["in_range"]),
            distance_km=float(record["distance_km"]),
            margin_km=float(record["margin_km"]),
            nearest_origin=str(record["nearest_origin"] or ""),
            lon=float(record["lon"]),
            lat=float(record["lat"]),
            index=i // per_point,
        )
        for i, record in enumerate(table[_COLUMNS].to_dict(orient="records"))
    ]


def point_marks(rows: Sequence[PointRow]) -> list[PointMark]:
    """Return one mark per point: in range when it is in range of any layer."""
    marks: dict[int, PointMark] = {}
    for row in rows:
        old = marks.get(row.index)
        marks[row.index] = PointMark(
            row.name, row.lon, row.lat, row.in_range or (old is not None and old.in_range)
        )
    return [marks[i] for i in sorted(marks)]


def heading(scene: RangeMap, w: Words = _EN) -> str:
    """Return the heading of the points list: the name given, else "Your points"."""
    given = scene.points.name if scene.points is not None else ""
    return given or w("Your points")


def _status(in_range: bool, w: Words) -> str:
    return w("in range") if in_range else w("out of range")


def _km(value: float, w: Words, *, signed: bool = False) -> str:
    number = w.number(abs(value)) if signed else w.number(value)
    sign = ("+" if value >= 0 else "\u2212") if signed and round(value) != 0 else ""
    return w("{km}\u00a0km", km=f"{sign}{number}")


def panel_html(scene: RangeMap, rows: Sequence[PointRow], w: Words = _EN) -> str:
    """Return the "Your points" panel: a table of in or out of range, distance, margin."""
    if not rows:
        return ""
    layered = len({row.layer for row in rows}) > 1
    heads = ["Point"] + (["Layer"] if layered else []) + ["Range", "Distance", "Margin", "from"]
    head = "".join(
        f'<th class="rm-num">{html_text(w(h))}</th>'
        if h in ("Distance", "Margin")
        else f"<th>{html_text(w(h))}</th>"
        for h in heads
    )
    body: list[str] = []
    for row in rows:
        state = "rm-pts-in" if row.in_range else "rm-pts-out"
        cells = [f"<td>{html_text(row.name)}</td>"]
        if layered:
            cells.append(f"<td>{html_text(row.layer)}</td>")
        cells += [
            f'<td class="{state}">{html_text(_status(row.in_range, w))}</td>',
            f'<td class="rm-num">{html_text(_km(row.distance_km, w))}</td>',
            f'<td class="rm-num">{html_text(_km(row.margin_km, w, signed=True))}</td>',
            f"<td>{html_text(row.nearest_origin)}</td>",
        ]
        body.append(f"<tr>{''.join(cells)}</tr>")
    title = heading(scene, w)
    note = w(
        "Distances are geodesic, from the nearest origin; the margin is how far inside (+) "
        "or outside (\u2212) the reach a point is."
    )
    return (
        f'<section class="rm-pts" aria-label="{html_attr(title)}">'
        f"<h2>{html_text(title)}</h2>"
        f'<table class="rm-pts-table"><thead><tr>{head}</tr></thead>'
        f"<tbody>{''.join(body)}</tbody></table>"
        f'<p class="rm-pts-note">{html_text(note)}</p>'
        "</section>"
    )


def legend_items(rows: Sequence[PointRow], w: Words = _EN) -> list[tuple[str, str]]:
    """Return ``(css class, text)`` legend keys for the symbols used (in, out)."""
    marks = point_marks(rows)
    items = []
    if any(m.in_range for m in marks):
        items.append(("rm-pt-in", w("Your point, in range")))
    if any(not m.in_range for m in marks):
        items.append(("rm-pt-out", w("Your point, out of range")))
    return items


#: CSS of the panel, the markers (a square turned 45 degrees: filled in range, hollow
#: out of range) and their labels.
POINTS_CSS = (
    table_panel_css("rm-pts")
    + """.rm-pts-table .rm-num{text-align:right;}
.rm-pts-out{color:var(--muted);font-style:italic;}
.rm-pts-in{font-weight:600;}
.rm-pts-note{margin:6px 0 0;color:var(--muted);max-width:60rem;}
.rm-pt{width:0!important;height:0!important;overflow:visible;}
.rm-pt span,.rm-key{display:block;width:9px;height:9px;border:2px solid #1d1d1b;
box-sizing:border-box;}
.rm-pt span{position:absolute;left:-4.5px;top:-4.5px;transform:rotate(45deg);}
.rm-key{flex:none;margin:0 6px;transform:rotate(45deg);}
.rm-pt-in{background:#1d1d1b;}
.rm-pt-out{background:#fff;}
.rm-point{transform:translate(8px,-55%);color:#1d1d1b;font-size:12px;font-weight:600;}
.rm-point.rm-pt-out-label{color:#5b5b57;font-style:italic;font-weight:500;}
@media (max-width:600px){
.rm-pts{padding:8px 12px 2px;font-size:12px;}
.rm-pts-table th,.rm-pts-table td{padding-right:8px;}
.rm-point{font-size:11px;}
}
"""
)


def summary_text(scene: RangeMap, rows: Sequence[PointRow], w: Words = _EN) -> str:
    """Return the one-line list of your points printed under static maps.

    Examples
    --------
    >>> from rangemap.scene import RangeMap
    >>> summary_text(RangeMap(), [])
    ''
    """
    if not rows:
        return ""
    layered = len({row.layer for row in rows}) > 1
    parts = []
    for row in rows:
        where = f"{row.layer}: " if layered else ""
        parts.append(
            w(
                "{name} ({where}{status}, {km} from {origin})",
                name=row.name,
                where=where,
                status=_status(row.in_range, w),
                km=_km(row.distance_km, w),
                origin=row.nearest_origin,
            )
        )
    return f"{heading(scene, w)}: {w(', ').join(parts)}."


def point_features(rows: Sequence[PointRow]) -> list[dict[str, Any]]:
    """Return your points as RFC 7946 point features, one per point per layer.

    Properties: ``kind: "point"``, ``name``, ``layer``, ``in_range``,
    ``distance_km``, ``margin_km`` (rounded to the metre), ``nearest_origin``.
    """
    features = []
    for row in rows:
        properties = {
            "kind": "point",
            "name": row.name,
            "layer": row.layer,
            "in_range": row.in_range,
            "distance_km": round(row.distance_km, 3),
            "margin_km": round(row.margin_km, 3),
            "nearest_origin": row.nearest_origin,
        }
        features.append(point_feature(properties, row.lon, row.lat))
    return features


def mark_data(marks: Sequence[PointMark], shift: Any, digits: int) -> list[list[Any]]:
    """Return ``[lat, lon, name, in_range]`` per point for the page script."""
    return [
        [round(m.lat, digits), round(shift(m.lon), digits), clean(m.name), m.in_range]
        for m in marks
    ]
