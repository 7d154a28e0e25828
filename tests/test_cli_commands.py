"""The ``rangemap`` command's table of subcommands, and that it loads only what it runs."""

from __future__ import annotations

import argparse
import importlib.util
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

import rangemap.cli
from rangemap.cli import COMMANDS, build_parser, main

ROOT = Path(__file__).resolve().parents[1]

#: Prints the rangemap.cli modules and heavy libraries loaded after running the arguments.
PROBE = """
import contextlib, io, sys
from rangemap.cli import main
with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
    try:
        main(sys.argv[1:])
    except SystemExit:
        pass
heavy = ("numpy", "shapely", "pyproj", "pandas", "geopandas", "folium", "matplotlib",
         "pydantic", "rangemap.catalog")
print(" ".join(sorted(m for m in sys.modules if m.startswith("rangemap.cli."))))
print(" ".join(sorted(m for m in heavy if m in sys.modules)))
"""


def _loaded(*args: str) -> tuple[list[str], list[str]]:
    result = subprocess.run(
        [sys.executable, "-c", PROBE, *args],
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
    )
    commands, heavy = result.stdout.split("\n")[:2]
    return commands.split(), heavy.split()


def _subcommands(parser: argparse.ArgumentParser) -> argparse._SubParsersAction[Any]:
    (action,) = (a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    return action


def _placeholder(parser: argparse.ArgumentParser) -> bool:
    """Whether a subcommand's parser is the stand-in that only lists it in the help."""
    return not parser.add_help


def test_each_command_module_gives_the_summary_of_the_table() -> None:
    action = _subcommands(build_parser())
    assert list(action.choices) == list(COMMANDS)
    assert {c.dest: c.help for c in action._choices_actions} == COMMANDS


def test_help_without_the_modules_is_the_full_help() -> None:
    assert build_parser(()).format_help() == build_parser().format_help()


def test_each_command_lives_in_its_own_module() -> None:
    for name in COMMANDS:
        action = _subcommands(build_parser([name]))
        full = [n for n, parser in action.choices.items() if not _placeholder(parser)]
        assert full == [name]


@pytest.mark.parametrize("args", [["--version"], ["--help"], [], ["no-such-command"]])
def test_version_and_help_load_no_command(args: list[str]) -> None:
    assert _loaded(*args) == ([], [])


def test_a_command_loads_its_own_module_only() -> None:
    commands, _ = _loaded("distance", "--help")
    assert commands == ["rangemap.cli.distance"]
    commands, _ = _loaded("specs", "list", "--help")
    assert "rangemap.cli.specs" in commands
    assert "rangemap.cli.map" not in commands


def test_a_command_the_quick_look_misses_is_parsed_in_full(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(rangemap.cli, "_command_named", lambda arguments: [])
    assert main(["distance", "50, 30", "50, 31"]) == 0
    assert "distance: 71.695 km" in capsys.readouterr().out


def test_the_docs_parser_has_every_command_in_full() -> None:
    spec = importlib.util.spec_from_file_location("_cli_parser", ROOT / "docs" / "_cli_parser.py")
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    action = _subcommands(module.build_parser())
    assert list(action.choices) == list(COMMANDS)
    assert not any(_placeholder(parser) for parser in action.choices.values())
