"""Exact geodesic distances from points to lines and territory boundaries.

This module owns :func:`nearest_on`: for each point, the nearest point of a geometry's
lines, polygon boundaries and points on the WGS84 ellipsoid, and the geodesic distance
to it (0 inside a polygon).

Edges are straight in longitude/latitude, as in GeoJSON and as :func:`shapely.contains`
and :func:`rangemap.geodesy.buffer` read them, so a city on the boundary of a buffer of
``d`` metres is ``d`` metres from the source (to the buffer's tolerance). Edges of a
polygon that run along ±180 or along a pole line are where RFC 7946 cut the territory,
not where it ends: they are not boundary and nothing is measured to them.

The method, in three stages:

1. *Spherical prefilter.* Edges are split into pieces short enough that the distance
   from any point nearer than their unimodality limit has a single minimum along each
   piece (see ``_max_piece_m``). Spherical distances to every piece end give, for each
   point, a lower bound on the geodesic distance to every piece (triangle inequality:
   no point of a piece is nearer than ``(d_A + d_B - length) / 2``) and an upper bound
   on the distance to the whole geometry (its nearest vertex). A sphere differs from
   the ellipsoid by well under 1 % (``_SPHERE_SLACK``), so pieces whose lower bound is
   above the upper bound are dropped safely.
2. *Exact vertex bounds.* For the pieces left, the same bounds with exact geodesic
   distances (Karney, ``pyproj.Geod``) to their ends; usually two or three pieces
   per point remain.
3. *Exact foot point.* On each remaining piece, the parameter ``t`` of the nearest
   point is found by a safeguarded Newton iteration on the first variation of the
   geodesic distance, ``df/ds = -cos(az_to_P - az_edge)``: the step is the spherical
   intercept ``R atan2(sin(d/R) cos A, cos(d/R))`` (exact on a sphere, and converging
   fast on the ellipsoid), kept inside a bracket of the sign change of ``df/ds`` and
   replaced by bisection when it would leave it, until the step is below 0.1 mm.
   The distance at a minimum is insensitive to the foot's position to first order, so
   the result is the geodesic distance to the nearest point of the edge to far below
   a millimetre.
"""

from __future__ import annotations

from typing import TypeAlias

import numpy as np
import shapely
from numpy.typing import NDArray
from shapely.geometry import LineString, Point, Polygon
from shapely.geometry.base import BaseGeometry

from rangemap.geodesy._ellipsoid import GEOD, FloatArray, inv

IntArray: TypeAlias = NDArray[np.intp]

__all__ = ["nearest_on"]

_SPHERE_M = 6_371_008.8
#: |geodesic - spherical| <= 1 % of the spherical distance + 1 km (the true gap is
#: under 0.6 %: the meridional and transverse radii stay within 6,335-6,400 km).
_SPHERE_SLACK = (1.01, 1_000.0)
_A = GEOD.a
_E2 = GEOD.es
#: Longest piece an edge is split into, whatever its curvature.
_MAX_PIECE_M = 100_000.0
#: Stop when the Newton step along the edge is shorter than this (metres).
_STEP_M = 1e-4
#: Memory budget of the prefilter: cells of (points x vertices) per batch.
_BATCH_CELLS = 2_000_000


def _paths(geom: BaseGeometry) -> tuple[list[FloatArray], list[FloatArray], list[Polygon]]:
    """Return the open paths, the polygon rings and the polygons of a geometry."""
    lines: list[FloatArray] = []
    rings: list[FloatArray] = []
    polys: list[Polygon] = []
    points: list[FloatArray] = []
    for part in shapely.get_parts(geom):
        if isinstance(part, Point):
            points.append(np.asarray(part.coords, dtype=float)[:, :2])
        elif isinstance(part, LineString):
            lines.append(np.asarray(part.coords, dtype=float)[:, :2])
        elif isinstance(part, Polygon):
            polys.append(part)
            for ring in [part.exterior, *part.interiors]:
                rings.append(np.asarray(ring.coords, dtype=float)[:, :2])
        else:
            sub_lines, sub_rings, sub_polys = _paths(part)
            lines += sub_lines
            rings += sub_rings
            polys += sub_polys
    # A point is a path of one vertex: a piece of no length.
    lines += [np.vstack([p, p]) for p in points]
    return lines, rings, polys


def _edges(geom: BaseGeometry) -> tuple[FloatArray, FloatArray, list[Polygon]]:
    """Return the start and end (lon, lat) of every real edge, and the polygons."""
    lines, rings, polys = _paths(geom)
    starts: list[FloatArray] = []
    ends: list[FloatArray] = []
    for path in lines:
        if path.shape[0] == 1:
            path = np.vstack([path, path])
        same = np.all(path[1:] == path[:-1], axis=1)
        keep = ~same if not same.all() else np.eye(1, same.size, dtype=bool)[0]
        starts.append(path[:-1][keep])
        ends.append(path[1:][keep])
    for path in rings:
        a, b = path[:-1], path[1:]
        # Cut edges: along ±180 (where RFC 7946 splits a territory) or along a pole
        # line (where a territory around a pole is closed); and repeated vertices.
        cut = (np.abs(a[:, 0]) == 180.0) & (np.abs(b[:, 0]) == 180.0)
        cut |= (np.abs(a[:, 1]) == 90.0) & (np.abs(b[:, 1]) == 90.0)
        cut |= np.all(a == b, axis=1)
        starts.append(a[~cut])
        ends.append(b[~cut])
    if not starts:
        empty = np.empty((0, 2))
        return empty, empty, polys
    return np.concatenate(starts), np.concatenate(ends), polys


def _max_piece_m(lat_a: FloatArray, lat_b: FloatArray) -> FloatArray:
    """Longest piece of a straight lon/lat edge kept whole, in metres.

    A straight lon/lat line bends (geodesic curvature) by at most
    ``1.5 tan|lat| / R`` (a parallel bends by ``tan|lat| / R``; the change of azimuth
    of an oblique line adds at most 0.385 of that). A tenth of the radius of curvature
    keeps the piece's length within 0.05 % of its chord, which the bounds use.
    """
    top = np.radians(np.minimum(np.maximum(np.abs(lat_a), np.abs(lat_b)), 89.999))
    kappa = (1.5 * np.tan(top) + 0.01) / _SPHERE_M
    return np.minimum(0.1 / kappa, _MAX_PIECE_M)


def _pieces(a: FloatArray, b: FloatArray) -> tuple[FloatArray, FloatArray, FloatArray]:
    """Split edges into pieces; return piece starts, ends and a bound on their lengths."""
    if a.shape[0] == 0:
        return a, b, np.empty(0)
    _, _, chord = inv(a[:, 0], a[:, 1], b[:, 0], b[:, 1])
    n = np.maximum(np.ceil(chord / _max_piece_m(a[:, 1], b[:, 1])), 1).astype(np.intp)
    i = np.repeat(np.arange(n.size), n)
    k = np.concatenate([np.arange(m) for m in n])
    t0 = (k / n[i])[:, None]
    t1 = ((k + 1) / n[i])[:, None]
    d = b - a
    pa = a[i] + t0 * d[i]
    pb = a[i] + t1 * d[i]
    pb[k == n[i] - 1] = b[i[k == n[i] - 1]]
    _, _, piece = inv(pa[:, 0], pa[:, 1], pb[:, 0], pb[:, 1])
    # The curve is at most 0.05 % longer than its chord (see _max_piece_m).
    return pa, pb, piece * 1.001 + 1e-3


def _sphere(lon1: FloatArray, lat1: FloatArray, lon2: FloatArray, lat2: FloatArray) -> FloatArray:
    """Great-circle distance in metres (haversine), broadcasting."""
    p1, p2 = np.radians(lat1), np.radians(lat2)
    hav = (
        np.sin((p2 - p1) / 2) ** 2
        + np.cos(p1) * np.cos(p2) * np.sin(np.radians(lon2 - lon1) / 2) ** 2
    )
    return np.asarray(2 * _SPHERE_M * np.arcsin(np.sqrt(np.clip(hav, 0.0, 1.0))), dtype=float)


def _candidates(
    lon: FloatArray, lat: FloatArray, pa: FloatArray, pb: FloatArray, length: FloatArray
) -> tuple[IntArray, IntArray]:
    """Return (point, piece) index pairs that may hold a point's nearest boundary point."""
    factor, extra = _SPHERE_SLACK
    per_batch = max(1, _BATCH_CELLS // max(1, 2 * pa.shape[0]))
    points: list[IntArray] = []
    pieces: list[IntArray] = []
    for start in range(0, lon.size, per_batch):
        sl = slice(start, start + per_batch)
        x, y = lon[sl, None], lat[sl, None]
        sa = _sphere(x, y, pa[None, :, 0], pa[None, :, 1])
        sb = _sphere(x, y, pb[None, :, 0], pb[None, :, 1])
        upper = factor * np.minimum(sa.min(axis=1), sb.min(axis=1)) + extra
        lower = 0.5 * ((sa - extra) / factor + (sb - extra) / factor - length[None, :])
        i, j = np.nonzero(lower <= upper[:, None])
        points.append((i + start).astype(np.intp))
        pieces.append(j.astype(np.intp))
    return np.concatenate(points), np.concatenate(pieces)


def _direction(
    lat: FloatArray, dlon: FloatArray, dlat: FloatArray
) -> tuple[FloatArray, FloatArray]:
    """Azimuth (degrees) and speed (metres per unit t) of a straight lon/lat edge."""
    phi = np.radians(lat)
    w = np.sqrt(1.0 - _E2 * np.sin(phi) ** 2)
    east = (_A / w) * np.cos(phi) * np.radians(dlon)
    north = (_A * (1.0 - _E2) / w**3) * np.radians(dlat)
    return np.degrees(np.arctan2(east, north)), np.hypot(east, north)


def _foot(
    px: FloatArray, py: FloatArray, pa: FloatArray, pb: FloatArray
) -> tuple[FloatArray, FloatArray, FloatArray]:
    """Distance from each point to its piece, and the nearest point (lon, lat)."""
    d = pb - pa

    def at(t: FloatArray, idx: IntArray) -> tuple[FloatArray, FloatArray, FloatArray, FloatArray]:
        """Point, distance to P, cos(angle between edge and the way to P), speed."""
        x = pa[idx] + t[:, None] * d[idx]
        az, _, dist = inv(x[:, 0], x[:, 1], px[idx], py[idx])
        beta, speed = _direction(x[:, 1], d[idx, 0], d[idx, 1])
        return x, dist, np.cos(np.radians(az - beta)), speed

    n = px.size
    every = np.arange(n)
    x0, f0, g0, _ = at(np.zeros(n), every)
    x1, f1, g1, _ = at(np.ones(n), every)
    best = np.where((f1 < f0)[:, None], x1, x0)
    fbest = np.minimum(f0, f1)
    # An interior minimum is bracketed where the distance falls at the start (P ahead)
    # and rises at the end (P behind).
    inner = np.flatnonzero((g0 > 0.0) & (g1 < 0.0) & (f0 > 0.0) & (f1 > 0.0))
    lo = np.zeros(inner.size)
    hi = np.ones(inner.size)
    t = np.full(inner.size, 0.5)
    _, _, _, speed0 = at(lo, inner)
    # First guess: the intercept step from the start.
    c0 = f0[inner] / _SPHERE_M
    step0 = _SPHERE_M * np.arctan2(np.sin(c0) * g0[inner], np.cos(c0))
    with np.errstate(divide="ignore", invalid="ignore"):
        guess = step0 / speed0
    ok = np.isfinite(guess) & (guess > 0.0) & (guess < 1.0)
    t[ok] = guess[ok]
    prev_t = np.full(inner.size, np.nan)
    prev_g = np.full(inner.size, np.nan)
    live = np.arange(inner.size)
    for _ in range(80):
        if live.size == 0:
            break
        idx = inner[live]
        x, f, g, speed = at(t[live], idx)
        better = f < fbest[idx]
        fbest[idx[better]] = f[better]
        best[idx[better]] = x[better]
        ahead = g > 0.0
        lo[live[ahead]] = t[live[ahead]]
        hi[live[~ahead]] = t[live[~ahead]]
        c = f / _SPHERE_M
        step_m = _SPHERE_M * np.arctan2(np.sin(c) * g, np.cos(c))
        with np.errstate(divide="ignore", invalid="ignore"):
            # The intercept step assumes the edge is a geodesic; where it bends (near a
            # pole) the secant through the last two iterates corrects for the bend.
            new = t[live] + step_m / speed
            secant = t[live] - g * (t[live] - prev_t[live]) / (g - prev_g[live])
        new = np.where(np.isfinite(secant), secant, new)
        prev_t[live] = t[live]
        prev_g[live] = g
        inside = np.isfinite(new) & (new > lo[live]) & (new < hi[live])
        new = np.where(inside, new, 0.5 * (lo[live] + hi[live]))
        moved_m = np.abs(new - t[live]) * speed
        span_m = (hi[live] - lo[live]) * speed
        t[live] = new
        done = (moved_m < _STEP_M) | (span_m < _STEP_M) | (f == 0.0)
        if done.any():
            # Evaluate the last step before leaving.
            fin = live[done]
            xf, ff, _, _ = at(t[fin], inner[fin])
            better = ff < fbest[inner[fin]]
            fbest[inner[fin][better]] = ff[better]
            best[inner[fin][better]] = xf[better]
        live = live[~done]
    return fbest, best[:, 0], best[:, 1]


def nearest_on(
    geom: BaseGeometry, lon: FloatArray, lat: FloatArray
) -> tuple[FloatArray, FloatArray, FloatArray]:
    """Geodesic distance from each point to a checked geometry, and the nearest point.

    Points inside or on a polygon get distance 0 and themselves as nearest point.
    """
    n = lon.size
    dist = np.full(n, np.inf)
    near_lon = np.full(n, np.nan)
    near_lat = np.full(n, np.nan)
    a, b, polys = _edges(geom)
    todo = np.arange(n)
    if polys:
        area = shapely.union_all(polys) if len(polys) > 1 else polys[0]
        shapely.prepare(area)
        inside = shapely.intersects_xy(area, lon, lat)
        dist[inside] = 0.0
        near_lon[inside] = lon[inside]
        near_lat[inside] = lat[inside]
        todo = np.flatnonzero(~inside)
    if todo.size == 0 or a.shape[0] == 0:
        return dist, near_lon, near_lat
    pa, pb, length = _pieces(a, b)
    pt, piece = _candidates(lon[todo], lat[todo], pa, pb, length)
    # Exact bounds from the ends of the candidate pieces.
    px, py = lon[todo][pt], lat[todo][pt]
    _, _, ga = inv(pa[piece, 0], pa[piece, 1], px, py)
    _, _, gb = inv(pb[piece, 0], pb[piece, 1], px, py)
    upper = np.full(todo.size, np.inf)
    np.minimum.at(upper, pt, np.minimum(ga, gb))
    lower = 0.5 * (ga + gb - length[piece])
    keep = lower <= upper[pt] + 1e-6
    pt, piece, px, py = pt[keep], piece[keep], px[keep], py[keep]
    f, flon, flat = _foot(px, py, pa[piece], pb[piece])
    # The nearest piece of each point, the first among equals.
    order = np.lexsort((piece, f, pt))
    first = np.ones(order.size, dtype=bool)
    first[1:] = pt[order][1:] != pt[order][:-1]
    chosen = order[first]
    rows = todo[pt[chosen]]
    dist[rows] = f[chosen]
    near_lon[rows] = flon[chosen]
    near_lat[rows] = flat[chosen]
    return dist, near_lon, near_lat
