"""Places in range, for every renderer: rows, the "cities in range" panel, features.

This module owns how the places a :class:`~rangemap.scene.RangeMap` shows (see
:meth:`~rangemap.scene.RangeMap.show_places`) are turned into output: the plain rows
every renderer draws (:func:`place_rows`), the HTML "cities in range" panel and its
CSS (with the map's place labels and tooltips), the GeoNames credit with its licence
link, the one-line summary for static images, and the point features of the exports
(GeoJSON features, from which :mod:`rangemap.render.export` writes a KML folder and a
GeoPackage layer). The summed population is always labelled ``POPULATION_LABEL`` and
called indicative:
GeoNames counts some suburbs apart from their city.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any

from rangemap.escaping import clean_data, href, html_attr, html_text
from rangemap.words import Words, words

if TYPE_CHECKING:
    from rangemap.places import Site
    from rangemap.scene import RangeMap

__all__ = [
    "PLACES_CSS",
    "PlaceRow",
    "credit_html",
    "origin_label",
    "panel_html",
    "place_features",
    "place_rows",
    "population_note",
    "summary_text",
]

_EN = words("en")

#: Shown under the summed population wherever it is printed (a phrase for :class:`Words`).
SUM_NOTE = "GeoNames counts some suburbs apart from their city, so the sum is indicative."


@dataclass(frozen=True, slots=True)
class PlaceRow:
    """One place in range, as drawn and listed."""

    name: str
    country: str
    country_name: str
    population: int
    lon: float
    lat: float
    distance_km: float | None
    nearest_origin: str | None
    geonameid: int


def place_rows(scene: RangeMap) -> list[PlaceRow]:
    """Return the places a map shows, the most populous first (empty when none).

    Names (of the places and of their nearest origins) are in the map's language
    (:func:`rangemap.places.gazetteer.local_name`).

    Examples
    --------
    >>> from rangemap.reach import Reach
    >>> from rangemap.scene import RangeMap
    >>> m = RangeMap().add(Reach.from_distance(300_000, "Sumy"))
    >>> [row.name for row in place_rows(m.show_places(2, countries=["RU"]))]
    ['Kursk', 'Bryansk']
    """
    table = scene._place_columns()  # the rows of places_in_range(), without geopandas
    if table is None or len(table["name"]) == 0:
        return []
    from rangemap.places import load_gazetteer

    names = load_gazetteer().country_names
    has_distance = "distance_km" in table
    rows: list[PlaceRow] = []
    for i in range(len(table["name"])):
        code = str(table["country"][i])
        rows.append(
            PlaceRow(
                name=str(table["name"][i]),
                country=code,
                country_name=names.get(code, code),
                population=int(table["population"][i]),
                lon=float(table["lon"][i]),
                lat=float(table["lat"][i]),
                distance_km=float(table["distance_km"][i]) if has_distance else None,
                nearest_origin=(
                    str(table["nearest_origin"][i])
                    if has_distance and table["nearest_origin"][i] is not None
                    else None
                ),
                geonameid=int(table["geonameid"][i]),
            )
        )
    return _in_language(rows, scene)


def origin_label(site: Site, language: str) -> str | None:
    """Return an origin's label in the map's language (a label someone chose is kept).

    Examples
    --------
    >>> from rangemap.places import Site
    >>> origin_label(Site.from_text("Sumy"), "uk"), origin_label(Site.from_text("Sumy"), "en")
    ('Суми', 'Sumy')
    """
    if not site.label or not site.is_point:
        return site.label
    from rangemap.places.gazetteer import local_label

    return local_label(site.label, site.lon, site.lat, language)


def country_label(name: str, w: Words) -> str:
    """Return a bundled country's name as the map prints it: in the map's language (CLDR).

    Examples
    --------
    >>> from rangemap.words import words
    >>> country_label("Ukraine", words("uk")), country_label("Ukraine", words("en"))
    ('Україна', 'Ukraine')
    """
    if w.language == "en":
        return name
    from rangemap import regions

    world = regions.atlas()
    codes = dict(zip(world.names, world.iso2, strict=True))
    return w.territory(codes.get(name) or "", name)


def _in_language(rows: list[PlaceRow], scene: RangeMap) -> list[PlaceRow]:
    """Name the places, and the origins they are nearest, in the map's language.

    English maps keep the GeoNames names (and read no other language's names).
    """
    language = scene.language
    if not rows or language.split("_")[0] == "en":
        return rows
    from rangemap.places.gazetteer import local_name

    origins = {
        site.label: origin_label(site, language)
        for layer in scene.layers
        for site in layer.reach.origins
        if site.label
    }
    return [
        replace(
            row,
            name=local_name(row.geonameid, language),
            nearest_origin=row.nearest_origin
            and (origins.get(row.nearest_origin) or row.nearest_origin),
        )
        for row in rows
    ]


def population_note(rows: Sequence[PlaceRow], w: Words = _EN) -> str:
    """Return ``"Population of listed cities: 1,234,567."`` for the rows.

    Examples
    --------
    >>> population_note([])
    'Population of listed cities: 0.'
    """
    total = sum(row.population for row in rows)
    return w("Population of listed cities: {total}.", total=w.number(total))


def summary_text(rows: Sequence[PlaceRow], w: Words = _EN) -> str:
    """Return the one-line list printed under static maps.

    Examples
    --------
    >>> summary_text([])
    ''
    """
    if not rows:
        return ""
    parts = []
    for row in rows:
        people = w.number(row.population)
        if row.distance_km is None:
            parts.append(w("{name} ({people})", name=row.name, people=people))
        else:
            km = w("{km} km", km=w.number(row.distance_km))
            parts.append(w("{name} ({people}; {km})", name=row.name, people=people, km=km))
    listed = w("Cities in range: {places}.", places=w(", ").join(parts))
    return f"{listed} {population_note(rows, w)} {w(SUM_NOTE)}"


def credit_html(w: Words = _EN) -> str:
    """Return the GeoNames credit as HTML, with a link to the CC BY 4.0 licence."""
    from rangemap.places import GEONAMES_CREDIT, GEONAMES_LICENSE_URL

    text, _, licence = GEONAMES_CREDIT.rpartition(", ")
    link = href(GEONAMES_LICENSE_URL)
    return (
        f'<span class="rm-geonames">{html_text(w(text))}, <a href="{link}" target="_blank" '
        f'rel="noopener noreferrer license">{html_text(licence)}</a>.</span>'
    )


def panel_html(rows: Sequence[PlaceRow], w: Words = _EN) -> str:
    """Return the "cities in range" panel: a table and the labelled, indicative sum."""
    if not rows:
        return ""
    with_distance = any(row.distance_km is not None for row in rows)
    heads = ["City", "Country", "Population"] + (["Distance", "from"] if with_distance else [])
    head = "".join(f"<th>{html_text(w(h))}</th>" for h in heads)
    body: list[str] = []
    for row in rows:
        cells = (
            f"<td>{html_text(row.name)}</td>"
            f"<td>{html_text(w.territory(row.country, row.country_name))}</td>"
            f"<td>{html_text(w.number(row.population))}</td>"
        )
        if with_distance:
            km = (
                w("{km}\u00a0km", km=w.number(row.distance_km))
                if row.distance_km is not None
                else ""
            )
            cells += f"<td>{html_text(km)}</td><td>{html_text(row.nearest_origin or '')}</td>"
        body.append(f"<tr>{cells}</tr>")
    notes = [w(SUM_NOTE)]
    if with_distance:
        notes.append(w("Distances are geodesic, from the nearest origin."))
    title = w("Cities in range")
    return (
        f'<section class="rm-places" aria-label="{html_attr(title)}">'
        f"<h2>{html_text(title)}</h2>"
        f'<table class="rm-places-table"><thead><tr>{head}</tr></thead>'
        f"<tbody>{''.join(body)}</tbody></table>"
        f'<p class="rm-places-sum"><strong>{html_text(population_note(rows, w))}</strong> '
        f"{html_text(' '.join(notes))}</p>"
        "</section>"
    )


def table_panel_css(panel: str) -> str:
    """Return the CSS of a listing under the map (cities in range, your points).

    The section is ``.{panel}``, with its heading and its table ``.{panel}-table``.
    """
    return f"""
.{panel}{{order:2;padding:10px 20px 4px;font-size:13px;}}
.{panel} h2{{font-size:14px;font-weight:700;margin:0 0 6px;}}
.{panel}-table{{border-collapse:collapse;font-variant-numeric:tabular-nums;}}
.{panel}-table th{{text-align:left;font-weight:600;color:var(--muted);
border-bottom:1px solid var(--rule);padding:2px 14px 3px 0;}}
.{panel}-table td{{padding:2px 14px 2px 0;border-bottom:1px solid #f0f0ec;}}
"""


#: CSS for the panel and the place labels on the map.
PLACES_CSS = (
    table_panel_css("rm-places")
    + """.rm-places-table :is(td,th):nth-child(3),.rm-places-table :is(td,th):nth-child(4){
text-align:right;}
.rm-places-sum{margin:6px 0 0;color:var(--muted);max-width:60rem;}
.rm-places-sum strong{color:var(--ink);font-weight:600;}
.rm-place{transform:translate(7px,-55%);color:#1d1d1b;font-size:12px;font-weight:500;}
.rm-geonames a{color:#0b5c8c;}
.rm-tip{font-size:12.5px;line-height:1.35;}
.rm-tip strong,.rm-tip span{display:block;}
.rm-tip strong{font-weight:650;}
@media (max-width:600px){
.rm-places{padding:8px 12px 2px;font-size:12px;}
.rm-places-table th,.rm-places-table td{padding-right:8px;}
.rm-place{font-size:11px;}
}
"""
)


def point_feature(properties: dict[str, Any], lon: float, lat: float) -> dict[str, Any]:
    """Return a GeoJSON Point feature, its properties cleaned, its position to 1e-6°.

    Examples
    --------
    >>> point_feature({"name": "Sumy"}, 34.79913, 50.9216)["geometry"]
    {'type': 'Point', 'coordinates': [34.79913, 50.9216]}
    """
    return {
        "type": "Feature",
        "properties": clean_data(properties),
        "geometry": {"type": "Point", "coordinates": [round(lon, 6), round(lat, 6)]},
    }


def place_features(rows: Sequence[PlaceRow]) -> list[dict[str, Any]]:
    """Return places in range as RFC 7946 point features with their credit.

    Examples
    --------
    >>> from rangemap.reach import Reach
    >>> from rangemap.scene import RangeMap
    >>> m = RangeMap().add(Reach.from_distance(300_000, "Sumy")).show_places(1, countries="RU")
    >>> place_features(place_rows(m))[0]["properties"]["name"]
    'Kursk'
    """
    from rangemap.places import GEONAMES_CREDIT, POPULATION_LABEL

    features = []
    for row in rows:
        properties = {
            "kind": "place",
            "name": row.name,
            "country": row.country,
            "country_name": row.country_name,
            "population": row.population,
            "distance_km": round(row.distance_km, 3) if row.distance_km is not None else None,
            "nearest_origin": row.nearest_origin,
            "geonameid": row.geonameid,
            "credit": GEONAMES_CREDIT,
            "population_label": POPULATION_LABEL,
        }
        features.append(point_feature(properties, row.lon, row.lat))
    return features
