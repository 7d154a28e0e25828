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
"""

from __future__ import annotations

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
from rangemap.places import Place, geocode, within
from rangemap.reach import Reach
from rangemap.recipes import load_recipe
from rangemap.regions import country
from rangemap.scene import RangeMap
from rangemap.units import format_km, parse_distance

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
