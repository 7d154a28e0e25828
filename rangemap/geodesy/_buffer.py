"""Buffers of points, lines and polygons on the ellipsoid.

This module owns how a buffer is built from exact pieces: for every segment of a line
or polygon ring a strip bounded by the geodesics perpendicular to it, for every convex
vertex a wedge of a geodesic circle, a half circle at each line end, and a disc around
each point; runs of strips and wedges that do not overlap (straight, convex or slightly
concave joints) joined into one piece each, so the union grows linearly with the
source; their union in longitude/latitude, or near a pole once in a polar stereographic
plane; and, beyond 8,000 km, the union of discs around the vertices instead.
"""

from __future__ import annotations

import math

import numpy as np
import shapely
from pyproj import Transformer
from shapely.geometry import LineString, Point, Polygon
from shapely.geometry.base import BaseGeometry

from rangemap.geodesy._circles import arcs, disc, discs
from rangemap.geodesy._curves import densify_path, refine_path
from rangemap.geodesy._ellipsoid import DISCS_ONLY_M, FloatArray, fwd, inv, wrap180
from rangemap.geodesy._planar import (
    WORLD,
    Areal,
    keep_polygons,
    region_left_of,
    small_regions_left_of,
    snap_antimeridian,
)
from rangemap.units import MAX_DISTANCE_M

__all__ = ["buffer_geometry"]

# Length of the steps along the sides of strips and wedges (interior edges).
_SIDE_STEP_M = 100_000.0
# A joint is straight when its strips' sides, ``d`` away, are less than this share of
# the tolerance apart; a wedge that thin only leaves a slit in the union.
_STRAIGHT_SHARE = 1e-3
# A joint turning more than this is a spike, covered by a full circle.
_SPIKE_DEG = 170.0
# Longest run of strips joined into one piece, in segments and in degrees of turning.
_RUN_SEGMENTS = 64
_RUN_TURN_DEG = 60.0


def _side(lon: FloatArray, lat: FloatArray, az: FloatArray, d: float) -> FloatArray:
    """Return points (m, k, 2) along the geodesics leaving (lon, lat) at ``az``."""
    k = max(1, math.ceil(d / _SIDE_STEP_M))
    dist = d * np.arange(1, k + 1) / k
    plon, plat = fwd(lon[:, None], lat[:, None], az[:, None], dist[None, :])
    return np.stack([plon, plat], axis=-1)


def _crossings(oa: FloatArray, ob: FloatArray) -> tuple[FloatArray, FloatArray, FloatArray]:
    """Where the outer chord of each strip meets the next one's, in lon/lat.

    ``oa`` and ``ob`` are the (m, 2) outer corners of the strips. Returns the crossing
    of chords i and i + 1 for each i < m - 1 and its parameters along both chords
    (NaN where they are parallel). Longitudes are taken relative to ``ob[i]``, so a
    chord across ±180 is measured the short way.
    """
    o = ob[:-1]

    def rel(p: FloatArray) -> FloatArray:
        return np.column_stack([wrap180(p[:, 0] - o[:, 0]), p[:, 1] - o[:, 1]])

    p0, r = rel(oa[:-1]), rel(ob[:-1]) - rel(oa[:-1])
    q0, s_ = rel(oa[1:]), rel(ob[1:]) - rel(oa[1:])
    den = r[:, 0] * s_[:, 1] - r[:, 1] * s_[:, 0]
    w = q0 - p0
    with np.errstate(divide="ignore", invalid="ignore"):
        t = (w[:, 0] * s_[:, 1] - w[:, 1] * s_[:, 0]) / den
        u = (w[:, 0] * r[:, 1] - w[:, 1] * r[:, 0]) / den
    t = np.where(np.isfinite(t), t, np.nan)
    u = np.where(np.isfinite(u), u, np.nan)
    x = p0 + np.nan_to_num(t)[:, None] * r  # parallel chords never join a run
    x = np.column_stack([wrap180(x[:, 0] + o[:, 0]), x[:, 1] + o[:, 1]])
    return x, t, u


def _runs(
    joints: list[tuple[int, int]],
    turns: list[float],
    m: int,
    straight_deg: float,
    sign: float,
    oa: FloatArray,
    ob: FloatArray,
) -> tuple[list[tuple[int, int]], FloatArray, FloatArray]:
    """Return runs of strips on one side that one curve can bound, and their crossings.

    ``sign`` is +1 for the left side (convex where the path turns right, ``turn > 0``)
    and -1 for the right side. A joint joins a run where it is straight, convex (its
    wedge fills the gap between the strips) or so slightly concave that the two outer
    chords cross each other between their ends: the union's boundary then turns at
    that crossing. Returns (first, last) segments of each run, whether each joint i
    (between segments i and i + 1) is such a concave one, and the crossings.
    """
    n = max(m - 1, 0)
    kind = np.zeros(n, dtype=np.int8)  # 0: breaks a run, 1: straight or convex, 2: concave
    turn_at = np.zeros(n)
    for (i_in, i_out), turn in zip(joints, turns, strict=True):
        if i_out == i_in + 1 and abs(turn) <= _SPIKE_DEG:
            turn_at[i_in] = abs(turn)
            kind[i_in] = 1 if abs(turn) < straight_deg or sign * turn > 0.0 else 2
    cross, t, u = _crossings(oa, ob) if n else (np.empty((0, 2)), np.empty(0), np.empty(0))
    ok = (kind == 1) | ((kind == 2) & (t > 0.0) & (t < 1.0) & (u > 0.0) & (u < 1.0))
    out: list[tuple[int, int]] = []
    first, turned, start_u = 0, 0.0, 0.0  # start_u: where the current chord begins
    for j in range(n):
        turned += turn_at[j]
        # a chord cut at both ends by crossings must keep its ends in order
        ordered = kind[j] != 2 or t[j] > start_u
        if ok[j] and ordered and j + 1 - first < _RUN_SEGMENTS and turned <= _RUN_TURN_DEG:
            start_u = float(u[j]) if kind[j] == 2 else 0.0
            continue
        out.append((first, j))
        first, turned, start_u = j + 1, 0.0, 0.0
    out.append((first, m - 1))
    return out, kind == 2, cross


def _dedupe(xy: FloatArray) -> FloatArray:
    """Drop vertices equal to the one before them."""
    keep = np.ones(xy.shape[0], dtype=bool)
    keep[1:] = np.any(xy[1:] != xy[:-1], axis=1)
    return xy[keep]


def _path_pieces(
    coords: FloatArray, closed: bool, sides: tuple[bool, bool], d: float, tol: float
) -> tuple[list[FloatArray], list[BaseGeometry], FloatArray]:
    """Return the strips, wedges and end caps of one path.

    ``sides`` is (left, right). Returns curves (reach on the left) and ready-made
    pieces (circles around degenerate paths).
    """
    v = refine_path(densify_path(coords, closed, tol, d), sides, d, tol)
    extra: list[BaseGeometry] = []
    if v.shape[0] < 2 or (closed and v.shape[0] < 3):
        extra.append(disc(float(v[0, 0]), float(v[0, 1]), d, tol))
        return [], extra, v
    a_lon, a_lat = v[:-1, 0], v[:-1, 1]
    b_lon, b_lat = v[1:, 0], v[1:, 1]
    az12, az21, seg = inv(a_lon, a_lat, b_lon, b_lat)
    real = seg > 1e-6  # edges along a pole line have no length on the ellipsoid
    a_lon, a_lat, b_lon, b_lat = a_lon[real], a_lat[real], b_lon[real], b_lat[real]
    az12, az21 = az12[real], az21[real]
    m = a_lon.size
    if m == 0:
        extra.append(disc(float(v[0, 0]), float(v[0, 1]), d, tol))
        return [], extra, v
    contiguous = np.ones(m, dtype=bool)  # segment i starts where segment i-1 ends
    contiguous[1:] = (a_lon[1:] == b_lon[:-1]) & (a_lat[1:] == b_lat[:-1])
    # Joints: vertex j joins segment j-1 (arriving) and segment j (leaving).
    joints = [(j - 1, j) for j in range(1, m) if contiguous[j]]
    # A closed ring whose dropped edges break it (at a pole) is capped like a line.
    loop = closed and bool(contiguous.all()) and a_lon[0] == b_lon[-1] and a_lat[0] == b_lat[-1]
    if loop:
        joints.append((m - 1, 0))
    # Clockwise turn at each joint, in degrees.
    j_in = np.array([i for i, _ in joints], dtype=np.intp)
    j_out = np.array([j for _, j in joints], dtype=np.intp)
    turns = wrap180(az12[j_out] - az21[j_in] - 180.0).tolist()
    straight_deg = math.degrees(_STRAIGHT_SHARE * tol / d)
    curves: list[FloatArray] = []
    a_pt = np.column_stack([a_lon, a_lat])
    b_pt = np.column_stack([b_lon, b_lat])
    left, right = sides
    sides_a: dict[str, FloatArray] = {}
    sides_b: dict[str, FloatArray] = {}
    if left:
        sides_a["L"] = _side(a_lon, a_lat, az12 - 90.0, d)
        sides_b["L"] = _side(b_lon, b_lat, az21 + 90.0, d)
    if right:
        sides_a["R"] = _side(a_lon, a_lat, az12 + 90.0, d)
        sides_b["R"] = _side(b_lon, b_lat, az21 - 90.0, d)
    # Where the path runs straight on, the two strips share one side, bit for bit:
    # sides computed from azimuths a rounding error apart would leave a hairline crack
    # that the union keeps as a slit into the reach.
    for (i_in, i_out), turn in zip(joints, turns, strict=True):
        if abs(turn) < straight_deg:
            for key in sides_a:
                sides_a[key][i_out] = sides_b[key][i_in]
    # Runs of segments whose joints are straight or convex on a side: their strips and
    # wedges tile without overlapping and share their sides bit for bit, so one curve
    # around the run is their union. Fewer, fatter pieces make the final union linear.
    run_l: list[tuple[int, int]] = []
    run_r: list[tuple[int, int]] = []
    if left:
        run_l, concave_l, cross_l = _runs(
            joints, turns, m, straight_deg, +1.0, sides_a["L"][:, -1], sides_b["L"][:, -1]
        )
    if right:
        run_r, concave_r, cross_r = _runs(
            joints, turns, m, straight_deg, -1.0, sides_a["R"][:, -1], sides_b["R"][:, -1]
        )
    merged_l = {j for first, last in run_l for j in range(first, last)}
    merged_r = {j for first, last in run_r for j in range(first, last)}

    w_lon: list[float] = []
    w_lat: list[float] = []
    w_from: list[float] = []
    w_to: list[float] = []
    w_first: list[FloatArray] = []
    w_last: list[FloatArray] = []
    w_key: list[tuple[str, int] | None] = []  # (side, joint) of a wedge inside a run

    def add_wedge(lon: float, lat: float, az_from: float, az_to: float) -> None:
        w_lon.append(lon)
        w_lat.append(lat)
        w_from.append(az_from)
        w_to.append(az_to)

    def add_cap(lon: FloatArray, lat: FloatArray, az: FloatArray, i: int) -> None:
        """Half circle at vertex i, from the perpendicular at az + 90 to the one at az - 90."""
        one = slice(i, i + 1)
        add_wedge(lon[i], lat[i], az[i] + 90.0, az[i] + 270.0)
        w_first.append(_side(lon[one], lat[one], az[one] + 90.0, d)[0])
        w_last.append(_side(lon[one], lat[one], az[one] - 90.0, d)[0])
        w_key.append(None)

    for (i_in, i_out), turn in zip(joints, turns, strict=True):
        if abs(turn) > _SPIKE_DEG:
            # A spike: the path nearly doubles back, and on the ellipsoid its straight
            # lon/lat edges may even cross. A full circle covers the joint either way.
            extra.append(disc(float(b_lon[i_in]), float(b_lat[i_in]), d, tol))
            continue
        # The wedge runs clockwise over |turn| degrees from one strip's side to the
        # next; its two sides are those strips' own vertices. A straight joint needs
        # none: its strips share their side.
        if abs(turn) < straight_deg:
            continue
        joint = i_in if i_out == i_in + 1 else -1
        if left and turn > 0.0:  # right turn: convex on the left
            az_from = float(az21[i_in]) + 90.0
            add_wedge(b_lon[i_in], b_lat[i_in], az_from, az_from + abs(turn))
            w_first.append(sides_b["L"][i_in])
            w_last.append(sides_a["L"][i_out])
            w_key.append(("L", joint) if joint in merged_l else None)
        if right and turn < 0.0:  # left turn: convex on the right
            az_from = float(az12[i_out]) + 90.0
            add_wedge(b_lon[i_in], b_lat[i_in], az_from, az_from + abs(turn))
            w_first.append(sides_a["R"][i_out])
            w_last.append(sides_b["R"][i_in])
            w_key.append(("R", joint) if joint in merged_r else None)
    # End caps of open paths: half circles behind the start and ahead of the end, each
    # running clockwise from one perpendicular to the other.
    if not loop:
        for i in range(m):
            if i == 0 or not contiguous[i]:
                add_cap(a_lon, a_lat, az12, i)
            if i == m - 1 or not contiguous[i + 1]:
                add_cap(b_lon, b_lat, az21, i)
    in_run: dict[tuple[str, int], FloatArray] = {}
    if w_lon:
        arc_points = arcs(
            np.asarray(w_lon), np.asarray(w_lat), np.asarray(w_from), np.asarray(w_to), d, tol
        )
        for k, arc in enumerate(arc_points):
            run_key = w_key[k]
            if run_key is not None:
                in_run[run_key] = arc
                continue
            centre = np.array([[w_lon[k], w_lat[k]]])
            # clockwise: centre, first side out, arc, last side back; reversed for left
            cw = np.vstack([centre, w_first[k], arc, w_last[k][::-1]])
            curves.append(cw[::-1])
    empty = np.empty((0, 2))
    for first, last in run_l:
        # along the source, out at the end, back along the outer edges and arcs, in
        parts = [a_pt[first : last + 1], b_pt[last : last + 1], sides_b["L"][last]]
        for j in range(last - 1, first - 1, -1):  # joint between segments j and j + 1
            if concave_l[j]:
                parts.append(cross_l[j : j + 1])
            else:
                parts.append(sides_a["L"][j + 1][-1:])
                parts.append(in_run.get(("L", j), empty)[::-1])
                parts.append(sides_b["L"][j][-1:])
        parts.append(sides_a["L"][first][::-1])
        curves.append(_dedupe(np.vstack(parts)))
    for first, last in run_r:
        # out at the start, along the outer edges and arcs, in at the end, back along
        # the source
        parts = [a_pt[first : first + 1], sides_a["R"][first]]
        for j in range(first, last):
            if concave_r[j]:
                parts.append(cross_r[j : j + 1])
            else:
                parts.append(sides_b["R"][j][-1:])
                parts.append(in_run.get(("R", j), empty)[::-1])
                parts.append(sides_a["R"][j + 1][-1:])
        parts.append(sides_b["R"][last][::-1])
        parts.append(b_pt[first : last + 1][::-1])
        curves.append(_dedupe(np.vstack(parts)))
    return curves, extra, v


def _decompose(geom: BaseGeometry) -> tuple[list[Point], list[LineString], list[Polygon]]:
    points: list[Point] = []
    lines: list[LineString] = []
    polys: list[Polygon] = []
    for part in shapely.get_parts(geom):
        if isinstance(part, Point):
            points.append(part)
        elif isinstance(part, LineString):
            lines.append(part)
        elif isinstance(part, Polygon):
            if not part.is_valid:
                fixed = shapely.make_valid(part)
                p2, l2, g2 = _decompose(fixed)
                points += p2
                lines += l2
                polys += g2
            else:
                polys.append(part)
        else:  # multi-part or collection
            p2, l2, g2 = _decompose(part)
            points += p2
            lines += l2
            polys += g2
    return points, lines, polys


def buffer_geometry(geom: BaseGeometry, d: float, tol: float) -> Areal:
    """Return everything within ``d`` metres of a checked geometry, to ``tol`` metres.

    The union of the strips, wedges and end caps of every line and polygon ring, the
    polygons themselves, and discs around points; see :func:`rangemap.geodesy.buffer`.
    """
    if d >= MAX_DISTANCE_M - 1e-6:
        return shapely.orient_polygons(WORLD)
    points, lines, polys = _decompose(geom)
    pieces: list[BaseGeometry] = []
    curves: list[FloatArray] = []
    paths: list[tuple[FloatArray, bool, tuple[bool, bool]]] = []
    for ln in lines:
        paths.append((np.asarray(ln.coords, dtype=float)[:, :2], False, (True, True)))
    areas: list[tuple[int, int]] = []  # (first, last + 1) in paths of each polygon's rings
    oriented: list[BaseGeometry] = []
    for pg in polys:
        # a vertex a rounding error off ±180 goes on it, as the strips' do
        pg = shapely.orient_polygons(shapely.transform(pg, _snap_lon))
        oriented.append(pg)
        first = len(paths)
        for r in [pg.exterior, *pg.interiors]:
            # interior on the left of every ring: the outside is on the right
            paths.append((np.asarray(r.coords, dtype=float)[:, :2], True, (False, True)))
        areas.append((first, len(paths)))
    if d >= DISCS_ONLY_M:
        # Circles around the vertices; detail finer than a quarter of the tolerance
        # cannot move the boundary by more than that, so it is simplified away first.
        step_deg = 0.25 * tol / 111_320.0
        for c, closed, _ in paths:
            line = LineString(c) if len(c) > 1 else None
            if line is not None:
                c = np.asarray(shapely.simplify(line, step_deg).coords)
            v = densify_path(c, closed, tol, d)
            points.extend(Point(p) for p in v)
        pieces.extend(oriented)
    else:
        refined: list[FloatArray] = []
        for c, closed, sides in paths:
            cv, extra, v = _path_pieces(c, closed, sides, d, tol)
            curves.extend(cv)
            pieces.extend(extra)
            refined.append(v)
        pole = _near_pole(geom, d)
        if pole is None or not curves:
            pieces.extend(oriented)
            pieces.extend(small_regions_left_of(curves))
        else:
            # The polygons join the polar union with the very vertices of their strips:
            # united once in the plane and turned back once, they need no second union.
            shapes = [(refined[i], refined[i + 1 : j]) for i, j in areas]
            pieces.append(_union_polar(curves, shapes, pole, tol))
    if points:
        xy = np.unique(shapely.get_coordinates(points), axis=0)
        pieces.extend(discs(xy, d, tol))
    out = pieces[0] if len(pieces) == 1 else shapely.union_all(pieces)
    if d >= DISCS_ONLY_M:
        out = _drop_seam_points(out)
    return keep_polygons(_drop_slivers(out))


def _snap_lon(xy: FloatArray) -> FloatArray:
    """Put longitudes within 1e-9 degrees of ±180 exactly on it (see ``_planar``)."""
    return np.column_stack([snap_antimeridian(xy[:, 0]), xy[:, 1]])


def _near_pole(geom: BaseGeometry, d: float) -> float | None:
    """Return the pole (90 or -90) the pieces of a buffer come near, if exactly one."""
    _, ymin, _, ymax = geom.bounds
    reach_deg = d / 110_000.0 + 2.0
    north = 90.0 - ymax < reach_deg
    south = ymin + 90.0 < reach_deg
    if north and not south and ymin - reach_deg > -60.0:
        return 90.0
    if south and not north and ymax + reach_deg < 60.0:
        return -90.0
    return None


def _union_polar(
    curves: list[FloatArray],
    shapes: list[tuple[FloatArray, list[FloatArray]]],
    pole: float,
    tol: float,
) -> BaseGeometry:
    """Union buffer pieces near a pole in a polar stereographic plane.

    Near a pole the sides of strips and wedges swing through many degrees of longitude
    between vertices, where unwrapping longitudes is ambiguous; in a polar
    stereographic plane every piece is an ordinary polygon. The union's rings then go
    back to longitude/latitude through :func:`region_left_of`.
    """
    to_plane = Transformer.from_crs(
        "EPSG:4326", f"+proj=stere +lat_0={pole:g} +lon_0=0 +k=1 +ellps=WGS84", always_xy=True
    )
    # A grid a millionth of the tolerance: the same point reached from two longitudes
    # of the pole (the sides of caps at (132, 90) and (136, 90) along one geodesic)
    # differs in the last bits, and the union would keep a crack from pole to rim.
    grid = 1e-6 * tol

    def plane(lon: FloatArray, lat: FloatArray) -> tuple[FloatArray, FloatArray]:
        x, y = to_plane.transform(lon, lat)
        return np.round(x / grid) * grid, np.round(y / grid) * grid

    sizes = np.array([c.shape[0] for c in curves])
    coords = np.concatenate(curves)
    px, py = plane(coords[:, 0], coords[:, 1])
    ids = np.repeat(np.arange(len(curves)), sizes)
    polys = shapely.polygons(shapely.linearrings(np.column_stack([px, py]), indices=ids))
    bad = ~shapely.is_valid(polys)
    polys[bad] = shapely.make_valid(polys[bad])
    areas = []
    for shell, holes in shapes:
        rings = [np.column_stack(plane(r[:, 0], r[:, 1])) for r in [shell, *holes]]
        if len(rings[0]) >= 4:
            areas.append(
                shapely.make_valid(Polygon(rings[0], [h for h in rings[1:] if len(h) >= 4]))
            )
    union = shapely.union_all([*polys, *areas])
    # Vertices of the pieces go back to their exact lon/lat, so that the reach meets
    # the source and other shapes along the very same edges.
    known = dict(zip(zip(px.tolist(), py.tolist(), strict=True), coords.tolist(), strict=True))
    min_hole_m2 = 1e-2 * tol * tol
    out: list[BaseGeometry] = []
    for part in shapely.get_parts(union):
        if not isinstance(part, Polygon) or part.is_empty:
            continue
        part = shapely.orient_polygons(part)
        region = _ring_from_plane(part.exterior, to_plane, known)
        # hairline cracks between pieces are not holes of the reach
        holes = [
            _ring_from_plane(h.reverse(), to_plane, known)
            for h in part.interiors
            if Polygon(h).area > min_hole_m2
        ]
        out.append(region.difference(shapely.union_all(holes)) if holes else region)
    # parts of one planar union are disjoint: only parts cut at ±180 need joining
    return out[0] if len(out) == 1 else shapely.union_all(out)


def _ring_from_plane(
    ring: BaseGeometry, to_plane: Transformer, known: dict[tuple[float, float], list[float]]
) -> BaseGeometry:
    """Turn a planar ring with its region on the left back into lon/lat polygons."""
    xy = np.asarray(ring.coords)[:-1]
    lon, lat = to_plane.transform(xy[:, 0], xy[:, 1], direction="INVERSE")
    out = np.column_stack([lon, lat])
    for i, key in enumerate(zip(xy[:, 0].tolist(), xy[:, 1].tolist(), strict=True)):
        exact = known.get(key)
        if exact is not None:
            out[i] = exact
    return region_left_of(out, small=True)


def _drop_seam_points(geom: BaseGeometry) -> BaseGeometry:
    """Drop vertices inside straight runs along ±180 and along the poles.

    Every disc holding a pole is closed along ±180, where it meets the antimeridian;
    their union keeps each of those points on its side along ±180 (a thousand for
    Ukraine + 9,000 km), though only the run's two ends shape it.
    """

    def thin(ring: BaseGeometry) -> FloatArray:
        xy = np.asarray(ring.coords)[:-1]
        prev, nxt = np.roll(xy, 1, axis=0), np.roll(xy, -1, axis=0)
        on_x = (np.abs(xy[:, 0]) == 180.0) & (prev[:, 0] == xy[:, 0]) & (nxt[:, 0] == xy[:, 0])
        on_y = (np.abs(xy[:, 1]) == 90.0) & (prev[:, 1] == xy[:, 1]) & (nxt[:, 1] == xy[:, 1])
        keep = ~(on_x | on_y)
        return xy[keep] if keep.sum() >= 3 else xy

    polys = []
    for p in shapely.get_parts(geom):
        if not isinstance(p, Polygon):
            return geom
        polys.append(Polygon(thin(p.exterior), [thin(h) for h in p.interiors]))
    out = shapely.multipolygons(polys) if len(polys) > 1 else polys[0] if polys else geom
    return out if shapely.is_valid(out) else geom


def _drop_slivers(geom: BaseGeometry) -> BaseGeometry:
    """Remove holes and parts of negligible area left by rounding in the union."""
    polys = []
    dropped = False
    for p in shapely.get_parts(geom):
        if not isinstance(p, Polygon) or p.area < 1e-14:
            dropped = True
            continue
        holes = [h for h in p.interiors if Polygon(h).area > 1e-12]
        dropped = dropped or len(holes) < len(p.interiors)
        polys.append(Polygon(p.exterior, holes))
    if not dropped and shapely.is_valid(geom):
        return geom
    return shapely.union_all(polys) if polys else Polygon()
