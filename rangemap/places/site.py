"""Origins: :class:`Site`, the point, line or territory a reach is measured from.

This module owns :class:`Site` (a shapely geometry in EPSG:4326 and the label printed
on maps), reading one from text (:meth:`Site.from_text`, :func:`parse_origin`: a place
name or ``"LAT, LON"``, optionally ``=Label``) or from a country's territory
(:meth:`Site.from_country`), and :func:`as_sites`, the one normaliser of origins: the
Python API (:mod:`rangemap.reach`), recipes and the command line's ``--from`` all go
through it.

>>> as_sites(["Sumy", "49.99, 36.23=Kharkiv"])[1]
Site(geometry=<POINT (36.23 49.99)>, label='Kharkiv')
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TypeAlias

from shapely.geometry import Point
from shapely.geometry.base import BaseGeometry

from rangemap.errors import InputError
from rangemap.escaping import quote
from rangemap.places.gazetteer import load_gazetteer
from rangemap.places.geocode import geocode
from rangemap.regions import countries_named, country

__all__ = ["OriginLike", "Site", "as_sites", "parse_origin"]


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
        What a name typed was read as, in one line (``"Sumy, UA (50.9077, 34.7981),
        population 263,965"``, ``"territory of China"``); ``None`` for coordinates and
        shapes. Commands print it, so no name is resolved silently.

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
        """Read ``"LAT, LON"``, a place name such as ``"Sumy"``, or a country.

        Parameters
        ----------
        text : str
            ``"LAT, LON"`` (any form :func:`~rangemap.places.parse_latlon` reads), a
            country by its English name (``"China"``, ``"Ukraine"``) or, with the
            ``country:`` prefix, by its ISO code (``"country:CN"``), whose territory
            is the origin, or a place name the bundled gazetteer knows (``"Sumy"``,
            ``"Kharkiv, UA"``, ``"Київ"``). Where a name is both a country and a town,
            the country wins; write ``"Poland, US"`` for the town. Any of them may be
            followed by ``=Label`` to set the label printed on maps.
        argument : str, optional
            The argument or field name used in error messages.

        Returns
        -------
        Site
            A point, or a country's territory; its label is the ``=Label`` text, else
            the place's or country's name, else ``None`` for a bare coordinate.

        Raises
        ------
        InputError
            If the text is empty or a coordinate is malformed.
        PlaceNotFoundError
            If a place name is not in the gazetteer (the message suggests close ones).

        Examples
        --------
        >>> Site.from_text("Kharkiv, UA").label
        'Kharkiv'
        >>> china = Site.from_text("China")
        >>> china.geometry.geom_type, china.resolved
        ('MultiPolygon', 'territory of China')
        """
        if not isinstance(text, str) or not text.strip():
            msg = (
                f"{argument}: {quote(text)} is empty; give a place name or latitude, longitude, "
                "for example 'Sumy', 'Kharkiv, UA' or '50.91, 34.80=Launch site'"
            )
            raise InputError(msg)
        where, eq, label_text = text.partition("=")
        label: str | None = label_text.strip() or None
        if eq and label is None:
            msg = (
                f"{argument}: {quote(text)} has an empty label after '='; "
                "write 'Sumy=Label' or drop '='"
            )
            raise InputError(msg)
        territory = _country_named(where)
        if territory is not None:
            code, name = territory
            site = cls.from_country(code, label=label or name, argument=argument)
            return cls(site.geometry, site.label, f"territory of {name}")
        place = geocode(where, argument=argument)
        if place.geonameid is None:
            return cls(Point(place.lon, place.lat), label)
        if label is None:
            label = place.name
        resolved = (
            f"{place.name}, {place.country} ({place.lat:.4f}, {place.lon:.4f}), "
            f"population {place.population:,}"
        )
        return cls(Point(place.lon, place.lat), label, resolved)

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
        return cls(territory, label if label is not None else name_or_iso)

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


def _country_named(text: str) -> tuple[str, str] | None:
    """Return ``(code, English name)`` if ``text`` names one country, else ``None``.

    A name counts from four characters on (``"Chad"``, ``"Iran"``); a code only with
    the ``country:`` prefix, so ``"US"`` or ``"UA"`` alone are never read as countries.
    A name followed by a country code (``"Poland, US"``) is a town.
    """
    raw = text.strip()
    prefixed = raw.lower().startswith(_COUNTRY_PREFIX)
    name = raw[len(_COUNTRY_PREFIX) :].strip() if prefixed else raw
    if not prefixed and (len(name) <= 3 or "," in name):
        return None
    codes = countries_named(name)
    if len(codes) != 1:
        return None
    (code,) = codes
    return code, load_gazetteer().country_names.get(code, code)


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
