"""Reach: what a system (or a bare distance) covers from one or more origins, and why.

A :class:`Reach` pairs a geometry on the WGS84 ellipsoid (from :mod:`rangemap.geodesy`)
with its provenance: the system and variant, the claims it draws, their qualifier
("up to", "about"), the public sources behind them and the date the figures describe.
It knows nothing of maps or HTML; :mod:`rangemap.scene` and :mod:`rangemap.render`
draw it.

Origins are :class:`rangemap.places.Site` objects (re-exported here as :class:`Site`):
a point, line or polygon in EPSG:4326 with an optional label, normalised by
:func:`rangemap.places.as_sites`. Strings are read as place names or coordinates
(``"Sumy"``, ``"50.91, 34.80=Sumy"``), and any shapely geometry is used as it is.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Literal, TypeAlias

import shapely
from shapely.geometry.base import BaseGeometry

from rangemap import geodesy
from rangemap.errors import InputError
from rangemap.escaping import quote
from rangemap.places import OriginLike, Site, as_sites
from rangemap.units import KM, MAX_DISTANCE_M, parse_tolerance
from rangemap.words import RangeWording, Voice, words

if TYPE_CHECKING:
    from rangemap.catalog import (
        Attribution,
        Catalog,
        Claim,
        ClaimKind,
        Qualifier,
        RangeSpec,
        Source,
        System,
        Variant,
    )
    from rangemap.catalog.models import CaveatItem

_EN = words("en")

__all__ = ["RANGE_KINDS", "OriginLike", "Reach", "Show", "Site", "as_sites"]

#: The claim kinds a reach draws without being asked: a stated maximum range, or an
#: estimate of it. Any other kind (a test flight's distance, a requirement, a class
#: limit) is drawn only when asked for with ``kinds=``.
RANGE_KINDS = ("stated-maximum", "estimate")

#: What each other kind of figure is, for the message refusing to draw it.
_KIND_MEANS = {
    "flight-distance": "how far one test flew, not a maximum range",
    "requirement": "a requirement or goal, not a measured or stated maximum range",
    "class-band": "the limit of a range class the system is said to belong to, not its range",
}

#: How a reach draws a range with several reported figures: the figure the catalog
#: shows, or the band from the lowest to the highest reported figure.
Show: TypeAlias = Literal["shown", "spread"]


def _reach_geometry(
    sites: Sequence[Site], max_m: float, min_m: float | None, tolerance_m: float | None
) -> BaseGeometry:
    """Union of the reach of every site (RFC 7946: split at ±180, pole caps closed).

    A minimum range is honoured for point sites (an annulus). For a line or polygon
    the set of places closer than the minimum to *every* part of it is empty as soon
    as it is wider than twice the minimum, so only the maximum is drawn there.
    """
    parts: list[BaseGeometry] = []
    for site in sites:
        if site.is_point:
            center = (site.geometry.x, site.geometry.y)
            if min_m:
                parts.append(geodesy.annulus(center, min_m, max_m, tolerance_m=tolerance_m))
            else:
                parts.append(geodesy.ring(center, max_m, tolerance_m=tolerance_m))
        else:
            parts.append(geodesy.buffer(site.geometry, max_m, tolerance_m=tolerance_m))
    if len(parts) == 1 and all(site.is_point for site in sites):
        return parts[0]
    # Dissolve: overlapping discs, and pieces of a buffer, become one outline. The
    # union does not keep ring direction, so orient it again for RFC 7946 (exterior
    # rings counter-clockwise, holes clockwise) for every consumer.
    return shapely.orient_polygons(shapely.unary_union(parts), exterior_cw=False)


@dataclass(frozen=True, slots=True)
class Reach:
    """The area a system, or a bare distance, covers from its origins, with provenance.

    Build one with :meth:`from_system` or :meth:`from_distance`.

    Parameters
    ----------
    geometry : shapely Polygon or MultiPolygon
        Everything within reach, in EPSG:4326 (RFC 7946: split at ±180, pole caps
        closed). With ``show="spread"``, out to the highest reported figure.
    label : str
        One line for legends, e.g. ``"ATACMS (long-range versions): up to 300 km"``.
    distance_m : float
        The maximum range drawn, in metres.
    origins : tuple of Site
        Where the reach is measured from.
    min_distance_m : float or None
        The minimum range, where one is reported (the geometry is then an annulus).
    inner_geometry : shapely geometry or None
        With ``show="spread"``: the area within the *lowest* reported figure.
    low_distance_m : float or None
        With ``show="spread"``: the lowest reported figure, in metres.
    phrase : str
        The range in words, e.g. ``"up to 300 km"``.
    system_id, system_name, variant_id, variant_name : str or None
        The catalog entry drawn; ``None`` for a bare distance.
    claims : tuple of Claim
        The claims the drawing rests on (all of them with ``show="spread"``).
    qualifier : Qualifier or None
        The qualifier of the figure shown ("up to", "about", ...).
    sources : tuple of Source
        Every public source of those claims, in order, without repeats.
    as_of : datetime.date or None
        The date the figures describe.
    show : {"shown", "spread"}
        Which figures are drawn.
    wording : RangeWording or None
        What the legend line says, as data (:class:`rangemap.words.RangeWording`), so a
        map words it in its own language; ``label`` and ``phrase`` are its English.
    tolerance_m : float or None
        The largest distance between a drawn boundary and the true one, in metres:
        renderers keep every output vertex within it. The tightest of the defaults
        (0.01 % of each boundary's distance) when none was asked for.
    kind : ClaimKind or None
        What the figure drawn is: a stated maximum, an estimate, or (only when asked
        for) a test flight's distance, a requirement or a class limit; ``None`` for a
        bare distance and for ``show="spread"``.
    attribution : Attribution or None
        Whom the figure drawn rests on (:class:`rangemap.catalog.Attribution`);
        ``None`` for a bare distance.
    caveats : tuple of Caveat or CaveatNote
        What a reader needs to know about the figure (``System.caveats_for``): codes
        such as ``air-launched`` or notes in plain text; maps print them as notes.
    """

    geometry: BaseGeometry
    label: str
    distance_m: float
    origins: tuple[Site, ...]
    min_distance_m: float | None = None
    inner_geometry: BaseGeometry | None = None
    low_distance_m: float | None = None
    phrase: str = ""
    system_id: str | None = None
    system_name: str | None = None
    variant_id: str | None = None
    variant_name: str | None = None
    claims: tuple[Claim, ...] = ()
    qualifier: Qualifier | None = None
    sources: tuple[Source, ...] = field(default=())
    as_of: dt.date | None = None
    show: Show = "shown"
    tolerance_m: float | None = None
    wording: RangeWording | None = None
    kind: ClaimKind | None = None
    attribution: Attribution | None = None
    caveats: tuple[CaveatItem, ...] = ()

    @property
    def is_reported(self) -> bool:
        """Whether the reach draws a catalog system's reported figure (not a chosen distance)."""
        return self.system_id is not None

    @classmethod
    def from_distance(
        cls,
        distance_m: float,
        origins: OriginLike | Iterable[OriginLike],
        *,
        label: str | None = None,
        min_distance_m: float | None = None,
        tolerance_m: float | str | None = None,
    ) -> Reach:
        """Reach of a bare distance, with no system behind it.

        Parameters
        ----------
        distance_m : float
            The radius in metres.
        origins : origin or iterable of origins
            See :func:`as_sites`.
        label : str, optional
            The legend line; ``"300 km"`` style when omitted.
        min_distance_m : float, optional
            An inner radius left out (an annulus).
        tolerance_m : float or str, optional
            Largest distance between the drawn and the true boundary: metres, or
            text such as ``"0.01%"`` (of the distance) or ``"30 m"``; the geodesy
            default (0.01 % of each radius) when omitted.

        Returns
        -------
        Reach

        Examples
        --------
        >>> r = Reach.from_distance(300_000, "50.91, 34.80=Sumy")
        >>> r.label, r.system_id
        ('300 km', None)
        """
        _check_distance(distance_m, "distance_m")
        if min_distance_m is not None:
            _check_distance(min_distance_m, "min_distance_m")
            if min_distance_m >= distance_m:
                msg = (
                    f"min_distance_m: {quote(min_distance_m)} is not less than distance_m "
                    f"{quote(distance_m)}; give a smaller minimum or none"
                )
                raise InputError(msg)
        sites = as_sites(origins)
        tol, drawn_tol = _tolerance(tolerance_m, distance_m, min_distance_m)
        wording = RangeWording(None, float(distance_m), min_m=min_distance_m, label=label)
        return cls(
            geometry=_reach_geometry(sites, distance_m, min_distance_m, tol),
            label=_EN.reach_label(wording),
            distance_m=float(distance_m),
            origins=sites,
            min_distance_m=min_distance_m,
            phrase=_EN.reach_phrase(wording),
            tolerance_m=drawn_tol,
            wording=wording,
        )

    @classmethod
    def from_system(
        cls,
        system: str | System,
        origins: OriginLike | Iterable[OriginLike],
        *,
        variant: str | Variant | None = None,
        catalog: Catalog | None = None,
        show: Show = "shown",
        tolerance_m: float | str | None = None,
        kinds: Iterable[ClaimKind | str] = (),
    ) -> Reach:
        """Reach of a catalog system from its origins.

        Parameters
        ----------
        system : str or System
            An id or alias (``"atacms"``, ``"MGM-140"``), optionally with a variant
            (``"atacms:block-i"``), or a :class:`~rangemap.catalog.System`.
        origins : origin or iterable of origins
            See :func:`as_sites`.
        variant : str or Variant, optional
            The variant; the one in ``system`` or the catalog's default when omitted.
        catalog : Catalog, optional
            Where to look names up; the built-in catalog when omitted.
        show : {"shown", "spread"}, optional
            ``"shown"`` draws the figure the catalog shows; ``"spread"`` draws the band
            between the lowest and the highest reported figures.
        tolerance_m : float or str, optional
            Largest distance between the drawn and the true boundary: metres, or
            text such as ``"0.01%"`` (of the range drawn) or ``"30 m"``.
        kinds : iterable of ClaimKind or str, optional
            Kinds of figure to draw besides stated maxima and estimates (always drawn):
            ``"flight-distance"``, ``"requirement"``, ``"class-band"``. A figure of
            another kind is refused unless its kind is named here; the legend then
            says what it is ("flew 1,000 km in a test reported in 2024"). With
            ``show="spread"``, only figures of these kinds make the band.

        Returns
        -------
        Reach

        Raises
        ------
        UnknownSystemError
            If the system or variant is not in the catalog.
        InputError
            If the variant has no maximum range (a launcher), ``show`` or a kind is
            unknown, or the figure shown is of a kind not asked for.

        Examples
        --------
        >>> r = Reach.from_system("atacms", ["50.91, 34.80=Sumy", "49.99, 36.23=Kharkiv"])
        >>> r.distance_m
        300000.0
        >>> Reach.from_system("hwasong-16b", "Pyongyang")  # doctest: +ELLIPSIS
        Traceback (most recent call last):
        rangemap.errors.InputError: hwasong-16b: the figure shown, 1,000 km, is a flight-distance...
        >>> print(Reach.from_system("hwasong-16b", "Pyongyang", kinds=["flight-distance"]).label)
        ... # doctest: +NORMALIZE_WHITESPACE
        Hwasong-16B: flew 1,000 km in a test reported in 2024, according to North Korea's
        government
        """
        from rangemap.catalog import ClaimKind

        allowed = _allowed_kinds(kinds)
        if show not in ("shown", "spread"):
            msg = f"show: {quote(show)} is not one of 'shown', 'spread'"
            raise InputError(msg)
        if catalog is None:
            from rangemap.catalog import load_catalog

            catalog = load_catalog()
        if isinstance(system, str):
            if variant is not None and ":" not in system:
                system_obj = catalog.lookup(system)
            else:
                system_obj, resolved = catalog.resolve(system)
                variant = variant if variant is not None else resolved
        else:
            system_obj = system
        variant_obj = (
            system_obj.variant(variant) if variant is None or isinstance(variant, str) else variant
        )
        max_range = variant_obj.max_range
        if max_range is None:
            msg = (
                f"{system_obj.id}:{variant_obj.id}: has no reported range "
                f"(a {system_obj.kind.value}); map a munition it fires instead"
            )
            raise InputError(msg)
        sites = as_sites(origins)
        name = _display_name(system_obj, variant_obj)
        min_range = variant_obj.min_range
        min_m = min_range.shown_km * KM if min_range is not None else None
        caveats = tuple(system_obj.caveats_for(variant_obj))
        if show == "spread":
            claims = tuple(claim for claim in max_range.claims if claim.kind in allowed)
            if not claims:
                raise _refusal(system_obj, variant_obj, max_range)
            low_km = min(claim.km for claim in claims)
            high_km = max(claim.km for claim in claims)
            if low_km == high_km:
                show = "shown"
            else:
                others = {claim.kind for claim in claims if not claim.kind.is_range}
                wording = RangeWording(
                    name,
                    high_km * KM,
                    min_m=min_m,
                    min_qualifier=_qualifier(min_range),
                    band=(low_km, high_km),
                    band_kinds=tuple(k.value for k in ClaimKind if k in others),
                    names=_display_names(system_obj, variant_obj),
                )
                tol, drawn_tol = _tolerance(tolerance_m, high_km * KM, min_m, low_km * KM)
                geometry = _reach_geometry(sites, high_km * KM, min_m, tol)
                inner = _reach_geometry(sites, low_km * KM, min_m, tol)
                return cls(
                    geometry=geometry,
                    label=_EN.reach_label(wording),
                    distance_m=high_km * KM,
                    origins=sites,
                    min_distance_m=min_m,
                    inner_geometry=inner,
                    low_distance_m=low_km * KM,
                    phrase=_EN.reach_phrase(wording),
                    system_id=system_obj.id,
                    system_name=system_obj.name,
                    variant_id=variant_obj.id,
                    variant_name=variant_obj.name,
                    claims=claims,
                    qualifier=None,
                    sources=_sources(system_obj, claims),
                    as_of=system_obj.as_of,
                    show="spread",
                    tolerance_m=drawn_tol,
                    wording=wording,
                    attribution=_attribution(system_obj, claims),
                    caveats=caveats,
                )
        usable = tuple(claim for claim in max_range.shown_claims if claim.kind in allowed)
        if not usable:
            raise _refusal(system_obj, variant_obj, max_range)
        kinds_shown = {claim.kind for claim in usable}
        if ClaimKind.STATED_MAXIMUM in kinds_shown:
            kind = ClaimKind.STATED_MAXIMUM
        elif ClaimKind.ESTIMATE in kinds_shown:
            kind = ClaimKind.ESTIMATE
        else:
            kind = next(k for k in ClaimKind if k in kinds_shown)
        described = [claim for claim in usable if claim.kind is kind]
        attribution = _attribution(system_obj, usable)
        voices, reported_by = _voices(system_obj, usable, attribution)
        wording = RangeWording(
            name,
            max_range.shown_km * KM,
            max_qualifier=str(described[0].qualifier.value),
            min_m=min_m,
            min_qualifier=_qualifier(min_range),
            kind="" if kind is ClaimKind.STATED_MAXIMUM else kind.value,
            year=_first_year(system_obj, described) if kind is ClaimKind.FLIGHT_DISTANCE else None,
            claimants=_claimants(described) if kind is ClaimKind.FLIGHT_DISTANCE else (),
            voices=voices,
            reported_by=reported_by,
            names=_display_names(system_obj, variant_obj),
        )
        shown = usable
        if min_range is not None:
            shown += tuple(min_range.shown_claims)
        tol, drawn_tol = _tolerance(tolerance_m, max_range.shown_km * KM, min_m)
        return cls(
            geometry=_reach_geometry(sites, max_range.shown_km * KM, min_m, tol),
            label=_EN.reach_label(wording),
            distance_m=max_range.shown_km * KM,
            origins=sites,
            min_distance_m=min_m,
            phrase=_EN.reach_phrase(wording),
            system_id=system_obj.id,
            system_name=system_obj.name,
            variant_id=variant_obj.id,
            variant_name=variant_obj.name,
            claims=shown,
            qualifier=described[0].qualifier,
            sources=_sources(system_obj, shown),
            as_of=system_obj.as_of,
            show="shown",
            tolerance_m=drawn_tol,
            wording=wording,
            kind=kind,
            attribution=attribution,
            caveats=caveats,
        )

    @property
    def band_geometry(self) -> BaseGeometry | None:
        """With ``show="spread"``: the band between the lowest and highest figures."""
        if self.inner_geometry is None:
            return None
        return self.geometry.difference(self.inner_geometry)

    @property
    def km(self) -> float:
        """The maximum range drawn, in kilometres."""
        return self.distance_m / KM


def _display_name(system: System, variant: Variant, language: str | None = None) -> str:
    """Name a variant: ``"ATACMS (Block I)"``, or with a dash if it has parentheses.

    With ``language``, the catalog's names in that language where it gives them.
    """
    system_name = system.names.get(language, system.name) if language else system.name
    if len(system.variants) < 2:
        return system_name
    variant_name = variant.names.get(language, variant.name) if language else variant.name
    if "(" in variant_name:
        return f"{system_name} \u2013 {variant_name}"
    return f"{system_name} ({variant_name})"


def _display_names(system: System, variant: Variant) -> tuple[tuple[str, str], ...]:
    """Return the variant's name in every language the catalog names it in, as pairs."""
    languages = sorted({*system.names, *variant.names})
    return tuple((code, _display_name(system, variant, code)) for code in languages)


def _check_distance(value: float, argument: str) -> None:
    if (
        isinstance(value, bool)
        or not isinstance(value, int | float)
        or not 0 < value <= MAX_DISTANCE_M
    ):
        msg = (
            f"{argument}: {quote(value)} is not a distance in metres greater than 0 and at "
            f"most {MAX_DISTANCE_M:,.0f} ({MAX_DISTANCE_M / KM:,.2f} km, half a meridian: the "
            "farthest any point can be from another on the Earth); for example 300_000 for "
            "300 km"
        )
        raise InputError(msg)


def _tolerance(
    asked: float | str | None, distance_m: float, *others: float | None
) -> tuple[float | None, float]:
    """Return the tolerance to draw with, and the tolerance the drawing keeps.

    ``None`` to draw with means each boundary's default; what the drawing keeps is
    then the tightest of those defaults over every boundary drawn.
    """
    if asked is None:
        distances = [d for d in (distance_m, *others) if d]
        return None, min(geodesy.default_tolerance_m(d) for d in distances)
    if isinstance(asked, str):
        metres = parse_tolerance(asked, distance_m, argument="tolerance")
    else:
        metres = parse_tolerance(asked, distance_m, argument="tolerance_m")
    return metres, metres


def _qualifier(spec: RangeSpec | None) -> str:
    """Return the qualifier of the first claim giving the shown figure (``""``: none)."""
    if spec is None or not spec.shown_claims:
        return ""
    return str(spec.shown_claims[0].qualifier.value)


def _sources(system: System, claims: Iterable[Claim]) -> tuple[Source, ...]:
    """Return the sources of the given claims, in order, without repeats."""
    seen: dict[str, Source] = {}
    for claim in claims:
        if claim.source not in seen:
            seen[claim.source] = system.source_for(claim)
    return tuple(seen.values())


def _allowed_kinds(kinds: Iterable[ClaimKind | str]) -> frozenset[ClaimKind]:
    """Return the claim kinds a reach may draw: ranges, and the kinds asked for."""
    from rangemap.catalog import ClaimKind

    if isinstance(kinds, str):
        kinds = (kinds,)
    allowed = {ClaimKind.STATED_MAXIMUM, ClaimKind.ESTIMATE}
    for value in kinds:
        try:
            allowed.add(ClaimKind(value))
        except ValueError:
            names = ", ".join(kind.value for kind in ClaimKind)
            msg = f"kinds: {quote(value)} is not a claim kind; use one of: {names}"
            raise InputError(msg) from None
    return frozenset(allowed)


def _refusal(system: System, variant: Variant, spec: RangeSpec) -> InputError:
    """Say why a figure is not drawn by default, and how to draw it anyway."""
    where = system.id if len(system.variants) < 2 else f"{system.id}:{variant.id}"
    kinds = [kind.value for kind in spec.shown_kinds if not kind.is_range]
    first = kinds[0] if kinds else "flight-distance"
    if len(kinds) == 1:
        means = _KIND_MEANS.get(first, first)
    else:
        means = "; ".join(f"{kind}: {_KIND_MEANS.get(kind, kind)}" for kind in kinds)
    msg = (
        f"{where}: the figure shown, {_EN.figure(spec.shown_km)}, is a {' and '.join(kinds)} "
        f"claim ({means}), so it is not drawn by default; to draw it anyway, and say what it "
        f"is in the legend, pass --figure-kind {first} (a recipe layer: figure_kinds: "
        f"[{first}]; Python: kinds=[{first!r}])"
    )
    return InputError(msg)


def _attribution(system: System, claims: Iterable[Claim]) -> Attribution:
    from rangemap.catalog import Attribution

    return Attribution.of(claims, system.sources)


def _voices(
    system: System, claims: Sequence[Claim], attribution: Attribution
) -> tuple[tuple[Voice, ...], tuple[str, ...]]:
    """Say whose word a figure is when only a party states it: voices, and carriers.

    Each claim is a party to a conflict's (with its country where the catalog gives
    one), a government's or military's carried by its state media, or state media's
    own; or, when every claim is a named state's government's or military's word, that
    state's, whoever carried it. A party's claim that only state media carried also names
    those state media.
    """
    from rangemap.catalog import Claimant, PublisherType

    speaking = (Claimant.GOVERNMENT, Claimant.MILITARY)
    # A state's own word, even when a wire carries it: every claim is a government's or a
    # military's, with the state named (Iran's defence minister quoted by Reuters).
    states_only = bool(claims) and all(
        claim.claimant in (*speaking, Claimant.PARTY_TO_CONFLICT) and claim.claimant_country
        for claim in claims
    )
    if not (attribution.party_only or attribution.state_media_only or states_only):
        return (), ()
    voices: list[Voice] = []
    carriers: list[str] = []
    for claim in claims:
        source = system.source_for(claim)
        state_media = source.publisher_type is PublisherType.STATE_MEDIA
        if claim.claimant is Claimant.PARTY_TO_CONFLICT:
            voice = Voice("party", claim.claimant_country)
        elif (state_media or states_only) and claim.claimant in speaking:
            voice = Voice(claim.claimant.value, claim.claimant_country or source.country)
        elif state_media:
            voice = Voice("state-media", source.country)
        else:
            continue
        if voice not in voices:
            voices.append(voice)
        if (
            state_media
            and voice.who != "state-media"
            and source.country
            and source.country != voice.country
            and source.country not in carriers
        ):
            carriers.append(source.country)
    reported_by = tuple(carriers) if attribution.state_media_only else ()
    return tuple(voices), reported_by


def _first_year(system: System, claims: Iterable[Claim]) -> int | None:
    """Return the year of the earliest source among the claims (when a test was reported)."""
    years = [int(system.source_for(claim).published.year) for claim in claims]
    return min(years) if years else None


def _claimants(claims: Sequence[Claim]) -> tuple[str, ...]:
    """Return the states whose claim a figure is, when every claim names one."""
    from rangemap.catalog import Claimant

    speaking = (Claimant.GOVERNMENT, Claimant.MILITARY, Claimant.PARTY_TO_CONFLICT)
    if not claims or any(
        claim.claimant not in speaking or claim.claimant_country is None for claim in claims
    ):
        return ()
    return tuple(dict.fromkeys(str(claim.claimant_country) for claim in claims))
