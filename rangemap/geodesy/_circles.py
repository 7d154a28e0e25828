"""Geodesic circles: the boundary at a distance from a point, and the disc inside it.

This module owns :func:`circle_curve` (the closed curve at ``radius_m`` from a centre,
found from the antipode where geodesics from the centre stop being shortest),
:func:`disc` (everything within ``radius_m`` as RFC 7946 polygons, what :func:`ring`
returns) and :func:`arcs` (pieces of circles for the wedges and end caps of buffers).
"""

from __future__ import annotations

import math

import numpy as np
import shapely

from rangemap.errors import InputError
from rangemap.geodesy._curves import edge_samples, min_vertices, refine_closed
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

__all__ = ["arcs", "circle_curve", "disc"]

# Below this radius every geodesic from the centre is still the shortest path (the cut
# locus of a point on WGS84 starts no nearer than pi * b, 19,970 km); above it the ring
# is found around the antipode instead. 10 km margin.
_CUT_LOCUS_SAFE_M = math.pi * GEOD.b - 10_000.0


def circle_curve(lon0: float, lat0: float, radius_m: float, tol: float) -> FloatArray:
    """Return the (n, 2) vertices of the curve at ``radius_m`` from a centre.

    They are ordered so that the points within ``radius_m`` lie on the left.
    """

    def error_at(lon: FloatArray, lat: FloatArray) -> FloatArray:
        return np.abs(inv(np.asarray(lon0), np.asarray(lat0), lon, lat)[2] - radius_m)

    if radius_m <= _CUT_LOCUS_SAFE_M:

        def from_centre(az: FloatArray) -> tuple[FloatArray, FloatArray]:
            return fwd(np.asarray(lon0), np.asarray(lat0), az, radius_m)

        n0 = min_vertices(radius_m, tol, lat0)
        _, lon, lat = refine_closed(from_centre, error_at, n0, tol)
        # Increasing azimuth runs clockwise around the centre: reverse it.
        return np.column_stack([lon[::-1], lat[::-1]])

    # Near the antipode geodesics from the centre stop being shortest, so the curve is
    # found from the antipode outward: along each bearing, the point whose distance
    # from the centre is radius_m (distance falls monotonically away from the antipode).
    alon = float(wrap180(np.asarray(lon0 + 180.0)))
    alat = -lat0
    gap = MAX_DISTANCE_M - radius_m

    def from_antipode(bearing: FloatArray) -> tuple[FloatArray, FloatArray]:
        lo = np.zeros(bearing.size)
        hi = np.full(bearing.size, 2.0 * gap + 300_000.0)
        for _ in range(64):
            mid = 0.5 * (lo + hi)
            mlon, mlat = fwd(np.asarray(alon), np.asarray(alat), bearing, mid)
            far = inv(np.asarray(lon0), np.asarray(lat0), mlon, mlat)[2] > radius_m
            lo = np.where(far, mid, lo)
            hi = np.where(far, hi, mid)
        return fwd(np.asarray(alon), np.asarray(alat), bearing, 0.5 * (lo + hi))

    # Increasing bearing runs clockwise around the antipode, so the far side (beyond
    # radius_m) is on the right and the reach on the left, as wanted.
    _, lon, lat = refine_closed(from_antipode, error_at, 32, tol)
    return np.column_stack([lon, lat])


def disc(lon0: float, lat0: float, r: float, tol: float) -> Areal:
    """Return everything within ``r`` metres of (lon0, lat0) as RFC 7946 polygons."""
    if r >= MAX_DISTANCE_M - 1e-6:
        return shapely.orient_polygons(WORLD)
    return keep_polygons(region_left_of(circle_curve(lon0, lat0, r, tol)))


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
