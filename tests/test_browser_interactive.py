"""The interactive page in Chromium, network cut off: dragging, keyboard, systems, hash, API."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import shapely
from offline_page import Visit, checked, open_offline
from pyproj import Geod
from reader_pages import (
    city_on_screen,
    drag,
    flagship_pages,
    handle_centre,
    overlapping,
    reader_state,
    settled,
    visible_labels,
)
from shapely.geometry import shape

from rangemap import geodesy
from rangemap.recipes import load_recipe
from rangemap.render._js import script

pytestmark = pytest.mark.browser

WGS84 = Geod(ellps="WGS84")


@pytest.fixture(scope="module")
def pages(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The flagship recipe as an interactive page, in English, Ukrainian and Hebrew."""
    return flagship_pages(tmp_path_factory.mktemp("interactive"), ("en", "uk", "he"))


@pytest.fixture
def visit(chromium_launched: Any, pages: dict[str, Path]) -> Iterator[Visit]:
    with checked(open_offline(chromium_launched, pages["en"])) as opened:
        yield opened


@pytest.mark.parametrize(
    ("lon", "lat"),
    [(37.6173, 55.7558), (179.5, 65.0), (20.0, 85.0)],
    ids=["moscow", "dateline", "pole"],
)
def test_reach_follows_moveorigin_exactly(visit: Visit, lon: float, lat: float) -> None:
    state = visit.page.evaluate(f"() => window.rangemap.moveOrigin(0, {lon}, {lat})")
    assert state["origins"][0] == [lon, lat]
    radius = state["range_m"]
    tolerance = radius * 1e-4
    feature = state["reach"]["features"][0]
    geometry = feature["geometry"]
    ours = shape(geometry)
    truth = geodesy.ring((lon, lat), radius, tolerance_m=tolerance)
    assert ours.geom_type == truth.geom_type
    assert len(getattr(ours, "geoms", [ours])) == len(getattr(truth, "geoms", [truth]))
    assert ours.is_valid
    assert shapely.symmetric_difference(ours, truth).area < 1e-3 * truth.area
    coords = shapely.get_coordinates(ours)
    assert (abs(coords[:, 0]) <= 180).all()
    assert (abs(coords[:, 1]) <= 90).all()
    for x, y in coords:
        if abs(y) >= 89.9999 or abs(x) == 180:  # pole closure and cut vertices
            continue
        _, _, d = WGS84.inv(lon, lat, x, y)
        assert abs(d - radius) <= tolerance, (x, y, d)
    # The drawn layers follow, and the hash says where the origin is.
    assert visit.page.evaluate("() => location.hash").startswith(f"#o={lon:.4f},{lat:.4f};")


def test_mouse_drag_moves_origin_and_hash_and_reload_restores(visit: Visit) -> None:
    page = visit.page
    before = reader_state(page)["origins"][0]
    x, y = handle_centre(page)
    page.mouse.move(x, y)
    page.mouse.down()
    for step in range(1, 11):
        page.mouse.move(x + 8 * step, y + 4 * step)
    page.mouse.up()
    page.wait_for_timeout(100)
    after = reader_state(page)["origins"][0]
    assert after[0] > before[0] + 0.1
    assert after[1] < before[1] - 0.05
    hash_ = page.evaluate("() => location.hash")
    assert hash_.startswith(f"#o={after[0]:.4f},{after[1]:.4f};")
    page.evaluate("() => window.rangemap.selectSystem('atacms:block-i')")
    hash_ = page.evaluate("() => location.hash")
    assert hash_.endswith("&s=atacms:block-i")
    page.reload()
    page.wait_for_function("() => window.rangemap && window.rangemap.state", timeout=10_000)
    state = reader_state(page)
    assert state["origins"][0] == [round(after[0], 4), round(after[1], 4)]
    assert state["variant"] == "block-i"
    assert page.locator("#rm-system").input_value() == "atacms:block-i"


#: Staryy Oskol (GeoNames), one of the flagship's labelled cities in range: lon, lat.
STARYY_OSKOL = (37.84613, 51.3025)


@pytest.mark.parametrize("size", [(1280, 800), (390, 844)], ids=["desktop", "phone"])
def test_labels_never_overlap_after_an_origin_moves_next_to_a_city(
    chromium_launched: Any, pages: dict[str, Path], size: tuple[int, int]
) -> None:
    with checked(open_offline(chromium_launched, pages["en"], size)) as opened:
        page = opened.page
        assert overlapping(visible_labels(page)) == []
        assert "Staryy Oskol" in [label["text"] for label in visible_labels(page)]
        # The reader drops Sumy's marker just west of Staryy Oskol: its label, written to
        # the right of the marker, would lie on the city's.
        x, y = city_on_screen(page, *STARYY_OSKOL)
        drag(page, handle_centre(page), (x - 40, y))
        settled(page)
        labels = visible_labels(page)
        assert overlapping(labels) == []
        moved = [label["text"] for label in labels if label["origin"]]
        assert any(text.endswith("° E") for text in moved), moved  # the origin's label stays
        texts = [label["text"] for label in labels]
        assert "Staryy Oskol" not in texts  # it gives way; its dot stays
        assert page.locator('[role="img"][aria-label^="Staryy Oskol"]').count() == 1
        assert "Kharkiv" in texts
        # Once there is room again, the city's label shows again.
        page.evaluate("() => window.rangemap.moveOrigin(0, 35.0, 50.6)")
        settled(page)
        labels = visible_labels(page)
        assert overlapping(labels) == []
        assert "Staryy Oskol" in [label["text"] for label in labels]


@pytest.mark.parametrize("language", ["en", "he"])
def test_a_moved_origins_label_is_beside_its_marker(
    chromium_launched: Any, pages: dict[str, Path], language: str
) -> None:
    # Right of the marker on a left-to-right page, left of it on a right-to-left one,
    # however long the label (coordinates after a move).
    with checked(open_offline(chromium_launched, pages[language])) as opened:
        page = opened.page
        for lon, lat in ((36.0, 50.5), (37.6, 51.3)):
            page.evaluate(f"() => window.rangemap.moveOrigin(0, {lon}, {lat})")
            handle = page.locator(".rm-handle").first.bounding_box()
            tip = page.locator(".rm-origin-tip").first.bounding_box()
            assert handle is not None
            assert tip is not None
            if language == "he":
                gap = handle["x"] - (tip["x"] + tip["width"])
            else:
                gap = tip["x"] - (handle["x"] + handle["width"])
            assert 0 <= gap <= 12, (language, gap)
            middle = tip["y"] + tip["height"] / 2 - (handle["y"] + handle["height"] / 2)
            assert abs(middle) <= 4


def test_malformed_hash_is_ignored(visit: Visit, pages: dict[str, Path]) -> None:
    page = visit.page
    default = reader_state(page)
    for bad in ("#o=1,2&s=atacms:long-range", "#o=999,1;2,3&s=x", "#<img src=x>", "#o=a,b;c,d&s="):
        page.goto(pages["en"].as_uri() + bad)
        page.reload()  # a change of hash alone does not load the page again
        page.wait_for_function("() => window.rangemap && window.rangemap.state", timeout=10_000)
        state = reader_state(page)
        assert state["origins"] == default["origins"], bad
        assert state["id"] == default["id"], bad


def test_keyboard_arrows_move_the_focused_origin(visit: Visit) -> None:
    page = visit.page
    handle = page.locator(".rm-handle").first
    name = handle.get_attribute("aria-label")
    assert name is not None
    assert "Sumy" in name
    assert "arrow keys" in name
    before = reader_state(page)["origins"][0]
    handle.focus()
    page.keyboard.press("ArrowRight")
    page.keyboard.press("ArrowUp")
    after = reader_state(page)["origins"][0]
    assert after[0] > before[0]
    assert after[1] > before[1]
    # The live region speaks once the cities in range are counted for the new place.
    page.wait_for_function("() => document.getElementById('rm-live').textContent !== ''")
    live = page.locator("#rm-live").text_content() or ""
    assert "N" in live
    assert "300 km" in live


def test_select_system_switches_legend_and_sources(visit: Visit) -> None:
    page = visit.page
    legend = page.locator(".rm-legend:visible")
    assert "ATACMS" in legend.inner_text()
    page.evaluate("() => window.rangemap.selectSystem('storm-shadow')")
    assert legend.count() == 1
    assert "Storm Shadow" in legend.inner_text()
    sources = page.locator(".rm-foot:visible .rm-sources").inner_text()
    assert "Storm Shadow" in sources or "SCALP" in sources or "storm" in sources.lower()
    state = reader_state(page)
    assert state["system"] == "storm-shadow"
    assert state["range_m"] == 250_000
    # The reader's control does the same.
    page.select_option("#rm-system", "atacms:block-i")
    assert "M39" in legend.inner_text() or "Block I" in legend.inner_text()
    assert reader_state(page)["range_m"] == 165_000


def test_api_validates_arguments(visit: Visit) -> None:
    page = visit.page
    for call in (
        "moveOrigin(9, 30, 50)",
        "moveOrigin(0, 'x', 50)",
        "moveOrigin(0, 30, 95)",
        "moveOrigin(0, NaN, 50)",
        "selectSystem('no-such')",
    ):
        threw = page.evaluate(
            f"() => {{ try {{ window.rangemap.{call}; return false; }}"
            " catch (e) { return true; } }"
        )
        assert threw, call
    state = page.evaluate("() => window.rangemap.moveOrigin(0, 190, 50)")
    assert state["origins"][0] == [-170, 50]
    near = page.evaluate("() => window.rangemap.nearestOrigin(36.3, 50.0)")
    _, _, d = WGS84.inv(36.25475, 49.98177, 36.3, 50.0)
    assert near["index"] == 1
    assert abs(near["distance_m"] - d) < 0.01
    assert page.evaluate("() => window.rangemap.reachOf(36.3, 51.0)") is True
    assert page.evaluate("() => window.rangemap.reachOf(10, 10)") is False


HOST = """<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>Host</title></head>
<body><iframe id="f" title="map" src="{src}" width="900" height="700"></iframe></body></html>"""


def test_post_message_from_a_host_page(chromium_launched: Any, pages: dict[str, Path]) -> None:
    host = pages["en"].with_name("host.html")
    host.write_text(HOST.format(src=pages["en"].name), "utf-8")
    opened = open_offline(chromium_launched, host, drawn=False)
    page = opened.page
    try:
        frame = next(f for f in page.frames if f != page.main_frame)
        frame.wait_for_function("() => window.rangemap && window.rangemap.state", timeout=15_000)
        replies = page.evaluate(
            """() => new Promise((done) => {
              const got = [];
              window.addEventListener("message", (e) => {
                if (e.data && e.data.rangemap === "state") { got.push(e.data.state); }
                if (got.length === 3) { done(got); }
              });
              const f = document.getElementById("f").contentWindow;
              f.postMessage({rangemap: "moveOrigin", args: [30.52, 50.45]}, "*");  // ignored
              f.postMessage({rangemap: "eval", args: ["1"]}, "*");  // ignored
              f.postMessage("moveOrigin", "*");  // ignored
              f.postMessage({rangemap: "moveOrigin", args: [0, 30.52, 50.45]}, "*");
              f.postMessage({rangemap: "selectSystem", args: ["storm-shadow"]}, "*");
              f.postMessage({rangemap: "state"}, "*");
            })"""
        )
        assert replies[0]["origins"][0] == [30.52, 50.45]
        assert replies[1]["system"] == "storm-shadow"
        assert replies[2]["origins"][0] == [30.52, 50.45]
        assert opened.blocked == []
        assert opened.errors == []
    finally:
        opened.context.close()


def test_axe_finds_no_serious_violation(visit: Visit) -> None:
    from axe_playwright_python.sync_playwright import Axe  # type: ignore[import-untyped]

    for size in ((1280, 800), (390, 844)):
        visit.page.set_viewport_size({"width": size[0], "height": size[1]})
        visit.page.wait_for_timeout(200)
        results = Axe().run(visit.page)
        bad = [
            (v["id"], [n["target"] for n in v["nodes"]][:3])
            for v in results.response["violations"]
            if v["impact"] in ("serious", "critical")
        ]
        assert bad == [], bad


@pytest.mark.parametrize(
    ("language", "label"), [("uk", "Показана система"), ("he", "המערכת המוצגת")]
)
def test_localised_controls(
    chromium_launched: Any, pages: dict[str, Path], language: str, label: str
) -> None:
    opened = open_offline(chromium_launched, pages[language])
    page = opened.page
    try:
        assert page.locator("label[for=rm-system]").inner_text() == label
        page.evaluate("() => window.rangemap.moveOrigin(0, 30.52, 50.45)")
        page.wait_for_function("() => document.getElementById('rm-live').textContent !== ''")
        live = page.locator("#rm-live").text_content() or ""
        north = {"uk": "пн. ш.", "he": "צפון"}[language]
        assert north in live
        assert page.evaluate("() => document.documentElement.dir") == (
            "rtl" if language == "he" else "ltr"
        )
        if language == "he":
            page.screenshot(path="/tmp/interactive-he.png")
        assert opened.blocked == []
        assert opened.errors == []
    finally:
        opened.context.close()


def test_screenshots(chromium_launched: Any, pages: dict[str, Path]) -> None:
    for name, size in (("desktop", (1280, 800)), ("phone", (390, 844))):
        opened = open_offline(chromium_launched, pages["en"], size)
        try:
            opened.page.evaluate("() => window.rangemap.moveOrigin(0, 35.5, 51.2)")
            opened.page.screenshot(path=f"/tmp/interactive-{name}.png", full_page=True)
            assert opened.errors == []
        finally:
            opened.context.close()


def test_page_script_is_the_package_file(pages: dict[str, Path]) -> None:
    text = pages["en"].read_text("utf-8")
    assert script("interactive.js") in text
    data = json.loads(text.split('id="rm-data">', 1)[1].split("</script>", 1)[0])
    assert data["interactive"]["choices"][1]["id"] == "storm-shadow:export"


def _search(page: Any, text: str) -> None:
    page.evaluate("() => window.rangemap.places.ready")
    page.fill("#rm-find-q", text)
    page.keyboard.press("Enter")
    page.wait_for_function("() => window.rangemap.places.settled()", timeout=10_000)


def _listed(page: Any) -> list[str]:
    items: list[str] = page.evaluate(
        "() => [...document.querySelectorAll('#rm-find-cities li')].map(l => l.textContent)"
    )
    return [item.split(",")[0] for item in items]


def test_one_list_of_cities_that_follows_the_maps_places_settings(visit: Visit) -> None:
    from rangemap.recipes import flagship_recipe

    page = visit.page
    page.wait_for_function("() => window.rangemap.places.settled()", timeout=10_000)
    # One list: the live one; the static table is gone.
    assert page.locator(".rm-places-table").count() == 0
    assert page.locator("h2", has_text="Cities in range").count() == 1
    static = load_recipe(flagship_recipe()).places_in_range()
    assert static is not None
    assert _listed(page) == list(static["name"])  # the recipe's: Russian, >= 100,000
    assert "Kharkiv" not in _listed(page)  # an origin is not a city in range
    # After a change the markers on the map are the listed cities'.
    _search(page, "Moscow")
    listed = _listed(page)
    assert "Moscow" not in listed  # the origin moved there
    assert 0 < len(listed) <= 12
    group = page.evaluate(
        "() => JSON.parse(document.getElementById('rm-data').textContent).places.group"
    )
    markers = page.evaluate(
        "g => window[g].getLayers().filter(l => l instanceof L.CircleMarker).length", group
    )
    assert markers == len(listed)


def test_live_region_reads_the_count_after_a_search(visit: Visit) -> None:
    page = visit.page
    _search(page, "Voronezh")
    page.wait_for_function("() => document.getElementById('rm-live').textContent !== ''")
    live = page.text_content("#rm-live") or ""
    count = page.text_content("#rm-find-count") or ""
    assert "Voronezh" in live
    assert count
    assert count in live


def test_the_view_follows_a_searched_place_and_text_follows_changes(visit: Visit) -> None:
    page = visit.page
    _search(page, "New York")
    lon, lat = reader_state(page)["origins"][0]
    assert abs(lon + 74.0) < 0.1
    assert abs(lat - 40.7) < 0.1
    inside = "p => window.rangemap.map.getBounds().contains([p[1], p[0]])"
    assert page.evaluate(inside, [lon, lat])
    assert page.evaluate(
        "p => window.rangemap.map.options.maxBounds.contains([p[1], p[0]])", [lon, lat]
    )
    measured = page.locator(".rm-measured").all_text_contents()
    assert measured
    assert all("New York" in text and "Kharkiv" in text for text in measured)
    page.evaluate("() => window.rangemap.moveOrigin(0, 30.0, 50.0)")
    assert "50.00\u00b0 N, 30.00\u00b0 E" in page.locator(".rm-measured").first.text_content()
    page.evaluate("() => window.rangemap.selectSystem('storm-shadow')")
    names = page.evaluate(
        "() => [...document.querySelectorAll('.leaflet-control-layers-overlays label')]"
        ".map(l => l.textContent.trim())"
    )
    expected = page.evaluate(
        "() => JSON.parse(document.getElementById('rm-data').textContent)"
        ".interactive.choices[1].layer_runs.map(run => run[0]).join('')"
    )
    assert "Storm Shadow" in expected
    assert expected in names


def test_phone_layout_controls_above_the_map_list_below(
    chromium_launched: Any, pages: dict[str, Path]
) -> None:
    opened = open_offline(chromium_launched, pages["en"], (390, 844))
    try:
        page = opened.page
        top = page.evaluate(
            "s => document.querySelector(s).getBoundingClientRect().top", ".folium-map"
        )
        assert top < 600  # the map starts on the first screen
        order = page.evaluate(
            """() => ['#rm-system', '#rm-find-q', '.folium-map', '#rm-find-cities',
                      '#rm-find-measure'].map(s => document.querySelector(s)
                      .getBoundingClientRect().top)"""
        )
        assert order == sorted(order)
        page.screenshot(path="/tmp/interactive-phone.png")
        assert opened.errors == []
    finally:
        opened.context.close()


def test_round_projection_draws_a_polar_cap_as_one_closed_shape(
    chromium_launched: Any, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Oreshnik moved to 100 E, 60 N covers the North Pole: one fill, no seam, no wedge."""
    from rangemap.cli import main

    path = tmp_path / "oreshnik.html"
    assert main(["map", "oreshnik", "--from", "48.5,46.3", "--interactive", "-o", str(path)]) == 0
    # Its basemap is large: fewer cities are searchable, and the editor is told.
    assert "--search-min-population" in capsys.readouterr().err
    assert path.stat().st_size <= 1_500_000
    opened = open_offline(chromium_launched, path)
    try:
        page = opened.page
        state = page.evaluate("() => window.rangemap.moveOrigin(0, 100, 60)")
        page.evaluate("() => void window.rangemap.map.setView([75, 180], 3, {animate: false})")
        radius = state["range_m"]
        # Points inside and outside the reach, on both sides of +-180 and near the pole.
        points = [
            (lon, lat)
            for lon in (150.0, 170.0, 179.0, -179.0, -170.0, -150.0, -120.0, 0.0)
            for lat in (60.0, 68.0, 75.0, 85.0, 89.0)
        ]
        truth = [WGS84.inv(100.0, 60.0, lon, lat)[2] for lon, lat in points]
        probe = r"""([pts]) => {
            const map = window.rangemap.map;
            const paths = [...document.querySelectorAll('.leaflet-overlay-pane path')]
              .filter(p => p.getAttribute('fill-rule') === 'nonzero');
            const fill = paths[0];
            const svg = fill.ownerSVGElement;
            const pole = map.latLngToLayerPoint([90, 0]);
            const xy = (fill.getAttribute('d').match(/-?[\d.]+/g) || []).map(Number);
            let nearest = Infinity;
            for (let i = 0; i + 1 < xy.length; i += 2) {
              nearest = Math.min(nearest, Math.hypot(xy[i] - pole.x, xy[i + 1] - pole.y));
            }
            return {
              pole: nearest,
              count: paths.length,
              moves: (fill.getAttribute('d').match(/M/g) || []).length,
              inside: pts.map(([lon, lat]) => {
                const q = map.latLngToLayerPoint([lat, lon]);
                const p = svg.createSVGPoint(); p.x = q.x; p.y = q.y;
                return fill.isPointInFill(p);
              })
            };
        }"""
        seen = page.evaluate(probe, [points])
        assert seen["count"] == 1
        assert seen["moves"] == 1  # one closed curve around the pole: no split parts
        assert seen["pole"] > 50  # no seam drawn to the pole and back
        for (lon, lat), metres, inside in zip(points, truth, seen["inside"], strict=True):
            if abs(metres - radius) > 60_000:  # clear of the boundary's straight edges
                assert inside == (metres < radius), (lon, lat, metres)
        assert opened.errors == []
        assert opened.blocked == []
    finally:
        opened.context.close()


def test_a_degree_sign_follows_its_number_on_a_right_to_left_page(
    chromium_launched: Any, pages: dict[str, Path]
) -> None:
    """ "50.45°" reads as written inside Hebrew: the sign right of the number, not before it."""
    with checked(open_offline(chromium_launched, pages["he"])) as opened:
        page = opened.page
        page.evaluate("() => window.rangemap.moveOrigin(0, 30.52, 50.45)")
        boxes = page.evaluate(
            """() => {
              const el = document.querySelector('.rm-measured');
              const walker = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
              let node = walker.nextNode();
              while (node && node.textContent.indexOf('\\u00b0') < 0) { node = walker.nextNode(); }
              const text = node.textContent, sign = text.indexOf('\\u00b0');
              const at = i => {
                const r = document.createRange();
                r.setStart(node, i); r.setEnd(node, i + 1);
                return r.getBoundingClientRect().left;
              };
              return {text: text, digit: at(sign - 1), sign: at(sign)};
            }"""
        )
        assert "\u2066" in boxes["text"], boxes
        assert boxes["sign"] > boxes["digit"], boxes  # "50.45°": the sign on the right
