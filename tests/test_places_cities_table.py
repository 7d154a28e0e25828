"""The bundled cities table's on-disk form (:mod:`rangemap.places._cities_table`)."""

from __future__ import annotations

import gzip
from importlib.resources import files

import pytest

from rangemap.places._cities_table import cities_file, numbers_file

DATA = files("rangemap") / "data"


def test_numbers_file_is_derived_from_the_cities_table() -> None:
    # The committed binary file is what the build derives from the committed table,
    # byte for byte, and the table is in the gzip members the build writes: they
    # never drift apart (scripts/build_gazetteer_numbers.py rewrites both).
    cities = (DATA / "gazetteer-cities.tsv.gz").read_bytes()
    assert cities_file(gzip.decompress(cities)) == cities
    assert numbers_file(cities) == (DATA / "gazetteer-cities-numbers.bin").read_bytes()


def test_numbers_file_refuses_what_would_not_read_back() -> None:
    head = b"geonameid\tcountry\tpopulation\tlat\tlon\n"
    with pytest.raises(ValueError, match="at most 5 decimals"):
        numbers_file(cities_file(head + b"703448\tUA\t2797553\t50.454661\t30.5238\n"))
    with pytest.raises(ValueError, match="at most 5 decimals"):
        numbers_file(cities_file(head + b"703448\tUA\t2797553\t5e1\t30.5238\n"))
    one_member = gzip.compress(head + b"1\tUA\t1\t1\t1\n" * 600, mtime=0)
    with pytest.raises(ValueError, match="members of 512 rows"):
        numbers_file(one_member)
    with pytest.raises(ValueError, match="ends inside a gzip member"):
        numbers_file(cities_file(head + b"1\tUA\t1\t1\t1\n")[:-3])
