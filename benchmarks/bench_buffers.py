"""Speed of rangemap's geodesic buffers against a planar AEQD buffer, measured in one run.

Test data: the 30,000-vertex coast is Norway's mainland from the bundled Natural Earth
countries (``rangemap.regions``), its outline split evenly with ``shapely.segmentize``
into about 3,000, 10,000 and 30,000 vertices; Russia, Antarctica and Ukraine are the
bundled countries as they are. The peer is ``GeoSeries.buffer(d, quad_segs=64)`` in an
azimuthal equidistant projection centred on the source's centroid, there and back
(fast, but up to a few per cent wrong at these sizes; see bench_geodesy.py). Accuracy:
the largest |geodesic distance from the drawn boundary to the source - d| over 3,000
sampled edge points (``rangemap.geodesy.distance_to``, exact), over the tolerance.
Times are medians. Run from the repository root:

    .venv/bin/python benchmarks/bench_buffers.py
"""

from __future__ import annotations

import os
import platform
import statistics
import time
from collections.abc import Callable

import geopandas as gpd
import numpy as np
import pyproj
import shapely
from shapely.geometry import Polygon
from shapely.geometry.base import BaseGeometry

from rangemap import geodesy, regions
from rangemap.geodesy._accuracy import edge_points

X = "\N{MULTIPLICATION SIGN}"


def coast(n: int) -> Polygon:
    """Norway's mainland outline split into about ``n`` vertices."""
    mainland = max(shapely.get_parts(regions.country("Norway")), key=lambda p: p.area)
    return Polygon(shapely.segmentize(mainland.exterior, mainland.exterior.length / n))


def aeqd_buffer(source: BaseGeometry, d: float) -> BaseGeometry:
    c = source.centroid
    crs = pyproj.CRS.from_proj4(f"+proj=aeqd +lat_0={c.y} +lon_0={c.x} +datum=WGS84 +units=m")
    series = gpd.GeoSeries([source], crs=4326).to_crs(crs)
    return series.buffer(d, quad_segs=64).to_crs(4326).iloc[0]


def timed(fn: Callable[[], BaseGeometry], repeat: int) -> tuple[BaseGeometry, float]:
    times: list[float] = []
    out: BaseGeometry | None = None
    for _ in range(repeat):
        start = time.perf_counter()
        out = fn()
        times.append(time.perf_counter() - start)
    assert out is not None
    return out, statistics.median(times)


def accuracy(source: BaseGeometry, d: float, geom: BaseGeometry) -> float:
    p = edge_points(geom, per_edge=3)
    if len(p) > 3000:
        p = p[np.random.default_rng(0).choice(len(p), 3000, replace=False)]
    err = geodesy.distance_to(source, p[:, 0], p[:, 1]) - d
    return float(np.abs(err).max() / geodesy.default_tolerance_m(d))


def main() -> None:
    load = os.getloadavg()
    print(
        f"Python {platform.python_version()}, pyproj {pyproj.__version__}, shapely "
        f"{shapely.__version__} (GEOS {shapely.geos_version_string}), "
        f"{os.cpu_count()} cores, load average {load[0]:.2f} / {load[1]:.2f} / {load[2]:.2f}"
    )
    print()
    print("| measure | rangemap | peer | ratio | target | accuracy (max error / tolerance) |")
    print("|---|---:|---:|---:|---:|---:|")
    times: dict[int, float] = {}
    for n in (3_000, 10_000, 30_000):
        source = coast(n)
        d = 300_000.0
        geom, secs = timed(lambda s=source, d=d: geodesy.buffer(s, d), 3)
        times[n] = secs
        if n == 30_000:
            _, peer = timed(lambda s=source, d=d: aeqd_buffer(s, d), 3)
            verts = shapely.get_num_coordinates(source)
            print(
                f"| coast ({verts:,} vertices) + 300 km vs AEQD buffer at centroid | "
                f"{secs * 1e3:,.0f} ms | {peer * 1e3:,.0f} ms | {secs / peer:.1f}{X} | ≤ 10{X} "
                f"(aim 3{X}) | {accuracy(source, d, geom):.2f} |"
            )
    print(
        f"| coast buffer time, 3k → 10k vertices | {times[10_000] * 1e3:,.0f} ms | "
        f"{times[3_000] * 1e3:,.0f} ms | {times[10_000] / times[3_000]:.1f}{X} | ≤ 3.7{X} | |"
    )
    print(
        f"| coast buffer time, 3k → 30k vertices | {times[30_000] * 1e3:,.0f} ms | "
        f"{times[3_000] * 1e3:,.0f} ms | {times[30_000] / times[3_000]:.1f}{X} | ≤ 11{X} | |"
    )
    for name, d in (("Russia", 500_000.0), ("Antarctica", 500_000.0), ("Ukraine", 9_000_000.0)):
        source = regions.country(name)
        geom, secs = timed(lambda s=source, d=d: geodesy.buffer(s, d), 2)
        _, peer = timed(lambda s=source, d=d: aeqd_buffer(s, d), 2)
        print(
            f"| {name} + {d / 1000:,.0f} km vs AEQD buffer at centroid | {secs * 1e3:,.0f} ms | "
            f"{peer * 1e3:,.0f} ms | {secs / peer:.1f}{X} | | {accuracy(source, d, geom):.2f} |",
            flush=True,
        )


if __name__ == "__main__":
    main()
