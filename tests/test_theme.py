"""Themes (:mod:`rangemap.theme`): the file, its checks, and its look in every format.

Also custom web tiles (``--tiles-url``), borders on tiles (``--borders``) and the one
warning of a static image of a map with tiles.
"""

from __future__ import annotations

import base64
import json
import re
import shutil
import warnings
from pathlib import Path

import matplotlib
import numpy as np
import pytest
from PIL import Image

from rangemap.cli import main
from rangemap.errors import InputError, RecipeError
from rangemap.options import Basemap
from rangemap.reach import Reach
from rangemap.recipes import flagship_recipe, load_recipe
from rangemap.render.static import TILES_NOTE
from rangemap.scene import PALETTE, RangeMap
from rangemap.theme import Theme, load_theme, resolve_theme, shipped_themes

KHARKIV = "49.9935, 36.2304=Kharkiv"
HOSTILE = '"><script>alert(1)</script><img src=x onerror=alert(2)>${7*7}{{7*7}}'
#: A logo that would run a script if it were ever inlined as markup.
LOGO_SVG = (
    '<svg xmlns="http://www.w3.org/2000/svg" width="120" height="40" viewBox="0 0 120 40">'
    '<script>window.__rm_logo_ran = 1</script><rect width="120" height="40" fill="#C0FFEE"/>'
    '<text x="8" y="27" font-size="20">KYIV DESK</text></svg>'
)
FULL_THEME = """\
name: Kyiv Desk night
mode: dark
fonts:
  html: [DejaVu Serif, Georgia, serif]
  static: [fonts/DejaVuSerif.ttf]
colors:
  text: "#F1EFEA"
  muted: "#B5B2AA"
  background: "#102030"
  land: "#2B3A4C"
  water: "#0A1622"
  borders: "#7A8796"
  origin: "#FFD166"
  link: "#8FCBF2"
  reach: ["#EF476F", "#06D6A0"]
logo: {file: logo.svg, raster: logo.png, alt: "%s", height_px: 30}
credit: overlay-bottom-right
text_sizes: {title: 15, body: 8, small: 6.5}
"""


@pytest.fixture
def theme_dir(tmp_path: Path) -> Path:
    """A theme that sets every field, with its font, SVG logo and PNG logo beside it."""
    folder = tmp_path / "house"
    (folder / "fonts").mkdir(parents=True)
    serif = Path(matplotlib.get_data_path()) / "fonts" / "ttf" / "DejaVuSerif.ttf"
    shutil.copy(serif, folder / "fonts" / "DejaVuSerif.ttf")
    (folder / "logo.svg").write_text(LOGO_SVG, encoding="utf-8")
    pixels = np.zeros((40, 120, 4), dtype=np.uint8)
    pixels[..., :3] = (0xC0, 0xFF, 0xEE)
    pixels[..., 3] = 255
    Image.fromarray(pixels, "RGBA").save(folder / "logo.png")
    alt = HOSTILE.replace('"', '\\"')
    (folder / "theme.yaml").write_text(FULL_THEME % alt, encoding="utf-8")
    return folder


def _map(theme: Theme | str | Path | None = None) -> RangeMap:
    m = RangeMap(title="What 300 km reaches from Kharkiv", credit="Graphic: Kyiv Desk", theme=theme)
    m.add(Reach.from_distance(300_000, KHARKIV))
    return m.show_places(3, min_population=300_000)


def test_shipped_themes_load_and_light_is_the_default() -> None:
    assert sorted(shipped_themes()) == ["dark", "light"]
    for path in shipped_themes().values():
        assert isinstance(load_theme(path), Theme)
    assert resolve_theme("light") is None
    assert tuple(load_theme(shipped_themes()["light"]).colors.reach) == PALETTE
    dark = resolve_theme("DARK")
    assert dark is not None
    assert dark.mode == "dark"


def test_light_theme_is_byte_identical_to_no_theme() -> None:
    plain, light = _map(), _map("light")
    assert light.theme is None
    assert plain.to_html() == light.to_html()
    from rangemap.render.static import render_static

    assert render_static(plain, format="svg") == render_static(light, format="svg")


def test_full_theme_in_html(theme_dir: Path) -> None:
    page = _map(theme_dir / "theme.yaml").to_html()
    css = "".join(re.findall(r"<style>(.*?)</style>", page, re.DOTALL))
    assert "background:#102030" in css
    assert 'font-family:"DejaVu Serif","Georgia",serif' in css
    assert "color-scheme:dark" in css
    assert ".rm-title{font-size:30px;}" in css  # 15 pt, twice as many px
    assert ".rm-offline.leaflet-container{background:#0A1622;}" in css
    # Vector basemap, origin and place markers in the theme's colours; reach palette.
    assert '"fillColor": "#2B3A4C"' in page
    assert '"color": "#7A8796"' in page
    assert '"color":"#FFD166"' in page  # origin marker
    assert ".rm-sw-1{background:rgba(239,71,111,0.18);border-color:#EF476F;}" in css
    # The logo: an <img> with a data: URI, never inline SVG markup; its alt escaped.
    logo = re.search(r'<img class="rm-logo" src="data:image/svg\+xml;base64,([^"]+)" alt="', page)
    assert logo is not None
    assert base64.b64decode(logo.group(1)).decode("utf-8") == LOGO_SVG
    assert "__rm_logo_ran" not in page
    assert "<script>alert(1)" not in page
    assert "onerror=alert(2)>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    # The credit on the map, not in the footer.
    assert '<p class="rm-credit-over">Graphic: Kyiv Desk</p>' in page
    assert '<span class="rm-credit">' not in page


def test_full_theme_in_svg_png_and_pdf(theme_dir: Path, tmp_path: Path) -> None:
    m = _map(theme_dir / "theme.yaml")
    svg = m.save(tmp_path / "map.svg").read_text(encoding="utf-8")
    fills = set(re.findall(r"fill: ?(#[0-9a-f]{6})", svg))
    assert {"#102030", "#2b3a4c", "#0a1622", "#ef476f", "#f1efea"} <= fills
    assert "stroke: #7a8796" in svg  # borders
    assert re.search(r"font-family:[^;\"]*DejaVu Serif", svg)
    assert "<image " in svg
    assert 'id="rm-logo"' in svg
    assert "Graphic: Kyiv Desk" in svg
    assert "<script" not in svg
    assert "alert(1)" not in svg
    png = Image.open(m.save(tmp_path / "map.png")).convert("RGB")
    assert png.getpixel((2, 2)) == (0x10, 0x20, 0x30)
    # The logo's colour is in the map's top right corner.
    array = np.asarray(png)
    assert (np.abs(array.astype(int) - (0xC0, 0xFF, 0xEE)).sum(axis=2) < 12).sum() > 500
    pdf = m.save(tmp_path / "map.pdf").read_bytes()
    assert b"DejaVuSerif" in pdf
    assert b"/Subtype /Image" in pdf


def test_theme_text_sizes_and_floor(theme_dir: Path, tmp_path: Path) -> None:
    svg = _map(theme_dir / "theme.yaml").save(tmp_path / "m.svg").read_text(encoding="utf-8")
    sizes = [float(s) for s in re.findall(r"font-size: ?([0-9.]+)px", svg)]
    # The 15 pt title is drawn (SVG sizes are in px at 72 per inch: pt), nothing under 6 pt.
    assert max(sizes) == pytest.approx(15.0, abs=0.05)
    assert min(sizes) >= 6.0 - 1e-6


@pytest.mark.parametrize(
    ("change", "field", "says"),
    [
        (("credit: overlay-bottom-right", "credit: below\nshadow: true"), "shadow", "not a theme"),
        (('text: "#F1EFEA"', 'text: "red"'), "colors.text", "#rrggbb"),
        (
            ("[DejaVu Serif, Georgia, serif]", '["Arial;}</style><script>x()</script>"]'),
            "fonts.html[0]",
            "plain font name",
        ),
        (("file: logo.svg", "file: nowhere.svg"), "logo.file", "does not exist"),
        (("file: logo.svg", "file: logo.gif"), "logo.file", "SVG or PNG"),
        (("small: 6.5", "small: 5"), "text_sizes.small", "6 pt"),
        (("fonts/DejaVuSerif.ttf", "fonts/missing.ttf"), "fonts.static[0]", "does not exist"),
    ],
)
def test_bad_theme_exits_2_naming_file_and_field(
    theme_dir: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    change: tuple[str, str],
    field: str,
    says: str,
) -> None:
    path = theme_dir / "theme.yaml"
    text = path.read_text(encoding="utf-8")
    assert change[0] in text
    path.write_text(text.replace(change[0], change[1]), encoding="utf-8")
    if "gif" in change[1]:
        (theme_dir / "logo.gif").write_bytes(b"GIF89a")
    out = tmp_path / "out.html"
    code = main(
        ["map", "--distance", "300 km", "--from", KHARKIV, "--theme", str(path), "-o", str(out)]
    )
    err = capsys.readouterr().err.strip()
    assert code == 2
    assert len(err.splitlines()) == 1, err
    assert str(path) in err
    assert f"{field}:" in err
    assert says in err
    assert "Traceback" not in err
    assert not out.exists()


def test_unknown_theme_name(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    code = main(
        [
            "map",
            "--distance",
            "300 km",
            "--from",
            KHARKIV,
            "--theme",
            "sepia",
            "-o",
            str(tmp_path / "m.html"),
        ]
    )
    err = capsys.readouterr().err
    assert code == 2
    assert "--theme: 'sepia'" in err
    assert "'dark'" in err


def test_theme_from_cli_recipe_and_python(theme_dir: Path, tmp_path: Path) -> None:
    out = tmp_path / "dark.html"
    assert (
        main(["map", "--distance", "300 km", "--from", KHARKIV, "--theme", "dark", "-o", str(out)])
        == 0
    )
    assert "background:#14171A" in out.read_text(encoding="utf-8")
    recipe = tmp_path / "maps" / "kharkiv.yaml"
    recipe.parent.mkdir()
    shutil.copytree(theme_dir, recipe.parent / "house")
    recipe.write_text(
        "title: Kharkiv\ntheme: house/theme.yaml\nlayers:\n"
        f"  - distance: 300 km\n    origins: ['{KHARKIV}']\n",
        encoding="utf-8",
    )
    m = load_recipe(recipe)
    assert isinstance(m.theme, Theme)
    assert m.theme.name == "Kyiv Desk night"
    assert m.layers[0].color == "#EF476F"  # the theme's palette
    bad = recipe.with_name("bad.yaml")
    bad.write_text(recipe.read_text().replace("house/theme.yaml", "house/none.yaml"))
    with pytest.raises(RecipeError, match=r"bad\.yaml: theme: 'house/none\.yaml' is neither"):
        load_recipe(bad)
    # The CLI's --theme over a recipe recolours the palette layers.
    flagship = load_recipe(flagship_recipe())
    before = [PALETTE.index(layer.color) for layer in flagship.layers]
    dark = resolve_theme("dark")
    assert dark is not None
    flagship.use_theme(dark)
    assert [layer.color for layer in flagship.layers] == [dark.colors.reach[i] for i in before]


def test_tiles_url_needs_attribution(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    out = tmp_path / "m.html"
    argv = ["map", "--distance", "300 km", "--from", KHARKIV, "-o", str(out)]
    code = main([*argv, "--tiles-url", "https://tiles.example.org/{z}/{x}/{y}.png"])
    err = capsys.readouterr().err
    assert code == 2
    assert "--tiles-url" in err
    assert "--tiles-attribution" in err
    assert not out.exists()
    code = main(
        [
            *argv,
            "--tiles-url",
            "http://tiles.example.org/{z}/{x}/{y}.png",
            "--tiles-attribution",
            "x",
        ]
    )
    assert code == 2
    assert "https://" in capsys.readouterr().err


def test_tiles_url_in_html_with_borders(tmp_path: Path) -> None:
    out = tmp_path / "m.html"
    argv = ["map", "--distance", "300 km", "--from", KHARKIV, "-o", str(out)]
    tiles = ["--tiles-url", "https://{s}.tiles.example.org/{z}/{x}/{y}{r}.png"]
    assert main([*argv, *tiles, "--tiles-attribution", HOSTILE, "--borders"]) == 0
    page = out.read_text(encoding="utf-8")
    csp = re.search(r'Content-Security-Policy" content="([^"]+)"', page)
    assert csp is not None
    assert "img-src data: https://*.tiles.example.org;" in csp.group(1)
    assert "<script>alert(1)" not in page
    assert "onerror=alert(2)>" not in page
    assert "Map tiles: &quot;&gt;&lt;script&gt;alert(1)" in page
    assert "rm-borders" in page  # the bundled borders stay on top of the tiles
    without = tmp_path / "n.html"
    argv[-1] = str(without)
    assert main([*argv, *tiles, "--tiles-attribution", "Tiles: Kyiv Desk"]) == 0
    assert "rm-borders" not in without.read_text(encoding="utf-8")


def test_python_tiles_url_and_static_warning(tmp_path: Path) -> None:
    m = RangeMap(tiles_url="https://tiles.example.org/{z}/{x}/{y}.png", tiles_attribution="Desk")
    m.add(Reach.from_distance(300_000, KHARKIV))
    assert isinstance(m.basemap, Basemap)
    assert m.basemap.attribution == "Desk"
    with pytest.raises(InputError, match="tiles_attribution"):
        RangeMap(tiles_url="https://tiles.example.org/{z}/{x}/{y}.png")
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        m.save(tmp_path / "m.png")
    said = [str(w.message) for w in caught]
    assert said.count(TILES_NOTE) == 1, said


def test_svg_only_logo_warns_for_static_images(theme_dir: Path, tmp_path: Path) -> None:
    path = theme_dir / "theme.yaml"
    path.write_text(path.read_text().replace("raster: logo.png, ", ""), encoding="utf-8")
    with pytest.warns(UserWarning, match="logo.raster"):
        svg = _map(path).save(tmp_path / "m.svg").read_text(encoding="utf-8")
    assert "<image " not in svg


def test_theme_schema_forbids_unknown_fields() -> None:
    schema = Theme.model_json_schema()
    assert schema["additionalProperties"] is False
    assert "folder" not in schema["properties"]
    assert set(schema["properties"]) == {
        "name",
        "mode",
        "fonts",
        "colors",
        "text_sizes",
        "logo",
        "credit",
    }
    assert json.dumps(schema)  # plain JSON
    colors = schema["$defs"]["Colors"]
    assert colors["properties"]["land"]["pattern"] == "^#[0-9a-fA-F]{6}$"


@pytest.mark.parametrize("preset", ["social", "square", "print"])
def test_static_logo_keeps_clear_of_every_text(theme_dir: Path, preset: str) -> None:
    import matplotlib.text

    from rangemap.options import Preset
    from rangemap.render import static
    from rangemap.render._context import prepare
    from rangemap.render._static_text import LOOK

    theme = resolve_theme(theme_dir / "theme.yaml")
    assert theme is not None
    m = _map(theme).show_places(12, min_population=100_000)
    look, families = static._look(theme)
    token = LOOK.set(look)
    try:
        with matplotlib.rc_context({"font.family": [*families, "DejaVu Sans"]}):
            fig, _ = static._figure(prepare(m), Preset.parse(preset))
            renderer = fig.canvas.get_renderer()
            logo = next(a for a in fig.axes if a.get_gid() == "rm-logo")
            box = logo.get_window_extent(renderer)
            assert box.width > 10
            texts = [
                t
                for t in fig.findobj(matplotlib.text.Text)
                if t.get_visible() and t.get_text() and t.axes is not logo
            ]
            assert len(texts) > 10
            for text in texts:
                assert not box.overlaps(text.get_window_extent(renderer)), text.get_text()
    finally:
        LOOK.reset(token)
