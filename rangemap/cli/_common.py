"""What the ``rangemap`` subcommands share: common options, output checks and writing.

This module owns the ``--specs DIR`` option (:func:`add_specs_option`), the
``-o FILE`` option of commands that otherwise print to standard output
(:func:`add_stdout_output_option`) and writing their text (:func:`write_text`), and
:func:`check_output`, which refuses a map's output path before any work is done.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from rangemap._io import destination_problem, write_atomic
from rangemap.errors import InputError
from rangemap.escaping import quote
from rangemap.scene import MAX_BYTES_SUFFIXES, PRESET_SUFFIXES, embed_path, writers

__all__ = ["add_specs_option", "add_stdout_output_option", "check_output", "write_text"]


def add_specs_option(parser: argparse.ArgumentParser) -> None:
    """Add ``--specs DIR`` (repeatable): folders of the user's own specs."""
    parser.add_argument(
        "--specs",
        metavar="DIR",
        action="append",
        default=[],
        type=Path,
        help="a folder of your own *.yaml specs, merged over the built-in ones (repeatable)",
    )


def add_stdout_output_option(parser: argparse.ArgumentParser) -> None:
    """Add ``-o FILE`` to a command that prints to standard output without it."""
    parser.add_argument(
        "-o", "--output", metavar="FILE", type=Path, help="write here instead of to stdout"
    )


def write_text(text: str, output: Path | None) -> None:
    """Write ``text`` to ``output`` atomically, or to standard output when it is ``None``."""
    if output is None:
        sys.stdout.write(text)
    else:
        write_atomic(output, text)


def check_output(
    path: Path, *, embed: bool = False, preset: str | None = None, max_bytes: int | None = None
) -> None:
    """Refuse an output path before any work: unknown suffix, option, missing folder.

    With ``embed``, the snippet's path (:func:`rangemap.scene.embed_path`) is checked too,
    so a command never writes the map and then fails on the snippet.

    Parameters
    ----------
    path : pathlib.Path
        Where the map will be written.
    embed : bool, optional
        Whether an embed snippet is asked for (HTML only).
    preset : str, optional
        The ``--preset`` given, if any (static images only).
    max_bytes : int, optional
        The ``--max-bytes`` given, if any (GeoJSON only).

    Raises
    ------
    InputError
        With the argument, the bad value and what to do.
    """
    suffix = path.suffix.lower()
    if suffix not in writers():
        shown = quote(suffix) if suffix else "(none)"
        msg = (
            f"-o: {quote(str(path))} has suffix {shown}, which is not supported; "
            f"use one of {', '.join(writers())}"
        )
        raise InputError(msg)
    if embed and suffix not in (".html", ".htm"):
        msg = f"--embed: only .html maps can be embedded, not {quote(str(path))}"
        raise InputError(msg)
    if preset is not None and suffix not in PRESET_SUFFIXES:
        msg = (
            f"--preset: sizes static images, not {quote(str(path))}; write a "
            f"{', '.join(PRESET_SUFFIXES)} file with -o or drop --preset"
        )
        raise InputError(msg)
    if max_bytes is not None and suffix not in MAX_BYTES_SUFFIXES:
        msg = (
            f"--max-bytes: limits GeoJSON files, not {quote(str(path))}; write a .geojson "
            "file with -o or drop --max-bytes"
        )
        raise InputError(msg)
    if max_bytes is not None and max_bytes < 1:
        msg = f"--max-bytes: {max_bytes} is not a size; give a whole number of bytes, e.g. 500000"
        raise InputError(msg)
    # Every output the command writes is checked here, before any work and any write.
    problem = destination_problem(path)
    if problem is not None:
        msg = f"-o: {problem}; give a file name in an existing folder, such as 'map.html'"
        raise InputError(msg)
    if embed:
        problem = destination_problem(embed_path(path))
        if problem is not None:
            msg = (
                f"--embed: cannot write the snippet, {problem}; move it away or choose "
                "another -o name"
            )
            raise InputError(msg)
