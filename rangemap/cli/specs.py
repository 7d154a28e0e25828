"""``rangemap specs``: list, show, validate the catalog, and write its JSON Schema.

This module owns the ``specs`` subcommand and the plain-text views of the catalog it
prints. It uses only the public catalog API. Every value from a spec file passes
through :func:`rangemap.escaping.terminal` before it is printed, so no escape sequence
(colours, clearing the screen, OSC 52 clipboard writes) in a spec reaches the terminal.
"""

from __future__ import annotations

import argparse
import json
import sys
import textwrap
from collections.abc import Sequence
from pathlib import Path
from typing import Any, TextIO

from rangemap.catalog import Catalog, RangeSpec, System, format_range_km, load_catalog
from rangemap.catalog.html import range_summary
from rangemap.catalog.models import caveat_text
from rangemap.cli._common import add_specs_option, add_stdout_output_option, write_text
from rangemap.errors import SpecError
from rangemap.escaping import terminal

__all__ = ["register", "schema", "show_text", "table_text"]

#: The one-line summary ``rangemap --help`` lists (read there without importing this).
HELP = "list, show and validate the catalog of systems"


def register(subparsers: Any) -> None:
    """Add the ``specs`` subcommand to the ``rangemap`` parser (see :mod:`rangemap.cli`)."""
    parser = subparsers.add_parser(
        "specs",
        help=HELP,
        description="The catalog of systems: every range figure with its public source.",
    )
    actions = parser.add_subparsers(dest="specs_command", metavar="ACTION", required=True)

    listing = actions.add_parser(
        "list",
        help="one line per system",
        description="One line per system. Filters combine; ranges compare with the shown "
        "figure of each system's default variant.",
    )
    add_specs_option(listing)
    listing.add_argument(
        "--kind", help="only this kind, e.g. cruise-missile (see docs/spec-format.md)"
    )
    listing.add_argument(
        "--origin", metavar="CC", help="only systems made in this country, e.g. US"
    )
    listing.add_argument("--operator", metavar="CC", help="only systems this country uses, e.g. UA")
    listing.add_argument(
        "--min-range",
        metavar="DISTANCE",
        help='at least this range: "300 km", "200 mi"',
    )
    listing.add_argument(
        "--max-range", metavar="DISTANCE", help='at most this range, with a unit: "1000 km"'
    )
    listing.set_defaults(handler=_list)

    show = actions.add_parser("show", help="every variant, claim and source of one system")
    show.add_argument("system", metavar="SYSTEM", help='id, name or alias, e.g. "MGM-140"')
    add_specs_option(show)
    show.set_defaults(handler=_show)

    validate = actions.add_parser(
        "validate",
        help="check spec files and report every problem",
        description="Check the built-in specs, and with DIRs, your folders merged over them. "
        "Exit status 0 when all is valid, 2 with every problem listed otherwise.",
    )
    validate.add_argument("dirs", metavar="DIR", nargs="*", type=Path, help="spec folders")
    validate.set_defaults(handler=_validate)

    audit_parser = actions.add_parser(
        "audit",
        help="whom every figure shown rests on: outlet types, duplicates, claim kinds",
        description="Audit the sourcing of the built-in catalog, or with DIRs only the specs "
        "in those folders (read with the built-in catalog). Exit status 0 when it passes; 1 "
        "when a figure shown rests only on aggregators, or on state media whose claim does "
        "not say whose figure it is; 2 when the specs are not valid.",
    )
    audit_parser.add_argument("dirs", metavar="DIR", nargs="*", type=Path, help="spec folders")
    audit_parser.add_argument(
        "--format", choices=("text", "json"), default="text", help="text (default) or json"
    )
    audit_parser.set_defaults(handler=_audit)

    schema_parser = actions.add_parser(
        "schema",
        help="write the JSON Schema of a spec file, for editors",
        description="Write the JSON Schema of a spec file. Point your editor at it, e.g. "
        "with a first line '# yaml-language-server: $schema=spec.schema.json'.",
    )
    add_stdout_output_option(schema_parser)
    schema_parser.set_defaults(handler=_schema)


# --- handlers --------------------------------------------------------------------------------


def _list(args: argparse.Namespace) -> int:
    from rangemap.units import KM, parse_distance

    catalog = load_catalog(args.specs)
    bounds = {
        name: parse_distance(text, argument=f"--{name.replace('_', '-')}") / KM
        for name, text in (("min_range", args.min_range), ("max_range", args.max_range))
        if text is not None
    }
    catalog = catalog.filter(
        kind=args.kind,
        operator=args.operator,
        origin=args.origin,
        min_range_km=bounds.get("min_range"),
        max_range_km=bounds.get("max_range"),
        default_variant_only=True,
    )
    if not len(catalog):
        print("no system matches these filters", file=sys.stderr)
        return 0  # an empty answer is an answer, not an error
    sys.stdout.write(table_text(catalog))
    return 0


def _show(args: argparse.Namespace) -> int:
    catalog = load_catalog(args.specs)
    sys.stdout.write(show_text(catalog.lookup(args.system)))
    return 0


def _load_reporting(dirs: Sequence[str]) -> Catalog | None:
    """Load the catalog with ``dirs``; print every problem and return None if it is invalid."""
    try:
        return Catalog.load(dirs)
    except SpecError as err:
        count = len(err.problems)
        noun = "problem" if count == 1 else "problems"
        print(f"rangemap: error: {count} {noun} in the spec files:", file=sys.stderr)
        for problem in err.problems:
            print(f"  {terminal(problem)}", file=sys.stderr)
        return None


def _validate(args: argparse.Namespace) -> int:
    catalog = _load_reporting(args.dirs)
    if catalog is None:
        return 2
    print(f"{len(catalog)} systems, {catalog.claim_count} claims, all valid")
    return 0


def _audit(args: argparse.Namespace) -> int:
    from rangemap.catalog.audit import audit
    from rangemap.catalog.catalog import _spec_files

    catalog = _load_reporting(args.dirs)
    if catalog is None:
        return 2
    systems = list(catalog.values())
    if args.dirs:
        wanted = {path.stem for folder in args.dirs for path in _spec_files(folder)[0]}
        systems = [system for system in systems if system.id in wanted]
    report = audit(systems)
    text = report.json() if args.format == "json" else report.text()
    if args.format == "text":
        text = "".join(terminal(line) + "\n" for line in text.splitlines())
    sys.stdout.write(text)
    if not report.passed:
        print(f"rangemap: audit failed: {len(report.failures)} figures", file=sys.stderr)
        for line in report.failures:
            print(f"  {terminal(line)}", file=sys.stderr)
        return 1
    return 0


def _schema(args: argparse.Namespace) -> int:
    text = json.dumps(schema(), indent=2, ensure_ascii=False) + "\n"
    write_text(text, args.output)
    if args.output is not None:
        print(f"wrote {args.output}", file=sys.stderr)
    return 0


# --- views -----------------------------------------------------------------------------------


def schema() -> dict[str, Any]:
    """Return the JSON Schema of one spec file.

    Returns
    -------
    dict
        A JSON Schema (draft 2020-12) that editors can use to check YAML as it is typed.
        Rules that need several fields or files (claims citing defined sources, launchers
        naming munitions back) are checked by ``rangemap specs validate`` only.
    """
    from rangemap.catalog import System

    body = System.model_json_schema(mode="validation")
    for definition in [body, *body.get("$defs", {}).values()]:
        description = definition.get("description")
        if isinstance(description, str):  # the first paragraph of the docstring
            definition["description"] = description.split("\n\n")[0].replace("\n", " ")
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        **body,
        "title": "rangemap spec file",
    }


def table_text(catalog: Catalog) -> str:
    """Return the catalog as an aligned text table: id, name, kind, range, sources.

    Parameters
    ----------
    catalog : Catalog

    Returns
    -------
    str
        One line per system under a header, columns padded with spaces; every value
        made safe to print (:func:`rangemap.escaping.terminal`).
    """
    rows = [["id", "name", "kind", "range", "sources"]]
    rows += [
        [terminal(cell) for cell in (s.id, s.name, s.kind.value, range_summary(s))]
        + [str(len(s.sources))]
        for s in catalog.values()
    ]
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    lines = []
    for row in rows:
        cells = [cell.ljust(width) for cell, width in zip(row[:-1], widths, strict=False)]
        lines.append("  ".join([*cells, row[-1].rjust(widths[-1])]).rstrip())
    return "\n".join(lines) + "\n"


_WIDTH = 88


def _wrap(text: str, first: str, rest: str) -> str:
    """Fill a paragraph to the terminal width used by ``show``, with hanging indents."""
    return textwrap.fill(
        " ".join(terminal(text).split()),
        width=_WIDTH,
        initial_indent=first,
        subsequent_indent=rest,
        break_long_words=False,
        break_on_hyphens=False,
    )


def _line(out: TextIO, text: str = "") -> None:
    """Write one line of ``show`` output, made safe to print."""
    out.write(terminal(text) + "\n")


def _write_range(out: TextIO, label: str, spec: RangeSpec, system: System) -> None:
    line = f"  {label}: {format_range_km(spec.shown_km)} shown"
    low, high = spec.spread_km
    if low != high:
        line += f" (claims from {format_range_km(low)} to {format_range_km(high)})"
    _line(out, line)
    if spec.why_shown:
        out.write(_wrap(spec.why_shown, "    why shown: ", "      ") + "\n")
    for claim in spec.claims:
        shown = "  <- shown" if claim.km == spec.shown_km else ""
        publisher = system.source_for(claim).publisher
        _line(out, f"    - {claim.phrase}{shown}")
        _line(
            out,
            f"      kind: {claim.kind.value}; qualifier: {claim.qualifier.value}; "
            f"claimant: {claim.claimant.value}; source: [{claim.source}] {publisher}",
        )
        if claim.as_reported:
            _line(out, f'      as reported: "{claim.as_reported}"')
        if claim.note:
            out.write(_wrap(claim.note, "      note: ", "        ") + "\n")


def show_text(system: System) -> str:
    """Return every variant, claim and source of a system as plain text.

    Parameters
    ----------
    system : System

    Returns
    -------
    str
        Lines of text; every value is made safe to print
        (:func:`rangemap.escaping.terminal`), so even a system built in Python
        without validation cannot put an escape sequence on the terminal.
    """
    import io

    out = io.StringIO()
    heading = f"{system.name} ({system.id})"
    _line(out, heading + (f": {system.full_name}" if system.full_name else ""))
    facts = [("kind", system.kind.label)]
    if system.aliases:
        facts.append(("also called", ", ".join(system.aliases)))
    if system.origin_countries:
        facts.append(("origin", ", ".join(system.origin_countries)))
    if system.operators:
        facts.append(("operators", ", ".join(system.operators)))
    if system.launchers:
        facts.append(("launchers", ", ".join(system.launchers)))
    if system.platforms:
        facts.append(("platforms", ", ".join(system.platforms)))
    if system.caveats:
        facts.append(("caveats", "; ".join(caveat_text(c) for c in system.caveats)))
    facts.append(("as of", system.as_of.isoformat()))
    if system.path is not None:
        from rangemap.catalog.load import display_path

        facts.append(("file", display_path(system.path)))
    for label, value in facts:
        _line(out, f"{label}: {value}")
    if system.summary:
        out.write("\n" + _wrap(system.summary, "", "") + "\n")
    if system.notes:
        out.write("\nNotes:\n")
        for note in system.notes:
            out.write(_wrap(note, "  - ", "    ") + "\n")
    for variant in system.variants:
        default = "  [default]" if variant.default else ""
        _line(out)
        _line(out, f"Variant {variant.id}: {variant.name}{default}")
        if variant.designations:
            _line(out, f"  designations: {', '.join(variant.designations)}")
        if variant.caveats:
            _line(out, f"  caveats: {'; '.join(caveat_text(c) for c in variant.caveats)}")
        if variant.max_range is not None:
            _write_range(out, "maximum range", variant.max_range, system)
        if variant.min_range is not None:
            _write_range(out, "minimum range", variant.min_range, system)
        for note in variant.notes:
            out.write(_wrap(note, "  note: ", "    ") + "\n")
    if system.fires:
        out.write("\nFires:\n")
        for load in system.fires:
            which = f" ({', '.join(load.variants)})" if load.variants else ""
            if load.launcher_variants:
                which += f" from {', '.join(load.launcher_variants)} only"
            count = f"{load.per_load} per load" if load.per_load else "load not reported"
            _line(out, f"  - {load.munition}{which}: {count}, source [{load.source}]")
            if load.note:
                out.write(_wrap(load.note, "      note: ", "        ") + "\n")
    out.write("\nSources:\n")
    for key, source in system.sources.items():
        where = f", {source.country}" if source.country else ""
        _line(out, f"  [{key}] {source.citation()} [{source.publisher_type.value}{where}]")
    return out.getvalue()
