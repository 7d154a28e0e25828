"""Places: the bundled gazetteer, geocoding, coordinate parsing, origins, places within a shape.

>>> from rangemap.places import geocode, parse_origin
>>> geocode("Kharkiv, UA").country
'UA'
>>> parse_origin("Sumy").label
'Sumy'

An origin is a :class:`Site` (:mod:`rangemap.places.site`): a point, line or territory
with the label printed on maps; :func:`as_sites` is the one normaliser of origins.
"""

from __future__ import annotations

from rangemap.places.coords import parse_latlon
from rangemap.places.gazetteer import (
    GEONAMES_CREDIT,
    GEONAMES_LICENSE_URL,
    Gazetteer,
    Place,
    load_gazetteer,
)
from rangemap.places.geocode import geocode, geocode_all
from rangemap.places.names import normalize_name
from rangemap.places.site import OriginLike, Site, as_sites, parse_origin
from rangemap.places.within import POPULATION_LABEL, population_of_listed_cities, within

__all__ = [
    "GEONAMES_CREDIT",
    "GEONAMES_LICENSE_URL",
    "POPULATION_LABEL",
    "Gazetteer",
    "OriginLike",
    "Place",
    "Site",
    "as_sites",
    "geocode",
    "geocode_all",
    "load_gazetteer",
    "normalize_name",
    "parse_latlon",
    "parse_origin",
    "population_of_listed_cities",
    "within",
]
