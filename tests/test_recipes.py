"""Recipes: YAML map descriptions, validated with errors that name file and field."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
import yaml
from shapely.geometry import Point, box, mapping

from rangemap.errors import RecipeError
from rangemap.recipes import flagship_recipe, load_recipe, read_recipe
from rangemap.scene import RangeMap


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
    with pytest.raises(RecipeError, match=r"line \d+, column \d+: not valid YAML"):
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
