"""Hebrew and Arabic static images: visual order, Arabic shaping, right alignment, fonts.

The flagship recipe in Hebrew and in Arabic is drawn as SVG (text kept as text), PNG and
PDF. Every SVG text line is compared with python-bidi's ``get_display`` of the reshaped
logical line the figure was laid out with; source references and number ranges read
left to right; the text column is right-aligned with the legend's swatches on the right;
a font without the letters is refused with a message naming a font to install.
"""

from __future__ import annotations

import io
import re
import unicodedata
import warnings
import xml.etree.ElementTree as ET
from collections import Counter
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from test_render_static_layout import _drawn

from rangemap import escaping
from rangemap.errors import InputError
from rangemap.options import Preset
from rangemap.recipes import flagship_recipe, load_recipe
from rangemap.render import _bidi, static
from rangemap.render._context import prepare
from rangemap.render._static_text import texts
from rangemap.scene import RangeMap
from rangemap.words import words

pytest.importorskip("matplotlib", reason="static export needs the 'static' extra")
pytest.importorskip("bidi", reason="Hebrew and Arabic images need the 'static' extra")
PIL = pytest.importorskip("PIL.Image", reason="Pillow (test extra) reads the PNG output")

SVG = "{http://www.w3.org/2000/svg}"
RTL = ("he", "ar")
#: Bracket-like characters and their mirror images (python-bidi's order leaves them as typed).
MIRROR = str.maketrans("()[]{}«»", "(([[{{««")


def _flagship(language: str, folder: Path) -> RangeMap:
    text = flagship_recipe().read_text(encoding="utf-8") + f"language: {language}\n"
    path = folder / f"atacms-{language}.yaml"
    path.write_text(text, encoding="utf-8")
    return load_recipe(path)


@pytest.fixture(scope="module", params=RTL)
def rtl_map(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> RangeMap:
    return _flagship(str(request.param), tmp_path_factory.mktemp("rtl"))


@pytest.fixture(scope="module")
def rtl_svg(rtl_map: RangeMap) -> bytes:
    return static.render_static(rtl_map, format="svg", preset="social")


def _svg_lines(data: bytes) -> list[tuple[str, dict[str, str], bool]]:
    """Return every SVG text line, its attributes and whether it is on the map."""
    root = ET.fromstring(data)
    axes = root.find(f".//{SVG}g[@id='rm-map']")
    assert axes is not None
    inside = {id(t) for t in axes.iter(f"{SVG}text")}
    return [
        ("".join(t.itertext()), dict(t.attrib), id(t) in inside) for t in root.iter(f"{SVG}text")
    ]


def _logical_figure(range_map: RangeMap, preset: str = "social") -> Any:
    """Lay the map out as render_static does, before any text is converted."""
    import matplotlib

    context = prepare(range_map)
    with (
        matplotlib.rc_context({"font.family": ["DejaVu Sans"]}),
        _bidi.direction(context.words.direction),
    ):
        fig, unnamed = static._figure(context, Preset.parse(preset))
        if unnamed:
            fig, _ = static._figure(context, Preset.parse(preset), numbered=True)
    return fig


def _reference(line: str) -> str:
    """python-bidi's visual order of a logical line, reshaped, as the brief defines it."""
    from bidi import get_display  # type: ignore[import-untyped]

    isolated = _bidi._isolate(line)  # number ranges and references, as the HTML map's dir=ltr
    shaped = _bidi._reshaper(_bidi._default_font()).reshape(isolated)
    shown = str(get_display(shaped, base_dir="R"))
    return shown.translate(_bidi._CONTROLS)


# --- visual order and shaping, on the SVG text ------------------------------------------


def test_every_svg_line_is_get_display_of_the_reshaped_logical_line(
    rtl_map: RangeMap, rtl_svg: bytes
) -> None:
    from matplotlib.text import Text

    fig = _logical_figure(rtl_map)
    logical = [t.get_text() for t in fig.findobj(Text) if t.get_text()]
    expected = Counter(
        _reference(line).translate(MIRROR) for text in logical for line in text.split("\n")
    )
    drawn = [text for text, _, _ in _svg_lines(rtl_svg)]
    for text in drawn:
        assert text.startswith(_bidi.LRO), text
        assert text.endswith(_bidi.PDF), text
    actual = Counter(text.strip(_bidi.LRO + _bidi.PDF).translate(MIRROR) for text in drawn)
    assert actual == expected
    assert any(re.search(r"[\u0590-\u06ff]", text) for text in drawn)


def test_references_and_ranges_read_left_to_right(rtl_map: RangeMap, rtl_svg: bytes) -> None:
    svg = rtl_svg.decode("utf-8")
    assert "[1\u20138]" in svg
    assert "[8\u20131]" not in svg
    comma = "\u060c" if rtl_map.language == "ar" else ","
    assert f"[2{comma} 6{comma} 9]" in svg
    assert "9]" not in svg.replace(f"6{comma} 9]", "")


def test_legend_rows_put_the_system_name_first_on_the_right(rtl_map: RangeMap) -> None:
    """The isolates Words puts around names (FSI/RLI ... PDI) are kept until reordering."""
    context = prepare(rtl_map)
    legend = texts(context)[0]
    assert legend
    with _bidi.direction("rtl"):
        for _, row in legend:
            isolated = re.search("[\u2067\u2068](.*?)\u2069", row)
            assert isolated, row
            name = _bidi.visual(isolated.group(0)).strip(_bidi.LRO + _bidi.PDF)
            shown = _bidi.visual(_bidi.clean(row)).strip(_bidi.LRO + _bidi.PDF)
            assert shown.startswith("[")  # the references end the row: leftmost
            assert shown.endswith(name), shown  # the system's name begins it: rightmost
    # "ATACMS - M39 (Block I): 165 km [2, 6, 9]" as Words writes it in Hebrew.
    row = "\u2068ATACMS \u2013 M39 (Block I)\u2069: 165 \u05e7\u05f4\u05de [2, 6, 9]"
    with _bidi.direction("rtl"):
        shown = _bidi.visual(_bidi.clean(row)).strip(_bidi.LRO + _bidi.PDF)
    assert shown == "[2, 6, 9] \u05de\u05f4\u05e7 165 :ATACMS \u2013 M39 (Block I)"
    # Without the isolate, "165" would join the Latin name and be read first.
    stripped = _bidi.visual(escaping.clean(row)).strip(_bidi.LRO + _bidi.PDF)
    assert stripped.endswith("(Block I): 165")


def test_number_isolates_stripped_or_kept_give_the_same_order() -> None:
    for language in RTL:
        w = words(language)
        for phrase in (
            w("{km} km", km="165\u2013300"),
            w("Ranges as reported up to {date}.", date="1\u20138"),
            w("{km} km; scale true at the map's centre", km=w.number(100)),
        ):
            assert _bidi.visual(phrase) == _bidi.visual(escaping.clean(phrase))
        assert "165\u2013300" in _bidi.visual(w("{km} km", km="165\u2013300"))


def test_brackets_are_mirrored_in_right_to_left_runs() -> None:
    sumy = "\u05e1\u05d5\u05de\u05d9"
    assert _bidi.visual(f"({sumy}) 3").strip(_bidi.LRO + _bidi.PDF) == f"3 ({sumy[::-1]})"
    assert _bidi.visual(f"{sumy} (3)").strip(_bidi.LRO + _bidi.PDF) == f"(3) {sumy[::-1]}"
    # Brackets inside a Latin run keep their glyphs.
    assert "(Block I)" in _bidi.visual(f"{sumy}: ATACMS (Block I)")


def test_arabic_is_in_presentation_forms(tmp_path: Path) -> None:
    data = static.render_static(_flagship("ar", tmp_path), format="svg", preset="social")
    drawn = "".join(text for text, _, _ in _svg_lines(data))
    forms = [c for c in drawn if "\ufe70" <= c <= "\ufeff"]
    letters = [c for c in drawn if "\u0621" <= c <= "\u064a"]
    assert len(forms) > 200
    # Base letters left stand alone (after a letter that does not join), drawn as such.
    assert len(letters) < len(forms) / 3
    joined = _bidi.visual("\u0627\u0644\u0645\u0635\u0627\u062f\u0631")  # "the sources"
    # Visual order, right to left: alef alone, lam initial, meem and sad medial, alef
    # final, then dal and reh alone.
    assert joined == f"{_bidi.LRO}\u0631\u062f\ufe8e\ufebc\ufee4\ufedf\u0627{_bidi.PDF}"
    assert joined[1:-1] in drawn  # the "Sources" heading
    assert "\ufefb" in _bidi.visual("\u0644\u0627")  # lam-alef, a ligature DejaVu Sans has


def test_the_text_column_is_right_aligned(rtl_map: RangeMap, rtl_svg: bytes) -> None:
    lines = [(t, a) for t, a, on_map in _svg_lines(rtl_svg) if not on_map]
    anchors = {re.search(r"text-anchor: (\w+)", a.get("style", "")) is not None for _, a in lines}
    single = [a for _, a in lines if "x" in a]
    assert single
    assert all("text-anchor: end" in a["style"] for a in single)
    assert anchors
    drawn = [d for d in _drawn(rtl_svg)[0] if not d.in_axes]
    right = max(d.box[2] for d in drawn)
    title = next(d for d in drawn if d.text.strip(_bidi.LRO + _bidi.PDF).startswith("What"))
    assert abs(title.box[2] - right) < 1.0
    # Lines end at the right edge, or at the indent of a legend row; their left ends vary.
    ends = sorted({round(d.box[2]) for d in drawn})
    assert len(ends) <= 4, ends
    assert len({round(d.box[0]) for d in drawn}) > 10


def test_legend_swatches_and_markers_sit_right_of_their_text(rtl_map: RangeMap) -> None:
    import matplotlib.lines
    import matplotlib.patches

    fig = _logical_figure(rtl_map)
    width, height = fig.get_figwidth(), fig.get_figheight()
    column = [t for t in fig.texts if t.get_text()]
    assert all(t.get_ha() == "right" for t in column)
    right = max(t.get_position()[0] for t in column) * width  # the column's right edge
    swatches = [a for a in fig.artists if isinstance(a, matplotlib.patches.Rectangle)]
    markers = [a for a in fig.artists if isinstance(a, matplotlib.lines.Line2D)]
    assert swatches
    assert markers

    def row(y: float) -> float:
        """The right end (inches) of the text whose top is nearest ``y`` (inches)."""
        nearest = min(column, key=lambda t: abs(float(t.get_position()[1]) * height - y))
        return float(nearest.get_position()[0] * width)

    for swatch in swatches:
        x0, top = swatch.get_x() * width, (swatch.get_y() + swatch.get_height()) * height
        assert row(top) < x0, "the swatch is right of its text"
        assert abs(x0 + swatch.get_width() * width - right) < 1e-6  # flush right
    for marker in markers:
        xs, ys = np.asarray(marker.get_xdata()), np.asarray(marker.get_ydata())
        x, y = float(xs[0]) * width, float(ys[0]) * height
        assert row(y) < x < right


def test_all_text_inside_the_canvas_in_every_preset(rtl_map: RangeMap) -> None:
    for preset in ("social", "square", "print"):
        data = static.render_static(rtl_map, format="svg", preset=preset)
        drawn, (width, height), _ = _drawn(data)
        for item in drawn:
            x0, y0, x1, y1 = item.box
            assert x0 >= -0.5, (preset, item.text)
            assert x1 <= width + 0.5, (preset, item.text)
            assert y0 >= -0.5, (preset, item.text)
            assert y1 <= height + 0.5, (preset, item.text)


def test_png_and_pdf_render(rtl_map: RangeMap) -> None:
    from pypdf import PdfReader

    png = static.render_static(rtl_map, format="png", preset="social")
    image = PIL.open(io.BytesIO(png))
    assert image.size == (1200, 675)
    pdf = static.render_static(rtl_map, format="pdf", preset="print")
    reader = PdfReader(io.BytesIO(pdf))
    assert len(reader.pages) == 1
    resources: Any = reader.pages[0]["/Resources"]
    fonts = resources["/Font"]
    assert any("DejaVuSans" in str(f.get_object()["/BaseFont"]) for f in fonts.values())
    assert png == static.render_static(rtl_map, format="png", preset="social")


def test_english_images_are_not_converted(tmp_path: Path) -> None:
    data = static.render_static(_flagship("en", tmp_path), format="svg", preset="social")
    svg = data.decode("utf-8")
    assert _bidi.LRO not in svg
    assert _bidi.PDF not in svg
    assert "text-anchor: end" not in svg
    assert not _bidi.right_to_left()


# --- fonts: refuse, never empty boxes -----------------------------------------------------


def test_missing_letters_in_a_font_without_hebrew() -> None:
    from matplotlib import font_manager

    dejavu = font_manager.findfont("DejaVu Sans")
    cmr10 = font_manager.findfont(font_manager.FontProperties(family="cmr10"))
    assert "cmr10" in cmr10
    sumy = "\u05e1\u05d5\u05de\u05d9"
    assert _bidi.missing_letters([sumy], [dejavu]) == []
    assert _bidi.missing_letters([sumy, "Kursk"], [cmr10]) == sorted(sumy)
    assert _bidi.missing_letters([sumy], [cmr10, dejavu]) == []


def test_a_figure_whose_font_has_no_hebrew_is_refused() -> None:
    import matplotlib
    from matplotlib.figure import Figure

    with matplotlib.rc_context({"font.family": ["cmr10"]}):
        fig = Figure()
        fig.text(0.5, 0.5, "\u05e1\u05d5\u05de\u05d9")
        with pytest.raises(InputError) as caught:
            _bidi.to_visual(fig)
    message = str(caught.value)
    assert "'cmr10'" in message
    assert "Hebrew" in message
    assert "fonts-noto-core" in message
    assert "fonts-dejavu-core" in message


def test_a_map_with_letters_no_font_has_exits_with_the_font_to_install(tmp_path: Path) -> None:
    m = _flagship("ar", tmp_path)
    letter = "\u063b"  # ARABIC LETTER KEHEH WITH TWO DOTS ABOVE: not in DejaVu Sans
    assert unicodedata.name(letter).startswith("ARABIC")
    m.title = f"\u0645\u062f\u0649 {letter}"
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        with pytest.raises(InputError, match="fonts-noto-core"):
            static.render_static(m, format="png", preset="social")
