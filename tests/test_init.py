"""The package's top-level names: complete, importable and documented."""

from __future__ import annotations

import doctest

import rangemap


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


def test_package_docstring_examples() -> None:
    result = doctest.testmod(rangemap, verbose=False)
    assert result.attempted > 0
    assert result.failed == 0
