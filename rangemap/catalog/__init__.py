"""The catalog of systems: cited ranges read from ``specs/*.yaml``.

This package owns the spec file format (:mod:`~rangemap.catalog.models`), reading and
checking files (:mod:`~rangemap.catalog.load`, :mod:`~rangemap.catalog.checks`) and the
:class:`Catalog` readers query (:mod:`~rangemap.catalog.catalog`). It knows nothing of
maps.

Examples
--------
>>> from rangemap.catalog import load_catalog
>>> catalog = load_catalog()
>>> system, variant = catalog.resolve("atacms:block-i")
>>> variant.max_range.shown_km
165.0
"""

from __future__ import annotations

from rangemap.catalog.catalog import Catalog, builtin_specs_dir, load_catalog
from rangemap.catalog.models import (
    Attribution,
    Caveat,
    CaveatNote,
    Claim,
    Claimant,
    ClaimKind,
    Kind,
    LoadOut,
    PublisherType,
    Qualifier,
    RangeSpec,
    Source,
    System,
    Variant,
    YearMonth,
    format_range_km,
)
from rangemap.catalog.normalise import normalise

__all__ = [
    "Attribution",
    "Catalog",
    "Caveat",
    "CaveatNote",
    "Claim",
    "ClaimKind",
    "Claimant",
    "Kind",
    "LoadOut",
    "PublisherType",
    "Qualifier",
    "RangeSpec",
    "Source",
    "System",
    "Variant",
    "YearMonth",
    "builtin_specs_dir",
    "format_range_km",
    "load_catalog",
    "normalise",
]
