"""Places in range: the gazetteer cities inside a shape, with geodesic distances.

This module owns :func:`within` (vectorised: a bounding-box filter, then
``shapely.intersects_xy`` on a prepared geometry, then geodesic distances from
:func:`rangemap.geodesy.distance_m` for the survivors), its numpy columns without
geopandas for the renderers (:func:`within_columns`) and
:func:`population_of_listed_cities`. A sum of city populations is what it says, the
population of the listed cities, never the population of an area: nobody outside
the listed cities is counted, and where GeoNames counts a suburb or a district apart
from its city (the gazetteer leaves out the districts it can tell), those people may be
counted in both.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Iterable, Mapping, Sequence
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
from rangemap.places.names import normalize_name, normalize_names
from rangemap.places.site import Site
from rangemap.regions import country_codes

if TYPE_CHECKING:
    import geopandas

__all__ = [
    "ORIGIN_M",
    "POPULATION_LABEL",
    "distance_to_origins",
    "population_of_listed_cities",
    "within",
    "within_columns",
]

#: How to label the sum of the ``population`` column of a :func:`within` table.
POPULATION_LABEL = "population of listed cities"


def _as_site(origin: Any) -> Site:
    """Turn one origin of any accepted form into a :class:`Site`."""
    if isinstance(origin, Site):
        return origin
    if isinstance(origin, Place):
        return Site(Point(origin.lon, origin.lat), origin.name)
    if isinstance(origin, BaseGeometry):
        geometry: BaseGeometry = origin
    elif (
        isinstance(origin, tuple | list)
        and len(origin) == 2
        and all(isinstance(v, int | float) and not isinstance(v, bool) for v in origin)
    ):
        lon, lat = float(origin[0]), float(origin[1])
        if not (-180 <= lon <= 180 and -90 <= lat <= 90):
            msg = f"within: origins: ({quote(lon)}, {quote(lat)}) is not (lon, lat) in degrees"
            raise InputError(msg)
        geometry = Point(lon, lat)
    else:
        msg = (
            f"within: origins: {quote(origin)} is not an origin; give Sites (points, lines or "
            "territories), Places, shapely geometries or (lon, lat) tuples, for example "
            "[parse_origin('Sumy')]"
        )
        raise InputError(msg)
    try:
        return Site(geometry)
    except InputError as err:
        msg = f"within: origins: {err}"
        raise InputError(msg) from None


def _origin_sites(origins: Iterable[Any]) -> tuple[list[Site], list[str]]:
    """Return a :class:`Site` and a label for each origin."""
    sites: list[Site] = []
    labels: list[str] = []
    for origin in origins:
        site = _as_site(origin)
        sites.append(site)
        if site.label:
            labels.append(site.label)
        elif site.is_point:
            labels.append(f"{site.lat:.5f}, {site.lon:.5f}")
        else:
            labels.append(site.geometry.geom_type)
    return sites, labels


#: A sphere's radius in metres (the mean Earth radius): spherical distances pick the
#: origins that can be nearest before the exact ones are solved.
_SPHERE_M = 6_371_008.8
#: How far a spherical distance can be from the geodesic one on WGS84: well under 1 %
#: of the distance (the flattening is 0.34 %), so 1 % plus 1 km is a safe margin.
_SPHERE_SLACK = (1.01, 1_000.0)


def _unit(lam: npt.NDArray[np.float64], phi: npt.NDArray[np.float64]) -> npt.NDArray[np.float64]:
    """Return unit vectors of points on the sphere, from longitude and latitude in radians."""
    cos_phi = np.cos(phi)
    return np.column_stack([cos_phi * np.cos(lam), cos_phi * np.sin(lam), np.sin(phi)])


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
    # Cosines of the angles between every origin and city: one product of unit vectors.
    cosines = _unit(origin[:, 0], origin[:, 1]) @ _unit(np.radians(lon), np.radians(lat)).T
    factor, extra = _SPHERE_SLACK
    nearest = np.arccos(np.clip(cosines.max(axis=0), -1.0, 1.0))
    bound = np.minimum(nearest * factor + extra / _SPHERE_M, np.pi)
    which, city = np.nonzero(cosines >= np.cos(bound)[None, :])
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


def distance_to_origins(
    origins: Sequence[Site], lon: npt.ArrayLike, lat: npt.ArrayLike
) -> tuple[npt.NDArray[np.float64], npt.NDArray[np.intp]]:
    """Return the geodesic distance to the nearest origin, and that origin's index.

    Origins of every kind count: from a point the distance is to the point, from a
    line to its nearest point, from a territory to its nearest boundary point, 0 inside
    it (:func:`rangemap.geodesy.distance_to`: exact on WGS84, well under 1 m).

    Parameters
    ----------
    origins : sequence of Site
        At least one origin: points, lines or territories.
    lon, lat : array_like
        The points, in degrees, as one-dimensional arrays of equal length (or scalars).

    Returns
    -------
    distance : numpy.ndarray of float64
        Metres to the nearest origin, one per point.
    index : numpy.ndarray of intp
        The index in ``origins`` of that origin; among equally near origins, the
        first.

    Raises
    ------
    InputError
        If there is no origin, an origin is not a :class:`Site`, or a point is not
        (lon, lat) in degrees.

    Examples
    --------
    >>> from rangemap.places import Site, parse_origin
    >>> origins = [parse_origin("Sumy"), Site.from_country("UA", label="Ukraine")]
    >>> metres, index = distance_to_origins(origins, [36.59, 30.52], [50.60, 50.45])
    >>> (metres / 1000).round(1).tolist(), index.tolist()   # Belgorod, Kyiv
    ([36.1, 0.0], [1, 1])
    """
    sites = list(origins)
    if not sites:
        msg = "distance_to_origins: origins is empty; give at least one Site"
        raise InputError(msg)
    for site in sites:
        if not isinstance(site, Site):
            msg = (
                f"distance_to_origins: {quote(site)} is not a Site; read origins with "
                "rangemap.places.as_sites(...) first"
            )
            raise InputError(msg)
    x = np.atleast_1d(np.asarray(lon, dtype=float)).ravel()
    y = np.atleast_1d(np.asarray(lat, dtype=float)).ravel()
    if x.shape != y.shape:
        msg = f"distance_to_origins: lon and lat differ in length ({x.size} and {y.size})"
        raise InputError(msg)
    bad = ~(np.isfinite(x) & np.isfinite(y) & (np.abs(x) <= 180) & (np.abs(y) <= 90))
    if bad.any():
        i = int(np.flatnonzero(bad)[0])
        msg = (
            f"distance_to_origins: point {i} ({quote(float(x[i]))}, {quote(float(y[i]))}) "
            "is not (lon, lat) in degrees"
        )
        raise InputError(msg)
    best = np.full(x.size, np.inf)
    which = np.zeros(x.size, dtype=np.intp)
    points = [i for i, site in enumerate(sites) if site.is_point]
    candidates: list[tuple[npt.NDArray[np.float64], npt.NDArray[np.intp]]] = []
    if points and x.size:
        metres, nearest = _nearest([(sites[i].lon, sites[i].lat) for i in points], x, y)
        candidates.append((metres, np.asarray(points, dtype=np.intp)[nearest]))
    for i, site in enumerate(sites):
        if not site.is_point and x.size:
            metres = geodesy.distance_to(site.geometry, x, y)
            candidates.append((metres, np.full(x.size, i, dtype=np.intp)))
    for metres, index in candidates:
        better = (metres < best) | ((metres == best) & (index < which))
        best = np.where(better, metres, best)
        which = np.where(better, index, which)
    return best, which


#: A city this near an origin (metres) is an origin itself: the city a point origin
#: was read from, a city on a line origin, a city inside a territory origin.
ORIGIN_M = 1.0


@functools.cache
def _normalized_gazetteer_names() -> tuple[str, ...]:
    """Return the gazetteer's names as :func:`normalize_name` reads them (computed once)."""
    return tuple(normalize_names(load_gazetteer().name))


def _matcher(entry: object, argument: str) -> tuple[str | None, str | None, int | None, str]:
    """Read an exclude/rename entry: (normalised name, country, GeoNames id, as typed)."""
    if isinstance(entry, int | np.integer) and not isinstance(entry, bool):
        return None, None, int(entry), str(entry)
    if not isinstance(entry, str) or not entry.strip():
        msg = (
            f"places: {argument}: {quote(entry)} is not a place; give a name ('Sumy'), "
            "'Name, CC' ('Kharkiv, UA') or a GeoNames id (706483)"
        )
        raise InputError(msg)
    text = entry.strip()
    if text.isdigit():
        return None, None, int(text), text
    name, comma, code = text.rpartition(",")
    if comma and len(code.strip()) == 2 and code.strip().isalpha() and name.strip():
        return normalize_name(name), code.strip().upper(), None, text
    return normalize_name(text), None, None, text


def _matches(
    key: tuple[str | None, str | None, int | None, str], rows: npt.NDArray[np.intp]
) -> npt.NDArray[np.bool_]:
    """Return which gazetteer rows an entry read by :func:`_matcher` names."""
    gazetteer = load_gazetteer()
    name, country, geonameid, _ = key
    if geonameid is not None:
        return np.asarray(gazetteer.geonameid[rows] == geonameid)
    normalized = _normalized_gazetteer_names()
    hit = np.fromiter((normalized[r] == name for r in rows), dtype=bool, count=rows.size)
    if country is not None:
        hit &= gazetteer.country[rows] == country
    return hit


def _read_entries(
    entries: Iterable[object], argument: str
) -> list[tuple[str | None, str | None, int | None, str]]:
    """Read exclude/rename entries; each must name some place of the gazetteer."""
    if isinstance(entries, str | bytes | int):
        entries = [entries]
    every = np.arange(len(load_gazetteer().geonameid), dtype=np.intp)
    keys = []
    for entry in entries:
        key = _matcher(entry, argument)
        if key[1] is not None and not _matches(key, every).any():
            # "Washington, DC": a name with a comma, not a name and a country code
            key = (normalize_name(key[3]), None, None, key[3])
        if not _matches(key, every).any():
            msg = (
                f"places: {argument}: {quote(key[3])} is not a gazetteer place; check the "
                "spelling, or give 'Name, CC' ('Kharkiv, UA') or a GeoNames id (706483)"
            )
            raise InputError(msg)
        keys.append(key)
    return keys


def within(
    shape: BaseGeometry | Any,
    *,
    origins: Iterable[Any] | None = None,
    min_population: int = 0,
    countries: str | Iterable[str] | None = None,
    include_origins: bool = False,
    exclude: Iterable[str | int] = (),
    rename: Mapping[str | int, str] | None = None,
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
        What to measure ``distance_km`` from (the nearest one counts): points, lines
        (front lines) and territories, as :class:`~rangemap.places.Site` objects, or
        :class:`~rangemap.places.Place`, shapely geometries, or ``(lon, lat)``
        tuples. From a line the distance is to its nearest point, from a territory to
        its nearest boundary point and 0 inside it (exact on WGS84, see
        :func:`distance_to_origins`). Without origins the table has no distance
        columns and is sorted by population.
    min_population : int, optional
        Leave out cities with fewer people (GeoNames figures).
    countries : str or iterable of str, optional
        Keep only cities in these countries (ISO alpha-2 or alpha-3 codes or
        English names: ``"RU"``, ``["UA", "Belarus"]``), as
        :func:`rangemap.regions.country_codes` reads them.
    include_origins : bool, optional
        A city within 1 m of an origin (:data:`ORIGIN_M`) is an origin itself: the
        city a point origin was read from ("Sumy" from Sumy), a city on a front line,
        a city inside a territory origin. Such rows are left out by default ("from
        Sumy" does not list Sumy at 0 km; "from Ukraine" does not list Kyiv). With
        ``True`` they are kept, and a bool column ``origin`` marks them (the column
        exists only then).
    exclude : iterable of str or int, optional
        Cities to leave out: a name (``"Sumy"``, matched with
        :func:`~rangemap.places.normalize_name`, so every city of that name),
        ``"Name, CC"`` (``"Kharkiv, UA"``) or a GeoNames id (``706483``).
    rename : mapping, optional
        Names to show instead of the gazetteer's, keyed like ``exclude``:
        ``{"Kyiv": "Kyiv (capital)"}``.

    Returns
    -------
    geopandas.GeoDataFrame
        One row per city, in EPSG:4326, with columns ``name`` (as shown: renamed
        where ``rename`` says so), ``gazetteer_name`` (always the gazetteer's name),
        ``country``, ``region`` (GeoNames admin1 code), ``region_name``,
        ``population``, ``lat``, ``lon``, ``geonameid``, then with origins
        ``distance_km`` (geodesic, WGS84) and ``nearest_origin`` (its label), with
        ``include_origins`` ``origin``, and ``geometry``.
        Sorted by distance (or population when there are no origins).
        ``attrs["credit"]`` holds :data:`~rangemap.places.GEONAMES_CREDIT`;
        sum the population with :func:`population_of_listed_cities`.

    Raises
    ------
    InputError
        If the shape is not polygonal, an origin cannot be read, a country is
        unknown, ``min_population`` is negative, or an ``exclude`` or ``rename``
        entry names no place of the gazetteer at all (one that is merely not in this
        table is fine).

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

    Sumy itself is an origin, left out unless asked for:

    >>> "Sumy" in set(within(disc, origins=[sumy])["name"])
    False
    >>> first = within(disc, origins=[sumy], include_origins=True,
    ...                rename={"Sumy, UA": "Sumy (launch area)"}).iloc[0]
    >>> first["name"], first["gazetteer_name"], bool(first["origin"])
    ('Sumy (launch area)', 'Sumy', True)
    """
    import geopandas  # only here: the columns need no pandas (see within_columns)

    columns = within_columns(
        shape,
        origins=origins,
        min_population=min_population,
        countries=countries,
        include_origins=include_origins,
        exclude=exclude,
        rename=rename,
    )
    frame = geopandas.GeoDataFrame(
        columns,
        geometry=geopandas.points_from_xy(columns["lon"], columns["lat"]),
        crs="EPSG:4326",
    )
    frame.attrs["credit"] = GEONAMES_CREDIT
    frame.attrs["population_label"] = POPULATION_LABEL
    return frame


def within_columns(
    shape: BaseGeometry | Any,
    *,
    origins: Iterable[Any] | None = None,
    min_population: int = 0,
    countries: str | Iterable[str] | None = None,
    include_origins: bool = False,
    exclude: Iterable[str | int] = (),
    rename: Mapping[str | int, str] | None = None,
) -> dict[str, npt.NDArray[Any]]:
    """Return the rows of :func:`within` as numpy columns, without pandas or geopandas.

    The same arguments, checks, rows, order and columns as :func:`within` (all but
    ``geometry``: the points are ``lon`` and ``lat``); text columns are object arrays.
    For renderers, which only read the columns: geopandas takes a tenth of a second to
    import.

    Examples
    --------
    >>> from rangemap.geodesy import ring
    >>> from rangemap.places import parse_origin
    >>> sumy = parse_origin("Sumy")
    >>> near = within_columns(ring((sumy.lon, sumy.lat), 300_000), origins=[sumy],
    ...                       min_population=300_000)
    >>> near["name"][:3].tolist(), near["distance_km"][:3].round(1).tolist()
    (['Belgorod', 'Kursk', 'Kharkiv'], [130.5, 132.1, 146.7])
    """
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
    sites: list[Site] = []
    labels: list[str] = []
    if origins is not None:
        sites, labels = _origin_sites(origins)
        if not sites:
            msg = "within: origins is empty; give at least one origin, or None for no distances"
            raise InputError(msg)
    excluded = _read_entries(exclude, "exclude")
    if rename is not None and not isinstance(rename, Mapping):
        msg = f"places: rename: {quote(rename)} is not a mapping; give {{'Kyiv': 'Kyiv (capital)'}}"
        raise InputError(msg)
    renames = dict(rename or {})
    for value in renames.values():
        if not isinstance(value, str) or not value.strip():
            msg = f"places: rename: {quote(value)} is not a name to show; give a non-empty text"
            raise InputError(msg)
    renamed = list(zip(_read_entries(renames, "rename"), renames.values(), strict=True))

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
    for key in excluded:
        rows = rows[~_matches(key, rows)]

    distance_m = np.empty(0)
    nearest = np.empty(0, dtype=np.intp)
    if sites:
        distance_m, nearest = distance_to_origins(sites, gazetteer.lon[rows], gazetteer.lat[rows])
        is_origin = distance_m <= ORIGIN_M
        # A country's cities are inside it, coastal ones the generalised border misses too.
        codes = sorted({site.country for site in sites if site.country})
        if codes:
            is_origin |= np.isin(gazetteer.country[rows], codes)
        if not include_origins:
            rows, distance_m, nearest = (
                rows[~is_origin],
                distance_m[~is_origin],
                nearest[~is_origin],
            )

    names = gazetteer.name.take(rows)
    shown = list(names)
    for key, new_name in renamed:
        for i in np.flatnonzero(_matches(key, rows)):
            shown[i] = new_name
    data: dict[str, Any] = {
        "name": shown,
        "gazetteer_name": names,
        "country": gazetteer.country[rows].astype(object),
        "region": gazetteer.admin1.take(rows),
        "region_name": [name or None for name in gazetteer.region_name.take(rows)],
        "population": gazetteer.population[rows],
        "lat": gazetteer.lat[rows],
        "lon": gazetteer.lon[rows],
        "geonameid": gazetteer.geonameid[rows],
    }
    population = gazetteer.population[rows]
    if sites:
        data["distance_km"] = distance_m / 1000.0
        data["nearest_origin"] = [labels[i] for i in nearest]
        if include_origins:
            data["origin"] = is_origin
        order = np.lexsort((gazetteer.geonameid[rows], -population, distance_m))
    else:
        order = np.lexsort((gazetteer.geonameid[rows], -population))
    return {
        key: np.asarray(value, dtype=object if isinstance(value, list) else None)[order]
        for key, value in data.items()
    }


def population_of_listed_cities(frame: geopandas.GeoDataFrame | Any) -> int:
    """Return the summed population of the cities in a :func:`within` table.

    This is the population of the listed cities (GeoNames figures), not of the
    area they lie in: label it with :data:`POPULATION_LABEL`. Where GeoNames counts
    a suburb or district apart from its city, those people may be counted in both.

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
