"""Distances from points to lines and territories (rangemap/geodesy/_nearest.py).

The reference is brute force: every edge (straight in longitude/latitude, as GeoJSON
and :func:`rangemap.geodesy.buffer` read it) sampled every few metres, and the smallest
``pyproj.Geod.inv`` distance to the samples; 0 inside a polygon.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest
import shapely
from pyproj import Geod
from shapely.geometry import LineString, MultiLineString, MultiPoint, MultiPolygon, Point, Polygon

from rangemap import regions
from rangemap.errors import InputError
from rangemap.geodesy import buffer, distance_to, nearest_point

GEOD = Geod(ellps="WGS84")
FRONT = LineString([(36.23, 49.99), (37.55, 48.59), (37.80, 48.02), (38.9, 47.3)])
Array = np.ndarray


def _real_edges(geometry: shapely.Geometry) -> tuple[Array, Array]:
    """Start and end of every edge, leaving out RFC 7946 cut edges of polygons."""
    starts, ends = [], []
    for part in shapely.get_parts(geometry):
        if isinstance(part, Polygon):
            for ring in [part.exterior, *part.interiors]:
                xy = np.asarray(ring.coords)
                a, b = xy[:-1], xy[1:]
                cut = (np.abs(a[:, 0]) == 180) & (np.abs(b[:, 0]) == 180)
                cut |= (np.abs(a[:, 1]) == 90) & (np.abs(b[:, 1]) == 90)
                starts.append(a[~cut])
                ends.append(b[~cut])
        else:
            xy = np.asarray(part.coords)
            starts.append(xy[:-1])
            ends.append(xy[1:])
    return np.concatenate(starts), np.concatenate(ends)


def _split(a: Array, b: Array, step_m: float) -> tuple[Array, Array]:
    """Split straight lon/lat edges into pieces of at most ``step_m`` metres of chord."""
    _, _, length = GEOD.inv(a[:, 0], a[:, 1], b[:, 0], b[:, 1])
    n = np.maximum(np.ceil(length / step_m), 1).astype(int)
    i = np.repeat(np.arange(n.size), n)
    k = np.concatenate([np.arange(m) for m in n])[:, None]
    return a[i] + k / n[i, None] * (b - a)[i], a[i] + (k + 1) / n[i, None] * (b - a)[i]


def brute_force(geometry: shapely.Geometry, lon: Array, lat: Array) -> Array:
    """Smallest distance to the edges sampled every 10 m; 0 inside a polygon.

    Edges are cut into 1 km pieces first; only pieces that can hold the nearest point
    (triangle inequality: no point of a piece is nearer than half the sum of the
    distances to its ends minus its length, with 1 % to spare) are sampled.
    """
    a, b = _split(*_real_edges(geometry), 1_000.0)
    _, _, length = GEOD.inv(a[:, 0], a[:, 1], b[:, 0], b[:, 1])
    out = np.empty(lon.size)
    for k, (x, y) in enumerate(zip(lon, lat, strict=True)):
        _, _, da = GEOD.inv(np.full(len(a), x), np.full(len(a), y), a[:, 0], a[:, 1])
        _, _, db = GEOD.inv(np.full(len(b), x), np.full(len(b), y), b[:, 0], b[:, 1])
        near = 0.5 * (da + db - 1.01 * length) <= np.minimum(da, db).min() + 1.0
        sa, sb = _split(a[near], b[near], 10.0)
        samples = np.concatenate([sa, sb[-1:]])
        _, _, d = GEOD.inv(
            np.full(len(samples), x), np.full(len(samples), y), samples[:, 0], samples[:, 1]
        )
        out[k] = min(d.min(), da.min(), db.min())
    polygons = [p for p in shapely.get_parts(geometry) if isinstance(p, Polygon)]
    if polygons:
        out[shapely.intersects_xy(shapely.union_all(polygons), lon, lat)] = 0.0
    return out


def _check(geometry: shapely.Geometry, lon: Array, lat: Array) -> Array:
    got = distance_to(geometry, lon, lat)
    expected = brute_force(geometry, lon, lat)
    # Sampling every 10 m overestimates by at most (5 m)^2 / (2 d): keep d above 100 m.
    far = expected > 100.0
    assert np.all(got <= expected + 1e-6)  # never farther than a real boundary point
    assert np.all(np.abs(got - expected)[far] < 1.0), np.abs(got - expected).max()
    assert np.all(got[~far] < expected[~far] + 1e-6)
    return got


def test_front_line_against_brute_force() -> None:
    rng = np.random.default_rng(1)
    lon = rng.uniform(34.0, 41.0, 25)
    lat = rng.uniform(46.0, 52.0, 25)
    got = _check(FRONT, lon, lat)
    assert got.min() > 0.0


def test_a_line_through_a_city_is_at_zero() -> None:
    kharkiv = (36.2304, 49.9808)
    line = LineString([(35.0, 49.5), kharkiv, (37.5, 50.2)])
    assert distance_to(line, *kharkiv) < 1.0
    # On an edge, not at a vertex: the midpoint of a straight lon/lat edge.
    middle = (0.5 * (36.2304 + 37.5), 0.5 * (49.9808 + 50.2))
    assert distance_to(line, *middle) < 1e-3


def test_ukraine_territory_against_brute_force() -> None:
    ukraine = regions.country("UA")
    rng = np.random.default_rng(2)
    lon = rng.uniform(20.0, 42.0, 30)
    lat = rng.uniform(43.0, 54.0, 30)
    got = _check(ukraine, lon, lat)
    inside = shapely.intersects_xy(ukraine, lon, lat)
    assert inside.any()
    assert (~inside).any()
    assert np.all(got[inside] == 0.0)
    assert np.all(got[~inside] > 0.0)


def test_a_point_on_the_reach_boundary_is_at_the_range() -> None:
    """Consistent with buffer(): its vertices are `d` away, to the buffer's tolerance."""
    for source, d in ((FRONT, 300_000.0), (regions.country("UA"), 200_000.0)):
        reach = buffer(source, d)
        rings = [np.asarray(p.exterior.coords) for p in shapely.get_parts(reach)]
        xy = np.concatenate(rings)[::7]
        got = distance_to(source, xy[:, 0], xy[:, 1])
        assert np.all(np.abs(got - d) <= 1e-4 * d), np.abs(got - d).max()


def test_inside_is_zero_and_holes_count() -> None:
    square = Polygon(
        [(30, 50), (32, 50), (32, 52), (30, 52), (30, 50)],
        [[(30.5, 50.5), (31.5, 50.5), (31.5, 51.5), (30.5, 51.5), (30.5, 50.5)]],
    )
    got = distance_to(square, [30.2, 31.0, 32.0, 31.0], [51.0, 51.0, 51.0, 50.5])
    assert got[0] == 0.0  # inside
    assert got[2] == 0.0
    assert got[3] == 0.0
    _, _, to_hole = GEOD.inv(31.0, 51.0, 31.5, 51.0)
    assert got[1] == pytest.approx(to_hole, abs=1.0)  # in the hole: to its edge
    _check(square, np.array([31.0, 33.0]), np.array([51.0, 51.0]))


def test_russia_across_the_antimeridian() -> None:
    """Inside on either side of ±180 is 0; outside never measures to the cut edge."""
    russia = regions.country("RU")
    assert isinstance(russia, MultiPolygon)
    # Chukotka, on the meridian itself and on both sides of it.
    for x in (180.0, -180.0, 179.99, -179.99):
        assert distance_to(russia, x, 66.5) == 0.0
    # The Chukchi Sea north of Wrangel Island: metres from the cut, far from the coast.
    for x in (179.9999, -179.9999, 180.0):
        assert distance_to(russia, x, 73.5) > 50_000.0
    rng = np.random.default_rng(3)
    lon = np.concatenate([rng.uniform(172.0, 180.0, 8), rng.uniform(-180.0, -168.0, 8)])
    lat = rng.uniform(62.0, 74.0, 16)
    _check(russia, lon, lat)


def test_fiji_across_the_antimeridian() -> None:
    fiji = regions.country("FJ")
    rng = np.random.default_rng(4)
    lon = np.concatenate([rng.uniform(176.5, 180.0, 10), rng.uniform(-180.0, -178.0, 10)])
    lat = rng.uniform(-19.5, -15.5, 20)
    _check(fiji, lon, lat)


def test_near_the_poles() -> None:
    rng = np.random.default_rng(5)
    arctic = LineString([(-170, 85), (-30, 89.5), (100, 88), (170, 84)])
    lon = rng.uniform(-180, 180, 15)
    lat = rng.uniform(80, 90, 15)
    _check(arctic, np.append(lon, 0.0), np.append(lat, 90.0))
    antarctica = regions.country("AQ")
    lon = rng.uniform(-180, 180, 10)
    lat = rng.uniform(-80, -58, 10)
    got = _check(antarctica, lon, lat)
    # The South Pole is inside, not on the polar closing edge.
    assert distance_to(antarctica, 0.0, -90.0) == 0.0
    assert (got > 0).any()


def test_points_and_collections() -> None:
    kyiv, moscow = (30.52, 50.45), (37.62, 55.76)
    _, _, metres = GEOD.inv(*kyiv, *moscow)
    assert float(distance_to(Point(moscow), *kyiv)) == pytest.approx(metres, abs=1e-6)
    both = MultiPoint([moscow, (20.0, 40.0)])
    assert float(distance_to(both, *kyiv)) == pytest.approx(metres, abs=1e-6)
    lines = MultiLineString([[(30, 40), (31, 41)], [(37.62, 55.0), (37.62, 56.0)]])
    assert float(distance_to(lines, *moscow)) == pytest.approx(0.0, abs=1e-6)


def test_nearest_point_and_shapes() -> None:
    metres, lon, lat = nearest_point(FRONT, [35.05, 36.23], [48.46, 49.99])
    assert metres.shape == lon.shape == (2,)
    _, _, back = GEOD.inv(35.05, 48.46, float(lon[0]), float(lat[0]))
    assert back == pytest.approx(metres[0], abs=1e-3)
    assert FRONT.distance(Point(float(lon[0]), float(lat[0]))) < 1e-9  # on the line
    assert (float(lon[1]), float(lat[1])) == (36.23, 49.99)
    grid = distance_to(FRONT, np.full((2, 3), 36.0), np.full((2, 3), 48.0))
    assert grid.shape == (2, 3)
    assert distance_to(FRONT, 36.0, 48.0).shape == ()
    assert distance_to(FRONT, [], []).shape == (0,)


@pytest.mark.parametrize(
    ("geometry", "lon", "lat", "match"),
    [
        (Polygon(), 30.0, 50.0, "empty Polygon"),
        ("Kyiv", 30.0, 50.0, "must be a shapely geometry"),
        (FRONT, 30.0, 91.0, "latitude 91"),
        (FRONT, 200.0, 50.0, "longitude 200"),
        (FRONT, [1.0, 2.0], [1.0, 2.0, 3.0], "broadcastable"),
        (FRONT, "x", 50.0, "numbers"),
    ],
)
def test_rejects(geometry: Any, lon: object, lat: object, match: str) -> None:
    with pytest.raises(InputError, match=match):
        distance_to(geometry, lon, lat)
