"""``rangemap distance``: the geodesic distance between two places, or a place and a shape.

This module owns the ``distance`` subcommand and its two outputs, a text report and
JSON. Either side is any origin :meth:`rangemap.places.site.Site.from_text` reads: a place
name, ``"LAT, LON"``, a country (``Ukraine``, ``country:UA``) or a file of lines or
polygons. Between two points it gives the distance and initial bearing; between a
point and a line or territory, the distance to the nearest point of the line or of the
territory's boundary (0 inside the territory) and that nearest point
(:func:`rangemap.geodesy.nearest_point`). Everything is geodesic on WGS84. Once the
answer is printed, what every name was read as is said on standard error
(:func:`rangemap.cli._common.report_resolved`).

Text is data: every place name printed passes through
:func:`rangemap.escaping.terminal` (no escape sequences reach a terminal), and the
JSON output is cleaned with :func:`rangemap.escaping.clean_data`.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from rangemap.errors import InputError, RangemapError
from rangemap.escaping import clean_data, quote, terminal
from rangemap.geodesy import distance_m, initial_bearing_deg, nearest_point
from rangemap.places import GEONAMES_CREDIT, Place, Site, geocode
from rangemap.regions import ATTRIBUTION

__all__ = ["distance_and_bearing", "distance_to_site", "register"]

#: The one-line summary ``rangemap --help`` lists (read there without importing this).
HELP = "geodesic distance between two places, or from a place to a line or territory"


def register(subparsers: Any) -> None:
    """Add the ``distance`` subcommand to the ``rangemap`` parser (see :mod:`rangemap.cli`)."""
    distance = subparsers.add_parser(
        "distance",
        help=HELP,
        description="Geodesic distance (WGS84) from the first place to the second. Places "
        "are names ('Kyiv', 'Kharkiv, UA', 'Київ'), 'LAT, LON', countries ('Ukraine', "
        "'country:UA') or files of lines or polygons (front.geojson). Between two points "
        "it gives the distance and initial bearing; between a point and a line or "
        "territory, the distance to the nearest point of the line or of the territory's "
        "boundary (0 inside) and where that point is. One side must be a point.",
        epilog="examples: rangemap distance Kyiv Moscow; rangemap distance Moscow Ukraine",
    )
    distance.add_argument(
        "start", metavar="PLACE", help="from: a name, 'LAT, LON', a country or a file"
    )
    distance.add_argument(
        "end", metavar="PLACE", help="to: a name, 'LAT, LON', a country or a file"
    )
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


def distance_to_site(point: Site, shape: Site) -> tuple[float, float, float]:
    """Return the distance from a point to a line or territory, and the nearest point.

    Parameters
    ----------
    point : Site
        A point site.
    shape : Site
        Any site: a line (the distance is to its nearest point), a territory (to its
        nearest boundary point, 0 inside) or a point.

    Returns
    -------
    tuple of float
        Metres on WGS84, then the nearest point's longitude and latitude (the point
        itself when it is inside the territory).

    Raises
    ------
    InputError
        If ``point`` is not a point.

    Examples
    --------
    >>> from rangemap.places import Site
    >>> metres, lon, lat = distance_to_site(Site.from_text("Moscow"), Site.from_text("Ukraine"))
    >>> round(metres / 1000), round(lat, 2), round(lon, 2)
    (456, 52.32, 33.82)
    >>> distance_to_site(Site.from_text("Kyiv"), Site.from_text("Ukraine"))[0]
    0.0
    """
    metres, lon, lat = nearest_point(shape.geometry, point.lon, point.lat)
    return float(metres), float(lon), float(lat)


def _read(text: str, argument: str) -> tuple[Site, Place | None]:
    """Read one side: the site, and the gazetteer place a point name was read as."""
    site = Site.from_text(text, argument=argument)
    place: Place | None = None
    where = text.partition("=")[0]
    if site.is_point and site.resolved is not None and not Path(where.strip()).is_file():
        try:
            place = geocode(where, argument=argument)
        except RangemapError:  # pragma: no cover - Site.from_text read it just now
            place = None
    return site, place


def _note_alternatives(place: Place | None, text: str) -> None:
    if place is not None and place.alternatives:
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


def _kind(site: Site) -> str:
    return "territory" if site.geometry.geom_type in ("Polygon", "MultiPolygon") else "line"


def _shape_name(site: Site) -> str:
    return site.label or site.resolved or site.geometry.geom_type


def _distance(args: argparse.Namespace) -> int:
    # Imported here: ``rangemap distance --help`` loads this module only, and
    # ``_common`` brings in the renderers.
    from rangemap.cli._common import report_resolved

    start, start_place = _read(args.start, "distance: first PLACE")
    end, end_place = _read(args.end, "distance: second PLACE")
    if not start.is_point and not end.is_point:
        msg = (
            f"distance: {quote(args.start)} and {quote(args.end)} are both lines or territories; "
            "one side must be a place or a coordinate, for example "
            "'rangemap distance Moscow Ukraine'"
        )
        raise InputError(msg)
    _note_alternatives(start_place, args.start)
    _note_alternatives(end_place, args.end)
    if start.is_point and end.is_point:
        _point_to_point(args.format, start, start_place, end, end_place)
    else:
        point_first = start.is_point
        point, place = (start, start_place) if point_first else (end, end_place)
        shape = end if point_first else start
        _point_to_shape(args.format, point, place, shape, point_first)
    report_resolved([args.start, args.end], [start, end])
    return 0


def _as_place(site: Site, place: Place | None) -> Place:
    if place is not None:
        return place
    return Place(site.label or "", "", "", site.lat, site.lon, 0, None)


def _point_to_point(
    fmt: str, start: Site, start_place: Place | None, end: Site, end_place: Place | None
) -> None:
    a, b = _as_place(start, start_place), _as_place(end, end_place)
    metres, bearing = distance_and_bearing(a, b)
    gazetteer = start_place is not None or end_place is not None
    if fmt == "json":
        payload = {
            "from": _point_json(start, start_place),
            "to": _point_json(end, end_place),
            "distance_m": round(metres, 3),
            "distance_km": round(metres / 1000, 6),
            "initial_bearing_deg": None if bearing is None else round(bearing, 6),
            "method": "geodesic on the WGS84 ellipsoid",
            "credit": GEONAMES_CREDIT,
        }
        print(json.dumps(clean_data(payload), ensure_ascii=False, indent=2))
        return
    print(f"from: {_point_text(start, start_place)}")
    print(f"to:   {_point_text(end, end_place)}")
    print(f"distance: {metres / 1000:,.3f} km (geodesic, WGS84)")
    if bearing is None:
        print("initial bearing: undefined (the two places are the same point)")
    else:
        print(f"initial bearing: {bearing:.1f}° (clockwise from true north)")
    if gazetteer:
        print(terminal(GEONAMES_CREDIT))


def _point_to_shape(
    fmt: str, point: Site, place: Place | None, shape: Site, point_first: bool
) -> None:
    metres, lon, lat = distance_to_site(point, shape)
    kind = _kind(shape)
    inside = kind == "territory" and metres == 0.0
    credits = [ATTRIBUTION] if shape.resolved and shape.resolved.startswith("territory of") else []
    if place is not None:
        credits.append(GEONAMES_CREDIT)
    if fmt == "json":
        sides = [_point_json(point, place), _shape_json(shape)]
        payload = {
            "from": sides[0] if point_first else sides[1],
            "to": sides[1] if point_first else sides[0],
            "distance_m": round(metres, 3),
            "distance_km": round(metres / 1000, 6),
            "initial_bearing_deg": None,
            "measured_to": f"nearest point of the {kind}"
            if kind == "line"
            else "nearest point of the territory's boundary (0 inside)",
            "inside": inside if kind == "territory" else None,
            "nearest_point": {"lat": lat, "lon": lon},
            "method": "geodesic on the WGS84 ellipsoid",
            "credit": " ".join(credits) or None,
        }
        print(json.dumps(clean_data(payload), ensure_ascii=False, indent=2))
        return
    lines = [_point_text(point, place), f"{_shape_text(shape)}"]
    if not point_first:
        lines.reverse()
    print(f"from: {lines[0]}")
    print(f"to:   {lines[1]}")
    point_name = terminal(point.label or f"{point.lat:.5f}, {point.lon:.5f}")
    shape_name = terminal(_shape_name(shape))
    if inside:
        print(f"{point_name} is inside {shape_name}: 0 km")
        _print_credits(credits)
        return
    where = "its boundary" if kind == "territory" else "the line"
    print(f"distance: {metres / 1000:,.3f} km (geodesic, WGS84) to the nearest point of {where}")
    print(f"nearest point: {lat:.5f}, {lon:.5f} (latitude, longitude)")
    _print_credits(credits)


def _print_credits(credits: list[str]) -> None:
    """Print the credit lines of the data used."""
    for line in credits:
        print(terminal(line))


def _point_text(site: Site, place: Place | None) -> str:
    if place is not None:
        return f"{terminal(place.describe())} ({place.lat:.5f}, {place.lon:.5f})"
    label = f"{terminal(site.label)} " if site.label else ""
    return f"{label}({site.lat:.5f}, {site.lon:.5f})"


def _shape_text(site: Site) -> str:
    return f"{terminal(_shape_name(site))} ({_kind(site)})"


def _point_json(site: Site, place: Place | None) -> dict[str, Any]:
    if place is None:
        return {
            "name": site.label,
            "country": None,
            "region": None,
            "region_name": None,
            "population": None,
            "lat": site.lat,
            "lon": site.lon,
            "geonameid": None,
        }
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


def _shape_json(site: Site) -> dict[str, Any]:
    return {
        "name": site.label,
        "kind": _kind(site),
        "resolved": site.resolved,
        "geometry_type": site.geometry.geom_type,
    }
