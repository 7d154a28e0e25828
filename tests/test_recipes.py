"""Recipes: YAML map descriptions, validated with errors that name file and field."""

from __future__ import annotations

import datetime as dt
import json
import os
from pathlib import Path

import pytest
import yaml
from shapely.geometry import Point, box, mapping

from rangemap.errors import RecipeError
from rangemap.recipes import MAX_RECIPE_BYTES, flagship_recipe, load_recipe, read_recipe
from rangemap.scene import RangeMap

ROOT = Path(__file__).resolve().parents[1]
LAYERS = "layers:\n  - system: atacms\n    origins: [Sumy, Kharkiv]\n"


def _write(tmp_path: Path, data: object, name: str = "map.yaml") -> Path:
    path = tmp_path / name
    path.write_text(
        data if isinstance(data, str) else yaml.safe_dump(data, allow_unicode=True),
        encoding="utf-8",
    )
    return path


def _minimal(**changes: object) -> dict[str, object]:
    recipe: dict[str, object] = {
        "title": "ATACMS from Sumy",
        "layers": [{"system": "atacms", "origins": ["50.9077, 34.7981=Sumy"]}],
    }
    recipe.update(changes)
    return recipe


def test_flagship_recipe_ships_in_the_package() -> None:
    path = flagship_recipe()
    assert path.is_file()
    assert path.parent.name == "recipes"
    assert path.parent.parent.name == "data"
    m = load_recipe(path)
    assert isinstance(m, RangeMap)
    assert m.title
    assert m.subtitle
    assert m.credit
    assert m.basemap == "offline"
    assert m.as_of == dt.date(2024, 11, 25)
    assert [layer.reach.system_id for layer in m.layers] == ["atacms", "atacms"]
    assert [layer.reach.distance_m for layer in m.layers] == [300_000, 165_000]
    labels = {site.label for layer in m.layers for site in layer.reach.origins}
    assert labels == {"Sumy", "Kharkiv"}
    # The cities in range name the places; no hand-placed notes are needed.
    assert m.places is not None
    assert m.places.countries == ("RU",)
    assert m.sources()


def test_full_recipe(tmp_path: Path) -> None:
    path = _write(
        tmp_path,
        {
            "title": "Reach from Kharkiv",
            "subtitle": "Two layers",
            "credit": "Graphic: Kyiv Desk",
            "as_of": "2024-11-20",
            "tiles": "OpenStreetMap.Mapnik",
            "view": {"center": "50.0, 36.2", "zoom": 6},
            "layers": [
                {
                    "system": "atacms",
                    "variant": "block-i",
                    "origins": ["49.9935, 36.2304=Kharkiv"],
                    "style": {"color": "#0072B2", "opacity": 0.25},
                },
                {"distance": "190 mi", "label": "190 miles", "origins": ["50°54'N, 34°48'E"]},
                {"system": "oreshnik", "show": "spread", "origins": ["48.46, 35.04=Dnipro"]},
            ],
            "annotations": [{"text": "Kursk", "at": "51.73, 36.19"}],
        },
    )
    m = load_recipe(path)
    assert m.as_of == dt.date(2024, 11, 20)
    assert m.basemap == "OpenStreetMap.Mapnik"
    assert m.view is not None
    assert (m.view.lat, m.view.lon, m.view.zoom) == (50.0, 36.2, 6)
    assert m.layers[0].reach.variant_id == "block-i"
    assert (m.layers[0].color, m.layers[0].opacity) == ("#0072B2", 0.25)
    assert m.layers[1].name == "190 miles"
    assert m.layers[1].reach.distance_m == pytest.approx(305_775.36, abs=0.01)
    assert m.layers[2].reach.show == "spread"
    assert (m.annotations[0].lon, m.annotations[0].lat) == (36.19, 51.73)


def test_file_and_country_origins(tmp_path: Path) -> None:
    area = box(35.0, 50.0, 36.0, 50.5)
    (tmp_path / "area.geojson").write_text(
        json.dumps(
            {
                "type": "FeatureCollection",
                "features": [{"type": "Feature", "properties": {}, "geometry": mapping(area)}],
            }
        )
    )
    path = _write(
        tmp_path,
        _minimal(
            layers=[
                {"distance": "50 km", "origins": [{"file": "area.geojson", "label": "Area"}]},
                {"distance": "10 km", "origins": [{"country": "UA"}]},
            ]
        ),
    )
    m = load_recipe(path)
    assert m.layers[0].reach.origins[0].label == "Area"
    assert m.layers[0].reach.geometry.contains(area)
    assert m.layers[1].reach.geometry.contains(Point(30.52, 50.45))  # Kyiv


@pytest.mark.parametrize(
    ("recipe", "field", "words"),
    [
        (_minimal(colour="red"), "colour", "not a recipe field"),
        ({"title": "No layers"}, "layers", "required"),
        (_minimal(layers=[]), "layers", "at least 1"),
        (
            _minimal(layers=[{"system": "atacms", "distance": "300 km", "origins": ["Sumy"]}]),
            "layers[0]",
            "either 'system'",
        ),
        (
            _minimal(layers=[{"system": "atacms", "origins": ["Sumy"], "style": {"opacity": 3}}]),
            "layers[0].style.opacity",
            "less than or equal to 1",
        ),
        (_minimal(view={"center": "50, 36"}), "view.zoom", "required"),
        (_minimal(layers=[{"system": "atacms", "origins": []}]), "layers[0].origins", "at least"),
    ],
)
def test_schema_errors_name_file_and_field(
    tmp_path: Path, recipe: dict[str, object], field: str, words: str
) -> None:
    path = _write(tmp_path, recipe)
    with pytest.raises(RecipeError) as info:
        read_recipe(path)
    message = str(info.value)
    assert message.startswith(f"{path}: {field}: ")
    assert words in message
    assert "\n" not in message


@pytest.mark.parametrize(
    ("layer", "field", "words"),
    [
        ({"system": "atacms", "origins": ["91, 34"]}, "layers[0].origins[0]", "91"),
        ({"system": "no-such-missile", "origins": ["50, 34"]}, "layers[0]", "no-such-missile"),
        ({"distance": "300 parsecs", "origins": ["50, 34"]}, "layers[0].distance", "parsecs"),
        (
            {"system": "atacms", "origins": ["50, 34"], "style": {"color": "orange"}},
            "layers[0].style",
            "orange",
        ),
        ({"distance": "5 km", "origins": [{"file": "none.geojson"}]}, "layers[0]", "none.geojson"),
    ],
)
def test_build_errors_name_file_and_field(
    tmp_path: Path, layer: dict[str, object], field: str, words: str
) -> None:
    path = _write(tmp_path, _minimal(layers=[layer]))
    with pytest.raises(RecipeError) as info:
        load_recipe(path)
    message = str(info.value)
    assert message.startswith(f"{path}: {field}")
    assert words in message


def test_annotation_and_tiles_errors(tmp_path: Path) -> None:
    path = _write(tmp_path, _minimal(annotations=[{"text": "Kursk", "at": "Nowhereville"}]))
    with pytest.raises(RecipeError, match=r"annotations\[0\]\.at: .*Nowhereville"):
        load_recipe(path)
    path = _write(tmp_path, _minimal(tiles="No.Such.Tiles"))
    with pytest.raises(RecipeError, match=r"tiles: .*No\.Such\.Tiles"):
        load_recipe(path)


def test_yaml_and_file_errors(tmp_path: Path) -> None:
    with pytest.raises(RecipeError, match="no such recipe file"):
        read_recipe(tmp_path / "missing.yaml")
    bad = _write(tmp_path, "title: [unclosed\nlayers: 1\n")
    with pytest.raises(RecipeError, match=r"line \d+, column \d+: title\[0\]: not valid YAML"):
        read_recipe(bad)
    listing = _write(tmp_path, "- a\n- b\n")
    with pytest.raises(RecipeError, match="mapping"):
        read_recipe(listing)


def test_specs_folder_relative_to_recipe(tmp_path: Path) -> None:
    specs = tmp_path / "my-specs"
    specs.mkdir()
    atacms = yaml.safe_load(
        (Path(__file__).resolve().parents[1] / "specs" / "atacms.yaml").read_text("utf-8")
    )
    atacms["name"] = "ATACMS (desk copy)"
    (specs / "atacms.yaml").write_text(yaml.safe_dump(atacms, allow_unicode=True), "utf-8")
    path = _write(tmp_path, _minimal(specs=["my-specs"]))
    m = load_recipe(path)
    assert m.layers[0].reach.system_name == "ATACMS (desk copy)"


@pytest.mark.parametrize("origin", [42, 4.5, True, [50, 34], None])
def test_origin_of_the_wrong_kind_is_one_plain_problem(tmp_path: Path, origin: object) -> None:
    path = _write(tmp_path, _minimal(layers=[{"system": "atacms", "origins": [origin]}]))
    with pytest.raises(RecipeError) as info:
        read_recipe(path)
    assert str(info.value) == (
        f"{path}: layers[0].origins[0]: {origin!r} is not an origin; "
        'write "LAT, LON", "LAT, LON=Label" or a place name'
    )


def test_future_as_of_is_refused(tmp_path: Path) -> None:
    tomorrow = dt.date.today() + dt.timedelta(days=1)
    path = _write(tmp_path, _minimal(as_of=tomorrow))
    with pytest.raises(RecipeError) as info:
        read_recipe(path)
    assert str(info.value).startswith(f"{path}: as_of: {tomorrow.isoformat()} is in the future")
    assert read_recipe(_write(tmp_path, _minimal(as_of=dt.date(2024, 11, 25)))).as_of


def test_annotation_at_a_place_name(tmp_path: Path) -> None:
    notes = [{"text": "Kursk", "at": "Kursk, RU"}, {"text": "Kharkiv", "at": "49.9935, 36.2304"}]
    m = load_recipe(_write(tmp_path, _minimal(annotations=notes)))
    kursk, kharkiv = m.annotations
    assert (kursk.lon, kursk.lat) == pytest.approx((36.19, 51.73), abs=0.05)
    assert (kharkiv.lon, kharkiv.lat) == (36.2304, 49.9935)


def test_preset_sizes_static_output(tmp_path: Path) -> None:
    m = load_recipe(_write(tmp_path, _minimal(preset="square")))
    assert m.preset == "square"
    png = m.save(tmp_path / "map.png").read_bytes()
    assert (int.from_bytes(png[16:20], "big"), int.from_bytes(png[20:24], "big")) == (1080, 1080)
    assert load_recipe(_write(tmp_path, _minimal())).preset is None
    with pytest.raises(RecipeError, match=r"preset: 'poster'"):
        read_recipe(_write(tmp_path, _minimal(preset="poster")))


def test_recipe_presets_are_the_renderers() -> None:
    from rangemap.recipes import PRESET_NAMES
    from rangemap.render.static import PRESETS

    assert tuple(PRESETS) == PRESET_NAMES


# --- reading the YAML: what it may hold ------------------------------------------------------


def _message(path: Path) -> str:
    with pytest.raises(RecipeError) as info:
        load_recipe(path)
    message = str(info.value)
    assert "\n" not in message
    assert message.startswith(f"{path}: ")
    return message


def test_anchors_are_harmless_but_aliases_and_merges_are_refused(tmp_path: Path) -> None:
    # docs/security.md: rangemap never expands YAML aliases (no "billion laughs").
    layer = "  - system: atacms\n    origins: &north [Sumy, Kharkiv]\n"
    assert read_recipe(_write(tmp_path, "layers:\n" + layer)).layers[0].origins == [
        "Sumy",
        "Kharkiv",
    ]
    path = _write(tmp_path, "layers:\n" + layer + "  - distance: 1,000 km\n    origins: *north\n")
    assert _message(path) == (
        f"{path}: line 5, column 14: layers[1].origins: an alias ('*north') is not allowed in "
        "a recipe; write the value out in full"
    )
    path = _write(tmp_path, "layers:\n" + layer + "    style: {<<: {color: red}}\n")
    assert _message(path) == (
        f"{path}: line 4, column 13: layers[0].style: '<<' (a YAML merge) is not allowed in "
        "a recipe; write the fields out in this mapping"
    )


def test_thousands_in_a_recipe_distance(tmp_path: Path) -> None:
    path = _write(tmp_path, "layers:\n  - distance: 1,000 km\n    origins: [Kyiv]\n")
    m = load_recipe(path)
    assert m.layers[0].reach.distance_m == 1_000_000.0
    assert m.layers[0].reach.label == "1,000 km"


def test_yaml_1_2_words_stay_text(tmp_path: Path) -> None:
    text = "title: yes\nas_of: 2024-11-25\nplaces: {countries: [NO, 'off']}\n" + LAYERS
    recipe = read_recipe(_write(tmp_path, text))
    assert recipe.title == "yes"
    assert recipe.as_of == dt.date(2024, 11, 25)
    assert recipe.places is not None
    assert recipe.places.countries == ["NO", "off"]  # Norway, not false


def test_dates_are_read_by_the_model_and_named(tmp_path: Path) -> None:
    path = _write(tmp_path, "as_of: 2024-02-30\n" + LAYERS)
    assert _message(path) == (
        f"{path}: as_of: '2024-02-30' is not a date (day value is outside expected range); "
        "write it as YYYY-MM-DD, e.g. 2024-11-25"
    )


def test_utf8_byte_order_mark_and_windows_line_ends_are_read(tmp_path: Path) -> None:
    path = tmp_path / "map.yaml"
    text = "title: Київ\n" + LAYERS
    path.write_bytes(b"\xef\xbb\xbf" + text.replace("\n", "\r\n").encode("utf-8"))
    recipe = read_recipe(path)
    assert recipe.title == "Київ"
    assert recipe.layers[0].origins == ["Sumy", "Kharkiv"]


def test_recipe_of_exactly_the_limit_is_read(tmp_path: Path) -> None:
    body = "title: Kyiv\n" + LAYERS
    padding = "# " + "x" * (MAX_RECIPE_BYTES - len(body) - 3) + "\n"
    path = _write(tmp_path, padding + body)
    assert path.stat().st_size == MAX_RECIPE_BYTES
    assert read_recipe(path).title == "Kyiv"


def test_recipe_over_the_limit_is_refused_before_parsing(tmp_path: Path) -> None:
    path = tmp_path / "map.yaml"
    # Not YAML at all: refused for its size, so the parser never sees it.
    path.write_bytes(b"[" * (MAX_RECIPE_BYTES + 1))
    assert MAX_RECIPE_BYTES == 1_048_576  # 1 MB, as for spec files
    assert _message(path) == (
        f"{path}: the file is 1,048,577 bytes, over the 1 MB (1,048,576 bytes) limit for a "
        "recipe; a recipe is a short text file, so check that this is the right file"
    )


@pytest.mark.skipif(not Path("/dev/zero").exists(), reason="needs /dev/zero")
def test_endless_file_is_read_only_up_to_the_limit() -> None:
    # /dev/zero reports a size of 0 and never ends, like a file still being written.
    with pytest.raises(RecipeError, match=r"^/dev/zero: the file is still growing, over the"):
        read_recipe("/dev/zero")


def test_folder_and_unreadable_file(tmp_path: Path) -> None:
    with pytest.raises(RecipeError, match=r"is a folder; give a recipe file"):
        read_recipe(tmp_path)
    path = _write(tmp_path, "title: Kyiv\n" + LAYERS)
    path.chmod(0)
    try:
        if os.access(path, os.R_OK):
            pytest.skip("running as a user who can read any file")
        with pytest.raises(RecipeError, match=r"cannot read the recipe \(Permission denied\)"):
            read_recipe(path)
    finally:
        path.chmod(0o644)


def test_long_values_are_quoted_short(tmp_path: Path) -> None:
    path = _write(tmp_path, "title: " + "Kyiv " * 20_000 + "\n" + LAYERS)
    message = _message(path)
    assert message.startswith(f"{path}: title: 'Kyiv Kyiv")
    assert "(99,999 characters)" in message
    assert "at most 2000 characters" in message
    assert len(message) < 400 + len(str(path))


def test_long_unknown_key_is_shortened_in_the_field(tmp_path: Path) -> None:
    path = _write(tmp_path, "? " + "k" * 5_000 + "\n: 1\n" + LAYERS)  # an explicit key
    message = _message(path)
    assert "(5,000 characters): is not a recipe field" in message
    assert len(message) < 300 + len(str(path))


def test_build_errors_quote_long_values(tmp_path: Path) -> None:
    country = "Atlantis " * 200
    path = _write(tmp_path, _minimal(places={"countries": [country]}))
    message = _message(path)
    assert message.startswith(f"{path}: places.countries[0]: 'Atlantis Atlantis")
    assert "(1,800 characters) is not a country" in message
    assert len(message) < 400 + len(str(path))
    for name, words in [
        ("front-line-" * 20 + ".geojson", "does not exist; paths are relative to the recipe"),
        ("front-line-" * 100 + ".geojson", "cannot be opened (File name too long)"),
    ]:
        layers = [{"distance": "5 km", "origins": [{"file": name}]}]
        path = _write(tmp_path, _minimal(layers=layers))
        message = _message(path)
        assert message.startswith(f"{path}: layers[0].origins[0]: file '")
        assert words in message
        assert len(message) < 400 + 2 * len(str(path))


def test_several_bad_specs_are_one_line(tmp_path: Path) -> None:
    folder = ROOT / "tests" / "data" / "bad_specs" / "every_problem_in_every_file"
    path = _write(tmp_path, _minimal(specs=[str(folder)]))
    message = _message(path)
    assert message.startswith(f"{path}: specs: ")
    assert "(and 4 more problems; 'rangemap specs validate FOLDER' lists them all)" in message


# --- your own points and the places table options ---------------------------------------


def test_recipe_points_relative_to_the_recipe(tmp_path: Path) -> None:
    (tmp_path / "data").mkdir()
    (tmp_path / "data" / "sites.csv").write_text(
        "site,latitude,longitude\nKursk airfield,51.75,36.30\nVoronezh,51.66,39.20\n",
        encoding="utf-8",
    )
    recipe = {
        "layers": [{"distance": "300 km", "origins": ["50.91, 34.80=Sumy"]}],
        "points": {"file": "data/sites.csv", "label": "site", "name": "Airfields"},
    }
    m = load_recipe(_write(tmp_path, recipe))
    assert m.points is not None
    assert m.points.name == "Airfields"
    table = m.points_in_range()
    assert table is not None
    assert table[["name", "in_range"]].values.tolist() == [
        ["Kursk airfield", True],
        ["Voronezh", False],
    ]
    features = m.to_geojson()["features"]
    mine = [f["properties"]["name"] for f in features if f["properties"].get("kind") == "point"]
    assert mine == ["Kursk airfield", "Voronezh"]


def test_recipe_points_bad_row_names_recipe_field_file_and_row(tmp_path: Path) -> None:
    (tmp_path / "sites.csv").write_text("name,lat,lon\nKursk,51.7,\n", encoding="utf-8")
    recipe = {
        "layers": [{"distance": "300 km", "origins": ["50.91, 34.80=Sumy"]}],
        "points": {"file": "sites.csv"},
    }
    path = _write(tmp_path, recipe)
    with pytest.raises(RecipeError) as caught:
        load_recipe(path)
    message = str(caught.value)
    assert message.startswith(f"{path}: points.file: ")
    assert "row 2, column 'lon': the longitude is missing" in message


def test_recipe_points_unknown_field_is_refused(tmp_path: Path) -> None:
    recipe = {
        "layers": [{"distance": "300 km", "origins": ["50.91, 34.80=Sumy"]}],
        "points": {"file": "sites.csv", "colour": "red"},
    }
    with pytest.raises(RecipeError, match=r"points\.colour"):
        load_recipe(_write(tmp_path, recipe))


def test_recipe_places_exclude_rename_include_origins(tmp_path: Path) -> None:
    layers = [{"distance": "100 km", "origins": ["Kharkiv"]}]
    plain = load_recipe(_write(tmp_path, {"layers": layers, "places": {"top": 5}}, "a.yaml"))
    names = [str(n) for n in plain.places_in_range()["name"]]  # type: ignore[index]
    assert "Kharkiv" not in names
    places = {
        "top": 5,
        "include_origins": True,
        "exclude": [names[0]],
        "rename": {"Kharkiv": "Kharkiv (city)"},
    }
    m = load_recipe(_write(tmp_path, {"layers": layers, "places": places}, "b.yaml"))
    assert m.places is not None
    assert m.places.include_origins is True
    assert m.places.exclude == (names[0],)
    assert m.places.rename == (("Kharkiv", "Kharkiv (city)"),)
    shown = [str(n) for n in m.places_in_range()["name"]]  # type: ignore[index]
    assert "Kharkiv (city)" in shown
    assert names[0] not in shown
