"""From closed curves on the ellipsoid to valid RFC 7946 longitude/latitude polygons.

This module owns :func:`region_left_of`, which turns a closed curve with its region
on the left into polygons from the curve's winding alone: split at ±180, closed along
±180 through a pole the region holds, or the rest of the world for a clockwise curve;
its vectorised form for many small pieces, :func:`small_regions_left_of`; and
:func:`keep_polygons`, the polygonal part of a result with exteriors counter-clockwise.
"""

from __future__ import annotations

import math
from typing import TypeAlias

import numpy as np
import shapely
import shapely.affinity
from shapely.geometry import GeometryCollection, MultiPolygon, Polygon, box
from shapely.geometry.base import BaseGeometry

from rangemap.errors import RangemapError
from rangemap.geodesy._ellipsoid import FloatArray, wrap180

__all__ = [
    "WORLD",
    "Areal",
    "keep_polygons",
    "region_left_of",
    "small_regions_left_of",
    "snap_antimeridian",
]

Areal: TypeAlias = "Polygon | MultiPolygon"

WORLD = box(-180.0, -90.0, 180.0, 90.0)


def keep_polygons(geom: BaseGeometry) -> Areal:
    """Keep the polygonal part of a geometry, oriented RFC 7946 (exterior CCW)."""
    if geom.is_empty:
        return Polygon()
    polys: list[Polygon] = []
    for part in shapely.get_parts(geom):
        if isinstance(part, Polygon):
            polys.append(part)
        elif isinstance(part, MultiPolygon):
            polys.extend(part.geoms)
        elif isinstance(part, GeometryCollection):
            inner = keep_polygons(part)
            polys.extend(shapely.get_parts(inner))
    polys = [p for p in polys if not p.is_empty and p.area > 0.0]
    if not polys:
        return Polygon()
    out: Areal = polys[0] if len(polys) == 1 else MultiPolygon(polys)
    return shapely.orient_polygons(out)


def _restore_lon(xy: FloatArray, lon: FloatArray, lat: FloatArray) -> FloatArray:
    """Put back the exact longitude of vertices shifted by 360 degrees and back.

    ``x + 360 - 360`` can differ from ``x`` in the last bit; pieces that share an edge
    must share it bit for bit, or their union keeps hairline cracks.
    """
    order = np.lexsort((lon, lat))
    ys, xs = lat[order], lon[order]
    lo = np.searchsorted(ys, xy[:, 1], side="left")
    hi = np.searchsorted(ys, xy[:, 1], side="right")
    out = xy.copy()
    one = np.flatnonzero(hi - lo == 1)
    cand = xs[lo[one]]
    close = np.abs(cand - xy[one, 0]) < 1e-9
    out[one[close], 0] = cand[close]
    for j in np.flatnonzero(hi - lo > 1):
        many = xs[lo[j] : hi[j]]
        k = int(np.argmin(np.abs(many - xy[j, 0])))
        if abs(many[k] - xy[j, 0]) < 1e-9:
            out[j, 0] = many[k]
    return out


def _fold(poly: BaseGeometry, lon: FloatArray, lat: FloatArray) -> BaseGeometry:
    """Fold a polygon drawn with unwrapped longitudes back into [-180, 180].

    ``lon``/``lat`` are the curve's original vertices, whose exact values are restored.
    """
    if not poly.is_valid:
        poly = shapely.make_valid(poly)
    xmin, _, xmax, _ = poly.bounds
    kmin = math.floor((xmin + 180.0) / 360.0)
    kmax = math.ceil((xmax + 180.0) / 360.0) - 1
    if kmin == kmax == 0:
        return poly
    pieces = []
    for k in range(kmin, kmax + 1):
        part = poly.intersection(box(-180.0 + 360.0 * k, -90.0, 180.0 + 360.0 * k, 90.0))
        if part.is_empty:
            continue
        if k != 0:
            part = shapely.transform(
                shapely.affinity.translate(part, xoff=-360.0 * k),
                lambda xy: _restore_lon(xy, lon, lat),
            )
        pieces.append(part)
    return shapely.union_all(pieces)


def snap_antimeridian(lon: FloatArray) -> FloatArray:
    """Put longitudes within 1e-9 degrees (0.1 mm) of ±180 exactly on it.

    Otherwise a piece hugging the antimeridian is cut into a sliver too thin for the
    overlay to keep, and the union shows a crack there.
    """
    return np.where(np.abs(lon) > 180.0 - 1e-9, np.copysign(180.0, lon), lon)


def _crossing_lat(
    lon1: FloatArray, lat1: FloatArray, lon2: FloatArray, lat2: FloatArray
) -> FloatArray:
    """Latitudes where straight edges between two vertices meet ±180.

    Computed from the endpoints in a fixed order, so that every piece sharing an edge
    gets the very same point.
    """
    swap = (lon2 < lon1) | ((lon2 == lon1) & (lat2 < lat1))
    a_lon, b_lon = np.where(swap, lon2, lon1), np.where(swap, lon1, lon2)
    a_lat, b_lat = np.where(swap, lat2, lat1), np.where(swap, lat1, lat2)
    dlon = wrap180(b_lon - a_lon)
    edge = np.where(dlon > 0, 180.0, -180.0)
    t = (edge - a_lon) / dlon
    return np.asarray(a_lat + t * (b_lat - a_lat), dtype=float)


def region_left_of(coords: FloatArray, *, small: bool = False) -> BaseGeometry:
    """Turn a closed curve on the ellipsoid, reach on its left, into lon/lat polygons.

    ``coords`` is (n, 2) lon/lat without the closing vertex; consecutive vertices must be
    less than 180 degrees of longitude apart. ``small`` says the region is known not to
    hold both poles (a piece of a buffer, a shape from a polar plane): a clockwise
    curve that does not wind is then a degenerate sliver, not the boundary of the rest
    of the world.
    """
    lon, lat = snap_antimeridian(coords[:, 0]), coords[:, 1]
    raw = np.diff(lon, append=lon[:1])
    turns = np.rint((wrap180(raw) - raw) / 360.0)
    # whole turns only, so vertices that need no shift keep their exact longitude
    x = lon + 360.0 * np.concatenate([[0.0], np.cumsum(turns[:-1])])
    winding = round(float(turns.sum()))
    if abs(winding) > 1:
        msg = "internal error: a reach boundary winds more than once around the globe."
        raise RangemapError(msg)
    # Insert the points where edges meet the antimeridian (x = 180 + 360 k).
    x_next = np.append(x[1:], x[0] + 360.0 * winding)
    ka = np.floor((x - 180.0) / 360.0)
    kb = np.floor((x_next - 180.0) / 360.0)
    crossing = np.flatnonzero(ka != kb)
    following = (crossing + 1) % lon.size
    cut_y = _crossing_lat(lon[crossing], lat[crossing], lon[following], lat[following])
    cut_x = 180.0 + 360.0 * np.maximum(ka[crossing], kb[crossing])
    xs = np.insert(x, crossing + 1, cut_x)
    ys = np.insert(lat, crossing + 1, cut_y)
    cuts = crossing + 1 + np.arange(crossing.size)
    if winding == 0:
        # Shoelace sum about the first vertex: on absolute coordinates the terms of a
        # curve a millimetre across (1e-8 degrees) cancel to rounding noise.
        cx, cy = xs - xs[0], ys - ys[0]
        area2 = float(np.dot(cx, np.roll(cy, -1)) - np.dot(np.roll(cx, -1), cy))
        poly = Polygon(np.column_stack([xs, ys]))
        if area2 > 0.0:
            return _fold(poly, lon, lat)
        if small:
            return _fold(poly.reverse(), lon, lat)
        # Clockwise in the plane: the reach is everything outside this curve.
        return WORLD.difference(_fold(poly.reverse(), lon, lat))
    # The reach holds one pole. Start at the antimeridian crossing closest to that pole
    # and close the curve along the antimeridian through the pole: that segment cannot
    # meet the curve, and it lies exactly where the fold splits.
    pole = 90.0 if winding == 1 else -90.0
    c = int(cuts[int(np.argmax(cut_y) if winding == 1 else np.argmin(cut_y))])
    shift = 360.0 * winding
    ring_x = np.concatenate([xs[c:], xs[:c] + shift, [xs[c] + shift] * 2, [xs[c]]])
    ring_y = np.concatenate([ys[c:], ys[:c], [ys[c], pole, pole]])
    return _fold(Polygon(np.column_stack([ring_x, ring_y])), lon, lat)


def small_regions_left_of(rings: list[FloatArray]) -> list[BaseGeometry]:
    """Vectorised :func:`region_left_of` for many small curves (strips and wedges)."""
    if not rings:
        return []
    sizes = np.array([r.shape[0] for r in rings])
    coords = np.concatenate(rings)
    coords[:, 0] = snap_antimeridian(coords[:, 0])
    ids = np.repeat(np.arange(len(rings)), sizes)
    starts = np.concatenate([[0], np.cumsum(sizes)[:-1]])
    lon, lat = coords[:, 0], coords[:, 1]
    # next vertex within each ring
    nxt = np.arange(coords.shape[0]) + 1
    ends = starts + sizes - 1
    nxt[ends] = starts
    raw = lon[nxt] - lon
    turns = np.rint((wrap180(raw) - raw) / 360.0)
    csum = np.cumsum(turns)
    before = np.concatenate([[0.0], csum])[starts]
    x = lon + 360.0 * (np.concatenate([[0.0], csum[:-1]]) - before[ids])
    total = np.add.reduceat(turns, starts)
    # shoelace sums about each ring's first vertex (see region_left_of)
    cx, cy = x - x[starts][ids], lat - lat[starts][ids]
    area2 = np.add.reduceat(cx * cy[nxt] - cx[nxt] * cy, starts)
    xmin = np.minimum.reduceat(x, starts)
    xmax = np.maximum.reduceat(x, starts)
    simple = (total == 0.0) & (area2 > 0.0) & (xmin >= -180.0) & (xmax <= 180.0)
    out: list[BaseGeometry] = []
    idx_simple = np.flatnonzero(simple)
    if idx_simple.size:
        mask = simple[ids]
        sel_ids = ids[mask]
        _, inverse = np.unique(sel_ids, return_inverse=True)
        # close each ring: shapely.linearrings closes rings itself
        lr = shapely.linearrings(np.column_stack([x[mask], lat[mask]]), indices=inverse)
        out.extend(shapely.polygons(lr))
    for i in np.flatnonzero(~simple):
        out.append(region_left_of(coords[starts[i] : starts[i] + sizes[i]], small=True))
    return out
