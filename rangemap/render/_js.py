"""The package's own browser scripts (``rangemap/render/js/*.js``), read for inlining.

What this module owns:

- :func:`script`: the text of one script of ``rangemap/render/js/`` by its plain file
  name, read once per process and cached. These files are rangemap's own code (the
  geodesics, the ring construction and the interactive map of ``--interactive`` pages);
  third-party libraries such as Leaflet still come from installed packages
  (:mod:`rangemap.render._page`).

A script is inlined into a ``<script>`` element whose hash the page's
Content-Security-Policy lists, so a text that could close that element early
(``</script``, in any case) is refused, as is a name that is not a plain file name of
that folder.
"""

from __future__ import annotations

import functools
import re
from pathlib import Path

from rangemap import escaping
from rangemap.errors import RangemapError

__all__ = ["JS_DIR", "script"]

#: The folder of the package's browser scripts.
JS_DIR = Path(__file__).resolve().parent / "js"

_PLAIN_NAME = re.compile(r"[A-Za-z0-9_][A-Za-z0-9_.-]*\.js")


@functools.cache
def script(name: str) -> str:
    """Return the text of the package's browser script ``name``, ready to inline.

    Parameters
    ----------
    name : str
        A plain file name in ``rangemap/render/js/``, such as ``"geodesic.js"``; no
        folder part.

    Returns
    -------
    str
        The script's text (UTF-8), ending with a newline.

    Raises
    ------
    RangemapError
        When ``name`` is not a plain ``.js`` file name, names no script of the package,
        or the text contains ``</script`` (which would end the inline element early).

    Examples
    --------
    >>> from rangemap.render._js import script
    >>> text = script("geodesic.js")
    >>> "rangemap.geodesic" in text
    True
    >>> script("../_page.py")
    Traceback (most recent call last):
    ...
    rangemap.errors.RangemapError: script name '../_page.py' is not a plain .js file name ...
    """
    if not isinstance(name, str) or not _PLAIN_NAME.fullmatch(name) or ".." in name:
        msg = (
            f"script name {escaping.quote(name)} is not a plain .js file name of "
            "rangemap/render/js/"
        )
        raise RangemapError(msg)
    path = JS_DIR / name
    if not path.is_file():
        msg = (
            f"no script {escaping.quote(name)} in rangemap/render/js/; the installed "
            "package is incomplete, reinstall rangemap"
        )
        raise RangemapError(msg)
    text = path.read_text(encoding="utf-8")
    if "</script" in text.lower():
        msg = (
            f"script {escaping.quote(name)} contains '</script', which would end its inline "
            "<script> element early; write it as '<\\/script' in the script"
        )
        raise RangemapError(msg)
    return text if text.endswith("\n") else text + "\n"
