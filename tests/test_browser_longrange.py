"""Long ranges on the web map, in Chromium: rings drawn round in the AEQD CRS.

Every network request is blocked and recorded; screenshots go to ``test-artifacts/``.
Skips with a reason when Debian's Chromium is missing, unless
``RANGEMAP_REQUIRE_BROWSER=1``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from offline_page import open_offline

from rangemap.reach import Reach
from rangemap.recipes import flagship_recipe, load_recipe
from rangemap.render._webcrs import WebAeqd, choose
from rangemap.scene import RangeMap

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parents[1]
ARTIFACTS = ROOT / "test-artifacts"

#: The drawn box of each path with the reach's colour, and the map's box, in pixels.
BOXES = """color => {
  const map = document.querySelector(".folium-map").getBoundingClientRect();
  const paths = [...document.querySelectorAll(".leaflet-overlay-pane path")]
    .filter(p => p.getAttribute("stroke") === color);
  return {
    map: [map.left, map.top, map.right, map.bottom],
    paths: paths.map(p => {
      const r = p.getBoundingClientRect();
      const moves = (p.getAttribute("d").match(/M/g) || []).length;
      return {box: [r.left, r.top, r.right, r.bottom], moves: moves};
    }),
  };
}"""


@dataclass
class Drawn:
    """What a page drew."""

    blocked: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    shape: dict[str, Any] = field(default_factory=dict)
    crs: str = ""


def _open(browser: Any, path: Path, color: str, shot: str, width: int = 1280) -> Drawn:
    drawn = Drawn()
    opened = open_offline(browser, path, (width, 800 if width > 600 else 844))
    drawn.blocked, drawn.errors = opened.blocked, opened.errors
    context, page = opened.context, opened.page
    try:
        drawn.shape = page.evaluate(BOXES, color)
        drawn.crs = page.evaluate(
            "(() => { const d = JSON.parse(document.getElementById('rm-data').textContent);"
            " return window[d.map].options.crs.code; })()"
        )
        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / shot))
    finally:
        context.close()
    return drawn


def _round_and_whole(drawn: Drawn) -> None:
    """One path, one piece, as wide as tall (within 10 %), wholly inside the map."""
    assert drawn.blocked == []
    assert drawn.errors == []
    (path,) = drawn.shape["paths"]
    assert path["moves"] == 1  # one ring: no seam, no second piece
    left, top, right, bottom = path["box"]
    width, height = right - left, bottom - top
    assert width > 150
    assert abs(width / height - 1) < 0.10
    map_left, map_top, map_right, map_bottom = drawn.shape["map"]
    assert map_left <= left
    assert right <= map_right
    assert map_top <= top
    assert bottom <= map_bottom


@pytest.fixture(scope="module")
def browser(chromium_launched: Any) -> Any:
    return chromium_launched


@pytest.mark.parametrize("width", [1280, 390])
def test_oreshnik_from_kapustin_yar_is_round(browser: Any, tmp_path: Path, width: int) -> None:
    scene = RangeMap(title="Oreshnik from Kapustin Yar")
    scene.add(Reach.from_system("oreshnik", "Kapustin Yar")).show_places(12)
    assert scene.layers[0].reach.distance_m == 5_500_000
    path = scene.save(tmp_path / "oreshnik.html")
    drawn = _open(browser, path, scene.layers[0].color, f"longrange-oreshnik-{width}.png", width)
    assert drawn.crs == "RANGEMAP:AEQD"
    _round_and_whole(drawn)


@pytest.mark.parametrize(
    ("name", "origin"), [("murmansk", "68.97, 33.08=Murmansk"), ("anadyr", "64.73, 177.51=Anadyr")]
)
def test_rings_over_the_pole_and_across_180_are_round(
    browser: Any, tmp_path: Path, name: str, origin: str
) -> None:
    scene = RangeMap(title=f"3,000 km from {name.title()}")
    scene.add(Reach.from_distance(3_000_000, origin))
    path = scene.save(tmp_path / f"{name}.html")
    drawn = _open(browser, path, scene.layers[0].color, f"longrange-{name}-1280.png")
    assert drawn.crs == "RANGEMAP:AEQD"
    _round_and_whole(drawn)


def test_flagship_stays_in_web_mercator(browser: Any, tmp_path: Path) -> None:
    scene = load_recipe(flagship_recipe())
    path = scene.save(tmp_path / "flagship.html")
    drawn = _open(browser, path, scene.layers[0].color, "longrange-flagship-1280.png")
    assert drawn.errors == []
    assert drawn.crs == "EPSG:3857"


def test_page_projects_like_python(browser: Any, tmp_path: Path) -> None:
    """The page's JavaScript CRS and :class:`WebAeqd` give the same metres and degrees."""
    scene = RangeMap().add(Reach.from_distance(5_500_000, "48.58, 45.73=Kapustin Yar"))
    crs = choose(scene)
    assert crs == WebAeqd(45.73, 48.58)
    path = scene.save(tmp_path / "oreshnik.html")
    spots = [(37.62, 55.76), (139.69, 35.68), (-74.0, 40.7), (-170.0, 89.0), (45.73, 48.58)]
    page = browser.new_page()
    try:
        page.goto(path.as_uri())
        page.wait_for_function("window.L && L.CRS.RangemapAeqd", timeout=10_000)
        out = page.evaluate(
            """spots => spots.map(([lon, lat]) => {
                 const p = L.CRS.RangemapAeqd.projection.project(L.latLng(lat, lon));
                 const q = L.CRS.RangemapAeqd.projection.unproject(p);
                 return [p.x, p.y, q.lng, q.lat];
               })""",
            spots,
        )
    finally:
        page.close()
    got = np.asarray(out)
    x, y = crs.forward([s[0] for s in spots], [s[1] for s in spots])
    assert np.abs(got[:, 0] - x).max() < 1e-3
    assert np.abs(got[:, 1] - y).max() < 1e-3
    back_lon, back_lat = crs.inverse(got[:, 0], got[:, 1])
    assert np.abs(got[:, 3] - back_lat).max() < 1e-9
    assert np.abs((got[:, 2] - back_lon + 180) % 360 - 180).max() < 1e-9


def test_reset_view_and_resize_refit_the_ring(browser: Any, tmp_path: Path) -> None:
    scene = RangeMap().add(Reach.from_distance(3_000_000, "68.97, 33.08=Murmansk"))
    path = scene.save(tmp_path / "murmansk.html")
    color = scene.layers[0].color
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    try:
        page = context.new_page()
        page.goto(path.as_uri())
        page.wait_for_function(
            "document.querySelectorAll('.leaflet-overlay-pane path').length > 0", timeout=10_000
        )
        page.wait_for_timeout(200)
        # A narrower window refits the ring, still round and whole.
        page.set_viewport_size({"width": 390, "height": 844})
        _settled_box(page, color)
        narrow = page.evaluate(BOXES, color)
        _round_and_whole(Drawn(shape=narrow))
        before = narrow["paths"][0]["box"]
        page.evaluate(
            "(() => { const d = JSON.parse(document.getElementById('rm-data').textContent);"
            " const m = window[d.map]; m.panBy([200, 300], {animate: false});"
            " m.setZoom(m.getZoom() + 1, {animate: false}); })()"
        )
        moved = _settled_box(page, color)
        assert not np.allclose(moved, before, atol=20)
        page.click(".rm-reset button")
        after = _settled_box(page, color)
        # Pressed while the map zooms (Leaflet drops a view asked for then), it waits.
        page.evaluate(
            "(() => { const d = JSON.parse(document.getElementById('rm-data').textContent);"
            " const m = window[d.map]; m.setZoom(m.getZoom() + 1); })()"
        )
        page.click(".rm-reset button")
        during = _settled_box(page, color)
    finally:
        context.close()
    assert np.allclose(after, before, atol=2)
    assert np.allclose(during, before, atol=2)


def _settled_box(page: Any, color: str) -> list[float]:
    """The ring's box on screen once the map has stopped moving (a resize or a fit animates)."""
    last: list[float] | None = None
    for _ in range(60):
        box: list[float] = page.evaluate(BOXES, color)["paths"][0]["box"]
        if last is not None and np.allclose(box, last, atol=0.5):
            return box
        last = box
        page.wait_for_timeout(150)
    msg = f"the map was still moving after 9 s: {last}"
    raise AssertionError(msg)
