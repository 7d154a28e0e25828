"""Notebook views of the catalog: HTML tables, every string escaped.

This module owns ``_repr_html_`` of :class:`~rangemap.catalog.Catalog` and
:class:`~rangemap.catalog.System`. Every piece of text from a spec file goes through
:func:`html.escape` before it reaches the markup.
"""

from __future__ import annotations

from html import escape
from typing import TYPE_CHECKING

from rangemap.catalog.models import RangeSpec, System, format_range_km

if TYPE_CHECKING:
    from rangemap.catalog.catalog import Catalog

__all__ = ["catalog_html", "range_summary", "system_html"]


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
    head = "".join(f"<th>{escape(cell)}</th>" for cell in header)
    body = "".join(
        "<tr>" + "".join(f"<td>{escape(cell)}</td>" for cell in row) + "</tr>" for row in rows
    )
    return f'<table style="{_STYLE}"><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>'


def catalog_html(catalog: Catalog) -> str:
    """Render a catalog as an HTML table: id, name, kind, range, number of sources."""
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
    """Render one system as HTML: its variants, every claim and every source."""
    title = escape(system.name) + (f" ({escape(system.full_name)})" if system.full_name else "")
    parts = [f"<div><strong>{title}</strong> <code>{escape(system.id)}</code>"]
    parts.append(f"<p>{escape(system.kind.label)}; figures as of {system.as_of.isoformat()}")
    if system.summary:
        parts.append(f"<br>{escape(system.summary)}")
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
            [load.munition, ", ".join(load.variants) or "all", str(load.per_load), load.source]
            for load in system.fires
        ]
        parts.append(_table(["fires", "variants", "per load", "source"], fire_rows))
    items = "".join(
        f"<li><code>{escape(key)}</code> {escape(source.citation())} "
        f'<a href="{escape(source.url)}">link</a></li>'
        for key, source in system.sources.items()
    )
    parts.append(f"<ol>{items}</ol></div>")
    return "".join(parts)
