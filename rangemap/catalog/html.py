"""Notebook views of the catalog: HTML tables, every string escaped.

This module owns ``_repr_html_`` of :class:`~rangemap.catalog.Catalog` and
:class:`~rangemap.catalog.System`. Markup is written here and nowhere else; every piece
of text from a spec file goes through :func:`rangemap.escaping.html_text` (or
:func:`~rangemap.escaping.html_attr` inside an attribute) on its way in, a source's
address becomes a link only when :func:`rangemap.escaping.href` accepts it, and the link
shows :func:`rangemap.escaping.display_host`, so a look-alike host shows as punycode.
No template engine is involved, and no markup is built from unescaped text.

The views read the models' attributes only; the models are imported here for type
annotations alone, so :mod:`~rangemap.catalog.models` imports this module for
``System._repr_html_`` without a cycle.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from rangemap.escaping import display_host, href, html_attr, html_text
from rangemap.units import format_range_km

if TYPE_CHECKING:
    from rangemap.catalog.catalog import Catalog
    from rangemap.catalog.models import RangeSpec, Source, System

__all__ = ["catalog_html", "range_summary", "source_link", "system_html"]


def range_summary(system: System) -> str:
    """Summarise a system's range in plain text for tables.

    Parameters
    ----------
    system : System

    Returns
    -------
    str
        The default variant's shown maximum range, followed by the spread across
        variants when they differ (``"300 km (165-300 km)"``); ``"-"`` for launchers.
    """
    shown = system.default_variant.max_range
    if shown is None:
        return "-"
    figures = sorted({v.max_range.shown_km for v in system.variants if v.max_range is not None})
    text = format_range_km(shown.shown_km)
    if len(figures) > 1:
        low = format_range_km(figures[0]).removesuffix(" km")
        text += f" ({low}-{format_range_km(figures[-1])})"
    return text


_STYLE = "border-collapse:collapse;text-align:left"


def _table(header: list[str], rows: list[list[str]]) -> str:
    """Return an HTML table of plain-text cells, each escaped."""
    head = "".join(f"<th>{html_text(cell)}</th>" for cell in header)
    body = "".join(
        "<tr>" + "".join(f"<td>{html_text(cell)}</td>" for cell in row) + "</tr>" for row in rows
    )
    return f'<table style="{_STYLE}"><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>'


def source_link(source: Source) -> str:
    """Return a link to a source's page showing its host, or its escaped address as text.

    Parameters
    ----------
    source : Source

    Returns
    -------
    str
        ``<a href="...">host</a>`` when :func:`rangemap.escaping.href` accepts the
        address; otherwise the address as escaped text, marked as not linked.

    Examples
    --------
    >>> from rangemap.catalog import load_catalog
    >>> atacms = load_catalog()["atacms"]
    >>> source_link(next(iter(atacms.sources.values()))).startswith('<a href="https://')
    True
    """
    target = href(source.url)
    if target is None:
        return f"<span>{html_text(source.url)} (not linked)</span>"
    title = html_attr(source.title)
    return (
        f'<a href="{target}" title="{title}" rel="noopener noreferrer nofollow" '
        f'target="_blank">{html_text(display_host(source.url))}</a>'
    )


def catalog_html(catalog: Catalog) -> str:
    """Render a catalog as an HTML table: id, name, kind, range, number of sources.

    Parameters
    ----------
    catalog : Catalog

    Returns
    -------
    str
        A ``<div>`` holding a heading and the table, every value escaped.
    """
    rows = [
        [s.id, s.name, s.kind.value, range_summary(s), str(len(s.sources))]
        for s in catalog.values()
    ]
    table = _table(["id", "name", "kind", "range", "sources"], rows)
    return f"<div><strong>rangemap catalog: {len(catalog)} systems</strong>{table}</div>"


def _range_rows(label: str, spec: RangeSpec | None) -> list[list[str]]:
    if spec is None:
        return []
    rows = []
    for claim in spec.claims:
        mark = "shown" if claim.km == spec.shown_km else ""
        rows.append(
            [label, claim.phrase, claim.claimant.value, claim.source, mark, claim.note or ""]
        )
    return rows


def system_html(system: System) -> str:
    """Render one system as HTML: its variants, every claim and every source.

    Parameters
    ----------
    system : System

    Returns
    -------
    str
        A ``<div>`` of escaped text, tables and source links.
    """
    title = html_text(system.name)
    if system.full_name:
        title += f" ({html_text(system.full_name)})"
    parts = [f"<div><strong>{title}</strong> <code>{html_text(system.id)}</code>"]
    parts.append(
        f"<p>{html_text(system.kind.label)}; figures as of {html_text(system.as_of.isoformat())}"
    )
    if system.summary:
        parts.append(f"<br>{html_text(system.summary)}")
    parts.append("</p>")
    rows: list[list[str]] = []
    for variant in system.variants:
        label = variant.id + (" (default)" if variant.default else "")
        rows += _range_rows(f"{label}: max", variant.max_range)
        rows += _range_rows(f"{label}: min", variant.min_range)
    if rows:
        parts.append(_table(["variant", "claim", "claimant", "source", "", "note"], rows))
    if system.fires:
        fire_rows = [
            [
                load.munition,
                ", ".join(load.variants) or "all",
                str(load.per_load) if load.per_load else "not reported",
                load.source,
            ]
            for load in system.fires
        ]
        parts.append(_table(["fires", "variants", "per load", "source"], fire_rows))
    items = "".join(
        f"<li><code>{html_text(key)}</code> {html_text(source.citation())} "
        f"{source_link(source)}</li>"
        for key, source in system.sources.items()
    )
    parts.append(f"<ol>{items}</ol></div>")
    return "".join(parts)
