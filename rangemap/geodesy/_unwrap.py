"""Joining the parts of a shape split at ±180 back into one, for drawing.

This module owns how :func:`rangemap.geodesy.unwrap` finds which parts meet along the
antimeridian and shifts them by ±360 degrees next to each other.
"""

from __future__ import annotations

import shapely
import shapely.affinity
from shapely.geometry import LineString, MultiPoint
from shapely.geometry.base import BaseGeometry

from rangemap.geodesy._planar import keep_polygons

__all__ = ["unwrap_parts"]


def _seam(part: BaseGeometry, x: float, polygonal: bool) -> BaseGeometry:
    line = LineString([(x, -90.0), (x, 90.0)])
    if polygonal:
        return part.boundary.intersection(line)
    ends = MultiPoint([part.coords[0], part.coords[-1]])
    return ends.intersection(line.buffer(1e-9))


def unwrap_parts(parts: list[BaseGeometry], *, polygonal: bool) -> BaseGeometry:
    eps = 1e-9
    n = len(parts)
    east = [_seam(p, 180.0, polygonal) for p in parts]
    west = [shapely.affinity.translate(_seam(p, -180.0, polygonal), xoff=360.0) for p in parts]
    spans = [p.bounds[0] <= -180.0 + eps and p.bounds[2] >= 180.0 - eps for p in parts]

    def joined(a: int, b: int) -> bool:
        """Part a's east seam meets part b's west seam."""
        if east[a].is_empty or west[b].is_empty:
            return False
        common = east[a].intersection(west[b].buffer(eps) if not polygonal else west[b])
        if polygonal:
            return bool(common.length > eps)
        return not common.is_empty

    size = [p.area if polygonal else p.length for p in parts]
    offset: dict[int, float] = {}
    for seed in sorted(range(n), key=lambda i: -size[i]):
        if seed in offset:
            continue
        offset[seed] = 0.0
        if spans[seed]:
            continue
        stack = [seed]
        while stack:
            a = stack.pop()
            for b in range(n):
                if b in offset or spans[b]:
                    continue
                if joined(a, b):
                    offset[b] = offset[a] + 360.0
                elif joined(b, a):
                    offset[b] = offset[a] - 360.0
                else:
                    continue
                stack.append(b)
    moved = [shapely.affinity.translate(p, xoff=offset[i]) for i, p in enumerate(parts)]
    if polygonal:
        return keep_polygons(shapely.union_all(moved))
    merged = shapely.line_merge(shapely.union_all(moved))
    return merged
