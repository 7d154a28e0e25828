"""Reach: geometry from the geodesy module and provenance from the catalog."""

from __future__ import annotations

import datetime as dt
from typing import Any

import numpy as np
import pytest
import shapely
from hypothesis import given, settings
from hypothesis import strategies as st
from pyproj import Geod
from shapely.geometry import LineString, Point

from rangemap.catalog import Catalog, Qualifier, load_catalog
from rangemap.errors import InputError, UnknownSystemError
from rangemap.reach import Reach, Site, as_sites
from rangemap.units import MAX_DISTANCE_M

GEOD = Geod(ellps="WGS84")
SUMY = "50.9077, 34.7981=Sumy"
KHARKIV = "49.9935, 36.2304=Kharkiv"


def _boundary_distances_m(geometry: shapely.Geometry, lon: float, lat: float) -> np.ndarray:
    coords = shapely.get_coordinates(shapely.boundary(geometry))
    # Seams of RFC 7946 pieces (±180, poles) are not part of the reach boundary.
    keep = (np.abs(coords[:, 0]) < 179.999) & (np.abs(coords[:, 1]) < 89.999)
    coords = coords[keep]
    _, _, dist = GEOD.inv(
        np.full(len(coords), lon), np.full(len(coords), lat), coords[:, 0], coords[:, 1]
    )
    return np.asarray(dist)


def test_from_distance_is_a_geodesic_disc() -> None:
    reach = Reach.from_distance(300_000, SUMY)
    dist = _boundary_distances_m(reach.geometry, 34.7981, 50.9077)
    assert dist.size > 100
    assert np.all(np.abs(dist - 300_000) <= 30.01)
    assert reach.geometry.contains(Point(34.7981, 50.9077))
    assert reach.label == "300 km"
    assert reach.system_id is None
    assert reach.sources == ()
    assert reach.origins == (Site(Point(34.7981, 50.9077), "Sumy"),)


def test_from_distance_label_and_minimum() -> None:
    reach = Reach.from_distance(500_000, [SUMY], min_distance_m=100_000, label="Test band")
    assert reach.label == "Test band"
    assert reach.phrase == "100 km to 500 km"
    assert not reach.geometry.contains(Point(34.7981, 50.9077))
    assert reach.geometry.contains(Point(34.7981, 53.0))  # about 233 km north


@pytest.mark.parametrize(
    ("distance_m", "minimum_m"),
    [(0, None), (-5, None), (float("nan"), None), (30_000_000, None), (300_000, 300_000)],
)
def test_from_distance_refuses_bad_distances(distance_m: float, minimum_m: float | None) -> None:
    with pytest.raises(InputError, match="distance_m"):
        Reach.from_distance(distance_m, SUMY, min_distance_m=minimum_m)


def test_distances_up_to_the_one_earth_limit() -> None:
    # 20,003.95 km passed the old limit of 20,004 km here and failed in geodesy.
    said = r"^distance_m: 20003950\.0 is not a distance .*20,003\.93 km, half a meridian"
    with pytest.raises(InputError, match=said):
        Reach.from_distance(20_003_950.0, SUMY)
    whole_earth = Reach.from_distance(MAX_DISTANCE_M, SUMY)
    assert whole_earth.geometry.area == pytest.approx(360 * 180)


def test_from_system_default_variant_and_provenance() -> None:
    catalog = load_catalog()
    reach = Reach.from_system("atacms", [SUMY, KHARKIV])
    system = catalog["atacms"]
    variant = system.variant(None)
    assert variant.max_range is not None
    assert reach.variant_id == variant.id
    assert reach.distance_m == variant.max_range.shown_km * 1000
    assert reach.qualifier is variant.max_range.shown_claims[0].qualifier
    assert reach.label.startswith("ATACMS")
    assert reach.label.endswith(reach.qualifier.phrase(variant.max_range.shown_km))
    assert reach.claims == variant.max_range.shown_claims
    urls = [str(s.url) for s in reach.sources]
    assert len(urls) == len(set(urls))
    assert {system.source_for(c).url for c in reach.claims} == set(urls)
    assert reach.as_of == system.as_of
    assert isinstance(reach.as_of, dt.date)
    # Both cities are covered, and the union reaches further than either disc alone.
    sumy_only = Reach.from_system("atacms", SUMY)
    assert reach.geometry.area > sumy_only.geometry.area
    assert reach.geometry.contains(Point(36.2304, 49.9935))


def test_variant_in_name_or_keyword() -> None:
    by_name = Reach.from_system("atacms:block-i", SUMY)
    by_keyword = Reach.from_system("ATACMS", SUMY, variant="block-i")
    assert by_name.variant_id == by_keyword.variant_id == "block-i"
    assert by_name.distance_m == 165_000
    assert by_name.geometry.equals(by_keyword.geometry)


def test_system_object_and_catalog_argument() -> None:
    catalog = Catalog.load()
    system = catalog.lookup("MGM-140")
    reach = Reach.from_system(system, Site(Point(36.23, 49.99), "Kharkiv"), catalog=catalog)
    assert reach.system_id == "atacms"
    assert reach.origins[0].label == "Kharkiv"


def test_spread_draws_lowest_to_highest() -> None:
    catalog = load_catalog()
    variant = catalog["oreshnik"].variant(None)
    assert variant.max_range is not None
    low_km, high_km = variant.max_range.spread_km
    reach = Reach.from_system("oreshnik", "48.46, 35.04=Dnipro", show="spread")
    assert reach.show == "spread"
    assert reach.distance_m == high_km * 1000
    assert reach.low_distance_m == low_km * 1000
    assert reach.inner_geometry is not None
    assert reach.geometry.contains(reach.inner_geometry.buffer(-0.01))
    band = reach.band_geometry
    assert band is not None
    assert band.area > 0
    assert reach.claims == variant.max_range.claims
    assert f"{high_km:,g}" in reach.label
    assert len(reach.sources) >= len({c.source for c in variant.max_range.shown_claims})


def test_spread_of_agreeing_claims_is_the_shown_figure() -> None:
    shown = Reach.from_system("kinzhal", SUMY)
    variant = load_catalog()["kinzhal"].variant(None)
    assert variant.max_range is not None
    low, high = variant.max_range.spread_km
    spread = Reach.from_system("kinzhal", SUMY, show="spread")
    if low == high:
        assert spread.show == "shown"
        assert spread.geometry.equals(shown.geometry)
    else:
        assert spread.inner_geometry is not None


def test_minimum_range_gives_an_annulus() -> None:
    catalog = load_catalog()
    with_min = [
        (s, v)
        for s in catalog.values()
        for v in s.variants
        if v.min_range is not None and v.max_range is not None
    ]
    assert with_min, "the catalog has a system with a minimum range"
    system, variant = with_min[0]
    reach = Reach.from_system(system.id, SUMY, variant=variant.id)
    assert variant.min_range is not None
    assert reach.min_distance_m == variant.min_range.shown_km * 1000
    assert not reach.geometry.contains(Point(34.7981, 50.9077))
    assert "minimum" in reach.label


def test_launcher_has_no_reach() -> None:
    with pytest.raises(InputError, match="no reported range"):
        Reach.from_system("m142-himars", SUMY)


def test_unknown_system_and_variant() -> None:
    with pytest.raises(UnknownSystemError):
        Reach.from_system("no-such-missile", SUMY)
    with pytest.raises(UnknownSystemError):
        Reach.from_system("atacms:block-ix", SUMY)


def test_show_must_be_known() -> None:
    with pytest.raises(InputError, match="show"):
        Reach.from_system("atacms", SUMY, show="widest")  # type: ignore[arg-type]


def test_line_origin_is_buffered() -> None:
    line = LineString([(34.8, 50.9), (36.2, 50.0)])
    reach = Reach.from_distance(100_000, Site(line, "Front line"))
    assert reach.geometry.intersects(line)
    _minx, miny, _maxx, maxy = reach.geometry.bounds
    # About 100 km (0.9 degrees of latitude) beyond each end of the line.
    assert miny == pytest.approx(50.0 - 0.9, abs=0.05)
    assert maxy == pytest.approx(50.9 + 0.9, abs=0.05)
    assert reach.origins[0].label == "Front line"
    assert not reach.origins[0].is_point


def test_as_sites_forms_and_errors() -> None:
    sites = as_sites([SUMY, Site(Point(36.23, 49.99), "Kharkiv"), Point(30.52, 50.45)])
    assert [s.label for s in sites] == ["Sumy", "Kharkiv", None]
    with pytest.raises(InputError, match="no origin"):
        as_sites([])
    not_an_origin: Any = 42
    with pytest.raises(InputError, match="not an origin"):
        as_sites([not_an_origin])
    with pytest.raises(InputError, match="outside"):
        Site(Point(200, 10))


@settings(max_examples=30, deadline=None)
@given(
    lon=st.floats(-180, 180),
    lat=st.floats(-89.5, 89.5),
    radius_km=st.floats(5, 5000),
)
def test_origin_is_inside_and_boundary_at_radius(lon: float, lat: float, radius_km: float) -> None:
    reach = Reach.from_distance(radius_km * 1000, Point(lon, lat))
    assert reach.geometry.intersects(Point(lon, lat))
    dist = _boundary_distances_m(reach.geometry, lon, lat)
    if dist.size:
        assert np.all(np.abs(dist - radius_km * 1000) <= radius_km * 1000 * 1e-4 + 1e-3)


def test_qualifier_enum_is_the_catalogs() -> None:
    reach = Reach.from_system("atacms", SUMY)
    assert isinstance(reach.qualifier, Qualifier)


def _rings_follow_rfc7946(geometry: shapely.Geometry) -> bool:
    polygons = getattr(geometry, "geoms", [geometry])
    return all(p.exterior.is_ccw and not any(hole.is_ccw for hole in p.interiors) for p in polygons)


def test_several_origins_give_rfc7946_rings() -> None:
    reach = Reach.from_system("atacms", [SUMY, KHARKIV])
    assert reach.geometry.geom_type == "Polygon"
    assert reach.geometry.exterior.is_ccw


def test_several_annuli_keep_holes_clockwise() -> None:
    # A 70 km minimum range from origins 300 km apart: two discs, each with a hole.
    reach = Reach.from_distance(100_000, [SUMY, "50.45, 30.52=Kyiv"], min_distance_m=70_000)
    polygons = list(getattr(reach.geometry, "geoms", [reach.geometry]))
    assert sum(len(p.interiors) for p in polygons) == 2
    assert _rings_follow_rfc7946(reach.geometry)


@pytest.mark.parametrize("origins", [None, 42, 3.5])
def test_origins_of_the_wrong_type_name_the_argument(origins: Any) -> None:
    with pytest.raises(InputError, match=r"^origins: .* is not an origin"):
        Reach.from_system("atacms", origins)
    with pytest.raises(InputError, match=r"^--from: "):
        as_sites(origins, argument="--from")


def test_catalog_names_in_other_languages_name_the_layer() -> None:
    """A variant's ``names`` entry is its legend name on maps in that language only."""
    from rangemap.render._context import prepare
    from rangemap.scene import RangeMap

    reach = Reach.from_system("atacms:long-range", "50.91, 34.80=Sumy")
    lines = {}
    for language in ("en", "uk", "ru"):
        scene = RangeMap(language=language).add(reach)
        lines[language] = prepare(scene).layer_name(scene.layers[0])
    assert lines["en"].startswith("ATACMS \u2013 Longer-range versions (about 300 km):")
    assert lines["uk"].startswith("ATACMS \u2013 Версії більшої дальності (близько 300 км):")
    assert lines["ru"].startswith("ATACMS \u2013 Версии большей дальности (около 300 км):")
    block_i = Reach.from_system("atacms:block-i", "50.91, 34.80=Sumy")
    scene = RangeMap(language="uk").add(block_i)
    assert prepare(scene).layer_name(scene.layers[0]).startswith("ATACMS \u2013 M39 (Block I):")
