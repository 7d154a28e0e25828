# Mis-encoded text and rare letters are what this module describes.
# ruff: noqa: RUF002
"""Name normalisation: the one rule that decides when two place names are the same.

A name is decomposed (Unicode NFKD), case-folded, and stripped of diacritics
(combining marks), punctuation and spaces, so ``"Kyiv"``, ``"KYIV"`` and
``"Kýiv"`` match, as do ``"Kryvyi Rih"`` and ``"Kryvyi-Rih"``; Latin letters NFKD
keeps whole are folded too (``"Łódź"`` matches ``"Lodz"``), and ``"Київ"`` stays
Cyrillic. Letters, digits and spacing vowel signs of any script are kept.
The bundled name index is built with the same rule (``scripts/build_gazetteer.py``).

It also owns two judgements on a name's text: whether an alternate name is a name
people use at all (:func:`is_usable_name`: not an airport code, a number or an
address) and whether typed text is mis-encoded (:func:`mojibake`: UTF-8 read as
Latin-1 or Windows-1252, as in ``"KÃ¶ln"``).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence

__all__ = ["is_usable_name", "mojibake", "normalize_name", "normalize_names"]

# Latin letters with a stroke or ligatures, which NFKD does not decompose (after casefold).
_LETTERS = {
    "\u0142": "l",  # l with stroke
    "\u00f8": "o",  # o with stroke
    "\u0111": "d",  # d with stroke
    "\u00f0": "d",  # eth
    "\u00fe": "th",  # thorn
    "\u00e6": "ae",  # ae
    "\u0153": "oe",  # ligature oe
    "\u0131": "i",  # dotless i
    "\u0127": "h",  # h with stroke
    "\u0167": "t",  # t with stroke
}

# Code points decided so far, and the translate table deleting or folding them.
# The line break is never in the table: normalize_names() splits on it.
_DECIDED: set[str] = {"\n"}
_TABLE: dict[int, str | None] = {}


def _decide(chars: set[str]) -> None:
    for ch in chars - _DECIDED:
        keep = (ch.isalnum() or unicodedata.category(ch).startswith("M")) and (
            unicodedata.combining(ch) == 0
        )
        if ch in _LETTERS:
            _TABLE[ord(ch)] = _LETTERS[ch]
        elif not keep:
            _TABLE[ord(ch)] = None
        _DECIDED.add(ch)


def normalize_name(name: str) -> str:
    """Return the form of a place name used for exact matching.

    Parameters
    ----------
    name : str
        A place name in any script.

    Returns
    -------
    str
        The name decomposed (NFKD), case-folded, without diacritics, punctuation
        or spaces.

    Examples
    --------
    >>> normalize_name("Kryvyi Rih")
    'kryvyirih'
    >>> normalize_name("Kam'yanske") == normalize_name("Kamyanske")
    True
    >>> normalize_name("Łódź")
    'lodz'
    >>> normalize_name("Київ")  # Cyrillic stays Cyrillic; the diaeresis goes
    'киів'
    """
    folded = unicodedata.normalize("NFKD", name).casefold()
    _decide(set(folded))
    return folded.translate(_TABLE).replace("\n", "")


def normalize_names(names: Sequence[str]) -> list[str]:
    """Normalise many names at once; same result as :func:`normalize_name` on each.

    Parameters
    ----------
    names : sequence of str
        Place names, none containing a line break.

    Returns
    -------
    list of str
        The normalised names, in order.
    """
    if not names:
        return []
    # NFKD, case folding and deletion never cross a line break, so one pass over
    # the joined text equals one pass per name, and is several times faster.
    folded = unicodedata.normalize("NFKD", "\n".join(names)).casefold()
    _decide(set(folded) - {"\n"})
    return folded.translate(_TABLE).split("\n")


# Airport and other codes (IATA "IEV", ICAO "UKKK"), numbers, and web addresses.
_CODE = re.compile(r"[A-Z]{2,4}")
_ADDRESS = re.compile(r"://|^www\.|\.(com|org|net|gov)\b", re.IGNORECASE)


def is_usable_name(name: str) -> bool:
    """Tell whether an alternate name is a name people use for a place.

    GeoNames' alternate names include airport codes (``"IEV"``, ``"UKKK"``), postal
    and other numbers and web addresses; matching typed text against them would
    read ``"nan"`` or ``"abc"`` as a city. Those are not names: all-uppercase ASCII
    codes of 2 to 4 letters, text with a digit, and addresses.

    Parameters
    ----------
    name : str
        An alternate name as GeoNames spells it (case matters: ``"Ufa"`` is a name,
        ``"UFA"`` is the airport's code).

    Returns
    -------
    bool

    Examples
    --------
    >>> is_usable_name("Kiev"), is_usable_name("IEV"), is_usable_name("UKKK")
    (True, False, False)
    >>> is_usable_name("Київ"), is_usable_name("https://kyivcity.gov.ua")
    (True, False)
    """
    return not (_CODE.fullmatch(name) or any(ch.isdigit() for ch in name) or _ADDRESS.search(name))


# Where ftfy finds UTF-8 that was decoded with one of these, the text is mojibake.
_MISREAD_AS = frozenset({"latin-1", "windows-1252", "sloppy-windows-1252"})


def mojibake(text: str) -> str | None:
    """Return what mis-encoded text probably meant, or ``None`` if it looks right.

    Text saved as UTF-8 and read as Latin-1 or Windows-1252 turns ``"Köln"`` into
    ``"KÃ¶ln"`` and ``"Київ"`` into ``"ÐšÐ¸Ñ—Ð²"``. ftfy (:func:`ftfy.fix_encoding_and_explain`)
    finds such text by its tell-tale character sequences; only a repair that
    re-encodes as Latin-1/Windows-1252 and decodes as UTF-8 counts, so names in
    other alphabets and with rare letters (``"Łódź"``, ``"Ağrı"``, ``"Orël"``) pass.

    Parameters
    ----------
    text : str
        Typed or read text.

    Returns
    -------
    str or None
        The repaired text, or ``None`` when the text is not mis-encoded.

    Examples
    --------
    >>> mojibake("KÃ¶ln")
    'Köln'
    >>> mojibake("ÐšÐ¸Ñ—Ð²")
    'Київ'
    >>> mojibake("Łódź") is None, mojibake("北京") is None
    (True, True)
    """
    if text.isascii():
        return None
    import ftfy  # imported on first use of non-ASCII text

    fixed, explained = ftfy.fix_encoding_and_explain(text)
    steps = explained or []
    misread = len(steps) >= 2 and steps[0][0] == "encode" and steps[0][1] in _MISREAD_AS
    if misread and steps[1] == ("decode", "utf-8") and fixed != text:
        return fixed
    return None
