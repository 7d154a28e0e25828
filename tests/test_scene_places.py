"""Places in range on maps: the scene API, HTML, static images, exports, recipes, CLI."""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
import shapely
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from rangemap.cli import main
from rangemap.errors import InputError, RecipeError
from rangemap.places import GEONAMES_CREDIT, GEONAMES_LICENSE_URL, POPULATION_LABEL
from rangemap.reach import Reach
from rangemap.recipes import flagship_recipe, load_recipe
from rangemap.render._placemarks import PlaceRow, panel_html, place_rows
from rangemap.scene import DEFAULT_PLACES, PlacesShown, RangeMap

PANEL = re.compile(r'<section class="rm-places".*?</section>', re.DOTALL)


@pytest.fixture(scope="module")
def demo() -> RangeMap:
    return load_recipe(flagship_recipe())


@pytest.fixture(scope="module")
def demo_html(demo: RangeMap) -> str:
    return demo.to_html()


def _sumy_map() -> RangeMap:
    return RangeMap(title="300 km from Sumy").add(Reach.from_distance(300_000, "Sumy"))


# --- the scene API -----------------------------------------------------------------------


def test_no_places_unless_asked() -> None:
    m = _sumy_map()
    assert m.places is None
    assert m.places_in_range() is None
    assert place_rows(m) == []


def test_show_places_sets_options_and_chains() -> None:
    m = _sumy_map()
    assert m.show_places(5, min_population=100_000, countries="RU") is m
    assert m.places == PlacesShown(5, 100_000, ("RU",), True)
    assert m.show_places().places == PlacesShown(DEFAULT_PLACES)
    assert m.show_places(0).places is None


@pytest.mark.parametrize(
    ("kwargs", "words"),
    [
        ({"top": -1}, "top=-1"),
        ({"top": True}, "top=True"),
        ({"top": 1000}, "top=1000"),
        ({"min_population": -5}, "min_population=-5"),
        ({"countries": [""]}, "countries"),
        ({"labels": "yes"}, "labels='yes'"),
    ],
)
def test_bad_options_name_the_argument(kwargs: dict[str, object], words: str) -> None:
    with pytest.raises(InputError, match=re.escape(words)):
        PlacesShown(**kwargs)  # type: ignore[arg-type]


def test_unknown_country_is_an_input_error() -> None:
    with pytest.raises(InputError, match=r"^places: countries: 'Atlantis' is not a country"):
        _sumy_map().show_places(countries=["Atlantis"])


def test_places_are_most_populous_first_inside_the_reach() -> None:
    m = _sumy_map().show_places(8, min_population=50_000)
    table = m.places_in_range()
    assert table is not None
    assert len(table) == 8
    populations = table["population"].tolist()
    assert populations == sorted(populations, reverse=True)
    area = m.layers[0].reach.geometry
    assert all(
        area.covers(shapely.Point(lon, lat)) for lon, lat in zip(table.lon, table.lat, strict=True)
    )
    assert (table["distance_km"] <= 300.0 + 1e-6).all()
    assert table.attrs["credit"] == GEONAMES_CREDIT


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    top=st.integers(min_value=1, max_value=30),
    min_population=st.integers(min_value=0, max_value=2_000_000),
)
def test_places_never_exceed_top_or_fall_below_the_minimum(top: int, min_population: int) -> None:
    m = _sumy_map().show_places(top, min_population=min_population)
    rows = place_rows(m)
    assert len(rows) <= top
    assert all(row.population >= min_population for row in rows)
    assert [r.population for r in rows] == sorted((r.population for r in rows), reverse=True)


def test_union_of_layers_is_searched() -> None:
    m = RangeMap()
    m.add(Reach.from_distance(80_000, "Sumy")).add(Reach.from_distance(80_000, "Kyiv"))
    shown = m.show_places(20, min_population=100_000, include_origins=True)
    names = {row.name for row in place_rows(shown)}
    assert {"Sumy", "Kyiv"} <= names
    # Without include_origins, the origin cities themselves are left out.
    names = {row.name for row in place_rows(m.show_places(20, min_population=100_000))}
    assert not {"Sumy", "Kyiv"} & names


# --- the flagship map ----------------------------------------------------------------------


def test_flagship_origins_are_place_names() -> None:
    recipe = yaml.safe_load(flagship_recipe().read_text("utf-8"))
    for layer in recipe["layers"]:
        assert layer["origins"] == ["Sumy", "Kharkiv"]
    assert recipe["places"] == {"top": 12, "min_population": 100000, "countries": ["RU"]}


def test_demo_lists_kursk_and_belgorod_not_moscow(demo_html: str) -> None:
    panel = PANEL.search(demo_html)
    assert panel is not None
    for name in ("Kursk", "Belgorod", "Bryansk", "Voronezh"):
        assert f"<td>{name}</td>" in panel.group()
    assert "Moscow" not in demo_html
    assert "Kharkiv</td>" in panel.group()  # nearest origin of Belgorod
    assert "Population of listed cities: " in panel.group()
    assert "GeoNames counts some suburbs apart from their city" in panel.group()


def test_demo_geojson_has_place_points(demo: RangeMap, tmp_path: Path) -> None:
    path = demo.save(tmp_path / "demo.geojson")
    collection = json.loads(path.read_text("utf-8"))
    places = [f for f in collection["features"] if f["properties"].get("kind") == "place"]
    names = [f["properties"]["name"] for f in places]
    assert {"Kursk", "Belgorod"} <= set(names)
    assert "Moscow" not in names
    kursk = places[names.index("Kursk")]
    assert kursk["geometry"]["type"] == "Point"
    assert kursk["properties"]["country"] == "RU"
    assert kursk["properties"]["population"] > 400_000
    assert 120 < kursk["properties"]["distance_km"] < 145
    assert kursk["properties"]["credit"] == GEONAMES_CREDIT
    assert collection["places_credit"] == GEONAMES_CREDIT


def test_place_markers_are_circle_markers_with_text_labels(demo_html: str) -> None:
    # One circle marker per place, from the data the page carries; never a pin icon.
    rows = place_rows(load_recipe(flagship_recipe()))
    block = re.search(r'<script type="application/json" id="rm-data">(.*?)</script>', demo_html)
    assert block is not None
    data = json.loads(block.group(1))
    assert [d[2] for d in data["places"]["points"]] == [r.name for r in reversed(rows)]
    assert "L.circleMarker([d[0], d[1]], data.places.style)" in demo_html
    # folium's Marker writes L.marker([lat, lon], ...); the text labels use data.
    assert re.search(r"L\.marker\(\s*\[\s*-?\d", demo_html) is None
    assert 'label(group, d[0], d[1], d[2], "rm-place")' in demo_html
    # A separate toggle in the layer control.
    assert ["Cities in range", data["places"]["group"]] in data["overlays"]


def test_labels_can_be_turned_off() -> None:
    m = _sumy_map().show_places(5, countries="RU", labels=False)
    page = m.to_html()
    assert re.search(r"\[[\d.]+,[\d.]+,null\](,\[[\d.]+,[\d.]+,null\]){4}\]", page)
    assert "<td>Kursk</td>" in page


def test_geonames_credit_iff_places_shown() -> None:
    plain = _sumy_map()
    with_places = _sumy_map().show_places(5, countries="RU")
    assert "GeoNames" not in plain.to_html()
    page = with_places.to_html()
    assert "Places: GeoNames (geonames.org)" in page
    assert f'href="{GEONAMES_LICENSE_URL}"' in page
    for m, shown in ((plain, False), (with_places, True)):
        assert ("places_credit" in m.to_geojson()) is shown


def test_same_bytes_twice_with_places(demo: RangeMap) -> None:
    assert demo.to_html() == load_recipe(flagship_recipe()).to_html()


def test_hostile_text_in_the_panel_is_escaped() -> None:
    hostile = '<img src=x onerror="alert(1)">${alert(1)}`'
    row = PlaceRow(hostile, "RU", hostile, 1000, 36.2, 51.7, 12.0, hostile, 1)
    panel = panel_html([row])
    assert "<img" not in panel
    assert "&lt;img src=x onerror=&quot;alert(1)&quot;&gt;&#36;&#123;alert(1)&#125;&#96;" in panel


def test_hostile_origin_label_reaches_the_page_only_escaped() -> None:
    label = '<script>alert("Sumy")</script>'
    m = RangeMap().add(Reach.from_distance(200_000, f"50.91, 34.80={label}"))
    page = m.show_places(3, countries="RU").to_html()
    assert "<script>alert(" not in page
    assert "<td>&lt;script&gt;alert(&quot;Sumy&quot;)&lt;/script&gt;</td>" in page


def test_population_label_is_the_gazetteer_one(demo_html: str) -> None:
    assert POPULATION_LABEL == "population of listed cities"
    assert "Population of listed cities" in demo_html


# --- static images and exports -------------------------------------------------------------


def test_static_image_credits_geonames_iff_places(demo: RangeMap) -> None:
    pytest.importorskip("matplotlib")
    from rangemap.render._context import prepare
    from rangemap.render._static_text import texts

    _, _, foot = texts(prepare(demo))
    assert any(line.startswith("Cities in range: Voronezh") for line in foot)
    assert f"{GEONAMES_CREDIT}." in foot
    _, _, plain_foot = texts(prepare(_sumy_map()))
    assert not any("GeoNames" in line for line in plain_foot)


def test_png_draws_places(demo: RangeMap, tmp_path: Path) -> None:
    pytest.importorskip("matplotlib")
    with_places = demo.save(tmp_path / "with.png").read_bytes()
    demo_without = load_recipe(flagship_recipe())
    demo_without.show_places(0)
    without = demo_without.save(tmp_path / "without.png").read_bytes()
    assert with_places.startswith(b"\x89PNG")
    assert with_places != without


def test_kml_has_a_places_folder(demo: RangeMap, tmp_path: Path) -> None:
    root = ET.parse(demo.save(tmp_path / "demo.kml")).getroot()
    ns = {"k": "http://www.opengis.net/kml/2.2"}
    folders = {f.findtext("k:name", namespaces=ns): f for f in root.iter(f"{{{ns['k']}}}Folder")}
    places = folders["Cities in range"]
    names = [p.findtext("k:name", namespaces=ns) for p in places.findall("k:Placemark", ns)]
    assert {"Kursk", "Belgorod"} <= set(names)
    assert GEONAMES_CREDIT in (places.findtext("k:description", namespaces=ns) or "")
    plain = _sumy_map().save(tmp_path / "plain.kml").read_text("utf-8")
    assert "GeoNames" not in plain


def test_gpkg_has_a_places_layer(demo: RangeMap, tmp_path: Path) -> None:
    import geopandas as gpd
    import pyogrio

    path = demo.save(tmp_path / "demo.gpkg")
    assert "places" in {str(name) for name, _ in pyogrio.list_layers(path)}
    places = gpd.read_file(path, layer="places")
    assert {"Kursk", "Belgorod"} <= set(places["name"])
    assert set(places["credit"]) == {GEONAMES_CREDIT}
    assert {"name", "country", "population", "distance_km"} <= set(places.columns)


# --- recipes and the command line ----------------------------------------------------------


def _recipe(tmp_path: Path, places: object) -> Path:
    data = {
        "layers": [{"distance": "300 km", "origins": ["Sumy"]}],
        "places": places,
    }
    path = tmp_path / "places.yaml"
    path.write_text(yaml.safe_dump(data), "utf-8")
    return path


def test_recipe_places_block(tmp_path: Path) -> None:
    m = load_recipe(_recipe(tmp_path, {"top": 4, "min_population": 100000, "countries": ["RU"]}))
    assert m.places == PlacesShown(4, 100_000, ("RU",), True)
    assert [row.name for row in place_rows(m)] == ["Kursk", "Bryansk", "Belgorod", "Orël"]


@pytest.mark.parametrize(
    ("places", "words"),
    [
        ({"top": 12, "min_pop": 5}, "places.min_pop: is not a recipe field"),
        ({"top": -1}, "places.top: -1"),
        ({"top": "twelve"}, "places.top: 'twelve'"),
        ({"min_population": -3}, "places.min_population: -3"),
        ({"countries": ["Atlantis"]}, "places.countries[0]: 'Atlantis' is not a country"),
        ({"labels": "maybe"}, "places.labels: 'maybe'"),
    ],
)
def test_recipe_places_errors_name_file_and_field(
    tmp_path: Path, places: object, words: str
) -> None:
    path = _recipe(tmp_path, places)
    with pytest.raises(RecipeError) as info:
        load_recipe(path)
    assert str(info.value).startswith(f"{path}: ")
    assert words in str(info.value)


def test_cli_places(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "sumy.html"
    code = main(
        [
            "map",
            "--distance",
            "300 km",
            "--from",
            "Sumy",
            "--places",
            "3",
            "--places-min-population",
            "100000",
            "--places-country",
            "RU",
            "-o",
            str(out),
        ]
    )
    assert code == 0
    page = out.read_text("utf-8")
    panel = PANEL.search(page)
    assert panel is not None
    assert re.findall(r"<tr><td>([^<]+)</td>", panel.group()) == ["Kursk", "Bryansk", "Belgorod"]
    assert "Places: GeoNames" in page


def test_cli_places_default_count_and_recipe_override(tmp_path: Path) -> None:
    out = tmp_path / "demo.geojson"
    assert main(["map", "--recipe", str(flagship_recipe()), "--places", "2", "-o", str(out)]) == 0
    features = json.loads(out.read_text("utf-8"))["features"]
    assert [f["properties"]["name"] for f in features if f["properties"].get("kind")] == [
        "Voronezh",
        "Kursk",
    ]
    out2 = tmp_path / "bare.geojson"
    assert main(["map", "--distance", "300 km", "--from", "Sumy", "--places", "-o", str(out2)]) == 0
    places = [
        f for f in json.loads(out2.read_text("utf-8"))["features"] if "kind" in f["properties"]
    ]
    assert len(places) == DEFAULT_PLACES


@pytest.mark.parametrize(
    ("extra", "words"),
    [
        (["--places-country", "RU"], "apply with --places N"),
        (["--places", "2", "--places-country", "Atlantis"], "--places-country: 'Atlantis'"),
    ],
)
def test_cli_places_errors(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], extra: list[str], words: str
) -> None:
    out = tmp_path / "x.html"
    code = main(["map", "--distance", "300 km", "--from", "Sumy", *extra, "-o", str(out)])
    assert code == 2
    assert words in capsys.readouterr().err
    assert not out.exists()


def test_a_place_at_an_origin_is_listed_not_marked_twice() -> None:
    m = RangeMap().add(Reach.from_distance(100_000, "Kharkiv"))
    page = m.show_places(1).to_html()
    assert "<td>Kharkiv</td>" in PANEL.search(page).group()  # type: ignore[union-attr]
    assert '"Kharkiv","rm-origin"' in page
    assert ',"Kharkiv"]' not in page  # no place marker on top of the origin's


def test_places_from_a_country_origin_are_measured_from_its_border(tmp_path: Path) -> None:
    from rangemap.reach import Site

    m = RangeMap(places=PlacesShown(3, countries=("BY",)))
    m.add(Reach.from_distance(100_000, Site.from_country("UA")))
    rows = place_rows(m)
    assert len(rows) == 3
    assert all(row.country == "BY" for row in rows)
    assert all(row.distance_km is not None and 0 < row.distance_km <= 100.0 for row in rows)
    panel = PANEL.search(m.to_html())
    assert panel is not None
    assert "<th>Distance</th>" in panel.group()
    assert "geodesic" in panel.group()
    assert m.save(tmp_path / "by.png").read_bytes().startswith(b"\x89PNG")


def test_places_must_be_places_shown() -> None:
    with pytest.raises(InputError, match="show_places"):
        RangeMap(places=12)  # type: ignore[arg-type]


def test_places_measured_from_every_origin_with_table_options() -> None:
    from rangemap.places import Site

    ukraine = Site.from_country("UA", label="Ukraine")
    m = RangeMap().add(Reach.from_distance(100_000, ukraine))
    m.show_places(40, min_population=200_000)
    table = m.places_in_range()
    assert table is not None
    # A territory origin: distances from its border, and its own cities left out.
    assert set(table["country"]) - {"UA"}
    assert "UA" not in set(table["country"])
    assert (table["distance_km"] > 0).all()
    assert (table["distance_km"] <= 100.0 + 1e-6).all()
    m.show_places(5, countries="UA", include_origins=True, rename={"Kyiv, UA": "Kyiv (capital)"})
    kept = m.places_in_range()
    assert kept is not None
    assert "Kyiv (capital)" in set(kept["name"])
    assert (kept["distance_km"] == 0).all()
    first = str(table["name"].iloc[0])
    m.show_places(40, min_population=200_000, exclude=[first])
    dropped = m.places_in_range()
    assert dropped is not None
    assert first not in set(dropped["name"])
