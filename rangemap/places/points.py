"""Your own points: a CSV, GeoJSON, GeoPackage or KML file of places, in range or not.

This module owns reading a user's file of points (:func:`read_points`; a GeoDataFrame
from Python goes through :func:`as_points`, the same checks) and the table that says,
for each point and each reach layer, whether the point is in range, how far it is from
the nearest origin and by how much it is inside or outside the reach
(:func:`points_in_reach`).

CSV files are read here (UTF-8 with or without a byte-order mark, separated by commas,
semicolons or tabs); vector files are opened the way :mod:`rangemap.regions` opens
territory files (local files only, each format by its own GDAL driver, GDAL's network
switched off). Point names are data: they reach every output through
:mod:`rangemap.escaping`, like place names.

Rows are counted as a spreadsheet shows them: the header is row 1, so the first point
is row 2. Features of a vector file are counted from 1 in file order.
"""

from __future__ import annotations

import csv
import io
import math
import os
import re
import stat
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import numpy.typing as npt

from rangemap.errors import InputError
from rangemap.escaping import quote, terminal

if TYPE_CHECKING:
    import geopandas

__all__ = [
    "LAT_COLUMNS",
    "LON_COLUMNS",
    "MAX_POINTS",
    "MAX_POINTS_BYTES",
    "NAME_COLUMNS",
    "as_points",
    "points_in_reach",
    "read_points",
]

#: The most points a file (or a map) may hold.
MAX_POINTS = 10_000
#: The largest points file read, in bytes (20 MB).
MAX_POINTS_BYTES = 20_000_000

#: Column names read as latitude, compared without case, spaces, ``_``, ``-``, ``°`` or brackets.
LAT_COLUMNS = ("lat", "latitude", "y", "breite", "breitengrad", "latitud", "широта", "lat_dd")
#: Column names read as longitude, compared the same way.
LON_COLUMNS = (
    "lon",
    "lng",
    "long",
    "longitude",
    "x",
    "länge",
    "laenge",
    "längengrad",
    "longitud",
    "довгота",
    "долгота",
    "lon_dd",
)
#: Column names read as a point's name when no ``label`` column is given.
NAME_COLUMNS = ("name", "title", "label", "place", "site", "location", "ort", "назва", "название")
#: Column names of a single ``"LAT, LON"`` column.
_COORD_COLUMNS = ("coordinates", "coordinate", "coords", "latlon", "latlng", "position")

_CSV_SUFFIXES = (".csv", ".tsv", ".txt")
#: Columns of the :func:`points_in_reach` table; a file column of the same name is kept
#: with `` (file)`` added to its name.
_RESERVED = frozenset(
    {"name", "layer", "in_range", "distance_km", "margin_km", "nearest_origin", "lat", "lon"}
    | {"geometry"}
)
_DECIMAL_COMMA = re.compile(r"[+-]?\d+,\d+")
_NUMBER = re.compile(r"[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?")


def _key(header: object) -> str:
    """Normalise a column name for matching: ``' Latitude (°)'`` -> ``'latitude'``."""
    return re.sub(r"[\s_\-()\[\]°.]+", "", str(header).casefold())


_LAT_KEYS = {_key(n) for n in LAT_COLUMNS}
_LON_KEYS = {_key(n) for n in LON_COLUMNS}
_NAME_KEYS = [_key(n) for n in NAME_COLUMNS]
_COORD_KEYS = {_key(n) for n in _COORD_COLUMNS}


def _accepted() -> str:
    return (
        f"latitude as one of {', '.join(LAT_COLUMNS)} and longitude as one of "
        f"{', '.join(LON_COLUMNS)} (any case), or one 'coordinates' column of 'LAT, LON'"
    )


def _check_path(path: str | os.PathLike[str]) -> tuple[Path, str]:
    """Return a local regular file's path and its quoted name, or refuse it."""
    raw: object = os.fspath(path) if isinstance(path, str | os.PathLike) else path
    if not isinstance(raw, str):
        msg = f"points: {quote(raw)} is not a file path; give a CSV, GeoJSON or GeoPackage file"
        raise InputError(msg)
    shown = quote(raw)
    if "://" in raw or "/vsi" in raw.lower() or "\\vsi" in raw.lower() or "\x00" in raw:
        msg = f"{shown}: rangemap reads only local files of points, not addresses or GDAL paths"
        raise InputError(msg)
    p = Path(raw)
    try:
        info = p.stat()
    except FileNotFoundError:
        msg = f"{shown}: file not found; check the path"
        raise InputError(msg) from None
    except OSError as err:
        msg = f"{shown}: cannot open it ({terminal(err)}); check the path and its permissions"
        raise InputError(msg) from None
    if not stat.S_ISREG(info.st_mode):
        msg = f"{shown}: it is not a regular file; give a CSV, GeoJSON or GeoPackage file"
        raise InputError(msg)
    if info.st_size > MAX_POINTS_BYTES:
        msg = (
            f"{shown}: the file is {info.st_size:,} bytes, more than the {MAX_POINTS_BYTES:,} "
            f"a points file may hold; keep at most {MAX_POINTS:,} points"
        )
        raise InputError(msg)
    return p, shown


def read_points(
    path: str | os.PathLike[str], *, label: str | None = None
) -> geopandas.GeoDataFrame:
    r"""Read a file of your own points: CSV, GeoJSON, GeoPackage or KML.

    Parameters
    ----------
    path : str or path-like
        A local file. CSV (``.csv``, ``.tsv``, ``.txt``): UTF-8, with or without a
        byte-order mark, separated by commas, semicolons or tabs, a header row, and
        latitude and longitude columns (:data:`LAT_COLUMNS`, :data:`LON_COLUMNS`: such
        as ``lat``/``lon``, ``Latitude``/``Longitude``, ``Breite``/``Länge``, ``y``/``x``)
        in decimal degrees (``50.91``; a decimal comma, ``50,91``, is read too), or a
        single ``coordinates`` column of ``"LAT, LON"`` text. GeoJSON (``.geojson``,
        ``.json``), GeoPackage (``.gpkg``), KML (``.kml``) or Shapefile: point features,
        read as :func:`rangemap.regions.read` reads territory files.
    label : str, optional
        The column holding each point's name; else the first of :data:`NAME_COLUMNS`
        found (``name``, ``title``, ``label``, ``place`` ...), else ``"Point 1"``, ...

    Returns
    -------
    geopandas.GeoDataFrame
        One row per point in file order, EPSG:4326, with ``name`` (text) first, then
        every other column of the file (numbers where a column holds only numbers,
        else text; a column named like a table column, such as ``lat``, gets
        ``" (file)"`` added), and ``geometry``. ``attrs["source"]`` is the file name.

    Raises
    ------
    InputError
        One message naming the file, the row (the header is row 1, the first point
        row 2; features of a vector file are counted from 1) and the column: an empty
        file, no latitude/longitude columns (the message lists the columns seen and
        the names accepted), a missing or non-numeric coordinate, a latitude outside
        -90..90 or longitude outside -180..180, a feature that is not a point, more than
        :data:`MAX_POINTS` points, a file larger than :data:`MAX_POINTS_BYTES`, a
        file that is not UTF-8, or a path that is not a local file.

    Examples
    --------
    >>> import pathlib, tempfile
    >>> folder = pathlib.Path(tempfile.mkdtemp())
    >>> _ = (folder / "sites.csv").write_text(
    ...     "Name;Breite;Länge\nKursk airfield;51,75;36,30\nBelgorod;50.60;36.59\n",
    ...     encoding="utf-8",
    ... )
    >>> points = read_points(folder / "sites.csv")
    >>> list(points["name"]), points.geometry.x.round(2).tolist()
    (['Kursk airfield', 'Belgorod'], [36.3, 36.59])
    """
    p, shown = _check_path(path)
    if label is not None and (not isinstance(label, str) or not label.strip()):
        msg = f"points: label={quote(label)} is not a column name; give one such as 'name'"
        raise InputError(msg)
    if p.suffix.lower() in _CSV_SUFFIXES:
        frame = _read_csv(p, shown, label)
    else:
        frame = _read_vector(p, shown, label)
    frame.attrs["source"] = p.name
    return frame


# --- CSV --------------------------------------------------------------------------------


def _delimiter(header: str) -> str:
    """Pick the separator the header line uses most: tab, then ``;``, then ``,``."""
    counts = {d: header.count(d) for d in ("\t", ";", ",")}
    best = max(counts.values())
    return next(d for d, n in counts.items() if n == best) if best else ","


def _number(cell: str, shown: str, row: int, column: str, what: str) -> float:
    """Read one coordinate cell as decimal degrees."""
    text = cell.strip().replace("\u2212", "-").replace("\u00a0", "").replace(" ", "")
    where = f"{shown}: row {row}, column {quote(column)}"
    if not text:
        msg = f"{where}: the {what} is missing; fill it in or delete the row (row 1 is the header)"
        raise InputError(msg)
    if _DECIMAL_COMMA.fullmatch(text):
        text = text.replace(",", ".")
    if not _NUMBER.fullmatch(text):
        msg = (
            f"{where}: {quote(cell)} is not a number; write the {what} in decimal degrees, "
            "such as 50.91 (row 1 is the header)"
        )
        raise InputError(msg)
    return float(text)


def _check_range(lat: float, lon: float, where: str) -> None:
    if not -90.0 <= lat <= 90.0:
        msg = f"{where}: latitude {lat:g} is outside -90..90; are latitude and longitude swapped?"
        raise InputError(msg)
    if not -180.0 <= lon <= 180.0:
        msg = f"{where}: longitude {lon:g} is outside -180..180; check the column"
        raise InputError(msg)


def _find(keys: Sequence[str], wanted: Iterable[str]) -> int | None:
    wanted_list = list(wanted)
    for key in wanted_list:
        if key in keys:
            return keys.index(key)
    return None


def _label_column(headers: Sequence[str], label: str | None, shown: str) -> int | None:
    keys = [_key(h) for h in headers]
    if label is None:
        return _find(keys, _NAME_KEYS)
    if label in headers:
        return list(headers).index(label)
    found = _find(keys, [_key(label)])
    if found is None:
        seen = ", ".join(quote(h, limit=40) for h in headers[:30])
        msg = f"{shown}: there is no column {quote(label)} for the labels; the columns are {seen}"
        raise InputError(msg)
    return found


def _read_csv(p: Path, shown: str, label: str | None) -> geopandas.GeoDataFrame:
    try:
        text = p.read_bytes().decode("utf-8-sig")
    except UnicodeDecodeError as err:
        msg = (
            f"{shown}: it is not UTF-8 text (byte {err.start + 1}); save it as 'CSV UTF-8' "
            "from your spreadsheet"
        )
        raise InputError(msg) from None
    except OSError as err:
        msg = f"{shown}: cannot read it ({terminal(err)}); check its permissions"
        raise InputError(msg) from None
    if "\x00" in text:
        msg = f"{shown}: it holds NUL characters, so it is not a CSV text file"
        raise InputError(msg)
    if not text.strip():
        msg = f"{shown}: the file is empty; give a header row (such as name,lat,lon) and points"
        raise InputError(msg)
    first = text.lstrip("\r\n").splitlines()[0]
    delimiter = _delimiter(first)
    try:
        records = list(csv.reader(io.StringIO(text), delimiter=delimiter))
    except csv.Error as err:
        msg = f"{shown}: cannot read it as CSV ({terminal(err)}); save it again as CSV UTF-8"
        raise InputError(msg) from None
    # Rows as a spreadsheet numbers them: blank lines count, the header is row 1.
    start = next((i for i, r in enumerate(records) if any(c.strip() for c in r)), None)
    if start is None:
        msg = f"{shown}: the file is empty; give a header row (such as name,lat,lon) and points"
        raise InputError(msg)
    headers = [h.strip() for h in records[start]]
    header_row = start + 1
    data = [(i + 1, r) for i, r in enumerate(records) if i > start and any(c.strip() for c in r)]
    keys = [_key(h) for h in headers]
    lat_col = _find(keys, [k for k in keys if k in _LAT_KEYS])
    lon_col = _find(keys, [k for k in keys if k in _LON_KEYS])
    coord_col = _find(keys, [k for k in keys if k in _COORD_KEYS])
    if (lat_col is None or lon_col is None) and coord_col is None:
        seen = ", ".join(quote(h, limit=40) for h in headers[:30]) or "none"
        msg = (
            f"{shown}: no latitude/longitude columns in the header (row {header_row}); "
            f"the columns are {seen}; name them {_accepted()}"
        )
        raise InputError(msg)
    if not data:
        msg = f"{shown}: the file has a header but no points; add one row per point"
        raise InputError(msg)
    if len(data) > MAX_POINTS:
        msg = f"{shown}: {len(data):,} points; a map takes at most {MAX_POINTS:,}"
        raise InputError(msg)
    name_col = _label_column(headers, label, shown)
    used = {c for c in (lat_col, lon_col, name_col) if c is not None}
    if lat_col is None or lon_col is None:
        used.add(coord_col)  # type: ignore[arg-type]
    extra = [c for c in range(len(headers)) if c not in used and headers[c]]
    lons: list[float] = []
    lats: list[float] = []
    names: list[str] = []
    columns: dict[int, list[str]] = {c: [] for c in extra}
    for n, (row, cells) in enumerate(data, 1):

        def cell(c: int, cells: list[str] = cells) -> str:
            return cells[c] if c < len(cells) else ""

        where = f"{shown}: row {row}"
        if lat_col is not None and lon_col is not None:
            lat = _number(cell(lat_col), shown, row, headers[lat_col], "latitude")
            lon = _number(cell(lon_col), shown, row, headers[lon_col], "longitude")
            _check_range(
                lat, lon, f"{where}, columns {quote(headers[lat_col])}/{quote(headers[lon_col])}"
            )
        else:
            assert coord_col is not None
            lon, lat = _latlon_cell(cell(coord_col), shown, row, headers[coord_col])
        lons.append(lon)
        lats.append(lat)
        name = cell(name_col).strip() if name_col is not None else ""
        names.append(name or f"Point {n}")
        for c in extra:
            columns[c].append(cell(c).strip())
    import geopandas

    table: dict[str, Any] = {"name": names}
    for c in extra:
        table[_free_name(headers[c], table)] = _typed(columns[c])
    return geopandas.GeoDataFrame(
        table, geometry=geopandas.points_from_xy(lons, lats), crs="EPSG:4326"
    )


def _latlon_cell(text: str, shown: str, row: int, column: str) -> tuple[float, float]:
    from rangemap.places.coords import parse_latlon

    where = f"{shown}: row {row}, column {quote(column)}"
    if not text.strip():
        msg = (
            f"{where}: the coordinates are missing; write them as 'LAT, LON' (row 1 is the header)"
        )
        raise InputError(msg)
    try:
        return parse_latlon(text, argument=where)
    except InputError as err:
        msg = f"{err} (row 1 is the header)"
        raise InputError(msg) from None


def _free_name(header: str, table: dict[str, Any]) -> str:
    name = header
    if name.casefold() in _RESERVED or name in table:
        name = f"{header} (file)"
    while name in table:
        name += "'"
    return name


def _typed(values: list[str]) -> list[Any]:
    """Return a column's cells as numbers when every filled cell is one, else as text."""
    filled = [v for v in values if v]
    if filled and all(_NUMBER.fullmatch(v) for v in filled):
        return [float(v) if v else math.nan for v in values]
    return values


# --- vector files -----------------------------------------------------------------------


def _read_vector(p: Path, shown: str, label: str | None) -> geopandas.GeoDataFrame:
    """Read a GeoJSON, GeoPackage, KML or Shapefile of points as regions reads territories."""
    from rangemap.regions import read_frame

    frame = read_frame(p, how="save the points as a file of one layer")
    return as_points(frame, label=label, source=shown)


def as_points(
    frame: geopandas.GeoDataFrame, *, label: str | None = None, source: str = "points"
) -> geopandas.GeoDataFrame:
    """Check a GeoDataFrame of points and return it as :func:`read_points` does.

    Parameters
    ----------
    frame : geopandas.GeoDataFrame
        Point features in any CRS (reprojected to EPSG:4326; without a CRS the
        coordinates must be longitude/latitude).
    label : str, optional
        The column of names; else ``name``, ``title``, ``label`` ... as in
        :func:`read_points`.
    source : str, optional
        How messages name the data (a quoted file name).

    Returns
    -------
    geopandas.GeoDataFrame
        ``name`` first, the other columns, ``geometry``; EPSG:4326.

    Examples
    --------
    >>> import geopandas
    >>> frame = geopandas.GeoDataFrame(
    ...     {"title": ["Kursk"]}, geometry=geopandas.points_from_xy([36.19], [51.73]), crs=4326
    ... )
    >>> as_points(frame)["name"].tolist()
    ['Kursk']
    """
    import geopandas
    import shapely

    if not isinstance(frame, geopandas.GeoDataFrame):
        msg = f"points: {quote(type(frame).__name__)} is not a GeoDataFrame or a file path"
        raise InputError(msg)
    if len(frame) == 0:
        msg = f"{source}: there are no points; give at least one"
        raise InputError(msg)
    if len(frame) > MAX_POINTS:
        msg = f"{source}: {len(frame):,} points; a map takes at most {MAX_POINTS:,}"
        raise InputError(msg)
    geoms = np.asarray(frame.geometry.values)
    for i, geom in enumerate(geoms, 1):
        if geom is None or geom.is_empty:
            msg = f"{source}: feature {i} has no geometry; every feature must be a point"
            raise InputError(msg)
        if geom.geom_type == "MultiPoint" and len(geom.geoms) == 1:
            continue
        if geom.geom_type != "Point":
            msg = (
                f"{source}: feature {i} is a {geom.geom_type}, not a point; a points file "
                "holds only points (draw areas and lines as origins instead)"
            )
            raise InputError(msg)
    points = [g.geoms[0] if g.geom_type == "MultiPoint" else g for g in geoms]
    series = geopandas.GeoSeries(points, crs=frame.crs)
    if series.crs is None:
        series = series.set_crs(4326)
    series = series.to_crs(4326)
    xy = shapely.get_coordinates(np.asarray(series.values))
    for i, (lon, lat) in enumerate(xy, 1):
        if not (math.isfinite(lon) and math.isfinite(lat)):
            msg = f"{source}: feature {i} has no finite coordinates"
            raise InputError(msg)
        _check_range(float(lat), float(lon), f"{source}: feature {i}")
    headers = [str(c) for c in frame.columns if c != frame.geometry.name]
    name_col = _label_column(headers, label, source)
    names: list[str] = []
    for n in range(len(frame)):
        value = frame[headers[name_col]].iloc[n] if name_col is not None else None
        text = "" if value is None or (isinstance(value, float) and math.isnan(value)) else value
        names.append(str(text).strip() or f"Point {n + 1}")
    table: dict[str, Any] = {"name": names}
    for c, header in enumerate(headers):
        if c == name_col:
            continue
        table[_free_name(header, table)] = [_plain(v) for v in frame[header].tolist()]
    return geopandas.GeoDataFrame(table, geometry=list(series.values), crs="EPSG:4326")


def _plain(value: Any) -> Any:
    """Return a cell as text or a number (dates and other objects as text)."""
    if value is None or isinstance(value, bool | int | float | str):
        return value
    if isinstance(value, np.integer | np.floating):
        return value.item()
    return str(value)


# --- in range or not --------------------------------------------------------------------


def _layers(reach_or_layers: Any) -> list[tuple[str, Any]]:
    """Return ``(name, reach)`` pairs from a reach, a layer, or a sequence of them."""
    items = (
        list(reach_or_layers) if isinstance(reach_or_layers, list | tuple) else [reach_or_layers]
    )
    out: list[tuple[str, Any]] = []
    for item in items:
        reach = getattr(item, "reach", item)
        if not all(hasattr(reach, a) for a in ("origins", "distance_m", "min_distance_m")):
            msg = (
                f"points_in_reach: {quote(type(item).__name__)} is not a Reach or a map Layer; "
                "give Reach.from_system(...) or RangeMap.layers"
            )
            raise InputError(msg)
        name = getattr(item, "name", None) or reach.label
        out.append((str(name), reach))
    if not out:
        msg = "points_in_reach: no reach given; give a Reach or a map's layers"
        raise InputError(msg)
    return out


def _distances(
    sites: Sequence[Any], lon: npt.NDArray[np.float64], lat: npt.NDArray[np.float64]
) -> npt.NDArray[np.float64]:
    """Metres from every site (rows) to every point (columns)."""
    from rangemap.places.within import distance_to_origins

    out = np.empty((len(sites), len(lon)))
    for j, site in enumerate(sites):
        out[j] = np.asarray(distance_to_origins([site], lon, lat)[0], dtype=float)
    return out


def points_in_reach(points: geopandas.GeoDataFrame, reach_or_layers: Any) -> geopandas.GeoDataFrame:
    """Say for each point and each reach whether it is in range, how far, by how much.

    A reach of maximum range R (and minimum range Rmin, for point origins) is every
    place within R of an origin (and not closer than Rmin to that origin): the exact
    geodesic buffer of its origins. So, with ``d`` the geodesic distance to an
    origin (0 inside a territory), the point's margin from that origin is
    ``R - d``, or ``min(R - d, d - Rmin)`` with a minimum range; the reach's margin
    is the largest over its origins. A point is in range when its margin is 0 or
    more. Outside the reach the margin is minus the distance to it; inside, it is how
    far the point is from the edge of the reach of the origin it is deepest in (where
    the areas of several origins overlap the point may be deeper still in the union).

    Parameters
    ----------
    points : geopandas.GeoDataFrame
        As :func:`read_points` or :func:`as_points` return (a ``name`` column and
        point geometries in EPSG:4326).
    reach_or_layers : Reach, Layer, or sequence of them
        A :class:`~rangemap.reach.Reach`, or a map's
        ``RangeMap.layers`` (a layer's legend name names it).

    Returns
    -------
    geopandas.GeoDataFrame
        One row per point per reach, points in file order and reaches in the given
        order within each point: ``name``, ``layer`` (the reach's legend name),
        ``in_range`` (bool), ``distance_km`` (geodesic, WGS84, to the nearest origin),
        ``margin_km`` (+ inside, - outside), ``nearest_origin`` (its label), ``lat``,
        ``lon``, the file's other columns, ``geometry`` (EPSG:4326).

    Examples
    --------
    >>> import geopandas
    >>> from rangemap.reach import Reach
    >>> pts = as_points(geopandas.GeoDataFrame(
    ...     {"name": ["Kursk", "Moscow"]},
    ...     geometry=geopandas.points_from_xy([36.19, 37.62], [51.73, 55.76]), crs=4326))
    >>> table = points_in_reach(pts, Reach.from_distance(300_000, "50.91, 34.80=Sumy"))
    >>> table[["name", "in_range"]].values.tolist()
    [['Kursk', True], ['Moscow', False]]
    >>> table["distance_km"].round(0).tolist(), table["margin_km"].round(0).tolist()
    ([133.0, 571.0], [167.0, -271.0])
    """
    import geopandas
    import pandas as pd

    attrs = dict(getattr(points, "attrs", {}))
    points = as_points(points)
    layers = _layers(reach_or_layers)
    lon = np.asarray(points.geometry.x, dtype=float)
    lat = np.asarray(points.geometry.y, dtype=float)
    extras = [c for c in points.columns if c not in ("name", points.geometry.name)]
    per_layer: list[dict[str, Any]] = []
    for name, reach in layers:
        sites = list(reach.origins)
        d = _distances(sites, lon, lat)
        top = float(reach.distance_m)
        low = float(reach.min_distance_m or 0.0)
        margin = top - d
        for j, site in enumerate(sites):
            if low and site.is_point:
                margin[j] = np.minimum(margin[j], d[j] - low)
        nearest = d.argmin(axis=0)
        best = margin.max(axis=0)
        labels = [
            s.label or (f"{s.lat:.5f}, {s.lon:.5f}" if s.is_point else "origin") for s in sites
        ]
        per_layer.append(
            {
                "layer": name,
                "in_range": best >= 0,
                "distance_km": d.min(axis=0) / 1000.0,
                "margin_km": best / 1000.0,
                "nearest_origin": [labels[k] for k in nearest],
            }
        )
    rows: dict[str, list[Any]] = {
        key: []
        for key in ("name", "layer", "in_range", "distance_km", "margin_km", "nearest_origin")
    }
    rows |= {"lat": [], "lon": []}
    rows |= {c: [] for c in extras}
    geoms: list[Any] = []
    values = {c: points[c].tolist() for c in extras}
    names = points["name"].tolist()
    shapes = list(points.geometry.values)
    for i in range(len(points)):
        for result in per_layer:
            rows["name"].append(names[i])
            rows["layer"].append(result["layer"])
            rows["in_range"].append(bool(result["in_range"][i]))
            rows["distance_km"].append(float(result["distance_km"][i]))
            rows["margin_km"].append(float(result["margin_km"][i]))
            rows["nearest_origin"].append(result["nearest_origin"][i])
            rows["lat"].append(float(lat[i]))
            rows["lon"].append(float(lon[i]))
            for c in extras:
                rows[c].append(values[c][i])
            geoms.append(shapes[i])
    frame = geopandas.GeoDataFrame(
        pd.DataFrame(rows).astype({"in_range": bool}), geometry=geoms, crs="EPSG:4326"
    )
    frame.attrs = {k: v for k, v in attrs.items() if isinstance(v, str)}
    return frame
