"""Tolerance is kept from geodesy to every output: each drawn vertex within it of the truth."""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import numpy as np
import pytest
from numpy.typing import NDArray
from pyproj import Geod

from rangemap.reach import Reach
from rangemap.scene import RangeMap

GEOD = Geod(ellps="WGS84")
SUMY = (34.7981, 50.9077)
RADIUS_M = 300_000.0


@pytest.fixture(scope="module", params=[1.0, "0.001%"])
def tight(request: pytest.FixtureRequest) -> RangeMap:
    reach = Reach.from_distance(RADIUS_M, "50.9077, 34.7981=Sumy", tolerance_m=request.param)
    expected = 1.0 if request.param == 1.0 else 3.0  # 0.001 % of 300 km is 3 m
    assert reach.tolerance_m == pytest.approx(expected)
    return RangeMap(title="300 km from Sumy, drawn within 1 m").add(reach)


def _misses(lonlat: NDArray[np.float64]) -> NDArray[np.float64]:
    """Distance of each vertex from the true 300 km circle around Sumy, in metres."""
    n = len(lonlat)
    _, _, dist = GEOD.inv(np.full(n, SUMY[0]), np.full(n, SUMY[1]), lonlat[:, 0], lonlat[:, 1])
    return np.abs(np.asarray(dist) - RADIUS_M)


def _tolerance(m: RangeMap) -> float:
    value = m.layers[0].reach.tolerance_m
    assert value is not None
    return value


def test_the_reach_itself_keeps_the_tolerance(tight: RangeMap) -> None:
    xy = np.asarray(tight.layers[0].reach.geometry.exterior.coords)
    assert _misses(xy).max() <= _tolerance(tight)
    assert len(xy) > 1000  # a tight tolerance needs many vertices; none are dropped


def test_geojson_vertices(tight: RangeMap, tmp_path: Path) -> None:
    data = json.loads(tight.save(tmp_path / "m.geojson").read_text(encoding="utf-8"))
    ring = np.asarray(data["features"][0]["geometry"]["coordinates"][0])
    assert len(ring) == len(tight.layers[0].reach.geometry.exterior.coords)
    assert _misses(ring).max() <= _tolerance(tight)


def test_kml_vertices(tight: RangeMap, tmp_path: Path) -> None:
    root = ET.parse(tight.save(tmp_path / "m.kml")).getroot()
    ns = {"k": "http://www.opengis.net/kml/2.2"}
    text = root.find(".//k:Folder/k:Placemark/k:Polygon//k:coordinates", ns)
    assert text is not None
    assert text.text is not None
    ring = np.array([[float(v) for v in p.split(",")] for p in text.text.split()])
    assert len(ring) == len(tight.layers[0].reach.geometry.exterior.coords)
    assert _misses(ring).max() <= _tolerance(tight)


def test_html_vertices(tight: RangeMap) -> None:
    page = tight.to_html()
    decoder = json.JSONDecoder()
    rings = []
    for match in re.finditer(r"geo_json_\d+_add\(", page):
        collection, _ = decoder.raw_decode(page, match.end())
        for feature in collection["features"]:
            geometry = feature["geometry"]
            if geometry["type"] != "Polygon":
                continue
            ring = np.asarray(geometry["coordinates"][0], dtype=float)
            if len(ring) > 1000 and _misses(ring).mean() < 100:  # the reach, not a country
                rings.append(ring)
    assert len(rings) == 1
    assert _misses(rings[0]).max() <= _tolerance(tight)


def test_svg_vertices(tight: RangeMap, tmp_path: Path) -> None:
    pytest.importorskip("matplotlib")
    # The map is centred on Sumy (its one origin), in an azimuthal equidistant
    # projection: the reach is a circle of 300 km around the centre. Fit the circle of
    # the drawn outline in SVG units and check every vertex against it.
    root = ET.parse(tight.save(tmp_path / "m.svg")).getroot()
    colour = tight.layers[0].color.lower()
    outlines = []
    for path in root.iter("{http://www.w3.org/2000/svg}path"):
        style = path.get("style", "")
        if f"stroke: {colour}" in style and "fill: none" in style:
            numbers = re.findall(r"-?\d+(?:\.\d+)?", path.get("d", ""))
            outlines.append(np.asarray(numbers, dtype=float).reshape(-1, 2))
    ring = max(outlines, key=len)
    assert len(ring) > 1000
    x, y = ring[:, 0], ring[:, 1]
    # Least-squares circle: x^2 + y^2 = 2 a x + 2 b y + c.
    a, b, c = np.linalg.lstsq(np.column_stack([2 * x, 2 * y, np.ones_like(x)]), x**2 + y**2)[0]
    radius = np.sqrt(c + a**2 + b**2)
    metres_per_unit = RADIUS_M / radius
    misses = np.abs(np.hypot(x - a, y - b) - radius) * metres_per_unit
    assert misses.max() <= _tolerance(tight)


def test_cli_tolerance(tmp_path: Path) -> None:
    from rangemap.cli import main

    out = tmp_path / "sumy.geojson"
    sumy = "50.9077, 34.7981=Sumy"
    args = ["map", "--distance", "300 km", "--from", sumy, "--tolerance", "1 m", "-o", str(out)]
    code = main(args)
    assert code == 0
    ring = np.asarray(json.loads(out.read_text())["features"][0]["geometry"]["coordinates"][0])
    assert _misses(ring).max() <= 1.0
    default = Reach.from_distance(RADIUS_M, "50.9077, 34.7981=Sumy")
    assert len(ring) > 3 * len(default.geometry.exterior.coords)


@pytest.mark.parametrize("bad", ["abc", "20%", "-1 m", "0%"])
def test_cli_refuses_a_bad_tolerance(
    bad: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from rangemap.cli import main

    out = tmp_path / "x.geojson"
    code = main(["map", "atacms", "--from", "Sumy", "--tolerance", bad, "-o", str(out)])
    assert code == 2
    err = capsys.readouterr().err
    assert "--tolerance" in err
    assert "Traceback" not in err
    assert not out.exists()


def test_recipe_tolerance_for_the_map_and_per_layer(tmp_path: Path) -> None:
    from rangemap.recipes import load_recipe

    path = tmp_path / "r.yaml"
    path.write_text(
        "tolerance: 0.001%\n"
        "layers:\n"
        "  - {distance: 300 km, origins: ['50.9077, 34.7981=Sumy']}\n"
        "  - {distance: 100 km, origins: ['50.45, 30.52=Kyiv'], tolerance: 2 m}\n",
        encoding="utf-8",
    )
    m = load_recipe(path)
    assert [layer.reach.tolerance_m for layer in m.layers] == pytest.approx([3.0, 2.0])
    assert load_recipe(path, tolerance="1 m").layers[0].reach.tolerance_m == 1.0


def test_recipe_refuses_a_bad_tolerance(tmp_path: Path) -> None:
    from rangemap.errors import RecipeError
    from rangemap.recipes import load_recipe

    path = tmp_path / "r.yaml"
    path.write_text(
        "layers:\n  - {distance: 300 km, origins: [Sumy], tolerance: lots}\n", encoding="utf-8"
    )
    with pytest.raises(RecipeError, match=r"r\.yaml: layers\[0\]\.tolerance: 'lots'"):
        load_recipe(path)
