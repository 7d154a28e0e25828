"""Vector output: a RangeMap's reach layers as an RFC 7946 GeoJSON FeatureCollection.

Each reach layer becomes one Feature whose geometry is the reach in EPSG:4326, split
at ±180 as RFC 7946 asks, and whose properties carry the provenance a reader or a GIS
user needs: system, variant, distances in km, qualifier, the claims drawn and their
sources. Output is deterministic (fixed digits, sorted keys per feature); every text
is cleaned of control and bidi-override characters (:func:`rangemap.escaping.clean_data`).
"""

from __future__ import annotations

import datetime as dt
import json
from typing import TYPE_CHECKING, Any

import numpy as np
import shapely
from shapely.geometry import mapping
from shapely.geometry.base import BaseGeometry

from rangemap.escaping import clean_data

if TYPE_CHECKING:
    from rangemap.scene import Layer, RangeMap

__all__ = ["to_geojson", "to_geojson_text"]

#: Digits kept in coordinates: 1e-6 degrees is at most 0.11 m.
DIGITS = 6


def _geometry(geometry: BaseGeometry) -> dict[str, Any]:
    rounded = shapely.transform(geometry, lambda xy: np.round(xy, DIGITS))
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
        "claimant": str(claim.claimant.value),
        "source": str(claim.source),
        "as_reported": claim.as_reported,
        "note": claim.note,
    }


def _feature(layer: Layer) -> dict[str, Any]:
    reach = layer.reach
    properties: dict[str, Any] = {
        "name": layer.name,
        "label": reach.label,
        "system": reach.system_id,
        "system_name": reach.system_name,
        "variant": reach.variant_id,
        "variant_name": reach.variant_name,
        "km": reach.distance_m / 1000,
        "min_km": reach.min_distance_m / 1000 if reach.min_distance_m else None,
        "low_km": reach.low_distance_m / 1000 if reach.low_distance_m else None,
        "show": reach.show,
        "qualifier": reach.qualifier.value if reach.qualifier is not None else None,
        "range": reach.phrase,
        "origins": [site.label for site in reach.origins],
        "claims": [_claim(c) for c in reach.claims],
        "sources": [_source(s) for s in reach.sources],
        "as_of": _date(reach.as_of),
        "color": layer.color,
        "opacity": layer.opacity,
    }
    return {"type": "Feature", "properties": properties, "geometry": _geometry(reach.geometry)}


def to_geojson(range_map: RangeMap) -> dict[str, Any]:
    """Return the reach layers of a map as an RFC 7946 FeatureCollection.

    Parameters
    ----------
    range_map : RangeMap
        The map.

    Returns
    -------
    dict
        ``{"type": "FeatureCollection", "features": [...]}``, one Feature per layer in
        legend order, plus a ``"title"`` and ``"as_of"`` member when set.

    Examples
    --------
    >>> from rangemap.reach import Reach
    >>> from rangemap.scene import RangeMap
    >>> m = RangeMap(title="300 km from Kharkiv")
    >>> _ = m.add(Reach.from_distance(300_000, "49.99, 36.23=Kharkiv"))
    >>> to_geojson(m)["features"][0]["properties"]["km"]
    300.0
    """
    collection: dict[str, Any] = {
        "type": "FeatureCollection",
        "features": [_feature(layer) for layer in range_map.layers],
    }
    if range_map.title:
        collection["title"] = range_map.title
    if range_map.date is not None:
        collection["as_of"] = range_map.date.isoformat()
    return dict(clean_data(collection))


def to_geojson_text(range_map: RangeMap) -> str:
    """Return :func:`to_geojson` as UTF-8 JSON text ending in a newline."""
    return json.dumps(to_geojson(range_map), ensure_ascii=False, separators=(",", ":")) + "\n"
