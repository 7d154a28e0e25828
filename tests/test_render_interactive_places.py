"""The interactive page's places panel and data (rangemap.render._interactive_places)."""

from __future__ import annotations

import base64
import gzip
import itertools
import re
import unicodedata

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from rangemap.escaping import script_json
from rangemap.places import load_gazetteer
from rangemap.places.gazetteer import local_name
from rangemap.places.names import is_usable_name
from rangemap.render._interactive_places import (
    DEFAULT_MIN_POPULATION,
    places_data,
    places_fragment,
    search_key,
)
from rangemap.scene import RangeMap
from rangemap.words import Words, words

KYIV = 703448


def _keys(data: dict[str, object]) -> list[list[str]]:
    text = gzip.decompress(base64.b64decode(str(data["keys_gz"]))).decode("utf-8")
    return [line.split("|") if line else [] for line in text.split("\n")]


def _row(data: dict[str, object], geonameid: int) -> int:
    """The index of a city in the data, found by its position in the gazetteer."""
    gazetteer = load_gazetteer()
    row = int(np.flatnonzero(gazetteer.geonameid == geonameid)[0])
    lon = round(float(gazetteer.lon[row]) * 1e5)
    lat = round(float(gazetteer.lat[row]) * 1e5)
    lons, lats = data["lon"], data["lat"]
    assert isinstance(lons, list)
    assert isinstance(lats, list)
    return next(i for i in range(len(lons)) if lons[i] == lon and lats[i] == lat)


@pytest.fixture(scope="module")
def uk_data() -> dict[str, object]:
    return places_data(RangeMap(language="uk"), words("uk"), min_population=DEFAULT_MIN_POPULATION)


def test_about_five_thousand_places_most_populous_first(uk_data: dict[str, object]) -> None:
    count = uk_data["count"]
    assert isinstance(count, int)
    assert 4_500 <= count <= 5_500
    population = uk_data["population"]
    assert isinstance(population, list)
    assert len(population) == count
    assert population == sorted(population, reverse=True)
    for column in ("name", "lon", "lat"):
        assert len(uk_data[column]) == count  # type: ignore[arg-type]
    assert len(str(uk_data["country"])) == 2 * count
    assert len(_keys(uk_data)) == count
    # Every capital is searchable, however small (Valletta has fewer than 10,000 people).
    names = places_data(RangeMap(), words("en"), min_population=DEFAULT_MIN_POPULATION)["name"]
    assert "Valletta" in names


def test_a_city_named_in_the_page_language_with_every_name_as_a_key(
    uk_data: dict[str, object],
) -> None:
    i = _row(uk_data, KYIV)
    assert uk_data["name"][i] == "Київ"  # type: ignore[index]
    assert str(uk_data["country"])[2 * i : 2 * i + 2] == "UA"
    assert uk_data["countries"]["UA"] == "Україна"  # type: ignore[index]
    gazetteer = load_gazetteer()
    row = int(np.flatnonzero(gazetteer.geonameid == KYIV)[0])
    assert uk_data["lon"][i] / 1e5 == pytest.approx(float(gazetteer.lon[row]), abs=5e-6)  # type: ignore[index]
    assert uk_data["lat"][i] / 1e5 == pytest.approx(float(gazetteer.lat[row]), abs=5e-6)  # type: ignore[index]
    keys = _keys(uk_data)[i]
    # Every name the gazetteer holds for Kyiv, in any script, is found by a prefix search.
    names = [gazetteer.name[row], gazetteer.ascii_name[row], *gazetteer.alternate_names(KYIV)]
    names += [local_name(KYIV, language) for language in ("uk", "ru", "he", "ar")]
    usable = [n for n in names if n and is_usable_name(n)]
    assert len(usable) > 100
    for name in usable:
        key = search_key(name)
        assert any(k.startswith(key) for k in keys), name
    for name in ("Київ", "Kyiv", "Kiev", "Киев", "Kijów", "קייב", "كييف"):
        assert any(k.startswith(search_key(name)) for k in keys), name
    # The GeoNames name first, then the others sorted, none a prefix of the next (the
    # prefix search finds it anyway).
    assert keys[0] == "kyiv"
    rest = keys[1:]
    assert rest == sorted(rest)
    assert "kyiv" not in rest
    assert not any(b.startswith(a) for a, b in itertools.pairwise(rest))


def test_names_follow_the_page_language() -> None:
    en = places_data(RangeMap(), words("en"), min_population=1_000_000)
    he = places_data(RangeMap(language="he"), words("he"), min_population=1_000_000)
    i = _row(en, KYIV)
    assert (en["name"][i], he["name"][i]) == ("Kyiv", "קייב")
    assert en["countries"]["UA"] == "Ukraine"
    assert he["countries"]["UA"] == "אוקראינה"
    assert en["keys_gz"] == he["keys_gz"]  # the keys hold every language's names


def test_search_keys_are_accent_and_case_insensitive() -> None:
    assert search_key("Dnipró") == search_key("DNIPRO") == "dnipro"
    assert search_key("Kryvyi-Rih") == search_key("kryvyi rih")
    assert search_key("Київ") == search_key("КИЇВ") == "киів"
    assert search_key("ΑΘΗΝΑΣ") == search_key("Αθήνας") == "αθηνασ"
    assert search_key("<script>") == "script"


@given(st.text(max_size=40))
def test_search_key_is_idempotent_letters_and_numbers(text: str) -> None:
    key = search_key(text)
    assert search_key(key) == key
    assert all(unicodedata.category(c)[0] in "LN" for c in key)


def test_deterministic_and_within_budget() -> None:
    first = places_fragment(RangeMap(language="uk"), words("uk"))
    second = places_fragment(RangeMap(language="uk"), words("uk"))
    assert first == second
    data = script_json(first[1])
    assert data == script_json(second[1])
    size = len(data.encode("utf-8"))
    # The flagship page carries this within 1.5 MB with the map, Leaflet and the scripts.
    assert size < 1_000_000, size
    assert gzip.decompress(base64.b64decode(first[1]["keys_gz"]))  # a well-formed gzip


def test_floor_is_configurable() -> None:
    small = places_data(RangeMap(), words("en"), min_population=1_000_000)
    big = places_data(RangeMap(), words("en"), min_population=500_000)
    assert 100 < small["count"] < big["count"] < 1_500
    # Cities below the floor are capitals.
    gazetteer = load_gazetteer()
    capitals = {
        (round(float(gazetteer.lon[r]) * 1e5), round(float(gazetteer.lat[r]) * 1e5))
        for r in range(len(gazetteer))
        if gazetteer.feature_code[r] == "PPLC"
    }
    for lon, lat, people in zip(small["lon"], small["lat"], small["population"], strict=True):
        assert people >= 1_000_000 or (lon, lat) in capitals


def test_panel_html_is_labelled_and_localised() -> None:
    html, data = places_fragment(RangeMap(language="uk"), words("uk"))
    assert re.search(r'<label for="rm-find-q">[^<]+</label>', html)
    assert 'id="rm-find-q"' in html
    assert 'role="combobox"' in html
    assert 'aria-live="polite"' in html
    assert 'role="listbox"' in html
    assert "Find a place" not in html  # translated
    assert words("uk")("Find a place") in html
    assert "GeoNames" in html  # the data's credit and licence
    for phrase in data["text"].values():
        assert (phrase != "" and "{" in phrase) or phrase


def test_panel_escapes_every_word() -> None:
    hostile = "<img src=x onerror=__rm_hit()>\"'`${x}"
    catalog = {
        "Find a place": hostile,
        "Cities in range": hostile,
        "{name}, {country}": hostile + "{name}",
    }
    w = Words("uk", catalog)
    html, data = places_fragment(RangeMap(language="uk"), w, min_population=5_000_000)
    assert "<img" not in html
    assert 'onerror=__rm_hit()>"' not in html
    assert "&lt;img src=x onerror=__rm_hit()&gt;&quot;&#x27;&#96;&#36;&#123;x&#125;" in html
    assert data["text"]["result"] == hostile + "{name}"  # data: escaped by script_json
    assert "<" not in script_json(data)
