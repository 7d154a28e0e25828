"""What the ``rangemap`` subcommands share: common options, output checks and writing.

This module owns the ``--specs DIR`` option (:func:`add_specs_option`), the
``-o FILE`` option of commands that otherwise print to standard output
(:func:`add_stdout_output_option`) and writing their text (:func:`write_text`), and
:func:`check_output`, which refuses a map's output path before any work is done, and
:func:`report_resolved`, the one line per ``--from`` name saying what it was read as.
It imports neither the renderers nor the places: a command loads only what it uses.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from rangemap._io import write_atomic
from rangemap.escaping import terminal

if TYPE_CHECKING:
    from rangemap.places import Site

__all__ = [
    "add_specs_option",
    "add_stdout_output_option",
    "check_output",
    "import_folium_lean",
    "report_resolved",
    "write_text",
]


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
    path: Path,
    *,
    embed: bool = False,
    preset: str | None = None,
    max_bytes: int | None = None,
    embed_url: str | None = None,
) -> None:
    """Refuse an output path before any work; see :func:`rangemap.render.check_output`.

    The messages name the command-line options (``-o``, ``--embed``, ``--preset``,
    ``--max-bytes``, ``--embed-url``).
    """
    from rangemap import render  # the renderers: only for the commands that draw

    render.check_output(
        path,
        embed=embed,
        preset=preset,
        max_bytes=max_bytes,
        names=render.CLI_NAMES,
        embed_url=embed_url,
    )


def import_folium_lean() -> None:
    """Load folium for a command that writes a web page, without loading pandas.

    folium imports pandas only to accept a ``DataFrame`` where it takes a list of
    coordinates, which rangemap never passes; pandas is about a fifth of the time and
    a third of the memory of ``rangemap demo``. A command's process is rangemap's own,
    so no other code meets this folium; the Python API imports folium as it is.
    """
    if "folium" in sys.modules or "pandas" in sys.modules:
        return
    sys.modules["pandas"] = None  # type: ignore[assignment]  # folium: "no pandas here"
    try:
        import folium  # noqa: F401
    finally:
        if sys.modules.get("pandas", False) is None:
            del sys.modules["pandas"]


def report_resolved(texts: Sequence[str], sites: Sequence[Site]) -> None:
    """Print, on standard error, what each origin typed as a name or file was read as.

    One line each, such as ``rangemap: China → territory of China (CN)`` or
    ``rangemap: Kharkiv → Kharkiv, UA — 49.9808 N, 36.2527 E, population 1,421,125``
    (:attr:`rangemap.places.Site.resolved`), once the command has done its work (an
    error stays the one line it is), so no name is resolved silently; coordinates
    print nothing. Both are cleaned for the terminal.

    Parameters
    ----------
    texts : sequence of str
        The ``--from`` values as typed.
    sites : sequence of Site
        The origins they were read as, in the same order.
    """
    for text, site in zip(texts, sites, strict=False):
        if site.resolved is not None:
            print(f"rangemap: {terminal(text)} \u2192 {terminal(site.resolved)}", file=sys.stderr)
