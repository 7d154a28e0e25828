"""The reader's interactive map: draggable origins, system choices, address hash, JS API.

What this module owns: the HTML page of a map made interactive
(``Interactive``, ``rangemap map --interactive``). It is the normal
rangemap page (:mod:`rangemap.render.html`: header, legend, sources, footer,
Content-Security-Policy, basemap, embed support, languages, right-to-left) plus:

- **Data** for the page's own script (``js/interactive.js``) in the ``rm-data`` JSON,
  member ``"interactive"``: the draggable point origins, each layer's Leaflet group,
  style and range bands, the reach of line and territory origins as drawn (GeoJSON,
  which does not move), the system choices and the words the script prints. Nothing
  from a map, recipe or catalog enters script source.
- **Choices.** The map's own system (its first layer) comes first, then the editor's
  choices; for each one the legend and the footer (sources with their citations,
  method note, date; a choice's own layer only) are built here with the static page's
  panel code and placed in the page as sections the script shows or hides
  (``data-rm-choice``).
- **The published map.** A choice other than the map's own is shown alone (the script
  hides the map's other layers, their legend entries and their rows in the layer
  control); while the map differs from the published one the script shows a notice
  (phrases ``changed``, ``back``, ``restored`` of the data's ``words``) with a button
  back to the published origins, system, view and address. The notice takes the
  subtitle's place, which the subtitle keeps (hidden, so the map does not move), or
  without a subtitle lies over the map's top edge between its controls; the summary
  is hidden too and the map is described by the notice (CSS here, ``.rm-said``,
  ``.rm-over``).
- **Labels.** The script keeps every label on the map clear of the others: the
  origins' labels first, beside their markers on the side the text starts from, then
  the page script's and the places script's labels in the static page's ranks (CSS
  classes ``rm-keep`` and ``rm-yield`` here decide over theirs).
- **Controls**: a labelled ``<select>`` of the choices, a short how-to, the note that
  reach from lines and territories stays as drawn, and an ``aria-live`` region the
  script fills after each change; then the places panel
  (:func:`rangemap.render._interactive_places.places_fragment`, data under
  ``"search"``).
- **Scripts**, after the page script: ``geodesic.js``, ``ring.js``, ``interactive.js``
  and ``interactive_places.js`` (:func:`rangemap.render._js.script`), then
  ``world.js`` (the coarse world basemap, data under ``"world"``:
  :func:`rangemap.render.html.world_layer`), each hashed into the page's policy.

The JS API (``window.rangemap``) and the ``postMessage`` protocol are documented in
``docs/interactive.md``.
"""

from __future__ import annotations

import dataclasses
import functools
import math
import re
import warnings
from typing import TYPE_CHECKING, Any

from rangemap.errors import InputError
from rangemap.escaping import clean, html_attr, html_text
from rangemap.render import html as page_html
from rangemap.render._context import Context, coordinate_digits
from rangemap.render._interactive_places import (
    DEFAULT_MIN_POPULATION,
    PLACES_PANEL_CSS,
    places_panels,
)
from rangemap.render._js import script
from rangemap.render._panels import bidi_runs, foot_html, head_html
from rangemap.render._placemarks import origin_label, panel_html
from rangemap.theme import Theme

if TYPE_CHECKING:
    from rangemap.catalog import Catalog
    from rangemap.reach import Reach, Site
    from rangemap.render.html import PageParts
    from rangemap.scene import Interactive, Layer
    from rangemap.words import Words

__all__ = ["INTERACTIVE_CSS", "MAX_PAGE_BYTES", "SCRIPTS", "render_interactive"]

#: The most an interactive page may weigh, in bytes (UTF-8), with its searchable cities.
MAX_PAGE_BYTES = 1_500_000

#: The scripts an interactive page adds after the page script, in order.
SCRIPTS = ("geodesic.js", "ring.js", "interactive.js", "interactive_places.js")

#: The id a bare distance (no catalog system) has among the choices.
DISTANCE_ID = "distance"

#: Styles of the controls and the draggable origins.
INTERACTIVE_CSS = """
[hidden]{display:none!important;}
.rm-bar{display:flex;flex-wrap:wrap;align-items:flex-start;gap:8px 18px;margin:12px 0 0;
font-size:14px;}
.rm-field{display:flex;flex-direction:column;min-width:0;flex:0 1 26rem;}
.rm-bar label{display:block;font-weight:650;margin:0 0 3px;}
.rm-bar select,.rm-bar input{font:inherit;box-sizing:border-box;width:100%;height:34px;
padding:4px 8px;border:1px solid var(--muted);border-radius:4px;background:#fff;color:#1d1d1b;}
.rm-bar select:focus-visible,.rm-bar input:focus-visible{outline:2px solid #0b5c8c;
outline-offset:1px;}
.rm-howto{color:var(--muted);margin:3px 0;}
.rm-handle{cursor:grab;}
.rm-handle span{display:block;width:14px;height:14px;margin:2px;border-radius:50%;
background:#fff;border:3px solid #1d1d1b;box-shadow:0 0 0 2px #fff;}
.rm-handle:focus-visible{outline:none;}
.rm-handle:focus-visible span{border-color:#0b5c8c;box-shadow:0 0 0 3px #fff,0 0 0 5px #0b5c8c;}
.leaflet-tooltip.rm-origin-tip{background:transparent;border:0;box-shadow:none;padding:0 2px;
font-size:13px;font-weight:650;color:#111;text-shadow:0 0 2px #fff,0 0 3px #fff,0 0 4px #fff;}
.leaflet-tooltip.rm-origin-tip:before{display:none;}
.rm-changed{display:flex;flex-wrap:wrap;align-items:center;gap:6px 14px;max-width:52rem;
box-sizing:border-box;margin:0 0 12px;padding:6px 10px;border-inline-start:4px solid #0b5c8c;
background:#eef4f8;color:#1d1d1b;font-size:14px;}
.rm-changed p{margin:0;flex:1 1 18rem;}
.rm-changed button{font:inherit;font-weight:650;min-height:32px;padding:3px 12px;cursor:pointer;
border:1px solid #0b5c8c;border-radius:4px;background:#fff;color:#0b5c8c;}
.rm-changed button:hover{background:#dde9f1;}
.rm-changed button:focus-visible{outline:2px solid #0b5c8c;outline-offset:2px;}
.rm-said{display:grid;}
.rm-said>*{grid-area:1/1;min-width:0;align-self:start;}
.rm-stale>.rm-subtitle{visibility:hidden;}
.rm-head{position:relative;}
.rm-over{position:absolute;z-index:1001;top:100%;left:58px;right:58px;width:fit-content;
margin:10px auto 0;box-shadow:0 1px 5px rgba(0,0,0,.3);}
.rm-label span.rm-keep{visibility:visible!important;}
.rm-label span.rm-yield,.rm-origin-tip.rm-yield{visibility:hidden!important;}
@media (max-width:600px){
.rm-changed{flex-wrap:nowrap;gap:4px 10px;margin-bottom:8px;padding:4px 8px;font-size:13px;
line-height:1.35;}
.rm-changed p{flex:1 1 0;min-width:0;}
.rm-changed button{flex:0 0 auto;max-width:48%;min-height:30px;padding:2px 8px;line-height:1.2;}
.rm-changed.rm-over{flex-wrap:wrap;}
.rm-over p{flex:1 1 100%;}
.rm-over button{max-width:none;}
.rm-bar{gap:6px 10px;margin-top:8px;font-size:13px;}
.rm-field,.rm-bar .rm-find-search{flex:1 1 100%;}
}
"""

_LEGEND = re.compile(r'<ul class="rm-legend"[^>]*>.*?</ul>', re.DOTALL)


def render_interactive(context: Context) -> str:
    """Render a map made interactive as one self-contained HTML page.

    Parameters
    ----------
    context : Context
        The prepared map (:func:`rangemap.render._context.prepare`); its scene's
        ``interactive`` is set.

    Returns
    -------
    str
        The page; the same map always gives the same text.

    Examples
    --------
    >>> from rangemap.reach import Reach
    >>> from rangemap.render._context import prepare
    >>> from rangemap.scene import Interactive, RangeMap
    >>> m = RangeMap(interactive=Interactive(("storm-shadow",)))
    >>> _ = m.add(Reach.from_system("atacms", "Kharkiv"))
    >>> page = render_interactive(prepare(m))
    >>> '"system":"atacms"' in page and 'id="rm-system"' in page
    True
    """
    settings = context.scene.interactive
    assert settings is not None
    assert not isinstance(settings, bool)
    given = settings.min_population
    floor = DEFAULT_MIN_POPULATION if given is None else given
    sink: dict[str, int] = {}
    page = _page(context, floor, sink)
    size = len(page.encode("utf-8"))
    # Over the weight, the coarse world basemap gives way first (its coarser levels of
    # detail, then none: rangemap.render.html.WORLD_LEVELS) when that is enough;
    # otherwise the searchable cities do.
    world = 0
    enough = size - sink.get("world_bytes", 0) <= MAX_PAGE_BYTES
    while enough and size > MAX_PAGE_BYTES and sink.get("world_bytes", 0) > 0:
        world += 1
        page = _page(context, floor, sink, world)
        size = len(page.encode("utf-8"))
    if size <= MAX_PAGE_BYTES:
        return page
    fits = _floor_that_fits(context, size - sink["search_bytes"], floor)
    need = context.words.number(fits)
    if given is not None:
        msg = (
            f"interactive: min_population {given} makes the page "
            f"{size / 1e6:.1f} MB, over the {MAX_PAGE_BYTES / 1e6:.1f} MB a page may weigh; "
            f"give --search-min-population {fits} (recipe: interactive.places.min_population: "
            f"{fits}) or more, so that the page carries fewer searchable cities"
        )
        raise InputError(msg)
    warnings.warn(
        f"interactive: with the searchable cities of the default floor the page would weigh "
        f"{size / 1e6:.1f} MB, over {MAX_PAGE_BYTES / 1e6:.1f} MB; cities of at least {need} "
        "people are searchable instead (set --search-min-population or "
        "interactive.places.min_population to choose)",
        UserWarning,
        stacklevel=2,
    )
    return _page(context, fits, None, world)


def _page(context: Context, floor: int, sink: dict[str, int] | None = None, world: int = 0) -> str:
    add = functools.partial(_add, context, floor, {} if sink is None else sink, world)
    return page_html._render(context, page=add)


def _floor_that_fits(context: Context, base: int, floor: int) -> int:
    """Return the lowest population floor (two significant digits) whose page fits."""
    from rangemap.escaping import script_json
    from rangemap.places import load_gazetteer
    from rangemap.render._interactive_places import places_data

    def weight(at: int) -> int:
        data = places_data(context.scene, context.words, min_population=at)
        return len(script_json(data).encode("utf-8"))

    budget = int((MAX_PAGE_BYTES - base) * 0.98)
    people = sorted(load_gazetteer().population.tolist(), reverse=True)
    # About 190 bytes a searchable city: start there, then raise the floor until it fits.
    n = max(budget // 190, 1)
    guess = max(int(people[min(n, len(people) - 1)]), floor + 1, 1_000)
    at = _round_up(guess)
    for _ in range(40):
        if weight(at) <= budget:
            return at
        at = _round_up(int(at * 1.15) + 1)
    return at


def _round_up(value: int) -> int:
    """Round a population up to two significant digits (``123_456`` -> ``130_000``)."""
    step = int(10 ** max(len(str(value)) - 2, 0))
    return int(-(-value // step) * step)


# --- choices ----------------------------------------------------------------------------


@dataclasses.dataclass(frozen=True, slots=True)
class _Choice:
    id: str
    system: str | None
    variant: str | None
    name: str
    context: Context
    reach: Reach


def _choice_reach(choice: str, layer: Layer, catalog: Catalog | None) -> Reach:
    """Return a choice's reach from the map's first layer's origins, from ``catalog``."""
    from rangemap.reach import Reach

    return Reach.from_system(choice, layer.reach.origins, catalog=catalog)


def _choices(context: Context, settings: Interactive) -> list[_Choice]:
    """Return the map's own system, then the editor's choices, each with its own context."""
    scene, w = context.scene, context.words
    first = scene.layers[0]
    reach = first.reach
    own = f"{reach.system_id}:{reach.variant_id}" if reach.system_id else DISTANCE_ID
    out = [
        _Choice(
            own,
            reach.system_id,
            reach.variant_id,
            clean(context.layer_name(first)) if reach.system_id is None else _name(reach, w),
            context,
            reach,
        )
    ]
    for choice in settings.choices:
        if choice == own:
            continue
        other = _choice_reach(choice, first, settings.catalog)
        layer = dataclasses.replace(first, reach=other, name="")  # named by its reach
        # A choice is shown alone: its legend and sources are its own layer's only.
        variant_scene = dataclasses.replace(scene, layers=[layer], interactive=None)
        sources: dict[tuple[str, str, str], Any] = {}
        for lay in variant_scene.layers:
            for source in lay.reach.sources:
                sources.setdefault((source.publisher, source.title, str(source.url)), source)
        variant = Context(variant_scene, context.places, tuple(sources.values()), w, context.points)
        system, _, variant_id = choice.partition(":")
        out.append(_Choice(choice, system, variant_id, _name(other, w), variant, other))
    return out


def _name(reach: Reach, w: Words) -> str:
    """Name a reach's system and variant in the page's language (the catalog's names).

    Read from the reach, so a system from the user's own specs is named as theirs.
    """
    wording = reach.wording
    if wording is None or wording.name is None:
        return clean(reach.system_name or "")
    return clean(dict(wording.names).get(w.language, wording.name))


# --- drawing data -----------------------------------------------------------------------


def _bands(reach: Reach) -> list[list[float | str]]:
    """Return what a reach draws from each point origin: ``[min_m, max_m, style]`` bands."""
    low = reach.min_distance_m or 0.0
    if reach.inner_geometry is not None and reach.low_distance_m is not None:
        return [
            [low, reach.low_distance_m, "fill"],
            [reach.low_distance_m, reach.distance_m, "band"],
        ]
    return [[low, reach.distance_m, "fill"]]


def _tolerance(reach: Reach) -> float | None:
    """Return the tolerance the script draws with: ``None`` (its default) for the defaults."""
    distances = [d for d in (reach.min_distance_m, reach.low_distance_m, reach.distance_m) if d]
    if reach.tolerance_m is None or not distances:
        return None
    default = 1e-4 * min(distances)
    return None if math.isclose(reach.tolerance_m, default, rel_tol=1e-6) else reach.tolerance_m


def _styles(layer: Layer, stroke: str, dash: str | None) -> dict[str, dict[str, Any]]:
    base: dict[str, Any] = {"color": stroke, "weight": 2, "opacity": 0.95, "fillColor": layer.color}
    if dash is not None:
        base["dashArray"] = dash
    return {
        "fill": {**base, "fillOpacity": layer.opacity},
        "band": {**base, "fillOpacity": layer.opacity * 0.5, "dashArray": "6 5", "weight": 1.5},
    }


def _fixed(reach: Reach, layer: Layer, parts: PageParts, index: int) -> dict[str, Any] | None:
    """Return the reach of a layer's line and territory origins as drawn, or ``None``."""
    from rangemap.reach import _reach_geometry

    sites = [site for site in reach.origins if not site.is_point]
    if not sites:
        return None
    tol = reach.tolerance_m
    geometry = _reach_geometry(sites, reach.distance_m, reach.min_distance_m, tol)
    inner = None
    if reach.inner_geometry is not None and reach.low_distance_m is not None:
        inner = _reach_geometry(sites, reach.low_distance_m, reach.min_distance_m, tol)
    fixed_reach = dataclasses.replace(
        reach, geometry=geometry, inner_geometry=inner, origins=tuple(sites)
    )
    fixed_layer = dataclasses.replace(layer, reach=fixed_reach)
    shapes = page_html._layer_shapes(
        fixed_layer, parts.aeqd, stroke=parts.strokes[index], dash=parts.dashes[index]
    )
    digits = coordinate_digits(reach.tolerance_m, page_html.REACH_DIGITS)
    features: list[dict[str, Any]] = []
    for geometry_, style in shapes:
        collection = page_html._feature_collection([geometry_], digits)
        for feature in collection["features"]:
            feature["id"] = len(features)
            fill = style.get("fill", True) is not False and geometry_.geom_type.endswith("Polygon")
            feature["properties"] = {"style": {**style, "interactive": False}, "fill": fill}
            features.append(feature)
    return {"type": "FeatureCollection", "features": features}


def _movable(scene_layers: list[Layer], language: str) -> list[tuple[float, float, str | None]]:
    """Return the distinct point origins of every layer: (lon, lat, label)."""
    out: list[tuple[float, float, str | None]] = []
    for layer in scene_layers:
        for site in layer.reach.origins:
            if site.is_point:
                point = (site.geometry.x, site.geometry.y, origin_label(site, language) or None)
                if point not in out:
                    out.append(point)
    return out


def _fixed_labels(scene_layers: list[Layer], language: str) -> list[str]:
    """Return the labels of the line and territory origins, each once."""
    out: list[str] = []
    for layer in scene_layers:
        for site in layer.reach.origins:
            label = origin_label(site, language)
            if not site.is_point and label and label not in out:
                out.append(label)
    return out


def _index(site: Site, origins: list[tuple[float, float, str | None]], language: str) -> int:
    label = origin_label(site, language) or None
    return origins.index((site.geometry.x, site.geometry.y, label))


# --- the page ---------------------------------------------------------------------------


def _words(w: Words) -> dict[str, str]:
    return {
        "announce": w("Origin: {place}. {system}: {range}."),
        "cities": w("Cities in range: {count}"),
        "handle": w("Origin {name}: drag it, or use the arrow keys, to move it"),
        "measured": w("Measured from {places}"),
        "north": w("{lat}\u00b0 N"),
        "south": w("{lat}\u00b0 S"),
        "east": w("{lon}\u00b0 E"),
        "west": w("{lon}\u00b0 W"),
        "comma": w(", "),
        "changed": w("You have changed this map; the text above describes the published map."),
        "back": w("Back to the published map"),
        "restored": w("The published map is shown again."),
    }


def _bar(choices: list[_Choice], w: Words, search: str) -> str:
    """Return the bar of controls above the map: system choice, place search, live region."""
    parts = ['<div class="rm-bar">']
    if len(choices) > 1:
        parts.append('<div class="rm-field">')
        parts.append(f'<label for="rm-system">{html_text(w("System shown"))}</label>')
        parts.append('<select id="rm-system">')
        for i, choice in enumerate(choices):
            selected = " selected" if i == 0 else ""
            value = html_attr(choice.id)
            parts.append(f'<option value="{value}"{selected}>{html_text(choice.name)}</option>')
        parts.append("</select></div>")
    parts.append(search)
    parts.append('<p id="rm-live" class="rm-sr" aria-live="polite"></p>')
    parts.append("</div>")
    return "".join(parts)


def _howto(w: Words, *, has_points: bool, has_fixed: bool) -> str:
    """Return the how-to lines under the map: dragging, and reach that stays as drawn."""
    parts = []
    if has_points:
        howto = w("Drag an origin marker, or focus it and use the arrow keys, to move it.")
        parts.append(f'<p class="rm-howto">{html_text(howto)}</p>')
    if has_fixed:
        note = w("Reach from lines and territories stays as drawn.")
        parts.append(f'<p class="rm-howto">{html_text(note)}</p>')
    return "".join(parts)


#: The "Measured from" line of each legend, which the page script rewrites as origins move.
_MEASURED = '<span class="rm-dot"></span><span>'


def _add(
    context: Context, floor: int, sink: dict[str, int], world_level: int, parts: PageParts
) -> PageParts:
    """Add the interactive page's data, panels, controls and scripts to a page."""
    from rangemap.escaping import script_json
    from rangemap.render.html import _place_style

    scene, w = context.scene, context.words
    settings = scene.interactive
    # The HTML writer hands only interactive maps here (True became an Interactive).
    assert settings is not None
    assert not isinstance(settings, bool)
    choices = _choices(context, settings)
    origins = _movable(scene.layers, scene.language)
    layers = []
    for i, layer in enumerate(scene.layers):
        reach = layer.reach
        layers.append(
            {
                "group": parts.layer_groups[i],
                "origins": [
                    _index(site, origins, scene.language) for site in reach.origins if site.is_point
                ],
                "styles": _styles(layer, parts.strokes[i], parts.dashes[i]),
                "bands": _bands(reach),
                "fixed": _fixed(reach, layer, parts, i) if i else None,
                "tolerance_m": _tolerance(reach),
            }
        )
    first = scene.layers[0]
    choice_data = [
        {
            "id": choice.id,
            "system": choice.system,
            "variant": choice.variant,
            "name": choice.name,
            # its name in the layer control, as runs the script rebuilds with <bdi> as
            # the static page writes them
            "layer_runs": [
                [clean(text), isolate]
                for text, isolate in bidi_runs(
                    choice.context.layer_name(choice.context.scene.layers[0])
                )
            ],
            "range_m": choice.reach.distance_m,
            "min_range_m": choice.reach.min_distance_m,
            "range_text": w.km(choice.reach.distance_m),
            "bands": _bands(choice.reach),
            "tolerance_m": _tolerance(choice.reach),
            "fixed": _fixed(choice.reach, first, parts, 0),
        }
        for choice in choices
    ]
    has_fixed = any(not site.is_point for layer in scene.layers for site in layer.reach.origins)
    theme = scene.theme if isinstance(scene.theme, Theme) else None
    static_places = parts.data.get("places")
    parts.data["interactive"] = {
        "origins": [[lon, lat, label] for lon, lat, label in origins],
        "layers": layers,
        "primary": 0,
        "choices": choice_data,
        "center_lon": round(parts.center_lon, 6),
        "words": _words(w),
        # Line and territory origins, named in the "Measured from" line after the points.
        "fixed_labels": _fixed_labels(scene.layers, scene.language),
        # The markers of the cities in range: the static page's group, or a new one.
        "places_group": static_places["group"] if static_places else None,
        "place_style": _place_style(theme),
    }
    # The legend and footer of each choice; the script shows the current one.
    legends = []
    footers = []
    for i, choice in enumerate(choices):
        hidden = "" if i == 0 else " hidden"
        head = head_html(choice.context)
        match = _LEGEND.search(head)
        if match is not None:
            legend = match.group(0).replace(
                '<ul class="rm-legend"', f'<ul class="rm-legend" data-rm-choice="{i}"{hidden}', 1
            )
            legend = legend.replace(
                _MEASURED, '<span class="rm-dot"></span><span class="rm-measured">'
            )
            legends.append(legend)
        foot = foot_html(choice.context, parts.basemap_note)
        if i:  # the credit over the map is the same for every choice: once
            foot = foot[foot.index("<footer") :]
        footers.append(
            foot.replace(
                '<footer class="rm-foot">',
                f'<footer class="rm-foot" data-rm-choice="{i}"{hidden}>',
                1,
            )
        )
    own_foot = foot_html(context, parts.basemap_note)
    bar_search, below, search_data = places_panels(scene, w, min_population=floor)
    sink["search_bytes"] = len(script_json(search_data).encode("utf-8"))
    howto = _howto(w, has_points=bool(origins), has_fixed=has_fixed)
    below = below.replace('<p id="rm-find-hint"', howto + '<p id="rm-find-hint"', 1)
    header = parts.header
    match = _LEGEND.search(header)
    if match is not None:
        header = header[: match.start()] + "".join(legends) + header[match.end() :]
    header = header.replace("</header>", _bar(choices, w, bar_search) + "</header>", 1)
    footer = parts.footer
    # One list of cities: the live one (it follows the map's places settings).
    static_table = panel_html(list(context.places), w)
    if static_table:
        footer = footer.replace(static_table, "", 1)
    if footer.endswith(own_foot):
        footer = footer[: len(footer) - len(own_foot)] + "".join(footers)
    footer = below + footer
    parts.data["search"] = search_data
    # Land and borders everywhere, for origins moved far from the view drawn.
    world = page_html.world_layer(parts, world_level)
    if world is not None:
        parts.data["world"] = world
    sink["world_bytes"] = (
        len(script_json(world).encode("utf-8")) + len(script("world.js").encode("utf-8"))
        if world is not None
        else 0
    )
    css = parts.css + INTERACTIVE_CSS + PLACES_PANEL_CSS
    scripts = [*parts.scripts, *(script(name) for name in SCRIPTS)]
    if world is not None:
        scripts.append(script("world.js"))
    return dataclasses.replace(parts, header=header, footer=footer, css=css, scripts=scripts)
