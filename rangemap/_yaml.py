"""Reading untrusted YAML: one safe reader for spec files and recipes.

A spec file or a recipe may come from anyone, so both are read here, the same way, into
plain data: mappings with text keys, lists, text, whole numbers, numbers, true/false and
empty values. Everything else is a problem, reported in plain words with its field and
line rather than raised as an exception of some other kind:

- the file: only a regular file (a recipe, named by whoever runs rangemap, may also be a
  character device), opened without waiting (a named pipe is never opened), at most
  :data:`MAX_BYTES` read (that many and one more, whatever its size says);
- the text: UTF-8, without the control characters YAML refuses;
- the YAML, read as one stream of events, never as a tree and without recursion: one
  document; no aliases (``*name``, so nothing is ever expanded: no "billion laughs");
  no ``<<`` merges; no tags but ``!!str``, ``!!int``, ``!!float``, ``!!bool``,
  ``!!null``, ``!!timestamp``, ``!!seq`` and ``!!map``; keys that are text, each once
  per mapping; at most :data:`MAX_DEPTH` levels of lists and mappings, at most
  :data:`MAX_VALUES` values and whole numbers of at most :data:`MAX_DIGITS` digits;
- scalars as YAML 1.2 (core schema) reads them: only ``true`` and ``false`` are
  booleans (``NO`` is Norway), ``1:30``, ``0b11`` and ``1_000`` are text, ``010`` is
  ten; dates stay text, for the caller's model to read and name the field.

Each problem is a :class:`Problem`: the field path (keys and list indexes), the line and
column where that helps, and the message, worded for the kind of file (``"spec file"``
or ``"recipe"``, see :data:`Kind`); the caller adds the file name and lays the line out.
Every value a message shows is quoted with :func:`rangemap.escaping.quote`.
"""

from __future__ import annotations

import codecs
import os
import re
import stat
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, ClassVar, Literal, Protocol

import yaml
from yaml.composer import ComposerError
from yaml.constructor import ConstructorError

from rangemap.escaping import character_name, quote, terminal

try:  # libyaml's parser, about twenty times faster, when PyYAML was built with it
    from yaml import CSafeLoader as _Parser
except ImportError:  # pragma: no cover - PyYAML without libyaml
    from yaml import SafeLoader as _Parser  # type: ignore[assignment]

__all__ = [
    "MAX_BYTES",
    "MAX_DEPTH",
    "MAX_DIGITS",
    "MAX_VALUES",
    "Kind",
    "Loader",
    "Problem",
    "YamlError",
    "load_yaml",
    "read_yaml",
]

#: The largest file read, in bytes (1 MB); a spec is a few kilobytes, a recipe less.
MAX_BYTES = 1_048_576
#: The deepest nesting of lists and mappings (the top-level mapping is the first level).
MAX_DEPTH = 32
#: The most values (texts, numbers, lists, mappings, keys) one file may hold.
MAX_VALUES = 100_000
#: The most digits (and letters, as in ``0x...``) of a whole number.
MAX_DIGITS = 30

#: The kinds of file read, as messages name them.
Kind = Literal["spec file", "recipe"]

#: A field path: mapping keys and list indexes, e.g. ``("layers", 0, "style")``.
FieldPath = tuple[int | str, ...]


@dataclass(frozen=True)
class Problem:
    """One problem of a YAML file: where it is and, in plain words, what is wrong.

    Attributes
    ----------
    message : str
        What is wrong and what to do; terminal-safe, one line.
    path : tuple of str and int, or None
        The field: ``()`` for the top level of the file's content, None for the file as
        a whole (it cannot be read at all).
    line, column : int or None
        1-based place in the text, when the message has one.
    key : bool
        The problem is with the last key of ``path`` itself, not with its value.
    cut : bool
        ``path`` is only where the problem starts (a deeply nested list or mapping).
    """

    message: str
    path: FieldPath | None = None
    line: int | None = None
    column: int | None = None
    key: bool = False
    cut: bool = False


class YamlError(ValueError):
    """A YAML file that does not give plain data; :attr:`problems` says why, in order.

    Parameters
    ----------
    problems : sequence of Problem
        At least one.
    """

    def __init__(self, problems: Sequence[Problem]) -> None:
        self.problems: tuple[Problem, ...] = tuple(problems)
        super().__init__("; ".join(problem.message for problem in self.problems))


# --- wording ----------------------------------------------------------------------------------

#: What each problem says in a spec file and in a recipe: ``{problem: (spec file, recipe)}``.
#: The placeholders are filled by :func:`_say`; every value is quoted already.
_WORDS: dict[str, tuple[str, str]] = {
    "missing": ("no such file; check the path", "no such recipe file; check the path"),
    "folder": (
        "not a regular file; a spec is a UTF-8 text file ending in .yaml",
        "is a folder; give a recipe file, such as maps/kyiv.yaml",
    ),
    "special": (
        "not a regular file; a spec is a UTF-8 text file ending in .yaml",
        "is not a regular file; give a recipe file, such as maps/kyiv.yaml",
    ),
    "unreadable": (
        "cannot be read ({reason})",
        "cannot read the recipe ({reason}); give a readable UTF-8 YAML file",
    ),
    "too large": (
        "the file is larger than 1 MB ({limit} bytes); a spec file describes one system in a "
        "few kilobytes: check that this is the right file",
        "the file is {size}, over the 1 MB ({limit} bytes) limit for a recipe; a recipe is a "
        "short text file, so check that this is the right file",
    ),
    "utf-16": (
        "the file is UTF-16 text; save the spec file as UTF-8",
        "the file is UTF-16 text; save the recipe as UTF-8",
    ),
    "not utf-8": (
        "byte 0x{byte:02X} is not UTF-8 text; save the file as UTF-8",
        "byte {offset:,} (0x{byte:02x}) is not UTF-8 text; save the recipe as UTF-8",
    ),
    "character": (
        "{character} is not allowed in a spec file; remove it",
        "{character} is not allowed in a recipe; save it as plain UTF-8 text, without "
        "control characters",
    ),
    "syntax": (
        "could not read the YAML: {problem}{context}; check the indentation and quoting there",
        "not valid YAML ({problem}); fix the syntax",
    ),
    "too deep": (
        "lists and mappings are nested more than {depth} levels deep; a spec file needs "
        "about six (see docs/spec-format.md)",
        "lists and mappings are nested more than {depth} levels deep; a recipe needs five at "
        "most, so check the brackets and the indentation",
    ),
    "too many": (
        "the spec file holds more than {count:,} values; a spec file needs a few hundred, "
        "so check that this is the right file",
        "the recipe holds more than {count:,} values; a recipe needs a few dozen, so check "
        "that this is the right file",
    ),
    "alias": (
        "aliases (*name) are not allowed in a spec file{many}; write each value out in full",
        "an alias ({anchor}) is not allowed in a recipe; write the value out in full",
    ),
    "merge": (
        "merge keys (<<) are not allowed in a spec file; write the fields out in full",
        "'<<' (a YAML merge) is not allowed in a recipe; write the fields out in this mapping",
    ),
    "tag": (
        "the tag {tag} is not allowed in a spec file; remove it",
        "the YAML tag {tag} is not allowed in a recipe; a recipe holds text, numbers, true "
        "or false, lists and mappings, so remove the tag",
    ),
    "misfit tag": (
        "the tag {tag} does not fit this value; remove it",
        "the YAML tag {tag} does not fit this value; remove the tag",
    ),
    "not scalar": (
        "{value} is not {what}; write {one}, or remove the {bare_tag} tag",
        "{value} is not {what} ({tag}); write {what}, or remove the tag to keep the text",
    ),
    "too long number": (
        "the number {short_value} is too large for a spec file; check the figure",
        "{value} cannot be read as a whole number; put it in quotes to keep it as text",
    ),
    "key not text": (
        "the key {value} is read as {what}, not text; put it in quotes, or use a key such as "
        "reuters-2024-11-17",
        "a key is {what}: {value}, not a field name; write field names as plain words, such "
        "as title or layers",
    ),
    "key not scalar": (
        "{what} is used as a key; keys are field names or source keys, written as text",
        "a key is {what}, not a field name; write field names as plain words, such as title "
        "or layers",
    ),
    "duplicate key": (
        "could not read the YAML: the key {name} appears twice in the same mapping (first on "
        "line {first}); keep one of them",
        "the key {name} appears twice in the same mapping (first on line {first}); keep one "
        "of them",
    ),
}


def _say(kind: Kind, which: str, /, **facts: Any) -> str:
    """Word a problem for a kind of file (see :data:`_WORDS`)."""
    spec, recipe = _WORDS[which]
    return (recipe if kind == "recipe" else spec).format(**facts)


# --- the file: what is read -------------------------------------------------------------------

# Opened for reading only, never waiting (a pipe or terminal), never becoming the terminal.
_OPEN_FLAGS = (
    os.O_RDONLY
    | getattr(os, "O_NONBLOCK", 0)
    | getattr(os, "O_NOCTTY", 0)
    | getattr(os, "O_BINARY", 0)
)


def _refusal(kind: Kind, mode: int) -> str | None:
    """Say why a file of this type is not read, or return None to read it."""
    if stat.S_ISREG(mode) or (kind == "recipe" and stat.S_ISCHR(mode)):
        return None
    return _say(kind, "folder" if stat.S_ISDIR(mode) else "special")


def _too_large(kind: Kind, size: int | None) -> YamlError:
    shown = f"{size:,} bytes" if size is not None else "still growing"
    return YamlError([Problem(_say(kind, "too large", size=shown, limit=f"{MAX_BYTES:,}"))])


def _unreadable(kind: Kind, err: OSError) -> YamlError:
    if isinstance(err, FileNotFoundError):
        return YamlError([Problem(_say(kind, "missing"))])
    reason = terminal(err.strerror or type(err).__name__)
    return YamlError([Problem(_say(kind, "unreadable", reason=reason))])


def _read_bytes(path: Path, kind: Kind) -> bytes:
    """Read at most :data:`MAX_BYTES` and one more byte of a file rangemap may read.

    Its type is checked before it is opened (a named pipe would wait for a writer) and
    again once it is open, in case it was swapped in between; it is opened without
    waiting, so neither a pipe nor a terminal can make rangemap hang.
    """
    try:
        refused = _refusal(kind, path.stat().st_mode)
        if refused is not None:
            raise YamlError([Problem(refused)])
        handle = os.open(path, _OPEN_FLAGS)
        try:
            info = os.fstat(handle)
            refused = _refusal(kind, info.st_mode)
            if refused is not None:
                raise YamlError([Problem(refused)])
            if stat.S_ISREG(info.st_mode) and info.st_size > MAX_BYTES:
                raise _too_large(kind, info.st_size)
            chunks: list[bytes] = []
            left = MAX_BYTES + 1  # whatever the size said: the file may be growing
            while left > 0:
                chunk = os.read(handle, min(left, 65_536))
                if not chunk:
                    break
                chunks.append(chunk)
                left -= len(chunk)
        finally:
            os.close(handle)
    except OSError as err:
        raise _unreadable(kind, err) from None
    raw = b"".join(chunks)
    if len(raw) > MAX_BYTES:
        raise _too_large(kind, None)
    return raw


# --- the text: encoding and characters --------------------------------------------------------

# What YAML accepts as text: PyYAML's and libyaml's printable characters.
_NOT_YAML_TEXT = re.compile(
    "[^\x09\x0a\x0d\x20-\x7e\x85\xa0-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]"
)
_LINE_BREAK = re.compile("\r\n|[\r\n\x85\u2028\u2029]")


def _position(text: str, index: int) -> tuple[int, int]:
    """Return the 1-based line and column of a character, counting breaks as YAML does."""
    line, start = 1, 0
    for match in _LINE_BREAK.finditer(text, 0, index):
        line, start = line + 1, match.end()
    return line, index - start + 1


def _character(kind: Kind, char: str) -> str:
    """Name a character YAML refuses, as a kind of file's messages do."""
    code = ord(char)
    if kind == "recipe":
        return "a NUL byte (U+0000)" if code == 0 else f"the character U+{code:04X}"
    return character_name(char)


def _text_problem(kind: Kind, text: str, index: int, message: str, column: bool) -> YamlError:
    """Report a problem at one character of the text, with its field.

    The field is found as far as the YAML can be read; in a recipe, it is the top-level one.
    """
    path, key = _locate(_NOT_YAML_TEXT.sub("\ufffd", text), index)
    if kind == "recipe":
        path, key = path[:1], False
    line, col = _position(text, index)
    return YamlError([Problem(message, path, line, col if column else None, key)])


def _decode(raw: bytes, kind: Kind) -> str:
    """Decode UTF-8 text that YAML accepts, or raise :class:`YamlError` naming the place."""
    if raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        raise YamlError([Problem(_say(kind, "utf-16"), ())])
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as err:
        text = raw.decode("utf-8", errors="replace")
        index = len(raw[: err.start].decode("utf-8"))
        message = _say(kind, "not utf-8", byte=raw[err.start], offset=err.start)
        raise _text_problem(kind, text, index, message, column=kind != "recipe") from None
    _check_characters(text, kind)
    return text


def _check_characters(text: str, kind: Kind) -> None:
    bad = _NOT_YAML_TEXT.search(text)
    if bad is not None:
        message = _say(kind, "character", character=_character(kind, bad.group()))
        raise _text_problem(kind, text, bad.start(), message, column=True)


# --- scalars: YAML 1.2 core schema ------------------------------------------------------------

_TAG = "tag:yaml.org,2002:"
_STR, _INT, _FLOAT, _BOOL, _NULL = (_TAG + name for name in ("str", "int", "float", "bool", "null"))
_TIMESTAMP, _SEQ, _MAP, _MERGE = (_TAG + name for name in ("timestamp", "seq", "map", "merge"))

_NULL_TEXT = re.compile(r"~|null|Null|NULL|")
_BOOL_TEXT = re.compile(r"true|True|TRUE|false|False|FALSE")
_INT_TEXT = re.compile(r"[-+]?[0-9]+|0o[0-7]+|0x[0-9a-fA-F]+")
_FLOAT_TEXT = re.compile(
    r"[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN)"
)


def _implicit_tag(text: str) -> str:
    """Return the tag of a plain (unquoted, untagged) scalar, as YAML 1.2's core schema does."""
    for tag, form in ((_NULL, _NULL_TEXT), (_BOOL, _BOOL_TEXT), (_INT, _INT_TEXT)):
        if form.fullmatch(text):
            return tag
    if _FLOAT_TEXT.fullmatch(text):
        return _FLOAT
    return _MERGE if text == "<<" else _STR


def _to_int(text: str) -> int:
    if not _INT_TEXT.fullmatch(text):
        raise ValueError(text)
    base = {"0o": 8, "0x": 16}.get(text[:2], 10)
    return int(text[2:] if base != 10 else text, base)


def _to_float(text: str) -> float:
    if not _FLOAT_TEXT.fullmatch(text):
        raise ValueError(text)
    return float(text.replace(".", "", 1) if text[-1].isalpha() else text)  # ".inf": "inf"


def _to_bool(text: str) -> bool:
    if not _BOOL_TEXT.fullmatch(text):
        raise ValueError(text)
    return text.lower() == "true"


def _to_null(text: str) -> None:
    if not _NULL_TEXT.fullmatch(text):
        raise ValueError(text)


#: How each scalar tag becomes a value, and how a message names what it should be.
_SCALARS: dict[str, tuple[Callable[[str], Any], str, str]] = {
    _INT: (_to_int, "a whole number", "one"),
    _FLOAT: (_to_float, "a number", "one"),
    _BOOL: (_to_bool, "true or false", "true or false"),
    _NULL: (_to_null, "an empty value", "nothing"),
}
#: What a key that is not text is read as.
_KEY_KINDS = {_INT: "a number", _FLOAT: "a number", _BOOL: "true or false", _NULL: "empty"}
#: The tags of plain data: any other is refused; one of these on the wrong node does not fit.
_PLAIN_TAGS = frozenset({_STR, _INT, _FLOAT, _BOOL, _NULL, _TIMESTAMP, _SEQ, _MAP})


def _tag_name(tag: str) -> str:
    return "!!" + tag.removeprefix(_TAG) if tag.startswith(_TAG) else tag


def _scalar_tag(event: yaml.ScalarEvent) -> str:
    if event.tag is None:
        return _implicit_tag(event.value) if event.implicit[0] else _STR
    return _STR if event.tag == "!" else event.tag  # "!": text as written (YAML's rule)


# --- the YAML: one pass over its events -------------------------------------------------------


class _Events(Protocol):
    def get_event(self) -> yaml.Event | None: ...


class _Mark(Protocol):  # PyYAML's or libyaml's
    index: int
    line: int
    column: int


@dataclass
class _Open:
    """A list or mapping being read."""

    path: FieldPath
    value: dict[str, Any] | list[Any]
    want_key: bool = True  # in a mapping: the next node is a key
    key: str | None = None  # in a mapping: where the next value goes (None: not kept)
    shown: str | None = None  # in a mapping: the next value's key, for its path
    index: int = 0  # in a list: the index of the next item
    lines: dict[str, int] = field(default_factory=dict)  # in a mapping: each key's line


class _Stop(Exception):
    """The reading stops: a problem after which the rest cannot be read, or a place found."""

    def __init__(self, problem: Problem | None = None) -> None:
        self.problem = problem


def _at(mark: _Mark | None) -> tuple[int | None, int | None]:
    return (mark.line + 1, mark.column + 1) if mark is not None else (None, None)


class _Reader:
    """Read one YAML document from its events into plain data, collecting problems.

    The events come from the parser one at a time and nothing is composed into a tree,
    so reading is one pass, without recursion, however the text is nested; an alias
    is counted and refused, never resolved. ``find`` (a character index) only looks
    for the field holding that character, in :attr:`found`.
    """

    def __init__(self, events: _Events, kind: Kind, find: int | None = None) -> None:
        self.events = events
        self.kind = kind
        self.find = find
        self.found: tuple[FieldPath, bool] = ((), False)
        self.open: list[_Open] = []
        self.last: FieldPath = ()  # the path of the most recent node
        self.count = 0
        self.aliases = 0
        self.first_alias: tuple[int, FieldPath, _Mark | None, str] | None = None
        self.problems: list[Problem] = []
        self.data: Any = None

    def read(self) -> Any:
        """Read the document; return its data, or raise :class:`YamlError`."""
        try:
            self._events()
        except _Stop as stop:
            if stop.problem is None:  # pragma: no cover - only when looking for a place
                return None
            raise YamlError([stop.problem]) from None
        if self.first_alias is not None:
            index, path, mark, anchor = self.first_alias
            many = f" (this file has {self.aliases:,})" if self.aliases > 1 else ""
            shown = quote("*" + anchor, limit=60)
            message = _say(self.kind, "alias", many=many, anchor=shown)
            line, column = _at(mark) if self.kind == "recipe" else (None, None)
            self.problems.insert(index, Problem(message, path, line, column))
        if self.problems:
            raise YamlError(self.problems)
        return self.data

    def _events(self) -> None:
        documents = 0
        while True:
            try:
                event = self.events.get_event()
            except yaml.YAMLError as err:
                raise _Stop(self._syntax(err)) from None
            if event is None or isinstance(event, yaml.StreamEndEvent):
                return
            if isinstance(event, yaml.DocumentStartEvent) and documents:
                second = ComposerError(
                    "expected a single document in the stream",
                    None,
                    "but found another document",
                    event.start_mark,  # type: ignore[arg-type]  # libyaml's marks are alike
                )
                raise _Stop(self._syntax(second))
            if isinstance(event, yaml.DocumentEndEvent):
                documents += 1
            elif isinstance(event, yaml.CollectionEndEvent):
                self.open.pop()
            elif isinstance(event, yaml.NodeEvent):
                self._node(event)

    def _next(self) -> tuple[FieldPath, _Open | None, bool]:
        """Return where the next node goes: its path, its list or mapping, whether it is a key.

        A key's path is its mapping's.
        """
        if not self.open:
            return (), None, False
        inner = self.open[-1]
        if isinstance(inner.value, list):
            return (*inner.path, inner.index), inner, False
        if inner.want_key:
            return inner.path, inner, True
        return (inner.path if inner.shown is None else (*inner.path, inner.shown)), inner, False

    def _problem(
        self, which: str, path: FieldPath, mark: _Mark | None, /, key: bool = False, **facts: Any
    ) -> None:
        line, column = _at(mark)
        self.problems.append(Problem(_say(self.kind, which, **facts), path, line, column, key))

    def _node(self, event: yaml.NodeEvent) -> None:
        path, inner, is_key = self._next()
        self.last = path
        self.count += 1
        if self.count > MAX_VALUES:
            line, column = _at(event.start_mark)
            message = _say(self.kind, "too many", count=MAX_VALUES)
            raise _Stop(Problem(message, path, line, column))
        if inner is not None and isinstance(inner.value, list):
            inner.index += 1
        elif inner is not None:
            inner.want_key = not is_key
            if is_key:  # until the key is read and found good
                inner.key = inner.shown = None
        if isinstance(event, yaml.ScalarEvent):
            self._scalar(event, path, inner, is_key)
        elif isinstance(event, yaml.CollectionStartEvent):
            self._collection(event, path, inner, is_key)
        else:  # an alias: counted and refused, never resolved
            self.aliases += 1
            if self.first_alias is None:
                anchor = event.anchor or ""
                self.first_alias = (len(self.problems), path, event.start_mark, anchor)
            self._put(inner, is_key, None)

    def _put(self, inner: _Open | None, is_key: bool, value: Any) -> None:
        if inner is None:
            self.data = value
        elif isinstance(inner.value, list):
            inner.value.append(value)
        elif not is_key and inner.key is not None:
            inner.value[inner.key] = value

    def _collection(
        self, event: yaml.CollectionStartEvent, path: FieldPath, inner: _Open | None, is_key: bool
    ) -> None:
        mapping = isinstance(event, yaml.MappingStartEvent)
        if len(self.open) >= MAX_DEPTH:
            raise _Stop(self._too_deep(path, event.start_mark))
        if event.tag not in (None, "!", _MAP if mapping else _SEQ):
            self._tag_problem(event.tag or "", path, event.start_mark)
        value: dict[str, Any] | list[Any] = {} if mapping else []
        if is_key:
            what = "a mapping" if mapping else "a list"
            self._problem("key not scalar", path, event.start_mark, what=what)
        self._put(inner, is_key, value)
        self.open.append(_Open(path, value))

    def _scalar(
        self, event: yaml.ScalarEvent, path: FieldPath, inner: _Open | None, is_key: bool
    ) -> None:
        if self.find is not None:
            self._look(event, path, inner, is_key)
        tag = _scalar_tag(event)
        if is_key and inner is not None:
            self._key(event, tag, inner)
        else:
            self._put(inner, is_key, self._value(event, tag, path))

    def _look(
        self, event: yaml.ScalarEvent, path: FieldPath, inner: _Open | None, is_key: bool
    ) -> None:
        start, end = event.start_mark, event.end_mark
        if start is not None and end is not None and start.index <= (self.find or 0) < end.index:
            self.found = ((*path, event.value), True) if is_key and inner else (path, False)
            raise _Stop

    def _key(self, event: yaml.ScalarEvent, tag: str, inner: _Open) -> None:
        text = event.value
        inner.shown = text
        path, mark = (*inner.path, text), event.start_mark
        if tag == _MERGE:
            self._problem("merge", path, mark, key=True)
        elif tag != _STR:
            what = _KEY_KINDS.get(tag) or (
                f"tagged {quote(_tag_name(tag), limit=60)}"
                if self.kind == "recipe"
                else f"a {_tag_name(tag)} value"
            )
            self._problem(
                "key not text", path, mark, key=True, what=what, value=quote(text, limit=60)
            )
        elif text in inner.lines:
            first = inner.lines[text] + 1
            shown = quote(text, limit=60)
            if self.kind == "recipe":
                self._problem("duplicate key", path, mark, key=True, name=shown, first=first)
            else:  # a spec file names no field for it, as for a syntax error
                self._problem("duplicate key", (), mark, name=shown, first=first)
        else:
            inner.lines[text] = mark.line if mark is not None else 0
            inner.key = text

    def _value(self, event: yaml.ScalarEvent, tag: str, path: FieldPath) -> Any:
        text = event.value
        mark = event.start_mark
        if tag in (_STR, _TIMESTAMP):
            return text  # dates stay text: the caller's model reads them, naming the field
        if tag not in _SCALARS:
            self._tag_problem(tag, path, mark)
            return None
        if tag == _INT and sum(char.isalnum() for char in text) > MAX_DIGITS:
            value, short = quote(text, limit=80), quote(text, limit=40)
            self._problem("too long number", path, mark, value=value, short_value=short)
            return None
        construct, what, one = _SCALARS[tag]
        try:
            return construct(text)
        except ValueError:
            shown = quote(text, limit=80)
            name = _tag_name(tag)
            self._problem(
                "not scalar",
                path,
                mark,
                value=shown,
                what=what,
                one=one,
                tag=quote(name),
                bare_tag=name,
            )
            return None

    def _tag_problem(self, tag: str, path: FieldPath, mark: _Mark | None) -> None:
        which = "misfit tag" if tag in _PLAIN_TAGS else "tag"
        self._problem(which, path, mark, tag=quote(_tag_name(tag), limit=60))

    def _too_deep(self, path: FieldPath, mark: _Mark | None) -> Problem:
        line, column = _at(mark)
        cut = self.kind == "recipe" and len(path) > 4  # where the nesting starts is enough
        message = _say(self.kind, "too deep", depth=MAX_DEPTH)
        return Problem(message, path[:4] if cut else path, line, column, cut=cut)

    def _syntax(self, err: yaml.YAMLError) -> Problem | None:
        """Word a syntax error: in a recipe, at the field of the most recent node."""
        if self.find is not None:
            return None
        mark = problem = context = None
        if isinstance(err, yaml.MarkedYAMLError):
            mark = err.problem_mark or err.context_mark
            problem, context = err.problem, err.context
        if "nesting depth" in str(problem):  # libyaml gives up at 1,000 levels
            return self._too_deep(self._next()[0], mark)
        shown = terminal(problem or context or (err if mark is None else "invalid YAML"))
        shown = shown if len(shown) <= 200 else shown[:199] + "\u2026"
        detail = f" ({terminal(context)})" if context and problem else ""
        message = _say(self.kind, "syntax", problem=shown, context=detail)
        path = self.last if self.open and self.kind == "recipe" else ()  # a spec names none
        return Problem(message, path, *_at(mark))


def _locate(text: str, index: int) -> tuple[FieldPath, bool]:
    """Return the field path of the scalar holding character ``index``, and if it is a key.

    The text is read as far as it can be; ``((), False)`` if no scalar holds the character.
    """
    parser = _Parser(text)
    reader = _Reader(parser, "spec file", find=index)
    try:
        reader._events()
    except (_Stop, yaml.YAMLError):
        pass
    finally:
        parser.dispose()
    return reader.found


# --- the API ----------------------------------------------------------------------------------


def load_yaml(text: str, kind: Kind) -> Any:
    """Read YAML text into plain data, checking it as :func:`read_yaml` does.

    Parameters
    ----------
    text : str
        The text of one file.
    kind : {"spec file", "recipe"}
        What the text is, for the messages.

    Returns
    -------
    object
        None for an empty document; otherwise a dict with text keys, a list, text, an
        int, a float, a bool or None, nested at most :data:`MAX_DEPTH` levels.

    Raises
    ------
    YamlError
        For anything else, with every problem found (a problem after which the rest
        cannot be read, such as a syntax error, is the only one).
    """
    _check_characters(text, kind)
    return _load(text, kind)


def _load(text: str, kind: Kind) -> Any:
    parser = _Parser(text)
    try:
        return _Reader(parser, kind).read()
    finally:
        parser.dispose()


def read_yaml(path: Path, kind: Kind) -> Any:
    r"""Read a YAML file safely into plain data.

    The file is refused unread if it is not a regular file (a recipe may also be a
    character device) or its size is over :data:`MAX_BYTES`; at most that many bytes
    and one more are read. Its text must be UTF-8 without control characters, and its
    YAML is read as :func:`load_yaml` reads it.

    Parameters
    ----------
    path : pathlib.Path
    kind : {"spec file", "recipe"}
        What the file is, for the messages.

    Returns
    -------
    object
        As :func:`load_yaml`.

    Raises
    ------
    YamlError
        For every problem, and only for them: nothing else is raised for any file.

    Examples
    --------
    >>> import tempfile
    >>> path = Path(tempfile.mkdtemp()) / "map.yaml"
    >>> _ = path.write_text("countries: [NO, UA]\nas_of: 2024-11-25\nzoom: 010\n")
    >>> read_yaml(path, "recipe")
    {'countries': ['NO', 'UA'], 'as_of': '2024-11-25', 'zoom': 10}
    >>> _ = path.write_text("a: &x [1]\nb: *x\n")
    >>> read_yaml(path, "recipe")
    Traceback (most recent call last):
    ...
    rangemap._yaml.YamlError: an alias ('*x') is not allowed in a recipe; write the value out ...
    """
    return _load(_decode(_read_bytes(path, kind), kind), kind)


class Loader(_Parser):
    """A PyYAML loader that reads as :func:`load_yaml` does.

    ``yaml.load(text, Loader=Loader)`` gives the same plain data; its first problem is
    raised as a :class:`yaml.MarkedYAMLError` (with the problem's line), the others are
    not reported. A subclass may set :attr:`kind`.
    """

    kind: ClassVar[Kind] = "spec file"

    def get_single_data(self) -> Any:
        """Read the one document of the stream (None if there is none)."""
        try:
            return _Reader(self, self.kind).read()
        except YamlError as err:
            first = err.problems[0]
            mark = None
            if first.line is not None:
                mark = yaml.Mark("<yaml>", 0, first.line - 1, (first.column or 1) - 1, None, 0)
            raise ConstructorError(None, None, first.message, mark) from None
