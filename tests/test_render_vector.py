"""GeoJSON output: RFC 7946 geometry and the provenance of each layer."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import numpy as np
import pytest
import shapely
from shapely.geometry import shape

from rangemap.errors import InputError
from rangemap.places import GEONAMES_CREDIT
from rangemap.reach import Reach
from rangemap.recipes import flagship_recipe, load_recipe
from rangemap.render.vector import simplified_geojson, to_geojson, to_geojson_text
from rangemap.scene import RangeMap

SUMY = "50.9077, 34.7981=Sumy"


@pytest.fixture(scope="module")
def demo() -> RangeMap:
    m = RangeMap(title="ATACMS from Sumy")
    m.add(Reach.from_system("atacms", SUMY))
    m.add(Reach.from_system("oreshnik", "48.46, 35.04=Dnipro", show="spread"))
    m.add(Reach.from_distance(1_000_000, "64.73, 177.51=Anadyr"))
    return m


@pytest.fixture(scope="module")
def flagship() -> RangeMap:
    return load_recipe(flagship_recipe())


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


def test_simplified_geojson_fits_the_target(flagship: RangeMap) -> None:
    full = json.dumps(to_geojson(flagship), ensure_ascii=False, separators=(",", ":"))
    target = len(full.encode("utf-8")) * 2 // 3
    text = simplified_geojson(flagship, max_bytes=target)
    assert len(text.encode("utf-8")) <= target
    light = json.loads(text)
    reaches = [f for f in light["features"] if f["properties"].get("kind") != "place"]
    for feature, layer in zip(reaches, flagship.layers, strict=True):
        props = feature["properties"]
        assert props["system"] == "atacms"
        assert props["km"] == layer.reach.km
        assert props["simplify_tolerance_deg"] > 0
        geometry = shape(feature["geometry"])
        assert geometry.is_valid
        assert geometry.area == pytest.approx(layer.reach.geometry.area, rel=0.005)


def test_simplified_geojson_leaves_small_files_alone(flagship: RangeMap) -> None:
    light = json.loads(simplified_geojson(flagship, max_bytes=50_000_000))
    reaches = [f for f in light["features"] if f["properties"].get("kind") != "place"]
    assert {f["properties"]["simplify_tolerance_deg"] for f in reaches} == {0.0}


def test_simplified_geojson_says_when_the_target_is_impossible(flagship: RangeMap) -> None:
    with pytest.raises(InputError, match="max_bytes: 100 cannot be reached"):
        simplified_geojson(flagship, max_bytes=100)


@pytest.mark.parametrize("bad", [0, -5, 1.5, True])
def test_simplified_geojson_refuses_a_bad_target(flagship: RangeMap, bad: Any) -> None:
    with pytest.raises(InputError, match="max_bytes"):
        simplified_geojson(flagship, max_bytes=bad)


def test_max_bytes_keeps_every_place_and_the_geonames_credit(
    flagship: RangeMap, tmp_path: Path
) -> None:
    full = flagship.to_geojson()
    places = [f for f in full["features"] if f["properties"].get("kind") == "place"]
    assert len(places) >= 5
    size = len(json.dumps(full, ensure_ascii=False, separators=(",", ":")).encode())
    path = flagship.save(tmp_path / "light.geojson", max_bytes=size // 2)
    light = json.loads(path.read_text(encoding="utf-8"))
    assert path.stat().st_size <= size // 2
    kept = [f for f in light["features"] if f["properties"].get("kind") == "place"]
    assert kept == places
    assert light["places_credit"] == GEONAMES_CREDIT
    assert all(f["properties"]["credit"] == GEONAMES_CREDIT for f in kept)
