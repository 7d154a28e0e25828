"""Themes in a real browser: the dark theme draws a dark page and map, with no errors.

Chromium with every network request blocked; skips with a reason when Debian's Chromium
is not installed, unless ``RANGEMAP_REQUIRE_BROWSER=1``. Screenshots go to
``test-artifacts/``.
"""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pytest
from offline_page import open_offline
from PIL import Image

from rangemap.recipes import flagship_recipe, load_recipe

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parents[1]
ARTIFACTS = ROOT / "test-artifacts"
#: The shipped dark theme's background and water colours.
DARK_BACKGROUND = (0x14, 0x17, 0x1A)
DARK_WATER = (0x17, 0x1C, 0x21)
LOGO_SVG = (
    '<svg xmlns="http://www.w3.org/2000/svg" width="90" height="30">'
    "<script>window.__rm_logo_ran = 1</script>"
    '<rect width="90" height="30" fill="#C0FFEE"/></svg>'
)


def _luminance(rgb: object) -> float:
    assert isinstance(rgb, tuple)
    r, g, b = (float(v) for v in rgb[:3])
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


@pytest.mark.parametrize(("width", "height"), [(1280, 800), (390, 844)])
def test_dark_theme_renders_dark(
    chromium_launched: Any, tmp_path: Path, width: int, height: int
) -> None:
    (tmp_path / "logo.svg").write_text(LOGO_SVG, encoding="utf-8")
    theme = (ROOT / "rangemap" / "data" / "themes" / "dark.yaml").read_text(encoding="utf-8")
    theme = theme.replace("credit: below", "credit: below\nlogo: {file: logo.svg, alt: Kyiv Desk}")
    (tmp_path / "dark.yaml").write_text(theme, encoding="utf-8")
    m = load_recipe(flagship_recipe()).use_theme(tmp_path / "dark.yaml")
    path = m.save(tmp_path / "dark.html")
    visit = open_offline(chromium_launched, path, (width, height))
    context, page, errors, blocked = visit.context, visit.page, visit.errors, visit.blocked
    try:
        background = page.evaluate("getComputedStyle(document.body).backgroundColor")
        assert background == "rgb(20, 23, 26)"
        ink = page.evaluate("getComputedStyle(document.querySelector('.rm-title')).color")
        assert ink == "rgb(237, 235, 230)"
        water = page.evaluate(
            "getComputedStyle(document.querySelector('.leaflet-container')).backgroundColor"
        )
        assert water == "rgb(23, 28, 33)"
        # The logo is an image that loaded, and its script never ran.
        loaded = page.evaluate(
            "(() => { const i = document.querySelector('img.rm-logo');"
            " return i !== null && i.complete && i.naturalWidth > 0; })()"
        )
        assert loaded
        assert page.evaluate("window.__rm_logo_ran === undefined")
        shot = page.screenshot(full_page=False)
        ARTIFACTS.mkdir(exist_ok=True)
        (ARTIFACTS / f"theme-dark-{width}.png").write_bytes(shot)
    finally:
        context.close()
    image = Image.open(io.BytesIO(shot)).convert("RGB")
    # A pixel of the page beside the title, and the screenshot as a whole, are dark.
    assert _luminance(image.getpixel((width - 5, 5))) < 40
    small = image.resize((32, 32))
    mean = sum(_luminance(small.getpixel((x, y))) for x in range(32) for y in range(32)) / 1024
    assert mean < 90, mean
    assert errors == []
    assert blocked == []
