"""Checks shared by the command-line tests: how ``rangemap`` refuses bad input."""

from __future__ import annotations

import pytest

from rangemap.cli import main


def one_error_line(args: list[str], capsys: pytest.CaptureFixture[str]) -> str:
    """Run ``rangemap ARGS``; check it exits 2 with one error line and prints nothing else.

    Returns
    -------
    str
        The error line, ``"rangemap: error: ..."``.
    """
    assert main(args) == 2
    out, err = capsys.readouterr()
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    assert lines[0].startswith("rangemap: error: ")
    assert out == ""
    return lines[0]
