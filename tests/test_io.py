"""Atomic writes: errors name the destination the user gave, never the temporary file."""

from __future__ import annotations

from pathlib import Path

import pytest

from rangemap._io import write_atomic
from rangemap.cli import main
from rangemap.errors import InputError

UNWRITABLE = Path("/proc")  # a folder nobody, root included, may create files in


def test_write_atomic_replaces_the_file(tmp_path: Path) -> None:
    target = tmp_path / "kyiv.txt"
    target.write_text("old")
    assert write_atomic(target, "Kyiv 50.45, 30.52") == target
    assert target.read_text() == "Kyiv 50.45, 30.52"
    assert [p.name for p in tmp_path.iterdir()] == ["kyiv.txt"]


@pytest.mark.skipif(not UNWRITABLE.is_dir(), reason="needs Linux /proc as an unwritable folder")
def test_unwritable_folder_names_the_destination() -> None:
    with pytest.raises(InputError) as info:
        write_atomic(UNWRITABLE / "sumy.html", "<p>Sumy</p>")
    message = str(info.value)
    assert message.startswith("output '/proc/sumy.html': cannot write there")
    assert ".tmp" not in message
    assert "choose a folder" in message


@pytest.mark.skipif(not UNWRITABLE.is_dir(), reason="needs Linux /proc as an unwritable folder")
def test_cli_reports_the_output_path(capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["map", "atacms", "--from", "Sumy", "-o", str(UNWRITABLE / "x.html")])
    _, err = capsys.readouterr()
    assert code == 2
    assert "'/proc/x.html'" in err
    assert ".tmp" not in err
    assert len(err.strip().splitlines()) == 1
