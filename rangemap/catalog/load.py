"""Reading spec files: YAML to :class:`~rangemap.catalog.models.System`, problems in words.

This module owns everything between a file on disk and a validated model: reading the
file as YAML (through :mod:`rangemap._yaml`, the one reader of untrusted YAML, shared
with recipes: at most :data:`MAX_SPEC_BYTES`, UTF-8 without control characters, YAML 1.2
scalars with dates left as text, and no aliases, merges, unusual tags, non-text or
repeated keys or nesting deeper than :data:`MAX_DEPTH`), the checks of a file's top
level, and the rewriting of pydantic's messages into one plain line per problem of the
form ``"specs/atacms.yaml: variants[1].max_range.shown_km: ..."``.

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
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError
from pydantic_core import ErrorDetails

from rangemap import _yaml
from rangemap.catalog.models import (
    CAVEAT_FORMS,
    CHECK_ERROR,
    DEFER_CHECKS,
    MAX_ID_LENGTH,
    MAX_RANGE_KM,
    System,
)
from rangemap.escaping import quote, terminal

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
MAX_SPEC_BYTES = _yaml.MAX_BYTES
#: Deepest nesting of lists and mappings allowed in a spec file; real ones need about 6.
MAX_DEPTH = _yaml.MAX_DEPTH
#: Most problems of the YAML itself, and of its fields, reported per file.
_MAX_YAML_PROBLEMS = 20
_MAX_PROBLEMS = 100
#: Most characters of one key shown in a field path.
_MAX_PATH_PART = 60


class SpecLoader(_yaml.Loader):
    """A PyYAML loader for spec text: ``yaml.load(text, Loader=SpecLoader)``.

    It reads as :func:`read_spec` does (:mod:`rangemap._yaml`): plain data, YAML 1.2
    scalars (``operators: [NO]`` is Norway, not false), dates as text; the first alias,
    merge, unusual tag, non-text or repeated key, deep nesting or unreadable value is a
    :class:`yaml.MarkedYAMLError` with its line, never an exception of another kind.
    """

    kind = "spec file"


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
    for i, part in enumerate(loc):
        if (
            i >= 2
            and loc[i - 2] == "caveats"
            and isinstance(loc[i - 1], int)
            and part in CAVEAT_FORMS
        ):
            continue  # the form a caveat is written in (a tagged union's tag), not a field
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

    The file is read by :func:`rangemap._yaml.read_yaml`: refused before it is parsed
    when it is not a regular file or is larger than :data:`MAX_SPEC_BYTES` (at most that
    many bytes and one more are read), and before it becomes data when it is not UTF-8,
    holds control characters, or uses YAML aliases, merges, unusual tags, keys that are
    not text or appear twice, more than 100,000 values or nesting deeper than
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
    try:
        data = _yaml.read_yaml(path, "spec file")
    except _yaml.YamlError as err:
        result.problems += _yaml_lines(where, err.problems)
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


def _yaml_lines(where: str, problems: Sequence[_yaml.Problem]) -> list[str]:
    """Write the problems of the file itself, ``where: field: line L, column C: ...``.

    At most :data:`_MAX_YAML_PROBLEMS` of them, then one line counting the rest.
    """
    lines = []
    for problem in problems[:_MAX_YAML_PROBLEMS]:
        parts = [where]
        if problem.path:
            parts.append(format_path((*problem.path, "[key]") if problem.key else problem.path))
        if problem.line is not None:
            column = f", column {problem.column}" if problem.column is not None else ""
            parts.append(f"line {problem.line}{column}")
        lines.append(": ".join([*parts, problem.message]))
    if len(problems) > _MAX_YAML_PROBLEMS:
        more = len(problems) - _MAX_YAML_PROBLEMS
        lines.append(f"{where}: and {more:,} more problems like these; fix the ones above first")
    return lines


def _is_consequence(error: ErrorDetails, errors: list[ErrorDetails]) -> bool:
    """Whether an error only repeats others: a list found short because its items failed."""
    if error["type"] != "too_short":
        return False
    loc = tuple(error["loc"])
    return any(len(other["loc"]) > len(loc) and other["loc"][: len(loc)] == loc for other in errors)


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
                f"{_show(value)} km is longer than {MAX_RANGE_KM:,.2f} km, the farthest any point "
                "can be from another on the Earth's surface (half a meridian); check the figure "
                "and its unit"
            )
        return f"{_show(value)} must be less than {_show(ctx.get('lt', ctx.get('le')))}"
    if kind in {"bool_type", "bool_parsing"}:
        return f"{_show(value)} is not true or false; write true or false"
    if kind in {"tuple_type", "list_type"}:
        example = (
            f"[{terminal(value)[:60]}]" if isinstance(value, str) else "one '- item' line per entry"
        )
        return f"{_show(value)} is not a list; write it as a list: {example}"
    if kind in {"dict_type", "model_type", "model_attributes_type", "mapping_type"}:
        return f"{_show(value)} is not a mapping of fields; write 'field: value' lines under it"
    if kind.startswith("date") or kind.startswith("datetime"):
        return f"{_show(value)} is not a valid date; write it as YYYY-MM-DD, e.g. 2024-11-25"
    first = terminal(raw[:1].lower() + raw[1:])
    return f"{_show(value)}: {first}"
