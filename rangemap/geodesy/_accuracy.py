"""Measuring a drawn boundary against the true one, independently of how it was built.

This module owns the two halves of every accuracy check in the tests and benchmarks:
:func:`edge_points`, points along the straight edges a map actually draws (in
longitude/latitude as GeoJSON consumers draw them, or in Web Mercator as Leaflet does),
and :func:`distance_to_source`, the brute-force geodesic distance from points to a
source geometry densified to its vertices. Nothing here is used to build shapes.
"""

from __future__ import annotations

import numpy as np
import shapely
from shapely.geometry import LineString, MultiLineString, Point
from shapely.geometry.base import BaseGeometry

from rangemap.geodesy._ellipsoid import GEOD, FloatArray

__all__ = ["distance_to_source", "edge_points"]


def edge_points(geom: BaseGeometry, per_edge: int = 8, *, mercator: bool = False) -> FloatArray:
    """Return (n, 2) lon/lat points along every drawn edge of a polygonal geometry.

    Each edge gives ``per_edge`` points, its start included, straight in
    longitude/latitude or, with ``mercator``, straight in Web Mercator (edges reaching
    85° or more are then left out). Seam edges along ±180 and along a pole line are
    left out: they are not part of the reach boundary.

    Examples
    --------
    >>> from shapely.geometry import box
    >>> edge_points(box(30.52, 50.45, 36.23, 49.99), per_edge=2).shape  # Kyiv to Kharkiv
    (8, 2)
    """
    out = []
    for poly in shapely.get_parts(geom):
        for ring_ in [poly.exterior, *poly.interiors]:
            xy = np.asarray(ring_.coords)
            a, b = xy[:-1], xy[1:]
            seam = ((np.abs(a[:, 0]) == 180) & (a[:, 0] == b[:, 0])) | (
                (np.abs(a[:, 1]) == 90) & (a[:, 1] == b[:, 1])
            )
            a, b = a[~seam], b[~seam]
            t = (np.arange(per_edge) / per_edge)[:, None, None]
            if mercator:
                keep = (np.abs(a[:, 1]) < 85.0) & (np.abs(b[:, 1]) < 85.0)
                a, b = a[keep], b[keep]
                ya, yb = (
                    np.arctanh(np.sin(np.radians(a[:, 1]))),
                    np.arctanh(np.sin(np.radians(b[:, 1]))),
                )
                x = a[:, 0] + t[..., 0] * (b[:, 0] - a[:, 0])
                y = np.degrees(np.arcsin(np.tanh(ya + t[..., 0] * (yb - ya))))
                out.append(np.stack([x, y], axis=-1).reshape(-1, 2))
            else:
                out.append((a + t * (b - a)).reshape(-1, 2))
    return np.vstack(out)


def _unit(lon: FloatArray, lat: FloatArray) -> FloatArray:
    lo, la = np.radians(lon), np.radians(lat)
    return np.column_stack([np.cos(la) * np.cos(lo), np.cos(la) * np.sin(lo), np.sin(la)])


def distance_to_source(
    source: BaseGeometry, points: FloatArray, *, spacing_deg: float = 0.01
) -> FloatArray:
    """Return the geodesic distance in metres from each point to a source geometry.

    A point source is measured to exactly; a line or polygon source is densified to
    ``spacing_deg`` and measured to its vertices, which overestimates a distance by at
    most the sag of that spacing.

    Examples
    --------
    >>> kyiv, kharkiv = (30.52, 50.45), (36.23, 49.99)
    >>> km = distance_to_source(Point(kyiv), np.array([kharkiv])) / 1000
    >>> km.round()
    array([411.])
    """
    if isinstance(source, Point):
        n = len(points)
        return np.asarray(
            GEOD.inv(np.full(n, source.x), np.full(n, source.y), points[:, 0], points[:, 1])[2],
            dtype=float,
        )
    lines = source if isinstance(source, LineString | MultiLineString) else source.boundary
    s = shapely.get_coordinates(
        lines if lines.length == 0 else shapely.segmentize(lines, spacing_deg)
    )
    su = _unit(s[:, 0], s[:, 1])
    out = np.full(len(points), np.inf)
    # Candidates: every source point within 1 % (+1 km) of the nearest one on a sphere;
    # the ellipsoidal distance differs from the spherical one by well under that.
    for i in range(0, len(points), 200):
        chunk = points[i : i + 200]
        ang = np.arccos(np.clip(_unit(chunk[:, 0], chunk[:, 1]) @ su.T, -1.0, 1.0))
        rows, cols = np.nonzero(ang <= ang.min(axis=1, keepdims=True) * 1.01 + 1.6e-4)
        d = GEOD.inv(chunk[rows, 0], chunk[rows, 1], s[cols, 0], s[cols, 1])[2]
        np.minimum.at(out, i + rows, d)
    return out
