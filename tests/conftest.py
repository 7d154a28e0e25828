"""Shared fixtures, and a temporary working folder for every doctest."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Generator
from pathlib import Path

import pytest
from _pytest.doctest import DoctestItem

ROOT = Path(__file__).resolve().parents[1]
DATA = Path(__file__).resolve().parent / "data"


@pytest.fixture
def data_dir() -> Path:
    """The folder of test data files."""
    return DATA


class _DoctestsInTemporaryFolders:
    """Run each doctest (``--doctest-modules``) in a new, empty temporary working folder.

    An example that writes a file by a relative name (``m.save("map.html")``) then
    writes into a folder removed afterwards, never into the repository. A plugin
    registered here, not a hook of this conftest, since conftest hooks only reach the
    tests under ``tests/`` and the doctests are collected from ``rangemap/``.
    """

    @pytest.hookimpl(wrapper=True)
    def pytest_runtest_call(self, item: pytest.Item) -> Generator[None, None, None]:
        if not isinstance(item, DoctestItem):
            return (yield)
        back = Path.cwd()
        with tempfile.TemporaryDirectory(prefix="rangemap-doctest-") as folder:
            os.chdir(folder)
            try:
                return (yield)
            finally:
                os.chdir(back)


def pytest_configure(config: pytest.Config) -> None:
    config.pluginmanager.register(_DoctestsInTemporaryFolders(), "rangemap-doctest-folders")
