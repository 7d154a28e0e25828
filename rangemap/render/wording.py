"""The words every map prints, shared by the HTML page and the static images.

This module owns the plain text both renderers put around a map, so a legend or a
source line reads the same in every format: dates (``"17 November 2024"``), runs of
source numbers (``"1-3, 5"``, with an en dash), the "measured from" origin names, the lead of a
source line (publisher, title, date) and the method note. Escaping for HTML is the
caller's: :func:`source_lead` takes the function to apply to each piece of text.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from rangemap.scene import RangeMap

__all__ = ["METHOD_NOTE", "format_date", "number_runs", "origin_labels", "source_lead"]

#: How every map explains its shaded areas.
METHOD_NOTE = (
    "Each shaded area is every place within the stated distance of an origin, measured "
    "along the Earth's surface (WGS84 ellipsoid). Ranges are as publicly reported; real "
    "reach depends on launch site, flight path and payload."
)


def format_date(day: dt.date) -> str:
    """Return a date as maps print it.

    Examples
    --------
    >>> format_date(dt.date(2024, 11, 17))
    '17 November 2024'
    """
    return f"{day.day} {day:%B %Y}"


def number_runs(numbers: Sequence[int]) -> str:
    r"""Return sorted source numbers with consecutive ones joined by an en dash.

    Examples
    --------
    >>> number_runs([1, 2, 3, 5])
    '1\u20133, 5'
    >>> number_runs([])
    ''
    """
    if not numbers:
        return ""
    runs: list[str] = []
    start = prev = numbers[0]
    for n in [*numbers[1:], None]:
        if n is not None and n == prev + 1:
            prev = n
            continue
        runs.append(str(start) if start == prev else f"{start}\u2013{prev}")
        if n is not None:
            start = prev = n
    return ", ".join(runs)


def origin_labels(range_map: RangeMap) -> list[str]:
    """Return the names of a map's origins, each once, in layer order.

    A map whose origins have no names says how many there are instead.

    Examples
    --------
    >>> from rangemap.reach import Reach
    >>> from rangemap.scene import RangeMap
    >>> m = RangeMap().add(Reach.from_distance(300_000, ["50.91, 34.80=Sumy", "49.99, 36.23"]))
    >>> origin_labels(m)
    ['Sumy']
    """
    labels: list[str] = []
    unnamed = 0
    for layer in range_map.layers:
        for site in layer.reach.origins:
            if site.label:
                if site.label not in labels:
                    labels.append(site.label)
            else:
                unnamed += 1
    if unnamed and not labels:
        return [f"{unnamed} point{'s' if unnamed > 1 else ''} shown"]
    return labels


def source_lead(source: Any, quote: Callable[[Any], str] = str) -> str:
    """Return the start of a source line: publisher (via), title in quotes, date published.

    Parameters
    ----------
    source : rangemap.catalog.Source
        The source.
    quote : callable, optional
        Applied to each piece taken from the source, e.g. an HTML escape.

    Returns
    -------
    str
        Ending in a full stop; the link and the date accessed are the caller's.
    """
    who = quote(source.publisher)
    via = getattr(source, "via", None)
    if via:
        who += f" (via {quote(via)})"
    parts = [f"{who}: \u201c{quote(source.title)}\u201d"]
    published = getattr(source, "published", None)
    if isinstance(published, dt.date):
        parts.append(format_date(published))
    return ", ".join(parts) + "."
