"""The Catalog: mapping, lookup by any name, resolve, filters, merging and HTML views."""

from __future__ import annotations

import shutil
from fractions import Fraction
from pathlib import Path

import pytest

from rangemap.catalog import Catalog, Kind, System, builtin_specs_dir, load_catalog
from rangemap.errors import InputError, SpecError, UnknownSystemError

GOOD = Path(__file__).resolve().parent / "data" / "good_specs"


@pytest.fixture(scope="module")
def catalog() -> Catalog:
    return Catalog.load([GOOD], builtin=False)


def test_mapping_by_id(catalog: Catalog) -> None:
    assert list(catalog) == ["test-launcher", "test-missile"]
    assert len(catalog) == 2
    assert "test-missile" in catalog
    assert "TM-1" not in catalog  # the mapping is by id; lookup() takes any name
    assert catalog["test-missile"].name == "Test Missile"
    assert catalog.get("tomahawk") is None
    with pytest.raises(KeyError):
        catalog["tomahawk"]
    assert catalog.claim_count == 4
    assert "test-missile" in repr(catalog)


@pytest.mark.parametrize(
    "name",
    ["test-missile", "Test Missile", "TEST MISSILE", "TM-1", "tm1", "tm 1b", "TM-1B",
     "Test Missile for the rangemap test suite"],
)  # fmt: skip
def test_lookup_normalised(catalog: Catalog, name: str) -> None:
    assert catalog.lookup(name).id == "test-missile"


def test_lookup_unknown_suggests_closest(catalog: Catalog) -> None:
    with pytest.raises(UnknownSystemError) as info:
        catalog.lookup("test misile")
    message = str(info.value)
    assert message.startswith("No system matches 'test misile'.")
    assert "Closest: test-missile (Test Missile)" in message
    assert "rangemap specs list" in message
    with pytest.raises(UnknownSystemError, match="No system matches 'Tomahawk'"):
        catalog.lookup("Tomahawk")
    with pytest.raises(InputError):
        catalog.lookup(300)  # type: ignore[arg-type]


def test_resolve(catalog: Catalog) -> None:
    system, variant = catalog.resolve("tm-1")
    assert (system.id, variant.id) == ("test-missile", "long-range")
    system, variant = catalog.resolve("TM-1:block-i")
    assert variant.max_range is not None
    assert variant.max_range.shown_km == 165
    assert catalog.resolve("test-missile:M39")[1].id == "block-i"
    assert catalog.resolve("test-missile:")[1].id == "long-range"
    with pytest.raises(UnknownSystemError, match="no variant 'block-iv'"):
        catalog.resolve("test-missile:block-iv")
    with pytest.raises(UnknownSystemError, match="No system matches"):
        catalog.resolve("tomahawk:block-iv")


def test_filter(catalog: Catalog) -> None:
    assert list(catalog.filter(kind=Kind.LAUNCHER)) == ["test-launcher"]
    assert list(catalog.filter(kind="ballistic-missile")) == ["test-missile"]
    assert list(catalog.filter(operator="no")) == ["test-missile"]
    assert list(catalog.filter(operator="RU")) == []
    assert list(catalog.filter(min_range_km=200)) == ["test-missile"]
    assert list(catalog.filter(min_range_km=301)) == []
    assert list(catalog.filter(max_range_km=200)) == ["test-missile"]  # block-i, 165 km
    assert list(catalog.filter(min_range_km=170, max_range_km=250)) == []
    assert isinstance(catalog.filter(), Catalog)
    with pytest.raises(InputError, match="kind: 'hypersonic' is not a kind; use one of"):
        catalog.filter(kind="hypersonic")
    with pytest.raises(InputError, match="min_range_km"):
        catalog.filter(min_range_km=-5)


def test_filter_operator_code_any_case(catalog: Catalog) -> None:
    assert list(catalog.filter(operator="NO")) == ["test-missile"]
    assert list(catalog.filter(operator=" no ")) == ["test-missile"]
    assert list(load_catalog().filter(operator="ua")) == list(load_catalog().filter(operator="UA"))


@pytest.mark.parametrize("operator", ["Ukraine", "UKR", "U", "", "U1", "ÜA", 804, None])
def test_filter_operator_not_a_code(catalog: Catalog, operator: object) -> None:
    if operator is None:
        assert list(catalog.filter(operator=None)) == list(catalog)
        return
    with pytest.raises(InputError) as info:
        catalog.filter(operator=operator)  # type: ignore[arg-type]
    message = str(info.value)
    assert message.startswith(f"operator: {operator!r} is not a country code;")
    assert "'UA'" in message
    assert "codes in this catalog: NO" in message


def test_filter_operator_country_name_on_builtin_catalog() -> None:
    with pytest.raises(InputError, match=r"operator: 'Ukraine' .* such as 'UA'"):
        load_catalog().filter(operator="Ukraine")


@pytest.mark.parametrize("label", ["min_range_km", "max_range_km"])
@pytest.mark.parametrize("bound", ["abc", "250", True, [250], float("nan"), -1])
def test_filter_range_not_a_number(catalog: Catalog, label: str, bound: object) -> None:
    with pytest.raises(InputError) as info:
        catalog.filter(**{label: bound})  # type: ignore[arg-type]
    assert str(info.value) == (
        f"{label}: {bound!r} is not a distance; give kilometres as a number >= 0"
    )


def test_filter_range_accepts_any_real_number(catalog: Catalog) -> None:
    fraction = Fraction(200)  # the signature says float; any numbers.Real works
    assert list(catalog.filter(min_range_km=fraction)) == ["test-missile"]  # type: ignore[arg-type]
    assert list(catalog.filter(max_range_km=float("inf"))) == ["test-missile"]
    assert list(catalog.filter(max_range_km=0)) == []


def test_filter_unknown_kind_lists_every_kind(catalog: Catalog) -> None:
    with pytest.raises(InputError) as info:
        load_catalog().filter(kind="hypersonic")
    message = str(info.value)
    assert message.startswith("kind: 'hypersonic' is not a kind; use one of: ")
    for kind in Kind:
        assert kind.value in message
    with pytest.raises(InputError, match="kind: 7 is not a kind"):
        catalog.filter(kind=7)  # type: ignore[arg-type]


def test_launcher_and_munition_agree(catalog: Catalog) -> None:
    launcher = catalog.lookup("TL-2")
    assert launcher.is_launcher
    assert launcher.fires[0].munition == "test-missile"
    assert launcher.fires[0].per_load == 1
    assert "test-launcher" in catalog["test-missile"].launchers


def test_repr_html_escapes_everything(catalog: Catalog) -> None:
    hostile = '<script>alert("x")</script>'
    system = catalog["test-missile"]
    data = system.model_dump()
    data["name"] = hostile
    data["summary"] = "${alert(1)} `x` </script><img src=x onerror=alert(1)>"
    data["sources"]["reuters-2024-04"]["title"] = hostile
    evil = System.model_validate(data)
    for html in (Catalog([evil])._repr_html_(), evil._repr_html_()):
        assert "<script>" not in html
        assert "<img" not in html
        assert "&lt;script&gt;" in html
    assert "test-missile" in catalog._repr_html_()
    assert "https://globalnews.ca/news/10873954/" in system._repr_html_()


def test_user_folder_replaces_builtin_system(tmp_path: Path) -> None:
    builtin = Catalog.load()
    munitions = [s for s in builtin.values() if not s.is_launcher and s.path is not None]
    if not munitions:
        pytest.skip("the built-in catalog has no munition yet")
    original = munitions[0]
    assert original.path is not None
    copy = tmp_path / original.path.name
    shutil.copy(original.path, copy)
    text = copy.read_text(encoding="utf-8")
    copy.write_text(
        text.replace(f"name: {original.name}\n", "name: Replaced Name\n", 1), encoding="utf-8"
    )
    merged = Catalog.load([tmp_path])
    assert merged[original.id].name == "Replaced Name"
    assert merged[original.id].path == copy
    assert len(merged) == len(builtin)
    assert merged.lookup("Replaced Name").id == original.id


def test_user_folder_adds_systems_over_builtin() -> None:
    merged = Catalog.load([GOOD])
    builtin = Catalog.load()
    assert set(merged) == set(builtin) | {"test-missile", "test-launcher"}


def test_broken_user_file_reported_with_builtin_loaded(tmp_path: Path) -> None:
    (tmp_path / "kh-101.yaml").write_text("id: kh-101\nname: Kh-101\n", encoding="utf-8")
    with pytest.raises(SpecError) as info:
        Catalog.load([tmp_path])
    assert any(
        p.endswith("kind: missing; add kind: (see docs/spec-format.md)")
        for p in info.value.problems
    )


def test_load_catalog_is_cached() -> None:
    assert load_catalog() is load_catalog()
    assert load_catalog([GOOD]) is load_catalog([str(GOOD)])
    assert load_catalog([GOOD]) is not load_catalog()


def test_builtin_specs_dir_is_the_repository_folder_in_a_checkout() -> None:
    folder = builtin_specs_dir()
    assert folder.is_dir()
    assert folder == Path(__file__).resolve().parents[1] / "specs"


def test_a_single_folder_need_not_be_in_a_list() -> None:
    assert list(Catalog.load(GOOD, builtin=False)) == ["test-launcher", "test-missile"]
    assert list(Catalog.load(str(GOOD), builtin=False)) == ["test-launcher", "test-missile"]
