from __future__ import annotations

from pathlib import Path
from typing import Any

import geopandas as gpd
import pytest
import shapely
from shapely.geometry import LineString, MultiPolygon, Point, Polygon, box

from rangemap import regions
from rangemap.errors import InputError
from rangemap.regions import countries, country, read

DATA_FILE = Path(regions.__file__).parent / "data" / "countries.geojson.gz"
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
