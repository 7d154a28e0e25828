"""Distances: parse ``"300 km"``, ``"190 mi"``, ``"162 nmi"``; format them; the longest one.

Every length inside rangemap is a float in metres (names end in ``_m``); kilometres
appear only at the edges (catalog figures ``*_km``, labels). :data:`MAX_DISTANCE_M` is
the one limit every distance is checked against: the catalog's figures, recipes, the
command line, :mod:`rangemap.reach` and :mod:`rangemap.geodesy`.
"""

from __future__ import annotations

import math
import re

from rangemap.errors import InputError
from rangemap.escaping import quote

__all__ = ["KM", "MAX_DISTANCE_M", "MI", "NMI", "format_km", "format_range_km", "parse_distance"]

#: Metres in one kilometre.
KM = 1000.0
#: Metres in one international statute mile.
MI = 1609.344
#: Metres in one international nautical mile.
NMI = 1852.0

#: The longest geodesic on the WGS84 ellipsoid, in metres: half a meridian, pole to pole
#: (20,003.93 km). No point on the Earth is farther than this from any other, so no range,
#: radius or buffer distance may be longer. It is the distance ``pyproj.Geod(ellps="WGS84")
#: .inv(0, 90, 0, -90)`` returns (Karney's algorithm), written out so that reading a
#: distance needs no pyproj; ``tests/test_units.py`` checks it against pyproj.
MAX_DISTANCE_M: float = 20_003_931.458_625_447

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
        :data:`MAX_DISTANCE_M`.

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


def format_range_km(km: float) -> str:
    """Format a range in kilometres, as the catalog reports it, with thousands separators.

    Unlike :func:`format_km`, the figure is not rounded to whole kilometres: a reported
    range is printed as the source gave it.

    Parameters
    ----------
    km : float
        A range in kilometres.

    Returns
    -------
    str
        Whole numbers without decimals, others with up to three.

    Examples
    --------
    >>> format_range_km(306)
    '306 km'
    >>> format_range_km(5500.0)
    '5,500 km'
    >>> format_range_km(2.5)
    '2.5 km'
    """
    if float(km).is_integer():
        return f"{int(km):,} km"
    return f"{km:,.3f}".rstrip("0").rstrip(".") + " km"


def parse_tolerance(text: str | float, distance_m: float, *, argument: str = "tolerance") -> float:
    """Read a drawing tolerance, a share of the distance or a length, and return metres.

    Parameters
    ----------
    text : str or float
        ``"0.01%"`` (of ``distance_m``), a length with its unit (``"30 m"``,
        ``"0.5 km"``), or a number of metres.
    distance_m : float
        The distance the tolerance applies to, in metres.
    argument : str, optional
        The argument or field name used in error messages.

    Returns
    -------
    float
        The tolerance in metres.

    Raises
    ------
    InputError
        If the text is neither a positive percentage below 10 % nor a distance.

    Examples
    --------
    >>> parse_tolerance("0.01%", 300_000)
    30.0
    >>> parse_tolerance("1 m", 300_000)
    1.0
    """
    if isinstance(text, int | float) and not isinstance(text, bool):
        value = float(text)
        if not math.isfinite(value) or value <= 0:
            msg = f"{argument}: {text!r} is not a positive number of metres; for example 30"
            raise InputError(msg)
        return value
    raw = str(text).strip()
    if raw.endswith("%"):
        try:
            share = float(raw[:-1].strip())
        except ValueError:
            share = math.nan
        if not math.isfinite(share) or not 0 < share < 10:
            msg = (
                f"{argument}: {raw[:40]!r} is not a share of the distance between 0 and 10 %; "
                "for example '0.01%'"
            )
            raise InputError(msg)
        return share / 100 * distance_m
    return parse_distance(raw, argument=argument)
