"""Exact reach shapes on the WGS84 ellipsoid.

This module owns every distance and every reach shape rangemap draws: :func:`ring`,
:func:`annulus`, :func:`buffer`, :func:`distance_m`, :func:`initial_bearing_deg`, and
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
  tolerance. The default tolerance is 0.01 % of the distance (30 m at 300 km).

How shapes are built
--------------------
A reach boundary is first computed as a closed curve on the ellipsoid with the reach on
its left. :func:`_to_planar` then turns that curve into longitude/latitude polygons from
its winding alone: a curve that does not wind around the globe encloses its reach
directly (or, if it runs clockwise, the reach is the rest of the world, as for a ring
wider than half the Earth); a curve winding eastward encloses the North Pole and one
winding westward the South Pole. The ``antimeridian`` package guesses these cases from
the ring's crossings and picks the wrong side for rings larger than a hemisphere, so it
is used only for the country data, whose rings are ordinary.

A buffer of a line or polygon is the union of exact pieces: for every (densified)
segment a strip bounded by the geodesics perpendicular to it, for every convex vertex a
wedge of a geodesic circle between the two perpendiculars, and a half circle at each
line end. Beyond 8,000 km, where strips would fold over themselves, the buffer is the
union of geodesic circles around the densified vertices, which is exact there to within
the tolerance.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from typing import Any, TypeAlias

import numpy as np
import shapely
import shapely.affinity
from numpy.typing import NDArray
from pyproj import Geod, Transformer
from shapely.geometry import (
    GeometryCollection,
    LineString,
    MultiLineString,
    MultiPoint,
    MultiPolygon,
    Point,
    Polygon,
    box,
)
from shapely.geometry.base import BaseGeometry

from rangemap.errors import InputError, RangemapError

__all__ = [
    "MAX_DISTANCE_M",
    "annulus",
    "buffer",
    "default_tolerance_m",
    "distance_m",
    "initial_bearing_deg",
    "ring",
    "unwrap",
]

FloatArray: TypeAlias = NDArray[np.float64]
LonLat: TypeAlias = "tuple[float, float] | Sequence[float] | Point"
Areal: TypeAlias = "Polygon | MultiPolygon"

_GEOD = Geod(ellps="WGS84")

#: The longest geodesic on WGS84 in metres: half a meridian, pole to pole. No point on
#: the ellipsoid is farther than this from any other.
MAX_DISTANCE_M: float = float(_GEOD.inv(0.0, 90.0, 0.0, -90.0)[2])

# Below this radius every geodesic from the centre is still the shortest path (the cut
# locus of a point on WGS84 starts no nearer than pi * b, 19,970 km); above it the ring
# is found around the antipode instead. 10 km margin.
_CUT_LOCUS_SAFE_M = math.pi * _GEOD.b - 10_000.0
# Perpendicular strips stay simple up to a quarter meridian; above this distance a
# buffer is the union of circles around its vertices.
_DISCS_ONLY_M = 8_000_000.0
# Length of the steps along the sides of strips and wedges (interior edges).
_SIDE_STEP_M = 100_000.0
_EARTH_R_M = 6_371_008.8
# Safety factor: edges are split until their sampled error is below this share of the
# tolerance, so the unsampled points between samples stay within it.
_SAFETY = 0.5
_MAX_VERTICES = 2_000_000
_MERC_MAX_LAT = 85.0511287798
_PHASE = 1.0 / math.pi  # first azimuth offset, so no vertex falls exactly on a pole
_WORLD = box(-180.0, -90.0, 180.0, 90.0)


# ---------------------------------------------------------------------------
# Input checks
# ---------------------------------------------------------------------------


def _check_lonlat(lon: float, lat: float, argument: str) -> None:
    if not (math.isfinite(lon) and math.isfinite(lat)):
        msg = f"{argument} must have finite coordinates; got ({lon}, {lat})."
        raise InputError(msg)
    if not -90.0 <= lat <= 90.0:
        msg = (
            f"{argument} has latitude {lat}, outside [-90, 90]. Coordinates are "
            "(longitude, latitude) in degrees; check that they are not swapped."
        )
        raise InputError(msg)
    if not -180.0 <= lon <= 180.0:
        msg = (
            f"{argument} has longitude {lon}, outside [-180, 180]. Pass longitudes in "
            "degrees within [-180, 180], e.g. ((lon + 180) % 360) - 180."
        )
        raise InputError(msg)


def _as_lonlat(value: Any, argument: str) -> tuple[float, float]:
    if isinstance(value, Point):
        if value.is_empty:
            msg = (
                f"{argument} is an empty Point; pass a (lon, lat) pair or a Point with coordinates."
            )
            raise InputError(msg)
        lon, lat = float(value.x), float(value.y)
    else:
        try:
            arr = np.asarray(value, dtype=float)
        except (TypeError, ValueError):
            arr = np.empty(0)
        if arr.shape != (2,):
            msg = (
                f"{argument} must be a (lon, lat) pair of degrees or a shapely Point; "
                f"got {value!r}."
            )
            raise InputError(msg)
        lon, lat = float(arr[0]), float(arr[1])
    _check_lonlat(lon, lat, argument)
    return lon, lat


def _as_distance(value: Any, argument: str, *, allow_zero: bool = False) -> float:
    try:
        d = float(value)
    except (TypeError, ValueError):
        msg = f"{argument} must be a number of metres; got {value!r}."
        raise InputError(msg) from None
    if not math.isfinite(d) or d < 0.0 or (d == 0.0 and not allow_zero):
        msg = f"{argument} must be a positive, finite number of metres; got {value!r}."
        raise InputError(msg)
    if d > MAX_DISTANCE_M:
        msg = (
            f"{argument} is {d:,.0f} m, longer than any distance on the WGS84 ellipsoid "
            f"(at most {MAX_DISTANCE_M:,.0f} m, half a meridian). Use a smaller distance; "
            "at that length the reach already covers the whole Earth."
        )
        raise InputError(msg)
    return d


def default_tolerance_m(distance_m: float) -> float:
    """Return the default tolerance for a reach of ``distance_m``: 0.01 %, at least 1 mm.

    Parameters
    ----------
    distance_m : float
        The reach distance in metres.

    Returns
    -------
    float
        The tolerance in metres.

    Examples
    --------
    >>> default_tolerance_m(300_000)
    30.0
    """
    return max(1e-4 * distance_m, 1e-3)


def _as_tolerance(value: Any, distance: float) -> float:
    if value is None:
        return default_tolerance_m(distance)
    try:
        tol = float(value)
    except (TypeError, ValueError):
        msg = f"tolerance_m must be a number of metres or None; got {value!r}."
        raise InputError(msg) from None
    if not math.isfinite(tol) or tol <= 0.0:
        msg = f"tolerance_m must be a positive, finite number of metres; got {value!r}."
        raise InputError(msg)
    if tol < 1e-7 * distance or tol < 1e-4:
        msg = (
            f"tolerance_m={tol!r} is too small for a distance of {distance:,.0f} m "
            f"(it would take millions of vertices); use at least "
            f"{max(1e-7 * distance, 1e-4):.4g} m, or None for the default 0.01 %."
        )
        raise InputError(msg)
    return tol


# ---------------------------------------------------------------------------
# Small vectorised helpers
# ---------------------------------------------------------------------------


def _wrap180(x: NDArray[np.floating[Any]]) -> FloatArray:
    """Wrap angles (degrees) into [-180, 180)."""
    return np.asarray((x + 180.0) % 360.0 - 180.0, dtype=float)


def _merc_y(lat: FloatArray) -> FloatArray:
    return np.log(np.tan(np.pi / 4.0 + np.radians(lat) / 2.0))


def _merc_lat(y: FloatArray) -> FloatArray:
    return np.degrees(2.0 * np.arctan(np.exp(y)) - np.pi / 2.0)


def _fwd(
    lon: FloatArray, lat: FloatArray, az: FloatArray, dist: FloatArray | float
) -> tuple[FloatArray, FloatArray]:
    n = np.broadcast(lon, lat, az, dist).shape
    lo, la, _ = _GEOD.fwd(
        np.broadcast_to(lon, n).astype(float),
        np.broadcast_to(lat, n).astype(float),
        np.broadcast_to(az, n).astype(float),
        np.broadcast_to(dist, n).astype(float),
        return_back_azimuth=False,
    )
    return np.asarray(lo, dtype=float), np.asarray(la, dtype=float)


def _inv(
    lon1: FloatArray, lat1: FloatArray, lon2: FloatArray, lat2: FloatArray
) -> tuple[FloatArray, FloatArray, FloatArray]:
    n = np.broadcast(lon1, lat1, lon2, lat2).shape
    az12, az21, dist = _GEOD.inv(
        np.broadcast_to(lon1, n).astype(float),
        np.broadcast_to(lat1, n).astype(float),
        np.broadcast_to(lon2, n).astype(float),
        np.broadcast_to(lat2, n).astype(float),
    )
    return (
        np.asarray(az12, dtype=float),
        np.asarray(az21, dtype=float),
        np.asarray(dist, dtype=float),
    )


def _edge_samples(
    lon1: FloatArray, lat1: FloatArray, lon2: FloatArray, lat2: FloatArray
) -> list[tuple[FloatArray, FloatArray]]:
    """Return the points of straight edges where their error is checked.

    Quarter points and midpoint in lon/lat, and the Web Mercator midpoint where both
    ends are below Leaflet's latitude clamp.
    """
    dlon = _wrap180(lon2 - lon1)
    out = []
    for t in (0.25, 0.5, 0.75):
        out.append((_wrap180(lon1 + t * dlon), lat1 + t * (lat2 - lat1)))
    merc_ok = (np.abs(lat1) < _MERC_MAX_LAT) & (np.abs(lat2) < _MERC_MAX_LAT)
    y = 0.5 * (_merc_y(np.where(merc_ok, lat1, 0.0)) + _merc_y(np.where(merc_ok, lat2, 0.0)))
    lat_m = np.where(merc_ok, _merc_lat(y), lat1 + 0.5 * (lat2 - lat1))
    out.append((_wrap180(lon1 + 0.5 * dlon), lat_m))
    return out


def _min_vertices(radius_m: float, tol: float, lat: float) -> int:
    """Guess the vertex count of a full circle from its chord sag."""
    rho = min(radius_m / _EARTH_R_M, math.pi)
    planar = _EARTH_R_M * math.sin(rho)
    reach_lat = min(abs(lat) + math.degrees(rho), 89.0)
    k = (
        _EARTH_R_M * abs(math.sin(rho) * math.cos(rho))
        + planar**2 * math.tan(math.radians(reach_lat)) / _EARTH_R_M
    )
    k = max(k, radius_m * 1e-3, 1e-9)
    step = math.sqrt(8.0 * _SAFETY * tol / k)
    n = math.ceil(2.0 * math.pi / min(step, math.pi / 8.0))
    if n > _MAX_VERTICES:
        msg = (
            f"tolerance_m={tol:.4g} is too small for a reach of {radius_m:,.0f} m: it "
            f"would need {n:,} vertices. Use a larger tolerance_m."
        )
        raise InputError(msg)
    return n


# ---------------------------------------------------------------------------
# Closed curves on the ellipsoid
# ---------------------------------------------------------------------------


def _refine_closed(
    point_at: Callable[[FloatArray], tuple[FloatArray, FloatArray]],
    error_at: Callable[[FloatArray, FloatArray], FloatArray],
    n0: int,
    tol: float,
) -> tuple[FloatArray, FloatArray, FloatArray]:
    """Sample a closed curve, parametrised by an angle in degrees, to the tolerance.

    Returns parameters, lons and lats in increasing parameter order.
    """
    step = 360.0 / n0
    params: FloatArray = (np.arange(n0, dtype=float) + _PHASE) * step
    lon, lat = point_at(params)
    limit = tol * _SAFETY
    for _ in range(60):
        lon2, lat2 = np.roll(lon, -1), np.roll(lat, -1)
        err = np.zeros(params.size)
        for slon, slat in _edge_samples(lon, lat, lon2, lat2):
            err = np.maximum(err, error_at(slon, slat))
        bad = np.flatnonzero(err > limit)
        if bad.size == 0:
            return params, lon, lat
        if params.size + bad.size > _MAX_VERTICES:
            msg = (
                f"the reach boundary needs more than {_MAX_VERTICES:,} vertices for "
                f"tolerance_m={tol:.4g}; use a larger tolerance_m."
            )
            raise InputError(msg)
        nxt = np.roll(params, -1)
        nxt[-1] += 360.0
        new: FloatArray = 0.5 * (params[bad] + nxt[bad])
        nlon, nlat = point_at(new)
        params = np.concatenate([params, new])
        lon = np.concatenate([lon, nlon])
        lat = np.concatenate([lat, nlat])
        order = np.argsort(params, kind="stable")
        params, lon, lat = params[order], lon[order], lat[order]
    msg = "the reach boundary did not converge to the tolerance; use a larger tolerance_m."
    raise RangemapError(msg)


def _circle_curve(lon0: float, lat0: float, radius_m: float, tol: float) -> FloatArray:
    """Return the (n, 2) vertices of the curve at ``radius_m`` from a centre.

    They are ordered so that the points within ``radius_m`` lie on the left.
    """

    def error_at(lon: FloatArray, lat: FloatArray) -> FloatArray:
        return np.abs(_inv(np.asarray(lon0), np.asarray(lat0), lon, lat)[2] - radius_m)

    if radius_m <= _CUT_LOCUS_SAFE_M:

        def from_centre(az: FloatArray) -> tuple[FloatArray, FloatArray]:
            return _fwd(np.asarray(lon0), np.asarray(lat0), az, radius_m)

        n0 = _min_vertices(radius_m, tol, lat0)
        _, lon, lat = _refine_closed(from_centre, error_at, n0, tol)
        # Increasing azimuth runs clockwise around the centre: reverse it.
        return np.column_stack([lon[::-1], lat[::-1]])

    # Near the antipode geodesics from the centre stop being shortest, so the curve is
    # found from the antipode outward: along each bearing, the point whose distance
    # from the centre is radius_m (distance falls monotonically away from the antipode).
    alon = float(_wrap180(np.asarray(lon0 + 180.0)))
    alat = -lat0
    gap = MAX_DISTANCE_M - radius_m

    def from_antipode(bearing: FloatArray) -> tuple[FloatArray, FloatArray]:
        lo = np.zeros(bearing.size)
        hi = np.full(bearing.size, 2.0 * gap + 300_000.0)
        for _ in range(64):
            mid = 0.5 * (lo + hi)
            mlon, mlat = _fwd(np.asarray(alon), np.asarray(alat), bearing, mid)
            far = _inv(np.asarray(lon0), np.asarray(lat0), mlon, mlat)[2] > radius_m
            lo = np.where(far, mid, lo)
            hi = np.where(far, hi, mid)
        return _fwd(np.asarray(alon), np.asarray(alat), bearing, 0.5 * (lo + hi))

    # Increasing bearing runs clockwise around the antipode, so the far side (beyond
    # radius_m) is on the right and the reach on the left, as wanted.
    _, lon, lat = _refine_closed(from_antipode, error_at, 32, tol)
    return np.column_stack([lon, lat])


# ---------------------------------------------------------------------------
# From curves on the ellipsoid to RFC 7946 polygons
# ---------------------------------------------------------------------------


def _polygonal(geom: BaseGeometry) -> Areal:
    """Keep the polygonal part of a geometry, oriented RFC 7946 (exterior CCW)."""
    if geom.is_empty:
        return Polygon()
    polys: list[Polygon] = []
    for part in shapely.get_parts(geom):
        if isinstance(part, Polygon):
            polys.append(part)
        elif isinstance(part, MultiPolygon):
            polys.extend(part.geoms)
        elif isinstance(part, GeometryCollection):
            inner = _polygonal(part)
            polys.extend(shapely.get_parts(inner))
    polys = [p for p in polys if not p.is_empty and p.area > 0.0]
    if not polys:
        return Polygon()
    out: Areal = polys[0] if len(polys) == 1 else MultiPolygon(polys)
    return shapely.orient_polygons(out)


def _restore_lon(xy: FloatArray, lon: FloatArray, lat: FloatArray) -> FloatArray:
    """Put back the exact longitude of vertices shifted by 360 degrees and back.

    ``x + 360 - 360`` can differ from ``x`` in the last bit; pieces that share an edge
    must share it bit for bit, or their union keeps hairline cracks.
    """
    order = np.lexsort((lon, lat))
    ys, xs = lat[order], lon[order]
    lo = np.searchsorted(ys, xy[:, 1], side="left")
    hi = np.searchsorted(ys, xy[:, 1], side="right")
    out = xy.copy()
    one = np.flatnonzero(hi - lo == 1)
    cand = xs[lo[one]]
    close = np.abs(cand - xy[one, 0]) < 1e-9
    out[one[close], 0] = cand[close]
    for j in np.flatnonzero(hi - lo > 1):
        many = xs[lo[j] : hi[j]]
        k = int(np.argmin(np.abs(many - xy[j, 0])))
        if abs(many[k] - xy[j, 0]) < 1e-9:
            out[j, 0] = many[k]
    return out


def _fold(poly: BaseGeometry, lon: FloatArray, lat: FloatArray) -> BaseGeometry:
    """Fold a polygon drawn with unwrapped longitudes back into [-180, 180].

    ``lon``/``lat`` are the curve's original vertices, whose exact values are restored.
    """
    if not poly.is_valid:
        poly = shapely.make_valid(poly)
    xmin, _, xmax, _ = poly.bounds
    kmin = math.floor((xmin + 180.0) / 360.0)
    kmax = math.ceil((xmax + 180.0) / 360.0) - 1
    if kmin == kmax == 0:
        return poly
    pieces = []
    for k in range(kmin, kmax + 1):
        part = poly.intersection(box(-180.0 + 360.0 * k, -90.0, 180.0 + 360.0 * k, 90.0))
        if part.is_empty:
            continue
        if k != 0:
            part = shapely.transform(
                shapely.affinity.translate(part, xoff=-360.0 * k),
                lambda xy: _restore_lon(xy, lon, lat),
            )
        pieces.append(part)
    return shapely.union_all(pieces)


def _snap_antimeridian(lon: FloatArray) -> FloatArray:
    """Put longitudes within 1e-9 degrees (0.1 mm) of ±180 exactly on it.

    Otherwise a piece hugging the antimeridian is cut into a sliver too thin for the
    overlay to keep, and the union shows a crack there.
    """
    return np.where(np.abs(lon) > 180.0 - 1e-9, np.copysign(180.0, lon), lon)


def _crossing_lat(
    lon1: FloatArray, lat1: FloatArray, lon2: FloatArray, lat2: FloatArray
) -> FloatArray:
    """Latitudes where straight edges between two vertices meet ±180.

    Computed from the endpoints in a fixed order, so that every piece sharing an edge
    gets the very same point.
    """
    swap = (lon2 < lon1) | ((lon2 == lon1) & (lat2 < lat1))
    a_lon, b_lon = np.where(swap, lon2, lon1), np.where(swap, lon1, lon2)
    a_lat, b_lat = np.where(swap, lat2, lat1), np.where(swap, lat1, lat2)
    dlon = _wrap180(b_lon - a_lon)
    edge = np.where(dlon > 0, 180.0, -180.0)
    t = (edge - a_lon) / dlon
    return np.asarray(a_lat + t * (b_lat - a_lat), dtype=float)


def _to_planar(coords: FloatArray, *, small: bool = False) -> BaseGeometry:
    """Turn a closed curve on the ellipsoid, reach on its left, into lon/lat polygons.

    ``coords`` is (n, 2) lon/lat without the closing vertex; consecutive vertices must be
    less than 180 degrees of longitude apart. ``small`` says the region is known not to
    hold both poles (a piece of a buffer, a shape from a polar plane): a clockwise
    curve that does not wind is then a degenerate sliver, not the boundary of the rest
    of the world.
    """
    lon, lat = _snap_antimeridian(coords[:, 0]), coords[:, 1]
    raw = np.diff(lon, append=lon[:1])
    turns = np.rint((_wrap180(raw) - raw) / 360.0)
    # whole turns only, so vertices that need no shift keep their exact longitude
    x = lon + 360.0 * np.concatenate([[0.0], np.cumsum(turns[:-1])])
    winding = round(float(turns.sum()))
    if abs(winding) > 1:
        msg = "internal error: a reach boundary winds more than once around the globe."
        raise RangemapError(msg)
    # Insert the points where edges meet the antimeridian (x = 180 + 360 k).
    x_next = np.append(x[1:], x[0] + 360.0 * winding)
    ka = np.floor((x - 180.0) / 360.0)
    kb = np.floor((x_next - 180.0) / 360.0)
    crossing = np.flatnonzero(ka != kb)
    following = (crossing + 1) % lon.size
    cut_y = _crossing_lat(lon[crossing], lat[crossing], lon[following], lat[following])
    cut_x = 180.0 + 360.0 * np.maximum(ka[crossing], kb[crossing])
    xs = np.insert(x, crossing + 1, cut_x)
    ys = np.insert(lat, crossing + 1, cut_y)
    cuts = crossing + 1 + np.arange(crossing.size)
    if winding == 0:
        area2 = float(np.dot(xs, np.roll(ys, -1)) - np.dot(np.roll(xs, -1), ys))
        poly = Polygon(np.column_stack([xs, ys]))
        if area2 > 0.0:
            return _fold(poly, lon, lat)
        if small:
            return _fold(poly.reverse(), lon, lat)
        # Clockwise in the plane: the reach is everything outside this curve.
        return _WORLD.difference(_fold(poly.reverse(), lon, lat))
    # The reach holds one pole. Start at the antimeridian crossing closest to that pole
    # and close the curve along the antimeridian through the pole: that segment cannot
    # meet the curve, and it lies exactly where the fold splits.
    pole = 90.0 if winding == 1 else -90.0
    c = int(cuts[int(np.argmax(cut_y) if winding == 1 else np.argmin(cut_y))])
    shift = 360.0 * winding
    ring_x = np.concatenate([xs[c:], xs[:c] + shift, [xs[c] + shift] * 2, [xs[c]]])
    ring_y = np.concatenate([ys[c:], ys[:c], [ys[c], pole, pole]])
    return _fold(Polygon(np.column_stack([ring_x, ring_y])), lon, lat)


def _pieces_to_planar(rings: list[FloatArray]) -> list[BaseGeometry]:
    """Vectorised :func:`_to_planar` for many small curves (strips and wedges)."""
    if not rings:
        return []
    sizes = np.array([r.shape[0] for r in rings])
    coords = np.concatenate(rings)
    coords[:, 0] = _snap_antimeridian(coords[:, 0])
    ids = np.repeat(np.arange(len(rings)), sizes)
    starts = np.concatenate([[0], np.cumsum(sizes)[:-1]])
    lon, lat = coords[:, 0], coords[:, 1]
    # next vertex within each ring
    nxt = np.arange(coords.shape[0]) + 1
    ends = starts + sizes - 1
    nxt[ends] = starts
    raw = lon[nxt] - lon
    turns = np.rint((_wrap180(raw) - raw) / 360.0)
    csum = np.cumsum(turns)
    before = np.concatenate([[0.0], csum])[starts]
    x = lon + 360.0 * (np.concatenate([[0.0], csum[:-1]]) - before[ids])
    total = np.add.reduceat(turns, starts)
    area2 = np.add.reduceat(x * lat[nxt] - x[nxt] * lat, starts)
    xmin = np.minimum.reduceat(x, starts)
    xmax = np.maximum.reduceat(x, starts)
    simple = (total == 0.0) & (area2 > 0.0) & (xmin >= -180.0) & (xmax <= 180.0)
    out: list[BaseGeometry] = []
    idx_simple = np.flatnonzero(simple)
    if idx_simple.size:
        mask = simple[ids]
        sel_ids = ids[mask]
        _, inverse = np.unique(sel_ids, return_inverse=True)
        # close each ring: shapely.linearrings closes rings itself
        lr = shapely.linearrings(np.column_stack([x[mask], lat[mask]]), indices=inverse)
        out.extend(shapely.polygons(lr))
    for i in np.flatnonzero(~simple):
        out.append(_to_planar(coords[starts[i] : starts[i] + sizes[i]], small=True))
    return out


# ---------------------------------------------------------------------------
# Public API: rings and annuli
# ---------------------------------------------------------------------------


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
        The radius in metres, from 1 m up to :data:`MAX_DISTANCE_M` (20,003,931 m).
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
    lon0, lat0 = _as_lonlat(center, "center")
    r = _as_distance(radius_m, "radius_m")
    tol = _as_tolerance(tolerance_m, r)
    return _ring(lon0, lat0, r, tol)


def _ring(lon0: float, lat0: float, r: float, tol: float) -> Areal:
    if r >= MAX_DISTANCE_M - 1e-6:
        return shapely.orient_polygons(_WORLD)
    return _polygonal(_to_planar(_circle_curve(lon0, lat0, r, tol)))


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
    lon0, lat0 = _as_lonlat(center, "center")
    hi = _as_distance(max_m, "max_m")
    lo = _as_distance(min_m, "min_m", allow_zero=True)
    if lo >= hi:
        msg = (
            f"min_m ({lo:,.0f} m) must be smaller than max_m ({hi:,.0f} m); "
            "swap them if they were passed the wrong way round."
        )
        raise InputError(msg)
    outer = _ring(lon0, lat0, hi, _as_tolerance(tolerance_m, hi))
    if lo == 0.0:
        return outer
    inner = _ring(lon0, lat0, lo, _as_tolerance(tolerance_m, lo))
    return _polygonal(outer.difference(inner))


# ---------------------------------------------------------------------------
# Public API: buffers of any geometry
# ---------------------------------------------------------------------------


def _check_geometry(geometry: Any, argument: str) -> BaseGeometry:
    if not isinstance(geometry, BaseGeometry):
        msg = f"{argument} must be a shapely geometry in EPSG:4326; got {type(geometry).__name__}."
        raise InputError(msg)
    if geometry.is_empty:
        msg = f"{argument} is an empty {geometry.geom_type}; pass a geometry with coordinates."
        raise InputError(msg)
    xy = shapely.get_coordinates(geometry)
    if not np.isfinite(xy).all():
        msg = f"{argument} has NaN or infinite coordinates; remove or fix them."
        raise InputError(msg)
    xmin, ymin = xy.min(axis=0)
    xmax, ymax = xy.max(axis=0)
    if xmin < -180.0 or xmax > 180.0 or ymin < -90.0 or ymax > 90.0:
        msg = (
            f"{argument} has coordinates outside longitude/latitude range (bounds "
            f"{xmin:.6g}, {ymin:.6g}, {xmax:.6g}, {ymax:.6g}); it looks projected or has "
            "unwrapped longitudes. Reproject it to EPSG:4326 first, e.g. gdf.to_crs(4326), "
            "and split it at ±180 (RFC 7946)."
        )
        raise InputError(msg)
    return geometry


def _densify_path(coords: FloatArray, closed: bool, tol: float, d: float) -> FloatArray:
    """Split straight lon/lat edges until each is close to its geodesic.

    The offset chords of the pieces then stay within tolerance too. Returns the
    vertices, the closing vertex included if ``closed``.
    """
    if closed and not np.array_equal(coords[0], coords[-1]):
        coords = np.vstack([coords, coords[:1]])
    keep = np.concatenate([[True], np.any(np.diff(coords, axis=0) != 0.0, axis=1)])
    coords = coords[keep]
    if coords.shape[0] < 2:
        return coords
    lon1, lat1 = coords[:-1, 0], coords[:-1, 1]
    lon2, lat2 = coords[1:, 0], coords[1:, 1]
    _, _, seg = _inv(lon1, lat1, lon2, lat2)
    rho = min(d / _EARTH_R_M, 1.4)
    reach_lat = np.minimum(np.maximum(np.abs(lat1), np.abs(lat2)) + math.degrees(rho), 85.0)
    curv = (math.tan(rho) + np.tan(np.radians(reach_lat)) + 1.0) / _EARTH_R_M
    spacing = np.sqrt(8.0 * tol * _SAFETY * 0.5 / curv)
    if d >= _DISCS_ONLY_M:
        # circles around vertices: the scallop between circles must stay shallow too
        spacing = np.minimum(spacing, np.sqrt(8.0 * tol * _SAFETY * _EARTH_R_M / 0.5))
    n = np.maximum(np.ceil(seg / spacing), 1).astype(int)
    # Along ±180 or to a pole, edges collapse to short or zero geodesics: keep them.
    t = np.concatenate([np.arange(k) / k for k in n])
    i = np.repeat(np.arange(n.size), n)
    out = np.column_stack([lon1[i] + t * (lon2 - lon1)[i], lat1[i] + t * (lat2 - lat1)[i]])
    return np.vstack([out, coords[-1:]])


def _refine_path(v: FloatArray, sides: tuple[bool, bool], d: float, tol: float) -> FloatArray:
    """Split source edges until the offset chords of their strips are within tolerance.

    Each strip's outer edge is compared with the source at quarter points and midpoint:
    a point ``t`` along the outer chord must lie ``d`` from the point ``t`` along the
    source edge. Near the poles, where straight lon/lat chords bend most, this is what
    sets the vertex density.
    """
    if v.shape[0] < 2:
        return v
    # One representation of each point: +180 and -180 are the same meridian.
    v = v.copy()
    v[:, 0] = np.where(v[:, 0] == 180.0, -180.0, v[:, 0])
    limit = tol * _SAFETY
    for _ in range(40):
        a_lon, a_lat, b_lon, b_lat = v[:-1, 0], v[:-1, 1], v[1:, 0], v[1:, 1]
        az12, az21, seg = _inv(a_lon, a_lat, b_lon, b_lat)
        err = np.zeros(seg.size)
        for side, on in ((-90.0, sides[0]), (90.0, sides[1])):
            if not on:
                continue
            p_lon, p_lat = _fwd(a_lon, a_lat, az12 + side, d)
            q_lon, q_lat = _fwd(b_lon, b_lat, az21 - side, d)
            dlon = _wrap180(q_lon - p_lon)
            slon = _wrap180(b_lon - a_lon)
            for t in (0.25, 0.5, 0.75):
                c_lon = _wrap180(p_lon + t * dlon)
                c_lat = p_lat + t * (q_lat - p_lat)
                s_lon = _wrap180(a_lon + t * slon)
                s_lat = a_lat + t * (b_lat - a_lat)
                err = np.maximum(err, np.abs(_inv(c_lon, c_lat, s_lon, s_lat)[2] - d))
        bad = np.flatnonzero((seg > 1e-6) & (err > limit) & (seg > 1e-3 * tol))
        if bad.size == 0:
            break
        mid = 0.5 * (v[bad] + v[bad + 1])
        v = np.insert(v, bad + 1, mid, axis=0)
        if v.shape[0] > _MAX_VERTICES:
            msg = (
                f"the buffer needs more than {_MAX_VERTICES:,} vertices; use a larger tolerance_m."
            )
            raise InputError(msg)
    return v


def _side(lon: FloatArray, lat: FloatArray, az: FloatArray, d: float) -> FloatArray:
    """Return points (m, k, 2) along the geodesics leaving (lon, lat) at ``az``."""
    k = max(1, math.ceil(d / _SIDE_STEP_M))
    dist = d * np.arange(1, k + 1) / k
    plon, plat = _fwd(lon[:, None], lat[:, None], az[:, None], dist[None, :])
    return np.stack([plon, plat], axis=-1)


def _arcs(
    lon: FloatArray,
    lat: FloatArray,
    az_from: FloatArray,
    az_to: FloatArray,
    d: float,
    tol: float,
) -> list[FloatArray]:
    """Return the inner points of circle arcs around (lon, lat), to the tolerance.

    Each arc runs from ``az_from`` to ``az_to`` (larger). Returns one (m_i, 2) array
    per arc, in increasing azimuth, without its two ends.
    """
    n = lon.size
    if n == 0:
        return []
    # edges: (arc id, a0, a1)
    first = _min_vertices(d, tol, float(np.max(np.abs(lat))))
    span = az_to - az_from
    counts = np.maximum(np.ceil(span / 360.0 * first), 1).astype(int)
    ids = np.repeat(np.arange(n), counts)
    frac = np.concatenate([np.arange(c) / c for c in counts])
    a0 = az_from[ids] + frac * span[ids]
    a1 = a0 + (span / counts)[ids]
    limit = tol * _SAFETY
    for _ in range(60):
        p0 = _fwd(lon[ids], lat[ids], a0, d)
        p1 = _fwd(lon[ids], lat[ids], a1, d)
        err = np.zeros(a0.size)
        for slon, slat in _edge_samples(p0[0], p0[1], p1[0], p1[1]):
            err = np.maximum(err, np.abs(_inv(lon[ids], lat[ids], slon, slat)[2] - d))
        bad = err > limit
        if not bad.any():
            break
        mid = 0.5 * (a0[bad] + a1[bad])
        ids = np.concatenate([ids[~bad], ids[bad], ids[bad]])
        a0, a1 = (
            np.concatenate([a0[~bad], a0[bad], mid]),
            np.concatenate([a1[~bad], mid, a1[bad]]),
        )
        if a0.size > _MAX_VERTICES:
            msg = (
                f"the buffer needs more than {_MAX_VERTICES:,} vertices; use a larger tolerance_m."
            )
            raise InputError(msg)
    order = np.lexsort((a0, ids))
    ids, a0 = ids[order], a0[order]
    inner = np.ones(a0.size, dtype=bool)
    starts = np.concatenate([[0], np.flatnonzero(np.diff(ids)) + 1])
    inner[starts] = False  # a0 of each arc's first edge is the arc's start point
    plon, plat = _fwd(lon[ids[inner]], lat[ids[inner]], a0[inner], d)
    pts = np.column_stack([plon, plat])
    split = np.searchsorted(ids[inner], np.arange(1, n))
    return list(np.split(pts, split))


def _path_pieces(
    coords: FloatArray, closed: bool, sides: tuple[bool, bool], d: float, tol: float
) -> tuple[list[FloatArray], list[BaseGeometry], FloatArray]:
    """Return the strips, wedges and end caps of one path.

    ``sides`` is (left, right). Returns curves (reach on the left) and ready-made
    pieces (circles around degenerate paths).
    """
    v = _refine_path(_densify_path(coords, closed, tol, d), sides, d, tol)
    extra: list[BaseGeometry] = []
    if v.shape[0] < 2 or (closed and v.shape[0] < 3):
        extra.append(_ring(float(v[0, 0]), float(v[0, 1]), d, tol))
        return [], extra, v
    a_lon, a_lat = v[:-1, 0], v[:-1, 1]
    b_lon, b_lat = v[1:, 0], v[1:, 1]
    az12, az21, seg = _inv(a_lon, a_lat, b_lon, b_lat)
    real = seg > 1e-6  # edges along a pole line have no length on the ellipsoid
    a_lon, a_lat, b_lon, b_lat = a_lon[real], a_lat[real], b_lon[real], b_lat[real]
    az12, az21 = az12[real], az21[real]
    m = a_lon.size
    if m == 0:
        extra.append(_ring(float(v[0, 0]), float(v[0, 1]), d, tol))
        return [], extra, v
    contiguous = np.ones(m, dtype=bool)  # segment i starts where segment i-1 ends
    contiguous[1:] = (a_lon[1:] == b_lon[:-1]) & (a_lat[1:] == b_lat[:-1])
    curves: list[FloatArray] = []
    a_pt = np.column_stack([a_lon, a_lat])
    b_pt = np.column_stack([b_lon, b_lat])
    left, right = sides
    sides_a: dict[str, FloatArray] = {}
    sides_b: dict[str, FloatArray] = {}
    if left:
        sides_a["L"] = _side(a_lon, a_lat, az12 - 90.0, d)
        sides_b["L"] = _side(b_lon, b_lat, az21 + 90.0, d)
        for i in range(m):
            curves.append(np.vstack([a_pt[i], b_pt[i], sides_b["L"][i], sides_a["L"][i][::-1]]))
    if right:
        sides_a["R"] = _side(a_lon, a_lat, az12 + 90.0, d)
        sides_b["R"] = _side(b_lon, b_lat, az21 - 90.0, d)
        for i in range(m):
            curves.append(np.vstack([a_pt[i], sides_a["R"][i], sides_b["R"][i][::-1], b_pt[i]]))

    # Wedges at joints: vertex j joins segment j-1 (arriving) and segment j (leaving).
    joints = [(j - 1, j) for j in range(1, m) if contiguous[j]]
    # A closed ring whose dropped edges break it (at a pole) is capped like a line.
    loop = closed and bool(contiguous.all()) and a_lon[0] == b_lon[-1] and a_lat[0] == b_lat[-1]
    if loop:
        joints.append((m - 1, 0))
    w_lon: list[float] = []
    w_lat: list[float] = []
    w_from: list[float] = []
    w_to: list[float] = []
    w_first: list[FloatArray] = []
    w_last: list[FloatArray] = []
    for i_in, i_out in joints:
        a_in = az21[i_in] + 180.0
        turn = float(_wrap180(np.asarray(az12[i_out] - a_in)))
        if abs(turn) > 170.0:
            # A spike: the path nearly doubles back, and on the ellipsoid its straight
            # lon/lat edges may even cross. A full circle covers the joint either way.
            extra.append(_ring(float(b_lon[i_in]), float(b_lat[i_in]), d, tol))
            continue
        # The wedge runs clockwise over |turn| degrees from one strip's side to the
        # next; its two sides are those strips' own vertices. A joint that hardly turns
        # gets a (degenerate) wedge on both sides, closing any rounding gap.
        straight = abs(turn) < 1e-9
        if left and (turn > 0.0 or straight):  # right turn: convex on the left
            w_lon.append(b_lon[i_in])
            w_lat.append(b_lat[i_in])
            w_from.append(float(az21[i_in]) + 90.0)
            w_to.append(float(az21[i_in]) + 90.0 + abs(turn))
            w_first.append(sides_b["L"][i_in])
            w_last.append(sides_a["L"][i_out])
        if right and (turn < 0.0 or straight):  # left turn: convex on the right
            w_lon.append(b_lon[i_in])
            w_lat.append(b_lat[i_in])
            w_from.append(float(az12[i_out]) + 90.0)
            w_to.append(float(az12[i_out]) + 90.0 + abs(turn))
            w_first.append(sides_a["R"][i_out])
            w_last.append(sides_b["R"][i_in])
    # End caps of open paths: half circles behind the start and ahead of the end, each
    # running clockwise from one perpendicular to the other.
    if not loop:
        for i in range(m):
            if i == 0 or not contiguous[i]:
                one = slice(i, i + 1)
                w_lon.append(a_lon[i])
                w_lat.append(a_lat[i])
                w_from.append(az12[i] + 90.0)
                w_to.append(az12[i] + 270.0)
                w_first.append(_side(a_lon[one], a_lat[one], az12[one] + 90.0, d)[0])
                w_last.append(_side(a_lon[one], a_lat[one], az12[one] - 90.0, d)[0])
            if i == m - 1 or not contiguous[i + 1]:
                one = slice(i, i + 1)
                w_lon.append(b_lon[i])
                w_lat.append(b_lat[i])
                w_from.append(az21[i] + 90.0)
                w_to.append(az21[i] + 270.0)
                w_first.append(_side(b_lon[one], b_lat[one], az21[one] + 90.0, d)[0])
                w_last.append(_side(b_lon[one], b_lat[one], az21[one] - 90.0, d)[0])
    if w_lon:
        arcs = _arcs(
            np.asarray(w_lon), np.asarray(w_lat), np.asarray(w_from), np.asarray(w_to), d, tol
        )
        for k, arc in enumerate(arcs):
            centre = np.array([[w_lon[k], w_lat[k]]])
            # clockwise: centre, first side out, arc, last side back; reversed for left
            cw = np.vstack([centre, w_first[k], arc, w_last[k][::-1]])
            curves.append(cw[::-1])
    return curves, extra, v


def _decompose(geom: BaseGeometry) -> tuple[list[Point], list[LineString], list[Polygon]]:
    points: list[Point] = []
    lines: list[LineString] = []
    polys: list[Polygon] = []
    for part in shapely.get_parts(geom):
        if isinstance(part, Point):
            points.append(part)
        elif isinstance(part, LineString):
            lines.append(part)
        elif isinstance(part, Polygon):
            if not part.is_valid:
                fixed = shapely.make_valid(part)
                p2, l2, g2 = _decompose(fixed)
                points += p2
                lines += l2
                polys += g2
            else:
                polys.append(part)
        else:  # multi-part or collection
            p2, l2, g2 = _decompose(part)
            points += p2
            lines += l2
            polys += g2
    return points, lines, polys


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
    geom = _check_geometry(geometry, "geometry")
    d = _as_distance(distance_m, "distance_m")
    tol = _as_tolerance(tolerance_m, d)
    if d >= MAX_DISTANCE_M - 1e-6:
        return shapely.orient_polygons(_WORLD)
    points, lines, polys = _decompose(geom)
    pieces: list[BaseGeometry] = []
    curves: list[FloatArray] = []
    paths: list[tuple[FloatArray, bool, tuple[bool, bool]]] = []
    for ln in lines:
        paths.append((np.asarray(ln.coords, dtype=float)[:, :2], False, (True, True)))
    areas: list[tuple[int, int]] = []  # (first, last + 1) in paths of each polygon's rings
    for pg in polys:
        pg = shapely.orient_polygons(pg)
        pieces.append(pg)
        first = len(paths)
        for r in [pg.exterior, *pg.interiors]:
            # interior on the left of every ring: the outside is on the right
            paths.append((np.asarray(r.coords, dtype=float)[:, :2], True, (False, True)))
        areas.append((first, len(paths)))
    if d >= _DISCS_ONLY_M:
        # Circles around the vertices; detail finer than a quarter of the tolerance
        # cannot move the boundary by more than that, so it is simplified away first.
        step_deg = 0.25 * tol / 111_320.0
        for c, closed, _ in paths:
            line = LineString(c) if len(c) > 1 else None
            if line is not None:
                c = np.asarray(shapely.simplify(line, step_deg).coords)
            v = _densify_path(c, closed, tol, d)
            points.extend(Point(p) for p in v)
    else:
        refined: list[FloatArray] = []
        for c, closed, sides in paths:
            cv, extra, v = _path_pieces(c, closed, sides, d, tol)
            curves.extend(cv)
            pieces.extend(extra)
            refined.append(v)
        pole = _near_pole(geom, d)
        if pole is None:
            pieces.extend(_pieces_to_planar(curves))
        elif curves:
            # the polygons join the polar union with the very vertices of their strips
            shapes = [(refined[i], refined[i + 1 : j]) for i, j in areas]
            pieces.append(_union_polar(curves, shapes, pole, tol))
    if points:
        xy = np.unique(shapely.get_coordinates(points), axis=0)
        pieces.extend(_ring(float(p[0]), float(p[1]), d, tol) for p in xy)
    out = shapely.union_all(pieces)
    return _polygonal(_drop_slivers(out))


def _near_pole(geom: BaseGeometry, d: float) -> float | None:
    """Return the pole (90 or -90) the pieces of a buffer come near, if exactly one."""
    _, ymin, _, ymax = geom.bounds
    reach_deg = d / 110_000.0 + 2.0
    north = 90.0 - ymax < reach_deg
    south = ymin + 90.0 < reach_deg
    if north and not south and ymin - reach_deg > -60.0:
        return 90.0
    if south and not north and ymax + reach_deg < 60.0:
        return -90.0
    return None


def _union_polar(
    curves: list[FloatArray],
    shapes: list[tuple[FloatArray, list[FloatArray]]],
    pole: float,
    tol: float,
) -> BaseGeometry:
    """Union buffer pieces near a pole in a polar stereographic plane.

    Near a pole the sides of strips and wedges swing through many degrees of longitude
    between vertices, where unwrapping longitudes is ambiguous; in a polar
    stereographic plane every piece is an ordinary polygon. The union's rings then go
    back to longitude/latitude through :func:`_to_planar`.
    """
    to_plane = Transformer.from_crs(
        "EPSG:4326", f"+proj=stere +lat_0={pole:g} +lon_0=0 +k=1 +ellps=WGS84", always_xy=True
    )
    sizes = np.array([c.shape[0] for c in curves])
    coords = np.concatenate(curves)
    px, py = to_plane.transform(coords[:, 0], coords[:, 1])
    ids = np.repeat(np.arange(len(curves)), sizes)
    polys = shapely.polygons(shapely.linearrings(np.column_stack([px, py]), indices=ids))
    bad = ~shapely.is_valid(polys)
    polys[bad] = shapely.make_valid(polys[bad])
    areas = []
    for shell, holes in shapes:
        rings = [np.column_stack(to_plane.transform(r[:, 0], r[:, 1])) for r in [shell, *holes]]
        if len(rings[0]) >= 4:
            areas.append(shapely.make_valid(Polygon(rings[0], [h for h in rings[1:] if len(h) >= 4])))
    union = shapely.union_all([*polys, *areas])
    # Vertices of the pieces go back to their exact lon/lat, so that the reach meets
    # the source and other shapes along the very same edges.
    known = dict(zip(zip(px.tolist(), py.tolist(), strict=True), coords.tolist(), strict=True))
    min_hole_m2 = 1e-2 * tol * tol
    out: list[BaseGeometry] = []
    for part in shapely.get_parts(union):
        if not isinstance(part, Polygon) or part.is_empty:
            continue
        part = shapely.orient_polygons(part)
        region = _ring_from_plane(part.exterior, to_plane, known)
        # hairline cracks between pieces are not holes of the reach
        holes = [
            _ring_from_plane(h.reverse(), to_plane, known)
            for h in part.interiors
            if Polygon(h).area > min_hole_m2
        ]
        out.append(region.difference(shapely.union_all(holes)) if holes else region)
    return shapely.union_all(out)


def _ring_from_plane(
    ring: BaseGeometry, to_plane: Transformer, known: dict[tuple[float, float], list[float]]
) -> BaseGeometry:
    """Turn a planar ring with its region on the left back into lon/lat polygons."""
    xy = np.asarray(ring.coords)[:-1]
    lon, lat = to_plane.transform(xy[:, 0], xy[:, 1], direction="INVERSE")
    out = np.column_stack([lon, lat])
    for i, key in enumerate(zip(xy[:, 0].tolist(), xy[:, 1].tolist(), strict=True)):
        exact = known.get(key)
        if exact is not None:
            out[i] = exact
    return _to_planar(out, small=True)


def _drop_slivers(geom: BaseGeometry) -> BaseGeometry:
    """Remove holes and parts of negligible area left by rounding in the union."""
    polys = []
    for p in shapely.get_parts(geom):
        if not isinstance(p, Polygon) or p.area < 1e-14:
            continue
        holes = [h for h in p.interiors if Polygon(h).area > 1e-12]
        polys.append(Polygon(p.exterior, holes))
    return shapely.union_all(polys) if polys else Polygon()


# ---------------------------------------------------------------------------
# Public API: distances, bearings, unwrap
# ---------------------------------------------------------------------------


def _as_points(value: Any, argument: str) -> tuple[FloatArray, bool]:
    """(n, 2) lon/lat array and whether the input was a single point."""
    if isinstance(value, Point):
        return np.array([_as_lonlat(value, argument)]), True
    if isinstance(value, BaseGeometry):
        msg = f"{argument} must be points; got a {value.geom_type}."
        raise InputError(msg)
    try:
        arr = np.asarray(value, dtype=float)
    except (TypeError, ValueError):
        if isinstance(value, Sequence) and all(isinstance(p, Point) for p in value):
            arr = np.array([_as_lonlat(p, argument) for p in value])
        else:
            msg = (
                f"{argument} must be (lon, lat) pairs, shapely Points or an (n, 2) array; "
                f"got {value!r}."
            )
            raise InputError(msg) from None
    single = arr.ndim == 1
    arr = np.atleast_2d(arr)
    if arr.ndim != 2 or arr.shape[1] != 2:
        msg = (
            f"{argument} must have shape (2,) or (n, 2) as (lon, lat); got shape {np.shape(value)}."
        )
        raise InputError(msg)
    bad = ~np.isfinite(arr).all(axis=1) | (np.abs(arr[:, 1]) > 90.0) | (np.abs(arr[:, 0]) > 180.0)
    if bad.any():
        i = int(np.flatnonzero(bad)[0])
        _check_lonlat(
            float(arr[i, 0]), float(arr[i, 1]), f"{argument}[{i}]" if not single else argument
        )
    return arr, single


def _inverse_pairs(a: Any, b: Any) -> tuple[FloatArray, FloatArray, FloatArray, bool]:
    pa, sa = _as_points(a, "a")
    pb, sb = _as_points(b, "b")
    if pa.shape[0] != pb.shape[0] and 1 not in (pa.shape[0], pb.shape[0]):
        msg = (
            "a and b must hold the same number of points, or one of them a single point; "
            f"got {pa.shape[0]} and {pb.shape[0]}."
        )
        raise InputError(msg)
    az12, az21, dist = _inv(pa[:, 0], pa[:, 1], pb[:, 0], pb[:, 1])
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
    az12, _, _, single = _inverse_pairs(a, b)
    az = np.mod(az12, 360.0)
    return float(az[0]) if single else az


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
        return _unwrap_parts(parts, polygonal=True)
    if isinstance(geometry, LineString | MultiLineString):
        return _unwrap_parts(parts, polygonal=False)
    msg = f"unwrap takes polygons, lines or points; got a {geometry.geom_type}."
    raise InputError(msg)


def _seam(part: BaseGeometry, x: float, polygonal: bool) -> BaseGeometry:
    line = LineString([(x, -90.0), (x, 90.0)])
    if polygonal:
        return part.boundary.intersection(line)
    ends = MultiPoint([part.coords[0], part.coords[-1]])
    return ends.intersection(line.buffer(1e-9))


def _unwrap_parts(parts: list[BaseGeometry], *, polygonal: bool) -> BaseGeometry:
    eps = 1e-9
    n = len(parts)
    east = [_seam(p, 180.0, polygonal) for p in parts]
    west = [shapely.affinity.translate(_seam(p, -180.0, polygonal), xoff=360.0) for p in parts]
    spans = [p.bounds[0] <= -180.0 + eps and p.bounds[2] >= 180.0 - eps for p in parts]

    def joined(a: int, b: int) -> bool:
        """Part a's east seam meets part b's west seam."""
        if east[a].is_empty or west[b].is_empty:
            return False
        common = east[a].intersection(west[b].buffer(eps) if not polygonal else west[b])
        if polygonal:
            return bool(common.length > eps)
        return not common.is_empty

    size = [p.area if polygonal else p.length for p in parts]
    offset: dict[int, float] = {}
    for seed in sorted(range(n), key=lambda i: -size[i]):
        if seed in offset:
            continue
        offset[seed] = 0.0
        if spans[seed]:
            continue
        stack = [seed]
        while stack:
            a = stack.pop()
            for b in range(n):
                if b in offset or spans[b]:
                    continue
                if joined(a, b):
                    offset[b] = offset[a] + 360.0
                elif joined(b, a):
                    offset[b] = offset[a] - 360.0
                else:
                    continue
                stack.append(b)
    moved = [shapely.affinity.translate(p, xoff=offset[i]) for i, p in enumerate(parts)]
    if polygonal:
        return _polygonal(shapely.union_all(moved))
    merged = shapely.line_merge(shapely.union_all(moved))
    return merged
