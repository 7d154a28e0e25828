"""The standards-desk audit of a catalog: whom every figure shown rests on.

This module owns ``rangemap specs audit``'s findings, as data (:class:`AuditReport`),
text and JSON. Per system it lists, for each figure a map shows (every variant's
``max_range`` and ``min_range``), the kinds of the claims behind it and the types of
their outlets; duplicate claims (the same figure from the same page, or the same words
from the same publisher on another page, counted twice for one range); sources dated
only to the month; claims that are not stated maxima; and how many claims cite a copy
on a secondary host (``via``) or an aggregator.

A figure **fails** the audit when it has no independent outlet behind it (every source of
its claims is state media or an aggregator; see
:data:`rangemap.catalog.models.NOT_INDEPENDENT`) and either

- every one of those sources is an aggregator (the figure rests only on aggregators), or
- one of its claims is published by state media with a claimant of ``press``,
  ``think-tank`` or ``other``: the state's own figure passed off as independent, so a map
  could not say whose figure it is ("unlabelled state media").

A figure resting on state media labelled as such (claimant ``government``, ``military``,
``manufacturer`` or ``party-to-conflict``; the publisher's ``country`` is required by the
format) passes, and maps say "according to ...".
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from rangemap.catalog.models import (
    Attribution,
    Claim,
    Claimant,
    ClaimKind,
    PublisherType,
    RangeSpec,
    System,
    YearMonth,
    format_range_km,
)

__all__ = ["AuditReport", "FigureAudit", "SystemAudit", "audit", "audit_system"]

#: Claimants that say, on a state-media claim, whose figure it is.
LABELLING_CLAIMANTS = frozenset(
    {Claimant.GOVERNMENT, Claimant.MILITARY, Claimant.MANUFACTURER, Claimant.PARTY_TO_CONFLICT}
)


@dataclass(frozen=True)
class FigureAudit:
    """One figure a map shows: the claims and outlets behind it, and why it fails if it does."""

    variant: str
    range: str
    shown_km: float
    kinds: tuple[ClaimKind, ...]
    attribution: Attribution
    failures: tuple[str, ...]
    warnings: tuple[str, ...]

    def as_dict(self) -> dict[str, Any]:
        """Return the finding as JSON-ready data."""
        return {
            "variant": self.variant,
            "range": self.range,
            "shown_km": self.shown_km,
            "claim_kinds": [kind.value for kind in self.kinds],
            "publisher_types": [t.value for t in self.attribution.publisher_types],
            "claimants": [c.value for c in self.attribution.claimants],
            "party_only": self.attribution.party_only,
            "countries": list(self.attribution.countries),
            "failures": list(self.failures),
            "warnings": list(self.warnings),
        }


@dataclass(frozen=True)
class SystemAudit:
    """The audit of one system."""

    id: str
    name: str
    figures: tuple[FigureAudit, ...]
    duplicates: tuple[str, ...]
    month_only: tuple[str, ...]
    not_maxima: tuple[str, ...]
    claims: int
    via_claims: int
    aggregator_claims: int
    scraped_claims: int

    @property
    def failures(self) -> tuple[str, ...]:
        """Every failure of every figure, as ``"variant range: reason"``."""
        return tuple(
            f"{figure.variant} {figure.range}: {reason}"
            for figure in self.figures
            for reason in figure.failures
        )

    def as_dict(self) -> dict[str, Any]:
        """Return the audit as JSON-ready data."""
        return {
            "id": self.id,
            "name": self.name,
            "figures": [figure.as_dict() for figure in self.figures],
            "duplicates": list(self.duplicates),
            "month_only_sources": list(self.month_only),
            "not_stated_maxima": list(self.not_maxima),
            "claims": self.claims,
            "via_claims": self.via_claims,
            "aggregator_claims": self.aggregator_claims,
            "scraped_claims": self.scraped_claims,
            "failures": list(self.failures),
        }


@dataclass(frozen=True)
class AuditReport:
    """The audit of several systems, with totals."""

    systems: tuple[SystemAudit, ...] = field(default=())

    @property
    def claims(self) -> int:
        """Claims audited."""
        return sum(system.claims for system in self.systems)

    @property
    def via_claims(self) -> int:
        """Claims whose source is a copy on a secondary host."""
        return sum(system.via_claims for system in self.systems)

    @property
    def aggregator_claims(self) -> int:
        """Claims whose source is an aggregator's own page (not counted in via_claims)."""
        return sum(system.aggregator_claims for system in self.systems)

    @property
    def secondary_share(self) -> float:
        """Share of claims citing a secondary host (via) or an aggregator, 0 to 1."""
        weak = self.via_claims + self.aggregator_claims
        return weak / self.claims if self.claims else 0.0

    @property
    def scraped_claims(self) -> int:
        """Claims on an aggregator's or scraper's page (:attr:`Source.is_scraped`)."""
        return sum(system.scraped_claims for system in self.systems)

    @property
    def scraped_share(self) -> float:
        """Share of claims on an aggregator's or scraper's page, 0 to 1."""
        return self.scraped_claims / self.claims if self.claims else 0.0

    @property
    def failures(self) -> tuple[str, ...]:
        """Every failure, as ``"system: variant range: reason"``."""
        return tuple(f"{system.id}: {line}" for system in self.systems for line in system.failures)

    @property
    def passed(self) -> bool:
        """Whether no figure fails."""
        return not self.failures

    def as_dict(self) -> dict[str, Any]:
        """Return the report as JSON-ready data."""
        return {
            "passed": self.passed,
            "systems": [system.as_dict() for system in self.systems],
            "claims": self.claims,
            "via_claims": self.via_claims,
            "aggregator_claims": self.aggregator_claims,
            "secondary_share": round(self.secondary_share, 4),
            "scraped_claims": self.scraped_claims,
            "scraped_share": round(self.scraped_share, 4),
            "failures": list(self.failures),
        }

    def json(self) -> str:
        """Return the report as JSON text."""
        return json.dumps(self.as_dict(), indent=2, ensure_ascii=False) + "\n"

    def summary(self) -> str:
        """Return the one-line totals."""
        share = f"{self.secondary_share:.0%}"
        verdict = "passed" if self.passed else f"FAILED ({len(self.failures)} figures)"
        scraped = f"{self.scraped_share:.0%}"
        return (
            f"{len(self.systems)} systems, {self.claims} claims; {self.via_claims} cite a "
            f"secondary host (via) and {self.aggregator_claims} an aggregator ({share} of "
            f"claims); {self.scraped_claims} rest on an aggregator's or scraper's page, or a "
            f"copy on an unclassified host ({scraped}); audit {verdict}"
        )

    def text(self) -> str:
        """Return the report as plain text, one block per system."""
        lines: list[str] = []
        for system in self.systems:
            lines.append(f"{system.id} ({system.name})")
            for figure in system.figures:
                types = ", ".join(t.value for t in figure.attribution.publisher_types)
                kinds = ", ".join(k.value for k in figure.kinds)
                line = (
                    f"  {figure.variant} {figure.range}: {format_range_km(figure.shown_km)} "
                    f"shown; claim kinds: {kinds}; outlets: {types}"
                )
                if figure.attribution.party_only:
                    who = ", ".join(figure.attribution.countries) or "unknown"
                    line += f"; a party's figure only ({who})"
                lines.append(line)
                lines += [f"    FAIL: {reason}" for reason in figure.failures]
                lines += [f"    warning: {reason}" for reason in figure.warnings]
            lines += [f"  duplicate: {item}" for item in system.duplicates]
            lines += [f"  dated to the month only: {item}" for item in system.month_only]
            lines += [f"  not a stated maximum: {item}" for item in system.not_maxima]
            lines.append(
                f"  claims: {system.claims}; via a secondary host: {system.via_claims}; "
                f"aggregator: {system.aggregator_claims}; scraped: {system.scraped_claims}"
            )
        lines.append(self.summary())
        return "\n".join(lines) + "\n"


def _figure(system: System, variant: str, which: str, spec: RangeSpec) -> FigureAudit:
    attribution = spec.attribution(system.sources)
    failures: list[str] = []
    warnings: list[str] = []
    shown = spec.shown_claims
    if not attribution.independent:
        if attribution.aggregator_only:
            failures.append("rests only on aggregators; cite the original outlet")
        for claim in shown:
            source = system.sources.get(claim.source)
            if (
                source is not None
                and source.publisher_type is PublisherType.STATE_MEDIA
                and claim.claimant not in LABELLING_CLAIMANTS
            ):
                failures.append(
                    f"rests on state media ({claim.source}) with claimant "
                    f"{claim.claimant.value}; set the claimant to government, military or "
                    "party-to-conflict, or show a figure an independent outlet reports"
                )
        if not failures:
            warnings.append("no independent outlet: a party's figure, to be labelled as such")
    if shown and all(
        system.sources[c.source].via is not None for c in shown if c.source in system.sources
    ):
        warnings.append("every source behind it is a copy on a secondary host (via)")
    cited = [system.sources[c.source] for c in shown if c.source in system.sources]
    if cited and not attribution.aggregator_only and all(s.is_scraped for s in cited):
        if all(
            PublisherType.AGGREGATOR in (source.via_type, source.publisher_type) for source in cited
        ):
            failures.append(
                "rests only on aggregators' or scrapers' pages; cite the original outlet"
            )
        else:
            warnings.append(
                "rests only on copies whose host is not classified (via_type) or is an "
                "aggregator; cite the original outlet or classify the host"
            )
    if not any(claim.kind is ClaimKind.STATED_MAXIMUM for claim in shown):
        kinds = ", ".join(kind.value for kind in spec.shown_kinds)
        warnings.append(f"not a stated maximum ({kinds})")
    return FigureAudit(
        variant=variant,
        range=which,
        shown_km=spec.shown_km,
        kinds=spec.shown_kinds,
        attribution=attribution,
        failures=tuple(failures),
        warnings=tuple(warnings),
    )


def _words(text: str | None) -> str:
    return " ".join((text or "").casefold().split())


def _duplicates(system: System, variant: str, which: str, claims: Iterable[Claim]) -> list[str]:
    found: list[str] = []
    by_url: dict[tuple[str, float], str] = {}
    by_words: dict[tuple[str, str], tuple[str, str]] = {}
    for claim in claims:
        source = system.sources.get(claim.source)
        if source is None:
            continue
        label = f"{variant} {which}: {format_range_km(claim.km)} [{claim.source}]"
        earlier = by_url.get((source.url, claim.km))
        if earlier is not None:
            found.append(f"{label} counts the same page's figure again as {earlier}")
        else:
            by_url[(source.url, claim.km)] = label
        if claim.as_reported:
            key = (_words(source.publisher), _words(claim.as_reported))
            before = by_words.get(key)
            if before is not None and before[1] != source.url:
                found.append(f"{label} repeats the words of {before[0]} from the same publisher")
            else:
                by_words.setdefault(key, (label, source.url))
    return found


def audit_system(system: System) -> SystemAudit:
    """Audit one system.

    Parameters
    ----------
    system : System

    Returns
    -------
    SystemAudit

    Examples
    --------
    >>> from rangemap.catalog import load_catalog
    >>> audit_system(load_catalog()["atacms"]).failures
    ()
    """
    figures: list[FigureAudit] = []
    duplicates: list[str] = []
    not_maxima: list[str] = []
    for variant in system.variants:
        for which in ("max_range", "min_range"):
            spec = getattr(variant, which)
            if spec is None:
                continue
            figures.append(_figure(system, variant.id, which, spec))
            duplicates += _duplicates(system, variant.id, which, spec.claims)
            not_maxima += [
                f"{variant.id} {which}: {format_range_km(claim.km)} is a {claim.kind.value} "
                f"[{claim.source}]"
                for claim in spec.claims
                if claim.kind is not ClaimKind.STATED_MAXIMUM
            ]
    claims = system.claims
    cited = [system.sources[c.source] for c in claims if c.source in system.sources]
    return SystemAudit(
        id=system.id,
        name=system.name,
        figures=tuple(figures),
        duplicates=tuple(duplicates),
        month_only=tuple(
            f"{key} ({source.published})"
            for key, source in system.sources.items()
            if isinstance(source.published, YearMonth)
        ),
        not_maxima=tuple(not_maxima),
        claims=len(claims),
        via_claims=sum(1 for source in cited if source.via is not None),
        aggregator_claims=sum(
            1
            for source in cited
            if source.publisher_type is PublisherType.AGGREGATOR and source.via is None
        ),
        scraped_claims=sum(1 for source in cited if source.is_scraped),
    )


def audit(systems: Iterable[System]) -> AuditReport:
    """Audit systems (launchers have no figures, but their sources are listed).

    Parameters
    ----------
    systems : iterable of System

    Returns
    -------
    AuditReport

    Examples
    --------
    >>> from rangemap.catalog import load_catalog
    >>> audit(load_catalog().values()).passed
    True
    """
    return AuditReport(tuple(audit_system(system) for system in systems))
