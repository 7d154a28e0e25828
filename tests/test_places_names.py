# Look-alike characters (primes, curly quotes, full-width letters) are what these tests test.
# ruff: noqa: RUF001
from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from rangemap.places.gazetteer import load_gazetteer
from rangemap.places.names import is_usable_name, mojibake, normalize_name, normalize_names


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("Kyiv", "KYIV"),
        ("Kyiv", "Kýiv"),
        ("Kryvyi Rih", "Kryvyi-Rih"),
        ("Kryvyi Rih", "kryvyirih"),
        ("Kam'yanske", "Kamyanske"),
        ("Kam’yanske", "Kamyanske"),
        ("Orël", "Orel"),
        ("Białystok", "Bialystok"),
        ("São Paulo", "Sao Paulo"),
        ("Київ", "КИЇВ"),
        ("ｋｙｉｖ", "kyiv"),  # full-width letters (NFKD)
    ],
)
def test_same_name(a: str, b: str) -> None:
    assert normalize_name(a) == normalize_name(b)


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("Kyiv", "Kiev"),
        ("Київ", "Kyiv"),  # scripts are not transliterated
        ("Sumy", "Sumyy"),
    ],
)
def test_different_name(a: str, b: str) -> None:
    assert normalize_name(a) != normalize_name(b)


def test_keeps_letters_of_every_script() -> None:
    assert normalize_name("קייב") == "קייב"
    assert normalize_name("Київ") == "киів"
    assert normalize_name("कीव") == "कीव"  # the vowel sign is a spacing mark: kept
    assert normalize_name(" -- ") == ""


@given(st.lists(st.text().filter(lambda t: "\n" not in t)))
def test_bulk_equals_one_by_one(names: list[str]) -> None:
    assert normalize_names(names) == [normalize_name(n) for n in names]


@given(st.text())
def test_idempotent(name: str) -> None:
    once = normalize_name(name)
    assert normalize_name(once) == once


@pytest.mark.parametrize("name", ["Kiev", "Київ", "Ufa", "Sankt-Peterburg", "St. John's", "Ağrı"])
def test_usable_names(name: str) -> None:
    assert is_usable_name(name)


@pytest.mark.parametrize(
    "name", ["IEV", "UKKK", "LA", "UFA", "Kyiv 2", "http://kyiv.ua", "www.kyivcity.gov.ua", "14000"]
)
def test_codes_numbers_and_addresses_are_not_names(name: str) -> None:
    assert not is_usable_name(name)


@pytest.mark.parametrize(
    ("text", "meant"),
    [
        ("CafÃ©", "Café"),
        ("KÃ¶ln", "Köln"),
        ("ÐšÐ¸Ñ—Ð²", "Київ"),
        ("SÃ£o Paulo", "São Paulo"),
        ("Ã\x81guas Lindas", "Águas Lindas"),  # cp1252 has no 0x81: Latin-1 read
        ("Ð¥Ð°Ñ€ÐºÑ–Ð²", "Харків"),
    ],
)
def test_mojibake_is_found_and_repaired(text: str, meant: str) -> None:
    assert mojibake(text) == meant


@pytest.mark.parametrize(
    "text",
    [
        "Łódź",
        "Ağrı",
        "Zürich",
        "Київ",
        "北京",
        "Orël",
        "Homyel'",
        "Sumy",
        "Ã",
        "Ålesund",
        "Þórshöfn",
    ],
)
def test_right_text_is_not_mojibake(text: str) -> None:
    assert mojibake(text) is None


def test_no_gazetteer_name_is_mojibake() -> None:
    gazetteer = load_gazetteer()
    # Every city's main name, and the alternate names of the 300 most populous (in
    # every script GeoNames records): about 85,000 names.
    names = list(gazetteer.name)
    for row in np.argsort(-gazetteer.population)[:300]:
        names += gazetteer.alternate_names(int(gazetteer.geonameid[row]))
    assert len(names) > 75_000
    flagged = [name for name in names if mojibake(name) is not None]
    assert flagged == []
