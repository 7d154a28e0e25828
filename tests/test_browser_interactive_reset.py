"""The reader's map against the published one, in Chromium with the network cut off.

A choice other than the map's own is shown alone (the flagship's second layer, ATACMS
Block I, hidden with its legend entry and layer-control row) and the map's own system
brings every layer back; a notice under the subtitle appears once the map differs from
the published one, and its button restores origins, system, view and address.
Screenshots of the notice go to ``test-artifacts/``.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from offline_page import Visit, checked, open_offline
from reader_pages import (
    back_at,
    drag,
    flagship_pages,
    handle_centre,
    moved_view,
    reader_state,
    view,
    watch_moves,
)

pytestmark = pytest.mark.browser

ARTIFACTS = Path(__file__).resolve().parents[1] / "test-artifacts"
OWN = "atacms:long-range"
NOTICE = ".rm-changed"
BLOCK_I = "M39 (Block I)"


@pytest.fixture(scope="module")
def pages(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The flagship recipe as an interactive page, in English and Hebrew."""
    return flagship_pages(tmp_path_factory.mktemp("interactive-reset"), ("en", "he"))


@pytest.fixture
def visit(chromium_launched: Any, pages: dict[str, Path]) -> Iterator[Visit]:
    with checked(open_offline(chromium_launched, pages["en"])) as opened:
        yield opened


def _layers_on(page: Any) -> list[bool]:
    """Whether each of the map's layer groups is on the map."""
    on: list[bool] = page.evaluate(
        """() => JSON.parse(document.getElementById('rm-data').textContent)
          .interactive.layers.map(l => window.rangemap.map.hasLayer(window[l.group]))"""
    )
    return on


def _control_rows(page: Any) -> list[str]:
    """The names of the layer control's rows the reader can see."""
    rows: list[str] = page.evaluate(
        """() => [...document.querySelectorAll('.leaflet-control-layers-overlays label')]
          .filter(l => !l.hidden && getComputedStyle(l).display !== 'none')
          .map(l => l.textContent.trim())"""
    )
    return rows


def _shown(page: Any) -> bool:
    return bool(page.locator(NOTICE).is_visible())


def _published(page: Any) -> dict[str, Any]:
    data: dict[str, Any] = page.evaluate(
        "() => JSON.parse(document.getElementById('rm-data').textContent).interactive"
    )
    return data


def test_a_choice_is_shown_alone_and_the_maps_own_brings_every_layer_back(visit: Visit) -> None:
    page = visit.page
    legend = page.locator(".rm-legend:visible")
    assert _layers_on(page) == [True, True]
    assert BLOCK_I in legend.inner_text()
    assert any(BLOCK_I in row for row in _control_rows(page))
    page.evaluate("() => window.rangemap.selectSystem('storm-shadow')")
    # Storm Shadow alone: the Block I layer, its legend entry and its control row hidden.
    assert _layers_on(page) == [True, False]
    assert legend.count() == 1
    assert "Storm Shadow" in legend.inner_text()
    assert BLOCK_I not in legend.inner_text()
    assert page.locator(".rm-legend:visible .rm-swatch").count() == 1
    rows = _control_rows(page)
    assert not any(BLOCK_I in row for row in rows)
    assert any("Storm Shadow" in row for row in rows)
    sources = page.locator(".rm-foot:visible .rm-sources").inner_text()
    assert "Lockheed" not in sources  # ATACMS's maker: Storm Shadow's sources only
    # Only Storm Shadow's reach counts: no other layer is drawn or measured.
    paths = page.evaluate(
        """() => [...document.querySelectorAll('.leaflet-overlay-pane path')]
          .filter(p => p.getAttribute('stroke-dasharray') === '6 5').length"""
    )
    assert paths == 0  # Block I's dashed outline is gone
    state = reader_state(page)
    assert state["id"] == "storm-shadow:export"
    assert page.evaluate("() => location.hash").endswith("&s=storm-shadow:export")
    page.wait_for_function("() => document.getElementById('rm-live').textContent !== ''")
    assert "Storm Shadow" in (page.text_content("#rm-live") or "")
    # The reader's own control brings the published layers back.
    page.select_option("#rm-system", OWN)
    assert _layers_on(page) == [True, True]
    assert BLOCK_I in legend.inner_text()
    assert page.locator(".rm-legend:visible .rm-swatch").count() == 2
    assert any(BLOCK_I in row for row in _control_rows(page))
    assert reader_state(page)["id"] == OWN
    # The published map again: no address of its own, no notice.
    assert page.evaluate("() => location.hash") == ""
    assert not _shown(page)
    # Another choice that is also a layer of the map is shown alone too.
    page.evaluate("() => window.rangemap.selectSystem('atacms:block-i')")
    assert _layers_on(page) == [True, False]
    assert page.locator(".rm-legend:visible .rm-swatch").count() == 1


def test_the_notice_is_shown_after_a_keyboard_move_and_not_before(visit: Visit) -> None:
    page = visit.page
    notice = page.locator(NOTICE)
    assert notice.count() == 1
    assert not _shown(page)
    handle = page.locator(".rm-handle").first
    handle.focus()
    page.keyboard.press("ArrowRight")
    assert _shown(page)
    # In the subtitle's place: under the title, above the legend.
    order = page.evaluate(
        """() => ['.rm-title', '.rm-subtitle', '.rm-changed', '.rm-legend:not([hidden])']
          .map(s => document.querySelector(s).getBoundingClientRect())
          .map(r => [r.top, r.bottom])"""
    )
    title, subtitle, box, legend = order
    assert title[1] <= box[0] == subtitle[0] < box[1] <= subtitle[1] <= legend[0]
    assert (
        page.evaluate(
            "() => document.querySelector('.rm-changed').previousElementSibling.className"
        )
        == "rm-subtitle"
    )
    text = notice.inner_text()
    assert "You have changed this map" in text
    assert "Back to the published map" in text


def _said(page: Any) -> dict[str, Any]:
    """The subtitle (its markup, whether it shows), the summary and the map's description."""
    said: dict[str, Any] = page.evaluate(
        """() => { const s = document.querySelector('.rm-subtitle'),
          d = document.getElementById('rm-description'), r = s.getBoundingClientRect();
          return {html: s.outerHTML, shows: getComputedStyle(s).visibility === 'visible' &&
            r.height > 0, summary: !d.hidden && d.isConnected,
            describedby: window.rangemap.map.getContainer().getAttribute('aria-describedby')}; }"""
    )
    return said


#: The subtitle's words about the published map (they are in the summary too).
CLAIM = "measured from the cities of Sumy and Kharkiv"


def test_the_subtitle_gives_way_to_the_notice_and_comes_back(visit: Visit) -> None:
    page = visit.page
    published = _said(page)
    spoken = page.locator("header").aria_snapshot()
    assert published["shows"]
    assert published["summary"]
    assert published["describedby"] == "rm-description"
    assert CLAIM in published["html"]
    assert CLAIM in spoken
    # A drag: the editor's words about the published map are neither shown nor spoken;
    # the notice describes the map instead.
    drag(page, handle_centre(page), (handle_centre(page)[0] + 60, handle_centre(page)[1]))
    assert _shown(page)
    changed = _said(page)
    assert not changed["shows"]
    assert not page.locator(".rm-subtitle").is_visible()
    assert not changed["summary"]
    assert changed["describedby"] == "rm-changed-note"
    note = page.locator("#" + changed["describedby"]).text_content() or ""
    assert note.startswith("You have changed this map")
    assert CLAIM not in page.locator("header").aria_snapshot()
    assert "Measured from" in (page.locator(".rm-measured").first.text_content() or "")
    # Back to the published map: the subtitle and the summary as they were.
    page.locator(NOTICE).get_by_role("button").click()
    assert not _shown(page)
    assert _said(page) == published
    assert page.locator("header").aria_snapshot() == spoken
    # Another system, then the map's own again from the reader's control: the same.
    page.evaluate("() => window.rangemap.selectSystem('storm-shadow')")
    assert not _said(page)["shows"]
    assert CLAIM not in page.locator("header").aria_snapshot()
    page.select_option("#rm-system", OWN)
    assert _said(page) == published
    assert page.locator("header").aria_snapshot() == spoken


def _map_top(page: Any) -> float:
    top: float = page.evaluate(
        "() => window.rangemap.map.getContainer().getBoundingClientRect().top"
    )
    return top


@pytest.mark.parametrize("size", [(390, 844), (1280, 800)], ids=["phone", "desktop"])
def test_the_notice_does_not_push_the_map_down(
    chromium_launched: Any, pages: dict[str, Path], size: tuple[int, int]
) -> None:
    with checked(open_offline(chromium_launched, pages["en"], size)) as opened:
        page = opened.page
        top = _map_top(page)
        page.evaluate("() => window.rangemap.moveOrigin(0, 35.5, 51.2)")
        assert _shown(page)
        assert abs(_map_top(page) - top) <= 24
        assert page.locator(NOTICE).get_by_role("button").is_visible()
        page.locator(NOTICE).get_by_role("button").click()
        assert abs(_map_top(page) - top) <= 24


@pytest.fixture(scope="module")
def untitled(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An interactive map with a title and no subtitle (ATACMS from Sumy and Kharkiv)."""
    from rangemap.reach import Reach
    from rangemap.scene import Interactive, RangeMap

    scene = RangeMap(title="What ATACMS can reach", interactive=Interactive())
    scene.add(Reach.from_system("atacms", ["Sumy", "Kharkiv"]))
    return scene.save(tmp_path_factory.mktemp("interactive-untitled") / "untitled.html")


@pytest.mark.parametrize("size", [(390, 844), (1280, 800)], ids=["phone", "desktop"])
def test_without_a_subtitle_the_notice_lies_over_the_maps_top_edge(
    chromium_launched: Any, untitled: Path, size: tuple[int, int]
) -> None:
    with checked(open_offline(chromium_launched, untitled, size)) as opened:
        page = opened.page
        assert page.locator(".rm-subtitle").count() == 0
        top = _map_top(page)
        page.evaluate("() => window.rangemap.moveOrigin(0, 35.5, 51.2)")
        assert _shown(page)
        assert abs(_map_top(page) - top) <= 24
        boxes = page.evaluate(
            """() => { const box = (e) => { const r = e.getBoundingClientRect();
                return [r.left, r.top, r.right, r.bottom]; };
              return {notice: box(document.querySelector('.rm-changed')),
                map: box(window.rangemap.map.getContainer()),
                controls: [...document.querySelectorAll('.leaflet-control')]
                  .filter(c => c.getBoundingClientRect().width > 0).map(box)}; }"""
        )
        left, upper, right, lower = boxes["notice"]
        assert boxes["map"][0] <= left < right <= boxes["map"][2]
        assert boxes["map"][1] <= upper < lower <= boxes["map"][1] + 0.3 * size[1]
        for c in boxes["controls"]:  # zoom, reset view, layers: none is covered
            assert right <= c[0] or c[2] <= left or lower <= c[1] or c[3] <= upper, c
        from axe_playwright_python.sync_playwright import Axe  # type: ignore[import-untyped]

        violations = Axe().run(page).response["violations"]
        assert [(v["id"], [n["target"] for n in v["nodes"]][:3]) for v in violations] == []
        # Tab still reaches the button first, and it takes the reader back.
        page.evaluate("() => document.activeElement && document.activeElement.blur()")
        page.keyboard.press("Tab")
        assert page.evaluate("() => document.activeElement.closest('.rm-changed') !== null")
        page.keyboard.press("Enter")
        assert not _shown(page)
        ARTIFACTS.mkdir(exist_ok=True)
        page.evaluate("() => window.rangemap.moveOrigin(0, 35.5, 51.2)")
        page.screenshot(path=str(ARTIFACTS / f"interactive-changed-untitled-{size[0]}.png"))


def test_the_notice_is_shown_after_a_drag(visit: Visit) -> None:
    page = visit.page
    x, y = handle_centre(page)
    page.mouse.move(x, y)
    page.mouse.down()
    for step in range(1, 6):
        page.mouse.move(x + 10 * step, y)
    assert not _shown(page)  # not while dragging: on the drop
    page.mouse.up()
    page.wait_for_timeout(50)
    assert _shown(page)


def test_the_notice_is_shown_after_select_system(visit: Visit) -> None:
    page = visit.page
    page.evaluate("() => window.rangemap.selectSystem('storm-shadow')")
    assert _shown(page)
    page.evaluate(f"() => window.rangemap.selectSystem('{OWN}')")
    assert not _shown(page)


def _load(page: Any, address: str) -> None:
    """Open ``address`` as a new document (a change of hash alone does not load a page)."""
    page.goto(address)
    page.reload()
    page.wait_for_function("() => window.rangemap && window.rangemap.state", timeout=10_000)


def test_the_notice_follows_the_address_on_load(visit: Visit, pages: dict[str, Path]) -> None:
    page = visit.page
    published = _published(page)["origins"]
    here = ";".join(f"{lon:.4f},{lat:.4f}" for lon, lat, _ in published)
    _load(page, pages["en"].as_uri() + f"#o={here}&s=storm-shadow:export")
    assert _shown(page)
    assert reader_state(page)["id"] == "storm-shadow:export"
    assert _layers_on(page) == [True, False]
    assert not any(BLOCK_I in row for row in _control_rows(page))
    # The address of the published map itself: the origins stay exactly where they are.
    _load(page, pages["en"].as_uri() + f"#o={here}&s={OWN}")
    assert not _shown(page)
    assert reader_state(page)["origins"] == [[lon, lat] for lon, lat, _ in published]
    assert _layers_on(page) == [True, True]


def test_back_to_the_published_map_by_keyboard(visit: Visit) -> None:
    page = visit.page
    start = reader_state(page)
    published = view(page)
    measured = page.locator(".rm-measured").first.text_content()
    page.evaluate("() => window.rangemap.moveOrigin(0, 37.6173, 55.7558, 'Moscow')")
    page.evaluate("() => window.rangemap.selectSystem('storm-shadow')")
    page.evaluate("() => window.rangemap.fitReach()")
    page.wait_for_timeout(400)
    assert _shown(page)
    assert "Moscow" in (page.locator(".rm-measured").first.text_content() or "")
    # The button is the first thing Tab reaches on the page, with a visible focus ring.
    page.evaluate("() => document.activeElement && document.activeElement.blur()")
    page.keyboard.press("Tab")
    focused = page.evaluate(
        """() => { const e = document.activeElement, s = getComputedStyle(e);
          return [e.tagName, e.textContent, e.matches(':focus-visible'), s.outlineStyle,
                  parseFloat(s.outlineWidth)]; }"""
    )
    assert focused[:3] == ["BUTTON", "Back to the published map", True]
    assert focused[3] == "solid"
    assert focused[4] >= 2
    page.keyboard.press("Enter")
    state = reader_state(page)
    assert state["origins"] == start["origins"]
    assert state["id"] == OWN
    assert state["range_m"] == start["range_m"]
    assert page.evaluate("() => location.hash") == ""
    assert not _shown(page)
    assert _layers_on(page) == [True, True]
    assert page.locator(".rm-measured").first.text_content() == measured
    assert page.locator("#rm-system").input_value() == OWN
    assert page.evaluate("() => document.activeElement.id") == "rm-system"
    back_at(page, published)
    page.wait_for_function(
        "() => document.getElementById('rm-live').textContent.includes('published map')"
    )
    live = page.text_content("#rm-live") or ""
    assert live.startswith("The published map is shown again.")
    assert "Sumy" in live


@pytest.mark.parametrize("delay_ms", [0, 100])
def test_back_to_the_published_map_while_the_map_zooms(visit: Visit, delay_ms: int) -> None:
    # Leaflet drops a change of view asked for during a zoom animation: pressed while the
    # map still zooms to the reader's reach, the button waits for it and then goes back.
    page = visit.page
    published = view(page)
    _show_reach_at(page, 37.6173, 55.7558, "Moscow")
    page.wait_for_timeout(delay_ms)
    page.click(f"{NOTICE} button")
    back_at(page, published)
    page.wait_for_timeout(400)
    back_at(page, published, timeout=100)  # and it stays there


def _show_reach_at(page: Any, lon: float, lat: float, name: str) -> None:
    """Move the first origin, show Storm Shadow and start fitting the reach."""
    page.evaluate(f"() => window.rangemap.moveOrigin(0, {lon}, {lat}, '{name}')")
    page.evaluate("() => window.rangemap.selectSystem('storm-shadow')")
    watch_moves(page)
    page.evaluate("() => window.rangemap.fitReach()")


def _fit_reach_at(page: Any, lon: float, lat: float, name: str) -> list[Any]:
    """:func:`_show_reach_at`, then the view once the fit is there."""
    _show_reach_at(page, lon, lat, name)
    return moved_view(page)


def test_the_reset_button_fits_the_readers_reach(visit: Visit) -> None:
    # Once the reach has changed, the reset button fits it (one fit: the published
    # view's zoom, asked for too, would end the pan to the reader's).
    page = visit.page
    published = view(page)
    reach = _fit_reach_at(page, 37.6173, 55.7558, "Moscow")
    assert reach[1] != published[1]
    page.evaluate("() => void window.rangemap.map.panBy([-300, 200], {animate: false})")
    assert view(page) != reach
    page.click(".rm-reset button")
    back_at(page, reach)
    page.wait_for_timeout(400)
    back_at(page, reach, timeout=100)


def test_a_resize_fits_the_readers_reach_again(visit: Visit) -> None:
    # The fit is the map's move, not the reader's: a narrower window (a phone turned)
    # fits the reader's reach again, not the published one.
    page = visit.page
    published = view(page)
    reach = _fit_reach_at(page, 46.0154, 51.5331, "Saratov")
    page.set_viewport_size({"width": 390, "height": 844})
    # Leaflet measures the map again in the resize's callback, which fits it there and then.
    page.wait_for_function("() => window.rangemap.map.getSize().x === 390")
    narrow = view(page)
    assert narrow[1] < reach[1]
    assert narrow[0]["lng"] == pytest.approx(reach[0]["lng"], abs=0.05)
    assert abs(narrow[0]["lng"] - published[0]["lng"]) > 5


@pytest.mark.parametrize("language", ["en", "he"])
def test_axe_finds_no_violation_with_the_notice_shown(
    chromium_launched: Any, pages: dict[str, Path], language: str
) -> None:
    from axe_playwright_python.sync_playwright import Axe

    ARTIFACTS.mkdir(exist_ok=True)
    for width, height in ((1280, 800), (390, 844)):
        with checked(open_offline(chromium_launched, pages[language], (width, height))) as opened:
            page = opened.page
            page.evaluate("() => window.rangemap.moveOrigin(0, 35.5, 51.2)")
            page.evaluate("() => window.rangemap.selectSystem('storm-shadow')")
            page.wait_for_timeout(300)
            assert _shown(page)
            results = Axe().run(page)
            bad = [
                (v["id"], v["impact"], [n["target"] for n in v["nodes"]][:3])
                for v in results.response["violations"]
            ]
            assert bad == [], bad
            # Right to left: the notice's bar is on the right, its button after the text.
            box = page.evaluate(
                """() => { const n = document.querySelector('.rm-changed'),
                  s = getComputedStyle(n), p = n.querySelector('p').getBoundingClientRect(),
                  b = n.querySelector('button').getBoundingClientRect();
                  return {left: parseFloat(s.borderLeftWidth), right:
                    parseFloat(s.borderRightWidth), text: [p.left, p.right],
                    button: [b.left, b.right], top: [p.top, b.top]}; }"""
            )
            rtl = language == "he"
            assert (box["right"] > 0) == rtl
            assert (box["left"] > 0) == (not rtl)
            if box["top"][0] == box["top"][1]:  # on one line: the button follows the text
                if rtl:
                    assert box["button"][1] <= box["text"][0]
                else:
                    assert box["button"][0] >= box["text"][1]
            page.screenshot(path=str(ARTIFACTS / f"interactive-changed-{language}-{width}.png"))


def test_layer_names_keep_their_isolated_runs_after_a_switch(
    chromium_launched: Any, pages: dict[str, Path]
) -> None:
    # On a Hebrew page the layer control isolates each name as the static page does
    # (<bdi>): after a switch to Storm Shadow and back, the names are rebuilt the same way.
    markup = (
        "() => [...document.querySelectorAll('.leaflet-control-layers-overlays label')]"
        ".filter(l => !l.hidden).map(l => [...l.querySelectorAll('bdi')]"
        ".map(b => [b.textContent, b.dir]))"
    )
    with checked(open_offline(chromium_launched, pages["he"])) as opened:
        page = opened.page
        published = page.evaluate(markup)
        assert published[0][0][0].startswith("ATACMS")
        page.evaluate("() => window.rangemap.selectSystem('storm-shadow')")
        switched = page.evaluate(markup)
        assert switched[0][0][0].startswith("Storm Shadow")  # a <bdi>, not plain text
        page.evaluate("() => window.rangemap.selectSystem('atacms:long-range')")
        assert page.evaluate(markup) == published
