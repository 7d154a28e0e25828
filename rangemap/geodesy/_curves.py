"""Sampling curves on the ellipsoid to a tolerance.

This module owns where vertices go: the points of a straight edge where its error is
checked (in longitude/latitude and in Web Mercator), the first guess of a circle's
vertex count (:func:`min_vertices`, and :func:`first_azimuths` from a model of the
drawn curve's curvature for circles where that bound is loose), and the refinement
loops that split edges until the drawn boundary is within the tolerance, for closed curves
(:func:`refine_closed`), for many geodesic circles or arcs of them at once
(:func:`refine_circles`, :func:`refine_arcs`, which check short edges against a local
model of their curve, :func:`hermite_errors`, and only the edges just split) and for
the source paths of a buffer (:func:`densify_path`, :func:`refine_path`).
"""

from __future__ import annotations

import math
from collections.abc import Callable

import numpy as np
from numpy.typing import NDArray

from rangemap.errors import InputError, RangemapError
from rangemap.geodesy._ellipsoid import (
    DISCS_ONLY_M,
    EARTH_R_M,
    GEOD,
    MAX_VERTICES,
    SAFETY,
    FloatArray,
    fwd,
    inv,
    wrap180,
)

__all__ = [
    "densify_path",
    "edge_samples",
    "first_azimuths",
    "hermite_errors",
    "min_vertex_counts",
    "min_vertices",
    "refine_arcs",
    "refine_circles",
    "refine_closed",
    "refine_path",
]

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


def min_vertex_counts(radius_m: float, tol: float, lat: FloatArray) -> NDArray[np.int_]:
    """Return :func:`min_vertices` for many latitudes at once (to a rounding error).

    Examples
    --------
    >>> min_vertex_counts(300_000.0, 30.0, np.array([50.45, 49.99])).tolist()  # Kyiv, Kharkiv
    [324, 324]
    """
    rho = min(radius_m / EARTH_R_M, math.pi)
    planar = EARTH_R_M * math.sin(rho)
    reach_lat = np.minimum(np.abs(lat) + math.degrees(rho), 89.0)
    k = (
        EARTH_R_M * abs(math.sin(rho) * math.cos(rho))
        + planar**2 * np.tan(np.radians(reach_lat)) / EARTH_R_M
    )
    k = np.maximum(k, max(radius_m * 1e-3, 1e-9))
    step = np.sqrt(8.0 * SAFETY * tol / k)
    n = np.ceil(2.0 * math.pi / np.minimum(step, math.pi / 8.0))
    if n.size and n.max() > MAX_VERTICES:
        return np.array([min_vertices(radius_m, tol, float(v)) for v in lat], dtype=int)
    return n.astype(int)


def refine_closed(
    point_at: Callable[[FloatArray], tuple[FloatArray, FloatArray]],
    error_at: Callable[[FloatArray, FloatArray], FloatArray],
    n0: int,
    tol: float,
) -> tuple[FloatArray, FloatArray, FloatArray]:
    """Sample a closed curve, parametrised by an angle in degrees, to the tolerance.

    Each pass checks only the edges the pass before has just split (an edge within the
    tolerance stays so). Returns parameters, lons and lats in increasing parameter order.
    """
    step = 360.0 / n0
    params: FloatArray = (np.arange(n0, dtype=float) + _PHASE) * step
    lon, lat = point_at(params)
    # the edges to check: parameters and coordinates of both ends
    t0, t1 = params, np.append(params[1:], params[0] + 360.0)
    lon0, lat0 = lon, lat
    lon1, lat1 = np.roll(lon, -1), np.roll(lat, -1)
    found_t, found_lon, found_lat = [params], [lon], [lat]
    total = n0
    limit = tol * SAFETY
    for _ in range(60):
        err = np.zeros(t0.size)
        for slon, slat in edge_samples(lon0, lat0, lon1, lat1):
            err = np.maximum(err, error_at(slon, slat))
        bad = np.flatnonzero(err > limit)
        if bad.size == 0:
            break
        total += bad.size
        _check_count(total, tol)
        mid: FloatArray = 0.5 * (t0[bad] + t1[bad])
        mlon, mlat = point_at(mid)
        found_t.append(mid)
        found_lon.append(mlon)
        found_lat.append(mlat)
        t0, t1 = np.concatenate([t0[bad], mid]), np.concatenate([mid, t1[bad]])
        lon0, lon1 = np.concatenate([lon0[bad], mlon]), np.concatenate([mlon, lon1[bad]])
        lat0, lat1 = np.concatenate([lat0[bad], mlat]), np.concatenate([mlat, lat1[bad]])
    else:
        msg = "the reach boundary did not converge to the tolerance; use a larger tolerance_m."
        raise RangemapError(msg)
    params = np.concatenate(found_t)
    order = np.argsort(params, kind="stable")
    return params[order], np.concatenate(found_lon)[order], np.concatenate(found_lat)[order]


def _check_count(total: int, tol: float) -> None:
    if total > MAX_VERTICES:
        msg = (
            f"the reach boundary needs more than {MAX_VERTICES:,} vertices for "
            f"tolerance_m={tol:.4g}; use a larger tolerance_m."
        )
        raise InputError(msg)


# A short edge is checked against a local model of its curve (below) when the curve's
# direction changes by less than about 2 degrees along it: the derivatives at its two
# ends, in metres per edge length, differ by at most this much.
_MODEL_TURN = 0.04
# Where the model's error is no larger than a part in 10,000 of the limit (plus a term
# near the poles), an edge is decided by the model; nearer the limit, exactly.
_MODEL_MARGIN = 1e-4
_RAD = math.pi / 180.0
_A_RAD = GEOD.a * _RAD  # metres per degree of the equator
_B_RAD = GEOD.a * (1.0 - GEOD.es) * _RAD  # metres per degree of latitude, over w**3
_E2 = GEOD.es
# Rows of a circle vertex: lon, lat, the circle's tangent (degrees of longitude and of
# latitude per metre along the circle, towards increasing azimuth), Web Mercator y.
_LON, _LAT, _TX, _TY, _MY = range(5)
# Passes with at most this many edges check them all exactly.
_FEW = 8
# The offsets across the chord of the lon/lat quarter points and midpoint, from the
# derivatives across it at the two ends (see hermite_errors).
_OFFSETS = np.array([[-9.0, 3.0], [-3.0, 9.0], [-8.0, 8.0]]) / 64.0


def _vertices(lon: FloatArray, lat: FloatArray, az2: FloatArray) -> FloatArray:
    """Return the (5, n) rows of circle vertices from the direct problem's end azimuth.

    Geodesics from the centre cross the circle at right angles (Gauss's lemma), so the
    circle's tangent, towards increasing azimuth at the centre, points 90 degrees
    clockwise from ``az2``, the geodesic's azimuth where it meets the circle: east
    ``cos(az2)``, north ``-sin(az2)``.
    """
    out = np.empty((5, lon.size))
    out[_LON] = lon
    out[_LAT] = lat
    phi = lat * _RAD
    w2 = 1.0 - _E2 * np.sin(phi) ** 2
    w = np.sqrt(w2)
    alpha = az2 * _RAD
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        # over the metres per degree of longitude, a cos(phi) / w, and of latitude,
        # a (1 - e2) / w**3
        np.divide(np.cos(alpha) * w, np.cos(phi) * _A_RAD, out=out[_TX])
        np.multiply(np.sin(alpha) * (w2 * w), -1.0 / _B_RAD, out=out[_TY])
        np.arcsinh(np.tan(phi), out=out[_MY])
    return out


def hermite_errors(
    ends: FloatArray, limit: float
) -> tuple[FloatArray, NDArray[np.bool_], NDArray[np.bool_]]:
    """Return the sampled errors of straight edges between circle vertices, from a model.

    ``ends`` is (5, 2, n): the rows (see :func:`_vertices`) of each edge's two ends.
    Between its ends the curve is modelled, in longitude/latitude, as the cubic with the
    same ends and the same derivatives there (Hermite), each derivative the tangent
    times the arc's length. A straight edge's point ``t`` along it then lies off the
    curve by ``-(h10(t) d0 + h11(t) d1)`` across it, ``d0`` and ``d1`` the derivatives
    across the chord: at the midpoint ``(d1 - d0) / 8``, at the quarter points
    ``(3 d1 - 9 d0) / 64`` and ``(9 d1 - 3 d0) / 64``. The Web Mercator midpoint lies
    off the longitude/latitude midpoint by a known amount of latitude. Offsets are in
    metres at the scale of longitude and latitude at the edge's middle, where a cross
    product of two longitude/latitude vectors is their cross product in metres divided
    by the two scales. The arc's length is the chord's times ``1 + turn**2 / 24``, and a
    cubic falls short of a circular arc's sagitta by ``turn**2 / 48``: both are put back.

    Returns the largest error per edge; which edges must be checked exactly instead:
    those whose direction changes by more than about 2 degrees, where the model is not
    meant to hold, and those whose error lies so near ``limit`` that the model's own
    error could decide which side: a part in 10,000, plus twice the square of the
    relative change of the longitude scale along the edge, which is what limits the
    model near the poles (up to a part in 1,000 seen there; a few parts in a million
    elsewhere); and which edges are even arcs: turning by less than about 2 degrees, one
    way only, and by no more than three times as much at one end as at the other. Each
    half of an even arc has about a quarter of its error (the error grows with the
    square of the length), at most half.
    """
    lon, lat, tangent, merc_y = ends[_LON], ends[_LAT], ends[_TX : _TY + 1], ends[_MY]
    dlon = lon[1] - lon[0]
    dlon = (dlon + 180.0) % 360.0 - 180.0
    dlat = lat[1] - lat[0]
    lat_sum = lat[0] + lat[1]
    phi = lat_sum * (0.5 * _RAD)
    w2 = 1.0 - _E2 * np.sin(phi) ** 2
    w = np.sqrt(w2)
    kx = np.cos(phi) * (_A_RAD / w)  # metres per degree of longitude
    ky = (_B_RAD / w) / w2  # metres per degree of latitude
    with np.errstate(invalid="ignore", over="ignore", divide="ignore"):
        # the derivatives across the chord at both ends: chord cross tangent, in metres
        # squared, which is the tangent's component across the chord times the chord's
        # length (the derivatives' length)
        across = (tangent[1] * dlon - tangent[0] * dlat) * (kx * ky)
        change = tangent[:, 1] - tangent[:, 0]
        turn2 = (change[0] * kx) ** 2 + (change[1] * ky) ** 2
        across *= 1.0 + turn2 * (1.0 / 16.0)
        offsets = _OFFSETS @ across
        mid = offsets[2]
        # the Web Mercator midpoint: ``shift`` degrees of latitude off the lon/lat one
        shift = np.degrees(np.arctan(np.sinh(0.5 * (merc_y[0] + merc_y[1])))) - 0.5 * lat_sum
        shift = np.where(np.abs(lat).max(axis=0) < _MERC_MAX_LAT, shift, 0.0)
        cx = dlon * kx
        merc = np.abs(mid + shift * ky * cx / np.hypot(cx, dlat * ky))
        err = np.maximum(np.abs(offsets).max(axis=0), merc)
        # the relative change of the longitude scale along the edge
        stretch2 = (dlat * _RAD * np.tan(phi)) ** 2
        near = np.abs(err - limit) <= limit * (_MODEL_MARGIN + 2.0 * stretch2)
        smooth = turn2 <= _MODEL_TURN**2
        unsure = ~smooth | near
        # one way: the tangents lie on either side of the chord; evenly: neither makes
        # more than three times the other's angle with it
        even = (
            smooth & (across[0] * across[1] < 0.0) & (np.abs(mid) >= 0.25 * np.abs(across.sum(0)))
        )
    return err, unsure, even


# Circles whose curvature bound asks for more vertices than this are placed from a model.
_MODEL_ABOVE = 384
# The model aims each first edge's error at this share of the limit (it is within about
# 7 % of the exact sampled error: the worst first edge of a circle lands near 0.9).
_AIM = 0.87
# At least this many vertices per radian of azimuth (64 per circle): where the curve's
# curvature vanishes, the error of a long edge comes from its curvature further on.
_FLOOR = 64.0 / (2.0 * math.pi)
# The density of vertices is integrated over this many even azimuths, and this many
# around each point nearest a pole, spaced evenly in asinh(t / gap) out to this many
# radians of azimuth (t the distance along the circle from that point).
_EVEN = 128
_NEAR = 48
_REACH = 0.3
_EVEN_AZ = np.arange(_EVEN) * (2.0 * math.pi / _EVEN)
_NEAR_U = np.linspace(-1.0, 1.0, _NEAR)
# Where a circle passes within a few tolerances of a pole it bends, in longitude and
# latitude, as sharply as a corner: a bump of density, one vertex per this many times
# the aimed error, over about this many times it on either side of the pole.
_CORNER_STEP = 1.8
_CORNER_WIDTH = 1.5
_FADED = 1e-3  # no bump where it would add less than this share
# The rectifying sphere: a meridian arc of it is as long as on the ellipsoid.
_N = GEOD.f / (2.0 - GEOD.f)
_R_RECT = GEOD.a / (1.0 + _N) * (1.0 + _N**2 / 4.0 + _N**4 / 64.0)
_MU = (  # rectifying latitude: phi + sum of c_k sin(2 k phi)
    -1.5 * _N + 9.0 / 16.0 * _N**3,
    15.0 / 16.0 * _N**2 - 15.0 / 32.0 * _N**4,
    -35.0 / 48.0 * _N**3,
    315.0 / 512.0 * _N**4,
)


def _rectifying(phi: FloatArray) -> FloatArray:
    """Return the rectifying latitudes (radians) of geodetic latitudes (radians)."""
    out = phi.copy()
    for k, c in enumerate(_MU, start=1):
        out += c * np.sin(2.0 * k * phi)
    return out


def _map_curvature(theta: FloatArray, mu0: FloatArray, rho: FloatArray) -> FloatArray:
    """Return how sharply circles on a unit sphere bend where they are drawn.

    The circle of angular radius ``rho`` around a centre at latitude ``mu0``, at
    azimuth ``theta`` from the centre (radians). Its geodesic curvature is
    ``-cot(rho)`` (it turns right as the azimuth grows). Drawn in longitude/latitude
    and measured at the local scale, a curve heading ``beta`` from east bends by
    ``kappa_g - cos(beta) (1 + sin(beta)**2) tan(phi)``; in Web Mercator by
    ``kappa_g - cos(beta) tan(phi)`` (parallels and meridians are straight in both).
    With ``A = cos(phi) cos(az2)`` and ``B = cos(phi) sin(az2)`` from the spherical
    triangle (``az2`` the azimuth of the geodesic from the centre where it meets the
    circle, 90 degrees from the circle's heading), ``cos(phi)**2 = A**2 + B**2``
    without cancellation near the poles. Returns the larger magnitude of the two.
    """
    s0, c0 = np.sin(mu0), np.cos(mu0)
    sr, cr = np.sin(rho), np.cos(rho)
    ct = np.cos(theta)
    b2 = (c0 * np.sin(theta)) ** 2
    a = c0 * cr * ct - s0 * sr
    c2 = a * a + b2
    pull = a * (s0 * cr + c0 * sr * ct) / c2  # cos(beta) tan(phi)
    geodesic = -cr / sr
    lonlat = geodesic - pull * (1.0 + b2 / c2)
    return np.asarray(np.maximum(np.abs(lonlat), np.abs(geodesic - pull)), dtype=float)


def _modelled_azimuths(
    lat: FloatArray, radius_m: float, tol: float
) -> tuple[NDArray[np.int_], FloatArray]:
    """Return the vertex count of each circle and the azimuths of all, from a model.

    On the rectifying sphere, with the circle's pole gaps (its distance from each pole
    along the meridian of the centre, where the circle passes nearest it) as on the
    ellipsoid, the error of a short straight edge of ``h`` radians of azimuth is
    ``k h**2 / 8`` for ``k`` the curvature of the drawn curve (:func:`_map_curvature`)
    times the square of the metres per radian. Vertices spaced at ``sqrt(8 e / k)`` put
    every edge's error at ``e``: the count of vertices up to an azimuth is the integral
    of ``sqrt(k / 8 e)``, and vertex ``j`` lies where it reaches ``j + phase`` (scaled
    to a whole count). Each pole gap is widened by half the aimed error, so that a
    circle through a pole is not modelled as a corner of zero width, and where the gap
    is within a few aimed errors, a bump of density there puts vertices at most
    ``1.8 e`` apart across it (an edge across a corner is off by half its length).
    """
    aim = _AIM * tol * SAFETY
    mu0 = _rectifying(np.radians(lat))
    rho = radius_m / _R_RECT
    gaps = np.stack([0.5 * math.pi - mu0 - rho, 0.5 * math.pi + mu0 - rho])  # N, S
    padded = gaps + np.where(gaps >= 0.0, 0.5 * aim / _R_RECT, -0.5 * aim / _R_RECT)
    rho_m = 0.5 * (math.pi - padded[0] - padded[1])
    mu_m = 0.5 * (padded[1] - padded[0])
    per_rad = _R_RECT * np.sin(rho_m)  # metres along the circle per radian of azimuth
    # the grid: even azimuths, and near each pole's point (azimuth 0 and pi)
    c = lat.size
    reach = np.abs(padded) * (_R_RECT / per_rad)  # radians of azimuth over the pole gap
    near = reach[:, :, None] * np.sinh(_NEAR_U * np.arcsinh(_REACH / reach)[:, :, None])
    grid = np.empty((c, _EVEN + 2 * _NEAR + 1))
    grid[:, :_EVEN] = _EVEN_AZ
    grid[:, _EVEN : _EVEN + _NEAR] = near[0] % (2.0 * math.pi)
    grid[:, _EVEN + _NEAR : -1] = near[1] + math.pi
    grid[:, -1] = 2.0 * math.pi
    grid.sort(axis=1)
    k = _map_curvature(grid, mu_m[:, None], rho_m[:, None])
    scale = per_rad * (1.0 / math.sqrt(8.0 * aim * _R_RECT))
    dens = np.maximum(np.sqrt(k) * scale[:, None], _FLOOR)
    # the bump at each pole's point, fading as its gap grows beyond two aimed errors
    fade = 1.0 / (1.0 + (gaps * (_R_RECT / (2.0 * aim))) ** 2)
    bent = np.flatnonzero(fade.max(axis=0) > _FADED)  # circles that get it
    if bent.size:
        g = grid[bent]
        along = per_rad[bent, None] * np.stack([np.minimum(g, 2.0 * math.pi - g), g - math.pi])
        bump = fade[:, bent, None] * np.exp(-((along * (1.0 / (_CORNER_WIDTH * aim))) ** 2))
        dens[bent] += (per_rad[bent] / (_CORNER_STEP * aim))[:, None] * bump.sum(axis=0)
    cum = np.zeros_like(grid)
    np.cumsum((dens[:, 1:] + dens[:, :-1]) * np.diff(grid, axis=1), axis=1, out=cum[:, 1:])
    total = 0.5 * cum[:, -1]
    n = np.ceil(total).astype(int)
    # circle by circle, so that a circle's vertices do not depend on the others
    step = 2.0 * total / n
    az = np.concatenate(
        [
            np.interp((np.arange(m) + _PHASE) * h, row_cum, row_grid)
            for m, h, row_cum, row_grid in zip(n.tolist(), step.tolist(), cum, grid, strict=True)
        ]
    )
    return n, np.degrees(az)


def first_azimuths(
    lat: FloatArray, radius_m: float, tol: float
) -> tuple[NDArray[np.int_], FloatArray]:
    """Return the first vertices of the circles of ``radius_m`` around centres at ``lat``.

    :func:`min_vertices` bounds the curvature of a circle in longitude/latitude by its
    largest anywhere on it, which is loose for big circles and near the poles (up to
    20 times the vertices needed: at 9,000 km from 50°N its first edges have 0.06 of
    the limit's error at most). A circle gets those vertices evenly spaced in azimuth
    where they are at most 384. Others are placed where a model of the drawn curve's
    curvature on a sphere puts each edge's error near 0.87 of the limit
    (:func:`_modelled_azimuths`), so that :func:`refine_circles` seldom has any edge
    to split; the bound's even vertices stay where they are fewer.

    Returns the circle of each first vertex and its azimuth, increasing per circle.
    Depends on the latitude only: a longitude shifts a circle rigidly.

    Examples
    --------
    >>> from rangemap.geodesy import default_tolerance_m
    >>> lat = np.array([50.45, 0.0])  # Kyiv's latitude, the equator
    >>> ids, az = first_azimuths(lat, 9_000_000.0, default_tolerance_m(9_000_000.0))
    >>> np.bincount(ids).tolist()
    [193, 272]
    >>> [min_vertices(9_000_000.0, default_tolerance_m(9_000_000.0), v) for v in lat]
    [1979, 662]
    """
    lat = np.asarray(lat, dtype=float)
    n = np.array([min_vertices(radius_m, tol, float(v)) for v in lat], dtype=int)
    big = np.flatnonzero(n > _MODEL_ABOVE)
    if big.size == 0:
        ids = np.repeat(np.arange(lat.size), n)
        k = np.arange(ids.size) - np.repeat(np.cumsum(n) - n, n)
        return ids, (k + _PHASE) * (360.0 / n[ids])
    m, m_az = _modelled_azimuths(lat[big], radius_m, tol)
    if big.size == lat.size and np.all(m < n):
        return np.repeat(np.arange(lat.size), m), m_az
    modelled = np.zeros(lat.size, dtype=bool)
    modelled[big[m < n[big]]] = True
    keep = np.repeat(m < n[big], m)
    # even vertices where the bound is kept
    even = np.flatnonzero(~modelled)
    e_ids = np.repeat(even, n[even])
    e_k = np.arange(e_ids.size) - np.repeat(np.cumsum(n[even]) - n[even], n[even])
    e_az: FloatArray = (e_k + _PHASE) * (360.0 / n[e_ids])
    ids_all = np.concatenate([e_ids, np.repeat(big, m)[keep]])
    az_all = np.concatenate([e_az, m_az[keep]])
    order = np.argsort(ids_all, kind="stable")
    return ids_all[order], az_all[order]


def _direct(
    lon: FloatArray, lat: FloatArray, az: FloatArray, dist: float
) -> tuple[FloatArray, FloatArray, FloatArray]:
    """Solve the direct problem for arrays of one shape: lons, lats, azimuths at the ends."""
    plon, plat, paz = GEOD.fwd(lon, lat, az, np.full(az.size, dist), return_back_azimuth=False)
    return plon, plat, paz


def _exact_errors(
    lon: FloatArray, lat: FloatArray, ends: FloatArray, radius_m: float
) -> FloatArray:
    """Return the sampled errors of edges, solving the inverse problem at each sample."""
    samples = edge_samples(ends[_LON, 0], ends[_LAT, 0], ends[_LON, 1], ends[_LAT, 1])
    slon = np.concatenate([p[0] for p in samples])
    slat = np.concatenate([p[1] for p in samples])
    k = len(samples)
    dist = np.asarray(GEOD.inv(np.tile(lon, k), np.tile(lat, k), slon, slat)[2], dtype=float)
    return np.asarray(np.abs(dist - radius_m).reshape(k, lon.size).max(axis=0), dtype=float)


def refine_circles(
    lon: FloatArray,
    lat: FloatArray,
    radius_m: float,
    n0: NDArray[np.int_] | tuple[NDArray[np.int_], FloatArray],
    tol: float,
) -> tuple[NDArray[np.int_], FloatArray, FloatArray]:
    """Sample the geodesic circles of ``radius_m`` around many centres to the tolerance.

    Like :func:`refine_closed` with the curve at ``radius_m`` along each azimuth, for
    every centre at once. The first vertices are ``n0`` per circle, vertex ``k`` at
    azimuth ``(k + phase) * 360 / n0``, or given as the circle and azimuth of each
    (:func:`first_azimuths`). Each edge whose sampled error exceeds half the tolerance
    is split at its middle azimuth, the edges it gives checked in the next pass. An
    edge is checked against the cubic with the curve's ends and tangents
    (:func:`hermite_errors`; the direct problem gives the tangent at each vertex), so
    an edge that passes costs no geodesic; coarse edges, and those whose modelled error
    is too near the limit to trust, are checked by solving the inverse problem at each
    sample. The halves of an even arc that was within 1.5 times the limit are not
    checked again: they are within 0.75 times it (0.38 at most in tests). Returns
    circle ids, lons and lats, each circle's vertices in increasing azimuth. For radii
    below the cut locus (``pi * b - 10 km``), where every geodesic from the centre is
    shortest.
    """
    if isinstance(n0, tuple):
        ids, az = n0
        counts = np.bincount(ids, minlength=lon.size)
    else:
        counts = np.asarray(n0)
        ids = np.repeat(np.arange(lon.size), counts)
        k = np.arange(ids.size) - np.repeat(np.cumsum(counts) - counts, counts)
        az = (k + _PHASE) * (360.0 / counts[ids])
    first = np.cumsum(counts) - counts
    # the edges: each vertex to the next, the last one back to the first
    ends = np.empty((2, ids.size), dtype=np.intp)
    ends[0] = np.arange(ids.size)
    ends[1] = ends[0] + 1
    ends[1, first + counts - 1] = first
    t1 = np.where(ends[1] > ends[0], az[ends[1]], az[ends[1]] + 360.0)
    out_id, _, out_lon, out_lat = refine_arcs(lon, lat, radius_m, ids, az, ends, t1, tol)
    return out_id, out_lon, out_lat


def refine_arcs(
    lon: FloatArray,
    lat: FloatArray,
    radius_m: float,
    ids: NDArray[np.int_],
    az: FloatArray,
    ends: NDArray[np.intp],
    t1: FloatArray,
    tol: float,
) -> tuple[NDArray[np.int_], FloatArray, FloatArray, FloatArray]:
    """Refine pieces of the circles of ``radius_m`` around centres (lon, lat) to the tolerance.

    ``ids`` and ``az`` give the first vertices (the centre of each and its azimuth),
    ``ends`` (2, m) the edges between them (columns of ``az``) and ``t1`` the azimuth
    of each edge's end, more than its start's. Refines as :func:`refine_circles` says;
    returns the ids, azimuths, lons and lats of all vertices, in increasing azimuth
    per id.
    """
    pool = _vertices(*_direct(lon[ids], lat[ids], az, radius_m))
    e_id = ids[ends[0]]
    t = np.stack([az[ends[0]], t1])
    found_id, found_t = [ids], [az]
    total = ids.size
    limit = tol * SAFETY
    for _ in range(60):
        if e_id.size == 0:
            break
        rows = pool[:, ends]
        if e_id.size <= _FEW:
            # a few edges: checked exactly, cheaper than the model's many small steps
            err = _exact_errors(lon[e_id], lat[e_id], rows, radius_m)
            even = np.zeros(e_id.size, dtype=bool)
        else:
            err, unsure, even = hermite_errors(rows, limit)
            check = np.flatnonzero(unsure)
            if check.size:
                c_id = e_id[check]
                err[check] = _exact_errors(lon[c_id], lat[c_id], rows[:, :, check], radius_m)
        bad = np.flatnonzero(err > limit)
        if bad.size == 0:
            break
        total += bad.size
        if total > MAX_VERTICES:  # the limit is per circle
            _check_count(int(np.bincount(np.concatenate([*found_id, e_id[bad]])).max()), tol)
        b_id, b_t = e_id[bad], t[:, bad]
        mid: FloatArray = 0.5 * (b_t[0] + b_t[1])
        made = _direct(lon[b_id], lat[b_id], mid, radius_m)
        found_id.append(b_id)
        found_t.append(mid)
        # the halves of an even arc within 1.5 times the limit are within 0.75 of it
        go = np.flatnonzero(~(even[bad] & (err[bad] <= 1.5 * limit)))
        if 2 * go.size > _FEW:
            new = _vertices(*made)
        else:  # no model next pass: no tangents (NaN would send an edge to the exact check)
            new = np.full((5, bad.size), np.nan)
            new[_LON], new[_LAT] = made[0], made[1]
        at = np.arange(pool.shape[1], pool.shape[1] + bad.size)[go]
        pool = np.concatenate([pool, new], 1)
        if go.size == 0:
            break
        # each bad edge to check further becomes (start, middle) and (middle, end)
        b_id, b_t, mid = b_id[go], b_t[:, go], mid[go]
        e_id = np.concatenate([b_id, b_id])
        ends = np.tile(ends[:, bad[go]], 2)
        ends[1, : go.size] = at
        ends[0, go.size :] = at
        t = np.tile(b_t, 2)
        t[1, : go.size] = mid
        t[0, go.size :] = mid
    else:
        msg = "the reach boundary did not converge to the tolerance; use a larger tolerance_m."
        raise RangemapError(msg)
    out_id = np.concatenate(found_id)
    out_t = np.concatenate(found_t)
    order = np.lexsort((out_t, out_id))
    return out_id[order], out_t[order], pool[_LON, order], pool[_LAT, order]


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
