"""Repack ``gazetteer-cities.tsv.gz`` and write ``gazetteer-cities-numbers.bin`` from it.

``rangemap/data/gazetteer-cities-numbers.bin`` holds the numeric columns of the cities
table (geonameid, population, latitude, longitude, country) as arrays, and where each
gzip member of the table starts, so loading the gazetteer parses no numbers and
reading a name decompresses one member of 512 rows
(:func:`rangemap.places._cities_table.numbers_file`). ``scripts/build_gazetteer.py``
writes both files with the rest of the gazetteer; this script rebuilds them from the
table already in ``rangemap/data/`` (no download), byte for byte::

    .venv/bin/python scripts/build_gazetteer_numbers.py [--out FOLDER]
"""

from __future__ import annotations

import argparse
import gzip
from pathlib import Path

from rangemap.places._cities_table import cities_file, numbers_file

DATA = Path(__file__).resolve().parent.parent / "rangemap" / "data"


def write_numbers(data: Path, out: Path) -> list[Path]:
    """Repack ``data``'s cities table in members and derive the binary file, under ``out``."""
    table = gzip.decompress((data / "gazetteer-cities.tsv.gz").read_bytes())
    cities = cities_file(table)
    written = [out / "gazetteer-cities.tsv.gz", out / "gazetteer-cities-numbers.bin"]
    written[0].write_bytes(cities)
    written[1].write_bytes(numbers_file(cities))
    return written


def main() -> None:
    """Rebuild the two files and print where they were written and their sizes."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=DATA, help="output folder (rangemap/data)")
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    for path in write_numbers(DATA, args.out):
        print(f"{path}: {path.stat().st_size:,} bytes")


if __name__ == "__main__":
    main()
