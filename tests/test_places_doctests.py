"""The Examples sections of rangemap.places and its command line run and pass."""

from __future__ import annotations

import doctest
import importlib

import pytest

MODULES = [
    "rangemap.places",
    "rangemap.places.coords",
    "rangemap.places.names",
    "rangemap.places.gazetteer",
    "rangemap.places.geocode",
    "rangemap.places.within",
    "rangemap.cli.places",
]


@pytest.mark.parametrize("name", MODULES)
def test_doctests(name: str) -> None:
    # import_module, not attribute access: rangemap.places.within is also a function.
    module = importlib.import_module(name)
    result = doctest.testmod(module, optionflags=doctest.NORMALIZE_WHITESPACE)
    assert result.attempted > 0
    assert result.failed == 0
