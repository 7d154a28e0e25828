"""Origins: the one Site class, reading it from text or a country, and as_sites."""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

import pytest
from shapely.geometry import LineString, MultiPolygon, Point, Polygon

import rangemap.reach
from rangemap import regions
from rangemap.errors import InputError, PlaceNotFoundError
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


@pytest.mark.parametrize(
    ("name", "inside"),
    [
        ("China", [(116.40, 39.90), (87.62, 43.83)]),  # Beijing, Urumqi
        ("Ukraine", [(30.52, 50.45), (24.03, 49.84)]),  # Kyiv, Lviv
        ("Poland", [(21.01, 52.23), (18.65, 54.35)]),  # Warsaw, Gdansk
        ("country:CN", [(116.40, 39.90)]),
    ],
)
def test_a_country_name_is_its_territory(name: str, inside: list[tuple[float, float]]) -> None:
    site = Site.from_text(name)
    assert not site.is_point
    for lon, lat in inside:
        assert site.geometry.contains(Point(lon, lat))
    assert site.resolved is not None
    assert site.resolved.startswith("territory of ")


def test_a_name_with_a_country_code_is_a_town() -> None:
    town = Site.from_text("Poland, US")
    assert town.is_point
    assert -80 < town.lon < -65  # in the north-eastern United States
    assert town.resolved is not None
    assert ", US (" in town.resolved


def test_a_bare_code_is_not_a_country() -> None:
    with pytest.raises(LookupError):
        Site.from_text("US")


def test_resolution_is_printed(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from rangemap.cli import main

    out = tmp_path / "m.geojson"
    assert main(["map", "atacms", "--from", "China", "--from", "Sumy", "-o", str(out)]) == 0
    err = capsys.readouterr().err.splitlines()
    assert err[0] == "rangemap: China \u2192 territory of China"
    assert err[1].startswith("rangemap: Sumy \u2192 Sumy, UA (")
    assert len(err) == 2
    assert "from China and Sumy" in out.read_text(encoding="utf-8")
