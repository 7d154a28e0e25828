"""Geocoding: place names in any script, ``"Name, CC"``, or coordinates → :class:`Place`.

Matching is exact on normalised names (:func:`rangemap.places.names.normalize_name`),
never on substrings: ``"Kiev"`` finds Kyiv and nothing else. When several cities
share a name the most populous wins and the others are kept as
:attr:`Place.alternatives`. A miss raises :class:`~rangemap.errors.PlaceNotFoundError`
suggesting close names.
"""

from __future__ import annotations

import difflib
import functools
from collections import defaultdict
from dataclasses import replace

from rangemap.errors import InputError, PlaceNotFoundError
from rangemap.escaping import quote
from rangemap.places.coords import looks_like_coordinate, numeric_parts, parse_latlon
from rangemap.places.gazetteer import Gazetteer, Place, load_gazetteer
from rangemap.places.names import normalize_name

__all__ = ["geocode", "geocode_all"]

_HOW = (
    "check the spelling, add a country code (for example 'Kharkiv, UA'), "
    "or give latitude, longitude (for example '50.00, 36.23')"
)


def _format_coordinate(lon: float, lat: float) -> str:
    return f"{lat:.5f}, {lon:.5f}"


def _matches(gazetteer: Gazetteer, row: int, qualifier: str) -> bool:
    """Tell whether a qualifier names the row's country or first-level region."""
    if str(gazetteer.country[row]) in gazetteer.countries_named(qualifier):
        return True
    regions = (gazetteer.admin1[row], gazetteer.region_name[row])
    key = normalize_name(qualifier)
    return bool(key) and key in {normalize_name(r) for r in regions}


@functools.cache
def _keys_by_length() -> dict[int, list[str]]:
    buckets: dict[int, list[str]] = defaultdict(list)
    for key in load_gazetteer().name_index:
        buckets[len(key)].append(key)
    return buckets


def _suggestions(key: str, *, limit: int = 5) -> list[str]:
    """Describe up to ``limit`` cities whose names are close to ``key``."""
    if not key:
        return []
    gazetteer = load_gazetteer()
    buckets = _keys_by_length()
    spread = max(1, len(key) // 5)
    pool = [k for n in range(len(key) - spread, len(key) + spread + 1) for k in buckets.get(n, ())]
    close = difflib.get_close_matches(key, pool, n=4 * limit, cutoff=0.7)
    seen: set[int] = set()
    found: list[str] = []
    for match in close:
        row = gazetteer.rows_named(match)[0]
        if row not in seen:
            seen.add(row)
            found.append(gazetteer.place(row).describe())
        if len(found) == limit:
            break
    return found


def geocode_all(text: str, *, argument: str = "place") -> tuple[Place, ...]:
    """Return every place whose name matches exactly, most populous first.

    Parameters
    ----------
    text : str
        A place name in any script the gazetteer knows (``"Kyiv"``, ``"Kiev"``,
        ``"Київ"``, ``"Киев"``), optionally followed by qualifiers separated by
        commas: a country (ISO alpha-2 or alpha-3 code, or English name) or a
        first-level region (a US state's name or code, or a GeoNames admin1 code),
        as in ``"Kharkiv, UA"`` or ``"Springfield, Illinois"``. Text written like a
        coordinate (see :func:`~rangemap.places.coords.looks_like_coordinate`) is
        read by :func:`~rangemap.places.parse_latlon`.
    argument : str, optional
        The name of the argument or field, used in error messages.

    Returns
    -------
    tuple of Place
        At least one place; ``alternatives`` of each is empty.

    Raises
    ------
    InputError
        If the text is empty or a malformed coordinate.
    PlaceNotFoundError
        If nothing matches; the message suggests close names.

    Examples
    --------
    >>> [p.describe() for p in geocode_all("Kharkiv")]
    ['Kharkiv, UA (pop. 1,421,125)']
    >>> [str(p) for p in geocode_all("Alexandria, US")][:2]
    ['Alexandria, US', 'Alexandria, US']
    """
    if not isinstance(text, str) or not text.strip():
        msg = (
            f"{argument}: {quote(text)} is empty; give a place name, "
            "for example 'Sumy' or 'Kharkiv, UA'"
        )
        raise InputError(msg)
    gazetteer = load_gazetteer()
    if looks_like_coordinate(text) or numeric_parts(text) is not None:
        try:
            lon, lat = parse_latlon(text, argument=argument)
        except InputError:
            # A few names look like coordinates ("SS2", a district of Petaling Jaya).
            if rows := gazetteer.rows_named(normalize_name(text)):
                return tuple(gazetteer.place(row) for row in rows)
            raise
        return (Place(_format_coordinate(lon, lat), "", "", lat, lon, 0, None),)
    rows = gazetteer.rows_named(normalize_name(text))
    if rows:
        return tuple(gazetteer.place(row) for row in rows)
    name, *qualifiers = (part.strip() for part in text.split(","))
    key = normalize_name(name)
    if not key:
        msg = (
            f"{argument}: {quote(text)} has no letters before the first comma; give a place "
            "name, for example 'Sumy' or 'Kharkiv, UA'"
        )
        raise InputError(msg)
    rows = gazetteer.rows_named(key)
    if not rows:
        suggestions = _suggestions(key)
        hint = f"did you mean {'; '.join(suggestions)}? Or " if suggestions else ""
        msg = (
            f"{argument}: no place named {quote(name)} in the bundled gazetteer "
            f"(GeoNames cities of 5,000+ people); {hint}{_HOW}"
        )
        raise PlaceNotFoundError(msg)
    kept = rows
    for qualifier in qualifiers:
        kept = [row for row in kept if _matches(gazetteer, row, qualifier)]
    if not kept:
        where = "; ".join(gazetteer.place(row).describe() for row in rows[:5])
        more = f" and {len(rows) - 5} more" if len(rows) > 5 else ""
        msg = (
            f"{argument}: no place named {quote(name)} in {quote(', '.join(qualifiers))}; "
            f"{quote(name)} is {where}{more}. Use a country code such as "
            f"{quote(f'{name}, {gazetteer.country[rows[0]]}')}, or give latitude, longitude"
        )
        raise PlaceNotFoundError(msg)
    return tuple(gazetteer.place(row) for row in kept)


def geocode(text: str, *, argument: str = "place") -> Place:
    """Return the place a name or coordinate means; the most populous on a tie.

    Parameters
    ----------
    text : str
        A place name, ``"Name, Country"``, or a coordinate; see :func:`geocode_all`.
    argument : str, optional
        The name of the argument or field, used in error messages.

    Returns
    -------
    Place
        The most populous exact match. Its ``alternatives`` holds the other
        matches, most populous first (empty when the name is unique).

    Raises
    ------
    InputError
        If the text is empty or a malformed coordinate.
    PlaceNotFoundError
        If nothing matches; the message suggests close names.

    Examples
    --------
    >>> geocode("Київ") == geocode("Kiev") == geocode("Kyiv")
    True
    >>> geocode("Kharkiv, UA").describe()
    'Kharkiv, UA (pop. 1,421,125)'
    >>> len(geocode("Alexandria").alternatives) > 5
    True
    >>> geocode("50.91, 34.80").lonlat
    (34.8, 50.91)
    """
    first, *others = geocode_all(text, argument=argument)
    return replace(first, alternatives=tuple(others)) if others else first
