"""The reader's map: place search, "cities in range" and click-to-measure (panel and data).

This module owns what the interactive page (:mod:`rangemap.render.interactive`) needs for
its places features, and nothing of how the page is assembled:

- the HTML of the places panel (a search box with its label and results list, the live
  "cities in range" list, the click-to-measure readout and the GeoNames credit), every
  word from :class:`rangemap.words.Words` and every string through
  :mod:`rangemap.escaping`;
- the JSON-able data the page's ``js/interactive_places.js`` reads from ``rm-data`` under
  ``"search"`` (``"places"`` is the static places-in-range layer's): the embedded
  gazetteer subset (cities of at least ``min_population`` people, and every capital) as
  column arrays, most populous first, with each city's name in the page's language, its
  country code (``country``: the codes run together, two letters a city), its position
  in units of 1e-5 degree (five decimals, as integers), its population, and its search
  keys: every name the gazetteer holds for it in any script (GeoNames name, ASCII name,
  alternate names, the Ukrainian, Russian, Hebrew and Arabic map names), each normalised
  by :func:`search_key` (the page's script normalises what the reader types the same
  way). The GeoNames name's key comes first (the search ranks a match of it, or of the
  name shown, above a match of another name), then the others sorted, each kept only
  when no longer key of the same city starts with it. The keys are the bulk of the data
  (about 190 bytes a city as text), so they travel gzip-compressed and base64-encoded
  (``keys_gz``, one line per city, keys separated by ``|``: about 720 kB for 5,000
  cities); the page inflates them with the browser's ``DecompressionStream``;
- the words and number format the script needs (``text``, ``format``), so no phrase
  and no number format is written in JavaScript.

Output is deterministic: rows in a fixed order, gzip with no timestamp.
"""

from __future__ import annotations

import base64
import functools
import gzip
import unicodedata
from typing import TYPE_CHECKING, Any

import numpy as np

from rangemap.escaping import html_attr, html_text
from rangemap.render._placemarks import credit_html

if TYPE_CHECKING:
    from rangemap.scene import RangeMap
    from rangemap.words import Words

__all__ = [
    "DEFAULT_MIN_POPULATION",
    "LISTED",
    "PLACES_PANEL_CSS",
    "place_rules",
    "places_data",
    "places_fragment",
    "places_panels",
    "range_html",
    "search_html",
    "search_key",
]

#: The population floor of the searchable places: about 5,000 cities (with capitals).
DEFAULT_MIN_POPULATION = 115_000

#: How many cities in range the panel lists (the most populous).
LISTED = 15

#: Languages whose map names (:func:`rangemap.places.gazetteer.local_name`) are keys.
_LOCAL_LANGUAGES = ("uk", "ru", "he", "ar")

#: Characters a search key keeps: letters and numbers (Unicode general categories L*, N*).
_KEPT = frozenset("LN")

#: Code point -> replacement (None: dropped), filled in for the characters met so far.
_TABLE: dict[int, str | None] = {0x03C2: "\u03c3"}  # final sigma: sigma


def _decide(text: str) -> None:
    for char in set(text):
        code = ord(char)
        if code not in _TABLE:
            _TABLE[code] = char if unicodedata.category(char)[0] in _KEPT else None


def search_key(name: str) -> str:
    r"""Return the form of a name the page's search compares: prefixes of it match.

    The name is decomposed (NFKD), lower-cased, stripped of everything but letters and
    numbers (so of combining marks, spaces and punctuation), final sigma is written as
    sigma, and the result is recomposed (NFC). The page's script does the same to what
    the reader types (``String.prototype.normalize``, ``toLowerCase``, ``\p{L}\p{N}``).

    Parameters
    ----------
    name : str
        A place name in any script.

    Returns
    -------
    str

    Examples
    --------
    >>> search_key("Dnipró"), search_key("Київ"), search_key("Kryvyi Rih")
    ('dnipro', 'киів', 'kryvyirih')
    >>> search_key("서울") == "서울"  # Hangul is recomposed
    True
    """
    folded = unicodedata.normalize("NFKD", name).lower()
    _decide(folded)
    return unicodedata.normalize("NFC", folded.translate(_TABLE))


def _pruned(keys: set[str]) -> list[str]:
    """Sorted keys without those another key starts with (a prefix search finds them)."""
    ordered = sorted(k for k in keys if k)
    return [
        k for k, after in zip(ordered, [*ordered[1:], ""], strict=True) if not after.startswith(k)
    ]


@functools.cache
def _subset(min_population: int) -> tuple[tuple[int, ...], bytes]:
    """Rows of the subset (most populous first, then by geonameid) and their keys, gzipped."""
    from rangemap.places import load_gazetteer
    from rangemap.places.gazetteer import _local_names
    from rangemap.places.names import is_usable_name

    gazetteer = load_gazetteer()
    capitals = np.fromiter(
        (code == "PPLC" for code in gazetteer.feature_code), dtype=bool, count=len(gazetteer)
    )
    chosen = np.flatnonzero((gazetteer.population >= min_population) | capitals)
    order = np.lexsort((gazetteer.geonameid[chosen], -gazetteer.population[chosen]))
    rows = tuple(int(r) for r in chosen[order])
    local = [_local_names(language) for language in _LOCAL_LANGUAGES]
    lines: list[str] = []
    for row in rows:
        geonameid = int(gazetteer.geonameid[row])
        names = [gazetteer.name[row], gazetteer.ascii_name[row]]
        names += [n for n in gazetteer.alternate_names(geonameid) if is_usable_name(n)]
        names += [table[geonameid] for table in local if geonameid in table]
        main = search_key(gazetteer.name[row])
        rest = [k for k in _pruned({search_key(n) for n in names if n}) if k != main]
        lines.append("|".join([main, *rest]))
    text = "\n".join(lines).encode("utf-8")
    return rows, gzip.compress(text, compresslevel=9, mtime=0)


def _number_format(w: Words) -> dict[str, Any]:
    """How the page's language writes numbers, read from Babel's own output (CLDR)."""
    thousand = w.number(1000)
    ten_thousand = w.number(10000)
    group = next((c for c in ten_thousand if not c.isdigit()), "")
    if w.language == "en":
        decimal = "."
    else:
        from babel.numbers import get_decimal_symbol

        decimal = str(get_decimal_symbol(w.language))
    return {
        "group": group,
        # CLDR's minimum grouping digits: 1 groups "1,000", 2 writes "1000" but "10 000".
        "min_group": 1 if not thousand.isdigit() else 2,
        "decimal": decimal,
    }


def _texts(w: Words, min_population: int) -> dict[str, str]:
    """Every phrase the page's script prints, in the page's language (placeholders kept)."""
    return {
        "result": w("{name}, {country}"),
        "row": w("{name}, {country}: {distance}"),
        "km": w("{km} km"),
        "count": w("Cities in range: {count}"),
        "listed": w("The {shown} most populous are listed."),
        "none": w("No place found."),
        "measure": w("{distance} from the nearest origin, bearing {bearing}\u00b0 from north."),
        "hint_measure": w("Click the map for the distance and bearing from the nearest origin."),
        "population": w("Population {people}"),
        "from": w("{distance} from {origin}"),
    }


def place_rules(scene: RangeMap, rows: tuple[int, ...]) -> dict[str, Any]:
    """Return how the live "cities in range" list follows the map's places settings.

    The searchable cities (``rows`` of the gazetteer) are the candidates; the map's
    places settings (:class:`rangemap.scene.PlacesShown`, the same rules as
    :func:`rangemap.places.within`) say which of them the list may show:

    - ``top``: how many it lists, the most populous first (the settings' ``top``, or
      :data:`LISTED` for a map without places);
    - ``labels``: whether the markers on the map are named;
    - ``eligible``: one character a city, ``"1"`` when its population, country and the
      ``exclude`` list allow it and it is not inside a line or territory origin (left
      out unless ``include_origins``), else ``"0"``; ``None`` when every city is;
    - ``include_origins``: whether a city at a point origin is listed (the page checks
      that as the origins move);
    - ``rename``: ``[index, name]`` pairs, the names the settings give.

    Examples
    --------
    >>> from rangemap.reach import Reach
    >>> from rangemap.scene import RangeMap
    >>> m = RangeMap().add(Reach.from_system("atacms", ["Sumy", "Kharkiv"]))
    >>> rows = _subset(1_000_000)[0]
    >>> place_rules(m, rows)["eligible"] is None
    True
    >>> rules = place_rules(m.show_places(5, countries=["RU"]), rows)
    >>> rules["top"], rules["eligible"].count("1") < 100
    (5, True)
    """
    from rangemap.places import load_gazetteer
    from rangemap.places.within import ORIGIN_M, _matches, _read_entries, distance_to_origins

    gazetteer = load_gazetteer()
    index = np.asarray(rows, dtype=np.intp)
    keep = np.ones(index.size, dtype=bool)
    shown = scene.places
    top, labels, include = LISTED, False, False
    rename: list[list[int | str]] = []
    if shown is not None and shown.top > 0:
        top, labels, include = shown.top, shown.labels, shown.include_origins
        keep &= gazetteer.population[index] >= shown.min_population
        if shown.countries:
            keep &= np.isin(gazetteer.country[index], sorted(shown.countries))
        for key in _read_entries(shown.exclude, "exclude"):
            keep &= ~_matches(key, index)
        pairs = dict(shown.rename)
        for key, name in zip(_read_entries(pairs, "rename"), pairs.values(), strict=True):
            rename += [[int(i), name] for i in np.flatnonzero(_matches(key, index))]
    fixed = []
    for layer in scene.layers:
        fixed += [s for s in layer.reach.origins if not s.is_point and s not in fixed]
    if fixed and not include and index.size:
        metres, _ = distance_to_origins(fixed, gazetteer.lon[index], gazetteer.lat[index])
        inside = metres <= ORIGIN_M
        codes = sorted({site.country for site in fixed if site.country})
        if codes:
            inside |= np.isin(gazetteer.country[index], codes)
        keep &= ~inside
    return {
        "top": int(top),
        "labels": bool(labels),
        "include_origins": bool(include),
        "eligible": None if keep.all() else "".join("1" if k else "0" for k in keep),
        "rename": sorted(rename, key=lambda pair: int(pair[0])),
    }


def places_data(scene: RangeMap, w: Words, *, min_population: int) -> dict[str, Any]:
    """Return the JSON-able data of the places features (see the module docstring).

    Parameters
    ----------
    scene : RangeMap
        The map; its language names the places.
    w : Words
        The page's words.
    min_population : int
        The population floor of the searchable cities (capitals are always included).

    Returns
    -------
    dict

    Examples
    --------
    >>> from rangemap.scene import RangeMap
    >>> from rangemap.words import words
    >>> data = places_data(RangeMap(language="uk"), words("uk"), min_population=2_000_000)
    >>> i = data["name"].index("Київ")
    >>> data["country"][2 * i : 2 * i + 2], data["lon"][i], data["lat"][i]
    ('UA', 3052380, 5045466)
    """
    from rangemap.places import load_gazetteer
    from rangemap.places.gazetteer import local_name

    rows, keys = _subset(int(min_population))
    gazetteer = load_gazetteer()
    index = np.asarray(rows, dtype=np.int64)
    language = scene.language
    names = gazetteer.name.take(index)
    if language.split("_")[0] != "en":
        ids = gazetteer.geonameid[index].tolist()
        names = [local_name(int(i), language) for i in ids]
    codes = [str(c) for c in gazetteer.country[index]]
    english = gazetteer.country_names
    countries = {code: w.territory(code, english.get(code, code)) for code in sorted(set(codes))}
    return {
        "count": len(rows),
        "min_population": int(min_population),
        "name": names,
        "country": "".join(codes),
        "lon": [int(v) for v in np.rint(gazetteer.lon[index] * 1e5)],
        "lat": [int(v) for v in np.rint(gazetteer.lat[index] * 1e5)],
        "population": [int(v) for v in gazetteer.population[index]],
        "countries": countries,
        "keys_gz": base64.b64encode(keys).decode("ascii"),
        "listed": LISTED,
        "format": _number_format(w),
        "text": _texts(w, int(min_population)),
        "rules": place_rules(scene, rows),
    }


def search_html(w: Words) -> str:
    """Return the search box: its label, the box, the results list and the status line.

    The interactive page puts it in the bar of controls above the map; the hint the box
    is described by (``rm-find-hint``) is in :func:`range_html`, under the map.
    """
    label = w("Find a place")
    results = w("Places found")
    return (
        '<div class="rm-find-search" id="rm-find" role="search">'
        f'<label for="rm-find-q">{html_text(label)}</label>'
        '<input id="rm-find-q" type="text" role="combobox" autocomplete="off" '
        'spellcheck="false" aria-autocomplete="list" aria-expanded="false" '
        'aria-controls="rm-find-results" aria-describedby="rm-find-hint">'
        f'<ul id="rm-find-results" class="rm-find-results" role="listbox" '
        f'aria-label="{html_attr(results)}" hidden></ul>'
        '<p id="rm-find-status" class="rm-find-status" role="status"></p>'
        "</div>"
    )


def range_html(w: Words, count: int, min_population: int) -> str:
    """Return what goes under the map: the search hint, the click readout, the cities list."""
    hint = w(
        "Type a city's name in any language or script, then press Enter or choose a "
        "result to move the origin there."
    )
    subset = w(
        "Searchable: cities of at least {population} people, and all capitals ({count}).",
        population=w.number(min_population),
        count=w.number(count),
    )
    title = w("Cities in range")
    listed = w("Cities in range, most populous first")
    measure = w("Click the map for the distance and bearing from the nearest origin.")
    return (
        '<section class="rm-find-below" aria-labelledby="rm-find-range-title">'
        f'<h2 id="rm-find-range-title">{html_text(title)}</h2>'
        '<p id="rm-find-count" class="rm-find-count"></p>'
        '<p id="rm-find-listed" class="rm-find-count"></p>'
        f'<ol id="rm-find-cities" class="rm-find-cities" aria-label="{html_attr(listed)}"></ol>'
        f'<p id="rm-find-measure" class="rm-find-measure" aria-live="polite">'
        f"{html_text(measure)}</p>"
        f'<p id="rm-find-hint" class="rm-find-hint">{html_text(hint)} '
        f"{html_text(subset)}</p>"
        f'<p class="rm-find-credit">{credit_html(w)}</p>'
        "</section>"
    )


def places_panels(
    scene: RangeMap, words: Words, *, min_population: int = DEFAULT_MIN_POPULATION
) -> tuple[str, str, dict[str, Any]]:
    """Return the search box (:func:`search_html`), what goes under the map and the data.

    Examples
    --------
    >>> from rangemap.scene import RangeMap
    >>> from rangemap.words import words
    >>> bar, below, data = places_panels(RangeMap(), words("en"), min_population=5_000_000)
    >>> 'id="rm-find-q"' in bar, 'id="rm-find-cities"' in below, data["rules"]["top"]
    (True, True, 15)
    """
    data = places_data(scene, words, min_population=min_population)
    below = range_html(words, data["count"], int(min_population))
    return search_html(words), below, data


def places_fragment(
    scene: RangeMap, words: Words, *, min_population: int = DEFAULT_MIN_POPULATION
) -> tuple[str, dict[str, Any]]:
    """Return the places panel's HTML and its data for the page's ``rm-data`` JSON.

    Parameters
    ----------
    scene : RangeMap
        The map (its language names the places).
    words : Words
        The page's words.
    min_population : int, optional
        The population floor of the searchable cities; :data:`DEFAULT_MIN_POPULATION`
        (about 5,000 places) when omitted. Capitals are always searchable.

    Returns
    -------
    html : str
        The panel, escaped; its styles are :data:`PLACES_PANEL_CSS`.
    data : dict
        JSON-able; the page puts it under ``"search"`` and ``js/interactive_places.js``
        reads it.

    Examples
    --------
    >>> from rangemap.scene import RangeMap
    >>> from rangemap.words import words
    >>> html, data = places_fragment(RangeMap(), words("en"), min_population=1_000_000)
    >>> '<label for="rm-find-q">Find a place</label>' in html, data["name"][:2]
    (True, ['Shanghai', 'Beijing'])
    """
    bar, below, data = places_panels(scene, words, min_population=min_population)
    return bar + below, data


#: The panel's CSS (the page adds it to its styles): search and readout beside the list of
#: cities (in columns) on wide screens, one column on narrow ones; colours from the theme.
PLACES_PANEL_CSS = """
.rm-find-search{position:relative;flex:0 1 22rem;min-width:0;}
.rm-find-results{position:absolute;z-index:1100;left:0;right:0;top:100%;list-style:none;
margin:2px 0 0;padding:2px 0;border:1px solid var(--rule);background:#fff;color:#1d1d1b;
box-shadow:0 3px 10px rgba(0,0,0,.15);}
.rm-find-results li{padding:4px 8px 4px 5px;padding-inline:5px 8px;cursor:pointer;
border-inline-start:3px solid transparent;}
.rm-find-results li[aria-selected="true"],.rm-find-results li:hover{
border-inline-start-color:currentColor;text-decoration:underline;}
.rm-find-status{margin:3px 0 0;color:var(--muted);font-size:13px;}
.rm-find-status:empty,.rm-find-count:empty{display:none;}
.rm-find-below{order:2;padding:10px 20px 6px;font-size:13px;}
.rm-find-below h2{font-size:14px;font-weight:700;margin:0 0 2px;}
.rm-find-hint,.rm-find-count,.rm-find-credit{margin:3px 0;color:var(--muted);max-width:60rem;}
.rm-find-measure{margin:6px 0 3px;font-variant-numeric:tabular-nums;}
.rm-find-cities{margin:2px 0;padding-inline-start:1.8em;columns:15rem auto;column-gap:28px;
font-variant-numeric:tabular-nums;}
.rm-find-cities li{break-inside:avoid;}
.rm-place-live{transform:translate(7px,-55%);font-size:12px;color:var(--ink);}
[dir="rtl"] .rm-place-live{transform:translate(calc(-100% - 7px),-55%);}
@media (max-width:600px){
.rm-find-below{padding:8px 12px 4px;font-size:12px;}
}
"""
