"""The ``rangemap`` command: argument parsing and error reporting.

Each subcommand lives in the module of this package named after it and exposes
``register(subparsers)``: given the object returned by
:meth:`argparse.ArgumentParser.add_subparsers`, it adds its parser and sets
``handler`` to a function ``(args) -> int``. Options several subcommands share are
in ``rangemap.cli._common``. Handlers use only rangemap's public API.
A command is a module of this package with a ``HELP`` summary; it is imported only
when that command runs (or its help is asked for): ``rangemap --version`` and
``rangemap --help`` read the summaries (:data:`COMMANDS`) from the sources and load
neither the catalog nor numpy, shapely, pyproj or folium.
A :class:`~rangemap.errors.RangemapError` becomes one line on standard error
and exit status 2, never a traceback. Everything printed about an error passes
through :func:`rangemap.escaping.terminal`, so no escape sequence from a file name,
a spec or an argument reaches the terminal; an argument that is not valid UTF-8 is
refused, naming its option, before any command runs.
"""

from __future__ import annotations

import argparse
import ast
import importlib
import re
import sys
import warnings
from collections.abc import Collection, Sequence
from pathlib import Path
from typing import NoReturn, TextIO

from rangemap.errors import InputError, RangemapError
from rangemap.escaping import quote, terminal

__all__ = ["build_parser", "main"]

#: Where ``rangemap --help`` lists the commands it knows; any other comes after them.
_ORDER = ("specs", "distance", "places", "map", "demo")


def _summary(source: str) -> str | None:
    """Return the ``HELP`` string a command module's source assigns, or ``None``.

    Only the assignment itself is parsed (from its line to the first line that
    closes it), not the whole module: listing the commands stays quick.
    """
    match = re.search(r"^HELP = ", source, flags=re.MULTILINE)
    if match is None:
        return None
    lines = source[match.start() :].splitlines()
    for end in range(1, min(len(lines), 20) + 1):
        try:
            [node] = ast.parse("\n".join(lines[:end])).body
        except (SyntaxError, ValueError):
            continue
        if (
            isinstance(node, ast.Assign)
            and isinstance(node.value, ast.Constant)
            and isinstance(node.value.value, str)
        ):
            return node.value.value
        return None
    return None


def _discover() -> dict[str, str]:
    """Return every command of this package with its one-line summary, in help order.

    A command is a module here whose name does not start with ``_``; its summary is its
    ``HELP`` string, read from the source (:func:`_summary`) so that listing the
    commands imports none of them (``rangemap --version`` and ``--help`` stay fast).
    """
    folder = Path(__file__).resolve().parent
    found: dict[str, str] = {}
    for path in sorted(folder.iterdir()):
        name, dot, suffix = path.name.partition(".")
        if name.startswith("_") or not dot or suffix not in ("py", "pyc") or name in found:
            continue
        source = folder / f"{name}.py"
        if source.is_file():
            help_line = _summary(source.read_text(encoding="utf-8"))
        else:  # installed without sources: import it instead
            help_line = getattr(importlib.import_module(f"{__name__}.{name}"), "HELP", None)
        if isinstance(help_line, str):
            found[name] = help_line
    rank = {name: i for i, name in enumerate(_ORDER)}
    return dict(sorted(found.items(), key=lambda item: (rank.get(item[0], len(rank)), item[0])))


#: The subcommands, in the order ``rangemap --help`` lists them, with their one-line
#: help: each module ``rangemap.cli.<name>`` with a ``HELP`` string (so a new command is
#: its own module and its test, nothing else).
COMMANDS: dict[str, str] = _discover()

#: The longest error message printed; the rest is cut with an ellipsis.
_MAX_MESSAGE = 500


def _shorten(text: str) -> str:
    return text if len(text) <= _MAX_MESSAGE else text[: _MAX_MESSAGE - 1] + "\u2026"


class _Parser(argparse.ArgumentParser):
    """An argument parser whose usage errors are terminal-safe and short."""

    def error(self, message: str) -> NoReturn:
        """Print the usage and one cleaned line (the value may be user text), exit 2."""
        self.print_usage(sys.stderr)
        self.exit(2, f"{self.prog}: error: {_shorten(terminal(message))}\n")


def build_parser(commands: Collection[str] | None = None) -> argparse.ArgumentParser:
    """Build the parser of the ``rangemap`` command.

    Parameters
    ----------
    commands : collection of str, optional
        The subcommands to register in full, importing their modules; every other
        subcommand gets a placeholder that only lists it, with its summary, in
        ``rangemap --help``. All of them when omitted.

    Returns
    -------
    argparse.ArgumentParser
        The parser with every subcommand registered (the ones asked for in full).
    """
    from rangemap import __version__

    parser = _Parser(
        prog="rangemap",
        description=(
            "Cited, exact reach maps of publicly reported weapon-system ranges, "
            "drawn on the WGS84 ellipsoid and rendered offline."
        ),
    )
    parser.add_argument("--version", action="version", version=f"rangemap {__version__}")
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    for name, summary in COMMANDS.items():
        if commands is None or name in commands:
            importlib.import_module(f"{__name__}.{name}").register(subparsers)
        else:
            placeholder = subparsers.add_parser(name, help=summary, add_help=False)
            placeholder.add_argument("rest", nargs=argparse.REMAINDER, help=argparse.SUPPRESS)
            placeholder.set_defaults(handler=None)
    return parser


def _command_named(arguments: Sequence[str]) -> list[str]:
    """Return the subcommand the arguments name, as a list of at most one name.

    ``rangemap`` itself has only options without values (``-h``, ``--version``), so
    the first argument that is not an option (or the one after ``--``) is the
    subcommand.
    """
    for index, text in enumerate(arguments):
        if text == "--":
            return [name for name in arguments[index + 1 : index + 2] if name in COMMANDS]
        if not text.startswith("-"):
            return [text] if text in COMMANDS else []
    return []


def main(argv: Sequence[str] | None = None) -> int:
    r"""Run the ``rangemap`` command.

    Parameters
    ----------
    argv : sequence of str, optional
        Arguments without the program name; ``sys.argv[1:]`` when omitted.

    Returns
    -------
    int
        0 on success, 2 on a user error (message on standard error), 130 on Ctrl-C.

    Examples
    --------
    An argument with bytes that are not UTF-8 (Python reads them as lone surrogates)
    is refused before the command runs:

    >>> import contextlib, io
    >>> stderr = io.StringIO()
    >>> with contextlib.redirect_stderr(stderr):
    ...     main(["map", "--from", "Kyiv", "--title", "Kyiv \udcff", "-o", "kyiv.html"])
    2
    >>> print(stderr.getvalue().strip())  # doctest: +ELLIPSIS
    rangemap: error: --title: the text is not valid UTF-8; check the text encoding of what...
    """
    with warnings.catch_warnings():
        warnings.simplefilter("default", UserWarning)
        warnings.showwarning = _print_warning
        return _main(list(sys.argv[1:] if argv is None else argv))


def _main(arguments: list[str]) -> int:
    parser = build_parser(_command_named(arguments))
    try:
        _refuse_undecodable(parser, arguments)
        args = parser.parse_args(arguments)
        if args.handler is None:  # a placeholder was chosen after all: parse in full
            parser = build_parser()
            _refuse_undecodable(parser, arguments)
            args = parser.parse_args(arguments)
        return int(args.handler(args))
    except RangemapError as err:
        _print_error(str(err))
        return 2
    except OSError as err:
        where = f": {err.filename}" if err.filename else ""
        _print_error(f"{err.strerror or err}{where}")
        return 2
    except KeyboardInterrupt:
        return 130


def _print_warning(
    message: Warning | str,
    category: type[Warning],
    filename: str,
    lineno: int,
    file: TextIO | None = None,
    line: str | None = None,
) -> None:
    """Print a warning on standard error as one ``rangemap: warning:`` line."""
    text = " ".join(_shorten(terminal(part)) for part in str(message).split("\n"))
    print(f"rangemap: warning: {text}", file=sys.stderr)


def _print_error(message: str) -> None:
    """Print an error on standard error: every line cleaned for the terminal and shortened.

    A message of several lines (the problems of several spec files) keeps one
    problem per line; no line can carry an escape sequence, a bell or a carriage
    return.
    """
    lines = [_shorten(terminal(line)) for line in message.split("\n")]
    lines[0] = f"rangemap: error: {lines[0]}"
    print("\n".join(lines), file=sys.stderr)


def _valid(text: str) -> bool:
    """Whether ``text`` has no lone surrogate (an undecodable byte of the command line)."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _refuse_undecodable(parser: argparse.ArgumentParser, arguments: Sequence[str]) -> None:
    """Raise InputError naming the first argument that is not valid UTF-8, if any.

    Python reads the bytes of a command line that are not UTF-8 as lone surrogates;
    they would fail later, in the middle of a map, as an encoding error.
    """
    for index, text in enumerate(arguments):
        if not _valid(text):
            name = _argument_name(parser, arguments, index)
            msg = f"{name}: the text is not valid UTF-8; check the text encoding of what you pasted"
            raise InputError(msg)


def _argument_name(parser: argparse.ArgumentParser, arguments: Sequence[str], index: int) -> str:
    """Name the option (``--title``) or positional (``SYSTEM``) that ``arguments[index]`` is."""
    command, options, taken = _command_at(parser, arguments[:index])
    text = arguments[index]
    if text.startswith("-") and len(text) > 1:
        head = text.split("=", 1)[0]
        if "=" in text and _valid(head):
            return head  # --title=...
        if not text.startswith("--") and options.get(text[:2], False):
            return text[:2]  # -oFILE
        return f"argument {index + 1} ({quote(text, limit=40)})"
    if index > 0 and options.get(arguments[index - 1], False):
        return arguments[index - 1]  # --title TEXT
    for action in command._actions:
        if action.option_strings or isinstance(action, argparse._SubParsersAction):
            continue
        if taken <= 0 or action.nargs in ("*", "+", argparse.REMAINDER):
            return str(action.metavar or action.dest.upper())
        taken -= 1
    return f"argument {index + 1}"


def _command_at(
    parser: argparse.ArgumentParser, before: Sequence[str]
) -> tuple[argparse.ArgumentParser, dict[str, bool], int]:
    """Follow the arguments ``before`` to the (sub)command they name.

    Returns the parser of the deepest subcommand named, a mapping of the option
    strings seen so far to whether each takes a value, and how many positional values
    were given to that subcommand.
    """
    command = parser
    options = _options(command)
    positionals = 0
    skip = False
    for text in before:
        if skip:
            skip = False
            continue
        if text.startswith("-") and len(text) > 1:
            skip = "=" not in text and options.get(text, False)
            continue
        sub = next(
            (
                action.choices[text]
                for action in command._actions
                if isinstance(action, argparse._SubParsersAction) and text in action.choices
            ),
            None,
        )
        if sub is None:
            positionals += 1
        else:
            command, positionals = sub, 0
            options.update(_options(command))
    return command, options, positionals


def _options(command: argparse.ArgumentParser) -> dict[str, bool]:
    """Map each option string of a parser to whether it takes a value."""
    return {
        option: action.nargs != 0 for action in command._actions for option in action.option_strings
    }
