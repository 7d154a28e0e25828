"""The interactive page's coarse world basemap: land and borders wherever the reader goes.

Pages are real ``rangemap map ... --interactive`` pages, opened in Chromium with the
network cut off. After a place search for New York (far outside the view the page was
drawn for), a move past ±180 and a move to Sydney in the round projection, the map shows
land in the land colour and border lines in view. The layer's code is read back in
Python (the same rules as ``js/world.js``) and checked against the bundled countries;
the static page is checked to carry none of it.
"""

from __future__ import annotations

import hashlib
import io
import json
import re
import warnings
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np
import pytest
import shapely
import shapely.affinity
from offline_page import Visit, checked, open_offline
from PIL import Image
from reader_pages import moved_view, watch_moves

from rangemap.cli import main
from rangemap.reach import Reach
from rangemap.render import html
from rangemap.render._context import prepare
from rangemap.render._interactive_places import DEFAULT_MIN_POPULATION
from rangemap.render.interactive import MAX_PAGE_BYTES
from rangemap.scene import Interactive, RangeMap

RECIPE = Path(__file__).parents[1] / "rangemap" / "data" / "recipes" / "atacms-nov-2024.yaml"
LAND = (0xF6, 0xF5, 0xF1)
WATER = (0xDD, 0xE5, 0xEA)
BORDER = (0x9B, 0x9B, 0x94)


def _data(page: str) -> dict[str, Any]:
    match = re.search(r'<script[^>]*id="rm-data"[^>]*>(.*?)</script>', page, re.DOTALL)
    assert match is not None
    data: dict[str, Any] = json.loads(match.group(1))
    return data


def _page_parts(scene: RangeMap) -> html.PageParts:
    """The parts the static page of ``scene`` is assembled from (basemap box, AEQD ...)."""
    seen: list[html.PageParts] = []

    def keep(parts: html.PageParts) -> html.PageParts:
        seen.append(parts)
        return parts

    html._render(prepare(scene), keep)
    return seen[0]


def _decode(code: str, scale: int) -> list[list[tuple[np.ndarray[Any, Any], list[bool]]]]:
    """Read the layer's code as ``js/world.js`` does: polygons of (points, cut marks).

    ``cuts[i]`` marks the edge arriving at point ``i`` (``cuts[0]``: the closing edge).
    """
    value = {c: i for i, c in enumerate(html.WORLD_CODE)}
    polygons: list[list[tuple[np.ndarray[Any, Any], list[bool]]]] = []
    polygon: list[tuple[np.ndarray[Any, Any], list[bool]]] = []
    points: list[tuple[float, float]] = []
    cuts: list[bool] = []
    cut, x, y, half, n, bit = False, 0, 0, False, 0, 1

    def end_ring() -> None:
        nonlocal points, cuts, cut
        if points:
            cuts[0] = cut
            polygon.append((np.array(points) / scale, cuts))
        points, cuts, cut = [], [], False

    for c in code:
        if c == ".":
            cut = True
        elif c == ",":
            end_ring()
        elif c == ";":
            end_ring()
            polygons.append(polygon)
            polygon = []
        else:
            v = value[c]
            n += (v & 31) * bit
            if v & 32:
                bit *= 32
                continue
            d = n // 2 if n % 2 == 0 else -(n + 1) // 2
            n, bit = 0, 1
            if not half:
                x += d
            else:
                y += d
                cuts.append(cut)
                cut = False
                points.append((x, y))
            half = not half
    end_ring()
    if polygon:
        polygons.append(polygon)
    return polygons


def _stroked(polygons: list[list[tuple[np.ndarray[Any, Any], list[bool]]]]) -> BaseLines:
    """Return the stroked edges (not cuts) as pairs of points."""
    edges = []
    for polygon in polygons:
        for points, cuts in polygon:
            for i in range(len(points)):
                if not cuts[i]:
                    edges.append((points[i - 1], points[i]))
    return edges


BaseLines = list[tuple[np.ndarray[Any, Any], np.ndarray[Any, Any]]]


# --- the data -----------------------------------------------------------------------------


@pytest.fixture(scope="module")
def flagship(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("world") / "flagship.html"
    arguments = ["--interactive", "--choices", "storm-shadow,atacms:block-i", "-o", str(path)]
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # the default searchable cities fit: no warning
        assert main(["map", "--recipe", str(RECIPE), *arguments]) == 0
    return path


def test_flagship_page_fits_with_its_world_layer_and_default_places(flagship: Path) -> None:
    page = flagship.read_text(encoding="utf-8")
    assert len(page.encode("utf-8")) <= MAX_PAGE_BYTES
    data = _data(page)
    world = data["world"]
    assert world["shifts"] == [-360, 0, 360]
    assert 20_000 < len(world["code"]) < 90_000
    assert set(world["code"]) <= set(html.WORLD_CODE + ".,;")
    assert 'className: "rm-world-border"' in page  # world.js is inlined (and hashed)


def test_layer_covers_the_world_outside_the_detailed_box_and_strokes_no_cut() -> None:
    scene = RangeMap(interactive=Interactive(())).add(Reach.from_system("atacms", "Kharkiv"))
    parts = _page_parts(scene)
    box = parts.basemap_area
    assert isinstance(box, html._Box)
    layer = html.world_layer(parts)
    assert layer is not None
    polygons = _decode(layer["code"], layer["scale"])
    shapes = [
        shapely.Polygon(rings[0][0], [r[0] for r in rings[1:]]).buffer(0) for rings in polygons
    ]
    land = shapely.union_all(shapes)
    west, east = parts.center_lon - 180, parts.center_lon + 180
    _, south, _, north = land.bounds
    assert land.bounds[0] >= west - 0.01
    assert land.bounds[2] <= east + 0.01
    assert south >= -85.11
    assert north <= 85.11
    hole = shapely.box(box.west, box.south, box.east, box.north).buffer(-0.02)
    assert land.intersection(hole).area < 1e-9
    # Everywhere else the land is the countries', within the simplification.
    world = shapely.union_all(
        [
            shapely.affinity.translate(g, xoff=dx)
            for g in html._coarse_world()
            for dx in (-360, 0, 360)
        ]
    )
    outside = shapely.box(west, -85, east, 85).difference(hole.buffer(0.05))
    wanted = world.intersection(outside)
    assert abs(land.intersection(outside).area - wanted.area) < 0.002 * wanted.area
    assert land.contains(shapely.Point(-79.99, 40.44))  # Pittsburgh
    assert not land.intersects(shapely.Point(-60.0, 35.0))  # the Atlantic
    # Stroked edges: none along ±180, the turn's ends or the sides of the box's hole.
    hole_x = (round(box.west, 2) + 0.01, round(box.east, 2) - 0.01)
    hole_y = (round(box.south, 2) + 0.01, round(box.north, 2) - 0.01)
    cut_x = [-180.0, 180.0, round(west, 2), round(east, 2), *hole_x]
    stroked = _stroked(polygons)
    assert len(stroked) > 10_000
    for a, b in stroked:
        assert not (abs(a[0] - b[0]) < 1e-9 and any(abs(a[0] - x) < 1e-6 for x in cut_x))
        assert not (abs(a[1] - b[1]) < 1e-9 and any(abs(a[1] - y) < 1e-6 for y in hole_y))


def test_layer_bytes_are_deterministic_and_absent_from_static_pages() -> None:
    scene = RangeMap().add(Reach.from_system("atacms", "Kharkiv"))
    static = html.render_html(scene)
    assert '"world"' not in static
    assert "rm-world" not in static
    interactive = RangeMap(interactive=Interactive(())).add(Reach.from_system("atacms", "Kharkiv"))
    first = html.render_html(interactive)
    html._world_mercator.cache_clear()
    html._coarse_world.cache_clear()
    assert hashlib.sha256(html.render_html(interactive).encode()).hexdigest() == (
        hashlib.sha256(first.encode()).hexdigest()
    )
    # The detailed basemap is the static page's, byte for byte.
    countries = re.compile(r'geo_json_\w+_add\(\{"features".*?\}\);', re.DOTALL)
    assert countries.findall(static)[:2] == countries.findall(first)[:2]


def test_round_projection_layer_starts_where_the_detailed_disc_stops() -> None:
    scene = RangeMap(interactive=Interactive(())).add(
        Reach.from_distance(2_600_000, "50.45, 30.52=Kyiv")
    )
    parts = _page_parts(scene)
    assert parts.aeqd is not None
    assert isinstance(parts.basemap_area, float)
    layer = html.world_layer(parts)
    assert layer is not None
    assert layer["shifts"] == [0]
    points = np.concatenate(
        [r[0] for polygon in _decode(layer["code"], layer["scale"]) for r in polygon]
    )
    x, y = parts.aeqd.forward(points[:, 0], points[:, 1])
    distance = np.hypot(x, y)
    assert distance.min() > parts.basemap_area * 0.99
    assert distance.max() < html.WORLD_AEQD_RADIUS_M * 1.01
    sydney = parts.aeqd.forward([151.21], [-33.87])
    assert float(np.hypot(*sydney)[0]) > parts.basemap_area  # drawn by the coarse layer


# --- in the browser -------------------------------------------------------------------


def _colours(visit: Visit) -> dict[str, float]:
    """Return the share of the map's pixels in the land, water and border colours."""
    page = visit.page
    name = page.evaluate("() => JSON.parse(document.getElementById('rm-data').textContent).map")
    image = Image.open(io.BytesIO(page.locator(f"#{name}").screenshot())).convert("RGB")
    pixels = np.asarray(image, dtype=int).reshape(-1, 3)

    def share(rgb: tuple[int, int, int], within: int) -> float:
        return float(np.mean(np.all(np.abs(pixels - np.array(rgb)) <= within, axis=1)))

    return {"land": share(LAND, 1), "water": share(WATER, 1), "border": share(BORDER, 12)}


def _border_runs_in_view(visit: Visit) -> int:
    """Count the coarse layer's border runs Leaflet drew inside the map's box."""
    return int(
        visit.page.evaluate(
            """() => {
              const box = document.querySelector('.leaflet-container').getBoundingClientRect();
              let runs = 0;
              for (const path of document.querySelectorAll('path.rm-world-border')) {
                const r = path.getBoundingClientRect();
                if (r.right < box.left || r.left > box.right || r.bottom < box.top ||
                    r.top > box.bottom) { continue; }
                runs += (path.getAttribute('d').match(/M/g) || []).length;
              }
              return runs;
            }"""
        )
    )


@pytest.fixture
def visit(
    chromium_launched: Any, flagship: Path, request: pytest.FixtureRequest
) -> Iterator[Visit]:
    size = getattr(request, "param", (1280, 800))
    with checked(open_offline(chromium_launched, flagship, size)) as opened:
        yield opened


@pytest.mark.browser
@pytest.mark.parametrize("visit", [(1280, 800), (390, 844)], indirect=True, ids=["desk", "phone"])
def test_search_new_york_shows_land_and_borders(visit: Visit) -> None:
    page = visit.page
    page.evaluate("() => window.rangemap.places.ready")
    before = _colours(visit)
    page.fill("#rm-find-q", "New York")
    watch_moves(page)
    page.click("#rm-find-option-0")
    assert abs(moved_view(page)[0]["lng"] + 74) < 1  # the end of the fit
    lon, lat = page.evaluate("() => window.rangemap.state().origins[0]")
    assert abs(lon + 74.006) < 0.01
    assert abs(lat - 40.714) < 0.01
    after = _colours(visit)
    assert after["land"] > 0.08, after  # land away from the reach, in the land colour
    assert after["water"] > 0.05, after  # and the Atlantic
    assert before["land"] > 0.08  # as around Ukraine before the search
    assert _border_runs_in_view(visit) >= 3


@pytest.mark.browser
def test_moves_past_180_and_in_the_round_projection_keep_land(
    chromium_launched: Any, tmp_path: Path
) -> None:
    mercator = tmp_path / "kharkiv.html"
    assert main(["map", "atacms", "--from", "Kharkiv", "--interactive", "-o", str(mercator)]) == 0
    round_ = tmp_path / "kyiv-2600.html"
    arguments = ["--distance", "2600 km", "--from", "50.45, 30.52=Kyiv", "--interactive"]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)  # fewer searchable cities: fine here
        assert main(["map", *arguments, "-o", str(round_)]) == 0
    assert len(round_.read_bytes()) <= MAX_PAGE_BYTES
    for path, lon, lat in (
        (mercator, 177.5, 64.7),
        (mercator, -177.0, 64.5),
        (round_, 151.2, -33.9),
    ):
        opened = open_offline(chromium_launched, path)
        try:
            opened.page.evaluate(f"() => {{ window.rangemap.moveOrigin(0, {lon}, {lat}); }}")
            watch_moves(opened.page)
            opened.page.evaluate("() => window.rangemap.fitReach()")
            moved_view(opened.page)
            colours = _colours(opened)
            assert colours["land"] > 0.05, (path.name, lon, colours)
            # Without the layer, none (in the round projection the detailed disc still
            # shows land around the far reach; the coarse borders are the ones past it).
            assert _border_runs_in_view(opened) >= (20 if path == round_ else 1)
            assert opened.blocked == []
            assert opened.errors == []
        finally:
            opened.context.close()


def test_an_over_weight_page_coarsens_its_world_layer_before_its_searchable_cities() -> None:
    # Belarus as a territory origin and Kyiv: about 1.44 MB without the world layer,
    # 1.50 MB with its finest level (over the limit), 1.48 MB with the next.
    scene = RangeMap(interactive=Interactive(())).add(
        Reach.from_distance(100_000, ["country:BY", "50.45, 30.52=Kyiv"])
    )
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # no warning: the default searchable cities stay
        page = scene.to_html()
    assert len(page.encode("utf-8")) <= MAX_PAGE_BYTES
    data = _data(page)
    assert data["search"]["min_population"] == DEFAULT_MIN_POPULATION
    finest = html.world_layer(_page_parts(scene))
    assert finest is not None
    assert "world" in data  # at a coarser level of detail
    assert len(data["world"]["code"]) < len(finest["code"])
