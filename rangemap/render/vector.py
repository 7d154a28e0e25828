"""Vector output: a RangeMap as an RFC 7946 GeoJSON FeatureCollection, full or size-limited.

This module owns the one GeoJSON builder (:func:`feature_collection`): reach layers,
places in range and their credit. KML and GeoPackage (:mod:`rangemap.render.export`)
and size-limited GeoJSON (:func:`simplified_geojson`) build on it. Each reach layer
becomes one Feature whose geometry is the reach in EPSG:4326, split at ±180 as RFC 7946
asks, and whose properties carry the provenance a reader or a GIS user needs: system,
variant, distances in km, qualifier, the claims drawn and their sources. Output is
deterministic (fixed digits, sorted keys per feature); every text is cleaned of control
and bidi-override characters (:func:`rangemap.escaping.clean_data`).
"""

from __future__ import annotations

import datetime as dt
import json
from typing import TYPE_CHECKING, Any

import numpy as np
import shapely
from shapely.geometry import mapping, shape
from shapely.geometry.base import BaseGeometry

from rangemap.errors import InputError
from rangemap.escaping import clean_data, quote
from rangemap.places.gazetteer import GEONAMES_CREDIT
from rangemap.render._context import Context, coordinate_digits, prepare
from rangemap.render._placemarks import place_features
from rangemap.render._points import point_features
from rangemap.render._registry import register_writer

if TYPE_CHECKING:
    from rangemap.scene import Layer, RangeMap

__all__ = [
    "feature_collection",
    "geojson_text",
    "simplified_geojson",
    "to_geojson",
    "to_geojson_text",
]

#: Digits kept in coordinates at least: 1e-6 degrees is at most 0.11 m; more where a
#: reach's tolerance asks for it (:func:`~rangemap.render._context.coordinate_digits`).
DIGITS = 6


def _geometry(geometry: BaseGeometry, digits: int = DIGITS) -> dict[str, Any]:
    rounded = shapely.transform(geometry, lambda xy: np.round(xy, digits))
    return dict(mapping(rounded))


def _date(day: dt.date | None) -> str | None:
    return day.isoformat() if day is not None else None


def _source(source: Any) -> dict[str, Any]:
    return {
        "publisher": str(source.publisher),
        "via": str(source.via) if getattr(source, "via", None) else None,
        "title": str(source.title),
        "url": str(source.url),
        "published": _date(getattr(source, "published", None)),
        "accessed": _date(getattr(source, "accessed", None)),
    }


def _claim(claim: Any) -> dict[str, Any]:
    return {
        "km": float(claim.km),
        "qualifier": str(claim.qualifier.value),
        "kind": str(claim.kind.value),
        "claimant": str(claim.claimant.value),
        "source": str(claim.source),
        "as_reported": claim.as_reported,
        "note": claim.note,
    }


def _feature(layer: Layer, context: Context) -> dict[str, Any]:
    reach, w = layer.reach, context.words
    properties: dict[str, Any] = {
        "name": context.layer_name(layer),
        "label": w.reach_label(reach.wording) if reach.wording else reach.label,
        "system": reach.system_id,
        "system_name": reach.system_name,
        "variant": reach.variant_id,
        "variant_name": reach.variant_name,
        "km": reach.distance_m / 1000,
        "min_km": reach.min_distance_m / 1000 if reach.min_distance_m else None,
        "low_km": reach.low_distance_m / 1000 if reach.low_distance_m else None,
        "show": reach.show,
        "qualifier": reach.qualifier.value if reach.qualifier is not None else None,
        "range": w.reach_phrase(reach.wording) if reach.wording else reach.phrase,
        "origins": [site.label for site in reach.origins],
        "figure_kind": reach.kind.value if reach.kind is not None else None,
        "attribution": (w.whose(reach.wording) or None) if reach.wording else None,
        "caveats": [{"code": code, "text": text} for code, text in context.layer_caveats(layer)],
        "claims": [_claim(c) for c in reach.claims],
        "sources": [_source(s) for s in reach.sources],
        "as_of": _date(reach.as_of),
        "color": layer.color,
        "opacity": layer.opacity,
    }
    digits = coordinate_digits(reach.tolerance_m, DIGITS)
    return {
        "type": "Feature",
        "properties": properties,
        "geometry": _geometry(reach.geometry, digits),
    }


def feature_collection(context: Context) -> dict[str, Any]:
    """Return a prepared map as an RFC 7946 FeatureCollection: the one GeoJSON builder.

    One polygon feature per reach layer (legend order), then one point feature per
    place in range (``kind: "place"``) with the GeoNames credit, which the collection
    also carries as ``places_credit``, then one point feature per point of yours per
    layer (``kind: "point"``, ``name``, ``layer``, ``in_range``, ``distance_km``,
    ``margin_km``, ``nearest_origin``; no credit: the points are the user's);
    ``title`` and ``as_of`` members when set. KML,
    GeoPackage and size-limited GeoJSON are built from this.
    """
    range_map = context.scene
    collection: dict[str, Any] = {
        "type": "FeatureCollection",
        "features": [_feature(layer, context) for layer in range_map.layers],
    }
    if range_map.title:
        collection["title"] = range_map.title
    if range_map.date is not None:
        collection["as_of"] = range_map.date.isoformat()
    places = place_features(context.places)
    if places:
        collection["features"] = [*collection["features"], *places]
        collection["places_credit"] = GEONAMES_CREDIT
    mine = point_features(context.points)
    if mine:
        collection["features"] = [*collection["features"], *mine]
    return dict(clean_data(collection))


def to_geojson(range_map: RangeMap) -> dict[str, Any]:
    """Return a map as an RFC 7946 FeatureCollection with its provenance and places.

    Parameters
    ----------
    range_map : RangeMap
        The map.

    Returns
    -------
    dict
        See :func:`feature_collection`.

    Examples
    --------
    >>> from rangemap.reach import Reach
    >>> from rangemap.scene import RangeMap
    >>> m = RangeMap(title="300 km from Kharkiv")
    >>> _ = m.add(Reach.from_distance(300_000, "49.99, 36.23=Kharkiv"))
    >>> to_geojson(m)["features"][0]["properties"]["km"]
    300.0
    """
    return feature_collection(prepare(range_map))


def geojson_text(collection: dict[str, Any]) -> str:
    """Return a collection as compact UTF-8 JSON text ending in a newline."""
    return json.dumps(collection, ensure_ascii=False, separators=(",", ":")) + "\n"


def to_geojson_text(range_map: RangeMap) -> str:
    """Return :func:`to_geojson` as compact JSON text ending in a newline."""
    return geojson_text(to_geojson(range_map))


def simplified_geojson(
    range_map: RangeMap,
    *,
    max_bytes: int = 500_000,
    digits: int = 5,
    context: Context | None = None,
) -> str:
    """Return the map's GeoJSON, its shapes simplified until it is at most ``max_bytes`` long.

    Coordinates of the reach shapes are rounded to ``digits`` decimals, then simplified
    (Douglas-Peucker, topology preserved) with a tolerance that doubles from 0.001°
    (about 100 m) until the text fits. Each reach feature records the tolerance used in
    ``simplify_tolerance_deg`` (0 when none was needed). The places in range and their
    credit are kept whole. Use it for tools with upload limits, such as Datawrapper and
    Flourish; keep the full file for analysis.

    Parameters
    ----------
    range_map : RangeMap
        The map.
    max_bytes : int, optional
        The size target of the UTF-8 text.
    digits : int, optional
        Decimals kept in coordinates (5 is about 1 m).
    context : Context, optional
        The map already prepared, when the caller has it.

    Returns
    -------
    str
        RFC 7946 GeoJSON text.

    Raises
    ------
    InputError
        If ``max_bytes`` is not a positive whole number, or no simplification reaches
        the target (the properties alone are larger).

    Examples
    --------
    >>> from rangemap.reach import Reach
    >>> from rangemap.scene import RangeMap
    >>> m = RangeMap(title="300 km from Kharkiv")
    >>> _ = m.add(Reach.from_distance(300_000, "49.99, 36.23=Kharkiv"))
    >>> len(simplified_geojson(m, max_bytes=20_000).encode()) <= 20_000
    True
    """
    if isinstance(max_bytes, bool) or not isinstance(max_bytes, int) or max_bytes <= 0:
        msg = f"max_bytes: {quote(max_bytes)} is not a positive whole number; for example 500_000"
        raise InputError(msg)
    if isinstance(digits, bool) or not isinstance(digits, int) or not 0 <= digits <= 9:
        msg = f"digits: {quote(digits)} is not a whole number from 0 to 9; for example 5"
        raise InputError(msg)
    collection = feature_collection(prepare(range_map) if context is None else context)
    reaches = [
        f for f in collection["features"] if f["properties"].get("kind") not in ("place", "point")
    ]
    originals = [shape(f["geometry"]) for f in reaches]
    tolerance = 0.0
    while True:
        for feature, geometry in zip(reaches, originals, strict=True):
            simple = geometry
            if tolerance:
                simple = shapely.simplify(geometry, tolerance, preserve_topology=True)
            rounded = shapely.transform(simple, lambda xy: np.round(xy, digits))
            feature["geometry"] = mapping(rounded)
            feature["properties"]["simplify_tolerance_deg"] = tolerance
        text = geojson_text(collection)
        if len(text.encode("utf-8")) <= max_bytes:
            return text
        if tolerance > 5.0:
            msg = (
                f"max_bytes: {max_bytes} cannot be reached even with shapes simplified by "
                f"{tolerance:g}°; the file is {len(text.encode('utf-8'))} bytes. Give a "
                "larger target"
            )
            raise InputError(msg)
        tolerance = 0.001 if not tolerance else tolerance * 2


def _write_geojson(context: Context, *, max_bytes: int | None = None) -> bytes:
    if max_bytes is not None:
        return simplified_geojson(context.scene, max_bytes=max_bytes, context=context).encode()
    return geojson_text(feature_collection(context)).encode("utf-8")


register_writer(".geojson", _write_geojson, options=("max_bytes",))
