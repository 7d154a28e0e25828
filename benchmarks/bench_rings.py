"""Cost of rangemap's rings and distances against the raw geodesic calls they are made of.

Each row times a rangemap call and its peer alternately in the same run (each repeat
averaging a few calls of each, so both see the same load on a shared machine) and prints
the median of the repeats' ratios beside the target of issue 14:

* a ring against one ``Geod.fwd`` call for as many vertices as the ring has (the least
  work any exact ring needs: one direct problem per vertex);
* a ring near the antipodal distance against ``Geod.fwd`` of 360 vertices;
* 1,000 discs of 300 km united into one reach against the ideal: one ``Geod.fwd`` for
  all their vertices, ``shapely.polygons`` and ``shapely.union_all``;
* scalar :func:`rangemap.geodesy.distance_m` against one scalar ``Geod.inv``.

Prints the machine above one markdown table. Run from the repository root:

    .venv/bin/python benchmarks/bench_rings.py
"""

from __future__ import annotations

import os
import platform
import statistics
import timeit
from collections.abc import Callable

import numpy as np
import pyproj
import shapely
from pyproj import Geod

from rangemap import geodesy
from rangemap.geodesy._circles import discs

GEOD = Geod(ellps="WGS84")
REPEATS = 7


def paired(
    ours: Callable[[], object],
    peer: Callable[[], object],
    *,
    number: tuple[int, int] = (1, 1),
    repeats: int = REPEATS,
) -> tuple[float, float, float]:
    """Time ``ours`` and ``peer`` alternately: their median times and the median ratio.

    Each repeat times ``number[0]`` calls of ours, then ``number[1]`` calls of the peer,
    so both see the same load on a shared machine; the ratio is the median of the
    repeats' ratios.
    """
    ours()  # warm up
    peer()
    mine, theirs = [], []
    for _ in range(repeats):
        mine.append(timeit.timeit(ours, number=number[0]) / number[0])
        theirs.append(timeit.timeit(peer, number=number[1]) / number[1])
    ratio = statistics.median(a / b for a, b in zip(mine, theirs, strict=True))
    return statistics.median(mine), statistics.median(theirs), ratio


def fwd_of(n: int, lon: float, lat: float, r: float) -> Callable[[], object]:
    """One vectorised direct problem for ``n`` vertices around (lon, lat)."""
    lons = np.full(n, lon)
    lats = np.full(n, lat)
    az = np.linspace(0.0, 360.0, n, endpoint=False)
    dist = np.full(n, r)
    return lambda: GEOD.fwd(lons, lats, az, dist, return_back_azimuth=False)


def vertex_count(geom: shapely.Geometry) -> int:
    """Vertices of a polygon, closing ones included."""
    return int(shapely.get_num_coordinates(geom))


Row = tuple[str, float, str, float, float, float]


def ring_row(
    label: str, lon: float, lat: float, r: float, peer_n: int | None, target: float
) -> Row:
    geom = geodesy.ring((lon, lat), r)
    n = vertex_count(geom) if peer_n is None else peer_n
    ours, peer, ratio = paired(
        lambda: geodesy.ring((lon, lat), r), fwd_of(n, lon, lat, r), number=(5, 20), repeats=21
    )
    return (label, ours, f"`Geod.fwd` \u00d7 {n:,}", peer, ratio, target)


def origins_row(target: float) -> Row:
    rng = np.random.default_rng(14)
    xy = np.column_stack([rng.uniform(20.0, 50.0, 1000), rng.uniform(40.0, 60.0, 1000)])
    r = 300_000.0
    tol = geodesy.default_tolerance_m(r)
    one = geodesy.ring((float(xy[0, 0]), float(xy[0, 1])), r)
    n = vertex_count(one) - 1  # without the closing vertex

    def ours() -> object:
        return shapely.union_all(discs(xy, r, tol))

    lons = np.repeat(xy[:, 0], n)
    lats = np.repeat(xy[:, 1], n)
    az = np.tile(np.linspace(0.0, 360.0, n, endpoint=False)[::-1], xy.shape[0])
    dist = np.full(lons.size, r)
    ids = np.repeat(np.arange(xy.shape[0]), n)

    def ideal() -> object:
        lo, la, _ = GEOD.fwd(lons, lats, az, dist, return_back_azimuth=False)
        rings = shapely.linearrings(np.column_stack([lo, la]), indices=ids)
        return shapely.union_all(shapely.polygons(rings))

    mine, theirs, ratio = paired(ours, ideal, repeats=7)
    return (
        "1,000 origins \u00d7 300 km, united",
        mine,
        f"fwd {n} \u00d7 1,000 + polygons + `union_all`",
        theirs,
        ratio,
        target,
    )


def distance_row(target: float) -> Row:
    a, b = (30.5234, 50.4501), (37.6173, 55.7558)
    ours, peer, ratio = paired(
        lambda: geodesy.distance_m(a, b),
        lambda: GEOD.inv(a[0], a[1], b[0], b[1]),
        number=(2000, 2000),
    )
    return ("scalar `distance_m` (Kyiv, Moscow)", ours, "scalar `Geod.inv`", peer, ratio, target)


def fmt(seconds: float) -> str:
    if seconds < 1e-3:
        return f"{seconds * 1e6:.1f} µs"
    return f"{seconds * 1e3:.2f} ms"


def main() -> None:
    rows = [
        ring_row("ring 300 km at 50°N", 36.23, 50.0, 300_000.0, None, 5.0),
        ring_row("ring 10,000 km at the equator", 36.23, 0.0, 10_000_000.0, None, 5.0),
        ring_row("ring 19,990 km (50°N)", 36.23, 50.0, 19_990_000.0, 360, 10.0),
        origins_row(3.0),
        distance_row(3.0),
    ]
    load = ", ".join(f"{x:.2f}" for x in os.getloadavg())
    print(
        f"Python {platform.python_version()}, pyproj {pyproj.__version__} "
        f"(PROJ {pyproj.proj_version_str}), shapely {shapely.__version__}, "
        f"numpy {np.__version__}; {os.cpu_count()} cores, load average {load}; "
        f"rangemap and its peer timed alternately, median times and median of the "
        f"paired ratios over 21 repeats ({REPEATS} for 1,000 origins and distances)"
    )
    print()
    print("| measure | rangemap | peer | ratio | target |")
    print("|---|---:|---|---:|---|")
    for label, ours, peer_label, peer, ratio, target in rows:
        ok = "ok" if ratio <= target else "over"
        print(
            f"| {label} | {fmt(ours)} | {peer_label}: {fmt(peer)} | {ratio:.1f}\u00d7 "
            f"| ≤ {target:g}\u00d7 ({ok}) |"
        )


if __name__ == "__main__":
    main()
