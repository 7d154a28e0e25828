"""Sizes and timings of the maps, printed as a markdown table.

Run: ``.venv/bin/python benchmarks/bench_maps.py [--repeat N]``

Measures the offline demo page (target at most 1.5 MB), the same map with web tiles
(target at most 200 KB), a whole-world map (a reach around the North Pole and one across
180 degrees), and the wall time of ``rangemap demo`` end to end in a fresh process
(target under 3 s on 2 cores), best and median of N runs.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from rangemap.reach import Reach
from rangemap.recipes import flagship_recipe, load_recipe
from rangemap.scene import RangeMap

MB = 1_000_000
KB = 1_000


def _size(scene: RangeMap) -> int:
    return len(scene.to_html().encode("utf-8"))


def _timed(func: object, repeat: int) -> list[float]:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        func()  # type: ignore[operator]
        times.append(time.perf_counter() - start)
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()

    demo = load_recipe(flagship_recipe())
    demo_size = _size(demo)
    tiles = load_recipe(flagship_recipe())
    tiles.basemap = "OpenStreetMap.Mapnik"
    tiles_size = _size(tiles)
    world = RangeMap(title="Pole and antimeridian")
    world.add(Reach.from_distance(2_500_000, "78.22, 15.65=Longyearbyen"))
    world.add(Reach.from_distance(1_000_000, "64.73, 177.51=Anadyr"))
    world_size = _size(world)

    render_times = _timed(lambda: load_recipe(flagship_recipe()).to_html(), args.repeat)

    with tempfile.TemporaryDirectory() as folder:
        out = Path(folder) / "demo.html"
        command = [sys.executable, "-m", "rangemap", "demo", "-o", str(out)]
        env = {**os.environ, "PYTHONDONTWRITEBYTECODE": "1"}
        cli_times = _timed(
            lambda: subprocess.run(command, check=True, capture_output=True, env=env),
            args.repeat,
        )

    def verdict(ok: bool) -> str:
        return "ok" if ok else "**over target**"

    cores = os.cpu_count()
    print(f"Python {sys.version.split()[0]}, {cores} cores, {args.repeat} runs per timing\n")
    print("| measure | value | target | |")
    print("|---|---:|---:|---|")
    print(
        f"| offline demo HTML (`rangemap demo`) | {demo_size / MB:.3f} MB | ≤ 1.5 MB "
        f"| {verdict(demo_size <= 1.5 * MB)} |"
    )
    print(
        f"| same map, `--tiles OpenStreetMap.Mapnik` | {tiles_size / KB:.1f} KB | ≤ 200 KB "
        f"| {verdict(tiles_size <= 200 * KB)} |"
    )
    print(f"| whole-world map (pole + 180°), offline | {world_size / MB:.3f} MB | n/a | |")
    print(
        f"| render demo in-process (best / median) | {min(render_times):.2f} s / "
        f"{statistics.median(render_times):.2f} s | n/a | |"
    )
    print(
        f"| `rangemap demo` end to end, fresh process (best / median) | "
        f"{min(cli_times):.2f} s / {statistics.median(cli_times):.2f} s | < 3 s "
        f"| {verdict(statistics.median(cli_times) < 3)} |"
    )


if __name__ == "__main__":
    main()
