"""Reading spec files: YAML to :class:`~rangemap.catalog.models.System`, problems in words.

This module owns everything between a file on disk and a validated model: the YAML
loader (safe, YAML 1.2 booleans, dates left as text, duplicate keys refused), the checks
of a file's top level, and the rewriting of pydantic's messages into one plain line per
problem of the form ``"specs/atacms.yaml: variants[1].max_range.shown_km: ..."``.
Nothing here raises for a bad file: problems are collected so that every one of them,
in every file, can be reported at once.
"""

from __future__ import annotations

import difflib
import re
import types
import typing
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ValidationError
from pydantic_core import ErrorDetails

from rangemap.catalog.models import CHECK_ERROR, DEFER_CHECKS, MAX_RANGE_KM, System

try:  # libyaml's parser, about twenty times faster, when PyYAML was built with it
    from yaml import CSafeLoader as _SafeLoader
except ImportError:  # pragma: no cover - PyYAML without libyaml
    from yaml import SafeLoader as _SafeLoader  # type: ignore[assignment]

__all__ = ["FileResult", "display_path", "format_path", "read_spec"]

_BOOL = "tag:yaml.org,2002:bool"
_TIMESTAMP = "tag:yaml.org,2002:timestamp"


class SpecLoader(_SafeLoader):
    """A safe YAML loader: YAML 1.2 booleans, dates as text, no duplicate keys.

    ``yes``, ``no``, ``on`` and ``off`` stay text (so ``operators: [NO]`` is Norway,
    not false); dates stay text for the models to parse, so a bad date is reported
    with its field; a key given twice in one mapping is an error with its line.
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
                raise yaml.constructor.ConstructorError(
                    None,
                    None,
                    f"the key {key!r} appears twice in the same mapping (first on line "
                    f"{first + 1}); keep one of them",
                    key_node.start_mark,
                )
            seen[key] = key_node.start_mark.line
        return super().construct_mapping(node, deep=deep)


SpecLoader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag not in {_BOOL, _TIMESTAMP}]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
SpecLoader.add_implicit_resolver(
    _BOOL, re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF")
)


def display_path(path: Path) -> str:
    """Return a path as a reader would type it: relative to the working folder if inside it.

    Parameters
    ----------
    path : pathlib.Path

    Returns
    -------
    str
    """
    try:
        return path.resolve().relative_to(Path.cwd().resolve()).as_posix()
    except (ValueError, OSError):
        return str(path)


def format_path(loc: tuple[int | str, ...]) -> str:
    """Write a pydantic error location in ``a.b[1].c`` form.

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
            text += f".{part}" if text else str(part)
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

    Parameters
    ----------
    path : pathlib.Path
        A ``*.yaml`` spec file.

    Returns
    -------
    FileResult
        The system when the file is valid on its own (``problems`` empty), and one
        line per problem otherwise.
    """
    result = FileResult(path=path)
    where = display_path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as err:
        result.problems.append(
            f"{where}: byte {err.start} is not UTF-8 text; save the file as UTF-8"
        )
        return result
    except OSError as err:
        result.problems.append(f"{where}: cannot be read ({err.strerror or err})")
        return result
    try:
        data = yaml.load(text, Loader=SpecLoader)  # a safe loader: plain data only
    except yaml.MarkedYAMLError as err:
        result.problems.append(_yaml_problem(where, err))
        return result
    except yaml.YAMLError as err:
        result.problems.append(f"{where}: could not read the YAML ({err}); fix the syntax")
        return result
    except RecursionError:
        result.problems.append(f"{where}: the YAML is nested too deeply to be a spec file")
        return result
    if data is None:
        result.problems.append(
            f"{where}: the file is empty; write one system in it as docs/spec-format.md "
            "shows, or delete the file"
        )
        return result
    if not isinstance(data, dict):
        what = "a list" if isinstance(data, list) else f"a single value ({data!r})"
        result.problems.append(
            f"{where}: the top level is {what}; a spec file is one mapping of fields "
            "(id: ..., name: ..., kind: ...) describing one system"
        )
        return result
    raw_id = data.get("id")
    if isinstance(raw_id, str):
        result.raw_id = raw_id
        if raw_id != path.stem:
            result.problems.append(
                f"{where}: id: {raw_id!r} does not match the file name; rename the file "
                f"to {raw_id}.yaml or set id: {path.stem}"
            )
    try:
        system = System.model_validate(data, context={DEFER_CHECKS: True})
    except ValidationError as err:
        errors = err.errors()
        for error in errors:
            if _is_consequence(error, errors):
                continue
            result.problems.extend(f"{where}: {line}" for line in describe_error(error))
        return result
    system._path = path
    if not result.problems:
        result.system = system
    return result


def _is_consequence(error: ErrorDetails, errors: list[ErrorDetails]) -> bool:
    """Whether an error only repeats others: a list found short because its items failed."""
    if error["type"] != "too_short":
        return False
    loc = tuple(error["loc"])
    return any(len(other["loc"]) > len(loc) and other["loc"][: len(loc)] == loc for other in errors)


def _yaml_problem(where: str, err: yaml.MarkedYAMLError) -> str:
    mark = err.problem_mark or err.context_mark
    line = f"line {mark.line + 1}, column {mark.column + 1}: " if mark is not None else ""
    what = err.problem or "invalid YAML"
    context = f" ({err.context})" if err.context and err.problem else ""
    hint = "" if "appears twice" in what else "; check the indentation and quoting there"
    return f"{where}: {line}could not read the YAML: {what}{context}{hint}"


# --- pydantic errors in plain words --------------------------------------------------------


def _show(value: Any) -> str:
    if isinstance(value, str):
        shown = value if len(value) <= 60 else value[:57] + "..."
        return repr(shown)
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if value is None:
        return "an empty value"
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    return repr(value)


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
        hint = f"did you mean {close[0]!r}? " if close else ""
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
    first = raw[:1].lower() + raw[1:]
    return f"{_show(value)}: {first}"
