"""Shared fixtures, and a temporary working folder for every doctest."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Generator, Iterator
from pathlib import Path
from typing import Any

import pytest
from _pytest.doctest import DoctestItem
from hypothesis import settings
from offline_page import CHROMIUM, CHROMIUM_ARGS

# Property tests draw the same examples on every run, so a run is repeatable; rare cases
# found once are kept as @example.
settings.register_profile("rangemap", derandomize=True)
settings.load_profile("rangemap")

ROOT = Path(__file__).resolve().parents[1]
DATA = Path(__file__).resolve().parent / "data"


@pytest.fixture(scope="module")
def chromium_launched() -> Iterator[Any]:
    """A running Chromium for a test module; skips (or fails under CI) when none is found."""
    if not CHROMIUM.exists():
        reason = f"no Chromium at {CHROMIUM} (apt-get install chromium)"
        if os.environ.get("RANGEMAP_REQUIRE_BROWSER") == "1":
            pytest.fail(f"RANGEMAP_REQUIRE_BROWSER=1 but {reason}")
        pytest.skip(reason)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            yield launched
        finally:
            launched.close()


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
