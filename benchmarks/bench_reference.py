"""Accuracy against external references: Karney's GeodTest set and exact pole-cap areas.

Prints one markdown table. Run: ``.venv/bin/python benchmarks/bench_reference.py``.
"""

from __future__ import annotations

import gzip
import time
from pathlib import Path

import numpy as np
import shapely
from pyproj import Geod, Transformer

from rangemap.geodesy import distance_m, ring
from rangemap.geodesy._ellipsoid import GEOD

DATA = Path(__file__).resolve().parents[1] / "tests" / "data" / "GeodTest-short.dat.gz"
PYPROJ = Geod(ellps="WGS84")
# Equal-area cylindrical projection on WGS84: planar area there is ellipsoidal area.
CEA = Transformer.from_crs("EPSG:4326", "+proj=cea +ellps=WGS84", always_xy=True)


def geodtest_rows() -> list[str]:
    with gzip.open(DATA, "rt") as f:
        table = np.loadtxt(f)
    lat1, lon1, azi1, lat2, lon2, _, s12 = table[:, :7].T
    start = time.perf_counter()
    lo, la, _ = GEOD.fwd(lon1, lat1, azi1, s12)
    direct_s = time.perf_counter() - start
    direct_miss = PYPROJ.inv(lo, la, lon2, lat2)[2]
    start = time.perf_counter()
    got = distance_m(np.column_stack([lon1, lat1]), np.column_stack([lon2, lat2]))
    inverse_s = time.perf_counter() - start
    inverse_miss = np.abs(got - s12)
    n = len(s12)
    return [
        f"| GeodTest-short, direct ({n:,} geodesics, 0 to 20,003 km) | "
        f"max miss {direct_miss.max() * 1e9:.1f} nm | ≤ 1 mm | {direct_s * 1e3:.1f} ms |",
        f"| GeodTest-short, inverse ({n:,} geodesics) | "
        f"max error {inverse_miss.max() * 1e9:.1f} nm | ≤ 1 mm | {inverse_s * 1e3:.1f} ms |",
    ]


def cap_area_rows() -> list[str]:
    rows = []
    for name, center, radius_m in [
        ("60°N 30°E, 3,500 km", (30.0, 60.0), 3_500_000),
        ("70°S 60°W, 2,500 km", (-60.0, -70.0), 2_500_000),
        ("North Pole, 1,000 km", (0.0, 90.0), 1_000_000),
    ]:
        start = time.perf_counter()
        geom = ring(center, radius_m)
        took = time.perf_counter() - start
        dense = shapely.segmentize(geom, 0.01)
        area = shapely.transform(
            dense, lambda xy: np.column_stack(CEA.transform(xy[:, 0], xy[:, 1]))
        ).area
        az = np.linspace(0, 360, 400_001)[:-1]
        n = az.size
        lo, la, _ = PYPROJ.fwd(
            np.full(n, center[0]), np.full(n, center[1]), az, np.full(n, float(radius_m))
        )
        exact = abs(PYPROJ.polygon_area_perimeter(lo, la)[0])
        rows.append(
            f"| pole-enclosing ring, {name}: area vs exact cap | "
            f"{(area - exact) / exact * 100:+.5f} % | ≤ 0.01 % | {took * 1e3:.1f} ms |"
        )
    return rows


def main() -> None:
    print("| reference | rangemap | target | time |")
    print("|---|---:|---|---:|")
    for row in geodtest_rows() + cap_area_rows():
        print(row)


if __name__ == "__main__":
    main()
