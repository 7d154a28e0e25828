"""The text around a static map: its words, wrapped and set in columns of figure inches.

What this module owns:

- :func:`texts`: the legend rows, numbered source lines and footer lines of a static
  image, worded as in the HTML map (:mod:`rangemap.words`). A source line
  gives the link's host name and leaves out the date accessed to save room; both are
  in the HTML map and the vector files.
- :func:`wrap`: line breaking measured in the font matplotlib draws with.
- :class:`Column`: text drawn top-down beside or around the map, which can also
  measure without drawing (``dry``), and :func:`draw_head` (title, subtitle, legend).
- :data:`SCALE_PAIRS`: the text sizes tried until the text fits; no text is drawn
  below the preset's floor (:attr:`rangemap.options.Preset.min_text_pt`).
- :func:`drawable` and :func:`missing_scripts`: source titles in a script no installed
  font has are printed as their ``title_en``, with one warning naming the script.
"""

from __future__ import annotations

import dataclasses
import unicodedata
import warnings
from collections.abc import Sequence
from contextvars import ContextVar
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from rangemap.escaping import clean, display_host
from rangemap.places.gazetteer import GEONAMES_CREDIT
from rangemap.render import _bidi
from rangemap.render._placemarks import summary_text
from rangemap.render._points import summary_text as points_summary
from rangemap.theme import LAYER_DASHES, outline_color
from rangemap.words import Words, words

if TYPE_CHECKING:
    from rangemap.render._context import Context
    from rangemap.scene import Layer, RangeMap

__all__ = [
    "INK",
    "MISSING_SCRIPT",
    "MUTED",
    "SCALE_PAIRS",
    "Column",
    "draw_head",
    "drawable",
    "missing_scripts",
    "short_source_text",
    "source_text",
    "texts",
    "wrap",
]

#: Colour of the main text and the origin markers.
INK = "#1F1F1F"
#: Colour of the secondary text (subtitle, sources, notes).
MUTED = "#5A5A5A"

_EN = words("en")


@dataclass(frozen=True)
class Look:
    """The colours and text sizes of a static image: the default look, or a theme's.

    ``sizes`` multiplies the title, body and small text sizes; ``logo`` is PNG bytes
    drawn in a corner of the map; ``credit_over`` puts the credit on the map.
    """

    ink: str = INK
    muted: str = MUTED
    background: str = "white"
    land: str = "#F7F6F2"
    water: str = "#E8EEF3"
    borders: str = "#B9B9B4"
    country: str = "#62625C"  # 4.5:1 on the land (WCAG 2.1 AA)
    frame: str = "#9A9A94"
    origin: str = INK
    sizes: tuple[float, float, float] = (1.0, 1.0, 1.0)
    logo: bytes | None = None
    credit_over: bool = False


#: The look of the image being drawn (set by :func:`rangemap.render.static.render_static`).
LOOK: ContextVar[Look] = ContextVar("rangemap_static_look", default=Look())  # noqa: B039 (frozen)

#: What the projection of static images keeps true (a phrase for :class:`Words`).
PROJECTION_NOTE = "Azimuthal equidistant projection: distances from the map's centre are true."


def source_text(source: Any, w: Words = _EN) -> str:
    """Return one plain-text source line: publisher, title, date and the link's host name."""
    return f"{w.source_lead(source)} {display_host(source.url) or clean(source.url)}"


def short_source_text(source: Any, w: Words = _EN) -> str:
    """Return a short source line for small images: publisher, date and the link's host.

    The titles are in the HTML map, the vector files and the larger presets.
    """
    lead = w.source_lead(source, clean, title=False)
    return f"{lead} {display_host(source.url) or clean(source.url)}"


def _refs(numbers: list[int], w: Words) -> str:
    runs = w.runs(numbers)
    return f" [{runs}]" if runs else ""


def _width_pt(text: str, weight: str) -> float:
    """Return the width of ``text`` in points at a font size of 10 points, in the font drawn."""
    import matplotlib

    family = matplotlib.rcParams["font.family"]
    return _measure(text, weight, tuple(family) if isinstance(family, list) else (family,))


@lru_cache(maxsize=8192)
def _measure(text: str, weight: str, family: tuple[str, ...] = ("DejaVu Sans",)) -> float:
    from matplotlib.font_manager import FontProperties
    from matplotlib.textpath import text_to_path

    if family == ("sans-serif",):  # matplotlib's default: measure as rangemap draws
        family = ("DejaVu Sans",)
    prop = FontProperties(family=list(family), size=10.0, weight=weight)
    return float(text_to_path.get_text_width_height_descent(text, prop, ismath=False)[0])


#: The share of a line's width wrapping fills: PNG text is hinted to whole pixels, which
#: makes small text up to a few per cent wider than its outline measures.
_FILL = 0.95


def text_width_pt(text: str, size_pt: float, weight: str = "normal") -> float:
    """Return the width of one line of ``text`` at ``size_pt`` points, in points."""
    return _width_pt(text, weight) * size_pt / 10.0 / _FILL


@lru_cache(maxsize=1)
def _font() -> Any:
    from matplotlib import font_manager
    from matplotlib.ft2font import FT2Font

    return FT2Font(font_manager.findfont("DejaVu Sans"))


@lru_cache(maxsize=4096)
def _has_glyph(char: str) -> bool:
    return char.isspace() or int(_font().get_char_index(ord(char))) != 0


#: How every warning of a script no installed font has begins.
MISSING_SCRIPT = "no installed font has the "


def missing_scripts(text: str) -> list[str]:
    """Return the scripts of ``text`` the drawing font has no glyphs for, e.g. ``["CJK"]``.

    Examples
    --------
    >>> missing_scripts("Kharkiv, Харків")
    []
    >>> missing_scripts("米国、新しい対ウクライナ武器提供")
    ['CJK', 'symbols', 'Hiragana', 'Katakana']
    """
    found: list[str] = []
    for char in text:
        if _has_glyph(char):
            continue
        name = unicodedata.name(char, "")
        if not unicodedata.category(char).startswith("L"):
            name = "symbols" if name else ""  # punctuation names no script
        script = name.split(" ")[0].title() if name else f"U+{ord(char):04X}"
        script = "symbols" if script == "Symbols" else script
        script = "CJK" if script == "Cjk" else script
        if script not in found:
            found.append(script)
    return found


def drawable(sources: Sequence[Any]) -> list[Any]:
    """Return the sources with each title the font cannot draw replaced by its ``title_en``.

    One warning names the missing scripts (instead of one per missing glyph).
    """
    out: list[Any] = []
    missing: list[str] = []
    for source in sources:
        scripts = missing_scripts(str(source.title))
        english = getattr(source, "title_en", None)
        if scripts and english and hasattr(source, "model_copy"):
            source = source.model_copy(update={"title": english})
            missing += [s for s in scripts if s not in missing and s != "symbols"]
        out.append(source)
    if missing:
        msg = (
            f"{MISSING_SCRIPT}{', '.join(missing)} script; the image prints "
            "those sources' English titles (title_en) instead"
        )
        warnings.warn(msg, UserWarning, stacklevel=2)
    return out


def wrap(text: str, width_in: float, size_pt: float, weight: str = "normal") -> str:
    """Wrap text to a column ``width_in`` inches wide, measuring each word in the font."""
    limit = width_in * 72.0 * 10.0 / size_pt * _FILL  # in points at size 10
    space = _width_pt("a b", weight) - _width_pt("ab", weight)
    lines: list[str] = []
    current: list[str] = []
    used = 0.0
    for word in text.split():
        width = _width_pt(word, weight)
        if width > limit and len(word) > 1:  # a word longer than the line: cut it
            if current:
                lines.append(" ".join(current))
                current, used = [], 0.0
            pieces = _cut(word, limit, weight)
            lines += pieces[:-1]
            word = pieces[-1]
            width = _width_pt(word, weight)
        if current and used + space + width > limit:
            lines.append(" ".join(current))
            current, used = [], 0.0
        used += (space if current else 0.0) + width
        current.append(word)
    if current:
        lines.append(" ".join(current))
    return "\n".join(lines) or text


def _cut(word: str, limit: float, weight: str) -> list[str]:
    """Cut a word wider than ``limit`` into pieces that fit, measuring each character once.

    The width of a piece is taken as the sum of its characters' widths (kerning
    aside, hence a 3 % margin), so a 20,000-character word is cut in linear time.
    """
    pieces: list[str] = []
    start, used = 0, 0.0
    for i, char in enumerate(word):
        width = _width_pt(char, weight)
        if used + width > limit * 0.97 and i > start:
            pieces.append(word[start:i])
            start, used = i, 0.0
        used += width
    pieces.append(word[start:])
    return pieces


@dataclass
class Column:
    """A column of text drawn top-down in figure inches."""

    fig: Any
    mpl: Any
    left_in: float
    width_in: float
    top_in: float
    scale: float
    dry: bool = False  # measure only: advance ``top_in`` without drawing
    floor: float = 0.0  # the smallest text size, in points

    def size(self, size: float) -> float:
        """Return ``size`` scaled to the column (and the theme), never below its floor."""
        title, body, small = LOOK.get().sizes if self.floor or self.scale != 1.0 else (1, 1, 1)
        factor = title if size >= 10 else body if size >= 7 else small
        return max(size * self.scale * factor, self.floor)

    def text(
        self,
        text: str,
        size: float,
        *,
        color: str = INK,
        weight: str = "normal",
        gap: float = 0.06,
        indent_in: float = 0.0,
    ) -> None:
        """Draw ``text`` wrapped to the column at ``size`` points, and move down past it."""
        size = self.size(size)
        look = LOOK.get()
        color = {INK: look.ink, MUTED: look.muted}.get(color, color)
        wrapped = wrap(_bidi.clean(text), self.width_in - indent_in, size, weight)
        lines = wrapped.count("\n") + 1
        self.top_in -= lines * size * 1.25 / 72 + gap
        if self.dry:
            return
        rtl = _bidi.right_to_left()  # right-aligned, indented from the right edge
        self.fig.text(
            (self.left_in + (self.width_in - indent_in if rtl else indent_in))
            / self.fig.get_figwidth(),
            (self.top_in + lines * size * 1.25 / 72 + gap) / self.fig.get_figheight(),
            wrapped,
            fontsize=size,
            color=color,
            fontweight=weight,
            va="top",
            ha="right" if rtl else "left",
            linespacing=1.25,
            parse_math=False,
            transform=self.fig.transFigure,
        )

    def swatch(self, layer: Layer, text: str, size: float, index: int = 0) -> None:
        """Draw a legend row: the layer's colour and dash pattern (``index``), then ``text``."""
        if self.dry:
            self.text(text, size, indent_in=self.size(size) / 72 * 1.575 + 0.08, gap=0.05)
            return
        size = self.size(size)
        box = size / 72 * 1.05
        top = self.top_in
        fig_w, fig_h = self.fig.get_figwidth(), self.fig.get_figheight()
        left = self.left_in + self.width_in - box * 1.5 if _bidi.right_to_left() else self.left_in
        dashed = layer.reach.show == "spread"
        dash = LAYER_DASHES[index % len(LAYER_DASHES)][2]
        rect = self.mpl.patches.Rectangle(
            (left / fig_w, (top - box) / fig_h),
            box * 1.5 / fig_w,
            box / fig_h,
            transform=self.fig.transFigure,
            facecolor=layer.color,
            alpha=max(layer.opacity, 0.15) * 1.6,
            edgecolor="none",
        )
        edge = self.mpl.patches.Rectangle(
            (left / fig_w, (top - box) / fig_h),
            box * 1.5 / fig_w,
            box / fig_h,
            transform=self.fig.transFigure,
            facecolor="none",
            edgecolor=outline_color(layer.color, LOOK.get().land),
            linewidth=1.2 * self.scale,
            linestyle=(0, (3, 2)) if dashed else "solid" if dash is None else (0, dash),
        )
        self.fig.add_artist(rect)
        self.fig.add_artist(edge)
        self._text_at(text, size, box * 1.5 + 0.08)

    def _text_at(self, text: str, size: float, indent_in: float) -> None:
        """Draw ``text`` at exactly ``size`` points (already scaled), indented."""
        scale, floor = self.scale, self.floor
        self.scale, self.floor = 1.0, 0.0
        self.text(text, size, indent_in=indent_in, gap=0.05)
        self.scale, self.floor = scale, floor

    def dot(self, text: str, size: float, *, marker: str = "o", filled: bool = True) -> None:
        """Draw a legend row: an origin marker (or, with ``marker="D"``, a point's), then text."""
        if self.dry:
            self.text(text, size, indent_in=self.size(size) / 72 * 1.5 + 0.08, gap=0.05)
            return
        size = self.size(size)
        box = size / 72
        fig_w, fig_h = self.fig.get_figwidth(), self.fig.get_figheight()
        rtl = _bidi.right_to_left()  # the marker right of its text
        self.fig.add_artist(
            self.mpl.lines.Line2D(
                [(self.left_in + (self.width_in - box * 0.75 if rtl else box * 0.75)) / fig_w],
                [(self.top_in - box * 0.5) / fig_h],
                marker=marker,
                markersize=4.2 * self.scale,
                color=LOOK.get().origin,
                markerfacecolor=LOOK.get().origin if filled else LOOK.get().background,
                markeredgecolor=LOOK.get().background if marker == "o" else LOOK.get().origin,
                markeredgewidth=1.0 * self.scale,
                transform=self.fig.transFigure,
            )
        )
        self._text_at(text, size, box * 1.5 + 0.08)

    def lines(self, lines: Sequence[str], size: float, columns: int, *, color: str) -> None:
        """Draw ``lines`` in ``columns`` side by side, filled top-down, and move below them."""
        if columns <= 1:
            for line in lines:
                self.text(line, size, color=color, gap=0.02)
            return
        gutter = 0.15
        width = (self.width_in - gutter * (columns - 1)) / columns
        heights = []
        for line in lines:  # each line's height alone, to balance the columns
            probe = Column(self.fig, self.mpl, 0.0, width, 0.0, self.scale, True, self.floor)
            probe.text(line, size, gap=0.02)
            heights.append(-probe.top_in)
        per = sum(heights) / columns
        groups: list[list[str]] = [[] for _ in range(columns)]
        used, index = 0.0, 0
        for line, height in zip(lines, heights, strict=True):
            if used > 0 and used + height / 2 > per and index < columns - 1:
                index, used = index + 1, 0.0
            groups[index].append(line)
            used += height
        bottom = self.top_in
        for i, group in enumerate(groups):
            place = columns - 1 - i if _bidi.right_to_left() else i  # RTL: first on the right
            left = self.left_in + place * (width + gutter)
            col = Column(self.fig, self.mpl, left, width, self.top_in, self.scale, self.dry)
            col.floor = self.floor
            for line in group:
                col.text(line, size, color=color, gap=0.02)
            bottom = min(bottom, col.top_in)
        self.top_in = bottom


def texts(
    context: Context, *, numbered: bool = False, short: bool = False
) -> tuple[list[tuple[Layer, str]], list[str], list[str]]:
    """Legend rows, source lines and footer lines, worded as in the HTML map.

    With ``numbered``, the cities in the list are numbered, for the map's callouts;
    with ``short``, the source lines leave out the titles (:func:`short_source_text`).
    """
    range_map, w = context.scene, context.words
    legend = [
        (layer, f"{context.layer_name(layer)}{_refs(context.layer_numbers(layer), w)}")
        for layer in range_map.layers
    ]
    sources = drawable(context.sources)
    source_lines = [
        f"{context.number(s)}. {short_source_text(d, w) if short else source_text(d, w)}"
        for s, d in zip(context.sources, sources, strict=True)
    ]
    foot = [f"{context.method_note()} {w(PROJECTION_NOTE)}"]
    line = []
    day = range_map.date
    if day is not None:
        line.append(w("Ranges as reported up to {date}.", date=w.date(day)))
    if range_map.credit and not LOOK.get().credit_over:
        line.append(_bidi.auto(range_map.credit))  # its own direction, as dir="auto"
    foot.append(" ".join(line))
    mine = points_summary(range_map, context.points, w)
    if mine:
        foot.append(mine)
    rows = list(context.places)
    if rows:
        if numbered:
            rows = [
                dataclasses.replace(row, name=f"({i}) {row.name}")
                for i, row in enumerate(rows, start=1)
            ]
        foot.append(summary_text(rows, w))
        foot.append(f"{w(GEONAMES_CREDIT)}.")
    return legend, source_lines, [f for f in foot if f]


#: Text sizes tried, largest first, until the text fits beside the map (or leaves it half
#: the height): (title and legend, sources and notes). Sources shrink first.
SCALE_PAIRS = (
    (1.0, 1.0),
    (1.0, 0.92),
    (1.0, 0.85),
    (1.0, 0.78),
    (0.92, 0.78),
    (0.92, 0.72),
    (0.85, 0.72),
    (0.85, 0.66),
    (0.78, 0.66),
    (0.72, 0.6),
    (0.66, 0.55),
    (0.6, 0.5),
)


def draw_head(
    col: Column,
    range_map: RangeMap,
    legend: list[tuple[Layer, str]],
    origins: list[str],
    w: Words = _EN,
    keys: Sequence[tuple[str, str]] = (),
    notes: Sequence[Sequence[str]] = (),
) -> None:
    """Draw the title, subtitle and legend (swatches, "measured from", point keys) in ``col``.

    ``notes`` holds, for each legend row in order, the caveats printed under it
    (:meth:`rangemap.render._context.Context.layer_notes`).
    """
    if range_map.title:
        col.text(range_map.title, 13.0, weight="bold", gap=0.05)
    if range_map.subtitle:
        col.text(range_map.subtitle, 8.5, color=MUTED, gap=0.08)
    col.top_in -= 0.04
    # A note every layer shares is printed once, under the last of them.
    shared = [n for n in notes[0] if all(n in other for other in notes)] if notes else []
    for i, (layer, text) in enumerate(legend):
        col.swatch(layer, text, 7.5, i)
        own = notes[i] if i < len(notes) else ()
        last = i == len(legend) - 1
        for note in own if last or len(legend) == 1 else [n for n in own if n not in shared]:
            col.text(note, 6.5, color=MUTED, gap=0.04, indent_in=col.size(7.5) / 72 * 1.575 + 0.08)
    if origins:
        col.dot(w("Measured from {places}", places=w(", ").join(origins)), 7.5)
    for kind, text in keys:
        col.dot(text, 7.5, marker="D", filled=kind == "rm-pt-in")
