"""Your own points in every output format (render/_points.py and the renderers that draw them)."""

from __future__ import annotations

import base64
import hashlib
import json
import re
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import pyogrio
import pytest
from hostile import BATTERY

from rangemap.escaping import clean
from rangemap.geodesy import distance_m
from rangemap.reach import Reach
from rangemap.scene import RangeMap

KML = "{http://www.opengis.net/kml/2.2}"
SVG = "{http://www.w3.org/2000/svg}"
SUMY = (34.80, 50.91)
HOSTILE = dict(BATTERY)["script-tag"] + dict(BATTERY)["img-onerror"] + " =1+2 ${x} </script>"


def _points_csv(folder: Path, extra: str = "") -> Path:
    path = folder / "sites.csv"
    path.write_text(
        "site,latitude,longitude,notes\n"
        "Kursk airfield,51.75,36.30,runway\n"
        "Voronezh,51.66,39.20,\n"
        f'"{extra or "Belgorod"}",50.60,36.59,x\n',
        encoding="utf-8",
    )
    return path


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("points")


@pytest.fixture(scope="module")
def scene(folder: Path) -> RangeMap:
    m = RangeMap(title="300 km from Sumy")
    m.add(Reach.from_distance(300_000, "50.91, 34.80=Sumy"))
    return m.add_points(_points_csv(folder, HOSTILE), label="site")


def _data_block(page: str) -> dict[str, Any]:
    block = re.search(r'<script type="application/json" id="rm-data">(.*?)</script>', page, re.S)
    assert block is not None
    data: dict[str, Any] = json.loads(block.group(1))
    return data


def _sha256(text: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode()).digest()).decode() + "'"


def test_html_marks_lists_and_keeps_its_policy(scene: RangeMap, folder: Path) -> None:
    page = scene.save(folder / "map.html").read_text(encoding="utf-8")
    data = _data_block(page)
    marks = data["points"]["points"]
    assert [m[2] for m in marks] == ["Kursk airfield", "Voronezh", clean(HOSTILE)]
    assert [m[3] for m in marks] == [True, False, True]
    # In or out of range in words, in the legend and in the list.
    assert "Your point, in range" in page
    assert "Your point, out of range" in page
    assert "<h2>Your points</h2>" in page
    assert "out of range</td>" in page
    assert "+160\u00a0km" in page  # Kursk airfield's margin
    # The hostile name is never markup: only escaped in the panel, data in the block.
    assert "<script>__rm_hit()" not in page
    assert "&lt;script&gt;__rm_hit()&lt;/script&gt;" in page
    # Every inline script and style is allowed by hash, the page script included.
    csp = re.search(r'content="(default-src [^"]*)"', page)
    assert csp is not None
    for tag in ("script", "style"):
        for attrs, body in re.findall(rf"<{tag}([^>]*)>(.*?)</{tag}>", page, re.S):
            if 'type="application/json"' in attrs:
                continue
            directive = "script-src" if tag == "script" else "style-src"
            allowed = re.search(rf"{directive} ([^;]*)", csp.group(1).replace("&#x27;", "'"))
            assert allowed is not None
            assert _sha256(body) in allowed.group(1).split()


def test_geojson_features_carry_the_table(scene: RangeMap, folder: Path) -> None:
    collection = json.loads(scene.save(folder / "map.geojson").read_text(encoding="utf-8"))
    points = [f for f in collection["features"] if f["properties"].get("kind") == "point"]
    assert [f["properties"]["name"] for f in points] == [
        "Kursk airfield",
        "Voronezh",
        clean(HOSTILE),
    ]
    voronezh = points[1]
    assert voronezh["properties"]["in_range"] is False
    expected = float(distance_m(SUMY, (39.20, 51.66))) / 1000
    assert voronezh["properties"]["distance_km"] == pytest.approx(expected, abs=0.001)
    assert voronezh["properties"]["margin_km"] == pytest.approx(300 - expected, abs=0.001)
    assert voronezh["geometry"]["coordinates"] == [39.2, 51.66]
    assert "credit" not in voronezh["properties"]
    assert "places_credit" not in collection


def test_kml_points_folder(scene: RangeMap, folder: Path) -> None:
    root = ET.parse(scene.save(folder / "map.kml")).getroot()
    folders = {f.findtext(f"{KML}name"): f for f in root.iter(f"{KML}Folder")}
    assert "Your points" in folders
    marks = folders["Your points"].findall(f"{KML}Placemark")
    assert [p.findtext(f"{KML}name") for p in marks] == [
        "Kursk airfield",
        "Voronezh",
        clean(HOSTILE),
    ]
    data = {d.get("name"): d.findtext(f"{KML}value") or "" for d in marks[1].iter(f"{KML}Data")}
    assert data["in_range"] == "false"
    assert float(data["margin_km"]) < 0
    assert marks[1].findtext(f"{KML}description") == "out of range: 300 km"


def test_gpkg_points_layer(scene: RangeMap, folder: Path) -> None:
    path = scene.save(folder / "map.gpkg")
    assert "points" in pyogrio.list_layers(path)[:, 0].tolist()
    table = pyogrio.read_dataframe(path, layer="points")
    assert table["name"].tolist() == ["Kursk airfield", "Voronezh", clean(HOSTILE)]
    assert table["in_range"].tolist() == [True, False, True]
    assert table.geometry.x.round(2).tolist() == [36.3, 39.2, 36.59]


def test_svg_names_every_point_and_says_in_or_out(scene: RangeMap, folder: Path) -> None:
    root = ET.parse(scene.save(folder / "map.svg")).getroot()
    text = " ".join(" ".join("".join(t.itertext()) for t in root.iter(f"{SVG}text")).split())
    for name in ("Kursk airfield", "Voronezh"):
        assert name in text
    assert "Your point, in range" in text
    assert "Your point, out of range" in text
    assert "out of range, 318" in text.replace("\u00a0", " ").replace(" km", "")


def test_png_and_pdf_render(scene: RangeMap, folder: Path) -> None:
    assert scene.save(folder / "map.png").read_bytes().startswith(b"\x89PNG")
    assert scene.save(folder / "map.pdf").read_bytes().startswith(b"%PDF")


def test_two_layers_list_each_point_per_layer(folder: Path) -> None:
    m = RangeMap()
    m.add(Reach.from_distance(300_000, "50.91, 34.80=Sumy"), name="Long range")
    m.add(Reach.from_distance(165_000, "50.91, 34.80=Sumy"), name="Short range")
    m.add_points(_points_csv(folder), label="site")
    page = m.to_html()
    assert "<th>Layer</th>" in page
    assert page.count("<td>Short range</td>") == 3
    collection = m.to_geojson()
    layers = [
        f["properties"]["layer"]
        for f in collection["features"]
        if f["properties"].get("kind") == "point"
    ]
    assert layers == ["Long range", "Short range"] * 3
