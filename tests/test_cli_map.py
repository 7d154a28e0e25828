"""``rangemap map`` and ``rangemap demo``: outputs, and one-line errors with exit status 2."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from rangemap.cli import main
from rangemap.recipes import flagship_recipe

SUMY = "50.9077, 34.7981=Sumy"
KHARKIV = "49.9935, 36.2304=Kharkiv"

NO_NETWORK = """
import socket

def _refuse(*args, **kwargs):
    raise OSError("network access attempted during rendering")

socket.socket.connect = _refuse
socket.socket.connect_ex = _refuse
socket.create_connection = _refuse
socket.getaddrinfo = _refuse
"""


def _run(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    code = main(argv)
    out, err = capsys.readouterr()
    return code, out, err


def test_map_system_from_two_origins(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out_path = tmp_path / "atacms.html"
    code, out, err = _run(
        ["map", "atacms", "--from", SUMY, "--from", KHARKIV, "-o", str(out_path), "--embed"],
        capsys,
    )
    assert (code, err) == (0, "")
    assert out.splitlines() == [str(out_path), str(tmp_path / "atacms.embed.html")]
    page = out_path.read_text(encoding="utf-8")
    assert "What ATACMS can reach from Sumy and Kharkiv" in page
    assert (tmp_path / "atacms.embed.html").is_file()


def test_map_options(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out_path = tmp_path / "oreshnik.geojson"
    code, _, err = _run(
        ["map", "oreshnik", "--from", "48.46, 35.04=Dnipro", "--spread", "-o", str(out_path)],
        capsys,
    )
    assert (code, err) == (0, "")
    feature = json.loads(out_path.read_text())["features"][0]
    assert feature["properties"]["show"] == "spread"

    out_path = tmp_path / "distance.html"
    code, _, err = _run(
        [
            "map", "--distance", "190 mi", "--label", "190 miles", "--from", "50°54'N, 34°48'E",
            "--title", "Kyiv desk", "--subtitle", "Sub", "--credit", "Graphic: Kyiv Desk",
            "--tiles", "OpenStreetMap.Mapnik", "-o", str(out_path),
        ],
        capsys,
    )  # fmt: skip
    assert (code, err) == (0, "")
    page = out_path.read_text(encoding="utf-8")
    assert "Kyiv desk" in page
    assert "Graphic: Kyiv Desk" in page
    assert "190 miles" in page
    assert "tile.openstreetmap.org" in page


def test_map_recipe_with_overrides(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out_path = tmp_path / "recipe.html"
    code, _, err = _run(
        ["map", "--recipe", str(flagship_recipe()), "--title", "Desk title", "-o", str(out_path)],
        capsys,
    )
    assert (code, err) == (0, "")
    assert "<title>Desk title</title>" in out_path.read_text(encoding="utf-8")


def test_user_specs_folder(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    import yaml

    specs = tmp_path / "specs"
    specs.mkdir()
    root = Path(__file__).resolve().parents[1]
    data = yaml.safe_load((root / "specs" / "atacms.yaml").read_text("utf-8"))
    data["name"] = "ATACMS desk copy"
    (specs / "atacms.yaml").write_text(yaml.safe_dump(data, allow_unicode=True), "utf-8")
    out_path = tmp_path / "m.geojson"
    code, _, err = _run(
        ["map", "atacms", "--from", SUMY, "--specs", str(specs), "-o", str(out_path)], capsys
    )
    assert (code, err) == (0, "")
    properties = json.loads(out_path.read_text())["features"][0]["properties"]
    assert properties["system_name"] == "ATACMS desk copy"


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (["atacms", "--from", "95, 34"], "--from"),
        (["atacms", "--from", SUMY, "--from", "50.1, 36.2=Kharkiv", "--from", "abc1"], "--from"),
        (["no-such-missile", "--from", SUMY], "no-such-missile"),
        (["atacms:block-ix", "--from", SUMY], "block-ix"),
        (["atacms"], "--from"),
        (["--from", SUMY], "SYSTEM"),
        (["atacms", "--distance", "300 km", "--from", SUMY], "not both"),
        (["--distance", "300 parsecs", "--from", SUMY], "--distance"),
        (["--distance", "300 km", "--spread", "--from", SUMY], "--spread"),
        (["atacms", "--from", SUMY, "--tiles", "No.Such.Tiles"], "No.Such.Tiles"),
        (["atacms", "--from", SUMY, "--specs", "no-such-folder"], "no-such-folder"),
        (["m142-himars", "--from", SUMY], "no reported range"),
    ],
)
def test_bad_input_is_one_line_exit_2_nothing_written(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], args: list[str], words: str
) -> None:
    out_path = tmp_path / "out.html"
    code, out, err = _run(["map", *args, "-o", str(out_path)], capsys)
    assert code == 2
    assert out == ""
    assert err.startswith("rangemap: error: ")
    assert words in err
    assert len(err.strip().splitlines()) == 1
    assert "Traceback" not in err
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize(
    ("output", "words"),
    [("map.bmp", "not supported"), ("missing/map.html", "does not exist"), ("map", "(none)")],
)
def test_bad_output(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], output: str, words: str
) -> None:
    code, _, err = _run(["map", "atacms", "--from", SUMY, "-o", str(tmp_path / output)], capsys)
    assert code == 2
    assert words in err
    assert list(tmp_path.iterdir()) == []


def test_bad_recipe_is_one_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    recipe = tmp_path / "bad.yaml"
    recipe.write_text("title: x\nlayers:\n  - system: atacms\n    origins: []\n    colour: red\n")
    code, _, err = _run(["map", "--recipe", str(recipe), "-o", str(tmp_path / "o.html")], capsys)
    assert code == 2
    assert f"{recipe}: layers[0]" in err
    assert len(err.strip().splitlines()) == 1
    assert not (tmp_path / "o.html").exists()
    code, _, err = _run(
        ["map", "atacms", "--recipe", str(recipe), "-o", str(tmp_path / "o.html")], capsys
    )
    assert code == 2
    assert "--recipe" in err


def test_existing_output_is_kept_on_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out_path = tmp_path / "map.html"
    out_path.write_text("yesterday's map")
    code, _, _ = _run(["map", "atacms", "--from", "abc1", "-o", str(out_path)], capsys)
    assert code == 2
    assert out_path.read_text() == "yesterday's map"


def test_demo_default_path(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    code, out, err = _run(["demo"], capsys)
    assert (code, err) == (0, "")
    assert out.strip() == "atacms-nov-2024.html"
    assert (
        (tmp_path / "atacms-nov-2024.html")
        .read_text(encoding="utf-8")
        .startswith("<!DOCTYPE html>")
    )


def test_demo_renders_without_network(tmp_path: Path) -> None:
    guard = tmp_path / "guard"
    guard.mkdir()
    (guard / "sitecustomize.py").write_text(NO_NETWORK)
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(guard), *sys.path])}
    out_path = tmp_path / "demo.html"
    done = subprocess.run(
        [sys.executable, "-m", "rangemap", "demo", "-o", str(out_path)],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == str(out_path)
    assert out_path.stat().st_size > 100_000
    check = subprocess.run(
        [sys.executable, "-c", "import socket; socket.getaddrinfo('pypi.org', 443)"],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert check.returncode != 0
    assert "network access attempted" in check.stderr


def _png_size(data: bytes) -> tuple[int, int]:
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    return int.from_bytes(data[16:20], "big"), int.from_bytes(data[20:24], "big")


def test_map_preset_sizes_a_png(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out_path = tmp_path / "atacms.png"
    code, out, err = _run(
        ["map", "atacms", "--from", SUMY, "-o", str(out_path), "--preset", "square"], capsys
    )
    assert (code, err) == (0, "")
    assert out.strip() == str(out_path)
    assert _png_size(out_path.read_bytes()) == (1080, 1080)


def test_map_max_bytes_limits_geojson(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    full, small = tmp_path / "full.geojson", tmp_path / "small.geojson"
    assert (
        _run(["map", "atacms", "--from", SUMY, "--from", KHARKIV, "-o", str(full)], capsys)[0] == 0
    )
    # Half: the provenance every feature carries (claims with their kinds, caveats)
    # is kept whole, so a third is below what simplifying the shapes can reach.
    limit = full.stat().st_size // 2
    argv = ["map", "atacms", "--from", SUMY, "--from", KHARKIV, "-o", str(small)]
    code, _, err = _run([*argv, "--max-bytes", str(limit)], capsys)
    assert (code, err) == (0, "")
    assert small.stat().st_size <= limit
    assert json.loads(small.read_text(encoding="utf-8"))["type"] == "FeatureCollection"


@pytest.mark.parametrize(
    ("output", "option", "words"),
    [
        ("map.html", ["--preset", "square"], "--preset: sizes static images, not"),
        ("map.geojson", ["--preset", "print"], "--preset: sizes static images, not"),
        ("map.png", ["--max-bytes", "500000"], "--max-bytes: limits GeoJSON files, not"),
        ("map.html", ["--max-bytes", "500000"], "--max-bytes: limits GeoJSON files, not"),
        ("map.geojson", ["--max-bytes", "0"], "--max-bytes: 0 is not a size"),
        ("map.png", ["--preset", "poster"], "invalid choice: 'poster'"),
    ],
)
def test_output_options_must_fit_the_suffix(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    output: str,
    option: list[str],
    words: str,
) -> None:
    argv = ["map", "atacms", "--from", SUMY, "-o", str(tmp_path / output), *option]
    try:
        code, _, err = _run(argv, capsys)
    except SystemExit as stop:  # argparse's own choice check
        code, err = int(stop.code or 0), capsys.readouterr().err
    assert code == 2
    assert words in err
    assert list(tmp_path.iterdir()) == []


def test_map_help_lists_the_formats(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        main(["map", "--help"])
    text = " ".join(capsys.readouterr().out.split())
    for words in (".html", ".png", ".svg", ".pdf", ".geojson", ".kml", ".gpkg", "--preset"):
        assert words in text
    assert "(or GeoJSON, from the output suffix)" not in text


def test_demo_geojson_rings_follow_rfc7946(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    import shapely
    from shapely.geometry import shape

    out_path = tmp_path / "demo.geojson"
    code, _, err = _run(["demo", "-o", str(out_path)], capsys)
    assert (code, err) == (0, "")
    areas = [
        shape(feature["geometry"])
        for feature in json.loads(out_path.read_text(encoding="utf-8"))["features"]
        if feature["geometry"]["type"] in ("Polygon", "MultiPolygon")
    ]
    assert areas
    for area in areas:
        for polygon in getattr(area, "geoms", [area]):
            assert polygon.exterior.is_ccw
            assert not any(hole.is_ccw for hole in polygon.interiors)
    assert shapely.is_valid(shapely.union_all(areas))


# --- your own points (--points) ---------------------------------------------------------


def _sites(folder: Path) -> Path:
    path = folder / "sites.csv"
    path.write_text(
        "site,latitude,longitude,notes\nKursk airfield,51.75,36.30,runway\nVoronezh,51.66,39.20,\n",
        encoding="utf-8",
    )
    return path


@pytest.mark.parametrize("suffix", [".html", ".geojson", ".kml", ".gpkg", ".svg"])
def test_map_points_in_every_format(
    suffix: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out_path = tmp_path / f"map{suffix}"
    args = ["map", "--distance", "300 km", "--from", SUMY, "-o", str(out_path)]
    code, _, err = _run(
        [*args, "--points", str(_sites(tmp_path)), "--points-label", "site"], capsys
    )
    assert code == 0, err
    data = out_path.read_bytes()
    if suffix == ".gpkg":
        import pyogrio

        table = pyogrio.read_dataframe(out_path, layer="points")
        assert table["in_range"].tolist() == [True, False]
    elif suffix == ".geojson":
        features = json.loads(data)["features"]
        kinds = [(f["properties"]["name"], f["properties"]["in_range"]) for f in features[1:]]
        assert kinds == [("Kursk airfield", True), ("Voronezh", False)]
    else:
        text = data.decode("utf-8")
        assert "Kursk airfield" in text
        assert "Voronezh" in text
        assert "out of range" in text


def test_map_points_bad_file_and_label_without_points(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = tmp_path / "bad.csv"
    bad.write_text("name,lat,lon\nKursk,91.5,36.2\n", encoding="utf-8")
    args = ["map", "--distance", "300 km", "--from", SUMY, "-o", str(tmp_path / "m.html")]
    code, _, err = _run([*args, "--points", str(bad)], capsys)
    assert code == 2
    assert err.strip().count("\n") == 0
    assert "row 2" in err
    assert "latitude 91.5 is outside -90..90" in err
    code, _, err = _run([*args, "--points-label", "site"], capsys)
    assert code == 2
    assert "--points-label: applies with --points FILE" in err
    assert not (tmp_path / "m.html").exists()


def test_map_exclude_and_include_origins_need_places(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    args = ["map", "--distance", "100 km", "--from", "Kharkiv", "-o", str(tmp_path / "m.geojson")]
    code, _, err = _run([*args, "--exclude", "Chuhuiv"], capsys)
    assert code == 2
    assert "apply with --places N" in err
    code, _, err = _run([*args, "--places", "5", "--include-origins"], capsys)
    assert code == 0, err
    names = [
        f["properties"]["name"]
        for f in json.loads((tmp_path / "m.geojson").read_text(encoding="utf-8"))["features"]
        if f["properties"].get("kind") == "place"
    ]
    assert "Kharkiv" in names
    code, _, err = _run([*args, "--places", "5", "--exclude", names[1]], capsys)
    assert code == 0, err
    after = [
        f["properties"]["name"]
        for f in json.loads((tmp_path / "m.geojson").read_text(encoding="utf-8"))["features"]
        if f["properties"].get("kind") == "place"
    ]
    assert names[1] not in after
    assert "Kharkiv" not in after


@pytest.mark.parametrize(
    ("extra", "words"),
    [
        (["--distance", "300 km"], "--figure-kind: applies to a SYSTEM"),
        (["--recipe", "r.yaml"], "--recipe: the recipe describes the layers"),
    ],
)
def test_figure_kind_applies_to_a_system(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], extra: list[str], words: str
) -> None:
    argv = ["map", *extra, "--figure-kind", "flight-distance", "-o", str(tmp_path / "m.html")]
    if extra[0] == "--distance":
        argv += ["--from", SUMY]
    code, out, err = _run(argv, capsys)
    assert (code, out) == (2, "")
    assert err.startswith("rangemap: error: ")
    assert words in err


def test_figure_kind_must_be_a_kind(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    argv = ["map", "atacms", "--from", SUMY, "--figure-kind", "longest", "-o", str(tmp_path / "m")]
    with pytest.raises(SystemExit) as exit_info:
        main(argv)
    assert exit_info.value.code == 2
    assert "invalid choice: 'longest'" in capsys.readouterr().err


def test_title_names_the_origins_in_the_map_language(tmp_path: Path) -> None:
    """The title the command writes names a gazetteer city in the map's language."""
    out = tmp_path / "sumy.html"
    args = ["map", "atacms", "--from", "Sumy", "--from", "50.0, 36.2=Our spot", "--lang", "uk"]
    assert main([*args, "-o", str(out)]) == 0
    title = re.search(r'<h1 class="rm-title">([^<]*)', out.read_text("utf-8"))
    assert title is not None
    assert "Суми" in title.group(1)
    assert "Our spot" in title.group(1)
    assert "Sumy" not in title.group(1)


@pytest.mark.parametrize(
    ("system", "language", "name", "english"),
    [
        ("Іскандер-\u041c", "uk", "Іскандер-\u041c", "Iskander-M"),
        ("kinzhal", "ru", "Кинжал", "Kinzhal"),
    ],
)
def test_title_names_the_system_in_the_map_language(
    system: str, language: str, name: str, english: str, tmp_path: Path
) -> None:
    """A system is found by its name in another language and named so in that language."""
    out = tmp_path / "map.html"
    assert main(["map", system, "--from", KHARKIV, "--lang", language, "-o", str(out)]) == 0
    title = re.search(r'<h1 class="rm-title">([^<]*)', out.read_text("utf-8"))
    assert title is not None
    assert name in title.group(1)
    assert english not in title.group(1)
    assert main(["map", system, "--from", KHARKIV, "-o", str(out)]) == 0  # English
    english_title = re.search(r'<h1 class="rm-title">([^<]*)', out.read_text("utf-8"))
    assert english_title is not None
    assert english in english_title.group(1)
