"""Origins: :class:`Site`, the point, line or territory a reach is measured from.

This module owns :class:`Site` (a shapely geometry in EPSG:4326 and the label printed
on maps), reading one from text (:meth:`Site.from_text`, :func:`parse_origin`: a place
name, ``"LAT, LON"``, a country in English or its own languages, or the path of a
GeoJSON/GeoPackage/KML/Shapefile file, optionally ``=Label``) or from a country's
territory (:meth:`Site.from_country`), the one line saying what a name was read as
(:attr:`Site.resolved`), and :func:`as_sites`, the one normaliser of origins: the
Python API (:mod:`rangemap.reach`), recipes and the command line's ``--from`` all go
through it.

>>> as_sites(["Sumy", "49.99, 36.23=Kharkiv"])[1]
Site(geometry=<POINT (36.23 49.99)>, label='Kharkiv')
"""

from __future__ import annotations

import functools
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TypeAlias

import shapely
from shapely.geometry import Point
from shapely.geometry.base import BaseGeometry

from rangemap import regions
from rangemap.errors import InputError, PlaceNotFoundError
from rangemap.escaping import quote
from rangemap.places.gazetteer import Place, load_gazetteer
from rangemap.places.geocode import SHORT_NAME_MIN_POPULATION, check_encoding, geocode
from rangemap.places.names import normalize_name
from rangemap.regions import countries_named, country, country_codes

__all__ = ["OriginLike", "Site", "as_sites", "describe_place", "parse_origin"]


@dataclass(frozen=True, slots=True)
class Site:
    """An origin a reach is measured from: a point, line or polygon, with a label.

    Parameters
    ----------
    geometry : shapely geometry
        In EPSG:4326, (lon, lat) order: a Point (a city, a launch site), a LineString
        (a front line) or a Polygon or MultiPolygon (a territory).
    label : str or None
        The name printed on maps, such as ``"Sumy"``; ``None`` for a bare point.
    resolved : str or None
        What a name or file typed was read as, in one line: a gazetteer place with its
        region, country, coordinates and population (:func:`describe_place`),
        ``"territory of China (CN)"``, ``"line from front.geojson (12 vertices,
        412 km)"``; ``None`` for coordinates and shapes given as such. Commands print
        it, so no name is resolved silently.
    country : str or None
        The ISO 3166-1 alpha-2 code of a country whose territory the site is
        (:meth:`from_country`): the gazetteer's cities of that country count as inside
        the origin even where the generalised border leaves a coastal city just outside.

    Raises
    ------
    InputError
        If the geometry is not a non-empty shapely geometry in longitude/latitude.

    Examples
    --------
    >>> Site.from_text("50.91, 34.80=Sumy")
    Site(geometry=<POINT (34.8 50.91)>, label='Sumy')
    >>> Site(Point(36.23, 49.99), "Kharkiv").lon
    36.23
    """

    geometry: BaseGeometry
    label: str | None = None
    resolved: str | None = field(default=None, repr=False, compare=False)
    country: str | None = field(default=None, repr=False, compare=False)

    def __post_init__(self) -> None:
        if not isinstance(self.geometry, BaseGeometry) or self.geometry.is_empty:
            msg = (
                f"origin: {quote(self.geometry)} is not a non-empty shapely geometry; give a "
                "Point(lon, lat), a LineString, a Polygon or a place such as 'Sumy'"
            )
            raise InputError(msg)
        minx, miny, maxx, maxy = self.geometry.bounds
        if not (-180 <= minx <= maxx <= 180 and -90 <= miny <= maxy <= 90):
            msg = (
                f"origin {quote(self.label or self.geometry.geom_type)}: bounds "
                f"{self.geometry.bounds} are outside longitude -180..180 and latitude "
                "-90..90; give coordinates in degrees, (lon, lat) order"
            )
            raise InputError(msg)

    @classmethod
    def from_text(cls, text: str, *, argument: str = "origin") -> Site:
        """Read ``"LAT, LON"``, a place name such as ``"Sumy"``, a country, or a file.

        Parameters
        ----------
        text : str
            One of, tried in this order:

            - the path of an existing GeoJSON (``.geojson``, ``.json``), GeoPackage
              (``.gpkg``), KML (``.kml``) or Shapefile (``.shp``, or a ``.zip`` holding
              one), read by :func:`rangemap.regions.read` as recipes read ``file:``
              origins: its lines are a line origin (a front), its polygons a territory;
            - ``"LAT, LON"`` (any form :func:`~rangemap.places.parse_latlon` reads);
            - a country, whose territory is the origin: by its English name
              (``"China"``, ``"Ukraine"``), a common abbreviation (``"USA"``, ``"UK"``,
              ``"UAE"``, ``"DRC"``), or, with the ``country:`` prefix, its ISO code
              (``"country:CN"``, ``"country:UKR"``); where such a name is also a
              town's, the country wins: write ``"Poland, US"`` for the town;
            - a place name the bundled gazetteer knows (``"Sumy"``, ``"Kharkiv, UA"``,
              ``"Київ"``), as :func:`~rangemap.places.geocode` reads it;
            - a country by its name in its own languages or in a major one
              (``"Україна"``, ``"中国"``, ``"Deutschland"``, ``"Польша"``), unless a
              city of 100,000 people or more bears that name.

            Any of them may be followed by ``=Label`` to set the label printed on maps.
        argument : str, optional
            The argument or field name used in error messages.

        Returns
        -------
        Site
            A point, a line or a territory; its label is the ``=Label`` text, else the
            place's or country's name or the file's stem, else ``None`` for a bare
            coordinate. :attr:`resolved` says what a name or file was read as.

        Raises
        ------
        InputError
            If the text is empty or mis-encoded, a coordinate is malformed, or a file
            cannot be read (the message names the file).
        PlaceNotFoundError
            If a place name is not in the gazetteer (the message suggests close ones),
            is too short, or (:class:`~rangemap.errors.AmbiguousPlaceError`) names
            comparable cities in different countries.

        Examples
        --------
        >>> Site.from_text("Kharkiv, UA").label
        'Kharkiv'
        >>> china = Site.from_text("China")
        >>> china.geometry.geom_type, china.resolved
        ('MultiPolygon', 'territory of China (CN)')
        >>> Site.from_text("Україна").label
        'Ukraine'
        >>> Site.from_text("Ufa").resolved  # doctest: +ELLIPSIS
        'Ufa, ...RU — 54.7... N, 55.9... E, population ...'
        """
        if not isinstance(text, str) or not text.strip():
            msg = (
                f"{argument}: {quote(text)} is empty; give a place name or latitude, longitude, "
                "for example 'Sumy', 'Kharkiv, UA' or '50.91, 34.80=Launch site'"
            )
            raise InputError(msg)
        check_encoding(text, argument=argument)
        whole = _file_origin(text, None, argument)
        if whole is not None:
            return whole
        where, eq, label_text = text.partition("=")
        label: str | None = label_text.strip() or None
        if eq and label is None:
            msg = (
                f"{argument}: {quote(text)} has an empty label after '='; "
                "write 'Sumy=Label' or drop '='"
            )
            raise InputError(msg)
        from_file = _file_origin(where, label, argument)
        if from_file is not None:
            return from_file
        territory = _country_named(where)
        if territory is None and where.strip().lower().startswith(_COUNTRY_PREFIX):
            code = where.strip()[len(_COUNTRY_PREFIX) :].strip()
            regions.country_codes(code, argument=f"{argument}: {quote(where.strip())}")
        if territory is None and not load_gazetteer().rows_named(normalize_name(where)):
            territory = _country_named(where, local=True)  # no city: no suggestions needed
        place: Place | None = None
        if territory is None:
            try:
                place = geocode(where, argument=argument)
            except PlaceNotFoundError:  # a miss, a short or an ambiguous name
                territory = _country_named(where, local=True)
                if territory is None:
                    raise
            else:
                if place.geonameid is not None and place.population < _LOCAL_NAME_FLOOR:
                    territory = _country_named(where, local=True)
        if territory is not None:
            code, name = territory
            site = cls.from_country(code, label=label or name, argument=argument)
            return cls(site.geometry, site.label, f"territory of {name} ({code})", site.country)
        assert place is not None  # geocode returned or raised
        if place.geonameid is None:
            return cls(Point(place.lon, place.lat), label)
        return cls(Point(place.lon, place.lat), label or place.name, describe_place(place))

    @classmethod
    def from_country(
        cls, name_or_iso: str, *, label: str | None = None, argument: str = "origin"
    ) -> Site:
        """Use a country's territory (from the bundled boundaries) as the origin.

        Parameters
        ----------
        name_or_iso : str
            A country name or ISO 3166-1 code, such as ``"UA"`` or ``"Ukraine"``.
        label : str, optional
            The name printed on maps; the code or name given when omitted.
        argument : str, optional
            The argument or field name used in error messages.

        Returns
        -------
        Site
            The country's Polygon or MultiPolygon (split at ±180).

        Raises
        ------
        InputError
            If the bundled boundaries have no such country.

        Examples
        --------
        >>> Site.from_country("UA", label="Ukraine").geometry.geom_type
        'MultiPolygon'
        """
        try:
            territory = country(name_or_iso)
        except InputError as err:
            msg = f"{argument}: {err}"
            raise InputError(msg) from None
        codes = country_codes(name_or_iso, argument=argument)
        code = codes[0] if len(codes) == 1 else None
        return cls(territory, label if label is not None else name_or_iso, None, code)

    @property
    def is_point(self) -> bool:
        """Whether the site is a single point."""
        return isinstance(self.geometry, Point)

    @property
    def lon(self) -> float:
        """The longitude of a point site, in degrees."""
        return float(self._point().x)

    @property
    def lat(self) -> float:
        """The latitude of a point site, in degrees."""
        return float(self._point().y)

    def _point(self) -> Point:
        if not isinstance(self.geometry, Point):
            msg = (
                f"origin {quote(self.label or self.geometry.geom_type)} is a "
                f"{self.geometry.geom_type}, not a point; it has no single longitude and "
                "latitude (use its geometry)"
            )
            raise InputError(msg)
        return self.geometry


def parse_origin(text: str, *, argument: str = "--from") -> Site:
    """Read an origin; :meth:`Site.from_text`, with error messages naming ``--from``.

    Examples
    --------
    >>> parse_origin("50.91, 34.80=Sumy airfield")
    Site(geometry=<POINT (34.8 50.91)>, label='Sumy airfield')
    >>> parse_origin("Kharkiv, UA").label
    'Kharkiv'
    """
    return Site.from_text(text, argument=argument)


_COUNTRY_PREFIX = "country:"
#: Abbreviations people write for countries, read without the ``country:`` prefix
#: although they are three letters or fewer (other codes need the prefix: "US" or
#: "UA" alone are more often typos or airport codes than countries).
_ABBREVIATIONS = {"usa": "US", "uk": "GB", "uae": "AE", "drc": "CD", "prc": "CN", "rok": "KR"}
#: Languages whose names of every country are read (``"Польша"``, ``"Allemagne"``),
#: besides each country's own official languages (``"Deutschland"``, ``"Україна"``).
_MAJOR_LANGUAGES = (
    "ar", "de", "en", "es", "fa", "fr", "he", "hi", "it", "ja", "ko", "pl", "pt", "ru", "tr",
    "uk", "zh",
)  # fmt: skip


@functools.cache
def _local_country_names() -> dict[str, str]:
    """Return normalised country names in many languages -> ISO alpha-2 code.

    From Babel's CLDR territory names: every country's name in its official and de facto
    official languages, and in :data:`_MAJOR_LANGUAGES`. A spelling two countries share
    is left out, as are ASCII spellings of three letters or fewer (see
    :data:`_ABBREVIATIONS`). Built once, on the first name that is not an English one
    (about a quarter of a second).
    """
    from babel import Locale, UnknownLocaleError, localedata
    from babel.core import get_global

    available = set(localedata.locale_identifiers())
    official = {"official", "de_facto_official"}
    wanted: dict[str, set[str] | None] = {lang: None for lang in _MAJOR_LANGUAGES}
    for territory, languages in get_global("territory_languages").items():
        for language, info in languages.items():
            if info.get("official_status") in official and wanted.get(language, set()) is not None:
                wanted.setdefault(language, set()).add(territory)  # type: ignore[union-attr]
    found: dict[str, set[str]] = {}
    for language, territories in sorted(wanted.items()):
        if language not in available:
            continue
        try:
            names = Locale.parse(language).territories
        except (UnknownLocaleError, ValueError):  # pragma: no cover - Babel's own data
            continue
        for code, name in names.items():
            if territories is not None and code not in territories:
                continue
            if len(code) != 2 or countries_named(code) != {code}:
                continue  # a region ("Europe"), or a code rangemap does not know
            key = normalize_name(name)
            if key and not (key.isascii() and len(key) <= 3):
                found.setdefault(key, set()).add(code)
    return {key: codes.pop() for key, codes in found.items() if len(codes) == 1}


#: A country's name in another language than English is read as the country unless a
#: city of this many people bears it ("الجزائر" is Algiers, as Arabic writes both it and
#: Algeria so). It is :data:`~rangemap.places.geocode.SHORT_NAME_MIN_POPULATION`: a
#: city people can mean by a name alone.
_LOCAL_NAME_FLOOR = SHORT_NAME_MIN_POPULATION


def _country_named(text: str, *, local: bool = False) -> tuple[str, str] | None:
    """Return ``(code, English name)`` if ``text`` names one country, else ``None``.

    An English name counts from four characters on (``"Chad"``, ``"Iran"``); of
    shorter text, only :data:`_ABBREVIATIONS`; a code only with the ``country:``
    prefix, so ``"US"`` or ``"UA"`` alone are never read as countries. With ``local``,
    also a name from :func:`_local_country_names`, of any length (``"中国"``):
    :meth:`Site.from_text` asks for those only when no city of
    :data:`_LOCAL_NAME_FLOOR` people bears the name, so the table is built only then.
    A name followed by a country code (``"Poland, US"``) is a town.
    """
    raw = text.strip()
    prefixed = raw.lower().startswith(_COUNTRY_PREFIX)
    name = raw[len(_COUNTRY_PREFIX) :].strip() if prefixed else raw
    if not prefixed and "," in name:
        return None
    codes = countries_named(name) if prefixed or len(name) > 3 else frozenset()
    if not prefixed and not codes:
        key = normalize_name(name)
        if key in _ABBREVIATIONS:
            codes = frozenset({_ABBREVIATIONS[key]})
        elif local and key and not key.isdigit():
            found = _local_country_names().get(key)
            codes = frozenset({found}) if found else frozenset()
    if len(codes) != 1:
        return None
    (code,) = codes
    return code, load_gazetteer().country_names.get(code, code)


def describe_place(place: Place) -> str:
    """Say in one line which gazetteer place a name was read as.

    Parameters
    ----------
    place : Place
        A gazetteer place.

    Returns
    -------
    str
        Name, first-level region (where the bundled data names it), country,
        coordinates to four decimals (about 10 m) and population.

    Examples
    --------
    >>> from rangemap.places import geocode
    >>> describe_place(geocode("Springfield, Illinois"))  # doctest: +ELLIPSIS
    'Springfield, Illinois, US — 39.80... N, 89.64... W, population ...'
    """
    where = ", ".join(p for p in (place.name, place.region_name, place.country) if p)
    lat = f"{abs(place.lat):.4f} {'N' if place.lat >= 0 else 'S'}"
    lon = f"{abs(place.lon):.4f} {'E' if place.lon >= 0 else 'W'}"
    people = f"population {place.population:,}" if place.population else "population unknown"
    return f"{where} — {lat}, {lon}, {people}"


#: Suffixes of the files an origin may name (those :func:`rangemap.regions.read` reads).
_FILE_SUFFIXES = frozenset({".geojson", ".json", ".gpkg", ".kml", ".shp", ".zip"})


def _file_origin(text: str, label: str | None, argument: str) -> Site | None:
    """Read ``text`` as the path of a vector file, or return ``None`` if it is not one.

    Text ending in one of :data:`_FILE_SUFFIXES` is a path: a missing file is an
    error naming it. The file is read by :func:`rangemap.regions.read`, the reader
    of recipes' ``file:`` origins and territory files.
    """
    raw = text.strip()
    if Path(raw).suffix.lower() not in _FILE_SUFFIXES:
        return None
    try:
        path = Path(raw).expanduser()
    except RuntimeError:  # "~name/..." of a user this system does not know
        path = Path(raw)
    try:
        exists = path.is_file()
    except (OSError, ValueError):  # a name longer than the system allows, a NUL
        exists = False
    if not exists:
        if label is None and "=" in raw:
            return None  # perhaps "front.geojson=Label"; the caller splits it
        msg = (
            f"{argument}: {quote(raw)} names a file that does not exist; check the path "
            "(relative paths start in the current folder)"
        )
        raise InputError(msg)
    try:
        geometry = regions.read(path)
    except InputError as err:
        msg = f"{argument}: {err}"
        raise InputError(msg) from None
    return Site(geometry, label or path.stem, _describe_shape(geometry, path.name))


def _describe_shape(geometry: BaseGeometry, name: str) -> str:
    """Say in one line what a file's geometry was read as."""
    vertices = int(shapely.get_num_coordinates(geometry))
    dims = {int(d) for d in shapely.get_dimensions(shapely.get_parts(geometry))}
    if dims == {1}:
        from pyproj import Geod

        km = Geod(ellps="WGS84").geometry_length(geometry) / 1000
        return f"line from {name} ({vertices:,} vertices, {km:,.0f} km)"
    if dims == {2}:
        return f"territory from {name} ({vertices:,} vertices)"
    if dims == {0}:
        return f"points from {name} ({vertices:,})"
    return f"shapes from {name} ({vertices:,} vertices)"


#: Anything accepted as an origin: a :class:`Site`, a shapely geometry in EPSG:4326, or
#: text :meth:`Site.from_text` reads.
OriginLike: TypeAlias = Site | BaseGeometry | str


def as_sites(
    origins: OriginLike | Iterable[OriginLike], *, argument: str = "origins"
) -> tuple[Site, ...]:
    """Normalise one or several origins to a tuple of :class:`Site`.

    Parameters
    ----------
    origins : Site, shapely geometry, str, or an iterable of them
        Strings are read with :meth:`Site.from_text`; a geometry becomes an unlabelled
        site; a site is kept as it is.
    argument : str, optional
        The argument or field name used in error messages, such as ``"--from"``.

    Returns
    -------
    tuple of Site

    Raises
    ------
    InputError
        If there is no origin, or one is of an unknown type or cannot be read.
    PlaceNotFoundError
        If a place name is not in the gazetteer.

    Examples
    --------
    >>> [s.label for s in as_sites(["50.91, 34.80=Sumy", "49.99, 36.23=Kharkiv"])]
    ['Sumy', 'Kharkiv']
    """
    if origins is None or not isinstance(origins, Site | BaseGeometry | str | Iterable):
        msg = (
            f"{argument}: {quote(origins)} is not an origin or a list of origins; give a place "
            "name, 'LAT, LON', or a list of them, for example ['Sumy', '49.99, 36.23=Kharkiv']"
        )
        raise InputError(msg)
    items: list[OriginLike] = (
        [origins] if isinstance(origins, Site | BaseGeometry | str) else list(origins)
    )
    if not items:
        msg = f"{argument}: no origin given; give at least one, for example '50.91, 34.80=Sumy'"
        raise InputError(msg)
    sites: list[Site] = []
    for item in items:
        if isinstance(item, Site):
            sites.append(item)
        elif isinstance(item, BaseGeometry):
            sites.append(Site(item))
        elif isinstance(item, str):
            sites.append(Site.from_text(item, argument=argument))
        else:
            msg = (
                f"{argument}: {quote(item)} is not an origin; give a place name, 'LAT, LON', "
                "a rangemap.places.Site or a shapely geometry"
            )
            raise InputError(msg)
    return tuple(sites)
