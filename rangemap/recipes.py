"""Map recipes: a YAML file that describes a whole map, read into a RangeMap.

A recipe names the title, subtitle, credit, "as of" date, basemap, view, the reach
layers (a catalog system or a bare distance, from origins given as ``"LAT, LON=Label"``,
place names, countries or GeoJSON/GeoPackage files) and text annotations. It is
validated with pydantic (unknown fields are errors); every problem raises
:class:`~rangemap.errors.RecipeError` naming the file and the field, in plain words,
with any value quoted and shortened (:func:`rangemap.escaping.quote`). Before
pydantic sees it, the file is read as data by :mod:`rangemap._yaml`, the reader it shares
with spec files: at most 1 MB of UTF-8 text, plain YAML (no aliases, merges or object
tags, no key twice), at most 32 levels deep (see :func:`read_recipe`).

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
    places: {top: 12, min_population: 100000, countries: [RU], exclude: [Shebekino],
             rename: {Kharkiv: Kharkiv (city)}, include_origins: false}
    points: {file: airfields.csv, label: site}   # one file of your own points
    preset: social          # size of .png/.svg/.pdf output: social, square or print
    size: 1600x900          # optional: an exact size in pixels (and dpi: 200)
    theme: dark             # house style: light (default), dark or a theme file
    language: uk            # the map's words: en (default), uk, ru, he or ar
"""

from __future__ import annotations

import datetime as dt
import os
import re
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, Literal

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

from rangemap import _yaml
from rangemap.errors import InputError, RangemapError, RecipeError, SpecError
from rangemap.escaping import quote, terminal
from rangemap.options import PRESETS, Basemap, Preset
from rangemap.places import OriginLike, Site, as_sites, parse_latlon, parse_origin
from rangemap.reach import Reach
from rangemap.regions import country_codes
from rangemap.scene import DEFAULT_PLACES, Annotation, Interactive, RangeMap, View, _choice_ids
from rangemap.theme import resolve_theme
from rangemap.units import MAX_DISTANCE_M, parse_distance, parse_tolerance

if TYPE_CHECKING:
    from rangemap.catalog import Catalog

__all__ = [
    "MAX_DEPTH",
    "MAX_RECIPE_BYTES",
    "MAX_VALUES",
    "flagship_recipe",
    "load_recipe",
    "read_recipe",
    "recipe_catalog",
]

#: The largest recipe file read, in bytes (1 MB, as for spec files); the shipped recipe
#: is under 2 kB.
MAX_RECIPE_BYTES = _yaml.MAX_BYTES
#: The deepest nesting of lists and mappings read; a recipe needs five levels.
MAX_DEPTH = _yaml.MAX_DEPTH
#: The most values (texts, numbers, lists, mappings, keys) a recipe may hold.
MAX_VALUES = _yaml.MAX_VALUES

Text = Annotated[str, Field(min_length=1, max_length=2000)]


class _Model(BaseModel):
    # defer_build: only Recipe is validated, so only its validator is built (on the
    # first recipe read), not one per model at import; with the catalog's models
    # deferred too, ``rangemap demo`` starts about 4 ms sooner (measured).
    model_config = ConfigDict(extra="forbid", frozen=True, strict=False, defer_build=True)


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
    tolerance: Text | None = None
    figure_kinds: list[Literal["flight-distance", "requirement", "class-band"]] = Field(
        default_factory=list,
        description="Kinds of figure to draw besides maximum ranges (a test flight's "
        "distance, a requirement, a class limit); the legend says what the figure is.",
    )

    @model_validator(mode="after")
    def _one_of(self) -> LayerRecipe:
        if (self.system is None) == (self.distance is None):
            msg = "give either 'system' (e.g. atacms:block-i) or 'distance' (e.g. '300 km')"
            raise ValueError(msg)
        if self.distance is not None and (
            self.variant is not None or self.show != "shown" or self.figure_kinds
        ):
            msg = "'variant', 'show' and 'figure_kinds' apply to a 'system', not to a 'distance'"
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
    exclude: list[Text] = Field(default_factory=list)
    rename: dict[Text, Text] = Field(default_factory=dict)
    include_origins: bool = Field(default=False, strict=True)


class PointsRecipe(_Model):
    """Your own points: a CSV, GeoJSON or GeoPackage file (path relative to the recipe)."""

    file: Text
    label: Text | None = None
    name: Text | None = None


class InteractivePlacesRecipe(_Model):
    """The places a reader of the interactive page can search."""

    min_population: int | None = Field(default=None, ge=0, strict=True)


class InteractiveRecipe(_Model):
    """The reader's map (HTML): other systems to switch to, searchable places."""

    choices: list[Text] = Field(
        default_factory=list,
        description="Other systems a reader may switch to, SYSTEM[:VARIANT], e.g. storm-shadow.",
    )
    places: InteractivePlacesRecipe = InteractivePlacesRecipe()


class ViewRecipe(_Model):
    """A fixed view: centre ``"LAT, LON"`` and zoom."""

    center: Text
    zoom: int = Field(ge=0, le=18)


#: The ``preset`` values a recipe accepts (the names of :data:`rangemap.options.PRESETS`).
PRESET_NAMES = tuple(PRESETS)


class Recipe(_Model):
    """A whole map."""

    title: Text | None = None
    subtitle: Text | None = None
    credit: Text | None = None
    as_of: dt.date | None = None
    preset: Literal["social", "square", "print"] | None = None
    size: Text | None = Field(
        default=None, description="Custom image size in pixels, e.g. 1600x900 (static images)."
    )
    dpi: int | None = Field(
        default=None, ge=50, le=1200, description="Pixels per inch of static images."
    )
    basemap: Text = "offline"
    tiles: Text | None = None
    tiles_url: Text | None = Field(
        default=None,
        description="Web tiles from an https:// URL template with {z}, {x} and {y} (HTML); "
        "needs tiles_attribution.",
    )
    tiles_attribution: Text | None = Field(
        default=None, description="The attribution the tiles' licence asks for (text)."
    )
    borders: bool = Field(
        default=False, description="Draw the bundled country borders on top of web tiles too."
    )
    theme: Text | None = Field(
        default=None,
        description="The house style: 'light' (default), 'dark' or a theme file relative to "
        "the recipe.",
    )
    language: Text | None = Field(
        default=None,
        description="The language of the map's words: en (default), uk, ru, he or ar.",
    )
    tolerance: Text | None = None
    view: Literal["fit"] | ViewRecipe = "fit"
    specs: list[Text] = Field(default_factory=list)
    layers: list[LayerRecipe] = Field(min_length=1)
    annotations: list[AnnotationRecipe] = Field(default_factory=list)
    places: PlacesRecipe | None = None
    points: PointsRecipe | None = None
    interactive: bool | InteractiveRecipe = Field(
        default=False,
        description="The HTML page as the reader's map: true, or {choices: [storm-shadow], "
        "places: {min_population: 50000}}.",
    )

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
        if self.tiles_url is not None and (self.tiles is not None or self.basemap != "offline"):
            msg = "give 'tiles_url' or 'tiles' (or 'basemap'), not both"
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


def _yaml_line(where: str, problem: _yaml.Problem) -> str:
    """Write a problem of the file itself as ``where: line L, column C: field: ...``."""
    if problem.path is None:  # the file could not be read at all
        return f"{where}: {problem.message}"
    at = ""
    if problem.line is not None:
        column = f", column {problem.column}" if problem.column is not None else ""
        at = f" line {problem.line}{column}:"
    field = _path_text(problem.path[:-1] if problem.key else problem.path)  # a key: its mapping
    more = "\u2026" if problem.cut else ""  # where deep nesting starts
    return f"{where}:{at} {field}{more}: {problem.message}"


def read_recipe(path: str | os.PathLike[str]) -> Recipe:
    """Read and validate a recipe file, without building the map.

    The file is read by :func:`rangemap._yaml.read_yaml`, as spec files are: only if
    it is a regular file (or a character device, read without waiting) of
    at most 1 MB (:data:`MAX_RECIPE_BYTES`) of UTF-8 text. Its YAML may hold text,
    numbers, ``true``/``false``, lists and mappings, each key once per mapping, nested
    at most 32 levels (:data:`MAX_DEPTH`), at most :data:`MAX_VALUES` values; YAML
    tags that build other objects (``!!binary``, ``!!set``, ``!!python/...``),
    aliases (``*name``) and ``<<`` merges are refused, so nothing is expanded. Scalars
    are read as YAML 1.2 reads them and dates stay text until the recipe's model reads
    them, so a bad ``as_of`` is reported with its field; ``yes``, ``no``, ``on`` and
    ``off`` are text, so ``countries: [NO]`` is Norway.

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
    try:
        data = _yaml.read_yaml(Path(path), "recipe")
    except _yaml.YamlError as err:  # the first problem: a recipe error is one line
        raise RecipeError(_yaml_line(where, err.problems[0])) from None
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


def _country_codes(countries: Sequence[str]) -> tuple[str, ...]:
    """Return the ISO codes of ``places.countries``; an entry naming no country is an error."""
    codes = [
        country_codes(text, argument=f"places.countries[{j}]") for j, text in enumerate(countries)
    ]
    return tuple(dict.fromkeys(code for found in codes for code in found))


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


def _origins(layer: LayerRecipe, base: Path, where: str) -> tuple[Site, ...]:
    """Return a layer's origins, each through :func:`rangemap.places.as_sites` as ``--from``."""
    sites: list[Site] = []
    for j, item in enumerate(layer.origins):
        field = f"{where}.origins[{j}]"
        origin: OriginLike
        if isinstance(item, CountryOrigin):
            origin = Site.from_country(item.country, label=item.label, argument=field)
        elif isinstance(item, FileOrigin):
            file = Path(item.file)
            shape = _read_shape(file if file.is_absolute() else base / file, field)
            origin = Site(shape, item.label or file.stem)
        else:
            origin = item
        sites += as_sites(origin, argument=field)
    return tuple(sites)


def _catalog_of(
    recipe: Recipe, path: str | os.PathLike[str], extra_specs: Sequence[str | os.PathLike[str]]
) -> Catalog | None:
    """Return the catalog a recipe's layers come from: None for the built-in one alone."""
    base = Path(path).resolve().parent
    folders = [*(Path(p) for p in extra_specs), *(base / p for p in recipe.specs)]
    if not folders:
        return None
    from rangemap.catalog import Catalog

    try:
        return Catalog.load(extra_dirs=folders)
    except RangemapError as err:
        msg = f"{path}: specs: {_one_line(err)}"
        raise RecipeError(msg) from None


def recipe_catalog(
    path: str | os.PathLike[str], *, extra_specs: Sequence[str | os.PathLike[str]] = ()
) -> Catalog | None:
    """Return the catalog a recipe's layers and choices come from.

    Parameters
    ----------
    path : str or os.PathLike
        A YAML recipe.
    extra_specs : sequence of paths, optional
        Folders of user specs given besides the recipe's own ``specs`` list (the
        command line's ``--specs``), as :func:`load_recipe` takes them.

    Returns
    -------
    Catalog or None
        The built-in catalog with those folders merged over it, or None when there
        are none (the built-in catalog alone).

    Raises
    ------
    RecipeError
        If the recipe or one of its spec folders is invalid.

    Examples
    --------
    >>> recipe_catalog(flagship_recipe()) is None  # the flagship uses built-in specs only
    True
    """
    return _catalog_of(read_recipe(path), path, extra_specs)


def load_recipe(
    path: str | os.PathLike[str],
    *,
    extra_specs: Sequence[str | os.PathLike[str]] = (),
    tolerance: str | None = None,
) -> RangeMap:
    """Read a recipe file and build the map it describes.

    Parameters
    ----------
    path : str or os.PathLike
        A YAML recipe, such as :func:`flagship_recipe`.
    extra_specs : sequence of paths, optional
        Folders of user specs merged over the built-in catalog (as well as the
        recipe's own ``specs`` list, relative to the recipe).
    tolerance : str, optional
        How close every drawn boundary stays to the true one (``"0.01%"``, ``"30 m"``),
        over the recipe's own ``tolerance`` fields.

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
    from rangemap.catalog import load_catalog

    own = _catalog_of(recipe, path, extra_specs)
    catalog = own or load_catalog()
    view = None
    field = "view"
    try:
        if isinstance(recipe.view, ViewRecipe):
            field = "view.center"
            lon, lat = parse_latlon(recipe.view.center, argument=field)
            view = View(lon, lat, recipe.view.zoom)
        field = "theme"
        theme = resolve_theme(recipe.theme, base=base, argument=field)
        field = "language"
        range_map = RangeMap(
            language=recipe.language or "en",
            theme=theme,
            borders=recipe.borders,
            title=recipe.title,
            subtitle=recipe.subtitle,
            credit=recipe.credit,
            as_of=recipe.as_of,
            basemap=recipe.tiles or recipe.basemap,
            view=view,
            preset=recipe.preset,
        )
        if recipe.size is not None or recipe.dpi is not None:
            field = "size" if recipe.size is not None else "dpi"
            range_map.preset = Preset.resolve(recipe.preset, size=recipe.size, dpi=recipe.dpi)
        for i, layer in enumerate(recipe.layers):
            field = f"layers[{i}]"
            origins = _origins(layer, base, field)
            chosen = tolerance or layer.tolerance or recipe.tolerance
            if chosen is not None:
                field = "tolerance" if chosen is not layer.tolerance else f"layers[{i}].tolerance"
                parse_tolerance(chosen, 1_000_000.0, argument=field)
            if layer.system is not None:
                field = f"layers[{i}]"
                reach = Reach.from_system(
                    layer.system,
                    origins,
                    variant=layer.variant,
                    catalog=catalog,
                    show=layer.show,
                    tolerance_m=chosen,
                    kinds=layer.figure_kinds,
                )
            else:
                field = f"layers[{i}].distance"
                distance_m = parse_distance(
                    layer.distance or "", argument=field, max_m=MAX_DISTANCE_M
                )
                reach = Reach.from_distance(
                    distance_m, origins, label=layer.label, tolerance_m=chosen
                )
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
                countries=_country_codes(recipe.places.countries),
                labels=recipe.places.labels,
                exclude=recipe.places.exclude,
                rename=recipe.places.rename,
                include_origins=recipe.places.include_origins,
            )
        if recipe.points is not None:
            field = "points.file"
            file = Path(recipe.points.file)
            range_map.add_points(
                file if file.is_absolute() else base / file,
                label=recipe.points.label,
                name=recipe.points.name,
            )
        if recipe.interactive is True:
            range_map.interactive = Interactive()
        elif isinstance(recipe.interactive, InteractiveRecipe):
            field = "interactive.choices"
            choices = _choice_ids(recipe.interactive.choices, field, own)
            range_map.interactive = Interactive(
                choices, recipe.interactive.places.min_population, own
            )
        field = "tiles" if recipe.tiles else "basemap"
        range_map.basemap = Basemap.parse(range_map.basemap, argument=field).name
        if recipe.tiles_url is not None or recipe.tiles_attribution is not None:
            field = "tiles_url"
            range_map.basemap = Basemap.custom(recipe.tiles_url, recipe.tiles_attribution)
    except RecipeError:
        raise
    except RangemapError as err:
        text = _one_line(err)
        prefix = "" if text.startswith(field) else f"{field}: "
        msg = f"{where}: {prefix}{text}"
        raise RecipeError(msg) from None
    return range_map
