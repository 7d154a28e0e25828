"""Escaping: the one path by which text from specs, recipes, files and users reaches output.

Text is data, never code. Every string that rangemap did not write itself passes
through this module on its way into a page, an image, a file or a terminal, with one
function per context:

=====================  =========================================================
context                function
=====================  =========================================================
any output             :func:`clean` (control and bidi-override characters out),
                       :func:`clean_data` for JSON-like data (GeoJSON properties)
HTML text              :func:`html_text`
HTML attribute         :func:`html_attr`
link target (href)     :func:`href`, and :func:`display_host` for its visible host
JSON inside a script   :func:`script_json`
XML (SVG, KML)         :func:`xml_text`
terminal               :func:`terminal`, and :func:`quote` for values in messages
CSV cell               :func:`csv_cell`
=====================  =========================================================

:func:`check_url` is the rule a source address must pass to be stored at all.
"""

from __future__ import annotations

import html
import json
import re
import unicodedata
from typing import Any
from urllib.parse import urlsplit

__all__ = [
    "UNCLEAN",
    "character_name",
    "check_url",
    "clean",
    "clean_data",
    "csv_cell",
    "display_host",
    "href",
    "html_attr",
    "html_text",
    "quote",
    "script_json",
    "terminal",
    "xml_text",
]

#: Characters that break a line or a cell: shown as one space.
_SPACES = "\t\n\v\f\r\x1c\x1d\x1e\x85\u2028\u2029"
# Removed: the other C0 and C1 controls (ESC, BEL, NUL, CSI ...), DEL, the bidi
# embeddings, overrides and isolates (U+202A-U+202E, U+2066-U+2069), which make text
# read differently from how it is stored, the byte-order mark and the two
# non-characters XML refuses. Lone surrogates (undecodable bytes) become U+FFFD.
_STRIP: dict[int, int | str | None] = {
    **dict.fromkeys(
        [
            *range(0x00, 0x20),
            0x7F,
            *range(0x80, 0xA0),
            *range(0x202A, 0x202F),
            *range(0x2066, 0x206A),
            0xFEFF,
            0xFFFE,
            0xFFFF,
        ],
        None,
    ),
    **{ord(ch): " " for ch in _SPACES},
    **dict.fromkeys(range(0xD800, 0xE000), "\ufffd"),
}


#: One character :func:`clean` changes (other than by normalisation): what spec text may
#: not hold.
UNCLEAN = re.compile(
    "[\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069\ufeff\ufffe\uffff\ud800-\udfff]"
)
_CHARACTER_NAMES = {
    0x00: "NUL", 0x07: "BEL", 0x08: "backspace", 0x09: "tab", 0x0A: "line break",
    0x0B: "vertical tab", 0x0C: "form feed", 0x0D: "carriage return", 0x1B: "ESC",
    0x7F: "DEL", 0x85: "next line", 0x9B: "CSI", 0xFEFF: "byte-order mark",
}  # fmt: skip


def character_name(char: str) -> str:
    r"""Name a character for a message: its code point and what it is.

    Examples
    --------
    >>> character_name("\x1b"), character_name("\u202e")
    ('U+001B (ESC)', 'U+202E (right-to-left override)')
    """
    code = ord(char)
    name = _CHARACTER_NAMES.get(code) or unicodedata.name(char, "").lower()
    if not name:
        if 0xD800 <= code < 0xE000:
            name = "lone surrogate"
        elif code in (0xFFFE, 0xFFFF):
            name = "non-character"
        else:
            name = "control character"
    return f"U+{code:04X} ({name})"


def clean(text: object) -> str:
    r"""Return ``text`` as a string fit for any output.

    Line breaks, tabs and other separators become a space; other control characters
    (NUL, ESC, BEL, C1 controls), bidirectional embeddings, overrides and isolates and
    the byte-order mark are removed; undecodable bytes become U+FFFD. The result is in
    Unicode normalisation form NFC.

    Examples
    --------
    >>> clean("Kyiv\u202e")
    'Kyiv'
    >>> clean("Kharkiv\voblast\x1b]52;c;ZXZpbA==\x07")
    'Kharkiv oblast]52;c;ZXZpbA=='
    """
    return unicodedata.normalize("NFC", str(text).translate(_STRIP))


def html_text(text: object) -> str:
    """Escape a value for HTML text between tags.

    Besides ``& < > " '``, the backtick and ``$`` are escaped, so the result is also
    inert inside a JavaScript template literal; braces are escaped so no template
    engine can read the result as its own syntax.

    Examples
    --------
    >>> html_text("Sumy <script>alert(1)</script>")
    'Sumy &lt;script&gt;alert(1)&lt;/script&gt;'
    >>> html_text("{{ 7*7 }} ${document.cookie}")
    '&#123;&#123; 7*7 &#125;&#125; &#36;&#123;document.cookie&#125;'
    """
    text_ = html.escape(clean(text), quote=True)
    for char, entity in (("`", "&#96;"), ("$", "&#36;"), ("{", "&#123;"), ("}", "&#125;")):
        text_ = text_.replace(char, entity)
    return text_


def html_attr(text: object) -> str:
    """Escape a value for a double- or single-quoted HTML attribute.

    Examples
    --------
    >>> html_attr('Kyiv" onmouseover="alert(1)')
    'Kyiv&quot; onmouseover=&quot;alert(1)'
    """
    return html_text(text)


def script_json(value: Any) -> str:
    r"""Return JSON to place inside a ``<script>`` block.

    Strings are cleaned (:func:`clean`), and ``< > & ' ` $ { }`` and the line
    separators are written as ``\uXXXX`` escapes, so nothing in the data can close the
    script, open a comment or look like template syntax.

    Examples
    --------
    >>> script_json({"label": "</script><script>alert(1)</script>"})
    '{"label":"\\u003c/script\\u003e\\u003cscript\\u003ealert(1)\\u003c/script\\u003e"}'
    """
    text = json.dumps(clean_data(value), ensure_ascii=False, separators=(",", ":"))
    return _JSON_STRING.sub(_escape_json_string, text)


_JSON_STRING = re.compile(r'"(?:[^"\\]|\\.)*"')
_IN_SCRIPT = str.maketrans({char: f"\\u{ord(char):04x}" for char in "<>&'`${}\u2028\u2029"})


def _escape_json_string(match: re.Match[str]) -> str:
    return match.group(0).translate(_IN_SCRIPT)


def clean_data(value: Any) -> Any:
    """Return JSON-like data (dicts, lists, strings, numbers) with every string cleaned.

    Examples
    --------
    >>> clean_data({"name": "Kursk\u202e", "population": 448733})
    {'name': 'Kursk', 'population': 448733}
    """
    if isinstance(value, str):
        return clean(value)
    if isinstance(value, dict):
        return {clean(k): clean_data(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [clean_data(v) for v in value]
    return value


def xml_text(text: object) -> str:
    r"""Escape a value for XML text or a quoted XML attribute (SVG, KML).

    Examples
    --------
    >>> xml_text("Kursk & Belgorod <region>\x00")
    'Kursk &amp; Belgorod &lt;region&gt;'
    """
    return html.escape(clean(text), quote=True)


def terminal(text: object) -> str:
    r"""Return a value safe to print on a terminal: no escape sequences, one line.

    Unlike :func:`clean`, the text is not normalised, so a file name printed is the
    file name on disk (a name stored decomposed stays decomposed).

    Examples
    --------
    >>> terminal("ATACMS\x1b[2J\x1b]52;c;cm0gLXJm\x07")
    'ATACMS[2J]52;c;cm0gLXJm'
    """
    return str(text).translate(_STRIP)


def quote(value: object, *, limit: int = 200) -> str:
    """Quote a value for an error message: terminal-safe and at most about ``limit`` characters.

    Examples
    --------
    >>> quote("Kyiv")
    "'Kyiv'"
    >>> quote("x" * 100_000, limit=10)
    "'xxxxxxxxxx…' (100,000 characters)"
    """
    text = terminal(value) if isinstance(value, str) else terminal(repr(value))
    if isinstance(value, str):
        shown = text[:limit]
        more = len(text) > limit
        body = repr(shown + ("\u2026" if more else ""))
        return f"{body} ({len(text):,} characters)" if more else body
    return text if len(text) <= limit else text[:limit] + "\u2026"


def csv_cell(text: object) -> str:
    r"""Return text for a CSV cell that no spreadsheet runs as a formula (the OWASP rule).

    Examples
    --------
    >>> print(csv_cell('=HYPERLINK("http://example.com","Kyiv")'))
    '=HYPERLINK("http://example.com","Kyiv")
    >>> csv_cell("Kharkiv")
    'Kharkiv'
    """
    raw = str(text)
    value = clean(raw)
    if raw[:1] in ("\t", "\r") or value[:1] in ("=", "+", "-", "@"):
        return "'" + value
    return value


# --- addresses ------------------------------------------------------------------------------

_LABEL = re.compile(r"^(?!-)[a-z0-9-]{1,63}(?<!-)$")


def check_url(url: str) -> str:
    r"""Return the reason ``url`` may not be a source link, or ``""`` if it may.

    A source link is an absolute ``http``/``https`` address with a real host name
    (labels of letters, digits and hyphens, a top-level domain; international names
    allowed), no user name or password (``user@``), no backslash, and no spaces or
    control characters.

    Examples
    --------
    >>> check_url("https://www.reuters.com/world/")
    ''
    >>> check_url("https://evil.example\\@www.reuters.com/world/")
    'a backslash is not allowed in a link'
    >>> check_url("https://user@www.reuters.com/")
    'a user name (user@) is not allowed in a link'
    """
    text = str(url)
    if text != clean(text) or any(ch.isspace() for ch in text):
        return "spaces and control characters are not allowed in a link"
    if "\\" in text:
        return "a backslash is not allowed in a link"
    try:
        parts = urlsplit(text)
        port = parts.port
    except ValueError as err:
        return f"not a valid address ({err})"
    del port
    if parts.scheme.lower() not in ("http", "https"):
        return "a link must start with https:// or http://"
    if "@" in parts.netloc:
        return "a user name (user@) is not allowed in a link"
    host = (parts.hostname or "").rstrip(".")
    if not host:
        return "a link needs a host name, such as www.reuters.com"
    ascii_host = _ascii_host(host)
    labels = ascii_host.split(".") if ascii_host else []
    if len(labels) < 2 or not all(_LABEL.match(label) for label in labels):
        return f"{quote(host)} is not a host name, such as www.reuters.com"
    if labels[-1].isdigit():
        return "a link needs a host name, not an IP address"
    return ""


def _ascii_host(host: str) -> str:
    """Return the host in ASCII (punycode where needed), or ``""`` if it cannot be."""
    try:
        return host.encode("idna").decode("ascii").lower()
    except UnicodeError:
        return ""


def href(url: object) -> str | None:
    """Return an address escaped for an ``href``, or ``None`` if it must not become a link.

    Examples
    --------
    >>> href("https://kyivindependent.com/a?b=1&c=2")
    'https://kyivindependent.com/a?b=1&amp;c=2'
    >>> href("javascript:alert(1)") is None
    True
    """
    text = str(url)
    if check_url(text):
        return None
    return html.escape(text, quote=True)


def _script(char: str) -> str:
    name = unicodedata.name(char, "")
    first = name.split(" ", 1)[0]
    if first in ("CJK", "HIRAGANA", "KATAKANA"):
        return "JAPANESE-CHINESE"
    return first


def display_host(url: object) -> str:
    r"""Return the host of a link as a browser's address bar would show it.

    The leading ``www.`` is dropped. A name in one script is shown as written; a
    label that mixes scripts, or a non-Latin label under a Latin top-level domain
    (a look-alike of "reuters.com" with Cyrillic letters), is shown in its punycode
    (``xn--``) form, as Chromium does, so a look-alike never passes for the original.

    Examples
    --------
    >>> display_host("https://www.reuters.com/world/europe/")
    'reuters.com'
    >>> display_host("https://\u0440\u0435uters.com/world/")
    'xn--uters-ywe0f.com'
    >>> display_host("https://\u043f\u0440\u0435\u0437\u0438\u0434\u0435\u043d\u0442.\u0440\u0444/")
    'президент.рф'
    """
    try:
        host = (urlsplit(str(url)).hostname or "").rstrip(".")
    except ValueError:
        return ""
    host = clean(host).lower()
    labels = host.split(".")
    tld_scripts = {_script(c) for c in labels[-1] if c.isalpha()}
    suspicious = False
    for label in labels:
        scripts = {_script(c) for c in label if c.isalpha()}
        foreign = bool(scripts) and scripts != {"LATIN"} and tld_scripts == {"LATIN"}
        if len(scripts) > 1 or foreign:
            suspicious = True
    shown = _ascii_host(host) or host if suspicious else host
    return shown.removeprefix("www.")
