"""What a map can be set to: the size presets of static images and the basemap.

This module owns :class:`Preset` (named sizes, custom pixel sizes and dpi, and the
smallest text size they allow, validated once) and :class:`Basemap`
(the bundled borders, a web tile provider looked up once, or a tile URL template with
its attribution). The scene, the
renderers, recipes and the command line all take their values from here.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from rangemap.errors import InputError
from rangemap.escaping import quote

__all__ = ["MIN_TEXT_PT", "MIN_TEXT_PX", "PRESETS", "Basemap", "Preset"]


@dataclass(frozen=True, slots=True)
class Preset:
    """A size for static images (PNG, SVG, PDF).

    The named sizes are in :data:`PRESETS` and read by :meth:`parse`: ``social`` is
    1200x675 px (16:9), ``square`` 1080x1080 px, and ``print`` 7x6 in at 300 dpi
    (2100x1800 px). Any other size is a ``Preset`` of its own. SVG and PDF keep the
    size in inches.

    Parameters
    ----------
    name : str
        The preset's name, e.g. ``"social"``.
    width_in, height_in : float
        The image size in inches.
    dpi : int
        Pixels per inch of PNG output.
    grow : bool, optional
        Whether the image may grow taller when the text does not fit beside the map
        (``print``); a fixed size (social, square, ``--size``) fails instead.

    Examples
    --------
    >>> Preset.parse("Square").pixels
    (1080, 1080)
    >>> Preset("banner", 6.0, 2.0, 100).pixels
    (600, 200)
    >>> Preset.resolve("social", size="1600x900").pixels
    (1600, 900)
    >>> Preset.resolve("print", dpi=150).pixels  # the same 7x6 in, fewer pixels
    (1050, 900)
    >>> PRESETS["print"].min_text_pt, Preset.resolve(size=(800, 450), dpi=72).min_text_pt
    (6.0, 12.0)
    """

    name: str
    width_in: float
    height_in: float
    dpi: int
    grow: bool = False

    @property
    def pixels(self) -> tuple[int, int]:
        """The PNG size in pixels, (width, height)."""
        return round(self.width_in * self.dpi), round(self.height_in * self.dpi)

    @property
    def min_text_pt(self) -> float:
        """The smallest text drawn, in points: 6 pt, and never less than 12 pixels."""
        return max(MIN_TEXT_PT, MIN_TEXT_PX * 72.0 / self.dpi)

    @classmethod
    def resolve(
        cls,
        preset: object = None,
        *,
        size: object = None,
        dpi: object = None,
        names: tuple[str, str, str] = ("preset", "size", "dpi"),
    ) -> Preset:
        """Return the preset with a custom pixel ``size`` and/or ``dpi`` applied.

        Parameters
        ----------
        preset : str or Preset, optional
            The named size to start from; ``"social"`` when omitted.
        size : str or (int, int), optional
            The PNG size in pixels, ``"1600x900"`` or ``(1600, 900)``; the image is
            exactly that size and does not grow.
        dpi : int, optional
            Pixels per inch (text sizes are in points, so more dpi means larger text
            in pixels). With ``size`` the inches follow; alone it keeps the inches.
        names : (str, str, str), optional
            How to call the three arguments in messages (``--size`` on the command line).

        Raises
        ------
        InputError
            Naming the argument, the bad value and what to give instead.
        """
        base = cls.parse("social" if preset is None else preset, argument=names[0])
        if size is None and dpi is None:
            return base
        chosen_dpi = base.dpi if dpi is None else _dpi(dpi, names[2])
        if size is None:
            return cls("custom", base.width_in, base.height_in, chosen_dpi, base.grow)
        width, height = _size(size, names[1])
        # A hair over the exact inches, so the PNG is never a pixel short.
        return cls("custom", (width + 1e-6) / chosen_dpi, (height + 1e-6) / chosen_dpi, chosen_dpi)

    @classmethod
    def parse(cls, value: object, *, argument: str = "preset") -> Preset:
        """Return the preset ``value`` names (any case), or say which ones exist."""
        if isinstance(value, Preset):
            return value
        if isinstance(value, str) and value.strip().lower() in PRESETS:
            return PRESETS[value.strip().lower()]
        names = ", ".join(repr(name) for name in PRESETS)
        msg = f"{argument}: {quote(value)} is not one of {names}"
        raise InputError(msg)


#: The smallest text of a static image, in points (print) ...
MIN_TEXT_PT = 6.0
#: ... and in pixels (screens: social and square images are seen at their pixel size).
MIN_TEXT_PX = 12.0
#: The custom pixel sizes accepted, per side.
SIZE_RANGE_PX = (200, 10_000)
#: The dpi accepted.
DPI_RANGE = (50, 1200)

#: The named sizes.
PRESETS: dict[str, Preset] = {
    "social": Preset("social", 8.0, 4.5, 150),
    "square": Preset("square", 7.2, 7.2, 150),
    "print": Preset("print", 7.0, 6.0, 300, grow=True),
}


def _size(value: object, argument: str) -> tuple[int, int]:
    """Read ``"1600x900"`` or ``(1600, 900)`` as pixels, each side within the range."""
    low, high = SIZE_RANGE_PX
    parts: list[object]
    if isinstance(value, str):
        parts = list(value.lower().replace("\u00d7", "x").replace(" ", "").split("x"))
    elif isinstance(value, tuple | list):
        parts = list(value)
    else:
        parts = []
    sides: list[int] = []
    for part in parts if len(parts) == 2 else []:
        if isinstance(part, str) and part.isdigit():
            sides.append(int(part))
        elif isinstance(part, int) and not isinstance(part, bool):
            sides.append(part)
    if len(sides) != 2 or not all(low <= side <= high for side in sides):
        msg = (
            f"{argument}: {quote(value)} is not an image size; give width x height in "
            f"pixels, each {low} to {high}, for example 1600x900"
        )
        raise InputError(msg)
    return sides[0], sides[1]


def _dpi(value: object, argument: str) -> int:
    """Read a whole number of dots per inch within the range."""
    low, high = DPI_RANGE
    number = int(value) if isinstance(value, str) and value.strip().isdigit() else value
    if isinstance(number, bool) or not isinstance(number, int) or not low <= number <= high:
        msg = (
            f"{argument}: {quote(value)} is not a resolution; give a whole number of dots "
            f"per inch from {low} to {high}, for example 300"
        )
        raise InputError(msg)
    return number


#: A web tile template: https, a plain host (a ``{s}.`` subdomain at most), a path.
_TILE_URL = re.compile(
    r"https://(?P<host>(\{s\}\.)?[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)+)(:[0-9]{1,5})?"
    r"/[A-Za-z0-9._~/@{}%=&?+,-]*"
)


@dataclass(frozen=True, slots=True)
class Basemap:
    """What a map is drawn on: the bundled country borders (offline) or web tiles.

    :meth:`parse` is the one place a basemap name is read and a tile provider looked up
    (xyzservices names; case, dots and spaces ignored; providers that need an API key
    are refused); :meth:`custom` reads a tile URL template of your own.

    Parameters
    ----------
    name : str
        ``"offline"``, the xyzservices name of a tile provider, or ``"custom"``.
    url, attribution : str, optional
        A custom tile URL template and its attribution (:meth:`custom`).

    Examples
    --------
    >>> Basemap.parse("OFFLINE").offline
    True
    >>> Basemap.parse("openstreetmap mapnik").name
    'OpenStreetMap.Mapnik'
    """

    name: str = "offline"
    url: str | None = None
    attribution: str | None = None

    @property
    def offline(self) -> bool:
        """Whether the map is drawn on the bundled borders, with no network."""
        return self.name == "offline"

    def provider(self) -> Any:
        """Return the ``xyzservices.TileProvider``, or ``None`` offline."""
        if self.offline:
            return None
        import xyzservices

        if self.url is not None:
            return xyzservices.TileProvider(
                name=self.name, url=self.url, attribution=self.attribution or ""
            )
        return xyzservices.providers.query_name(self.name)

    @classmethod
    def custom(
        cls,
        url: object,
        attribution: object,
        *,
        names: tuple[str, str] = ("tiles_url", "tiles_attribution"),
    ) -> Basemap:
        """Return web tiles from a URL template, with the attribution their licence asks for.

        The template is an ``https://`` address with ``{z}``, ``{x}`` and ``{y}`` (and
        optionally ``{s}`` for a subdomain and ``{r}`` for ``@2x`` tiles); the host is
        plain, so the page's Content-Security-Policy can allow exactly it. The
        attribution is text: it is escaped wherever it is printed.

        Examples
        --------
        >>> tiles = Basemap.custom(
        ...     "https://tiles.example.org/{z}/{x}/{y}.png", "Tiles: Kyiv Desk, data OSM"
        ... )
        >>> tiles.name, tiles.offline
        ('custom', False)
        """
        if not isinstance(attribution, str) or not attribution.strip():
            msg = (
                f"{names[1]}: web tiles from {names[0]} need the attribution their licence "
                f"asks for; give both {names[0]} and {names[1]}"
            )
            raise InputError(msg)
        if len(attribution) > 500:
            msg = f"{names[1]}: {quote(attribution, limit=60)} is too long; keep it under 500"
            raise InputError(msg)
        text = url if isinstance(url, str) else ""
        match = _TILE_URL.fullmatch(text)
        fields = set(re.findall(r"\{([^{}]*)\}", text))
        if (
            match is None
            or not {"z", "x", "y"} <= fields
            or not fields <= {"s", "r", "z", "x", "y"}
            or "{" in match.group("host").removeprefix("{s}.")
        ):
            msg = (
                f"{names[0]}: {quote(url)} is not a tile address; give an https:// template "
                "with {z}, {x} and {y} (and optionally {s}, {r}), such as "
                "https://tile.example.org/{z}/{x}/{y}.png"
            )
            raise InputError(msg)
        return cls("custom", text, attribution.strip())

    @classmethod
    def parse(cls, value: object, *, argument: str = "tiles") -> Basemap:
        """Read ``"offline"`` or a tile provider's name, once, with one clear error."""
        if isinstance(value, Basemap):
            return value
        if not isinstance(value, str) or not value.strip():
            msg = f"{argument}: {quote(value)} is not a basemap; use 'offline' or a tile name"
            raise InputError(msg)
        if value.strip().lower() == "offline":
            return cls()
        import xyzservices

        try:
            provider = xyzservices.providers.query_name(value)
        except ValueError:
            msg = (
                f"{argument}: {quote(value)} is not an xyzservices tile provider; use "
                "'offline' (no network) or a name such as 'OpenStreetMap.Mapnik' or "
                "'OpenTopoMap'"
            )
            raise InputError(msg) from None
        if provider.requires_token():
            msg = (
                f"{argument}: {quote(value)} needs an API key; use 'offline' or a provider "
                "without one, such as 'OpenStreetMap.Mapnik' or 'OpenTopoMap'"
            )
            raise InputError(msg)
        return cls(str(provider.name))
