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
import unicodedata
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from rangemap.errors import InputError
from rangemap.escaping import quote

__all__ = [
    "CAVEATS",
    "CHOSEN_NOTE",
    "LOCALE_DIR",
    "METHOD_NOTE",
    "MIXED_NOTE",
    "OTHER_KINDS_NOTE",
    "RangeWording",
    "Voice",
    "Words",
    "languages",
    "words",
]

#: Where the message catalogs are: one ``<language>.po`` file per language.
LOCALE_DIR = Path(__file__).resolve().parent / "locale"

_LANGUAGE = re.compile(r"[a-z]{2,3}(?:_[A-Z]{2})?")

#: How every map explains its shaded areas (a phrase: pass it through :class:`Words`).
METHOD_NOTE = (
    "Each shaded area is every place within the stated distance of an origin, measured "
    "along the Earth's surface (WGS84 ellipsoid). Ranges are as publicly reported; real "
    "reach depends on launch site, flight path and payload."
)

#: The method note of a map whose every layer is a distance chosen by its maker
#: (``Reach.from_distance``): no figure on it was reported by anyone.
CHOSEN_NOTE = (
    "Each shaded area is every place within the stated distance of an origin, measured "
    "along the Earth's surface (WGS84 ellipsoid). The distances were chosen by the map's "
    "maker; they are not reported ranges of any weapon."
)

#: The method note of a map with both catalog layers and distances chosen by its maker.
MIXED_NOTE = (
    "Each shaded area is every place within the stated distance of an origin, measured "
    "along the Earth's surface (WGS84 ellipsoid). Ranges of named systems are as publicly "
    "reported; real reach depends on launch site, flight path and payload. Distances "
    "without a named system were chosen by the map's maker and are not reported figures."
)

#: Added to the method note of a map drawing a figure that is not a maximum range.
OTHER_KINDS_NOTE = (
    "Not every figure drawn is a maximum range: the legend says what each one is "
    "(a test flight's distance, a requirement, a class limit)."
)

#: What each caveat code of the catalog says on a map (``Caveat`` values), one short
#: sentence a reader needs beside the range.
CAVEATS = {
    "includes-carrier-range": "The figure may include the carrier aircraft's flight.",
    "air-launched": "Air-launched: the origin is where the aircraft releases it.",
    "sea-launched": "Sea-launched: the origin is where the ship or submarine fires it.",
    "ground-launched-from-vehicle": (
        "Fired from a mobile launcher: the origin is where the vehicle stands."
    ),
    "range-disputed": "The range is disputed: sources give different figures.",
    "payload-dependent": "The range depends on the payload: a lighter one flies farther.",
}

#: Range classes whose limits a ``class-band`` figure may be (km, the class below the
#: limit, the class above it): the U.S. Department of Defense's ballistic-missile classes.
_CLASS_LIMITS = (
    (1000.0, "short-range", "medium-range"),
    (3000.0, "medium-range", "intermediate-range"),
    (5500.0, "intermediate-range", "intercontinental"),
)

#: How each class names itself in a legend (phrases for :class:`Words`).
_CLASS_PHRASES = {
    "short-range": "short-range class: {figure}",
    "medium-range": "medium-range class: {figure}",
    "intermediate-range": "intermediate-range class: {figure}",
    "intercontinental": "intercontinental class: {figure}",
    "": "a range class: {figure}",
}

#: How the kinds of figure other than ranges are named in a band of figures.
_KIND_PLURALS = {
    "flight-distance": "test flight distances",
    "requirement": "requirements",
    "class-band": "class limits",
}


#: How a figure's source is named when it is one state's (or one unknown state's) voice.
_VOICE_ONE = {
    "government": "{owner} government",
    "military": "{owner} military",
    "state-media": "{owner} state media",
}
#: ... when it is the voice of several states.
_VOICE_MANY = {
    "government": "the governments of {countries}",
    "military": "the militaries of {countries}",
    "state-media": "the state media of {countries}",
}
#: ... when the state is not known.
_VOICE_UNKNOWN = {
    "government": "a government",
    "military": "a military",
    "state-media": "state media",
}


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
    plurals: Mapping[str, tuple[str, ...]] = field(default_factory=dict, repr=False)
    plural_forms: str = "(n != 1)"

    def __call__(self, phrase: str, /, **values: object) -> str:
        """Return ``phrase`` in this language, with ``{name}`` placeholders filled in."""
        text = self.catalog.get(phrase) or phrase
        if not values:
            return text
        text = text.format(**values)
        if text.endswith("..") and not text.endswith("..."):
            text = text[:-1]  # a value ending in an abbreviation (a Ukrainian date) + "."
        return _isolate_runs(text) if self.direction == "rtl" else text

    def plural(self, singular: str, plural: str, n: int, /, **values: object) -> str:
        """Return the form of a phrase for the number ``n`` (gettext ``ngettext``).

        Ukrainian and Russian have three forms, Arabic six, Hebrew four: the catalog's
        ``Plural-Forms`` header chooses.

        Examples
        --------
        >>> words("en").plural("{count} point shown", "{count} points shown", 2, count=2)
        '2 points shown'
        >>> words("uk").plural("{count} point shown", "{count} points shown", 5, count=5)
        'Показано 5 точок'
        """
        forms = self.plurals.get(singular)
        if forms and all(forms):
            text = forms[min(_plural_index(self.plural_forms, n), len(forms) - 1)]
        else:
            text = singular if n == 1 else plural
        return text.format(**values) if values else text

    @property
    def direction(self) -> str:
        """Return ``"rtl"`` for a language written right to left (Hebrew, Arabic), else ``"ltr"``.

        Examples
        --------
        >>> words("he").direction, words("uk").direction
        ('rtl', 'ltr')
        """
        return _direction(self.language)

    def isolate(self, text: str) -> str:
        """Keep a run of numbers, such as ``"165\u2013300"`` or ``"[1\u20138]"``, left to right.

        In a right-to-left language the run is wrapped in the Unicode isolates LRI and
        PDI, so it reads as written inside Hebrew or Arabic text (``"[1\u20138]"`` would
        otherwise show as ``"[8\u20131]"``); in other languages it is returned as it is.

        Examples
        --------
        >>> words("he").isolate("165\u2013300") == "\u2066165\u2013300\u2069"
        True
        >>> words("en").isolate("1,000")
        '1,000'
        """
        if not text or self.direction == "ltr":
            return text
        return f"\u2066{text}\u2069"

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

    def source_lead(
        self, source: Any, quote: Callable[[Any], str] = str, *, title: bool = True
    ) -> str:
        """Write the start of a source line: publisher (via), title in quotes, date published.

        ``quote`` is applied to each piece taken from the source, e.g. an HTML escape;
        the line ends in a full stop, and the link and date accessed are the caller's.
        Without ``title``, the short line of small images: publisher (via) and date.
        """
        who = quote(source.publisher)
        via = getattr(source, "via", None)
        if via:
            who = self("{publisher} (via {via})", publisher=who, via=quote(via))
        line = who
        if title:
            line = self("{who}: \u201c{title}\u201d", who=who, title=quote(source.title))
        published = getattr(source, "published", None)
        if isinstance(published, dt.date):
            line = self("{line}, {date}", line=line, date=self.date(published))
        elif published is not None and hasattr(published, "month"):
            # A catalog YearMonth: the page gave no day.
            month = self.month(int(published.year), int(published.month))
            line = self("{line}, {date}", line=line, date=month)
        return line if line.endswith(".") else line + "."

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
        r"""Say the range a reach draws, and what kind of figure it is.

        ``"up to 300 km"``, ``"165\u2013300 km (reported figures)"``, ``"about 165 km,
        minimum 70 km"``, ``"100 km to 300 km"`` (a bare distance with a minimum),
        ``"about 4,000 km (estimate)"``, ``"flew 1,000 km in a test reported in 2024"``,
        ``"a requirement: up to 499 km"``, ``"intermediate-range class: up to 5,500 km"``.

        Examples
        --------
        >>> en = words("en")
        >>> en.reach_phrase(RangeWording("DF-26", 4_000_000, "about", kind="estimate"))
        'about 4,000 km (estimate)'
        >>> en.reach_phrase(RangeWording("Hwasong-16B", 1_000_000, "stated",
        ...                              kind="flight-distance", year=2024))
        'flew 1,000 km in a test reported in 2024'
        >>> en.reach_phrase(RangeWording("PrSM", 499_000, "up-to", kind="requirement"))
        'a requirement: up to 499 km'
        >>> en.reach_phrase(RangeWording("Oreshnik", 5_500_000, "up-to", kind="class-band"))
        'intermediate-range class: up to 5,500 km'
        """
        if wording.band is not None:
            low, high = wording.band
            if wording.band_kinds:
                kinds = self(", ").join(self(_KIND_PLURALS.get(k, k)) for k in wording.band_kinds)
                phrase = self(
                    "{low}\u2013{high} km (reported figures, including {kinds})",
                    low=self._g(low),
                    high=self._g(high),
                    kinds=kinds,
                )
            else:
                phrase = self(
                    "{low}\u2013{high} km (reported figures)",
                    low=self._g(low),
                    high=self._g(high),
                )
        elif wording.name is None:
            phrase = self.km(wording.max_m)
        else:
            if wording.max_qualifier:
                figure = self.qualified(wording.max_qualifier, wording.max_m / 1000.0)
            else:
                figure = self("{km} km", km=self._g(wording.max_m / 1000.0))
            phrase = self._of_kind(wording, figure)
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

    def _of_kind(self, wording: RangeWording, figure: str) -> str:
        """Say a figure as what it is: a range, an estimate, a test flight, a requirement..."""
        kind = wording.kind
        if kind == "estimate":
            return self("{figure} (estimate)", figure=figure)
        if kind == "flight-distance":
            if wording.year is not None:
                return self(
                    "flew {figure} in a test reported in {year}", figure=figure, year=wording.year
                )
            return self("flew {figure} in a test", figure=figure)
        if kind == "requirement":
            return self("a requirement: {figure}", figure=figure)
        if kind == "class-band":
            return self(
                _CLASS_PHRASES[range_class(wording.max_m / 1000.0, wording.max_qualifier)],
                figure=figure,
            )
        return figure

    def reach_label(self, wording: RangeWording) -> str:
        """Write a reach's legend line: ``"ATACMS (Block I): about 165 km"``, or its own label.

        A figure only a party states says whose word it is (:meth:`whose`); a test
        flight's distance says whose claim it is.

        Examples
        --------
        >>> en = words("en")
        >>> print(en.reach_label(RangeWording("Palestine-2", 2_150_000, "stated",
        ...     voices=(Voice("party"),), reported_by=("CN",))))  # doctest: +NORMALIZE_WHITESPACE
        Palestine-2: 2,150 km, as claimed by a party to the conflict, reported by
        China's state media
        >>> en.reach_label(RangeWording("Hwasong-16B", 1_000_000, "stated",
        ...     kind="flight-distance", claimants=("KP",)))
        "Hwasong-16B: flew 1,000 km in a test (North Korea's claim)"
        """
        if wording.label is not None:
            return wording.label
        phrase = self.reach_phrase(wording)
        if wording.name is None:
            return phrase
        whose = self.whose(wording)
        if whose:
            phrase = self("{phrase}, {whose}", phrase=phrase, whose=whose)
        elif wording.claimants:
            if len(wording.claimants) == 1:
                phrase = self(
                    "{phrase} ({owner} claim)",
                    phrase=phrase,
                    owner=self.possessive(wording.claimants[0]),
                )
            else:
                phrase = self(
                    "{phrase} (claims of {countries})",
                    phrase=phrase,
                    countries=self.countries(wording.claimants),
                )
        name = dict(wording.names).get(self.language, wording.name)
        if self.direction == "rtl":
            # A name keeps its own order: right to left when it has Hebrew or Arabic
            # letters, even if it starts with a Latin one (RLI ... PDI); FSI ... PDI else.
            rtl = any(unicodedata.bidirectional(c) in ("R", "AL") for c in str(name))
            name = ("\u2067" if rtl else "\u2068") + f"{name}\u2069"
        return self("{name}: {phrase}", name=name, phrase=phrase)

    def whose(self, wording: RangeWording) -> str:
        """Say whose word a figure is, when only a party states it; ``""`` otherwise.

        ``"according to Iran's government"``, ``"according to North Korea's state
        media"``, ``"as claimed by a party to the conflict"``, ``"as claimed by Ukraine
        and Russia, parties to the conflict"``; a party's claim carried only by state
        media adds ``", reported by China's state media"``.

        Examples
        --------
        >>> en = words("en")
        >>> en.whose(RangeWording("Emad", 1_700_000, voices=(Voice("government", "IR"),)))
        "according to Iran's government"
        >>> en.whose(RangeWording("KN-23", 700_000, voices=(Voice("state-media", "KP"),)))
        "according to North Korea's state media"
        >>> en.whose(RangeWording("Kh-101", 5_500_000,
        ...     voices=(Voice("party", "UA"), Voice("party", "RU"))))
        'as claimed by Ukraine and Russia, parties to the conflict'
        >>> en.whose(RangeWording("ATACMS", 300_000))
        ''
        """
        if not wording.voices:
            return ""
        nouns: list[str] = []
        for who in ("government", "military", "state-media", "party"):
            voices = [v for v in wording.voices if v.who == who]
            if not voices:
                continue
            countries = list(dict.fromkeys(v.country for v in voices if v.country))
            unknown = any(v.country is None for v in voices)
            nouns += self._voice_nouns(who, countries, unknown)
        whom = self.joined(nouns)
        if all(v.who == "party" for v in wording.voices):
            text = self("as claimed by {whom}", whom=whom)
        else:
            text = self("according to {whom}", whom=whom)
        if wording.reported_by:
            carriers = self._voice_nouns("state-media", list(wording.reported_by), False)
            text = self("{whose}, reported by {whom}", whose=text, whom=self.joined(carriers))
        return text

    def _voice_nouns(self, who: str, countries: list[str], unknown: bool) -> list[str]:
        nouns: list[str] = []
        if who == "party":
            if len(countries) == 1:
                nouns.append(
                    self("{country}, a party to the conflict", country=self.country(countries[0]))
                )
            elif countries:
                nouns.append(
                    self(
                        "{countries}, parties to the conflict", countries=self.countries(countries)
                    )
                )
            if unknown or not countries:
                nouns.append(self("a party to the conflict"))
            return nouns
        if len(countries) == 1:
            nouns.append(self(_VOICE_ONE[who], owner=self.possessive(countries[0])))
        elif countries:
            nouns.append(
                self(_VOICE_MANY[who], countries=self.joined([self.of(c) for c in countries]))
            )
        if unknown or not countries:
            nouns.append(self(_VOICE_UNKNOWN[who]))
        return nouns

    def country(self, code: str) -> str:
        """Name a country by its ISO code, in this language (CLDR names, through Babel).

        Examples
        --------
        >>> words("en").country("KP"), words("en").country("US")
        ('North Korea', 'the United States')
        """
        from babel import Locale

        name = Locale.parse(self.language).territories.get(code)
        if not name:
            return code
        if self.language == "en" and _takes_the(name):
            return f"the {name}"
        return str(name)

    def possessive(self, code: str) -> str:
        """Name a country as an owner: ``"Iran's"``, ``"the United States'"`` in English.

        Other languages use :meth:`of` (``"Ірану"`` in ``"уряду Ірану"``).
        """
        name = self.country(code)
        if self.language == "en":
            return f"{name}'" if name.endswith("s") else f"{name}'s"
        return self.of(code)

    def of(self, code: str) -> str:
        """Name a country after a noun it belongs to ("the government of Iran").

        English and languages whose nouns do not change (Hebrew and Arabic put the
        owner after the noun as it is) give the country's name; Ukrainian and Russian
        take the genitive from the catalog's ``msgctxt "of"`` entries, and for a
        country without one the catalog's ``"{country}'s"`` (``"країни {country}"``,
        "of the country Iran"), which keeps the name as it is.

        Examples
        --------
        >>> words("uk").of("IR"), words("ru").of("KP"), words("he").of("IR")
        ('Ірану', 'КНДР', 'איראן')
        """
        name = self.country(code)
        if self.language == "en":
            return name
        genitive = self.catalog.get(f"of\x04{code}")
        return genitive or self("{country}'s", country=name)

    def territory(self, code: str, english: str) -> str:
        """Name a country on the map: its CLDR name in this language, ``english`` in English.

        Examples
        --------
        >>> words("uk").territory("RU", "Russia"), words("en").territory("RU", "Russia")
        ('Росія', 'Russia')
        """
        if self.language == "en" or not code:
            return english
        return self.country(code) if self.country(code) != code else english

    def countries(self, codes: Sequence[str]) -> str:
        """Name several countries: ``"Ukraine and Russia"``."""
        return self.joined([self.country(code) for code in codes])

    def joined(self, items: Sequence[str]) -> str:
        """Join items as a list in a sentence: ``"a, b and c"``."""
        items = list(items)
        if len(items) <= 1:
            return "".join(items)
        return self("{items} and {last}", items=self(", ").join(items[:-1]), last=items[-1])

    def caveat(self, code: str) -> str:
        """Say a catalog caveat (a ``Caveat`` code) as the short note maps print.

        Examples
        --------
        >>> words().caveat("includes-carrier-range")
        "The figure may include the carrier aircraft's flight."
        """
        return self(CAVEATS[code]) if code in CAVEATS else code

    def method_note(
        self, *, reported: bool = True, chosen: bool = False, other_kinds: bool = False
    ) -> str:
        """Say how a map's shaded areas were made, and where their distances come from.

        Parameters
        ----------
        reported : bool
            The map draws ranges of catalog systems (publicly reported figures).
        chosen : bool
            The map draws distances its maker chose (no system behind them).
        other_kinds : bool
            The map draws a figure that is not a maximum range (asked for with
            ``kinds=``): the note says so.

        Examples
        --------
        >>> "chosen by the map's maker" in words().method_note(reported=False, chosen=True)
        True
        """
        if chosen and reported:
            note = self(MIXED_NOTE)
        elif chosen:
            note = self(CHOSEN_NOTE)
        else:
            note = self(METHOD_NOTE)
        if other_kinds and reported:
            note = self("{note} {more}", note=note, more=self(OTHER_KINDS_NOTE))
        return note

    def _g(self, value: float) -> str:
        if self.language == "en":
            return f"{value:,g}"
        from babel.numbers import format_decimal

        return str(format_decimal(value, locale=self.language))

    def origins(self, labels: Sequence[str], unnamed: int) -> list[str]:
        """Name a map's origins; a map whose origins have no names says how many there are."""
        if unnamed and not labels:
            return [
                self.plural("{count} point shown", "{count} points shown", unnamed, count=unnamed)
            ]
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
    kind : str
        The catalog claim kind of the figure drawn (``"estimate"``,
        ``"flight-distance"``, ``"requirement"``, ``"class-band"``); ``""`` or
        ``"stated-maximum"`` for a stated maximum range.
    year : int or None
        For a test flight's distance: the year it was first reported.
    claimants : tuple of str
        For a test flight's distance: ISO codes of the states whose claim it is.
    voices : tuple of Voice
        When only a party states the figure: whose word it is (empty otherwise).
    reported_by : tuple of str
        ISO codes of the states whose state media alone carried a party's claim.
    band_kinds : tuple of str
        With every reported figure drawn: the kinds among them that are not ranges.
    names : tuple of (str, str)
        ``name`` in other languages, as ``(language, name)`` pairs (the catalog's
        ``names``); a map in another language prints ``name``.
    """

    name: str | None
    max_m: float
    max_qualifier: str = ""
    min_m: float | None = None
    min_qualifier: str = ""
    band: tuple[float, float] | None = None
    label: str | None = None
    kind: str = ""
    year: int | None = None
    claimants: tuple[str, ...] = ()
    voices: tuple[Voice, ...] = ()
    reported_by: tuple[str, ...] = ()
    band_kinds: tuple[str, ...] = ()
    names: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True, slots=True)
class Voice:
    """Whose word a figure is, when only a party states it.

    Parameters
    ----------
    who : str
        ``"government"``, ``"military"``, ``"state-media"`` or ``"party"`` (a party to
        a conflict).
    country : str or None
        The ISO 3166-1 alpha-2 code of the state it speaks for, where known.
    """

    who: str
    country: str | None = None


def range_class(km: float, qualifier: str = "") -> str:
    """Return the range class whose limit a figure is (``""`` when it is no class limit).

    A figure "up to" (or "about") a limit is the class below it; "more than" a limit,
    the class above it.

    Examples
    --------
    >>> range_class(5500, "up-to"), range_class(5500, "more-than"), range_class(4200)
    ('intermediate-range', 'intercontinental', '')
    """
    for limit, below, above in _CLASS_LIMITS:
        if km == limit:
            return above if qualifier == "more-than" else below
    return ""


#: English country names that take "the" in a sentence (CLDR names are bare).
_THE_NAMES = frozenset(
    {"Netherlands", "Philippines", "Bahamas", "Gambia", "Maldives", "Comoros", "Seychelles"}
)


def _takes_the(name: str) -> bool:
    return (
        name.startswith("United ")
        or name.endswith((" Islands", " Republic", " Emirates"))
        or name in _THE_NAMES
    )


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
def _direction(language: str) -> str:
    if language == "en":  # the default: no need to load Babel's locale data (5 MB)
        return "ltr"
    from babel import Locale

    order = Locale.parse(language).character_order
    return "rtl" if order == "right-to-left" else "ltr"


#: A run of numbers joined by an en dash ("165\u2013300", "1\u20133"), not yet isolated.
_RUN = re.compile(r"\d[\d.,\u00a0\u202f\u066b\u066c]*(?:\u2013\d[\d.,\u00a0\u202f\u066b\u066c]*)+")


def _isolate_runs(text: str) -> str:
    """Wrap every run of numbers joined by dashes in LRI ... PDI, once."""

    def wrap(match: re.Match[str]) -> str:
        before = text[match.start() - 1] if match.start() else ""
        if before == "\u2066":
            return match.group(0)
        return f"\u2066{match.group(0)}\u2069"

    return _RUN.sub(wrap, text)


@functools.cache
def _plural_function(expression: str) -> Callable[[int], int]:
    import gettext

    function: Callable[[int], int] = gettext.c2py(expression)
    return function


def _plural_index(expression: str, n: int) -> int:
    return int(_plural_function(expression)(int(n)))


@functools.cache
def _read_catalog(path: Path) -> tuple[dict[str, str], dict[str, tuple[str, ...]], str]:
    """Read a catalog: its phrases, its plural phrases and its plural-forms expression."""
    from babel.messages.pofile import read_po

    with path.open("rb") as handle:
        catalog = read_po(handle)
    phrases: dict[str, str] = {}
    plurals: dict[str, tuple[str, ...]] = {}
    for message in catalog:
        if not message.id or message.fuzzy or not message.string:
            continue
        if isinstance(message.id, str) and isinstance(message.string, str):
            key = f"{message.context}\x04{message.id}" if message.context else message.id
            phrases[key] = message.string
        elif isinstance(message.id, tuple | list):
            plurals[str(message.id[0])] = tuple(str(s) for s in message.string)
    return phrases, plurals, str(catalog.plural_expr)


def words(language: str = "en", *, folder: Path | None = None, argument: str = "language") -> Words:
    """Return the words of a language.

    Parameters
    ----------
    language : str, optional
        ``"en"`` (the default) or a language with a catalog ``<language>.po`` in
        ``folder``.
    folder : pathlib.Path, optional
        Where the catalogs are; :data:`LOCALE_DIR` (the package's own) when omitted.
    argument : str, optional
        The field or option the language came from, named in the error (``"--lang"``).

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
        msg = (
            f"{argument}: {quote(language)} is not a language code; use one of "
            f"{', '.join(languages(folder))}"
        )
        raise InputError(msg)
    if language == "en":
        return Words("en")
    folder = LOCALE_DIR if folder is None else folder
    path = folder / f"{language}.po"
    if not path.is_file():
        msg = (
            f"{argument}: {quote(language)} has no message catalog; use one of "
            f"{', '.join(languages(folder))}"
        )
        raise InputError(msg)
    phrases, plurals, forms = _read_catalog(path)
    return Words(language, phrases, plurals, forms)
