"""rangemap: cited, exact reach maps of publicly reported weapon-system ranges.

The public API is re-exported here; see the documentation for a tour.
"""

from __future__ import annotations

from rangemap.errors import (
    InputError,
    PlaceNotFoundError,
    RangemapError,
    RecipeError,
    SpecError,
    UnknownSystemError,
)
from rangemap.units import format_km, parse_distance

__version__ = "0.1.0"

__all__ = [
    "InputError",
    "PlaceNotFoundError",
    "RangemapError",
    "RecipeError",
    "SpecError",
    "UnknownSystemError",
    "__version__",
    "format_km",
    "parse_distance",
]
