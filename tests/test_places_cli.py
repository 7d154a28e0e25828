"""``rangemap places`` (rangemap/cli/places.py); ``distance`` is in test_cli_distance.py."""

from __future__ import annotations

import csv
import io
import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
from cli_checks import one_error_line

from rangemap.cli import main


def run(command: list[str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [*command, *args], capture_output=True, text=True, encoding="utf-8", check=False
    )


@pytest.mark.parametrize(
    ("args", "match"),
    [
        (["places", "--distance", "300 km"], "--from"),
        (["places", "--from", "Sumy"], "either SYSTEM"),
        (["places", "--distance", "300", "--from", "Sumy"], "has no unit|is not a distance"),
        (["places", "--distance", "300 km", "--from", "Sumy", "--min-population", "-5"], "-5"),
        (["places", "--distance", "300 km", "--from", "Sumy", "--country", "Atlantis"], "Atlantis"),
        (["places", "--distance", "300 km", "--from", "Sumy", "--limit", "ten"], "--limit"),
    ],
)
def test_bad_input_exits_2_with_one_line(
    args: list[str], match: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert re.search(match, one_error_line(args, capsys))


def test_places_distance_table(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["places", "--distance", "300 km", "--from", "Sumy"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("300 km, from Sumy")
    assert "Kursk" in out
    assert "Belgorod" in out
    assert "Moscow" not in out
    assert "population of listed cities: " in out
    assert "not the population of the area" in out
    assert "Places: GeoNames (geonames.org), CC BY 4.0" in out


def test_places_csv_sorted_and_filtered(capsys: pytest.CaptureFixture[str]) -> None:
    args = ["places", "--distance", "300 km", "--from", "Sumy", "--format", "csv"]
    assert main([*args, "--min-population", "100,000", "--country", "RU"]) == 0
    rows = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    names = [row["name"] for row in rows]
    assert {"Kursk", "Belgorod"} <= set(names)
    assert {row["country"] for row in rows} == {"RU"}
    assert min(int(row["population"]) for row in rows) >= 100_000
    distances = [float(row["distance_km"]) for row in rows]
    assert distances == sorted(distances)
    assert max(distances) <= 300.03


def test_places_json_totals_listed_cities(capsys: pytest.CaptureFixture[str]) -> None:
    args = ["places", "--distance", "150 km", "--from", "50.0, 36.23=Kharkiv"]
    assert main([*args, "--format", "json", "--limit", "5"]) == 0
    payload = json.loads(capsys.readouterr().out)
    assert payload["count"] == len(payload["places"]) == 5
    assert payload["population_of_listed_cities"] == sum(p["population"] for p in payload["places"])
    assert {p["nearest_origin"] for p in payload["places"]} == {"Kharkiv"}
    assert "GeoNames" in payload["credit"]


def test_places_geojson_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    target = tmp_path / "near-sumy.geojson"
    args = ["places", "--distance", "100 km", "--from", "Sumy", "--format", "geojson"]
    assert main([*args, "--include-origins", "-o", str(target)]) == 0
    assert capsys.readouterr().out == ""
    payload = json.loads(target.read_text("utf-8"))
    assert payload["type"] == "FeatureCollection"
    sumy = payload["features"][0]
    assert sumy["properties"]["name"] == "Sumy"
    assert sumy["properties"]["distance_km"] == 0.0
    assert sumy["geometry"]["coordinates"] == [sumy["properties"]["lon"], sumy["properties"]["lat"]]


def test_places_system_cites_sources(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["places", "atacms", "--from", "Sumy", "--min-population", "300000"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("ATACMS")
    assert "Kursk" in out
    assert "source: " in out
    assert "figures as of " in out


def test_places_unknown_system(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["places", "no-such-missile", "--from", "Sumy"]) == 2
    assert "rangemap: error: " in capsys.readouterr().err


def test_places_none_in_range(capsys: pytest.CaptureFixture[str]) -> None:
    # 10 km around a point in the South Atlantic: no city.
    assert main(["places", "--distance", "10 km", "--from", "-30, -20"]) == 0
    out = capsys.readouterr().out
    assert "0 places; population of listed cities: 0" in out


# --- hostile text: spreadsheets and terminals ---------------------------------------------

FORMULA = '=HYPERLINK("http://evil.example","x")'
#: Clear screen, OSC 52 (write the clipboard), a bell and a right-to-left override.
TERMINAL_TRICKS = "Ky\x1b[2J\x1b]52;c;cm0gLXJmIH4=\x07iv\u202e"


@pytest.mark.parametrize("label", [FORMULA, "+1+1", "-1+cmd|' /C calc'!A0", "@SUM(A1:A9)"])
def test_places_csv_never_holds_a_formula(label: str, capsys: pytest.CaptureFixture[str]) -> None:
    args = ["places", "--distance", "300 km", "--from", f"50.45, 30.52={label}"]
    assert main([*args, "--format", "csv", "--limit", "3"]) == 0
    rows = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    assert len(rows) == 3
    assert {row["nearest_origin"] for row in rows} == {"'" + label}
    for row in rows:
        assert not any(cell[:1] in ("=", "+", "-", "@", "\t", "\r") for cell in row.values())


def test_places_csv_keeps_negative_numbers_as_numbers(
    capsys: pytest.CaptureFixture[str],
) -> None:
    # New York: every longitude is negative, and stays a number, not text.
    args = ["places", "--distance", "20 km", "--from", "40.71, -74.00=-NYC"]
    assert main([*args, "--format", "csv", "--limit", "3"]) == 0
    rows = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    assert rows
    assert all(float(row["lon"]) < 0 for row in rows)
    assert {row["nearest_origin"] for row in rows} == {"'-NYC"}


def test_places_csv_file_is_safe(tmp_path: Path) -> None:
    target = tmp_path / "places.csv"
    result = run(
        [sys.executable, "-m", "rangemap"],
        "places",
        "--distance",
        "300 km",
        "--from",
        f"50.45, 30.52={FORMULA}",
        "--format",
        "csv",
        "-o",
        str(target),
    )
    assert result.returncode == 0, result.stderr
    with target.open(newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert rows
    assert {row["nearest_origin"] for row in rows} == {"'" + FORMULA}


@pytest.mark.parametrize("fmt", ["table", "json", "geojson", "csv"])
def test_places_output_has_no_terminal_escapes(fmt: str) -> None:
    result = run(
        [sys.executable, "-m", "rangemap"],
        "places",
        "--distance",
        "300 km",
        "--from",
        f"50.45, 30.52={TERMINAL_TRICKS}",
        "--from",
        "Sumy",
        "--format",
        fmt,
        "--limit",
        "5",
    )
    assert result.returncode == 0, result.stderr
    for stream in (result.stdout, result.stderr):
        assert "\x1b" not in stream
        assert "\x07" not in stream
        assert "\u202e" not in stream
    assert "Ky[2J]52;c;cm0gLXJmIH4=iv" in result.stdout


def test_places_table_columns_line_up_after_cleaning(capsys: pytest.CaptureFixture[str]) -> None:
    args = ["places", "--distance", "50 km", "--from", f"50.45, 30.52={TERMINAL_TRICKS}"]
    assert main([*args, "--limit", "3"]) == 0
    lines = capsys.readouterr().out.splitlines()
    header, rule = lines[2], lines[3]
    assert header.index("nearest origin") == rule.rindex("  ") + 2
    assert lines[4].endswith("Ky[2J]52;c;cm0gLXJmIH4=iv")


# --- your own points (--points) ---------------------------------------------------------


def _points_file(folder: Path) -> Path:
    path = folder / "orte.csv"
    path.write_text(
        "Name;Breite;Länge\nKursk airfield;51,75;36,30\nVoronezh;51.66;39.20\n", encoding="utf-8"
    )
    return path


@pytest.mark.parametrize("fmt", ["table", "csv", "json", "geojson"])
def test_places_points_in_every_format(
    fmt: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from rangemap.geodesy import distance_m

    args = ["places", "--distance", "300 km", "--from", "50.91, 34.80=Sumy"]
    assert main([*args, "--points", str(_points_file(tmp_path)), "--format", fmt]) == 0
    out = capsys.readouterr().out
    voronezh = float(distance_m((34.80, 50.91), (39.20, 51.66))) / 1000
    if fmt == "table":
        assert "Kursk airfield  in range" in out
        assert "Voronezh        OUT of range" in out
        assert f"{voronezh:,.1f}" in out
        assert "2 points, 1 in range" in out
        return
    if fmt == "csv":
        rows = list(csv.DictReader(io.StringIO(out)))
    elif fmt == "json":
        rows = json.loads(out)["points"]
    else:
        rows = [f["properties"] for f in json.loads(out)["features"]]
        assert {r["kind"] for r in rows} == {"point"}
    assert [r["name"] for r in rows] == ["Kursk airfield", "Voronezh"]
    assert [str(r["in_range"]).lower() for r in rows] == ["true", "false"]
    assert float(rows[1]["distance_km"]) == pytest.approx(voronezh, abs=0.001)
    assert float(rows[1]["margin_km"]) == pytest.approx(300 - voronezh, abs=0.001)
    assert "GeoNames" not in out


def test_places_points_bad_row_exits_2_naming_file_row_column(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "bad.csv"
    path.write_text("name,lat,lon\nKursk,51.7,36.2\nBryansk,53.2,east\n", encoding="utf-8")
    args = ["places", "--distance", "300 km", "--from", "50.91, 34.80=Sumy", "--points", str(path)]
    assert main(args) == 2
    out, err = capsys.readouterr()
    assert out == ""
    lines = err.strip().splitlines()
    assert len(lines) == 1
    assert f"'{path}': row 3, column 'lon': 'east' is not a number" in lines[0]


def test_places_csv_never_holds_a_formula_for_points(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "f.csv"
    path.write_text('name,lat,lon\n"=HYPERLINK(""x"")",51.7,36.2\n', encoding="utf-8")
    args = ["places", "--distance", "300 km", "--from", "50.91, 34.80=Sumy"]
    assert main([*args, "--points", str(path), "--format", "csv"]) == 0
    rows = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    assert rows[0]["name"] == '\'=HYPERLINK("x")'


def test_places_exclude_and_include_origins(capsys: pytest.CaptureFixture[str]) -> None:
    args = ["places", "--distance", "100 km", "--from", "Kharkiv", "--format", "csv"]
    assert main(args) == 0
    names = [r["name"] for r in csv.DictReader(io.StringIO(capsys.readouterr().out))]
    assert "Kharkiv" not in names
    assert main([*args, "--include-origins"]) == 0
    with_origin = [r["name"] for r in csv.DictReader(io.StringIO(capsys.readouterr().out))]
    assert "Kharkiv" in with_origin
    dropped = names[0]
    assert main([*args, "--exclude", dropped]) == 0
    after = [r["name"] for r in csv.DictReader(io.StringIO(capsys.readouterr().out))]
    assert dropped not in after
    assert len(after) == len(names) - 1
