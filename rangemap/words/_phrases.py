"""Every phrase rangemap can print, found in its own source: what each catalog must translate.

This module owns the list of phrases a message catalog (``locale/<language>.po``) has to
cover. Phrases are found without importing the renderers (the words layer sits below
them):

- the first argument of every call ``w("...")``, ``self("...")``, ``words("...")`` and
  ``.plural("...", "...", n)`` (a :class:`~rangemap.words.Words` called by its usual
  names) in the package's Python files, read from their syntax trees (f-strings too);
- the phrases kept in named constants and passed to a ``Words`` by name
  (:data:`NAMED`): every string in the constant's value (a dict's values only).

``scripts/build_phrase_table.py`` writes the reviewers' table (docs/languages.md) from it
and ``tests/test_words.py`` checks that every catalog translates every phrase.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass
from pathlib import Path

__all__ = ["DERIVED", "NAMED", "Phrase", "code_phrases"]

PACKAGE = Path(__file__).resolve().parents[1]

#: The names a :class:`~rangemap.words.Words` is called by in rangemap's source.
KEYWORDS = frozenset({"w", "self", "words", "_w"})

#: Constants holding phrases that reach a ``Words`` by name: (file under rangemap/, name).
NAMED = (
    ("words/__init__.py", "METHOD_NOTE"),
    ("words/__init__.py", "CHOSEN_NOTE"),
    ("words/__init__.py", "MIXED_NOTE"),
    ("words/__init__.py", "OTHER_KINDS_NOTE"),
    ("words/__init__.py", "CAVEATS"),
    ("words/__init__.py", "_CLASS_PHRASES"),
    ("words/__init__.py", "_KIND_PLURALS"),
    ("words/__init__.py", "_QUALIFIED"),
    ("words/__init__.py", "_VOICE_ONE"),
    ("words/__init__.py", "_VOICE_MANY"),
    ("words/__init__.py", "_VOICE_UNKNOWN"),
    ("places/gazetteer.py", "GEONAMES_CREDIT"),
    ("regions.py", "ATTRIBUTION"),
    ("render/_placemarks.py", "SUM_NOTE"),
    ("render/_placemarks.py", "heads"),
    ("render/_points.py", "heads"),
    ("render/_static_text.py", "PROJECTION_NOTE"),
    ("render/_webcrs.py", "TILES_NOTE"),
)

#: Phrases made from a constant by the code that prints them: (phrase, where).
DERIVED = (
    # credit_html: the GeoNames credit without its licence, which is a link.
    ("Places: GeoNames (geonames.org)", "render/_placemarks.py:credit_html"),
)

#: Arguments of ``words(...)`` that are language codes, not phrases.
_NOT_PHRASES = frozenset({"en", "uk", "ru", "he", "ar"})


@dataclass(frozen=True, slots=True)
class Phrase:
    """A phrase of rangemap's (English text, the gettext message id) and where it is used.

    Parameters
    ----------
    text : str
        The English phrase.
    plural : str or None
        Its plural, for a phrase that depends on a number.
    where : tuple of str
        ``file:line`` of its uses, under ``rangemap/``.
    """

    text: str
    plural: str | None
    where: tuple[str, ...]


def _strings(node: ast.expr) -> list[str]:
    if isinstance(node, ast.Dict):
        return [s for value in node.values if value is not None for s in _strings(value)]
    return [
        sub.value
        for sub in ast.walk(node)
        if isinstance(sub, ast.Constant) and isinstance(sub.value, str)
    ]


def _named(path: Path, name: str) -> list[tuple[str, int]]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found: list[tuple[str, int]] = []
    for node in ast.walk(tree):
        targets: list[ast.expr] = []
        value: ast.expr | None = None
        if isinstance(node, ast.Assign):
            targets, value = node.targets, node.value
        elif isinstance(node, ast.AnnAssign) and node.value is not None:
            targets, value = [node.target], node.value
        if value is None or not any(isinstance(t, ast.Name) and t.id == name for t in targets):
            continue
        found += [(text, value.lineno) for text in _strings(value)]
    if not found:
        msg = f"rangemap/{path.relative_to(PACKAGE)}: no phrase constant {name}"
        raise LookupError(msg)
    return found


def _calls(path: Path) -> list[tuple[str, str | None, int]]:
    """Return ``(phrase, plural, line)`` for every call of a Words in a file (f-strings too)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found: list[tuple[str, str | None, int]] = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call) or not node.args:
            continue
        func = node.func
        args = [a.value if isinstance(a, ast.Constant) else None for a in node.args[:2]]
        if isinstance(func, ast.Attribute) and func.attr == "plural":
            if len(args) == 2 and isinstance(args[0], str) and isinstance(args[1], str):
                found.append((args[0], args[1], node.lineno))
        elif isinstance(func, ast.Name) and func.id in KEYWORDS and isinstance(args[0], str):
            found.append((args[0], None, node.lineno))
    return found


def code_phrases(root: Path | None = None) -> list[Phrase]:
    """Return every phrase the package can print, in order of first use.

    Examples
    --------
    >>> texts = [p.text for p in code_phrases()]
    >>> "Sources" in texts and "Reset view" in texts and "Measured from {places}" in texts
    True
    """
    root = PACKAGE if root is None else root
    uses: dict[str, list[str]] = {}
    plurals: dict[str, str] = {}
    for path in sorted(root.rglob("*.py")):
        where = str(path.relative_to(root))
        for text, plural, line in sorted(_calls(path), key=lambda found: found[2]):
            if text in _NOT_PHRASES:
                continue
            if plural is not None:
                plurals[text] = plural
            uses.setdefault(text, []).append(f"{where}:{line}")
    for file, name in NAMED:
        for text, line in _named(root / file, name):
            uses.setdefault(text, []).append(f"{file}:{line}")
    for text, where in DERIVED:
        uses.setdefault(text, []).append(where)
    return [
        Phrase(text, plurals.get(text), tuple(dict.fromkeys(where)))
        for text, where in uses.items()
        if text.strip()
    ]
