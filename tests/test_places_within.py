from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
import shapely
from pyproj import Geod
from shapely.geometry import LineString, MultiPolygon, Point, Polygon, box

from rangemap.errors import InputError
from rangemap.geodesy import buffer, distance_to, ring
from rangemap.places import (
    GEONAMES_CREDIT,
    POPULATION_LABEL,
    Site,
    geocode,
    load_gazetteer,
    parse_origin,
    population_of_listed_cities,
    within,
)
from rangemap.places.within import distance_to_origins, within_columns

GEOD = Geod(ellps="WGS84")
SUMY = parse_origin("Sumy")


@pytest.fixture(scope="module")
def sumy_300km() -> Polygon:
    return ring((SUMY.lon, SUMY.lat), 300_000)


def test_sumy_300_km(sumy_300km: Polygon) -> None:
    near = within(sumy_300km, origins=[SUMY])
    names = set(near["name"])
    assert {"Kursk", "Belgorod", "Kharkiv"} <= names
    assert "Moscow" not in names
    assert "Sumy" not in names  # the origin itself is left out by default
    assert "origin" not in near.columns
    assert near["distance_km"].max() <= 300.0 + 0.03  # the drawn edge is within 30 m
    assert near["distance_km"].min() > 0.001
    assert list(near["distance_km"]) == sorted(near["distance_km"])
    assert near.crs.to_epsg() == 4326


def test_include_origins_keeps_and_marks_them(sumy_300km: Polygon) -> None:
    near = within(sumy_300km, origins=[SUMY], include_origins=True)
    first = near.iloc[0]
    assert (first["name"], first["distance_km"], first["origin"]) == ("Sumy", 0.0, True)
    assert near["origin"].dtype == bool
    assert int(near["origin"].sum()) == 1
    default = within(sumy_300km, origins=[SUMY])
    assert len(near) == len(default) + 1
    assert set(near.loc[~near["origin"], "geonameid"]) == set(default["geonameid"])


def test_distances_are_geodesic(sumy_300km: Polygon) -> None:
    near = within(sumy_300km, origins=[SUMY]).set_index("name")
    for city in ("Kursk", "Belgorod"):
        place = geocode(city)
        _, _, metres = GEOD.inv(SUMY.lon, SUMY.lat, place.lon, place.lat)
        assert near.loc[city, "distance_km"] == pytest.approx(metres / 1000, abs=1e-6)
        assert near.loc[city, "nearest_origin"] == "Sumy"


def test_every_listed_city_is_in_range_and_every_other_is_not(sumy_300km: Polygon) -> None:
    gazetteer = load_gazetteer()
    _, _, metres = GEOD.inv(
        np.full(len(gazetteer), SUMY.lon),
        np.full(len(gazetteer), SUMY.lat),
        gazetteer.lon,
        gazetteer.lat,
    )
    listed = set(within(sumy_300km)["geonameid"])
    # Away from the edge (the drawn boundary is within 30 m of the true one) the
    # table agrees exactly with the distances.
    assert set(gazetteer.geonameid[metres < 299_900]) <= listed
    assert not (set(gazetteer.geonameid[metres > 300_100]) & listed)


def test_nearest_of_several_origins() -> None:
    kharkiv = parse_origin("Kharkiv, UA")
    shape = shapely.union(
        ring((SUMY.lon, SUMY.lat), 200_000), ring((kharkiv.lon, kharkiv.lat), 200_000)
    )
    near = within(shape, origins=[SUMY, kharkiv], include_origins=True).set_index("name")
    assert near.loc["Kursk", "nearest_origin"] == "Sumy"
    assert near.loc["Kharkiv", "nearest_origin"] == "Kharkiv"
    assert near.loc["Kharkiv", "distance_km"] == pytest.approx(0.0, abs=1e-6)


def test_origins_of_every_kind_agree(sumy_300km: Polygon) -> None:
    reference = within(sumy_300km, origins=[SUMY])["distance_km"].to_numpy()
    for origin in (geocode("Sumy"), Point(SUMY.lon, SUMY.lat), (SUMY.lon, SUMY.lat)):
        got = within(sumy_300km, origins=[origin])["distance_km"].to_numpy()
        np.testing.assert_allclose(got, reference)


def test_without_origins_sorted_by_population(sumy_300km: Polygon) -> None:
    near = within(sumy_300km)
    assert "distance_km" not in near.columns
    assert list(near["population"]) == sorted(near["population"], reverse=True)
    assert near.iloc[0]["name"] == "Kharkiv"


def test_filters(sumy_300km: Polygon) -> None:
    big = within(sumy_300km, min_population=300_000)
    assert big["population"].min() >= 300_000
    assert {"Kharkiv", "Kursk", "Belgorod"} <= set(big["name"])
    russian = within(sumy_300km, countries="RU")
    assert set(russian["country"]) == {"RU"}
    assert set(within(sumy_300km, countries=["Russia", "UKR"])["country"]) == {"RU", "UA"}


def test_antimeridian_multipolygon() -> None:
    suva = geocode("Suva")
    reach = ring((suva.lon, suva.lat), 900_000)
    assert isinstance(reach, MultiPolygon), "the disc is split at 180°"
    near = within(reach, origins=[suva], include_origins=True).set_index("geonameid")
    assert near.index[0] == suva.geonameid
    nukualofa = geocode("Nukualofa")  # Tonga, at 175°W: the far side of the seam
    assert nukualofa.lon < 0
    _, _, metres = GEOD.inv(suva.lon, suva.lat, nukualofa.lon, nukualofa.lat)
    assert metres < 900_000
    assert near.loc[nukualofa.geonameid, "distance_km"] == pytest.approx(metres / 1000)


def test_population_of_listed_cities(sumy_300km: Polygon) -> None:
    near = within(sumy_300km, min_population=300_000)
    assert population_of_listed_cities(near) == int(near["population"].sum())
    assert near.attrs["population_label"] == POPULATION_LABEL == "population of listed cities"
    assert near.attrs["credit"] == GEONAMES_CREDIT
    assert population_of_listed_cities(near.iloc[:0]) == 0
    with pytest.raises(InputError, match="no 'population' column"):
        population_of_listed_cities(pd.DataFrame({"name": ["Sumy"]}))


def test_empty_results_keep_columns() -> None:
    ocean = box(-30, -30, -29, -29)  # South Atlantic
    for origins in (None, [SUMY]):
        empty = within(ocean, origins=origins)
        assert len(empty) == 0
        assert {"name", "population", "geometry"} <= set(empty.columns)
    assert len(within(Polygon(), origins=[SUMY])) == 0


def test_accepts_an_object_with_a_geometry(sumy_300km: Polygon) -> None:
    class Shape:
        geometry = sumy_300km

    assert len(within(Shape())) == len(within(sumy_300km))


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"shape": LineString([(30, 50), (31, 51)])}, "shape is a LineString"),
        ({"shape": "Sumy"}, "shape is a str"),
        ({"min_population": -1}, "min_population=-1"),
        ({"min_population": 1.5}, "min_population=1.5"),
        ({"countries": ["Atlantis"]}, "'Atlantis' is not a country"),
        ({"origins": []}, "origins is empty"),
        ({"origins": [object()]}, "is not an origin"),
        ({"origins": ["Sumy"]}, "'Sumy' is not an origin"),
        ({"exclude": ["Atlantisville"]}, "exclude: 'Atlantisville' is not a gazetteer place"),
        ({"exclude": [0]}, "exclude: '0' is not a gazetteer place"),
        ({"exclude": [""]}, "exclude: '' is not a place"),
        ({"rename": {"Atlantisville": "X"}}, "rename: 'Atlantisville' is not a gazetteer"),
        ({"rename": {"Kursk": ""}}, "rename: '' is not a name to show"),
        ({"rename": ["Kursk"]}, "rename: .* is not a mapping"),
        ({"origins": [(200.0, 50.0)]}, "not \\(lon, lat\\)"),
    ],
)
def test_rejects(sumy_300km: Polygon, kwargs: dict[str, object], match: str) -> None:
    arguments: dict[str, object] = {"shape": sumy_300km, **kwargs}
    shape = arguments.pop("shape")
    with pytest.raises(InputError, match=match):
        within(shape, **arguments)  # type: ignore[arg-type]


def test_origin_labels_fall_back_to_coordinates(sumy_300km: Polygon) -> None:
    near = within(sumy_300km, origins=[Site(Point(34.8, 50.91))])
    assert set(near["nearest_origin"]) == {"50.91000, 34.80000"}


def test_a_front_line_origin_measures_to_the_line() -> None:
    at_kharkiv = geocode("Kharkiv, UA").lonlat
    front = Site(LineString([at_kharkiv, (37.55, 48.59), (37.80, 48.02)]), "Front line")
    reach = buffer(front.geometry, 150_000)
    near = within(reach, origins=[front], include_origins=True)
    expected = distance_to(front.geometry, near["lon"], near["lat"]) / 1000
    np.testing.assert_allclose(near["distance_km"], expected, rtol=0, atol=1e-9)
    assert set(near["nearest_origin"]) == {"Front line"}
    assert near["distance_km"].max() <= 150.0 + 0.015  # the drawn edge is within 15 m
    # The line runs through Kharkiv's coordinates: Kharkiv is an origin.
    kharkiv = geocode("Kharkiv, UA").geonameid
    row = near.set_index("geonameid").loc[kharkiv]
    assert row["distance_km"] * 1000 < 1.0
    assert bool(row["origin"])
    assert kharkiv not in set(within(reach, origins=[front])["geonameid"])


def test_a_territory_origin_is_zero_inside_and_left_out() -> None:
    ukraine = Site.from_country("UA", label="Ukraine")
    reach = buffer(ukraine.geometry, 100_000)
    kept = within(reach, origins=[ukraine], include_origins=True).set_index("geonameid")
    kyiv = geocode("Kyiv").geonameid
    assert kept.loc[kyiv, "distance_km"] == 0.0
    assert bool(kept.loc[kyiv, "origin"])
    inside = kept["country"] == "UA"
    # A few towns on the border (or coast) fall just outside the 1:50m boundary.
    assert kept.loc[inside, "origin"].mean() > 0.97
    near = within(reach, origins=[ukraine])
    assert kyiv not in set(near["geonameid"])
    assert "Kharkiv" not in set(near["name"])
    assert near["distance_km"].min() * 1000 > 1.0
    assert near["distance_km"].max() <= 100.0 + 0.01
    assert {"Belgorod", "Chisinau"} <= set(near["name"])
    belgorod = near.set_index("name").loc["Belgorod", "distance_km"]
    assert belgorod == pytest.approx(distance_to(ukraine.geometry, 36.58, 50.60) / 1000, abs=0.5)


def test_origins_of_mixed_kinds() -> None:
    ukraine = Site.from_country("UA", label="Ukraine")
    moscow = parse_origin("Moscow")
    reach = shapely.union(
        buffer(ukraine.geometry, 200_000), ring((moscow.lon, moscow.lat), 100_000)
    )
    near = within(reach, origins=[ukraine, moscow]).set_index("name")
    assert near.loc["Belgorod", "nearest_origin"] == "Ukraine"
    assert near.loc["Khimki", "nearest_origin"] == "Moscow"
    assert "Moscow" not in near.index


def test_exclude_by_name_name_and_country_or_id(sumy_300km: Polygon) -> None:
    every = within(sumy_300km, origins=[SUMY])
    kursk = geocode("Kursk").geonameid
    assert kursk is not None
    for entry in ("Kursk", "  KURSK ", "Kursk, RU", kursk, str(kursk)):
        left = within(sumy_300km, origins=[SUMY], exclude=[entry])
        assert kursk not in set(left["geonameid"]), entry
        assert len(left) == len(every) - 1, entry
    # A place of the gazetteer that is not in this table is fine.
    assert len(within(sumy_300km, origins=[SUMY], exclude=["Tokyo", "Lviv, UA"])) == len(every)
    both = within(sumy_300km, exclude=["Kursk", "Belgorod"])
    assert not {"Kursk", "Belgorod"} & set(both["name"])


def test_rename_shows_a_name_and_keeps_the_gazetteer_one(sumy_300km: Polygon) -> None:
    near = within(sumy_300km, origins=[SUMY], rename={"Kharkiv, UA": "Kharkiv (city)"})
    row = near.set_index("geonameid").loc[geocode("Kharkiv, UA").geonameid]
    assert (row["name"], row["gazetteer_name"]) == ("Kharkiv (city)", "Kharkiv")
    others = near["geonameid"] != geocode("Kharkiv, UA").geonameid
    assert (near.loc[others, "name"] == near.loc[others, "gazetteer_name"]).all()
    assert list(near.columns[:2]) == ["name", "gazetteer_name"]


def test_distance_to_origins_is_the_exact_minimum() -> None:
    rng = np.random.default_rng(7)
    ukraine = Site.from_country("UA", label="Ukraine")
    front = Site(LineString([(38.0, 51.0), (39.0, 49.0)]), "Front")
    origins = [SUMY, ukraine, front, parse_origin("Moscow")]
    lon = rng.uniform(25, 42, 300)
    lat = rng.uniform(44, 57, 300)
    metres, index = distance_to_origins(origins, lon, lat)
    every = np.vstack(
        [
            GEOD.inv(np.full(lon.size, SUMY.lon), np.full(lon.size, SUMY.lat), lon, lat)[2],
            distance_to(ukraine.geometry, lon, lat),
            distance_to(front.geometry, lon, lat),
            GEOD.inv(np.full(lon.size, 37.61556), np.full(lon.size, 55.75222), lon, lat)[2],
        ]
    )
    every[3] = distance_to(origins[3].geometry, lon, lat)
    assert np.array_equal(index, np.argmin(every, axis=0))
    np.testing.assert_allclose(metres, every.min(axis=0), rtol=0, atol=1e-6)
    assert index.dtype == np.intp
    assert metres.dtype == np.float64
    # Ties go to the first origin: twice the same territory, and a city inside it.
    metres, index = distance_to_origins([SUMY, ukraine, ukraine], [30.52], [50.45])
    assert (metres.tolist(), index.tolist()) == ([0.0], [1])


@pytest.mark.parametrize(
    ("origins", "lon", "lat", "match"),
    [
        ([], [30.0], [50.0], "origins is empty"),
        (["Sumy"], [30.0], [50.0], "'Sumy' is not a Site"),
        ([SUMY], [30.0, 31.0], [50.0], "lon and lat differ in length"),
        ([SUMY], [190.0], [50.0], r"point 0 \(190.0, 50.0\) is not \(lon, lat\)"),
        ([SUMY], [float("nan")], [50.0], "is not \\(lon, lat\\)"),
    ],
)
def test_distance_to_origins_rejects(
    origins: list[object], lon: list[float], lat: list[float], match: str
) -> None:
    with pytest.raises(InputError, match=match):
        distance_to_origins(origins, lon, lat)  # type: ignore[arg-type]


def test_distance_to_origins_of_no_points() -> None:
    metres, index = distance_to_origins([SUMY], [], [])
    assert metres.shape == index.shape == (0,)


def test_countries_go_through_the_one_country_check(sumy_300km: Polygon) -> None:
    by_code = within(sumy_300km, countries="RU")
    assert set(by_code["country"]) == {"RU"}
    for spelling in ("Russia", "Russian Federation", "rus", ["RU", "Russia"]):
        assert within(sumy_300km, countries=spelling).equals(by_code)
    said = r"^within: countries: 'Rusia' is not a country; .*did you mean 'Russia'"
    with pytest.raises(InputError, match=said):
        within(sumy_300km, countries=["UA", "Rusia"])


@pytest.mark.parametrize("seed", range(6))
def test_nearest_origin_is_the_exact_minimum(seed: int) -> None:
    """The spherical prefilter never changes the answer of solving every pair exactly."""
    from rangemap import geodesy
    from rangemap.places.within import _nearest

    rng = np.random.default_rng(seed)
    count = int(rng.integers(1, 120))
    if seed % 2:  # a dense front: many origins nearly as near as the nearest
        points = [(30 + rng.normal(), 50 + rng.normal()) for _ in range(count)]
    else:  # anywhere, poles and near-antipodes included
        points = [(rng.uniform(-180, 180), rng.uniform(-90, 90)) for _ in range(count)]
    points += points[:3]  # equal origins: the first wins, as with argmin
    lon = rng.uniform(-180, 180, 2_000)
    lat = rng.uniform(-90, 90, 2_000)
    distance, nearest = _nearest(points, lon, lat)
    cities = np.column_stack([lon, lat])
    every = np.vstack([geodesy.distance_m(p, cities) for p in points])
    expected = np.argmin(every, axis=0)
    assert np.array_equal(nearest, expected)
    assert np.array_equal(distance, every[expected, np.arange(len(lon))])


def test_a_countrys_cities_are_inside_it_even_where_the_border_misses_them() -> None:
    # Qingdao lies on the coast, a few hundred metres outside the generalised 1:50m
    # border; it is still a city of the origin, not a place "0.0 km" from China.
    china = Site.from_country("CN", label="China")
    assert china.country == "CN"
    qingdao = geocode("Qingdao")
    disc = ring(qingdao.lonlat, 100_000)
    shown = within(disc, origins=[china])
    assert "CN" not in set(shown["country"])
    marked = within(disc, origins=[china], include_origins=True)
    cn = marked["country"] == "CN"
    assert cn.any()
    assert marked.loc[cn, "origin"].all()
    assert not marked.loc[~cn, "origin"].any()


def test_a_reach_containing_kyiv_lists_kyiv_once_and_none_of_its_districts() -> None:
    kyiv = geocode("Kyiv")
    table = within(buffer(Point(31.0, 50.9), 150_000), origins=[Point(31.0, 50.9)])
    assert list(table["geonameid"]).count(kyiv.geonameid) == 1
    # Obolon, Desna, Darnytsya (districts GeoNames lists as places) are not cities.
    assert not {8519916, 13546519, 13580095} & set(table["geonameid"].tolist())
    near = distance_to(Point(kyiv.lon, kyiv.lat), table["lon"], table["lat"]) < 12_000
    assert list(table.loc[near & (table["region"] == "12"), "name"]) == ["Kyiv"]


@pytest.mark.parametrize(
    "kwargs",
    [
        {"origins": [SUMY]},
        {"origins": [SUMY], "include_origins": True, "rename": {"Kursk": "Kursk (oblast)"}},
        {"min_population": 100_000},
        {"origins": [SUMY], "countries": "RU", "exclude": ["Belgorod"]},
    ],
)
def test_within_columns_are_the_table_without_geopandas(
    sumy_300km: Polygon, kwargs: dict[str, object]
) -> None:
    table = within(sumy_300km, **kwargs)  # type: ignore[arg-type]
    columns = within_columns(sumy_300km, **kwargs)  # type: ignore[arg-type]
    assert [*columns, "geometry"] == list(table.columns)
    assert len(table) > 0
    for key, column in columns.items():
        assert isinstance(column, np.ndarray)
        assert column.tolist() == table[key].tolist(), key
    assert [(p.x, p.y) for p in table.geometry] == list(
        zip(columns["lon"].tolist(), columns["lat"].tolist(), strict=True)
    )


def test_within_columns_check_as_within_does(sumy_300km: Polygon) -> None:
    with pytest.raises(InputError, match="within: min_population"):
        within_columns(sumy_300km, min_population=-1)
