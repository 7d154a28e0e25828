"""Accuracy and speed of rangemap's reach shapes against common recipes.

For each case, every method's drawn boundary is sampled (3 points per edge, straight in
the method's own plane: lon/lat for rangemap, Web Mercator for Leaflet, the projection
for projected buffers) and the exact WGS84 geodesic distance from each sample to the
source (densified to ~1 km) is compared with the nominal distance. Prints one markdown
table. Run from the repository root:

    .venv/bin/python benchmarks/bench_geodesy.py
"""

from __future__ import annotations

import math
import platform
import statistics
import time
from collections.abc import Callable

import geopandas as gpd
import numpy as np
import pyproj
import shapely
from pyproj import Geod, Transformer
from shapely.geometry import LineString, Point
from shapely.geometry.base import BaseGeometry

from rangemap import geodesy, regions
from rangemap.geodesy._accuracy import distance_to_source, edge_points

GEOD = Geod(ellps="WGS84")
SAMPLES = 4000


# --- Leaflet 1.9.3 L.Circle._project, re-implemented to measure it -------------------

EARTH_R = 6371000.0  # L.CRS.Earth.R
MERC_R = 6378137.0  # L.Projection.SphericalMercator.R
MAX_LAT = 85.0511287798


def _project(lat: float, lng: float) -> tuple[float, float]:
    lat = max(min(MAX_LAT, lat), -MAX_LAT)
    return MERC_R * math.radians(lng), MERC_R * math.log(
        math.tan(math.pi / 4 + math.radians(lat) / 2)
    )


def _unproject(x: np.ndarray, y: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    return np.degrees(x / MERC_R), np.degrees(2 * np.arctan(np.exp(y / MERC_R)) - np.pi / 2)


def leaflet_circle_outline(lon: float, lat: float, radius_m: float) -> np.ndarray:
    """The outline Leaflet draws for L.circle: an axis-aligned ellipse in Web Mercator."""
    d = math.pi / 180
    lat_r = (radius_m / EARTH_R) / d
    top = _project(lat + lat_r, lon)
    bottom = _project(lat - lat_r, lon)
    px, py = (top[0] + bottom[0]) / 2, (top[1] + bottom[1]) / 2
    lat2 = float(_unproject(np.array(px), np.array(py))[1])
    cos_arg = (math.cos(lat_r * d) - math.sin(lat * d) * math.sin(lat2 * d)) / (
        math.cos(lat * d) * math.cos(lat2 * d)
    )
    lng_r = math.acos(cos_arg) / d if -1 <= cos_arg <= 1 else math.nan
    if math.isnan(lng_r) or lng_r == 0:
        lng_r = lat_r / math.cos(math.pi / 180 * lat)  # Leaflet's fallback (#2425)
    rx = px - _project(lat2, lon - lng_r)[0]
    ry = top[1] - py
    t = np.linspace(0, 2 * np.pi, 3600, endpoint=False)
    lo, la = _unproject(px + rx * np.cos(t), py + ry * np.sin(t))
    return np.column_stack([lo, la])


# --- error measurement ------------------------------------------------------------


def projected_boundary(geom: BaseGeometry, crs: pyproj.CRS) -> np.ndarray:
    """Samples of a projected polygon's edges, straight in the projection, as lon/lat."""
    rings = [r for p in shapely.get_parts(geom) for r in [p.exterior, *p.interiors]]
    xy = np.vstack(
        [np.asarray(shapely.segmentize(r, max(r.length / 20000, 1.0)).coords) for r in rings]
    )
    lon, lat = Transformer.from_crs(crs, 4326, always_xy=True).transform(xy[:, 0], xy[:, 1])
    return np.column_stack([lon, lat])


def errors(source: BaseGeometry, distance: float, samples: np.ndarray) -> tuple[float, float]:
    ok = np.isfinite(samples).all(axis=1)
    samples = samples[ok]
    if len(samples) > SAMPLES:
        samples = samples[np.random.default_rng(0).choice(len(samples), SAMPLES, replace=False)]
    d = distance_to_source(source, samples) - distance
    return float(d.min()), float(d.max())


def timed(fn: Callable[[], object], repeat: int) -> tuple[object, float]:
    times, out = [], None
    for _ in range(repeat):
        t0 = time.perf_counter()
        out = fn()
        times.append(time.perf_counter() - t0)
    return out, statistics.median(times)


# --- methods ----------------------------------------------------------------------


def planar_buffer(
    source: BaseGeometry, distance: float, crs: pyproj.CRS
) -> Callable[[], np.ndarray]:
    def run() -> np.ndarray:
        projected = gpd.GeoSeries([source], crs=4326).to_crs(crs)
        return projected_boundary(projected.buffer(distance, quad_segs=64).iloc[0], crs)

    return run


def aeqd_at(source: BaseGeometry) -> pyproj.CRS:
    c = source if isinstance(source, Point) else source.centroid
    return pyproj.CRS.from_proj4(f"+proj=aeqd +lat_0={c.y} +lon_0={c.x} +datum=WGS84 +units=m")


def cell(err: tuple[float, float] | None, distance: float, seconds: float | None) -> str:
    if err is None:
        return "n/a"
    lo, hi = err
    return (
        f"{lo / 1000:+.2f} … {hi / 1000:+.2f} km<br>({lo / distance * 100:+.3f} … "
        f"{hi / distance * 100:+.3f} %)<br>{seconds * 1000:,.1f} ms"
    )


def main() -> None:
    usa = max(shapely.get_parts(regions.country("USA")), key=lambda p: p.area)
    front = LineString(
        [
            (31.5, 46.6),
            (33.0, 47.0),
            (35.0, 47.6),
            (37.5, 47.9),
            (38.5, 49.0),
            (38.0, 50.5),
            (36.0, 51.8),
            (34.0, 52.3),
        ]
    )
    cases: list[tuple[str, BaseGeometry, float]] = [
        ("Kharkiv, 300 km circle", Point(36.2304, 49.9935), 300_000),
        ("Moscow, 3,000 km circle", Point(37.6173, 55.7558), 3_000_000),
        ("Murmansk, 3,000 km circle (pole inside)", Point(33.0833, 68.9667), 3_000_000),
        ("Anadyr, 1,000 km circle (across ±180)", Point(177.5089, 64.7337), 1_000_000),
        ("Ukraine + 300 km", regions.country("Ukraine"), 300_000),
        (f"front line ({GEOD.geometry_length(front) / 1000:,.0f} km) + 300 km", front, 300_000),
        ("contiguous USA + 1,000 km", usa, 1_000_000),
        ("China + 1,500 km", regions.country("China"), 1_500_000),
    ]
    header = [
        "case",
        "rangemap",
        "Leaflet `L.Circle`",
        "EPSG:3857 buffer",
        "UTM buffer",
        "AEQD at centroid",
    ]
    print("| " + " | ".join(header) + " |")
    print("|" + "---|" * len(header))
    for name, source, distance in cases:
        cells = [name]
        repeat = 50 if isinstance(source, Point) else 3
        geom, secs = timed(lambda s=source, d=distance: geodesy.buffer(s, d), repeat)
        cells.append(cell(errors(source, distance, edge_points(geom, per_edge=3)), distance, secs))
        if isinstance(source, Point):
            outline, secs = timed(
                lambda s=source, d=distance: leaflet_circle_outline(s.x, s.y, d), repeat
            )
            cells.append(cell(errors(source, distance, outline), distance, secs))
        else:
            cells.append("n/a (points only)")
        utm = gpd.GeoSeries([source], crs=4326).estimate_utm_crs()
        for crs in (pyproj.CRS.from_epsg(3857), utm, aeqd_at(source)):
            samples, secs = timed(planar_buffer(source, distance, crs), 3)
            cells.append(cell(errors(source, distance, samples), distance, secs))
        print("| " + " | ".join(cells) + " |", flush=True)
    print()
    print(
        f"Error: geodesic distance from the drawn boundary to the source, minus the nominal "
        f"distance (min … max over {SAMPLES:,} samples). Time: median wall clock on "
        f"{platform.python_implementation()} {platform.python_version()}, pyproj "
        f"{pyproj.__version__}, shapely {shapely.__version__}."
    )


if __name__ == "__main__":
    main()
