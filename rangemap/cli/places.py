"""``rangemap places``: the places within reach of a system, or of a distance, from origins.

This module owns the ``places`` subcommand and its output formats (a text table,
CSV, JSON and GeoJSON). With ``--points FILE`` it lists your own points instead of the
cities, in the same formats (no GeoNames credit: the points are the user's). Distances
are geodesic on WGS84; places come from the bundled GeoNames gazetteer, credited in
every output.

Text is data: every text in the table passes through
:func:`rangemap.escaping.terminal` (no escape sequences reach a terminal), every CSV
text cell through :func:`rangemap.escaping.csv_cell` (no spreadsheet formulas), and the
JSON outputs are cleaned with :func:`rangemap.escaping.clean_data`.
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import math
from collections.abc import Sequence
from typing import Any

from rangemap.cli._common import add_stdout_output_option, report_resolved, write_text
from rangemap.errors import InputError
from rangemap.escaping import clean_data, csv_cell, terminal
from rangemap.places import (
    GEONAMES_CREDIT,
    POPULATION_LABEL,
    Site,
    as_sites,
    points_in_reach,
    population_of_listed_cities,
    read_points,
    within,
)
from rangemap.regions import country_codes
from rangemap.units import MAX_DISTANCE_M, parse_distance

__all__ = ["register"]

#: The one-line summary ``rangemap --help`` lists (read there without importing this).
HELP = "the cities within reach of a system (or a distance) from origins"

_FORMATS = ("table", "csv", "json", "geojson")
_CSV_COLUMNS = (
    "name",
    "country",
    "region",
    "region_name",
    "population",
    "lat",
    "lon",
    "geonameid",
    "distance_km",
    "nearest_origin",
)


def register(subparsers: Any) -> None:
    """Add the ``places`` subcommand to the ``rangemap`` parser (see :mod:`rangemap.cli`)."""
    places = subparsers.add_parser(
        "places",
        help=HELP,
        description="List the GeoNames cities within reach, nearest first, with geodesic "
        "distances. The population total is the population of the listed cities, not of "
        "the area.",
        epilog="example: rangemap places atacms --from Sumy --min-population 100000 --format csv",
    )
    places.add_argument(
        "system",
        metavar="SYSTEM[:VARIANT]",
        nargs="?",
        help="a catalog system, e.g. atacms or atacms:block-i (or use --distance)",
    )
    places.add_argument(
        "--from",
        dest="origins",
        metavar="PLACE",
        action="append",
        default=[],
        help="an origin: a place name, a country ('China', 'country:CN'), 'LAT, LON', "
        "any with '=Label' (repeatable)",
    )
    places.add_argument(
        "--distance",
        metavar="DISTANCE",
        help="a bare distance instead of a system, e.g. '300 km', '190 mi'",
    )
    places.add_argument(
        "--min-population",
        metavar="N",
        default="0",
        help="leave out cities with fewer people (GeoNames figures)",
    )
    places.add_argument(
        "--country",
        metavar="CC",
        action="append",
        help="keep only cities in this country: ISO code or name (repeatable)",
    )
    places.add_argument(
        "--exclude",
        metavar="NAME",
        action="append",
        default=[],
        help='leave out this place: a name, "Name, CC" or a GeoNames id (repeatable)',
    )
    places.add_argument(
        "--include-origins",
        action="store_true",
        help="keep the places at an origin (the origin city itself, the cities inside a "
        "territory origin), left out by default",
    )
    places.add_argument(
        "--points",
        metavar="FILE",
        help="list your own points (CSV with lat/lon columns, GeoJSON, GeoPackage or KML) "
        "instead of the cities: in range or not, distance to the nearest origin and margin "
        "(+ inside, - outside), in every --format",
    )
    places.add_argument(
        "--points-label",
        metavar="COLUMN",
        help="with --points: the column holding the names (name, title, label ... by default)",
    )
    places.add_argument("--format", choices=_FORMATS, default="table", help="output format (table)")
    places.add_argument("--limit", metavar="N", help="list at most N places (the nearest)")
    add_stdout_output_option(places)
    places.set_defaults(handler=_places)


def _whole_number(text: str, argument: str) -> int:
    cleaned = str(text).replace(",", "").replace("_", "").strip()
    if not cleaned.isdigit():
        msg = f"{argument}: {text!r} is not a whole number 0 or more; for example 100000"
        raise InputError(msg)
    return int(cleaned)


def _places(args: argparse.Namespace) -> int:
    if not args.origins:
        msg = "places: give at least one --from PLACE, for example --from Sumy"
        raise InputError(msg)
    if (args.system is None) == (args.distance is None):
        msg = (
            "places: give either SYSTEM (for example 'atacms') or --distance "
            "(for example '300 km'), not both or neither"
        )
        raise InputError(msg)
    min_population = _whole_number(args.min_population, "--min-population")
    limit = _whole_number(args.limit, "--limit") if args.limit is not None else None
    origins = as_sites(args.origins, argument="--from")
    countries = country_codes(args.country, argument="--country") if args.country else None

    from rangemap.reach import Reach

    if args.distance is not None:
        reach = Reach.from_distance(
            parse_distance(args.distance, argument="--distance", max_m=MAX_DISTANCE_M), origins
        )
    else:
        reach = Reach.from_system(args.system, origins)
    label = f"{reach.label}, from {', '.join(_origin_name(o) for o in origins)}"
    sources = [getattr(s, "citation", lambda s=s: str(s))() for s in reach.sources]
    as_of = str(reach.as_of) if reach.as_of else None
    if args.points is not None:
        table = points_in_reach(read_points(args.points, label=args.points_label), reach)
        if limit is not None:
            table = table.iloc[:limit]
        text = _points_text(table, args.format, label=label, sources=sources, as_of=as_of)
        write_text(text, args.output)
        report_resolved(args.origins, origins)
        return 0
    if args.points_label is not None:
        msg = "--points-label: applies with --points FILE; add --points sites.csv"
        raise InputError(msg)
    # Distances from every origin: points, lines and territories (0 inside one).
    frame = within(
        reach.geometry,
        origins=origins,
        min_population=min_population,
        countries=countries,
        include_origins=args.include_origins,
        exclude=tuple(args.exclude),
    )
    if limit is not None:
        frame = frame.iloc[:limit]
    rows = _rows(frame)
    total = population_of_listed_cities(frame)
    if args.format == "csv":
        text = _csv(rows)
    elif args.format == "json":
        text = _json(rows, label=label, total=total, sources=sources, as_of=as_of)
    elif args.format == "geojson":
        text = _geojson(rows, label=label, total=total, sources=sources, as_of=as_of)
    else:
        text = _table(rows, label=label, total=total, sources=sources, as_of=as_of)
    write_text(text, args.output)
    report_resolved(args.origins, origins)
    return 0


def _text_table(
    label: str,
    as_of: str | None,
    header: Sequence[str],
    body: Sequence[Sequence[str]],
    *,
    right: set[int],
) -> list[str]:
    """Return the title line and an aligned table (``right``: right-aligned columns)."""
    widths = [max(len(r[c]) for r in (header, *body)) for c in range(len(header))]

    def line(cells: Sequence[str]) -> str:
        return "  ".join(
            cell.rjust(w) if c in right else cell.ljust(w)
            for c, (cell, w) in enumerate(zip(cells, widths, strict=True))
        ).rstrip()

    out = [terminal(label + (f" (figures as of {as_of})" if as_of else "")), ""]
    out += [line(header), line(["-" * w for w in widths]), *(line(r) for r in body)]
    return out


def _origin_name(origin: Site) -> str:
    return origin.label or f"{origin.lat:.5f}, {origin.lon:.5f}"


def _rows(frame: Any) -> list[dict[str, Any]]:
    """Return the table as plain rows, rounded for output (distances to the metre)."""
    rows = []
    for record in frame.drop(columns="geometry").to_dict(orient="records"):
        row: dict[str, Any] = {}
        for key in _CSV_COLUMNS:
            value = record.get(key)
            if key == "distance_km" and value is not None:
                value = round(float(value), 3)
            elif key in ("population", "geonameid"):
                value = int(value)
            elif key in ("lat", "lon"):
                value = float(value)
            elif isinstance(value, float) and math.isnan(value):
                value = None
            row[key] = value
        rows.append(row)
    return rows


def _csv(rows: Sequence[dict[str, Any]]) -> str:
    """Return the rows as CSV; every text cell through :func:`~rangemap.escaping.csv_cell`.

    A name or origin label such as ``=HYPERLINK(...)`` is written ``'=HYPERLINK(...)``,
    which no spreadsheet runs as a formula; numbers are written as numbers.
    """
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=_CSV_COLUMNS, lineterminator="\n")
    writer.writeheader()
    for row in rows:
        writer.writerow({k: csv_cell(v) if isinstance(v, str) else v for k, v in row.items()})
    return buffer.getvalue()


def _json(
    rows: Sequence[dict[str, Any]],
    *,
    label: str,
    total: int,
    sources: Sequence[str],
    as_of: str | None,
) -> str:
    payload = {
        "reach": label,
        "as_of": as_of,
        "sources": list(sources),
        "count": len(rows),
        "population_of_listed_cities": total,
        "places": list(rows),
        "credit": GEONAMES_CREDIT,
    }
    return json.dumps(clean_data(payload), ensure_ascii=False, indent=2) + "\n"


def _geojson(
    rows: Sequence[dict[str, Any]],
    *,
    label: str,
    total: int,
    sources: Sequence[str],
    as_of: str | None,
) -> str:
    features = [
        {
            "type": "Feature",
            "geometry": {"type": "Point", "coordinates": [row["lon"], row["lat"]]},
            "properties": row,
        }
        for row in rows
    ]
    payload = {
        "type": "FeatureCollection",
        "features": features,
        "reach": label,
        "as_of": as_of,
        "sources": list(sources),
        "population_of_listed_cities": total,
        "credit": GEONAMES_CREDIT,
    }
    return json.dumps(clean_data(payload), ensure_ascii=False) + "\n"


def _table(
    rows: Sequence[dict[str, Any]],
    *,
    label: str,
    total: int,
    sources: Sequence[str],
    as_of: str | None,
) -> str:
    header = ("#", "place", "country", "population", "km", "nearest origin")
    body = [
        (
            str(i),
            terminal(row["name"] + (f" ({row['region_name']})" if row["region_name"] else "")),
            terminal(row["country"]),
            f"{row['population']:,}",
            "" if row["distance_km"] is None else f"{row['distance_km']:,.1f}",
            terminal(row["nearest_origin"] or ""),
        )
        for i, row in enumerate(rows, start=1)
    ]
    out = _text_table(label, as_of, header, body, right={0, 3, 4})
    out += [
        "",
        f"{len(rows):,} places; {POPULATION_LABEL}: {total:,} (GeoNames figures; "
        "not the population of the area; suburbs GeoNames counts apart from their city "
        "may be counted twice)",
    ]
    out += [f"source: {terminal(s)}" for s in sources]
    out.append(terminal(GEONAMES_CREDIT))
    return "\n".join(out) + "\n"


# --- your points ------------------------------------------------------------------------

_POINT_COLUMNS = (
    "name",
    "layer",
    "in_range",
    "distance_km",
    "margin_km",
    "nearest_origin",
    "lat",
    "lon",
)


def _point_rows(table: Any) -> list[dict[str, Any]]:
    """Return the points table as plain rows (distances and margins to the metre)."""
    rows = []
    for record in table.drop(columns="geometry").to_dict(orient="records"):
        row: dict[str, Any] = {}
        for key in _POINT_COLUMNS:
            value = record[key]
            if key in ("distance_km", "margin_km"):
                value = round(float(value), 3)
            elif key in ("lat", "lon"):
                value = float(value)
            elif key == "in_range":
                value = bool(value)
            row[key] = value
        rows.append(row)
    return rows


def _points_text(
    table: Any, fmt: str, *, label: str, sources: Sequence[str], as_of: str | None
) -> str:
    """Return your points in or out of range in one of the ``--format`` choices.

    ``csv``: one row per point, ``in_range`` as ``true``/``false``, text cells through
    :func:`~rangemap.escaping.csv_cell`; ``json``: ``{"reach", "points": [...]}``;
    ``geojson``: point features with the same properties; ``table``: text columns,
    "in range" / "out of range" in words.
    """
    rows = _point_rows(table)
    inside = sum(1 for row in rows if row["in_range"])
    if fmt == "csv":
        buffer = io.StringIO()
        writer = csv.DictWriter(buffer, fieldnames=_POINT_COLUMNS, lineterminator="\n")
        writer.writeheader()
        for row in rows:
            writer.writerow(
                {
                    k: csv_cell(v)
                    if isinstance(v, str)
                    else ("true" if v else "false")
                    if isinstance(v, bool)
                    else v
                    for k, v in row.items()
                }
            )
        return buffer.getvalue()
    meta = {"reach": label, "as_of": as_of, "sources": list(sources)}
    if fmt == "json":
        payload = {**meta, "count": len(rows), "in_range": inside, "points": rows}
        return json.dumps(clean_data(payload), ensure_ascii=False, indent=2) + "\n"
    if fmt == "geojson":
        features = [
            {
                "type": "Feature",
                "geometry": {"type": "Point", "coordinates": [row["lon"], row["lat"]]},
                "properties": {"kind": "point", **row},
            }
            for row in rows
        ]
        collection = {"type": "FeatureCollection", "features": features, **meta}
        return json.dumps(clean_data(collection), ensure_ascii=False) + "\n"
    header = ("#", "point", "range", "km", "margin km", "nearest origin")
    body = [
        (
            str(i),
            terminal(row["name"]),
            "in range" if row["in_range"] else "OUT of range",
            f"{row['distance_km']:,.1f}",
            f"{row['margin_km']:+,.1f}",
            terminal(row["nearest_origin"] or ""),
        )
        for i, row in enumerate(rows, start=1)
    ]
    out = _text_table(label, as_of, header, body, right={0, 3, 4})
    out += [
        "",
        f"{len(rows):,} points, {inside:,} in range. Distances are geodesic (WGS84) to the "
        "nearest origin; the margin is how far inside (+) or outside (-) the reach.",
    ]
    out += [f"source: {terminal(s)}" for s in sources]
    return "\n".join(out) + "\n"
