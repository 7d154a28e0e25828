"""Speed of rangemap's own JavaScript in Chromium, against pyproj in Python as the peer.

The page holds only the scripts a section needs (``rangemap/render/js/``, inlined with
:func:`rangemap.render._js.script`), every request aborted, in Debian's headless Chromium
launched as the browser tests launch it (``tests/conftest.py``). Each section prints one
markdown table; :data:`SECTIONS` lists them in order, and a new measure is a new function
appended there.

- :func:`geodesic_section`: microseconds per direct and per inverse geodesic problem in
  the browser (``window.rangemap.geodesic``) over the 10,000 lines of
  ``tests/data/GeodTest-short.dat.gz``, beside pyproj's ``Geod.fwd`` / ``Geod.inv`` on the
  same lines, called once per line (scalar, like the browser) and once on the arrays.
- :func:`ring_section`: milliseconds per recompute of a reach ring in the browser
  (``window.rangemap.ring`` / ``annulus``, default tolerance), the median of
  :data:`RING_RUNS` runs, beside :func:`rangemap.geodesy.ring` / ``annulus`` in Python;
  the target of issue 16 is a 300 km ring in at most 5 ms.

Timings are the best of several repeats (the machine is shared). Run from the repository
root:

    .venv/bin/python benchmarks/bench_browser.py
"""

from __future__ import annotations

import gzip
import platform
import statistics
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import numpy as np
import pyproj
from playwright.sync_api import sync_playwright
from pyproj import Geod

from rangemap import geodesy
from rangemap.render._js import script

ROOT = Path(__file__).resolve().parents[1]
GEODTEST = ROOT / "tests" / "data" / "GeodTest-short.dat.gz"
# Chromium and its launch arguments: the browser tests' own (tests/offline_page.py).
sys.path.insert(0, str(ROOT / "tests"))
from offline_page import CHROMIUM, CHROMIUM_ARGS  # noqa: E402

REPEATS = 7
GEOD = Geod(ellps="WGS84")


# --- harness ------------------------------------------------------------------------


@contextmanager
def page_with(browser: Any, *scripts: str) -> Iterator[Any]:
    """A blank page holding ``scripts`` (names in rangemap/render/js/), network aborted."""
    context = browser.new_context()
    context.route("**/*", lambda route: route.abort())
    errors: list[str] = []
    page = context.new_page()
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    try:
        page.set_content("<!DOCTYPE html><html><body></body></html>")
        for name in scripts:
            page.add_script_tag(content=script(name))
        yield page
        if errors:
            raise RuntimeError(f"console errors in the benchmark page: {errors}")
    finally:
        context.close()


#: Runs ``body`` (a function of (arg, i)) n times per repeat inside the page; returns the
#: best repeat's microseconds per call. The sum of results is kept so nothing is optimised
#: away.
TIME_IN_PAGE = """([source, arg, n, repeats]) => {
  const body = window.rangemap.bench[source];
  let best = Infinity, sink = 0;
  for (let r = 0; r < repeats; r++) {
    const t0 = performance.now();
    for (let i = 0; i < n; i++) sink += body(arg, i);
    const dt = performance.now() - t0;
    if (dt < best) best = dt;
  }
  window.rangemap.benchSink = sink;
  return best * 1000 / n;
}"""


def time_in_page(page: Any, body: str, arg: Any, n: int, repeats: int = REPEATS) -> float:
    """Microseconds per call of ``body`` (the name of a function of
    ``window.rangemap.bench``, defined by the section with :func:`define`) in the page."""
    return float(page.evaluate(TIME_IN_PAGE, [body, arg, n, repeats]))


def define(page: Any, functions: str) -> None:
    """Define benchmark bodies in the page: ``functions`` is a JS expression giving an
    object of functions ``(arg, i) => number``, stored as ``window.rangemap.bench``."""
    page.add_script_tag(content=f"window.rangemap.bench = {functions};")


def best_us(call: Callable[[], object], n: int, repeats: int = REPEATS) -> float:
    """Best of ``repeats`` timings of ``call`` (which does ``n`` operations), µs per op."""
    best = float("inf")
    for _ in range(repeats):
        t0 = time.perf_counter()
        call()
        best = min(best, time.perf_counter() - t0)
    return best * 1e6 / n


def table(head: list[str], rows: list[list[str]]) -> None:
    print("| " + " | ".join(head) + " |")
    print("|---|" + "---:|" * (len(head) - 1))
    for row in rows:
        print("| " + " | ".join(row) + " |")
    print()


# --- sections -----------------------------------------------------------------------


#: The geodesic bodies timed in the page: the i-th GeodTest line, direct and inverse.
BODIES = """(() => {
  const g = window.rangemap.geodesic;
  const fromKyiv = g.line(50.45, 30.52, 37);
  return {
    direct: (rows, i) => g.direct(rows[i][0], rows[i][1], rows[i][2], rows[i][6])[0],
    inverse: (rows, i) => g.inverse(rows[i][0], rows[i][1], rows[i][3], rows[i][4])[0],
    line: (rows, i) => fromKyiv.position(1000 * i)[0],
  };
})()"""


def geodesic_section(browser: Any) -> None:
    """µs per direct and inverse geodesic problem: browser against pyproj."""
    with gzip.open(GEODTEST, "rt", encoding="ascii") as lines:
        rows = np.array([[float(x) for x in line.split()] for line in lines])
    n = len(rows)
    with page_with(browser, "geodesic.js") as page:
        define(page, BODIES)
        data = rows[:, :7].tolist()
        js_direct = time_in_page(page, "direct", data, n)
        js_inverse = time_in_page(page, "inverse", data, n)
        js_line = time_in_page(page, "line", data, n)

    lat1, lon1, azi1, lat2, lon2, s12 = (rows[:, k] for k in (0, 1, 2, 3, 4, 6))
    scalar = list(
        zip(
            lat1.tolist(),
            lon1.tolist(),
            azi1.tolist(),
            lat2.tolist(),
            lon2.tolist(),
            s12.tolist(),
            strict=True,
        )
    )

    def fwd_each() -> None:
        for la1, lo1, az1, _, _, s in scalar:
            GEOD.fwd(lo1, la1, az1, s)

    def inv_each() -> None:
        for la1, lo1, _, la2, lo2, _ in scalar:
            GEOD.inv(lo1, la1, lo2, la2)

    py_fwd = best_us(fwd_each, n)
    py_inv = best_us(inv_each, n)
    py_fwd_arrays = best_us(lambda: GEOD.fwd(lon1, lat1, azi1, s12), n)
    py_inv_arrays = best_us(lambda: GEOD.inv(lon1, lat1, lon2, lat2), n)

    print("### Geodesics: µs per problem (GeodTest-short, 10,000 lines)")
    print()
    measured = [
        ("direct", js_direct, py_fwd, py_fwd_arrays),
        ("inverse", js_inverse, py_inv, py_inv_arrays),
        ("direct along one line (`line(...).position`)", js_line, py_fwd, py_fwd_arrays),
    ]
    table(
        ["problem", "browser", "pyproj, a call per line", "ratio", "pyproj, arrays", "ratio"],
        [
            [
                name,
                f"{js:.2f}",
                f"{each:.2f}",
                f"{js / each:.2f}",
                f"{arrays:.2f}",
                f"{js / arrays:.2f}",
            ]
            for name, js, each, arrays in measured
        ],
    )


#: Ring timing: RING_RUNS runs of RING_BATCH calls (``performance.now()`` ticks in 0.1 ms
#: steps in Chromium) after RING_WARMUP calls; the median per call is reported.
RING_RUNS = 60
RING_BATCH = 10
RING_WARMUP = 10
RING_TARGET_MS = 5.0
#: (shape, lon, lat, min_m, max_m): the 300 km ring of the target first.
RING_CASES = [
    ("Moscow, 300 km ring", 37.62, 55.76, 0.0, 300_000.0),
    ("(179.5, 65), 300 km (split at ±180)", 179.5, 65.0, 0.0, 300_000.0),
    ("(20, 85), 1,000 km (around the pole)", 20.0, 85.0, 0.0, 1_000_000.0),
    ("Kharkiv, 70-300 km annulus", 36.23, 49.99, 70_000.0, 300_000.0),
    ("Moscow, 3,000 km ring", 37.62, 55.76, 0.0, 3_000_000.0),
    ("Moscow, 19,990 km ring (from the antipode)", 37.62, 55.76, 0.0, 19_990_000.0),
]
#: Milliseconds per ring or annulus call in the page, one value per run.
RING_IN_PAGE = """([lon, lat, lo, hi, runs, batch, warmup]) => {
  const call = lo > 0
    ? () => window.rangemap.annulus(lon, lat, lo, hi)
    : () => window.rangemap.ring(lon, lat, hi);
  for (let i = 0; i < warmup; i++) call();
  const out = [];
  for (let r = 0; r < runs; r++) {
    const t0 = performance.now();
    for (let i = 0; i < batch; i++) call();
    out.push((performance.now() - t0) / batch);
  }
  return out;
}"""


def _python_ring_ms(lon: float, lat: float, lo: float, hi: float) -> float:
    """Median ms of RING_RUNS calls of rangemap.geodesy.ring (or annulus) in Python."""

    def call() -> object:
        if lo > 0.0:
            return geodesy.annulus((lon, lat), lo, hi)
        return geodesy.ring((lon, lat), hi)

    for _ in range(RING_WARMUP):
        call()
    times = []
    for _ in range(RING_RUNS):
        t0 = time.perf_counter()
        call()
        times.append((time.perf_counter() - t0) * 1000.0)
    return statistics.median(times)


def ring_section(browser: Any) -> None:
    """ms per ring recompute at the default tolerance: browser against rangemap.geodesy."""
    rows = []
    with page_with(browser, "geodesic.js", "ring.js") as page:
        for name, lon, lat, lo, hi in RING_CASES:
            runs = page.evaluate(
                RING_IN_PAGE, [lon, lat, lo, hi, RING_RUNS, RING_BATCH, RING_WARMUP]
            )
            rows.append((name, lon, lat, lo, hi, statistics.median(runs)))
    measured = [
        (name, js_ms, _python_ring_ms(lon, lat, lo, hi)) for name, lon, lat, lo, hi, js_ms in rows
    ]
    print(
        f"### Rings: ms per recompute at the default tolerance (median of {RING_RUNS} runs, "
        f"target ≤ {RING_TARGET_MS:g} ms for 300 km)"
    )
    print()
    table(
        ["shape", "browser `ring.js`", "Python `rangemap.geodesy`", "ratio"],
        [[name, f"{js:.2f}", f"{py:.2f}", f"{js / py:.2f}"] for name, js, py in measured],
    )


#: The tables this script prints, in order: each takes the launched browser and prints one
#: markdown table. Add a measure by appending its function here.
SECTIONS: list[Callable[[Any], None]] = [
    geodesic_section,
    ring_section,
]


def main() -> None:
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            print(
                f"Chromium {browser.version}, CPython {platform.python_version()}, "
                f"pyproj {pyproj.__version__} (PROJ {pyproj.proj_version_str}), "
                f"{platform.machine()}, best of {REPEATS} repeats"
            )
            print()
            for section in SECTIONS:
                section(browser)
        finally:
            browser.close()


if __name__ == "__main__":
    main()
