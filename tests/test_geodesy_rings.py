"""Rings at the extremes of their radius, many rings at once, and scalar distances.

Tiny rings (1 mm to 10 m) and rings within a metre of the longest distance on the
ellipsoid over random centres; :func:`rangemap.geodesy._circles.discs`, which builds many
discs in one pass, against :func:`rangemap.geodesy._circles.disc` one by one; and the
scalar fast path of :func:`rangemap.geodesy.distance_m` against the array path; and the
model that checks the edges of circles (:func:`rangemap.geodesy._curves.hermite_errors`)
against inverse problems: the vertices it places are those an exact check of every edge
places.
"""

from __future__ import annotations

import itertools
import math

import numpy as np
import pytest
import shapely
from pyproj import Geod
from shapely.geometry import LineString, MultiPoint, Point, box

from rangemap.geodesy import (
    MAX_DISTANCE_M,
    buffer,
    default_tolerance_m,
    distance_m,
    initial_bearing_deg,
    ring,
)
from rangemap.geodesy._accuracy import edge_points
from rangemap.geodesy._circles import arcs, circle_curve, disc, discs
from rangemap.geodesy._curves import (
    _PHASE,
    _vertices,
    edge_samples,
    first_azimuths,
    hermite_errors,
    min_vertices,
    refine_circles,
)
from rangemap.geodesy._ellipsoid import SAFETY, FloatArray
from rangemap.geodesy._planar import keep_polygons, region_left_of

GEOD = Geod(ellps="WGS84")
WORLD_DEG2 = 360.0 * 180.0


def random_centres(n: int, seed: int) -> FloatArray:
    rng = np.random.default_rng(seed)
    lon = rng.uniform(-180.0, 180.0, n)
    lat = np.degrees(np.arcsin(rng.uniform(-1.0, 1.0, n)))  # uniform on the sphere
    return np.column_stack([lon, lat])


def boundary_errors(
    center: tuple[float, float], radius: float, geom: shapely.Geometry
) -> FloatArray:
    p = edge_points(geom, per_edge=4)
    n = len(p)
    d = GEOD.inv(np.full(n, center[0]), np.full(n, center[1]), p[:, 0], p[:, 1])[2]
    return np.asarray(d, dtype=float) - radius


def local_area_m2(geom: shapely.Geometry, lat: float) -> float:
    """Area of a small lon/lat polygon in square metres, from the local scale at ``lat``."""
    phi = math.radians(lat)
    a, e2 = GEOD.a, GEOD.es
    w = math.sqrt(1.0 - e2 * math.sin(phi) ** 2)
    per_deg_lat = math.radians(a * (1.0 - e2) / w**3)
    per_deg_lon = math.radians(a * math.cos(phi) / w)
    return float(geom.area) * per_deg_lat * per_deg_lon


# ---------------------------------------------------------------------------
# tiny rings: the reach, not the rest of the world
# ---------------------------------------------------------------------------


@pytest.mark.parametrize("radius", [0.001, 0.01, 0.3, 1.0, 10.0])
def test_tiny_rings_hold_their_centre_over_random_centres(radius: float) -> None:
    tol = default_tolerance_m(radius)
    for lon, lat in random_centres(150, seed=int(radius * 1000)):
        center = (float(lon), float(lat))
        geom = ring(center, radius)
        assert geom.is_valid, center
        assert geom.contains(Point(center)), center
        area = local_area_m2(geom, lat)
        assert math.pi * max(radius - tol, 0.0) ** 2 * 0.9 <= area, center
        assert area <= math.pi * (radius + tol) ** 2 * 1.1, center
        assert np.abs(boundary_errors(center, radius, geom)).max() <= tol, center


def test_millimetre_ring_seen_as_the_rest_of_the_world() -> None:
    """The case from issue 14: a shoelace sum on absolute lon/lat cancelled."""
    geom = ring((109.8011, 0.585), 0.001)
    assert geom.contains(Point(109.8011, 0.585))
    assert geom.area < 1e-12


@pytest.mark.parametrize("distance", [0.01, 0.3])
def test_buffer_of_a_point_by_centimetres_is_small(distance: float) -> None:
    for lon, lat in [(109.8011, 0.585), (30.5234, 50.4501), (-179.99, -45.0)]:
        geom = buffer(Point(lon, lat), distance)
        assert geom.is_valid
        assert geom.contains(Point(lon, lat))
        assert geom.equals(ring((lon, lat), distance))
        assert local_area_m2(geom, lat) < 4.0 * math.pi * distance**2


def test_buffer_of_a_short_line_by_a_centimetre_is_small() -> None:
    line = LineString([(109.8011, 0.585), (109.80111, 0.58501)])
    geom = buffer(line, 0.01)
    assert geom.is_valid
    assert geom.contains(line.interpolate(0.5, normalized=True))
    assert geom.area < 1e-9


# ---------------------------------------------------------------------------
# within a metre of the longest distance: the world minus a tiny hole
# ---------------------------------------------------------------------------


@pytest.mark.parametrize("gap", [1.0, 0.01, 0.001])
def test_rings_next_to_max_distance_are_the_world_minus_a_hole(gap: float) -> None:
    radius = MAX_DISTANCE_M - gap
    for lon, lat in random_centres(150, seed=int(1 / gap)):
        center = (float(lon), float(lat))
        geom = ring(center, radius)
        assert geom.is_valid, center
        assert geom.area > WORLD_DEG2 - 1e-6, center
        assert geom.contains(Point(center)), center
        antipode = Point(((lon + 360.0) % 360.0) - 180.0, -lat)
        assert not geom.contains(antipode), center


def test_ring_one_centimetre_short_of_max_distance() -> None:
    """The case from issue 14: only the tiny unreached hole came back."""
    geom = ring((-60.0, 30.0), MAX_DISTANCE_M - 0.01)
    assert geom.area > WORLD_DEG2 - 1e-6
    assert geom.contains(Point(-60.0, 30.0))
    assert not geom.contains(Point(120.0, -30.0))


def test_ring_of_max_distance_holds_the_antipode() -> None:
    geom = ring((-60.0, 30.0), MAX_DISTANCE_M)
    assert geom.equals(box(-180, -90, 180, 90))
    assert geom.contains(Point(120.0, -30.0))


@pytest.mark.parametrize("radius", [19_965_000.0, 19_990_000.0, 20_000_000.0])
def test_near_antipodal_rings_within_tolerance(radius: float) -> None:
    tol = default_tolerance_m(radius)
    for lon, lat in random_centres(20, seed=7):
        center = (float(lon), float(lat))
        geom = ring(center, radius)
        assert geom.is_valid
        assert np.abs(boundary_errors(center, radius, geom)).max() <= tol, center


# ---------------------------------------------------------------------------
# many discs in one pass
# ---------------------------------------------------------------------------


@pytest.mark.parametrize("radius", [0.01, 1_000.0, 300_000.0, 3_000_000.0, 19_990_000.0])
def test_discs_are_the_discs_one_by_one(radius: float) -> None:
    xy = np.vstack(
        [
            random_centres(40, seed=3),
            [[179.9, 64.7], [-180.0, 0.0], [0.0, 90.0], [12.0, -89.9], [36.23, 49.99]],
        ]
    )
    tol = default_tolerance_m(radius)
    many = discs(xy, radius, tol)
    assert len(many) == len(xy)
    for (lon, lat), got in zip(xy, many, strict=True):
        assert got.equals_exact(disc(float(lon), float(lat), radius, tol), 0.0)


def test_discs_of_no_centres() -> None:
    assert discs(np.empty((0, 2)), 300_000.0, 30.0) == []


def test_discs_united_are_the_multipoint_buffer() -> None:
    xy = np.array([[30.5234, 50.4501], [36.2304, 49.9935], [37.6173, 55.7558]])
    united = shapely.union_all(discs(xy, 300_000.0, 30.0))
    assert united.equals(buffer(MultiPoint(xy), 300_000))


def test_discs_holding_a_pole_are_the_region_left_of_their_curve() -> None:
    """Closed along ±180 through the pole without region_left_of: the same region."""
    xy = np.vstack([random_centres(30, seed=9), [[30.5234, 50.4501], [149.13, -35.28]]])
    r = 9_000_000.0
    tol = default_tolerance_m(r)
    polar = 0
    for (lon, lat), got in zip(xy, discs(xy, r, tol), strict=True):
        want = keep_polygons(region_left_of(circle_curve(float(lon), float(lat), r, tol)))
        assert got.is_valid
        assert got.exterior.is_ccw
        assert got.symmetric_difference(want).area < 1e-9, (lon, lat)
        polar += got.covers(Point(0.0, math.copysign(90.0, lat)))
    assert polar > 10


# ---------------------------------------------------------------------------
# the first vertices of big circles
# ---------------------------------------------------------------------------


@pytest.mark.parametrize("radius", [5_000_000.0, 9_000_000.0, 12_000_000.0, 16_000_000.0])
def test_first_edges_of_big_circles_land_near_the_limit(radius: float) -> None:
    """Not far below it, as the curvature bound's even vertices do (issue 14)."""
    tol = default_tolerance_m(radius)
    limit = tol * SAFETY
    centres = random_centres(20, seed=21)
    ids, az = first_azimuths(centres[:, 1], radius, tol)
    worst = []
    for i, (lon, lat) in enumerate(centres):
        a = az[ids == i]
        assert np.all(np.diff(a) > 0.0)
        plon, plat, _ = GEOD.fwd(
            np.full(a.size, lon), np.full(a.size, lat), a, np.full(a.size, radius)
        )
        plon, plat = np.asarray(plon), np.asarray(plat)
        err = sampled_errors(lon, lat, radius, plon, plat, np.roll(plon, -1), np.roll(plat, -1))
        worst.append(err.max() / limit)
    bound = sum(min_vertices(radius, tol, float(lat)) for lat in centres[:, 1])
    assert 0.85 <= float(np.median(worst)) <= 1.2
    assert ids.size < 0.6 * bound


def test_arcs_within_tolerance_and_in_order() -> None:
    """Arcs of buffers: every drawn edge, the arc's two ends included, within tolerance."""
    rng = np.random.default_rng(4)
    centres = np.vstack([random_centres(40, seed=8), [[0.0, 89.99], [179.9, -80.0]]])
    lon, lat = centres[:, 0], centres[:, 1]
    az_from = rng.uniform(-180.0, 180.0, lon.size)
    az_to = az_from + rng.uniform(1.0, 180.0, lon.size)
    for d in (30_000.0, 500_000.0, 3_000_000.0):
        tol = default_tolerance_m(d)
        got = arcs(lon, lat, az_from, az_to, d, tol)
        assert len(got) == lon.size
        for k, inner in enumerate(got):
            ends = GEOD.fwd([lon[k]] * 2, [lat[k]] * 2, [az_from[k], az_to[k]], [d] * 2)
            pts = np.vstack([[ends[0][0], ends[1][0]], inner, [ends[0][1], ends[1][1]]])
            a, b = pts[:-1], pts[1:]
            err = sampled_errors(lon[k], lat[k], d, a[:, 0], a[:, 1], b[:, 0], b[:, 1])
            assert err.max() <= tol, (k, d)
            # in increasing azimuth from the start: each step turns the same way
            n = len(inner)
            az_in = GEOD.inv([lon[k]] * n, [lat[k]] * n, inner[:, 0], inner[:, 1])[0]
            step = np.diff(np.concatenate([[az_from[k]], az_in, [az_to[k]]])) % 360.0
            assert np.all(step < 180.0), (k, d)


# ---------------------------------------------------------------------------
# the edge model: every decision it makes is the exact one
# ---------------------------------------------------------------------------


def exact_placement(lon: float, lat: float, radius: float, tol: float) -> FloatArray:
    """Vertices of a circle refined with every edge checked by inverse problems.

    The reference for :func:`refine_circles`: the same first vertices (where
    :func:`first_azimuths` puts them), the same samples and the same splits at the
    middle azimuth, but no model of the curve.
    """
    params: FloatArray = first_azimuths(np.array([lat]), radius, tol)[1]
    for _ in range(60):
        t1 = np.append(params[1:], params[0] + 360.0)
        n = params.size
        both = GEOD.fwd(
            np.full(2 * n, lon),
            np.full(2 * n, lat),
            np.concatenate([params, t1]),
            np.full(2 * n, radius),
            return_back_azimuth=False,
        )
        lon0, lon1 = both[0][:n], both[0][n:]
        lat0, lat1 = both[1][:n], both[1][n:]
        err = np.zeros(n)
        for slon, slat in edge_samples(lon0, lat0, lon1, lat1):
            d = GEOD.inv(np.full(n, lon), np.full(n, lat), slon, slat)[2]
            err = np.maximum(err, np.abs(np.asarray(d) - radius))
        bad = err > tol * SAFETY
        if not bad.any():
            break
        params = np.sort(np.concatenate([params, 0.5 * (params[bad] + t1[bad])]))
    plon, plat, _ = GEOD.fwd(
        np.full(params.size, lon),
        np.full(params.size, lat),
        params,
        np.full(params.size, radius),
        return_back_azimuth=False,
    )
    return np.column_stack([plon, plat])


def assert_exact_placement(centres: FloatArray, radius: float) -> None:
    tol = default_tolerance_m(radius)
    lon, lat = centres[:, 0], centres[:, 1]
    ids, vlon, vlat = refine_circles(lon, lat, radius, first_azimuths(lat, radius, tol), tol)
    for i, (c_lon, c_lat) in enumerate(centres):
        want = exact_placement(float(c_lon), float(c_lat), radius, tol)
        got = np.column_stack([vlon[ids == i], vlat[ids == i]])
        assert np.array_equal(got, want), (c_lon, c_lat)
        curve = circle_curve(float(c_lon), float(c_lat), radius, tol)
        assert np.array_equal(curve, want[::-1])


@pytest.mark.parametrize(
    "radius", [1.0, 1_000.0, 300_000.0, 3_000_000.0, 10_000_000.0, 19_000_000.0]
)
def test_vertices_are_where_exact_checks_of_every_edge_put_them(radius: float) -> None:
    """The model decides only edges whose error is clear of the limit: same vertices."""
    centres = np.vstack([random_centres(12, seed=int(radius) % 1000), [[36.23, 50.0]]])
    assert_exact_placement(centres, radius)


def test_vertices_of_many_discs_are_where_exact_checks_put_them() -> None:
    """Where most edges sit near the limit: 300 discs of 300 km, as in the benchmark.

    Deciding every edge by the model alone moves a vertex in about 1 disc in 70 here.
    """
    rng = np.random.default_rng(14)
    centres = np.column_stack([rng.uniform(20.0, 50.0, 300), rng.uniform(40.0, 60.0, 300)])
    assert_exact_placement(centres, 300_000.0)


@pytest.mark.parametrize("radius", [300_000.0, 2_000_000.0, 10_886_111.0])
def test_model_errors_agree_with_inverse_problems(radius: float) -> None:
    """Edges the model decides: within a part in 1,000 of the exact sampled error."""
    tol = default_tolerance_m(radius)
    limit = tol * SAFETY
    for lon, lat in random_centres(30, seed=11):
        n0 = min_vertices(radius, tol, float(lat)) * 2
        az = (np.arange(n0) + _PHASE) * (360.0 / n0)
        plon, plat, paz = GEOD.fwd(
            np.full(n0, lon), np.full(n0, lat), az, np.full(n0, radius), return_back_azimuth=False
        )
        rows = _vertices(np.asarray(plon), np.asarray(plat), np.asarray(paz))
        ends = np.stack([np.arange(n0), np.roll(np.arange(n0), -1)])
        err, unsure, _ = hermite_errors(rows[:, ends], limit)
        exact = sampled_errors(lon, lat, radius, plon, plat, plon[ends[1]], plat[ends[1]])
        sure = ~unsure
        assert sure.sum() > n0 // 2
        assert np.all((err[sure] > limit) == (exact[sure] > limit))
        assert np.abs(err[sure] - exact[sure]).max() <= 1e-3 * limit


def sampled_errors(
    lon: float,
    lat: float,
    radius: float,
    lon0: FloatArray,
    lat0: FloatArray,
    lon1: FloatArray,
    lat1: FloatArray,
) -> FloatArray:
    """Largest error of straight edges at their samples, by inverse problems."""
    n = lon0.size
    err = np.zeros(n)
    for slon, slat in edge_samples(lon0, lat0, lon1, lat1):
        d = GEOD.inv(np.full(n, lon), np.full(n, lat), slon, slat)[2]
        err = np.maximum(err, np.abs(np.asarray(d) - radius))
    return err


@pytest.mark.parametrize("radius", [30_000.0, 300_000.0, 3_000_000.0, 12_000_000.0])
def test_halves_of_even_arcs_are_within_three_quarters_of_the_limit(radius: float) -> None:
    """Why refine_circles does not check them again; near the poles too."""
    tol = default_tolerance_m(radius)
    limit = tol * SAFETY
    centres = np.vstack([random_centres(20, seed=5), [[149.16, 88.04], [-20.0, -89.5]]])
    skipped = 0
    # fewer first vertices than refine_circles starts with, so that many edges are bad
    # (the first guess is generous for large circles and near the poles)
    factors = (0.85, 0.6, 0.4, 0.25, 0.15, 0.1)
    for (lon, lat), factor in itertools.product(centres, factors):
        n0 = max(int(min_vertices(radius, tol, float(lat)) * factor), 16)
        az = (np.arange(n0) + _PHASE) * (360.0 / n0)
        t1 = np.append(az[1:], az[0] + 360.0)
        plon, plat, paz = GEOD.fwd(
            np.full(n0, lon), np.full(n0, lat), az, np.full(n0, radius), return_back_azimuth=False
        )
        rows = _vertices(np.asarray(plon), np.asarray(plat), np.asarray(paz))
        nxt = np.roll(np.arange(n0), -1)
        err, unsure, even = hermite_errors(rows[:, np.stack([np.arange(n0), nxt])], limit)
        exact = sampled_errors(lon, lat, radius, plon, plat, plon[nxt], plat[nxt])
        err = np.where(unsure, exact, err)
        sel = np.flatnonzero((err > limit) & (err <= 1.5 * limit) & even)
        skipped += sel.size
        mid = 0.5 * (az[sel] + t1[sel])
        mlon, mlat, _ = GEOD.fwd(
            np.full(sel.size, lon),
            np.full(sel.size, lat),
            mid,
            np.full(sel.size, radius),
            return_back_azimuth=False,
        )
        first = sampled_errors(lon, lat, radius, plon[sel], plat[sel], mlon, mlat)
        second = sampled_errors(lon, lat, radius, mlon, mlat, plon[nxt[sel]], plat[nxt[sel]])
        assert np.all(first <= 0.75 * limit), (lon, lat)
        assert np.all(second <= 0.75 * limit), (lon, lat)
    assert skipped > 100


# ---------------------------------------------------------------------------
# scalar distances
# ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ((30.5234, 50.4501), (37.6173, 55.7558)),
        ((179.9, 10), (-179.9, -10)),
        ((0, 90), (0, -90)),
        ((12.5, 0.0), (12.5, 0.0)),
        ((-180.0, -90.0), (180, 90)),
    ],
)
def test_scalar_distance_and_bearing_match_the_array_path(
    a: tuple[float, float], b: tuple[float, float]
) -> None:
    one = distance_m(a, b)
    assert isinstance(one, float)
    assert one == float(distance_m(np.array([a]), np.array([b]))[0])
    bearing = initial_bearing_deg(a, b)
    assert isinstance(bearing, float)
    assert bearing == float(initial_bearing_deg(np.array([a]), np.array([b]))[0])


@pytest.mark.parametrize(
    ("a", "match"),
    [
        ((30.0, 91.0), "a has latitude 91.0"),
        ((190.0, 50.0), "a has longitude 190.0"),
        ((math.nan, 50.0), "a must have finite"),
        ((math.inf, 50.0), "a must have finite"),
    ],
)
def test_scalar_distance_still_checks_points(a: tuple[float, float], match: str) -> None:
    from rangemap.errors import InputError

    with pytest.raises(InputError, match=match):
        distance_m(a, (30.0, 50.0))


# ---------------------------------------------------------------------------
# first vertices from the model of the drawn curve (issue 14: the 10,000 km ring)
# ---------------------------------------------------------------------------


def test_ring_of_10000_km_at_the_equator_needs_no_split() -> None:
    """It passes about 2 km from both poles: its first vertices are already its last."""
    radius = 10_000_000.0
    tol = default_tolerance_m(radius)
    centre = (36.23, 0.0)
    ids, az = first_azimuths(np.array([0.0]), radius, tol)
    out_ids, vlon, vlat = refine_circles(np.array([36.23]), np.array([0.0]), radius, (ids, az), tol)
    assert out_ids.size == az.size
    assert 60 <= az.size <= 110  # 134 before, found by six passes of splits
    assert np.abs(vlat).max() > 89.98  # both poles within 2.1 km
    assert np.abs(vlat).min() < 5.0
    geom = ring(centre, radius)
    assert geom.is_valid
    assert np.abs(boundary_errors(centre, radius, geom)).max() <= tol
    # the edges near the poles, where the drawn curve bends sharply, within the limit
    plon, plat = np.append(vlon, vlon[0]), np.append(vlat, vlat[0])
    err = sampled_errors(*centre, radius, plon[:-1], plat[:-1], plon[1:], plat[1:])
    polar = np.abs(plat[:-1]) > 89.0
    assert polar.sum() >= 10
    assert err.max() <= tol * SAFETY
    assert err[polar].max() >= 0.5 * tol * SAFETY  # and not far below it


@pytest.mark.parametrize("gap", [-5_000.0, -600.0, -30.0, 0.0, 30.0, 600.0, 5_000.0])
@pytest.mark.parametrize("lat", [0.0, 45.0, -30.0])
def test_first_edges_of_circles_through_a_pole_are_within_the_limit(gap: float, lat: float) -> None:
    """Circles over, through or just short of the North Pole: first edges within the limit.

    The drawn curve turns by 180 degrees within a few kilometres there, a corner when
    the gap is below the tolerance (the bump of density across it costs a few vertices).
    """
    radius = GEOD.inv(0.0, lat, 0.0, 90.0)[2] + gap  # the North Pole's gap
    tol = default_tolerance_m(radius)
    limit = tol * SAFETY
    assert min_vertices(radius, tol, lat) > 384  # placed by the model
    az = first_azimuths(np.array([lat]), radius, tol)[1]
    assert np.all(np.diff(az) > 0.0)
    plon, plat, _ = GEOD.fwd(
        np.full(az.size, 10.0), np.full(az.size, lat), az, np.full(az.size, radius)
    )
    plon, plat = np.asarray(plon), np.asarray(plat)
    err = sampled_errors(10.0, lat, radius, plon, plat, np.roll(plon, -1), np.roll(plat, -1))
    assert 0.3 * limit <= err.max() <= limit
