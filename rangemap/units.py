"""Distances: parse ``"300 km"``, ``"190 mi"``, ``"162 nmi"``; metres inside rangemap.

Every length inside rangemap is a float in metres (names end in ``_m``); kilometres
appear only at the edges (catalog figures ``*_km``, labels).
"""

from __future__ import annotations

import math
import re

from rangemap.errors import InputError
from rangemap.escaping import quote

__all__ = ["KM", "MI", "NMI", "format_km", "parse_distance"]

#: Metres in one kilometre.
KM = 1000.0
#: Metres in one international statute mile.
MI = 1609.344
#: Metres in one international nautical mile.
NMI = 1852.0

_UNITS = {
    "m": 1.0,
    "meter": 1.0,
    "meters": 1.0,
    "metre": 1.0,
    "metres": 1.0,
    "km": KM,
    "kilometer": KM,
    "kilometers": KM,
    "kilometre": KM,
    "kilometres": KM,
    "mi": MI,
    "mile": MI,
    "miles": MI,
    "nmi": NMI,
    "nm": NMI,
    "nautical mile": NMI,
    "nautical miles": NMI,
}

_DISTANCE = re.compile(r"^\s*([0-9][0-9,]*(?:\.[0-9]+)?)\s*([a-z ]+?)\s*$", re.IGNORECASE)
#: A number with commas as thousands separators: 1,000 or 12,345.5 (groups of three digits).
_THOUSANDS = re.compile(r"^[0-9]{1,3}(?:,[0-9]{3})+(?:\.[0-9]+)?$")
#: Longer text is refused before any matching; "20,003.93 kilometres" is 20 characters.
_MAX_CHARS = 100


def parse_distance(
    text: str | float, *, argument: str = "distance", max_m: float | None = None
) -> float:
    """Parse a distance with its unit and return it in metres.

    Parameters
    ----------
    text : str or float
        A positive number followed by a unit: ``m``, ``km``, ``mi`` (statute miles)
        or ``nmi`` (nautical miles). Decimals take a point (``"1.5 km"``); a comma
        separates thousands only, in groups of three digits (``"1,000 km"``,
        ``"12,345.5 km"``). A bare number is refused because its unit would be a guess.
    argument : str, optional
        The name of the argument or field, used in the error message.
    max_m : float, optional
        The largest distance accepted, in metres; for a reach on the Earth,
        ``rangemap.geodesy.MAX_DISTANCE_M``.

    Returns
    -------
    float
        The distance in metres.

    Raises
    ------
    InputError
        If the text is not a positive, finite distance with a known unit, has a comma
        that is not a thousands separator (``"1,5 km"``), or is longer than `max_m`.

    Examples
    --------
    >>> parse_distance("300 km")
    300000.0
    >>> round(parse_distance("190 mi") / 1000, 1)  # ATACMS, as Reuters reported it
    305.8
    >>> parse_distance("162 nmi")
    300024.0
    >>> parse_distance("1,000 km")  # Kyiv to the Urals is about twice this
    1000000.0
    >>> parse_distance("1,5 km")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    rangemap.errors.InputError: distance: '1,5 km': write decimals with a point, for example...
    """
    if isinstance(text, int | float) and not isinstance(text, bool):
        shown = quote(text)
        msg = (
            f"{argument}: {shown} has no unit; write it with one, "
            f"for example '{shown} km', '{shown} mi' or '{shown} nmi'"
        )
        raise InputError(msg)
    raw = str(text)
    match = _DISTANCE.match(raw) if len(raw) <= _MAX_CHARS else None
    unit = match.group(2).lower().strip() if match else ""
    if match is None or unit not in _UNITS:
        msg = (
            f"{argument}: {quote(raw)} is not a distance; write a positive number and a unit, "
            "for example '300 km', '190 mi' or '162 nmi'"
        )
        raise InputError(msg)
    number = match.group(1)
    if "," in number and not _THOUSANDS.match(number):
        single = number.count(",") == 1 and "." not in number
        example = f"{number.replace(',', '.')} {unit}" if single else "1.5 km"
        msg = (
            f"{argument}: {quote(raw)}: write decimals with a point, for example "
            f"{quote(example)}; a comma only separates thousands, as in '1,000 km'"
        )
        raise InputError(msg)
    value = float(number.replace(",", ""))
    metres = value * _UNITS[unit]
    if not math.isfinite(metres) or metres <= 0:
        msg = f"{argument}: {quote(raw)} must be greater than zero"
        raise InputError(msg)
    if max_m is not None and metres > max_m:
        msg = (
            f"{argument}: {quote(raw)} is longer than {max_m / KM:,.2f} km, the farthest any "
            "point can be from another on the Earth's surface; use a shorter distance"
        )
        raise InputError(msg)
    return metres


def format_km(distance_m: float) -> str:
    """Format a distance in metres as kilometres for labels.

    Parameters
    ----------
    distance_m : float
        A distance in metres.

    Returns
    -------
    str
        Whole kilometres with thin-space-free thousands separators.

    Examples
    --------
    >>> format_km(300_000)
    '300 km'
    >>> format_km(5_500_000)
    '5,500 km'
    >>> format_km(2_500)
    '2.5 km'
    """
    km = distance_m / KM
    if km < 10 and not float(km).is_integer():
        return f"{km:,.1f} km"
    return f"{round(km):,} km"
