"""The catalog models: enums, phrases, one-file checks, frozen and closed models."""

from __future__ import annotations

import math
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import given
from hypothesis import strategies as st
from pydantic import ValidationError

from rangemap import geodesy
from rangemap.catalog import (
    Catalog,
    Claim,
    Claimant,
    Kind,
    LoadOut,
    Qualifier,
    RangeSpec,
    Source,
    System,
    Variant,
    format_range_km,
    normalise,
)
from rangemap.catalog.models import DEFER_CHECKS, MAX_RANGE_KM
from rangemap.errors import InputError, SpecError, UnknownSystemError
from rangemap.reach import Reach
from rangemap.units import KM, MAX_DISTANCE_M

REUTERS = {
    "publisher": "Reuters",
    "publisher_type": "wire",
    "via": "Global News",
    "title": "Biden allows Ukraine to use U.S.-supplied missiles in Russia",
    "url": "https://globalnews.ca/news/10873954/ukraine-russia-us-weapons-biden/",
    "published": "2024-11-17",
    "accessed": "2026-11-25",
}


def claim(km: float, source: str = "reuters", qualifier: str = "up-to") -> dict[str, Any]:
    return {
        "km": km,
        "qualifier": qualifier,
        "kind": "stated-maximum",
        "claimant": "press",
        "source": source,
    }


def atacms(**changes: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "id": "atacms",
        "name": "ATACMS",
        "kind": "ballistic-missile",
        "as_of": "2024-11-25",
        "variants": [
            {"id": "block-i", "name": "M39", "max_range": {"shown_km": 165, "claims": [claim(165)]}}
        ],
        "sources": {"reuters": REUTERS},
    }
    data.update(changes)
    return data


@pytest.mark.parametrize(
    ("qualifier", "km", "phrase"),
    [
        (Qualifier.UP_TO, 300, "up to 300 km"),
        (Qualifier.ABOUT, 165, "about 165 km"),
        (Qualifier.MORE_THAN, 2400, "more than 2,400 km"),
        (Qualifier.LESS_THAN, 5500.0, "less than 5,500 km"),
        (Qualifier.STATED, 300, "300 km"),
        (Qualifier.ABOUT, 305.8, "about 305.8 km"),
    ],
)
def test_qualifier_phrase(qualifier: Qualifier, km: float, phrase: str) -> None:
    assert qualifier.phrase(km) == phrase


def test_enum_values_match_the_format() -> None:
    assert [q.value for q in Qualifier] == ["about", "up-to", "more-than", "less-than", "stated"]
    assert Claimant("party-to-conflict") is Claimant.PARTY_TO_CONFLICT
    assert Kind("launcher") is Kind.LAUNCHER
    assert Kind.BALLISTIC_MISSILE.label == "ballistic missile"


@given(st.floats(min_value=0.001, max_value=MAX_RANGE_KM - 0.001))
def test_format_range_km_round_trips(km: float) -> None:
    text = format_range_km(km)
    assert text.endswith(" km")
    assert abs(float(text.removesuffix(" km").replace(",", "")) - km) <= 0.0005


@given(st.text())
def test_normalise_is_idempotent_and_alphanumeric(name: str) -> None:
    key = normalise(name)
    assert normalise(key) == key
    assert all(ch.isalnum() for ch in key)


@pytest.mark.parametrize("spelling", ["MGM-140", "mgm 140", "MGM140", " Mgm_140 ", "mgm.140"])
def test_normalise_ignores_case_and_punctuation(spelling: str) -> None:
    assert normalise(spelling) == "mgm140"


def test_system_is_frozen_and_closed() -> None:
    system = System.model_validate(atacms())
    with pytest.raises(ValidationError):
        system.name = "Tomahawk"
    with pytest.raises(ValidationError, match="extra"):
        System.model_validate(atacms(colour="red"))


def test_single_variant_becomes_the_default() -> None:
    system = System.model_validate(atacms())
    assert system.variants[0].default
    assert system.variant(None).id == "block-i"


def test_variant_lookup_by_id_name_or_designation() -> None:
    variants = [
        {
            "id": "block-i",
            "name": "M39 (Block I)",
            "designations": ["M39"],
            "max_range": {"shown_km": 165, "claims": [claim(165)]},
        },
        {
            "id": "long-range",
            "name": "Longer-range versions",
            "default": True,
            "max_range": {"shown_km": 300, "claims": [claim(300)]},
        },
    ]
    system = System.model_validate(atacms(variants=variants))
    assert system.variant(None).id == "long-range"
    assert system.variant("Block I").id == "block-i"
    assert system.variant("m39").id == "block-i"
    assert system.variant("longer range versions").id == "long-range"
    with pytest.raises(UnknownSystemError, match=r"atacms has no variant 'block-iv'.*block-i"):
        system.variant("block-iv")


def test_source_for_claim_and_citation() -> None:
    system = System.model_validate(atacms())
    source = system.source_for(system.claims[0])
    assert source.publisher == "Reuters"
    assert source.citation() == (
        'Reuters (via Global News), "Biden allows Ukraine to use U.S.-supplied missiles in '
        'Russia", 2024-11-17, https://globalnews.ca/news/10873954/ukraine-russia-us-weapons-biden/'
        " (accessed 2026-11-25)"
    )
    with pytest.raises(InputError, match="atacms has no source 'ap'"):
        system.source_for("ap")


def test_range_spec_checks_itself() -> None:
    with pytest.raises(
        ValidationError, match=r"shown_km: 310 is not one of the claims \(300, 306\)"
    ):
        RangeSpec.model_validate(
            {"shown_km": 310, "why_shown": "x", "claims": [claim(300), claim(306)]}
        )
    with pytest.raises(ValidationError, match="why_shown: missing; the claims disagree"):
        RangeSpec.model_validate({"shown_km": 300, "claims": [claim(300), claim(306)]})
    spec = RangeSpec.model_validate(
        {"shown_km": 300, "why_shown": "Borrell's figure.", "claims": [claim(300), claim(306)]}
    )
    assert spec.spread_km == (300.0, 306.0)
    assert [c.km for c in spec.shown_claims] == [300.0]
    assert spec.disputed


def test_variant_minimum_below_maximum() -> None:
    with pytest.raises(ValidationError, match=r"min_range\.shown_km: 400 is not less than"):
        Variant.model_validate(
            {
                "id": "standard",
                "name": "Standard",
                "max_range": {"shown_km": 300, "claims": [claim(300)]},
                "min_range": {"shown_km": 400, "claims": [claim(400)]},
            }
        )


def test_range_disputed_needs_claims_that_disagree() -> None:
    # the legend says "sources give different figures": only where they do
    agreed = {"shown_km": 165, "claims": [claim(165), claim(165, qualifier="about")]}
    split = {"shown_km": 165, "why_shown": "Reuters.", "claims": [claim(165), claim(180)]}
    block = {"id": "block-i", "name": "M39"}
    with pytest.raises(
        ValidationError,
        match=r"caveats\[0\]: range-disputed tells readers that sources give different "
        r"figures, but every claim of variant block-i gives 165 km; remove it",
    ):
        Variant.model_validate({**block, "caveats": ["range-disputed"], "max_range": agreed})
    Variant.model_validate({**block, "caveats": ["range-disputed"], "max_range": split})
    with pytest.raises(ValidationError, match=r"caveats\[1\]: range-disputed tells readers"):
        System.model_validate(atacms(caveats=[{"note": "A party's figure."}, "range-disputed"]))
    two = [
        {**block, "max_range": split},
        {"id": "unitary", "name": "M48", "default": True, "max_range": agreed},
    ]
    with pytest.raises(
        ValidationError,
        match=r"caveats\[0\]: range-disputed on the system is printed with every variant, "
        r"but the claims agree for unitary; move it to the caveats of the variants whose "
        r"claims differ \(block-i\)",
    ):
        System.model_validate(atacms(caveats=["range-disputed"], variants=two))
    assert System.model_validate(atacms(caveats=["range-disputed"], variants=two[:1]))


def test_names_and_translations_are_in_languages_maps_are_made_in() -> None:
    # "ua" for Ukrainian would never be printed: refused, with the codes to use
    with pytest.raises(
        ValidationError,
        match=r"(?s)names\.ua.*'ua' is not a language maps are made in; use one of: en, .*uk",
    ):
        System.model_validate(atacms(names={"ua": "\u0410\u0422\u0410\u041a\u041c\u0421"}))
    note = {"note": "Range with a lighter warhead.", "translations": {"fr": "Portée."}}
    with pytest.raises(ValidationError, match=r"'fr' is not a language maps are made in"):
        System.model_validate(atacms(caveats=[note]))
    ukrainian = {"uk": "\u0410\u0422\u0410\u041a\u041c\u0421"}
    assert System.model_validate(atacms(names=ukrainian)).names == ukrainian


def test_source_dates() -> None:
    tomorrow = date.today() + timedelta(days=2)
    with pytest.raises(ValidationError, match="is in the future"):
        Source.model_validate({**REUTERS, "accessed": tomorrow.isoformat()})
    with pytest.raises(ValidationError, match="published: 2024-11-17 is after accessed"):
        Source.model_validate({**REUTERS, "accessed": "2024-11-01"})
    with pytest.raises(ValidationError, match="is not a date"):
        Source.model_validate({**REUTERS, "published": 20241117})


@pytest.mark.parametrize(
    "url",
    [
        "javascript:alert(1)",
        "ftp://example.org/file",
        "data:text/html,<script>alert(1)</script>",
        "https://",
        "www.reuters.com/world/",
        "https://www.reuters.com/a b",
    ],
)
def test_only_http_urls(url: str) -> None:
    with pytest.raises(ValidationError, match="is not an http"):
        Source.model_validate({**REUTERS, "url": url})


def test_claim_rejects_text_and_out_of_range_figures() -> None:
    beyond = math.nextafter(MAX_RANGE_KM, math.inf)
    for km in ["300", "300 km", True, 0, -1, beyond, 20_003.95, 20_004, float("inf")]:
        with pytest.raises(ValidationError):
            Claim.model_validate(claim(km))  # type: ignore[arg-type]
    assert Claim.model_validate(claim(20_003.9)).km == 20_003.9
    assert Claim.model_validate(claim(MAX_RANGE_KM)).km == MAX_RANGE_KM


def test_the_range_limit_is_the_one_earth_distance_limit() -> None:
    assert MAX_RANGE_KM == MAX_DISTANCE_M / KM
    assert MAX_RANGE_KM * KM == MAX_DISTANCE_M  # so every figure that validates maps
    assert geodesy.MAX_DISTANCE_M is MAX_DISTANCE_M


def test_the_longest_figure_that_validates_can_be_mapped() -> None:
    figure = Claim.model_validate(claim(MAX_RANGE_KM)).km
    reach = Reach.from_distance(figure * KM, "50.45, 30.52=Kyiv")
    assert reach.geometry.area == pytest.approx(360 * 180)  # the whole Earth


def test_a_figure_beyond_the_earth_fails_validation_with_a_clear_message(
    tmp_path: Path,
) -> None:
    # 20,003.95 km passed the old limit of 20,004 km and failed only when mapped.
    far = {"shown_km": 20_003.95, "claims": [claim(20_003.95)]}
    data = atacms(variants=[{"id": "block-i", "name": "M39", "max_range": far}])
    (tmp_path / "atacms.yaml").write_text(yaml.safe_dump(data), encoding="utf-8")
    with pytest.raises(SpecError) as info:
        Catalog.load([tmp_path], builtin=False)
    said = "20003.95 km is longer than 20,003.93 km, the farthest any point can be from another"
    assert [problem.split(": ", 1)[1] for problem in info.value.problems] == [
        f"variants[0].max_range.shown_km: {said} on the Earth's surface (half a meridian); "
        "check the figure and its unit",
        f"variants[0].max_range.claims[0].km: {said} on the Earth's surface (half a meridian); "
        "check the figure and its unit",
    ]


def test_system_checks_collect_every_problem() -> None:
    data = atacms(
        variants=[
            {"id": "a", "name": "A", "max_range": {"shown_km": 1, "claims": [claim(2, "ap")]}},
            {"id": "a", "name": "B"},
        ],
        fires=[{"munition": "gmlrs", "per_load": 6, "source": "army"}],
    )
    with pytest.raises(ValidationError) as info:
        System.model_validate(data, context={DEFER_CHECKS: True})
    text = str(info.value)
    for expected in [
        "variants[0].max_range.shown_km: 1 is not one of the claims (2)",
        "variants[0].max_range.claims[0].source: 'ap' is not a key of sources",
        "variants[1].id: 'a' is also the id of variants[0]",
        "variants[1].max_range: missing",
        "variants: no variant has default: true",
        "fires: only launchers fire munitions",
        "fires[0].source: 'army' is not a key of sources",
    ]:
        assert expected in text


def test_launcher_rules() -> None:
    himars = {
        "id": "m142-himars",
        "name": "HIMARS",
        "kind": "launcher",
        "as_of": "2024-11-25",
        "variants": [{"id": "m142", "name": "M142"}],
        "fires": [{"munition": "atacms", "source": "reuters"}],
        "sources": {"reuters": REUTERS},
    }
    system = System.model_validate(himars)
    assert system.is_launcher
    assert system.fires[0] == LoadOut(munition="atacms", source="reuters")
    assert system.fires[0].per_load is None
    with pytest.raises(ValidationError, match="fires: missing"):
        System.model_validate({**himars, "fires": []})
    with pytest.raises(ValidationError, match="a launcher does not list launchers"):
        System.model_validate({**himars, "launchers": ["m270-mlrs"]})
