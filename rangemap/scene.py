"""RangeMap: what a map shows (reach layers, origins, notes, title, credits) and saving it.

A :class:`RangeMap` is the description of one map, independent of its output format.
It holds :class:`Layer` objects (a :class:`~rangemap.reach.Reach` with its style),
text :class:`Annotation` objects, a title, subtitle, credit line, "as of" date, the
basemap and the view, and which gazetteer places in range it shows
(:class:`PlacesShown`, set with :meth:`RangeMap.show_places`; the table itself comes
from :meth:`RangeMap.places_in_range`), and your own points (:class:`PointsShown`, set
with :meth:`RangeMap.add_points`; in range or not from :meth:`RangeMap.points_in_range`).
:meth:`RangeMap.to_html` and :meth:`RangeMap.save` delegate to :mod:`rangemap.render`,
which owns every format.
"""

from __future__ import annotations

import datetime as dt
import html
import os
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from rangemap.errors import InputError
from rangemap.escaping import quote
from rangemap.options import Basemap, Preset
from rangemap.reach import Reach
from rangemap.regions import country_codes
from rangemap.words import words

if TYPE_CHECKING:
    import geopandas

    from rangemap.catalog import Catalog, Source
    from rangemap.theme import Theme

__all__ = [
    "DEFAULT_PLACES",
    "PALETTE",
    "Annotation",
    "Basemap",
    "Interactive",
    "Layer",
    "PlacesShown",
    "PointsShown",
    "Preset",
    "RangeMap",
    "View",
]

#: Okabe-Ito colours, distinguishable with the common forms of colour blindness,
#: ordered for reach fills on a light grey basemap.
PALETTE: tuple[str, ...] = (
    "#D55E00",  # vermillion
    "#0072B2",  # blue
    "#009E73",  # bluish green
    "#CC79A7",  # reddish purple
    "#E69F00",  # orange
    "#56B4E9",  # sky blue
    "#F0E442",  # yellow
)

_HEX = frozenset("0123456789abcdefABCDEF")


def _check_color(color: str, argument: str) -> str:
    if (
        not isinstance(color, str)
        or len(color) not in (4, 7)
        or color[0] != "#"
        or not set(color[1:]) <= _HEX
    ):
        msg = f"{argument}: {color!r} is not a colour; write it as '#rrggbb', for example '#D55E00'"
        raise InputError(msg)
    return color.upper()


@dataclass(frozen=True, slots=True)
class Layer:
    """A reach drawn on a map, with its style.

    Parameters
    ----------
    reach : Reach
        The area and its provenance.
    color : str
        Fill and outline colour, ``"#rrggbb"``.
    opacity : float
        Fill opacity between 0 and 1.
    name : str
        The legend and layer-control label; the reach's label by default.
    """

    reach: Reach
    color: str
    opacity: float = 0.18
    name: str = ""

    def __post_init__(self) -> None:
        object.__setattr__(self, "color", _check_color(self.color, "color"))
        if isinstance(self.opacity, bool) or not 0 <= self.opacity <= 1:
            msg = f"opacity: {self.opacity!r} is not between 0 and 1; for example 0.2"
            raise InputError(msg)
        if not self.name:
            object.__setattr__(self, "name", self.reach.label)


@dataclass(frozen=True, slots=True)
class Annotation:
    """A line of text placed on the map.

    Parameters
    ----------
    text : str
        The note, e.g. ``"Kursk"``.
    lon, lat : float
        Where it is placed, in degrees.
    """

    text: str
    lon: float
    lat: float

    def __post_init__(self) -> None:
        if not isinstance(self.text, str) or not self.text.strip():
            msg = "annotation: text is empty; give the words to print"
            raise InputError(msg)
        if not (-180 <= self.lon <= 180 and -90 <= self.lat <= 90):
            msg = (
                f"annotation {self.text!r}: ({self.lat}, {self.lon}) is not a latitude, "
                "longitude in degrees; write it as 'LAT, LON', for example '51.73, 36.19'"
            )
            raise InputError(msg)


@dataclass(frozen=True, slots=True)
class View:
    """A fixed view: centre and zoom level (the default view fits the reach).

    Parameters
    ----------
    lon, lat : float
        The centre, in degrees.
    zoom : int
        Leaflet zoom level, 0 (whole world) to 18.
    """

    lon: float
    lat: float
    zoom: int

    def __post_init__(self) -> None:
        if not (-180 <= self.lon <= 180 and -90 <= self.lat <= 90):
            msg = f"view: centre ({self.lat}, {self.lon}) is not a latitude, longitude in degrees"
            raise InputError(msg)
        if (
            isinstance(self.zoom, bool)
            or not isinstance(self.zoom, int)
            or not 0 <= self.zoom <= 18
        ):
            msg = f"view: zoom {self.zoom!r} is not a whole number from 0 to 18; for example 6"
            raise InputError(msg)


#: How many places in range a map shows when asked for places without a number.
DEFAULT_PLACES = 12


@dataclass(frozen=True, slots=True)
class PlacesShown:
    """Which gazetteer places in range a map shows: the most populous, with labels.

    Parameters
    ----------
    top : int
        How many places, the most populous first; 0 shows none.
    min_population : int
        Leave out places with fewer people (GeoNames figures).
    countries : tuple of str
        Keep only places in these countries (ISO codes or English names, such as
        ``("RU",)``); every country when empty.
    labels : bool
        Whether the names are printed beside the markers (they are always in the
        "cities in range" list).
    exclude : tuple of str
        Places left out: names (``"Kursk"``), ``"Name, CC"`` (``"Kursk, RU"``) or
        GeoNames ids (``"554234"``).
    rename : tuple of (str, str) pairs, or a mapping
        Names shown instead of the gazetteer's, keyed as ``exclude`` is:
        ``{"Kyiv": "Kyiv (capital)"}``.
    include_origins : bool
        Keep the places at an origin (the origin city itself, the cities inside a
        territory origin); left out by default.
    """

    top: int = DEFAULT_PLACES
    min_population: int = 0
    countries: tuple[str, ...] = ()
    labels: bool = True
    exclude: tuple[str, ...] = ()
    rename: tuple[tuple[str, str], ...] = ()
    include_origins: bool = False

    def __post_init__(self) -> None:
        if isinstance(self.top, bool) or not isinstance(self.top, int) or not 0 <= self.top <= 200:
            msg = (
                f"places: top={self.top!r} is not a whole number from 0 to 200; "
                "for example 12 (0 shows no places)"
            )
            raise InputError(msg)
        if (
            isinstance(self.min_population, bool)
            or not isinstance(self.min_population, int)
            or self.min_population < 0
        ):
            msg = (
                f"places: min_population={self.min_population!r} is not a whole number of "
                "people, 0 or more; for example 100_000"
            )
            raise InputError(msg)
        codes = country_codes(self.countries, argument="places: countries")
        object.__setattr__(self, "countries", codes)
        if not isinstance(self.labels, bool):
            msg = f"places: labels={self.labels!r} must be True or False"
            raise InputError(msg)
        object.__setattr__(self, "exclude", _texts(self.exclude, "places: exclude"))
        object.__setattr__(self, "rename", _pairs(self.rename))
        if not isinstance(self.include_origins, bool):
            msg = f"places: include_origins={self.include_origins!r} must be True or False"
            raise InputError(msg)


def _texts(values: object, argument: str) -> tuple[str, ...]:
    """Return names as a tuple of non-empty texts (a single text is one name)."""
    items = (values,) if isinstance(values, str | int) else values
    if not isinstance(items, Sequence | set | frozenset):
        msg = f"{argument}: {quote(values)} is not a list of names; for example ['Kursk, RU']"
        raise InputError(msg)
    out: list[str] = []
    for item in items:
        if isinstance(item, bool) or not isinstance(item, str | int) or not str(item).strip():
            msg = f"{argument}: {quote(item)} is not a place name or GeoNames id; e.g. 'Kursk, RU'"
            raise InputError(msg)
        out.append(str(item).strip())
    return tuple(dict.fromkeys(out))


def _pairs(values: object) -> tuple[tuple[str, str], ...]:
    """Return ``rename`` as (old, new) pairs, from a mapping or a sequence of pairs."""
    items: Any = values.items() if isinstance(values, Mapping) else values
    if isinstance(items, str) or not isinstance(items, Iterable):
        msg = f"places: rename: {quote(values)} is not a mapping; for example {{'Kyiv': 'Kiev'}}"
        raise InputError(msg)
    out: dict[str, str] = {}
    for item in items:
        if (
            not isinstance(item, tuple | list)
            or len(item) != 2
            or not all(isinstance(v, str | int) and not isinstance(v, bool) for v in item)
            or not all(str(v).strip() for v in item)
        ):
            msg = (
                f"places: rename: {quote(item)} is not an old name and a new one; "
                "for example {'Kyiv': 'Kyiv (capital)'}"
            )
            raise InputError(msg)
        out[str(item[0]).strip()] = str(item[1]).strip()
    return tuple(out.items())


def _choice_ids(values: object, argument: str, catalog: Catalog | None = None) -> tuple[str, ...]:
    """Return the ``SYSTEM[:VARIANT]`` ids a reader may switch to, each checked in the catalog.

    ``catalog`` is the one the map's own system comes from (the user's spec folders
    merged over the built-in specs); the built-in catalog when ``None``.
    """
    items = values.split(",") if isinstance(values, str) else values
    if not isinstance(items, Sequence):
        msg = f"{argument}: {quote(values)} is not a list of systems; for example storm-shadow"
        raise InputError(msg)
    from rangemap.catalog import Catalog, load_catalog
    from rangemap.errors import RangemapError

    if catalog is None:
        catalog = load_catalog()
    elif not isinstance(catalog, Catalog):
        msg = (
            f"interactive: catalog={quote(catalog)} is not a Catalog; for example "
            "Catalog.load(extra_dirs=['myspecs'])"
        )
        raise InputError(msg)
    out: list[str] = []
    for item in items:
        text = item.strip() if isinstance(item, str) else ""
        if not text:
            msg = f"{argument}: {quote(item)} is not a system id; for example 'atacms:block-i'"
            raise InputError(msg)
        try:
            system, variant = catalog.resolve(text)
        except RangemapError as err:
            # The catalog's own words: the closest ids, or the variants the system has.
            hint = _CHOICE_HINTS.get(argument, "")
            msg = f"{argument}: {quote(text)} is not in the catalog. {err}{hint}"
            raise InputError(msg) from None
        if variant.max_range is None:
            msg = f"{argument}: {quote(text)} has no reported range; choose a munition it fires"
            raise InputError(msg)
        out.append(f"{system.id}:{variant.id}")
    return tuple(dict.fromkeys(out))


#: Where a choice from the user's own specs comes from, said after an unknown choice.
_CHOICE_HINTS = {
    "interactive: choices": (
        " A system from your own specs needs their catalog: "
        "Interactive(choices, catalog=Catalog.load(extra_dirs=['myspecs']))."
    ),
    "interactive.choices": (
        " A system from your own specs needs their folder in the recipe's specs list."
    ),
}


@dataclass(frozen=True, slots=True)
class Interactive:
    """The reader's map: draggable origins, other systems to switch to, searchable places.

    Only the HTML page uses it (``rangemap.render.interactive``); other formats
    draw the map as it is.

    Parameters
    ----------
    choices : tuple of str
        Other systems a reader may switch to, ``"SYSTEM[:VARIANT]"`` catalog ids such
        as ``"storm-shadow"`` or ``"atacms:block-i"``; the map's own system comes first.
    min_population : int or None
        The smallest city a reader can search for (GeoNames figures); about 5,000
        cities when ``None``.
    catalog : Catalog or None
        Where the choices come from: the catalog the map's own system came from
        (``Catalog.load`` with your spec folders), so a reader
        can switch to a system of your own; the built-in catalog when ``None``.

    Examples
    --------
    >>> Interactive(("storm-shadow", "atacms:block-i")).choices
    ('storm-shadow:export', 'atacms:block-i')
    >>> from rangemap.catalog import load_catalog
    >>> Interactive(("SCALP-EG",), catalog=load_catalog()).choices
    ('storm-shadow:export',)
    """

    choices: tuple[str, ...] = ()
    min_population: int | None = None
    catalog: Catalog | None = field(default=None, repr=False, hash=False)

    def __post_init__(self) -> None:
        checked = _choice_ids(self.choices, "interactive: choices", self.catalog)
        object.__setattr__(self, "choices", checked)
        if self.min_population is not None and (
            isinstance(self.min_population, bool)
            or not isinstance(self.min_population, int)
            or self.min_population < 0
        ):
            msg = (
                f"interactive: min_population={quote(self.min_population)} is not a whole "
                "number of people, 0 or more; for example 50_000"
            )
            raise InputError(msg)


@dataclass(frozen=True, slots=True, eq=False)
class PointsShown:
    """Your own points on a map: a table of named points, drawn and listed in or out of range.

    Parameters
    ----------
    frame : geopandas.GeoDataFrame
        As :func:`rangemap.places.read_points` returns: ``name``, other columns,
        point geometries in EPSG:4326.
    name : str
        The heading of the list and the legend, ``"Your points"`` when empty.
    """

    frame: geopandas.GeoDataFrame
    name: str = ""


@dataclass
class RangeMap:
    """One reach map: layers, origins, notes, title, credits, basemap and view.

    Parameters
    ----------
    layers : iterable of Layer or Reach, optional
        The reach layers, in legend order. A bare :class:`~rangemap.reach.Reach`
        gets the next palette colour.
    title, subtitle, credit : str, optional
        Printed above and below the map. The credit is e.g. ``"Graphic: Kyiv Desk"``.
    as_of : datetime.date, optional
        The date the map describes; the latest ``as_of`` of the systems shown when
        omitted.
    basemap : str, optional
        ``"offline"`` (bundled country boundaries, no network) or the name of an
        xyzservices tile provider such as ``"OpenStreetMap.Mapnik"``.
    view : View, optional
        A fixed centre and zoom; the view fits the reach when omitted.
    annotations : iterable of Annotation, optional
        Text notes on the map.
    places : PlacesShown, optional
        The most populous gazetteer places inside the reach, drawn as labelled
        markers with a "cities in range" list and the GeoNames credit; none when
        omitted. :meth:`show_places` sets it.
    preset : {"social", "square", "print"} or Preset, optional
        The size of static images (.png, .svg, .pdf) when :meth:`save` is given
        none; a recipe's ``preset`` (and ``size``, ``dpi``) fields set it. HTML and
        GeoJSON ignore it.
    language : str, optional
        The language of the words printed around the map (:mod:`rangemap.words`);
        English (``"en"``) when omitted.
    points : PointsShown, optional
        Your own points, drawn as squares (filled in range, hollow out of range) and
        listed in or out of range with distances; :meth:`add_points` sets it.
    theme : Theme, str or os.PathLike, optional
        The house style (:mod:`rangemap.theme`): a :class:`~rangemap.theme.Theme`, a
        shipped theme's name (``"light"``, the default look, or ``"dark"``) or a theme
        file. Layers added without a colour take the theme's reach palette.
    tiles_url, tiles_attribution : str, optional
        Web tiles from a URL template (``https://.../{z}/{x}/{y}.png``) and the
        attribution their licence asks for (both or neither); HTML only.
    borders : bool, optional
        Draw the bundled country borders on top of web tiles too (HTML).
    interactive : Interactive or bool, optional
        The HTML page becomes the reader's map (:class:`Interactive`): point origins
        can be dragged, other systems chosen, places searched; ``True`` for the
        defaults. Other formats ignore it, with a warning.

    Examples
    --------
    >>> from rangemap.reach import Reach
    >>> m = RangeMap(title="What ATACMS can reach from Sumy")
    >>> _ = m.add(Reach.from_distance(300_000, "50.91, 34.80=Sumy"))
    >>> m.layers[0].color
    '#D55E00'
    >>> _ = m.show_places(3, min_population=100_000, countries=["RU"])
    >>> list(m.places_in_range()["name"])
    ['Kursk', 'Bryansk', 'Belgorod']
    """

    layers: list[Layer] = field(default_factory=list)
    title: str | None = None
    subtitle: str | None = None
    credit: str | None = None
    as_of: dt.date | None = None
    basemap: str | Basemap = "offline"
    view: View | None = None
    annotations: list[Annotation] = field(default_factory=list)
    places: PlacesShown | None = None
    preset: str | Preset | None = None
    language: str = "en"
    points: PointsShown | None = field(default=None, compare=False)
    theme: Theme | str | os.PathLike[str] | None = None
    tiles_url: str | None = None
    tiles_attribution: str | None = None
    borders: bool = False
    interactive: Interactive | bool | None = None

    def __post_init__(self) -> None:
        words(self.language)  # a language without a catalog is refused here
        if self.interactive is True:
            self.interactive = Interactive()
        elif self.interactive is False:
            self.interactive = None
        elif self.interactive is not None and not isinstance(self.interactive, Interactive):
            msg = (
                f"interactive: {quote(self.interactive)} is not True, False or an Interactive; "
                "for example Interactive(choices=('storm-shadow',))"
            )
            raise InputError(msg)
        from rangemap.theme import resolve_theme

        self.theme = resolve_theme(self.theme)
        if self.tiles_url is not None or self.tiles_attribution is not None:
            self.basemap = Basemap.custom(self.tiles_url, self.tiles_attribution)
        if self.places is not None and not isinstance(self.places, PlacesShown):
            msg = (
                f"places: {self.places!r} is not a PlacesShown; call "
                "RangeMap.show_places(12, min_population=100_000) instead"
            )
            raise InputError(msg)
        given = list(self.layers)
        self.layers = []
        for item in given:
            if isinstance(item, Layer):
                self.layers.append(item)
            else:
                self.add(item)
        self.annotations = list(self.annotations)
        if self.points is not None and not isinstance(self.points, PointsShown):
            msg = (
                f"points: {quote(self.points)} is not a PointsShown; call "
                "RangeMap.add_points('sites.csv') instead"
            )
            raise InputError(msg)

    def add(
        self,
        reach: Reach,
        *,
        color: str | None = None,
        opacity: float | None = None,
        name: str | None = None,
    ) -> RangeMap:
        """Add a reach layer and return the map (calls can be chained).

        Parameters
        ----------
        reach : Reach
            What to draw.
        color : str, optional
            ``"#rrggbb"``; the next unused palette colour when omitted.
        opacity : float, optional
            Fill opacity, 0 to 1; 0.18 when omitted.
        name : str, optional
            Legend label; the reach's label when omitted.

        Returns
        -------
        RangeMap
            This map.
        """
        if not isinstance(reach, Reach):
            msg = f"add: {reach!r} is not a Reach; build one with Reach.from_system(...)"
            raise InputError(msg)
        if color is None:
            palette = self.palette
            used = {layer.color for layer in self.layers}
            color = next(
                (c for c in palette if c not in used), palette[len(self.layers) % len(palette)]
            )
        self.layers.append(
            Layer(reach, color, 0.18 if opacity is None else opacity, name or reach.label)
        )
        return self

    @property
    def palette(self) -> tuple[str, ...]:
        """The colours layers take in turn: the theme's reach palette, else :data:`PALETTE`."""
        theme = self.theme
        if theme is None or isinstance(theme, str | os.PathLike):
            return PALETTE
        return tuple(theme.colors.reach)

    def use_theme(self, theme: Theme | str | os.PathLike[str] | None) -> RangeMap:
        """Set the house style and return the map; layers in palette colours follow it.

        A layer whose colour is the old palette's n-th colour takes the new palette's
        n-th (so a recipe that picks palette colours follows the theme); any other
        colour stays.
        """
        from rangemap.theme import resolve_theme

        old = self.palette
        self.theme = resolve_theme(theme)
        new = self.palette
        for i, layer in enumerate(self.layers):
            if layer.color in old:
                index = old.index(layer.color) % len(new)
                self.layers[i] = Layer(layer.reach, new[index], layer.opacity, layer.name)
        return self

    def annotate(self, text: str, lon: float, lat: float) -> RangeMap:
        """Place a line of text at (lon, lat) and return the map."""
        self.annotations.append(Annotation(text, lon, lat))
        return self

    def show_places(
        self,
        top: int = DEFAULT_PLACES,
        *,
        min_population: int = 0,
        countries: str | Sequence[str] = (),
        labels: bool = True,
        exclude: str | Sequence[str] = (),
        rename: Mapping[str, str] | Sequence[tuple[str, str]] = (),
        include_origins: bool = False,
    ) -> RangeMap:
        """Show the most populous gazetteer places inside the reach; return the map.

        The places inside the union of the reach layers become labelled markers, a
        "cities in range" list (name, country, population, distance from the nearest
        origin) with the ``POPULATION_LABEL`` sum, and the
        GeoNames credit, in every output format.

        Parameters
        ----------
        top : int, optional
            How many places, the most populous first; 12 when omitted, 0 for none.
        min_population : int, optional
            Leave out places with fewer people.
        countries : str or sequence of str, optional
            Keep only places in these countries, such as ``["RU"]``.
        labels : bool, optional
            Print the names beside the markers (True when omitted).
        exclude : str or sequence of str, optional
            Places to leave out: names, ``"Name, CC"`` or GeoNames ids.
        rename : mapping or sequence of pairs, optional
            Names to show instead, keyed as ``exclude``: ``{"Kyiv": "Kyiv (capital)"}``.
        include_origins : bool, optional
            Keep the places at an origin (left out when omitted).

        Returns
        -------
        RangeMap
            This map.

        Examples
        --------
        >>> from rangemap.reach import Reach
        >>> m = RangeMap().add(Reach.from_distance(165_000, "Kharkiv"))
        >>> m.show_places(2, countries="RU").places.top
        2
        """
        chosen = (countries,) if isinstance(countries, str) else tuple(countries)
        dropped = (exclude,) if isinstance(exclude, str) else tuple(exclude)
        pairs = _pairs(rename)
        shown = PlacesShown(top, min_population, chosen, labels, dropped, pairs, include_origins)
        self.places = shown if shown.top > 0 else None
        return self

    def places_in_range(self) -> geopandas.GeoDataFrame | None:
        """Return the places the map shows, the most populous first, or ``None``.

        Returns
        -------
        geopandas.GeoDataFrame or None
            The rows of :func:`rangemap.places.within` for the union of the reach
            layers (``name``, ``country``, ``population``, ``distance_km`` from the
            nearest origin, ``nearest_origin``, ...), at most ``places.top`` of
            them; ``None`` when the map shows no places.
        """
        columns = self._place_columns()
        if columns is None:
            return None
        import geopandas

        from rangemap.places import GEONAMES_CREDIT, POPULATION_LABEL

        top = geopandas.GeoDataFrame(
            columns,
            geometry=geopandas.points_from_xy(columns["lon"], columns["lat"]),
            crs="EPSG:4326",
        )
        top.attrs = {"credit": GEONAMES_CREDIT, "population_label": POPULATION_LABEL}
        return top

    def _place_columns(self) -> dict[str, Any] | None:
        """Return the rows of :meth:`places_in_range` as numpy columns (no geopandas), or None."""
        shown = self.places
        if shown is None or shown.top == 0 or not self.layers:
            return None
        import numpy as np
        import shapely

        from rangemap.places.within import within_columns

        area = shapely.union_all([layer.reach.geometry for layer in self.layers])
        origins = []
        for layer in self.layers:
            for site in layer.reach.origins:
                if site not in origins:
                    origins.append(site)
        table = within_columns(
            area,
            origins=origins or None,
            min_population=shown.min_population,
            countries=shown.countries or None,
            include_origins=shown.include_origins,
            exclude=shown.exclude,
            rename=dict(shown.rename) or None,
        )
        keys = [table["population"], table["geonameid"]]
        order = np.lexsort((keys[1], -keys[0].astype("int64")))[: shown.top]
        return {key: column[order] for key, column in table.items()}

    def add_points(
        self,
        points: geopandas.GeoDataFrame | str | os.PathLike[str],
        *,
        label: str | None = None,
        name: str | None = None,
    ) -> RangeMap:
        """Show your own points, in range or not, on the map; return the map.

        Every output marks them with squares (filled when in range of a layer, hollow
        when not, and the legend says which is which), labels them, and lists them
        ("Your points": in or out of range, distance to the nearest origin, margin).
        Calling it again adds more points to the same list.

        Parameters
        ----------
        points : geopandas.GeoDataFrame or path
            A GeoDataFrame of points (any CRS) or a CSV, GeoJSON, GeoPackage or KML
            file, read with :func:`rangemap.places.read_points`.
        label : str, optional
            The column holding the names (``name``, ``title``, ... when omitted).
        name : str, optional
            The heading of the list, ``"Your points"`` when omitted.

        Returns
        -------
        RangeMap
            This map.

        Examples
        --------
        >>> import geopandas
        >>> from rangemap.reach import Reach
        >>> sites = geopandas.GeoDataFrame(
        ...     {"site": ["Kursk airfield", "Voronezh"]},
        ...     geometry=geopandas.points_from_xy([36.29, 39.20], [51.75, 51.66]), crs=4326)
        >>> m = RangeMap().add(Reach.from_distance(300_000, "50.91, 34.80=Sumy"))
        >>> table = m.add_points(sites, label="site").points_in_range()
        >>> table[["name", "in_range"]].values.tolist()
        [['Kursk airfield', True], ['Voronezh', False]]
        """
        from rangemap.places.points import MAX_POINTS, as_points, read_points

        if isinstance(points, str | os.PathLike):
            frame = read_points(points, label=label)
        else:
            frame = as_points(points, label=label)
        if name is not None and (not isinstance(name, str) or not name.strip()):
            msg = f"add_points: name={quote(name)} is not a heading; for example 'Airfields'"
            raise InputError(msg)
        if self.points is not None:
            import pandas as pd

            if len(self.points.frame) + len(frame) > MAX_POINTS:
                msg = f"add_points: a map takes at most {MAX_POINTS:,} points"
                raise InputError(msg)
            merged = pd.concat([self.points.frame, frame], ignore_index=True)
            frame = type(frame)(merged, geometry="geometry", crs="EPSG:4326")
            name = name or self.points.name
        self.points = PointsShown(frame, (name or "").strip())
        return self

    def points_in_range(self) -> geopandas.GeoDataFrame | None:
        """Return your points against every layer, or ``None`` without points or layers.

        Returns
        -------
        geopandas.GeoDataFrame or None
            :func:`rangemap.places.points_in_reach` of the points and the layers: one
            row per point per layer (``name``, ``layer``, ``in_range``,
            ``distance_km``, ``margin_km``, ``nearest_origin``, ``lat``, ``lon``, the
            file's columns).
        """
        if self.points is None or not self.layers:
            return None
        from rangemap.places.points import points_in_reach

        return points_in_reach(self.points.frame, self.layers)

    @property
    def date(self) -> dt.date | None:
        """The "as of" date printed on the map: given, else the latest of the systems."""
        if self.as_of is not None:
            return self.as_of
        dates = [layer.reach.as_of for layer in self.layers if layer.reach.as_of is not None]
        return max(dates) if dates else None

    def sources(self) -> list[Source]:
        """Every source behind the layers, in order of first use, without repeats."""
        seen: dict[tuple[str, str, str], Source] = {}
        for layer in self.layers:
            for source in layer.reach.sources:
                key = (source.publisher, source.title, str(source.url))
                seen.setdefault(key, source)
        return list(seen.values())

    def to_html(self) -> str:
        """Render the map as one self-contained HTML page.

        Returns
        -------
        str
            The page; with ``basemap="offline"`` it makes no network request.
        """
        from rangemap import render

        return render.to_html(self)

    def to_geojson(self) -> dict[str, Any]:
        """Return the map as an RFC 7946 FeatureCollection with its provenance.

        One polygon feature per reach layer, then, when the map shows places, one
        point feature per place (``kind: "place"``, name, country, population,
        distance_km and the GeoNames ``credit``) and a ``places_credit`` member.
        """
        from rangemap import render

        return render.to_geojson(self)

    def describe(self, language: str | None = None, *, static: bool = False) -> str:
        """Return the map's text alternative: what is shaded, from where, whose figure, cities.

        The same text every output carries (the HTML page's summary, SVG ``<desc>``,
        PNG ``Description`` and ``NAME.alt.txt``, PDF subject); see
        :func:`rangemap.render.describe.describe`.

        Parameters
        ----------
        language : str, optional
            A language code; the map's own language when omitted.
        static : bool, optional
            Name the projection of static images rather than the HTML page's.

        Examples
        --------
        >>> from rangemap.reach import Reach
        >>> m = RangeMap(title="165 km from Kharkiv").add(Reach.from_distance(165_000, "Kharkiv"))
        >>> m.describe().split(". ")[0]
        '165 km from Kharkiv'
        """
        from rangemap.render.describe import describe

        return describe(self, language, projection="static" if static else "web")

    def embed_snippet(self, src: str, *, aspect: float = 0.75) -> str:
        """Return a responsive ``<iframe>`` snippet for a CMS page; see :func:`rangemap.render.embed_snippet`."""  # noqa: E501
        from rangemap import render

        return render.embed_snippet(self, src, aspect=aspect)

    def save(
        self,
        path: str | os.PathLike[str],
        *,
        embed: bool = False,
        preset: str | Preset | None = None,
        max_bytes: int | None = None,
        size: str | tuple[int, int] | None = None,
        dpi: int | None = None,
        embed_url: str | None = None,
    ) -> Path:
        """Write the map to a file; the format comes from the suffix.

        Parameters
        ----------
        path : str or os.PathLike
            ``.html``/``.htm`` (self-contained offline page), ``.png``, ``.svg`` or
            ``.pdf`` (static image), ``.geojson`` (RFC 7946 features), ``.kml``
            (Google Earth), ``.gpkg`` (GeoPackage), or any suffix added with
            ``rangemap.render.register_writer``; :func:`rangemap.render.writers`
            lists them.
        embed : bool, optional
            With ``.html``, also write ``<name>.embed.html``: an ``<iframe>`` snippet
            for a CMS.
        preset : {"social", "square", "print"}, optional
            With ``.png``, ``.svg`` or ``.pdf``: the image size, see
            :data:`rangemap.options.PRESETS`. Defaults to the map's own
            ``preset`` (set by a recipe), else ``"social"`` (``"print"`` for PDF).
        size : str or (int, int), optional
            With ``.png``, ``.svg`` or ``.pdf``: a custom image size in pixels,
            ``(1600, 900)`` or ``"1600x900"``; the PNG is exactly that size.
        dpi : int, optional
            With ``.png``, ``.svg`` or ``.pdf``: pixels per inch (50 to 1200); see
            :meth:`rangemap.options.Preset.resolve`.
        max_bytes : int, optional
            With ``.geojson``: simplify the shapes until the file is at most this
            many bytes, for upload limits (Datawrapper, Flourish); see
            :func:`rangemap.render.vector.simplified_geojson`.
        embed_url : str, optional
            With ``.html``: the ``https://`` address the page will be published at,
            the ``src`` of the embed snippet (implies ``embed``); without it the snippet
            names the page by its file name, so it works only beside the map.

        Returns
        -------
        pathlib.Path
            The path written. Every output is checked before any work, and the files
            are replaced only once all new ones are complete.

        Raises
        ------
        InputError
            If the suffix is not supported, an option does not apply to it, the
            preset is unknown, the folder does not exist or cannot be written.

        Examples
        --------
        >>> import pathlib, tempfile
        >>> from rangemap.reach import Reach
        >>> m = RangeMap(title="300 km from Kharkiv").add(Reach.from_distance(300_000, "Kharkiv"))
        >>> folder = pathlib.Path(tempfile.mkdtemp())
        >>> m.save(folder / "kharkiv.png", preset="square").name
        'kharkiv.png'
        >>> m.save(folder / "kharkiv.geojson", max_bytes=20_000).stat().st_size <= 20_000
        True
        >>> m.save(folder / "kharkiv-wide.png", size=(1600, 900)).name
        'kharkiv-wide.png'
        """
        from rangemap import render

        if size is not None or dpi is not None:
            if preset is None and self.preset is not None and Path(path).suffix.lower() != ".pdf":
                preset = self.preset
            preset = Preset.resolve(preset, size=size, dpi=dpi)
        return render.save(
            self, path, embed=embed, preset=preset, max_bytes=max_bytes, embed_url=embed_url
        )

    def _repr_html_(self) -> str:
        """Show the map in Jupyter: an ``<iframe srcdoc>`` with the escaped page."""
        page = html.escape(self.to_html(), quote=True)
        return (
            f'<iframe srcdoc="{page}" style="width:100%;height:640px;border:0;" '
            'sandbox="allow-scripts allow-popups" title="rangemap"></iframe>'
        )
