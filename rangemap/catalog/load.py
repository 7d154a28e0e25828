"""Reading spec files: YAML to :class:`~rangemap.catalog.models.System`, problems in words.

This module owns everything between a file on disk and a validated model: reading at
most :data:`MAX_SPEC_BYTES` of it, the YAML loader (safe, YAML 1.2 booleans, dates left
as text, duplicate keys refused), the checks of the YAML itself (no control characters,
aliases, unusual tags, non-text keys or deep nesting), the checks of a file's top level,
and the rewriting of pydantic's messages into one plain line per problem of the form
``"specs/atacms.yaml: variants[1].max_range.shown_km: ..."``.

A spec file may come from anyone, so nothing here raises for a bad file, however it is
malformed: problems are collected so that every one of them, in every file, can be
reported at once, and every value a message shows is quoted with
:func:`rangemap.escaping.quote` (terminal-safe, at most about 200 characters).
"""

from __future__ import annotations

import difflib
import re
import types
import typing
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ValidationError
from pydantic_core import ErrorDetails
from yaml.constructor import ConstructorError, SafeConstructor

from rangemap.catalog.models import (
    CHECK_ERROR,
    DEFER_CHECKS,
    MAX_ID_LENGTH,
    MAX_RANGE_KM,
    System,
    character_name,
)
from rangemap.escaping import quote, terminal

try:  # libyaml's parser, about twenty times faster, when PyYAML was built with it
    from yaml import CSafeLoader as _SafeLoader
except ImportError:  # pragma: no cover - PyYAML without libyaml
    from yaml import SafeLoader as _SafeLoader  # type: ignore[assignment]

__all__ = [
    "MAX_DEPTH",
    "MAX_SPEC_BYTES",
    "FileResult",
    "SpecLoader",
    "display_path",
    "format_path",
    "read_spec",
]

#: Largest spec file read, in bytes (1 MB); a real spec is a few kilobytes.
MAX_SPEC_BYTES = 1_048_576
#: Deepest nesting of lists and mappings allowed in a spec file; real ones need about 6.
MAX_DEPTH = 32
#: Most digits of a whole number in a spec file.
_MAX_DIGITS = 30
#: Most problems of the YAML itself, and of its fields, reported per file.
_MAX_YAML_PROBLEMS = 20
_MAX_PROBLEMS = 50
#: Most characters of one key shown in a field path.
_MAX_PATH_PART = 60

_YAML = "tag:yaml.org,2002:"
_STR = _YAML + "str"
_INT = _YAML + "int"
_FLOAT = _YAML + "float"
_BOOL = _YAML + "bool"
_NULL = _YAML + "null"
_TIMESTAMP = _YAML + "timestamp"
_SEQ = _YAML + "seq"
_MAP = _YAML + "map"
_MERGE = _YAML + "merge"
_SCALAR_TAGS = frozenset({_STR, _INT, _FLOAT, _BOOL, _NULL, _TIMESTAMP})

# What YAML accepts as text: PyYAML's and libyaml's printable characters.
_NOT_YAML_TEXT = re.compile(
    "[^\x09\x0a\x0d\x20-\x7e\x85\xa0-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]"
)


def _scalar_problem(loader: SpecLoader, node: yaml.ScalarNode) -> str:
    """Say why a number or true/false value cannot be read, or return ``""``."""
    text = str(node.value)
    if node.tag == _INT:
        if sum(char.isalnum() for char in text) > _MAX_DIGITS:
            return (
                f"the number {quote(text, limit=40)} is too large for a spec file; check the figure"
            )
        try:
            SafeConstructor.construct_yaml_int(loader, node)
        except (ValueError, IndexError):  # IndexError: an empty !!int
            return f"{quote(text)} is not a whole number; write one, or remove the !!int tag"
    elif node.tag == _FLOAT:
        try:
            SafeConstructor.construct_yaml_float(loader, node)
        except (ValueError, IndexError):  # IndexError: an empty !!float
            return f"{quote(text)} is not a number; write one, or remove the !!float tag"
    elif node.tag == _BOOL and text.lower() not in SafeConstructor.bool_values:
        return f"{quote(text)} is not true or false; write true or false"
    return ""


def _checked(
    construct: Callable[[SpecLoader, yaml.ScalarNode], Any],
) -> Callable[[SpecLoader, yaml.ScalarNode], Any]:
    """Wrap a scalar constructor so that a bad value is a YAML error, not a crash."""

    def checked(loader: SpecLoader, node: yaml.ScalarNode) -> Any:
        problem = _scalar_problem(loader, node)
        if problem:
            raise ConstructorError(None, None, problem, node.start_mark)
        return construct(loader, node)

    return checked


def _as_text(loader: SpecLoader, node: yaml.ScalarNode) -> str:
    """Keep a value tagged ``!!timestamp`` as text, for the models to parse."""
    return str(node.value)


class SpecLoader(_SafeLoader):
    """A safe YAML loader: YAML 1.2 booleans, dates as text, no duplicate keys.

    ``yes``, ``no``, ``on`` and ``off`` stay text (so ``operators: [NO]`` is Norway,
    not false); dates stay text for the models to parse, so a bad date is reported
    with its field; a key given twice in one mapping is an error with its line; a
    number or true/false value that cannot be read (``!!float abc``) is an error with
    its line, never an exception of another kind.
    """

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict[Any, Any]:
        """Build a mapping, refusing a key that appears twice."""
        self.flatten_mapping(node)
        seen: dict[Any, int] = {}
        for key_node, _ in node.value:
            key = self.construct_object(key_node, deep=deep)
            try:
                first = seen.get(key)
            except TypeError:
                continue  # unhashable key: the base class reports it
            if first is not None:
                raise ConstructorError(
                    None,
                    None,
                    f"the key {quote(key)} appears twice in the same mapping (first on line "
                    f"{first + 1}); keep one of them",
                    key_node.start_mark,
                )
            seen[key] = key_node.start_mark.line
        return super().construct_mapping(node, deep=deep)


# Only true and false are booleans (YAML 1.2); dates, "=" and the YAML 1.1 "!", "&"
# and "*" values stay text.
SpecLoader.yaml_implicit_resolvers = {
    first: [
        (tag, regexp)
        for tag, regexp in resolvers
        if tag not in {_BOOL, _TIMESTAMP, _YAML + "value", _YAML + "yaml"}
    ]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
SpecLoader.add_implicit_resolver(
    _BOOL, re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF")
)
SpecLoader.add_constructor(_INT, _checked(SafeConstructor.construct_yaml_int))
SpecLoader.add_constructor(_FLOAT, _checked(SafeConstructor.construct_yaml_float))
SpecLoader.add_constructor(_BOOL, _checked(SafeConstructor.construct_yaml_bool))
SpecLoader.add_constructor(_TIMESTAMP, _as_text)


def display_path(path: Path) -> str:
    """Return a path as a reader would type it: relative to the working folder if inside it.

    Control characters in the path are removed (:func:`rangemap.escaping.terminal`), so
    the result is safe to print.

    Parameters
    ----------
    path : pathlib.Path

    Returns
    -------
    str
    """
    try:
        shown = path.resolve().relative_to(Path.cwd().resolve()).as_posix()
    except (ValueError, OSError):
        shown = str(path)
    return terminal(shown)


def _path_part(text: object) -> str:
    shown = terminal(text)
    return shown if len(shown) <= _MAX_PATH_PART else shown[:_MAX_PATH_PART] + "\u2026"


def format_path(loc: tuple[int | str, ...]) -> str:
    """Write a pydantic error location in ``a.b[1].c`` form.

    Keys are made safe to print and cut to 60 characters.

    Parameters
    ----------
    loc : tuple of str and int
        The location, e.g. ``("variants", 1, "max_range", "shown_km")``.

    Returns
    -------
    str

    Examples
    --------
    >>> format_path(("variants", 1, "max_range", "shown_km"))
    'variants[1].max_range.shown_km'
    >>> format_path(("sources", "reuters-2024", "url"))
    'sources.reuters-2024.url'
    """
    text = ""
    for part in loc:
        if isinstance(part, int):
            text += f"[{part}]"
        elif part == "[key]":
            text += " (key)"
        else:
            text += f".{_path_part(part)}" if text else _path_part(part)
    return text


@dataclass
class FileResult:
    """What reading one spec file gave: the system (if valid) and every problem."""

    path: Path
    system: System | None = None
    raw_id: str | None = None
    problems: list[str] = field(default_factory=list)


def read_spec(path: Path) -> FileResult:
    """Read and validate one spec file, collecting every problem in it.

    The file is refused before it is parsed when it is not a regular file or is larger
    than :data:`MAX_SPEC_BYTES` (at most that many bytes and one more are read), and
    before it becomes data when it is not UTF-8, holds control characters, or uses YAML
    aliases, unusual tags, keys that are not text or nesting deeper than
    :data:`MAX_DEPTH`.

    Parameters
    ----------
    path : pathlib.Path
        A ``*.yaml`` spec file.

    Returns
    -------
    FileResult
        The system when the file is valid on its own (``problems`` empty), and one
        line per problem otherwise. Nothing is raised for a bad file.
    """
    result = FileResult(path=path)
    where = display_path(path)
    raw = _read_bytes(path, where, result.problems)
    if raw is None:
        return result
    text, bad, what = _decode(raw)
    if bad is not None:
        result.problems.append(_at(where, _locate(text, bad), _position(text, bad), what))
        return result
    data, yaml_problems = _parse(text, where)
    if yaml_problems:
        result.problems += yaml_problems
        return result
    if data is None:
        result.problems.append(
            f"{where}: the file is empty; write one system in it as docs/spec-format.md "
            "shows, or delete the file"
        )
        return result
    if not isinstance(data, dict):
        shown = quote(data, limit=60)
        what = "a list" if isinstance(data, list) else f"a single value, {shown}"
        result.problems.append(
            f"{where}: the top level is {what}; a spec file is one mapping of fields "
            "(id: ..., name: ..., kind: ...) describing one system"
        )
        return result
    raw_id = data.get("id")
    if isinstance(raw_id, str):
        result.raw_id = raw_id
        if raw_id != path.stem:
            result.problems.append(f"{where}: id: {_id_mismatch(raw_id, path.stem)}")
    try:
        system = System.model_validate(data, context={DEFER_CHECKS: True})
    except ValidationError as err:
        errors = err.errors()
        lines: list[str] = []
        for error in errors:
            if not _is_consequence(error, errors):
                lines += describe_error(error)
            if len(lines) > _MAX_PROBLEMS:
                break
        result.problems += [f"{where}: {line}" for line in lines[:_MAX_PROBLEMS]]
        if len(lines) > _MAX_PROBLEMS:
            result.problems.append(
                f"{where}: and more problems in this file ({len(errors):,} in all); "
                "fix the ones above first"
            )
        return result
    system._path = path
    if not result.problems:
        result.system = system
    return result


_ID = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")


def _id_mismatch(raw_id: str, stem: str) -> str:
    """Say that the id and the file name differ, and which one to change."""
    fixes = []
    if _ID.fullmatch(raw_id) and len(raw_id) <= MAX_ID_LENGTH:
        fixes.append(f"rename the file to {raw_id}.yaml")
    if _ID.fullmatch(stem) and len(stem) <= MAX_ID_LENGTH:
        fixes.append(f"set id: {stem}")
    todo = " or ".join(fixes) or "give the file a name of lowercase letters, digits and hyphens"
    return f"{quote(raw_id)} does not match the file name; {todo}"


def _read_bytes(path: Path, where: str, problems: list[str]) -> bytes | None:
    """Read at most :data:`MAX_SPEC_BYTES` and one more byte of a regular file."""
    limit = f"{MAX_SPEC_BYTES // 1_048_576} MB ({MAX_SPEC_BYTES:,} bytes)"
    too_large = (
        f"{where}: the file is larger than {limit}; a spec file describes one system "
        "in a few kilobytes: check that this is the right file"
    )
    try:
        if not path.is_file():
            problems.append(
                f"{where}: not a regular file; a spec is a UTF-8 text file ending in .yaml"
            )
            return None
        if path.stat().st_size > MAX_SPEC_BYTES:
            problems.append(too_large)
            return None
        with path.open("rb") as handle:
            raw = handle.read(MAX_SPEC_BYTES + 1)
    except OSError as err:
        problems.append(f"{where}: cannot be read ({terminal(err.strerror or err)})")
        return None
    if len(raw) > MAX_SPEC_BYTES:
        problems.append(too_large)
        return None
    return raw


def _decode(raw: bytes) -> tuple[str, int | None, str]:
    """Decode UTF-8 and find the first character YAML cannot hold.

    Returns
    -------
    (str, int or None, str)
        The text (undecodable bytes as U+FFFD), the index of the first bad character
        or None, and what is wrong with it.
    """
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as err:
        index = len(raw[: err.start].decode("utf-8"))
        return (
            raw.decode("utf-8", errors="replace"),
            index,
            f"byte 0x{raw[err.start]:02X} is not UTF-8 text; save the file as UTF-8",
        )
    match = _NOT_YAML_TEXT.search(text)
    if match is None:
        return text, None, ""
    return (
        text,
        match.start(),
        f"{character_name(match.group())} is not allowed in a spec file; remove it",
    )


_LINE_BREAK = re.compile("\r\n|[\r\n\x85\u2028\u2029]")


def _position(text: str, index: int) -> tuple[int, int]:
    """Return the 1-based line and column of a character, counting breaks as YAML does."""
    line, start = 1, 0
    for match in _LINE_BREAK.finditer(text, 0, index):
        line, start = line + 1, match.end()
    return line, index - start + 1


def _at(where: str, path: str, position: tuple[int, int], message: str) -> str:
    field_ = f"{path}: " if path else ""
    return f"{where}: {field_}line {position[0]}, column {position[1]}: {message}"


def _walk(root: yaml.Node) -> Iterator[tuple[yaml.Node, str, int, bool, bool]]:
    """Yield every node in document order: ``(node, field path, depth, seen before, is key)``.

    Keys are yielded with the path of their value and `` (key)``; a node seen before
    (an alias) and its children are not walked again, nor are nodes deeper than
    :data:`MAX_DEPTH`, so the walk is linear in the size of the file.
    """
    seen: set[int] = set()
    stack: list[tuple[yaml.Node, str, int, bool]] = [(root, "", 0, False)]
    while stack:
        node, path, depth, is_key = stack.pop()
        repeated = id(node) in seen
        seen.add(id(node))
        yield node, path, depth, repeated, is_key
        if repeated or depth > MAX_DEPTH:
            continue
        children: list[tuple[yaml.Node, str, int, bool]] = []
        if isinstance(node, yaml.MappingNode):
            for key, value in node.value:
                if not isinstance(key, yaml.ScalarNode):  # reported at the mapping's path
                    children += [(key, path, depth + 1, True), (value, path, depth + 1, False)]
                    continue
                part = _path_part(key.value)
                child = f"{path}.{part}" if path else part
                children += [(key, f"{child} (key)", depth + 1, True)]
                children += [(value, child, depth + 1, False)]
        elif isinstance(node, yaml.SequenceNode):
            children = [
                (item, f"{path}[{i}]", depth + 1, False) for i, item in enumerate(node.value)
            ]
        stack.extend(reversed(children))


def _locate(text: str, index: int) -> str:
    """Return the field path of the value or key holding character ``index``, or ``""``."""
    try:
        root = _compose(_NOT_YAML_TEXT.sub("\ufffd", text))
    except (yaml.YAMLError, RecursionError):
        return ""
    if root is None:
        return ""
    for node, path, _, _, _ in _walk(root):
        if isinstance(node, yaml.ScalarNode) and (
            node.start_mark.index <= index < node.end_mark.index
        ):
            return path
    return ""


def _compose(text: str) -> yaml.Node | None:
    loader = SpecLoader(text)
    try:
        node: yaml.Node | None = loader.get_single_node()
    finally:
        loader.dispose()
    return node


def _tag_name(tag: str) -> str:
    return "!!" + tag.removeprefix(_YAML) if tag.startswith(_YAML) else tag


_TOO_DEEP = (
    f"nested more than {MAX_DEPTH} levels deep; a spec file needs about six "
    "(see docs/spec-format.md)"
)


_KEY_KINDS = {_INT: "a number", _FLOAT: "a number", _BOOL: "true or false", _NULL: "empty"}


def _node_problem(loader: SpecLoader, node: yaml.Node, depth: int, is_key: bool) -> str:
    """Say what is wrong with one node of the YAML (not an alias), or return ``""``."""
    if depth > MAX_DEPTH:
        return _TOO_DEEP
    tag = str(node.tag)
    if is_key:
        if tag == _MERGE:
            return "merge keys (<<) are not allowed in a spec file; write the fields out in full"
        if not isinstance(node, yaml.ScalarNode):
            what = "a list" if isinstance(node, yaml.SequenceNode) else "a mapping"
            return f"{what} is used as a key; keys are field names or source keys, written as text"
        if tag != _STR:
            what = _KEY_KINDS.get(tag, f"a {_tag_name(tag)} value")
            return (
                f"the key {quote(node.value)} is read as {what}, not text; put it in quotes, "
                "or use a key such as reuters-2024-11-17"
            )
        return ""
    kinds = {_SEQ: yaml.SequenceNode, _MAP: yaml.MappingNode}
    if tag not in _SCALAR_TAGS and tag not in kinds:
        return f"the tag {quote(_tag_name(tag))} is not allowed in a spec file; remove it"
    if not isinstance(node, kinds.get(tag, yaml.ScalarNode)):
        return f"the tag {quote(_tag_name(tag))} does not fit this value; remove it"
    if isinstance(node, yaml.ScalarNode):
        return _scalar_problem(loader, node)
    return ""


def _too_deep(text: str) -> tuple[str, tuple[int, int]] | None:
    """Find a list or mapping nested deeper than :data:`MAX_DEPTH`: its field path and position.

    The YAML is read as a stream of events, without building it and without recursion,
    so that any nesting is reported with its field before a parser gives up on it
    (libyaml stops at 1,000 levels, looking ahead before it reports any event; PyYAML's
    own parser, used then, has no such limit). Syntax errors are left for
    :func:`_parse` to report.
    """
    try:
        return _too_deep_with(SpecLoader, text)
    except yaml.YAMLError:
        pass
    try:
        return _too_deep_with(yaml.SafeLoader, text)
    except (yaml.YAMLError, RecursionError):
        return None


def _too_deep_with(
    loader_class: type[SpecLoader] | type[yaml.SafeLoader], text: str
) -> tuple[str, tuple[int, int]] | None:
    loader = loader_class(text)
    # One entry per open list or mapping: [field path, is a mapping, items seen, last key].
    stack: list[list[Any]] = []
    try:
        while not loader.check_event(yaml.StreamEndEvent):
            event = loader.get_event()
            if isinstance(event, yaml.CollectionEndEvent):
                stack.pop()
                continue
            if not isinstance(event, yaml.NodeEvent):
                continue
            path = ""
            if stack:
                parent = stack[-1]
                if not parent[1]:
                    path = f"{parent[0]}[{parent[2]}]"
                elif parent[2] % 2 == 0:
                    key = event.value if isinstance(event, yaml.ScalarEvent) else "?"
                    parent[3] = _path_part(key)
                    path = f"{parent[0]}.{parent[3]}" if parent[0] else parent[3]
                    path += " (key)"
                else:
                    path = f"{parent[0]}.{parent[3]}" if parent[0] else parent[3]
                parent[2] += 1
            if isinstance(event, yaml.CollectionStartEvent):
                if len(stack) > MAX_DEPTH:
                    mark = event.start_mark
                    return path, (mark.line + 1, mark.column + 1) if mark else (1, 1)
                stack.append([path, isinstance(event, yaml.MappingStartEvent), 0, ""])
    finally:
        loader.dispose()
    return None


def _parse(text: str, where: str) -> tuple[Any, list[str]]:
    """Parse YAML text into plain data, or return the problems of the YAML itself."""
    deep = _too_deep(text)
    if deep is not None:
        return None, [_at(where, *deep, _TOO_DEEP)]
    loader = SpecLoader(text)
    try:
        root = loader.get_single_node()
        if root is None:
            return None, []
        problems = []
        aliases: list[str] = []
        for node, path, depth, repeated, is_key in _walk(root):
            if repeated:  # an alias: its node's mark is the anchor's, so give no line
                aliases.append(path)
                continue
            problem = _node_problem(loader, node, depth, is_key)
            if problem:
                mark = node.start_mark
                problems.append(_at(where, path, (mark.line + 1, mark.column + 1), problem))
        if aliases:
            count = f" (this file has {len(aliases):,})" if len(aliases) > 1 else ""
            problems.insert(
                0,
                f"{where}: {aliases[0]}: aliases (*name) are not allowed in a spec file"
                f"{count}; write each value out in full",
            )
        if problems:
            if len(problems) > _MAX_YAML_PROBLEMS:
                more = len(problems) - _MAX_YAML_PROBLEMS
                problems[_MAX_YAML_PROBLEMS:] = [
                    f"{where}: and {more:,} more problems like these; fix the ones above first"
                ]
            return None, problems
        return loader.construct_document(root), []
    except yaml.MarkedYAMLError as err:
        return None, [_yaml_problem(where, err)]
    except yaml.YAMLError as err:
        return None, [f"{where}: could not read the YAML ({terminal(err)}); fix the syntax"]
    except RecursionError:
        return None, [f"{where}: the YAML is nested too deeply to be a spec file"]
    except (ValueError, TypeError, LookupError, AttributeError, OverflowError) as err:
        # PyYAML's constructors raise these for values the checks above do not foresee.
        return None, [
            f"{where}: could not read the YAML ({quote(str(err))}); check the values "
            "and remove any !!tags"
        ]
    finally:
        loader.dispose()


def _is_consequence(error: ErrorDetails, errors: list[ErrorDetails]) -> bool:
    """Whether an error only repeats others: a list found short because its items failed."""
    if error["type"] != "too_short":
        return False
    loc = tuple(error["loc"])
    return any(len(other["loc"]) > len(loc) and other["loc"][: len(loc)] == loc for other in errors)


def _yaml_problem(where: str, err: yaml.MarkedYAMLError) -> str:
    mark = err.problem_mark or err.context_mark
    line = f"line {mark.line + 1}, column {mark.column + 1}: " if mark is not None else ""
    what = terminal(err.problem or "invalid YAML")
    context = f" ({terminal(err.context)})" if err.context and err.problem else ""
    hint = "" if "appears twice" in what else "; check the indentation and quoting there"
    return f"{where}: {line}could not read the YAML: {what}{context}{hint}"


# --- pydantic errors in plain words --------------------------------------------------------


def _show(value: Any) -> str:
    """Show a value in a message: quoted, terminal-safe, at most about 200 characters."""
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, int) and value.bit_length() > 256:
        return f"a number of about {value.bit_length() * 3 // 10:,} digits"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if value is None:
        return "an empty value"
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list | tuple):
        return "a list"
    return quote(value)


def _unwrap(annotation: Any) -> Iterator[Any]:
    origin = typing.get_origin(annotation)
    if origin is typing.Annotated:
        yield from _unwrap(typing.get_args(annotation)[0])
    elif origin in (typing.Union, types.UnionType):
        for arg in typing.get_args(annotation):
            if arg is not type(None):
                yield from _unwrap(arg)
    else:
        yield annotation


def _model_at(loc: tuple[int | str, ...]) -> type[BaseModel] | None:
    """Find the model class at a location of a System, if any."""
    current: Any = System
    for part in loc:
        step: Any = None
        for candidate in _unwrap(current):
            origin = typing.get_origin(candidate)
            if isinstance(candidate, type) and issubclass(candidate, BaseModel):
                info = candidate.model_fields.get(str(part))
                step = info.annotation if info is not None else None
            elif origin is tuple and isinstance(part, int):
                step = typing.get_args(candidate)[0]
            elif origin is dict and isinstance(part, str):
                step = typing.get_args(candidate)[1]
            if step is not None:
                break
        if step is None:
            return None
        current = step
    for candidate in _unwrap(current):
        if isinstance(candidate, type) and issubclass(candidate, BaseModel):
            return candidate
    return None


def _field_name(loc: tuple[int | str, ...]) -> str:
    for part in reversed(loc):
        if isinstance(part, str) and part != "[key]":
            return part
    return "value"


_NUMBER_FIELDS = {"km", "shown_km"}


def describe_error(error: ErrorDetails) -> list[str]:
    """Turn one pydantic error into plain ``"field.path: what is wrong; what to do"`` lines.

    Parameters
    ----------
    error : pydantic_core.ErrorDetails
        One item of :meth:`pydantic.ValidationError.errors`.

    Returns
    -------
    list of str
        Usually one line; the checks of a whole file may give several.
    """
    loc = tuple(error["loc"])
    kind = error["type"]
    value = error.get("input")
    ctx: dict[str, Any] = dict(error.get("ctx") or {})
    path = format_path(loc)
    name = _field_name(loc)

    if kind == CHECK_ERROR:
        lines = []
        for sub, message in ctx.get("problems", ()):
            full = format_path((*loc, *_split_path(sub))) if sub else path
            lines.append(f"{full}: {message}" if full else message)
        return lines

    message = _message(kind, name, value, ctx, loc, str(error.get("msg", "")))
    return [f"{path}: {message}" if path else message]


def _split_path(path: str) -> tuple[int | str, ...]:
    parts: list[int | str] = []
    for piece in re.findall(r"[^.\[\]]+|\[\d+\]", path):
        parts.append(int(piece[1:-1]) if piece.startswith("[") else piece)
    return tuple(parts)


def _message(
    kind: str, name: str, value: Any, ctx: dict[str, Any], loc: tuple[int | str, ...], raw: str
) -> str:
    if kind.startswith("rangemap_"):
        return raw
    if kind == "missing":
        return f"missing; add {name}: (see docs/spec-format.md)"
    if kind == "extra_forbidden":
        model = _model_at(loc[:-1])
        allowed = sorted(model.model_fields) if model is not None else []
        close = difflib.get_close_matches(str(loc[-1]), allowed, n=1)
        hint = f"did you mean {quote(close[0])}? " if close else ""
        fields = f" (fields here: {', '.join(allowed)})" if allowed else ""
        return f"unknown field; {hint}remove it or fix its name{fields}"
    if kind == "enum":
        options = re.findall(r"'([^']*)'", str(ctx.get("expected", "")))
        noun = name.removesuffix("s") if isinstance(loc[-1], int) else name
        return f"{_show(value)} is not a valid {noun}; use one of: {', '.join(options)}"
    if kind == "string_pattern_mismatch":
        pattern = str(ctx.get("pattern", ""))
        if "A-Z" in pattern:
            return (
                f"{_show(value)} is not an ISO 3166-1 alpha-2 country code; "
                "use two capital letters, e.g. UA, US, RU, GB"
            )
        what = "source key" if "[key]" in loc else "id"
        return (
            f"{_show(value)} is not a valid {what}; use lowercase letters, digits and single "
            "hyphens, e.g. reuters-2024-11-17 or block-i"
        )
    if kind == "string_too_short":
        return "is empty; write the text or remove the field"
    if kind == "string_too_long":
        limit = int(ctx.get("max_length", 0))
        return f"{quote(value, limit=60)} is too long; shorten it to at most {limit:,} characters"
    if kind == "too_short":
        return f"is empty; it needs at least {ctx.get('min_length', 1)} entry"
    if kind == "string_type":
        if isinstance(value, bool):
            return f"{str(value).lower()} is not text; put it in quotes"
        if isinstance(value, int | float):
            return f"{_show(value)} is not text; put it in quotes: '{_show(value)}'"
        return f"{_show(value)} is not text; write a plain string"
    if kind in {"float_type", "float_parsing"}:
        return (
            f"{_show(value)} is not a number; write kilometres as a bare number "
            "(e.g. 300), converting miles first (1 mi = 1.609344 km)"
        )
    if kind in {"int_type", "int_parsing", "int_from_float"}:
        return f"{_show(value)} is not a whole number; write a count such as 1 or 6"
    if kind == "finite_number":
        return f"{_show(value)} is not a finite number; write the figure in kilometres"
    if kind in {"greater_than", "greater_than_equal"}:
        bound = _show(ctx.get("gt", ctx.get("ge")))
        unit = " km" if name in _NUMBER_FIELDS else ""
        return f"{_show(value)} must be greater than {bound}{unit}; check the figure"
    if kind in {"less_than", "less_than_equal"}:
        if name in _NUMBER_FIELDS:
            return (
                f"{_show(value)} km is not less than {MAX_RANGE_KM:,.0f} km (half the Earth's "
                "circumference); check the figure and its unit"
            )
        return f"{_show(value)} must be less than {_show(ctx.get('lt', ctx.get('le')))}"
    if kind in {"bool_type", "bool_parsing"}:
        return f"{_show(value)} is not true or false; write true or false"
    if kind in {"tuple_type", "list_type"}:
        example = f"[{value}]" if isinstance(value, str) else "one '- item' line per entry"
        return f"{_show(value)} is not a list; write it as a list: {example}"
    if kind in {"dict_type", "model_type", "model_attributes_type", "mapping_type"}:
        return f"{_show(value)} is not a mapping of fields; write 'field: value' lines under it"
    if kind.startswith("date") or kind.startswith("datetime"):
        return f"{_show(value)} is not a valid date; write it as YYYY-MM-DD, e.g. 2024-11-25"
    first = terminal(raw[:1].lower() + raw[1:])
    return f"{_show(value)}: {first}"
