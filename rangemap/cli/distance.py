"""``rangemap distance``: the geodesic distance and initial bearing between two places.

This module owns the ``distance`` subcommand and its two outputs, a text report and
JSON. The distance and bearing are geodesic on WGS84; names are read with
:func:`rangemap.places.geocode` from the bundled GeoNames gazetteer, credited in
the output whenever a name was looked up.

Text is data: every place name printed passes through
:func:`rangemap.escaping.terminal` (no escape sequences reach a terminal), and the
JSON output is cleaned with :func:`rangemap.escaping.clean_data`.
"""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any

from rangemap.escaping import clean_data, quote, terminal
from rangemap.geodesy import distance_m, initial_bearing_deg
from rangemap.places import GEONAMES_CREDIT, Place, geocode

__all__ = ["distance_and_bearing", "register"]

#: The one-line summary ``rangemap --help`` lists (read there without importing this).
HELP = "geodesic distance and initial bearing between two places"


def register(subparsers: Any) -> None:
    """Add the ``distance`` subcommand to the ``rangemap`` parser (see :mod:`rangemap.cli`)."""
    distance = subparsers.add_parser(
        "distance",
        help=HELP,
        description="Geodesic distance (WGS84) and initial bearing from the first place to "
        "the second. Places are names ('Kyiv', 'Kharkiv, UA', 'Київ') or 'LAT, LON'.",
        epilog="example: rangemap distance Kyiv Moscow",
    )
    distance.add_argument("start", metavar="PLACE", help="from: a name or 'LAT, LON'")
    distance.add_argument("end", metavar="PLACE", help="to: a name or 'LAT, LON'")
    distance.add_argument(
        "--format", choices=("text", "json"), default="text", help="output format (text)"
    )
    distance.set_defaults(handler=_distance)


def distance_and_bearing(start: Place, end: Place) -> tuple[float, float | None]:
    """Return the geodesic distance in metres and initial bearing in degrees between places.

    Parameters
    ----------
    start, end : Place
        The two places.

    Returns
    -------
    tuple of (float, float or None)
        The distance on the WGS84 ellipsoid in metres, and the initial bearing at
        ``start``, clockwise from true north, 0 to 360 degrees; the bearing is
        ``None`` when the places coincide (distance 0), where no direction exists.

    Examples
    --------
    >>> from rangemap.places import geocode
    >>> metres, bearing = distance_and_bearing(geocode("Kyiv"), geocode("Moscow"))
    >>> round(metres / 1000), round(bearing)
    (756, 36)
    >>> distance_and_bearing(geocode("Kiev"), geocode("Київ"))
    (0.0, None)
    """
    metres = float(distance_m(start.lonlat, end.lonlat))
    if metres == 0.0:
        return 0.0, None
    return metres, float(initial_bearing_deg(start.lonlat, end.lonlat))


def _note_alternatives(place: Place, text: str) -> None:
    if place.alternatives:
        differ = [p for p in place.alternatives if p.country != place.country] or [place]
        same_name = [p for p in differ if p.name == place.name]
        example = f"{place.name}, {(same_name or differ)[0].country}"
        others = "; ".join(p.describe() for p in place.alternatives[:3])
        more = f" and {len(place.alternatives) - 3} more" if len(place.alternatives) > 3 else ""
        print(
            f"rangemap: note: {quote(text)} is taken as {terminal(place.describe())}; it also "
            f"names {terminal(others)}{more}. Add a country code to choose, e.g. {quote(example)}",
            file=sys.stderr,
        )


def _distance(args: argparse.Namespace) -> int:
    start = geocode(args.start, argument="distance: first PLACE")
    end = geocode(args.end, argument="distance: second PLACE")
    _note_alternatives(start, args.start)
    _note_alternatives(end, args.end)
    metres, bearing = distance_and_bearing(start, end)
    if args.format == "json":
        payload = {
            "from": _place_json(start),
            "to": _place_json(end),
            "distance_m": round(metres, 3),
            "distance_km": round(metres / 1000, 6),
            "initial_bearing_deg": None if bearing is None else round(bearing, 6),
            "method": "geodesic on the WGS84 ellipsoid",
            "credit": GEONAMES_CREDIT,
        }
        print(json.dumps(clean_data(payload), ensure_ascii=False, indent=2))
        return 0
    print(f"from: {terminal(start.describe())} ({start.lat:.5f}, {start.lon:.5f})")
    print(f"to:   {terminal(end.describe())} ({end.lat:.5f}, {end.lon:.5f})")
    print(f"distance: {metres / 1000:,.3f} km (geodesic, WGS84)")
    if bearing is None:
        print("initial bearing: undefined (the two places are the same point)")
    else:
        print(f"initial bearing: {bearing:.1f}° (clockwise from true north)")
    if start.geonameid is not None or end.geonameid is not None:
        print(terminal(GEONAMES_CREDIT))
    return 0


def _place_json(place: Place) -> dict[str, Any]:
    return {
        "name": place.name,
        "country": place.country or None,
        "region": place.region or None,
        "region_name": place.region_name,
        "population": place.population or None,
        "lat": place.lat,
        "lon": place.lon,
        "geonameid": place.geonameid,
    }
