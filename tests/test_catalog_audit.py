"""The sourcing audit and the catalog rules of issue 12: claim kinds, publisher types,
dates to the month, real titles, caveats, launcher variants, attribution."""

from __future__ import annotations

import copy
import json
from datetime import date
from pathlib import Path
from typing import Any

import pytest
import yaml
from pydantic import ValidationError

from rangemap.catalog import Catalog, System, load_catalog
from rangemap.catalog.audit import audit, audit_system
from rangemap.catalog.models import (
    Caveat,
    CaveatNote,
    ClaimKind,
    PublisherType,
    YearMonth,
    published_key,
)
from rangemap.cli import main

ROOT = Path(__file__).resolve().parents[1]

KCNA = {
    "publisher": "KCNA",
    "publisher_type": "state-media",
    "country": "KP",
    "title": "Respected Comrade Kim Jong Un Oversees Test-fire of New-type Tactical Guided Weapon",
    "url": "https://kcnawatch.org/newstream/1616622388-473498287/",
    "published": "2021-03",
    "accessed": "2026-12-02",
}


def _claim(km: float, source: str, **changes: Any) -> dict[str, Any]:
    claim = {
        "km": km,
        "qualifier": "stated",
        "kind": "stated-maximum",
        "claimant": "government",
        "source": source,
    }
    claim.update(changes)
    return claim


def kn23(**changes: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "id": "test-kn",
        "name": "Test KN",
        "kind": "ballistic-missile",
        "origin_countries": ["KP"],
        "as_of": "2024-02-29",
        "variants": [
            {
                "id": "a",
                "name": "A",
                "max_range": {"shown_km": 600, "claims": [_claim(600, "kcna")]},
            }
        ],
        "sources": {"kcna": copy.deepcopy(KCNA)},
    }
    data.update(changes)
    return data


def _messages(data: dict[str, Any]) -> str:
    with pytest.raises(ValidationError) as info:
        System.model_validate(data)
    return str(info.value)


# --- the model -------------------------------------------------------------------------------


def test_year_month_prints_sorts_and_validates() -> None:
    system = System.model_validate(kn23())
    published = system.sources["kcna"].published
    assert isinstance(published, YearMonth)
    assert str(published) == "2021-03"
    assert YearMonth(2021, 3) < date(2021, 3, 1) < YearMonth(2021, 4)
    assert published_key(YearMonth(2021, 3)) < published_key(date(2021, 3, 1))
    assert "2021-13" in _messages(kn23(sources={"kcna": {**KCNA, "published": "2021-13"}}))


def test_published_is_required_and_not_after_as_of() -> None:
    missing = {key: value for key, value in KCNA.items() if key != "published"}
    assert "published" in _messages(kn23(sources={"kcna": missing}))
    late = {**KCNA, "published": "2024-03-01"}
    assert "is after as_of (2024-02-29)" in _messages(kn23(sources={"kcna": late}))


def test_state_media_needs_a_country() -> None:
    no_country = {key: value for key, value in KCNA.items() if key != "country"}
    assert "country: missing; a state-media publisher" in _messages(
        kn23(sources={"kcna": no_country})
    )


def test_placeholder_titles_are_refused() -> None:
    placeholder = {**KCNA, "title": "[Report of 5 May 2018 on MiG-31 aircraft]"}
    assert "placeholder in brackets" in _messages(kn23(sources={"kcna": placeholder}))


def test_titles_not_in_latin_script_need_an_english_title() -> None:
    japanese = {**KCNA, "title": "米国防総省、ウクライナに射程150キロの爆弾システム供給案検討"}
    assert "title_en: missing" in _messages(kn23(sources={"kcna": japanese}))
    japanese["title_en"] = "Pentagon considers supplying Ukraine a 150 km bomb system"
    assert System.model_validate(kn23(sources={"kcna": japanese})).sources["kcna"].title_en


def test_every_claim_has_a_kind() -> None:
    claim = _claim(600, "kcna")
    del claim["kind"]
    data = kn23(
        variants=[{"id": "a", "name": "A", "max_range": {"shown_km": 600, "claims": [claim]}}]
    )
    assert "kind" in _messages(data)


def test_a_flight_distance_is_not_shown_in_place_of_a_stated_range() -> None:
    claims = [_claim(690, "kcna", kind="flight-distance"), _claim(450, "kcna")]
    spec = {"shown_km": 690, "why_shown": "Longest flight.", "claims": claims}
    message = _messages(kn23(variants=[{"id": "a", "name": "A", "max_range": spec}]))
    assert "rests only on claims of kind flight-distance" in message
    only_flights = {"shown_km": 690, "claims": [_claim(690, "kcna", kind="flight-distance")]}
    system = System.model_validate(
        kn23(variants=[{"id": "a", "name": "A", "max_range": only_flights}])
    )
    assert system.default_variant.max_range is not None
    assert system.default_variant.max_range.shown_kinds == (ClaimKind.FLIGHT_DISTANCE,)


def test_dissolved_country_codes_are_refused() -> None:
    assert "'SU' is not a current country code" in _messages(kn23(origin_countries=["SU"]))


def test_caveats_are_codes_or_notes() -> None:
    system = System.model_validate(
        kn23(caveats=["air-launched", {"note": "Range with the lightest warhead."}])
    )
    assert system.caveats == (
        Caveat.AIR_LAUNCHED,
        CaveatNote(note="Range with the lightest warhead."),
    )
    assert "caveats" in _messages(kn23(caveats=["air-launch"]))


def test_attribution_of_a_state_media_figure() -> None:
    system = System.model_validate(kn23())
    attribution = system.attribution()
    assert attribution is not None
    assert attribution.party_only
    assert attribution.state_media_only
    assert attribution.countries == ("KP",)
    assert not attribution.independent


def test_kinzhal_carries_its_caveats_and_a_russian_claim() -> None:
    kinzhal = load_catalog()["kinzhal"]
    assert Caveat.INCLUDES_CARRIER_RANGE in kinzhal.caveats_for()
    assert Caveat.AIR_LAUNCHED in kinzhal.caveats_for()
    attribution = kinzhal.attribution()
    assert attribution is not None
    assert attribution.independent
    assert not attribution.party_only


def test_m270_fires_prsm_from_the_m270a2_only() -> None:
    m270 = load_catalog()["m270-mlrs"]
    loads = {load.munition: load for load in m270.fires}
    assert loads["prsm"].launcher_variants == ("m270a2",)
    assert loads["er-gmlrs"].launcher_variants == ("m270a2",)
    assert loads["gmlrs"].launcher_variants == ()


def test_unknown_launcher_variant_is_refused(tmp_path: Path) -> None:
    data = yaml.safe_load((ROOT / "specs" / "m270-mlrs.yaml").read_text(encoding="utf-8"))
    data["fires"][-1]["launcher_variants"] = ["m270a9"]
    assert "launcher_variants[0]" in _messages(data)


def test_every_builtin_source_is_typed_dated_and_titled() -> None:
    for system in load_catalog().values():
        for key, source in system.sources.items():
            assert isinstance(source.publisher_type, PublisherType), key
            assert source.published is not None, key
            assert not (source.title.startswith("[") and source.title.endswith("]")), key


def test_schema_has_the_new_fields() -> None:
    from rangemap.cli.specs import schema

    text = json.dumps(schema())
    for field in ("publisher_type", "title_en", "launcher_variants", "caveats", "claimant_country"):
        assert field in text
    assert "drone" in text
    assert "flight-distance" in text


# --- the audit -------------------------------------------------------------------------------


def test_builtin_catalog_passes_the_audit() -> None:
    report = audit(load_catalog().values())
    assert report.passed, report.failures
    assert 0 <= report.secondary_share <= 1
    assert json.loads(report.json())["passed"] is True


def test_unlabelled_state_media_fails() -> None:
    claims = [_claim(600, "kcna", claimant="think-tank")]
    data = kn23(
        variants=[{"id": "a", "name": "A", "max_range": {"shown_km": 600, "claims": claims}}]
    )
    result = audit_system(System.model_validate(data))
    assert result.failures
    assert "claimant think-tank" in result.failures[0]


def test_aggregator_only_fails_and_a_labelled_party_passes() -> None:
    aggregator = {**KCNA, "publisher": "NewsBytes", "publisher_type": "aggregator"}
    del aggregator["country"]
    result = audit_system(System.model_validate(kn23(sources={"kcna": aggregator})))
    assert result.failures == ("a max_range: rests only on aggregators; cite the original outlet",)
    labelled = audit_system(System.model_validate(kn23()))
    assert labelled.failures == ()
    assert labelled.figures[0].attribution.party_only


def test_a_wire_story_on_a_scrapers_page_fails_and_under_licence_passes() -> None:
    reuters = {
        "publisher": "Reuters",
        "publisher_type": "wire",
        "via": "Daily Gold Alerts",
        "via_type": "aggregator",
        "title": "Zelenskiy strongly hints Ukraine seeking Tomahawk missiles from U.S.",
        "url": "https://example.org/zelenskiy-tomahawk",
        "published": "2024-01",
        "accessed": "2026-12-02",
    }
    scraped = System.model_validate(kn23(sources={"kcna": reuters}))
    assert scraped.sources["kcna"].is_scraped
    result = audit_system(scraped)
    assert result.failures == (
        "a max_range: rests only on aggregators' or scrapers' pages; cite the original outlet",
    )
    assert result.scraped_claims == 1
    licensed = System.model_validate(
        kn23(sources={"kcna": {**reuters, "via": "The Straits Times", "via_type": "newspaper"}})
    )
    assert not licensed.sources["kcna"].is_scraped
    assert audit_system(licensed).failures == ()
    unclassified = {**reuters}
    del unclassified["via_type"]
    result = audit_system(System.model_validate(kn23(sources={"kcna": unclassified})))
    assert result.failures == ()
    assert any("not classified" in w for w in result.figures[0].warnings)


def test_via_type_needs_via() -> None:
    source = {**KCNA, "via_type": "newspaper"}
    assert "via_type" in _messages(kn23(sources={"kcna": source}))


def test_duplicates_and_month_only_dates_are_listed() -> None:
    claims = [_claim(600, "kcna"), _claim(600, "kcna", qualifier="about")]
    data = kn23(
        variants=[{"id": "a", "name": "A", "max_range": {"shown_km": 600, "claims": claims}}]
    )
    result = audit_system(System.model_validate(data))
    assert len(result.duplicates) == 1
    assert result.month_only == ("kcna (2021-03)",)


def test_cli_audit_passes_on_the_builtin_catalog(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["specs", "audit"]) == 0
    out = capsys.readouterr().out
    assert "audit passed" in out
    assert main(["specs", "audit", "--format", "json"]) == 0
    assert json.loads(capsys.readouterr().out)["passed"] is True


def test_cli_audit_fails_on_a_bad_folder_and_names_the_system(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    aggregator = {**KCNA, "publisher": "NewsBytes", "publisher_type": "aggregator"}
    del aggregator["country"]
    data = kn23(sources={"kcna": aggregator})
    (tmp_path / "test-kn.yaml").write_text(yaml.safe_dump(data, allow_unicode=True), "utf-8")
    assert main(["specs", "audit", str(tmp_path)]) == 1
    captured = capsys.readouterr()
    assert "test-kn (Test KN)" in captured.out
    assert "test-kn: a max_range: rests only on aggregators" in captured.err
    assert "atacms" not in captured.out  # only the folder's systems are audited


def test_cli_validate_passes_on_the_builtin_catalog(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["specs", "validate"]) == 0
    assert "all valid" in capsys.readouterr().out


# --- specs list filters ----------------------------------------------------------------------


def _listed(capsys: pytest.CaptureFixture[str], *args: str) -> list[str]:
    assert main(["specs", "list", *args]) == 0
    return [line.split()[0] for line in capsys.readouterr().out.splitlines()[1:]]


def test_list_filters(capsys: pytest.CaptureFixture[str]) -> None:
    catalog = Catalog.load()
    listed = _listed(capsys, "--kind", "cruise-missile")
    assert listed
    assert all(catalog[i].kind.value == "cruise-missile" for i in listed)
    listed = _listed(capsys, "--origin", "us")
    assert "atacms" in listed
    assert all("US" in catalog[i].origin_countries for i in listed)
    listed = _listed(capsys, "--operator", "UA")
    assert "atacms" in listed
    assert "iskander-m" not in listed
    listed = _listed(capsys, "--min-range", "200 mi", "--max-range", "1000 km")
    assert "iskander-m" in listed
    assert "atacms" not in listed
    for system_id in listed:
        spec = catalog[system_id].default_variant.max_range
        assert spec is not None
        assert 321.8688 <= spec.shown_km <= 1000


def test_list_range_uses_the_default_variant(capsys: pytest.CaptureFixture[str]) -> None:
    # ATACMS' Block I (165 km) is not its default variant (300 km).
    assert "atacms" not in _listed(capsys, "--max-range", "200 km")


def test_list_filter_errors_are_one_line(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["specs", "list", "--min-range", "300"]) == 2
    err = capsys.readouterr().err
    assert "--min-range" in err
    assert "Traceback" not in err
    assert main(["specs", "list", "--kind", "hypersonic"]) == 2
    assert "is not a kind" in capsys.readouterr().err
