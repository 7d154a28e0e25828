"""Geocoding: place names in any script, ``"Name, CC"``, or coordinates → :class:`Place`.

Matching is exact on normalised names (:func:`rangemap.places.names.normalize_name`),
never on substrings: ``"Kiev"`` finds Kyiv and nothing else. Only names people use
count: an alternate name that is an airport code, a number or an address
(:func:`rangemap.places.names.is_usable_name`) matches nothing, and a name of three
letters or fewer is read only as the main name of a large city (see
:data:`SHORT_NAME_MIN_POPULATION`), so ``"abc"`` or ``"nan"`` are refused instead of
read as Albacete or Nanzhou. Mis-encoded text (``"KÃ¶ln"``) is refused as such.

When several cities share a name, the most populous wins and the others are kept
as :attr:`Place.alternatives` -- unless a city of another country is comparable
(:data:`AMBIGUITY_RATIO`): then :func:`geocode` raises
:class:`~rangemap.errors.AmbiguousPlaceError` listing the ``"Name, CC"`` to type.
A miss raises :class:`~rangemap.errors.PlaceNotFoundError` suggesting close names.
"""

from __future__ import annotations

import difflib
import functools
from collections import defaultdict
from dataclasses import dataclass, replace

from rangemap.errors import AmbiguousPlaceError, InputError, PlaceNotFoundError
from rangemap.escaping import quote
from rangemap.places.coords import looks_like_coordinate, numeric_parts, parse_latlon
from rangemap.places.gazetteer import Gazetteer, Place, load_gazetteer
from rangemap.places.names import is_usable_name, mojibake, normalize_name, normalize_names

__all__ = [
    "AMBIGUITY_RATIO",
    "SHORT_NAME_LETTERS",
    "SHORT_NAME_MIN_POPULATION",
    "check_encoding",
    "geocode",
    "geocode_all",
]

#: Names of this many letters or fewer (normalised) are short: they match only the
#: main GeoNames name of a city of :data:`SHORT_NAME_MIN_POPULATION` people or more.
#: Three letters is the length of airport codes and of most abbreviations people type.
SHORT_NAME_LETTERS = 3
#: The population from which a short name may match a city unqualified. A city of
#: 100,000 is one a reader can be assumed to mean by three letters ("Ufa", "Aba",
#: "Hue"), and the floor is high enough that the many villages and towns named "Bor",
#: "Nan" or "Ust" (codes and fragments as often as names) are not; "Bor, RS" still
#: finds the Serbian town, since a country or region narrows the search.
SHORT_NAME_MIN_POPULATION = 100_000
#: A name is ambiguous when a city of another country has at least this share of the
#: most populous match's population. At a tenth, the two are cities of the same order
#: of magnitude, either of which a reader could mean (Hyderabad, India and Hyderabad,
#: Pakistan; Tripoli, Libya and Tripoli, Lebanon); below it, the larger is the one
#: the world means (London, GB over London, Ontario, at a twentieth).
AMBIGUITY_RATIO = 0.1

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


def check_encoding(text: str, *, argument: str = "place") -> None:
    """Refuse text that is UTF-8 read as Latin-1 or Windows-1252 (mojibake).

    Parameters
    ----------
    text : str
        Typed or read text, such as a ``--from`` value.
    argument : str, optional
        The name of the argument or field, used in the message.

    Raises
    ------
    InputError
        If the text is mis-encoded; the message shows what it probably meant.

    Examples
    --------
    >>> check_encoding("Köln")
    >>> check_encoding("KÃ¶ln", argument="--from")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    rangemap.errors.InputError: --from: 'KÃ¶ln' looks mis-encoded (probably 'Köln'): ...
    """
    meant = mojibake(text)
    if meant is not None:
        msg = (
            f"{argument}: {quote(text)} looks mis-encoded (probably {quote(meant)}): UTF-8 "
            "text read as Latin-1 or Windows-1252; check the text encoding (save the file, "
            "or set the terminal, as UTF-8) and type the name again"
        )
        raise InputError(msg)


@dataclass(frozen=True, slots=True)
class _Found:
    """What a name matched: places (most populous first), and how."""

    places: tuple[Place, ...]
    how: tuple[int, ...]  # how each bears the name: _MAIN, _SPELLING or _ALTERNATE
    name: str  # the name part of the text, before any qualifier
    qualified: bool  # a country or region narrowed the search


# How a row bears a name: its main (or ASCII) name, a close spelling of it, or another
# alternate name (a translation, a transliteration, a former name).
_MAIN, _SPELLING, _ALTERNATE = 2, 1, 0
# Two normalised spellings at least this similar (difflib's ratio) are one name spelled
# two ways ("Odessa" and "Odesa", "Shilong" and "Shillong"), not two names.
_SPELLING_SIMILARITY = 0.85


def _genuine(gazetteer: Gazetteer, key: str, rows: list[int]) -> list[tuple[int, int]]:
    """Keep the rows bearing ``key`` as a name people use, with how they bear it.

    The name index also holds alternate names that are codes or numbers
    (:func:`~rangemap.places.names.is_usable_name`); a row matched only by those is
    dropped. A row whose names do not explain the match is kept, as an alternate.
    """
    kept: list[tuple[int, int]] = []
    for row in rows:
        main = normalize_name(gazetteer.name[row])
        if key in {main, normalize_name(gazetteer.ascii_name[row])}:
            kept.append((row, _MAIN))
            continue
        names = gazetteer.alternate_names(int(gazetteer.geonameid[row]))
        matching = [n for n, k in zip(names, normalize_names(names), strict=True) if k == key]
        if not matching or any(is_usable_name(n) for n in matching):
            close = difflib.SequenceMatcher(None, key, main).ratio() >= _SPELLING_SIMILARITY
            kept.append((row, _SPELLING if close and key[:1] == main[:1] else _ALTERNATE))
    return kept


def _short_name_error(
    gazetteer: Gazetteer, name: str, found: list[tuple[int, int]], argument: str
) -> PlaceNotFoundError:
    small = [gazetteer.place(row) for row, how in found if how == _MAIN][:3]
    known = ""
    if small:
        shown = "; ".join(p.describe() for p in small)
        typed = " or ".join(quote(f"{name}, {p.country}") for p in small)
        known = f"; {quote(name)} is {shown}: write {typed}"
    msg = (
        f"{argument}: {quote(name)} is too short to read as a place name: names of "
        f"{SHORT_NAME_LETTERS} letters or fewer are read only as country codes (for example "
        f"'country:UA') or the names of cities of {SHORT_NAME_MIN_POPULATION:,} people or "
        f"more (for example 'Ufa'){known}. Write the place's longer name, 'Name, CC' "
        "(for example 'Bor, RS'), or latitude, longitude"
    )
    return PlaceNotFoundError(msg)


def _lookup(text: str, argument: str) -> _Found:
    """Find every place ``text`` names; see :func:`geocode_all`."""
    if not isinstance(text, str) or not text.strip():
        msg = (
            f"{argument}: {quote(text)} is empty; give a place name, "
            "for example 'Sumy' or 'Kharkiv, UA'"
        )
        raise InputError(msg)
    check_encoding(text, argument=argument)
    gazetteer = load_gazetteer()
    if looks_like_coordinate(text) or numeric_parts(text) is not None:
        try:
            lon, lat = parse_latlon(text, argument=argument)
        except InputError as not_coordinate:
            # A few names look like coordinates ("SS2, MY", a district of Petaling Jaya).
            try:
                return _lookup_name(gazetteer, text, argument)
            except (InputError, PlaceNotFoundError):
                raise not_coordinate from None
        point = Place(_format_coordinate(lon, lat), "", "", lat, lon, 0, None)
        return _Found((point,), (_MAIN,), text.strip(), qualified=False)
    return _lookup_name(gazetteer, text, argument)


def _lookup_name(gazetteer: Gazetteer, text: str, argument: str) -> _Found:
    """Find every place the name ``text`` (with any qualifiers) names."""
    if "," in text:  # a name with a comma in it ("Washington, D.C.")
        key = normalize_name(text)
        if len(key) > SHORT_NAME_LETTERS and (
            found := _genuine(gazetteer, key, gazetteer.rows_named(key))
        ):
            return _found(gazetteer, found, text.strip(), qualified=False)
    name, *qualifiers = (part.strip() for part in text.split(","))
    key = normalize_name(name)
    if not key:
        msg = (
            f"{argument}: {quote(text)} has no letters before the first comma; give a place "
            "name, for example 'Sumy' or 'Kharkiv, UA'"
        )
        raise InputError(msg)
    found = _genuine(gazetteer, key, gazetteer.rows_named(key))
    if len(key) <= SHORT_NAME_LETTERS:
        short = [
            (row, how)
            for row, how in found
            if how == _MAIN
            and (qualifiers or gazetteer.population[row] >= SHORT_NAME_MIN_POPULATION)
        ]
        if not short:
            raise _short_name_error(gazetteer, name, found, argument)
        found = short
    if not found:
        suggestions = _suggestions(key)
        hint = f"did you mean {'; '.join(suggestions)}? Or " if suggestions else ""
        msg = (
            f"{argument}: no place named {quote(name)} in the bundled gazetteer "
            f"(GeoNames cities of 5,000+ people); {hint}{_HOW}"
        )
        raise PlaceNotFoundError(msg)
    kept = found
    for qualifier in qualifiers:
        kept = [(row, how) for row, how in kept if _matches(gazetteer, row, qualifier)]
    if not kept:
        rows = [row for row, _ in found]
        where = "; ".join(gazetteer.place(row).describe() for row in rows[:5])
        more = f" and {len(rows) - 5} more" if len(rows) > 5 else ""
        msg = (
            f"{argument}: no place named {quote(name)} in {quote(', '.join(qualifiers))}; "
            f"{quote(name)} is {where}{more}. Use a country code such as "
            f"{quote(f'{name}, {gazetteer.country[rows[0]]}')}, or give latitude, longitude"
        )
        raise PlaceNotFoundError(msg)
    return _found(gazetteer, kept, name, qualified=bool(qualifiers))


def _found(
    gazetteer: Gazetteer, rows: list[tuple[int, int]], name: str, *, qualified: bool
) -> _Found:
    """Order matches: the place meant first, then the others, most populous first.

    A city bearing the name as its main name (or a close spelling of it, "Odessa" for
    Odesa) comes before one that bears it only as an alternate name (a translation, a
    transliteration, a former name), unless that one is more than
    ``1 / AMBIGUITY_RATIO`` times as populous: "Cancún" is Cancún, not Changchun
    (which GeoNames also spells so), but "Canton" is still Guangzhou, not Canton, Ohio.
    """
    mains = [i for i, (_, how) in enumerate(rows) if how >= _SPELLING]
    if mains and mains[0] > 0:
        lead = mains[0]
        biggest = int(gazetteer.population[rows[0][0]])
        if biggest * AMBIGUITY_RATIO <= int(gazetteer.population[rows[lead][0]]):
            rows = [rows[lead], *rows[:lead], *rows[lead + 1 :]]
    return _Found(
        tuple(gazetteer.place(row) for row, _ in rows),
        tuple(how for _, how in rows),
        name,
        qualified,
    )


def geocode_all(text: str, *, argument: str = "place") -> tuple[Place, ...]:
    """Return every place whose name matches exactly, most populous first.

    Parameters
    ----------
    text : str
        A place name in any script the gazetteer knows (``"Kyiv"``, ``"Kiev"``,
        ``"Київ"``, ``"Киев"``), optionally followed by qualifiers separated by
        commas: a country (ISO alpha-2 or alpha-3 code, or English name) or a
        first-level region (a US state's name or code, or a GeoNames admin1 code),
        as in ``"Kharkiv, UA"`` or ``"Springfield, Illinois"``. A name of
        :data:`SHORT_NAME_LETTERS` letters or fewer matches only a city's main name,
        and without a qualifier only a city of :data:`SHORT_NAME_MIN_POPULATION`
        people or more. Text written like a coordinate (see
        :func:`~rangemap.places.coords.looks_like_coordinate`) is read by
        :func:`~rangemap.places.parse_latlon`.
    argument : str, optional
        The name of the argument or field, used in error messages.

    Returns
    -------
    tuple of Place
        At least one place; ``alternatives`` of each is empty. The first is the one
        :func:`geocode` returns (the most populous bearing the name as its main name,
        unless one bearing it as an alternate name is ten times as populous); the
        others follow, most populous first.

    Raises
    ------
    InputError
        If the text is empty, mis-encoded (:func:`check_encoding`) or a malformed
        coordinate.
    PlaceNotFoundError
        If nothing matches; the message suggests close names, or, for a short name,
        says how short names are read.

    Examples
    --------
    >>> [p.country for p in geocode_all("Kharkiv")]
    ['UA']
    >>> [str(p) for p in geocode_all("Alexandria, US")][:2]
    ['Alexandria, US', 'Alexandria, US']
    >>> [str(p) for p in geocode_all("Bor, RS")]
    ['Bor, RS']
    """
    return _lookup(text, argument).places


def _ambiguity(found: _Found, argument: str) -> AmbiguousPlaceError | None:
    """Return the error for a name that means comparable cities in different countries.

    The place :func:`_found` put first leads. Cities of other countries (the most
    populous of each) rival it when they have :data:`AMBIGUITY_RATIO` of its
    population and bear the name at least as closely: as their main name when the
    leader does, or as a close spelling of it. GeoNames' alternate names hold
    transliterations nobody means ("Rome" for Lomé, "Bāli" for Paris), so an
    alternate-name match rivals only a leader that is itself one; such a leader (ten
    times as populous as any city of that main name) is also rivalled by a city bearing
    the name as its own from a hundredth of its population: "Dili" is the capital of
    Timor-Leste, and a spelling of Delhi.
    """
    if found.qualified or len(found.places) < 2:
        return None
    leader, lead = found.places[0], found.how[0]
    firsts: dict[str, tuple[Place, int]] = {}
    for place, how in zip(found.places, found.how, strict=True):
        firsts.setdefault(place.country, (place, how))

    def rivals_leader(place: Place, how: int) -> bool:
        if lead >= _SPELLING:
            return how >= lead and place.population >= leader.population * AMBIGUITY_RATIO
        ratio = AMBIGUITY_RATIO**2 if how >= _SPELLING else AMBIGUITY_RATIO
        return place.population >= leader.population * ratio

    rivals = [
        place
        for place, how in firsts.values()
        if place.country != leader.country and rivals_leader(place, how)
    ]
    if not rivals:
        return None
    shown = [leader, *rivals][:5]
    listed = "; ".join(p.describe() for p in shown)
    typed = [quote(f"{found.name}, {p.country}") for p in shown]
    choices = f"{', '.join(typed[:-1])} or {typed[-1]}"
    msg = (
        f"{argument}: {quote(found.name)} names more than one city: {listed}; write "
        f"{choices} (or latitude, longitude)"
    )
    return AmbiguousPlaceError(msg)


def geocode(text: str, *, argument: str = "place") -> Place:
    """Return the place a name or coordinate means; the most populous of one country.

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
        If the text is empty, mis-encoded or a malformed coordinate.
    AmbiguousPlaceError
        If, with no country or region given, the name also means a city of another
        country with at least :data:`AMBIGUITY_RATIO` of the leader's population
        (matched on its main name); the message lists up to five and the
        ``"Name, CC"`` to type for each.
    PlaceNotFoundError
        If nothing matches; the message suggests close names.

    Examples
    --------
    >>> geocode("Київ") == geocode("Kiev") == geocode("Kyiv")
    True
    >>> str(geocode("Kharkiv, UA"))
    'Kharkiv, UA'
    >>> len(geocode("Alexandria").alternatives) > 5
    True
    >>> geocode("50.91, 34.80").lonlat
    (34.8, 50.91)
    >>> str(geocode("Hyderabad, PK"))
    'Hyderabad, PK'
    >>> geocode("Hyderabad", argument="--from")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    rangemap.errors.AmbiguousPlaceError: --from: 'Hyderabad' names more than one city: ...
    """
    found = _lookup(text, argument)
    error = _ambiguity(found, argument)
    if error is not None:
        raise error
    first, *others = found.places
    return replace(first, alternatives=tuple(others)) if others else first
