"""Hebrew and Arabic in static images: the text matplotlib draws, in visual order and shaped.

What this module owns:

- **The direction of the image being drawn** (:data:`RIGHT_TO_LEFT`, set by
  :func:`rangemap.render.static.render_static` for a map whose words are Hebrew or
  Arabic, :attr:`rangemap.words.Words.direction`). Text blocks of such a map are
  right-aligned (:func:`right_to_left`); a left-to-right map is drawn as before,
  byte for byte, without importing python-bidi or arabic-reshaper.
- :func:`visual`: matplotlib before 3.11 draws characters left to right as they come,
  with no shaping, so every string of a right-to-left map is converted at draw time
  (never in the stored data), one line at a time: number ranges and source references
  are isolated left to right (``165-300 km``, ``[1-8]``), Arabic letters are reshaped
  into their joined presentation forms (arabic-reshaper, with the ligatures the font
  has), the line is reordered by the Unicode bidirectional algorithm with a
  right-to-left base direction (python-bidi's ``get_display``), brackets in
  right-to-left runs are mirrored (rule L4, which python-bidi's reordering leaves out)
  and the direction marks are dropped. The line is then wrapped in LEFT-TO-RIGHT
  OVERRIDE ... POP DIRECTIONAL FORMATTING (zero-width in DejaVu Sans), so that what lays
  text out again keeps this order: matplotlib 3.11 and later (libraqm) for PNG and PDF,
  and browsers or editors showing the SVG, whose text stays text. :func:`measured` is
  the text before reordering, for line widths.
- :func:`to_visual`: every text of a figure converted, and :func:`missing_letters`,
  which refuses an image whose fonts have no Hebrew or Arabic letters (an
  :class:`~rangemap.errors.InputError` naming a font to install) instead of drawing
  empty boxes.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from functools import lru_cache
from typing import Any

from rangemap import escaping
from rangemap.errors import InputError, RangemapError

__all__ = [
    "FONT_PACKAGES",
    "LRO",
    "PDF",
    "RIGHT_TO_LEFT",
    "clean",
    "direction",
    "measured",
    "missing_letters",
    "right_to_left",
    "to_visual",
    "visual",
]

#: Whether the image being drawn is right to left (set by :func:`direction`).
RIGHT_TO_LEFT: ContextVar[bool] = ContextVar("rangemap_static_rtl", default=False)

#: Where to get fonts with Hebrew and Arabic letters (named in the error).
FONT_PACKAGES = (
    "DejaVu Sans (Debian/Ubuntu: apt install fonts-dejavu-core) or Noto Sans Hebrew and "
    "Noto Sans Arabic (apt install fonts-noto-core; https://fonts.google.com/noto)"
)

_INSTALL_HINT = 'pip install "rangemap[static]"'

#: Directional formatting characters: isolates, embeddings, overrides and marks.
_CONTROLS = dict.fromkeys(
    [*range(0x2066, 0x206A), *range(0x202A, 0x202F), 0x200E, 0x200F, 0x061C], None
)
_LRI, _PDI = "\u2066", "\u2069"
#: LEFT-TO-RIGHT OVERRIDE and POP DIRECTIONAL FORMATTING around each converted line.
LRO, PDF = "\u202d", "\u202c"
_ISOLATES = ("\u2066", "\u2067", "\u2068", "\u2069")

#: A source reference ("[1-8]", "[2, 6, 9]") or a run of numbers joined by an en dash
#: ("165-300"), not yet isolated: kept left to right, as the HTML map's ``dir="ltr"``.
_RUN = re.compile(
    r"\[\d[\d,\u060c\s\u2013]*\]"
    r"|\d[\d.,\u00a0\u202f\u066b\u066c]*(?:\u2013\d[\d.,\u00a0\u202f\u066b\u066c]*)+"
)

#: The scripts whose letters a right-to-left map needs (Unicode character name prefixes).
_SCRIPTS = ("HEBREW", "ARABIC")


def right_to_left() -> bool:
    """Whether the image being drawn is right to left (text right-aligned, converted)."""
    return RIGHT_TO_LEFT.get()


@contextmanager
def direction(value: str) -> Iterator[None]:
    """Draw the text inside the ``with`` block in the direction ``"rtl"`` or ``"ltr"``.

    Examples
    --------
    >>> with direction("rtl"):
    ...     right_to_left()
    True
    >>> right_to_left()
    False
    """
    token = RIGHT_TO_LEFT.set(value == "rtl")
    try:
        yield
    finally:
        RIGHT_TO_LEFT.reset(token)


def clean(text: object) -> str:
    """Return :func:`rangemap.escaping.clean` of ``text``, keeping its isolates in RTL images.

    The isolates (LRI, RLI, FSI ... PDI) :class:`~rangemap.words.Words` puts around
    Latin names and number ranges decide the order :func:`visual` gives; they are
    dropped there, after reordering. Embeddings and overrides are always removed.

    Examples
    --------
    >>> with direction("rtl"):
    ...     clean("\u2068ATACMS\u2069\u202e: 300") == "\u2068ATACMS\u2069: 300"
    True
    >>> clean("\u2068ATACMS\u2069")
    'ATACMS'
    """
    if not right_to_left():
        return escaping.clean(text)
    parts = re.split("([\u2066-\u2069])", str(text))
    return "".join(p if p in _ISOLATES else escaping.clean(p) for p in parts)


def _libraries() -> tuple[Any, Any]:
    """Import python-bidi and arabic-reshaper, or say how to install them."""
    try:
        import arabic_reshaper  # type: ignore[import-untyped]
        import bidi  # type: ignore[import-untyped]
    except ImportError as err:
        msg = (
            "static images in Hebrew and Arabic need python-bidi and arabic-reshaper, "
            f"which are not installed; install them with: {_INSTALL_HINT}"
        )
        raise RangemapError(msg) from err
    return bidi, arabic_reshaper


@lru_cache(maxsize=4)
def _reshaper(font: str) -> Any:
    """Return an Arabic reshaper using only the ligatures ``font`` has (a file path)."""
    _, arabic_reshaper = _libraries()
    config = arabic_reshaper.config_for_true_type_font(font)
    config["delete_harakat"] = False  # keep the vowel marks a text carries
    if not any(v is True for k, v in config.items() if "LIGATURE" in k):
        config["support_ligatures"] = False  # the font has none (and the reshaper needs one)
    return arabic_reshaper.ArabicReshaper(configuration=config)


@lru_cache(maxsize=1)
def _default_font() -> str:
    from matplotlib import font_manager

    return str(font_manager.findfont("DejaVu Sans"))


def _isolate(line: str) -> str:
    """Wrap number ranges and source references not yet isolated in LRI ... PDI."""

    def wrap(match: re.Match[str]) -> str:
        before = line[match.start() - 1] if match.start() else ""
        return match.group(0) if before == _LRI else f"{_LRI}{match.group(0)}{_PDI}"

    return _RUN.sub(wrap, line)


def measured(text: str, font: str | None = None) -> str:
    """Return ``text`` as it is measured for line breaking: shaped, not yet reordered.

    Outside a right-to-left image the text is returned as it is. Arabic letters take
    their joined forms (narrower than the isolated forms matplotlib would draw), and the
    invisible direction marks are dropped.

    Examples
    --------
    >>> with direction("rtl"):
    ...     measured("\u2066165\u2013300\u2069 km") == "165\u2013300 km"
    True
    """
    if not right_to_left():
        return text
    if any("\u0600" <= c <= "\u06ff" for c in text):
        text = _reshaper(font or _default_font()).reshape(text)
    return text.translate(_CONTROLS)


def _levels(bidi: Any, text: str) -> list[int] | None:
    """Return the embedding level of each character of ``text`` in a right-to-left line.

    python-bidi reports its levels only in its debug text, one per UTF-8 byte; ``None``
    if that text is not as expected.
    """
    report = str(bidi.get_display(text, base_dir="R", debug=True))
    start = report.find("\n    levels: [")
    end = report.find("\n    ],", start)
    if start < 0 or end < 0:
        return None
    per_byte = [int(n) for n in re.findall(r"Level\(\s*(\d+)", report[start:end])]
    if len(per_byte) != len(text.encode("utf-8")):
        return None
    levels, offset = [], 0
    for char in text:
        levels.append(per_byte[offset])
        offset += len(char.encode("utf-8"))
    return levels


def _order(text: str, levels: Sequence[int]) -> list[int]:
    """Return the logical indices of ``text`` in visual order (rules L1 and L2)."""
    shown = list(levels)
    trailing = True  # L1: whitespace and isolates at the end of the line take level 1
    for i in range(len(text) - 1, -1, -1):
        kind = unicodedata.bidirectional(text[i])
        if kind in ("S", "B"):
            shown[i], trailing = 1, True
        elif trailing and kind in ("WS", "LRI", "RLI", "FSI", "PDI", "BN"):
            shown[i] = 1
        else:
            trailing = False
    order = list(range(len(text)))
    odd = [level for level in shown if level % 2]
    for level in range(max(shown, default=0), min(odd, default=1) - 1, -1):
        i = 0
        while i < len(order):  # L2: reverse every run at this level or higher
            if shown[order[i]] < level:
                i += 1
                continue
            j = i
            while j < len(order) and shown[order[j]] >= level:
                j += 1
            order[i:j] = order[i:j][::-1]
            i = j
    return order


def _line(line: str, font: str) -> str:
    bidi, _ = _libraries()
    from bidi.mirror import MIRRORED  # type: ignore[import-untyped]

    text = _reshaper(font).reshape(_isolate(line))
    shown = str(bidi.get_display(text, base_dir="R"))
    levels = _levels(bidi, text)
    if levels is not None:
        order = _order(text, levels)
        if "".join(text[i] for i in order) == shown:  # L4: mirror in right-to-left runs
            shown = "".join(
                MIRRORED.get(text[i], text[i]) if levels[i] % 2 else text[i] for i in order
            )
    return f"{LRO}{shown.translate(_CONTROLS)}{PDF}"


def visual(text: str, font: str | None = None) -> str:
    """Return ``text`` as matplotlib must draw it in a right-to-left image, line by line.

    ``font`` is the path of the font file whose ligatures Arabic may use (DejaVu Sans,
    which matplotlib ships, when omitted). Every line is laid out with a right-to-left
    base direction, so a Latin line's closing punctuation goes to its left end, as in
    the HTML map.

    Examples
    --------
    >>> visual("\u05e1\u05d5\u05de\u05d9 (3)") == f"{LRO}(3) \u05d9\u05de\u05d5\u05e1{PDF}"
    True
    >>> visual("\u05d8\u05d5\u05d5\u05d7 [1\u20138]").strip(LRO + PDF)[:5]  # not [8-1]
    '[1\u20138]'
    >>> visual("Kursk").strip(LRO + PDF)
    'Kursk'
    """
    chosen = font or _default_font()
    return "\n".join(_line(line, chosen) for line in text.split("\n"))


def missing_letters(texts: Iterable[str], fonts: Sequence[str]) -> list[str]:
    """Return the Hebrew and Arabic characters of ``texts`` none of ``fonts`` can draw.

    ``fonts`` are font file paths, searched in order as matplotlib does.

    Examples
    --------
    >>> from matplotlib import font_manager
    >>> missing_letters(["\u05e1\u05d5\u05de\u05d9"], [font_manager.findfont("DejaVu Sans")])
    []
    """
    from matplotlib.ft2font import FT2Font

    maps = [set(FT2Font(path).get_charmap()) for path in fonts]
    missing: list[str] = []
    for char in sorted({c for text in texts for c in text}):
        if not unicodedata.name(char, "").startswith(_SCRIPTS):
            continue
        if not any(ord(char) in cmap for cmap in maps):
            missing.append(char)
    return missing


def _font_paths() -> list[tuple[str, str]]:
    """Return the (family, file) of every font family the figure draws with, in order."""
    import matplotlib
    from matplotlib import font_manager

    family = matplotlib.rcParams["font.family"]
    families = [family] if isinstance(family, str) else list(family)
    out: list[tuple[str, str]] = []
    for name in families:
        path = str(font_manager.findfont(font_manager.FontProperties(family=name)))
        if all(path != p for _, p in out):
            out.append((name, path))
    return out


def to_visual(fig: Any) -> None:
    """Convert every text of ``fig`` to visual order (:func:`visual`), for a right-to-left map.

    Raises
    ------
    InputError
        If no font the figure draws with has the Hebrew or Arabic letters of its text.
    """
    from matplotlib.text import Text

    fonts = _font_paths()
    shaping = next((p for _, p in fonts if "DejaVuSans" in p), fonts[-1][1])
    converted = []
    for artist in fig.findobj(Text):
        text = artist.get_text()
        if text:
            shown = visual(text, shaping)
            artist.set_text(shown)
            converted.append(shown)
    missing = missing_letters(converted, [p for _, p in fonts])
    if missing:
        scripts = sorted({unicodedata.name(c).split(" ")[0].title() for c in missing})
        names = ", ".join(escaping.quote(name) for name, _ in fonts)
        letters = escaping.quote("".join(missing[:12]))
        msg = (
            f"language: the fonts of static images ({names}) have no glyphs for the "
            f"{' and '.join(scripts)} letters {letters}; install a font that has them, "
            f"e.g. {FONT_PACKAGES}, and list its file in the theme's fonts: static:"
        )
        raise InputError(msg)
