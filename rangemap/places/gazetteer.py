"""The bundled gazetteer: GeoNames cities, their names in every script, and :class:`Place`.

This module owns reading ``rangemap/data/gazetteer-*`` (built by
``scripts/build_gazetteer.py`` from GeoNames' ``cities5000`` table, with feature codes
from its ``cities500`` table and first-level region names from GeoNames' admin-1 table:
about 63,700 populated places of at least 5,000 people, plus capitals and first-level
seats of any size, without city districts (feature code ``PPLX``, and uncoded rows
inside a much bigger city: see ``rangemap/data/README.md``) or historical, abandoned
and destroyed places (``PPLH``, ``PPLQ``, ``PPLW``, ``PPLCH``), and with twin records
of one town merged) into columns, once (numbers as numpy arrays read from
``gazetteer-cities-numbers.bin``, see :mod:`rangemap.places._cities_table`;
text decompressed one gzip member of 512 rows at a time and decoded cell by cell
when read), and the name index used by :mod:`rangemap.places.geocode` and the
alternate names, each read on first use and searched by bisection over its sorted bytes
(a dict of every name is built only when a miss asks for suggestions), and the names
maps print in other languages (:func:`local_name`: one name per city in Ukrainian,
Russian, Hebrew and Arabic, from ``gazetteer-local-names.tsv.gz``),
read one language at a time when a map in that language asks.
The data is GeoNames', under CC BY 4.0: print :data:`GEONAMES_CREDIT` with it.
"""

from __future__ import annotations

import bisect
import functools
import gzip
import operator
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from importlib.resources import files
from typing import Any, SupportsIndex, overload

import numpy as np
import numpy.typing as npt

from rangemap.places._cities_table import Table, read_numbers
from rangemap.places.names import normalize_name
from rangemap.regions import countries_named

__all__ = [
    "GEONAMES_CREDIT",
    "GEONAMES_LICENSE_URL",
    "Gazetteer",
    "Place",
    "load_gazetteer",
    "local_label",
    "local_name",
]

#: Credit line for maps and tables that show gazetteer places.
GEONAMES_CREDIT = "Places: GeoNames (geonames.org), CC BY 4.0"
#: The licence of the GeoNames data.
GEONAMES_LICENSE_URL = "https://creativecommons.org/licenses/by/4.0/"

_DATA = files("rangemap") / "data"


@dataclass(frozen=True, slots=True)
class Place:
    """A named point: a gazetteer city, or a coordinate someone typed.

    Parameters
    ----------
    name : str
        The GeoNames name (``"Kyiv"``), or the coordinate as text for a bare point.
    country : str
        ISO 3166-1 alpha-2 code (``"UA"``); ``""`` for a bare point.
    region : str
        GeoNames first-level region (admin1) code (``"12"``); ``""`` when unknown.
    lat, lon : float
        Latitude and longitude in degrees (WGS84).
    population : int
        Population recorded in GeoNames (0 when unknown).
    geonameid : int or None
        The GeoNames id (https://www.geonames.org/703448 is Kyiv); ``None`` for a
        bare point.
    region_name : str or None
        The first-level region's name (``"Kharkiv"``, ``"Missouri"``), from GeoNames'
        admin-1 names of about 2016; ``None`` where the bundled data has none.
    feature_code : str
        GeoNames feature code: ``"PPLC"`` (capital), ``"PPLA"`` (seat of a first-level
        region), ``"PPLA2"`` ... ``"PPLA5"`` (lower seats), ``"PPL"`` (other populated
        place) ...; ``""`` for a bare point and for the gazetteer cities whose code
        the bundled data lacks.
    alternatives : tuple of Place
        Other places whose name matched equally well, most populous first; empty
        when the name was unique. Not part of equality.

    Examples
    --------
    >>> from rangemap.places import geocode
    >>> kyiv = geocode("Kyiv")
    >>> kyiv.country, kyiv.geonameid
    ('UA', 703448)
    >>> str(kyiv)
    'Kyiv, UA'
    >>> kyiv.feature_code, kyiv.region_name
    ('PPLC', 'Kyiv City')
    """

    name: str
    country: str
    region: str
    lat: float
    lon: float
    population: int
    geonameid: int | None
    region_name: str | None = None
    feature_code: str = ""
    alternatives: tuple[Place, ...] = field(default=(), compare=False, repr=False)

    def __str__(self) -> str:
        return f"{self.name}, {self.country}" if self.country else self.name

    @property
    def lonlat(self) -> tuple[float, float]:
        """``(lon, lat)``, shapely's order."""
        return (self.lon, self.lat)

    def describe(self) -> str:
        """Return a one-line description: name, region, country and population.

        Examples
        --------
        >>> from rangemap.places import geocode
        >>> geocode("Sumy").describe()
        'Sumy, Sumy, UA (pop. 256,474)'
        """
        where = ", ".join(p for p in (self.name, self.region_name, self.country) if p)
        return f"{where} (pop. {self.population:,})" if self.population else where


def _line_ends(data: bytes) -> npt.NDArray[np.int64]:
    """Where each line of ``data`` ends (the offsets of its newlines)."""
    return np.flatnonzero(np.frombuffer(data, dtype=np.uint8) == ord("\n")).astype(np.int64)


def _fixed_width(
    data: bytes, starts: npt.NDArray[np.integer[Any]], ends: npt.NDArray[np.integer[Any]]
) -> npt.NDArray[np.bytes_]:
    """Return the byte strings ``data[starts[i]:ends[i]]`` as one fixed-width numpy array.

    Vectorised (no Python object per cell), so a numeric column is parsed with one
    ``astype``; the cells are short (numbers, country codes).
    """
    raw = np.frombuffer(data, dtype=np.uint8)
    lengths = ends - starts
    width = max(int(lengths.max(initial=0)), 1)
    offsets = np.arange(width)
    cells = raw[np.minimum(starts[:, None] + offsets, len(raw) - 1)]
    cells[offsets >= lengths[:, None]] = 0  # numpy's bytes type drops trailing NULs
    fixed: npt.NDArray[np.bytes_] = cells.view(f"S{width}").ravel()
    return fixed


class _TextColumn(Sequence[str]):
    """One text column of the gazetteer: the cells stay UTF-8 bytes until one is read.

    63,700 rows of five text columns as Python strings would take about 17 MB, and a
    map reads a dozen of them: a cell is decoded when indexed, from the gzip member
    of the table that holds it (:class:`~rangemap.places._cities_table.Table`).

    Examples
    --------
    >>> names = load_gazetteer().name
    >>> kyiv = int(np.flatnonzero(load_gazetteer().geonameid == 703448)[0])
    >>> names[kyiv], names[kyiv - len(names)], names[kyiv : kyiv + 1]
    ('Kyiv', 'Kyiv', ['Kyiv'])
    >>> list(names)[kyiv]
    'Kyiv'
    >>> names[len(names)]  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    IndexError: row ... is out of range (the gazetteer has ... rows)
    """

    __slots__ = ("_column", "_rows", "_table")

    def __init__(self, table: Table, name: str) -> None:
        self._table = table
        self._column = table.columns[name]
        self._rows = table.rows

    def __len__(self) -> int:
        return self._rows

    @overload
    def __getitem__(self, index: SupportsIndex) -> str: ...

    @overload
    def __getitem__(self, index: slice) -> list[str]: ...

    def __getitem__(self, index: SupportsIndex | slice) -> str | list[str]:
        if isinstance(index, slice):
            return self._table.cells(self._column, range(*index.indices(self._rows)))
        row = operator.index(index)
        if not -self._rows <= row < self._rows:
            msg = f"row {row} is out of range (the gazetteer has {self._rows:,} rows)"
            raise IndexError(msg)
        return self._table.cells(self._column, (row % self._rows,))[0]

    def take(self, rows: npt.ArrayLike) -> list[str]:
        """Return the cells of many rows at once (row numbers from the gazetteer's arrays)."""
        return self._table.cells(self._column, np.asarray(rows, dtype=np.int64).tolist())

    def __iter__(self) -> Iterator[str]:
        data, edges = self._table.whole()
        width = len(self._table.columns)
        starts = edges[self._column : -1 : width].tolist()
        ends = edges[self._column + 1 :: width].tolist()
        for start, end in zip(starts, ends, strict=True):
            yield data[start + 1 : end].decode("utf-8")

    def __repr__(self) -> str:
        return f"<{self._rows:,} gazetteer cells>"


class Gazetteer:
    """The bundled GeoNames cities as columns (one row per city, sorted by geonameid).

    Use :func:`load_gazetteer` rather than constructing it: it is loaded once per
    process. Numeric columns are numpy arrays, so filters are vectorised; text columns
    are read-only sequences whose cells are decoded when read, so the table costs a few
    megabytes, not the tens that a Python string per cell would.

    Attributes
    ----------
    geonameid, population : numpy.ndarray of int64
    lat, lon : numpy.ndarray of float64
        Degrees, WGS84.
    name, ascii_name, admin1, region_name, feature_code : sequence of str
        ``ascii_name`` is ``""`` for names not in Latin script; ``region_name`` is
        ``""`` where the bundled data does not name the region; ``feature_code`` is
        the GeoNames feature code (``"PPLC"``, ``"PPLA"``, ``"PPL"`` ...), ``""`` for
        the cities missing from the GeoNames table the codes come from. Indexing
        (``name[row]``) and iteration give ``str``.
    country : numpy.ndarray of str
        ISO 3166-1 alpha-2 codes.
    country_names : dict of str to str
        English country names by ISO alpha-2 code.
    country_iso3 : dict of str to str
        ISO alpha-3 codes by ISO alpha-2 code.
    """

    geonameid: npt.NDArray[np.int64]
    population: npt.NDArray[np.int64]
    lat: npt.NDArray[np.float64]
    lon: npt.NDArray[np.float64]
    country: npt.NDArray[np.str_]
    name: _TextColumn
    ascii_name: _TextColumn
    admin1: _TextColumn
    region_name: _TextColumn
    feature_code: _TextColumn
    country_names: dict[str, str]
    country_iso3: dict[str, str]

    def __init__(self) -> None:
        numbers, offsets = read_numbers()
        self.geonameid = numbers["geonameid"]
        self.population = numbers["population"]
        self.lat = numbers["lat"]
        self.lon = numbers["lon"]
        self.country = numbers["country"]
        table = Table(len(self.geonameid), offsets)
        self.name = _TextColumn(table, "name")
        self.ascii_name = _TextColumn(table, "ascii_name")
        self.admin1 = _TextColumn(table, "admin1")
        self.region_name = _TextColumn(table, "region_name")
        self.feature_code = _TextColumn(table, "feature_code")
        self.country_names = {}
        self.country_iso3 = {}
        countries = (_DATA / "gazetteer-countries.tsv").read_text("utf-8").splitlines()
        for line in countries[1:]:
            iso2, iso3, country_name = line.split("\t")
            self.country_names[iso2] = country_name
            self.country_iso3[iso2] = iso3

    def __len__(self) -> int:
        return len(self.geonameid)

    def __repr__(self) -> str:
        return f"<Gazetteer: {len(self):,} GeoNames cities>"

    def place(self, row: int) -> Place:
        """Return the city in ``row`` as a :class:`Place`.

        Parameters
        ----------
        row : int
            A row number, 0 to ``len(gazetteer) - 1``.

        Returns
        -------
        Place
        """
        return Place(
            name=self.name[row],
            country=str(self.country[row]),
            region=self.admin1[row],
            lat=float(self.lat[row]),
            lon=float(self.lon[row]),
            population=int(self.population[row]),
            geonameid=int(self.geonameid[row]),
            region_name=self.region_name[row] or None,
            feature_code=self.feature_code[row],
        )

    def countries_named(self, text: str) -> frozenset[str]:
        """Return the ISO alpha-2 codes a country code or name means.

        The same as :func:`rangemap.regions.countries_named`, which owns country names.

        Parameters
        ----------
        text : str
            An ISO 3166-1 alpha-2 or alpha-3 code, or an English country name, in
            any case (``"UA"``, ``"ukr"``, ``"Ukraine"``); ``"UK"`` means ``GB``.

        Returns
        -------
        frozenset of str
            Empty if the text names no country.

        Examples
        --------
        >>> sorted(load_gazetteer().countries_named("Ukraine"))
        ['UA']
        """
        return countries_named(text)

    @functools.cached_property
    def _keys(self) -> bytes:
        """The whole name index, ``key<TAB>rows`` lines sorted by key (for misses only)."""
        return gzip.decompress(self._key_blocks[0])

    @functools.cached_property
    def _key_blocks(self) -> tuple[bytes, list[bytes], list[int]]:
        """The name index file's compressed bytes, and each gzip member's first key and start.

        The index is written as gzip members of about 64 KiB of lines each, listed in
        ``gazetteer-keys-blocks.tsv``, so one look-up decompresses one member.
        """
        data = (_DATA / "gazetteer-keys.tsv.gz").read_bytes()
        firsts: list[bytes] = []
        starts: list[int] = []
        for line in (_DATA / "gazetteer-keys-blocks.tsv").read_bytes().splitlines():
            offset, first = line.split(b"\t", 1)
            starts.append(int(offset))
            firsts.append(first)
        return data, firsts, [*starts, len(data)]

    def _key_block(self, wanted: bytes) -> bytes:
        """Return the lines of the name index among which ``wanted`` would be."""
        data, firsts, starts = self._key_blocks
        i = bisect.bisect_right(firsts, wanted) - 1
        if i < 0:
            return b""
        if i not in self._members_read:
            self._members_read[i] = gzip.decompress(data[starts[i] : starts[i + 1]])
        return self._members_read[i]

    @functools.cached_property
    def _members_read(self) -> dict[int, bytes]:
        """The members of the name index decompressed so far, by number."""
        return {}

    @functools.cached_property
    def name_index(self) -> dict[str, str]:
        """Normalised name → comma-separated rows bearing it, most populous first.

        Built on first use from ``gazetteer-keys.tsv.gz`` (names, ASCII names and
        every alternate name, normalised by :func:`rangemap.places.names.normalize_name`).
        Looking up one name with :meth:`rows_named` does not need it.
        """
        text = self._keys.decode("utf-8")
        return dict(line.split("\t", 1) for line in text.splitlines())

    def rows_named(self, key: str) -> list[int]:
        """Return the rows whose normalised names include ``key``, most populous first.

        Parameters
        ----------
        key : str
            A name already normalised with :func:`rangemap.places.names.normalize_name`.

        Returns
        -------
        list of int
            Row numbers; empty if no city bears that name.

        Examples
        --------
        >>> gazetteer = load_gazetteer()
        >>> [gazetteer.place(row).country for row in gazetteer.rows_named("kharkiv")]
        ['UA']
        """
        if not key or "\t" in key or "\n" in key:
            return []
        wanted = key.encode("utf-8")
        data = self._key_block(wanted)
        # Bisect over line starts: ``lo`` is always the start of a line, every line
        # before it has a smaller key, and none from ``hi`` on has a smaller one.
        lo, hi = 0, len(data)
        while lo < hi:
            start = data.rfind(b"\n", lo, (lo + hi) // 2) + 1 or lo
            tab = data.index(b"\t", start)
            if data[start:tab] < wanted:
                lo = data.index(b"\n", tab) + 1
            else:
                hi = start
        if lo == len(data):
            return []
        tab = data.index(b"\t", lo)
        if data[lo:tab] != wanted:
            return []
        return [int(r) for r in data[tab + 1 : data.index(b"\n", tab)].split(b",")]

    @functools.cached_property
    def _alternate_names(self) -> tuple[bytes, npt.NDArray[np.int64], npt.NDArray[np.int64]]:
        """The alternate-names file's bytes, where its lines end, and the id of each line.

        ``gazetteer-names.tsv.gz`` is sorted by geonameid, so a city's line is found by
        bisection; the names are split only for the cities asked about.
        """
        data = gzip.decompress((_DATA / "gazetteer-names.tsv.gz").read_bytes())
        ends = _line_ends(data)
        starts = np.concatenate(([0], ends[:-1] + 1))
        tabs = np.append(
            np.flatnonzero(np.frombuffer(data, dtype=np.uint8) == ord("\t")), len(data)
        )
        first_tabs = tabs[np.searchsorted(tabs, starts)]
        ids = _fixed_width(data, starts, np.minimum(first_tabs, ends)).astype(np.int64)
        return data, ends, ids

    def alternate_names(self, geonameid: int) -> list[str]:
        """Return a city's alternate names in every script GeoNames records.

        Parameters
        ----------
        geonameid : int
            The city's GeoNames id.

        Returns
        -------
        list of str
            The names, in GeoNames' order; empty if there are none.

        Examples
        --------
        >>> names = load_gazetteer().alternate_names(703448)  # Kyiv
        >>> all(n in names for n in ("Kiev", "Київ", "Киев"))
        True
        """
        data, ends, ids = self._alternate_names
        line = int(np.searchsorted(ids, geonameid))
        if line == len(ids) or ids[line] != geonameid:
            return []
        start = int(ends[line - 1]) + 1 if line else 0
        _, *names = data[start : int(ends[line])].decode("utf-8").split("\t")
        return names

    def __iter__(self) -> Iterator[Place]:
        return (self.place(row) for row in range(len(self)))


@functools.cache
def load_gazetteer() -> Gazetteer:
    """Return the bundled gazetteer, loading it on the first call.

    Returns
    -------
    Gazetteer
        The same object on every call.

    Examples
    --------
    >>> gazetteer = load_gazetteer()
    >>> len(gazetteer) > 60_000
    True
    """
    return Gazetteer()


def _base_language(language: str) -> str:
    """``"uk"`` for ``"uk"``, ``"uk_UA"`` or ``"uk-UA"``."""
    return language.replace("-", "_").split("_", 1)[0].lower()


@functools.cache
def _local_names(language: str) -> dict[int, str]:
    """Geonameid → the city's name in ``language`` (a base language code), read once.

    Only that language's lines of ``gazetteer-local-names.tsv.gz`` become Python
    objects: about 11,600 for Russian, none for a language the file does not have.
    """
    if not re.fullmatch(r"[a-z]{2,3}", language):
        return {}
    data = gzip.decompress((_DATA / "gazetteer-local-names.tsv.gz").read_bytes())
    line = re.compile(rb"^(\d+)\t" + language.encode("ascii") + rb"\t([^\n]*)$", re.MULTILINE)
    return {int(m[1]): m[2].decode("utf-8") for m in line.finditer(data)}


def local_name(place: int | Place, language: str) -> str:
    """Return a gazetteer city's name in ``language``, as a map in that language prints it.

    The name is GeoNames' name for the city in that language (one per language, names
    GeoNames marks preferred first: see ``rangemap/data/README.md``); a city without
    one keeps its GeoNames name, the English exonym the gazetteer gives (``Kursk``,
    ``Munich``): never another alternate name. Names are read for Ukrainian (``uk``),
    Russian (``ru``), Hebrew (``he``) and Arabic (``ar``); English and other languages
    print the GeoNames name. A language's names are read on the first call for it.

    Parameters
    ----------
    place : int or Place
        A city's GeoNames id (``692194`` is Sumy), or a :class:`Place`; a place with
        no geonameid (a coordinate) keeps its name.
    language : str
        A language code: ``"uk"``, ``"ru"``, ``"he"``, ``"ar"``, ``"en"`` ... (a region
        such as ``"uk_UA"`` is ignored).

    Returns
    -------
    str

    Raises
    ------
    KeyError
        If the id is not a city of the bundled gazetteer.

    Examples
    --------
    >>> [local_name(692194, lang) for lang in ("uk", "ru", "en")]  # Sumy
    ['Суми', 'Сумы', 'Sumy']
    >>> local_name(538560, "uk"), local_name(538560, "he")  # Kursk: no Hebrew name
    ('Курськ', 'Kursk')
    >>> from rangemap.places import geocode
    >>> local_name(geocode("Kharkiv"), "ru")
    'Харьков'
    """
    if isinstance(place, Place):
        if place.geonameid is None:
            return place.name
        geonameid, name = place.geonameid, place.name
    else:
        gazetteer = load_gazetteer()
        geonameid = int(place)
        row = int(np.searchsorted(gazetteer.geonameid, geonameid))
        if row == len(gazetteer) or gazetteer.geonameid[row] != geonameid:
            msg = f"{geonameid} is not the geonameid of a city in the bundled gazetteer"
            raise KeyError(msg)
        name = gazetteer.name[row]
    return _local_names(_base_language(language)).get(geonameid) or name


def local_label(label: str, lon: float, lat: float, language: str) -> str:
    """Return an origin's label in ``language`` when the gazetteer gave it; else ``label``.

    An origin read from a place name (``"Sumy"``, ``"Суми"``) is labelled with the
    city's GeoNames name at the city's coordinates; such a label is the city's
    :func:`local_name`. A label someone chose (``"50.91, 34.80=Sumy"``, ``"Sumy=Launch
    area"``) is kept as written, and an English map keeps every label.

    Parameters
    ----------
    label : str
        The label printed on maps.
    lon, lat : float
        The origin's point, degrees.
    language : str
        The map's language.

    Returns
    -------
    str

    Examples
    --------
    >>> from rangemap.places import geocode
    >>> sumy = geocode("Сумы")
    >>> local_label(sumy.name, sumy.lon, sumy.lat, "uk"), local_label("Sumy", 34.8, 50.91, "uk")
    ('Суми', 'Sumy')
    """
    if _base_language(language) == "en" or not label:
        return label
    gazetteer = load_gazetteer()
    for row in gazetteer.rows_named(normalize_name(label)):
        if (
            gazetteer.name[row] == label
            and float(gazetteer.lon[row]) == lon
            and float(gazetteer.lat[row]) == lat
        ):
            return local_name(int(gazetteer.geonameid[row]), language)
    return label
