"""The package's top-level names: complete, importable, documented, and loaded lazily."""

from __future__ import annotations

import importlib
import subprocess
import sys
from pathlib import Path

import pytest

import rangemap

ROOT = Path(__file__).resolve().parents[1]

#: What ``import rangemap`` must not load: each takes a noticeable time to import.
HEAVY = ("folium", "pandas", "geopandas", "matplotlib", "shapely", "pyproj")


def _run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, *args], capture_output=True, text=True, check=True, timeout=120
    )


def test_all_names_exist_and_are_documented() -> None:
    for name in rangemap.__all__:
        obj = getattr(rangemap, name)
        if name != "__version__":
            assert obj.__doc__, f"rangemap.{name} has no docstring"


def test_all_is_unique() -> None:
    assert len(set(rangemap.__all__)) == len(rangemap.__all__)


def test_public_classes_are_exported() -> None:
    public = {
        name
        for name, value in vars(rangemap).items()
        if isinstance(value, type) and not name.startswith("_")
    }
    assert public <= set(rangemap.__all__)


def test_lazy_names_are_the_defining_modules_objects() -> None:
    from rangemap import _EXPORTS

    assert set(_EXPORTS) == set(rangemap.__all__) - {"__version__"}
    for name, module in _EXPORTS.items():
        assert getattr(rangemap, name) is getattr(importlib.import_module(module), name)


def test_dir_lists_every_public_name() -> None:
    assert set(rangemap.__all__) <= set(dir(rangemap))


def test_unknown_name_is_an_attribute_error() -> None:
    with pytest.raises(AttributeError, match="has no attribute 'no_such_name'"):
        _ = rangemap.no_such_name
    assert not hasattr(rangemap, "no_such_name")


def test_submodules_are_attributes() -> None:
    assert rangemap.units is importlib.import_module("rangemap.units")


def test_import_rangemap_loads_no_heavy_library() -> None:
    code = f"import rangemap, sys; print(sorted(m for m in {HEAVY!r} if m in sys.modules))"
    assert _run("-c", code).stdout.strip() == "[]"


def test_import_rangemap_loads_neither_the_catalog_nor_numpy() -> None:
    code = (
        "import rangemap, sys; "
        "print(sorted(m for m in ('numpy', 'pydantic', 'yaml', 'rangemap.catalog') "
        "if m in sys.modules))"
    )
    assert _run("-c", code).stdout.strip() == "[]"


@pytest.mark.parametrize(
    "command",
    [[sys.executable, "-m", "rangemap"], [str(Path(sys.executable).with_name("rangemap"))]],
    ids=["python -m rangemap", "rangemap"],
)
def test_version_option_prints_the_package_version(command: list[str]) -> None:
    result = subprocess.run(
        [*command, "--version"], capture_output=True, text=True, check=True, timeout=120
    )
    name, version = result.stdout.split()
    assert (name, version) == ("rangemap", rangemap.__version__)
    assert result.stdout == f"rangemap {rangemap.__version__}\n"


def test_version_is_written_once() -> None:
    """The wheel's version is read from rangemap/__init__.py, not written in pyproject.toml."""
    metadata = pytest.importorskip("hatchling.metadata.core", reason="hatchling builds the wheel")
    plugins = pytest.importorskip("hatchling.plugin.manager", reason="hatchling builds the wheel")
    project = metadata.ProjectMetadata(str(ROOT), plugins.PluginManager())
    assert "version" in project.core.dynamic
    assert project.version == rangemap.__version__
