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
from collections.abc import Iterable
from datetime import UTC, date, datetime
from enum import StrEnum
from pathlib import Path
from typing import Annotated

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    PrivateAttr,
    StringConstraints,
    ValidationInfo,
    model_validator,
)
from pydantic_core import PydanticCustomError

from rangemap.catalog.html import system_html
from rangemap.escaping import UNCLEAN, character_name, check_url, quote
from rangemap.units import KM, MAX_DISTANCE_M, format_range_km
from rangemap.words import words

__all__ = [
    "MAX_ID_LENGTH",
    "MAX_NAME_LENGTH",
    "MAX_RANGE_KM",
    "MAX_TEXT_LENGTH",
    "MAX_TITLE_LENGTH",
    "MAX_URL_LENGTH",
    "Claim",
    "Claimant",
    "Kind",
    "LoadOut",
    "Qualifier",
    "RangeSpec",
    "Source",
    "System",
    "Variant",
    "format_range_km",
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

_ID_PATTERN = r"^[a-z0-9]+(?:-[a-z0-9]+)*$"
_DATE_TEXT = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


class Kind(StrEnum):
    """What a system is: a kind of munition, or a launcher."""

    BALLISTIC_MISSILE = "ballistic-missile"
    AEROBALLISTIC_MISSILE = "aeroballistic-missile"
    CRUISE_MISSILE = "cruise-missile"
    GUIDED_ROCKET = "guided-rocket"
    GLIDE_BOMB = "glide-bomb"
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
CountryCode = Annotated[str, StringConstraints(pattern=r"^[A-Z]{2}$")]
Day = Annotated[date, BeforeValidator(_date_text), AfterValidator(_not_in_future)]
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

_CONFIG = ConfigDict(frozen=True, extra="forbid", use_enum_values=False)

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


class Source(BaseModel):
    """A public source of one or more figures.

    Examples
    --------
    >>> source = Source(
    ...     publisher="Reuters",
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

    publisher: Name = Field(description="Who wrote it, e.g. Reuters, U.S. Army, CSIS.")
    via: Name | None = Field(
        default=None, description="Where the text was found, if the page is a copy."
    )
    title: Title = Field(description="The page's title.")
    url: Url = Field(description="The http(s) address of the page.")
    published: Day | None = Field(
        default=None, description="Publication date, YYYY-MM-DD; omit if the page gives none."
    )
    accessed: Day = Field(description="The date the page was read, YYYY-MM-DD.")

    def citation(self) -> str:
        """Return a one-line, plain-text citation.

        Returns
        -------
        str
            Publisher (and where the copy was found), title, date, address and the
            date it was read.
        """
        who = f"{self.publisher} (via {self.via})" if self.via else self.publisher
        parts = [who, f'"{self.title}"']
        if self.published is not None:
            parts.append(self.published.isoformat())
        parts.append(f"{self.url} (accessed {self.accessed.isoformat()})")
        return ", ".join(parts)

    @model_validator(mode="after")
    def _check(self, info: ValidationInfo) -> Source:
        if not _deferred(info):
            _raise_problems(source_problems(self))
        return self


class Claim(BaseModel):
    """One source's figure for a range.

    Examples
    --------
    >>> claim = Claim(km=306, qualifier="up-to", claimant="press", source="reuters-2024-11-17",
    ...               as_reported="190 miles (306 km)")
    >>> claim.qualifier.phrase(claim.km)
    'up to 306 km'
    """

    model_config = _CONFIG

    km: RangeKm = Field(description="The figure in kilometres (converted if given in miles).")
    qualifier: Qualifier = Field(description="How the source qualified the figure.")
    claimant: Claimant = Field(description="The kind of party behind the figure.")
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
    ...         {"km": 300, "qualifier": "up-to", "claimant": "government", "source": "borrell"},
    ...         {"km": 306, "qualifier": "up-to", "claimant": "press", "source": "reuters"},
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
    ...                "claimant": "press", "source": "reuters-2024-04"}]})
    >>> block_i.max_range.shown_km
    165.0
    """

    model_config = _CONFIG

    id: Id = Field(description="Lowercase letters, digits and hyphens; unique in the file.")
    name: Name = Field(description="The variant's name as a reader would know it.")
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
    notes: tuple[Text, ...] = Field(default=(), description="Plain sentences about it.")

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
        default=(), description="Which of its variants; all when omitted."
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


def source_problems(source: Source) -> list[Problem]:
    """Check that a source was not published after it was read."""
    if source.published is not None and source.published > source.accessed:
        return [
            (
                "published",
                f"{source.published.isoformat()} is after accessed "
                f"({source.accessed.isoformat()}); fix one of the two dates",
            )
        ]
    return []


def range_problems(spec: RangeSpec) -> list[Problem]:
    """Check that the range shown is one of the claims, and why it is shown if disputed."""
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
    return problems


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
    for k, load in enumerate(system.fires):
        cite(f"fires[{k}].source", load.source)
    return problems
