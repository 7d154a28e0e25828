"""Buffers built from runs of strips, and near a pole, stay within their tolerance.

Mirrors ``rangemap/geodesy/_buffer.py``: a long densified coast (strips joined into runs
across straight, convex and slightly concave joints), Antarctica (the polar plane, one
union), the discs-only path beyond 8,000 km, and the run-built union against the union
of the single strips.
"""

from __future__ import annotations

import numpy as np
import pytest
import shapely
from shapely.geometry import LineString, Point, Polygon
from shapely.geometry.base import BaseGeometry

from rangemap import regions
from rangemap.geodesy import _buffer, buffer, default_tolerance_m, distance_to
from rangemap.geodesy._accuracy import distance_to_source, edge_points


def _coast(n: int) -> Polygon:
    """Norway's mainland, its outline split into about ``n`` vertices (see bench_buffers)."""
    mainland = max(shapely.get_parts(regions.country("Norway")), key=lambda p: p.area)
    return Polygon(shapely.segmentize(mainland.exterior, mainland.exterior.length / n))


def _worst(source: BaseGeometry, d: float, geom: BaseGeometry, limit: int = 3000) -> float:
    """Largest |distance to the source - d| over sampled drawn edges, in tolerances."""
    p = edge_points(geom, per_edge=3)
    if len(p) > limit:
        p = p[np.random.default_rng(2).choice(len(p), limit, replace=False)]
    err = distance_to(source, p[:, 0], p[:, 1]) - d
    return float(np.abs(err).max() / default_tolerance_m(d))


def _assert_rfc7946(geom: BaseGeometry) -> None:
    assert geom.is_valid
    for part in shapely.get_parts(geom):
        assert isinstance(part, Polygon)
        assert part.exterior.is_ccw
    xmin, ymin, xmax, ymax = geom.bounds
    assert xmin >= -180
    assert xmax <= 180
    assert ymin >= -90
    assert ymax <= 90


def test_long_coast_within_tolerance() -> None:
    coast = _coast(30_000)
    assert shapely.get_num_coordinates(coast) > 30_000
    geom = buffer(coast, 300_000)
    _assert_rfc7946(geom)
    assert geom.contains(coast)
    assert _worst(coast, 300_000, geom) <= 1.0
    assert geom.contains(Point(10.75, 59.91))  # Oslo
    assert not geom.contains(Point(24.94, 60.17))  # Helsinki, 390 km from Norway


def test_runs_give_the_union_of_the_single_strips(monkeypatch: pytest.MonkeyPatch) -> None:
    """One curve around a run bounds exactly what its strips and wedges cover."""
    coast = _coast(3_000)
    front = LineString([(31.5, 46.6), (33.0, 47.0), (35.0, 47.6), (37.5, 47.9), (38.5, 49.0)])
    front = LineString(shapely.segmentize(front, 0.01).coords)  # many slight joints
    for source, d in ((coast, 300_000), (front, 100_000)):
        joined = buffer(source, d)
        monkeypatch.setattr(_buffer, "_RUN_SEGMENTS", 1)
        single = buffer(source, d)
        monkeypatch.undo()
        assert joined.is_valid
        # identical up to rounding at the crossings of slightly concave joints
        tol_deg = default_tolerance_m(d) / 111_000
        assert joined.symmetric_difference(single).area < 1e-3 * tol_deg * joined.length
        assert _worst(source, d, joined) <= 1.0


def test_runs_cross_at_slightly_concave_joints() -> None:
    """A chain of joints bending away from the reach: the chords meet at their crossings."""
    # an arc of a parallel, seen from the south: every joint is concave on the left
    arc = LineString([(lon, 60.0) for lon in np.linspace(20.0, 30.0, 400)])
    d = 200_000
    geom = buffer(arc, d)
    assert geom.is_valid
    assert _worst(arc, d, geom) <= 1.0


def test_antarctica_polar_union_within_tolerance() -> None:
    antarctica = regions.country("Antarctica")
    d = 500_000
    geom = buffer(antarctica, d)
    _assert_rfc7946(geom)
    assert geom.covers(Point(0.0, -90.0))
    assert geom.contains(Point(-63.0, -64.0))  # off the tip of the Antarctic Peninsula
    assert _worst(antarctica, d, geom) <= 1.0


def test_discs_only_path_within_tolerance() -> None:
    ukraine = regions.country("Ukraine")
    d = 9_000_000
    geom = buffer(ukraine, d)
    _assert_rfc7946(geom)
    p = edge_points(geom, per_edge=3)
    p = p[np.random.default_rng(3).choice(len(p), min(len(p), 1500), replace=False)]
    err = distance_to_source(ukraine, p, spacing_deg=0.05) - d
    assert np.abs(err).max() <= default_tolerance_m(d)
