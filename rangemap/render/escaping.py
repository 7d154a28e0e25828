"""Escaping: the one path by which text from specs, recipes and users reaches a page.

This module owns :func:`clean` (control and bidirectional override characters out),
:func:`escape` (HTML text and quoted attributes, also inert in JavaScript template
literals), :func:`safe_url` (links only for ``http``/``https`` addresses) and
:func:`script_json` (data placed inside a ``<script>`` block). Every renderer that
writes HTML uses these and nothing else.
"""

from __future__ import annotations

import html
import json
import unicodedata
from typing import Any
from urllib.parse import urlsplit

__all__ = ["clean", "escape", "safe_url", "script_json"]

# Bidirectional overrides, embeddings and isolates (U+202A-U+202E, U+2066-U+2069) can
# make text read differently from how it is stored; other control characters have no
# business in a label. Both are removed before escaping.
_STRIP = dict.fromkeys(
    [
        *range(0x00, 0x09),
        0x0B,
        0x0C,
        *range(0x0E, 0x20),
        0x7F,
        *range(0x202A, 0x202F),
        *range(0x2066, 0x206A),
    ],
    None,
)


def clean(text: object) -> str:
    r"""Return ``text`` as a string without control or bidirectional override characters.

    Examples
    --------
    >>> clean("Kyiv\u202e")
    'Kyiv'
    """
    return unicodedata.normalize("NFC", str(text)).translate(_STRIP)


def escape(text: object) -> str:
    """Escape any value for HTML text or a quoted attribute: the one way data reaches a page.

    Besides ``& < > " '``, the backtick and ``$`` are escaped, so an escaped string is
    also inert inside a JavaScript template literal, and control and bidirectional
    override characters are removed.

    Parameters
    ----------
    text : object
        Converted with :func:`str` first.

    Returns
    -------
    str
        Safe to place between tags or inside a double- or single-quoted attribute.

    Examples
    --------
    >>> escape("Sumy <script>alert(1)</script>")
    'Sumy &lt;script&gt;alert(1)&lt;/script&gt;'
    >>> escape("${document.cookie} `x`")
    '&#36;{document.cookie} &#96;x&#96;'
    """
    return html.escape(clean(text), quote=True).replace("`", "&#96;").replace("$", "&#36;")


def safe_url(url: object) -> str | None:
    """Return an ``http``/``https`` address escaped for an ``href``, or ``None``.

    Parameters
    ----------
    url : object
        Anything; only absolute http(s) URLs with a host and no spaces or control
        characters are kept.

    Returns
    -------
    str or None
        The escaped address, or ``None`` if it must not become a link.

    Examples
    --------
    >>> safe_url("https://kyivindependent.com/a?b=1&c=2")
    'https://kyivindependent.com/a?b=1&amp;c=2'
    >>> safe_url("javascript:alert(1)") is None
    True
    """
    text = str(url)
    if text != clean(text) or any(ch.isspace() for ch in text):
        return None
    try:
        parts = urlsplit(text)
    except ValueError:
        return None
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        return None
    return escape(text)


def script_json(value: Any) -> str:
    """Return JSON for a ``<script>`` block: no ``< > & ' ` $`` or line separators."""
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    for char in "<>&'`$":
        text = text.replace(char, f"\\u{ord(char):04x}")
    return text.replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")
