from __future__ import annotations

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from rangemap.errors import InputError
from rangemap.units import KM, MI, NMI, format_km, parse_distance


@pytest.mark.parametrize(
    ("text", "metres"),
    [
        ("300 km", 300_000.0),
        ("300km", 300_000.0),
        ("300 KM", 300_000.0),
        ("190 mi", 190 * MI),
        ("190 miles", 190 * MI),
        ("162 nmi", 162 * NMI),
        ("1.5 km", 1_500.0),
        ("1,5 km", 1_500.0),
        ("250 m", 250.0),
        ("  5500 kilometres ", 5_500 * KM),
    ],
)
def test_parse_distance(text: str, metres: float) -> None:
    assert parse_distance(text) == pytest.approx(metres)


@pytest.mark.parametrize("text", ["", "km", "300", "300 parsecs", "-5 km", "0 km", "abc"])
def test_parse_distance_rejects(text: str) -> None:
    with pytest.raises(InputError, match="radius"):
        parse_distance(text, argument="radius")


def test_parse_distance_bare_number_asks_for_unit() -> None:
    with pytest.raises(InputError, match="has no unit"):
        parse_distance(300.0)


@given(st.text(max_size=40))
def test_parse_distance_never_crashes(text: str) -> None:
    try:
        value = parse_distance(text)
    except InputError:
        return
    assert math.isfinite(value)
    assert value > 0


def test_format_km() -> None:
    assert format_km(300_000) == "300 km"
    assert format_km(5_500_000) == "5,500 km"
    assert format_km(2_500) == "2.5 km"


def test_parse_distance_max() -> None:
    assert parse_distance("20000 km", max_m=20_003_931.46) == 20_000_000.0
    with pytest.raises(InputError, match=r"--distance: '30000 km' is longer than 20,003\.93 km"):
        parse_distance("30000 km", argument="--distance", max_m=20_003_931.46)
    with pytest.raises(InputError, match=r"longer than 20,003\.93 km"):
        parse_distance("20004 km", max_m=20_003_931.46)
