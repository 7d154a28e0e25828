"""Places: the bundled gazetteer, geocoding, coordinate parsing, origins, places within a shape.

>>> from rangemap.places import geocode, parse_origin
>>> geocode("Kharkiv, UA").country
'UA'
>>> parse_origin("Sumy").label
'Sumy'

An origin is a :class:`Site` (:mod:`rangemap.places.site`): a point, line or territory
with the label printed on maps; :func:`as_sites` is the one normaliser of origins.
Your own points (a CSV, GeoJSON or GeoPackage file) are read with :func:`read_points`
and checked against a reach with :func:`points_in_reach` (:mod:`rangemap.places.points`).
"""

from __future__ import annotations

from rangemap.places.coords import parse_latlon
from rangemap.places.gazetteer import (
    GEONAMES_CREDIT,
    GEONAMES_LICENSE_URL,
    Gazetteer,
    Place,
    load_gazetteer,
    local_label,
    local_name,
)
from rangemap.places.geocode import geocode, geocode_all
from rangemap.places.names import normalize_name
from rangemap.places.points import as_points, points_in_reach, read_points
from rangemap.places.site import OriginLike, Site, as_sites, parse_origin
from rangemap.places.within import (
    ORIGIN_M,
    POPULATION_LABEL,
    distance_to_origins,
    population_of_listed_cities,
    within,
)

__all__ = [
    "GEONAMES_CREDIT",
    "GEONAMES_LICENSE_URL",
    "ORIGIN_M",
    "POPULATION_LABEL",
    "Gazetteer",
    "OriginLike",
    "Place",
    "Site",
    "as_points",
    "as_sites",
    "distance_to_origins",
    "geocode",
    "geocode_all",
    "load_gazetteer",
    "local_label",
    "local_name",
    "normalize_name",
    "parse_latlon",
    "parse_origin",
    "points_in_reach",
    "population_of_listed_cities",
    "read_points",
    "within",
]
