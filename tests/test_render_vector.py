"""GeoJSON output: RFC 7946 geometry and the provenance of each layer."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
import shapely
from shapely.geometry import shape

from rangemap.reach import Reach
from rangemap.render.vector import to_geojson, to_geojson_text
from rangemap.scene import RangeMap

SUMY = "50.9077, 34.7981=Sumy"


@pytest.fixture(scope="module")
def demo() -> RangeMap:
    m = RangeMap(title="ATACMS from Sumy")
    m.add(Reach.from_system("atacms", SUMY))
    m.add(Reach.from_system("oreshnik", "48.46, 35.04=Dnipro", show="spread"))
    m.add(Reach.from_distance(1_000_000, "64.73, 177.51=Anadyr"))
    return m


def test_feature_collection_with_provenance(demo: RangeMap) -> None:
    data = to_geojson(demo)
    assert data["type"] == "FeatureCollection"
    assert data["title"] == "ATACMS from Sumy"
    assert data["as_of"] == demo.date.isoformat()  # type: ignore[union-attr]
    first = data["features"][0]["properties"]
    reach = demo.layers[0].reach
    assert first["system"] == "atacms"
    assert first["variant"] == reach.variant_id
    assert first["km"] == 300.0
    assert first["qualifier"] == reach.qualifier.value  # type: ignore[union-attr]
    assert first["origins"] == ["Sumy"]
    assert [s["url"] for s in first["sources"]] == [str(s.url) for s in reach.sources]
    assert all(c["km"] == 300.0 for c in first["claims"])
    spread = data["features"][1]["properties"]
    assert spread["show"] == "spread"
    assert spread["low_km"] < spread["km"]
    assert spread["qualifier"] is None
    bare = data["features"][2]["properties"]
    assert bare["system"] is None
    assert bare["sources"] == []


def test_geometry_is_rfc7946(demo: RangeMap) -> None:
    data = to_geojson(demo)
    for feature, layer in zip(data["features"], demo.layers, strict=True):
        geometry = shape(feature["geometry"])
        coords = shapely.get_coordinates(geometry)
        assert np.all(np.abs(coords[:, 0]) <= 180)
        assert np.all(np.abs(coords[:, 1]) <= 90)
        difference = geometry.symmetric_difference(layer.reach.geometry).area
        assert difference < 1e-5 * layer.reach.geometry.area
    # The Anadyr disc crosses 180 degrees and is split there.
    anadyr = shape(data["features"][2]["geometry"])
    assert anadyr.geom_type == "MultiPolygon"
    lons = shapely.get_coordinates(anadyr)[:, 0]
    assert lons.max() == 180
    assert lons.min() == -180


def test_text_is_deterministic_json(demo: RangeMap, tmp_path: Path) -> None:
    text = to_geojson_text(demo)
    assert text == to_geojson_text(demo)
    assert text.endswith("\n")
    assert json.loads(text) == json.loads(json.dumps(to_geojson(demo)))
    first = demo.save(tmp_path / "a.geojson").read_bytes()
    second = demo.save(tmp_path / "b.geojson").read_bytes()
    assert first == second
