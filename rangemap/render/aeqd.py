"""The azimuthal equidistant projection static maps are drawn in, and reach projected into it.

What this module owns:

- :func:`aeqd_crs` and :func:`aeqd_transformer`: the azimuthal equidistant projection
  (AEQD) on the WGS84 ellipsoid centred on a point, where every distance from the
  centre is exact and a reach ring around it is a true circle.
- :func:`project_reach`: a reach's area in that projection. Rings around point origins
  are built from raw geodesic vertices (``pyproj.Geod.fwd``) projected straight into
  AEQD, so the cuts a GeoJSON shape needs at ±180 or around a pole never show as
  seams; other shapes are projected part by part (:func:`project`) and their cut edges
  merged (:func:`merge_parts`).
- :func:`map_center`: the point a static map is centred on.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import shapely
from pyproj import CRS, Geod, Transformer
from shapely.geometry import MultiPolygon, Point, Polygon
from shapely.geometry.base import BaseGeometry

if TYPE_CHECKING:
    from rangemap.reach import Reach
    from rangemap.scene import RangeMap

__all__ = [
    "aeqd_crs",
    "aeqd_transformer",
    "areal",
    "map_center",
    "merge_parts",
    "project",
    "project_reach",
]

_GEOD = Geod(ellps="WGS84")


def aeqd_crs(lon: float, lat: float) -> CRS:
    """Return the azimuthal equidistant CRS on WGS84 centred on (lon, lat).

    Parameters
    ----------
    lon, lat : float
        The centre, in degrees.

    Returns
    -------
    pyproj.CRS
        Metres from the centre; every distance from it is the geodesic distance.

    Examples
    --------
    >>> kyiv = aeqd_crs(30.52, 50.45)
    >>> kyiv.coordinate_operation.method_name, kyiv.ellipsoid.name
    ('Azimuthal Equidistant', 'WGS 84')
    """
    return CRS.from_dict(
        {"proj": "aeqd", "lat_0": lat, "lon_0": lon, "datum": "WGS84", "units": "m"}
    )


def aeqd_transformer(lon: float, lat: float) -> Transformer:
    """Return a transformer from EPSG:4326 (lon, lat order) to :func:`aeqd_crs`.

    Parameters
    ----------
    lon, lat : float
        The centre of the projection, in degrees.

    Returns
    -------
    pyproj.Transformer
        ``always_xy=True``: input is (lon, lat), output (x, y) in metres.

    Examples
    --------
    >>> x, y = aeqd_transformer(30.52, 50.45).transform(37.62, 55.76)  # Kyiv to Moscow
    >>> round((x**2 + y**2) ** 0.5 / 1000)
    758
    """
    return Transformer.from_crs("EPSG:4326", aeqd_crs(lon, lat), always_xy=True)


def project(geometry: BaseGeometry, transformer: Transformer) -> BaseGeometry:
    """Return ``geometry`` (EPSG:4326) projected with ``transformer``, vertex by vertex."""

    def fn(coords: np.ndarray) -> np.ndarray:
        x, y = transformer.transform(coords[:, 0], coords[:, 1])
        return np.column_stack([x, y])

    return shapely.transform(geometry, fn)


def merge_parts(geometry: BaseGeometry) -> BaseGeometry:
    """Merge parts that touch along a cut (±180, pole caps) after projection.

    Vertices are snapped to a 1 m grid so the two sides of a cut coincide, then the
    parts are unioned; degenerate edges (a pole cap's edge along 90° projects to one
    point) disappear.
    """
    if not geometry.is_valid:  # far from the centre a country can fold over itself
        geometry = areal(shapely.make_valid(geometry))
    try:
        snapped = shapely.set_precision(geometry, 1.0)
    except shapely.errors.GEOSException:
        snapped = shapely.set_precision(areal(shapely.make_valid(geometry)), 1.0, mode="pointwise")
        snapped = areal(shapely.make_valid(snapped))
    merged = shapely.union_all(shapely.get_parts(snapped))
    return areal(merged)


def areal(geometry: BaseGeometry) -> BaseGeometry:
    """Keep only the polygons of a geometry (an empty Polygon if there are none)."""
    if isinstance(geometry, Polygon | MultiPolygon):
        return geometry
    polys = [g for g in shapely.get_parts(geometry) if isinstance(g, Polygon | MultiPolygon)]
    if not polys:
        return Polygon()
    return shapely.union_all(polys)


def _vertex_count(radius_m: float) -> int:
    """Vertices for a ring whose chords sag less than 0.01 % of the radius (and ≥ 720)."""
    return 720 if radius_m <= 3_000_000 else 1440


def _raw_disc(lon: float, lat: float, radius_m: float, transformer: Transformer) -> Polygon:
    """Return a geodesic disc from raw ``Geod.fwd`` vertices, projected straight into AEQD."""
    n = _vertex_count(radius_m)
    azimuths = np.linspace(0.0, 360.0, n, endpoint=False)
    lons, lats, _ = _GEOD.fwd(
        np.full(n, lon), np.full(n, lat), azimuths, np.full(n, float(radius_m))
    )
    x, y = transformer.transform(lons, lats)
    ring = Polygon(np.column_stack([x, y]))
    return ring if ring.is_valid else shapely.make_valid(ring)


def _point_reach(
    point: Point, outer_m: float, inner_m: float | None, transformer: Transformer
) -> BaseGeometry:
    """Return the reach of a point origin in AEQD: an exact geodesic disc or annulus."""
    disc = _raw_disc(point.x, point.y, outer_m, transformer)
    if inner_m:
        return disc.difference(_raw_disc(point.x, point.y, inner_m, transformer))
    return disc


def project_reach(reach: Reach, transformer: Transformer, *, inner: bool = False) -> BaseGeometry:
    """Return a reach's area in the AEQD projection of ``transformer``.

    Point origins get rings from raw geodesic vertices, so nothing is cut at ±180 or
    around a pole; a line or polygon origin's buffer is projected part by part and the
    parts merged.

    Parameters
    ----------
    reach : Reach
        What to project.
    transformer : pyproj.Transformer
        From EPSG:4326 to an AEQD CRS (:func:`aeqd_crs`), ``always_xy=True``.
    inner : bool, optional
        With a ``show="spread"`` reach, project the area within the *lowest* reported
        figure instead of the highest.

    Returns
    -------
    shapely geometry
        Polygons in metres from the projection's centre.

    Examples
    --------
    >>> import math
    >>> from rangemap.reach import Reach
    >>> sumy = Reach.from_distance(300_000, "50.91, 34.80=Sumy")
    >>> disc = project_reach(sumy, aeqd_transformer(34.80, 50.91))
    >>> round(disc.area / (math.pi * 300_000**2), 4)  # a true circle of 300 km
    1.0
    """
    if inner:
        if reach.inner_geometry is None or reach.low_distance_m is None:
            return Polygon()
        outer_m, fallback = reach.low_distance_m, reach.inner_geometry
    else:
        outer_m, fallback = reach.distance_m, reach.geometry
    if not all(site.is_point for site in reach.origins):
        # A line or polygon origin: the reach's geometry is already the union over
        # every origin, exact on the ellipsoid; project it and merge its cut edges.
        return merge_parts(project(fallback, transformer))
    parts = [
        _point_reach(site.geometry, outer_m, reach.min_distance_m, transformer)
        for site in reach.origins
    ]
    return areal(shapely.union_all(parts))


def map_center(range_map: RangeMap) -> tuple[float, float]:
    """Return the (lon, lat) the static map is centred on.

    The view's centre when the map has one; otherwise the middle of the origins'
    bounding box (longitudes taken near each other, so origins on both sides of ±180
    are handled).

    Parameters
    ----------
    range_map : RangeMap
        The map.

    Returns
    -------
    tuple of float
        Longitude and latitude in degrees.
    """
    if range_map.view is not None:
        return range_map.view.lon, range_map.view.lat
    lons: list[float] = []
    lats: list[float] = []
    for layer in range_map.layers:
        for site in layer.reach.origins:
            minx, miny, maxx, maxy = site.geometry.bounds
            for lon in (minx, maxx):
                if lons:
                    lon = lons[0] + ((lon - lons[0] + 180.0) % 360.0) - 180.0
                lons.append(lon)
            lats += [miny, maxy]
    if not lons:
        for note in range_map.annotations:
            lons.append(note.lon)
            lats.append(note.lat)
    if not lons:
        return 0.0, 0.0
    lon = (min(lons) + max(lons)) / 2
    lon = ((lon + 180.0) % 360.0) - 180.0
    return lon, (min(lats) + max(lats)) / 2
