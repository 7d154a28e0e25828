"""``python -m pytest`` runs the Examples of every module of rangemap as doctests.

No test keeps a list of modules whose doctests run: pytest collects them all
(``--doctest-modules`` over ``rangemap/``, pyproject.toml), each run in a temporary
working folder (tests/conftest.py).
"""

from __future__ import annotations

import subprocess
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "rangemap"


def test_pytest_collects_the_package_with_doctests() -> None:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    options = config["tool"]["pytest"]["ini_options"]
    assert "rangemap" in options["testpaths"]
    assert "--doctest-modules" in options["addopts"].split()
    assert "error" in options["filterwarnings"]


def test_every_module_with_examples_is_collected() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "--collect-only", "-q", "-p", "no:cacheprovider",
         "rangemap"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
        timeout=300,
    )  # fmt: skip
    assert result.returncode == 0, result.stdout + result.stderr
    collected = {line.split("::")[0] for line in result.stdout.splitlines() if "::" in line}
    with_examples = {
        path.relative_to(ROOT).as_posix()
        for path in PACKAGE.rglob("*.py")
        if ">>> " in path.read_text(encoding="utf-8")
    }
    assert with_examples <= collected
    for module in ("geodesy/__init__", "geodesy/_inputs", "geodesy/_accuracy", "regions", "units"):
        assert f"rangemap/{module}.py" in collected
