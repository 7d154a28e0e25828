"""The notebooks in notebooks/ run top to bottom, offline, and are stored without outputs."""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))
#: Files a notebook publishes, relative to the folder it runs in.
EXPECTED_FILES = {
    "01-atacms-from-scratch.ipynb": [
        f"atacms-output/atacms{suffix}" for suffix in (".html", ".png", ".pdf", ".geojson", ".kml")
    ],
    "03-reach-from-a-front-line.ipynb": [
        "illustrative-line.geojson",
        "line-output/storm-shadow-line.html",
        "line-output/storm-shadow-line.png",
        "line-output/storm-shadow-line.gpkg",
    ],
}


def test_there_are_notebooks() -> None:
    assert [p.name for p in NOTEBOOKS] == [
        "01-atacms-from-scratch.ipynb",
        "02-comparing-claims.ipynb",
        "03-reach-from-a-front-line.ipynb",
    ]


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_notebook_is_stored_without_outputs(path: Path) -> None:
    notebook = json.loads(path.read_text(encoding="utf-8"))
    for cell in notebook["cells"]:
        if cell["cell_type"] == "code":
            assert cell["outputs"] == [], f"{path.name}: strip the outputs before committing"
            assert cell["execution_count"] is None


@pytest.mark.slow
@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_notebook_runs(path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    nbformat = pytest.importorskip("nbformat", reason="running notebooks needs nbformat")
    nbclient = pytest.importorskip("nbclient", reason="running notebooks needs nbclient")
    pytest.importorskip("ipykernel", reason="running notebooks needs ipykernel")
    notebook = nbformat.read(path, as_version=4)
    # The kernel runs this interpreter, so it sees the installed rangemap.
    monkeypatch.setenv(
        "PATH", os.pathsep.join([str(Path(sys.executable).parent), os.environ.get("PATH", "")])
    )
    client = nbclient.NotebookClient(
        notebook,
        timeout=60,
        kernel_name="python3",
        resources={"metadata": {"path": str(tmp_path)}},
    )
    client.execute()
    errors = [
        output
        for cell in notebook.cells
        if cell.cell_type == "code"
        for output in cell.outputs
        if output.output_type == "error"
    ]
    assert not errors
    for name in EXPECTED_FILES.get(path.name, ()):
        assert (tmp_path / name).stat().st_size > 0, name
