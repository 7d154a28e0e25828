"""The browser's ring construction (``rangemap/render/js/ring.js``) against rangemap.geodesy.

A blank page with only ``geodesic.js`` and ``ring.js``, every network request blocked and
recorded, in Debian's Chromium. Each ring and annulus drawn there is compared with
:func:`rangemap.geodesy.ring` / :func:`rangemap.geodesy.annulus` (geometry type, parts,
holes, area on the ellipsoid, poles enclosed) and measured on its own: every vertex, and
points along every drawn edge (straight in longitude/latitude and in Web Mercator), lie
within the tolerance of the true circle by ``pyproj.Geod.inv``. Skips with a reason when
Chromium is missing, unless ``RANGEMAP_REQUIRE_BROWSER=1``.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import numpy as np
import pytest
import shapely
from offline_page import Visit, open_scripts
from pyproj import Geod
from shapely.geometry import MultiPolygon, Polygon, shape
from shapely.geometry.base import BaseGeometry

from rangemap import geodesy
from rangemap.geodesy._accuracy import edge_points

pytestmark = pytest.mark.browser

GEOD = Geod(ellps="WGS84")
MOSCOW = (37.62, 55.76)
KHARKIV = (36.23, 49.99)


@pytest.fixture(scope="module")
def ring_page(chromium_launched: Any) -> Iterator[Visit]:
    """A blank offline page with ``geodesic.js`` and ``ring.js`` added."""
    visit = open_scripts(chromium_launched, "geodesic.js", "ring.js")
    try:
        yield visit
    finally:
        visit.context.close()


@dataclass(frozen=True)
class Case:
    """A ring (``min_m`` 0) or an annulus around ``centre``."""

    name: str
    centre: tuple[float, float]
    max_m: float
    min_m: float = 0.0
    tolerance_m: float | None = None


def _random_cases() -> list[Case]:
    rng = random.Random(16)
    out = []
    for radius in (1_000.0, 300_000.0, 3_000_000.0):
        for i in range(4):
            centre = (round(rng.uniform(-180.0, 180.0), 4), round(rng.uniform(-90.0, 90.0), 4))
            out.append(Case(f"random {radius / 1000:,.0f} km #{i}", centre, radius))
    return out


CASES = [
    Case("Moscow 300 km", MOSCOW, 300_000.0),
    Case("across ±180", (179.5, 65.0), 300_000.0),
    Case("around the North Pole", (20.0, 85.0), 1_000_000.0),
    Case("around the South Pole", (-60.0, -80.0), 2_000_000.0),
    Case("Kharkiv 70-300 km", KHARKIV, 300_000.0, 70_000.0),
    Case("annulus across ±180", (179.5, 65.0), 300_000.0, 70_000.0),
    Case("annulus around the pole", (20.0, 85.0), 1_000_000.0, 700_000.0),
    Case("equator 10,000 km", (0.0, 0.0), 10_000_000.0),
    Case("wider than half the Earth", (0.5, 0.0), 15_000_000.0),
    Case("beyond the cut locus", (10.0, 20.0), 19_990_000.0),
    Case("annulus wider than half the Earth", (179.5, 0.0), 15_000_000.0, 300_000.0),
    Case("Moscow 300 km, 5 m", MOSCOW, 300_000.0, tolerance_m=5.0),
    *_random_cases(),
]


def _python(case: Case) -> Polygon | MultiPolygon:
    if case.min_m == 0.0:
        return geodesy.ring(case.centre, case.max_m, tolerance_m=case.tolerance_m)
    return geodesy.annulus(case.centre, case.min_m, case.max_m, tolerance_m=case.tolerance_m)


def _browser(ring_page: Visit, case: Case) -> dict[str, Any]:
    lon, lat = case.centre
    if case.min_m == 0.0:
        call = "a => window.rangemap.ring(a[0], a[1], a[2], a[4])"
    else:
        call = "a => window.rangemap.annulus(a[0], a[1], a[3], a[2], a[4])"
    result: dict[str, Any] = ring_page.page.evaluate(
        call, [lon, lat, case.max_m, case.min_m, case.tolerance_m]
    )
    return result


def _parts(geom: BaseGeometry) -> list[Polygon]:
    return list(shapely.get_parts(geom))


def _poles(geom: BaseGeometry) -> tuple[bool, bool]:
    """Whether a shape is closed through the North Pole and through the South Pole."""
    lat = shapely.get_coordinates(geom)[:, 1]
    return bool((lat == 90.0).any()), bool((lat == -90.0).any())


def _error_ratio(case: Case, geom: BaseGeometry) -> float:
    """The worst distance of the drawn boundary from the true circles, over the tolerance.

    Vertices, and three more points along each edge straight in longitude/latitude, and
    the Web Mercator midpoint of each edge (below 85°); seam edges are left out.
    """
    points = np.vstack(
        [edge_points(geom, per_edge=4), edge_points(geom, per_edge=2, mercator=True)]
    )
    n = len(points)
    _, _, dist = GEOD.inv(
        np.full(n, case.centre[0]), np.full(n, case.centre[1]), points[:, 0], points[:, 1]
    )

    def off(radius: float) -> Any:
        return np.abs(dist - radius) / (case.tolerance_m or geodesy.default_tolerance_m(radius))

    ratio = off(case.max_m)
    if case.min_m > 0.0:
        ratio = np.minimum(ratio, off(case.min_m))
    return float(ratio.max())


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_ring_matches_python(ring_page: Visit, case: Case) -> None:
    drawn = _browser(ring_page, case)
    python = _python(case)
    assert drawn["type"] == python.geom_type
    geom = shape(drawn)
    assert geom.is_valid
    assert len(_parts(geom)) == len(_parts(python))
    assert sorted(len(p.interiors) for p in _parts(geom)) == sorted(
        len(p.interiors) for p in _parts(python)
    )
    assert _poles(geom) == _poles(python)
    area = abs(GEOD.geometry_area_perimeter(geom)[0])
    expected = abs(GEOD.geometry_area_perimeter(python)[0])
    assert area == pytest.approx(expected, rel=1e-3)
    # RFC 7946: closed rings, exteriors counter-clockwise, holes clockwise
    for part in _parts(geom):
        assert part.exterior.is_ccw
        assert all(not hole.is_ccw for hole in part.interiors)
    polygons = drawn["coordinates"] if drawn["type"] == "MultiPolygon" else [drawn["coordinates"]]
    for rings in polygons:
        for ring in rings:
            assert ring[0] == ring[-1]


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_ring_within_tolerance(ring_page: Visit, case: Case) -> None:
    geom = shape(_browser(ring_page, case))
    xy = shapely.get_coordinates(geom)
    assert (np.abs(xy[:, 0]) <= 180.0).all()
    assert (np.abs(xy[:, 1]) <= 90.0).all()
    assert _error_ratio(case, geom) <= 1.0


def test_split_parts_meet_on_the_seam(ring_page: Visit) -> None:
    """Across ±180: one part ends exactly on +180, the other exactly on -180."""
    drawn = _browser(ring_page, CASES[1])
    assert drawn["type"] == "MultiPolygon"
    seams = sorted(
        {lon for ring in part for lon, _ in ring if abs(lon) == 180.0}.pop()
        for part in drawn["coordinates"]
    )
    assert seams == [-180.0, 180.0]
    # the two parts meet along the seam at the same latitudes
    lats = [
        sorted(lat for ring in part for lon, lat in ring[:-1] if abs(lon) == 180.0)
        for part in drawn["coordinates"]
    ]
    assert lats[0] == lats[1]


def test_whole_world_and_tiny(ring_page: Visit) -> None:
    world = ring_page.page.evaluate("() => window.rangemap.ring(30.52, 50.45, 20003931.458625447)")
    assert shape(world).equals(shapely.box(-180.0, -90.0, 180.0, 90.0))
    tiny = shape(ring_page.page.evaluate("() => window.rangemap.ring(30.52, 50.45, 0.001)"))
    assert tiny.geom_type == "Polygon"
    xy = shapely.get_coordinates(tiny)
    _, _, dist = GEOD.inv(np.full(len(xy), 30.52), np.full(len(xy), 50.45), xy[:, 0], xy[:, 1])
    assert np.abs(dist - 0.001).max() <= 1e-3


def test_annulus_without_minimum_is_the_ring(ring_page: Visit) -> None:
    same = ring_page.page.evaluate(
        "() => JSON.stringify(window.rangemap.annulus(36.23, 49.99, 0, 300000)) ==="
        " JSON.stringify(window.rangemap.ring(36.23, 49.99, 300000))"
    )
    assert same is True


def test_deterministic(ring_page: Visit) -> None:
    twice = ring_page.page.evaluate(
        "() => [0, 1].map(() => JSON.stringify(window.rangemap.ring(179.5, 65, 300000)))"
    )
    assert twice[0] == twice[1]


@pytest.mark.parametrize(
    ("call", "words"),
    [
        ("window.rangemap.ring(200, 50, 300000)", "lon is 200"),
        ("window.rangemap.ring(30, 95, 300000)", "lat is 95"),
        ("window.rangemap.ring(30, 50, -1)", "radius_m must be a positive"),
        ("window.rangemap.ring(30, 50, 3e7)", "longer than any distance"),
        ("window.rangemap.ring(30, 50, 300000, 1e-6)", "is too small for a distance"),
        ("window.rangemap.annulus(30, 50, 300000, 70000)", "min_m (300000 m) must be smaller"),
    ],
)
def test_bad_arguments_throw(ring_page: Visit, call: str, words: str) -> None:
    caught = "catch (e) { return e.name + ': ' + e.message; }"
    message = ring_page.page.evaluate(f"() => {{ try {{ {call}; return null; }} {caught} }}")
    assert message is not None
    assert message.startswith("RangeError: ")
    assert words in message


def test_no_console_errors_or_requests(ring_page: Visit) -> None:
    ring_page.page.evaluate("() => window.rangemap.ring(37.62, 55.76, 300000)")
    assert ring_page.errors == []
    assert ring_page.blocked == []


def _pole_distance(lat: float) -> float:
    """Metres from a point at ``lat`` to its nearer pole, along its meridian."""
    return float(GEOD.inv(0.0, lat, 0.0, 90.0 if lat >= 0.0 else -90.0)[2])


#: Big circles, whose first vertices come from the model of the drawn curve's curvature
#: (rangemap.geodesy._curves.first_azimuths): in the browser as many vertices as in Python.
BIG = [
    Case("equator 10,000 km", (0.0, 0.0), 10_000_000.0),
    Case("60N 5,000 km", (10.0, 60.0), 5_000_000.0),
    Case("15,000 km", (0.5, 0.0), 15_000_000.0),
    Case("9,000 km from Kyiv", (30.52, 50.45), 9_000_000.0),
    Case("3 km short of the North Pole", (12.0, 70.0), _pole_distance(70.0) - 3_000.0),
    Case("2 km over the North Pole", (12.0, 70.0), _pole_distance(70.0) + 2_000.0),
    Case("20 m short of the North Pole", (-45.0, 80.0), _pole_distance(80.0) - 20.0),
    Case("5 km short of the South Pole", (150.0, -40.0), _pole_distance(-40.0) - 5_000.0),
    Case("1 km over the South Pole", (179.9, -62.0), _pole_distance(-62.0) + 1_000.0),
    Case("12,000 km, 500 m", (121.13, -4.26), 12_000_000.0, tolerance_m=500.0),
]


@pytest.mark.parametrize("case", BIG, ids=[c.name for c in BIG])
def test_big_circles_have_pythons_vertices(ring_page: Visit, case: Case) -> None:
    drawn = shape(_browser(ring_page, case))
    python = _python(case)
    ours, theirs = shapely.get_coordinates(drawn), shapely.get_coordinates(python)
    assert len(ours) == len(theirs)
    # the same vertices (each part may start elsewhere)
    assert np.unique(ours.round(9), axis=0) == pytest.approx(np.unique(theirs.round(9), axis=0))
    assert _poles(drawn) == _poles(python)
    assert _error_ratio(case, drawn) <= 1.0


def test_equator_10000_km_has_the_models_vertices(ring_page: Visit) -> None:
    """The model places 90 vertices where a 64-vertex trial placed 135 (one closes)."""
    drawn = _browser(ring_page, BIG[0])
    assert drawn["type"] == "Polygon"
    assert len(drawn["coordinates"][0]) == 90
