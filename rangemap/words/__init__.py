"""Every word a reader sees, in the map's language.

This package owns the words maps print around the data: headings ("Sources", "Cities in
range"), notes ("Ranges as reported up to 17 November 2024."), the method note, and how
dates, numbers, distances and runs of source numbers are written. Renderers ask a
:class:`Words` for each phrase by its English text (the gettext convention), so a
language is one message catalog: ``rangemap/words/locale/<language>.po``, read with
Babel. English needs no catalog.

Phrases with values use named placeholders filled in by :meth:`Words.__call__`; the
placeholders are in rangemap's own phrases, never in the values (which are text from
specs, recipes or users, and are not formatted again).
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from rangemap.errors import InputError
from rangemap.escaping import quote

__all__ = ["LOCALE_DIR", "METHOD_NOTE", "RangeWording", "Words", "languages", "words"]

#: Where the message catalogs are: one ``<language>.po`` file per language.
LOCALE_DIR = Path(__file__).resolve().parent / "locale"

_LANGUAGE = re.compile(r"[a-z]{2,3}(?:_[A-Z]{2})?")

#: How every map explains its shaded areas (a phrase: pass it through :class:`Words`).
METHOD_NOTE = (
    "Each shaded area is every place within the stated distance of an origin, measured "
    "along the Earth's surface (WGS84 ellipsoid). Ranges are as publicly reported; real "
    "reach depends on launch site, flight path and payload."
)


@dataclass(frozen=True)
class Words:
    """The words of one language.

    Parameters
    ----------
    language : str
        A language code such as ``"en"`` or ``"uk"``.
    catalog : mapping of str to str
        Translations by English text; empty for English.

    Examples
    --------
    >>> en = words("en")
    >>> en("Ranges as reported up to {date}.", date=en.date(dt.date(2024, 11, 17)))
    'Ranges as reported up to 17 November 2024.'
    """

    language: str
    catalog: Mapping[str, str] = field(default_factory=dict, repr=False)

    def __call__(self, phrase: str, /, **values: object) -> str:
        """Return ``phrase`` in this language, with ``{name}`` placeholders filled in."""
        text = self.catalog.get(phrase) or phrase
        return text.format(**values) if values else text

    def date(self, day: dt.date) -> str:
        """Write a date as maps print it: ``"17 November 2024"`` in English."""
        if self.language == "en":
            return f"{day.day} {_MONTHS[day.month - 1]} {day.year}"
        from babel.dates import format_date

        return str(format_date(day, format="long", locale=self.language))

    def month(self, year: int, month: int) -> str:
        """Write a month of a year, for dates known only to the month: ``"May 2019"``."""
        if self.language == "en":
            return f"{_MONTHS[month - 1]} {year}"
        from babel.dates import format_skeleton

        return str(format_skeleton("yMMMM", dt.date(year, month, 1), locale=self.language))

    def number(self, value: float) -> str:
        """Write a whole number with the language's grouping: ``"1,047,549"`` in English."""
        if self.language == "en":
            return f"{round(value):,}"
        from babel.numbers import format_decimal

        return str(format_decimal(round(value), locale=self.language))

    def runs(self, numbers: Sequence[int]) -> str:
        r"""Write sorted source numbers with consecutive ones joined by an en dash.

        Examples
        --------
        >>> words("en").runs([1, 2, 3, 5])
        '1\u20133, 5'
        """
        if not numbers:
            return ""
        parts: list[str] = []
        start = prev = numbers[0]
        for n in [*numbers[1:], None]:
            if n is not None and n == prev + 1:
                prev = n
                continue
            parts.append(str(start) if start == prev else f"{start}\u2013{prev}")
            if n is not None:
                start = prev = n
        return self(", ").join(parts)

    def source_lead(self, source: Any, quote: Callable[[Any], str] = str) -> str:
        """Write the start of a source line: publisher (via), title in quotes, date published.

        ``quote`` is applied to each piece taken from the source, e.g. an HTML escape;
        the line ends in a full stop, and the link and date accessed are the caller's.
        """
        who = quote(source.publisher)
        via = getattr(source, "via", None)
        if via:
            who = self("{publisher} (via {via})", publisher=who, via=quote(via))
        line = self("{who}: \u201c{title}\u201d", who=who, title=quote(source.title))
        published = getattr(source, "published", None)
        if isinstance(published, dt.date):
            line = self("{line}, {date}", line=line, date=self.date(published))
        elif published is not None and hasattr(published, "month"):
            # A catalog YearMonth: the page gave no day.
            month = self.month(int(published.year), int(published.month))
            line = self("{line}, {date}", line=line, date=month)
        return line + "."

    def km(self, distance_m: float) -> str:
        """Write a distance drawn on a map in kilometres: ``"300 km"``, ``"2.5 km"``."""
        km = distance_m / 1000.0
        if km < 10 and not float(km).is_integer():
            return self("{km} km", km=self._decimal(km, 1))
        return self("{km} km", km=self.number(km))

    def figure(self, km: float) -> str:
        """Write a reported figure as the source gave it: ``"306 km"``, ``"2,400 km"``."""
        if float(km).is_integer():
            return self("{km} km", km=self.number(km))
        return self("{km} km", km=self._decimal(km, 3))

    def _decimal(self, value: float, digits: int) -> str:
        if self.language == "en":
            return f"{value:,.{digits}f}".rstrip("0").rstrip(".") if digits > 1 else f"{value:,.1f}"
        from babel.numbers import format_decimal

        return str(format_decimal(round(value, digits), locale=self.language))

    def qualified(self, qualifier: str, km: float) -> str:
        """Say a figure the way the source qualified it: ``"up to 300 km"``, ``"about 165 km"``.

        Examples
        --------
        >>> words().qualified("more-than", 2400)
        'more than 2,400 km'
        """
        phrase = _QUALIFIED.get(qualifier, "{figure}")
        return self(phrase, figure=self.figure(km))

    def reach_phrase(self, wording: RangeWording) -> str:
        r"""Say the range a reach draws.

        ``"up to 300 km"``, ``"165\u2013300 km (reported figures)"``, ``"about 165 km,
        minimum 70 km"``, ``"100 km to 300 km"`` (a bare distance with a minimum).
        """
        if wording.band is not None:
            low, high = wording.band
            phrase = self(
                "{low}\u2013{high} km (reported figures)", low=self._g(low), high=self._g(high)
            )
        elif wording.name is None:
            phrase = self.km(wording.max_m)
        elif wording.max_qualifier:
            phrase = self.qualified(wording.max_qualifier, wording.max_m / 1000.0)
        else:
            phrase = self("{km} km", km=self._g(wording.max_m / 1000.0))
        if wording.min_m:
            if wording.name is None:
                return self("{low} to {high}", low=self.km(wording.min_m), high=phrase)
            minimum = (
                self.qualified(wording.min_qualifier, wording.min_m / 1000.0)
                if wording.min_qualifier
                else self("{km} km", km=self._g(wording.min_m / 1000.0))
            )
            phrase = self("{phrase}, minimum {minimum}", phrase=phrase, minimum=minimum)
        return phrase

    def reach_label(self, wording: RangeWording) -> str:
        """Write a reach's legend line: ``"ATACMS (Block I): about 165 km"``, or its own label."""
        if wording.label is not None:
            return wording.label
        phrase = self.reach_phrase(wording)
        if wording.name is None:
            return phrase
        return self("{name}: {phrase}", name=wording.name, phrase=phrase)

    def _g(self, value: float) -> str:
        if self.language == "en":
            return f"{value:,g}"
        from babel.numbers import format_decimal

        return str(format_decimal(value, locale=self.language))

    def origins(self, labels: Sequence[str], unnamed: int) -> list[str]:
        """Name a map's origins; a map whose origins have no names says how many there are."""
        if unnamed and not labels:
            phrase = "{count} point shown" if unnamed == 1 else "{count} points shown"
            return [self(phrase, count=unnamed)]
        return list(labels)


#: How each qualifier of a reported figure is said (catalog ``Qualifier`` values).
_QUALIFIED = {
    "up-to": "up to {figure}",
    "about": "about {figure}",
    "more-than": "more than {figure}",
    "less-than": "less than {figure}",
    "stated": "{figure}",
}


@dataclass(frozen=True, slots=True)
class RangeWording:
    """What a reach's legend line says, as data, so it is worded in the map's language.

    Parameters
    ----------
    name : str or None
        The system (and variant) as the catalog names it; ``None`` for a bare distance.
    max_m : float
        The range drawn, in metres.
    max_qualifier : str
        How the source qualified it (``"up-to"``, ``"about"``, ...); ``""`` when no
        claim gives the figure drawn.
    min_m : float or None
        A minimum range, in metres.
    min_qualifier : str
        How the minimum was qualified.
    band : tuple of float or None
        With every reported figure drawn: the lowest and highest, in kilometres.
    label : str or None
        A label given by the map maker, printed as it is.
    """

    name: str | None
    max_m: float
    max_qualifier: str = ""
    min_m: float | None = None
    min_qualifier: str = ""
    band: tuple[float, float] | None = None
    label: str | None = None


_MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)


def languages(folder: Path | None = None) -> tuple[str, ...]:
    """Return the languages maps can be written in: English and every catalog in ``folder``.

    Examples
    --------
    >>> "en" in languages()
    True
    """
    folder = LOCALE_DIR if folder is None else folder
    found = sorted(p.stem for p in folder.glob("*.po")) if folder.is_dir() else []
    return ("en", *(code for code in found if code != "en"))


@functools.cache
def _read_catalog(path: Path) -> dict[str, str]:
    from babel.messages.pofile import read_po

    with path.open("rb") as handle:
        catalog = read_po(handle)
    return {
        str(message.id): str(message.string)
        for message in catalog
        if message.id and isinstance(message.id, str) and message.string and not message.fuzzy
    }


def words(language: str = "en", *, folder: Path | None = None) -> Words:
    """Return the words of a language.

    Parameters
    ----------
    language : str, optional
        ``"en"`` (the default) or a language with a catalog ``<language>.po`` in
        ``folder``.
    folder : pathlib.Path, optional
        Where the catalogs are; :data:`LOCALE_DIR` (the package's own) when omitted.

    Returns
    -------
    Words

    Raises
    ------
    InputError
        If the language has no catalog.

    Examples
    --------
    >>> words().language
    'en'
    """
    if not isinstance(language, str) or not _LANGUAGE.fullmatch(language):
        msg = f"language: {quote(language)} is not a language code; use one such as 'en'"
        raise InputError(msg)
    if language == "en":
        return Words("en")
    folder = LOCALE_DIR if folder is None else folder
    path = folder / f"{language}.po"
    if not path.is_file():
        msg = (
            f"language: {quote(language)} has no message catalog; use one of "
            f"{', '.join(languages(folder))}"
        )
        raise InputError(msg)
    return Words(language, _read_catalog(path))
