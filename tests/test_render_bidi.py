"""Hebrew and Arabic static images: reading order, direction per paragraph, fonts.

The flagship recipe in Hebrew and in Arabic (an English title, subtitle and credit, as an
editor may write them) with a subtitle in the map's language holding a number range
(``165-300 km``) and brackets. Matplotlib lays the text out (libraqm); these tests read
where it puts each glyph of every line, and where Chromium puts each character of the
SVG's text, and check the order: English paragraphs left to right, Hebrew and Arabic
right to left with mirrored brackets, number ranges and source references left to
right. The text column is right-aligned with the legend's swatches on the right; a font
without the letters is refused with a message naming a font to install.
"""

from __future__ import annotations

import io
import re
import unicodedata
import warnings
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from test_render_static_layout import _drawn

from rangemap.errors import InputError
from rangemap.options import Preset
from rangemap.recipes import flagship_recipe, load_recipe
from rangemap.render import _bidi, static
from rangemap.render._context import prepare
from rangemap.scene import RangeMap
from rangemap.words import words

pytest.importorskip("matplotlib", reason="static export needs the 'static' extra")
PIL = pytest.importorskip("PIL.Image", reason="Pillow (test extra) reads the PNG output")

SVG = "{http://www.w3.org/2000/svg}"
RTL = ("he", "ar")
CONTROLS = dict.fromkeys(map(ord, "\u2066\u2067\u2068\u2069"))
MIRROR = {"(": ")", ")": "(", "[": "]", "]": "[", "\u00ab": "\u00bb", "\u00bb": "\u00ab"}
TITLE = "What ATACMS missiles can reach from north-eastern Ukraine"
CREDIT = "Map: rangemap. Distances from city centres, not from launch sites."
#: The subtitle in the map's language: "ATACMS range: 165-300 km (two versions)."
SUBTITLE = {
    "he": "\u05d8\u05d5\u05d5\u05d7 ATACMS: {range} "
    "(\u05e9\u05ea\u05d9 \u05d2\u05e8\u05e1\u05d0\u05d5\u05ea).",
    "ar": "\u0645\u062f\u0649 ATACMS: {range} (\u0646\u0633\u062e\u062a\u0627\u0646).",
}


def _flagship(language: str, folder: Path) -> RangeMap:
    text = flagship_recipe().read_text(encoding="utf-8") + f"language: {language}\n"
    path = folder / f"atacms-{language}.yaml"
    path.write_text(text, encoding="utf-8")
    return load_recipe(path)


def _map(language: str, folder: Path) -> RangeMap:
    """The flagship in ``language``: English title and credit, a subtitle in the language."""
    m = _flagship(language, folder)
    assert m.title == TITLE
    assert m.credit == CREDIT
    w = words(language)
    m.subtitle = SUBTITLE[language].format(range=w("{km} km", km="165\u2013300"))
    return m


@pytest.fixture(scope="module", params=RTL)
def rtl_map(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> RangeMap:
    return _map(str(request.param), tmp_path_factory.mktemp("rtl"))


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
    """Lay the map out as render_static does, before its text is prepared."""
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


def _glyph_lines(range_map: RangeMap, preset: str = "social") -> list[tuple[str, str]]:
    """Return (logical line, drawn line) for every line matplotlib draws in the image.

    The drawn line is the line's characters in the order of their glyphs from left to
    right, as libraqm lays them out in the figure's font; a bracket drawn with its
    mirror image's glyph is given as that mirror image. Direction characters are left
    out of both.
    """
    import matplotlib
    from matplotlib import font_manager
    from matplotlib._text_helpers import layout
    from matplotlib.ft2font import FT2Font
    from matplotlib.text import Text

    fig = _logical_figure(range_map, preset)
    with matplotlib.rc_context({"font.family": ["DejaVu Sans"]}), _bidi.direction("rtl"):
        _bidi.prepare(fig)
    out = []
    for artist in fig.findobj(Text):
        if not artist.get_text():
            continue
        font = FT2Font(font_manager.findfont(artist.get_fontproperties()))
        font.set_size(10, 72)
        for line in artist.get_text().split("\n"):
            items = sorted(layout(line, font), key=lambda item: item.x)
            drawn = []
            for item in items:
                char = item.char
                mirror = MIRROR.get(char)
                if mirror and item.glyph_index == font.get_char_index(ord(mirror)):
                    char = mirror
                drawn.append(char)
            out.append((line.translate(CONTROLS), "".join(drawn).translate(CONTROLS)))
    return out


def _balanced(text: str) -> bool:
    """Whether every bracket of ``text`` opens before it closes, read left to right."""
    stack: list[str] = []
    for char in text:
        if char in "([":
            stack.append(char)
        elif char in ")]" and (not stack or stack.pop() != MIRROR[char]):
            return False
    return not stack


# --- the order of the glyphs drawn (PNG and PDF) ------------------------------------------


def test_english_lines_are_drawn_left_to_right(rtl_map: RangeMap) -> None:
    lines = _glyph_lines(rtl_map)
    title = [(lo, dr) for lo, dr in lines if len(lo) > 4 and lo in TITLE]
    assert " ".join(lo for lo, _ in title) == TITLE
    assert all(lo == dr for lo, dr in title)  # in reading order, left to right
    # English, left to right: every line of the English source list.
    sources = [(lo, dr) for lo, dr in lines if "Lockheed Martin restarts" in lo]
    assert sources
    assert all(dr.startswith(lo.split(" ")[0]) for lo, dr in sources)


def test_the_credit_reads_left_to_right_inside_the_date_line(rtl_map: RangeMap) -> None:
    lines = _glyph_lines(rtl_map)
    foot = [(lo, dr) for lo, dr in lines if "Map: rangemap" in lo or "launch sites" in lo]
    assert foot
    # However the line breaks, each piece of the credit is drawn in reading order ...
    pieces = [lo[lo.find("Map:") :] if "Map:" in lo else lo for lo, _ in foot]
    for piece, (_, drawn) in zip(pieces, foot, strict=True):
        credit = piece.split(". \u2068")[0]
        assert credit in drawn, (piece, drawn)
    # ... its full stop at the right of "sites", not at the left end of the line.
    assert any("launch sites." in drawn for _, drawn in foot)
    assert not any(drawn.startswith(".") and "sites" in drawn for _, drawn in foot)


def test_right_to_left_lines_mirror_their_brackets(rtl_map: RangeMap) -> None:
    lines = _glyph_lines(rtl_map)
    checked = 0
    for logical, drawn in lines:
        if _balanced(logical) and re.search("[()\\[\\]]", logical):
            assert _balanced(drawn), (logical, drawn)  # "(...)" read left to right, never ")...("
            checked += 1
    assert checked > 5
    subtitle = next(dr for lo, dr in lines if "ATACMS:" in lo)
    # "(two versions)" is right to left: its letters reversed between mirrored brackets.
    inner = re.search(r"\(([^()]*)\)", SUBTITLE[rtl_map.language]).group(1)  # type: ignore[union-attr]
    assert f"({inner[::-1]})" in subtitle, subtitle


def test_ranges_and_references_read_left_to_right(rtl_map: RangeMap) -> None:
    lines = _glyph_lines(rtl_map)
    drawn = "\n".join(dr for _, dr in lines)
    assert "165\u2013300" in drawn
    assert "300\u2013165" not in drawn
    assert "[1\u20138]" in drawn
    assert "[8\u20131]" not in drawn
    comma = "\u060c" if rtl_map.language == "ar" else ","
    assert f"[2{comma} 6{comma} 9]" in drawn
    # The legend row: the system's name first, on the right; its references last, on the left.
    row = next(dr for lo, dr in lines if "M39 (Block I)" in lo)
    assert row.startswith("["), row
    assert row.endswith("ATACMS \u2013 M39 (Block I)"), row


def test_hebrew_and_arabic_words_are_drawn_right_to_left(rtl_map: RangeMap) -> None:
    heading = words(rtl_map.language)("Sources")
    lines = _glyph_lines(rtl_map)
    assert (heading, heading[::-1]) in lines


# --- the SVG: text in reading order, laid out by the browser --------------------------------


def test_svg_text_is_in_reading_order_each_line_isolated(rtl_map: RangeMap, rtl_svg: bytes) -> None:
    lines = [text for text, _, _ in _svg_lines(rtl_svg)]
    for text in lines:
        assert text[0] in (_bidi.LRI, _bidi.RLI), text
        assert text.endswith(_bidi.PDI), text
    title = [t for t in lines if len(t) > 6 and t[1:-1] in TITLE]
    assert " ".join(t[1:-1] for t in title) == TITLE
    assert all(t[0] == _bidi.LRI for t in title)  # English: left to right
    heading = words(rtl_map.language)("Sources")
    assert f"{_bidi.RLI}{heading}{_bidi.PDI}" in lines  # in reading order, not reversed
    svg = rtl_svg.decode("utf-8")
    assert f"{_bidi.LRI}[1\u20138]{_bidi.PDI}" in svg
    assert f"{_bidi.LRI}165\u2013300{_bidi.PDI}" in svg


#: For every character of every SVG text line: its logical index and the x of its left edge.
_POSITIONS = """() => Array.from(document.querySelectorAll("text")).map((t) => {
  const out = [];
  for (let i = 0; i < t.getNumberOfChars(); i++) {
    out.push([t.textContent[i], t.getExtentOfChar(i).x]);
  }
  return out;
})"""


def test_chromium_draws_the_svg_in_the_same_order(
    rtl_map: RangeMap, rtl_svg: bytes, chromium_launched: Any, tmp_path: Path
) -> None:
    from offline_page import checked, open_offline

    path = tmp_path / "map.svg"
    path.write_bytes(rtl_svg)
    with checked(open_offline(chromium_launched, path, drawn=False)) as visit:
        positions = visit.page.evaluate(_POSITIONS)
    shown = []
    for chars in positions:
        visible = [(c, x) for c, x in chars if c not in "\u2066\u2067\u2068\u2069"]
        shown.append("".join(c for c, _ in sorted(visible, key=lambda cx: cx[1])))
    assert " ".join(line for line in shown if len(line) > 4 and line in TITLE) == TITLE
    heading = words(rtl_map.language)("Sources")
    assert heading[::-1] in shown
    drawn = "\n".join(shown)
    assert "[1\u20138]" in drawn
    assert "165\u2013300" in drawn
    assert any(line.endswith("ATACMS \u2013 M39 (Block I)") for line in shown), shown


# --- the rules: paragraphs, isolates, hostile isolates -------------------------------------


def test_a_paragraph_takes_the_direction_of_its_first_strong_letter() -> None:
    sumy = "\u05e1\u05d5\u05de\u05d9"
    assert _bidi.paragraph_direction("Kharkiv.", "rtl") == "ltr"
    assert _bidi.paragraph_direction(f"300 {sumy}") == "rtl"
    assert _bidi.paragraph_direction(f"\u2068ATACMS\u2069 {sumy}") == "rtl"  # isolates skipped
    assert _bidi.paragraph_direction("[1\u20138]", "rtl") == "rtl"  # none: the image's
    with _bidi.direction("rtl"):
        # A wrapped English paragraph: every line left to right, even a line of numbers.
        shown = _bidi.laid_out("From Sumy\n165\u2013300 km.")
        assert shown == (
            f"{_bidi.LRI}From Sumy{_bidi.PDI}\n"
            f"{_bidi.LRI}{_bidi.LRI}165\u2013300{_bidi.PDI} km.{_bidi.PDI}"
        )
        shown = _bidi.laid_out(f"{sumy}\nKharkiv.")
        assert shown.split("\n")[1] == f"{_bidi.RLI}Kharkiv.{_bidi.PDI}"


def test_an_isolate_broken_by_a_line_is_closed_and_opened_again() -> None:
    sumy = "\u05e1\u05d5\u05de\u05d9"
    text = f"{sumy} {_bidi.FSI}Map: rangemap.\nFrom {sumy}.{_bidi.PDI} {sumy}"
    first, second = _bidi.laid_out(text).split("\n")
    L, R, P = _bidi.LRI, _bidi.RLI, _bidi.PDI
    assert first == f"{R}{sumy} {L}Map: rangemap.{P}{P}"
    # Opened again as the whole isolate's direction (its first strong letter: "M").
    assert second == f"{R}{L}From {sumy}.{P} {sumy}{P}"
    # A source reference broken by a line: both halves left to right.
    lines = _bidi.laid_out(f"{sumy} [2, 6,\n9]").split("\n")
    assert lines == [f"{R}{sumy} {L}[2, 6,{P}{P}", f"{R}{L}9]{P}{P}"]


def test_hostile_isolates_cannot_break_the_line() -> None:
    with _bidi.direction("rtl"):
        cleaned = _bidi.clean("Kursk \u2069\u2069\u202e x \u2066y")
    assert cleaned == "Kursk  x \u2066y"
    shown = _bidi.laid_out(cleaned)
    assert shown == f"{_bidi.LRI}Kursk  x {_bidi.LRI}y{_bidi.PDI}{_bidi.PDI}"
    assert shown.count(_bidi.PDI) == shown.count(_bidi.LRI)


def test_the_credit_is_isolated_in_its_own_direction() -> None:
    with _bidi.direction("rtl"):
        assert _bidi.auto(CREDIT) == f"{_bidi.FSI}{CREDIT}{_bidi.PDI}"
    assert _bidi.auto(CREDIT) == CREDIT
    assert _bidi.auto("") == ""


def test_matplotlib_lays_text_out_with_libraqm() -> None:
    """The floor of the static extra: libraqm orders and shapes the text (matplotlib 3.11)."""
    from matplotlib import ft2font

    assert ft2font.__libraqm_version__


def test_the_text_column_is_right_aligned(rtl_map: RangeMap, rtl_svg: bytes) -> None:
    lines = [(t, a) for t, a, on_map in _svg_lines(rtl_svg) if not on_map]
    anchors = {re.search(r"text-anchor: (\w+)", a.get("style", "")) is not None for _, a in lines}
    single = [a for _, a in lines if "x" in a]
    assert single
    assert all("text-anchor: end" in a["style"] for a in single)
    assert anchors
    drawn = [d for d in _drawn(rtl_svg)[0] if not d.in_axes]
    right = max(d.box[2] for d in drawn)
    title = next(d for d in drawn if d.text.translate(CONTROLS).startswith("What"))
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
    # The text is drawn as outlines (matplotlib's PDF writer misplaces the glyph after a
    # direction character): no font, no text operator; the metadata holds the description.
    resources: Any = reader.pages[0]["/Resources"]
    assert not resources["/Font"].get_object()
    contents: Any = reader.pages[0].get_contents()
    assert not re.search(rb"\bT[jJ]\b", contents.get_data())
    assert TITLE in str(reader.metadata.title if reader.metadata else "")
    assert png == static.render_static(rtl_map, format="png", preset="social")
    assert pdf == static.render_static(rtl_map, format="pdf", preset="print")


def test_english_images_are_not_converted(tmp_path: Path) -> None:
    data = static.render_static(_flagship("en", tmp_path), format="svg", preset="social")
    svg = data.decode("utf-8")
    assert not re.search("[\u2066-\u2069]", svg)
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
            _bidi.prepare(fig)
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
