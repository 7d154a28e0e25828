"""The projection of static maps: true distances from the centre, reach as true circles."""

from __future__ import annotations

import math

import pytest
import shapely
from hypothesis import given, settings
from hypothesis import strategies as st
from pyproj import Geod

from rangemap.reach import Reach
from rangemap.render import _aeqd as aeqd


@settings(max_examples=40, deadline=None)
@given(
    st.floats(-180, 180),
    st.floats(-89, 89),
    st.floats(-180, 180),
    st.floats(-89, 89),
)
def test_distance_from_the_centre_is_geodesic(
    lon0: float, lat0: float, lon: float, lat: float
) -> None:
    _, _, expected_m = Geod(ellps="WGS84").inv(lon0, lat0, lon, lat)
    if expected_m > 19_000_000:  # near the antipode the projection is singular
        return
    x, y = aeqd.aeqd_transformer(lon0, lat0).transform(lon, lat)
    assert math.hypot(x, y) == pytest.approx(expected_m, rel=1e-6, abs=1e-3)


def test_reach_across_the_antimeridian_is_one_circle() -> None:
    anadyr = Reach.from_distance(1_000_000, "64.73, 177.51=Anadyr")
    disc = aeqd.project_reach(anadyr, aeqd.aeqd_transformer(177.51, 64.73))
    assert disc.geom_type == "Polygon"
    assert disc.area / (math.pi * 1_000_000**2) == pytest.approx(1.0, abs=1e-4)


def test_merge_parts_joins_pieces_cut_at_180() -> None:
    transformer = aeqd.aeqd_transformer(180.0, 65.0)
    west = shapely.box(170.0, 60.0, 180.0, 70.0)
    east = shapely.box(-180.0, 60.0, -170.0, 70.0)
    merged = aeqd.merge_parts(aeqd.project(shapely.MultiPolygon([west, east]), transformer))
    assert merged.geom_type == "Polygon"
