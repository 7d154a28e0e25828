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

import shapely
from shapely.geometry import Point

from rangemap.geodesy import ring
from rangemap.places import Gazetteer, Site, geocode, load_gazetteer, parse_origin, within

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

    rows.append(("load the city table (69k rows)", fmt(timed(Gazetteer, repeat=5)), "-"))

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

    data = files("rangemap") / "data"
    sizes = {p.name: len(p.read_bytes()) for p in data.iterdir() if "gazetteer" in p.name}
    for name, size in sorted(sizes.items()):
        rows.append((f"data file `{name}`", f"{size / 1000:,.0f} kB", ""))
    rows.append(("data files, total", f"{sum(sizes.values()) / 1e6:.2f} MB", "≤ 10 MB"))

    print("| measure | median (best) | budget |")
    print("|---|---:|---|")
    for measure, value, budget in rows:
        print(f"| {measure} | {value} | {budget} |")


if __name__ == "__main__":
    main()
