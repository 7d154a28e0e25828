"""Geodesic circles: the boundary at a distance from a point, and the disc inside it.

This module owns :func:`circle_curve` (the closed curve at ``radius_m`` from a centre,
found from the antipode where geodesics from the centre stop being shortest),
:func:`disc` (everything within ``radius_m`` as RFC 7946 polygons, what :func:`ring`
returns), :func:`discs` (the same around many centres in one vectorised pass) and
:func:`arcs` (pieces of circles for the wedges and end caps of buffers).
"""

from __future__ import annotations

import math

import numpy as np
import shapely

from rangemap.errors import InputError, RangemapError
from rangemap.geodesy._curves import edge_samples, min_vertices, refine_circles, refine_closed
from rangemap.geodesy._ellipsoid import (
    GEOD,
    MAX_VERTICES,
    SAFETY,
    FloatArray,
    fwd,
    inv,
    wrap180,
)
from rangemap.geodesy._planar import WORLD, Areal, keep_polygons, region_left_of
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
        n0 = np.array([min_vertices(radius_m, tol, lat0)])
        _, lon, lat = refine_circles(np.array([lon0]), np.array([lat0]), radius_m, n0, tol)
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

    A circle that neither crosses nor touches ±180 and, drawn counter-clockwise, is a
    valid polygon is that polygon (what :func:`~rangemap.geodesy._planar.region_left_of`
    would return, without its work); others go through ``region_left_of``.
    """
    if r >= MAX_DISTANCE_M - 1e-6:
        return shapely.orient_polygons(WORLD)
    curve = circle_curve(lon0, lat0, r, tol)
    lon = curve[:, 0]
    if (
        r <= _CUT_LOCUS_SAFE_M
        and np.abs(np.diff(lon, append=lon[:1])).max() < 180.0
        and np.abs(lon).max() <= 180.0 - 1e-9
    ):
        ring = shapely.linearrings(curve)
        poly = shapely.polygons(ring)
        if shapely.is_ccw(ring) and shapely.is_valid(poly) and shapely.area(poly) > 0.0:
            return poly
    return keep_polygons(region_left_of(curve))


def discs(xy: FloatArray, r: float, tol: float) -> list[Areal]:
    """Return :func:`disc` around every centre of an (n, 2) lon/lat array, in one pass.

    The circles are sampled together (:func:`~rangemap.geodesy._curves.refine_circles`:
    one direct problem for all first vertices, then one per pass for the edges still
    to check) and every circle that neither crosses ±180 nor holds a pole becomes a
    polygon in one vectorised call; the others go through
    :func:`~rangemap.geodesy._planar.region_left_of` one by one. Each result is the
    very polygon :func:`disc` returns for its centre.
    """
    n = xy.shape[0]
    if n == 0:
        return []
    if r >= MAX_DISTANCE_M - 1e-6 or r > _CUT_LOCUS_SAFE_M:
        return [disc(float(lon), float(lat), r, tol) for lon, lat in xy]
    lon = np.ascontiguousarray(xy[:, 0], dtype=float)
    lat = np.ascontiguousarray(xy[:, 1], dtype=float)
    n0 = np.array([min_vertices(r, tol, float(v)) for v in lat])
    ids, vlon, vlat = refine_circles(lon, lat, r, n0, tol)
    counts = np.bincount(ids, minlength=n)
    starts = np.concatenate([[0], np.cumsum(counts)[:-1]])
    ends = starts + counts - 1
    # each circle reversed: increasing azimuth runs clockwise around the centre
    rev = starts[ids] + ends[ids] - np.arange(ids.size)
    vlon, vlat = vlon[rev], vlat[rev]
    # circles that cross ±180 (an edge, the closing one included, spans 180 degrees or
    # more) or touch it go through region_left_of
    nxt = np.arange(ids.size) + 1
    nxt[ends] = starts
    seam = (np.abs(vlon[nxt] - vlon) >= 180.0) | (np.abs(vlon) > 180.0 - 1e-9)
    plain = np.bincount(ids, weights=seam, minlength=n) == 0
    out: list[Areal | None] = [None] * n
    keep = plain[ids]
    if keep.any():
        which, dense = np.unique(ids[keep], return_inverse=True)
        rings = shapely.linearrings(np.column_stack([vlon[keep], vlat[keep]]), indices=dense)
        polys = shapely.polygons(rings)
        good = shapely.is_valid(polys) & shapely.is_ccw(rings) & (shapely.area(polys) > 0.0)
        for i, poly in zip(which[good], polys[good], strict=True):
            out[int(i)] = poly
    for i in range(n):
        if out[i] is None:
            sel = ids == i
            curve = np.column_stack([vlon[sel], vlat[sel]])
            out[i] = keep_polygons(region_left_of(curve))
    return [p for p in out if p is not None]


def arcs(
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
    first = min_vertices(d, tol, float(np.max(np.abs(lat))))
    span = az_to - az_from
    counts = np.maximum(np.ceil(span / 360.0 * first), 1).astype(int)
    ids = np.repeat(np.arange(n), counts)
    frac = np.concatenate([np.arange(c) / c for c in counts])
    a0 = az_from[ids] + frac * span[ids]
    a1 = a0 + (span / counts)[ids]
    limit = tol * SAFETY
    for _ in range(60):
        p0 = fwd(lon[ids], lat[ids], a0, d)
        p1 = fwd(lon[ids], lat[ids], a1, d)
        err = np.zeros(a0.size)
        for slon, slat in edge_samples(p0[0], p0[1], p1[0], p1[1]):
            err = np.maximum(err, np.abs(inv(lon[ids], lat[ids], slon, slat)[2] - d))
        bad = err > limit
        if not bad.any():
            break
        mid = 0.5 * (a0[bad] + a1[bad])
        ids = np.concatenate([ids[~bad], ids[bad], ids[bad]])
        a0, a1 = (
            np.concatenate([a0[~bad], a0[bad], mid]),
            np.concatenate([a1[~bad], mid, a1[bad]]),
        )
        if a0.size > MAX_VERTICES:
            msg = f"the buffer needs more than {MAX_VERTICES:,} vertices; use a larger tolerance_m."
            raise InputError(msg)
    order = np.lexsort((a0, ids))
    ids, a0 = ids[order], a0[order]
    inner = np.ones(a0.size, dtype=bool)
    starts = np.concatenate([[0], np.flatnonzero(np.diff(ids)) + 1])
    inner[starts] = False  # a0 of each arc's first edge is the arc's start point
    plon, plat = fwd(lon[ids[inner]], lat[ids[inner]], a0[inner], d)
    pts = np.column_stack([plon, plat])
    split = np.searchsorted(ids[inner], np.arange(1, n))
    return list(np.split(pts, split))
