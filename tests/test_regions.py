from __future__ import annotations

from pathlib import Path
from typing import Any

import geopandas as gpd
import pytest
import shapely
from shapely.geometry import LineString, MultiPolygon, Point, Polygon, box

from rangemap import regions
from rangemap.errors import InputError
from rangemap.places import load_gazetteer
from rangemap.regions import countries, countries_named, country, country_codes, read

DATA_FILE = Path(regions.__file__).parent / "data" / "countries.tsv.gz"
SIMFEROPOL = Point(34.10, 44.95)
KYIV = Point(30.5234, 50.4501)


# ---------------------------------------------------------------------------
# the bundled dataset
# ---------------------------------------------------------------------------


def test_data_file_is_compact() -> None:
    assert DATA_FILE.stat().st_size <= 1_000_000


def test_countries_table() -> None:
    world = countries()
    assert isinstance(world, gpd.GeoDataFrame)
    assert list(world.columns) == ["name", "iso2", "iso3", "aliases", "label", "geometry"]
    assert len(world) == 240
    assert world.crs.to_epsg() == 4326
    assert world.geometry.is_valid.all()
    assert world["iso3"].is_unique
    assert world["iso2"].dropna().is_unique
    assert set(world.geometry.geom_type) <= {"Polygon", "MultiPolygon"}
    xmin, ymin, xmax, ymax = world.total_bounds
    assert xmin >= -180
    assert xmax <= 180
    assert ymin >= -90
    assert ymax <= 90


def test_label_points_lie_inside() -> None:
    world = countries()
    inside = [g.contains(p) for g, p in zip(world.geometry, world["label"], strict=True)]
    assert all(inside)


def test_countries_returns_a_copy() -> None:
    world = countries()
    world.loc[0, "name"] = "changed"
    assert countries().loc[0, "name"] != "changed"


def test_atlas_is_the_countries_table_without_geopandas() -> None:
    world, atlas = countries(), regions.atlas()
    assert atlas is regions.atlas()  # read once
    assert list(atlas.names) == list(world["name"])
    assert list(atlas.iso3) == list(world["iso3"])
    assert list(atlas.iso2) == [code if isinstance(code, str) else None for code in world["iso2"]]
    assert atlas.label_points == tuple((p.x, p.y) for p in world["label"])
    assert len(atlas.shapes) == len(world)
    assert all(a.equals_exact(b, 0) for a, b in zip(atlas.shapes, world.geometry, strict=True))
    with pytest.raises(AttributeError):
        atlas.names = ()  # type: ignore[misc]


def test_exteriors_counter_clockwise() -> None:
    for geom in countries().geometry:
        for poly in shapely.get_parts(geom):
            assert poly.exterior.is_ccw


# ---------------------------------------------------------------------------
# country()
# ---------------------------------------------------------------------------


@pytest.mark.parametrize("key", ["Ukraine", "UA", "UKR", "ukraine", " ua ", "UKRAINE"])
def test_ukraine_by_name_and_codes(key: str) -> None:
    assert country(key).equals(country("Ukraine"))


@pytest.mark.parametrize("key", ["Russia", "Russian Federation", "RU", "RUS", "russian federation"])
def test_russia_by_name_and_codes(key: str) -> None:
    assert country(key).equals(country("Russia"))


@pytest.mark.parametrize(
    ("key", "iso3"),
    [
        ("United States", "USA"),
        ("United States of America", "USA"),
        ("US", "USA"),
        ("UK", "GBR"),
        ("GB", "GBR"),
        ("Côte d'Ivoire", "CIV"),
        ("cote d ivoire", "CIV"),
        ("Ivory Coast", "CIV"),
        ("Bosnia and Herz.", "BIH"),
        ("Czech Republic", "CZE"),
        ("the Netherlands", "NLD"),
        ("Kosovo", "XKX"),
    ],
)
def test_common_names_resolve(key: str, iso3: str) -> None:
    world = countries().set_index("iso3")
    assert country(key).equals(world.loc[iso3, "geometry"])


def test_crimea_is_in_ukraine() -> None:
    assert country("Ukraine").contains(SIMFEROPOL)
    assert not country("Russia").contains(SIMFEROPOL)


def test_russia_is_split_at_the_antimeridian() -> None:
    russia = country("Russia")
    assert isinstance(russia, MultiPolygon)
    assert russia.is_valid
    xmin, _, xmax, _ = russia.bounds
    assert xmin == -180
    assert xmax == 180
    assert russia.contains(Point(-175.0, 66.5))  # Chukotka, east of 180
    assert russia.contains(Point(37.62, 55.76))  # Moscow


def test_antarctica_reaches_the_pole() -> None:
    antarctica = country("ATA")
    assert antarctica.is_valid
    assert antarctica.bounds[1] == -90


def test_unknown_country_suggests_close_names() -> None:
    with pytest.raises(InputError, match=r"unknown country 'Rusia'\. Did you mean 'Russia'"):
        country("Rusia")
    with pytest.raises(InputError, match="'Ukraine'"):
        country("Ukrain")


@pytest.mark.parametrize("bad", ["", "   ", None, 42])
def test_country_rejects_non_names(bad: object) -> None:
    with pytest.raises(InputError, match="country name must be a non-empty string"):
        country(bad)  # type: ignore[arg-type]


def test_a_missing_code_is_not_a_country_name() -> None:
    # Areas without an ISO code (Northern Cyprus) once answered to "nan".
    with pytest.raises(InputError, match="unknown country 'nan'"):
        country("nan")
    assert country("Somaliland").is_valid  # found by its name instead


def test_country_knows_every_name_the_country_check_knows() -> None:
    assert country("UK").equals(country("GB"))
    assert country("England").equals(country("United Kingdom"))
    with pytest.raises(InputError, match=r"'Vatican' \(VA\) has no shape in the bundled"):
        country("Vatican")


# ---------------------------------------------------------------------------
# country names: the one check
# ---------------------------------------------------------------------------


def test_country_codes_normalise_names_and_codes() -> None:
    assert country_codes(["Russia", "by", "UKR", "RU", " ukraine "]) == ("RU", "BY", "UA")
    assert country_codes("Russian Federation") == ("RU",)
    assert country_codes(["UK", "England", "Great Britain"]) == ("GB",)
    assert country_codes(["Netherlands", "The Netherlands", "NLD"]) == ("NL",)
    assert country_codes(["Côte d'Ivoire", "Cote d Ivoire"]) == ("CI",)
    assert country_codes(["Vatican", "Gibraltar"]) == ("VA", "GI")  # cities, no borders
    assert country_codes([]) == ()


@pytest.mark.parametrize(
    ("names", "shown"),
    [
        (["UA", "Atlantis"], "'Atlantis'"),
        ([""], "''"),
        ([42], "42"),
        ([None], "None"),
        (["Україна"], "'Україна'"),
        (["nan"], "'nan'"),
        (["\x1b[2JRU"], "'[2JRU'"),  # no escape sequence reaches a terminal
    ],
)
def test_country_codes_refuse_with_one_clear_message(names: list[Any], shown: str) -> None:
    with pytest.raises(InputError) as info:
        country_codes(names, argument="--places-country")
    assert str(info.value).startswith(
        f"--places-country: {shown} is not a country; give an ISO 3166 code or an English name, "
        "for example 'RU' or 'Russia'"
    )


def test_country_codes_suggest_close_names() -> None:
    with pytest.raises(
        InputError, match=r"'Rusia' is not a country; .* \(did you mean 'Russia'\?\)$"
    ):
        country_codes(["Rusia"])
    with pytest.raises(InputError, match=r"did you mean 'Ukraine'\?"):
        country_codes("Ukrain")


def test_every_gazetteer_country_and_every_bordered_country_has_a_name() -> None:
    gazetteer = load_gazetteer()
    for iso2, name in gazetteer.country_names.items():
        assert countries_named(iso2) == countries_named(name) == {iso2}
        assert countries_named(gazetteer.country_iso3[iso2]) == {iso2}
    for row in countries().itertuples():
        if isinstance(row.iso2, str):
            for spelling in (row.iso2, row.iso3, row.name, *row.aliases):
                assert countries_named(str(spelling)) == {row.iso2}, spelling
    assert gazetteer.countries_named("Russian Federation") == {"RU"}  # the same one check


# ---------------------------------------------------------------------------
# read()
# ---------------------------------------------------------------------------


def _write(frame: gpd.GeoDataFrame, path: Path, **kw: Any) -> Path:
    frame.to_file(path, **kw)
    return path


@pytest.fixture
def front_line() -> LineString:
    return LineString([(36.23, 49.99), (37.55, 48.59), (37.80, 48.02)])


def test_read_geojson_line(tmp_path: Path, front_line: LineString) -> None:
    path = _write(gpd.GeoDataFrame(geometry=[front_line], crs=4326), tmp_path / "front.geojson")
    got = read(path)
    assert isinstance(got, LineString)
    assert got.equals_exact(front_line, 1e-9)


def test_read_geopackage_unions_features(tmp_path: Path) -> None:
    a, b = box(30, 45, 31, 46), box(31, 45, 32, 46)
    path = _write(gpd.GeoDataFrame(geometry=[a, b], crs=4326), tmp_path / "area.gpkg")
    got = read(str(path))
    assert isinstance(got, Polygon)
    assert got.equals(box(30, 45, 32, 46))


def test_read_projected_shapefile_is_reprojected(tmp_path: Path) -> None:
    utm = gpd.GeoDataFrame(geometry=[Point(KYIV)], crs=4326).to_crs(32636)
    square = utm.buffer(10_000, cap_style="square")
    path = _write(gpd.GeoDataFrame(geometry=square, crs=32636), tmp_path / "zone.shp")
    got = read(path)
    assert got.contains(KYIV)
    assert 30 < got.bounds[0] < 30.6
    assert 50.3 < got.bounds[1] < 50.5


def test_read_kml(tmp_path: Path) -> None:
    path = _write(
        gpd.GeoDataFrame(geometry=[box(36, 49, 37, 50)], crs=4326),
        tmp_path / "area.kml",
        driver="KML",
    )
    assert read(path).equals(box(36, 49, 37, 50))


def test_read_repairs_invalid_polygon(tmp_path: Path) -> None:
    bowtie = Polygon([(30, 45), (32, 47), (32, 45), (30, 47)])
    path = _write(gpd.GeoDataFrame(geometry=[bowtie], crs=4326), tmp_path / "bowtie.geojson")
    got = read(path)
    assert got.is_valid
    assert got.area == pytest.approx(2.0)


def test_read_several_layers_needs_a_choice(tmp_path: Path) -> None:
    path = tmp_path / "two.gpkg"
    _write(gpd.GeoDataFrame(geometry=[box(30, 45, 31, 46)], crs=4326), path, layer="north")
    _write(gpd.GeoDataFrame(geometry=[box(33, 45, 34, 46)], crs=4326), path, layer="south")
    with pytest.raises(InputError, match=r"two\.gpkg': the file has 2 layers .*'north'.*layer="):
        read(path)
    assert read(path, layer="south").equals(box(33, 45, 34, 46))


def test_read_missing_file(tmp_path: Path) -> None:
    with pytest.raises(InputError, match=r"nowhere\.geojson': file not found"):
        read(tmp_path / "nowhere.geojson")


def test_read_unreadable_file(tmp_path: Path) -> None:
    path = tmp_path / "notes.geojson"
    path.write_text("this is not GeoJSON", encoding="utf-8")
    with pytest.raises(InputError, match=r"notes\.geojson': it is not a GeoJSON file"):
        read(path)


def test_read_empty_file(tmp_path: Path) -> None:
    path = tmp_path / "empty.geojson"
    path.write_text('{"type": "FeatureCollection", "features": []}', encoding="utf-8")
    with pytest.raises(InputError, match=r"empty\.geojson': the file has no geometries"):
        read(path)


def test_read_shapefile_without_crs(tmp_path: Path) -> None:
    projected = tmp_path / "projected.shp"
    with pytest.warns(UserWarning, match="crs"):
        _write(gpd.GeoDataFrame(geometry=[box(300_000, 5_500_000, 310_000, 5_510_000)]), projected)
    with pytest.raises(InputError, match=r"projected\.shp': the file has no coordinate reference"):
        read(projected)
    lonlat = tmp_path / "lonlat.shp"
    with pytest.warns(UserWarning, match="crs"):
        _write(gpd.GeoDataFrame(geometry=[box(30, 45, 31, 46)]), lonlat)
    assert read(lonlat).equals(box(30, 45, 31, 46))


def test_the_two_country_tables_never_disagree() -> None:
    # countries_named asks GeoNames' table first and the boundaries' only on a miss.
    geonames, _ = regions._geonames_countries()
    atlas, _ = regions._atlas_countries()
    shared = set(geonames) & set(atlas)
    assert len(shared) > 400
    assert {key: atlas[key] for key in shared} == {key: geonames[key] for key in shared}
