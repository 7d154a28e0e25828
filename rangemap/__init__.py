"""rangemap: cited, exact reach maps of publicly reported weapon-system ranges.

The names most people need are importable from here:

>>> import rangemap
>>> atacms = rangemap.load_catalog().lookup("MGM-140")
>>> atacms.variant().max_range.shown_km
300.0
>>> round(rangemap.distance_m((30.5234, 50.4501), (37.6173, 55.7558)) / 1000)  # Kyiv to Moscow
757

Submodules hold the rest: :mod:`rangemap.catalog`, :mod:`rangemap.geodesy`,
:mod:`rangemap.regions`, :mod:`rangemap.places`, :mod:`rangemap.reach`,
:mod:`rangemap.scene`, :mod:`rangemap.recipes`.

``import rangemap`` is light: each name (and each submodule) is imported the first
time it is used, so ``rangemap --version`` does not load the catalog, numpy, shapely,
pyproj, folium or matplotlib.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from typing import Any

    from rangemap.catalog import Catalog, Claim, Source, System, Variant, load_catalog
    from rangemap.errors import (
        InputError,
        PlaceNotFoundError,
        RangemapError,
        RecipeError,
        SpecError,
        UnknownSystemError,
    )
    from rangemap.geodesy import annulus, buffer, distance_m, ring
    from rangemap.places import Place

    # From the defining modules: mypy (2.4) reports a name that is also a submodule of
    # rangemap.places as redefined when it is imported from the package here.
    from rangemap.places.geocode import geocode
    from rangemap.places.within import within
    from rangemap.reach import Reach
    from rangemap.recipes import load_recipe
    from rangemap.regions import country
    from rangemap.scene import RangeMap
    from rangemap.units import format_km, parse_distance

#: The version of rangemap, the one place it is written (hatch reads it for the wheel).
__version__ = "0.1.0"

__all__ = [
    "Catalog",
    "Claim",
    "InputError",
    "Place",
    "PlaceNotFoundError",
    "RangeMap",
    "RangemapError",
    "Reach",
    "RecipeError",
    "Source",
    "SpecError",
    "System",
    "UnknownSystemError",
    "Variant",
    "__version__",
    "annulus",
    "buffer",
    "country",
    "distance_m",
    "format_km",
    "geocode",
    "load_catalog",
    "load_recipe",
    "parse_distance",
    "ring",
    "within",
]

#: Where each public name is defined: imported from there on first use.
_EXPORTS: dict[str, str] = {
    **dict.fromkeys(
        ("Catalog", "Claim", "Source", "System", "Variant", "load_catalog"), "rangemap.catalog"
    ),
    **dict.fromkeys(
        (
            "InputError",
            "PlaceNotFoundError",
            "RangemapError",
            "RecipeError",
            "SpecError",
            "UnknownSystemError",
        ),
        "rangemap.errors",
    ),
    **dict.fromkeys(("annulus", "buffer", "distance_m", "ring"), "rangemap.geodesy"),
    **dict.fromkeys(("Place", "geocode", "within"), "rangemap.places"),
    "Reach": "rangemap.reach",
    "load_recipe": "rangemap.recipes",
    "country": "rangemap.regions",
    "RangeMap": "rangemap.scene",
    **dict.fromkeys(("format_km", "parse_distance"), "rangemap.units"),
}

#: Submodules reachable as attributes (``rangemap.catalog``) without importing them first.
_SUBMODULES = frozenset(
    (
        "catalog",
        "cli",
        "errors",
        "escaping",
        "geodesy",
        "places",
        "reach",
        "recipes",
        "regions",
        "render",
        "scene",
        "units",
    )
)


def __getattr__(name: str) -> Any:
    """Import a public name or a submodule the first time it is asked for (PEP 562)."""
    if name in _EXPORTS:
        value = getattr(importlib.import_module(_EXPORTS[name]), name)
    elif name in _SUBMODULES:
        value = importlib.import_module(f"{__name__}.{name}")
    else:
        msg = f"module {__name__!r} has no attribute {name!r}"
        raise AttributeError(msg)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    """List the public names with what is already loaded, as ``dir(rangemap)`` shows."""
    return sorted({*globals(), *__all__, *_SUBMODULES})
