"""Files for other tools: KML (Google Earth) and GeoPackage (QGIS).

What this module owns:

- :func:`to_kml`: a KML 2.2 document with one styled placemark per reach layer (fill and
  outline in the layer's colour), one per origin, and each layer's provenance (system,
  variant, km, qualifier, range in words, sources) as ``ExtendedData`` and a plain-text
  description; with places shown, a "Cities in range" folder of points; with your
  points, a "Your points" folder (one placemark per point per layer). Every string
  is escaped by the XML writer, never pasted into markup; descriptions, which Google
  Earth shows as HTML, are escaped for HTML first.
- :func:`to_gpkg`: a GeoPackage with a ``reach`` layer (one row per layer, the same
  properties), an ``origins`` layer and, with places shown, a ``places`` layer, with
  your points a ``points`` layer, written
  with geopandas/pyogrio.

Both are built from the one GeoJSON collection of
:func:`rangemap.render.vector.feature_collection`, so a layer and a place mean the same
thing in every format. Geometries are in EPSG:4326 and split at ±180 (RFC 7946).
"""

from __future__ import annotations

import json
import sqlite3
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import shapely
from shapely.geometry import MultiPolygon, Point, Polygon, shape
from shapely.geometry.base import BaseGeometry

from rangemap._io import staging_folder
from rangemap.errors import InputError
from rangemap.escaping import clean, clean_data, html_text
from rangemap.render._context import Context, coordinate_digits, prepare
from rangemap.render._placemarks import SUM_NOTE, origin_label
from rangemap.render._points import heading
from rangemap.render._registry import register_writer
from rangemap.render.vector import feature_collection
from rangemap.words import Words

if TYPE_CHECKING:
    from rangemap.scene import RangeMap

__all__ = [
    "flat_properties",
    "gpkg_timestamp",
    "to_gpkg",
    "to_kml",
]

_KML_NS = "http://www.opengis.net/kml/2.2"
#: Digits kept in KML coordinates: 1e-6 degrees is at most 0.11 m.
KML_DIGITS = 6
#: Properties flattened into single text or number fields (KML, GeoPackage).
_FLAT_KEYS = (
    "name",
    "label",
    "system",
    "system_name",
    "variant",
    "variant_name",
    "km",
    "min_km",
    "low_km",
    "qualifier",
    "figure_kind",
    "range",
    "attribution",
    "show",
    "as_of",
    "color",
    "opacity",
)


def _citation(source: dict[str, Any]) -> str:
    who = source["publisher"] + (f" (via {source['via']})" if source.get("via") else "")
    date = f", {source['published']}" if source.get("published") else ""
    return f"{who}: \u201c{source['title']}\u201d{date}. {source['url']}"


def flat_properties(properties: dict[str, Any]) -> dict[str, Any]:
    """Flatten a reach feature's properties into text and number fields.

    Lists become text: ``origins`` joined with ``"; "``, ``caveats`` as one note per
    line, ``sources`` as one citation per line (``sources``) and the full claims and
    sources as JSON (``claims_json``, ``sources_json``) for tools that read them back.
    Every text is cleaned (:func:`rangemap.escaping.clean`): no control characters reach
    KML or GeoPackage.

    Parameters
    ----------
    properties : dict
        The ``properties`` of a feature from :func:`rangemap.render.vector.to_geojson`.

    Returns
    -------
    dict
        Field name to ``str``, ``float`` or ``None``.

    Examples
    --------
    >>> flat = flat_properties({"name": "ATACMS", "km": 300.0, "origins": ["Sumy", "Kharkiv"],
    ...                         "sources": [], "claims": []})
    >>> flat["origins"], flat["km"]
    ('Sumy; Kharkiv', 300.0)
    """
    flat: dict[str, Any] = {key: clean_data(properties.get(key)) for key in _FLAT_KEYS}
    origins = [clean(o) for o in properties.get("origins", []) if o]
    flat["origins"] = "; ".join(origins) if origins else None
    caveats = [clean(str(c.get("text", ""))) for c in properties.get("caveats", []) or []]
    flat["caveats"] = "\n".join(caveats) if caveats else None
    sources = clean_data(properties.get("sources", []))
    flat["sources"] = "\n".join(_citation(s) for s in sources) if sources else None
    flat["claims_json"] = json.dumps(clean_data(properties.get("claims", [])), ensure_ascii=False)
    flat["sources_json"] = json.dumps(sources, ensure_ascii=False)
    return flat


# --- KML ----------------------------------------------------------------------------------


def _kml_color(color: str, opacity: float) -> str:
    """``#RRGGBB`` and an opacity as KML's ``aabbggrr``."""
    value = color.lstrip("#")
    if len(value) == 3:
        value = "".join(c * 2 for c in value)
    alpha = round(max(0.0, min(1.0, opacity)) * 255)
    return f"{alpha:02x}{value[4:6]}{value[2:4]}{value[0:2]}".lower()


def _lines(text: object) -> str:
    """Clean text line by line: line breaks stay, other control characters go."""
    return "\n".join(clean(line) for line in str(text).split("\n"))


def _sub(parent: ET.Element, tag: str, text: str | None = None) -> ET.Element:
    """Add a KML element; its text is cleaned, so the XML is always well formed."""
    element = ET.SubElement(parent, f"{{{_KML_NS}}}{tag}")
    if text is not None:
        element.text = _lines(text)
    return element


def _coords(xy: Any, digits: int = KML_DIGITS) -> str:
    return " ".join(f"{x:.{digits}f},{y:.{digits}f}" for x, y in np.asarray(xy)[:, :2])


def _kml_polygon(parent: ET.Element, polygon: Polygon, digits: int = KML_DIGITS) -> None:
    element = _sub(parent, "Polygon")
    _sub(element, "tessellate", "1")
    outer = _sub(_sub(element, "outerBoundaryIs"), "LinearRing")
    _sub(outer, "coordinates", _coords(polygon.exterior.coords, digits))
    for hole in polygon.interiors:
        inner = _sub(_sub(element, "innerBoundaryIs"), "LinearRing")
        _sub(inner, "coordinates", _coords(hole.coords, digits))


def _kml_geometry(parent: ET.Element, geometry: BaseGeometry, digits: int) -> None:
    polygons = [p for p in shapely.get_parts(geometry) if isinstance(p, Polygon) and not p.is_empty]
    if len(polygons) == 1:
        _kml_polygon(parent, polygons[0], digits)
        return
    multi = _sub(parent, "MultiGeometry")
    for polygon in polygons:
        _kml_polygon(multi, polygon, digits)


def _description(flat: dict[str, Any], w: Words) -> str:
    """Return a placemark's balloon text as HTML-escaped lines.

    Google Earth shows a ``description`` as HTML, so the text is escaped for HTML here
    (:func:`rangemap.escaping.html_text`, and again for XML by the writer): a title such
    as ``<b>Sumy</b>`` shows as written, and ``$[name]`` is no entity for Google Earth.
    """
    lines = [str(flat["name"] or flat["label"] or "")]
    if flat.get("caveats"):
        lines += str(flat["caveats"]).split("\n")
    if flat.get("origins"):
        lines.append(w("Measured from {places}.", places=flat["origins"]))
    if flat.get("as_of"):
        lines.append(w("Ranges as reported up to {date}.", date=flat["as_of"]))
    if flat.get("sources"):
        lines += [w("Sources:"), *str(flat["sources"]).split("\n")]
    return "<br/>".join(html_text(line) for line in lines)


def _split(collection: dict[str, Any]) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """Return the reach features and the place features of a collection."""
    features = collection["features"]
    places = [f for f in features if f["properties"].get("kind") == "place"]
    reaches = [f for f in features if f["properties"].get("kind") not in ("place", "point")]
    return reaches, places


def _mine(collection: dict[str, Any]) -> list[dict[str, Any]]:
    """Return the features of your points (``kind: "point"``) of a collection."""
    return [f for f in collection["features"] if f["properties"].get("kind") == "point"]


#: The properties of your points written to KML and GeoPackage, in order.
_POINT_KEYS = ("name", "layer", "in_range", "distance_km", "margin_km", "nearest_origin")


def _kml_points(document: ET.Element, features: list[dict[str, Any]], name: str, w: Words) -> None:
    """Add a "Points" folder: one placemark per point per layer (none: no folder).

    Each placemark is named after the point and carries the layer, ``in_range``
    (``true``/``false``), ``distance_km``, ``margin_km`` and the nearest origin as
    ``ExtendedData``; in or out of range is also its description, in words.
    """
    if not features:
        return
    folder = _sub(document, "Folder")
    _sub(folder, "name", name)
    for feature in features:
        properties = feature["properties"]
        placemark = _sub(folder, "Placemark")
        _sub(placemark, "name", str(properties["name"]))
        state = w("in range") if properties["in_range"] else w("out of range")
        _sub(placemark, "description", html_text(f"{state}: {properties['layer']}"))
        extended = _sub(placemark, "ExtendedData")
        for key in _POINT_KEYS:
            value = properties[key]
            data = _sub(extended, "Data")
            data.set("name", key)
            if isinstance(value, bool):
                text = "true" if value else "false"
            else:
                text = f"{value:g}" if isinstance(value, float) else str(value)
            _sub(data, "value", text)
        lon, lat = feature["geometry"]["coordinates"]
        _sub(_sub(placemark, "Point"), "coordinates", f"{lon:.6f},{lat:.6f}")


def to_kml(range_map: RangeMap, *, context: Context | None = None) -> bytes:
    """Return the map's reach layers, origins and places shown as a KML 2.2 document.

    Parameters
    ----------
    range_map : RangeMap
        The map.

    Returns
    -------
    bytes
        UTF-8 KML. Opens in Google Earth, QGIS and most GIS tools; the same map gives
        the same bytes.

    Examples
    --------
    >>> from rangemap.reach import Reach
    >>> from rangemap.scene import RangeMap
    >>> m = RangeMap(title="300 km from Kharkiv")
    >>> _ = m.add(Reach.from_distance(300_000, "49.99, 36.23=Kharkiv"))
    >>> b"<Placemark" in to_kml(m)
    True
    """
    ET.register_namespace("", _KML_NS)
    context = prepare(range_map) if context is None else context
    w = context.words
    collection = feature_collection(context)
    reaches, places = _split(collection)
    root = ET.Element(f"{{{_KML_NS}}}kml")
    document = _sub(root, "Document")
    _sub(document, "name", range_map.title or w("rangemap reach map"))
    about = [t for t in (range_map.subtitle, range_map.credit) if t]
    if range_map.date is not None:
        about.append(w("Ranges as reported up to {date}.", date=range_map.date.isoformat()))
    if range_map.layers:
        about.append(context.method_note())
    if about:
        _sub(document, "description", "<br/>".join(html_text(t) for t in about))
    for i, layer in enumerate(range_map.layers, start=1):
        style = _sub(document, "Style")
        style.set("id", f"reach-{i}")
        line = _sub(style, "LineStyle")
        _sub(line, "color", _kml_color(layer.color, 1.0))
        _sub(line, "width", "2")
        poly = _sub(style, "PolyStyle")
        _sub(poly, "color", _kml_color(layer.color, layer.opacity))

    reach_folder = _sub(document, "Folder")
    _sub(reach_folder, "name", w("Reach"))
    for i, feature in enumerate(reaches, start=1):
        flat = flat_properties(feature["properties"])
        placemark = _sub(reach_folder, "Placemark")
        _sub(placemark, "name", str(flat["name"] or flat["label"] or w("Layer {i}", i=i)))
        _sub(placemark, "description", _description(flat, w))
        _sub(placemark, "styleUrl", f"#reach-{i}")
        extended = _sub(placemark, "ExtendedData")
        for key, value in flat.items():
            if value is None or key in ("claims_json", "sources_json"):
                continue
            data = _sub(extended, "Data")
            data.set("name", key)
            _sub(data, "value", f"{value:g}" if isinstance(value, float) else str(value))
        tolerance_m = range_map.layers[i - 1].reach.tolerance_m
        _kml_geometry(
            placemark, shape(feature["geometry"]), coordinate_digits(tolerance_m, KML_DIGITS)
        )

    origins_folder = _sub(document, "Folder")
    _sub(origins_folder, "name", w("Origins"))
    seen: set[tuple[str, str]] = set()
    for layer in range_map.layers:
        for site in layer.reach.origins:
            origin_key = (site.geometry.wkt, site.label or "")
            if origin_key in seen:
                continue
            seen.add(origin_key)
            placemark = _sub(origins_folder, "Placemark")
            _sub(placemark, "name", origin_label(site, range_map.language) or w("Origin"))
            geometry = site.geometry
            if geometry.geom_type == "Point":
                _sub(_sub(placemark, "Point"), "coordinates", _coords([geometry.coords[0]]))
            else:
                multi = _sub(placemark, "MultiGeometry")
                for part in shapely.get_parts(geometry):
                    if isinstance(part, Polygon):
                        _kml_polygon(multi, part)
                    elif part.geom_type == "LineString":
                        line_el = _sub(multi, "LineString")
                        _sub(line_el, "tessellate", "1")
                        _sub(line_el, "coordinates", _coords(part.coords))
                    else:
                        _sub(_sub(multi, "Point"), "coordinates", _coords([part.coords[0]]))
    _kml_places(document, places, w)
    _kml_points(document, _mine(collection), heading(range_map, w), w)
    ET.indent(root, space=" ")
    body = ET.tostring(root, encoding="unicode", xml_declaration=False)
    return ('<?xml version="1.0" encoding="UTF-8"?>\n' + body + "\n").encode("utf-8")


def _kml_places(document: ET.Element, features: list[dict[str, Any]], w: Words) -> None:
    """Add a "Cities in range" folder of the places the map shows (none: no folder).

    Each placemark carries name, country, population, distance_km, nearest origin and
    the GeoNames credit as ``ExtendedData``.
    """
    if not features:
        return
    folder = _sub(document, "Folder")
    _sub(folder, "name", w("Cities in range"))
    credit = features[0]["properties"]["credit"]
    _sub(folder, "description", f"{w(credit)}. {w(SUM_NOTE)}")
    for feature in features:
        properties = feature["properties"]
        placemark = _sub(folder, "Placemark")
        _sub(placemark, "name", str(properties["name"]))
        extended = _sub(placemark, "ExtendedData")
        for key in ("name", "country", "population", "distance_km", "nearest_origin", "credit"):
            value = properties[key]
            if value is None:
                continue
            data = _sub(extended, "Data")
            data.set("name", key)
            _sub(data, "value", f"{value:g}" if isinstance(value, float) else str(value))
        lon, lat = feature["geometry"]["coordinates"]
        _sub(_sub(placemark, "Point"), "coordinates", f"{lon:.6f},{lat:.6f}")


# --- GeoPackage ---------------------------------------------------------------------------


def to_gpkg(range_map: RangeMap, *, context: Context | None = None) -> bytes:
    """Return the map as a GeoPackage with ``reach``, ``origins`` and ``places`` layers.

    Parameters
    ----------
    range_map : RangeMap
        The map.

    Returns
    -------
    bytes
        The GeoPackage file (EPSG:4326). ``reach`` has one row per layer with the
        fields of :func:`flat_properties`; ``origins`` has one row per origin;
        ``places``, when the map shows places, one row per place; ``points``, with
        your points, one row per point per layer (``name``, ``layer``, ``in_range``,
        ``distance_km``, ``margin_km``, ``nearest_origin``).

    Raises
    ------
    InputError
        If the map has no layers.
    """
    import geopandas as gpd

    if not range_map.layers:
        msg = "map: it has no layers, so there is nothing to write to a GeoPackage; add one"
        raise InputError(msg)
    collection = feature_collection(prepare(range_map) if context is None else context)
    reaches, features = _split(collection)
    mine = _mine(collection)
    rows = [flat_properties(f["properties"]) for f in reaches]
    geoms = [_multipolygon(shape(f["geometry"])) for f in reaches]
    reach = gpd.GeoDataFrame(rows, geometry=geoms, crs="EPSG:4326")
    origin_rows: list[dict[str, Any]] = []
    origin_geoms: list[BaseGeometry] = []
    for layer in range_map.layers:
        for site in layer.reach.origins:
            label = origin_label(site, range_map.language)
            origin_rows.append(clean_data({"label": label, "layer": layer.name}))
            origin_geoms.append(site.geometry)
    origins = gpd.GeoDataFrame(origin_rows, geometry=origin_geoms, crs="EPSG:4326")
    with staging_folder() as folder:
        path = folder / "map.gpkg"
        reach.to_file(path, layer="reach", driver="GPKG", engine="pyogrio")
        origins.to_file(path, layer="origins", driver="GPKG", engine="pyogrio")
        if features:
            rows = [clean_data(feature["properties"]) for feature in features]
            points = [Point(feature["geometry"]["coordinates"]) for feature in features]
            places = gpd.GeoDataFrame(rows, geometry=points, crs="EPSG:4326")
            places.to_file(path, layer="places", driver="GPKG", engine="pyogrio")
        if mine:
            rows = [{k: f["properties"][k] for k in _POINT_KEYS} for f in mine]
            points = [Point(f["geometry"]["coordinates"]) for f in mine]
            table = gpd.GeoDataFrame(rows, geometry=points, crs="EPSG:4326")
            table.to_file(path, layer="points", driver="GPKG", engine="pyogrio")
        settled = folder / "settled.gpkg"
        _settle_gpkg(path, settled, gpkg_timestamp(range_map))
        return settled.read_bytes()


def gpkg_timestamp(range_map: RangeMap) -> str:
    """Return the ``last_change`` a map's GeoPackage records: its "as of" date, at midnight.

    GDAL stamps each table with the time it was written; rangemap replaces that with a
    time that comes from the map, so the same map gives the same bytes.

    Parameters
    ----------
    range_map : RangeMap
        The map.

    Returns
    -------
    str
        ``YYYY-MM-DDT00:00:00.000Z`` from :attr:`RangeMap.date`, or
        ``1970-01-01T00:00:00.000Z`` when the map has no date.

    Examples
    --------
    >>> import datetime
    >>> from rangemap.scene import RangeMap
    >>> gpkg_timestamp(RangeMap(as_of=datetime.date(2024, 11, 25)))
    '2024-11-25T00:00:00.000Z'
    >>> gpkg_timestamp(RangeMap())
    '1970-01-01T00:00:00.000Z'
    """
    date = range_map.date
    return f"{date.isoformat() if date is not None else '1970-01-01'}T00:00:00.000Z"


def _settle_gpkg(path: Path, settled: Path, timestamp: str) -> None:
    """Copy a GeoPackage GDAL has just written to ``settled``, byte-for-byte reproducible.

    The volatile values GDAL writes are the ``last_change`` times of ``gpkg_contents``
    (and of ``gpkg_metadata_reference``, when present), set here to ``timestamp``, and
    the file's change counter, which counts GDAL's write transactions (their number
    varies from run to run: about 1 run in 13 had one more). ``VACUUM INTO`` writes a
    new file, whose page layout and change counter depend on its content alone.
    """
    connection = sqlite3.connect(path, isolation_level=None)
    try:
        tables = {row[0] for row in connection.execute("SELECT name FROM sqlite_master")}
        connection.execute("UPDATE gpkg_contents SET last_change = ?", (timestamp,))
        if "gpkg_metadata_reference" in tables:
            connection.execute("UPDATE gpkg_metadata_reference SET timestamp = ?", (timestamp,))
        connection.execute("VACUUM INTO ?", (str(settled),))
    finally:
        connection.close()


def _multipolygon(geometry: BaseGeometry) -> MultiPolygon:
    polygons = [p for p in shapely.get_parts(geometry) if isinstance(p, Polygon) and not p.is_empty]
    return MultiPolygon(polygons)


register_writer(".kml", lambda context: to_kml(context.scene, context=context))
register_writer(".gpkg", lambda context: to_gpkg(context.scene, context=context))
