"""The wheel ships the built-in catalog, and an installed rangemap finds it.

The wheel is built offline (``--no-build-isolation`` uses the hatchling of the test
environment), unpacked into a temporary folder and imported from there, from another
working folder, so that the repository's ``specs/`` cannot be what is found.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from rangemap.catalog import Catalog

ROOT = Path(__file__).resolve().parents[1]

PROBE = """
import json
from rangemap.catalog import builtin_specs_dir, load_catalog
catalog = load_catalog()
print(json.dumps({"dir": str(builtin_specs_dir()), "ids": list(catalog),
                  "claims": catalog.claim_count}))
"""


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("wheel")
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation",
         "--no-index", "-q", "-w", str(out), str(ROOT)],
        check=True,
        capture_output=True,
        timeout=300,
    )  # fmt: skip
    (path,) = out.glob("rangemap-*.whl")
    return path


def test_wheel_holds_every_spec(wheel: Path) -> None:
    with zipfile.ZipFile(wheel) as archive:
        names = set(archive.namelist())
    packaged = {Path(name).name for name in names if name.startswith("rangemap/specs/")}
    assert packaged == {path.name for path in (ROOT / "specs").glob("*.yaml")}
    assert "rangemap/py.typed" in names
    assert "rangemap/catalog/models.py" in names
    catalogs = {name for name in names if name.startswith("rangemap/words/locale/")}
    assert catalogs >= {f"rangemap/words/locale/{code}.po" for code in ("uk", "ru", "he", "ar")}


def test_installed_wheel_lists_the_same_systems(wheel: Path, tmp_path: Path) -> None:
    site = tmp_path / "site"
    with zipfile.ZipFile(wheel) as archive:
        archive.extractall(site)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    env = {**os.environ, "PYTHONPATH": str(site)}
    result = subprocess.run(
        [sys.executable, "-c", PROBE],
        cwd=elsewhere,
        env=env,
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
    )
    found = json.loads(result.stdout)
    assert Path(found["dir"]) == site / "rangemap" / "specs"
    repo = Catalog.load()
    assert found["ids"] == list(repo)
    assert found["claims"] == repo.claim_count
