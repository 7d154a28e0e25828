"""Static layouts that never drop content: labels, text sizes, fit, scale bar, sizes, fonts.

Measured on the SVG output (text kept as text): every text element's box, from its
position, anchor and the width matplotlib measures in the same font, lies inside the
canvas; no font size is below the preset's floor; every listed place is named (or
numbered) inside the map frame. A map whose text cannot fit fails with exit 2.
"""

from __future__ import annotations

import io
import re
import warnings
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from pathlib import Path

import pytest

from rangemap.cli import main
from rangemap.errors import InputError, RecipeError
from rangemap.options import PRESETS, Preset
from rangemap.reach import Reach
from rangemap.recipes import flagship_recipe, load_recipe
from rangemap.render import static
from rangemap.render._context import prepare
from rangemap.scene import RangeMap

PIL = pytest.importorskip("PIL.Image", reason="Pillow (test extra) reads the PNG output")
pytest.importorskip("matplotlib", reason="static export needs the 'static' extra")

SVG = "{http://www.w3.org/2000/svg}"

#: Seven systems whose specs carry the most sources, 25 cities: the stress map.
STRESS = """\
title: What Ukraine's Western long-range weapons can reach from Kharkiv
subtitle: Seven systems, measured from the city centre.
credit: "Map: rangemap stress test."
layers:
  - {system: atacms, origins: [Kharkiv]}
  - {system: gmlrs, origins: [Kharkiv]}
  - {system: storm-shadow, origins: [Kharkiv]}
  - {system: jassm, origins: [Kharkiv]}
  - {system: glsdb, origins: [Kharkiv]}
  - {system: oreshnik, origins: [Belgorod]}
  - {system: taurus-kepd-350, origins: [Kharkiv]}
places: {top: 25, min_population: 50000, countries: [RU, UA]}
"""


@dataclass(frozen=True)
class Drawn:
    """One SVG text element: its string, size in points and box (y down, in points)."""

    text: str
    size: float
    box: tuple[float, float, float, float]
    in_axes: bool


def _width_pt(text: str, size: float, bold: bool) -> float:
    from matplotlib.font_manager import FontProperties
    from matplotlib.textpath import text_to_path

    prop = FontProperties(family="DejaVu Sans", size=size, weight="bold" if bold else "normal")
    return float(text_to_path.get_text_width_height_descent(text, prop, ismath=False)[0])


def _drawn(data: bytes) -> tuple[list[Drawn], tuple[float, float], tuple[float, ...]]:
    """Return the text elements, the canvas (w, h) and the map frame (x0, y0, x1, y1)."""
    root = ET.fromstring(data)
    width, height = (float(v) for v in root.attrib["viewBox"].split()[2:])
    axes = root.find(f".//{SVG}g[@id='rm-map']")
    assert axes is not None, "the map axes carry the id rm-map"
    frame_path = axes.find(f"{SVG}g/{SVG}path")
    assert frame_path is not None
    numbers = [float(n) for n in re.findall(r"-?\d+(?:\.\d+)?", frame_path.attrib["d"])]
    xs, ys = numbers[0::2], numbers[1::2]
    frame = (min(xs), min(ys), max(xs), max(ys))
    inside = {id(t) for t in axes.iter(f"{SVG}text")}
    out = []
    for element in root.iter(f"{SVG}text"):
        style = element.attrib.get("style", "")
        size_match = re.search(r"font-size: ([\d.]+)px", style)
        assert size_match, style
        size = float(size_match.group(1))
        bold = "font-weight: 700" in style or "bold" in style
        anchor = re.search(r"text-anchor: (\w+)", style)
        text = "".join(element.itertext())
        if "x" in element.attrib:
            x, y = float(element.attrib["x"]), float(element.attrib["y"])
        else:  # multi-line text: each line placed by a translation
            moved = re.search(r"translate\(([-\d.e]+) ([-\d.e]+)\)", element.attrib["transform"])
            assert moved, element.attrib
            x, y = float(moved.group(1)), float(moved.group(2))
        w = _width_pt(text, size, bold)
        left = {"middle": x - w / 2, "end": x - w}.get(anchor.group(1) if anchor else "", x)
        box = (left, y - 0.8 * size, left + w, y + 0.25 * size)
        out.append(Drawn(text, size, box, id(element) in inside))
    return out, (width, height), frame


def _stress(tmp_path: Path) -> Path:
    path = tmp_path / "stress.yaml"
    path.write_text(STRESS, encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def demo() -> RangeMap:
    return load_recipe(flagship_recipe())


@pytest.fixture(scope="module")
def stress(tmp_path_factory: pytest.TempPathFactory) -> RangeMap:
    return load_recipe(_stress(tmp_path_factory.mktemp("stress")))


def _check_layout(range_map: RangeMap, preset: str) -> list[Drawn]:
    """Render an SVG and check every rule; return the text elements."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # the stress map's Japanese titles warn once
        data = static.render_static(range_map, format="svg", preset=preset)
    drawn, (width, height), frame = _drawn(data)
    floor = PRESETS[preset].min_text_pt
    for item in drawn:
        x0, y0, x1, y1 = item.box
        assert x0 >= -0.5, f"{item.text!r} runs off the left"
        assert x1 <= width + 0.5, f"{item.text!r} runs off the right"
        assert y0 >= -0.5, f"{item.text!r} runs off the top"
        assert y1 <= height + 0.5, f"{item.text!r} runs off the bottom"
        assert item.size >= floor - 1e-6, f"{item.text!r} is {item.size} pt < {floor} pt"
    on_map = [d for d in drawn if d.in_axes]
    for item in on_map:
        x0, y0, x1, y1 = item.box
        assert frame[0] - 0.5 <= x0, f"{item.text!r} leaves the map"
        assert x1 <= frame[2] + 0.5, f"{item.text!r} leaves the map"
        assert frame[1] - 0.5 <= y0, f"{item.text!r} leaves the map"
        assert y1 <= frame[3] + 0.5, f"{item.text!r} leaves the map"
    names = {d.text for d in on_map}
    rows = prepare(range_map).places
    assert rows
    for number, row in enumerate(rows, start=1):
        assert row.name in names or f"({number})" in names, f"{row.name} is not on the map"
    text = " ".join(d.text for d in drawn)
    assert "GeoNames" in text
    assert "Natural Earth" in text
    return drawn


# --- every place labelled, text readable and inside the canvas ---------------------------


@pytest.mark.parametrize("preset", ["social", "square", "print"])
def test_flagship_layout(demo: RangeMap, preset: str) -> None:
    drawn = _check_layout(demo, preset)
    on_map = {d.text for d in drawn if d.in_axes}
    assert {"Kursk", "Voronezh", "Sumy", "Kharkiv"} <= on_map


@pytest.mark.parametrize("preset", ["social", "square", "print"])
def test_stress_map_fits_or_fails_cleanly(stress: RangeMap, preset: str) -> None:
    context = prepare(stress)
    assert len(stress.layers) == 7
    assert len(context.places) == 25
    assert len(context.sources) >= 20
    if preset == "print":  # print grows to fit
        _check_layout(stress, preset)
        return
    try:
        _check_layout(stress, preset)
    except InputError as err:
        refused = str(err)
    else:
        return
    assert "sources" in refused
    assert "'print' preset" in refused


def test_stress_map_in_print_grows_and_numbers_crowded_places(stress: RangeMap) -> None:
    with pytest.warns(UserWarning, match="CJK"):  # GLSDB's Japanese sources
        data = static.render_static(stress, format="png", preset="print")
    with PIL.open(io.BytesIO(data)) as image:
        width, height = image.size
    assert width == 2100
    assert height > 1800
    with pytest.warns(UserWarning, match="CJK"):
        svg = static.render_static(stress, format="svg", preset="print")
    text = " ".join(d.text for d in _drawn(svg)[0])
    if re.search(r"\(\d+\) ", text):  # numbered on the map: numbered in the list too
        assert "Cities in range: (1) Moscow" in text


def test_a_map_that_cannot_fit_exits_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "stress.png"
    code = main(["map", "--recipe", str(_stress(tmp_path)), "-o", str(out), "--preset", "social"])
    err = capsys.readouterr().err
    assert code == 2
    assert "do not fit a 'social' image (1200x675 px)" in err
    assert "Traceback" not in err
    assert not out.exists()


# --- scale bar ------------------------------------------------------------------------------


def test_scale_bar_is_true_at_the_centre(demo: RangeMap) -> None:
    fig, _ = static._figure(prepare(demo), PRESETS["social"])
    ax = next(a for a in fig.axes if a.get_gid() == "rm-map")
    label = next(t for t in ax.texts if t.get_gid() == "rm-scale").get_text()
    match = re.fullmatch(r"([\d,]+) km; scale true at the map's centre", label)
    assert match, label
    km = float(match.group(1).replace(",", ""))
    bar = next(line for line in ax.lines if line.get_gid() == "rm-scale-bar")
    xs = bar.get_xdata()
    # The axes are in metres of the azimuthal equidistant projection centred on the map.
    assert abs(float(xs[1]) - float(xs[0])) == pytest.approx(km * 1000)
    note = " ".join(t.get_text() for t in fig.texts)
    assert "Azimuthal equidistant projection: distances from the map's centre are true." in (
        " ".join(note.split())
    )


# --- custom sizes -----------------------------------------------------------------------


def test_cli_size_gives_exact_pixels(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "atacms.png"
    recipe = str(flagship_recipe())
    code = main(["map", "--recipe", recipe, "-o", str(out), "--size", "1600x900"])
    assert (code, capsys.readouterr().err) == (0, "")
    with PIL.open(out) as image:
        assert image.size == (1600, 900)


def test_cli_dpi(tmp_path: Path) -> None:
    out = tmp_path / "atacms.png"
    code = main(["map", "--recipe", str(flagship_recipe()), "-o", str(out), "--dpi", "200"])
    assert code == 0
    with PIL.open(out) as image:
        assert image.size == (1600, 900)  # the social preset's 8 x 4.5 in


def test_cli_low_dpi_raises_the_text_floor(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """At 100 dpi, 12 px is 8.64 pt: the flagship's text no longer fits 800x450 px."""
    out = tmp_path / "atacms.png"
    code = main(["map", "--recipe", str(flagship_recipe()), "-o", str(out), "--dpi", "100"])
    assert code == 2
    assert "with text of at least 8.64 pt" in capsys.readouterr().err
    assert not out.exists()


@pytest.mark.parametrize(
    ("option", "value", "message"),
    [
        ("--size", "1600", "--size: '1600' is not an image size; give width x height"),
        ("--size", "50x50", "each 200 to 10000"),
        ("--dpi", "0", "--dpi: '0' is not a resolution"),
        ("--dpi", "high", "--dpi: 'high' is not a resolution"),
    ],
)
def test_cli_refuses_bad_sizes(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], option: str, value: str, message: str
) -> None:
    out = str(tmp_path / "a.png")
    code = main(["map", "--recipe", str(flagship_recipe()), "-o", out, option, value])
    assert code == 2
    assert message in capsys.readouterr().err


def test_python_save_with_size(demo: RangeMap, tmp_path: Path) -> None:
    path = demo.save(tmp_path / "atacms.png", size=(1600, 900), dpi=200)
    with PIL.open(path) as image:
        assert image.size == (1600, 900)
        assert image.info["dpi"][0] == pytest.approx(200, abs=1)


def test_recipe_size(tmp_path: Path) -> None:
    text = flagship_recipe().read_text(encoding="utf-8")
    recipe = tmp_path / "atacms.yaml"
    recipe.write_text(text + "size: 1280x720\ndpi: 120\n", encoding="utf-8")
    scene = load_recipe(recipe)
    assert isinstance(scene.preset, Preset)
    with PIL.open(scene.save(tmp_path / "atacms.png")) as image:
        assert image.size == (1280, 720)
    recipe.write_text(text + "size: big\n", encoding="utf-8")
    with pytest.raises(RecipeError, match=r"size: .big. is not an image size"):
        load_recipe(recipe)


def test_preset_resolve() -> None:
    assert Preset.resolve("square", dpi=300).pixels == (2160, 2160)
    assert Preset.resolve(size="1600x900").pixels == (1600, 900)
    assert Preset.resolve(size=(1080, 1350), dpi=150).min_text_pt == 6.0
    assert Preset.resolve(size=(800, 800), dpi=72).min_text_pt == 12.0
    with pytest.raises(InputError, match="size: True is not an image size"):
        Preset.resolve(size=True)


# --- fonts ----------------------------------------------------------------------------------


def test_titles_in_a_script_without_a_font_print_title_en_with_one_warning() -> None:
    m = RangeMap(title="GLSDB from Kharkiv")
    m.add(Reach.from_system("glsdb", "49.99, 36.23=Kharkiv"))
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        data = static.render_static(m, format="svg")
        static.render_static(m, format="png")
    drawn = " ".join(d.text for d in _drawn(data)[0])
    assert not re.search(r"[\u3040-\u30ff\u4e00-\u9fff\u25a1]", drawn)
    assert "U.S. announces new weapons for Ukraine" in drawn
    messages = [str(w.message) for w in caught]
    assert len(messages) == 2  # one per image, none per glyph
    assert all("CJK" in m and "title_en" in m for m in messages)
