"""Distances: parse ``"300 km"``, ``"190 mi"``, ``"162 nmi"``; metres inside rangemap.

Every length inside rangemap is a float in metres (names end in ``_m``); kilometres
appear only at the edges (catalog figures ``*_km``, labels).
"""

from __future__ import annotations

import math
import re

from rangemap.errors import InputError

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

_DISTANCE = re.compile(r"^\s*([0-9]+(?:[.,][0-9]+)?)\s*([a-z ]+?)\s*$", re.IGNORECASE)


def parse_distance(
    text: str | float, *, argument: str = "distance", max_m: float | None = None
) -> float:
    """Parse a distance with its unit and return it in metres.

    Parameters
    ----------
    text : str or float
        A positive number followed by a unit: ``m``, ``km``, ``mi`` (statute miles)
        or ``nmi`` (nautical miles). A bare number is refused because its unit
        would be a guess.
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
        If the text is not a positive, finite distance with a known unit, or is
        longer than `max_m`.

    Examples
    --------
    >>> parse_distance("300 km")
    300000.0
    >>> round(parse_distance("190 mi") / 1000, 1)  # ATACMS, as Reuters reported it
    305.8
    >>> parse_distance("162 nmi")
    300024.0
    """
    if isinstance(text, int | float) and not isinstance(text, bool):
        msg = (
            f"{argument}: {text!r} has no unit; write it with one, "
            f"for example '{text} km', '{text} mi' or '{text} nmi'"
        )
        raise InputError(msg)
    match = _DISTANCE.match(str(text))
    unit = match.group(2).lower().strip() if match else ""
    if match is None or unit not in _UNITS:
        msg = (
            f"{argument}: {text!r} is not a distance; write a positive number and a unit, "
            "for example '300 km', '190 mi' or '162 nmi'"
        )
        raise InputError(msg)
    value = float(match.group(1).replace(",", "."))
    metres = value * _UNITS[unit]
    if not math.isfinite(metres) or metres <= 0:
        msg = f"{argument}: {text!r} must be greater than zero"
        raise InputError(msg)
    if max_m is not None and metres > max_m:
        msg = (
            f"{argument}: {text!r} is longer than {max_m / KM:,.2f} km, the farthest any "
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
