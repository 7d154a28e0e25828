# Look-alike characters (primes, curly quotes, full-width letters) are what these tests test.
# ruff: noqa: RUF001
from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from rangemap.places.names import normalize_name, normalize_names


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
