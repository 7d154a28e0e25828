"""What a map can be set to: the size presets of static images and the basemap.

This module owns :class:`Preset` (named sizes, validated once) and :class:`Basemap`
(the bundled borders or a web tile provider, looked up once). The scene, the
renderers, recipes and the command line all take their values from here.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from rangemap.errors import InputError
from rangemap.escaping import quote

__all__ = ["PRESETS", "Basemap", "Preset"]


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

    Examples
    --------
    >>> Preset.parse("Square").pixels
    (1080, 1080)
    >>> Preset("banner", 6.0, 2.0, 100).pixels
    (600, 200)
    """

    name: str
    width_in: float
    height_in: float
    dpi: int

    @property
    def pixels(self) -> tuple[int, int]:
        """The PNG size in pixels, (width, height)."""
        return round(self.width_in * self.dpi), round(self.height_in * self.dpi)

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


#: The named sizes.
PRESETS: dict[str, Preset] = {
    "social": Preset("social", 8.0, 4.5, 150),
    "square": Preset("square", 7.2, 7.2, 150),
    "print": Preset("print", 7.0, 6.0, 300),
}


@dataclass(frozen=True, slots=True)
class Basemap:
    """What a map is drawn on: the bundled country borders (offline) or web tiles.

    :meth:`parse` is the one place a basemap name is read and a tile provider looked up
    (xyzservices names; case, dots and spaces ignored; providers that need an API key
    are refused).

    Parameters
    ----------
    name : str
        ``"offline"`` or the xyzservices name of a tile provider.

    Examples
    --------
    >>> Basemap.parse("OFFLINE").offline
    True
    >>> Basemap.parse("openstreetmap mapnik").name
    'OpenStreetMap.Mapnik'
    """

    name: str = "offline"

    @property
    def offline(self) -> bool:
        """Whether the map is drawn on the bundled borders, with no network."""
        return self.name == "offline"

    def provider(self) -> Any:
        """Return the ``xyzservices.TileProvider``, or ``None`` offline."""
        if self.offline:
            return None
        import xyzservices

        return xyzservices.providers.query_name(self.name)

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
