"""Static images of a RangeMap: PNG, SVG and PDF with matplotlib, for print and social.

What this module owns:

- **A projection where reach is true.** The map is drawn in the azimuthal equidistant
  projection (AEQD) on the WGS84 ellipsoid, centred on the map: every distance from the
  centre is exact, and a reach ring around it is a true circle. Rings around point
  origins are built from raw geodesic vertices (``pyproj.Geod.fwd``) projected straight
  into AEQD, so the cuts a GeoJSON shape needs at ±180 or around a pole never show as
  seams; other shapes are projected part by part and their cut edges merged.
- **The same words as the HTML map**: title, subtitle, legend with source numbers,
  "measured from" origins, the numbered sources, the method note, the "as of" date, the
  credit and the basemap attribution.
- **Presets** (:data:`PRESETS`): ``social`` (1200x675 px), ``square`` (1080x1080 px)
  and ``print`` (300 dpi).
- **Byte-stable output.** No dates or software versions in the files, a fixed SVG hash
  salt, fonts shipped with matplotlib: the same map gives the same bytes.
- **No browser, no tiles, no network.** matplotlib is the optional extra ``static``;
  it is imported only when an image is drawn.
"""

from __future__ import annotations

import datetime as dt
import io
import math
import os
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal
from urllib.parse import urlsplit

import numpy as np
import shapely
from pyproj import CRS, Geod, Transformer
from shapely.geometry import MultiPolygon, Point, Polygon
from shapely.geometry.base import BaseGeometry

from rangemap._io import write_atomic
from rangemap.errors import InputError, RangemapError
from rangemap.places.gazetteer import GEONAMES_CREDIT
from rangemap.render.placemarks import place_rows, summary_text

if TYPE_CHECKING:
    from rangemap.reach import Reach
    from rangemap.scene import Layer, RangeMap

__all__ = [
    "PRESETS",
    "Preset",
    "StaticFormat",
    "aeqd_crs",
    "aeqd_transformer",
    "map_center",
    "project_reach",
    "render_static",
    "save_static",
    "to_pdf",
    "to_png",
    "to_svg",
]

#: Formats :func:`render_static` writes.
StaticFormat = Literal["png", "svg", "pdf"]

_GEOD = Geod(ellps="WGS84")
_INSTALL_HINT = 'pip install "rangemap[static]"'

# Colours of the basemap and the text, chosen to stay behind the reach fills.
_OCEAN = "#E8EEF3"
_LAND = "#F7F6F2"
_BORDER = "#B9B9B4"
_INK = "#1F1F1F"
_MUTED = "#5A5A5A"
_COUNTRY_LABEL = "#8C8C86"


@dataclass(frozen=True, slots=True)
class Preset:
    """A size for static images.

    Parameters
    ----------
    name : str
        The preset's name, e.g. ``"social"``.
    width_in, height_in : float
        The image size in inches.
    dpi : int
        Pixels per inch of PNG output (SVG and PDF are vector; the size stays).
    """

    name: str
    width_in: float
    height_in: float
    dpi: int

    @property
    def pixels(self) -> tuple[int, int]:
        """The PNG size in pixels, (width, height)."""
        return round(self.width_in * self.dpi), round(self.height_in * self.dpi)


#: Named sizes: ``social`` (1200x675 px, 16:9), ``square`` (1080x1080 px) and
#: ``print`` (7x6 in at 300 dpi, 2100x1800 px).
PRESETS: dict[str, Preset] = {
    "social": Preset("social", 8.0, 4.5, 150),
    "square": Preset("square", 7.2, 7.2, 150),
    "print": Preset("print", 7.0, 6.0, 300),
}


def _matplotlib() -> Any:
    """Import matplotlib (non-interactive) or say how to install it."""
    try:
        import matplotlib
    except ImportError as err:
        msg = (
            "PNG, SVG and PDF export needs matplotlib, which is not installed; "
            f"install it with: {_INSTALL_HINT}"
        )
        raise RangemapError(msg) from err
    return matplotlib


def _preset(preset: str | Preset) -> Preset:
    if isinstance(preset, Preset):
        return preset
    if preset not in PRESETS:
        msg = f"preset: {preset!r} is not one of {', '.join(repr(p) for p in PRESETS)}"
        raise InputError(msg)
    return PRESETS[preset]


# --- projection ---------------------------------------------------------------------------


def aeqd_crs(lon: float, lat: float) -> CRS:
    """Return the azimuthal equidistant CRS on WGS84 centred on (lon, lat).

    Parameters
    ----------
    lon, lat : float
        The centre, in degrees.

    Returns
    -------
    pyproj.CRS
        Metres from the centre; every distance from it is the geodesic distance.

    Examples
    --------
    >>> kyiv = aeqd_crs(30.52, 50.45)
    >>> kyiv.coordinate_operation.method_name, kyiv.ellipsoid.name
    ('Azimuthal Equidistant', 'WGS 84')
    """
    return CRS.from_dict(
        {"proj": "aeqd", "lat_0": lat, "lon_0": lon, "datum": "WGS84", "units": "m"}
    )


def aeqd_transformer(lon: float, lat: float) -> Transformer:
    """Return a transformer from EPSG:4326 (lon, lat order) to :func:`aeqd_crs`.

    Parameters
    ----------
    lon, lat : float
        The centre of the projection, in degrees.

    Returns
    -------
    pyproj.Transformer
        ``always_xy=True``: input is (lon, lat), output (x, y) in metres.

    Examples
    --------
    >>> x, y = aeqd_transformer(30.52, 50.45).transform(37.62, 55.76)  # Kyiv to Moscow
    >>> round((x**2 + y**2) ** 0.5 / 1000)
    758
    """
    return Transformer.from_crs("EPSG:4326", aeqd_crs(lon, lat), always_xy=True)


def _project(geometry: BaseGeometry, transformer: Transformer) -> BaseGeometry:
    def fn(coords: np.ndarray) -> np.ndarray:
        x, y = transformer.transform(coords[:, 0], coords[:, 1])
        return np.column_stack([x, y])

    return shapely.transform(geometry, fn)


def _merge_parts(geometry: BaseGeometry) -> BaseGeometry:
    """Merge parts that touch along a cut (±180, pole caps) after projection.

    Vertices are snapped to a 1 m grid so the two sides of a cut coincide, then the
    parts are unioned; degenerate edges (a pole cap's edge along 90° projects to one
    point) disappear.
    """
    if not geometry.is_valid:  # far from the centre a country can fold over itself
        geometry = _areal(shapely.make_valid(geometry))
    try:
        snapped = shapely.set_precision(geometry, 1.0)
    except shapely.errors.GEOSException:
        snapped = shapely.set_precision(_areal(shapely.make_valid(geometry)), 1.0, mode="pointwise")
        snapped = _areal(shapely.make_valid(snapped))
    merged = shapely.union_all(shapely.get_parts(snapped))
    return _areal(merged)


def _areal(geometry: BaseGeometry) -> BaseGeometry:
    """Keep only the polygons of a geometry (an empty Polygon if there are none)."""
    if isinstance(geometry, Polygon | MultiPolygon):
        return geometry
    polys = [g for g in shapely.get_parts(geometry) if isinstance(g, Polygon | MultiPolygon)]
    if not polys:
        return Polygon()
    return shapely.union_all(polys)


def _vertex_count(radius_m: float) -> int:
    """Vertices for a ring whose chords sag less than 0.01 % of the radius (and ≥ 720)."""
    return 720 if radius_m <= 3_000_000 else 1440


def _raw_disc(lon: float, lat: float, radius_m: float, transformer: Transformer) -> Polygon:
    """Return a geodesic disc from raw ``Geod.fwd`` vertices, projected straight into AEQD."""
    n = _vertex_count(radius_m)
    azimuths = np.linspace(0.0, 360.0, n, endpoint=False)
    lons, lats, _ = _GEOD.fwd(
        np.full(n, lon), np.full(n, lat), azimuths, np.full(n, float(radius_m))
    )
    x, y = transformer.transform(lons, lats)
    ring = Polygon(np.column_stack([x, y]))
    return ring if ring.is_valid else shapely.make_valid(ring)


def _point_reach(
    point: Point, outer_m: float, inner_m: float | None, transformer: Transformer
) -> BaseGeometry:
    """Return the reach of a point origin in AEQD: an exact geodesic disc or annulus."""
    disc = _raw_disc(point.x, point.y, outer_m, transformer)
    if inner_m:
        return disc.difference(_raw_disc(point.x, point.y, inner_m, transformer))
    return disc


def project_reach(reach: Reach, transformer: Transformer, *, inner: bool = False) -> BaseGeometry:
    """Return a reach's area in the AEQD projection of ``transformer``.

    Point origins get rings from raw geodesic vertices, so nothing is cut at ±180 or
    around a pole; a line or polygon origin's buffer is projected part by part and the
    parts merged.

    Parameters
    ----------
    reach : Reach
        What to project.
    transformer : pyproj.Transformer
        From EPSG:4326 to an AEQD CRS (:func:`aeqd_crs`), ``always_xy=True``.
    inner : bool, optional
        With a ``show="spread"`` reach, project the area within the *lowest* reported
        figure instead of the highest.

    Returns
    -------
    shapely geometry
        Polygons in metres from the projection's centre.

    Examples
    --------
    >>> from rangemap.reach import Reach
    >>> sumy = Reach.from_distance(300_000, "50.91, 34.80=Sumy")
    >>> disc = project_reach(sumy, aeqd_transformer(34.80, 50.91))
    >>> round(disc.area / (math.pi * 300_000**2), 4)  # a true circle of 300 km
    1.0
    """
    if inner:
        if reach.inner_geometry is None or reach.low_distance_m is None:
            return Polygon()
        outer_m, fallback = reach.low_distance_m, reach.inner_geometry
    else:
        outer_m, fallback = reach.distance_m, reach.geometry
    if not all(site.is_point for site in reach.origins):
        # A line or polygon origin: the reach's geometry is already the union over
        # every origin, exact on the ellipsoid; project it and merge its cut edges.
        return _merge_parts(_project(fallback, transformer))
    parts = [
        _point_reach(site.geometry, outer_m, reach.min_distance_m, transformer)
        for site in reach.origins
    ]
    return _areal(shapely.union_all(parts))


def map_center(range_map: RangeMap) -> tuple[float, float]:
    """Return the (lon, lat) the static map is centred on.

    The view's centre when the map has one; otherwise the middle of the origins'
    bounding box (longitudes taken near each other, so origins on both sides of ±180
    are handled).

    Parameters
    ----------
    range_map : RangeMap
        The map.

    Returns
    -------
    tuple of float
        Longitude and latitude in degrees.
    """
    if range_map.view is not None:
        return range_map.view.lon, range_map.view.lat
    lons: list[float] = []
    lats: list[float] = []
    for layer in range_map.layers:
        for site in layer.reach.origins:
            minx, miny, maxx, maxy = site.geometry.bounds
            for lon in (minx, maxx):
                if lons:
                    lon = lons[0] + ((lon - lons[0] + 180.0) % 360.0) - 180.0
                lons.append(lon)
            lats += [miny, maxy]
    if not lons:
        for note in range_map.annotations:
            lons.append(note.lon)
            lats.append(note.lat)
    if not lons:
        return 0.0, 0.0
    lon = (min(lons) + max(lons)) / 2
    lon = ((lon + 180.0) % 360.0) - 180.0
    return lon, (min(lats) + max(lats)) / 2


# --- basemap ------------------------------------------------------------------------------


def _attribution() -> str:
    """Return the basemap's attribution line, as the HTML map prints it."""
    from rangemap import regions

    return str(getattr(regions, "ATTRIBUTION", "Boundaries: Natural Earth (public domain)."))


@lru_cache(maxsize=8)
def _basemap(lon: float, lat: float, radius_m: float) -> tuple[tuple[str, BaseGeometry], ...]:
    """Return the countries within ``radius_m`` of the centre in AEQD, with their names."""
    from rangemap import geodesy, regions

    world = regions.countries()
    disc = geodesy.ring((lon, lat), radius_m)
    transformer = aeqd_transformer(lon, lat)
    names = [str(n) for n in world["name"]] if "name" in world.columns else [""] * len(world)
    shapes: list[tuple[str, BaseGeometry]] = []
    geoms = np.asarray(world.geometry.to_numpy(), dtype=object)
    clipped = shapely.intersection(geoms, disc)
    for name, part in zip(names, clipped, strict=True):
        if part is None or part.is_empty:
            continue
        projected = _merge_parts(_project(_areal(part), transformer))
        if projected.is_empty:
            continue
        shapes.append((name, projected))
    return tuple(shapes)


# --- text ---------------------------------------------------------------------------------


def _format_date(day: dt.date) -> str:
    return f"{day.day} {day:%B %Y}"


def _source_text(source: Any) -> str:
    """Return one plain-text source line, as the HTML map words it.

    The link becomes its host name, and the date accessed is left out to save room;
    both are in the HTML map and the vector files.
    """
    who = str(source.publisher)
    via = getattr(source, "via", None)
    if via:
        who += f" (via {via})"
    parts = [f"{who}: \u201c{source.title}\u201d"]
    published = getattr(source, "published", None)
    if isinstance(published, dt.date):
        parts.append(_format_date(published))
    text = ", ".join(parts) + "."
    host = urlsplit(str(source.url)).hostname or str(source.url)
    return f"{text} {host.removeprefix('www.')}"


def _refs(numbers: Sequence[int]) -> str:
    if not numbers:
        return ""
    runs: list[str] = []
    start = prev = numbers[0]
    for n in [*numbers[1:], None]:
        if n is not None and n == prev + 1:
            prev = n
            continue
        runs.append(str(start) if start == prev else f"{start}\u2013{prev}")
        if n is not None:
            start = prev = n
    return f" [{', '.join(runs)}]"


def _origin_labels(range_map: RangeMap) -> list[str]:
    labels: list[str] = []
    unnamed = 0
    for layer in range_map.layers:
        for site in layer.reach.origins:
            if site.label:
                if site.label not in labels:
                    labels.append(site.label)
            else:
                unnamed += 1
    if unnamed and not labels:
        return [f"{unnamed} point{'s' if unnamed > 1 else ''} shown"]
    return labels


_METHOD_NOTE = (
    "Each shaded area is every place within the stated distance of an origin, measured "
    "along the Earth's surface (WGS84 ellipsoid). Ranges are as publicly reported; real "
    "reach depends on launch site, flight path and payload. Azimuthal equidistant "
    "projection: distances from the map's centre are true."
)


@lru_cache(maxsize=8192)
def _width_pt(text: str, weight: str) -> float:
    """Return the width of ``text`` in points at a font size of 10 points."""
    from matplotlib.font_manager import FontProperties
    from matplotlib.textpath import text_to_path

    prop = FontProperties(family="DejaVu Sans", size=10.0, weight=weight)
    return float(text_to_path.get_text_width_height_descent(text, prop, ismath=False)[0])


def _wrap(text: str, width_in: float, size_pt: float, weight: str = "normal") -> str:
    """Wrap text to a column ``width_in`` inches wide, measuring each word in the font."""
    limit = width_in * 72.0 * 10.0 / size_pt  # in points at size 10
    space = _width_pt("a b", weight) - _width_pt("ab", weight)
    lines: list[str] = []
    current: list[str] = []
    used = 0.0
    for word in text.split():
        width = _width_pt(word, weight)
        while width > limit and len(word) > 1:  # a word longer than the line: cut it
            cut = len(word) - 1
            while cut > 1 and _width_pt(word[:cut], weight) > limit:
                cut -= 1
            if current:
                lines.append(" ".join(current))
                current, used = [], 0.0
            lines.append(word[:cut])
            word = word[cut:]
            width = _width_pt(word, weight)
        if current and used + space + width > limit:
            lines.append(" ".join(current))
            current, used = [], 0.0
        used += (space if current else 0.0) + width
        current.append(word)
    if current:
        lines.append(" ".join(current))
    return "\n".join(lines) or text


# --- drawing ------------------------------------------------------------------------------


def _polygon_paths(geometry: BaseGeometry, path_cls: Any) -> Any:
    """Return a matplotlib Path of every polygon (holes included) in ``geometry``."""
    verts: list[np.ndarray] = []
    codes: list[np.ndarray] = []
    for poly in shapely.get_parts(geometry):
        if not isinstance(poly, Polygon) or poly.is_empty:
            continue
        for ring in (poly.exterior, *poly.interiors):
            xy = np.asarray(ring.coords)
            if len(xy) < 4:
                continue
            c = np.full(len(xy), path_cls.LINETO, dtype=np.uint8)
            c[0] = path_cls.MOVETO
            c[-1] = path_cls.CLOSEPOLY
            verts.append(xy)
            codes.append(c)
    if not verts:
        return None
    return path_cls(np.concatenate(verts), np.concatenate(codes))


def _add_polygons(ax: Any, geometry: BaseGeometry, mpl: Any, **style: Any) -> None:
    path = _polygon_paths(geometry, mpl.path.Path)
    if path is not None:
        ax.add_patch(mpl.patches.PathPatch(path, **style))


def _extent(
    shapes: Iterable[BaseGeometry], points: Iterable[tuple[float, float]], aspect: float
) -> tuple[float, float, float, float]:
    """Return a view box around the shapes and points, padded, with the axes' aspect ratio."""
    xs: list[float] = []
    ys: list[float] = []
    for shape in shapes:
        if not shape.is_empty:
            minx, miny, maxx, maxy = shape.bounds
            xs += [minx, maxx]
            ys += [miny, maxy]
    for x, y in points:
        xs.append(x)
        ys.append(y)
    if not xs:
        xs, ys = [-500_000.0, 500_000.0], [-500_000.0, 500_000.0]
    cx, cy = (min(xs) + max(xs)) / 2, (min(ys) + max(ys)) / 2
    half_w = max((max(xs) - min(xs)) / 2 * 1.12, 150_000.0)
    half_h = max((max(ys) - min(ys)) / 2 * 1.12, 150_000.0)
    if half_w / half_h < aspect:
        half_w = half_h * aspect
    else:
        half_h = half_w / aspect
    return cx - half_w, cx + half_w, cy - half_h, cy + half_h


def _free_spot(
    area: BaseGeometry, taken: list[tuple[float, float]], room: tuple[float, float]
) -> tuple[float, float] | None:
    """Return a point inside ``area`` at least ``room`` (dx, dy) away from every taken one.

    Candidates are the area's representative point, then a grid over its bounds, nearest
    to the representative point first.
    """
    anchor = area.point_on_surface()
    minx, miny, maxx, maxy = area.bounds
    grid = [
        (minx + (maxx - minx) * i / 6, miny + (maxy - miny) * j / 6)
        for i in range(1, 6)
        for j in range(1, 6)
    ]
    grid.sort(key=lambda p: (p[0] - anchor.x) ** 2 + (p[1] - anchor.y) ** 2)
    for x, y in [(float(anchor.x), float(anchor.y)), *grid]:
        if not area.contains(Point(x, y)):
            continue
        if all(abs(x - tx) > room[0] or abs(y - ty) > room[1] for tx, ty in taken):
            return x, y
    return None


def _label_box(scale: float) -> dict[str, Any]:
    """Return a light box behind map labels (kept as text in SVG, unlike a path halo)."""
    pad = f"round,pad={0.18 * scale:.3f}"
    return {"boxstyle": pad, "fc": "white", "ec": "none", "alpha": 0.75}


def _draw_map(ax: Any, range_map: RangeMap, mpl: Any, aspect: float, scale: float) -> None:
    lon0, lat0 = map_center(range_map)
    transformer = aeqd_transformer(lon0, lat0)
    outers: list[tuple[Layer, BaseGeometry, BaseGeometry]] = []
    for layer in range_map.layers:
        outer = project_reach(layer.reach, transformer)
        inner = project_reach(layer.reach, transformer, inner=True)
        outers.append((layer, outer, inner))
    origin_points: list[tuple[float, float, str | None]] = []
    origin_shapes: list[BaseGeometry] = []
    for layer in range_map.layers:
        for site in layer.reach.origins:
            if site.is_point:
                x, y = transformer.transform(site.geometry.x, site.geometry.y)
                origin_points.append((float(x), float(y), site.label))
            else:
                origin_shapes.append(_project(site.geometry, transformer))
    notes = []
    for note in range_map.annotations:
        x, y = transformer.transform(note.lon, note.lat)
        notes.append((float(x), float(y), note.text))
    places = []
    for row in place_rows(range_map):
        x, y = transformer.transform(row.lon, row.lat)
        places.append((float(x), float(y), row.name))
    place_labels = range_map.places is not None and range_map.places.labels

    x0, x1, y0, y1 = _extent(
        [o for _, o, _ in outers] + origin_shapes,
        [(x, y) for x, y, _ in origin_points] + [(x, y) for x, y, _ in notes],
        aspect,
    )
    corner_m = max(math.hypot(x, y) for x in (x0, x1) for y in (y0, y1))
    radius_m = min(max(corner_m * 1.1, 500_000.0), 15_000_000.0)
    # Round the clip radius so nearby maps share the cached basemap.
    radius_m = math.ceil(radius_m / 100_000.0) * 100_000.0
    countries = _basemap(round(lon0, 6), round(lat0, 6), radius_m)

    ax.set_facecolor(_OCEAN)
    # Borders finer than about a third of a pixel at 300 dpi cannot be seen.
    detail_m = (x1 - x0) / 2500.0
    countries = tuple(
        (name, shapely.simplify(shape, detail_m, preserve_topology=True))
        for name, shape in countries
    )
    for _, shape in countries:
        _add_polygons(
            ax, shape, mpl, facecolor=_LAND, edgecolor=_BORDER, linewidth=0.5 * scale, zorder=1
        )
    # Name the countries with the largest visible area, inside the view and away from
    # its frame, at a point of the visible part.
    pad_x, pad_y = 0.08 * (x1 - x0), 0.06 * (y1 - y0)
    inner_view = (x0 + pad_x, y0 + pad_y, x1 - pad_x, y1 - pad_y)
    inner_area = (x1 - x0 - 2 * pad_x) * (y1 - y0 - 2 * pad_y)
    taken = [(x, y) for x, y, _ in origin_points] + [(x, y) for x, y, _ in notes]
    if place_labels:
        taken += [(x, y) for x, y, _ in places]
    room = (0.14 * (x1 - x0), 0.05 * (y1 - y0))
    visible_countries = []
    for name, shape in countries:
        visible = shapely.clip_by_rect(shape, *inner_view)
        if name and not visible.is_empty and visible.area >= 0.02 * inner_area:
            visible_countries.append((float(visible.area), name, visible))
    shown: list[tuple[float, float, float, str]] = []
    for area, name, visible in sorted(visible_countries, key=lambda c: (-c[0], c[1]))[:10]:
        spot = _free_spot(visible, taken, room)
        if spot is not None:
            taken.append(spot)
            shown.append((area, spot[0], spot[1], name))
    for _, x, y, name in shown:
        ax.text(
            x,
            y,
            name.upper(),
            parse_math=False,
            fontsize=6.0 * scale,
            color=_COUNTRY_LABEL,
            ha="center",
            va="center",
            zorder=2,
            clip_on=True,
        )

    for layer, outer, inner in outers:
        if not inner.is_empty:
            band = outer.difference(inner)
            _add_polygons(
                ax,
                band,
                mpl,
                facecolor=layer.color,
                alpha=layer.opacity * 0.5,
                edgecolor="none",
                zorder=3,
            )
            _add_polygons(
                ax,
                inner,
                mpl,
                facecolor=layer.color,
                alpha=layer.opacity,
                edgecolor="none",
                zorder=3,
            )
            _add_polygons(
                ax,
                outer,
                mpl,
                facecolor="none",
                edgecolor=layer.color,
                linewidth=1.2 * scale,
                linestyle=(0, (4, 3)),
                zorder=4,
            )
            _add_polygons(
                ax,
                inner,
                mpl,
                facecolor="none",
                edgecolor=layer.color,
                linewidth=1.6 * scale,
                zorder=4,
            )
        else:
            _add_polygons(
                ax,
                outer,
                mpl,
                facecolor=layer.color,
                alpha=layer.opacity,
                edgecolor="none",
                zorder=3,
            )
            _add_polygons(
                ax,
                outer,
                mpl,
                facecolor="none",
                edgecolor=layer.color,
                linewidth=1.6 * scale,
                zorder=4,
            )

    for shape in origin_shapes:
        for part in shapely.get_parts(shape):
            line = part.exterior if isinstance(part, Polygon) else part
            if isinstance(line, Point):
                continue
            xy = np.asarray(line.coords)
            ax.plot(xy[:, 0], xy[:, 1], color=_INK, linewidth=1.1 * scale, zorder=5)
    seen: set[tuple[float, float]] = set()
    for x, y, label in origin_points:
        if (x, y) in seen:
            continue
        seen.add((x, y))
        ax.plot(
            [x],
            [y],
            marker="o",
            markersize=4.2 * scale,
            color=_INK,
            markeredgecolor="white",
            markeredgewidth=0.9 * scale,
            zorder=6,
        )
        if label:
            ax.annotate(
                label,
                (x, y),
                xytext=(4 * scale, 3 * scale),
                textcoords="offset points",
                parse_math=False,
                fontsize=7.5 * scale,
                color=_INK,
                fontweight="bold",
                zorder=7,
                bbox=_label_box(scale),
            )
    _draw_places(ax, places, origin_points, notes, (x1 - x0, y1 - y0), scale, labels=place_labels)
    for x, y, text in notes:
        ax.text(
            x,
            y,
            text,
            parse_math=False,
            fontsize=7.0 * scale,
            color=_INK,
            style="italic",
            ha="center",
            va="center",
            zorder=7,
            bbox=_label_box(scale),
        )

    ax.set_xlim(x0, x1)
    ax.set_ylim(y0, y1)
    ax.set_aspect("equal")
    ax.set_xticks([])
    ax.set_yticks([])
    for spine in ax.spines.values():
        spine.set_edgecolor("#9A9A94")
        spine.set_linewidth(0.6)


def _draw_places(
    ax: Any,
    places: list[tuple[float, float, str]],
    origin_points: list[tuple[float, float, str | None]],
    notes: list[tuple[float, float, str]],
    size: tuple[float, float],
    scale: float,
    *,
    labels: bool,
) -> None:
    """Draw places in range as small dots; name the most populous where there is room.

    ``places`` come most populous first; a name is left out when it would sit on an
    origin's name, a note or a name already printed (the list under the map has them all).
    """
    taken = [(x, y) for x, y, label in origin_points if label] + [(x, y) for x, y, _ in notes]
    room_x, room_y = 0.16 * size[0], 0.035 * size[1]
    for x, y, name in places:
        ax.plot(
            [x],
            [y],
            marker="o",
            markersize=2.8 * scale,
            color=_INK,
            markeredgecolor="white",
            markeredgewidth=0.6 * scale,
            zorder=5.5,
        )
        if not labels:
            continue
        # The name starts right of the dot: keep clear of names starting nearby.
        if any(abs(x - tx) < room_x and abs(y - ty) < room_y for tx, ty in taken):
            continue
        taken.append((x, y))
        ax.annotate(
            name,
            (x, y),
            xytext=(3.2 * scale, -1.0 * scale),
            textcoords="offset points",
            parse_math=False,
            fontsize=6.3 * scale,
            color=_INK,
            va="center",
            zorder=6.5,
            bbox=_label_box(scale * 0.8),
        )


@dataclass
class _Column:
    """A column of text drawn top-down in figure inches."""

    fig: Any
    mpl: Any
    left_in: float
    width_in: float
    top_in: float
    scale: float
    dry: bool = False  # measure only: advance ``top_in`` without drawing

    def text(
        self,
        text: str,
        size: float,
        *,
        color: str = _INK,
        weight: str = "normal",
        gap: float = 0.06,
        indent_in: float = 0.0,
    ) -> None:
        size *= self.scale
        wrapped = _wrap(text, self.width_in - indent_in, size, weight)
        lines = wrapped.count("\n") + 1
        self.top_in -= lines * size * 1.25 / 72 + gap
        if self.dry:
            return
        self.fig.text(
            (self.left_in + indent_in) / self.fig.get_figwidth(),
            (self.top_in + lines * size * 1.25 / 72 + gap) / self.fig.get_figheight(),
            wrapped,
            fontsize=size,
            color=color,
            fontweight=weight,
            va="top",
            ha="left",
            linespacing=1.25,
            parse_math=False,
            transform=self.fig.transFigure,
        )

    def swatch(self, layer: Layer, text: str, size: float) -> None:
        if self.dry:
            self.text(text, size, indent_in=size * self.scale / 72 * 1.575 + 0.08, gap=0.05)
            return
        size *= self.scale
        box = size / 72 * 1.05
        top = self.top_in
        fig_w, fig_h = self.fig.get_figwidth(), self.fig.get_figheight()
        dashed = layer.reach.show == "spread"
        rect = self.mpl.patches.Rectangle(
            (self.left_in / fig_w, (top - box) / fig_h),
            box * 1.5 / fig_w,
            box / fig_h,
            transform=self.fig.transFigure,
            facecolor=layer.color,
            alpha=max(layer.opacity, 0.15) * 1.6,
            edgecolor="none",
        )
        edge = self.mpl.patches.Rectangle(
            (self.left_in / fig_w, (top - box) / fig_h),
            box * 1.5 / fig_w,
            box / fig_h,
            transform=self.fig.transFigure,
            facecolor="none",
            edgecolor=layer.color,
            linewidth=1.2 * self.scale,
            linestyle=(0, (3, 2)) if dashed else "solid",
        )
        self.fig.add_artist(rect)
        self.fig.add_artist(edge)
        self.text(text, size / self.scale, indent_in=box * 1.5 + 0.08, gap=0.05)

    def dot(self, text: str, size: float) -> None:
        if self.dry:
            self.text(text, size, indent_in=size * self.scale / 72 * 1.5 + 0.08, gap=0.05)
            return
        size *= self.scale
        box = size / 72
        fig_w, fig_h = self.fig.get_figwidth(), self.fig.get_figheight()
        self.fig.add_artist(
            self.mpl.lines.Line2D(
                [(self.left_in + box * 0.75) / fig_w],
                [(self.top_in - box * 0.5) / fig_h],
                marker="o",
                markersize=4.2 * self.scale,
                color=_INK,
                markeredgecolor="white",
                transform=self.fig.transFigure,
            )
        )
        self.text(text, size / self.scale, indent_in=box * 1.5 + 0.08, gap=0.05)


def _texts(range_map: RangeMap) -> tuple[list[tuple[Layer, str]], list[str], list[str]]:
    """Legend rows, source lines and footer lines, worded as in the HTML map."""
    sources: list[Any] = range_map.sources()
    numbering: dict[tuple[str, str, str], int] = {}
    for i, s in enumerate(sources, start=1):
        numbering.setdefault((s.publisher, s.title, str(s.url)), i)
    legend = []
    for layer in range_map.layers:
        nums = sorted({numbering[(s.publisher, s.title, str(s.url))] for s in layer.reach.sources})
        legend.append((layer, f"{layer.name}{_refs(nums)}"))
    source_lines = [f"{i}. {_source_text(s)}" for i, s in enumerate(sources, start=1)]
    foot = [_METHOD_NOTE]
    line = []
    day = range_map.date
    if day is not None:
        line.append(f"Ranges as reported up to {_format_date(day)}.")
    if range_map.credit:
        line.append(range_map.credit)
    foot.append(" ".join(line))
    rows = place_rows(range_map)
    if rows:
        foot.append(summary_text(rows))
        foot.append(f"{GEONAMES_CREDIT}.")
    return legend, source_lines, [f for f in foot if f]


#: Text sizes tried, largest first, until the text fits beside the map (or leaves it half
#: the height): (title and legend, sources and notes). Sources shrink first.
_SCALE_PAIRS = (
    (1.0, 1.0),
    (1.0, 0.92),
    (1.0, 0.85),
    (1.0, 0.78),
    (0.92, 0.78),
    (0.92, 0.72),
    (0.85, 0.72),
    (0.85, 0.66),
    (0.78, 0.66),
    (0.72, 0.6),
    (0.66, 0.55),
    (0.6, 0.5),
)


def _figure(range_map: RangeMap, preset: Preset) -> Any:
    mpl = _matplotlib()
    import matplotlib.lines
    import matplotlib.patches
    import matplotlib.path
    from matplotlib.figure import Figure

    del matplotlib  # the submodules are reached through mpl
    fig = Figure(figsize=(preset.width_in, preset.height_in), dpi=preset.dpi)
    fig.patch.set_facecolor("white")
    w, h = preset.width_in, preset.height_in
    margin = 0.22
    legend, source_lines, foot = _texts(range_map)
    origins = _origin_labels(range_map)
    foot_lines = [*foot, _attribution()]

    def head(col: _Column) -> None:
        _head(col, range_map, legend, origins)

    def tail(col: _Column, size: float, text_scale: float) -> None:
        col.scale = text_scale
        if source_lines:
            col.text("Sources", size * 1.15, weight="bold", gap=0.02)
            for line in source_lines:
                col.text(line, size, color=_MUTED, gap=0.02)
        col.top_in -= 0.03
        for line in foot_lines:
            col.text(line, size, color=_MUTED, gap=0.025)

    if w / h > 1.3:  # side by side: map on the left, text column on the right
        map_w = h - 2 * margin
        left, width = 2 * margin + map_w, w - 3 * margin - map_w
        for scale, tail_scale in _SCALE_PAIRS:
            dry = _Column(fig, mpl, left, width, h - margin, scale, dry=True)
            head(dry)
            tail(dry, 6.2, tail_scale)
            if dry.top_in >= margin * 0.5:
                break
        col = _Column(fig, mpl, left, width, h - margin, scale)
        head(col)
        col.top_in -= 0.04
        tail(col, 6.2, tail_scale)
        ax = fig.add_axes((margin / w, margin / h, map_w / w, map_w / h))
        _draw_map(ax, range_map, mpl, 1.0, 1.0)
        return fig

    # stacked: title and legend above the map, sources and notes below it
    width = w - 2 * margin
    for scale, tail_scale in _SCALE_PAIRS:
        top_col = _Column(fig, mpl, margin, width, h - margin, scale, dry=True)
        head(top_col)
        bottom_col = _Column(fig, mpl, margin, width, 0.0, scale, dry=True)
        tail(bottom_col, 5.8, tail_scale)
        top, bottom = top_col.top_in - 0.05, margin - bottom_col.top_in + 0.06
        if top - bottom >= 0.5 * h:
            break
    head(_Column(fig, mpl, margin, width, h - margin, scale))
    tail(_Column(fig, mpl, margin, width, bottom - 0.06, scale), 5.8, tail_scale)
    ax = fig.add_axes((margin / w, bottom / h, width / w, (top - bottom) / h))
    _draw_map(ax, range_map, mpl, width / max(top - bottom, 0.5), 1.0)
    return fig


def _head(
    col: _Column, range_map: RangeMap, legend: list[tuple[Layer, str]], origins: list[str]
) -> None:
    if range_map.title:
        col.text(range_map.title, 13.0, weight="bold", gap=0.05)
    if range_map.subtitle:
        col.text(range_map.subtitle, 8.5, color=_MUTED, gap=0.08)
    col.top_in -= 0.04
    for layer, text in legend:
        col.swatch(layer, text, 7.5)
    if origins:
        col.dot(f"Measured from {', '.join(origins)}", 7.5)


def render_static(
    range_map: RangeMap, *, format: StaticFormat = "png", preset: str | Preset = "social"
) -> bytes:
    r"""Draw a map as a PNG, SVG or PDF image and return the file's bytes.

    Parameters
    ----------
    range_map : RangeMap
        The map: layers, title, subtitle, credit, "as of" date, annotations.
    format : {"png", "svg", "pdf"}, optional
        The file format.
    preset : str or Preset, optional
        ``"social"`` (1200x675 px), ``"square"`` (1080x1080 px) or ``"print"``
        (300 dpi); see :data:`PRESETS`.

    Returns
    -------
    bytes
        The complete file. Rendering the same map again gives the same bytes.

    Raises
    ------
    RangemapError
        If matplotlib is not installed (``pip install "rangemap[static]"``).
    InputError
        If the format or preset is unknown.

    Examples
    --------
    >>> from rangemap.reach import Reach
    >>> from rangemap.scene import RangeMap
    >>> m = RangeMap(title="300 km from Kharkiv")
    >>> _ = m.add(Reach.from_distance(300_000, "49.99, 36.23=Kharkiv"))
    >>> render_static(m, format="png")[:8]
    b'\x89PNG\r\n\x1a\n'
    """
    if format not in ("png", "svg", "pdf"):
        msg = f"format: {format!r} is not one of 'png', 'svg', 'pdf'"
        raise InputError(msg)
    chosen = _preset(preset)
    mpl = _matplotlib()
    rc = {
        "svg.hashsalt": "rangemap",
        "svg.fonttype": "none",
        "pdf.fonttype": 42,
        "font.family": "DejaVu Sans",
        "path.simplify": True,
    }
    metadata: dict[str, Any]
    if format == "png":
        metadata = {"Software": None}
    elif format == "svg":
        metadata = {"Date": None, "Creator": None}
    else:
        metadata = {"CreationDate": None, "ModDate": None, "Producer": None, "Creator": None}
    with mpl.rc_context(rc):
        fig = _figure(range_map, chosen)
        buffer = io.BytesIO()
        fig.savefig(buffer, format=format, dpi=chosen.dpi, metadata=metadata)
    return buffer.getvalue()


def to_png(range_map: RangeMap, *, preset: str | Preset = "social") -> bytes:
    """Return the map as PNG bytes; see :func:`render_static`."""
    return render_static(range_map, format="png", preset=preset)


def to_svg(range_map: RangeMap, *, preset: str | Preset = "social") -> bytes:
    """Return the map as SVG bytes (text kept as text); see :func:`render_static`."""
    return render_static(range_map, format="svg", preset=preset)


def to_pdf(range_map: RangeMap, *, preset: str | Preset = "print") -> bytes:
    """Return the map as PDF bytes (fonts embedded); see :func:`render_static`."""
    return render_static(range_map, format="pdf", preset=preset)


def save_static(
    range_map: RangeMap, path: str | os.PathLike[str], *, preset: str | Preset = "social"
) -> Path:
    """Write the map as a PNG, SVG or PDF file chosen by the suffix.

    Parameters
    ----------
    range_map : RangeMap
        The map.
    path : str or os.PathLike
        Ends in ``.png``, ``.svg`` or ``.pdf``.
    preset : str or Preset, optional
        See :data:`PRESETS`.

    Returns
    -------
    pathlib.Path
        The path written; the file is replaced only once the new one is complete.

    Raises
    ------
    InputError
        If the suffix is not ``.png``, ``.svg`` or ``.pdf``.
    """
    target = Path(path)
    suffix = target.suffix.lower().lstrip(".")
    if suffix not in ("png", "svg", "pdf"):
        msg = f"output {str(target)!r}: suffix must be .png, .svg or .pdf for a static image"
        raise InputError(msg)
    fmt: StaticFormat = "png" if suffix == "png" else "svg" if suffix == "svg" else "pdf"
    return write_atomic(target, render_static(range_map, format=fmt, preset=preset))
