"""Speed of the gazetteer: loading, geocoding, places within a reach; size of the data.

Run: ``python benchmarks/bench_places.py``. Prints a markdown table. Each timing is
the median of several runs (the best one in brackets) on this machine.
"""

from __future__ import annotations

import contextlib
import random
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from importlib.resources import files

import numpy as np
import shapely
from pyproj import Geod
from shapely.geometry import LineString, Point
from shapely.geometry.base import BaseGeometry

from rangemap.geodesy import buffer, distance_to, ring
from rangemap.places import Gazetteer, Site, geocode, load_gazetteer, parse_origin, within
from rangemap.regions import country

GEOD = Geod(ellps="WGS84")
#: A 20-vertex front line from north of Kharkiv to the Dnipro mouth.
FRONT_20 = [(36.9 - 0.03 * i * i / 19 + 0.0, 50.3 - 0.2 * i) for i in range(10)] + [
    (35.6 - 0.6 * i, 48.4 - 0.18 * i) for i in range(10)
]

ORIGINS = [
    "Sumy",
    "Kharkiv, UA",
    "Kramatorsk",
    "Zaporizhzhia",
    "Dnipro",
    "Poltava",
    "Chernihiv",
    "Kherson",
    "Mykolaiv, UA",
    "Odesa",
]


def timed(func: Callable[[], object], *, repeat: int = 7) -> tuple[float, float]:
    """Median and best wall time of ``func`` in seconds."""
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        func()
        times.append(time.perf_counter() - start)
    return statistics.median(times), min(times)


def fmt(seconds: tuple[float, float]) -> str:
    median, best = seconds
    return f"{median * 1000:,.1f} ms ({best * 1000:,.1f})"


def main() -> None:
    rows: list[tuple[str, str, str]] = []

    size = f"{len(Gazetteer()):,}"
    rows.append((f"load the city table ({size} rows)", fmt(timed(Gazetteer, repeat=5)), "-"))

    def first_lookup() -> None:
        Gazetteer().rows_named("kyiv")

    rows.append(
        ("load the city table + name index (first look-up)", fmt(timed(first_lookup)), "≤ 500 ms")
    )

    def whole_index() -> None:
        Gazetteer().name_index  # noqa: B018 (building it is the point)

    rows.append(
        (
            "same + the whole name index as a dict (misses only)",
            fmt(timed(whole_index, repeat=3)),
            "-",
        )
    )

    def fresh(code: str) -> Callable[[], object]:
        return lambda: subprocess.run([sys.executable, "-c", code], check=True)

    imports = timed(fresh("import rangemap.places"), repeat=5)
    first = timed(fresh("from rangemap.places import geocode; geocode('Kyiv')"), repeat=5)
    rows.append(("fresh process: `import rangemap.places`", fmt(imports), "-"))
    rows.append(("fresh process: import + first `geocode('Kyiv')`", fmt(first), "-"))
    rows.append(
        (
            "fresh process: first `geocode('Kyiv')` alone (difference of medians)",
            f"{(first[0] - imports[0]) * 1000:,.1f} ms",
            "≤ 500 ms",
        )
    )

    gazetteer = load_gazetteer()
    rng = random.Random(20241125)
    sample = rng.sample(range(len(gazetteer)), 900)
    names = [gazetteer.name[row] for row in sample]
    names += ["Kiev", "Київ", "Киев", "קייב", "Kharkiv, UA", "Springfield, IL"] * 16
    names += ["Alexandria"] * 4
    assert len(names) == 1_000

    def geocode_all_names() -> None:
        for name in names:
            # a name that is ambiguous between comparable cities is refused (still timed)
            with contextlib.suppress(LookupError):
                geocode(name)

    rows.append(
        ("geocode 1,000 names (hits, mixed scripts)", fmt(timed(geocode_all_names)), "≤ 1 s")
    )

    def miss() -> None:
        with contextlib.suppress(LookupError):
            geocode("Kyivv")

    rows.append(("one miss, with suggestions", fmt(timed(miss, repeat=5)), "-"))

    origins = [parse_origin(text) for text in ORIGINS]
    reach = shapely.union_all([ring((o.lon, o.lat), 300_000) for o in origins])

    rows.append(
        (
            f"within: all {len(gazetteer):,} cities vs ten 300 km discs, no distances",
            fmt(timed(lambda: within(reach))),
            "≤ 100 ms",
        )
    )
    found = within(reach, origins=origins)
    rows.append(
        (
            f"within: same, with distance to the nearest of 10 origins ({len(found):,} found)",
            fmt(timed(lambda: within(reach, origins=origins))),
            "≤ 100 ms",
        )
    )

    # 100 origins along a 1,000 km front, 300 km each: the exact distances to the nearest
    # origin, against a plain prepared point-in-polygon test of every city (the peer).
    front = [(30.0 + 0.15 * i, 47.0 + 0.05 * i) for i in range(100)]
    wide = shapely.union_all([ring(p, 300_000) for p in front])
    sites = [Site(Point(lon, lat), f"origin {i}") for i, (lon, lat) in enumerate(front)]
    lon, lat = gazetteer.lon, gazetteer.lat

    def peer() -> None:
        shapely.prepare(wide)
        shapely.contains_xy(wide, lon, lat)

    ours = timed(lambda: within(wide, origins=sites))
    baseline = timed(peer)
    rows.append(
        (
            f"within: 100 origins, distances to the nearest ({len(within(wide, origins=sites)):,}"
            " found)",
            fmt(ours),
            "≤ 20 ms",
        )
    )
    rows.append(("peer: prepared shapely contains_xy, every city, no distances", fmt(baseline), ""))
    rows.append(("ratio, 100 origins to the peer (medians)", f"{ours[0] / baseline[0]:.1f}\u00d7",
                 "≤ 10\u00d7"))  # fmt: skip

    rows += distances_from_shapes()

    data = files("rangemap") / "data"
    sizes = {p.name: len(p.read_bytes()) for p in data.iterdir() if "gazetteer" in p.name}
    for name, size in sorted(sizes.items()):
        rows.append((f"data file `{name}`", f"{size / 1000:,.0f} kB", ""))
    rows.append(("data files, total", f"{sum(sizes.values()) / 1e6:.2f} MB", "≤ 10 MB"))

    print("| measure | median (best) | budget |")
    print("|---|---:|---|")
    for measure, value, budget in rows:
        print(f"| {measure} | {value} | {budget} |")


def _brute_force(geometry: BaseGeometry, lon: np.ndarray, lat: np.ndarray) -> np.ndarray:
    """Reference: every real edge (straight in lon/lat) sampled every 10 m, min of Geod.inv.

    Edges along ±180 or a pole line (RFC 7946 cuts) are left out; edges are cut into
    1 km pieces and only those that can hold the nearest point (half the sum of the
    distances to their ends minus 1.01 x their length below the nearest end) are
    sampled. 0 inside a polygon.
    """
    starts, ends = [], []
    for part in shapely.get_parts(geometry):
        rings = [part.exterior, *part.interiors] if part.geom_type == "Polygon" else [part]
        for path in rings:
            xy = np.asarray(path.coords)
            a, b = xy[:-1], xy[1:]
            cut = ((np.abs(a[:, 0]) == 180) & (np.abs(b[:, 0]) == 180)) | (
                (np.abs(a[:, 1]) == 90) & (np.abs(b[:, 1]) == 90)
            )
            starts.append(a[~cut])
            ends.append(b[~cut])
    a, b = _split(np.concatenate(starts), np.concatenate(ends), 1_000.0)
    _, _, length = GEOD.inv(a[:, 0], a[:, 1], b[:, 0], b[:, 1])
    out = np.empty(lon.size)
    for k, (x, y) in enumerate(zip(lon, lat, strict=True)):
        _, _, da = GEOD.inv(np.full(len(a), x), np.full(len(a), y), a[:, 0], a[:, 1])
        _, _, db = GEOD.inv(np.full(len(b), x), np.full(len(b), y), b[:, 0], b[:, 1])
        near = 0.5 * (da + db - 1.01 * length) <= min(da.min(), db.min()) + 1.0
        sa, sb = _split(a[near], b[near], 10.0)
        pts = np.concatenate([sa, sb])
        _, _, d = GEOD.inv(np.full(len(pts), x), np.full(len(pts), y), pts[:, 0], pts[:, 1])
        out[k] = d.min()
    polygons = [p for p in shapely.get_parts(geometry) if p.geom_type == "Polygon"]
    if polygons:
        out[shapely.intersects_xy(shapely.union_all(polygons), lon, lat)] = 0.0
    return out


def _split(a: np.ndarray, b: np.ndarray, step_m: float) -> tuple[np.ndarray, np.ndarray]:
    _, _, length = GEOD.inv(a[:, 0], a[:, 1], b[:, 0], b[:, 1])
    n = np.maximum(np.ceil(length / step_m), 1).astype(int)
    i = np.repeat(np.arange(n.size), n)
    k = np.concatenate([np.arange(m) for m in n])[:, None]
    return a[i] + k / n[i, None] * (b - a)[i], a[i] + (k + 1) / n[i, None] * (b - a)[i]


def distances_from_shapes() -> list[tuple[str, str, str]]:
    """Distances of the cities within 300 km of a territory and of a front line."""
    gazetteer = load_gazetteer()
    rows: list[tuple[str, str, str]] = []
    shapes = [
        ("Ukraine's territory", country("UA")),
        ("a 20-vertex front line", LineString(FRONT_20)),
    ]
    for name, shape in shapes:
        reach = buffer(shape, 300_000)
        shapely.prepare(reach)
        inside = shapely.intersects_xy(reach, gazetteer.lon, gazetteer.lat)
        lon, lat = gazetteer.lon[inside], gazetteer.lat[inside]
        ours = timed(lambda shape=shape, lon=lon, lat=lat: distance_to(shape, lon, lat))
        rows.append(
            (
                f"distance_to {name}: the {lon.size:,} cities within 300 km of it",
                fmt(ours),
                "≤ 1 s",
            )
        )
        sample = np.random.default_rng(1).choice(lon.size, size=min(300, lon.size), replace=False)
        got = distance_to(shape, lon[sample], lat[sample])
        start = time.perf_counter()
        expected = _brute_force(shape, lon[sample], lat[sample])
        brute = time.perf_counter() - start
        x, y = lon[sample], lat[sample]
        mine = timed(lambda shape=shape, x=x, y=y: distance_to(shape, x, y))
        rows.append(
            (
                f"peer: brute force, 10 m samples of the nearby edges ({sample.size} of them)",
                fmt((brute, brute)),
                "",
            )
        )
        rows.append(
            (
                f"ratio, distance_to to the brute force, same {sample.size} cities; "
                "largest difference",
                f"{mine[0] / brute:.4f}\u00d7; {np.abs(got - expected).max():.3f} m",
                "≤ 1 m",
            )
        )
    site = Site(country("UA"), "Ukraine")
    reach = buffer(site.geometry, 300_000)
    table = within(reach, origins=[site])
    rows.append(
        (
            f"within: Ukraine + 300 km, distances from the territory ({len(table):,} found, "
            "origins left out)",
            fmt(timed(lambda: within(reach, origins=[site]), repeat=5)),
            "≤ 1 s",
        )
    )
    return rows


if __name__ == "__main__":
    main()
