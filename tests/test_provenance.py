"""What a standards desk needs printed on every map: claim kinds, whose figure, caveats.

Mirrors the provenance parts of :mod:`rangemap.reach` (``kinds=``, ``Reach.kind``,
``Reach.attribution``, ``Reach.caveats``), :mod:`rangemap.words` (the phrases) and
:mod:`rangemap.render` (every output prints them), and ``rangemap map --figure-kind``.
The systems are found in the built-in catalog by what their data says (a party-only
figure, a flight distance), not by name, so the tests follow the catalog as it grows.
"""

from __future__ import annotations

import dataclasses
import html
import io
import json
import re
import sqlite3
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import pytest
import yaml
from hostile import SURFACE_BATTERY
from PIL import Image

from rangemap import RangeMap, Reach
from rangemap.catalog import Caveat, ClaimKind, load_catalog
from rangemap.cli import main
from rangemap.errors import InputError
from rangemap.escaping import clean, html_text
from rangemap.words import CAVEATS, CHOSEN_NOTE, METHOD_NOTE, MIXED_NOTE, words

ROOT = Path(__file__).resolve().parents[1]
KYIV = "50.4501, 30.5234=Kyiv"
SVG = "{http://www.w3.org/2000/svg}"
CARRIER = "The figure may include the carrier aircraft's flight."
EN = words("en")


def _run(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    code = main(argv)
    out, err = capsys.readouterr()
    return code, out, err


def _legend(page: str) -> str:
    """The text of an HTML map's legend, tags removed and entities read."""
    match = re.search(r'<ul class="rm-legend"[^>]*>(.*?)</ul>', page, re.S)
    assert match is not None, "no legend"
    return html.unescape(re.sub(r"<[^>]+>", " ", match.group(1)))


def _text(page: str) -> str:
    """The visible text of an HTML page's header and footer, entities read."""
    body = re.sub(r"<script.*?</script>|<style.*?</style>", " ", page, flags=re.S)
    return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", body)))


def _svg_text(path: Path) -> str:
    root = ET.fromstring(path.read_bytes())
    return re.sub(r"\s+", " ", " ".join("".join(t.itertext()) for t in root.iter(f"{SVG}text")))


def _kinds(key: str) -> tuple[ClaimKind, ...]:
    """The kinds of the claims behind a system's default figure (none for a launcher)."""
    spec = load_catalog()[key].default_variant.max_range
    return spec.shown_kinds if spec is not None else ()


def _non_range_systems() -> list[str]:
    """Systems whose default figure is only of kinds other than a range."""
    catalog = load_catalog()
    found = []
    for key in catalog:
        system = catalog[key]
        spec = system.default_variant.max_range
        if spec is not None and not any(kind.is_range for kind in spec.shown_kinds):
            found.append(system.id)
    return found


def _flight_distance_systems() -> list[str]:
    return [key for key in _non_range_systems() if _kinds(key) == (ClaimKind.FLIGHT_DISTANCE,)]


def _party_only_systems() -> list[str]:
    """Systems whose default figure is a party's word alone (by their Attribution)."""
    catalog = load_catalog()
    found = []
    for key in catalog:
        system = catalog[key]
        attribution = system.attribution()
        spec = system.default_variant.max_range
        if (
            attribution is not None
            and (attribution.party_only or attribution.state_media_only)
            and spec is not None
            and any(kind.is_range for kind in spec.shown_kinds)
        ):
            found.append(system.id)
    return found


# --- caveats ------------------------------------------------------------------------------


def test_every_caveat_code_has_a_phrase() -> None:
    assert set(CAVEATS) == {caveat.value for caveat in Caveat}
    assert EN.caveat("includes-carrier-range") == CARRIER
    assert (
        EN.caveat("air-launched") == "Air-launched: the origin is where the aircraft releases it."
    )


def test_reach_carries_the_system_and_variant_caveats() -> None:
    kinzhal = load_catalog()["kinzhal"]
    reach = Reach.from_system("kinzhal", KYIV)
    assert reach.caveats == kinzhal.caveats_for(kinzhal.default_variant)
    assert Caveat.INCLUDES_CARRIER_RANGE in reach.caveats
    assert Reach.from_distance(300_000, KYIV).caveats == ()


def test_kinzhal_map_carries_the_carrier_caveat_in_html_and_static(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Acceptance: a Kinzhal map, HTML and static, carries the carrier caveat."""
    paths = {fmt: tmp_path / f"kinzhal.{fmt}" for fmt in ("html", "svg", "png")}
    for path in paths.values():
        assert _run(["map", "kinzhal", "--from", KYIV, "-o", str(path)], capsys)[0] == 0
    legend = _legend(paths["html"].read_text("utf-8"))
    assert CARRIER in legend
    assert EN.caveat("air-launched") in legend
    # Under the layer's own legend entry, before the "measured from" line.
    assert legend.index("Kinzhal") < legend.index(CARRIER) < legend.index("Measured from")
    svg = _svg_text(paths["svg"])
    assert re.sub(r"\s", "", CARRIER) in re.sub(r"\s", "", svg)
    # The PNG is drawn from the same figure: without the caveats it is another image.
    reach = Reach.from_system("kinzhal", KYIV)
    plain = RangeMap(title="What Kinzhal can reach from Kyiv").add(
        dataclasses.replace(reach, caveats=())
    )
    noted = RangeMap(title="What Kinzhal can reach from Kyiv").add(reach)
    a = Image.open(io.BytesIO(plain.save(tmp_path / "plain.png").read_bytes())).convert("L")
    b = Image.open(io.BytesIO(noted.save(tmp_path / "noted.png").read_bytes())).convert("L")
    assert a.size == b.size
    assert a.tobytes() != b.tobytes()


def test_caveats_in_geojson_kml_and_geopackage(tmp_path: Path) -> None:
    m = RangeMap().add(Reach.from_system("kinzhal", KYIV))
    feature = m.to_geojson()["features"][0]["properties"]
    assert {"code": "includes-carrier-range", "text": CARRIER} in feature["caveats"]
    assert feature["figure_kind"] == "stated-maximum"
    assert all("kind" in claim for claim in feature["claims"])
    kml = m.save(tmp_path / "k.kml").read_text("utf-8")
    root = ET.fromstring(kml)
    ns = "{http://www.opengis.net/kml/2.2}"
    placemark = next(root.iter(f"{ns}Placemark"))
    description = html.unescape(placemark.findtext(f"{ns}description") or "")
    assert CARRIER in description
    data = {d.get("name"): d.findtext(f"{ns}value") for d in placemark.iter(f"{ns}Data")}
    assert CARRIER in (data.get("caveats") or "")
    connection = sqlite3.connect(m.save(tmp_path / "k.gpkg"))
    try:
        (caveats,) = connection.execute("SELECT caveats FROM reach").fetchone()
    finally:
        connection.close()
    assert CARRIER in caveats


def test_free_text_caveats_are_printed_as_written() -> None:
    catalog = load_catalog()
    noted = [
        key
        for key in catalog
        if any(not isinstance(c, Caveat) for c in catalog[key].caveats_for())
        and any(k.is_range for k in _kinds(key))
    ]
    assert noted, "no system with a free-text caveat"
    system = catalog[noted[0]]
    note = next(c for c in system.caveats_for() if not isinstance(c, Caveat))
    page = RangeMap().add(Reach.from_system(system.id, KYIV)).to_html()
    assert html_text(note.note) in page
    assert note.note in _legend(page)


# --- whose figure -------------------------------------------------------------------------


def test_a_party_only_figure_says_whose_it_is() -> None:
    """Acceptance: a figure only a party (or state media) states is labelled as such."""
    found = _party_only_systems()
    assert found, "the catalog has no party-only figure to test"
    for key in found:
        reach = Reach.from_system(key, KYIV)
        assert reach.attribution is not None
        assert reach.attribution.party_only
        assert re.search(r", (according to|as claimed by) ", reach.label), reach.label
        legend = _legend(RangeMap().add(reach).to_html())
        assert reach.label in legend


def test_state_media_only_figure_names_the_state_media() -> None:
    catalog = load_catalog()
    found = [
        key
        for key in _party_only_systems()
        if getattr(catalog[key].attribution(), "state_media_only", False)
    ]
    assert found, "the catalog has no state-media-only figure to test"
    for key in found:
        label = Reach.from_system(key, KYIV).label
        assert "state media" in label, label


def test_independent_figures_say_nothing_extra() -> None:
    atacms = Reach.from_system("atacms", KYIV)
    assert atacms.attribution is not None
    assert atacms.attribution.independent
    assert atacms.label == "ATACMS \u2013 Longer-range versions (about 300 km): up to 300 km"
    assert "according to" not in atacms.label
    assert "claimed" not in atacms.label


def _spec(tmp_path: Path, changes: dict[str, Any], source: dict[str, Any] | None = None) -> Path:
    """A real spec (ATACMS, one variant, one claim) under a new id, with a claim changed."""
    spec: dict[str, Any] = yaml.safe_load((ROOT / "specs" / "atacms.yaml").read_text("utf-8"))
    spec.update(id="test-claim", name="Test claim", aliases=[], launchers=[], full_name=None)
    variant = next(v for v in spec["variants"] if v.get("default"))
    claim = dict(variant["max_range"]["claims"][0], **changes)
    variant["max_range"] = {"shown_km": claim["km"], "claims": [claim]}
    spec["variants"] = [dict(variant, default=True)]
    sources = {claim["source"]: dict(spec["sources"][claim["source"]], **(source or {}))}
    spec["sources"] = sources
    folder = tmp_path / "specs"
    folder.mkdir(exist_ok=True)
    (folder / "test-claim.yaml").write_text(yaml.safe_dump(spec, allow_unicode=True), "utf-8")
    return folder


@pytest.mark.parametrize(
    ("claim", "source", "whose"),
    [
        (
            {"claimant": "government", "claimant_country": "KP"},
            {"publisher_type": "state-media", "country": "KP"},
            "up to 300 km, according to North Korea's government",
        ),
        (
            {"claimant": "press"},
            {"publisher_type": "state-media", "country": "KP"},
            "up to 300 km, according to North Korea's state media",
        ),
        (
            {"claimant": "party-to-conflict"},
            {"publisher_type": "wire"},
            "up to 300 km, as claimed by a party to the conflict",
        ),
        (
            {"claimant": "party-to-conflict", "claimant_country": "IR"},
            {"publisher_type": "wire"},
            "up to 300 km, as claimed by Iran, a party to the conflict",
        ),
    ],
)
def test_whose_wording_from_a_spec_file(
    tmp_path: Path, claim: dict[str, Any], source: dict[str, Any], whose: str
) -> None:
    from rangemap.catalog import Catalog

    catalog = Catalog.load(extra_dirs=[_spec(tmp_path, claim, source)])
    reach = Reach.from_system("test-claim", KYIV, catalog=catalog)
    assert reach.label == f"Test claim: {whose}"


def test_country_names_come_from_babel_in_the_map_language() -> None:
    assert EN.country("IR") == "Iran"
    assert EN.possessive("KP") == "North Korea's"
    assert EN.possessive("US") == "the United States'"
    assert EN.country("ZZ") == "Unknown Region" or EN.country("ZZ") == "ZZ"


# --- claim kinds --------------------------------------------------------------------------


def test_flight_distance_is_not_drawn_by_default(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Acceptance: the flight-distance kind is not shown by default; with the opt-in it is."""
    found = _flight_distance_systems()
    assert found, "the catalog has no system whose figure is only a flight distance"
    key = found[0]
    out = tmp_path / "flight.html"
    code, printed, err = _run(["map", key, "--from", KYIV, "-o", str(out)], capsys)
    assert code == 2
    assert printed == ""
    assert err.startswith("rangemap: error: ")
    assert len(err.strip().splitlines()) == 1
    assert key in err
    assert "flight-distance" in err
    assert "--figure-kind flight-distance" in err
    assert "Traceback" not in err
    assert not out.exists()
    with pytest.raises(InputError, match="flight-distance"):
        Reach.from_system(key, KYIV)

    argv = ["map", key, "--from", KYIV, "--figure-kind", "flight-distance", "-o", str(out)]
    assert _run(argv, capsys)[:3:2] == (0, "")
    page = out.read_text("utf-8")
    legend = _legend(page)
    assert re.search(r"flew [^:]*km in a test", legend), legend
    assert "can reach" not in _text(page).split("Sources")[0]
    assert "Not every figure drawn is a maximum range" in _text(page)
    reach = Reach.from_system(key, KYIV, kinds=["flight-distance"])
    assert reach.kind is ClaimKind.FLIGHT_DISTANCE
    assert reach.label in legend


def test_flight_distance_legend_says_year_and_claimant() -> None:
    catalog = load_catalog()
    for key in _flight_distance_systems():
        system = catalog[key]
        reach = Reach.from_system(key, KYIV, kinds=("flight-distance",))
        years = [system.source_for(c).published.year for c in reach.claims]
        assert f"in a test reported in {min(years)}" in reach.label
        countries = {c.claimant_country for c in reach.claims}
        if len(countries) == 1 and None not in countries:
            (code,) = countries
            owner = EN.possessive(str(code))
            assert f"({owner} claim)" in reach.label or f"according to {owner} " in reach.label


def test_kinds_are_checked() -> None:
    with pytest.raises(InputError, match="kinds: 'longest' is not a claim kind"):
        Reach.from_system("atacms", KYIV, kinds=["longest"])
    # Ranges are always drawn; asking for another kind changes nothing for them.
    assert Reach.from_system("atacms", KYIV, kinds=["requirement"]).label == (
        Reach.from_system("atacms", KYIV).label
    )


def test_an_estimate_says_so() -> None:
    catalog = load_catalog()
    estimates = [key for key in catalog if _kinds(key) == (ClaimKind.ESTIMATE,)]
    assert estimates, "the catalog has no figure that is only an estimate"
    for key in estimates:
        reach = Reach.from_system(key, KYIV)
        assert reach.kind is ClaimKind.ESTIMATE
        assert reach.phrase.endswith("(estimate)"), reach.phrase


def test_spread_leaves_out_other_kinds_unless_asked() -> None:
    catalog = load_catalog()
    mixed = []
    for key in catalog:
        spec = catalog[key].default_variant.max_range
        if spec is None:
            continue
        ranges = {c.km for c in spec.claims if c.kind.is_range}
        others = {c.km for c in spec.claims if not c.kind.is_range}
        if ranges and others - ranges:
            mixed.append((key, ranges, spec.claims))
    assert mixed, "no system mixes ranges and other kinds of figure"
    key, ranges, claims = mixed[0]
    spread = Reach.from_system(key, KYIV, show="spread")
    assert all(claim.kind.is_range for claim in spread.claims)
    assert spread.distance_m == max(ranges) * 1000
    every = Reach.from_system(
        key, KYIV, show="spread", kinds=("flight-distance", "requirement", "class-band")
    )
    assert len(every.claims) == len(claims)
    if every.show == "spread":
        assert "including" in every.phrase


@pytest.mark.parametrize(
    ("kind", "qualifier", "km", "phrase"),
    [
        ("requirement", "up-to", 499, "a requirement: up to 499 km"),
        ("class-band", "up-to", 5500, "intermediate-range class: up to 5,500 km"),
        ("class-band", "more-than", 5500, "intercontinental class: more than 5,500 km"),
        ("class-band", "up-to", 4200, "a range class: up to 4,200 km"),
    ],
)
def test_other_kinds_from_a_spec_file_and_a_recipe(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    kind: str,
    qualifier: str,
    km: int,
    phrase: str,
) -> None:
    folder = _spec(tmp_path, {"kind": kind, "qualifier": qualifier, "km": km})
    out = tmp_path / "map.html"
    base = ["map", "test-claim", "--specs", str(folder), "--from", KYIV, "-o", str(out)]
    code, _, err = _run(base, capsys)
    assert code == 2
    assert kind in err
    assert f"--figure-kind {kind}" in err
    assert _run([*base, "--figure-kind", kind], capsys)[:3:2] == (0, "")
    assert f"Test claim: {phrase}" in _legend(out.read_text("utf-8"))
    recipe = tmp_path / "recipe.yaml"
    layer = {"system": "test-claim", "origins": [KYIV], "figure_kinds": [kind]}
    recipe.write_text(yaml.safe_dump({"specs": ["specs"], "layers": [layer]}), "utf-8")
    assert _run(["map", "--recipe", str(recipe), "-o", str(out)], capsys)[:3:2] == (0, "")
    assert f"Test claim: {phrase}" in _legend(out.read_text("utf-8"))


# --- a distance the map maker chose --------------------------------------------------------


def test_distance_map_does_not_say_as_publicly_reported(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Acceptance: a --distance map says the distance is the maker's choice."""
    for fmt in ("html", "svg", "kml"):
        out = tmp_path / f"d.{fmt}"
        argv = ["map", "--distance", "300 km", "--from", KYIV, "-o", str(out)]
        assert _run(argv, capsys)[:3:2] == (0, "")
        if fmt == "html":
            text = _text(out.read_text("utf-8"))
        elif fmt == "svg":
            text = _svg_text(out)
        else:
            text = html.unescape(html.unescape(out.read_text("utf-8")))  # XML, then HTML
        flat = re.sub(r"\s", "", text)
        assert "publicly reported" not in text
        assert "publiclyreported" not in flat
        assert "as reported" not in text
        assert re.sub(r"\s", "", "chosen by the map's maker") in flat


def test_a_map_of_both_says_both() -> None:
    both = RangeMap().add(Reach.from_system("atacms", KYIV)).add(Reach.from_distance(500_000, KYIV))
    text = _text(both.to_html())
    assert MIXED_NOTE in text
    assert METHOD_NOTE not in text
    assert CHOSEN_NOTE not in text
    only = _text(RangeMap().add(Reach.from_system("atacms", KYIV)).to_html())
    assert METHOD_NOTE in only
    assert "chosen by the map's maker" not in only


# --- hostile text in caveat notes ---------------------------------------------------------


def test_hostile_caveat_notes_are_escaped_everywhere(tmp_path: Path) -> None:
    """Free-text caveats from a spec file reach every format as text, never as markup."""
    from rangemap.catalog import Catalog

    spec: dict[str, Any] = yaml.safe_load((ROOT / "specs" / "kinzhal.yaml").read_text("utf-8"))
    entries = [(n, t) for n, t in SURFACE_BATTERY if t.strip() and t == clean(t)][:40]
    spec.update(id="hostile-caveats", name="Hostile caveats", aliases=[], names={})
    spec["caveats"] = [{"note": text} for _, text in entries]
    spec.pop("launchers", None)
    folder = tmp_path / "specs"
    folder.mkdir()
    (folder / "hostile-caveats.yaml").write_text(yaml.safe_dump(spec), "utf-8")
    try:
        catalog = Catalog.load(extra_dirs=[folder])
    except InputError as err:  # pragma: no cover - says which text the catalog refuses
        pytest.fail(str(err))
    m = RangeMap(title="Hostile caveats").add(
        Reach.from_system("hostile-caveats", KYIV, catalog=catalog)
    )
    page = m.to_html()
    legend_html = re.search(r'<ul class="rm-legend"[^>]*>(.*?)</ul>', page, re.S)
    assert legend_html is not None
    # Only the legend's own tags are markup: every "<" of the notes is escaped.
    own = re.sub(r'</?(?:li|span)(?: class="[a-z0-9 -]+")?>', "", legend_html.group(1))
    assert "<" not in own
    assert ">" not in own
    legend = _legend(page)
    for _, text in entries:
        assert html_text(text) in legend_html.group(1)
        assert text.strip() in legend
    geojson = json.dumps(m.to_geojson(), ensure_ascii=False)
    kml = m.save(tmp_path / "h.kml").read_text("utf-8")
    ET.fromstring(kml)  # well formed
    # 40 notes do not fit a social image with text of 6 pt or more: a large one
    svg = m.save(tmp_path / "h.svg", size=(2400, 2400), dpi=100)
    ET.fromstring(svg.read_bytes())
    for _, text in entries:
        assert json.dumps(text, ensure_ascii=False)[1:-1] in geojson


def test_a_states_own_figure_carried_by_a_wire_is_attributed_to_that_state() -> None:
    # Haj Qassem's 1,400 km is Iran's defence minister's word, reported by Reuters and
    # AP: the wire is independent, the figure is not.
    catalog = load_catalog()
    reach = Reach.from_system("haj-qassem", KYIV)
    claims = reach.claims
    assert claims
    assert all(c.claimant_country == "IR" for c in claims)
    assert {catalog["haj-qassem"].source_for(c).publisher_type.value for c in claims} <= {
        "wire",
        "newspaper",
        "broadcaster",
    }
    assert "according to Iran's government" in reach.label
    # A figure an outlet states in its own words is not attributed to a state.
    assert "according to" not in Reach.from_system("atacms", KYIV).label
