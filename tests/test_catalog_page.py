"""The generated catalog page (docs/catalog.md) is the output of its script."""

from __future__ import annotations

import importlib.util
from pathlib import Path
from types import ModuleType

from rangemap.catalog import Catalog

ROOT = Path(__file__).resolve().parents[1]


def _script() -> ModuleType:
    path = ROOT / "scripts" / "build_catalog_page.py"
    spec = importlib.util.spec_from_file_location("build_catalog_page", path)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_committed_page_is_up_to_date() -> None:
    script = _script()
    expected = script.page(Catalog.load())
    committed = (ROOT / "docs" / "catalog.md").read_text(encoding="utf-8")
    assert committed == expected, "run: .venv/bin/python scripts/build_catalog_page.py"


def test_page_lists_every_system_and_the_audit() -> None:
    catalog = Catalog.load()
    text = _script().page(catalog)
    for system in catalog.values():
        assert f"(`{system.id}`)" in text
    assert "## Sourcing audit" in text
    assert "audit passed" in text
