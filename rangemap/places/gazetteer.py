"""The bundled gazetteer: GeoNames cities, their names in every script, and :class:`Place`.

This module owns reading ``rangemap/data/gazetteer-*`` (built by
``scripts/build_gazetteer.py`` from GeoNames' ``cities5000`` table, with feature codes
from its ``cities500`` table and first-level region names from GeoNames' admin-1 table:
about 63,700 populated places of at least 5,000 people, plus capitals and first-level
seats of any size, without city districts (feature code ``PPLX``, and uncoded rows
inside a much bigger city: see ``rangemap/data/README.md``) or historical, abandoned
and destroyed places (``PPLH``, ``PPLQ``, ``PPLW``, ``PPLCH``), and with twin records
of one town merged) into columns, once, and the name index used by
:mod:`rangemap.places.geocode`, read on first use and searched by bisection over its
sorted bytes (a dict of every name is built only when a miss asks for suggestions).
The data is GeoNames', under CC BY 4.0: print :data:`GEONAMES_CREDIT` with it.
"""

from __future__ import annotations

import functools
import gzip
from collections.abc import Iterator
from dataclasses import dataclass, field
from importlib.resources import files

import numpy as np
import numpy.typing as npt

from rangemap.errors import RangemapError
from rangemap.regions import countries_named

__all__ = ["GEONAMES_CREDIT", "GEONAMES_LICENSE_URL", "Gazetteer", "Place", "load_gazetteer"]

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


class Gazetteer:
    """The bundled GeoNames cities as columns (one row per city, sorted by geonameid).

    Use :func:`load_gazetteer` rather than constructing it: it is loaded once per
    process. Numeric columns are numpy arrays, so filters are vectorised.

    Attributes
    ----------
    geonameid, population : numpy.ndarray of int64
    lat, lon : numpy.ndarray of float64
        Degrees, WGS84.
    name, ascii_name, admin1, region_name, feature_code : list of str
        ``ascii_name`` is ``""`` for names not in Latin script; ``region_name`` is
        ``""`` where the bundled data does not name the region; ``feature_code`` is
        the GeoNames feature code (``"PPLC"``, ``"PPLA"``, ``"PPL"`` ...), ``""`` for
        the cities missing from the GeoNames table the codes come from.
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
    name: list[str]
    ascii_name: list[str]
    admin1: list[str]
    region_name: list[str]
    feature_code: list[str]
    country_names: dict[str, str]
    country_iso3: dict[str, str]

    def __init__(self) -> None:
        text = gzip.decompress((_DATA / "gazetteer-cities.tsv.gz").read_bytes()).decode("utf-8")
        header, _, body = text.partition("\n")
        names = header.split("\t")
        # One split over the whole table, then every column is a slice of the cells:
        # far fewer Python objects than a list per line.
        cells = body.replace("\n", "\t").split("\t")[:-1]
        width = len(names)
        if len(cells) % width:
            msg = "gazetteer-cities.tsv.gz is damaged; reinstall rangemap"  # pragma: no cover
            raise RangemapError(msg)  # pragma: no cover
        columns = {name: cells[i::width] for i, name in enumerate(names)}
        self.geonameid = np.array(columns["geonameid"], dtype=np.int64)
        self.population = np.array(columns["population"], dtype=np.int64)
        self.lat = np.array(columns["lat"], dtype=np.float64)
        self.lon = np.array(columns["lon"], dtype=np.float64)
        self.country = np.array(columns["country"], dtype="U2")
        self.name = columns["name"]
        self.ascii_name = columns["ascii_name"]
        self.admin1 = columns["admin1"]
        self.region_name = columns["region_name"]
        self.feature_code = columns["feature_code"]
        self.country_names = {}
        self.country_iso3 = {}
        countries = (_DATA / "gazetteer-countries.tsv").read_text("utf-8").splitlines()
        for line in countries[1:]:
            iso2, iso3, country_name = line.split("\t")
            self.country_names[iso2] = country_name
            self.country_iso3[iso2] = iso3

    def __len__(self) -> int:
        return len(self.name)

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
    def _keys(self) -> tuple[bytes, list[int], list[int]]:
        """The name index file's bytes, and where each of its lines starts and ends.

        ``gazetteer-keys.tsv.gz`` is sorted by key, and UTF-8 byte order is code
        point order, so a key is found by bisection over the raw bytes: no dict of
        470,000 entries is built for the first look-up.
        """
        data = gzip.decompress((_DATA / "gazetteer-keys.tsv.gz").read_bytes())
        ends = np.flatnonzero(np.frombuffer(data, dtype=np.uint8) == ord("\n"))
        starts = np.empty_like(ends)
        starts[0] = 0
        starts[1:] = ends[:-1] + 1
        return data, starts.tolist(), ends.tolist()

    @functools.cached_property
    def name_index(self) -> dict[str, str]:
        """Normalised name → comma-separated rows bearing it, most populous first.

        Built on first use from ``gazetteer-keys.tsv.gz`` (names, ASCII names and
        every alternate name, normalised by :func:`rangemap.places.names.normalize_name`).
        Looking up one name with :meth:`rows_named` does not need it.
        """
        text = self._keys[0].decode("utf-8")
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
        data, starts, ends = self._keys
        lo, hi = 0, len(starts)
        while lo < hi:
            mid = (lo + hi) // 2
            start = starts[mid]
            if data[start : data.index(b"\t", start, ends[mid])] < wanted:
                lo = mid + 1
            else:
                hi = mid
        if lo == len(starts):
            return []
        start = starts[lo]
        tab = data.index(b"\t", start, ends[lo])
        if data[start:tab] != wanted:
            return []
        return [int(r) for r in data[tab + 1 : ends[lo]].split(b",")]

    @functools.cached_property
    def _alternate_names(self) -> dict[int, list[str]]:
        text = gzip.decompress((_DATA / "gazetteer-names.tsv.gz").read_bytes()).decode("utf-8")
        table: dict[int, list[str]] = {}
        for line in text.splitlines():
            geonameid, *names = line.split("\t")
            table[int(geonameid)] = names
        return table

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
        return list(self._alternate_names.get(geonameid, ()))

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
