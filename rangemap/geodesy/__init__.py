"""Exact reach shapes on the WGS84 ellipsoid.

This package owns every distance and every reach shape rangemap draws: :func:`ring`,
:func:`annulus`, :func:`buffer`, :func:`distance_m`, :func:`initial_bearing_deg`,
:func:`distance_to` and :func:`nearest_point` (from points to lines and territories), and
:func:`unwrap`. Distances come from ``pyproj.Geod`` (Karney's algorithms, nanometre
accuracy); nothing is computed on a sphere or in a planar projection.

Conventions
-----------
* Coordinates are longitude/latitude in degrees (EPSG:4326), ``x = lon``, ``y = lat``.
  Longitudes must lie in [-180, 180] and latitudes in [-90, 90]; anything else is
  refused rather than silently wrapped, because it usually means swapped axes or
  projected coordinates.
* Output follows RFC 7946: shapes crossing ±180 are split into parts, shapes enclosing
  a pole are closed along ±180 up to the pole, exterior rings run counter-clockwise.
  :func:`unwrap` turns a split shape back into one contiguous shape for Leaflet.
* **The drawn boundary.** A polygon joins its vertices with straight lines. GeoJSON
  consumers (shapely, QGIS, geopandas) draw them straight in longitude/latitude; Leaflet
  draws them straight in Web Mercator. Vertices are placed so that both readings stay
  within ``tolerance_m`` of the true reach boundary: every edge is checked at its
  midpoint and quarter points in longitude/latitude, and at its midpoint in Web Mercator
  (below Leaflet's 85.05° clamp), and split until the worst error is below half the
  tolerance. Along a ring, a short edge is checked against the cubic with the circle's
  ends and tangents there (the direct problem that places a vertex gives its tangent,
  at right angles to the geodesic from the centre), so an edge that passes costs no
  geodesic; an edge whose circle turns by more than about 2°, or whose modelled error
  lies within a part in 10,000 of the limit, is checked by solving the inverse problem
  at each point, so every decision is the exact one. In a buffer the circle arcs
  get the same checks as inverse problems; the outer edges of the strips along a line
  or border are checked in longitude/latitude. The default tolerance is 0.01 % of the
  distance (30 m at 300 km), at least 1 mm.

How shapes are built
--------------------
A reach boundary is first computed as a closed curve on the ellipsoid with the reach on
its left. ``region_left_of`` then turns that curve into longitude/latitude polygons from
its winding alone: a curve that does not wind around the globe encloses its reach
directly (or, if it runs clockwise, the reach is the rest of the world, as for a ring
wider than half the Earth); a curve winding eastward encloses the North Pole and one
winding westward the South Pole. The ``antimeridian`` package is not used: it infers
these cases from a ring's crossings and picks the wrong side for rings larger than a
hemisphere (a 15,000 km ring came out as its small complement), and on the country
atlas it closes Antarctica through the North Pole.

A buffer of a line or polygon is the union of exact pieces: for every segment a strip
bounded by the geodesics perpendicular to it, for every convex vertex a wedge of a
geodesic circle between the two perpendiculars, and a half circle at each line end.
Source edges are split until the outer edge of each strip is within the tolerance, and
pieces that share an edge share its vertices bit for bit, so their union has no cracks.
Near a pole the pieces are united in a polar stereographic plane, where none of them
wraps in longitude, and the result is brought back through ``region_left_of``. Beyond
8,000 km, where strips would fold over themselves, the buffer is the union of geodesic
circles around the vertices, which is exact there to within the tolerance.

Layout
------
The public functions here check their arguments (``_inputs``) and hand over to private
modules: ``_ellipsoid`` (the ``Geod``, direct and inverse problems, shared constants),
``_curves`` (sampling curves to the tolerance), ``_circles`` (geodesic circles and
discs), ``_planar`` (closed curves to RFC 7946 polygons), ``_buffer`` (buffers of
points, lines and polygons), ``_nearest`` (distances from points to lines and
territory boundaries) and ``_unwrap`` (joining parts split at ±180).
:data:`MAX_DISTANCE_M` is :data:`rangemap.units.MAX_DISTANCE_M`, the one limit on
distances rangemap has, re-exported here; :func:`default_tolerance_m` comes from
``_inputs``, which needs it first. ``_accuracy`` measures drawn boundaries against the
true ones, for tests and benchmarks; no shape is built with it.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, TypeAlias

import numpy as np
import shapely
from shapely.geometry import LineString, MultiLineString, MultiPoint, MultiPolygon, Point, Polygon
from shapely.geometry.base import BaseGeometry

from rangemap.errors import InputError
from rangemap.geodesy._buffer import buffer_geometry
from rangemap.geodesy._circles import disc
from rangemap.geodesy._ellipsoid import GEOD, FloatArray, inv
from rangemap.geodesy._inputs import (
    as_distance,
    as_lonlat,
    as_points,
    as_tolerance,
    check_geometry,
    check_lonlat,
    default_tolerance_m,
)
from rangemap.geodesy._nearest import nearest_on
from rangemap.geodesy._planar import keep_polygons
from rangemap.geodesy._unwrap import unwrap_parts
from rangemap.units import MAX_DISTANCE_M

__all__ = [
    "MAX_DISTANCE_M",
    "annulus",
    "buffer",
    "default_tolerance_m",
    "distance_m",
    "distance_to",
    "initial_bearing_deg",
    "nearest_point",
    "ring",
    "unwrap",
]

LonLat: TypeAlias = "tuple[float, float] | Sequence[float] | Point"


def ring(
    center: LonLat,
    radius_m: float,
    *,
    tolerance_m: float | None = None,
) -> Polygon | MultiPolygon:
    """Return everything within ``radius_m`` of a point, as an exact geodesic polygon.

    Parameters
    ----------
    center : (lon, lat) tuple or shapely Point
        The centre in degrees, longitude first.
    radius_m : float
        The radius in metres: any positive distance (a millimetre is drawn as a
        millimetre) up to :data:`MAX_DISTANCE_M` (20,003,931 m), where the ring is the
        whole world.
    tolerance_m : float, optional
        Largest distance between the drawn boundary (straight edges in longitude/latitude
        or Web Mercator) and the true one. Default: 0.01 % of ``radius_m``.

    Returns
    -------
    Polygon or MultiPolygon
        In EPSG:4326, split at ±180 and closed through a pole it encloses (RFC 7946).
        A ring wider than half the Earth is the world minus a hole around the antipode.

    Raises
    ------
    InputError
        If the centre is not a valid (lon, lat) pair or the radius is not positive, or
        longer than any distance on the ellipsoid.

    Examples
    --------
    >>> kharkiv = (36.23, 49.99)
    >>> reach = ring(kharkiv, 300_000)
    >>> reach.geom_type, reach.is_valid
    ('Polygon', True)
    >>> round(distance_m(kharkiv, reach.exterior.coords[0]))
    300000
    """
    lon0, lat0 = as_lonlat(center, "center")
    r = as_distance(radius_m, "radius_m")
    tol = as_tolerance(tolerance_m, r)
    return disc(lon0, lat0, r, tol)


def annulus(
    center: LonLat,
    min_m: float,
    max_m: float,
    *,
    tolerance_m: float | None = None,
) -> Polygon | MultiPolygon:
    """Return the reach between a minimum and a maximum range from a point.

    Parameters
    ----------
    center : (lon, lat) tuple or shapely Point
        The launch point in degrees, longitude first.
    min_m, max_m : float
        Minimum and maximum range in metres, ``0 <= min_m < max_m``. ``min_m == 0`` gives
        the same shape as :func:`ring`.
    tolerance_m : float, optional
        Largest error of each drawn boundary. Default: 0.01 % of each boundary's own
        radius.

    Returns
    -------
    Polygon or MultiPolygon
        The ring of points farther than ``min_m`` and not farther than ``max_m``.

    Raises
    ------
    InputError
        If ``min_m >= max_m``, a distance is negative or not finite, or the centre is bad.

    Examples
    --------
    >>> sumy = (34.80, 50.91)
    >>> reach = annulus(sumy, 70_000, 300_000)
    >>> len(reach.interiors)
    1
    """
    lon0, lat0 = as_lonlat(center, "center")
    hi = as_distance(max_m, "max_m")
    lo = as_distance(min_m, "min_m", allow_zero=True)
    if lo >= hi:
        msg = (
            f"min_m ({lo:,.0f} m) must be smaller than max_m ({hi:,.0f} m); "
            "swap them if they were passed the wrong way round."
        )
        raise InputError(msg)
    outer = disc(lon0, lat0, hi, as_tolerance(tolerance_m, hi))
    if lo == 0.0:
        return outer
    inner = disc(lon0, lat0, lo, as_tolerance(tolerance_m, lo))
    return keep_polygons(outer.difference(inner))


def buffer(
    geometry: BaseGeometry,
    distance_m: float,
    *,
    tolerance_m: float | None = None,
) -> Polygon | MultiPolygon:
    """Return everything within ``distance_m`` of a geometry, on the ellipsoid.

    Parameters
    ----------
    geometry : shapely geometry
        Point, MultiPoint, LineString (a front line), MultiLineString, Polygon,
        MultiPolygon (a territory) or a collection of them, in EPSG:4326. Edges are
        straight in longitude/latitude, as in GeoJSON; shapes crossing ±180 must be split
        there (RFC 7946), which is how :mod:`rangemap.regions` returns them.
    distance_m : float
        The buffer distance in metres, up to :data:`MAX_DISTANCE_M`.
    tolerance_m : float, optional
        Largest error of the drawn boundary. Default: 0.01 % of ``distance_m``.

    Returns
    -------
    Polygon or MultiPolygon
        The buffer, the geometry itself included, split at ±180 and closed through any
        pole it covers.

    Raises
    ------
    InputError
        If the geometry is empty, not in longitude/latitude, or the distance is bad.

    Examples
    --------
    A 300 km reach from a front line between Kharkiv and Donetsk:

    >>> from shapely.geometry import LineString
    >>> front = LineString([(36.23, 49.99), (37.55, 48.59), (37.80, 48.02)])
    >>> reach = buffer(front, 300_000)
    >>> reach.contains(Point(37.62, 55.76))   # Moscow
    False
    >>> reach.contains(Point(35.05, 48.46))   # Dnipro
    True
    """
    geom = check_geometry(geometry, "geometry")
    d = as_distance(distance_m, "distance_m")
    tol = as_tolerance(tolerance_m, d)
    return buffer_geometry(geom, d, tol)


def _plain_pair(value: Any, argument: str) -> tuple[float, float] | None:
    """Return a (lon, lat) tuple or list of two plain numbers, checked; else None."""
    if type(value) not in (tuple, list) or len(value) != 2:
        return None
    lon, lat = value
    if type(lon) not in (float, int) or type(lat) not in (float, int):
        return None
    check_lonlat(lon, lat, argument)
    return lon, lat


def _inverse_pairs(a: Any, b: Any) -> tuple[FloatArray, FloatArray, FloatArray, bool]:
    pa, sa = as_points(a, "a")
    pb, sb = as_points(b, "b")
    if pa.shape[0] != pb.shape[0] and 1 not in (pa.shape[0], pb.shape[0]):
        msg = (
            "a and b must hold the same number of points, or one of them a single point; "
            f"got {pa.shape[0]} and {pb.shape[0]}."
        )
        raise InputError(msg)
    az12, az21, dist = inv(pa[:, 0], pa[:, 1], pb[:, 0], pb[:, 1])
    return az12, az21, dist, sa and sb


def distance_m(a: Any, b: Any) -> Any:
    """Return the geodesic distance in metres between points on WGS84.

    Parameters
    ----------
    a, b : (lon, lat) tuple, shapely Point, sequence of Points, or array of shape (n, 2)
        Points in degrees, longitude first. Arrays broadcast: one point against many
        gives many distances.

    Returns
    -------
    float or numpy.ndarray
        A float when both inputs are single points, otherwise an array of shape (n,).

    Examples
    --------
    >>> round(distance_m((30.52, 50.45), (37.62, 55.76)) / 1000)  # Kyiv to Moscow, km
    758
    >>> distance_m((36.23, 49.99), [(34.80, 50.91), (30.52, 50.45)]).round(-3)
    array([144000., 411000.])
    """
    pa, pb = _plain_pair(a, "a"), _plain_pair(b, "b")
    if pa is not None and pb is not None:  # the scalar fast path: one inverse problem
        return float(GEOD.inv(pa[0], pa[1], pb[0], pb[1])[2])
    _, _, dist, single = _inverse_pairs(a, b)
    return float(dist[0]) if single else dist


def initial_bearing_deg(a: Any, b: Any) -> Any:
    """Return the initial bearing of the geodesic from ``a`` to ``b``.

    Parameters
    ----------
    a, b : (lon, lat) tuple, shapely Point, sequence of Points, or array of shape (n, 2)
        Points in degrees, longitude first; broadcast like :func:`distance_m`.

    Returns
    -------
    float or numpy.ndarray
        Degrees clockwise from true north, in [0, 360).

    Examples
    --------
    >>> round(initial_bearing_deg((30.52, 50.45), (37.62, 55.76)))  # Kyiv to Moscow
    36
    """
    pa, pb = _plain_pair(a, "a"), _plain_pair(b, "b")
    if pa is not None and pb is not None:  # the scalar fast path: one inverse problem
        return float(np.mod(GEOD.inv(pa[0], pa[1], pb[0], pb[1])[0], 360.0))
    az12, _, _, single = _inverse_pairs(a, b)
    az = np.mod(az12, 360.0)
    return float(az[0]) if single else az


def _lonlat_arrays(lon: Any, lat: Any) -> tuple[FloatArray, FloatArray, tuple[int, ...]]:
    """Flatten broadcast longitude and latitude arrays, checking them."""
    try:
        x, y = np.broadcast_arrays(np.asarray(lon, dtype=float), np.asarray(lat, dtype=float))
    except (TypeError, ValueError):
        msg = (
            "lon and lat must be numbers or arrays of numbers of one shape (or broadcastable); "
            f"got {lon!r} and {lat!r}."
        )
        raise InputError(msg) from None
    shape = x.shape
    pts, _ = as_points(np.column_stack([x.ravel(), y.ravel()]), "(lon, lat)")
    return pts[:, 0].copy(), pts[:, 1].copy(), shape


def nearest_point(geometry: BaseGeometry, lon: Any, lat: Any) -> tuple[Any, Any, Any]:
    """Return the geodesic distance to a geometry and its nearest point, for each point.

    Like :func:`distance_to`, and also where the distance is measured to.

    Parameters
    ----------
    geometry : shapely geometry
        As for :func:`distance_to`.
    lon, lat : float or array_like
        The points, in degrees; they broadcast against each other.

    Returns
    -------
    distance : numpy.ndarray
        Metres, of the broadcast shape of ``lon`` and ``lat``.
    near_lon, near_lat : numpy.ndarray
        The nearest point of the geometry in degrees; a point inside a polygon is its
        own nearest point (distance 0).

    Examples
    --------
    >>> from rangemap import regions
    >>> ukraine = regions.country("UA")
    >>> metres, lon, lat = nearest_point(ukraine, 37.62, 55.76)  # from Moscow
    >>> round(float(metres) / 1000), round(float(lat), 1), round(float(lon), 1)
    (457, 52.3, 33.8)
    """
    geom = check_geometry(geometry, "geometry")
    x, y, shape = _lonlat_arrays(lon, lat)
    dist, near_lon, near_lat = nearest_on(geom, x, y)
    return dist.reshape(shape), near_lon.reshape(shape), near_lat.reshape(shape)


def distance_to(geometry: BaseGeometry, lon: Any, lat: Any) -> FloatArray:
    """Return the geodesic distance in metres from points to a line or a territory.

    The distance is to the nearest point of a LineString or MultiLineString (a front
    line), of a Polygon's or MultiPolygon's boundary (a territory), or to a Point; it
    is 0 for a point inside or on a polygon. Exact on WGS84 (``pyproj.Geod``, to well
    under a millimetre): the method is described in ``rangemap/geodesy/_nearest.py``.

    Parameters
    ----------
    geometry : shapely geometry
        In EPSG:4326. Edges are straight in longitude/latitude, as in GeoJSON and as
        :func:`buffer` reads them, so a point on the boundary of ``buffer(line, d)`` is
        ``d`` from ``line`` (to the buffer's tolerance). Polygons split at ±180
        (RFC 7946, as :mod:`rangemap.regions` returns them) keep their cut edges out:
        an edge along ±180 or along a pole line is not boundary.
    lon, lat : float or array_like
        The points, in degrees; they broadcast against each other.

    Returns
    -------
    numpy.ndarray
        Metres, of the broadcast shape of ``lon`` and ``lat``.

    Raises
    ------
    InputError
        If the geometry is empty or not in longitude/latitude, or a point is not
        (lon, lat) in degrees.

    Examples
    --------
    A front line between Kharkiv and Donetsk, and Ukraine's territory:

    >>> from shapely.geometry import LineString
    >>> from rangemap import regions
    >>> front = LineString([(36.23, 49.99), (37.55, 48.59), (37.80, 48.02)])
    >>> (distance_to(front, [35.05, 36.23], [48.46, 49.99]) / 1000).round(1)  # Dnipro, Kharkiv
    array([163.4,   0. ])
    >>> ukraine = regions.country("UA")
    >>> (distance_to(ukraine, [30.52, 37.62], [50.45, 55.76]) / 1000).round()  # Kyiv, Moscow
    array([  0., 457.])
    """
    return np.asarray(nearest_point(geometry, lon, lat)[0], dtype=float)


def unwrap(geometry: BaseGeometry) -> BaseGeometry:
    """Join the parts of a shape split at ±180 into one contiguous shape.

    Parts that touch along the antimeridian are shifted by ±360 degrees so that Leaflet
    draws them as one shape (longitudes may then go beyond ±180, e.g. 170..190). The
    largest part keeps its position. Parts that span all longitudes (a cap around a
    pole) are left as they are, closed to ±90.

    Parameters
    ----------
    geometry : shapely geometry
        A Polygon, MultiPolygon, LineString, MultiLineString or point geometry in
        EPSG:4326, e.g. the output of :func:`ring` or :func:`buffer`.

    Returns
    -------
    shapely geometry
        The same shape, not RFC 7946 any more: for drawing only.

    Examples
    --------
    >>> anadyr = (177.5, 64.73)
    >>> split = ring(anadyr, 500_000)
    >>> split.geom_type, unwrap(split).geom_type
    ('MultiPolygon', 'Polygon')
    """
    if not isinstance(geometry, BaseGeometry):
        msg = f"geometry must be a shapely geometry; got {type(geometry).__name__}."
        raise InputError(msg)
    if geometry.is_empty or isinstance(geometry, Point | MultiPoint):
        return geometry
    parts = list(shapely.get_parts(geometry))
    if isinstance(geometry, Polygon | MultiPolygon):
        return unwrap_parts(parts, polygonal=True)
    if isinstance(geometry, LineString | MultiLineString):
        return unwrap_parts(parts, polygonal=False)
    msg = f"unwrap takes polygons, lines or points; got a {geometry.geom_type}."
    raise InputError(msg)
