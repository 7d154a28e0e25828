"""``rangemap map``: draw a system's (or a distance's) reach from origins, or a recipe.

This module owns the ``map`` subcommand: it reads the arguments, builds a
:class:`~rangemap.scene.RangeMap` through the public API and saves it atomically.
Human-facing coordinates are ``"LAT, LON"`` (N/S/E/W and DMS accepted).
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from rangemap.cli._common import (
    add_specs_option,
    check_output,
    import_folium_lean,
    report_resolved,
)
from rangemap.errors import InputError
from rangemap.escaping import quote, terminal
from rangemap.options import PRESETS, Basemap, Preset
from rangemap.places import as_sites
from rangemap.reach import Reach
from rangemap.recipes import load_recipe
from rangemap.regions import country_codes
from rangemap.render import embed_path, writers
from rangemap.scene import DEFAULT_PLACES, RangeMap
from rangemap.units import MAX_DISTANCE_M, parse_distance, parse_tolerance

__all__ = ["FIGURE_KINDS", "check_output", "register"]

#: The claim kinds ``--figure-kind`` names: figures drawn only when asked for (stated
#: maxima and estimates are always drawn).
FIGURE_KINDS = ("flight-distance", "requirement", "class-band")

#: The one-line summary ``rangemap --help`` lists (read there without importing this).
HELP = (
    "draw a reach map (HTML, PNG, SVG, PDF, GeoJSON, KML, GeoPackage) from a system and "
    "origins, or a recipe"
)


def register(subparsers: Any) -> None:
    """Add the ``map`` subcommand to the ``rangemap`` parser (see :mod:`rangemap.cli`)."""
    parser = subparsers.add_parser(
        "map",
        help=HELP,
        description=(
            "Draw what a system can reach from one or more origins, as a map with legend, "
            "sources and credits. The output suffix picks the format: .html (offline "
            "page), .png, .svg or .pdf (static image; size with --preset), .geojson "
            "(RFC 7946; size-limit with --max-bytes), .kml or .gpkg. With --points FILE, "
            "your own points are drawn and listed in or out of range in every format. "
            'Example: rangemap map atacms --from Sumy --from "49.99, 36.23=Kharkiv" '
            "-o atacms.html"
        ),
    )
    parser.add_argument(
        "system",
        metavar="SYSTEM[:VARIANT]",
        nargs="?",
        help='catalog id or alias, optionally with a variant, e.g. "atacms:block-i"',
    )
    parser.add_argument(
        "--from",
        dest="origins",
        metavar='"LAT, LON[=Label]"',
        action="append",
        default=[],
        help='an origin: "50.91, 34.80=Sumy", "50.91N, 34.80E", a place name ("Sumy", '
        '"Poland, US") or a country, whose territory is the origin ("China", '
        '"country:CN"); repeatable',
    )
    parser.add_argument(
        "-o",
        "--output",
        metavar="FILE",
        type=Path,
        required=True,
        help=f"the file to write; format from its suffix ({', '.join(writers())})",
    )
    parser.add_argument("--recipe", metavar="FILE", type=Path, help="a YAML map recipe")
    parser.add_argument(
        "--distance", metavar='"300 km"', help="draw a bare distance instead of a system"
    )
    parser.add_argument("--label", metavar="TEXT", help="legend label of a --distance layer")
    parser.add_argument(
        "--spread",
        action="store_true",
        help="draw the band between the lowest and highest reported figures",
    )
    parser.add_argument(
        "--figure-kind",
        dest="figure_kinds",
        metavar="KIND",
        action="append",
        choices=FIGURE_KINDS,
        help="also draw a figure of this kind, which is not a maximum range: "
        f"{', '.join(FIGURE_KINDS)} (repeatable). Without it, a system whose figure "
        "is only a test flight's distance, a requirement or a class limit is refused; "
        "with it, the legend says what the figure is",
    )
    parser.add_argument(
        "--tiles",
        metavar="NAME",
        help='"offline" (default: bundled borders, no network) or an xyzservices provider, '
        'e.g. "OpenStreetMap.Mapnik"',
    )
    parser.add_argument(
        "--tiles-url",
        metavar="TEMPLATE",
        help="web tiles from your own server: an https:// template with {z}, {x} and {y} "
        "(optionally {s}, {r}); needs --tiles-attribution",
    )
    parser.add_argument(
        "--tiles-attribution",
        metavar="TEXT",
        help="with --tiles-url: the attribution the tiles' licence asks for",
    )
    parser.add_argument(
        "--borders",
        action="store_true",
        help="with web tiles: keep the bundled country borders on top of them",
    )
    parser.add_argument(
        "--theme",
        metavar="FILE|NAME",
        help="house style: light (the default), dark, or a YAML theme file (fonts, colours, "
        "logo, text sizes; see docs/themes.md)",
    )
    parser.add_argument(
        "--lang",
        metavar="CODE",
        help="the language of the map's words: en (the default), uk, ru, he or ar "
        "(see docs/languages.md)",
    )
    parser.add_argument("--title", metavar="TEXT", help="the map's title")
    parser.add_argument("--subtitle", metavar="TEXT", help="a line under the title")
    parser.add_argument("--credit", metavar="TEXT", help='credit line, e.g. "Graphic: Kyiv Desk"')
    add_specs_option(parser)
    parser.add_argument(
        "--places",
        metavar="N",
        type=_count,
        nargs="?",
        const=DEFAULT_PLACES,
        help=f"mark and list the N most populous places in range (default N: {DEFAULT_PLACES}; "
        "0: none); with the GeoNames credit",
    )
    parser.add_argument(
        "--places-min-population",
        metavar="N",
        type=_count,
        help="with --places: leave out places with fewer people, e.g. 100000",
    )
    parser.add_argument(
        "--places-country",
        metavar="CC",
        action="append",
        help='with --places: only places in this country, e.g. "RU" (repeatable)',
    )
    parser.add_argument(
        "--no-place-labels",
        dest="place_labels",
        action="store_false",
        help="with --places: markers without names on the map (the list keeps them)",
    )
    parser.add_argument(
        "--exclude",
        metavar="NAME",
        action="append",
        help='with --places: leave out this place: a name, "Name, CC" or a GeoNames id '
        "(repeatable)",
    )
    parser.add_argument(
        "--include-origins",
        action="store_true",
        default=None,
        help="with --places: keep the places at an origin (the origin city itself, the "
        "cities inside a territory origin), left out by default",
    )
    parser.add_argument(
        "--points",
        metavar="FILE",
        type=Path,
        help="your own points (CSV with lat/lon columns, GeoJSON, GeoPackage or KML): "
        "drawn, labelled and listed in or out of range, with distance and margin",
    )
    parser.add_argument(
        "--points-label",
        metavar="COLUMN",
        help="with --points: the column holding the names (name, title, label ... by default)",
    )
    parser.add_argument(
        "--tolerance",
        metavar="T",
        help="how close the drawn boundary stays to the true one: a share of the range "
        "such as '0.01%%' (the default) or a length such as '30 m'",
    )
    parser.add_argument(
        "--preset",
        choices=tuple(PRESETS),
        help="with a .png, .svg or .pdf output: social (1200x675 px, the default), "
        "square (1080x1080 px) or print (300 dpi, the PDF default)",
    )
    parser.add_argument(
        "--size",
        metavar="WxH",
        help="with a .png, .svg or .pdf output: an exact size in pixels, e.g. 1600x900",
    )
    parser.add_argument(
        "--dpi",
        metavar="N",
        help="with a .png, .svg or .pdf output: pixels per inch, e.g. 300 (50 to 1200)",
    )
    parser.add_argument(
        "--max-bytes",
        metavar="N",
        type=_count,
        help="with a .geojson output: simplify the shapes until the file is at most N "
        "bytes, for Datawrapper or Flourish upload limits, e.g. 500000",
    )
    parser.add_argument(
        "--embed",
        action="store_true",
        help="also write NAME.embed.html, a responsive <iframe> snippet for a CMS",
    )
    parser.add_argument(
        "--embed-url",
        metavar="URL",
        help="with an .html output: the https:// address the map will be published at, "
        "for the src of the --embed snippet (implies --embed); without it the snippet "
        "names the map by its file name, so it works only on a page beside the map",
    )
    parser.add_argument(
        "--interactive",
        action="store_true",
        help="with an .html output: the reader's map: drag the origins (mouse, touch, "
        "arrow keys), switch systems (--choices), search places, share the view by its "
        "address (see docs/interactive.md); other formats ignore it",
    )
    parser.add_argument(
        "--choices",
        metavar="SYSTEM[:VARIANT][,...]",
        help="with --interactive: other systems the reader may switch to, e.g. "
        '"storm-shadow,atacms:block-i" (the map\'s own system comes first; implies '
        "--interactive)",
    )
    parser.add_argument(
        "--search-min-population",
        metavar="N",
        type=_count,
        help="with --interactive: the smallest city a reader can search for, e.g. 50000 "
        "(by default about 5,000 cities can be searched; implies --interactive)",
    )
    parser.set_defaults(handler=_run)


def _count(text: str) -> int:
    """Read a whole number of 0 or more for argparse (which reports the argument)."""
    try:
        value = int(text.replace("_", "").replace(",", ""))
    except ValueError:
        value = -1
    if value < 0:
        msg = f"{quote(text)} is not a whole number, 0 or more; for example 12 or 100000"
        raise argparse.ArgumentTypeError(msg)
    return value


def _apply_places(scene: RangeMap, args: argparse.Namespace) -> None:
    """Apply --places, --places-min-population, --places-country, --no-place-labels."""
    refinements = (
        args.places_min_population is not None
        or args.places_country is not None
        or not args.place_labels
        or args.exclude is not None
        or args.include_origins is not None
    )
    if args.places is None and not refinements:
        return
    current = scene.places
    if args.places is None and current is None:
        msg = (
            "--places-min-population, --places-country, --no-place-labels, --exclude and "
            "--include-origins apply with --places N (or a recipe with a places block); "
            "add --places 12"
        )
        raise InputError(msg)
    top = args.places if args.places is not None else current.top if current else DEFAULT_PLACES
    min_population = args.places_min_population
    if min_population is None:
        min_population = current.min_population if current else 0
    countries: tuple[str, ...] = tuple(current.countries) if current else ()
    if args.places_country:
        countries = country_codes(args.places_country, argument="--places-country")
    labels = args.place_labels and (current.labels if current and args.places is None else True)
    exclude = (*(current.exclude if current else ()), *(args.exclude or ()))
    include_origins = args.include_origins
    if include_origins is None:
        include_origins = current.include_origins if current else False
    scene.show_places(
        top,
        min_population=min_population,
        countries=countries,
        labels=labels,
        exclude=exclude,
        rename=current.rename if current else (),
        include_origins=include_origins,
    )


def _apply_points(scene: RangeMap, args: argparse.Namespace) -> None:
    """Apply --points and --points-label."""
    if args.points is None:
        if args.points_label is not None:
            msg = "--points-label: applies with --points FILE; add --points sites.csv"
            raise InputError(msg)
        return
    scene.add_points(args.points, label=args.points_label)


def _scene(args: argparse.Namespace) -> RangeMap:
    if args.recipe is not None:
        if (
            args.system
            or args.origins
            or args.distance
            or args.spread
            or args.label
            or args.figure_kinds
        ):
            msg = (
                "--recipe: the recipe describes the layers; drop SYSTEM, --from, --distance, "
                "--label, --spread and --figure-kind (a recipe layer has figure_kinds), or "
                "drop --recipe"
            )
            raise InputError(msg)
        scene = load_recipe(args.recipe, extra_specs=args.specs, tolerance=_tolerance(args))
    else:
        scene = _scene_from_arguments(args)
    if args.title is not None:
        scene.title = args.title
    if args.subtitle is not None:
        scene.subtitle = args.subtitle
    if args.credit is not None:
        scene.credit = args.credit
    if args.tiles is not None:
        scene.basemap = Basemap.parse(args.tiles, argument="--tiles").name
    if args.tiles_basemap is not None:
        scene.basemap = args.tiles_basemap
    if args.borders:
        scene.borders = True
    if args.theme is not None:
        scene.use_theme(args.theme_chosen)
    if args.lang is not None:
        scene.language = args.lang
    _apply_places(scene, args)
    _apply_points(scene, args)
    if args.interactive_chosen is not None:
        scene.interactive = args.interactive_chosen
    return scene


def _interactive(args: argparse.Namespace) -> None:
    """Read --interactive, --choices and --search-min-population before any work."""
    args.interactive_chosen = None
    if not (args.interactive or args.choices is not None or args.search_min_population is not None):
        return
    from rangemap.catalog import Catalog, load_catalog
    from rangemap.scene import Interactive, _choice_ids

    # Choices come from the catalog the map's systems come from: --specs (and a recipe's
    # own specs list) over the built-in one.
    catalog: Catalog | None = load_catalog(args.specs) if args.specs else None
    if args.recipe is not None:
        from rangemap.recipes import recipe_catalog

        catalog = recipe_catalog(args.recipe, extra_specs=args.specs or ())
    choices = _choice_ids(args.choices, "--choices", catalog) if args.choices is not None else ()
    args.interactive_chosen = Interactive(choices, args.search_min_population, catalog)


def _scene_from_arguments(args: argparse.Namespace) -> RangeMap:
    if not args.origins:
        msg = '--from: no origin given; add one, e.g. --from "50.91, 34.80=Sumy" or --from Sumy'
        raise InputError(msg)
    if (args.system is None) == (args.distance is None):
        msg = (
            "SYSTEM: give a system such as 'atacms' or 'atacms:block-i', or --distance "
            "'300 km', but not both"
        )
        raise InputError(msg)
    origins = as_sites(args.origins, argument="--from")
    catalog = None
    if args.distance is not None:
        if args.spread:
            msg = "--spread: applies to a SYSTEM with several reported figures, not --distance"
            raise InputError(msg)
        if args.figure_kinds:
            msg = (
                "--figure-kind: applies to a SYSTEM whose figure is not a maximum range, not "
                "to --distance (a distance you choose is drawn as it is)"
            )
            raise InputError(msg)
        distance_m = parse_distance(args.distance, argument="--distance", max_m=MAX_DISTANCE_M)
        reach = Reach.from_distance(
            distance_m, origins, label=args.label, tolerance_m=_tolerance(args)
        )
    else:
        if args.label is not None:
            msg = "--label: applies to --distance; a system's label comes from the catalog"
            raise InputError(msg)
        if args.specs:
            from rangemap.catalog import Catalog

            catalog = Catalog.load(extra_dirs=args.specs)
        reach = Reach.from_system(
            args.system,
            origins,
            catalog=catalog,
            show="spread" if args.spread else "shown",
            tolerance_m=_tolerance(args),
            kinds=args.figure_kinds or (),
        )
    from rangemap.places import local_label
    from rangemap.words import words

    w = words(args.lang or "en")
    labels = [  # a gazetteer city in the map's language; a label someone chose as written
        local_label(site.label, site.lon, site.lat, w.language)
        if site.is_point and site.label
        else site.label
        for site in reach.origins
    ]
    names = list(dict.fromkeys(label for label in labels if label))
    subject = reach.system_name or reach.label
    if reach.system_id is not None:  # the system's name in the map's language, if it has one
        from rangemap.catalog import load_catalog

        system = (catalog or load_catalog())[reach.system_id]
        subject = system.names.get(w.language, subject)
    places = w.joined(names)
    if reach.kind is not None and not reach.kind.is_range:
        # Not a range: say what the figure is, not what the system "can reach".
        phrase = reach.phrase if reach.wording is None else w.reach_phrase(reach.wording)
        title = w("{subject}: {phrase}", subject=subject, phrase=phrase)
        if names:
            title = w("{title}, measured from {places}", title=title, places=places)
    elif names:
        title = w("What {subject} can reach from {places}", subject=subject, places=places)
    else:
        title = w("What {subject} can reach", subject=subject)
    scene = RangeMap(title=title)
    scene.add(reach)
    return scene


def _tolerance(args: argparse.Namespace) -> str | None:
    """Return ``--tolerance`` as given (read against the range by the reach), or ``None``."""
    if args.tolerance is None:
        return None
    text = str(args.tolerance)
    # Checked here against a nominal range, so a typo fails before any work.
    parse_tolerance(text, 1_000_000.0, argument="--tolerance")
    return text


def _style_options(args: argparse.Namespace) -> None:
    """Read --tiles-url, --tiles-attribution and --theme before any work."""
    args.tiles_basemap = None
    if args.tiles_url is not None or args.tiles_attribution is not None:
        if args.tiles is not None:
            msg = "--tiles-url: give --tiles-url (with --tiles-attribution) or --tiles, not both"
            raise InputError(msg)
        names = ("--tiles-url", "--tiles-attribution")
        args.tiles_basemap = Basemap.custom(args.tiles_url, args.tiles_attribution, names=names)
    if args.lang is not None:
        from rangemap.words import words

        words(args.lang, argument="--lang")  # an unknown language fails before any work
    args.theme_chosen = None
    if args.theme is not None:
        from rangemap.theme import resolve_theme

        args.theme_chosen = resolve_theme(args.theme, argument="--theme")


def _run(args: argparse.Namespace) -> int:
    if args.embed_url is not None:
        args.embed = True
    if args.size is not None or args.dpi is not None:  # a Preset of that size
        names = ("--preset", "--size", "--dpi")
        args.preset = Preset.resolve(args.preset, size=args.size, dpi=args.dpi, names=names)
    options = {
        "embed": args.embed,
        "preset": args.preset,
        "max_bytes": args.max_bytes,
        "embed_url": args.embed_url,
    }
    check_output(args.output, **options)
    _style_options(args)
    _interactive(args)
    if args.output.suffix.lower() in {".html", ".htm"}:
        import_folium_lean()  # a web page: folium, without the pandas it does not need
    scene = _scene(args)
    path = scene.save(args.output, **options)
    print(terminal(str(path)))
    if args.embed:
        print(terminal(str(embed_path(path))))
    if args.recipe is None and scene.layers:
        report_resolved(args.origins, scene.layers[0].reach.origins)
    return 0
