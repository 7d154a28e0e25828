# Look-alike characters (primes, curly quotes, full-width letters) are what these tests test.
# ruff: noqa: RUF001
from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from rangemap.errors import InputError
from rangemap.places import parse_latlon
from rangemap.places.coords import looks_like_coordinate

SUMY = (34.80, 50.91)


@pytest.mark.parametrize(
    "text",
    [
        "50.91, 34.80",
        "50.91 34.80",
        "50.91,34.80",
        "50.91; 34.80",
        "(50.91, 34.80)",
        "50.91N 34.80E",
        "50.91 N, 34.80 E",
        "50.91n 34.80e",
        "34.80E 50.91N",
        "N50.91 E34.80",
        "N 50.91, E 34.80",
        "50°54′36″N 34°48′E",
        "50°54'36\"N, 34°48'0\"E",
        "50°54’36”N 34°48’E",
        "50º54'36''N 34º48'E",
        "50 54 36 N 34 48 0 E",
        "50°54.6′N 34°48′E",
        "50°54′36″ 34°48′",
        "  50.91,\u00a034.80  ",
    ],
)
def test_parse_latlon_forms_of_sumy(text: str) -> None:
    lon, lat = parse_latlon(text)
    assert lon == pytest.approx(SUMY[0], abs=1e-9)
    assert lat == pytest.approx(SUMY[1], abs=1e-9)


@pytest.mark.parametrize(
    ("text", "lonlat"),
    [
        ("-33.87, 151.21", (151.21, -33.87)),  # Sydney
        ("33.87S 151.21E", (151.21, -33.87)),
        ("151.21E, 33.87S", (151.21, -33.87)),
        ("40.71, -74.01", (-74.01, 40.71)),  # New York
        ("40.71 N 74.01 W", (-74.01, 40.71)),
        ("40.71, −74.01", (-74.01, 40.71)),  # Unicode minus sign
        ("-0.5, -0.25", (-0.25, -0.5)),
        ("90, 180", (180.0, 90.0)),
        ("-90, -180", (-180.0, -90.0)),
        ("55°45′N 37°37′E", (37 + 37 / 60, 55.75)),  # Moscow
    ],
)
def test_parse_latlon_signs_and_hemispheres(text: str, lonlat: tuple[float, float]) -> None:
    assert parse_latlon(text) == pytest.approx(lonlat)


@pytest.mark.parametrize(
    ("text", "match"),
    [
        ("", "is not a coordinate"),
        ("Sumy", "is not a coordinate"),
        ("50.91", "is not a coordinate"),
        ("50.91, 34.80, 12", "is not a coordinate"),
        ("nan, 34.80", "is not a coordinate"),
        ("inf, 34.80", "is not a coordinate"),
        ("50.91N 34.80N", "hemisphere letters N and N"),
        ("50.91E 34.80E", "hemisphere letters E and E"),
        ("-50.91S 34.80E", "is not a coordinate"),
        ("50°61′N 34°48′E", "is not a coordinate"),
        ("50.5°30′N 34°E", "is not a coordinate"),
        ("50 54 36 34 48 0", "is not a coordinate"),
        ("91, 34.80", r"latitude 91 .* outside -90\.\.90"),
        ("34.80, 181", r"longitude 181 .* outside -180\.\.180"),
        ("95N 30E", r"latitude 95 .* outside"),
        ("1" * 400 + ", 1", "outside"),
    ],
)
def test_parse_latlon_rejects(text: str, match: str) -> None:
    with pytest.raises(InputError, match=match) as caught:
        parse_latlon(text, argument="--from")
    message = str(caught.value)
    assert message.startswith("--from: ")
    assert "50.91, 34.80" in message  # shows an example


def test_parse_latlon_suggests_swapped_order() -> None:
    with pytest.raises(InputError, match="longitude first"):
        parse_latlon("151.21, -33.87")


def test_parse_latlon_rejects_non_text() -> None:
    with pytest.raises(InputError, match="is not text"):
        parse_latlon(50.91)  # type: ignore[arg-type]


@given(st.text())
def test_parse_latlon_never_crashes(text: str) -> None:
    try:
        lon, lat = parse_latlon(text)
    except InputError:
        return
    assert -180 <= lon <= 180
    assert -90 <= lat <= 90


_LAT = st.floats(min_value=-90, max_value=90, allow_nan=False)
_LON = st.floats(min_value=-180, max_value=180, allow_nan=False)


@given(_LAT, _LON)
def test_decimal_round_trip(lat: float, lon: float) -> None:
    # Positional notation, as web maps write it (scientific notation is not accepted).
    assert parse_latlon(f"{lat:.15f}, {lon:.15f}") == pytest.approx((lon, lat), abs=1e-12)
    assert parse_latlon(f"{lat:.6f} {lon:.6f}") == pytest.approx((lon, lat), abs=1e-6)


@given(_LAT, _LON)
def test_hemisphere_letters_make_order_explicit(lat: float, lon: float) -> None:
    ns = f"{abs(lat):.5f}{'S' if lat < 0 else 'N'}"
    ew = f"{abs(lon):.5f}{'W' if lon < 0 else 'E'}"
    assert parse_latlon(f"{ns} {ew}") == parse_latlon(f"{ew}, {ns}")
    assert parse_latlon(f"{ns} {ew}") == pytest.approx((lon, lat), abs=1e-5)


def _dms(value: float, letters: str) -> str:
    letter = letters[1] if value < 0 else letters[0]
    total = round(abs(value) * 3600)
    degrees, rest = divmod(total, 3600)
    minutes, seconds = divmod(rest, 60)
    return f"{degrees}°{minutes}′{seconds}″{letter}"


@given(_LAT, _LON)
def test_dms_round_trip(lat: float, lon: float) -> None:
    got = parse_latlon(f"{_dms(lat, 'NS')} {_dms(lon, 'EW')}")
    assert got == pytest.approx((lon, lat), abs=1 / 3600)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("50.91, 34.80", True),
        ("50°54′36″N 34°48′E", True),
        ("(50.91; 34.80)", True),
        ("91, 0", True),
        ("Sumy", False),
        ("Kharkiv, UA", False),
        ("Zürich (Kreis 4)", False),
        ("N, E", False),
        ("", False),
    ],
)
def test_looks_like_coordinate(text: str, expected: bool) -> None:
    assert looks_like_coordinate(text) is expected
