# Mis-encoded text is what these tests test.
# ruff: noqa: RUF001
"""Origins: the one Site class, reading it from text or a country, and as_sites."""

from __future__ import annotations

import math
import re
from pathlib import Path
from typing import Any

import geopandas as gpd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from shapely.geometry import LineString, MultiPolygon, Point, Polygon

import rangemap.reach
from rangemap import regions
from rangemap.errors import InputError, PlaceNotFoundError, RangemapError
from rangemap.places import Site, as_sites, parse_origin


def test_there_is_one_site_class() -> None:
    assert rangemap.reach.Site is Site
    assert rangemap.reach.as_sites is as_sites


def test_parse_origin_coordinates_and_label() -> None:
    assert parse_origin("50.91, 34.80") == Site(Point(34.80, 50.91), None)
    assert parse_origin("50.91, 34.80=Sumy airfield") == Site(Point(34.80, 50.91), "Sumy airfield")
    assert parse_origin(" 50.91N 34.80E = Launch site ") == Site(Point(34.80, 50.91), "Launch site")


def test_parse_origin_place_names() -> None:
    sumy = parse_origin("Sumy")
    assert (sumy.label, round(sumy.lat, 2), round(sumy.lon, 2)) == ("Sumy", 50.92, 34.80)
    assert sumy.is_point
    assert parse_origin("Kharkiv, UA").label == "Kharkiv"
    assert parse_origin("Київ").label == "Kyiv"
    assert parse_origin("Sumy=Sumy city").label == "Sumy city"


def test_from_text_is_parse_origin_naming_another_argument() -> None:
    assert Site.from_text("Sumy") == parse_origin("Sumy")
    with pytest.raises(InputError, match=r"^layers\[0\]\.origins\[1\]: ''"):
        Site.from_text("", argument="layers[0].origins[1]")


@pytest.mark.parametrize(
    ("text", "error", "match"),
    [
        ("", InputError, "is empty"),
        ("   ", InputError, "is empty"),
        ("Sumy=", InputError, "empty label"),
        ("95, 30", InputError, "outside -90"),
        ("Kyivv", PlaceNotFoundError, "Kyiv"),
    ],
)
def test_parse_origin_rejects(text: str, error: type[Exception], match: str) -> None:
    with pytest.raises(error, match=match) as caught:
        parse_origin(text)
    assert str(caught.value).startswith("--from: ")


@pytest.mark.parametrize("text", ["\x1b[31mSumy=", "Nowhere\x1b]8;;http://x\x07", "\u202eSumy="])
def test_errors_quote_what_was_typed_terminal_safe(text: str) -> None:
    with pytest.raises((InputError, PlaceNotFoundError)) as caught:
        parse_origin(text)
    message = str(caught.value)
    assert "\x1b" not in message
    assert "\x07" not in message
    assert "\u202e" not in message


def test_site_is_frozen_and_validated() -> None:
    site = Site(Point(34.80, 50.91), "Sumy")
    with pytest.raises(AttributeError):
        site.label = "Kharkiv"  # type: ignore[misc]
    with pytest.raises(InputError, match="outside longitude"):
        Site(Point(34.80, 91.0))
    with pytest.raises(InputError, match="outside longitude"):
        Site(Point(math.nan, 50.0))
    with pytest.raises(InputError, match="not a non-empty shapely geometry"):
        Site(Point())
    not_a_geometry: Any = (34.80, 50.91)
    with pytest.raises(InputError, match=r"^origin: \(34\.8, 50\.91\) is not"):
        Site(not_a_geometry)


def test_a_point_site_has_lon_and_lat_and_a_line_has_not() -> None:
    site = Site(Point(36.23, 49.99), "Kharkiv")
    assert (site.lon, site.lat) == (36.23, 49.99)
    front = Site(LineString([(36.23, 49.99), (37.80, 48.02)]), "Front line")
    assert not front.is_point
    with pytest.raises(InputError, match="'Front line' is a LineString, not a point"):
        _ = front.lon


def test_from_country() -> None:
    ukraine = Site.from_country("UA")
    assert ukraine.label == "UA"
    assert isinstance(ukraine.geometry, Polygon | MultiPolygon)
    assert ukraine.geometry.equals(regions.country("Ukraine"))
    labelled = Site.from_country("Ukraine", label="Ukraine (UN view)")
    assert labelled.label == "Ukraine (UN view)"
    assert Site.from_country("UK").geometry.equals(regions.country("GB"))


def test_from_country_names_the_argument() -> None:
    with pytest.raises(InputError, match=r"^origin: unknown country 'Atlantis'"):
        Site.from_country("Atlantis")
    with pytest.raises(InputError, match=r"^layers\[0\]\.origins\[0\]: unknown country 'Rusia'"):
        Site.from_country("Rusia", argument="layers[0].origins[0]")


def test_as_sites_forms() -> None:
    kharkiv = Site(Point(36.23, 49.99), "Kharkiv")
    sites = as_sites(["50.91, 34.80=Sumy", kharkiv, Point(30.52, 50.45)])
    assert [s.label for s in sites] == ["Sumy", "Kharkiv", None]
    assert sites[1] is kharkiv
    assert as_sites("Sumy") == (parse_origin("Sumy"),)
    assert as_sites(kharkiv) == (kharkiv,)
    assert as_sites(iter(["Sumy"])) == (parse_origin("Sumy"),)
    line = LineString([(36.23, 49.99), (37.80, 48.02)])
    assert as_sites(line) == (Site(line),)


@pytest.mark.parametrize(
    ("origins", "match"),
    [
        ([], r"^--from: no origin given"),
        (None, r"^--from: None is not an origin or a list of origins"),
        (42, r"^--from: 42 is not an origin or a list of origins"),
        ([42], r"^--from: 42 is not an origin; give a place name"),
        (["Kyivv"], r"^--from: no place named 'Kyivv'"),
        (["91, 30"], r"^--from: latitude 91"),
    ],
)
def test_as_sites_errors_name_the_argument(origins: Any, match: str) -> None:
    with pytest.raises((InputError, PlaceNotFoundError), match=match):
        as_sites(origins, argument="--from")


def test_as_sites_default_argument_is_origins() -> None:
    with pytest.raises(InputError, match=r"^origins: no origin given"):
        as_sites([])


SUFFIXES = [".geojson", ".json", ".gpkg", ".kml", ".shp", ".zip", ".geojson=Front"]

# Capitals and far cities: (lon, lat).
KASHGAR, BEIJING = (75.99, 39.47), (116.40, 39.90)
KYIV, LVIV, KHARKIV = (30.52, 50.45), (24.03, 49.84), (36.23, 49.99)
WARSAW, GDANSK, RZESZOW = (21.01, 52.23), (18.65, 54.35), (22.00, 50.04)


@pytest.mark.parametrize(
    ("name", "code", "inside"),
    [
        ("China", "CN", [BEIJING, KASHGAR]),
        ("Ukraine", "UA", [KYIV, LVIV, KHARKIV]),
        ("Poland", "PL", [WARSAW, GDANSK, RZESZOW]),
        ("country:CN", "CN", [BEIJING]),
        ("country:UKR", "UA", [KYIV, KHARKIV]),
        ("country:pl", "PL", [WARSAW]),
        ("Україна", "UA", [KYIV, LVIV]),  # Ukrainian
        ("Польша", "PL", [WARSAW, RZESZOW]),  # Russian
        ("Polska", "PL", [GDANSK]),  # Polish
        ("中国", "CN", [BEIJING, KASHGAR]),  # Chinese
        ("Deutschland", "DE", [(13.40, 52.52)]),  # German; Berlin
        ("USA", "US", [(-77.04, 38.91)]),  # Washington
        ("UK", "GB", [(-0.13, 51.51)]),  # London
        ("UAE", "AE", [(54.37, 24.47)]),  # Abu Dhabi
        ("DRC", "CD", [(15.31, -4.32)]),  # Kinshasa
    ],
)
def test_a_country_name_is_its_territory(
    name: str, code: str, inside: list[tuple[float, float]]
) -> None:
    site = Site.from_text(name)
    assert not site.is_point
    assert isinstance(site.geometry, Polygon | MultiPolygon)
    for lon, lat in inside:
        assert site.geometry.contains(Point(lon, lat))
    assert site.resolved is not None
    assert site.resolved.startswith("territory of ")
    assert site.resolved.endswith(f" ({code})")
    assert site.geometry.equals(regions.country(code))


def test_a_name_with_a_country_code_is_a_town() -> None:
    town = Site.from_text("Poland, US")
    assert town.is_point
    assert -80 < town.lon < -65  # in the north-eastern United States
    assert town.label == "Poland"
    assert town.resolved is not None
    assert town.resolved.startswith("Poland, ")
    assert ", US \u2014 " in town.resolved


@pytest.mark.parametrize("text", ["US", "UA", "UKR"])
def test_a_bare_code_is_not_a_country(text: str) -> None:
    with pytest.raises(PlaceNotFoundError, match=r"too short|no place named"):
        Site.from_text(text)


def test_a_place_is_resolved_with_region_country_coordinates_and_population() -> None:
    site = Site.from_text("Springfield, Illinois")
    assert site.resolved is not None
    name, rest = site.resolved.split(" \u2014 ")
    assert name == "Springfield, Illinois, US"
    lat, lon, people = rest.split(", ", 2)
    assert lat.endswith(" N")
    assert lon.endswith(" W")
    assert abs(float(lat[:-2]) - 39.80) < 0.05
    assert abs(float(lon[:-2]) - 89.64) < 0.05
    assert re.fullmatch(r"population [\d,]+", people)
    assert site.label == "Springfield"


def test_southern_and_western_coordinates_are_so_marked() -> None:
    resolved = Site.from_text("Buenos Aires").resolved
    assert resolved is not None
    assert re.search(r"\u2014 34\.\d{4} S, 58\.\d{4} W, ", resolved)


def test_mojibake_is_refused_naming_the_argument() -> None:
    with pytest.raises(InputError, match=r"^--from: 'K\xc3\xb6ln' looks mis-encoded"):
        parse_origin("K\u00c3\u00b6ln")
    with pytest.raises(InputError, match="probably 'Київ=Kyiv'"):
        parse_origin("ÐšÐ¸Ñ—Ð²=Kyiv")


def _write(folder: Path, name: str, *shapes: Any) -> Path:
    path = folder / name
    gpd.GeoSeries(list(shapes), crs=4326).to_file(path)
    return path


def test_a_line_file_is_a_line_origin(tmp_path: Path) -> None:
    line = LineString([(36.23, 49.99), (37.80, 48.02)])  # Kharkiv to Donetsk
    path = _write(tmp_path, "front.geojson", line)
    site = Site.from_text(str(path))
    assert site.geometry.equals(line)
    assert site.label == "front"
    assert site.resolved is not None
    match = re.fullmatch(r"line from front\.geojson \(2 vertices, (\d+) km\)", site.resolved)
    assert match is not None
    assert 245 < int(match[1]) < 260  # the geodesic, about 252 km
    assert Site.from_text(f"{path}=Front line").label == "Front line"
    assert as_sites([str(path), "Sumy"])[0] == site


def test_a_polygon_file_is_a_territory(tmp_path: Path) -> None:
    square = Polygon([(30.0, 50.0), (31.0, 50.0), (31.0, 51.0), (30.0, 51.0)])
    other = Polygon([(33.0, 50.0), (34.0, 50.0), (34.0, 51.0)])
    path = _write(tmp_path, "held.gpkg", square, other)
    site = Site.from_text(str(path))
    assert isinstance(site.geometry, MultiPolygon)
    assert site.geometry.contains(Point(*KYIV))
    assert site.resolved == "territory from held.gpkg (9 vertices)"
    # The same reader as recipes' file: origins and territory files.
    assert site.geometry.equals(regions.read(path))


def test_a_relative_file_path(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _write(tmp_path, "front.geojson", LineString([(36.23, 49.99), (37.80, 48.02)]))
    monkeypatch.chdir(tmp_path)
    assert Site.from_text("front.geojson").label == "front"


@pytest.mark.parametrize(
    ("content", "match"),
    [
        (None, r"^--from: '.*nowhere\.geojson' names a file that does not exist"),
        ("not json", r"^--from: '.*nowhere\.geojson': .*not a GeoJSON file"),
    ],
)
def test_file_errors_name_the_file(tmp_path: Path, content: str | None, match: str) -> None:
    path = tmp_path / "nowhere.geojson"
    if content is not None:
        path.write_text(content, encoding="utf-8")
    with pytest.raises(InputError, match=match):
        parse_origin(str(path))


def test_resolution_is_printed(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from rangemap.cli import main

    out = tmp_path / "m.geojson"
    args = ["map", "--distance", "300 km", "--from", "China", "--from", "Sumy", "-o", str(out)]
    assert main(args) == 0
    err = capsys.readouterr().err.splitlines()
    assert err[0] == "rangemap: China \u2192 territory of China (CN)"
    assert err[1].startswith("rangemap: Sumy \u2192 Sumy, ")
    assert ", UA \u2014 50.9" in err[1]
    assert len(err) == 2


def test_a_local_country_name_that_a_large_city_bears_is_the_city() -> None:
    algiers = Site.from_text("الجزائر")  # Arabic writes Algeria and Algiers alike
    assert algiers.is_point
    assert algiers.resolved is not None
    assert ", DZ \u2014 " in algiers.resolved
    # Nederland, Colorado is a small town: the Dutch name is the Netherlands.
    netherlands = Site.from_text("Nederland")
    assert not netherlands.is_point
    assert netherlands.resolved == "territory of The Netherlands (NL)"


@settings(max_examples=60, deadline=None)
@given(
    st.text(max_size=24)
    | st.builds(lambda s, suffix: s + suffix, st.text(max_size=12), st.sampled_from(SUFFIXES))
)
def test_from_text_raises_only_rangemap_errors(text: str) -> None:
    try:
        site = Site.from_text(text, argument="--from")
    except RangemapError as err:
        message = str(err)
        assert message.startswith("--from: ")
        assert "\n" not in message
    else:
        assert not site.geometry.is_empty
