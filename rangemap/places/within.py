"""Places in range: the gazetteer cities inside a shape, with geodesic distances.

This module owns :func:`within` (vectorised: a bounding-box filter, then
``shapely.intersects_xy`` on a prepared geometry, then geodesic distances from
:func:`rangemap.geodesy.distance_m` for the survivors) and
:func:`population_of_listed_cities`. A sum of city populations is what it says, the
population of the listed cities, never the population of an area: nobody outside
the listed cities is counted, and GeoNames lists some city districts (Saltivka in
Kharkiv, Darnytsia in Kyiv) apart from their city, so their people are counted twice.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any

import numpy as np
import numpy.typing as npt
import shapely
from shapely.geometry import Point
from shapely.geometry.base import BaseGeometry

from rangemap import geodesy
from rangemap.errors import InputError
from rangemap.escaping import quote
from rangemap.places.gazetteer import GEONAMES_CREDIT, Place, load_gazetteer
from rangemap.places.site import Site
from rangemap.regions import country_codes

if TYPE_CHECKING:
    import geopandas

__all__ = ["POPULATION_LABEL", "population_of_listed_cities", "within"]

#: How to label the sum of the ``population`` column of a :func:`within` table.
POPULATION_LABEL = "population of listed cities"


def _origin_points(origins: Iterable[Any]) -> tuple[list[tuple[float, float]], list[str]]:
    """Return ``(lon, lat)`` and a label for each origin."""
    points: list[tuple[float, float]] = []
    labels: list[str] = []
    for origin in origins:
        label: str | None
        if isinstance(origin, Place):
            lon, lat, label = origin.lon, origin.lat, origin.name
        else:
            geometry = origin.geometry if isinstance(origin, Site) else origin
            label = origin.label if isinstance(origin, Site) else None
            if isinstance(geometry, Point):
                lon, lat = geometry.x, geometry.y
            elif (
                isinstance(geometry, tuple | list)
                and len(geometry) == 2
                and all(isinstance(v, int | float) for v in geometry)
            ):
                lon, lat = float(geometry[0]), float(geometry[1])
            else:
                msg = (
                    f"within: origins: {quote(origin)} is not a point; distances are measured "
                    "from points: give point Sites, Places, shapely Points or (lon, lat) "
                    "tuples, for example [parse_origin('Sumy')]"
                )
                raise InputError(msg)
        if not (-180 <= lon <= 180 and -90 <= lat <= 90):
            msg = f"within: origins: ({quote(lon)}, {quote(lat)}) is not (lon, lat) in degrees"
            raise InputError(msg)
        points.append((float(lon), float(lat)))
        labels.append(label or f"{lat:.5f}, {lon:.5f}")
    return points, labels


#: A sphere's radius in metres (the mean Earth radius): spherical distances pick the
#: origins that can be nearest before the exact ones are solved.
_SPHERE_M = 6_371_008.8
#: How far a spherical distance can be from the geodesic one on WGS84: well under 1 %
#: of the distance (the flattening is 0.34 %), so 1 % plus 1 km is a safe margin.
_SPHERE_SLACK = (1.01, 1_000.0)


def _nearest(
    points: Sequence[tuple[float, float]],
    lon: npt.NDArray[np.float64],
    lat: npt.NDArray[np.float64],
) -> tuple[npt.NDArray[np.float64], npt.NDArray[np.intp]]:
    """Geodesic distance in metres to the nearest point, and that point's index.

    Spherical distances to every point first; the exact geodesic (Karney, as
    :func:`rangemap.geodesy.distance_m`) only for the points that can be nearest, those
    within the margin of the spherical minimum. The result is the exact minimum, ties
    going to the first point, as if every pair had been solved.
    """
    if len(lon) == 0:
        return np.empty(0), np.empty(0, dtype=np.intp)
    origin = np.radians(np.asarray(points, dtype=float))
    lam, phi = np.radians(lon), np.radians(lat)
    half_dphi = (phi[None, :] - origin[:, 1:2]) / 2
    half_dlam = (lam[None, :] - origin[:, 0:1]) / 2
    hav = np.sin(half_dphi) ** 2 + np.cos(origin[:, 1:2]) * np.cos(phi)[None, :] * (
        np.sin(half_dlam) ** 2
    )
    sphere = 2 * _SPHERE_M * np.arcsin(np.sqrt(np.clip(hav, 0.0, 1.0)))
    factor, extra = _SPHERE_SLACK
    bound = sphere.min(axis=0) * factor + extra
    which, city = np.nonzero(sphere <= bound[None, :])
    cities = np.column_stack([lon, lat])
    exact = np.asarray(
        geodesy.distance_m(np.asarray(points, dtype=float)[which], cities[city]), dtype=float
    )
    # For each city, the smallest exact distance, the first point among equals.
    order = np.lexsort((which, exact, city))
    first = np.ones(len(order), dtype=bool)
    first[1:] = city[order][1:] != city[order][:-1]
    chosen = order[first]
    return exact[chosen], which[chosen].astype(np.intp)


def within(
    shape: BaseGeometry | Any,
    *,
    origins: Iterable[Any] | None = None,
    min_population: int = 0,
    countries: str | Iterable[str] | None = None,
) -> geopandas.GeoDataFrame:
    """Return the gazetteer cities inside a shape, nearest first.

    Parameters
    ----------
    shape : shapely geometry
        A polygon or multipolygon in EPSG:4326, such as a reach (split at ±180°
        into a MultiPolygon where it crosses the antimeridian); an object with a
        ``geometry`` attribute (a reach) is also accepted. Cities on the boundary
        count as inside.
    origins : iterable, optional
        Points to measure ``distance_km`` from (the nearest one counts): point
        :class:`~rangemap.places.Site` objects, :class:`~rangemap.places.Place`,
        shapely ``Point``, or ``(lon, lat)`` tuples. Without origins the table has no
        distance columns and is sorted by population.
    min_population : int, optional
        Leave out cities with fewer people (GeoNames figures).
    countries : str or iterable of str, optional
        Keep only cities in these countries (ISO alpha-2 or alpha-3 codes or
        English names: ``"RU"``, ``["UA", "Belarus"]``), as
        :func:`rangemap.regions.country_codes` reads them.

    Returns
    -------
    geopandas.GeoDataFrame
        One row per city, in EPSG:4326, with columns ``name``, ``country``,
        ``region`` (GeoNames admin1 code), ``region_name``, ``population``,
        ``lat``, ``lon``, ``geonameid``, then with origins ``distance_km``
        (geodesic, WGS84) and ``nearest_origin`` (its label), and ``geometry``.
        Sorted by distance (or population when there are no origins).
        ``attrs["credit"]`` holds :data:`~rangemap.places.GEONAMES_CREDIT`;
        sum the population with :func:`population_of_listed_cities`.

    Raises
    ------
    InputError
        If the shape is not polygonal, an origin is not a point, a country is
        unknown, or ``min_population`` is negative.

    Examples
    --------
    >>> from rangemap.geodesy import ring
    >>> from rangemap.places import parse_origin
    >>> sumy = parse_origin("Sumy")
    >>> disc = ring((sumy.lon, sumy.lat), 300_000)  # everything within 300 km of Sumy
    >>> near = within(disc, origins=[sumy], min_population=300_000)
    >>> list(near["name"][:3])
    ['Belgorod', 'Kursk', 'Kharkiv']
    >>> near["distance_km"][:3].round(1).tolist()
    [130.5, 132.1, 146.7]
    """
    import geopandas

    geometry = getattr(shape, "geometry", shape)
    if not isinstance(geometry, BaseGeometry) or not (
        geometry.is_empty
        or isinstance(geometry, shapely.Polygon | shapely.MultiPolygon)
        or (
            isinstance(geometry, shapely.GeometryCollection)
            and all(isinstance(g, shapely.Polygon | shapely.MultiPolygon) for g in geometry.geoms)
        )
    ):
        kind = geometry.geom_type if isinstance(geometry, BaseGeometry) else type(geometry).__name__
        msg = (
            f"within: shape is a {kind}; give a Polygon or MultiPolygon in (lon, lat) degrees, "
            "such as a reach's geometry"
        )
        raise InputError(msg)
    if (
        isinstance(min_population, bool)
        or not isinstance(min_population, int | np.integer)
        or min_population < 0
    ):
        msg = (
            f"within: min_population={quote(min_population)} must be a whole number of people, "
            "0 or more, for example 100_000"
        )
        raise InputError(msg)

    gazetteer = load_gazetteer()
    keep = gazetteer.population >= min_population
    if countries is not None:
        wanted = country_codes(countries, argument="within: countries")
        keep &= np.isin(gazetteer.country, sorted(wanted))

    if not geometry.is_empty:
        minx, miny, maxx, maxy = geometry.bounds
        lon, lat = gazetteer.lon, gazetteer.lat
        keep &= (lon >= minx) & (lon <= maxx) & (lat >= miny) & (lat <= maxy)
        rows = np.flatnonzero(keep)
        shapely.prepare(geometry)
        rows = rows[shapely.intersects_xy(geometry, lon[rows], lat[rows])]
    else:
        rows = np.flatnonzero(np.zeros(len(gazetteer), dtype=bool))

    data: dict[str, Any] = {
        "name": [gazetteer.name[r] for r in rows],
        "country": gazetteer.country[rows].astype(object),
        "region": [gazetteer.admin1[r] for r in rows],
        "region_name": [gazetteer.region_name[r] or None for r in rows],
        "population": gazetteer.population[rows],
        "lat": gazetteer.lat[rows],
        "lon": gazetteer.lon[rows],
        "geonameid": gazetteer.geonameid[rows],
    }
    population = gazetteer.population[rows]
    if origins is not None:
        points, labels = _origin_points(origins)
        if not points:
            msg = "within: origins is empty; give at least one point, or None for no distances"
            raise InputError(msg)
        distance_m, nearest = _nearest(points, data["lon"], data["lat"])
        data["distance_km"] = distance_m / 1000.0
        data["nearest_origin"] = [labels[i] for i in nearest]
        order = np.lexsort((gazetteer.geonameid[rows], -population, distance_m))
    else:
        order = np.lexsort((gazetteer.geonameid[rows], -population))
    columns = {
        key: np.asarray(value, dtype=object if isinstance(value, list) else None)[order]
        for key, value in data.items()
    }
    frame = geopandas.GeoDataFrame(
        columns,
        geometry=geopandas.points_from_xy(columns["lon"], columns["lat"]),
        crs="EPSG:4326",
    )
    frame.attrs["credit"] = GEONAMES_CREDIT
    frame.attrs["population_label"] = POPULATION_LABEL
    return frame


def population_of_listed_cities(frame: geopandas.GeoDataFrame | Any) -> int:
    """Return the summed population of the cities in a :func:`within` table.

    This is the population of the listed cities (GeoNames figures), not of the
    area they lie in: label it with :data:`POPULATION_LABEL`. GeoNames lists some
    districts apart from their city (Saltivka in Kharkiv), and those people are
    counted in both.

    Parameters
    ----------
    frame : DataFrame
        A table with a ``population`` column, as :func:`within` returns.

    Returns
    -------
    int
        The sum; 0 for an empty table.

    Examples
    --------
    >>> import pandas as pd
    >>> population_of_listed_cities(pd.DataFrame({"population": [256_474, 1_421_125]}))
    1677599
    """
    if "population" not in getattr(frame, "columns", ()):
        msg = "population_of_listed_cities: the table has no 'population' column; pass within()'s"
        raise InputError(msg)
    total = frame["population"].sum()
    return int(total) if math.isfinite(total) else 0
