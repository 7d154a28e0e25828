"""The API reference (docs/api.rst) lists every public module of the package."""

from __future__ import annotations

import pkgutil
import re
from pathlib import Path

import rangemap

API = Path(__file__).resolve().parent.parent / "docs" / "api.rst"


def _public_modules() -> set[str]:
    names = {"rangemap"}
    for info in pkgutil.walk_packages(rangemap.__path__, "rangemap."):
        if not any(part.startswith("_") for part in info.name.split(".")):
            names.add(info.name)
    return names


def _listed() -> set[str]:
    return set(re.findall(r"^   (rangemap(?:\.\w+)*)\s*$", API.read_text("utf-8"), re.MULTILINE))


def test_every_public_module_is_listed() -> None:
    missing = sorted(_public_modules() - _listed())
    assert not missing, f"add these to docs/api.rst: {missing}"


def test_every_listed_module_exists() -> None:
    assert _listed() - _public_modules() == set()


def test_only_the_public_render_modules_are_listed() -> None:
    listed = {name for name in _listed() if name.startswith("rangemap.render.")}
    assert listed == {
        f"rangemap.render.{n}"
        for n in ("page", "html", "interactive", "static", "vector", "export", "describe")
    }
