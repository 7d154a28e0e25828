"""House style: a theme file (YAML) that sets a map's fonts, colours, logo and text sizes.

This module owns :class:`Theme` (a frozen pydantic model; unknown fields are errors),
:func:`load_theme` (one theme file, read by the project's safe YAML reader
:mod:`rangemap._yaml`, every problem one :class:`~rangemap.errors.InputError` naming
the file and the field and saying what to write), :func:`shipped_themes` and
:func:`resolve_theme` (a :class:`Theme`, the name of a shipped theme or a path).

A theme sets:

- ``fonts.html``: a CSS font stack, plain family names only (they become CSS text, so
  quotes, semicolons, braces and angle brackets are refused);
  ``fonts.static``: ``.ttf``/``.otf`` files for PNG, SVG and PDF, relative to the theme
  file, registered with matplotlib's ``font_manager.addfont``;
- ``colors``: text, muted text, background, land, water, borders, origin markers, links
  and the reach palette, each ``#rrggbb``;
- ``mode``: ``light`` or ``dark``;
- ``logo``: an SVG or PNG file, embedded (never linked, never inlined as markup), with
  its alternative text;
- ``credit``: where the credit line goes, ``below`` the map or
  ``overlay-bottom-right`` on it;
- ``text_sizes``: title, body and small text in points for static images (HTML uses
  twice as many CSS pixels), none smaller than 6 pt (12 px), the floor of
  :attr:`rangemap.options.Preset.min_text_pt`.

The shipped themes are ``light`` (the default look: a map with no theme, or with the
``light`` theme, is byte for byte the map rangemap has always drawn) and ``dark``.
"""

from __future__ import annotations

import base64
import functools
import os
import re
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    ValidationError,
    WithJsonSchema,
    field_validator,
)
from pydantic.json_schema import SkipJsonSchema

from rangemap import _yaml
from rangemap.errors import InputError
from rangemap.escaping import quote
from rangemap.options import MIN_TEXT_PT

__all__ = [
    "LAYER_DASHES",
    "MAX_LOGO_BYTES",
    "OUTLINE_CONTRAST",
    "Colors",
    "Fonts",
    "Logo",
    "TextSizes",
    "Theme",
    "contrast_ratio",
    "css_font_stack",
    "load_theme",
    "outline_color",
    "relative_luminance",
    "resolve_theme",
    "shipped_themes",
]

#: The largest logo file embedded, in bytes.
MAX_LOGO_BYTES = 262_144
#: The largest font file registered, in bytes.
MAX_FONT_BYTES = 33_554_432
#: CSS generic family names, written without quotes.
GENERIC_FAMILIES = frozenset(
    {
        "serif",
        "sans-serif",
        "monospace",
        "cursive",
        "fantasy",
        "system-ui",
        "ui-serif",
        "ui-sans-serif",
        "ui-monospace",
        "ui-rounded",
        "math",
        "emoji",
        "fangsong",
        "-apple-system",
        "BlinkMacSystemFont",
    }
)
_FAMILY = re.compile(r"-?[A-Za-z][A-Za-z0-9 _-]{0,63}")
_COLOR = re.compile(r"#[0-9a-fA-F]{6}")
_THEMES = Path(__file__).resolve().parent / "data" / "themes"
_PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def _plain_name(name: str) -> str:
    if not _FAMILY.fullmatch(name.strip()):
        msg = (
            f"{quote(name, limit=60)} is not a plain font name; write family names of "
            "letters, digits, spaces, '-' and '_' only, such as 'Source Sans 3' or "
            "'sans-serif' (no quotes, ';', braces or '<')"
        )
        raise ValueError(msg)
    return name.strip()


def _check_color(value: str) -> str:
    if not _COLOR.fullmatch(value):
        msg = f"{quote(value, limit=40)} is not a colour; write it as '#rrggbb', e.g. '#D55E00'"
        raise ValueError(msg)
    return value.upper()


FontName = Annotated[str, AfterValidator(_plain_name)]
Color = Annotated[
    str,
    AfterValidator(_check_color),
    WithJsonSchema({"type": "string", "pattern": "^#[0-9a-fA-F]{6}$"}),
]
FileName = Annotated[str, Field(min_length=1, max_length=1000)]


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, strict=False, defer_build=True)


class Fonts(_Model):
    """Fonts: a CSS stack for HTML, font files for static images."""

    html: list[FontName] = Field(
        min_length=1,
        max_length=16,
        description="CSS font-family names, first choice first, e.g. [Source Sans 3, Arial, "
        "sans-serif]; plain names only.",
    )
    static: list[FileName] = Field(
        default_factory=list,
        max_length=8,
        description=".ttf or .otf files for PNG, SVG and PDF, relative to the theme file; the "
        "first family is used, DejaVu Sans fills in missing characters.",
    )

    @field_validator("static")
    @classmethod
    def _font_files(cls, files: list[str]) -> list[str]:
        for name in files:
            if Path(name).suffix.lower() not in (".ttf", ".otf"):
                msg = f"{quote(name, limit=60)} is not a .ttf or .otf font file; give one"
                raise ValueError(msg)
        return files


class Colors(_Model):
    """The colours of the map and the text around it, each ``#rrggbb``."""

    text: Color = Field(description="Titles, legend and labels.")
    muted: Color = Field(description="Subtitle, sources, notes and country names.")
    background: Color = Field(description="The page and the image around the map.")
    land: Color = Field(description="Countries on the bundled basemap.")
    water: Color = Field(description="Seas on the bundled basemap.")
    borders: Color = Field(description="Country borders and rules.")
    origin: Color = Field(description="Origin markers and the outline of origin areas.")
    link: Color = Field(description="Links to sources (HTML).")
    reach: list[Color] = Field(
        min_length=1,
        max_length=16,
        description="The reach palette: layers without a colour of their own take these in turn.",
    )


class Logo(_Model):
    """A logo, embedded in every output (SVG or PNG; PNG for static images)."""

    file: FileName = Field(description="An .svg or .png file, relative to the theme file.")
    alt: str = Field(min_length=1, max_length=200, description="What the logo says, for readers.")
    raster: FileName | None = Field(
        default=None,
        description="A .png version for PNG, SVG and PDF images, when 'file' is an SVG.",
    )
    height_px: int = Field(default=36, ge=12, le=120, description="Height on the HTML page.")


class TextSizes(_Model):
    """Text sizes in points for static images; HTML uses twice as many CSS pixels."""

    title: float = Field(ge=MIN_TEXT_PT, le=48, description="The title, in pt.")
    body: float = Field(ge=MIN_TEXT_PT, le=24, description="Legend and labels, in pt.")
    small: float = Field(ge=MIN_TEXT_PT, le=16, description="Sources and notes, in pt.")


class Theme(_Model):
    """A house style: fonts, colours, dark mode, logo, credit placement and text sizes.

    Examples
    --------
    >>> dark = resolve_theme("dark")
    >>> dark.mode, dark.colors.background
    ('dark', '#14171A')
    >>> resolve_theme("light") is None  # the default look
    True
    """

    name: str = Field(min_length=1, max_length=60, description="The theme's name.")
    mode: Literal["light", "dark"] = Field(
        default="light", description="Dark mode: 'dark' for light text on a dark page."
    )
    fonts: Fonts
    colors: Colors
    text_sizes: TextSizes
    logo: Logo | None = None
    credit: Literal["below", "overlay-bottom-right"] = Field(
        default="below",
        description="Where the credit line goes: 'below' the map, or on it, bottom right.",
    )
    #: The folder the theme's files are relative to (not a field of the file).
    folder: SkipJsonSchema[str] = Field(default="", exclude=True)

    def path(self, name: str) -> Path:
        """Return a file named by the theme, relative to its folder."""
        file = Path(name)
        return file if file.is_absolute() else Path(self.folder or ".") / file

    @property
    def html_px(self) -> tuple[float, float, float]:
        """The title, body and small text sizes on the HTML page, in CSS pixels."""
        sizes = self.text_sizes
        return sizes.title * 2, sizes.body * 2, sizes.small * 2

    def logo_data(self, *, raster: bool = False) -> tuple[str, bytes] | None:
        """Return the logo's media type and bytes (``raster``: the PNG for static images).

        Returns ``None`` when the theme has no logo, or only an SVG one and ``raster``.
        """
        if self.logo is None:
            return None
        name = self.logo.raster or self.logo.file if raster else self.logo.file
        if raster and not name.lower().endswith(".png"):
            return None
        return _logo_bytes(self.path(name), self.folder)

    def logo_uri(self) -> str | None:
        """Return the logo as a ``data:`` URI for an ``<img>`` (an SVG never runs there)."""
        found = self.logo_data()
        if found is None:
            return None
        media, data = found
        return f"data:{media};base64,{base64.b64encode(data).decode('ascii')}"

    def font_files(self) -> list[Path]:
        """Return the font files for static images, each checked to exist."""
        return [self.path(name) for name in self.fonts.static]


def css_font_stack(names: list[str]) -> str:
    """Return a CSS ``font-family`` value: names quoted, generic families bare.

    The names are checked plain (:class:`Fonts`), so quoting cannot be broken out of.

    Examples
    --------
    >>> css_font_stack(["Source Sans 3", "Arial", "sans-serif"])
    '"Source Sans 3","Arial",sans-serif'
    """
    parts = []
    for name in names:
        if not _FAMILY.fullmatch(name):
            msg = f"fonts.html: {quote(name, limit=60)} is not a plain font name"
            raise InputError(msg)
        parts.append(name if name in GENERIC_FAMILIES else f'"{name}"')
    return ",".join(parts)


def _logo_bytes(path: Path, folder: str) -> tuple[str, bytes]:
    where = str(Path(folder) / "theme") if folder else "theme"
    suffix = path.suffix.lower()
    if suffix not in (".svg", ".png"):
        msg = f"{where}: logo: {quote(str(path))} is not an SVG or PNG file; give a .svg or .png"
        raise InputError(msg)
    try:
        size = path.stat().st_size
        if not path.is_file():
            raise FileNotFoundError(path)
        if size > MAX_LOGO_BYTES:
            msg = (
                f"{where}: logo: {quote(str(path))} is {size:,} bytes, over the "
                f"{MAX_LOGO_BYTES:,}-byte limit; give a smaller file"
            )
            raise InputError(msg)
        data = path.read_bytes()
    except OSError:
        msg = f"{where}: logo: {quote(str(path))} does not exist; paths are relative to the theme"
        raise InputError(msg) from None
    if suffix == ".png" and not data.startswith(_PNG_SIGNATURE):
        msg = f"{where}: logo: {quote(str(path))} is not a PNG image; give a real .png file"
        raise InputError(msg)
    if suffix == ".svg":
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError:
            text = ""
        if "<svg" not in text:
            msg = f"{where}: logo: {quote(str(path))} is not an SVG image; give a real .svg file"
            raise InputError(msg)
    return ("image/png" if suffix == ".png" else "image/svg+xml"), data


def _field(loc: tuple[int | str, ...]) -> str:
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out or "(top level)"


def _describe(where: str, err: ValidationError) -> str:
    """Return the first problem of a theme as one line naming the file and the field."""
    first = err.errors()[0]
    field = _field(tuple(first["loc"]))
    kind = first["type"]
    if kind == "extra_forbidden":
        known = ", ".join(_known(tuple(first["loc"])[:-1]))
        return f"{where}: {field}: is not a theme field; remove it (fields here: {known})"
    if kind == "missing":
        return f"{where}: {field}: is missing; add it (see the shipped light.yaml)"
    message = str(first["msg"]).removeprefix("Value error, ")
    if kind in ("greater_than_equal", "less_than_equal") and "text_sizes" in first["loc"]:
        message = (
            f"{quote(first.get('input'))} pt is outside {MIN_TEXT_PT:g} to "
            f"{first['ctx'].get('le', first['ctx'].get('ge'))} pt; text smaller than "
            f"{MIN_TEXT_PT:g} pt (12 px) cannot be read in print or on a phone"
        )
        if kind == "less_than_equal":
            message = f"{quote(first.get('input'))} pt is larger than {first['ctx']['le']} pt"
    elif kind == "literal_error":
        message = f"{quote(first.get('input'))} is not allowed; {first['msg'].lower()}"
    return f"{where}: {field}: {message}"


def _known(loc: tuple[int | str, ...]) -> list[str]:
    model: Any = Theme
    for part in loc:
        if isinstance(part, int):
            continue
        info = model.model_fields.get(part)
        annotation = getattr(info, "annotation", None)
        inner = [a for a in getattr(annotation, "__args__", (annotation,)) if isinstance(a, type)]
        model = next((a for a in inner if issubclass(a, BaseModel)), model)
    return [name for name in model.model_fields if name != "folder"]


def load_theme(path: str | os.PathLike[str]) -> Theme:
    """Read and check a theme file; its font, logo and raster files too.

    Parameters
    ----------
    path : str or os.PathLike
        A YAML theme, such as the shipped ``dark.yaml``.

    Returns
    -------
    Theme

    Raises
    ------
    InputError
        One line naming the file and the field, and what to write instead.

    Examples
    --------
    >>> load_theme(shipped_themes()["dark"]).fonts.html[:2]
    ['system-ui', '-apple-system']
    """
    file = Path(path)
    where = str(file)
    if not file.is_file():
        msg = f"{where}: no such theme file; give a YAML theme file or one of: " + ", ".join(
            shipped_themes()
        )
        raise InputError(msg)
    try:
        data = _yaml.read_yaml(file, "recipe")
    except _yaml.YamlError as err:
        problem = err.problems[0]
        at = f" line {problem.line}:" if problem.line is not None else ""
        message = problem.message.replace("recipe", "theme")
        msg = f"{where}:{at} {message}"
        raise InputError(msg) from None
    if not isinstance(data, dict):
        msg = f"{where}: (top level): a theme is a mapping of fields, as light.yaml shows"
        raise InputError(msg)
    if "folder" in data:
        msg = f"{where}: folder: is not a theme field; remove it"
        raise InputError(msg)
    try:
        theme = Theme.model_validate({**data, "folder": str(file.resolve().parent)})
    except ValidationError as err:
        raise InputError(_describe(where, err)) from None
    for i, font in enumerate(theme.font_files()):
        if not font.is_file():
            msg = (
                f"{where}: fonts.static[{i}]: {quote(str(font))} does not exist; paths are "
                "relative to the theme file"
            )
            raise InputError(msg)
        if font.stat().st_size > MAX_FONT_BYTES:
            msg = f"{where}: fonts.static[{i}]: {quote(str(font))} is too large for a font"
            raise InputError(msg)
    if theme.logo is not None:
        for field, name in (("logo.file", theme.logo.file), ("logo.raster", theme.logo.raster)):
            if name is None:
                continue
            if field == "logo.raster" and not name.lower().endswith(".png"):
                msg = f"{where}: logo.raster: {quote(name)} is not a .png file; give one"
                raise InputError(msg)
            try:
                _logo_bytes(theme.path(name), theme.folder)
            except InputError as err:
                text = str(err).split(": logo: ", 1)[-1]
                msg = f"{where}: {field}: {text}"
                raise InputError(msg) from None
    return theme


def shipped_themes() -> dict[str, Path]:
    """Return the shipped themes by name: ``light`` and ``dark``.

    Examples
    --------
    >>> sorted(shipped_themes())
    ['dark', 'light']
    """
    return {path.stem: path for path in sorted(_THEMES.glob("*.yaml"))}


@functools.cache
def _shipped(name: str) -> Theme:
    return load_theme(shipped_themes()[name])


def resolve_theme(
    value: object, *, base: str | os.PathLike[str] | None = None, argument: str = "theme"
) -> Theme | None:
    """Return the theme ``value`` names, or ``None`` for the default (light) look.

    Parameters
    ----------
    value : Theme, str, os.PathLike or None
        A theme, the name of a shipped theme (``"light"``, ``"dark"``) or a theme file.
    base : path, optional
        The folder a relative file name is relative to (a recipe's folder).
    argument : str, optional
        How messages name the value (``--theme`` on the command line).

    Raises
    ------
    InputError
        If the name is not a shipped theme and no such file exists, or the file is bad.
    """
    if value is None:
        return None
    if isinstance(value, Theme):
        theme = value
    elif isinstance(value, str | os.PathLike):
        text = os.fspath(value)
        if isinstance(value, str) and text.strip().lower() in shipped_themes():
            theme = _shipped(text.strip().lower())
        else:
            file = Path(text)
            if base is not None and not file.is_absolute():
                file = Path(base) / file
            if not file.is_file():
                names = ", ".join(repr(n) for n in shipped_themes())
                msg = (
                    f"{argument}: {quote(text)} is neither a shipped theme ({names}) nor a "
                    "theme file; check the name or the path"
                )
                raise InputError(msg)
            theme = load_theme(file)
    else:
        msg = f"{argument}: {quote(value)} is not a theme; give 'light', 'dark' or a YAML file"
        raise InputError(msg)
    light = _shipped("light")
    if theme.model_dump(exclude={"folder"}) == light.model_dump(exclude={"folder"}):
        return None
    return theme


# --- contrast (WCAG 2.1) ------------------------------------------------------------------

#: Outline dash patterns by layer index, so layers differ without colour: (SVG/Leaflet
#: ``dashArray`` or ``None`` for solid, CSS ``border-style`` of the legend swatch,
#: matplotlib ``linestyle`` on-off lengths in line widths or ``None``). They repeat
#: after the third layer.
LAYER_DASHES: tuple[tuple[str | None, str, tuple[float, ...] | None], ...] = (
    (None, "solid", None),
    ("9 5", "dashed", (4.5, 2.5)),
    ("1.5 4", "dotted", (1.0, 2.0)),
)

#: Contrast an outline needs against the land it is drawn on (WCAG 2.1, 1.4.11).
OUTLINE_CONTRAST = 3.0


def relative_luminance(color: str) -> float:
    """Return the WCAG 2.1 relative luminance of a ``#rrggbb`` colour (0 black, 1 white).

    Examples
    --------
    >>> relative_luminance("#FFFFFF"), relative_luminance("#000000")
    (1.0, 0.0)
    """
    value = color.lstrip("#")
    if len(value) == 3:
        value = "".join(c * 2 for c in value)
    channels = [int(value[i : i + 2], 16) / 255 for i in (0, 2, 4)]
    r, g, b = (c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast_ratio(first: str, second: str) -> float:
    """Return the WCAG 2.1 contrast ratio of two ``#rrggbb`` colours (1 to 21).

    Examples
    --------
    >>> round(contrast_ratio("#E69F00", "#F6F5F1"), 2)
    2.06
    """
    a, b = sorted((relative_luminance(first), relative_luminance(second)), reverse=True)
    return (a + 0.05) / (b + 0.05)


def outline_color(color: str, land: str, *, minimum: float = OUTLINE_CONTRAST) -> str:
    """Return ``color`` darkened (on light land) or lightened (on dark land) to ``minimum``.

    Fills keep the layer's colour; its outline takes this one, so it stands out from
    the land by at least 3:1 (WCAG 2.1 AA, non-text contrast). A colour that already
    does is returned as it is.

    Examples
    --------
    >>> outline_color("#E69F00", "#F6F5F1")
    '#B87F00'
    >>> outline_color("#D55E00", "#F6F5F1")
    '#D55E00'
    """
    color = color.upper()
    value = color.lstrip("#")
    if len(value) == 3:
        value = "".join(c * 2 for c in value)
    rgb = [int(value[i : i + 2], 16) for i in (0, 2, 4)]
    target = 0 if relative_luminance(land) > 0.18 else 255
    candidate = color
    for step in range(1, 41):
        if contrast_ratio(candidate, land) >= minimum:
            break
        share = step / 40
        mixed = [round(c + (target - c) * share) for c in rgb]
        candidate = "#" + "".join(f"{c:02X}" for c in mixed)
    return candidate
