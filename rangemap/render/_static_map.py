"""The map panel of a static image: basemap, reach, origins, places and notes on one axes.

What this module owns:

- :func:`basemap`: the countries around the map's centre, clipped to a disc and
  projected into AEQD (:mod:`rangemap.render._aeqd`), cached for maps that share a
  centre, and :func:`attribution`, the line that credits them.
- :func:`draw_map`: everything inside the map frame, drawn with matplotlib: land and
  borders, the largest countries' names where there is room, each reach layer (fill and
  outline; with a spread, the band between the lowest and highest figures dashed), the
  origins and their names, the places in range, your points (diamonds, filled in range,
  hollow out of range, each named) and the notes. Labels sit on a light box
  so they stay text in SVG.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from functools import lru_cache
from typing import TYPE_CHECKING, Any

import numpy as np
import shapely
from shapely.geometry import Point, Polygon
from shapely.geometry.base import BaseGeometry

from rangemap.escaping import clean
from rangemap.render._aeqd import (
    aeqd_transformer,
    areal,
    map_center,
    merge_parts,
    project,
    project_reach,
)
from rangemap.render._points import point_marks
from rangemap.render._static_text import INK

if TYPE_CHECKING:
    from rangemap.render._context import Context
    from rangemap.scene import Layer

__all__ = ["attribution", "basemap", "draw_map"]

# Colours of the basemap, chosen to stay behind the reach fills.
_OCEAN = "#E8EEF3"
_LAND = "#F7F6F2"
_BORDER = "#B9B9B4"
_COUNTRY_LABEL = "#8C8C86"


def attribution() -> str:
    """Return the basemap's attribution line, as the HTML map prints it."""
    from rangemap import regions

    return str(getattr(regions, "ATTRIBUTION", "Boundaries: Natural Earth (public domain)."))


@lru_cache(maxsize=8)
def basemap(lon: float, lat: float, radius_m: float) -> tuple[tuple[str, BaseGeometry], ...]:
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
        projected = merge_parts(project(areal(part), transformer))
        if projected.is_empty:
            continue
        shapes.append((name, projected))
    return tuple(shapes)


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


def draw_map(ax: Any, context: Context, mpl: Any, aspect: float, scale: float) -> None:
    """Draw everything inside the map frame on ``ax``, framed to ``aspect`` (width/height).

    ``mpl`` is the imported matplotlib; ``scale`` multiplies line widths and text sizes.
    """
    range_map = context.scene
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
                origin_points.append(
                    (float(x), float(y), clean(site.label) if site.label else None)
                )
            else:
                origin_shapes.append(project(site.geometry, transformer))
    notes = []
    for note in range_map.annotations:
        x, y = transformer.transform(note.lon, note.lat)
        notes.append((float(x), float(y), clean(note.text)))
    places = []
    for row in context.places:
        x, y = transformer.transform(row.lon, row.lat)
        places.append((float(x), float(y), clean(row.name)))
    place_labels = range_map.places is not None and range_map.places.labels
    mine = []
    for mark in point_marks(context.points):
        x, y = transformer.transform(mark.lon, mark.lat)
        mine.append((float(x), float(y), clean(mark.name), mark.in_range))

    shapes = [o for _, o, _ in outers] + origin_shapes
    spots = [(x, y) for x, y, _ in origin_points] + [(x, y) for x, y, _ in notes]
    spots += [(x, y) for x, y, _, _ in mine]
    x0, x1, y0, y1 = _extent(shapes, spots, aspect)
    if mine:
        # Room for your points' names, written right of them: about 0.9 % of the
        # width per character at the sizes used.
        width = x1 - x0
        spots += [(x + (0.012 + 0.009 * len(name)) * width, y) for x, y, name, _ in mine]
        x0, x1, y0, y1 = _extent(shapes, spots, aspect)
    corner_m = max(math.hypot(x, y) for x in (x0, x1) for y in (y0, y1))
    radius_m = min(max(corner_m * 1.1, 500_000.0), 15_000_000.0)
    # Round the clip radius so nearby maps share the cached basemap.
    radius_m = math.ceil(radius_m / 100_000.0) * 100_000.0
    countries = basemap(round(lon0, 6), round(lat0, 6), radius_m)

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
    taken += [(x, y) for x, y, _, _ in mine]
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
        # A spread: the band to the highest figure at half strength, a dashed outer edge
        # and a solid edge at the lowest figure; otherwise one fill and a solid edge.
        spread = not inner.is_empty
        fills = [(outer.difference(inner), 0.5), (inner, 1.0)] if spread else [(outer, 1.0)]
        for shape, strength in fills:
            _add_polygons(
                ax,
                shape,
                mpl,
                facecolor=layer.color,
                alpha=layer.opacity * strength,
                edgecolor="none",
                zorder=3,
            )
        edge = {"facecolor": "none", "edgecolor": layer.color, "zorder": 4}
        if spread:
            _add_polygons(ax, outer, mpl, linewidth=1.2 * scale, linestyle=(0, (4, 3)), **edge)
        _add_polygons(ax, inner if spread else outer, mpl, linewidth=1.6 * scale, **edge)

    for shape in origin_shapes:
        for part in shapely.get_parts(shape):
            line = part.exterior if isinstance(part, Polygon) else part
            if isinstance(line, Point):
                continue
            xy = np.asarray(line.coords)
            ax.plot(xy[:, 0], xy[:, 1], color=INK, linewidth=1.1 * scale, zorder=5)
    seen: set[tuple[float, float]] = set()
    for x, y, label in origin_points:
        if (x, y) in seen:
            continue
        seen.add((x, y))
        _dot(ax, x, y, size=4.2 * scale, edge=0.9 * scale, zorder=6)
        if label:
            _name(
                ax,
                label,
                x,
                y,
                (4 * scale, 3 * scale),
                7.5 * scale,
                scale,
                zorder=7,
                fontweight="bold",
            )
    named = origin_points + [(x, y, name) for x, y, name, _ in mine]
    _draw_places(ax, places, named, notes, (x1 - x0, y1 - y0), scale, labels=place_labels)
    _draw_points(ax, mine, scale)
    for x, y, text in notes:
        ax.text(
            x,
            y,
            text,
            parse_math=False,
            fontsize=7.0 * scale,
            color=INK,
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
        _dot(ax, x, y, size=2.8 * scale, edge=0.6 * scale, zorder=5.5)
        if not labels:
            continue
        # The name starts right of the dot: keep clear of names starting nearby.
        if any(abs(x - tx) < room_x and abs(y - ty) < room_y for tx, ty in taken):
            continue
        taken.append((x, y))
        _name(
            ax,
            name,
            x,
            y,
            (3.2 * scale, -1.0 * scale),
            6.3 * scale,
            scale * 0.8,
            zorder=6.5,
            va="center",
        )


def _draw_points(ax: Any, mine: list[tuple[float, float, str, bool]], scale: float) -> None:
    """Draw your points as diamonds, filled in range and hollow out of range, all named.

    The legend says which symbol is which, and the list under the map says it in words.
    """
    for x, y, name, in_range in mine:
        ax.plot(
            [x],
            [y],
            marker="D",
            markersize=4.4 * scale,
            markerfacecolor=INK if in_range else "white",
            markeredgecolor=INK,
            markeredgewidth=1.1 * scale,
            zorder=8,
        )
        _name(
            ax,
            name,
            x,
            y,
            (4.5 * scale, -1.0 * scale),
            6.6 * scale,
            scale * 0.8,
            zorder=8.5,
            fontweight="bold" if in_range else "normal",
            style="normal" if in_range else "italic",
            va="center",
            annotation_clip=True,
        )


def _name(
    ax: Any,
    text: str,
    x: float,
    y: float,
    offset: tuple[float, float],
    size: float,
    box: float,
    **style: Any,
) -> None:
    """Write a name beside a marker: ink text on a white box, offset in points."""
    ax.annotate(
        text,
        (x, y),
        xytext=offset,
        textcoords="offset points",
        parse_math=False,
        fontsize=size,
        color=INK,
        bbox=_label_box(box),
        **style,
    )


def _dot(ax: Any, x: float, y: float, *, size: float, edge: float, zorder: float) -> None:
    """Draw one ink dot with a white rim (an origin or a place)."""
    ax.plot(
        [x],
        [y],
        marker="o",
        markersize=size,
        color=INK,
        markeredgecolor="white",
        markeredgewidth=edge,
        zorder=zorder,
    )
