"""Static images and vector exports: time and size per format, printed as a markdown table.

    .venv/bin/python benchmarks/bench_static.py --repeat 5

Maps: the flagship recipe (ATACMS from Sumy and Kharkiv, 300 km and 165 km) and a
long-range map (Oreshnik from Kapustin Yar, 4,000 to 6,000 km band). The first render of
a map also builds its basemap (countries clipped to the view and projected), which later
renders of the same view reuse; both are reported.
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import time
from collections.abc import Callable

from rangemap.reach import Reach
from rangemap.recipes import flagship_recipe, load_recipe
from rangemap.render import export, static, vector
from rangemap.scene import RangeMap


def _maps() -> dict[str, RangeMap]:
    oreshnik = RangeMap(title="Oreshnik: the spread of unofficial range figures")
    oreshnik.add(Reach.from_system("oreshnik", "Kapustin Yar", show="spread"))
    return {"ATACMS demo": load_recipe(flagship_recipe()), "Oreshnik 6,000 km": oreshnik}


def _time(fn: Callable[[], bytes | str], repeat: int) -> tuple[float, float, int]:
    """Return (first, median of the rest, size in bytes)."""
    start = time.perf_counter()
    out = fn()
    first = time.perf_counter() - start
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    size = len(out.encode("utf-8") if isinstance(out, str) else out)
    return first, statistics.median(times) if times else first, size


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3, help="timed runs after the first")
    args = parser.parse_args()
    print(
        f"Python {platform.python_version()}, {os.cpu_count()} cores, "
        f"{args.repeat} runs after the first\n"
    )
    print("| map | output | first | median | size |")
    print("|---|---|---:|---:|---:|")
    for name, m in _maps().items():
        static._basemap.cache_clear()
        jobs: list[tuple[str, Callable[[], bytes | str]]] = [
            ("PNG social (1200x675)", lambda m=m: static.to_png(m, preset="social")),
            ("PNG square (1080x1080)", lambda m=m: static.to_png(m, preset="square")),
            ("PNG print (300 dpi)", lambda m=m: static.to_png(m, preset="print")),
            ("SVG social", lambda m=m: static.to_svg(m)),
            ("PDF print", lambda m=m: static.to_pdf(m)),
            ("KML", lambda m=m: export.to_kml(m)),
            ("GeoPackage", lambda m=m: export.to_gpkg(m)),
            ("GeoJSON, 100 kB target", lambda m=m: vector.simplified_geojson(m, max_bytes=100_000)),
        ]
        for label, job in jobs:
            first, median, size = _time(job, args.repeat)
            print(
                f"| {name} | {label} | {first * 1000:,.0f} ms | {median * 1000:,.0f} ms "
                f"| {size / 1000:,.1f} kB |"
            )
    print(
        "\nFirst: the first render of that output (the first output of a map also builds "
        "its basemap). Median: the following renders. Sizes: 1 kB = 1,000 bytes."
    )


if __name__ == "__main__":
    main()
