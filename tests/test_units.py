from __future__ import annotations

import json
import math
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from pyproj import Geod

import rangemap.geodesy
import rangemap.units
from rangemap.cli import main
from rangemap.errors import InputError
from rangemap.units import KM, MAX_DISTANCE_M, MI, NMI, format_km, format_range_km, parse_distance


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
        ("1,000 km", 1_000_000.0),
        ("1,500 mi", 1_500 * MI),
        ("20,000 km", 20_000_000.0),
        ("12,345.5 km", 12_345_500.0),
        ("1,234,567 m", 1_234_567.0),
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


@pytest.mark.parametrize(
    ("text", "example"),
    [
        ("1,5 km", "'1.5 km'"),
        ("1,00 km", "'1.00 km'"),
        ("10,0000 km", "'10.0000 km'"),
        ("2,5 mi", "'2.5 mi'"),
        ("1,000,00 km", "'1.5 km'"),
        ("1,5.5 km", "'1.5 km'"),
        ("1000,000 km", "'1000.000 km'"),
    ],
)
def test_comma_that_is_not_a_thousands_separator_is_refused(text: str, example: str) -> None:
    with pytest.raises(InputError) as info:
        parse_distance(text, argument="--distance")
    assert str(info.value) == (
        f"--distance: '{text}': write decimals with a point, for example {example}; "
        "a comma only separates thousands, as in '1,000 km'"
    )


def test_thousands_keep_the_earth_distance_limit() -> None:
    assert parse_distance("20,000 km", max_m=MAX_DISTANCE_M) == 20_000_000.0
    with pytest.raises(InputError, match=r"'20,004 km' is longer than 20,003\.93 km"):
        parse_distance("20,004 km", argument="--distance", max_m=MAX_DISTANCE_M)
    with pytest.raises(InputError, match=r"'12,500 mi' is longer than"):
        parse_distance("12,500 mi", max_m=MAX_DISTANCE_M)


def test_long_text_is_refused_quickly_and_quoted_short() -> None:
    text = "1" + " " * 50_000 + "!"
    with pytest.raises(InputError) as info:
        parse_distance(text, argument="layers[0].distance")
    message = str(info.value)
    assert message.startswith("layers[0].distance: '1")
    assert "(50,002 characters)" in message
    assert len(message) < 400


def test_control_characters_never_reach_the_message() -> None:
    with pytest.raises(InputError) as info:
        parse_distance("300 km\x1b]52;c;ZXZpbA==\x07")
    assert "\x1b" not in str(info.value)
    assert "\x07" not in str(info.value)


_NOISE = st.text(alphabet="0123456789,.  kmnKMiles\t\u00a0\u212a-+e", max_size=30)


@given(st.one_of(st.text(max_size=60), _NOISE))
def test_parse_distance_never_crashes(text: str) -> None:
    try:
        value = parse_distance(text, max_m=MAX_DISTANCE_M)
    except InputError as err:
        message = str(err)
    else:
        message = ""
        assert math.isfinite(value)
        assert 0 < value <= MAX_DISTANCE_M
    assert "\n" not in message


@given(st.integers(min_value=1, max_value=20_003), st.sampled_from(["km", "mi", "nmi"]))
def test_thousands_separators_read_as_the_plain_number(whole: int, unit: str) -> None:
    assert parse_distance(f"{whole:,} {unit}") == parse_distance(f"{whole} {unit}")


def test_cli_distance_with_thousands_separator(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "kyiv.geojson"
    code = main(["map", "--distance", "1,000 km", "--from", "Kyiv", "-o", str(out)])
    err = capsys.readouterr().err
    assert code == 0
    assert err.startswith("rangemap: Kyiv \u2192 Kyiv, ")  # what the name was read as
    assert ", UA \u2014 50." in err
    assert err.count("\n") == 1
    collection = json.loads(out.read_text(encoding="utf-8"))
    assert collection["title"] == "What 1,000 km can reach from Kyiv"
    properties = collection["features"][0]["properties"]
    assert properties["km"] == 1000.0
    assert properties["label"] == "1,000 km"
    assert properties["range"] == "1,000 km"


def test_cli_distance_with_decimal_comma_is_one_line_and_status_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "sumy.geojson"
    code = main(["map", "--distance", "1,5 km", "--from", "Sumy", "-o", str(out)])
    err = capsys.readouterr().err
    assert code == 2
    assert err == (
        "rangemap: error: --distance: '1,5 km': write decimals with a point, for example "
        "'1.5 km'; a comma only separates thousands, as in '1,000 km'\n"
    )
    assert not out.exists()


def test_format_km() -> None:
    assert format_km(300_000) == "300 km"
    assert format_km(5_500_000) == "5,500 km"
    assert format_km(2_500) == "2.5 km"


def test_format_range_km_keeps_the_reported_figure() -> None:
    assert format_range_km(306) == "306 km"
    assert format_range_km(5_500.0) == "5,500 km"
    assert format_range_km(20_003.95) == "20,003.95 km"
    assert format_range_km(2.5) == "2.5 km"


def test_max_distance_is_the_half_meridian_pyproj_measures() -> None:
    # The constant is written out; it must be exactly what geodesy's Geod returns.
    half_meridian = float(Geod(ellps="WGS84").inv(0.0, 90.0, 0.0, -90.0)[2])
    assert half_meridian == MAX_DISTANCE_M
    assert f"{MAX_DISTANCE_M / KM:,.2f} km" == "20,003.93 km"
    assert rangemap.geodesy.MAX_DISTANCE_M is MAX_DISTANCE_M  # one value, re-exported


def test_parse_distance_max() -> None:
    assert parse_distance("20000 km", max_m=20_003_931.46) == 20_000_000.0
    with pytest.raises(InputError, match=r"--distance: '30000 km' is longer than 20,003\.93 km"):
        parse_distance("30000 km", argument="--distance", max_m=20_003_931.46)
    with pytest.raises(InputError, match=r"longer than 20,003\.93 km"):
        parse_distance("20004 km", max_m=20_003_931.46)
