"""The interactive page's place search, cities in range and click-to-measure, in Chromium.

Pages are real ``rangemap map atacms --from Kharkiv --interactive`` pages, opened with the
network cut off; the answers are checked against the gazetteer, pyproj and
:mod:`rangemap.places`.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np
import pytest
import shapely
from hostile import RECORDER
from offline_page import Visit, checked, open_offline
from pyproj import Geod
from reader_pages import reader_state

from rangemap.cli import main
from rangemap.escaping import clean
from rangemap.geodesy import ring
from rangemap.places import load_gazetteer
from rangemap.places.within import within_columns
from rangemap.render import _interactive_places
from rangemap.render._interactive_places import search_key
from rangemap.words import words

pytestmark = pytest.mark.browser

WGS84 = Geod(ellps="WGS84")
KYIV = 703448
KHARKIV = 706483
RANGE_M = 300_000.0


def _gazetteer_point(geonameid: int) -> tuple[float, float]:
    gazetteer = load_gazetteer()
    row = int(np.flatnonzero(gazetteer.geonameid == geonameid)[0])
    return float(gazetteer.lon[row]), float(gazetteer.lat[row])


def _render(path: Path, language: str) -> Path:
    return _render_args(path, ["atacms", "--from", "Kharkiv", "--lang", language])


def _render_args(path: Path, arguments: list[str]) -> Path:
    assert main(["map", *arguments, "--interactive", "-o", str(path)]) == 0
    return path


@pytest.fixture(scope="module")
def pages(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("places")
    return {lang: _render(folder / f"kharkiv-{lang}.html", lang) for lang in ("en", "uk", "he")}


def _open(browser: Any, path: Path) -> Visit:
    visit = open_offline(browser, path)
    visit.page.evaluate("() => window.rangemap.places.ready")
    _settle(visit.page)
    return visit


def _settle(page: Any) -> None:
    page.wait_for_function("() => window.rangemap.places.settled()", timeout=10_000)


@pytest.fixture
def en(chromium_launched: Any, pages: dict[str, Path]) -> Iterator[Visit]:
    with checked(_open(chromium_launched, pages["en"])) as visit:
        yield visit


def _origin(page: Any) -> tuple[float, float]:
    lon, lat = page.evaluate("() => window.rangemap.state().origins[0]")
    return float(lon), float(lat)


def _distance_m(a: tuple[float, float], b: tuple[float, float]) -> float:
    return float(WGS84.inv(a[0], a[1], b[0], b[1])[2])


def _results(page: Any) -> list[str]:
    texts: list[str] = page.evaluate(
        "() => [...document.querySelectorAll('#rm-find-results [role=option]')]"
        ".map(o => o.textContent)"
    )
    return texts


@pytest.mark.parametrize("query", ["Київ", "Kyiv", "Киев", "קייב", "kiev", "KIJÓW", "كييف"])
def test_typing_a_name_in_any_script_then_enter_moves_the_origin(en: Visit, query: str) -> None:
    page = en.page
    page.click("#rm-find-q")
    page.keyboard.type(query)
    assert _results(page)[0] == "Kyiv, Ukraine"
    assert page.get_attribute("#rm-find-q", "aria-expanded") == "true"
    page.keyboard.press("Enter")
    assert _distance_m(_origin(page), _gazetteer_point(KYIV)) < 1_000
    assert page.input_value("#rm-find-q") == "Kyiv"
    assert page.get_attribute("#rm-find-q", "aria-expanded") == "false"
    assert "#o=30.52" in page.evaluate("() => location.hash")


def test_clicking_a_result_and_the_keyboard_choose_a_place(en: Visit) -> None:
    page = en.page
    page.fill("#rm-find-q", "Kyiv")
    page.click("#rm-find-option-0")
    assert _distance_m(_origin(page), _gazetteer_point(KYIV)) < 1_000
    # Arrows move through the results (aria-activedescendant); Enter takes the one chosen.
    page.fill("#rm-find-q", "Khar")
    results = _results(page)
    # Names that start so come first, most populous first; then other names (Harbin's
    # alternate name Kharbin).
    assert results[:2] == ["Khartoum, Sudan", "Kharkiv, Ukraine"]
    assert results.index("Harbin, China") > 1
    page.keyboard.press("ArrowDown")
    page.keyboard.press("ArrowDown")
    assert page.get_attribute("#rm-find-q", "aria-activedescendant") == "rm-find-option-1"
    assert page.get_attribute("#rm-find-option-1", "aria-selected") == "true"
    page.keyboard.press("Enter")
    second = page.evaluate("() => window.rangemap.places.search('Khar')[1]")
    data = _data(page)
    assert _origin(page) == pytest.approx(
        (data["lon"][second] / 1e5, data["lat"][second] / 1e5), abs=1e-9
    )
    page.fill("#rm-find-q", "Xqzzyvv")
    assert _results(page) == []
    assert page.text_content("#rm-find-status") == "No place found."
    assert page.is_hidden("#rm-find-results")
    page.keyboard.press("Escape")


def test_search_ignores_accents_case_and_punctuation(en: Visit) -> None:
    search = "q => window.rangemap.places.search(q)"
    dnipro = en.page.evaluate(search, "Dnipro")
    assert dnipro
    assert en.page.evaluate(search, "Dnipró") == dnipro
    assert en.page.evaluate(search, "DNIPRO") == dnipro
    assert _data(en.page)["name"][dnipro[0]] == "Dnipro"
    assert en.page.evaluate(search, "Kryvyi-Rih") == en.page.evaluate(search, "kryvyi rih")


def _data(page: Any) -> dict[str, Any]:
    data: dict[str, Any] = page.evaluate(
        "() => { const d = JSON.parse(document.getElementById('rm-data').textContent);"
        " return d.search; }"
    )
    return data


def test_the_page_normalises_as_python_does(en: Visit) -> None:
    """Every name of 300 cities, in every script: the browser's key is Python's key."""
    gazetteer = load_gazetteer()
    rows = np.flatnonzero(gazetteer.population >= 1_000_000)[:300]
    names: list[str] = []
    for row in rows.tolist():
        names += [gazetteer.name[row], *gazetteer.alternate_names(int(gazetteer.geonameid[row]))]
    names += ["Dnipró", "Łódź", "İstanbul", "ΑΘΗΝΑΣ", "서울특별시", "Straße", "Ǆurđevac"]
    names = [clean(n) for n in names]
    assert len(names) > 10_000
    ours = en.page.evaluate("names => names.map(window.rangemap.places.key)", names)
    differ = [(n, a, search_key(n)) for n, a in zip(names, ours, strict=True) if a != search_key(n)]
    assert differ == []


def _python_in_range(
    data: dict[str, Any], origins: list[tuple[float, float]], **rules: Any
) -> tuple[set[int], set[int]]:
    """Indexes of the data's cities in reach by rangemap.places, and those near the edge.

    ``rules`` are the map's places settings (rangemap.places.within's arguments); the
    cities at an origin are left out, as within leaves them out.
    """
    tolerance = RANGE_M * 1e-4
    shape = shapely.union_all(
        [ring(origin, RANGE_M + tolerance, tolerance_m=tolerance) for origin in origins]
    )
    near = within_columns(shape, origins=origins, **{"min_population": 0, **rules})
    where = {
        (lon, lat): i for i, (lon, lat) in enumerate(zip(data["lon"], data["lat"], strict=True))
    }
    inside: set[int] = set()
    edge: set[int] = set()
    for lon, lat in zip(near["lon"].tolist(), near["lat"].tolist(), strict=True):
        i = where.get((round(lon * 1e5), round(lat * 1e5)))
        if i is None:
            continue
        city = (data["lon"][i] / 1e5, data["lat"][i] / 1e5)
        d = min(_distance_m(origin, city) for origin in origins)
        (edge if abs(d - RANGE_M) <= 2 * tolerance else inside if d < RANGE_M else edge).add(i)
    return inside, edge


def _check_in_range(page: Any, **rules: Any) -> set[int]:
    """The page's cities in range are rangemap.places' (allowing the boundary's tolerance)."""
    data = _data(page)
    origins = [(float(lon), float(lat)) for lon, lat in reader_state(page)["origins"]]
    inside, edge = _python_in_range(data, origins, **rules)
    found = set(page.evaluate("() => window.rangemap.places.found()"))
    assert inside - found == set()
    assert found - inside <= edge
    assert page.evaluate("() => window.rangemap.places.count()") == len(found)
    return found


def test_cities_in_range_match_rangemap_places(en: Visit) -> None:
    page = en.page
    data = _data(page)
    for move in (None, _gazetteer_point(KYIV), (37.6173, 55.7558)):
        if move is not None:
            page.evaluate("p => window.rangemap.moveOrigin(0, p[0], p[1])", list(move))
            _settle(page)
        origin = _origin(page)
        found = _check_in_range(page)
        assert len(found) > 5
        listed = page.evaluate(
            "() => [...document.querySelectorAll('#rm-find-cities li')].map(l => l.textContent)"
        )
        top = sorted(found)[: data["rules"]["top"]]
        assert len(listed) == len(top)
        for text, i in zip(listed, top, strict=True):
            d = _distance_m(origin, (data["lon"][i] / 1e5, data["lat"][i] / 1e5))
            country = data["countries"][data["country"][2 * i : 2 * i + 2]]
            assert text == f"{data['name'][i]}, {country}: {round(d / 1000):,} km"
        count = page.text_content("#rm-find-count")
        assert count == f"Cities in range: {len(found)}"
        listed_note = page.text_content("#rm-find-listed")
        assert listed_note == ("The 15 most populous are listed." if len(found) > 15 else "")


def _click_map(page: Any, fx: float, fy: float) -> None:
    container = page.locator(".leaflet-container").first
    container.scroll_into_view_if_needed()
    box = container.bounding_box()
    page.mouse.click(box["x"] + box["width"] * fx, box["y"] + box["height"] * fy)


def _measure_text(language: str, metres: float, degrees: float) -> str:
    from babel.numbers import format_decimal

    w = words(language)
    km = format_decimal(round(metres / 1000, 1), format="#,##0.0", locale=language)
    bearing = format_decimal(round(degrees, 1), format="0.0", locale=language)
    text = w(
        "{distance} from the nearest origin, bearing {bearing}\u00b0 from north.",
        distance=w("{km} km", km=km),
        bearing=bearing,
    )
    # right to left, the number and its degree sign are one left-to-right run
    return text.replace(f"{bearing}\u00b0", w.isolate(f"{bearing}\u00b0"))


@pytest.mark.parametrize("language", ["en", "uk", "he"])
def test_click_reads_distance_and_bearing_from_the_nearest_origin(
    chromium_launched: Any, pages: dict[str, Path], language: str
) -> None:
    visit = _open(chromium_launched, pages[language])
    try:
        page = visit.page
        for fx, fy in ((0.2, 0.3), (0.8, 0.7)):
            _click_map(page, fx, fy)
            page.wait_for_function(
                "() => document.getElementById('rm-find-measure').hasAttribute('data-lon')"
            )
            attrs = page.evaluate("() => ({...document.getElementById('rm-find-measure').dataset})")
            point = (float(attrs["lon"]), float(attrs["lat"]))
            azimuth, _, metres = WGS84.inv(*_origin(page), *point)
            assert float(attrs["distanceM"]) == pytest.approx(metres, abs=1.0)
            assert (float(attrs["azimuthDeg"]) - azimuth % 360 + 180) % 360 - 180 == (
                pytest.approx(0, abs=0.1)
            )
            text = page.text_content("#rm-find-measure")
            assert text == _measure_text(
                language, float(attrs["distanceM"]), float(attrs["azimuthDeg"])
            )
            assert page.get_attribute("#rm-find-measure", "aria-live") == "polite"
            page.evaluate(
                "() => document.getElementById('rm-find-measure').removeAttribute('data-lon')"
            )
        # Numbers are grouped as the rest of the page groups them (Babel, CLDR).
        w = words(language)
        count = page.evaluate("() => window.rangemap.places.count()")
        assert page.text_content("#rm-find-count") == w(
            "Cities in range: {count}", count=w.number(count)
        )
        assert visit.errors == []
        assert visit.blocked == []
    finally:
        visit.context.close()


def test_search_in_ukrainian_page(chromium_launched: Any, pages: dict[str, Path]) -> None:
    visit = _open(chromium_launched, pages["uk"])
    try:
        page = visit.page
        assert page.text_content("label[for=rm-find-q]") == words("uk")("Find a place")
        page.fill("#rm-find-q", "Kyiv")
        assert _results(page)[0] == "Київ, Україна"
        page.keyboard.press("Enter")
        assert _distance_m(_origin(page), _gazetteer_point(KYIV)) < 1_000
        assert visit.errors == []
        assert visit.blocked == []
    finally:
        visit.context.close()


HOSTILE = [
    "<img src=x onerror=__rm_hit()>",
    "</script><script>__rm_hit()</script>",
    '" autofocus onfocus="__rm_hit()" x="',
    "${__rm_hit()}{{constructor.constructor('__rm_hit()')()}}",
]


def test_hostile_names_are_text(
    chromium_launched: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Names and country names from the gazetteer path are shown as text and never run."""
    real = _interactive_places.places_data

    def hostile_data(*args: Any, **kwargs: Any) -> dict[str, Any]:
        data = real(*args, **kwargs)
        data["name"] = list(data["name"])
        for i, text in enumerate(HOSTILE):
            data["name"][i] = text
        data["countries"] = {code: HOSTILE[0] + code for code in data["countries"]}
        return data

    monkeypatch.setattr(_interactive_places, "places_data", hostile_data)
    path = _render(tmp_path / "hostile.html", "en")
    assert "<img src=x" not in path.read_text("utf-8")
    visit = open_offline(chromium_launched, path)
    try:
        page = visit.page
        page.add_init_script(RECORDER)
        page.reload()
        page.wait_for_function("() => window.rangemap && window.rangemap.places")
        page.evaluate("() => window.rangemap.places.ready")
        for text in HOSTILE:
            page.fill("#rm-find-q", text)
            results = _results(page)
            assert results
            assert results[0].startswith(clean(text) + ", " + HOSTILE[0])
        page.fill("#rm-find-q", "img src")
        page.keyboard.press("Enter")
        _settle(page)
        _click_map(page, 0.5, 0.5)
        page.wait_for_timeout(300)
        assert page.evaluate("() => window.__rm_hits") == []
        assert page.evaluate("() => window.__rm_csp") == []
        assert (
            page.evaluate("() => document.querySelectorAll('#rm-find img, #rm-find script').length")
            == 0
        )
        assert visit.errors == []
        assert visit.blocked == []
    finally:
        visit.context.close()


@pytest.mark.parametrize(("language", "theme"), [("en", "light"), ("he", "dark")])
def test_places_panel_has_no_accessibility_violation(
    chromium_launched: Any, tmp_path: Path, language: str, theme: str
) -> None:
    from axe_playwright_python.sync_playwright import Axe  # type: ignore[import-untyped]

    path = tmp_path / f"{language}-{theme}.html"
    code = main(
        ["map", "atacms", "--from", "Kharkiv", "--interactive", "--lang", language,
         "--theme", theme, "-o", str(path)]
    )  # fmt: skip
    assert code == 0
    visit = _open(chromium_launched, path)
    try:
        visit.page.fill("#rm-find-q", "Kh" if language == "en" else "ק")
        visit.page.keyboard.press("ArrowDown")
        _click_map(visit.page, 0.3, 0.4)
        results = Axe().run(
            visit.page, {"include": [["#rm-find"]]}, {"resultTypes": ["violations", "passes"]}
        )
        checked = results.response["passes"]
        assert any(rule["id"] == "color-contrast" for rule in checked)
        violations = [
            (v["id"], [n["target"] for n in v["nodes"]]) for v in results.response["violations"]
        ]
        assert violations == []
        assert visit.errors == []
    finally:
        visit.context.close()


def test_flagship_two_origins_search_and_cities(chromium_launched: Any, tmp_path: Path) -> None:
    """The flagship recipe (Sumy and Kharkiv, two layers) as an interactive page in Ukrainian."""
    from rangemap.recipes import flagship_recipe, load_recipe
    from rangemap.scene import Interactive

    scene = load_recipe(flagship_recipe())
    scene.language = "uk"
    scene.interactive = Interactive(("storm-shadow",))
    path = scene.save(tmp_path / "flagship-uk.html")
    assert path.stat().st_size <= 1_500_000
    visit = _open(chromium_launched, path)
    try:
        page = visit.page
        # The recipe's places settings: Russian cities of 100,000 people or more.
        rules = {"countries": ["RU"], "min_population": 100_000}
        found = _check_in_range(page, **rules)
        assert len(found) > 5
        page.click("#rm-find-q")
        page.keyboard.type("Київ")
        page.keyboard.press("Enter")
        _settle(page)
        assert _distance_m(_origin(page), _gazetteer_point(KYIV)) < 1_000
        _check_in_range(page, **rules)
        page.evaluate("() => window.rangemap.selectSystem('storm-shadow')")
        _settle(page)
        assert visit.errors == []
        assert visit.blocked == []
    finally:
        visit.context.close()


def test_territory_origin_lists_cities_and_search_pans(
    chromium_launched: Any, tmp_path: Path
) -> None:
    """Reach from a territory stays as drawn: its cities are listed; search only pans."""
    from rangemap.reach import Reach

    path = _render_args(tmp_path / "belarus.html", ["atacms", "--from", "Belarus"])
    visit = _open(chromium_launched, path)
    try:
        page = visit.page
        assert reader_state(page)["origins"] == []
        data = _data(page)
        reach = Reach.from_system("atacms", "Belarus")
        # Belarus's own cities are the origin's: left out, as rangemap.places leaves them.
        near = within_columns(reach.geometry, origins=reach.origins, min_population=0)
        where = {
            (lon, lat): i for i, (lon, lat) in enumerate(zip(data["lon"], data["lat"], strict=True))
        }
        expected = {
            where[key]
            for key in zip(
                (round(v * 1e5) for v in near["lon"].tolist()),
                (round(v * 1e5) for v in near["lat"].tolist()),
                strict=True,
            )
            if key in where
        }
        found = set(page.evaluate("() => window.rangemap.places.found()"))
        assert len(expected) > 20
        # The drawn boundary is within its tolerance of the true one: a city or two may differ.
        assert len(found ^ expected) <= 2
        assert page.is_hidden("#rm-find-measure")  # no point to measure from
        lon, lat = _gazetteer_point(KYIV)
        shown = "p => window.rangemap.map.getBounds().contains([p[1], p[0]])"
        page.evaluate("() => void window.rangemap.map.setView([53.9, 27.57], 9, {animate: false})")
        assert not page.evaluate(shown, [lon, lat])
        page.fill("#rm-find-q", "Kyiv")
        page.keyboard.press("Enter")
        page.wait_for_function(shown, arg=[lon, lat], timeout=5_000)  # the map shows Kyiv
        assert reader_state(page)["origins"] == []
        assert visit.errors == []
        assert visit.blocked == []
    finally:
        visit.context.close()
