from __future__ import annotations

import gzip
import re
from importlib.resources import files
from pathlib import Path

import numpy as np
import numpy.typing as npt
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from rangemap.places import GEONAMES_CREDIT, Gazetteer, Place, geocode, load_gazetteer
from rangemap.places.gazetteer import local_label, local_name
from rangemap.places.names import normalize_name
from rangemap.reach import Reach
from rangemap.scene import RangeMap

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
    for names in (g.name, g.ascii_name, g.admin1, g.region_name, g.feature_code):
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


def row_of(geonameid: int) -> int:
    rows = np.flatnonzero(load_gazetteer().geonameid == geonameid)
    assert len(rows) == 1, geonameid
    return int(rows[0])


def km_from(row: int, rows: list[int]) -> npt.NDArray[np.float64]:
    """Great-circle distances (km) from the city in ``row`` to the cities in ``rows``."""
    g = load_gazetteer()
    lat1, lon1 = np.radians(g.lat[row]), np.radians(g.lon[row])
    lat2, lon2 = np.radians(g.lat[rows]), np.radians(g.lon[rows])
    h = (
        np.sin((lat2 - lat1) / 2) ** 2
        + np.cos(lat1) * np.cos(lat2) * np.sin((lon2 - lon1) / 2) ** 2
    )
    return np.asarray(2 * 6371.0 * np.arcsin(np.sqrt(h)), dtype=np.float64)


def test_regions_have_names() -> None:
    g = load_gazetteer()
    for geonameid, region_name in (
        (4250542, "Illinois"),  # Springfield, Illinois
        (4409896, "Missouri"),  # Springfield, Missouri
        (706483, "Kharkiv"),
        (703448, "Kyiv City"),
        (99072, "Ninawa"),  # Mosul
    ):
        assert g.place(row_of(geonameid)).region_name == region_name
    named = sum(1 for name in g.region_name if name)
    assert named > 0.9 * len(g)


def test_no_districts_or_historical_places() -> None:
    g = load_gazetteer()
    codes = set(g.feature_code)
    assert not codes & {"PPLX", "PPLH", "PPLQ", "PPLW", "PPLCH"}
    assert codes <= {"", "PPL", "PPLA", "PPLA2", "PPLA3", "PPLA4", "PPLA5", "PPLC"} | {
        "PPLF",
        "PPLG",
        "PPLL",
        "PPLR",
        "PPLS",
        "STLMT",
    }
    # GeoNames codes these PPLX (section of a populated place): "Al Mawşil al Jadīdah"
    # (99071) in Mosul, Chahor (710958) in Chernivtsi.
    ids = set(g.geonameid.tolist())
    assert 99071 not in ids
    assert 710958 not in ids
    assert "Al Mawşil al Jadīdah" not in g.name
    assert g.place(row_of(99072)).name == "Mosul"


def test_sections_without_a_feature_code_are_left_out() -> None:
    # Not coded in the 2023 cities500 table, sections of Kharkiv, Kyiv and Tokyo by
    # position and population (Saltivka 6722148, Obolon 8519916, Desna 13546519,
    # Darnytsya 13580095, Minato City 13353696) ...
    ids = set(load_gazetteer().geonameid.tolist())
    for section in (6722148, 8519916, 13546519, 13580095, 13353696):
        assert section not in ids
    # ... while separate cities near a bigger one stay: Gazipur by Dhaka, Brovary and
    # Irpin by Kyiv (another region).
    for town in (1200109, 711390, 707565):
        assert town in ids


def test_kyiv_city_region_holds_no_section_of_kyiv() -> None:
    # Kyiv City (admin-1 "12") is the city itself: every other row of it within 13 km
    # would be a district. Villages of Kyiv Oblast ("13") just outside stay.
    g = load_gazetteer()
    kyiv = row_of(703448)
    near = np.flatnonzero((np.abs(g.lat - g.lat[kyiv]) < 0.2) & (np.abs(g.lon - g.lon[kyiv]) < 0.3))
    close = [
        int(r)
        for r, km in zip(near, km_from(kyiv, near.tolist()), strict=True)
        if km < 13 and g.admin1[r] == "12"
    ]
    assert close == [kyiv]


def test_feature_codes() -> None:
    g = load_gazetteer()
    for geonameid, code in ((703448, "PPLC"), (706483, "PPLA"), (99072, "PPLA"), (2643743, "PPLC")):
        assert g.feature_code[row_of(geonameid)] == code
        assert g.place(row_of(geonameid)).feature_code == code
    # Cities missing from the 2023 cities500 table have no code; most have one.
    assert sum(1 for code in g.feature_code if code) > 0.75 * len(g)


def test_kyiv_once() -> None:
    g = load_gazetteer()
    kyiv = row_of(703448)
    for key in ("kyiv", normalize_name("Київ"), "kiev"):
        rows = g.rows_named(key)
        near = [r for r, km in zip(rows, km_from(kyiv, rows), strict=True) if km < 30]
        assert near == [kyiv], key


def test_twin_records_are_merged() -> None:
    g = load_gazetteer()
    ids = set(g.geonameid.tolist())
    # Kashan, Iran: 6861211 (PPLA2) and 128476 (no code), 2.4 km apart, both 304,487
    # people; Turaif, Saudi Arabia: 101312 (PPL) and 101313 "Ţurayf", 0.1 km apart.
    assert 6861211 in ids
    assert 128476 not in ids
    assert 101312 in ids
    assert 101313 not in ids
    assert "Ţurayf" in g.alternate_names(101312)
    for key, geonameid in (
        ("kashan", 6861211),
        ("turaif", 101312),
        (normalize_name("Ţurayf"), 101312),
    ):
        row = row_of(geonameid)
        rows = g.rows_named(key)
        near = [r for r, km in zip(rows, km_from(row, rows), strict=True) if km < 30]
        assert near == [row], key
    # Different cities whose names overlap are not merged.
    for geonameid in (1273294, 1261481, 4273837, 4393217):  # Delhi, New Delhi, Kansas City x2
        assert geonameid in ids


def test_alternate_names_are_names_people_use() -> None:
    names = gzip.decompress((DATA / "gazetteer-names.tsv.gz").read_bytes()).decode("utf-8")
    alternates = [alt for line in names.splitlines() for alt in line.split("\t")[1:]]
    assert len(alternates) > 400_000
    assert not [a for a in alternates if "://" in a or "www." in a.lower()]
    assert not [a for a in alternates if any(ch.isdigit() for ch in a)]
    kyiv = load_gazetteer().alternate_names(703448)
    assert "IEV" not in kyiv
    assert "UKKK" not in kyiv
    assert "Kiev" in kyiv


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
        "gazetteer-cities-numbers.bin",
        "gazetteer-names.tsv.gz",
        "gazetteer-keys.tsv.gz",
        "gazetteer-keys-blocks.tsv",
        "gazetteer-countries.tsv",
        "gazetteer-local-names.tsv.gz",
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


def test_numbers_are_the_tables_numbers() -> None:
    # Every number read from the binary file equals the table's text parsed as before:
    # integers, and coordinates as the correctly rounded doubles of their decimals.
    g = Gazetteer()
    table = gzip.decompress((DATA / "gazetteer-cities.tsv.gz").read_bytes()).decode("utf-8")
    lines = table.splitlines()
    header = lines[0].split("\t")
    rows = [line.split("\t") for line in lines[1:]]
    assert len(rows) == len(g)

    def column(name: str) -> list[str]:
        i = header.index(name)
        return [row[i] for row in rows]

    assert g.geonameid.tolist() == [int(v) for v in column("geonameid")]
    assert g.population.tolist() == [int(v) for v in column("population")]
    assert g.lat.tolist() == [float(v) for v in column("lat")]
    assert g.lon.tolist() == [float(v) for v in column("lon")]
    assert g.country.tolist() == column("country")
    assert all(len(v.partition(".")[2]) <= 5 for v in column("lat") + column("lon"))
    for dtype, array in ((np.int64, g.geonameid), (np.float64, g.lat), (np.dtype("U2"), g.country)):
        assert array.dtype == dtype
        assert array.flags.writeable
    assert list(g.name) == column("name")
    assert list(g.region_name) == column("region_name")
    assert g.feature_code[::-997] == column("feature_code")[::-997]


def test_reading_a_name_decompresses_one_member_of_the_table() -> None:
    # Loading parses no text; a look-up decompresses the member holding its row.
    g = Gazetteer()
    table = g.name._table
    assert table._whole is None
    assert set(table._read) == {0}  # the header's member
    kyiv = row_of(703448)
    assert g.place(kyiv).name == "Kyiv"
    assert set(table._read) == {0, kyiv // 512}
    assert table._whole is None
    assert g.name.take([kyiv, 0, len(g) - 1]) == [g.name[kyiv], g.name[0], g.name[-1]]
    assert list(g.admin1)[kyiv] == "12"
    assert table._whole is not None


def test_first_look_up_reads_the_index_without_building_a_dict() -> None:
    # Loading speed: a look-up bisects the sorted index file; the dict is for misses only.
    g = Gazetteer()
    kyiv = g.rows_named("kyiv")
    assert g.place(kyiv[0]).geonameid == 703448
    assert "name_index" not in vars(g)
    assert "_keys" not in vars(g)
    assert len(vars(g)["_members_read"]) == 1  # one gzip member of the index


def test_every_key_is_found_in_its_block() -> None:
    # The block list's first keys and offsets agree with the index: every key of a
    # sample across all blocks is found, and a key before the first one is not.
    g = Gazetteer()
    lines = g._keys.splitlines()
    for line in [*lines[:: len(lines) // 997], lines[0], lines[-1]]:
        key, rows = line.split(b"\t", 1)
        assert g.rows_named(key.decode("utf-8")) == [int(r) for r in rows.split(b",")]
    assert g.rows_named("0") == []
    assert g.rows_named("\uffff") == []
    _, firsts, starts = g._key_blocks
    assert firsts == sorted(firsts)
    assert len(starts) == len(firsts) + 1


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


# Names in the map's language (gazetteer-local-names.tsv.gz, from Debian's libgeonames-common).
SUMY, KURSK, KYIV, TEHRAN = 692194, 538560, 703448, 112931


@pytest.mark.parametrize(
    ("language", "sumy", "kursk"),
    [
        ("uk", "Суми", "Курськ"),
        ("ru", "Сумы", "Курск"),
        ("he", "סומי", "Kursk"),  # no Hebrew name: the English GeoNames name, no other
        ("ar", "سومي", "Kursk"),
        ("en", "Sumy", "Kursk"),
        ("uk_UA", "Суми", "Курськ"),
        ("de", "Sumy", "Kursk"),  # a language the file does not carry: GeoNames' name
    ],
)
def test_local_name(language: str, sumy: str, kursk: str) -> None:
    assert local_name(SUMY, language) == sumy
    assert local_name(KURSK, language) == kursk


def test_local_name_falls_back_to_the_geonames_name_never_another_alternate() -> None:
    g = load_gazetteer()
    # Tehran has no Ukrainian name; Xiamen's English name in the package is "Amoy", a
    # former name: both print their GeoNames names.
    assert local_name(TEHRAN, "uk") == "Tehran"
    assert local_name(1790645, "en") == local_name(1790645, "de") == "Xiamen"
    # Kharkiv's alternate names hold other Hebrew spellings; the map prints one.
    row = int(np.searchsorted(g.geonameid, 706483))
    assert local_name(g.place(row), "he") == local_name(706483, "he") == "חרקוב"
    assert "Amoy" in g.alternate_names(1790645)  # English names are look-up keys


def test_local_name_of_a_point_or_an_unknown_id() -> None:
    point = Place("50.91000, 34.80000", "", "", 50.91, 34.8, 0, None)
    assert local_name(point, "uk") == "50.91000, 34.80000"
    with pytest.raises(KeyError, match="not the geonameid of a city"):
        local_name(1, "uk")


def test_local_names_file() -> None:
    raw = (DATA / "gazetteer-local-names.tsv.gz").read_bytes()
    assert raw[4:8] == b"\0\0\0\0"  # no timestamp: rebuilds are byte-identical
    lines = gzip.decompress(raw).decode("utf-8").splitlines()
    assert lines[0] == "geonameid\tlang\tname"
    rows = [line.split("\t") for line in lines[1:]]
    assert all(len(r) == 3 and r[2] and r[2] == r[2].strip() for r in rows)
    keys = [(int(r[0]), r[1]) for r in rows]
    assert keys == sorted(set(keys)), "sorted by geonameid, then language; one name each"
    assert {r[1] for r in rows} == {"ar", "he", "ru", "uk"}
    ids = set(load_gazetteer().geonameid.tolist())
    assert {k[0] for k in keys} <= ids, "only the gazetteer's cities"
    assert 20_000 < len(rows) < 40_000
    assert not [r for r in rows if any(ch.isdigit() for ch in r[2])]


def test_local_names_are_read_only_when_a_language_asks() -> None:
    from rangemap.places import gazetteer as module

    module._local_names.cache_clear()
    local_name(SUMY, "uk")
    assert module._local_names.cache_info().currsize == 1  # Ukrainian only
    local_name(KURSK, "he")
    assert module._local_names.cache_info().currsize == 2  # and Hebrew
    local_name(KURSK, "en")
    assert module._local_names("en") == {}
    assert len(module._local_names("uk")) > 5_000


def test_local_label_translates_only_labels_the_gazetteer_gave() -> None:
    sumy = geocode("Sumy")
    assert local_label("Sumy", sumy.lon, sumy.lat, "ru") == "Сумы"
    assert local_label("Sumy", sumy.lon, sumy.lat, "en") == "Sumy"
    assert local_label("Sumy", 34.8, 50.91, "ru") == "Sumy"  # someone's own point and label
    assert local_label("Launch area", sumy.lon, sumy.lat, "ru") == "Launch area"


def _kursk_map(language: str) -> RangeMap:
    return (
        RangeMap(language=language)
        .add(Reach.from_distance(300_000, "Sumy"))
        .show_places(3, countries="RU")
    )


@pytest.mark.parametrize(
    ("language", "sumy", "kursk"), [("uk", "Суми", "Курськ"), ("ru", "Сумы", "Курск")]
)
def test_map_in_a_language_names_places_in_it(language: str, sumy: str, kursk: str) -> None:
    page = _kursk_map(language).to_html()
    table = page[page.index('class="rm-places-table"') :]
    table = table[: table.index("</table>")]
    assert f"<td>{kursk}</td>" in table
    assert f"<td>{sumy}</td>" in table  # the nearest origin
    assert "Kursk" not in page
    assert "Sumy" not in page
    # The label the page script places on the map, and the tooltip.
    assert re.search(rf'\[5\d\.\d+,3\d\.\d+,"{kursk}"\]', page)
    assert f'["{kursk}, ' in page


def test_english_map_keeps_the_geonames_names() -> None:
    page = _kursk_map("en").to_html()
    assert "<td>Kursk</td>" in page
    assert "Курськ" not in page


def test_svg_in_ukrainian_labels_places_in_ukrainian(tmp_path: Path) -> None:
    out = tmp_path / "kursk.svg"
    _kursk_map("uk").save(out)
    svg = out.read_text("utf-8")
    assert "Курськ" in svg
    assert "Суми" in svg
    assert ">Kursk<" not in svg
