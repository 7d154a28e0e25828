"""Name normalisation: the one rule that decides when two place names are the same.

A name is decomposed (Unicode NFKD), case-folded, and stripped of diacritics
(combining marks), punctuation and spaces, so ``"Kyiv"``, ``"KYIV"`` and
``"Kýiv"`` match, as do ``"Kryvyi Rih"`` and ``"Kryvyi-Rih"``; Latin letters NFKD
keeps whole are folded too (``"Łódź"`` matches ``"Lodz"``), and ``"Київ"`` stays
Cyrillic. Letters, digits and spacing vowel signs of any script are kept.
The bundled name index is built with the same rule (``scripts/build_gazetteer.py``).
"""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence

__all__ = ["normalize_name", "normalize_names"]

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
