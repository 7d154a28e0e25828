"""Page furniture of the HTML map: title, legend, sources, credits, CSS, the page script.

This module owns what surrounds the Leaflet map on the page, all built from escaped
text (:mod:`rangemap.escaping`): the header (title, subtitle, legend with source
numbers, "measured from" origins), the footer (numbered sources, method note, "as of"
date, credit, basemap attribution and, with places, the GeoNames credit), the page CSS
with one class per legend swatch, and :data:`MAP_SCRIPT`, the page's own script, which
places labels and markers on the map from JSON data with ``textContent`` (never parsed
as HTML).
"""

from __future__ import annotations

import datetime as dt
import re
from typing import TYPE_CHECKING, Any

from rangemap.escaping import clean, display_host, href, html_attr, html_text
from rangemap.render._placemarks import credit_html
from rangemap.render._points import legend_items
from rangemap.render.describe import DESCRIPTION_ID, describe_context
from rangemap.theme import LAYER_DASHES, Theme, outline_color
from rangemap.words import Words

if TYPE_CHECKING:
    from rangemap.render._context import Context
    from rangemap.scene import RangeMap

__all__ = [
    "CSS",
    "MAP_SCRIPT",
    "RTL_CSS",
    "bidi_html",
    "foot_html",
    "head_html",
    "swatch_css",
    "theme_css",
]


CSS = """
:root{--ink:#1d1d1b;--muted:#5b5b57;--rule:#dcdcd7;}
html,body{height:auto!important;min-height:100%;}
body{display:flex;flex-direction:column;min-height:100vh;background:#fff;color:var(--ink);
font:15px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,"Noto Sans",
"Liberation Sans",sans-serif;-webkit-font-smoothing:antialiased;}
.rm-main{display:flex;flex-direction:column;flex:1 1 auto;}
.rm-sr{position:absolute!important;width:1px;height:1px;margin:-1px;padding:0;overflow:hidden;
clip:rect(0 0 0 0);white-space:nowrap;border:0;}
.rm-head{order:0;padding:18px 20px 12px;}
.rm-title{font-size:26px;line-height:1.18;font-weight:700;margin:0 0 6px;letter-spacing:-.01em;
max-width:60rem;}
.rm-subtitle{font-size:16px;line-height:1.4;color:var(--muted);margin:0 0 12px;max-width:52rem;}
.rm-legend{display:flex;flex-wrap:wrap;gap:6px 22px;list-style:none;margin:0;padding:0;
font-size:14px;}
.rm-legend li{display:flex;align-items:center;gap:8px;}
.rm-legend li.rm-noted{align-items:flex-start;}
.rm-legend li.rm-noted .rm-swatch{margin-top:2px;}
.rm-entry{display:flex;flex-direction:column;max-width:40rem;}
.rm-caveat{color:var(--muted);font-size:12.5px;line-height:1.35;}
.rm-swatch{flex:none;width:22px;height:14px;border:2px solid;border-radius:3px;}
.rm-swatch.rm-spread{border-style:dashed;}
.rm-dot{flex:none;width:10px;height:10px;margin:0 6px;border-radius:50%;background:#fff;
border:2.5px solid #1d1d1b;}
.rm-ref{color:var(--muted);font-size:12px;white-space:nowrap;}
.folium-map{order:1;flex:1 1 auto;min-height:520px;height:auto!important;}
.rm-foot{order:2;padding:10px 20px 18px;font-size:12.5px;line-height:1.45;color:var(--muted);
border-top:1px solid var(--rule);}
.rm-foot p{margin:6px 0;max-width:60rem;}
.rm-foot h2{font-size:12.5px;font-weight:700;color:var(--ink);margin:8px 0 2px;}
.rm-sources{margin:0;padding-left:22px;columns:2 420px;column-gap:32px;}
.rm-sources li{break-inside:avoid;margin:0 0 3px;}
.rm-sources a{color:#0b5c8c;text-decoration:underline;text-underline-offset:2px;}
.rm-credit{color:var(--ink);}
.leaflet-container{font:inherit;font-size:12px;}
.leaflet-control-attribution{max-width:calc(100vw - 130px);}
.rm-offline.leaflet-container{background:#dde5ea;}
.rm-label{width:0!important;height:0!important;overflow:visible;}
.rm-label span{position:absolute;left:0;top:0;white-space:nowrap;pointer-events:none;
text-shadow:0 0 2px #fff,0 0 3px #fff,0 0 4px #fff;}
.rm-country{transform:translate(-50%,-50%);color:#5b5b57;font-size:11px;letter-spacing:.09em;
text-transform:uppercase;}
.rm-origin{transform:translate(9px,-55%);color:#111;font-size:13px;font-weight:650;}
.rm-note{transform:translate(-50%,-50%);color:#333;font-size:12.5px;font-style:italic;}
.leaflet-control-layers-expanded{font-size:13px;line-height:1.5;}
.rm-label span.rm-hidden{visibility:hidden;}
.rm-reset button{display:flex;align-items:center;justify-content:center;width:30px;height:30px;
padding:0;border:0;border-radius:4px;background:#fff;color:var(--ink);cursor:pointer;}
.leaflet-touch .rm-reset button{width:30px;height:30px;}
.rm-reset button:hover{background:#f4f4f4;}
.rm-reset button:focus-visible{outline:2px solid #0b5c8c;outline-offset:1px;}
.rm-reset svg{width:18px;height:18px;fill:none;stroke:currentColor;stroke-width:2;}
.leaflet-interactive:focus-visible{outline:none;stroke:#0b5c8c;stroke-width:3px;}
.rm-framed,.rm-framed body{min-height:0;}
.rm-framed .folium-map{flex:none;min-height:0;height:clamp(340px,64vw,620px)!important;}
@media (max-width:600px){
.rm-head{padding:12px 12px 8px;}
.rm-title{font-size:20px;}
.rm-subtitle{font-size:14px;margin-bottom:8px;}
.rm-legend{font-size:13px;gap:4px 14px;}
.folium-map{min-height:62vh;}
.rm-foot{padding:8px 12px 14px;font-size:12px;}
.rm-sources{padding-left:18px;}
.rm-origin{font-size:12px;}
.rm-country{font-size:10px;}
.leaflet-control-attribution{font-size:10px;line-height:1.3;max-width:calc(100vw - 110px);}
}
"""

#: Right-to-left pages (Hebrew, Arabic): lists, tables and labels beside markers mirrored.
#: The flex legend and the page flow mirror by themselves (``<html dir="rtl">``). Leaflet
#: places a tooltip by moving its left edge, which ``dir="rtl"`` would otherwise put at
#: the pane's right: without ``left:0`` every tooltip sits its own width to the left.
RTL_CSS = """
.leaflet-tooltip{left:0;}
.rm-sources{padding-left:0;padding-right:22px;}
.rm-places-table th,.rm-pts-table th{text-align:right;}
.rm-places-table th,.rm-places-table td,.rm-pts-table th,.rm-pts-table td{
padding-right:0;padding-left:14px;}
.rm-places-table :is(td,th):nth-child(3),.rm-places-table :is(td,th):nth-child(4),
.rm-pts-table .rm-num{text-align:left;}
.rm-origin{transform:translate(calc(-100% - 9px),-55%);}
.rm-place{transform:translate(calc(-100% - 7px),-55%);}
.rm-point{transform:translate(calc(-100% - 8px),-55%);}
.leaflet-control-attribution{direction:rtl;}
@media (max-width:600px){
.rm-sources{padding-right:18px;}
.rm-places-table th,.rm-places-table td,.rm-pts-table th,.rm-pts-table td{padding-left:8px;}
}
"""


def _own_direction(value: object) -> str:
    """Isolate a publisher's name or a title by its first strong letter (FSI ... PDI)."""
    return f"\u2068{clean(value)}\u2069"


def _source_html(source: Any, w: Words) -> str:
    if w.direction == "rtl":
        # an English title in quotes, or a publisher with "(TV)", keeps its own order
        # inside Hebrew or Arabic: each piece from the source is a <bdi>
        text = bidi_html(w.source_lead(source, _own_direction))
    else:
        text = w.source_lead(source, html_text)
    link = href(source.url)
    if link is not None:
        text += (
            f' <a href="{link}" target="_blank" rel="noopener noreferrer">'
            f"{html_text(display_host(source.url))}</a>"
        )
    else:
        text += f" {html_text(source.url)}"
    accessed = getattr(source, "accessed", None)
    if isinstance(accessed, dt.date):
        text += " " + html_text(w("Accessed {date}.", date=w.date(accessed)))
    return text


_ISOLATED = re.compile("([\u2066-\u2068])([^\u2066-\u2069]*)\u2069")


def bidi_html(text: str) -> str:
    r"""Escape a phrase of a right-to-left map, its isolated runs as ``<bdi>`` elements.

    :class:`~rangemap.words.Words` isolates number ranges (LRI ... PDI) and names
    (FSI ... PDI; RLI ... PDI with Hebrew or Arabic letters) in Hebrew and Arabic; the
    escaping drops those characters, so the page says the same with markup.

    Examples
    --------
    >>> bidi_html("\u20661,000\u2069 <km>")
    '<bdi dir="ltr">1,000</bdi> &lt;km&gt;'
    """
    parts: list[str] = []
    for run, isolate in bidi_runs(text):
        if isolate is None:
            parts.append(html_text(run))
        else:
            direction = f' dir="{isolate}"' if isolate else ""
            parts.append(f"<bdi{direction}>{html_text(run)}</bdi>")
    return "".join(parts)


def bidi_runs(text: str) -> list[tuple[str, str | None]]:
    r"""Split a phrase of a right-to-left map into runs, for a script to rebuild as markup.

    The runs :func:`bidi_html` writes: ``(text, None)`` for plain text, ``(text, "")``
    for a run isolated by its first strong letter and ``(text, "ltr")`` or
    ``(text, "rtl")`` for one isolated in that direction (a ``<bdi>``, with ``dir``
    when given). Text is not escaped: a script sets it as text.

    Examples
    --------
    >>> bidi_runs("\u2068ATACMS (Block I)\u2069: \u2066165\u2069 km")
    [('ATACMS (Block I)', ''), (': ', None), ('165', 'ltr'), (' km', None)]
    """
    runs: list[tuple[str, str | None]] = []
    at = 0
    for match in _ISOLATED.finditer(text):
        if match.start() > at:
            runs.append((text[at : match.start()], None))
        runs.append((match.group(2), {"\u2066": "ltr", "\u2067": "rtl"}.get(match.group(1), "")))
        at = match.end()
    if at < len(text):
        runs.append((text[at:], None))
    return runs


def _refs(numbers: list[int], w: Words) -> str:
    runs = w.runs(numbers)
    if runs and w.direction == "rtl":  # "[1-8]" keeps its order in Hebrew and Arabic
        return f' <span class="rm-ref" dir="ltr">[{runs}]</span>'
    return f' <span class="rm-ref">[{runs}]</span>' if runs else ""


def swatch_css(scene: RangeMap) -> str:
    """Return the CSS of the legend swatches, one class per layer (``rm-sw-1`` ...).

    Colours are checked ``#rrggbb`` values (:class:`~rangemap.scene.Layer`), so the
    page needs no inline ``style`` attribute, which its Content-Security-Policy forbids.
    """
    rules = []
    land = scene.theme.colors.land if isinstance(scene.theme, Theme) else "#F6F5F1"
    for i, layer in enumerate(scene.layers, 1):
        fill = _rgba(layer.color, max(layer.opacity, 0.12))
        edge = outline_color(layer.color, land)  # as drawn on the map: 3:1 on the land
        rules.append(f".rm-sw-{i}{{background:{fill};border-color:{edge};}}")
        style = LAYER_DASHES[(i - 1) % len(LAYER_DASHES)][1]
        if style != "solid":  # the layer's dash pattern, as on the map
            rules.append(f".rm-sw-{i}{{border-style:{style};}}")
    return "\n".join(rules)


def theme_css(theme: Theme) -> str:
    """Return the CSS that sets a theme over :data:`CSS`: colours, fonts, sizes, dark mode.

    Every value is a checked ``#rrggbb`` colour, a number, or a font stack of plain
    names (:func:`rangemap.theme.css_font_stack`): no theme text can end a declaration.

    Examples
    --------
    >>> from rangemap.theme import resolve_theme
    >>> theme_css(resolve_theme("dark")).splitlines()[1]
    ':root{--ink:#EDEBE6;--muted:#B4B3AD;--rule:#69717A;color-scheme:dark;}'
    """
    from rangemap.theme import css_font_stack

    c = theme.colors
    title, body, small = (f"{size:.4g}px" for size in theme.html_px)
    halo = c.background
    rules = [
        f":root{{--ink:{c.text};--muted:{c.muted};--rule:{c.borders};color-scheme:{theme.mode};}}",
        f"body{{background:{c.background};color:var(--ink);"
        f"font-family:{css_font_stack(theme.fonts.html)};font-size:{body};}}",
        f".rm-title{{font-size:{title};}}",
        f".rm-legend{{font-size:{body};}}",
        f".rm-foot,.rm-foot h2,.rm-caveat{{font-size:{small};}}",
        f".rm-sources a,.rm-geonames a,.leaflet-container a{{color:{c.link};}}",
        f".rm-dot{{background:{c.background};border-color:{c.origin};}}",
        f".rm-offline.leaflet-container{{background:{c.water};}}",
        f".rm-country{{color:{c.muted};}}",
        f".rm-origin,.rm-note,.rm-place,.rm-point{{color:{c.text};}}",
        f".rm-label span{{text-shadow:0 0 2px {halo},0 0 3px {halo},0 0 4px {halo};}}",
        f".leaflet-bar a,.leaflet-bar button,.rm-reset button,.leaflet-control-layers,"
        f".leaflet-control-attribution,.leaflet-control-scale-line,.leaflet-tooltip"
        f"{{background:{c.background};color:{c.text};border-color:{c.borders};}}",
        ".leaflet-container .leaflet-control-attribution"
        f"{{background:{_rgba(c.background, 0.85)};}}",
        f".leaflet-tooltip-top:before{{border-top-color:{c.background};}}",
        ".rm-logo{display:block;width:auto;max-width:40vw;margin:0 0 8px;"
        f"height:{theme.logo.height_px if theme.logo else 36}px;}}",
        ".rm-credit-over{order:1;align-self:flex-end;position:relative;z-index:800;"
        f"margin:-58px 8px 34px 0;padding:2px 6px;border-radius:3px;font-size:{small};"
        f"background:{_rgba(c.background, 0.85)};color:{c.text};max-width:60vw;}}",
        # Phones: the title at the share of the default's 26 px to 20 px.
        f"@media (max-width:600px){{.rm-title{{font-size:{theme.html_px[0] * 20 / 26:.4g}px;}}}}",
    ]
    return "\n" + "\n".join(rules)


def _rgba(color: str, alpha: float) -> str:
    value = color.lstrip("#")
    if len(value) == 3:
        value = "".join(c * 2 for c in value)
    r, g, b = (int(value[i : i + 2], 16) for i in (0, 2, 4))
    return f"rgba({r},{g},{b},{alpha:.3g})"


def head_html(context: Context) -> str:
    """Return the header: title, subtitle and legend with source numbers."""
    scene, w = context.scene, context.words
    parts = ['<header class="rm-head">']
    theme = scene.theme if isinstance(scene.theme, Theme) else None
    logo = theme.logo_uri() if theme is not None and theme.logo is not None else None
    if theme is not None and theme.logo is not None and logo is not None:
        # An SVG logo is an image, never markup: scripts in an <img> SVG do not run.
        parts.append(f'<img class="rm-logo" src="{logo}" alt="{html_attr(theme.logo.alt)}">')
    # On a right-to-left page, text you wrote in a left-to-right script keeps its order.
    own = ' dir="auto"' if context.words.direction == "rtl" else ""
    if scene.title:
        parts.append(f'<h1 class="rm-title"{own}>{html_text(scene.title)}</h1>')
    if scene.subtitle:
        parts.append(f'<p class="rm-subtitle"{own}>{html_text(scene.subtitle)}</p>')
    # The text alternative, before the map; the map names it with aria-describedby.
    summary = html_text(describe_context(context))
    parts.append(f'<p id="{DESCRIPTION_ID}" class="rm-sr">{summary}</p>')
    items: list[str] = []
    for i, layer in enumerate(scene.layers, 1):
        numbers = context.layer_numbers(layer)
        spread = " rm-spread" if layer.reach.show == "spread" else ""
        line = f"<span>{bidi_html(context.layer_name(layer))}{_refs(numbers, w)}</span>"
        notes = context.layer_notes(layer)
        if notes:
            line = (
                f'<span class="rm-entry">{line}'
                + "".join(f'<span class="rm-caveat">{html_text(note)}</span>' for note in notes)
                + "</span>"
            )
        noted = ' class="rm-noted"' if notes else ""
        items.append(f'<li{noted}><span class="rm-swatch rm-sw-{i}{spread}"></span>{line}</li>')
    labels = context.origin_labels()
    if labels:
        measured = w("Measured from {places}", places=w(", ").join(labels))
        items.append(f'<li><span class="rm-dot"></span><span>{html_text(measured)}</span></li>')
    for kind, text in legend_items(context.points, w):
        items.append(f'<li><span class="rm-key {kind}"></span><span>{html_text(text)}</span></li>')
    if items:
        legend = html_attr(w("Legend"))
        parts.append(f'<ul class="rm-legend" aria-label="{legend}">{"".join(items)}</ul>')
    parts.append("</header>")
    return "".join(parts)


def foot_html(context: Context, basemap_note: str) -> str:
    """Return the footer: sources, method note, date, credit, attributions (GeoNames too)."""
    scene, sources, w = context.scene, context.sources, context.words
    parts = ['<footer class="rm-foot">']
    if sources:
        parts.append(f'<h2>{html_text(w("Sources"))}</h2><ol class="rm-sources">')
        parts.extend(f"<li>{_source_html(s, w)}</li>" for s in sources)
        parts.append("</ol>")
    parts.append(f"<p>{html_text(context.method_note())}</p>")
    line: list[str] = []
    day = scene.date
    if day is not None:
        line.append(html_text(w("Ranges as reported up to {date}.", date=w.date(day))))
    theme = scene.theme if isinstance(scene.theme, Theme) else None
    over = bool(scene.credit) and theme is not None and theme.credit == "overlay-bottom-right"
    if scene.credit and not over:
        own = ' dir="auto"' if w.direction == "rtl" else ""
        line.append(f'<span class="rm-credit"{own}>{html_text(scene.credit)}</span>')
    line.append(html_text(basemap_note))
    if context.places:
        line.append(credit_html(w))
    parts.append(f"<p>{' '.join(line)}</p>")
    parts.append("</footer>")
    if over:  # on the map, bottom right, above the attribution (placed by CSS order)
        parts.insert(0, f'<p class="rm-credit-over">{html_text(scene.credit)}</p>')
    return "".join(parts)


#: The page's one script of its own: it reads the ``rm-data`` JSON block and puts
#: labels, place markers (with tooltips: name, population, distance; focusable by
#: keyboard), your points (a square turned 45 degrees, filled in range, hollow out of
#: range), attributions, the layer control and a reset-view button on the map. Text is
#: set with ``textContent``; layer names and attributions, which Leaflet inserts as
#: HTML, arrive escaped (:func:`rangemap.escaping.html_text`).
#:
#: It also sets the view once the map has a size (a map in a closed tab or a frame
#: with no width has none: Leaflet's ``fitBounds`` would give NaN there), refits it
#: when the map is resized before the reader moved it, keeps the reader from zooming
#: out more than two steps past the reach or panning it out of view (the reader's map,
#: ``js/interactive.js``, aims this one fit at the reader's reach through
#: ``map.rangemapView``; a fit asked for during a zoom animation waits for its end),
#: and hides a label that would overlap one of higher rank (origins and notes always
#: show, then your points, then places by population, country names last); hidden
#: labels show again on zooming in. In a frame it sizes the map by the frame's width
#: only and posts the page's height to the host page as ``{"rangemap-height": N}`` (a
#: number only), which the embed snippet's listener
#: (:func:`rangemap.render.embed_snippet`) uses to size the frame. The script is the
#: same on every page, so its hash in the Content-Security-Policy is too.
MAP_SCRIPT = """(function () {
"use strict";
var data = JSON.parse(document.getElementById("rm-data").textContent);
var map = window[data.map];
// The scale bar in the map's language (Leaflet writes "km" and "mi" in English).
L.Control.Scale.include({
  _updateMetric: function (most) {
    var m = this._getRoundNum(most);
    var text = m < 1000 ? data.scale[0].replace("{n}", m) : data.scale[1].replace("{n}", m / 1000);
    this._updateScale(this._mScale, text, m / most);
  },
  _updateImperial: function (most) {
    var feet = most * 3.2808399, miles = feet / 5280, n;
    if (feet > 5280) {
      n = this._getRoundNum(miles);
      this._updateScale(this._iScale, data.scale[2].replace("{n}", n), n / miles);
    } else {
      n = this._getRoundNum(feet);
      this._updateScale(this._iScale, data.scale[3].replace("{n}", n), n / feet);
    }
  }
});
var container = map.getContainer();
var FIXED = 2e15;
var RANK = {"rm-origin": 3e15, "rm-note": 2e15, "rm-point": 1e15, "rm-country": -1};
var labels = [];
function label(group, lat, lon, text, kind) {
  var span = document.createElement("span");
  span.className = kind;
  span.textContent = text;
  var box = document.createElement("div");
  box.appendChild(span);
  L.marker([lat, lon], {
    icon: L.divIcon({className: "rm-label", html: box, iconSize: null}),
    interactive: false, keyboard: false
  }).addTo(group);
  labels.push({el: span, rank: RANK[kind.split(" ")[0]] || 0});
}
data.labels.forEach(function (d) {
  label(window[d[4]], d[0], d[1], d[2], d[3]);
});
function focusable(dot, text) {
  var el = dot.getElement();
  if (el) {
    el.setAttribute("tabindex", "0");
    el.setAttribute("role", "img");
    el.setAttribute("aria-label", text);
  }
}
if (data.places !== null) {
  var group = window[data.places.group];
  data.places.points.forEach(function (d, at) {
    var lines = data.places.tips[at];
    var dot = L.circleMarker([d[0], d[1]], data.places.style);
    var tip = document.createElement("div");
    lines.forEach(function (line, i) {
      var row = document.createElement(i === 0 ? "strong" : "span");
      row.textContent = line;
      tip.appendChild(row);
    });
    var text = lines.join(", ");
    dot.on("add", function () { focusable(dot, text); });
    dot.addTo(group);
    dot.bindTooltip(tip, {direction: "top", offset: [0, -5], className: "rm-tip"});
    if (d[2] !== null) {
      label(group, d[0], d[1], d[2], "rm-place");
      labels[labels.length - 1].rank = data.places.people[at];
    }
  });
}
if (data.points !== null) {
  var mine = window[data.points.group];
  data.points.points.forEach(function (d) {
    var mark = document.createElement("span");
    mark.className = d[3] ? "rm-pt-in" : "rm-pt-out";
    L.marker([d[0], d[1]], {
      icon: L.divIcon({className: "rm-pt", html: mark, iconSize: null}),
      interactive: false, keyboard: false
    }).addTo(mine);
    if (d[2] !== null) {
      label(mine, d[0], d[1], d[2], d[3] ? "rm-point" : "rm-point rm-pt-out-label");
    }
  });
}
function apart(a, b) {
  return a.right + 2 <= b.left || b.right + 2 <= a.left ||
    a.bottom + 1 <= b.top || b.bottom + 1 <= a.top;
}
function declutter() {
  var order = labels.filter(function (d) { return d.el.isConnected; });
  order.sort(function (a, b) { return b.rank - a.rank; });
  var boxes = order.map(function (d) { return d.el.getBoundingClientRect(); });
  var kept = [];
  order.forEach(function (d, i) {
    var r = boxes[i];
    var free = kept.every(function (k) { return apart(r, k); });
    var show = d.rank >= FIXED || free;
    d.el.classList.toggle("rm-hidden", !show);
    if (show && r.width > 0) { kept.push(r); }
  });
}
var home = {center: map.getCenter(), zoom: map.getZoom()};
var busy = false, moved = false, ready = false, zooming = false, wanted = null;
// The one fit of the page. It fits the reach drawn in Python, or the reach the reader's
// map (interactive.js) aims it at through map.rangemapView. A fit is the map's own move,
// not the reader's, until it ends: it waits for a zoom animation on its way (Leaflet
// drops a view asked for during one), stops a pan on its way, and sets the limits on
// arrival (set before, they would pan the view from where it still is).
var published = {
  bounds: function () { return data.fit !== null ? L.latLngBounds(data.fit) : null; },
  limits: function (bounds) { map.setMaxBounds(bounds.pad(0.5)); }
};
var aim = published;
map.on("zoomanim", function () { zooming = true; });
map.on("zoomend", function () { zooming = false; });
function hold(bounds) {
  if (bounds !== null) { aim.limits(bounds); }
}
function fit(animate, only) {
  var size = map.getSize();
  if (size.x < 2 || size.y < 2) { return; }
  if (zooming) {  // the last fit asked for runs once the zoom has ended
    if (wanted === null) {
      map.once("moveend", function () { var w = wanted; wanted = null; fit(w[0], w[1]); });
    }
    wanted = [animate, only];
    return;
  }
  var bounds = only || aim.bounds();
  busy = true;
  map.setMaxBounds(null);
  map.setMinZoom(0);
  map.stop();
  map.once("moveend", function () {
    map.setMinZoom(Math.max(0, Math.floor(map.getZoom()) - 2));
    hold(bounds);
    busy = false;
    moved = false;
    declutter();
  });
  if (bounds !== null) {
    map.fitBounds(bounds, {padding: [14, 14], animate: animate});
  } else {
    map.setView(home.center, home.zoom, {animate: animate});
  }
  ready = true;
}
map.rangemapView = {
  fit: fit,
  aim: function (reach) { aim = reach || published; }
};
map.on("dragstart zoomstart", function () { if (!busy) { moved = true; } });
map.on("zoomend overlayadd", declutter);
if (typeof ResizeObserver === "function") {
  new ResizeObserver(function () {
    map.invalidateSize();
    if (!ready || !moved) {
      fit(false);
    } else {
      hold(aim.bounds());
      declutter();
    }
  }).observe(container);
}
fit(false);
var rtl = document.documentElement.dir === "rtl";
L.control.zoom({
  position: rtl ? "topright" : "topleft", zoomInTitle: data.zoom[0], zoomOutTitle: data.zoom[1]
}).addTo(map);
var mac = navigator.platform.toUpperCase().indexOf("MAC") >= 0;
container.setAttribute("data-gesture-handling-touch-content", data.gestures[0]);
container.setAttribute("data-gesture-handling-scroll-content", data.gestures[mac ? 2 : 1]);
var Reset = L.Control.extend({
  options: {position: rtl ? "topright" : "topleft"},
  onAdd: function () {
    var bar = L.DomUtil.create("div", "leaflet-bar rm-reset");
    var button = L.DomUtil.create("button", "", bar);
    button.type = "button";
    button.title = data.reset;
    button.setAttribute("aria-label", data.reset);
    var svg = document.createElementNS("http://www.w3.org/2000/svg", "svg");
    svg.setAttribute("viewBox", "0 0 20 20");
    svg.setAttribute("aria-hidden", "true");
    var path = document.createElementNS("http://www.w3.org/2000/svg", "path");
    path.setAttribute("d", "M3 8V3h5M12 3h5v5M17 12v5h-5M8 17H3v-5");
    svg.appendChild(path);
    button.appendChild(svg);
    L.DomEvent.disableClickPropagation(bar);
    L.DomEvent.on(button, "click", function () { fit(true); });
    return bar;
  }
});
new Reset().addTo(map);
map.attributionControl.setPrefix(false);
data.attributions.forEach(function (html) { map.attributionControl.addAttribution(html); });
var control = L.control.layers(null, null, {
  collapsed: true, position: rtl ? "topleft" : "topright"
});
data.overlays.forEach(function (d) { control.addOverlay(window[d[1]], d[0]); });
control.addTo(map);
if (data.offline) { container.classList.add("rm-offline"); }
if (window.parent !== window) {
  document.documentElement.classList.add("rm-framed");
  var last = -1;
  var post = function () {
    var body = document.body;
    var style = window.getComputedStyle(body);
    var height = Math.ceil(body.getBoundingClientRect().height +
      parseFloat(style.marginTop) + parseFloat(style.marginBottom));
    if (height > 0 && height !== last) {
      last = height;
      window.parent.postMessage({"rangemap-height": height}, "*");
    }
  };
  post();
  window.addEventListener("load", post);
  window.addEventListener("resize", post);
  if (typeof ResizeObserver === "function") { new ResizeObserver(post).observe(document.body); }
}
}());
"""
