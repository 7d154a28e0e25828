"""Map recipes: a YAML file that describes a whole map, read into a RangeMap.

A recipe names the title, subtitle, credit, "as of" date, basemap, view, the reach
layers (a catalog system or a bare distance, from origins given as ``"LAT, LON=Label"``,
place names, countries or GeoJSON/GeoPackage files) and text annotations. It is
validated with pydantic (unknown fields are errors); every problem raises
:class:`~rangemap.errors.RecipeError` naming the file and the field, in plain words.

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

import datetime as dt
import os
from collections.abc import Sequence
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

from rangemap.errors import InputError, RangemapError, RecipeError
from rangemap.geodesy import MAX_DISTANCE_M
from rangemap.places import parse_latlon, parse_origin
from rangemap.reach import Reach, Site
from rangemap.scene import DEFAULT_PLACES, Annotation, RangeMap, View
from rangemap.units import parse_distance

__all__ = ["flagship_recipe", "load_recipe", "read_recipe"]

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


def _field(loc: Sequence[int | str]) -> str:
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        elif part in (
            "str",
            "CountryOrigin",
            "FileOrigin",
            "ViewRecipe",
            "PlacesRecipe",
            "literal['fit']",
        ):
            continue  # union branch names pydantic adds to the location
        else:
            out += f".{part}" if out else str(part)
    return out or "(top level)"


def _plain(error: Any) -> str:
    kind = error.get("type", "")
    value = error.get("input")
    if kind == "missing":
        return "is required"
    if kind == "extra_forbidden":
        return "is not a recipe field; check its spelling against docs/recipes"
    if kind == "origin":
        return f"{value!r} is not an origin; {_ORIGIN_HELP}"
    message = str(error.get("msg", "is invalid")).removeprefix("Value error, ")
    if isinstance(value, dt.date):
        return message  # date checks name the date themselves
    if value is not None and not isinstance(value, dict | list):
        return f"{value!r}: {message}"
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


def read_recipe(path: str | os.PathLike[str]) -> Recipe:
    """Read and validate a recipe file, without building the map.

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
        If the file cannot be read, is not YAML, or a field is wrong; the message
        names the file and the field.
    """
    where = str(path)
    try:
        text = Path(path).read_text(encoding="utf-8")
    except FileNotFoundError:
        msg = f"{where}: no such recipe file; check the path"
        raise RecipeError(msg) from None
    except (OSError, UnicodeDecodeError) as err:
        msg = f"{where}: cannot read the recipe ({err}); give a UTF-8 YAML file"
        raise RecipeError(msg) from None
    try:
        data = yaml.safe_load(text)
    except yaml.MarkedYAMLError as err:
        mark = err.problem_mark
        line = f" line {mark.line + 1}, column {mark.column + 1}:" if mark is not None else ""
        msg = f"{where}:{line} not valid YAML ({err.problem}); fix the syntax"
        raise RecipeError(msg) from None
    except yaml.YAMLError as err:
        msg = f"{where}: not valid YAML ({err}); fix the syntax"
        raise RecipeError(msg) from None
    if not isinstance(data, dict):
        msg = f"{where}: a recipe is a mapping with at least 'layers'; see atacms-nov-2024.yaml"
        raise RecipeError(msg)
    try:
        return Recipe.model_validate(data)
    except ValidationError as err:
        raise RecipeError(_describe(where, err)) from None


def _check_countries(countries: Sequence[str]) -> None:
    """Refuse a ``places.countries`` entry that names no country."""
    from rangemap.places import load_gazetteer

    gazetteer = load_gazetteer()
    for j, text in enumerate(countries):
        if not gazetteer.countries_named(text):
            msg = (
                f"places.countries[{j}]: {text!r} is not a country; give ISO codes or "
                "English names, for example [RU] or [Russia]"
            )
            raise InputError(msg)


def _read_shape(path: Path, where: str) -> BaseGeometry:
    if not path.is_file():
        msg = f"{where}: file {str(path)!r} does not exist; paths are relative to the recipe"
        raise InputError(msg)
    from rangemap import regions

    shape: Any = regions.read(path)
    if hasattr(shape, "union_all"):
        shape = shape.union_all()
    elif hasattr(shape, "geometry"):
        shape = shape.geometry.union_all()
    if not isinstance(shape, BaseGeometry) or shape.is_empty:
        msg = f"{where}: {str(path)!r} has no shapes; give a GeoJSON or GeoPackage with polygons"
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
        msg = f"{where}: specs: {err}"
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
        text = str(err)
        prefix = "" if text.startswith(field) else f"{field}: "
        msg = f"{where}: {prefix}{text}"
        raise RecipeError(msg) from None
    return range_map
