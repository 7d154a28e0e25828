"""Sampling curves on the ellipsoid to a tolerance.

This module owns where vertices go: the points of a straight edge where its error is
checked (in longitude/latitude and in Web Mercator), the first guess of a circle's
vertex count, and the refinement loops that split edges until the drawn boundary is
within the tolerance, for closed curves (:func:`refine_closed`) and for the source
paths of a buffer (:func:`densify_path`, :func:`refine_path`).
"""

from __future__ import annotations

import math
from collections.abc import Callable

import numpy as np

from rangemap.errors import InputError, RangemapError
from rangemap.geodesy._ellipsoid import (
    DISCS_ONLY_M,
    EARTH_R_M,
    MAX_VERTICES,
    SAFETY,
    FloatArray,
    fwd,
    inv,
    wrap180,
)

__all__ = ["densify_path", "edge_samples", "min_vertices", "refine_closed", "refine_path"]

_MERC_MAX_LAT = 85.0511287798
_PHASE = 1.0 / math.pi  # first azimuth offset, so no vertex falls exactly on a pole


def _merc_y(lat: FloatArray) -> FloatArray:
    return np.log(np.tan(np.pi / 4.0 + np.radians(lat) / 2.0))


def _merc_lat(y: FloatArray) -> FloatArray:
    return np.degrees(2.0 * np.arctan(np.exp(y)) - np.pi / 2.0)


def edge_samples(
    lon1: FloatArray, lat1: FloatArray, lon2: FloatArray, lat2: FloatArray
) -> list[tuple[FloatArray, FloatArray]]:
    """Return the points of straight edges where their error is checked.

    Quarter points and midpoint in lon/lat, and the Web Mercator midpoint where both
    ends are below Leaflet's latitude clamp.
    """
    dlon = wrap180(lon2 - lon1)
    out = []
    for t in (0.25, 0.5, 0.75):
        out.append((wrap180(lon1 + t * dlon), lat1 + t * (lat2 - lat1)))
    merc_ok = (np.abs(lat1) < _MERC_MAX_LAT) & (np.abs(lat2) < _MERC_MAX_LAT)
    y = 0.5 * (_merc_y(np.where(merc_ok, lat1, 0.0)) + _merc_y(np.where(merc_ok, lat2, 0.0)))
    lat_m = np.where(merc_ok, _merc_lat(y), lat1 + 0.5 * (lat2 - lat1))
    out.append((wrap180(lon1 + 0.5 * dlon), lat_m))
    return out


def min_vertices(radius_m: float, tol: float, lat: float) -> int:
    """Guess the vertex count of a full circle from its chord sag."""
    rho = min(radius_m / EARTH_R_M, math.pi)
    planar = EARTH_R_M * math.sin(rho)
    reach_lat = min(abs(lat) + math.degrees(rho), 89.0)
    k = (
        EARTH_R_M * abs(math.sin(rho) * math.cos(rho))
        + planar**2 * math.tan(math.radians(reach_lat)) / EARTH_R_M
    )
    k = max(k, radius_m * 1e-3, 1e-9)
    step = math.sqrt(8.0 * SAFETY * tol / k)
    n = math.ceil(2.0 * math.pi / min(step, math.pi / 8.0))
    if n > MAX_VERTICES:
        msg = (
            f"tolerance_m={tol:.4g} is too small for a reach of {radius_m:,.0f} m: it "
            f"would need {n:,} vertices. Use a larger tolerance_m."
        )
        raise InputError(msg)
    return n


def refine_closed(
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
    limit = tol * SAFETY
    for _ in range(60):
        lon2, lat2 = np.roll(lon, -1), np.roll(lat, -1)
        err = np.zeros(params.size)
        for slon, slat in edge_samples(lon, lat, lon2, lat2):
            err = np.maximum(err, error_at(slon, slat))
        bad = np.flatnonzero(err > limit)
        if bad.size == 0:
            return params, lon, lat
        if params.size + bad.size > MAX_VERTICES:
            msg = (
                f"the reach boundary needs more than {MAX_VERTICES:,} vertices for "
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


def densify_path(coords: FloatArray, closed: bool, tol: float, d: float) -> FloatArray:
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
    _, _, seg = inv(lon1, lat1, lon2, lat2)
    rho = min(d / EARTH_R_M, 1.4)
    reach_lat = np.minimum(np.maximum(np.abs(lat1), np.abs(lat2)) + math.degrees(rho), 85.0)
    curv = (math.tan(rho) + np.tan(np.radians(reach_lat)) + 1.0) / EARTH_R_M
    # The cap at 85 degrees suits the offset chords, which refine_path checks. But the
    # strips are built on each piece's geodesic, so the source edge itself must stay
    # close to it, and refine_path cannot see that sag: near a pole the offset chord
    # bends the same way. Above about 85 degrees its own, uncapped curvature rules.
    curv = np.maximum(curv, _pole_curvature(lon1, lat1, lon2, lat2))
    spacing = np.sqrt(8.0 * tol * SAFETY * 0.5 / curv)
    if d >= DISCS_ONLY_M:
        # circles around vertices: the scallop between circles must stay shallow too
        spacing = np.minimum(spacing, np.sqrt(8.0 * tol * SAFETY * EARTH_R_M / 0.5))
    n = np.maximum(np.ceil(seg / spacing), 1).astype(int)
    # Along ±180 or to a pole, edges collapse to short or zero geodesics: keep them.
    t = np.concatenate([np.arange(k) / k for k in n])
    i = np.repeat(np.arange(n.size), n)
    out = np.column_stack([lon1[i] + t * (lon2 - lon1)[i], lat1[i] + t * (lat2 - lat1)[i]])
    return np.vstack([out, coords[-1:]])


def _pole_curvature(
    lon1: FloatArray, lat1: FloatArray, lon2: FloatArray, lat2: FloatArray
) -> FloatArray:
    """Bound the curvature (1/m) of straight lon/lat edges from their nearest pole.

    In a polar plane a straight lon/lat edge is a spiral, ``r = r0 + c * theta`` with
    ``r`` the distance from the pole and ``c = R * dlat / dlon``. Its curvature
    ``(r**2 + 2 * c**2) / (r**2 + c**2) ** 1.5`` is largest where ``r`` is smallest:
    ``1 / r`` along a parallel, ``2 / c`` as the edge reaches the pole, 0 along a
    meridian; at most ``1.09 / r``, below the parallel's ``tan(lat) / R`` up to
    about 85 degrees. Capping the latitude would miss it: an edge 3.5 km long ending
    on the North Pole bends 20 times more than a parallel at 85 degrees.
    """
    dlam = np.abs(np.radians(lon2 - lon1))
    dphi = np.abs(np.radians(lat2 - lat1))
    r = EARTH_R_M * np.radians(90.0 - np.maximum(np.abs(lat1), np.abs(lat2)))
    # the formula times dlam**3 / dlam**3, finite for meridians (dlam = 0)
    rl2 = (r * dlam) ** 2
    rc2 = (EARTH_R_M * dphi) ** 2
    with np.errstate(divide="ignore", invalid="ignore"):
        k = dlam * (rl2 + 2.0 * rc2) / (rl2 + rc2) ** 1.5
    # an edge along a pole line has no length: nothing to split
    return np.asarray(np.where(np.isfinite(k), k, 0.0), dtype=float)


def refine_path(v: FloatArray, sides: tuple[bool, bool], d: float, tol: float) -> FloatArray:
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
    limit = tol * SAFETY
    for _ in range(40):
        a_lon, a_lat, b_lon, b_lat = v[:-1, 0], v[:-1, 1], v[1:, 0], v[1:, 1]
        az12, az21, seg = inv(a_lon, a_lat, b_lon, b_lat)
        err = np.zeros(seg.size)
        for side, on in ((-90.0, sides[0]), (90.0, sides[1])):
            if not on:
                continue
            p_lon, p_lat = fwd(a_lon, a_lat, az12 + side, d)
            q_lon, q_lat = fwd(b_lon, b_lat, az21 - side, d)
            dlon = wrap180(q_lon - p_lon)
            slon = wrap180(b_lon - a_lon)
            for t in (0.25, 0.5, 0.75):
                c_lon = wrap180(p_lon + t * dlon)
                c_lat = p_lat + t * (q_lat - p_lat)
                s_lon = wrap180(a_lon + t * slon)
                s_lat = a_lat + t * (b_lat - a_lat)
                err = np.maximum(err, np.abs(inv(c_lon, c_lat, s_lon, s_lat)[2] - d))
        bad = np.flatnonzero((seg > 1e-6) & (err > limit) & (seg > 1e-3 * tol))
        if bad.size == 0:
            break
        mid = 0.5 * (v[bad] + v[bad + 1])
        # The short way round: an edge from 179.9 to -180 (once +180) is 0.1 degrees
        # long, and its midpoint is 179.95, not 0 on the far side of the globe.
        dlon = v[bad + 1, 0] - v[bad, 0]
        across = np.abs(dlon) > 180.0
        mid[across, 0] = wrap180(v[bad[across], 0] + 0.5 * wrap180(dlon[across]))
        v = np.insert(v, bad + 1, mid, axis=0)
        if v.shape[0] > MAX_VERTICES:
            msg = f"the buffer needs more than {MAX_VERTICES:,} vertices; use a larger tolerance_m."
            raise InputError(msg)
    return v
