"""The ``rangemap`` parser with its help texts made safe for reStructuredText.

sphinx-argparse reads help strings as reST, where terminal text such as ``*.yaml``
or ``|`` starts markup. This copy of the parser escapes those characters, so the CLI
page shows the same words as ``rangemap --help``.
"""

from __future__ import annotations

import argparse
import re

from rangemap.cli import build_parser as _build_parser

_MARKUP = re.compile(r"([\\*`|_\[\]<>])")


def _escape(text: str | None) -> str | None:
    if text is None or text == argparse.SUPPRESS:
        return text
    return _MARKUP.sub(r"\\\1", text)


def _escape_parser(parser: argparse.ArgumentParser) -> None:
    parser.description = _escape(parser.description)
    parser.epilog = _escape(parser.epilog)
    for action in parser._actions:
        action.help = _escape(action.help)
        if isinstance(action, argparse._SubParsersAction):
            for choice in action._choices_actions:
                choice.help = _escape(choice.help)
            for sub in {id(p): p for p in action.choices.values()}.values():
                _escape_parser(sub)


def build_parser() -> argparse.ArgumentParser:
    """Return the ``rangemap`` parser with reST-escaped help texts."""
    parser = _build_parser()
    _escape_parser(parser)
    return parser
