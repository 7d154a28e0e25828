"""The map panel of a static image: basemap, reach, origins, places and notes on one axes.

What this module owns:

- :func:`basemap`: the countries around the map's centre, clipped to a disc and
  projected into AEQD (:mod:`rangemap.render._aeqd`), cached for maps that share a
  centre, and :func:`attribution`, the line that credits them.
- :func:`draw_map`: everything inside the map frame, drawn with matplotlib: land and
  borders, the largest countries' names where there is room, each reach layer (fill and
  outline; with a spread, the band between the lowest and highest figures dashed), the
  origins and their names, the places in range, your points (diamonds, filled in range,
  hollow out of range, each named), the notes and a scale bar true at the map's centre.
  Labels sit on a light box so they stay text in SVG.
- :class:`Placer`: label placement without overlaps, in points on the figure: every
  listed place is named beside its dot, or on a leader line, or, where there is no room
  at all, numbered as in the list under the map; no label is silently dropped.
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
from rangemap.render._placemarks import country_label, origin_label
from rangemap.render._points import point_marks
from rangemap.render._static_text import LOOK, text_width_pt, wrap
from rangemap.theme import LAYER_DASHES, outline_color

if TYPE_CHECKING:
    from rangemap.render._context import Context
    from rangemap.scene import Layer

__all__ = ["attribution", "basemap", "draw_map"]

# The colours of the basemap (chosen to stay behind the reach fills) and of the text are
# the image's look: :data:`rangemap.render._static_text.LOOK`.


def attribution() -> str:
    """Return the basemap's attribution line, as the HTML map prints it."""
    from rangemap import regions

    return str(getattr(regions, "ATTRIBUTION", "Boundaries: Natural Earth (public domain)."))


@lru_cache(maxsize=8)
def basemap(lon: float, lat: float, radius_m: float) -> tuple[tuple[str, BaseGeometry], ...]:
    """Return the countries within ``radius_m`` of the centre in AEQD, with their names."""
    from rangemap import geodesy, regions

    world = regions.atlas()
    disc = geodesy.ring((lon, lat), radius_m)
    transformer = aeqd_transformer(lon, lat)
    names = [str(n) for n in world.names]
    shapes: list[tuple[str, BaseGeometry]] = []
    geoms = np.asarray(world.shapes, dtype=object)
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


#: Label positions tried around a marker, as (dx, dy) unit offsets: right, left, the
#: four diagonals, above and below.
_AROUND = ((1, 0), (-1, 0), (1, 1), (1, -1), (-1, 1), (-1, -1), (0, 1), (0, -1))
#: Directions tried for a label on a leader line, in degrees.
_LEADER_ANGLES = (0, 180, 30, -30, 150, -150, 60, -60, 120, -120, 90, -90)
#: Leader lengths tried, in text heights: for names, and further out for numbers.
_LEADER_STEPS = (1.2, 2.2, 3.4)
_NUMBER_STEPS = (*_LEADER_STEPS, 4.8, 6.5, 8.5, 11.0)

Box = tuple[float, float, float, float]  # x0, y0, x1, y1 in points on the figure


def _overlaps(a: Box, b: Box) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def _crosses(p: tuple[float, float], q: tuple[float, float], box: Box) -> bool:
    """Whether the segment p-q passes through ``box`` (a leader line over a label)."""
    return bool(shapely.box(*box).intersects(shapely.LineString([p, q])))


class Placer:
    """Labels placed on the map panel without overlapping each other or the markers.

    Work is in points on the figure. A label is tried around its marker
    (:data:`_AROUND`), then away from it on a leader line; :meth:`place` returns
    ``None`` when there is no free spot, and the caller numbers the place instead.
    """

    def __init__(self, ax: Any, frame: Box) -> None:
        self.ax = ax
        self.frame = frame
        self.taken: list[Box] = []  # markers, notes, the scale bar and labels
        self.labels: list[Box] = []  # labels only: a number's leader may cross a marker
        self.leaders: list[tuple[tuple[float, float], tuple[float, float]]] = []
        self.scale = ax.figure.dpi / 72.0

    def to_pt(self, x: float, y: float) -> tuple[float, float]:
        """Return the point (x, y) of the map in points on the figure."""
        px, py = self.ax.transData.transform((x, y))
        return float(px) / self.scale, float(py) / self.scale

    def to_data(self, px: float, py: float) -> tuple[float, float]:
        """Return the map coordinates of a point given in points on the figure."""
        x, y = self.ax.transData.inverted().transform((px * self.scale, py * self.scale))
        return float(x), float(y)

    def block(self, box: Box) -> None:
        """Mark ``box`` as taken (a marker, a note, the scale bar)."""
        self.taken.append(box)

    def free(self, box: Box) -> bool:
        """Whether ``box`` lies inside the frame and clear of everything taken."""
        f = self.frame
        if box[0] < f[0] + 1 or box[1] < f[1] + 1 or box[2] > f[2] - 1 or box[3] > f[3] - 1:
            return False
        if any(_overlaps(box, t) for t in self.taken):
            return False
        return not any(_crosses(p, q, box) for p, q in self.leaders)

    def place(
        self,
        anchor: tuple[float, float],
        size: tuple[float, float],
        radius: float,
        steps: tuple[float, ...] = _LEADER_STEPS,
    ) -> tuple[Box, bool] | None:
        """Find a free box of ``size`` (w, h) for a label of the marker at ``anchor``.

        Returns the box and whether it needs a leader line, or ``None``.
        """
        ax_, ay = anchor
        w, h = size
        gap = radius + 1.2
        for dx, dy in _AROUND:
            cx = ax_ + dx * (gap + w / 2) if dx else ax_
            cy = ay + dy * (gap * (0.6 if dx else 1.0) + h / 2) if dy else ay
            box = (cx - w / 2, cy - h / 2, cx + w / 2, cy + h / 2)
            if self.free(box):
                return box, False
        for step in steps:
            for angle in _LEADER_ANGLES:
                ux, uy = math.cos(math.radians(angle)), math.sin(math.radians(angle))
                reach = gap + step * h
                cx, cy = ax_ + ux * (reach + w / 2), ay + uy * (reach + h / 2)
                box = (cx - w / 2, cy - h / 2, cx + w / 2, cy + h / 2)
                if not self.free(box):
                    continue
                end = _nearest(box, anchor)
                over = self.taken if steps is _LEADER_STEPS else self.labels
                if any(_crosses(anchor, end, t) for t in over if not _holds(t, anchor)):
                    continue
                line = shapely.LineString([anchor, end])
                if any(line.intersects(shapely.LineString(pq)) for pq in self.leaders):
                    continue
                return box, True
        return None

    def take(self, box: Box, anchor: tuple[float, float] | None = None) -> None:
        """Record a placed label (and its leader line from ``anchor``)."""
        self.taken.append(box)
        self.labels.append(box)
        if anchor is not None:
            self.leaders.append((anchor, _nearest(box, anchor)))


def _holds(box: Box, point: tuple[float, float]) -> bool:
    """Whether ``point`` is inside ``box`` (a marker's own box, which its leader leaves)."""
    return box[0] <= point[0] <= box[2] and box[1] <= point[1] <= box[3]


def _nearest(box: Box, point: tuple[float, float]) -> tuple[float, float]:
    """Return the point of ``box`` nearest to ``point``."""
    return min(max(point[0], box[0]), box[2]), min(max(point[1], box[1]), box[3])


def _fit(text: str, size: float, placer: Placer, weight: str = "normal") -> str:
    """Wrap a map label to at most 40 % of the frame's width (and cut a longer word)."""
    frame_w = placer.frame[2] - placer.frame[0]
    if text_width_pt(text, size, weight) + 0.5 * size <= 0.4 * frame_w:
        return text
    return wrap(text, 0.4 * frame_w / 72.0, size, weight)


def _label_size(text: str, size: float, weight: str = "normal") -> tuple[float, float]:
    """Return a label's box (w, h) in points, its light background included."""
    lines = text.split("\n")
    width = max(text_width_pt(line, size, weight) for line in lines)
    return width + 0.5 * size, size * (1.25 * len(lines) + 0.3)


def _label_box(scale: float) -> dict[str, Any]:
    """Return a light box behind map labels (kept as text in SVG, unlike a path halo)."""
    pad = f"round,pad={0.18 * scale:.3f}"
    return {"boxstyle": pad, "fc": LOOK.get().background, "ec": "none", "alpha": 0.75}


def _write(
    ax: Any, placer: Placer, box: Box, text: str, size: float, *, gid: str, **style: Any
) -> None:
    """Draw ``text`` centred in ``box`` (points on the figure) on a light background."""
    x, y = placer.to_data((box[0] + box[2]) / 2, (box[1] + box[3]) / 2)
    ax.text(
        x,
        y,
        text,
        parse_math=False,
        fontsize=size,
        ha="center",
        va="center",
        gid=gid,
        bbox=_label_box(0.8),
        **style,
    )


def _leader(ax: Any, placer: Placer, anchor: tuple[float, float], box: Box) -> None:
    end = _nearest(box, anchor)
    (x0, y0), (x1, y1) = placer.to_data(*anchor), placer.to_data(*end)
    ax.plot([x0, x1], [y0, y1], color=LOOK.get().muted, linewidth=0.6, zorder=6.2)


def _label(
    ax: Any,
    placer: Placer,
    anchor: tuple[float, float],
    text: str,
    size: float,
    radius: float,
    *,
    gid: str,
    force: bool,
    weight: str = "normal",
    **style: Any,
) -> bool:
    """Place and draw one label; with ``force``, draw it right of the marker if no spot is free.

    Returns whether the label was drawn.
    """
    text = _fit(text, size, placer, weight)
    w, h = _label_size(text, size, weight)
    found = placer.place(anchor, (w, h), radius, _NUMBER_STEPS if force else _LEADER_STEPS)
    if found is None:
        if not force:
            return False
        x0 = anchor[0] + radius + 1.2
        box = (x0, anchor[1] - h / 2, x0 + w, anchor[1] + h / 2)
        # Keep it inside the frame, even if it must cover something.
        f = placer.frame
        dx = min(0.0, f[2] - 1 - box[2]) + max(0.0, f[0] + 1 - box[0])
        dy = min(0.0, f[3] - 1 - box[3]) + max(0.0, f[1] + 1 - box[1])
        box = (box[0] + dx, box[1] + dy, box[2] + dx, box[3] + dy)
        found = (box, False)
    box, leader = found
    placer.take(box, anchor if leader else None)
    if leader:
        _leader(ax, placer, anchor, box)
    _write(ax, placer, box, text, size, gid=gid, fontweight=weight, **style)
    return True


def _nice_km(limit_km: float) -> float:
    """Return the largest 1, 2 or 5 times a power of ten not above ``limit_km``."""
    power = 10.0 ** math.floor(math.log10(max(limit_km, 1e-3)))
    return max(f * power for f in (1.0, 2.0, 5.0) if f * power <= limit_km)


def _scale_bar(ax: Any, placer: Placer, width_m: float, size: float, w: Any) -> None:
    """Draw a scale bar, true at the map's centre, in the free corner of the panel."""
    km = _nice_km(width_m / 1000.0 * 0.22)
    label = w("{km} km; scale true at the map's centre", km=w.number(km))
    f = placer.frame
    bar_pt = km * 1000.0 / width_m * (f[2] - f[0])
    text_w, text_h = _label_size(label, size)
    box_w, box_h = max(bar_pt, text_w) + 6.0, text_h + 7.0
    corners = (
        (f[0] + 4, f[1] + 4),
        (f[2] - 4 - box_w, f[1] + 4),
        (f[0] + 4, f[3] - 4 - box_h),
        (f[2] - 4 - box_w, f[3] - 4 - box_h),
    )
    boxes = [(x, y, x + box_w, y + box_h) for x, y in corners]
    box = next((b for b in boxes if placer.free(b)), boxes[0])
    placer.block(box)
    bx, by = box[0] + 3.0, box[1] + 3.5
    (x0, y0), (x1, _) = placer.to_data(bx, by), placer.to_data(bx + bar_pt, by)
    ax.add_patch(
        ax.figure.__class__.__module__ and _patch(ax, placer, box)  # background
    )
    ax.plot(
        [x0, x1],
        [y0, y0],
        color=LOOK.get().ink,
        linewidth=1.4,
        solid_capstyle="butt",
        zorder=9,
        gid="rm-scale-bar",
    )
    for x in (x0, x1):
        _, tick = placer.to_data(bx, by + 2.5)
        ax.plot([x, x], [y0, tick], color=LOOK.get().ink, linewidth=0.8, zorder=9)
    tx, ty = placer.to_data(bx, by + 3.0)
    ax.text(
        tx,
        ty,
        label,
        parse_math=False,
        fontsize=size,
        color=LOOK.get().ink,
        ha="left",
        va="bottom",
        zorder=9,
        gid="rm-scale",
    )


def _patch(ax: Any, placer: Placer, box: Box) -> Any:
    from matplotlib.patches import Rectangle

    (x0, y0), (x1, y1) = placer.to_data(box[0], box[1]), placer.to_data(box[2], box[3])
    return Rectangle(
        (x0, y0),
        x1 - x0,
        y1 - y0,
        facecolor=LOOK.get().background,
        alpha=0.8,
        edgecolor="none",
        zorder=8.8,
    )


def draw_map(
    ax: Any,
    context: Context,
    mpl: Any,
    aspect: float,
    scale: float,
    *,
    floor: float = 0.0,
    numbered: bool = False,
) -> int:
    """Draw everything inside the map frame on ``ax``, framed to ``aspect`` (width/height).

    ``mpl`` is the imported matplotlib; ``scale`` multiplies line widths and text sizes;
    no text is smaller than ``floor`` points. Every place in the list is named, beside
    its dot or on a leader line; with ``numbered`` a place with no room for its name
    gets its number in the list instead.

    Returns
    -------
    int
        How many places had no room for their name (numbered when ``numbered``).
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
                label = origin_label(site, range_map.language)
                origin_points.append((float(x), float(y), clean(label) if label else None))
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

    look = LOOK.get()
    ink = look.ink
    ax.set_facecolor(look.water)
    ax.set_xlim(x0, x1)
    ax.set_ylim(y0, y1)
    ax.set_aspect("equal")
    ax.set_xticks([])
    ax.set_yticks([])
    ax.set_gid("rm-map")
    for spine in ax.spines.values():
        spine.set_edgecolor(look.frame)
        spine.set_linewidth(0.6)
    ax.apply_aspect()
    extents = ax.get_position().transformed(ax.figure.transFigure).extents
    ratio = ax.figure.dpi / 72.0
    frame: Box = (
        float(extents[0]) / ratio,
        float(extents[1]) / ratio,
        float(extents[2]) / ratio,
        float(extents[3]) / ratio,
    )
    placer = Placer(ax, frame)

    # Borders finer than about a third of a pixel at 300 dpi cannot be seen.
    detail_m = (x1 - x0) / 2500.0
    countries = tuple(
        (name, shapely.simplify(shape, detail_m, preserve_topology=True))
        for name, shape in countries
    )
    for _, shape in countries:
        _add_polygons(
            ax,
            shape,
            mpl,
            facecolor=look.land,
            edgecolor=look.borders,
            linewidth=0.5 * scale,
            zorder=1,
        )

    for index, (layer, outer, inner) in enumerate(outers):
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
        # The outline 3:1 on the land, in the layer's dash pattern (theme.LAYER_DASHES).
        stroke = outline_color(layer.color, look.land)
        edge = {"facecolor": "none", "edgecolor": stroke, "zorder": 4}
        if spread:
            _add_polygons(ax, outer, mpl, linewidth=1.2 * scale, linestyle=(0, (4, 3)), **edge)
        dash = LAYER_DASHES[index % len(LAYER_DASHES)][2]
        pattern = "solid" if dash is None else (0, dash)
        _add_polygons(
            ax, inner if spread else outer, mpl, linewidth=1.6 * scale, linestyle=pattern, **edge
        )

    for shape in origin_shapes:
        for part in shapely.get_parts(shape):
            line = part.exterior if isinstance(part, Polygon) else part
            if isinstance(line, Point):
                continue
            xy = np.asarray(line.coords)
            ax.plot(xy[:, 0], xy[:, 1], color=look.origin, linewidth=1.1 * scale, zorder=5)

    # Markers first, so no label covers one; then the notes and the scale bar, fixed;
    # then the names, the most important first.
    def marker(x: float, y: float, radius: float) -> tuple[float, float]:
        px, py = placer.to_pt(x, y)
        placer.block((px - radius, py - radius, px + radius, py + radius))
        return px, py

    seen: set[tuple[float, float]] = set()
    origin_marks: list[tuple[tuple[float, float], str]] = []
    for x, y, label in origin_points:
        if (x, y) in seen:
            continue
        seen.add((x, y))
        _dot(ax, x, y, size=4.2 * scale, edge=0.9 * scale, zorder=6)
        anchor = marker(x, y, 2.6 * scale)
        if label:
            origin_marks.append((anchor, label))
    place_marks = []
    for x, y, name in places:
        _dot(ax, x, y, size=2.8 * scale, edge=0.6 * scale, zorder=5.5)
        place_marks.append((marker(x, y, 1.8 * scale), name))
    point_anchors = []
    for x, y, name, in_range in mine:
        ax.plot(
            [x],
            [y],
            marker="D",
            markersize=4.4 * scale,
            markerfacecolor=ink if in_range else look.background,
            markeredgecolor=ink,
            markeredgewidth=1.1 * scale,
            zorder=8,
        )
        point_anchors.append((marker(x, y, 3.0 * scale), name, in_range))
    for x, y, text in notes:
        size = max(7.0 * scale, floor)
        text = _fit(text, size, placer)
        w_pt, h_pt = _label_size(text, size)
        px, py = placer.to_pt(x, y)
        placer.block((px - w_pt / 2, py - h_pt / 2, px + w_pt / 2, py + h_pt / 2))
        ax.text(
            x,
            y,
            text,
            parse_math=False,
            fontsize=size,
            color=ink,
            style="italic",
            ha="center",
            va="center",
            zorder=7,
            bbox=_label_box(scale),
            gid="rm-note",
            clip_on=True,
        )
    if look.logo is not None:
        _logo(ax, placer, look.logo)
    if look.credit_over and range_map.credit:
        _corner_text(ax, placer, clean(range_map.credit), max(6.2 * scale, floor))
    if range_map.layers:
        _scale_bar(ax, placer, x1 - x0, max(6.0 * scale, floor), context.words)

    for anchor, label in origin_marks:
        _label(
            ax,
            placer,
            anchor,
            label,
            max(7.5 * scale, floor),
            2.6 * scale,
            gid="rm-origin",
            force=True,
            weight="bold",
            color=ink,
            zorder=7,
        )
    for anchor, name, in_range in point_anchors:
        _label(
            ax,
            placer,
            anchor,
            name,
            max(6.6 * scale, floor),
            3.0 * scale,
            gid="rm-point",
            force=True,
            weight="bold" if in_range else "normal",
            style="normal" if in_range else "italic",
            color=ink,
            zorder=8.5,
        )
    unnamed = 0
    if place_labels:
        size = max(6.3 * scale, floor)
        for number, (anchor, name) in enumerate(place_marks, start=1):
            style: dict[str, Any] = {"color": ink, "zorder": 6.5}
            if _label(
                ax, placer, anchor, name, size, 1.8 * scale, gid="rm-place", force=False, **style
            ):
                continue
            unnamed += 1
            if numbered:
                text = f"({number})"
                _label(
                    ax,
                    placer,
                    anchor,
                    text,
                    size,
                    1.8 * scale,
                    gid="rm-callout",
                    force=True,
                    **style,
                )

    # Name the countries with the largest visible area where there is still room.
    pad_x, pad_y = 0.08 * (x1 - x0), 0.06 * (y1 - y0)
    inner_view = (x0 + pad_x, y0 + pad_y, x1 - pad_x, y1 - pad_y)
    inner_area = (x1 - x0 - 2 * pad_x) * (y1 - y0 - 2 * pad_y)
    visible_countries = []
    for name, shape in countries:
        visible = shapely.clip_by_rect(shape, *inner_view)
        if name and not visible.is_empty and visible.area >= 0.02 * inner_area:
            visible_countries.append((float(visible.area), name, visible))
    size = max(6.0 * scale, floor)
    for _, english, visible in sorted(visible_countries, key=lambda c: (-c[0], c[1]))[:10]:
        name = country_label(english, context.words)
        w_pt, h_pt = _label_size(name.upper(), size)
        for x, y in _spots(visible):
            px, py = placer.to_pt(x, y)
            box = (px - w_pt / 2, py - h_pt / 2, px + w_pt / 2, py + h_pt / 2)
            if placer.free(box):
                # Some air around a country's name.
                placer.take((box[0] - 8, box[1] - 4, box[2] + 8, box[3] + 4))
                ax.text(
                    x,
                    y,
                    name.upper(),
                    parse_math=False,
                    fontsize=size,
                    color=look.country,
                    ha="center",
                    va="center",
                    zorder=2,
                    gid="rm-country",
                )
                break
    return unnamed


def _spots(area: BaseGeometry) -> list[tuple[float, float]]:
    """Return points inside ``area``: its representative point, then a grid nearest it."""
    anchor = area.point_on_surface()
    minx, miny, maxx, maxy = area.bounds
    grid = [
        (minx + (maxx - minx) * i / 6, miny + (maxy - miny) * j / 6)
        for i in range(1, 6)
        for j in range(1, 6)
    ]
    grid.sort(key=lambda p: (p[0] - anchor.x) ** 2 + (p[1] - anchor.y) ** 2)
    candidates = [(float(anchor.x), float(anchor.y)), *grid]
    return [(x, y) for x, y in candidates if area.contains(Point(x, y))]


def _logo(ax: Any, placer: Placer, png: bytes) -> None:
    """Draw the theme's logo in the top right corner of the map, where labels stay clear."""
    import io

    from matplotlib.image import imread

    image = imread(io.BytesIO(png), format="png")
    f = placer.frame
    height = min(max((f[3] - f[1]) * 0.09, 14.0), 40.0)
    width = height * image.shape[1] / max(image.shape[0], 1)
    if width > (f[2] - f[0]) * 0.3:
        width = (f[2] - f[0]) * 0.3
        height = width * image.shape[0] / max(image.shape[1], 1)
    box = (f[2] - 5 - width, f[3] - 5 - height, f[2] - 5, f[3] - 5)
    placer.block((box[0] - 3, box[1] - 3, box[2] + 3, box[3] + 3))
    fig = ax.figure
    fig_w, fig_h = fig.get_figwidth() * 72.0, fig.get_figheight() * 72.0
    inset = fig.add_axes((box[0] / fig_w, box[1] / fig_h, width / fig_w, height / fig_h), zorder=10)
    inset.imshow(image, interpolation="antialiased", aspect="auto")
    inset.set_axis_off()
    inset.set_gid("rm-logo")


def _corner_text(ax: Any, placer: Placer, text: str, size: float) -> None:
    """Draw the credit in the bottom right corner of the map, on a light box."""
    text = _fit(text, size, placer)
    w, h = _label_size(text, size)
    f = placer.frame
    box = (f[2] - 5 - w, f[1] + 5, f[2] - 5, f[1] + 5 + h)
    placer.block((box[0] - 2, box[1] - 2, box[2] + 2, box[3] + 2))
    _write(ax, placer, box, text, size, gid="rm-credit", color=LOOK.get().ink, zorder=9)


def _dot(ax: Any, x: float, y: float, *, size: float, edge: float, zorder: float) -> None:
    """Draw one ink dot with a rim of the background colour (an origin or a place)."""
    ax.plot(
        [x],
        [y],
        marker="o",
        markersize=size,
        color=LOOK.get().origin,
        markeredgecolor=LOOK.get().background,
        markeredgewidth=edge,
        zorder=zorder,
    )
