from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
import shapely
from pyproj import Geod
from shapely.geometry import LineString, MultiPolygon, Point, Polygon, box

from rangemap.errors import InputError
from rangemap.geodesy import ring
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

GEOD = Geod(ellps="WGS84")
SUMY = parse_origin("Sumy")


@pytest.fixture(scope="module")
def sumy_300km() -> Polygon:
    return ring((SUMY.lon, SUMY.lat), 300_000)


def test_sumy_300_km(sumy_300km: Polygon) -> None:
    near = within(sumy_300km, origins=[SUMY])
    names = set(near["name"])
    assert {"Kursk", "Belgorod", "Kharkiv", "Sumy"} <= names
    assert "Moscow" not in names
    assert near["distance_km"].max() <= 300.0 + 0.03  # the drawn edge is within 30 m
    assert list(near["distance_km"]) == sorted(near["distance_km"])
    assert near.iloc[0]["name"] == "Sumy"
    assert near.crs.to_epsg() == 4326


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
    near = within(shape, origins=[SUMY, kharkiv]).set_index("name")
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
    near = within(reach, origins=[suva]).set_index("geonameid")
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
        ({"origins": [LineString([(30, 50), (31, 51)])]}, "is not a point"),
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


def test_a_line_site_is_not_a_distance_origin(sumy_300km: Polygon) -> None:
    front = Site(LineString([(36.23, 49.99), (37.80, 48.02)]), "Front line")
    said = r"^within: origins: Site\(.*'Front line'\) is not a point"
    with pytest.raises(InputError, match=said):
        within(sumy_300km, origins=[front])


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
