"""How names are compared: case, spaces, hyphens and other punctuation do not count.

``"MGM-140"``, ``"mgm 140"`` and ``"MGM140"`` are the same name to the catalog, so a
reader may type a system's name the way any source spells it.
"""

from __future__ import annotations

import unicodedata

__all__ = ["normalise"]


def normalise(name: str) -> str:
    """Reduce a name to the letters and digits that identify it, in lower case.

    Parameters
    ----------
    name : str
        A system or variant name, id, alias or designation.

    Returns
    -------
    str
        The name in Unicode NFKC form, case-folded, with everything that is not a
        letter or a digit removed.

    Examples
    --------
    >>> normalise("MGM-140")
    'mgm140'
    >>> normalise("Storm Shadow / SCALP-EG")
    'stormshadowscalpeg'
    >>> normalise("Kh-101") == normalise("KH 101")
    True
    """
    folded = unicodedata.normalize("NFKC", name).casefold()
    return "".join(ch for ch in folded if ch.isalnum())
