"""Map recipes: a YAML file that describes a whole map, read into a RangeMap.

A recipe names the title, subtitle, credit, "as of" date, basemap, view, the reach
layers (a catalog system or a bare distance, from origins given as ``"LAT, LON=Label"``,
place names, countries or GeoJSON/GeoPackage files) and text annotations. It is
validated with pydantic (unknown fields are errors); every problem raises
:class:`~rangemap.errors.RecipeError` naming the file and the field, in plain words,
with any value quoted and shortened (:func:`rangemap.escaping.quote`). Before
pydantic sees it, the file is checked as data: at most 1 MB of UTF-8 text, plain YAML
(no aliases, merges or object tags, no key twice), at most 32 levels deep (see
:func:`read_recipe`).

Example (the shipped ``atacms-nov-2024.yaml`` is a complete one)::

    title: What ATACMS can reach from Sumy and Kharkiv
    layers:
      - system: atacms
        origins: ["Sumy", "49.99, 36.23=Kharkiv"]
      - distance: 165 km
        origins: [{country: UA}]
        style: {color: "#0072B2", opacity: 0.15}
    annotations:
      - {text: Kursk region, at: "51.5, 36.1"}
      - {text: Front line, at: Vovchansk}
    places: {top: 12, min_population: 100000, countries: [RU]}
    preset: social          # size of .png/.svg/.pdf output: social, square or print
"""

from __future__ import annotations

import codecs
import datetime as dt
import os
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any, Literal

import yaml
from pydantic import (
    BaseModel,
    ConfigDict,
    Discriminator,
    Field,
    Tag,
    ValidationError,
    field_validator,
    model_validator,
)
from shapely.geometry.base import BaseGeometry
from yaml.events import (
    AliasEvent,
    CollectionEndEvent,
    CollectionStartEvent,
    MappingStartEvent,
    NodeEvent,
)
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from rangemap.catalog.load import SpecLoader
from rangemap.errors import InputError, RangemapError, RecipeError, SpecError
from rangemap.escaping import quote, terminal
from rangemap.geodesy import MAX_DISTANCE_M
from rangemap.places import parse_latlon, parse_origin
from rangemap.reach import Reach, Site
from rangemap.scene import DEFAULT_PLACES, Annotation, RangeMap, View
from rangemap.units import parse_distance

__all__ = [
    "MAX_DEPTH",
    "MAX_RECIPE_BYTES",
    "MAX_VALUES",
    "flagship_recipe",
    "load_recipe",
    "read_recipe",
]

#: The largest recipe file read, in bytes (1 MB, as for spec files); the shipped recipe
#: is under 2 kB.
MAX_RECIPE_BYTES = 1_048_576
#: The deepest nesting of lists and mappings read; a recipe needs five levels.
MAX_DEPTH = 32
#: The most values (texts, numbers, lists, mappings, keys) a recipe may hold.
MAX_VALUES = 100_000

Text = Annotated[str, Field(min_length=1, max_length=2000)]


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, strict=False)


class CountryOrigin(_Model):
    """A country's territory as the origin."""

    country: Text
    label: Text | None = None


class FileOrigin(_Model):
    """The shapes in a GeoJSON or GeoPackage file (path relative to the recipe)."""

    file: Text
    label: Text | None = None


def _origin_kind(value: Any) -> str | None:
    """Pick the origin form from its shape, so an error names one form, not three."""
    if isinstance(value, str):
        return "str"
    if isinstance(value, dict):
        return "FileOrigin" if "file" in value else "CountryOrigin"
    if isinstance(value, CountryOrigin | FileOrigin):
        return type(value).__name__
    return None


_ORIGIN_HELP = 'write "LAT, LON", "LAT, LON=Label" or a place name'

#: One origin of a layer: text, ``{country: UA}`` or ``{file: front.geojson}``.
OriginRecipe = Annotated[
    Annotated[Text, Tag("str")]
    | Annotated[CountryOrigin, Tag("CountryOrigin")]
    | Annotated[FileOrigin, Tag("FileOrigin")],
    Discriminator(
        _origin_kind,
        custom_error_type="origin",
        custom_error_message=f"is not an origin; {_ORIGIN_HELP}",
    ),
]


class Style(_Model):
    """How a layer is drawn."""

    color: Text | None = None
    opacity: float | None = Field(default=None, ge=0, le=1)


class LayerRecipe(_Model):
    """One reach layer: a system or a distance, from one or more origins."""

    system: Text | None = None
    variant: Text | None = None
    distance: Text | None = None
    label: Text | None = None
    origins: list[OriginRecipe] = Field(min_length=1)
    style: Style = Style()
    show: Literal["shown", "spread"] = "shown"

    @model_validator(mode="after")
    def _one_of(self) -> LayerRecipe:
        if (self.system is None) == (self.distance is None):
            msg = "give either 'system' (e.g. atacms:block-i) or 'distance' (e.g. '300 km')"
            raise ValueError(msg)
        if self.distance is not None and (self.variant is not None or self.show != "shown"):
            msg = "'variant' and 'show' apply to a 'system', not to a 'distance'"
            raise ValueError(msg)
        return self


class AnnotationRecipe(_Model):
    """A line of text at a point: ``"LAT, LON"`` or a place name such as ``Vovchansk``."""

    text: Text
    at: Text


class PlacesRecipe(_Model):
    """The most populous gazetteer places inside the reach, shown as labelled markers."""

    top: int = Field(default=DEFAULT_PLACES, ge=0, le=200, strict=True)
    min_population: int = Field(default=0, ge=0, strict=True)
    countries: list[Text] = Field(default_factory=list)
    labels: bool = Field(default=True, strict=True)


class ViewRecipe(_Model):
    """A fixed view: centre ``"LAT, LON"`` and zoom."""

    center: Text
    zoom: int = Field(ge=0, le=18)


#: The ``preset`` values a recipe accepts (the names of :data:`rangemap.render.static.PRESETS`).
PRESET_NAMES = ("social", "square", "print")


class Recipe(_Model):
    """A whole map."""

    title: Text | None = None
    subtitle: Text | None = None
    credit: Text | None = None
    as_of: dt.date | None = None
    preset: Literal["social", "square", "print"] | None = None
    basemap: Text = "offline"
    tiles: Text | None = None
    view: Literal["fit"] | ViewRecipe = "fit"
    specs: list[Text] = Field(default_factory=list)
    layers: list[LayerRecipe] = Field(min_length=1)
    annotations: list[AnnotationRecipe] = Field(default_factory=list)
    places: PlacesRecipe | None = None

    @field_validator("as_of", mode="before")
    @classmethod
    def _date_as_text(cls, value: object) -> object:
        if isinstance(value, bool | int | float):
            msg = f"{quote(value)} is not a date; write it as YYYY-MM-DD, for example 2024-11-25"
            raise ValueError(msg)
        return value

    @field_validator("as_of")
    @classmethod
    def _not_future(cls, value: dt.date | None) -> dt.date | None:
        if value is not None and value > dt.date.today():
            msg = (
                f"{value.isoformat()} is in the future; give the date the map describes, "
                f"today ({dt.date.today().isoformat()}) or earlier"
            )
            raise ValueError(msg)
        return value

    @model_validator(mode="after")
    def _tiles(self) -> Recipe:
        if self.tiles is not None and self.basemap not in ("offline", self.tiles):
            msg = "give 'tiles' or 'basemap', not both"
            raise ValueError(msg)
        return self


def flagship_recipe() -> Path:
    """Return the path of the shipped ATACMS recipe (November 2024), ``atacms-nov-2024.yaml``."""
    return Path(__file__).resolve().parent / "data" / "recipes" / "atacms-nov-2024.yaml"


_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_-]{0,59}")
#: Field paths longer than this are cut, so a message stays one short line.
_MAX_FIELD_CHARS = 120


def _name(key: str) -> str:
    """Show a mapping key in a field path: as written if it is a plain word, else quoted."""
    return key if _NAME.fullmatch(key) else quote(key, limit=60)


def _path_text(path: Sequence[int | str]) -> str:
    """Write a location in the recipe as ``layers[0].style.color`` (at most ~120 characters)."""
    out = ""
    for part in path:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += f".{_name(part)}" if out else _name(part)
    if len(out) > _MAX_FIELD_CHARS:
        out = out[: _MAX_FIELD_CHARS - 1] + "\u2026"
    return out or "(top level)"


_UNION_BRANCHES = frozenset(
    ("str", "CountryOrigin", "FileOrigin", "ViewRecipe", "PlacesRecipe", "literal['fit']")
)


def _field(loc: Sequence[int | str]) -> str:
    # pydantic adds the names of union branches to the location; they are not fields
    return _path_text([part for part in loc if part not in _UNION_BRANCHES])


def _plain(error: Any) -> str:
    kind = error.get("type", "")
    value = error.get("input")
    if kind == "missing":
        return "is required"
    if kind == "extra_forbidden":
        return "is not a recipe field; check its spelling against docs/recipes"
    if kind == "origin":
        return f"{quote(value)} is not an origin; {_ORIGIN_HELP}"
    message = terminal(error.get("msg", "is invalid")).removeprefix("Value error, ")
    if kind == "value_error":
        return message  # the recipe's own checks name the value themselves
    if kind.startswith("date"):
        detail = terminal((error.get("ctx") or {}).get("error", ""))
        because = f" ({detail})" if detail else ""
        return f"{quote(value)} is not a date{because}; write it as YYYY-MM-DD, e.g. 2024-11-25"
    if kind in ("bool_type", "bool_parsing"):
        return f"{quote(value)} is not true or false; write true or false"
    if kind == "string_type" and isinstance(value, bool | int | float):
        return f"{quote(value)} is not text; put it in quotes: '{quote(value)}'"
    if value is not None and not isinstance(value, dict | list):
        return f"{quote(value)}: {message}"
    return message


def _describe(where: str, err: ValidationError) -> str:
    lines: list[str] = []
    seen: set[str] = set()
    # The deepest location first: for a union (e.g. 'fit' or a mapping), the branch
    # the reader meant has the longer path.
    for error in sorted(err.errors(), key=lambda e: -len(e["loc"])):
        line = f"{where}: {_field(error['loc'])}: {_plain(error)}"
        if line not in seen:
            seen.add(line)
            lines.append(line)
    if len(lines) > 1:
        more = len(lines) - 1
        return f"{lines[0]} (and {more} more problem{'s' if more > 1 else ''})"
    return lines[0]


# --- reading the file: size, encoding, YAML ------------------------------------------------

# The characters YAML refuses (PyYAML's rule), found first so the message can name them.
_NOT_YAML = re.compile("[^\t\n\r\x20-\x7e\x85\xa0-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")

_TAG = "tag:yaml.org,2002:"
_STR, _SEQ, _MAP, _MERGE = (_TAG + name for name in ("str", "seq", "map", "merge"))
#: What a value given with a YAML tag (``!!float abc``) should have been.
_SCALARS: dict[str, str] = {
    _TAG + "null": "an empty value",
    _TAG + "bool": "true or false",
    _TAG + "int": "a whole number",
    _TAG + "float": "a number",
}
#: Kinds of scalar keys, for the message when a key is not text.
_KEY_KINDS: dict[str, str] = {
    _TAG + "null": "empty",
    _TAG + "bool": "true or false",
    _TAG + "int": "a number",
    _TAG + "float": "a number",
}


def _position(where: str, node: Node) -> str:
    mark = node.start_mark
    return f"{where}: line {mark.line + 1}, column {mark.column + 1}"


def _short_tag(tag: str) -> str:
    return quote("!!" + tag.removeprefix(_TAG) if tag.startswith(_TAG) else tag, limit=60)


class _Builder:
    """Build plain data (text, numbers, true/false, lists, mappings) from YAML nodes.

    Keys must be text and appear once per mapping; only the plain tags are accepted.
    The nodes come from text that :func:`_check_events` has passed (no aliases, nesting
    and size bounded), so they form a small tree. Each problem is a
    :class:`RecipeError` naming the file, line, column and field.
    """

    def __init__(self, where: str, loader: SpecLoader) -> None:
        self.where = where
        self.loader = loader
        self.scalars: dict[str, Callable[[ScalarNode], Any]] = {
            _TAG + "null": loader.construct_yaml_null,
            _TAG + "bool": loader.construct_yaml_bool,
            _TAG + "int": loader.construct_yaml_int,
            _TAG + "float": loader.construct_yaml_float,
        }

    def fail(self, node: Node, path: Sequence[int | str], problem: str) -> RecipeError:
        return RecipeError(f"{_position(self.where, node)}: {_path_text(path)}: {problem}")

    def build(self, node: Node, path: tuple[int | str, ...]) -> Any:
        if isinstance(node, ScalarNode):
            return self.scalar(node, path)
        expected = _SEQ if isinstance(node, SequenceNode) else _MAP
        if node.tag != expected:
            raise self.fail(node, path, _tag_problem(node.tag))
        if isinstance(node, MappingNode):
            return self.mapping(node, path)
        return [self.build(item, (*path, i)) for i, item in enumerate(node.value)]

    def scalar(self, node: ScalarNode, path: tuple[int | str, ...]) -> Any:
        tag = node.tag
        if tag in (_STR, _TAG + "value", _TAG + "timestamp"):
            return node.value  # dates stay text: the model reads them and names the field
        construct = self.scalars.get(tag)
        if construct is None:
            raise self.fail(node, path, _tag_problem(tag))
        try:
            return construct(node)
        except (ArithmeticError, AttributeError, IndexError, KeyError, TypeError, ValueError):
            what = _SCALARS[tag]
            shown = quote(node.value, limit=80)
            implicit = self.loader.resolve(  # type: ignore[no-untyped-call]  # untyped in stubs
                ScalarNode, node.value, (True, False)
            )
            if implicit == tag:
                # no tag written: a number too long for Python (over 4,300 digits)
                msg = f"{shown} cannot be read as {what}; put it in quotes to keep it as text"
            else:
                msg = (
                    f"{shown} is not {what} ({_short_tag(tag)}); write {what}, or remove "
                    "the tag to keep the text"
                )
            raise self.fail(node, path, msg) from None

    def key(self, node: Node, path: tuple[int | str, ...]) -> str:
        if isinstance(node, ScalarNode) and node.tag == _STR:
            return str(node.value)
        if node.tag == _MERGE:
            msg = (
                "'<<' (a YAML merge) is not allowed in a recipe; write the fields out "
                "in this mapping"
            )
            raise self.fail(node, path, msg)
        if isinstance(node, ScalarNode):
            kind = _KEY_KINDS.get(node.tag, f"tagged {_short_tag(node.tag)}")
            shown = f"{kind}: {quote(node.value, limit=60)}"
        else:
            shown = "a list" if isinstance(node, SequenceNode) else "a mapping"
        msg = (
            f"a key is {shown}, not a field name; write field names as plain words, "
            "such as title or layers"
        )
        raise self.fail(node, path, msg)

    def mapping(self, node: MappingNode, path: tuple[int | str, ...]) -> dict[str, Any]:
        out: dict[str, Any] = {}
        lines: dict[str, int] = {}
        for key_node, value_node in node.value:
            key = self.key(key_node, path)
            if key in lines:
                msg = (
                    f"the key {quote(key, limit=60)} appears twice in the same mapping "
                    f"(first on line {lines[key] + 1}); keep one of them"
                )
                raise self.fail(key_node, path, msg)
            lines[key] = key_node.start_mark.line
            out[key] = self.build(value_node, (*path, key))
        return out


def _tag_problem(tag: str) -> str:
    return (
        f"the YAML tag {_short_tag(tag)} is not allowed in a recipe; a recipe holds text, "
        "numbers, true or false, lists and mappings, so remove the tag"
    )


def _too_deep() -> str:
    return (
        f"lists and mappings are nested more than {MAX_DEPTH} levels deep; a recipe "
        "needs five at most, so check the brackets and the indentation"
    )


@dataclass
class _Open:
    """A list or mapping the YAML event stream is inside."""

    path: tuple[int | str, ...]
    mapping: bool
    key: str = ""  # in a mapping: the key of the value that comes next
    want_key: bool = True  # in a mapping: whether the next node is a key
    index: int = 0  # in a list: the index of the next item


class _Place:
    """Where the YAML event stream is: the field path of each node as it arrives."""

    def __init__(self) -> None:
        self.open: list[_Open] = []
        self.path: tuple[int | str, ...] = ()  # of the most recent node

    def node(self, event: NodeEvent) -> tuple[int | str, ...]:
        """Return the path of a node event (a key's is its mapping's) and move on."""
        path: tuple[int | str, ...] = ()
        if self.open:
            inner = self.open[-1]
            if not inner.mapping:
                path = (*inner.path, inner.index)
                inner.index += 1
            elif inner.want_key:
                value = getattr(event, "value", None)
                inner.key = value if isinstance(value, str) else "(a key)"
                path = inner.path
            else:
                path = (*inner.path, inner.key)
            inner.want_key = not inner.want_key
        self.path = path
        return path

    def enter(self, path: tuple[int | str, ...], mapping: bool) -> int:
        """Open a list or mapping at ``path``; return the nesting depth."""
        self.open.append(_Open(path, mapping))
        return len(self.open)

    def leave(self) -> None:
        """Close the innermost list or mapping."""
        self.open.pop()


def _check_events(text: str, where: str) -> None:
    """Check the stream of YAML events before any tree is built.

    Refuses aliases (``*name``, as docs/security.md promises: rangemap never expands
    them, so no "billion laughs"), nesting deeper than :data:`MAX_DEPTH` and more than
    :data:`MAX_VALUES` values, and reports syntax errors with the field they are in.
    The parser is not recursive, so this costs one pass however deep the text is,
    where building the tree would recurse once per level.
    """
    place = _Place()
    count = 0
    events = yaml.parse(text, Loader=SpecLoader)
    while True:
        try:
            event = next(events, None)
        except yaml.YAMLError as err:
            # libyaml stops at 1000 levels while looking ahead, before this loop sees them
            deep = "nesting depth" in str(getattr(err, "problem", ""))
            raise RecipeError(_yaml_problem(where, err, _path_text(place.path), deep)) from None
        if event is None:
            return
        if isinstance(event, CollectionEndEvent):
            place.leave()
        if not isinstance(event, NodeEvent):
            continue
        path = place.node(event)
        count += 1
        depth = 0
        if isinstance(event, CollectionStartEvent):
            depth = place.enter(path, isinstance(event, MappingStartEvent))
        field = _path_text(path)
        if isinstance(event, AliasEvent):
            problem = (
                f"an alias ({quote('*' + str(event.anchor), limit=60)}) is not allowed in a "
                "recipe; write the value out in full"
            )
        elif count > MAX_VALUES:
            problem = (
                f"the recipe holds more than {MAX_VALUES:,} values; a recipe needs a few "
                "dozen, so check that this is the right file"
            )
        elif depth > MAX_DEPTH:
            field = _path_text(path[:4]) + "\u2026"  # where the nesting starts is enough
            problem = _too_deep()
        else:
            continue
        mark = event.start_mark
        at = f" line {mark.line + 1}, column {mark.column + 1}:" if mark else ""
        msg = f"{where}:{at} {field}: {problem}"
        raise RecipeError(msg)


def _too_big(where: str, size: int | None) -> RecipeError:
    what = f"{size:,} bytes" if size is not None else "still growing"
    msg = (
        f"{where}: the file is {what}, over the 1 MB ({MAX_RECIPE_BYTES:,} bytes) limit "
        "for a recipe; a recipe is a short text file, so check that this is the right file"
    )
    return RecipeError(msg)


def _read_text(path: Path, where: str) -> str:
    """Read a recipe's text: at most :data:`MAX_RECIPE_BYTES`, UTF-8, characters YAML allows."""
    try:
        with path.open("rb") as handle:
            size = os.fstat(handle.fileno()).st_size
            if size > MAX_RECIPE_BYTES:
                raise _too_big(where, size)
            # Never more than the limit and one byte, whatever the size said: the file
            # may be growing, or a device such as /dev/zero.
            raw = handle.read(MAX_RECIPE_BYTES + 1)
    except FileNotFoundError:
        msg = f"{where}: no such recipe file; check the path"
        raise RecipeError(msg) from None
    except IsADirectoryError:
        msg = f"{where}: is a folder; give a recipe file, such as maps/kyiv.yaml"
        raise RecipeError(msg) from None
    except OSError as err:
        reason = terminal(err.strerror or type(err).__name__)
        msg = f"{where}: cannot read the recipe ({reason}); give a readable UTF-8 YAML file"
        raise RecipeError(msg) from None
    if len(raw) > MAX_RECIPE_BYTES:
        raise _too_big(where, None)
    if raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        msg = f"{where}: (top level): the file is UTF-16 text; save the recipe as UTF-8"
        raise RecipeError(msg)
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as err:
        line = raw.count(b"\n", 0, err.start) + 1
        field = _field_of_line(raw.decode("utf-8", errors="replace"), line)
        msg = (
            f"{where}: line {line}: {field}: byte {err.start:,} (0x{raw[err.start]:02x}) is "
            "not UTF-8 text; save the recipe as UTF-8"
        )
        raise RecipeError(msg) from None
    bad = _NOT_YAML.search(text)
    if bad is not None:
        at = bad.start()
        line = text.count("\n", 0, at) + 1
        column = at - (text.rfind("\n", 0, at) + 1) + 1
        char = bad.group()
        name = "a NUL byte (U+0000)" if char == "\x00" else f"the character U+{ord(char):04X}"
        msg = (
            f"{where}: line {line}, column {column}: {_field_of_line(text, line)}: {name} is "
            "not allowed in a recipe; save it as plain UTF-8 text, without control characters"
        )
        raise RecipeError(msg)
    return text


def _yaml_problem(where: str, err: yaml.YAMLError, field: str, deep: bool = False) -> str:
    """Return one line for a YAML error: position, the field it is in, the problem."""
    line = ""
    if isinstance(err, yaml.MarkedYAMLError):
        mark = err.problem_mark or err.context_mark
        if mark is not None:
            line = f" line {mark.line + 1}, column {mark.column + 1}:"
        problem = err.problem or err.context or "invalid YAML"
    else:
        problem = str(err)
    if deep:
        return f"{where}:{line} {field}: {_too_deep()}"
    shown = terminal(problem)
    if len(shown) > 200:
        shown = shown[:199] + "\u2026"
    return f"{where}:{line} {field}: not valid YAML ({shown}); fix the syntax"


_TOP_KEY = re.compile(r"""^(?:"([^"\n]*)"|'([^'\n]*)'|([^\s#'"\-?:][^:#\n]*?))\s*:(?:\s|$)""")


def _field_of_line(text: str, line: int) -> str:
    """Guess the top-level field a line belongs to: the last ``key:`` at column 1 above it."""
    lines = text.split("\n", line)[:line]
    for candidate in reversed(lines):
        match = _TOP_KEY.match(candidate)
        if match:
            return _name(next(group for group in match.groups() if group is not None))
        if candidate[:1] not in ("", " ", "\t", "#", "-", "]", "}"):
            break  # a top-level line that is not a key: a list or a scalar document
    return "(top level)"


def _load_yaml(text: str, where: str) -> Any:
    """Parse the text of a recipe into plain data; every problem is a RecipeError."""
    try:
        _check_events(text, where)
        loader = SpecLoader(text)  # a safe loader: dates stay text, YAML 1.2 booleans
        try:
            node = loader.get_single_node()
            return None if node is None else _Builder(where, loader).build(node, ())
        finally:
            loader.dispose()
    except yaml.YAMLError as err:  # composing after the event pass (two documents)
        raise RecipeError(_yaml_problem(where, err, "(top level)")) from None


def read_recipe(path: str | os.PathLike[str]) -> Recipe:
    """Read and validate a recipe file, without building the map.

    The file is read only if it is at most 1 MB (:data:`MAX_RECIPE_BYTES`) of UTF-8
    text. Its YAML may hold text, numbers, ``true``/``false``, lists and mappings,
    each key once per mapping, nested at most 32 levels (:data:`MAX_DEPTH`); YAML
    tags that build other objects (``!!binary``, ``!!set``, ``!!python/...``),
    aliases (``*name``) and ``<<`` merges are refused, so nothing is expanded. Dates
    stay text until the recipe's model reads them, so a bad ``as_of`` is reported
    with its field; ``yes``, ``no``, ``on`` and ``off`` are text (YAML 1.2), so
    ``countries: [NO]`` is Norway.

    Parameters
    ----------
    path : str or os.PathLike
        A YAML recipe.

    Returns
    -------
    Recipe
        The validated recipe.

    Raises
    ------
    RecipeError
        If the file cannot be read, is too large, is not UTF-8 YAML, or a field is
        wrong; the message is one line naming the file and the field (or the line
        and column), with any value quoted and shortened.

    Examples
    --------
    >>> recipe = read_recipe(flagship_recipe())
    >>> recipe.as_of, recipe.layers[0].origins
    (datetime.date(2024, 11, 25), ['Sumy', 'Kharkiv'])
    """
    where = str(path)
    data = _load_yaml(_read_text(Path(path), where), where)
    if data is None:
        msg = (
            f"{where}: (top level): the file is empty; write a recipe with at least "
            "'layers', as atacms-nov-2024.yaml does"
        )
        raise RecipeError(msg)
    if not isinstance(data, dict):
        what = "a list" if isinstance(data, list) else f"a single value ({quote(data, limit=60)})"
        msg = (
            f"{where}: (top level): the top level is {what}; a recipe is a mapping of fields "
            "with at least 'layers', as atacms-nov-2024.yaml shows"
        )
        raise RecipeError(msg)
    try:
        return Recipe.model_validate(data)
    except ValidationError as err:
        raise RecipeError(_describe(where, err)) from None


def _one_line(err: RangemapError) -> str:
    """Return an error's message as one line: the first of several spec problems, counted."""
    if isinstance(err, SpecError) and len(err.problems) > 1:
        more = len(err.problems) - 1
        return (
            f"{err.problems[0]} (and {more} more problem{'s' if more > 1 else ''}; "
            "'rangemap specs validate FOLDER' lists them all)"
        )
    return " ".join(str(err).splitlines())


def _check_countries(countries: Sequence[str]) -> None:
    """Refuse a ``places.countries`` entry that names no country."""
    from rangemap.places import load_gazetteer

    gazetteer = load_gazetteer()
    for j, text in enumerate(countries):
        if not gazetteer.countries_named(text):
            msg = (
                f"places.countries[{j}]: {quote(text)} is not a country; give ISO codes or "
                "English names, for example [RU] or [Russia]"
            )
            raise InputError(msg)


def _read_shape(path: Path, where: str) -> BaseGeometry:
    try:
        found = path.is_file()
    except OSError as err:  # e.g. a name longer than the system allows
        reason = terminal(err.strerror or type(err).__name__)
        msg = f"{where}: file {quote(str(path))} cannot be opened ({reason}); check the name"
        raise InputError(msg) from None
    if not found:
        msg = f"{where}: file {quote(str(path))} does not exist; paths are relative to the recipe"
        raise InputError(msg)
    from rangemap import regions

    shape: Any = regions.read(path)
    if hasattr(shape, "union_all"):
        shape = shape.union_all()
    elif hasattr(shape, "geometry"):
        shape = shape.geometry.union_all()
    if not isinstance(shape, BaseGeometry) or shape.is_empty:
        msg = (
            f"{where}: {quote(str(path))} has no shapes; give a GeoJSON or GeoPackage with polygons"
        )
        raise InputError(msg)
    return shape


def _origins(layer: LayerRecipe, base: Path, where: str) -> list[Site]:
    sites: list[Site] = []
    for j, item in enumerate(layer.origins):
        field = f"{where}.origins[{j}]"
        if isinstance(item, str):
            sites.append(Site.from_text(item, argument=field))
        elif isinstance(item, CountryOrigin):
            sites.append(Site.from_country(item.country, label=item.label))
        else:
            file = Path(item.file)
            shape = _read_shape(file if file.is_absolute() else base / file, field)
            sites.append(Site(shape, item.label or file.stem))
    return sites


def load_recipe(
    path: str | os.PathLike[str],
    *,
    extra_specs: Sequence[str | os.PathLike[str]] = (),
) -> RangeMap:
    """Read a recipe file and build the map it describes.

    Parameters
    ----------
    path : str or os.PathLike
        A YAML recipe, such as :func:`flagship_recipe`.
    extra_specs : sequence of paths, optional
        Folders of user specs merged over the built-in catalog (as well as the
        recipe's own ``specs`` list, relative to the recipe).

    Returns
    -------
    RangeMap
        Ready to save or render.

    Raises
    ------
    RecipeError
        If the recipe is invalid; the message names the file and the field.

    Examples
    --------
    >>> m = load_recipe(flagship_recipe())
    >>> [layer.reach.variant_id for layer in m.layers]
    ['long-range', 'block-i']
    """
    recipe = read_recipe(path)
    where = str(path)
    base = Path(path).resolve().parent
    from rangemap.catalog import Catalog, load_catalog

    folders = [*(Path(p) for p in extra_specs), *(base / p for p in recipe.specs)]
    try:
        catalog = Catalog.load(extra_dirs=folders) if folders else load_catalog()
    except RangemapError as err:
        msg = f"{where}: specs: {_one_line(err)}"
        raise RecipeError(msg) from None
    view = None
    field = "view"
    try:
        if isinstance(recipe.view, ViewRecipe):
            field = "view.center"
            lon, lat = parse_latlon(recipe.view.center, argument=field)
            view = View(lon, lat, recipe.view.zoom)
        range_map = RangeMap(
            title=recipe.title,
            subtitle=recipe.subtitle,
            credit=recipe.credit,
            as_of=recipe.as_of,
            basemap=recipe.tiles or recipe.basemap,
            view=view,
            preset=recipe.preset,
        )
        for i, layer in enumerate(recipe.layers):
            field = f"layers[{i}]"
            origins = _origins(layer, base, field)
            if layer.system is not None:
                reach = Reach.from_system(
                    layer.system, origins, variant=layer.variant, catalog=catalog, show=layer.show
                )
            else:
                field = f"layers[{i}].distance"
                distance_m = parse_distance(
                    layer.distance or "", argument=field, max_m=MAX_DISTANCE_M
                )
                reach = Reach.from_distance(distance_m, origins, label=layer.label)
            field = f"layers[{i}].style"
            range_map.add(
                reach, color=layer.style.color, opacity=layer.style.opacity, name=layer.label
            )
        for i, note in enumerate(recipe.annotations):
            field = f"annotations[{i}].at"
            point = parse_origin(note.at, argument=field)
            range_map.annotations.append(Annotation(note.text, point.lon, point.lat))
        if recipe.places is not None:
            field = "places.countries"
            range_map.show_places(
                recipe.places.top,
                min_population=recipe.places.min_population,
                countries=recipe.places.countries,
                labels=recipe.places.labels,
            )
            _check_countries(recipe.places.countries)
        if range_map.basemap.strip().lower() != "offline":
            field = "tiles" if recipe.tiles else "basemap"
            from rangemap.render.html import tile_provider

            tile_provider(range_map.basemap)
    except RecipeError:
        raise
    except RangemapError as err:
        text = _one_line(err)
        prefix = "" if text.startswith(field) else f"{field}: "
        msg = f"{where}: {prefix}{text}"
        raise RecipeError(msg) from None
    return range_map
