"""WCAG 2.1 AA on the HTML map: axe-core in Chromium, contrast, keyboard, colour-free cues.

- **axe-core** (the copy packaged by ``axe-playwright-python``) finds no violation on
  the flagship map in the light and dark themes, nor on its embed snippet in a host
  article (the host page and the map's frame), with every network request blocked.
  :data:`LANGUAGES` lists the languages checked: add one there.
- **Contrast** from the colours the page really uses (computed styles and the SVG
  paths' attributes), with WCAG 2.1's relative-luminance formula written out here:
  text at least 4.5:1 on what it sits on (labels on the map on their halo and on the
  land), reach outlines at least 3:1 on the land.
- **Keyboard**: Tab reaches the places in range, named with their distance.
- **Without colour**: adjacent layers' outlines differ by dash pattern (HTML, legend
  swatches and static images), checked on a greyscale PNG too (print).
"""

from __future__ import annotations

import io
import re
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from offline_page import open_offline

from rangemap import RangeMap
from rangemap.recipes import flagship_recipe, load_recipe

ROOT = Path(__file__).resolve().parents[1]
ARTIFACTS = ROOT / "test-artifacts"

#: The languages the pages are checked in (the flagship recipe, worded in each).
LANGUAGES = ["en", "uk", "ru", "he", "ar"]
THEMES = ["light", "dark"]
#: The land colour of each theme's bundled basemap.
LAND = {"light": "#F6F5F1", "dark": "#2B3036"}


# --- WCAG 2.1 contrast, written out from the definition ----------------------------------


def _luminance(rgb: tuple[float, float, float]) -> float:
    """WCAG 2.1 relative luminance of an sRGB colour given as 0-255 channels."""

    def linear(c: float) -> float:
        c = c / 255
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (linear(c) for c in rgb)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def _rgb(color: str) -> tuple[float, float, float]:
    """``#rrggbb`` or a CSS ``rgb()``/``rgba()`` value as channels (alpha dropped)."""
    if color.startswith("#"):
        value = color[1:]
        return (int(value[0:2], 16), int(value[2:4], 16), int(value[4:6], 16))
    numbers = [float(n) for n in re.findall(r"[\d.]+", color)]
    return (numbers[0], numbers[1], numbers[2])


def contrast(first: str, second: str) -> float:
    """WCAG 2.1 contrast ratio: (L1 + 0.05) / (L2 + 0.05), the lighter over the darker."""
    a, b = sorted((_luminance(_rgb(first)), _luminance(_rgb(second))), reverse=True)
    return (a + 0.05) / (b + 0.05)


def test_contrast_function_matches_wcag() -> None:
    assert contrast("#000000", "#FFFFFF") == pytest.approx(21.0)
    assert contrast("#777777", "#FFFFFF") == pytest.approx(4.48, abs=0.01)
    assert contrast("rgb(255, 255, 255)", "#FFFFFF") == pytest.approx(1.0)


# --- pages -------------------------------------------------------------------------------


def _flagship(language: str, theme: str) -> RangeMap:
    scene = load_recipe(flagship_recipe())
    scene.language = language
    return scene.use_theme(theme)


@pytest.fixture(scope="module")
def pages(tmp_path_factory: pytest.TempPathFactory) -> dict[tuple[str, str], Path]:
    folder = tmp_path_factory.mktemp("a11y")
    out = {}
    for language in LANGUAGES:
        for theme in THEMES:
            path = folder / f"flagship-{language}-{theme}.html"
            out[(language, theme)] = _flagship(language, theme).save(path, embed=True)
    return out


#: A host article that is accessible itself: the snippet sits inside its <main>.
ARTICLE = """<!DOCTYPE html>
<html lang="{lang}"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Host article</title></head>
<body><main><article>
<h1>What a 300 km reach means for the border region</h1>
<p>The map below shows the reported maximum range measured on the ellipsoid.</p>
{snippet}
<p>Officials on both sides of the border have described the reach in different terms.</p>
</article></main></body></html>
"""


def _drawn(frame: Any) -> None:
    frame.wait_for_function(
        "document.querySelectorAll('.leaflet-overlay-pane path').length > 0", timeout=15_000
    )
    frame.wait_for_timeout(300)


def _axe(frame: Any) -> list[dict[str, Any]]:
    from axe_playwright_python.sync_playwright import Axe  # type: ignore[import-untyped]

    results = Axe().run(frame)
    violations: list[dict[str, Any]] = results.response["violations"]
    return violations


def _report(violations: list[dict[str, Any]]) -> str:
    return "\n".join(
        f"{v['id']} ({v['impact']}): {[n['target'] for n in v['nodes']][:5]}" for v in violations
    )


@pytest.mark.browser
@pytest.mark.parametrize("theme", THEMES)
@pytest.mark.parametrize("language", LANGUAGES)
def test_axe_finds_no_violation_on_the_flagship(
    chromium_launched: Any, pages: dict[tuple[str, str], Path], language: str, theme: str
) -> None:
    visit = open_offline(chromium_launched, pages[(language, theme)], drawn=False)
    context, page = visit.context, visit.page
    try:
        _drawn(page)
        violations = _axe(page)
        assert violations == [], _report(violations)
        # Mobile width too.
        page.set_viewport_size({"width": 390, "height": 844})
        page.wait_for_timeout(300)
        violations = _axe(page)
        assert violations == [], _report(violations)
        assert visit.blocked == []
    finally:
        context.close()


@pytest.mark.browser
@pytest.mark.parametrize("language", LANGUAGES)
def test_axe_finds_no_violation_on_the_embed(
    chromium_launched: Any, pages: dict[tuple[str, str], Path], language: str
) -> None:
    page_path = pages[(language, "light")]
    snippet = page_path.with_name(page_path.stem + ".embed.html").read_text("utf-8")
    article = page_path.with_name(f"article-{language}.html")
    article.write_text(ARTICLE.format(lang=language, snippet=snippet), "utf-8")
    visit = open_offline(chromium_launched, article, drawn=False)
    context, page = visit.context, visit.page
    try:
        page.wait_for_function(
            "() => { const f = document.querySelector('iframe');"
            " return f && f.style.height !== ''; }",
            timeout=15_000,
        )
        frame = next(f for f in page.frames if f != page.main_frame)
        _drawn(frame)
        title = page.get_attribute("iframe", "title")
        assert title == _flagship(language, "light").title
        for where in (page, frame):
            violations = _axe(where)
            assert violations == [], _report(violations)
        assert visit.blocked == []
    finally:
        context.close()


#: The page's text, by selector: each at least 4.5:1 on its own background.
TEXT = (
    ".rm-title",
    ".rm-subtitle",
    ".rm-legend li > span:not(.rm-swatch):not(.rm-dot)",
    ".rm-caveat",
    ".rm-ref",
    ".rm-foot p",
    ".rm-foot h2",
    ".rm-sources li",
    ".rm-sources a",
    ".rm-places-table th",
    ".rm-places-table td",
    ".rm-places-sum",
    ".rm-geonames a",
    ".leaflet-control-attribution",
    ".leaflet-control-scale-line",
)
#: Labels on the map: on their halo, and on the land beside it.
LABELS = (".rm-country", ".rm-origin", ".rm-place")

_STYLES = """(selectors) => {
  function background(el) {
    // Composite the backgrounds from the element up to the page (white underneath).
    const layers = [];
    for (let e = el; e; e = e.parentElement) {
      const c = getComputedStyle(e).backgroundColor.match(/[\\d.]+/g).map(Number);
      const alpha = c.length > 3 ? c[3] : 1;
      if (alpha > 0) { layers.push([c[0], c[1], c[2], alpha]); if (alpha >= 1) { break; } }
    }
    let out = [255, 255, 255];
    layers.reverse().forEach(function (l) {
      out = out.map((v, i) => l[i] * l[3] + v * (1 - l[3]));
    });
    return "rgb(" + out.join(",") + ")";
  }
  return selectors.flatMap(function (s) {
    return Array.from(document.querySelectorAll(s)).slice(0, 3).map(function (el) {
      const style = getComputedStyle(el);
      const halo = (style.textShadow.match(/rgba?\\([^)]*\\)/) || [null])[0];
      return [s, style.color, background(el), halo, el.textContent.slice(0, 30)];
    });
  });
}"""


@pytest.mark.browser
@pytest.mark.parametrize("theme", THEMES)
def test_contrast_of_text_and_outlines(
    chromium_launched: Any, pages: dict[tuple[str, str], Path], theme: str
) -> None:
    visit = open_offline(chromium_launched, pages[("en", theme)], drawn=False)
    context, page = visit.context, visit.page
    try:
        _drawn(page)
        page.locator(".leaflet-control-layers").hover()  # its list is text too
        found = page.evaluate(_STYLES, [*TEXT, *LABELS, ".leaflet-control-layers-list label"])
        seen = {s for s, *_ in found}
        assert seen >= {*TEXT, *LABELS}, sorted({*TEXT, *LABELS} - seen)
        land = LAND[theme]
        low = []
        for selector, color, back, halo, text in found:
            grounds = [back] if selector not in LABELS else [halo, land]
            for ground in grounds:
                assert ground is not None, selector
                ratio = contrast(color, ground)
                if ratio < 4.5:
                    low.append(f"{selector} {text!r}: {color} on {ground} = {ratio:.2f}")
        assert low == []
        # Reach outlines: the stroke of every reach path on the land.
        strokes = page.evaluate(
            "Array.from(document.querySelectorAll('.leaflet-overlay-pane path'))"
            ".filter(p => p.getAttribute('stroke-width') === '2')"
            ".map(p => [p.getAttribute('stroke'), p.getAttribute('stroke-dasharray')])"
        )
        assert len(strokes) >= 2
        for stroke, _ in strokes:
            assert contrast(stroke, land) >= 3.0, (stroke, land, contrast(stroke, land))
        # Layers differ without colour: each one's dash pattern, as its legend swatch.
        dashes = {dash for _, dash in strokes}
        assert len(dashes) == 2, strokes
        swatches = page.evaluate(
            "Array.from(document.querySelectorAll('.rm-legend .rm-swatch'))"
            ".map(s => [getComputedStyle(s).borderTopStyle, getComputedStyle(s).borderTopColor])"
        )
        assert [style for style, _ in swatches] == ["solid", "dashed"]
        for _, color in swatches:
            assert contrast(color, land) >= 3.0
    finally:
        context.close()


@pytest.mark.browser
def test_tab_reaches_the_places_with_their_distance(
    chromium_launched: Any, pages: dict[tuple[str, str], Path]
) -> None:
    visit = open_offline(chromium_launched, pages[("en", "light")], drawn=False)
    context, page = visit.context, visit.page
    try:
        _drawn(page)
        names: list[str] = []
        for _ in range(40):
            page.keyboard.press("Tab")
            name = page.evaluate(
                "document.activeElement && document.activeElement.getAttribute('aria-label')"
            )
            if name and "km from" in name:
                names.append(name)
                if len(names) == 6:
                    break
        # Every place in range is reached, named with its population and distance.
        assert len(names) == 6, names
        assert "Kursk, Russia, Population 448,733, 132 km from Sumy" in names
        for name in names:
            assert re.fullmatch(
                r"[^,]+, Russia, Population [\d,]+, \d+ km from (Sumy|Kharkiv)", name
            )
        # The focused place shows a focus ring (WCAG 2.4.7).
        outline = page.evaluate("getComputedStyle(document.activeElement).stroke")
        assert outline == "rgb(11, 92, 140)"
    finally:
        context.close()


# --- print: greyscale ------------------------------------------------------------------------


def _components(mask: np.ndarray) -> int:
    """Count 8-connected groups of True pixels (a solid line is few, a dashed one many)."""
    seen = np.zeros_like(mask, dtype=bool)
    count = 0
    height, width = mask.shape
    for y, x in zip(*np.nonzero(mask), strict=True):
        if seen[y, x]:
            continue
        count += 1
        stack = [(int(y), int(x))]
        seen[y, x] = True
        while stack:
            cy, cx = stack.pop()
            for dy in (-1, 0, 1):
                for dx in (-1, 0, 1):
                    ny, nx = cy + dy, cx + dx
                    if 0 <= ny < height and 0 <= nx < width and mask[ny, nx] and not seen[ny, nx]:
                        seen[ny, nx] = True
                        stack.append((ny, nx))
    return count


@pytest.mark.parametrize("theme", THEMES)
def test_layers_differ_in_greyscale_print(theme: str) -> None:
    """In a greyscale PNG, adjacent layers' outlines differ by dash pattern or by grey."""
    from PIL import Image

    from rangemap.render._static_text import Look
    from rangemap.render.static import render_static
    from rangemap.theme import outline_color, resolve_theme

    scene = _flagship("en", theme)
    data = render_static(scene, format="png", preset="social")
    image = Image.open(io.BytesIO(data)).convert("RGB")
    grey = np.asarray(image.convert("L"), dtype=float)
    pixels = np.asarray(image, dtype=float)
    resolved = resolve_theme(theme)
    land = resolved.colors.land if resolved is not None else Look().land
    found = []
    for layer in scene.layers:
        stroke = np.asarray(_rgb(outline_color(layer.color, land)), dtype=float)
        mask = np.abs(pixels - stroke).max(axis=2) <= 12
        assert mask.sum() > 100, layer.name
        found.append((float(np.median(grey[mask])), _components(mask)))
    (grey_a, parts_a), (grey_b, parts_b) = found
    by_grey = abs(grey_a - grey_b) >= 40
    by_dash = max(parts_a, parts_b) >= 4 * min(parts_a, parts_b)
    assert by_grey or by_dash, found
