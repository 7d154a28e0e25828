"""Maps in a real browser: Chromium, every network request blocked and recorded.

Skips with a reason when Debian's Chromium is not installed, unless
``RANGEMAP_REQUIRE_BROWSER=1``, in which case a missing browser fails the run.
Screenshots are written to ``test-artifacts/`` for people to look at.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
import yaml
from offline_page import open_offline

from rangemap.reach import Reach
from rangemap.recipes import flagship_recipe, load_recipe
from rangemap.scene import RangeMap
from rangemap.theme import outline_color

#: The land colour of the default look: reach outlines are darkened to 3:1 against it.
LAND = "#F6F5F1"

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parents[1]
ARTIFACTS = ROOT / "test-artifacts"
HOSTILE = (
    '<script>window.__pwned=1</script><img src=x onerror="window.__pwned=1">'
    "</script>${window.__pwned=1}`${window.__pwned=1}`'\"\u202e javascript:window.__pwned=1"
)


@dataclass
class Visit:
    """What happened when a page was opened."""

    blocked: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    text: str = ""
    strokes: list[str] = field(default_factory=list)
    pwned: Any = None


@pytest.fixture(scope="module")
def browser(chromium_launched: Any) -> Any:
    return chromium_launched


def _visit(browser: Any, path: Path, shot: str, *, width: int = 1200) -> Visit:
    visit = Visit()
    opened = open_offline(browser, path, (width, 900 if width > 600 else 780))
    visit.blocked, visit.errors = opened.blocked, opened.errors
    context, page = opened.context, opened.page
    try:
        # Open the layer control, which inserts the layer names into the page.
        page.hover(".leaflet-control-layers")
        page.wait_for_timeout(150)
        visit.text = page.inner_text("body")
        visit.strokes = page.eval_on_selector_all(
            ".leaflet-overlay-pane path", "els => els.map(e => e.getAttribute('stroke'))"
        )
        visit.pwned = page.evaluate("window.__pwned === undefined ? null : window.__pwned")
        page.mouse.move(1, 1)
        page.wait_for_timeout(100)
        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / shot), full_page=True)
    finally:
        context.close()
    return visit


def _assert_clean(visit: Visit, scene: RangeMap) -> None:
    assert visit.blocked == []
    assert visit.errors == []
    assert visit.pwned is None
    for layer in scene.layers:
        stroke = outline_color(layer.color, LAND)
        assert stroke in visit.strokes, f"no path drawn for {layer.name}"


@pytest.mark.parametrize("width", [1200, 360])
def test_demo_offline(browser: Any, tmp_path: Path, width: int) -> None:
    scene = load_recipe(flagship_recipe())
    path = scene.save(tmp_path / "demo.html")
    visit = _visit(browser, path, f"demo-{width}.png", width=width)
    _assert_clean(visit, scene)
    assert scene.title is not None
    # The cities in range, in the list and as labels on the map; the layer toggle.
    for text in ("Kursk", "Belgorod", "Cities in range", "Population of listed cities"):
        assert text in visit.text
    assert "Moscow" not in visit.text
    assert scene.title in visit.text
    for layer in scene.layers:
        assert layer.name in visit.text
    assert "Sources" in visit.text
    for source in scene.sources():
        assert source.title in visit.text
    assert "Sumy" in visit.text
    assert "Kharkiv" in visit.text


def test_pole_and_antimeridian(browser: Any, tmp_path: Path) -> None:
    scene = RangeMap(
        title="Reach across the North Pole and the 180th meridian",
        subtitle="2,500 km from Longyearbyen encloses the pole; 1,000 km from Anadyr crosses 180°.",
    )
    scene.add(Reach.from_distance(2_500_000, "78.22, 15.65=Longyearbyen"))
    scene.add(Reach.from_distance(1_000_000, "64.73, 177.51=Anadyr"))
    path = scene.save(tmp_path / "world.html")
    visit = _visit(browser, path, "pole-antimeridian-1200.png")
    _assert_clean(visit, scene)
    # The Anadyr disc crosses 180 degrees yet is one shape on the map.
    assert visit.strokes.count(outline_color(scene.layers[1].color, LAND)) == 1


#: Spec files refuse control and bidi-override characters, so the catalog's copy has none.
SPEC_HOSTILE = HOSTILE.replace("\u202e", "")


def _hostile_spec(folder: Path) -> None:
    def text(name: str) -> str:
        return f"{name} {SPEC_HOSTILE}"

    spec = {
        "id": "hostile",
        "name": text("Name"),
        "full_name": text("Full name"),
        "aliases": [text("Alias")],
        "kind": "ballistic-missile",
        "origin_countries": ["US"],
        "operators": ["UA"],
        "launchers": [],
        "platforms": [text("Platform")],
        "summary": text("Summary"),
        "notes": [text("Note")],
        "as_of": "2024-11-25",
        "variants": [
            {
                "id": "main",
                "name": text("Variant"),
                "designations": [text("Designation")],
                "default": True,
                "max_range": {
                    "shown_km": 300,
                    "why_shown": text("Why"),
                    "claims": [
                        {
                            "km": 300,
                            "qualifier": "up-to",
                            "kind": "stated-maximum",
                            "claimant": "press",
                            "source": "evil",
                            "as_reported": text("As reported"),
                            "note": text("Claim note"),
                        },
                        {
                            "km": 250,
                            "qualifier": "about",
                            "kind": "stated-maximum",
                            "claimant": "other",
                            "source": "evil",
                        },
                    ],
                },
                "notes": [text("Variant note")],
            }
        ],
        "sources": {
            "evil": {
                "publisher": text("Publisher"),
                "publisher_type": "other",
                "via": text("Via"),
                "title": text("Title"),
                "url": 'https://example.org/"><svg/onload=window.__pwned=1>${window.__pwned=1}`',
                "published": "2024-11-18",
                "accessed": "2024-11-20",
            }
        },
    }
    folder.mkdir()
    (folder / "hostile.yaml").write_text(yaml.safe_dump(spec, allow_unicode=True), "utf-8")


def test_hostile_strings_never_execute(browser: Any, tmp_path: Path) -> None:
    _hostile_spec(tmp_path / "specs")
    recipe = {
        "title": f"Title {HOSTILE}",
        "subtitle": f"Subtitle {HOSTILE}",
        "credit": f"Credit {HOSTILE}",
        "specs": ["specs"],
        "layers": [
            {"system": "hostile", "origins": [f"50.9077, 34.7981=Origin {HOSTILE}"]},
            {
                "system": "hostile",
                "show": "spread",
                "label": f"Label {HOSTILE}",
                "origins": [f"49.9935, 36.2304=Second {HOSTILE}"],
            },
            {
                "distance": "120 km",
                "label": f"Distance {HOSTILE}",
                "origins": [f"50.45, 30.52=Kyiv {HOSTILE}"],
            },
        ],
        "annotations": [{"text": f"Note {HOSTILE}", "at": "51.73, 36.19"}],
        # Places in range: the panel names each one's nearest origin (a hostile label).
        "places": {"top": 8, "min_population": 100_000},
    }
    recipe_path = tmp_path / "hostile.yaml"
    recipe_path.write_text(yaml.safe_dump(recipe, allow_unicode=True), "utf-8")
    scene = load_recipe(recipe_path)
    assert scene.layers[0].reach.system_name == f"Name {SPEC_HOSTILE}"
    path = scene.save(tmp_path / "hostile.html")
    visit = _visit(browser, path, "hostile-1200.png")
    _assert_clean(visit, scene)
    assert "Title <script>window.__pwned=1</script>" in visit.text  # shown as text
    assert "Publisher" in visit.text
    assert "Note" in visit.text
    assert "Cities in range" in visit.text
    assert f"Origin {HOSTILE[:30]}" in visit.text  # the nearest origin, as text in the list


def test_your_points_render(browser: Any, tmp_path: Path) -> None:
    sites = tmp_path / "sites.csv"
    sites.write_text(
        "Name;Breite;Länge\nKursk airfield;51,75;36,30\nVoronezh;51.66;39.20\n"
        f'"{HOSTILE}";50.60;36.59\n',
        encoding="utf-8",
    )
    scene = RangeMap(title="Your points in range of 300 km from Sumy")
    scene.add(Reach.from_distance(300_000, "50.91, 34.80=Sumy"))
    scene.add_points(sites)
    path = scene.save(tmp_path / "points.html")
    visit = _visit(browser, path, "points-1200.png")
    _assert_clean(visit, scene)
    for text in ("Your points", "Kursk airfield", "Voronezh", "in range", "out of range"):
        assert text in visit.text
    context = browser.new_context(viewport={"width": 1200, "height": 900})
    try:
        page = context.new_page()
        page.goto(path.as_uri())
        page.wait_for_selector(".rm-pt span", state="attached", timeout=10_000)
        marks = page.eval_on_selector_all(".rm-pt span", "els => els.map(e => e.className)")
        labels = page.eval_on_selector_all(".rm-point", "els => els.map(e => e.textContent)")
    finally:
        context.close()
    assert marks == ["rm-pt-in", "rm-pt-out", "rm-pt-in"]
    assert labels[:2] == ["Kursk airfield", "Voronezh"]
    assert "window.__pwned=1" in labels[2]  # the hostile name is text, shown, never run
