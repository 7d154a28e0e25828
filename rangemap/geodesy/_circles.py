"""Geodesic circles: the boundary at a distance from a point, and the disc inside it.

This module owns :func:`circle_curve` (the closed curve at ``radius_m`` from a centre,
found from the antipode where geodesics from the centre stop being shortest),
:func:`disc` (everything within ``radius_m`` as RFC 7946 polygons, what :func:`ring`
returns), :func:`discs` (the same around many centres in one vectorised pass) and
:func:`arcs` (pieces of circles for the wedges and end caps of buffers).
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import shapely
from numpy.typing import NDArray

from rangemap.errors import RangemapError
from rangemap.geodesy._curves import (
    first_azimuths,
    min_vertex_counts,
    refine_arcs,
    refine_circles,
    refine_closed,
)
from rangemap.geodesy._ellipsoid import (
    GEOD,
    FloatArray,
    inv,
    wrap180,
)
from rangemap.geodesy._planar import (
    WORLD,
    Areal,
    _crossing_lat,
    keep_polygons,
    region_left_of,
)
from rangemap.units import MAX_DISTANCE_M

__all__ = ["arcs", "circle_curve", "disc", "discs"]

# Below this radius every geodesic from the centre is still the shortest path (the cut
# locus of a point on WGS84 starts no nearer than pi * b, 19,970 km); above it the ring
# is found around the antipode instead. 10 km margin.
_CUT_LOCUS_SAFE_M = math.pi * GEOD.b - 10_000.0


def circle_curve(lon0: float, lat0: float, radius_m: float, tol: float) -> FloatArray:
    """Return the (n, 2) vertices of the curve at ``radius_m`` from a centre.

    They are ordered so that the points within ``radius_m`` lie on the left.
    """
    if radius_m <= _CUT_LOCUS_SAFE_M:
        first = first_azimuths(np.array([lat0], dtype=float), radius_m, tol)
        _, lon, lat = refine_circles(np.array([lon0]), np.array([lat0]), radius_m, first, tol)
        # Increasing azimuth runs clockwise around the centre: reverse it.
        return np.column_stack([lon[::-1], lat[::-1]])
    return _curve_from_antipode(lon0, lat0, radius_m, tol)


def _curve_from_antipode(lon0: float, lat0: float, radius_m: float, tol: float) -> FloatArray:
    """Return the curve at ``radius_m`` from a centre, found around the centre's antipode.

    Near the antipode geodesics from the centre stop being shortest, so the curve is
    found from the antipode outward: along each bearing, the point whose distance from
    the centre is ``radius_m`` (distance falls monotonically away from the antipode).
    """
    centre_lon, centre_lat = np.asarray(lon0), np.asarray(lat0)
    alon = wrap180(np.asarray(lon0 + 180.0))
    alat = np.asarray(-lat0)
    gap = MAX_DISTANCE_M - radius_m

    def error_at(lon: FloatArray, lat: FloatArray) -> FloatArray:
        return np.abs(inv(centre_lon, centre_lat, lon, lat)[2] - radius_m)

    def from_antipode(bearing: FloatArray) -> tuple[FloatArray, FloatArray]:
        return _root_along(bearing, alon, alat, centre_lon, centre_lat, radius_m, gap)

    # Increasing bearing runs clockwise around the antipode, so the far side (beyond
    # radius_m) is on the right and the reach on the left, as wanted.
    _, lon, lat = refine_closed(from_antipode, error_at, 32, tol)
    return np.column_stack([lon, lat])


def _root_along(
    bearing: FloatArray,
    alon: FloatArray,
    alat: FloatArray,
    lon0: FloatArray,
    lat0: FloatArray,
    radius_m: float,
    gap: float,
) -> tuple[FloatArray, FloatArray]:
    """Return the points, along bearings from the antipode, at ``radius_m`` from the centre.

    Solves for the distance ``s`` from the antipode for all bearings at once: Newton
    steps, whose slope is the cosine between the bearing's geodesic and the geodesic
    from the centre where they meet, inside a bracket that halves whenever a step would
    leave it (the distance from the centre falls monotonically along each bearing).
    Stops when every point is within a micrometre of ``radius_m``, or the brackets are
    as narrow as a double can tell.
    """
    lo = np.zeros(bearing.size)
    hi = np.full(bearing.size, 2.0 * gap + 300_000.0)
    s = np.full(bearing.size, gap)  # exact on a sphere
    last = np.full(bearing.size, np.inf)
    for _ in range(200):
        plon, plat, paz = GEOD.fwd(
            np.broadcast_to(alon, bearing.shape).astype(float),
            np.broadcast_to(alat, bearing.shape).astype(float),
            bearing,
            s,
            return_back_azimuth=False,
        )
        _, back, dist = GEOD.inv(
            np.broadcast_to(lon0, bearing.shape).astype(float),
            np.broadcast_to(lat0, bearing.shape).astype(float),
            plon,
            plat,
        )
        miss = np.asarray(dist, dtype=float) - radius_m
        far = miss > 0.0
        lo = np.where(far, s, lo)
        hi = np.where(far, hi, s)
        done = (np.abs(miss) <= 1e-6) | (hi - lo <= 4.0 * np.spacing(hi))
        if done.all():
            return np.asarray(plon, dtype=float), np.asarray(plat, dtype=float)
        # d(distance from centre)/ds: minus the cosine between the bearing's geodesic and
        # the one from the centre at the point (``back`` points back to the centre)
        slope = -np.cos(np.radians(np.asarray(paz) - np.asarray(back)))
        with np.errstate(divide="ignore", invalid="ignore"):
            step = s - miss / slope
        # a step that leaves the bracket, or did not halve the miss, is a bisection
        newton = np.isfinite(step) & (step > lo) & (step < hi) & (np.abs(miss) < 0.5 * last)
        last = np.abs(miss)
        s = np.where(done, s, np.where(newton, step, 0.5 * (lo + hi)))
    msg = "internal error: the ring near the antipodal distance did not converge."
    raise RangemapError(msg)


def disc(lon0: float, lat0: float, r: float, tol: float) -> Areal:
    """Return everything within ``r`` metres of (lon0, lat0) as RFC 7946 polygons.

    The polygon :func:`discs` gives for this one centre; near the antipodal distance,
    the region left of the curve found from the antipode.
    """
    if r >= MAX_DISTANCE_M - 1e-6:
        return shapely.orient_polygons(WORLD)
    if r > _CUT_LOCUS_SAFE_M:
        return keep_polygons(region_left_of(circle_curve(lon0, lat0, r, tol)))
    # a plain polygon, as discs() makes it, without its bookkeeping for many circles
    curve = circle_curve(lon0, lat0, r, tol)
    lon = curve[:, 0]
    if np.abs(np.diff(lon, append=lon[:1])).max() < 180.0 and np.abs(lon).max() <= 180.0 - 1e-9:
        ring = shapely.linearrings(curve)
        poly = shapely.polygons(ring)
        if shapely.is_ccw(ring) and shapely.is_valid(poly) and shapely.area(poly) > 0.0:
            return poly
    return _shapes(np.zeros(lon.size, dtype=np.intp), lon, curve[:, 1], 1)[0]


def discs(xy: FloatArray, r: float, tol: float) -> list[Areal]:
    """Return :func:`disc` around every centre of an (n, 2) lon/lat array, in one pass.

    The circles are sampled together (:func:`~rangemap.geodesy._curves.refine_circles`:
    one direct problem for all first vertices, then one per pass for the edges still
    to check). A circle that neither crosses nor touches ±180 and, drawn
    counter-clockwise, is a valid polygon is that polygon; one that holds a pole and
    crosses ±180 once is closed along ±180 through the pole (what
    :func:`~rangemap.geodesy._planar.region_left_of` would return, without its work).
    Both kinds are built in one vectorised call each; the others go through
    ``region_left_of`` one by one.
    """
    n = xy.shape[0]
    if n == 0:
        return []
    if r >= MAX_DISTANCE_M - 1e-6 or r > _CUT_LOCUS_SAFE_M:
        return [disc(float(lon), float(lat), r, tol) for lon, lat in xy]
    lon = np.ascontiguousarray(xy[:, 0], dtype=float)
    lat = np.ascontiguousarray(xy[:, 1], dtype=float)
    ids, vlon, vlat = refine_circles(lon, lat, r, first_azimuths(lat, r, tol), tol)
    counts = np.bincount(ids, minlength=n)
    starts = np.cumsum(counts) - counts
    ends = starts + counts - 1
    # each circle reversed: increasing azimuth runs clockwise around the centre
    rev = starts[ids] + ends[ids] - np.arange(ids.size)
    return _shapes(ids, vlon[rev], vlat[rev], n)


def _shapes(ids: NDArray[np.intp], vlon: FloatArray, vlat: FloatArray, n: int) -> list[Areal]:
    """Turn ``n`` counter-clockwise circles (vertices grouped by circle) into polygons."""
    counts = np.bincount(ids, minlength=n)
    starts = np.cumsum(counts) - counts
    ends = starts + counts - 1
    # circles that cross ±180 (an edge, the closing one included, spans 180 degrees or
    # more) or touch it are not plain polygons
    nxt = np.arange(ids.size) + 1
    nxt[ends] = starts
    cross = np.abs(vlon[nxt] - vlon) >= 180.0
    touch = np.abs(vlon) > 180.0 - 1e-9
    n_cross = np.bincount(ids, weights=cross, minlength=n)
    n_touch = np.bincount(ids, weights=touch, minlength=n)
    out: list[Areal | None] = [None] * n
    plain = (n_cross == 0) & (n_touch == 0)
    if plain.any():
        keep = plain[ids]
        which, dense = np.unique(ids[keep], return_inverse=True)
        rings = shapely.linearrings(np.column_stack([vlon[keep], vlat[keep]]), indices=dense)
        _accept(out, which, shapely.polygons(rings), rings)
    polar = (n_cross == 1) & (n_touch == 0)
    if polar.any():
        which = np.flatnonzero(polar)
        j = np.flatnonzero(cross & polar[ids])  # the crossing edge of each, in order
        rings = _polar_rings(j, starts[which], counts[which], vlon, vlat)
        _accept(out, which, shapely.polygons(rings), rings)
    for i in range(n):
        if out[i] is None:
            sl = slice(int(starts[i]), int(ends[i]) + 1)
            out[i] = keep_polygons(region_left_of(np.column_stack([vlon[sl], vlat[sl]])))
    return [p for p in out if p is not None]


def _accept(
    out: list[Areal | None], which: NDArray[np.intp], polys: NDArray[Any], rings: NDArray[Any]
) -> None:
    """Keep the polygons that are valid, counter-clockwise and not empty."""
    good = shapely.is_valid(polys) & shapely.is_ccw(rings) & (shapely.area(polys) > 0.0)
    for i, poly in zip(which[good], polys[good], strict=True):
        out[int(i)] = poly


def _polar_rings(
    j: NDArray[np.intp],
    start: NDArray[np.intp],
    c: NDArray[np.intp],
    vlon: FloatArray,
    vlat: FloatArray,
) -> NDArray[Any]:
    """Close circles that cross ±180 once along ±180 through the pole they hold.

    Crossing ±180 once, a closed curve winds once around the globe: eastwards (from
    +180 to -180 at its crossing) around the North Pole, which is then on its left,
    westwards around the South Pole. Each ring starts where the curve leaves ±180,
    follows its vertices, meets ±180 again on the other side at the same latitude and
    closes through the pole; the crossing's latitude is computed as
    :func:`~rangemap.geodesy._planar.region_left_of` computes it. ``j`` is the
    crossing edge of each circle (from vertex ``j`` to the next), ``start`` and ``c``
    where its vertices start in ``vlon``/``vlat`` and how many there are.
    """
    size = c + 4  # the curve, its two ends on ±180 and two corners at the pole
    first = np.concatenate([[0], np.cumsum(size)[:-1]])
    local = j - start
    k = start + (local + 1) % c
    east = vlon[j] > vlon[k]  # +180 to -180: eastwards, around the North Pole
    side = np.where(east, 1.0, -1.0)
    cut = _crossing_lat(vlon[j], vlat[j], vlon[k], vlat[k])
    total = int(size.sum())
    xy = np.empty((total, 2))
    ring_id = np.repeat(np.arange(c.size), size)
    pos = np.arange(total) - first[ring_id]
    curve = (pos >= 1) & (pos <= c[ring_id])
    src = start[ring_id] + (local[ring_id] + pos) % c[ring_id]
    xy[curve, 0] = vlon[src[curve]]
    xy[curve, 1] = vlat[src[curve]]
    xy[first, 0] = -180.0 * side
    xy[first, 1] = cut
    after = first + c
    xy[after + 1, 0] = 180.0 * side
    xy[after + 1, 1] = cut
    xy[after + 2, 0] = 180.0 * side
    xy[after + 2, 1] = 90.0 * side
    xy[after + 3, 0] = -180.0 * side
    xy[after + 3, 1] = 90.0 * side
    rings: NDArray[Any] = shapely.linearrings(xy, indices=ring_id)
    return rings


def arcs(
    lon: FloatArray,
    lat: FloatArray,
    az_from: FloatArray,
    az_to: FloatArray,
    d: float,
    tol: float,
) -> list[FloatArray]:
    """Return the inner points of circle arcs around (lon, lat), to the tolerance.

    Each arc runs from ``az_from`` to ``az_to`` (larger). Each starts evenly split,
    as finely as :func:`~rangemap.geodesy._curves.min_vertices` says for a full circle
    at its own latitude, and is refined like a circle
    (:func:`~rangemap.geodesy._curves.refine_arcs`: edges checked against the model of
    their curve, and only the edges just split checked again). Returns one (m_i, 2)
    array per arc, in increasing azimuth, without its two ends.
    """
    n = lon.size
    if n == 0:
        return []
    # the first vertices: each arc split evenly, its two ends included
    span = az_to - az_from
    first = min_vertex_counts(d, tol, lat)
    counts = np.maximum(np.ceil(span / 360.0 * first), 1).astype(int)
    ids = np.repeat(np.arange(n), counts + 1)
    start = np.concatenate([[0], np.cumsum(counts + 1)[:-1]])
    k = np.arange(ids.size) - start[ids]
    az: FloatArray = az_from[ids] + k / counts[ids] * span[ids]
    edge = np.flatnonzero(k < counts[ids])  # every vertex but each arc's last
    ends = np.stack([edge, edge + 1])
    out_id, _, plon, plat = refine_arcs(lon, lat, d, ids, az, ends, az[edge + 1], tol)
    # without the two ends of each arc
    per = np.bincount(out_id, minlength=n)
    lo = np.concatenate([[0], np.cumsum(per)[:-1]])
    inner = np.ones(out_id.size, dtype=bool)
    inner[lo] = False
    inner[lo + per - 1] = False
    pts = np.column_stack([plon[inner], plat[inner]])
    split = np.cumsum(per - 2)[:-1]
    return list(np.split(pts, split))
