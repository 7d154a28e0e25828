"""The HTML page around a folium map: one autoescaped template and its Content-Security-Policy.

This module owns how a page is put together. folium draws the map's shapes from
numbers only; its output (styles, the map ``div`` and the map script) is taken as
it is, and everything else comes from the page template below, compiled once, to
which text is passed as values (autoescaped) or as fragments already built with
:mod:`rangemap.escaping`. Nothing rendered is compiled as a template again.

Leaflet and Leaflet.GestureHandling are inlined from their installed XStatic packages
(:func:`leaflet_assets`, :func:`gesture_assets`).

Every page carries a ``Content-Security-Policy`` ``<meta>`` that allows only the
page's own inline scripts and styles, by their SHA-256 hashes, and ``data:`` images
(plus the tile host when the map uses web tiles). Anything that slipped past the
escaping could not run: the browser refuses scripts, styles and loads the page did
not declare.
"""

from __future__ import annotations

import base64
import functools
import hashlib
import re
from pathlib import Path
from typing import TYPE_CHECKING, Any

import jinja2
from markupsafe import Markup

from rangemap.errors import RangemapError
from rangemap.escaping import html_attr, html_text, script_json
from rangemap.render._panels import MAP_SCRIPT

if TYPE_CHECKING:
    from collections.abc import Sequence

    import folium

__all__ = ["assemble_page", "content_security_policy", "gesture_assets", "leaflet_assets"]

_ENV = jinja2.Environment(autoescape=True, undefined=jinja2.StrictUndefined)
_PAGE = _ENV.from_string(
    """<!DOCTYPE html>
<html lang="{{ lang }}" dir="{{ direction }}">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="{{ csp }}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{ title }}</title>
{% for style in styles %}<style>{{ style }}</style>
{% endfor %}{% for script in head_scripts %}<script>{{ script }}</script>
{% endfor %}</head>
<body>
<main class="rm-main">
{{ header }}
{{ map_html }}
{{ footer }}
</main>
<script type="application/json" id="rm-data">{{ data }}</script>
{% for script in scripts %}<script>{{ script }}</script>
{% endfor %}</body>
</html>
"""
)

_BLOCK = re.compile(r"<(script|style)>(.*?)</\1>", re.DOTALL)


@functools.cache
def leaflet_assets() -> tuple[str, str]:
    """Leaflet's JavaScript and CSS from the installed ``XStatic-Leaflet`` package.

    The source-map comment is removed and the CSS images become ``data:`` URIs, so
    the page asks for nothing.

    Returns
    -------
    tuple of str
        ``(javascript, css)``.
    """
    from xstatic.pkg import leaflet

    data = Path(leaflet.BASE_DIR)

    def inline(match: re.Match[str]) -> str:
        png = (data / "images" / match.group(1)).read_bytes()
        return f'url("data:image/png;base64,{base64.b64encode(png).decode("ascii")}")'

    js, css = _package_files(data, "leaflet.js", "leaflet.css", "XStatic-Leaflet")
    css = re.sub(r"url\(images/([\w.-]+\.png)\)", inline, css)
    return js, css


@functools.cache
def gesture_assets() -> tuple[str, str]:
    """Leaflet.GestureHandling's JavaScript and CSS from ``XStatic-Leaflet-GestureHandling``.

    The plugin keeps a map in an article from catching the mouse wheel and one-finger
    drags: Ctrl (or Cmd) + wheel or two fingers move it, and a hint says so. Its
    source-map comment is removed, so the page asks for nothing.

    Returns
    -------
    tuple of str
        ``(javascript, css)``.
    """
    from xstatic.pkg import leaflet_gesturehandling

    package = "XStatic-Leaflet-GestureHandling"
    js, css = _package_files(
        Path(leaflet_gesturehandling.BASE_DIR),
        "leaflet-gesture-handling.min.js",
        "leaflet-gesture-handling.min.css",
        package,
    )
    if "url(" in css:  # pragma: no cover - packaging: it would fetch something
        msg = f"the installed {package} files cannot be inlined; reinstall {package}"
        raise RangemapError(msg)
    return js, css


def _package_files(data: Path, js_name: str, css_name: str, package: str) -> tuple[str, str]:
    """Read a package's JavaScript and CSS for inlining, without its source-map comment.

    Refuses files that could not sit inside ``<script>`` or ``<style>``.
    """
    js = (data / js_name).read_text(encoding="utf-8")
    js = re.sub(r"//# sourceMappingURL=\S*\s*$", "", js).rstrip() + "\n"
    css = (data / css_name).read_text(encoding="utf-8")
    if "</script" in js.lower() or "</style" in css.lower():
        msg = f"the installed {package} files cannot be inlined; reinstall {package}"
        raise RangemapError(msg)  # pragma: no cover - packaging
    return js, css


def _sha256(text: str) -> str:
    digest = hashlib.sha256(text.encode("utf-8")).digest()
    return f"'sha256-{base64.b64encode(digest).decode('ascii')}'"


def content_security_policy(
    scripts: list[str],
    styles: list[str],
    img_sources: list[str] = (),  # type: ignore[assignment]
) -> str:
    """Return a policy that allows exactly these inline scripts and styles, and data images.

    Parameters
    ----------
    scripts, styles : list of str
        The text of every inline ``<script>`` and ``<style>`` block of the page.
    img_sources : list of str, optional
        Extra image sources, such as ``"https://tile.openstreetmap.org"``.

    Returns
    -------
    str
        The value of the ``Content-Security-Policy`` ``<meta>`` element.

    Examples
    --------
    >>> content_security_policy(["var kyiv = 1;"], [])
    "default-src 'none'; script-src 'sha256-...'; style-src 'none'; img-src data:; base-uri 'none'; form-action 'none'"
    """  # noqa: E501
    script_src = " ".join(dict.fromkeys(_sha256(s) for s in scripts)) or "'none'"
    style_src = " ".join(dict.fromkeys(_sha256(s) for s in styles)) or "'none'"
    img_src = " ".join(["data:", *img_sources])
    return (
        f"default-src 'none'; script-src {script_src}; style-src {style_src}; "
        f"img-src {img_src}; base-uri 'none'; form-action 'none'"
    )


def assemble_page(
    fmap: folium.Map,
    *,
    title: str,
    css: str,
    header: str,
    footer: str,
    data: dict[str, Any],
    img_sources: list[str],
    lang: str = "en",
    direction: str = "ltr",
    head_code: Sequence[str] = (),
    map_label: str | None = None,
    scripts: Sequence[str] = (),
) -> str:
    """Return the whole page for a folium map.

    Parameters
    ----------
    fmap : folium.Map
        The map, with no text from outside rangemap in any of its elements.
    title : str
        The page title (plain text; escaped here).
    css : str
        rangemap's style sheet (no outside text).
    header, footer : str
        HTML built with :mod:`rangemap.escaping`.
    data : dict
        Read by the page script (:data:`~rangemap.render._panels.MAP_SCRIPT`); written
        as JSON safe inside a ``<script>`` block (:func:`~rangemap.escaping.script_json`).
    img_sources : list of str
        Image hosts beside ``data:`` (web tiles).
    lang, direction : str, optional
        The page's language code and writing direction (``"ltr"`` or ``"rtl"``).
    head_code : sequence of str, optional
        rangemap's own scripts that run after Leaflet and before the map is made (the
        long-range projection); code, never template source or outside text.
    map_label : str, optional
        The map's accessible name (plain text; escaped here): the map becomes a
        ``figure`` described by the header's summary
        (:data:`rangemap.render.describe.DESCRIPTION_ID`).
    scripts : sequence of str, optional
        rangemap's own scripts that run after the page script, in order (the
        interactive page's); code, never template source or outside text. Each is
        hashed into the policy like every other.

    Returns
    -------
    str
        The page.
    """
    import branca.element

    root = fmap.get_root()
    assert isinstance(root, branca.element.Figure)
    for child in root._children.values():
        child.render()
    folium_head = root.header.render()
    map_html = root.html.render()
    if map_label is not None:
        from rangemap.render.describe import DESCRIPTION_ID

        named = (
            f'<div class="folium-map" role="figure" aria-label="{html_attr(map_label)}" '
            f'aria-describedby="{DESCRIPTION_ID}"'
        )
        map_html = map_html.replace('<div class="folium-map"', named, 1)
    map_script = root.script.render()
    leaflet_js, leaflet_css = leaflet_assets()
    gesture_js, gesture_css = gesture_assets()
    blocks = _BLOCK.findall(folium_head)
    styles = [
        leaflet_css,
        gesture_css,
        *(body for tag, body in blocks if tag == "style" and body),
        css,
    ]
    head_scripts = [
        leaflet_js,
        gesture_js,
        *head_code,
        *(body for tag, body in blocks if tag == "script" and body),
    ]
    body_scripts = [map_script, MAP_SCRIPT, *scripts]
    for text in [*styles, *head_scripts, *body_scripts]:
        if re.search(r"</(?:script|style)", text, re.IGNORECASE):  # pragma: no cover
            msg = "internal: a script or style of the page would end early; please report this"
            raise RangemapError(msg)
    csp = content_security_policy([*head_scripts, *body_scripts], styles, img_sources)
    # Markup: the policy (hashes only), rangemap's and Leaflet's own code, folium's map
    # (numbers only), fragments built with rangemap.escaping and the escaped title.
    return _PAGE.render(
        lang=lang,
        direction="rtl" if direction == "rtl" else "ltr",
        csp=Markup(csp),
        title=Markup(html_text(title)),
        styles=[Markup(s) for s in styles],
        head_scripts=[Markup(s) for s in head_scripts],
        header=Markup(header),
        map_html=Markup(map_html.strip()),
        footer=Markup(footer),
        data=Markup(script_json(data)),
        scripts=[Markup(s) for s in body_scripts],
    )
