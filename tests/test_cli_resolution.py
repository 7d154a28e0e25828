# Mis-encoded text is what these tests test.
# ruff: noqa: RUF001
"""What ``--from`` text is read as, on the real command line (rangemap/cli/_common.py).

Junk refused, ambiguity an error, countries in their own languages, files as origins,
and one stderr line per name saying what it was read as.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import geopandas as gpd
import pytest
from shapely.geometry import LineString, Point, Polygon

from rangemap.cli import main

PLACES = ["places", "--distance", "300 km"]


def _fails(args: list[str], capsys: pytest.CaptureFixture[str]) -> str:
    """Run a command that must fail; return its one error line."""
    assert main(args) == 2
    out, err = capsys.readouterr()
    assert out == ""
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    assert lines[0].startswith("rangemap: error: --from: ")
    return lines[0]


def _resolved(err: str) -> list[str]:
    return [line for line in err.splitlines() if " \u2192 " in line]


@pytest.mark.parametrize("text", ["abc", "nan", "Bor", "LAX", "US", "ua"])
def test_short_junk_is_refused(text: str, capsys: pytest.CaptureFixture[str]) -> None:
    line = _fails([*PLACES, "--from", text], capsys)
    assert f"{text!r} is too short to read as a place name" in line
    assert "country codes" in line
    assert "cities of 100,000 people or more" in line
    assert "'Name, CC'" in line
    assert "latitude, longitude" in line


def test_short_name_of_a_small_town_says_what_to_type(capsys: pytest.CaptureFixture[str]) -> None:
    line = _fails([*PLACES, "--from", "Bor"], capsys)
    assert "'Bor, RS'" in line  # the Serbian town, among others
    assert main([*PLACES, "--from", "Bor, RS"]) == 0


@pytest.mark.parametrize(
    ("text", "meant"),
    [("CafÃ©", "Café"), ("KÃ¶ln", "Köln"), ("ÐšÐ¸Ñ—Ð²", "Київ"), ("SÃ£o Paulo", "São Paulo")],
)
def test_mojibake_is_an_encoding_error(
    text: str, meant: str, capsys: pytest.CaptureFixture[str]
) -> None:
    line = _fails([*PLACES, "--from", text], capsys)
    assert f"(probably {meant!r})" in line
    assert "check the text encoding" in line
    assert "UTF-8" in line
    assert "did you mean" not in line


@pytest.mark.parametrize(
    ("text", "country"),
    [("Ufa", "RU"), ("Kyiv", "UA"), ("Київ", "UA"), ("Kiev", "UA"), ("Sumy", "UA")],
)
def test_places_people_mean(text: str, country: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main([*PLACES, "--from", text]) == 0
    (line,) = _resolved(capsys.readouterr().err)
    assert line.startswith(f"rangemap: {text} \u2192 ")
    assert re.search(rf", {country} \u2014 \d+\.\d{{4}} [NS], \d+\.\d{{4}} [EW], population ", line)


def test_hyderabad_is_ambiguous(capsys: pytest.CaptureFixture[str]) -> None:
    line = _fails([*PLACES, "--from", "Hyderabad"], capsys)
    assert "'Hyderabad' names more than one city" in line
    assert re.search(r"Hyderabad, (\w+, )?IN \(pop\. [\d,]+\)", line)
    assert re.search(r"Hyderabad, (\w+, )?PK \(pop\. [\d,]+\)", line)
    assert "'Hyderabad, IN'" in line
    assert "'Hyderabad, PK'" in line
    assert main([*PLACES, "--from", "Hyderabad, PK"]) == 0
    (resolved,) = _resolved(capsys.readouterr().err)
    assert ", PK \u2014 " in resolved


def test_same_country_namesakes_resolve_showing_the_region(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main([*PLACES, "--from", "Springfield"]) == 0
    (line,) = _resolved(capsys.readouterr().err)
    # The most populous Springfield, and which state it is in.
    assert re.match(r"rangemap: Springfield \u2192 Springfield, [A-Z][a-z]+, US \u2014 ", line)


def test_every_name_is_reported_once(capsys: pytest.CaptureFixture[str]) -> None:
    args = [*PLACES, "--from", "Sumy", "--from", "50.0, 36.2", "--from", "Ufa", "--from", "Poland"]
    assert main(args) == 0
    lines = _resolved(capsys.readouterr().err)
    assert [line.split(" \u2192 ")[0] for line in lines] == [
        "rangemap: Sumy",
        "rangemap: Ufa",
        "rangemap: Poland",
    ]
    assert lines[2].endswith("territory of Poland (PL)")


def _front(folder: Path) -> Path:
    path = folder / "front.geojson"
    line = LineString([(36.23, 49.99), (37.00, 49.20), (37.80, 48.02)])  # Kharkiv to Donetsk
    gpd.GeoSeries([line], crs=4326).to_file(path)
    return path


def _area(folder: Path) -> Path:
    path = folder / "area.gpkg"
    square = Polygon([(30.0, 50.0), (31.0, 50.0), (31.0, 51.0), (30.0, 51.0)])  # round Kyiv
    gpd.GeoSeries([square], crs=4326).to_file(path)
    return path


def test_a_line_file_is_a_line_origin(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    front = _front(tmp_path)
    out = tmp_path / "near.json"
    assert main([*PLACES, "--from", str(front), "--format", "json", "-o", str(out)]) == 0
    (line,) = _resolved(capsys.readouterr().err)
    assert re.search(r"\u2192 line from front\.geojson \(3 vertices, 2\d\d km\)$", line)
    names = {row["name"] for row in json.loads(out.read_text("utf-8"))["places"]}
    assert {"Kharkiv", "Donetsk"} <= names


def test_a_polygon_file_is_a_territory_on_a_map(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    area = _area(tmp_path)
    out = tmp_path / "m.geojson"
    args = ["map", "--distance", "100 km", "--from", f"{area}=Kyiv region", "-o", str(out)]
    assert main(args) == 0
    (line,) = _resolved(capsys.readouterr().err)
    assert line.endswith("\u2192 territory from area.gpkg (5 vertices)")
    text = out.read_text("utf-8")
    assert "Kyiv region" in text
    reach = gpd.read_file(out)
    assert reach.geometry.union_all().contains(Point(30.52, 50.45))


def test_a_missing_file_is_named(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    missing = tmp_path / "nowhere.geojson"
    line = _fails([*PLACES, "--from", str(missing)], capsys)
    assert "nowhere.geojson" in line
    assert "does not exist" in line


def test_a_file_that_is_not_geojson_is_named(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = tmp_path / "front.geojson"
    bad.write_text("Kharkiv to Donetsk", encoding="utf-8")
    line = _fails([*PLACES, "--from", str(bad)], capsys)
    assert "front.geojson" in line
    assert "not a GeoJSON file" in line
