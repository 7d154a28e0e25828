"""Every built-in spec in ``specs/``: valid, cited, dated, and found by every one of its names."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlsplit

import pytest

from rangemap.catalog import Catalog, CaveatNote, Claim, LoadOut, load_catalog
from rangemap.catalog.load import read_spec

SPECS = Path(__file__).resolve().parents[1] / "specs"
FILES = sorted(SPECS.glob("*.yaml"))


def _names() -> list[tuple[str, str]]:
    pairs = []
    for path in FILES:
        system = read_spec(path).system
        if system is None:
            continue  # reported by test_spec_file_validates
        names = (system.id, system.name, *system.aliases, *system.names.values())
        pairs += [(system.id, name) for name in names]
    return pairs


def test_there_are_specs() -> None:
    assert FILES, "specs/ holds no *.yaml files"


def test_builtin_catalog_validates_as_a_whole() -> None:
    catalog = Catalog.load()
    assert sorted(catalog) == sorted(path.stem for path in FILES)


@pytest.mark.parametrize("path", FILES, ids=[path.stem for path in FILES])
def test_spec_file_validates(path: Path) -> None:
    result = read_spec(path)
    assert result.problems == []
    assert result.system is not None
    assert result.system.id == path.stem


@pytest.mark.parametrize("path", FILES, ids=[path.stem for path in FILES])
def test_every_claim_cites_a_web_source(path: Path) -> None:
    system = read_spec(path).system
    assert system is not None
    assert system.as_of is not None
    assert system.sources
    cited: list[Claim | LoadOut] = [*system.claims, *system.fires]
    if not system.is_launcher:
        assert system.claims, "a munition has at least one range claim"
    for item in cited:
        source = system.source_for(item)
        parts = urlsplit(source.url)
        assert parts.scheme in {"http", "https"}
        assert parts.netloc
        assert source.published is None or source.published <= source.accessed
    for variant in system.variants:
        for spec in (variant.max_range, variant.min_range):
            if spec is not None:
                assert spec.shown_claims
                assert spec.why_shown or not spec.disputed


@pytest.mark.parametrize(("system_id", "name"), _names())
def test_lookup_by_every_name(system_id: str, name: str) -> None:
    catalog = load_catalog()
    assert catalog.lookup(name).id == system_id
    assert catalog.lookup(name.upper()).id == system_id
    assert catalog.lookup(name.lower().replace("-", " ")).id == system_id


@pytest.mark.parametrize(
    ("name", "system_id"),
    [("ATACMS", "atacms"), ("mgm-140", "atacms"), ("MGM 140", "atacms"),
     ("himars", "m142-himars"), ("M142", "m142-himars")],
)  # fmt: skip
def test_lookup_names_readers_type(name: str, system_id: str) -> None:
    catalog = load_catalog()
    if system_id not in catalog:
        pytest.skip(f"specs/{system_id}.yaml is not in the catalog yet")
    assert catalog.lookup(name).id == system_id


@pytest.mark.parametrize("path", FILES, ids=[path.stem for path in FILES])
def test_every_free_text_caveat_reads_in_every_map_language(path: Path) -> None:
    """A note printed under a legend line has its words in each language maps are made in."""
    from rangemap.words import languages

    system = read_spec(path).system
    assert system is not None
    others = set(languages()) - {"en"}
    for variant in system.variants:
        for caveat in system.caveats_for(variant):
            if isinstance(caveat, CaveatNote):
                assert set(caveat.translations) == others, caveat.note
