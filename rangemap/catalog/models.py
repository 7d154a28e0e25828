"""The catalog's data model: frozen pydantic models of one spec file.

This module owns the shape of a system (munition or launcher), its variants, their
reported ranges, the claims behind each range and the sources behind each claim, and
the checks that need only one file: every claim cites a source of its file, the range
a map shows is one of the claims, a minimum range is below the maximum, exactly one
variant is the default. Checks that need the whole catalog (launchers and munitions
naming each other, names unique across files) live in :mod:`rangemap.catalog.checks`.
"""

from __future__ import annotations

import calendar
import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime
from enum import StrEnum
from pathlib import Path
from typing import Annotated

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Discriminator,
    Field,
    GetCoreSchemaHandler,
    PrivateAttr,
    StringConstraints,
    Tag,
    ValidationInfo,
    WithJsonSchema,
    model_validator,
)
from pydantic.config import JsonDict
from pydantic_core import PydanticCustomError, core_schema

from rangemap.catalog.html import system_html
from rangemap.escaping import UNCLEAN, character_name, check_url, quote
from rangemap.units import KM, MAX_DISTANCE_M, format_range_km
from rangemap.words import languages, words

__all__ = [
    "MAX_ID_LENGTH",
    "MAX_NAME_LENGTH",
    "MAX_RANGE_KM",
    "MAX_TEXT_LENGTH",
    "MAX_TITLE_LENGTH",
    "MAX_URL_LENGTH",
    "Attribution",
    "Caveat",
    "CaveatNote",
    "Claim",
    "ClaimKind",
    "Claimant",
    "Kind",
    "LoadOut",
    "PublisherType",
    "Qualifier",
    "RangeSpec",
    "Source",
    "System",
    "Variant",
    "YearMonth",
    "format_range_km",
    "published_key",
]

#: Upper bound (inclusive) of any range in km: :data:`rangemap.units.MAX_DISTANCE_M`, half
#: a meridian, the farthest one point on the Earth can be from another. Every figure up
#: to it can be mapped: ``km * KM <= MAX_DISTANCE_M`` holds for each of them.
MAX_RANGE_KM: float = MAX_DISTANCE_M / KM

#: Most characters of an id or a source key.
MAX_ID_LENGTH = 100
#: Most characters of a name, alias, designation, platform, publisher or reported figure.
MAX_NAME_LENGTH = 200
#: Most characters of a source's title.
MAX_TITLE_LENGTH = 500
#: Most characters of a sentence field: summary, note, why_shown.
MAX_TEXT_LENGTH = 2_000
#: Most characters of a source's address.
MAX_URL_LENGTH = 2_000

#: Validation context key: when true, nested models leave their checks to :class:`System`,
#: which reports every problem of a file at once.
DEFER_CHECKS = "rangemap_defer_checks"

#: Error type of the problems found by the checks of this module.
CHECK_ERROR = "rangemap_check"
_DATE_ERROR = "rangemap_date"
_URL_ERROR = "rangemap_url"
_TEXT_ERROR = "rangemap_text"
_COUNTRY_ERROR = "rangemap_country"
_LANGUAGE_ERROR = "rangemap_language"

_ID_PATTERN = r"^[a-z0-9]+(?:-[a-z0-9]+)*$"
_DATE_TEXT = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


class Kind(StrEnum):
    """What a system is: a kind of munition, or a launcher."""

    BALLISTIC_MISSILE = "ballistic-missile"
    AEROBALLISTIC_MISSILE = "aeroballistic-missile"
    CRUISE_MISSILE = "cruise-missile"
    GUIDED_ROCKET = "guided-rocket"
    GLIDE_BOMB = "glide-bomb"
    DRONE = "drone"
    LAUNCHER = "launcher"

    @property
    def label(self) -> str:
        """The kind in plain words, e.g. ``"ballistic missile"``."""
        return self.value.replace("-", " ")


class Qualifier(StrEnum):
    """How a source qualified the figure it gave."""

    ABOUT = "about"
    UP_TO = "up-to"
    MORE_THAN = "more-than"
    LESS_THAN = "less-than"
    STATED = "stated"

    def phrase(self, km: float) -> str:
        """Say a range the way the source qualified it.

        Parameters
        ----------
        km : float
            The figure, in kilometres.

        Returns
        -------
        str
            The figure with its qualifier and unit.

        Examples
        --------
        >>> Qualifier.UP_TO.phrase(300)
        'up to 300 km'
        >>> Qualifier.ABOUT.phrase(165)
        'about 165 km'
        >>> Qualifier.MORE_THAN.phrase(2400)
        'more than 2,400 km'
        >>> Qualifier.STATED.phrase(300)
        '300 km'
        """
        return words("en").qualified(self.value, km)


class Claimant(StrEnum):
    """Who made a claim: the kind of party a source speaks for."""

    MANUFACTURER = "manufacturer"
    GOVERNMENT = "government"
    MILITARY = "military"
    THINK_TANK = "think-tank"
    PRESS = "press"
    PARTY_TO_CONFLICT = "party-to-conflict"
    OTHER = "other"


class ClaimKind(StrEnum):
    """What a claimed figure measures: a stated maximum range, or something else.

    Only a ``stated-maximum`` (or an ``estimate`` of the maximum) is a range; a
    ``flight-distance`` is how far one test flew, a ``requirement`` a goal set before the
    weapon existed, a ``class-band`` the bounds of a category (e.g. intermediate range,
    3,000-5,500 km) the system is said to belong to.
    """

    STATED_MAXIMUM = "stated-maximum"
    FLIGHT_DISTANCE = "flight-distance"
    REQUIREMENT = "requirement"
    CLASS_BAND = "class-band"
    ESTIMATE = "estimate"

    @property
    def is_range(self) -> bool:
        """Whether the figure is a maximum range (stated or estimated), not another distance."""
        return self in (ClaimKind.STATED_MAXIMUM, ClaimKind.ESTIMATE)


class PublisherType(StrEnum):
    """What kind of outlet published a source: its tier on a standards desk."""

    GOVERNMENT = "government"
    MILITARY = "military"
    MANUFACTURER = "manufacturer"
    WIRE = "wire"
    NEWSPAPER = "newspaper"
    BROADCASTER = "broadcaster"
    MAGAZINE = "magazine"
    THINK_TANK = "think-tank"
    STATE_MEDIA = "state-media"
    AGGREGATOR = "aggregator"
    OTHER = "other"

    @property
    def speaks_for_a_state(self) -> bool:
        """Whether the publisher speaks for a state (so its ``country`` is required)."""
        return self in (PublisherType.GOVERNMENT, PublisherType.MILITARY, PublisherType.STATE_MEDIA)


class Caveat(StrEnum):
    """A short, standard warning about what a range figure means."""

    INCLUDES_CARRIER_RANGE = "includes-carrier-range"
    AIR_LAUNCHED = "air-launched"
    SEA_LAUNCHED = "sea-launched"
    GROUND_LAUNCHED_FROM_VEHICLE = "ground-launched-from-vehicle"
    RANGE_DISPUTED = "range-disputed"
    PAYLOAD_DEPENDENT = "payload-dependent"


class YearMonth:
    """A publication date known only to the month: ``YYYY-MM``.

    It prints and sorts like a date: before every day of its month, after the month
    before. Days are :class:`datetime.date`; compare either with :func:`published_key`.

    Parameters
    ----------
    year, month : int

    Examples
    --------
    >>> april = YearMonth(2025, 4)
    >>> str(april), april.isoformat()
    ('2025-04', '2025-04')
    >>> from datetime import date
    >>> YearMonth(2025, 3) < date(2025, 3, 1) < YearMonth(2025, 4)
    True
    >>> sorted([date(2024, 11, 17), YearMonth(2019, 5)], key=published_key)[0]
    YearMonth(2019, 5)
    """

    __slots__ = ("month", "year")

    def __init__(self, year: int, month: int) -> None:
        if not 1 <= year <= 9999 or not 1 <= month <= 12:
            msg = f"there is no month {year:04d}-{month:02d}"
            raise ValueError(msg)
        self.year = year
        self.month = month

    @classmethod
    def __get_pydantic_core_schema__(
        cls, source: object, handler: GetCoreSchemaHandler
    ) -> core_schema.CoreSchema:
        return core_schema.is_instance_schema(
            cls, serialization=core_schema.plain_serializer_function_ser_schema(str)
        )

    def isoformat(self) -> str:
        """Return ``YYYY-MM``."""
        return f"{self.year:04d}-{self.month:02d}"

    def __str__(self) -> str:
        return self.isoformat()

    def __repr__(self) -> str:
        return f"YearMonth({self.year}, {self.month})"

    def __hash__(self) -> int:
        return hash((self.year, self.month, 0))

    def __eq__(self, other: object) -> bool:
        if isinstance(other, YearMonth):
            return (self.year, self.month) == (other.year, other.month)
        return NotImplemented

    def _key(self) -> tuple[int, int, int]:
        return (self.year, self.month, 0)

    def __lt__(self, other: object) -> bool:
        if isinstance(other, YearMonth | date):
            return self._key() < published_key(other)
        return NotImplemented

    def __le__(self, other: object) -> bool:
        if isinstance(other, YearMonth | date):
            return self._key() <= published_key(other)
        return NotImplemented

    def __gt__(self, other: object) -> bool:
        if isinstance(other, YearMonth | date):
            return self._key() > published_key(other)
        return NotImplemented

    def __ge__(self, other: object) -> bool:
        if isinstance(other, YearMonth | date):
            return self._key() >= published_key(other)
        return NotImplemented


def published_key(value: date | YearMonth) -> tuple[int, int, int]:
    """Return a key that orders days and year-months together (a month before its days).

    Parameters
    ----------
    value : datetime.date or YearMonth

    Returns
    -------
    tuple of int
        ``(year, month, day)``, day 0 for a :class:`YearMonth`.

    Examples
    --------
    >>> from datetime import date
    >>> published_key(date(2024, 11, 17)), published_key(YearMonth(2024, 11))
    ((2024, 11, 17), (2024, 11, 0))
    """
    if isinstance(value, YearMonth):
        return (value.year, value.month, 0)
    return (value.year, value.month, value.day)


def _format_km_number(km: float) -> str:
    return format_range_km(km).removesuffix(" km")


# --- field types -------------------------------------------------------------------------


def _latest_allowed_date() -> date:
    # The latest calendar date anywhere on Earth is at most one day after UTC's.
    return max(date.today(), datetime.now(UTC).date())


def _error(kind: str, message: str) -> PydanticCustomError:
    """Return a validation error whose message is ``message`` exactly.

    pydantic fills ``{name}`` placeholders of a template from its context one name
    after another, so a value holding ``{name}`` could be filled in again: the whole
    message is therefore the only placeholder.
    """
    return PydanticCustomError(kind, "{message}", {"message": message})


def _calendar_problem(text: str) -> str:
    """Say why ``YYYY-MM-DD`` text is not a day of the calendar."""
    year, month, day = (int(part) for part in text.split("-"))
    if year < 1:
        return f"there is no year {year}"
    if not 1 <= month <= 12:
        return f"there is no month {month}"
    days = calendar.monthrange(year, month)[1]
    if day < 1:
        return f"there is no day {day}"
    return f"{calendar.month_name[month]} {year} has {days} days"


def _date_text(value: object) -> object:
    if isinstance(value, datetime):
        raise _error(
            _DATE_ERROR,
            f"{value.isoformat()} has a time of day; write the date only, as YYYY-MM-DD",
        )
    if isinstance(value, date):
        return value
    text = value.strip() if isinstance(value, str) else ""
    if _DATE_TEXT.fullmatch(text):
        try:
            return date.fromisoformat(text)
        except ValueError:
            raise _error(
                _DATE_ERROR,
                f"{quote(value)} is not a valid date; write it as YYYY-MM-DD, e.g. 2024-11-25 "
                f"({_calendar_problem(text)})",
            ) from None
    raise _error(
        _DATE_ERROR, f"{quote(value)} is not a date; write it as YYYY-MM-DD, e.g. 2024-11-25"
    )


_MONTH_TEXT = re.compile(r"[0-9]{4}-[0-9]{2}")


def _published_text(value: object) -> object:
    if isinstance(value, YearMonth):
        return value
    text = value.strip() if isinstance(value, str) else ""
    if _MONTH_TEXT.fullmatch(text):
        year, month = (int(part) for part in text.split("-"))
        try:
            return YearMonth(year, month)
        except ValueError:
            raise _error(
                _DATE_ERROR,
                f"{quote(value)} is not a valid month; write YYYY-MM-DD, or YYYY-MM when the "
                f"page gives no day (there is no month {month})",
            ) from None
    if isinstance(value, str) and not _DATE_TEXT.fullmatch(text):
        raise _error(
            _DATE_ERROR,
            f"{quote(value)} is not a date; write YYYY-MM-DD as the page shows it, or YYYY-MM "
            "when it gives no day, e.g. 2024-11-25 or 2024-11",
        )
    return _date_text(value)


def _not_in_future(value: date) -> date:
    if value > _latest_allowed_date():
        raise _error(
            _DATE_ERROR,
            f"{value.isoformat()} is in the future; write the date the figures or the page "
            "describe",
        )
    return value


def _http_url(value: str) -> str:
    scheme = value.strip().partition(":")[0].lower() if ":" in value else ""
    if scheme not in {"http", "https"}:
        raise _error(
            _URL_ERROR,
            f"{quote(value)} is not an http(s) web address; write the full https://... "
            "address of the public page",
        )
    reason = check_url(value)
    if reason:
        raise _error(
            _URL_ERROR,
            f"{quote(value)} is not an http(s) web address rangemap can link to: {reason}; "
            "write the full https://... address of the public page, as a browser shows it",
        )
    return value


def _plain_text(value: str) -> str:
    match = UNCLEAN.search(value)
    if match is not None:
        first = match.start()
        others = len(UNCLEAN.findall(value, first + 1))
        more = f" and {others:,} more such characters" if others else ""
        raise _error(
            _TEXT_ERROR,
            f"{quote(value)} contains {character_name(value[first])} at character "
            f"{first + 1:,}{more}; remove it: spec text is plain text on one line, with "
            "ordinary spaces",
        )
    return value


Id = Annotated[str, StringConstraints(pattern=_ID_PATTERN, max_length=MAX_ID_LENGTH)]
Name = Annotated[
    str,
    StringConstraints(strip_whitespace=True, min_length=1, max_length=MAX_NAME_LENGTH),
    AfterValidator(_plain_text),
]


#: The languages maps are made in (English and each bundled catalog), read once.
_MAP_LANGUAGES = languages()


def _map_language(value: str) -> str:
    """Refuse a language no map is made in: a name under ``ua`` would never be printed."""
    known = _MAP_LANGUAGES
    if value not in known:
        raise _error(
            _LANGUAGE_ERROR,
            f"{quote(value)} is not a language maps are made in; use one of: {', '.join(known)}",
        )
    return value


#: A language code of a map (``uk``, ``he``): one of :func:`rangemap.words.languages`. The
#: JSON Schema names them, so an editor flags ``ua`` as it is typed.
Language = Annotated[
    str,
    StringConstraints(pattern=r"^[a-z]{2,3}$"),
    AfterValidator(_map_language),
    WithJsonSchema({"type": "string", "pattern": f"^({'|'.join(sorted(_MAP_LANGUAGES))})$"}),
]
#: The JSON Schema of a mapping by language: no key but a map language.
_BY_LANGUAGE: JsonDict = {"additionalProperties": False}
#: Names by language (``{uk: "Версії більшої дальності", he: ...}``).
Names = Mapping[Language, Name]
Title = Annotated[
    str,
    StringConstraints(strip_whitespace=True, min_length=1, max_length=MAX_TITLE_LENGTH),
    AfterValidator(_plain_text),
]
Text = Annotated[
    str,
    StringConstraints(strip_whitespace=True, min_length=1, max_length=MAX_TEXT_LENGTH),
    AfterValidator(_plain_text),
]
#: ISO 3166-1 alpha-2 codes of states that no longer exist, with what to write instead.
WITHDRAWN_CODES = {
    "SU": "the Soviet Union no longer exists; write the current state (e.g. RU) and say in a "
    "note that the system is of Soviet origin",
    "YU": "Yugoslavia no longer exists; write the current state (e.g. RS)",
    "CS": "Czechoslovakia / Serbia and Montenegro no longer exist; write the current state",
    "DD": "East Germany no longer exists; write DE",
    "ZR": "Zaire is now the Democratic Republic of the Congo; write CD",
    "BU": "Burma is now Myanmar; write MM",
    "TP": "East Timor is now Timor-Leste; write TL",
    "AN": "the Netherlands Antilles were dissolved; write CW, SX or BQ",
}


def _current_code(value: str) -> str:
    reason = WITHDRAWN_CODES.get(value)
    if reason is not None:
        raise _error(_COUNTRY_ERROR, f"{quote(value)} is not a current country code: {reason}")
    return value


CountryCode = Annotated[
    str, StringConstraints(pattern=r"^[A-Z]{2}$"), AfterValidator(_current_code)
]
Day = Annotated[date, BeforeValidator(_date_text), AfterValidator(_not_in_future)]


def _published_not_in_future(value: date | YearMonth) -> date | YearMonth:
    if isinstance(value, YearMonth):
        today = _latest_allowed_date()
        if published_key(value) > (today.year, today.month, 0):
            raise _error(_DATE_ERROR, f"{value} is in the future; write the month the page shows")
        return value
    return _not_in_future(value)


Published = Annotated[
    date | YearMonth,
    BeforeValidator(_published_text),
    AfterValidator(_published_not_in_future),
    WithJsonSchema(
        {
            "type": "string",
            "pattern": "^[0-9]{4}-[0-9]{2}(?:-[0-9]{2})?$",
            "description": "YYYY-MM-DD, or YYYY-MM when the page shows no day.",
        }
    ),
]
Url = Annotated[
    str,
    StringConstraints(max_length=MAX_URL_LENGTH),
    AfterValidator(_http_url),
    Field(
        json_schema_extra={
            "format": "uri",
            "pattern": "^[Hh][Tt][Tt][Pp][Ss]?://[^\\s/\\\\@?#]+(?:[/?#][^\\s\\\\]*)?$",
        }
    ),
]
RangeKm = Annotated[
    float, Field(strict=True, gt=0, le=MAX_RANGE_KM, allow_inf_nan=False, examples=[300])
]

#: defer_build: the validators are built on first use (a spec read validates System,
#: which builds its nested models' schemas then), not for every model at import.
_CONFIG = ConfigDict(frozen=True, extra="forbid", use_enum_values=False, defer_build=True)

#: A problem found by a check: the path of the field below the model checked, and what
#: is wrong with it (ending with what to do).
Problem = tuple[str, str]


def _join(prefix: str, path: str) -> str:
    if not path:
        return prefix
    if not prefix:
        return path
    return f"{prefix}{path}" if path.startswith("[") else f"{prefix}.{path}"


def _raise_problems(problems: list[Problem]) -> None:
    if problems:
        text = "; ".join(f"{path}: {message}" if path else message for path, message in problems)
        # "problems" first: pydantic fills the template's names in the context's order,
        # so nothing is filled in after the text, which holds values from the file.
        raise PydanticCustomError(
            CHECK_ERROR, "{text}", {"problems": tuple(problems), "text": text}
        )


def _deferred(info: ValidationInfo) -> bool:
    return bool(isinstance(info.context, dict) and info.context.get(DEFER_CHECKS))


# --- models ------------------------------------------------------------------------------


#: Publisher types that are not independent of what they report: a map may not rest a
#: figure on them alone without saying whose figure it is.
NOT_INDEPENDENT = frozenset({PublisherType.STATE_MEDIA, PublisherType.AGGREGATOR})


@dataclass(frozen=True)
class Attribution:
    """Whom a figure shown rests on: what a legend needs to attribute it.

    Attributes
    ----------
    publisher_types : tuple of PublisherType
        The types of the outlets behind the claims of the figure shown, each once.
    claimants : tuple of Claimant
        Who states the figure in those claims, each once.
    party_only : bool
        True when every claim of the figure shown is a party's own word: published by
        state media, or stated by a party to a conflict. A legend should then say
        "according to ..." (e.g. Iranian state media).
    state_media_only : bool
        True when every claim of the figure shown is published by state media.
    aggregator_only : bool
        True when every claim of the figure shown is published by an aggregator.
    countries : tuple of str
        ISO alpha-2 codes of the states behind those party claims: the claim's
        ``claimant_country``, else the country of a state-media, government or military
        publisher.
    """

    publisher_types: tuple[PublisherType, ...]
    claimants: tuple[Claimant, ...]
    party_only: bool
    state_media_only: bool
    aggregator_only: bool
    countries: tuple[str, ...]

    @classmethod
    def of(cls, claims: Iterable[Claim], sources: Mapping[str, Source]) -> Attribution:
        """Build the attribution of some claims (those of one figure) from their sources."""
        pairs = [(claim, sources[claim.source]) for claim in claims if claim.source in sources]
        types = {source.publisher_type for _, source in pairs}
        claimants = {claim.claimant for claim, _ in pairs}
        party = [
            (claim, source)
            for claim, source in pairs
            if source.publisher_type is PublisherType.STATE_MEDIA
            or claim.claimant is Claimant.PARTY_TO_CONFLICT
        ]
        countries: list[str] = []
        for claim, source in party:
            country = claim.claimant_country or (
                source.country if source.publisher_type.speaks_for_a_state else None
            )
            if country and country not in countries:
                countries.append(country)
        return cls(
            publisher_types=tuple(t for t in PublisherType if t in types),
            claimants=tuple(c for c in Claimant if c in claimants),
            party_only=bool(pairs) and len(party) == len(pairs),
            state_media_only=bool(pairs) and types == {PublisherType.STATE_MEDIA},
            aggregator_only=bool(pairs) and types == {PublisherType.AGGREGATOR},
            countries=tuple(countries),
        )

    @property
    def independent(self) -> bool:
        """Whether an outlet behind the figure is neither state media nor an aggregator."""
        return any(t not in NOT_INDEPENDENT for t in self.publisher_types)


class Source(BaseModel):
    """A public source of one or more figures.

    Examples
    --------
    >>> source = Source(
    ...     publisher="Reuters",
    ...     publisher_type="wire",
    ...     via="Global News",
    ...     title="Biden allows Ukraine to use U.S.-supplied missiles in Russia",
    ...     url="https://globalnews.ca/news/10873954/ukraine-russia-us-weapons-biden/",
    ...     published="2024-11-17",
    ...     accessed="2026-11-25",
    ... )
    >>> print(source.citation())  # doctest: +NORMALIZE_WHITESPACE
    Reuters (via Global News), "Biden allows Ukraine to use U.S.-supplied missiles in
    Russia", 2024-11-17, https://globalnews.ca/news/10873954/ukraine-russia-us-weapons-biden/
    (accessed 2026-11-25)
    """

    model_config = _CONFIG

    publisher: Name = Field(
        description="The original outlet that wrote it, e.g. Reuters, U.S. Army, CSIS, KCNA."
    )
    publisher_type: PublisherType = Field(description="What kind of outlet the publisher is.")
    country: CountryCode | None = Field(
        default=None,
        description="ISO 3166-1 alpha-2 code of the publisher's country; required for "
        "state-media, government and military publishers.",
    )
    via: Name | None = Field(
        default=None,
        description="The host actually cited, when the URL is not on the publisher's own site.",
    )
    via_type: PublisherType | None = Field(
        default=None,
        description="What kind of outlet the host in `via` is: a newspaper or broadcaster that "
        "republishes a wire story under licence (newspaper, broadcaster ...), or a site that "
        "copies other outlets' stories (aggregator). Audits count a copy whose host is an "
        "aggregator, or not classified, as a scraper's copy.",
    )
    title: Title = Field(description="The page's real title, as the page shows it.")
    title_en: Title | None = Field(
        default=None,
        description="The title in English; required when the title is not in Latin script.",
    )
    url: Url = Field(description="The http(s) address of the page.")
    published: Published = Field(
        description="Publication date as the page shows it: YYYY-MM-DD, or YYYY-MM when the "
        "page gives no day."
    )
    accessed: Day = Field(description="The date the page was read, YYYY-MM-DD.")

    @property
    def is_copy(self) -> bool:
        """Whether the page cited is a copy on another host (``via`` is set)."""
        return self.via is not None

    @property
    def is_scraped(self) -> bool:
        """Whether the page is an aggregator's or scraper's: its own, or a copy on one.

        A copy counts unless its host is classified (``via_type``) as something other
        than an aggregator: a newspaper carrying a wire story under licence is not a
        scraper, a site copying everyone's stories is.

        Examples
        --------
        >>> Source(publisher="Reuters", publisher_type="wire", via="The Straits Times",
        ...        via_type="newspaper", title="Iran unveils locally made ballistic and "
        ...        "cruise missiles amid US tensions", url="https://www.straitstimes.com/",
        ...        published="2020-08-20", accessed="2026-12-02").is_scraped
        False
        """
        if self.via is None:
            return self.publisher_type is PublisherType.AGGREGATOR
        return self.via_type in (None, PublisherType.AGGREGATOR)

    def citation(self) -> str:
        """Return a one-line, plain-text citation.

        Returns
        -------
        str
            Publisher (and where the copy was found), title (with its English rendering
            when there is one), date, address and the date it was read.
        """
        who = f"{self.publisher} (via {self.via})" if self.via else self.publisher
        title = f'"{self.title}"'
        if self.title_en:
            title += f' ["{self.title_en}"]'
        parts = [who, title, self.published.isoformat()]
        parts.append(f"{self.url} (accessed {self.accessed.isoformat()})")
        return ", ".join(parts)

    @model_validator(mode="after")
    def _check(self, info: ValidationInfo) -> Source:
        if not _deferred(info):
            _raise_problems(source_problems(self))
        return self


class CaveatNote(BaseModel):
    """A caveat in free text, for what no :class:`Caveat` code says.

    Examples
    --------
    >>> note = CaveatNote(note="Range with a lighter warhead.",
    ...                   translations={"uk": "Дальність з легшою бойовою частиною."})
    >>> note.text("uk")
    'Дальність з легшою бойовою частиною.'
    >>> note.text("he")  # no translation: as written
    'Range with a lighter warhead.'
    """

    model_config = _CONFIG

    note: Text = Field(description="One short plain sentence.")
    translations: Mapping[Language, Text] = Field(
        default_factory=dict,
        json_schema_extra=_BY_LANGUAGE,
        description="The note in other languages, by language code; maps in a language "
        "without one print `note`.",
    )

    def text(self, language: str) -> str:
        """Return the note in ``language``, or as written when it has no translation."""
        return self.translations.get(language, self.note)


#: A caveat: a code, or ``{note: "..."}``.
#: The two forms a caveat is written in, as pydantic's tagged union names them.
CAVEAT_FORMS = ("code", "note")


def _caveat_form(value: object) -> str:
    """Which form a caveat is written in: a mapping is a note, anything else a code."""
    return "note" if isinstance(value, dict | CaveatNote) else "code"


#: Errors name the form the caveat is written in, not both (a note with a bad character
#: is a bad note, not "not a code").
CaveatItem = Annotated[
    Annotated[Caveat, Tag("code")] | Annotated[CaveatNote, Tag("note")],
    Discriminator(_caveat_form),
]


def caveat_text(caveat: CaveatItem) -> str:
    """Return a caveat as its code or its note.

    Examples
    --------
    >>> caveat_text(Caveat.AIR_LAUNCHED)
    'air-launched'
    """
    return caveat.value if isinstance(caveat, Caveat) else caveat.note


class Claim(BaseModel):
    """One source's figure for a range.

    Examples
    --------
    >>> claim = Claim(km=306, qualifier="up-to", kind="stated-maximum", claimant="press",
    ...               source="reuters-2024-11-17", as_reported="190 miles (306 km)")
    >>> claim.qualifier.phrase(claim.km)
    'up to 306 km'
    """

    model_config = _CONFIG

    km: RangeKm = Field(description="The figure in kilometres (converted if given in miles).")
    qualifier: Qualifier = Field(description="How the source qualified the figure.")
    kind: ClaimKind = Field(
        description="What the figure measures: a stated maximum range, a test flight's "
        "distance, a requirement, a class band or an estimate."
    )
    claimant: Claimant = Field(description="Who states the figure: the kind of party behind it.")
    claimant_country: CountryCode | None = Field(
        default=None,
        description="Optional: ISO alpha-2 code of the state the claimant speaks for, when it "
        "is a government, a military or a party to a conflict, e.g. RU.",
    )
    source: Id = Field(description="A key of the file's `sources`.")
    as_reported: Name | None = Field(
        default=None, description='The figure as the source wrote it, e.g. "190 miles".'
    )
    note: Text | None = Field(default=None, description="What a reader should know about it.")

    @property
    def phrase(self) -> str:
        """The figure with its qualifier, e.g. ``"up to 300 km"``."""
        return self.qualifier.phrase(self.km)


class RangeSpec(BaseModel):
    """A reported range: every claim, and the one a map shows.

    Examples
    --------
    >>> atacms = RangeSpec(
    ...     shown_km=300,
    ...     why_shown="The figure the EU's Josep Borrell gave on 18 November 2024.",
    ...     claims=[
    ...         {"km": 300, "qualifier": "up-to", "kind": "stated-maximum",
    ...          "claimant": "government", "source": "borrell"},
    ...         {"km": 306, "qualifier": "up-to", "kind": "stated-maximum",
    ...          "claimant": "press", "source": "reuters"},
    ...     ],
    ... )
    >>> atacms.spread_km
    (300.0, 306.0)
    >>> [claim.source for claim in atacms.shown_claims]
    ['borrell']
    """

    model_config = _CONFIG

    shown_km: RangeKm = Field(description="The figure a map draws; equal to one claim's km.")
    why_shown: Text | None = Field(
        default=None, description="Why this figure is shown; required when claims disagree."
    )
    claims: tuple[Claim, ...] = Field(min_length=1, description="Every reported figure.")

    @property
    def shown_claims(self) -> tuple[Claim, ...]:
        """The claims whose figure is the one shown."""
        return tuple(claim for claim in self.claims if claim.km == self.shown_km)

    @property
    def spread_km(self) -> tuple[float, float]:
        """The lowest and highest figures claimed, in km."""
        figures = [claim.km for claim in self.claims]
        return (min(figures), max(figures))

    @property
    def disputed(self) -> bool:
        """Whether the claims give different figures."""
        low, high = self.spread_km
        return low != high

    @property
    def shown_kinds(self) -> tuple[ClaimKind, ...]:
        """The kinds of the claims behind the figure shown, most range-like first."""
        kinds = {claim.kind for claim in self.shown_claims}
        return tuple(kind for kind in ClaimKind if kind in kinds)

    def attribution(self, sources: Mapping[str, Source]) -> Attribution:
        """Say whom the figure shown rests on: outlet types, and whether only a party states it.

        Parameters
        ----------
        sources : mapping of str to Source
            The sources of the system this range belongs to (``System.sources``).

        Returns
        -------
        Attribution

        Examples
        --------
        >>> from rangemap.catalog import load_catalog
        >>> kinzhal = load_catalog()["kinzhal"]
        >>> kinzhal.default_variant.max_range.attribution(kinzhal.sources).party_only
        False
        """
        return Attribution.of(self.shown_claims, sources)

    @model_validator(mode="after")
    def _check(self, info: ValidationInfo) -> RangeSpec:
        if not _deferred(info):
            _raise_problems(range_problems(self))
        return self


class Variant(BaseModel):
    """A version of a system (a block, an increment, an export model) and its ranges.

    Examples
    --------
    >>> block_i = Variant(id="block-i", name="M39 (Block I)", designations=["M39"],
    ...     max_range={"shown_km": 165, "claims": [{"km": 165, "qualifier": "about",
    ...                "kind": "stated-maximum", "claimant": "press",
    ...                "source": "reuters-2024-04"}]})
    >>> block_i.max_range.shown_km
    165.0
    """

    model_config = _CONFIG

    id: Id = Field(description="Lowercase letters, digits and hyphens; unique in the file.")
    name: Name = Field(description="The variant's name as a reader would know it.")
    names: Names = Field(
        default_factory=dict,
        json_schema_extra=_BY_LANGUAGE,
        description="The variant's name in other languages, by language code; maps in "
        "a language without one print `name`.",
    )
    designations: tuple[Name, ...] = Field(default=(), description="Official designations.")
    default: bool = Field(
        default=False,
        strict=True,
        description="The variant maps use when none is named; exactly one when several.",
    )
    max_range: RangeSpec | None = Field(
        default=None, description="Maximum range; required for munitions, absent for launchers."
    )
    min_range: RangeSpec | None = Field(
        default=None, description="Minimum range, where reported (drawn as an annulus)."
    )
    caveats: tuple[CaveatItem, ...] = Field(
        default=(), description='Caveats that hold for this variant only: codes or {note: "..."}.'
    )
    notes: tuple[Text, ...] = Field(default=(), description="Plain sentences about it.")

    def attribution(self, sources: Mapping[str, Source]) -> Attribution | None:
        """Whom the maximum range shown rests on (see :meth:`RangeSpec.attribution`).

        Returns None for a launcher variant, which has no range.
        """
        return self.max_range.attribution(sources) if self.max_range is not None else None

    @model_validator(mode="after")
    def _check(self, info: ValidationInfo) -> Variant:
        if not _deferred(info):
            _raise_problems(variant_problems(self))
        return self


class LoadOut(BaseModel):
    """What a launcher fires, and how many rounds per load, with its source.

    Examples
    --------
    >>> LoadOut(munition="atacms", per_load=1, source="army-himars").per_load
    1
    """

    model_config = _CONFIG

    munition: Id = Field(description="The id of a munition spec.")
    variants: tuple[Id, ...] = Field(
        default=(), description="Which of the munition's variants; all when omitted."
    )
    launcher_variants: tuple[Id, ...] = Field(
        default=(),
        description="Which of this launcher's variants fire it; all when omitted.",
    )
    per_load: int | None = Field(
        default=None,
        strict=True,
        gt=0,
        description="Rounds per load (e.g. one pod); omit when no source gives the count.",
    )
    source: Id = Field(
        description="A key of the file's `sources` reporting that it fires it, and the load."
    )
    note: Text | None = Field(default=None, description="What a reader should know about it.")


class System(BaseModel):
    """A munition or a launcher, as one spec file describes it.

    Examples
    --------
    >>> from rangemap.catalog import load_catalog
    >>> atacms = load_catalog().lookup("MGM-140")
    >>> atacms.variant("block-i").max_range.shown_km
    165.0
    """

    model_config = _CONFIG

    id: Id = Field(description="Lowercase letters, digits and hyphens; equal to the file name.")
    name: Name = Field(description="Short name used on maps, e.g. ATACMS.")
    names: Names = Field(
        default_factory=dict,
        json_schema_extra=_BY_LANGUAGE,
        description="The short name in other languages, by language code (uk: Кинджал); "
        "maps in a language without one print `name`.",
    )
    full_name: Name | None = Field(default=None, description="The name written out.")
    aliases: tuple[Name, ...] = Field(
        default=(), description="Other names; matched without case, spaces or punctuation."
    )
    kind: Kind = Field(description="What the system is.")
    origin_countries: tuple[CountryCode, ...] = Field(
        default=(), description="ISO 3166-1 alpha-2 codes of the countries that make it."
    )
    operators: tuple[CountryCode, ...] = Field(
        default=(), description="ISO 3166-1 alpha-2 codes of reported users."
    )
    launchers: tuple[Id, ...] = Field(
        default=(), description="Ids of launcher specs that fire this munition."
    )
    platforms: tuple[Name, ...] = Field(
        default=(), description='Launch platforms not in the catalog, e.g. "Su-24M".'
    )
    summary: Text | None = Field(default=None, description="One or two plain sentences.")
    caveats: tuple[CaveatItem, ...] = Field(
        default=(),
        description="Caveats for every variant: codes (air-launched, includes-carrier-range, "
        '...) or {note: "..."}.',
    )
    notes: tuple[Text, ...] = Field(default=(), description="Plain sentences a reader needs.")
    as_of: Day = Field(description="The date the figures describe, YYYY-MM-DD.")
    variants: tuple[Variant, ...] = Field(min_length=1, description="At least one variant.")
    fires: tuple[LoadOut, ...] = Field(
        default=(), description="Launchers only: what it fires and how many per load."
    )
    sources: dict[Id, Source] = Field(
        min_length=1, description="Every source cited in this file, by key."
    )

    _path: Path | None = PrivateAttr(default=None)

    @property
    def path(self) -> Path | None:
        """The file this system was loaded from (a :class:`pathlib.Path`), or None."""
        return self._path

    @property
    def is_launcher(self) -> bool:
        """Whether the system is a launcher rather than a munition."""
        return self.kind is Kind.LAUNCHER

    @property
    def default_variant(self) -> Variant:
        """The variant maps use when none is named."""
        for variant in self.variants:
            if variant.default:
                return variant
        return self.variants[0]

    def variant(self, name: str | None = None) -> Variant:
        """Return a variant by id, name or designation; the default one for None.

        Parameters
        ----------
        name : str or None
            A variant id (``"block-i"``), name or designation (``"M39"``), matched
            without case, spaces or punctuation. None means the default variant.

        Returns
        -------
        Variant

        Raises
        ------
        UnknownSystemError
            If no variant matches; the message lists the variants.

        Examples
        --------
        >>> from rangemap.catalog import load_catalog
        >>> load_catalog()["atacms"].variant("Block I").id
        'block-i'
        """
        from rangemap.catalog.normalise import normalise
        from rangemap.errors import UnknownSystemError

        if name is None:
            return self.default_variant
        key = normalise(name)
        for attribute in ("id", "name", "designations"):
            for variant in self.variants:
                values = getattr(variant, attribute)
                candidates = values if isinstance(values, tuple) else (values,)
                if key and any(normalise(value) == key for value in candidates):
                    return variant
        listed = ", ".join(f"{v.id} ({v.name})" for v in self.variants)
        msg = f"{self.id} has no variant {quote(name)}; use one of: {listed}"
        raise UnknownSystemError(msg)

    def source_for(self, cited: Claim | LoadOut | str) -> Source:
        """Return the source a claim or load count cites.

        Parameters
        ----------
        cited : Claim, LoadOut or str
            A claim, a load-out, or a source key of this system.

        Returns
        -------
        Source
        """
        key = cited if isinstance(cited, str) else cited.source
        try:
            return self.sources[key]
        except KeyError:
            from rangemap.errors import InputError

            msg = f"{self.id} has no source {quote(key)}; use one of: {', '.join(self.sources)}"
            raise InputError(msg) from None

    @property
    def claims(self) -> tuple[Claim, ...]:
        """Every claim of every range of every variant."""
        return tuple(
            claim
            for variant in self.variants
            for spec in (variant.max_range, variant.min_range)
            if spec is not None
            for claim in spec.claims
        )

    def caveats_for(self, variant: Variant | None = None) -> tuple[CaveatItem, ...]:
        """Return the system's caveats and then the variant's (the default one for None).

        Examples
        --------
        >>> from rangemap.catalog import load_catalog
        >>> [caveat_text(c) for c in load_catalog()["kinzhal"].caveats_for()]
        ['air-launched', 'includes-carrier-range']
        """
        chosen = self.default_variant if variant is None else variant
        items = list(self.caveats)
        items += [caveat for caveat in chosen.caveats if caveat not in items]
        return tuple(items)

    def attribution(self, variant: Variant | None = None) -> Attribution | None:
        """Whom a variant's shown maximum range rests on (the default variant for None).

        Returns
        -------
        Attribution or None
            None for a launcher.
        """
        chosen = self.default_variant if variant is None else variant
        return chosen.attribution(self.sources)

    def _repr_html_(self) -> str:
        return system_html(self)

    @model_validator(mode="after")
    def _check(self, info: ValidationInfo) -> System:
        problems = system_problems(self)
        _raise_problems(problems)
        if len(self.variants) == 1 and not self.variants[0].default:
            only = self.variants[0].model_copy(update={"default": True})
            object.__setattr__(self, "variants", (only,))
        return self


# --- checks of one file ------------------------------------------------------------------


def _figures(values: Iterable[float]) -> str:
    return ", ".join(_format_km_number(km) for km in sorted(set(values)))


def _non_latin_letters(text: str) -> bool:
    """Whether text holds a letter of a script other than Latin (Cyrillic, Han, Arabic...)."""
    for character in text:
        if character.isalpha() and not unicodedata.name(character, "").startswith("LATIN"):
            return True
    return False


def source_problems(source: Source) -> list[Problem]:
    """Check one source: dates in order, a real title, an English title, a country.

    Examples
    --------
    >>> source = Source.model_construct(
    ...     publisher="KCNA", publisher_type=PublisherType.STATE_MEDIA, country=None,
    ...     title="[Report of 5 May 2018]", title_en=None, published=date(2018, 5, 5),
    ...     accessed=date(2026, 11, 25))
    >>> [field for field, _ in source_problems(source)]
    ['title', 'country']
    """
    problems: list[Problem] = []
    if source.via_type is not None and source.via is None:
        problems.append(
            ("via_type", "is set but via is not; name the host in via, or drop via_type")
        )
    if published_key(source.published) > published_key(source.accessed):
        problems.append(
            (
                "published",
                f"{source.published.isoformat()} is after accessed "
                f"({source.accessed.isoformat()}); fix one of the two dates",
            )
        )
    title = source.title.strip()
    if title.startswith("[") and title.endswith("]"):
        problems.append(
            (
                "title",
                f"{quote(title, limit=60)} is a placeholder in brackets; write the page's real "
                "title as the page shows it (with title_en for a title not in Latin script)",
            )
        )
    elif source.title_en is None and _non_latin_letters(title):
        problems.append(
            (
                "title_en",
                f"missing; the title {quote(title, limit=60)} is not in Latin script, so add "
                "title_en: its English rendering (maps print it where a font lacks the script)",
            )
        )
    if source.publisher_type.speaks_for_a_state and source.country is None:
        problems.append(
            (
                "country",
                f"missing; a {source.publisher_type.value} publisher speaks for a state, so add "
                "country: its ISO 3166-1 alpha-2 code (e.g. RU, IR, KP) so maps can say whose "
                "figure it is",
            )
        )
    return problems


def range_problems(spec: RangeSpec) -> list[Problem]:
    """Check that the range shown is one of the claims, a range, and why it is shown."""
    problems: list[Problem] = []
    figures = [claim.km for claim in spec.claims]
    if spec.shown_km not in figures:
        problems.append(
            (
                "shown_km",
                f"{_format_km_number(spec.shown_km)} is not one of the claims "
                f"({_figures(figures)}); set it to one of them",
            )
        )
    ranges = [claim.km for claim in spec.claims if claim.kind.is_range]
    shown = spec.shown_claims
    if ranges and shown and not any(claim.kind.is_range for claim in shown):
        kinds = ", ".join(kind.value for kind in spec.shown_kinds)
        problems.append(
            (
                "shown_km",
                f"{_format_km_number(spec.shown_km)} rests only on claims of kind {kinds}, "
                "not a range; show a stated-maximum or estimate claim "
                f"({_figures(ranges)} km) or add one with its source",
            )
        )
    if spec.disputed and spec.why_shown is None:
        problems.append(
            (
                "why_shown",
                f"missing; the claims disagree ({_figures(figures)} km), so say in one "
                f"sentence why {_format_km_number(spec.shown_km)} km is the one shown",
            )
        )
    return problems


def variant_problems(variant: Variant) -> list[Problem]:
    """Check the ranges of a variant, and that its minimum is below its maximum."""
    problems: list[Problem] = []
    for field in ("max_range", "min_range"):
        spec = getattr(variant, field)
        if spec is not None:
            problems += [(_join(field, p), m) for p, m in range_problems(spec)]
    if (
        variant.min_range is not None
        and variant.max_range is not None
        and variant.min_range.shown_km >= variant.max_range.shown_km
    ):
        problems.append(
            (
                "min_range.shown_km",
                f"{_format_km_number(variant.min_range.shown_km)} is not less than "
                f"max_range.shown_km ({_format_km_number(variant.max_range.shown_km)}); "
                "a minimum range must be smaller than the maximum",
            )
        )
    for i, caveat in enumerate(variant.caveats):
        if caveat == Caveat.RANGE_DISPUTED and not _disputed(variant):
            problems.append((f"caveats[{i}]", _undisputed(variant)))
    return problems


def _disputed(variant: Variant) -> bool:
    """Whether the claims of a variant's maximum or minimum range give different figures."""
    ranges = (variant.max_range, variant.min_range)
    return any(spec is not None and spec.disputed for spec in ranges)


def _undisputed(variant: Variant) -> str:
    """Say why ``range-disputed`` is wrong for a variant whose claims agree."""
    spec = variant.max_range
    agree = f"gives {_figures(c.km for c in spec.claims)} km" if spec else "agrees"
    return (
        "range-disputed tells readers that sources give different figures, but every "
        f"claim of variant {variant.id} {agree}; remove it, and say what is in doubt in a "
        'note caveat ({note: "..."})'
    )


def system_problems(system: System) -> list[Problem]:
    """Check everything about a system that its own file can tell.

    Parameters
    ----------
    system : System

    Returns
    -------
    list of (str, str)
        ``(field path, message)`` pairs, e.g.
        ``("variants[1].max_range.shown_km", "310 is not one of the claims ...")``.
    """
    problems: list[Problem] = []
    known = ", ".join(system.sources) or "none"

    def cite(path: str, key: str) -> None:
        if key not in system.sources:
            problems.append(
                (
                    path,
                    f"{quote(key)} is not a key of sources (defined: {known}); "
                    "add the source under sources or fix the key",
                )
            )

    for key, source in system.sources.items():
        problems += [(_join(f"sources.{key}", p), m) for p, m in source_problems(source)]
        if published_key(source.published) > published_key(system.as_of):
            problems.append(
                (
                    f"sources.{key}.published",
                    f"{source.published.isoformat()} is after as_of "
                    f"({system.as_of.isoformat()}); as_of is the date the figures describe, "
                    "so set it to the newest source's date",
                )
            )

    seen_ids: dict[str, int] = {}
    for i, variant in enumerate(system.variants):
        where = f"variants[{i}]"
        if variant.id in seen_ids:
            problems.append(
                (
                    f"{where}.id",
                    f"{quote(variant.id)} is also the id of variants[{seen_ids[variant.id]}]; "
                    "give each variant its own id",
                )
            )
        seen_ids.setdefault(variant.id, i)
        problems += [(_join(where, p), m) for p, m in variant_problems(variant)]
        for field in ("max_range", "min_range"):
            spec = getattr(variant, field)
            if spec is None:
                continue
            for j, claim in enumerate(spec.claims):
                cite(f"{where}.{field}.claims[{j}].source", claim.source)
        if system.is_launcher:
            for field in ("max_range", "min_range"):
                if getattr(variant, field) is not None:
                    problems.append(
                        (
                            f"{where}.{field}",
                            "a launcher has no range of its own; remove it and give the "
                            "range in the spec of the munition it fires",
                        )
                    )
        elif variant.max_range is None:
            problems.append(
                (
                    f"{where}.max_range",
                    "missing; a munition variant needs a max_range with at least one sourced claim",
                )
            )

    if Caveat.RANGE_DISPUTED in system.caveats:
        i = system.caveats.index(Caveat.RANGE_DISPUTED)
        ranged = [v for v in system.variants if v.max_range is not None]
        agreed = [v for v in ranged if not _disputed(v)]
        if agreed and len(agreed) == len(ranged):
            problems.append((f"caveats[{i}]", _undisputed(agreed[0])))
        elif agreed:
            listed = ", ".join(v.id for v in ranged if _disputed(v))
            problems.append(
                (
                    f"caveats[{i}]",
                    "range-disputed on the system is printed with every variant, but the "
                    f"claims agree for {', '.join(v.id for v in agreed)}; move it to the "
                    f"caveats of the variants whose claims differ ({listed})",
                )
            )

    defaults = [i for i, variant in enumerate(system.variants) if variant.default]
    if len(system.variants) > 1 and len(defaults) != 1:
        if defaults:
            listed = ", ".join(f"variants[{i}]" for i in defaults)
            problems.append(
                (
                    "variants",
                    f"{len(defaults)} variants have default: true ({listed}); "
                    "keep it on exactly one",
                )
            )
        else:
            problems.append(
                (
                    "variants",
                    "no variant has default: true; set it on the one maps should use "
                    "when none is named",
                )
            )

    if system.is_launcher:
        if system.launchers:
            problems.append(
                (
                    "launchers",
                    "a launcher does not list launchers; list what it fires under fires",
                )
            )
        if not system.fires:
            problems.append(
                (
                    "fires",
                    "missing; a launcher lists what it fires, how many per load and the "
                    "source of that load",
                )
            )
    elif system.fires:
        problems.append(
            (
                "fires",
                f"only launchers fire munitions, and {system.id} is a {system.kind.label}; "
                "remove fires or set kind: launcher",
            )
        )
    own_variants = [variant.id for variant in system.variants]
    for k, load in enumerate(system.fires):
        cite(f"fires[{k}].source", load.source)
        for j, variant_id in enumerate(load.launcher_variants):
            if variant_id not in own_variants:
                problems.append(
                    (
                        f"fires[{k}].launcher_variants[{j}]",
                        f"{quote(variant_id)} is not a variant of {system.id}; use one of: "
                        f"{', '.join(own_variants)}",
                    )
                )
    return problems
