"""``rangemap.cli.main``: undecodable arguments, terminal-safe errors, status 2.

Python reads command-line bytes that are not UTF-8 as lone surrogates
(``b"\\xff"`` becomes ``"\\udcff"``); ``main`` refuses them before any command runs,
naming the option. Every error it prints passes through ``escaping.terminal``.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from rangemap.cli import main

ROOT = Path(__file__).resolve().parents[1]
HINT = "the text is not valid UTF-8; check the text encoding of what you pasted"
#: An OSC 52 clipboard write, a bell and a clear-screen: none may reach a terminal.
ESCAPES = "\x1b]52;c;ZXZpbA==\x07\x1b[2J"


def _run_bytes(args: list[bytes], cwd: Path) -> subprocess.CompletedProcess[bytes]:
    command: list[str | bytes] = [sys.executable, "-m", "rangemap", *args]
    env = {**os.environ, "PYTHONUTF8": "1"}
    return subprocess.run(command, capture_output=True, cwd=cwd, env=env, timeout=120, check=False)


@pytest.mark.parametrize(
    ("args", "name"),
    [
        ([b"map", b"--from", b"Kyiv", b"--title", b"Kyiv \xff", b"-o", b"kyiv.html"], "--title"),
        ([b"map", b"atacms", b"--from", b"Sumy\xfe", b"-o", b"sumy.html"], "--from"),
        ([b"map", b"atacms", b"--from=Kharkiv\xc3", b"-o", b"kharkiv.html"], "--from"),
        ([b"map", b"\xffatacms", b"--from", b"Sumy", b"-o", b"sumy.html"], "SYSTEM[:VARIANT]"),
        ([b"map", b"atacms", b"--from", b"Sumy", b"-o", b"\xff.html"], "-o"),
        ([b"distance", b"Kyiv", b"Lviv\x96"], "PLACE"),
    ],
)
def test_undecodable_argument_in_a_real_process(
    args: list[bytes], name: str, tmp_path: Path
) -> None:
    result = _run_bytes(args, tmp_path)
    assert result.returncode == 2
    assert result.stdout == b""
    assert result.stderr.decode("utf-8") == f"rangemap: error: {name}: {HINT}\n"
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize(
    ("argv", "name"),
    [
        (["map", "--title", "Kyiv \udcff", "--from", "Kyiv", "-o", "x.html"], "--title"),
        (["map", "--subtitle=\udcff", "--from", "Kyiv", "-o", "x.html"], "--subtitle"),
        (["map", "atacms", "--from", "Sumy", "-ox\udcff.html"], "-o"),
        (["map", "--recipe", "maps/\udcff.yaml", "-o", "x.html"], "--recipe"),
        (["map", "atacms", "--from", "Sumy", "--specs", "\udcff", "-o", "x.html"], "--specs"),
        (["map", "--spread", "atacms\udcff", "--from", "Sumy", "-o", "x.html"], "SYSTEM[:VARIANT]"),
        (["map", "--ti\udcfftle", "Kyiv"], "argument 2 ('--ti\ufffdtle')"),
        (["distance", "Kyiv\udcff", "Lviv"], "PLACE"),
        (["specs", "show", "atacms\udcff"], "SYSTEM"),
        (["specs", "validate", "specs", "more\udcff"], "DIR"),
        (["places", "atacms", "--from", "Sumy", "--country", "R\udcffU"], "--country"),
        (["\udcff"], "argument 1"),
    ],
)
def test_undecodable_argument_names_its_option(
    argv: list[str], name: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(argv) == 2
    captured = capsys.readouterr()
    assert (captured.out, captured.err) == ("", f"rangemap: error: {name}: {HINT}\n")


def test_escape_sequences_in_user_text_never_reach_the_terminal(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "out.html"
    assert main(["map", "atacms", "--from", f"Kyiv{ESCAPES}", "-o", str(out)]) == 2
    err = capsys.readouterr().err
    assert err.startswith("rangemap: error: --from: ")
    assert err.count("\n") == 1
    assert err.removesuffix("\n").isprintable()
    assert not out.exists()


def test_escape_sequences_in_a_file_name_never_reach_the_terminal(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    recipe = tmp_path / f"map{ESCAPES}.yaml"
    recipe.write_text("title: [unclosed\n", encoding="utf-8")
    assert main(["map", "--recipe", str(recipe), "-o", str(tmp_path / "out.html")]) == 2
    err = capsys.readouterr().err
    assert "\x1b" not in err
    assert "\x07" not in err
    assert err.startswith(f"rangemap: error: {tmp_path}/map]52;c;ZXZpbA==[2J.yaml: line 2")


def test_several_spec_problems_keep_one_line_each_and_are_clean(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    specs = tmp_path / "specs"
    specs.mkdir()
    (specs / f"bad{ESCAPES}.yaml").write_text("- a list\n", encoding="utf-8")
    (specs / "empty.yaml").write_text("", encoding="utf-8")
    out = tmp_path / "out.html"
    sumy = "50.9077, 34.7981=Sumy"  # coordinates: no line saying what a name was read as
    code = main(["map", "atacms", "--from", sumy, "--specs", str(specs), "-o", str(out)])
    err = capsys.readouterr().err
    assert code == 2
    lines = err.removesuffix("\n").split("\n")
    assert len(lines) == 2
    assert lines[0].startswith("rangemap: error: ")
    assert all(line.isprintable() for line in lines)
    assert any("bad]52;c;ZXZpbA==[2J.yaml: the top level is a list" in line for line in lines)


def test_usage_errors_are_clean_and_short(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as info:
        main(["map", "--preset", f"poster{ESCAPES}" + "x" * 100_000, "-o", "x.png"])
    assert info.value.code == 2
    err = capsys.readouterr().err
    last = err.removesuffix("\n").split("\n")[-1]
    assert last.startswith("rangemap map: error: argument --preset: invalid choice: 'poster")
    assert last.isprintable()
    assert len(last) <= 600
    assert "\x1b" not in err
