"""Coordinates as people write them: ``"50.91, 34.80"``, ``50°54'36"N 34°48'E``.

This module owns reading a point from human text, latitude first as web maps copy
it, and returning it in shapely's ``(lon, lat)`` order. Origins built from such text
(or from a place name) are :class:`rangemap.places.Site` objects
(:mod:`rangemap.places.site`).
"""

from __future__ import annotations

import math
import re

from rangemap.errors import InputError
from rangemap.escaping import quote

__all__ = ["looks_like_coordinate", "numeric_parts", "parse_latlon"]

_EXAMPLE = "for example '50.91, 34.80' (Sumy) or '50.91N 34.80E'"

# Look-alike characters people paste from web pages, folded before tokenising.
_FOLD = str.maketrans(
    {
        "\u00ba": "°",  # masculine ordinal indicator
        "\u02da": "°",  # ring above
        "\u2032": "'",  # prime
        "\u2019": "'",  # right single quotation mark
        "\u2018": "'",  # left single quotation mark
        "\u00b4": "'",  # acute accent
        "\u02b9": "'",  # modifier letter prime
        "\u2033": '"',  # double prime
        "\u201d": '"',  # right double quotation mark
        "\u201c": '"',  # left double quotation mark
        "\u02ba": '"',  # modifier letter double prime
        "\u2212": "-",  # minus sign
        "\u2013": "-",  # en dash
        "\u00a0": " ",  # no-break space
        "\u2009": " ",  # thin space
        "\u202f": " ",  # narrow no-break space
    }
)

_TOKEN = re.compile(
    r"""
    (?P<num>[+-]?(?:\d+(?:\.\d*)?|\.\d+))
    | (?P<deg>°)
    | (?P<min>')
    | (?P<sec>")
    | (?P<hemi>[NSEW])
    | (?P<sep>[,;/])
    | (?P<space>\s+)
    """,
    re.VERBOSE,
)

# Token kinds: "num", "deg", "min", "sec", "hemi", "sep".
_Token = tuple[str, str]
_MARK_INDEX = {"deg": 0, "min": 1, "sec": 2}


class _Malformed(Exception):
    """The text is not a coordinate (internal: becomes an InputError)."""


def _tokenise(text: str) -> list[_Token]:
    folded = text.translate(_FOLD).replace("''", '"').upper().strip()
    if folded[:1] in "([" and folded[-1:] in ")]":
        folded = folded[1:-1]
    tokens: list[_Token] = []
    pos = 0
    while pos < len(folded):
        match = _TOKEN.match(folded, pos)
        if match is None:
            raise _Malformed
        kind = match.lastgroup
        assert kind is not None
        if kind != "space":
            tokens.append((kind, match.group()))
        pos = match.end()
    return tokens


def _split(tokens: list[_Token]) -> list[list[_Token]]:
    """Split tokens into the two coordinates' tokens (each may keep its hemisphere)."""
    kinds = [kind for kind, _ in tokens]
    if "hemi" in kinds:
        if kinds.count("hemi") != 2:
            raise _Malformed
        prefix = kinds[0] == "hemi"
        if prefix == (kinds[-1] == "hemi"):
            raise _Malformed
        parts: list[list[_Token]] = [[]]
        for token in tokens:
            if prefix and token[0] == "hemi" and parts[-1]:
                parts.append([])
            parts[-1].append(token)
            if not prefix and token[0] == "hemi":
                parts.append([])
        seps = [i for i, k in enumerate(kinds) if k == "sep"]
        if seps:
            # One separator, and only between the two coordinates.
            hemis = [i for i, k in enumerate(kinds) if k == "hemi"]
            allowed = hemis[1] - 1 if prefix else hemis[0] + 1
            if seps != [allowed]:
                raise _Malformed
        parts = [[t for t in part if t[0] != "sep"] for part in parts]
        parts = [part for part in parts if part]
        return parts
    if "sep" in kinds:
        if kinds.count("sep") != 1:
            raise _Malformed
        cut = kinds.index("sep")
        return [tokens[:cut], tokens[cut + 1 :]]
    if "deg" in kinds:
        parts = []
        for i, token in enumerate(tokens):
            starts = token[0] == "num" and i + 1 < len(tokens) and tokens[i + 1][0] == "deg"
            if starts or not parts:
                parts.append([])
            parts[-1].append(token)
        return parts
    if kinds == ["num", "num"]:
        return [[tokens[0]], [tokens[1]]]
    raise _Malformed


def _angle(part: list[_Token]) -> tuple[float, str | None]:
    """Read one coordinate: degrees, minutes, seconds and an optional hemisphere letter."""
    hemi = None
    rest = []
    for kind, value in part:
        if kind == "hemi":
            hemi = value
        else:
            rest.append((kind, value))
    numbers: list[str] = []
    expected = 0
    i = 0
    while i < len(rest):
        kind, value = rest[i]
        if kind != "num":
            raise _Malformed
        position = expected
        if i + 1 < len(rest) and rest[i + 1][0] in _MARK_INDEX:
            position = _MARK_INDEX[rest[i + 1][0]]
            i += 1
        if position != expected:
            raise _Malformed
        numbers.append(value)
        expected += 1
        i += 1
    if not 1 <= len(numbers) <= 3:
        raise _Malformed
    # Only the degrees may carry a sign, and only the last number a fraction.
    if any(n[0] in "+-" for n in numbers[1:]) or any("." in n for n in numbers[:-1]):
        raise _Malformed
    if hemi is not None and numbers[0][0] in "+-":
        raise _Malformed
    values = [float(n) for n in numbers]
    if any(v >= 60 for v in values[1:]):
        raise _Malformed
    degrees = abs(values[0]) + sum(v / 60**k for k, v in enumerate(values[1:], start=1))
    sign = -1.0 if numbers[0].startswith("-") else 1.0
    return sign * degrees, hemi


def numeric_parts(text: str) -> list[float] | None:
    """Return the numbers of ``"A, B"`` when both sides read as Python floats, else ``None``.

    Python's ``float`` also reads ``"nan"``, ``"inf"`` and ``"1e3"``, which are no
    place names: text like ``"nan, 0"`` is a (bad) coordinate, not a name and a country.
    """
    parts = re.split(r"[,;]", text.translate(_FOLD))
    if len(parts) != 2:
        return None
    try:
        return [float(part) for part in parts]
    except ValueError:
        return None


def _non_finite_parts(text: str) -> str:
    """Describe the parts of ``"A, B"`` that are ``nan`` or infinite; ``""`` if none."""
    numbers = numeric_parts(text)
    if numbers is None:
        return ""
    names = ("the latitude", "the longitude")
    bad = [
        f"{name} {quote(part.strip())}"
        for name, part, value in zip(
            names, re.split(r"[,;]", text.translate(_FOLD)), numbers, strict=True
        )
        if not math.isfinite(value)
    ]
    return " and ".join(bad)


def parse_latlon(text: str, *, argument: str = "coordinate") -> tuple[float, float]:
    """Read a point written latitude first, and return it as ``(lon, lat)``.

    Accepts what people copy from web maps and articles: decimal degrees
    (``"50.91, 34.80"``, ``"50.91 34.80"``, ``"-33.87, 151.21"``), hemisphere
    letters before or after each number (``"50.91N 34.80E"``, ``"N50.91 E34.80"``;
    with letters the order is free: ``"34.80E 50.91N"``), and degrees, minutes,
    seconds with or without marks (``50°54'36"N 34°48'E``, also with primes,
    ``"50 54 36 N 34 48 0 E"``). Without letters the first number is the latitude.

    Parameters
    ----------
    text : str
        The coordinate text.
    argument : str, optional
        The name of the argument or field, used in error messages.

    Returns
    -------
    tuple of float
        ``(lon, lat)`` in degrees, the order shapely and GeoJSON use.

    Raises
    ------
    InputError
        If the text is not a coordinate, or the latitude is outside ±90° or the
        longitude outside ±180°.

    Examples
    --------
    >>> parse_latlon("50.91, 34.80")  # Sumy
    (34.8, 50.91)
    >>> parse_latlon("55°45'N 37°37'E")  # Moscow
    (37.61666666666667, 55.75)
    >>> parse_latlon("33.87S 151.21E")  # Sydney
    (151.21, -33.87)
    """
    if not isinstance(text, str):
        msg = f"{argument}: {quote(text)} is not text; write latitude then longitude, {_EXAMPLE}"
        raise InputError(msg)
    try:
        parts = _split(_tokenise(text))
        if len(parts) != 2:
            raise _Malformed
        (first, first_hemi), (second, second_hemi) = (_angle(p) for p in parts)
    except _Malformed:
        if bad := _non_finite_parts(text):
            msg = (
                f"{argument}: {quote(text)} is not a coordinate: {bad} is not a finite number of "
                f"degrees; write latitude then longitude, {_EXAMPLE}"
            )
            raise InputError(msg) from None
        msg = (
            f"{argument}: {quote(text)} is not a coordinate; write latitude then longitude, "
            f"{_EXAMPLE}"
        )
        raise InputError(msg) from None
    if first_hemi is None and second_hemi is None:
        lat, lon = first, second
        swapped = abs(lat) > 90 and abs(lon) <= 90
    else:
        if first_hemi is None or second_hemi is None:
            raise AssertionError  # pragma: no cover (_split asks for two letters)
        if (first_hemi in "NS") == (second_hemi in "NS"):
            msg = (
                f"{argument}: {quote(text)} has hemisphere letters {first_hemi} and {second_hemi}; "
                f"give one of N/S and one of E/W, {_EXAMPLE}"
            )
            raise InputError(msg)
        values = {first_hemi: first, second_hemi: second}
        lat = values.get("N", -values.get("S", math.nan))
        lon = values.get("E", -values.get("W", math.nan))
        swapped = False
    if not (math.isfinite(lat) and -90 <= lat <= 90):
        hint = " (did you put longitude first?)" if swapped else ""
        msg = (
            f"{argument}: latitude {lat:g} in {quote(text)} is outside -90..90{hint}; "
            f"write latitude then longitude, {_EXAMPLE}"
        )
        raise InputError(msg)
    if not (math.isfinite(lon) and -180 <= lon <= 180):
        msg = (
            f"{argument}: longitude {lon:g} in {quote(text)} is outside -180..180; "
            f"write latitude then longitude, {_EXAMPLE}"
        )
        raise InputError(msg)
    return (lon + 0.0, lat + 0.0)


_COORDINATE_CHARS = frozenset("0123456789+-.,;/()[]°'\" NSEW\t")


def looks_like_coordinate(text: str) -> bool:
    """Tell whether text is written like a coordinate rather than a place name.

    True when it has a digit and nothing but digits, signs, separators, degree,
    minute and second marks and hemisphere letters: ``"50.91, 34.80"`` and
    ``"50°54'N 34°48'E"`` are coordinates; ``"Zürich (Kreis 4)"`` is a name.

    Parameters
    ----------
    text : str
        The text.

    Returns
    -------
    bool

    Examples
    --------
    >>> looks_like_coordinate("50.91N 34.80E"), looks_like_coordinate("Sumy")
    (True, False)
    """
    folded = text.translate(_FOLD).upper()
    return any(ch.isdigit() for ch in folded) and set(folded) <= _COORDINATE_CHARS
