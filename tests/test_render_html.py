"""The HTML renderer: offline, deterministic, escaped, and drawn from exact polygons."""

from __future__ import annotations

import html
import re
from pathlib import Path

import pytest
import shapely

from rangemap.errors import InputError
from rangemap.escaping import href, html_text
from rangemap.reach import Reach
from rangemap.recipes import flagship_recipe, load_recipe
from rangemap.render._page import leaflet_assets
from rangemap.render.html import (
    _basemap,
    _Box,
    _layer_shapes,
    _seam_free_outline,
    render_html,
)
from rangemap.scene import RangeMap

HOSTILE = (
    '<script>window.__pwned=1</script><img src=x onerror="window.__pwned=1">'
    "</script>${window.__pwned=1}`${1}`'\"\u202ejavascript:alert(1)"
)
SUMY = "50.9077, 34.7981=Sumy"


def _without_leaflet(page: str) -> str:
    js, css = leaflet_assets()
    assert js in page
    assert css in page
    return page.replace(js, "").replace(css, "")


@pytest.fixture(scope="module")
def demo_html() -> str:
    return load_recipe(flagship_recipe()).to_html()


def test_offline_page_asks_for_nothing(demo_html: str) -> None:
    assert demo_html.startswith("<!DOCTYPE html>")
    tags = re.findall(r"<(?:script|link|img|iframe|source|video|audio)\b[^>]*>", demo_html)
    assert not [t for t in tags if re.search(r"\b(?:src|href)\s*=", t)]
    for cdn in ("cdn.jsdelivr", "code.jquery", "cdnjs", "bootstrap", "fontawesome", "tile.osm"):
        assert cdn not in demo_html
    assert "url(images/" not in demo_html
    assert "sourceMappingURL" not in demo_html
    assert 'version="1.9.3"' in demo_html  # Leaflet, inlined from XStatic-Leaflet


def test_reach_is_geojson_not_circle(demo_html: str) -> None:
    assert "L.circle(" not in demo_html
    assert "L.geoJson(" in demo_html or "L.geoJSON(" in demo_html
    assert "smoothFactor: 0," in demo_html
    assert "smoothFactor: 1" not in demo_html.replace(leaflet_assets()[0], "")


def test_furniture(demo_html: str) -> None:
    m = load_recipe(flagship_recipe())
    text = html.unescape(demo_html)
    assert m.title is not None
    assert m.title in text
    assert m.credit is not None
    assert m.credit in text
    assert "L.control.scale()" in demo_html
    assert "L.control.layers(" in demo_html
    assert "25 November 2024" in text
    for source in m.sources():
        assert source.title in text
        assert f'href="{href(source.url)}"' in demo_html
    for layer in m.layers:
        assert layer.name in text
        assert layer.color in demo_html
    assert "@media (max-width:600px)" in demo_html
    assert "Natural Earth" in text or "visionscarto" in text.lower()


def test_same_scene_same_bytes() -> None:
    first = load_recipe(flagship_recipe()).to_html()
    second = load_recipe(flagship_recipe()).to_html()
    assert first == second
    assert re.search(r"map_[0-9a-f]{32}", first) is None


def test_hostile_text_is_escaped() -> None:
    m = RangeMap(title=HOSTILE, subtitle=HOSTILE, credit=HOSTILE)
    m.add(Reach.from_distance(300_000, f"50.9077, 34.7981={HOSTILE}", label=HOSTILE))
    m.annotate(HOSTILE, 36.19, 51.73)
    page = _without_leaflet(m.to_html())
    for raw in ("<script>window", "<img", "${", "`", "\u202e", 'onerror="'):
        assert raw not in page
    assert "javascript:alert(1)" not in re.findall(r'href="([^"]*)"', page)
    # The text is still shown, escaped.
    assert html_text(HOSTILE) in page


def test_tiles_mode(demo_html: str) -> None:
    import xyzservices

    m = load_recipe(flagship_recipe())
    m.basemap = "OpenStreetMap.Mapnik"
    page = m.to_html()
    assert "tile.openstreetmap.org/{z}/{x}/{y}.png" in page
    # The provider's attribution, printed under the map.
    attribution = xyzservices.providers.OpenStreetMap.Mapnik.attribution
    assert f"Map tiles: {attribution}." in html.unescape(page)
    # No bundled basemap: none of the country shapes, borders, names or their credit
    # that the offline page has.
    basemap_marks = (
        '"rm-country",',
        '"rm-borders"',
        "#f6f5f1",
        '"offline":true',
        "visionscarto",
    )
    for mark in basemap_marks:
        assert mark in demo_html
        assert mark not in page
    # Leaflet inlined exactly once (the page size is measured in benchmarks/bench_maps.py).
    js, css = leaflet_assets()
    assert page.count(js) == 1
    assert page.count(css) == 1


def test_straight_borders_are_drawn() -> None:
    # The Canada-United States border runs straight along 49°N from about 95°W to the
    # Strait of Georgia: one edge over 20° of longitude long, drawn like any border.
    box = _Box(-140.0, 30.0, -60.0, 70.0)
    _, lines, _, _, _ = _basemap(box, box, [])
    edges = [
        (a, b)
        for line in lines
        for part in getattr(line, "geoms", [line])
        for a, b in zip(part.coords[:-1], part.coords[1:], strict=True)
    ]
    assert any(
        abs(a[0] - b[0]) > 20 and abs(a[1] - 49) < 0.05 and abs(b[1] - 49) < 0.05 for a, b in edges
    )


def test_bad_tiles_and_empty_map() -> None:
    m = RangeMap(basemap="No.Such.Tiles").add(Reach.from_distance(1000, SUMY))
    with pytest.raises(InputError, match=r"No\.Such\.Tiles"):
        m.to_html()
    with pytest.raises(InputError, match="nothing to draw"):
        render_html(RangeMap())


def test_antimeridian_reach_is_one_contiguous_shape() -> None:
    m = RangeMap().add(Reach.from_distance(1_000_000, "64.73, 177.51=Anadyr"))
    assert m.layers[0].reach.geometry.geom_type == "MultiPolygon"  # RFC 7946: split
    [(shape, style)] = _layer_shapes(m.layers[0])
    assert shape.geom_type == "Polygon"
    minx, _, maxx, _ = shape.bounds
    assert minx < 180 < maxx
    assert style.get("stroke", True)


def test_pole_cap_is_filled_without_seams() -> None:
    m = RangeMap().add(Reach.from_distance(2_500_000, "78.22, 15.65=Longyearbyen"))
    parts = _layer_shapes(m.layers[0])
    assert [style.get("stroke", True) for _, style in parts] == [False, True]
    fill, outline = parts[0][0], parts[1][0]
    assert fill.bounds[3] == 90
    coords = shapely.get_coordinates(outline)
    assert coords[:, 1].max() < 89.9
    assert _seam_free_outline(shapely.box(30, 40, 40, 50)) is None
    page = m.to_html()
    assert page.count("L.geoJson(") >= 3


def test_saved_file_matches_to_html(tmp_path: Path) -> None:
    m = load_recipe(flagship_recipe())
    path = m.save(tmp_path / "atacms.html", embed=True)
    assert path.read_text(encoding="utf-8") == m.to_html()
    snippet = (tmp_path / "atacms.embed.html").read_text(encoding="utf-8")
    assert 'src="atacms.html"' in snippet
    assert "<iframe" in snippet


def test_your_text_keeps_its_own_direction_on_a_right_to_left_page() -> None:
    """A title written in English on a Hebrew page reads left to right (dir="auto")."""
    reach = Reach.from_distance(300_000, "50.91, 34.80=Sumy")
    hebrew = RangeMap(title="What ATACMS can reach", language="he", credit="Desk").add(reach)
    page = hebrew.to_html()
    assert '<h1 class="rm-title" dir="auto">What ATACMS can reach</h1>' in page
    assert '<span class="rm-credit" dir="auto">Desk</span>' in page
    english = RangeMap(title="What ATACMS can reach").add(reach).to_html()
    assert '<h1 class="rm-title">What ATACMS can reach</h1>' in english
