"""Your own points: reading CSV/GeoJSON/GeoPackage files, and in range or not (places/points.py)."""

from __future__ import annotations

import json
from pathlib import Path

import geopandas
import numpy as np
import pytest
import shapely
from shapely.geometry import LineString, Point

from rangemap.errors import InputError
from rangemap.geodesy import distance_m
from rangemap.places import Site, as_points, points_in_reach, read_points
from rangemap.places.points import MAX_POINTS
from rangemap.reach import Reach

SUMY = (34.80, 50.91)
KHARKIV = (36.23, 49.99)


def _write(folder: Path, name: str, text: str, *, bom: bool = False) -> Path:
    path = folder / name
    path.write_bytes((b"\xef\xbb\xbf" if bom else b"") + text.encode("utf-8"))
    return path


def test_csv_german_headers_semicolons_decimal_commas_and_bom(tmp_path: Path) -> None:
    path = _write(
        tmp_path,
        "orte.csv",
        "Name;Breite;Länge\nKursk airfield;51,75;36,30\nVoronezh;51.66;39.20\n",
        bom=True,
    )
    points = read_points(path)
    assert points.crs.to_epsg() == 4326
    assert points["name"].tolist() == ["Kursk airfield", "Voronezh"]
    assert points.geometry.x.tolist() == [36.30, 39.20]
    assert points.geometry.y.tolist() == [51.75, 51.66]
    assert points.attrs["source"] == "orte.csv"


def test_csv_label_column_and_extra_columns_kept(tmp_path: Path) -> None:
    path = _write(
        tmp_path,
        "sites.csv",
        "site,latitude,longitude,notes,elevation\n"
        'Belgorod depot,50.60,36.59,"fuel, ammunition",130\n'
        "Kursk airfield,51.75,36.30,,200\n",
    )
    points = read_points(path, label="site")
    assert points["name"].tolist() == ["Belgorod depot", "Kursk airfield"]
    assert points["notes"].tolist() == ["fuel, ammunition", ""]
    assert points["elevation"].tolist() == [130.0, 200.0]


def test_csv_tabs_and_coordinates_column(tmp_path: Path) -> None:
    tabs = _write(tmp_path, "t.tsv", "title\tLat\tLng\nKursk\t51.73\t36.19\n")
    assert read_points(tabs)["name"].tolist() == ["Kursk"]
    coords = _write(tmp_path, "c.csv", 'place,coordinates\nKursk,"51.73, 36.19"\n')
    point = read_points(coords).geometry.iloc[0]
    assert (point.x, point.y) == (36.19, 51.73)


def test_unnamed_points_are_numbered(tmp_path: Path) -> None:
    path = _write(tmp_path, "p.csv", "lat,lon\n51.73,36.19\n50.60,36.59\n")
    assert read_points(path)["name"].tolist() == ["Point 1", "Point 2"]


def test_geojson_and_geopackage_points(tmp_path: Path) -> None:
    frame = geopandas.GeoDataFrame(
        {"name": ["Kursk", "Bryansk"], "kind": ["airfield", "depot"]},
        geometry=[Point(36.19, 51.73), Point(34.37, 53.25)],
        crs="EPSG:4326",
    )
    frame.to_file(tmp_path / "p.geojson")
    frame.to_crs(3857).to_file(tmp_path / "p.gpkg", driver="GPKG")
    for name in ("p.geojson", "p.gpkg"):
        points = read_points(tmp_path / name)
        assert points["name"].tolist() == ["Kursk", "Bryansk"]
        assert points["kind"].tolist() == ["airfield", "depot"]
        assert points.crs.to_epsg() == 4326
        assert np.allclose(points.geometry.x, [36.19, 34.37])


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("", "the file is empty"),
        ("name,lat,lon\n", "has a header but no points"),
        ("name,breit,long\nKursk,51.7,36.2\n", "no latitude/longitude columns"),
        ("name,lat,lon\nKursk,51.7,36.2\nBryansk,,34.4\n", "row 3, column 'lat'"),
        ("name,lat,lon\nKursk,fifty,36.2\n", "'fifty' is not a number"),
        ("name;lat;lon\nKursk;151.7;36.2\n", "row 2, columns 'lat'/'lon': latitude 151.7"),
        ("name;lat;lon\nKursk;51.7;236.2\n", "longitude 236.2 is outside -180..180"),
    ],
)
def test_bad_csv_is_one_error_naming_file_row_and_column(
    tmp_path: Path, text: str, expected: str
) -> None:
    path = _write(tmp_path, "bad.csv", text)
    with pytest.raises(InputError) as caught:
        read_points(path)
    message = str(caught.value)
    assert message.startswith(f"'{path}'"), message
    assert expected in message
    assert "\n" not in message


def test_missing_columns_lists_what_was_seen_and_accepted(tmp_path: Path) -> None:
    path = _write(tmp_path, "bad.csv", "Ort,Nord,Ost\nKursk,51.7,36.2\n")
    with pytest.raises(InputError, match="the columns are 'Ort', 'Nord', 'Ost'") as caught:
        read_points(path)
    assert "breite" in str(caught.value)
    assert "longitude" in str(caught.value)


def test_label_column_not_found(tmp_path: Path) -> None:
    path = _write(tmp_path, "p.csv", "name,lat,lon\nKursk,51.7,36.2\n")
    with pytest.raises(InputError, match="no column 'site' for the labels"):
        read_points(path, label="site")


def test_too_many_points_not_utf8_and_not_a_local_file(tmp_path: Path) -> None:
    rows = "".join(f"p{i},50.0,30.0\n" for i in range(MAX_POINTS + 1))
    with pytest.raises(InputError, match="at most 10,000"):
        read_points(_write(tmp_path, "many.csv", "name,lat,lon\n" + rows))
    latin = tmp_path / "latin.csv"
    latin.write_bytes("name,lat,lon\nKöln,50.9,6.9\n".encode("latin-1"))
    with pytest.raises(InputError, match="not UTF-8"):
        read_points(latin)
    with pytest.raises(InputError, match="only local files"):
        read_points("https://example.org/points.csv")
    with pytest.raises(InputError, match="file not found"):
        read_points(tmp_path / "missing.csv")


def test_non_point_feature_is_refused(tmp_path: Path) -> None:
    frame = geopandas.GeoDataFrame(
        {"name": ["Kursk", "front"]},
        geometry=[Point(36.19, 51.73), LineString([(36.2, 50.0), (37.8, 48.0)])],
        crs="EPSG:4326",
    )
    frame.to_file(tmp_path / "mixed.geojson")
    with pytest.raises(InputError, match="feature 2 is a LineString, not a point"):
        read_points(tmp_path / "mixed.geojson")


def test_in_range_and_distances_match_geodesy(tmp_path: Path) -> None:
    path = _write(
        tmp_path,
        "sites.csv",
        "site,latitude,longitude\nKursk,51.73,36.19\nMoscow,55.76,37.62\nOrel,52.97,36.07\n",
    )
    reach = Reach.from_distance(300_000, ["50.91, 34.80=Sumy", "49.99, 36.23=Kharkiv"])
    table = points_in_reach(read_points(path, label="site"), reach)
    assert table["name"].tolist() == ["Kursk", "Moscow", "Orel"]
    for row in table.itertuples():
        d_sumy = float(distance_m(SUMY, (row.lon, row.lat)))
        d_kharkiv = float(distance_m(KHARKIV, (row.lon, row.lat)))
        nearest = min(d_sumy, d_kharkiv)
        assert row.distance_km == pytest.approx(nearest / 1000, abs=1e-6)
        assert row.margin_km == pytest.approx(300 - nearest / 1000, abs=1e-6)
        assert row.in_range == (nearest <= 300_000)
        assert row.nearest_origin == ("Sumy" if d_sumy <= d_kharkiv else "Kharkiv")
    assert table["in_range"].tolist() == [True, False, True]


def _random_points(center: tuple[float, float], spread: float, n: int) -> geopandas.GeoDataFrame:
    rng = np.random.default_rng(7)
    lon = center[0] + rng.uniform(-spread, spread, n) * 1.6
    lat = center[1] + rng.uniform(-spread, spread, n)
    return as_points(
        geopandas.GeoDataFrame(
            {"name": [f"p{i}" for i in range(n)]},
            geometry=geopandas.points_from_xy(lon, lat),
            crs="EPSG:4326",
        )
    )


@pytest.mark.parametrize(
    "reach",
    [
        Reach.from_distance(300_000, ["50.91, 34.80=Sumy", "49.99, 36.23=Kharkiv"]),
        Reach.from_distance(500_000, "50.91, 34.80=Sumy", min_distance_m=150_000),
    ],
    ids=["two-origins", "annulus"],
)
def test_margin_agrees_with_the_drawn_reach(reach: Reach) -> None:
    points = _random_points(SUMY, 6.0, 3000)
    table = points_in_reach(points, reach)
    geometry = reach.geometry
    shapely.prepare(geometry)
    inside = shapely.contains_xy(geometry, table["lon"].to_numpy(), table["lat"].to_numpy())
    # Away from the boundary (more than the drawing tolerance plus a metre) they agree.
    tolerance_km = (reach.tolerance_m or 0.0) / 1000 + 0.001
    clear = np.abs(table["margin_km"].to_numpy()) > tolerance_km
    assert clear.sum() > 2900
    assert (inside[clear] == table["in_range"].to_numpy()[clear]).all()
    # Outside, minus the margin is the distance to the reach.
    assert (table["in_range"] == (table["margin_km"] >= 0)).all()


def test_territory_origin_distance_is_zero_inside() -> None:
    ukraine = Site.from_country("UA", label="Ukraine")
    reach = Reach.from_distance(100_000, ukraine)
    points = as_points(
        geopandas.GeoDataFrame(
            {"name": ["Kyiv", "Kursk", "Moscow"]},
            geometry=geopandas.points_from_xy([30.52, 36.19, 37.62], [50.45, 51.73, 55.76]),
            crs=4326,
        )
    )
    table = points_in_reach(points, reach)
    assert table["distance_km"].iloc[0] == 0.0
    assert table["in_range"].tolist() == [True, True, False]
    assert table["margin_km"].iloc[0] == pytest.approx(100.0)


def test_one_row_per_point_per_layer() -> None:
    from rangemap.scene import RangeMap

    m = RangeMap()
    m.add(Reach.from_distance(300_000, "50.91, 34.80=Sumy"), name="300 km")
    m.add(Reach.from_distance(165_000, "50.91, 34.80=Sumy"), name="165 km")
    frame = geopandas.GeoDataFrame(
        {"name": ["Kursk"]}, geometry=[Point(36.19, 51.73)], crs="EPSG:4326"
    )
    table = m.add_points(frame).points_in_range()
    assert table is not None
    assert table[["layer", "in_range"]].values.tolist() == [["300 km", True], ["165 km", True]]
    far = geopandas.GeoDataFrame({"name": ["Orel"]}, geometry=[Point(36.07, 52.97)], crs=4326)
    table = m.add_points(far).points_in_range()
    assert table is not None
    assert table["in_range"].tolist() == [True, True, True, False]


def test_hostile_names_are_kept_as_data(tmp_path: Path) -> None:
    name = '<script>__rm_hit()</script>=HYPERLINK("x")'
    path = tmp_path / "h.geojson"
    path.write_text(
        json.dumps(
            {
                "type": "FeatureCollection",
                "features": [
                    {
                        "type": "Feature",
                        "properties": {"name": name},
                        "geometry": {"type": "Point", "coordinates": [36.19, 51.73]},
                    }
                ],
            }
        ),
        encoding="utf-8",
    )
    assert read_points(path)["name"].tolist() == [name]


def test_only_separators_is_an_empty_file(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="the file is empty"):
        read_points(_write(tmp_path, "blank.csv", ",,,\n\n,,\n"))


def test_points_in_reach_normalises_any_geodataframe() -> None:
    frame = geopandas.GeoDataFrame(
        {"label": ["Kursk"], "lat": [0.0]}, geometry=[Point(36.19, 51.73)], crs=4326
    ).to_crs(3857)
    table = points_in_reach(frame, Reach.from_distance(300_000, "50.91, 34.80=Sumy"))
    assert table["name"].tolist() == ["Kursk"]
    assert table["lat"].round(2).tolist() == [51.73]
    assert table["lat (file)"].tolist() == [0.0]
