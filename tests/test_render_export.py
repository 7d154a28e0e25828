from __future__ import annotations

import html
import json
import os
import sqlite3
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import geopandas as gpd
import pyogrio
import pytest

from rangemap import escaping
from rangemap.errors import InputError
from rangemap.reach import Reach
from rangemap.recipes import flagship_recipe, load_recipe
from rangemap.render import export
from rangemap.scene import RangeMap

KML = "{http://www.opengis.net/kml/2.2}"
HOSTILE = "<b>Sumy</b> & ]]> \"quoted\" 'x' ${a} `b`"
#: Control characters XML 1.0 forbids (and a terminal escape): none may reach a file.
CONTROLS = "Ky\x0biv\x01 \x1b[31mred\x00 \x1b]52;c;ZXZpbA==\x07 \x7fend"
ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def demo() -> RangeMap:
    return load_recipe(flagship_recipe())


@pytest.fixture(scope="module")
def hostile() -> RangeMap:
    m = RangeMap(title=f"Title {HOSTILE}", subtitle=HOSTILE, credit=HOSTILE)
    m.add(Reach.from_distance(300_000, f"50.91, 34.80={HOSTILE}"), name=f"Layer {HOSTILE}")
    return m


@pytest.fixture(scope="module")
def controls() -> RangeMap:
    m = RangeMap(title=f"Title {CONTROLS}", subtitle=CONTROLS, credit=CONTROLS)
    m.add(Reach.from_distance(300_000, f"50.45, 30.52={CONTROLS}"), name=f"Layer {CONTROLS}")
    return m


def _has_controls(text: str) -> bool:
    return any((ord(c) < 0x20 and c != "\n") or 0x7F <= ord(c) < 0xA0 for c in text)


def _placemarks(data: bytes) -> list[ET.Element]:
    return list(ET.fromstring(data).iter(f"{KML}Placemark"))


def _extended(placemark: ET.Element) -> dict[str, str]:
    return {d.get("name", ""): d.findtext(f"{KML}value", "") for d in placemark.iter(f"{KML}Data")}


# --- KML ----------------------------------------------------------------------------------


def test_kml_has_a_styled_placemark_per_layer_and_origin(demo: RangeMap) -> None:
    data = export.to_kml(demo)
    root = ET.fromstring(data)
    assert root.tag == f"{KML}kml"
    assert root.findtext(f"{KML}Document/{KML}name") == demo.title
    folders = root.findall(f"{KML}Document/{KML}Folder")
    # The demo shows places: the KML renderer adds them in a folder of their own.
    assert [f.findtext(f"{KML}name") for f in folders] == ["Reach", "Origins", "Cities in range"]
    reach = folders[0].findall(f"{KML}Placemark")
    origins = folders[1].findall(f"{KML}Placemark")
    assert len(reach) == len(demo.layers)
    assert [o.findtext(f"{KML}name") for o in origins] == ["Sumy", "Kharkiv"]
    styles = {s.get("id"): s for s in root.iter(f"{KML}Style")}
    for i, (layer, placemark) in enumerate(zip(demo.layers, reach, strict=True), start=1):
        assert placemark.findtext(f"{KML}styleUrl") == f"#reach-{i}"
        style = styles[f"reach-{i}"]
        rr, gg, bb = layer.color[1:3], layer.color[3:5], layer.color[5:7]
        line = style.findtext(f"{KML}LineStyle/{KML}color")
        fill = style.findtext(f"{KML}PolyStyle/{KML}color")
        assert line == f"ff{bb}{gg}{rr}".lower()
        assert fill == f"{round(layer.opacity * 255):02x}{bb}{gg}{rr}".lower()


def test_kml_carries_the_provenance(demo: RangeMap) -> None:
    reach = _placemarks(export.to_kml(demo))[: len(demo.layers)]
    for layer, placemark in zip(demo.layers, reach, strict=True):
        data = _extended(placemark)
        assert data["system"] == "atacms"
        assert data["variant"] == layer.reach.variant_id
        assert float(data["km"]) == layer.reach.km
        assert layer.reach.qualifier is not None
        assert data["qualifier"] == layer.reach.qualifier.value
        assert data["range"] == layer.reach.phrase
        for source in layer.reach.sources:
            assert str(source.url) in data["sources"]
        description = placemark.findtext(f"{KML}description", "").replace("<br/>", "\n")
        assert "Sources:" in description
        assert "Measured from Sumy; Kharkiv" in description


def test_kml_polygons_match_the_reach(demo: RangeMap) -> None:
    placemark = _placemarks(export.to_kml(demo))[0]
    rings = [
        [tuple(map(float, p.split(","))) for p in c.text.split()]
        for c in placemark.iter(f"{KML}coordinates")
        if c.text
    ]
    from shapely.geometry import Polygon

    area = sum(Polygon(r).area for r in rings)
    assert area == pytest.approx(demo.layers[0].reach.geometry.area, rel=1e-6)


def test_kml_escapes_every_string(hostile: RangeMap) -> None:
    data = export.to_kml(hostile)
    assert b"<b>" not in data
    root = ET.fromstring(data)
    assert root.findtext(f"{KML}Document/{KML}name") == f"Title {HOSTILE}"
    names = [p.findtext(f"{KML}name") for p in root.iter(f"{KML}Placemark")]
    assert names == [f"Layer {HOSTILE}", HOSTILE]
    # Descriptions are shown as HTML by Google Earth: escaped for HTML inside the XML.
    for element in root.iter(f"{KML}description"):
        assert "<b>" not in (element.text or "")
    description = _placemarks(data)[0].findtext(f"{KML}description", "")
    assert escaping.html_text(f"Layer {HOSTILE}") in description
    assert "${" not in description  # no Google Earth entity, no template syntax
    assert html.unescape(description).startswith(f"Layer {HOSTILE}")


def test_kml_with_control_characters_is_well_formed(controls: RangeMap) -> None:
    data = export.to_kml(controls)
    root = ET.fromstring(data)  # raises ParseError on any character XML 1.0 forbids
    texts = [t for element in root.iter() for t in (element.text, element.tail) if t]
    assert not any(_has_controls(t.strip("\n ")) for t in texts)
    assert root.findtext(f"{KML}Document/{KML}name") == "Title Ky iv [31mred ]52;c;ZXZpbA== end"
    names = [p.findtext(f"{KML}name") for p in root.iter(f"{KML}Placemark")]
    assert names == [
        "Layer Ky iv [31mred ]52;c;ZXZpbA== end",
        "Ky iv [31mred ]52;c;ZXZpbA== end",
    ]


def test_kml_keeps_one_source_per_line(demo: RangeMap) -> None:
    placemark = _placemarks(export.to_kml(demo))[0]
    lines = _extended(placemark)["sources"].split("\n")
    assert len(lines) == len(demo.layers[0].reach.sources)
    assert all(
        str(s.url) in line for s, line in zip(demo.layers[0].reach.sources, lines, strict=True)
    )


def test_kml_is_byte_stable(demo: RangeMap) -> None:
    assert export.to_kml(demo) == export.to_kml(demo)


def test_save_kml(demo: RangeMap, tmp_path: Path) -> None:
    path = demo.save(tmp_path / "atacms.kml")
    # RangeMap.save writes what the KML renderer returns, places folder included.
    assert path.read_bytes() == export.to_kml(demo)
    assert b"<name>Cities in range</name>" in path.read_bytes()


# --- GeoPackage ---------------------------------------------------------------------------


def test_gpkg_opens_in_geopandas(demo: RangeMap, tmp_path: Path) -> None:
    path = demo.save(tmp_path / "atacms.gpkg")
    reach = gpd.read_file(path, layer="reach")
    origins = gpd.read_file(path, layer="origins")
    assert reach.crs is not None
    assert reach.crs.to_epsg() == 4326
    assert list(reach["system"]) == ["atacms", "atacms"]
    assert list(reach["variant"]) == [layer.reach.variant_id for layer in demo.layers]
    assert list(reach["km"]) == [layer.reach.km for layer in demo.layers]
    assert list(reach["qualifier"]) == [
        layer.reach.qualifier.value if layer.reach.qualifier else None for layer in demo.layers
    ]
    for row, layer in zip(reach.itertuples(), demo.layers, strict=True):
        assert row.geometry.is_valid
        assert row.geometry.area == pytest.approx(layer.reach.geometry.area, rel=1e-6)
        sources = json.loads(row.sources_json)
        assert [s["url"] for s in sources] == [str(s.url) for s in layer.reach.sources]
        assert len(json.loads(row.claims_json)) == len(layer.reach.claims)
    assert sorted(set(origins["label"])) == ["Kharkiv", "Sumy"]


def test_gpkg_text_is_clean(controls: RangeMap, tmp_path: Path) -> None:
    path = tmp_path / "controls.gpkg"
    path.write_bytes(export.to_gpkg(controls))
    for layer in ("reach", "origins"):
        frame = gpd.read_file(path, layer=layer)
        for column in frame.columns.drop("geometry"):
            for value in frame[column]:
                assert not (isinstance(value, str) and _has_controls(value)), (column, value)
    origins = gpd.read_file(path, layer="origins")
    assert list(origins["label"]) == ["Ky iv [31mred ]52;c;ZXZpbA== end"]


def test_gpkg_is_byte_stable_with_a_fixed_timestamp(demo: RangeMap, tmp_path: Path) -> None:
    first = export.to_gpkg(demo)
    # GDAL's count of write transactions varies (about 1 write in 13 had one more):
    # the file's change counter (header bytes 24-27, and 92-95) must not show it.
    assert all(export.to_gpkg(demo) == first for _ in range(12))
    assert first[24:28] == first[92:96] == (1).to_bytes(4, "big")
    path = tmp_path / "demo.gpkg"
    path.write_bytes(first)
    with sqlite3.connect(path) as connection:
        stamps = {row[0] for row in connection.execute("SELECT last_change FROM gpkg_contents")}
        (check,) = connection.execute("PRAGMA integrity_check").fetchone()
    connection.close()
    assert stamps == {"2024-11-25T00:00:00.000Z"}  # the recipe's as_of, at midnight UTC
    assert check == "ok"
    undated = RangeMap().add(Reach.from_distance(100_000, "Kyiv"))
    assert export.gpkg_timestamp(undated) == "1970-01-01T00:00:00.000Z"


@pytest.mark.slow
def test_demo_gpkg_is_the_same_bytes_every_run(tmp_path: Path) -> None:
    outputs = []
    for run, seed in enumerate(("1", "2")):
        path = tmp_path / f"run{run}" / "atacms.gpkg"
        path.parent.mkdir()
        done = subprocess.run(
            [sys.executable, "-m", "rangemap", "demo", "-o", str(path)],
            capture_output=True,
            text=True,
            timeout=300,
            check=False,
            env={**os.environ, "PYTHONHASHSEED": seed, "PYTHONPATH": str(ROOT)},
        )
        assert done.returncode == 0, done.stderr
        outputs.append(path)
    assert outputs[0].read_bytes() == outputs[1].read_bytes()
    layers = {str(name) for name in pyogrio.list_layers(outputs[0])[:, 0]}
    assert layers == {"reach", "origins", "places"}
    assert len(gpd.read_file(outputs[0], layer="reach")) == 2
    assert len(gpd.read_file(outputs[0], layer="places")) > 0


def test_gpkg_of_an_empty_map_is_refused() -> None:
    with pytest.raises(InputError, match="no layers"):
        export.to_gpkg(RangeMap(title="Kyiv"))


@pytest.mark.parametrize("suffix", [".png", ".svg", ".pdf", ".kml", ".gpkg"])
def test_writers_are_registered(suffix: str) -> None:
    from rangemap.render import writers

    assert suffix in writers()
