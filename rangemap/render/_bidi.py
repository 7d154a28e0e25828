"""Hebrew and Arabic in static images: the text matplotlib lays out, in reading order.

What this module owns:

- **The direction of the image being drawn** (:data:`RIGHT_TO_LEFT`, set by
  :func:`rangemap.render.static.render_static` for a map whose words are Hebrew or
  Arabic, :attr:`rangemap.words.Words.direction`). Text blocks of such a map are
  right-aligned (:func:`right_to_left`); a left-to-right map is drawn as before,
  byte for byte.
- :func:`laid_out`: the text stays in reading (logical) order and matplotlib lays it out:
  since 3.11 it shapes and orders text with libraqm (the Unicode bidirectional
  algorithm, Arabic joining, mirrored brackets in right-to-left runs), and an SVG keeps
  its text as text, which the browser or editor showing it lays out the same way. This
  module only says what the HTML map says with markup: number ranges and source
  references are isolated left to right (``165-300 km``, ``[1-8]``, the page's
  ``dir="ltr"``); every paragraph (one text of the figure, wrapped into lines) takes
  the direction of its first strong letter, as ``dir="auto"`` (Unicode rules P2 and
  P3: an English title or credit reads left to right, its full stop on the right),
  and the image's direction when it has none; and every line is wrapped in an isolate
  of that direction (RIGHT-TO-LEFT ISOLATE or LEFT-TO-RIGHT ISOLATE ... POP DIRECTIONAL
  ISOLATE), with the isolates a wrapped line breaks closed at its end and opened again
  on the next line, so each line is laid out as a part of its paragraph.
- :func:`prepare`: every text of a figure laid out (:func:`laid_out`), drawn as
  outlines in a PDF (matplotlib 3.11's PDF writer moves the glyph after an invisible
  direction character by a space's width), and :func:`missing_letters`, which refuses
  an image whose fonts have no Hebrew or Arabic letters (an
  :class:`~rangemap.errors.InputError` naming a font to install) instead of drawing
  empty boxes.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any, Literal

from rangemap import escaping
from rangemap.errors import InputError

__all__ = [
    "FONT_PACKAGES",
    "FSI",
    "LRI",
    "PDI",
    "RIGHT_TO_LEFT",
    "RLI",
    "auto",
    "clean",
    "direction",
    "isolate_runs",
    "laid_out",
    "missing_letters",
    "paragraph_direction",
    "prepare",
    "right_to_left",
]

#: Whether the image being drawn is right to left (set by :func:`direction`).
RIGHT_TO_LEFT: ContextVar[bool] = ContextVar("rangemap_static_rtl", default=False)

#: Where to get fonts with Hebrew and Arabic letters (named in the error).
FONT_PACKAGES = (
    "DejaVu Sans (Debian/Ubuntu: apt install fonts-dejavu-core) or Noto Sans Hebrew and "
    "Noto Sans Arabic (apt install fonts-noto-core; https://fonts.google.com/noto)"
)

#: LEFT-TO-RIGHT, RIGHT-TO-LEFT and FIRST STRONG ISOLATE, POP DIRECTIONAL ISOLATE.
LRI, RLI, FSI, PDI = "\u2066", "\u2067", "\u2068", "\u2069"
_OPENERS = (LRI, RLI, FSI)

#: A source reference ("[1-8]", "[2, 6, 9]") or a run of numbers joined by an en dash
#: ("165-300"), not yet isolated: kept left to right, as the HTML map's ``dir="ltr"``.
_RUN = re.compile(
    r"\[\d[\d,\u060c\s\u2013]*\]"
    r"|\d[\d.,\u00a0\u202f\u066b\u066c]*(?:\u2013\d[\d.,\u00a0\u202f\u066b\u066c]*)+"
)

Direction = Literal["ltr", "rtl"]

#: The strong bidirectional classes and the direction each gives a paragraph.
_STRONG: dict[str, Direction] = {"L": "ltr", "R": "rtl", "AL": "rtl"}

#: The scripts whose letters a right-to-left map needs (Unicode character name prefixes).
_SCRIPTS = ("HEBREW", "ARABIC")


def right_to_left() -> bool:
    """Whether the image being drawn is right to left (text right-aligned, laid out RTL)."""
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
    Latin names and number ranges decide the order of a right-to-left line; a PDI that
    closes nothing is dropped, so it cannot close the line's own isolate. Embeddings
    and overrides are always removed.

    Examples
    --------
    >>> with direction("rtl"):
    ...     clean("\u2068ATACMS\u2069\u202e: 300\u2069") == "\u2068ATACMS\u2069: 300"
    True
    >>> clean("\u2068ATACMS\u2069")
    'ATACMS'
    """
    if not right_to_left():
        return escaping.clean(text)
    parts = re.split("([\u2066-\u2069])", str(text))
    out: list[str] = []
    depth = 0
    for part in parts:
        if part in _OPENERS:
            depth += 1
        elif part == PDI:
            if not depth:
                continue
            depth -= 1
        else:
            part = escaping.clean(part)
        out.append(part)
    return "".join(out)


def auto(text: str) -> str:
    """Return ``text`` isolated with its own direction, as the HTML map's ``dir="auto"``.

    For text you wrote inside a phrase of a right-to-left image (a credit after the
    date line); in a left-to-right image ``text`` is returned as it is.

    Examples
    --------
    >>> with direction("rtl"):
    ...     auto("Map: rangemap.") == "\u2068Map: rangemap.\u2069"
    True
    """
    return f"{FSI}{text}{PDI}" if right_to_left() and text else text


def isolate_runs(text: str) -> str:
    """Wrap number ranges and source references not yet isolated in LRI ... PDI.

    Examples
    --------
    >>> isolate_runs("[1\u20138]") == "\u2066[1\u20138]\u2069"
    True
    >>> isolate_runs("\u2066165\u2013300\u2069 km") == "\u2066165\u2013300\u2069 km"
    True
    """

    def wrap(match: re.Match[str]) -> str:
        before = text[match.start() - 1] if match.start() else ""
        return match.group(0) if before == LRI else f"{LRI}{match.group(0)}{PDI}"

    return _RUN.sub(wrap, text)


def paragraph_direction(text: str, default: Direction = "ltr") -> Direction:
    """Return the direction of ``text``'s first strong letter, outside isolates (P2, P3).

    Examples
    --------
    >>> paragraph_direction("What ATACMS can reach from Sumy.", "rtl")
    'ltr'
    >>> paragraph_direction("\u2068ATACMS\u2069: 300 \u05e7\u05f4\u05de")
    'rtl'
    >>> paragraph_direction("[1\u20138]", "rtl")
    'rtl'
    """
    depth = 0
    for char in text:
        kind = unicodedata.bidirectional(char)
        if kind in ("LRI", "RLI", "FSI"):
            depth += 1
        elif kind == "PDI":
            depth = max(depth - 1, 0)
        elif not depth and kind in _STRONG:
            return _STRONG[kind]
    return default


def _resolve_first_strong(text: str) -> str:
    """Replace every FSI by LRI or RLI, as its content up to its PDI decides (rule X5c).

    A wrapped line that goes on inside an isolate opens it again with the direction
    of the whole isolate, not of the words left on that line.
    """
    chars = list(text)
    for i, char in enumerate(chars):
        if char != FSI:
            continue
        depth, end = 0, len(chars)
        for j in range(i + 1, len(chars)):
            if chars[j] in _OPENERS:
                depth += 1
            elif chars[j] == PDI:
                if not depth:
                    end = j
                    break
                depth -= 1
        inner = "".join(chars[i + 1 : end])
        chars[i] = LRI if paragraph_direction(inner) == "ltr" else RLI
    return "".join(chars)


def laid_out(text: str) -> str:
    r"""Return ``text`` as matplotlib lays it out in a right-to-left image, line by line.

    The order stays the reading order: number ranges and source references are
    isolated left to right, and each line is wrapped in an isolate of its paragraph's
    direction (the first strong letter's, else right to left), the isolates it breaks
    closed at its end and opened again on the next line.

    Examples
    --------
    >>> sumy = "\u05e1\u05d5\u05de\u05d9"
    >>> laid_out(f"{sumy} [1\u20138]") == f"{RLI}{sumy} {LRI}[1\u20138]{PDI}{PDI}"
    True
    >>> laid_out("From Sumy.\nAnd Kharkiv.") == f"{LRI}From Sumy.{PDI}\n{LRI}And Kharkiv.{PDI}"
    True
    >>> laid_out(f"{sumy} {FSI}ATACMS\nM39{PDI}").split("\n")[1] == f"{RLI}{LRI}M39{PDI}{PDI}"
    True
    """
    text = _resolve_first_strong(isolate_runs(text))
    outer = LRI if paragraph_direction(text, "rtl") == "ltr" else RLI
    lines: list[str] = []
    still_open: list[str] = []
    for line in text.split("\n"):
        opened = "".join(still_open)
        for char in line:
            if char in _OPENERS:
                still_open.append(char)
            elif char == PDI and still_open:
                still_open.pop()
        lines.append(f"{outer}{opened}{line}{PDI * len(still_open)}{PDI}")
    return "\n".join(lines)


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


def prepare(fig: Any, *, outlines: bool = False) -> None:
    """Lay out every text of ``fig`` for a right-to-left map (:func:`laid_out`).

    With ``outlines`` (a PDF), the texts are drawn as glyph outlines: matplotlib 3.11's
    PDF writer places the glyph after an invisible direction character a space's
    width too far left, while its outlines, like its PNG, are laid out right.

    Raises
    ------
    InputError
        If no font the figure draws with has the Hebrew or Arabic letters of its text.
    """
    from matplotlib import patheffects
    from matplotlib.text import Text

    fonts = _font_paths()
    shown = []
    for artist in fig.findobj(Text):
        text = artist.get_text()
        if text:
            artist.set_text(laid_out(text))
            if outlines:
                artist.set_path_effects([patheffects.Normal()])
            shown.append(text)
    missing = missing_letters(shown, [p for _, p in fonts])
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
