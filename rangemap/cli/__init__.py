"""The ``rangemap`` command: argument parsing and error reporting.

Each subcommand lives in its own module of this package and exposes
``register(subparsers)``: given the object returned by
:meth:`argparse.ArgumentParser.add_subparsers`, it adds its parser and sets
``handler`` to a function ``(args) -> int``. Options several subcommands share are
in ``rangemap.cli._common``. Handlers use only rangemap's public API.
A :class:`~rangemap.errors.RangemapError` becomes one line on standard error
and exit status 2, never a traceback.
"""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Sequence

from rangemap.errors import RangemapError

__all__ = ["build_parser", "main"]

#: Subcommand modules, in the order ``rangemap --help`` lists them.
COMMANDS: tuple[str, ...] = ("specs", "places", "map", "demo")


def build_parser() -> argparse.ArgumentParser:
    """Build the parser of the ``rangemap`` command.

    Returns
    -------
    argparse.ArgumentParser
        The parser with every subcommand registered.
    """
    from rangemap import __version__

    parser = argparse.ArgumentParser(
        prog="rangemap",
        description=(
            "Cited, exact reach maps of publicly reported weapon-system ranges, "
            "drawn on the WGS84 ellipsoid and rendered offline."
        ),
    )
    parser.add_argument("--version", action="version", version=f"rangemap {__version__}")
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    for name in COMMANDS:
        module = importlib.import_module(f"rangemap.cli.{name}")
        module.register(subparsers)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the ``rangemap`` command.

    Parameters
    ----------
    argv : sequence of str, optional
        Arguments without the program name; ``sys.argv[1:]`` when omitted.

    Returns
    -------
    int
        0 on success, 2 on a user error (message on standard error), 130 on Ctrl-C.
    """
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return int(args.handler(args))
    except RangemapError as err:
        print(f"rangemap: error: {err}", file=sys.stderr)
        return 2
    except OSError as err:
        where = f": {err.filename}" if err.filename else ""
        print(f"rangemap: error: {err.strerror or err}{where}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130
