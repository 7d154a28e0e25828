"""``rangemap distance`` (rangemap/cli/distance.py)."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
from cli_checks import one_error_line
from pyproj import Geod

from rangemap.cli import main
from rangemap.geodesy import distance_to
from rangemap.places import geocode
from rangemap.regions import country

GEOD = Geod(ellps="WGS84")
ENTRY_POINTS = pytest.mark.parametrize(
    "command",
    [[sys.executable, "-m", "rangemap"], [str(Path(sys.executable).with_name("rangemap"))]],
    ids=["python -m rangemap", "rangemap"],
)
#: Clear screen, OSC 52 (write the clipboard), a bell and a right-to-left override.
TERMINAL_TRICKS = "Ky\x1b[2J\x1b]52;c;cm0gLXJmIH4=\x07iv\u202e"


def run(command: list[str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [*command, *args], capture_output=True, text=True, encoding="utf-8", check=False
    )


def _number(pattern: str, text: str) -> float:
    found = re.search(pattern, text)
    assert found is not None, text
    return float(found[1].replace(",", ""))


@ENTRY_POINTS
def test_distance_kyiv_moscow_is_geodesic(command: list[str]) -> None:
    result = run(command, "distance", "Kyiv", "Moscow")
    assert result.returncode == 0, result.stderr
    kyiv, moscow = geocode("Kyiv"), geocode("Moscow")
    azimuth, _, metres = GEOD.inv(kyiv.lon, kyiv.lat, moscow.lon, moscow.lat)
    km = _number(r"distance: ([\d,.]+) km", result.stdout)
    assert abs(km * 1000 - metres) <= 1.0
    bearing = _number(r"initial bearing: ([\d.]+)°", result.stdout)
    assert bearing == pytest.approx(azimuth % 360, abs=0.05)
    assert "GeoNames" in result.stdout


@ENTRY_POINTS
def test_distance_json(command: list[str]) -> None:
    result = run(command, "distance", "Київ", "55.75, 37.62", "--format", "json")
    assert result.returncode == 0, result.stderr
    payload = json.loads(result.stdout)
    _, _, metres = GEOD.inv(30.5238, 50.45466, 37.62, 55.75)
    assert payload["distance_m"] == pytest.approx(metres, abs=1e-3)
    assert payload["from"]["geonameid"] == 703448
    assert payload["to"]["geonameid"] is None


@pytest.mark.parametrize(
    ("args", "match"),
    [
        (["distance", "Kyivv", "Moscow"], "did you mean Kyiv, "),
        (["distance", "Ukraine", "country:RU"], "one side must be a place or a coordinate"),
        (["distance", "Kyiv", "91, 30"], "latitude 91"),
        (["distance", "Kyiv", ""], "is empty"),
    ],
)
def test_bad_input_exits_2_with_one_line(
    args: list[str], match: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert re.search(match, one_error_line(args, capsys))


@ENTRY_POINTS
def test_bad_input_from_the_shell(command: list[str]) -> None:
    result = run(command, "distance", "Kyivv", "Moscow")
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    assert result.stderr.strip().splitlines() == [
        line for line in result.stderr.strip().splitlines() if line.startswith("rangemap: error: ")
    ]
    assert "did you mean Kyiv, " in result.stderr
    assert result.stdout == ""


def test_distance_notes_namesakes(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["distance", "Alexandria", "Sumy"]) == 0
    err = capsys.readouterr().err
    assert "'Alexandria' is taken as Alexandria, EG" in err
    assert "'Alexandria, US'" in err


@pytest.mark.parametrize(
    ("text", "match"),
    [
        ("nan, 0", r"'nan, 0' is not a coordinate: the latitude 'nan' is not a finite number"),
        ("50, -inf", r"the longitude '-inf' is not a finite number"),
        ("1e3, 5", r"'1e3, 5' is not a coordinate; write latitude then longitude"),
    ],
)
def test_distance_non_finite_coordinate_is_a_coordinate_error(
    text: str, match: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["distance", text, "Kyiv"]) == 2
    out, err = capsys.readouterr()
    assert re.search(match, err), err
    assert "no place named" not in err
    assert out == ""


@pytest.mark.parametrize(("start", "end"), [("50, 30", "50, 30"), ("Kiev", "Київ")])
def test_distance_zero_has_no_bearing(
    start: str, end: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["distance", start, end]) == 0
    out = capsys.readouterr().out
    assert "distance: 0.000 km" in out
    assert "initial bearing: undefined" in out
    assert "°" not in out
    assert main(["distance", start, end, "--format", "json"]) == 0
    payload = json.loads(capsys.readouterr().out)
    assert payload["distance_m"] == 0.0
    assert payload["initial_bearing_deg"] is None


@pytest.mark.parametrize("fmt", ["text", "json"])
def test_distance_output_has_no_terminal_escapes(fmt: str) -> None:
    for start in (TERMINAL_TRICKS, "50.45, 30.52", "Alexandria"):
        result = run(
            [sys.executable, "-m", "rangemap"], "distance", start, "Moscow", "--format", fmt
        )
        assert result.returncode in (0, 2), result.stderr
        for stream in (result.stdout, result.stderr):
            assert "\x1b" not in stream
            assert "\x07" not in stream
            assert "\u202e" not in stream


@pytest.mark.parametrize("order", ["point first", "territory first"])
def test_distance_from_a_place_to_a_territory(
    order: str, capsys: pytest.CaptureFixture[str]
) -> None:
    args = ["Moscow", "Ukraine"] if order == "point first" else ["Ukraine", "Moscow"]
    assert main(["distance", *args]) == 0
    out, err = capsys.readouterr()
    moscow = geocode("Moscow")
    metres = float(distance_to(country("UA"), moscow.lon, moscow.lat))
    km = _number(r"distance: ([\d,.]+) km \(geodesic, WGS84\) to the nearest point", out)
    assert abs(km * 1000 - metres) <= 0.5
    found = re.search(r"nearest point: ([\d.-]+), ([\d.-]+) \(latitude, longitude\)", out)
    assert found is not None, out
    _, _, to_nearest = GEOD.inv(moscow.lon, moscow.lat, float(found[2]), float(found[1]))
    assert abs(to_nearest - metres) < 2.0  # the point is printed to 5 decimals
    assert "Ukraine (territory)" in out
    assert "Natural Earth" in out
    assert "GeoNames" in out
    # Every name's resolution, on standard error, after the answer.
    assert "rangemap: Ukraine \u2192 territory of Ukraine (UA)" in err
    assert "rangemap: Moscow \u2192 Moscow, RU" in err


def test_a_place_inside_a_territory_is_at_zero(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["distance", "Kyiv", "country:UA"]) == 0
    out = capsys.readouterr().out
    assert "Kyiv is inside Ukraine: 0 km" in out
    assert main(["distance", "50.45, 30.52=Launch site", "Ukraine", "--format", "json"]) == 0
    payload = json.loads(capsys.readouterr().out)
    assert payload["distance_m"] == 0.0
    assert payload["inside"] is True
    assert payload["from"]["name"] == "Launch site"
    assert payload["to"]["kind"] == "territory"
    assert payload["nearest_point"] == {"lat": 50.45, "lon": 30.52}


def test_distance_to_a_front_line_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    kharkiv = geocode("Kharkiv, UA")
    line = [[kharkiv.lon, kharkiv.lat], [37.55, 48.59], [37.80, 48.02]]
    front = tmp_path / "front.geojson"
    feature = {
        "type": "Feature",
        "properties": {},
        "geometry": {"type": "LineString", "coordinates": line},
    }
    front.write_text(json.dumps({"type": "FeatureCollection", "features": [feature]}), "utf-8")
    assert main(["distance", str(front), "Dnipro", "--format", "json"]) == 0
    payload = json.loads(capsys.readouterr().out)
    dnipro = geocode("Dnipro")
    from shapely.geometry import LineString

    metres = float(distance_to(LineString(line), dnipro.lon, dnipro.lat))
    assert payload["distance_m"] == pytest.approx(metres, abs=1e-3)
    assert payload["to"]["geonameid"] == dnipro.geonameid
    assert payload["from"]["kind"] == "line"
    assert payload["inside"] is None
    assert main(["distance", "Kharkiv, UA", str(front)]) == 0
    out = capsys.readouterr().out
    assert "distance: 0.000 km (geodesic, WGS84) to the nearest point of the line" in out


def test_two_shapes_are_refused_from_the_shell() -> None:
    result = run([sys.executable, "-m", "rangemap"], "distance", "Ukraine", "Poland")
    assert result.returncode == 2
    assert result.stdout == ""
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1
    assert lines[0].startswith("rangemap: error: distance: ")
    assert "one side must be a place or a coordinate" in lines[0]
    assert "Traceback" not in result.stderr
