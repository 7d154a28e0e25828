"""The interactive page's Python side: options, validation, data, panels, policy, determinism."""

from __future__ import annotations

import base64
import hashlib
import json
import re
import warnings
from pathlib import Path
from typing import Any

import pytest
from cli_checks import one_error_line
from hostile import BATTERY, api_page_map

from rangemap.cli import main
from rangemap.errors import InputError, RecipeError
from rangemap.reach import Reach
from rangemap.recipes import load_recipe
from rangemap.render._js import script
from rangemap.render.interactive import SCRIPTS
from rangemap.scene import Interactive, RangeMap
from rangemap.words import words

KHARKIV = "49.99, 36.23=Kharkiv"


def _data(page: str) -> dict[str, Any]:
    match = re.search(r'<script type="application/json" id="rm-data">(.*?)</script>', page, re.S)
    assert match is not None
    data: dict[str, Any] = json.loads(match.group(1))
    return data


def _map(**interactive: Any) -> RangeMap:
    m = RangeMap(title="ATACMS from Kharkiv", interactive=Interactive(**interactive))
    return m.add(Reach.from_system("atacms", KHARKIV))


def test_interactive_option_is_normalised_and_checked() -> None:
    assert RangeMap(interactive=True).interactive == Interactive()
    assert RangeMap(interactive=False).interactive is None
    assert Interactive(("storm-shadow", "atacms:block-i")).choices == (
        "storm-shadow:export",
        "atacms:block-i",
    )
    with pytest.raises(InputError, match=r"interactive: choices: 'no-such-missile'"):
        Interactive(("no-such-missile",))
    with pytest.raises(InputError, match="interactive: min_population"):
        Interactive(min_population=-1)
    with pytest.raises(InputError, match="interactive: 'yes'"):
        RangeMap(interactive="yes")  # type: ignore[arg-type]


def test_page_carries_choices_with_their_own_legend_and_sources() -> None:
    page = _map(choices=("storm-shadow", "atacms:block-i")).to_html()
    data = _data(page)["interactive"]
    ids = [c["id"] for c in data["choices"]]
    assert ids == ["atacms:long-range", "storm-shadow:export", "atacms:block-i"]
    assert [c["range_m"] for c in data["choices"]] == [300_000.0, 250_000.0, 165_000.0]
    assert data["origins"] == [[36.23, 49.99, "Kharkiv"]]
    # One legend and one footer per choice; only the map's own shows at first.
    legends = re.findall(r'<ul class="rm-legend" data-rm-choice="(\d)"( hidden)?', page)
    assert legends == [("0", ""), ("1", " hidden"), ("2", " hidden")]
    feet = re.findall(r'<footer class="rm-foot" data-rm-choice="(\d)"( hidden)?', page)
    assert feet == [("0", ""), ("1", " hidden"), ("2", " hidden")]
    storm = page[page.index('data-rm-choice="1" hidden>') :]
    assert "Storm Shadow" in storm.split("</ul>")[0]
    assert '<select id="rm-system">' in page
    assert '<label for="rm-system">' in page
    assert 'aria-live="polite"' in page


def test_scripts_come_after_the_page_script_and_are_hashed_in_the_policy() -> None:
    page = _map().to_html()
    policy = re.search(r'Content-Security-Policy" content="([^"]+)"', page)
    assert policy is not None
    for name in SCRIPTS:
        text = script(name)
        digest = base64.b64encode(hashlib.sha256(text.encode()).digest()).decode()
        assert f"'sha256-{digest}'" in policy.group(1), name
        assert f"<script>{text}</script>" in page
    positions = [page.index(script(name)) for name in SCRIPTS]
    assert positions == sorted(positions)


def test_two_renders_are_identical() -> None:
    assert _map(choices=("storm-shadow",)).to_html() == _map(choices=("storm-shadow",)).to_html()


def test_territory_origin_stays_as_drawn_and_says_so() -> None:
    m = RangeMap(interactive=True).add(Reach.from_distance(100_000, ["country:BY", KHARKIV]))
    page = m.to_html()
    data = _data(page)["interactive"]
    assert data["origins"] == [[36.23, 49.99, "Kharkiv"]]
    fixed = data["choices"][0]["fixed"]
    assert fixed["type"] == "FeatureCollection"
    assert fixed["features"]
    assert "Reach from lines and territories stays as drawn." in page
    only_land = RangeMap(interactive=True).add(Reach.from_distance(100_000, "country:BY"))
    assert _data(only_land.to_html())["interactive"]["origins"] == []


def test_other_formats_warn_once_and_draw_the_map(tmp_path: Path) -> None:
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        _map().save(tmp_path / "m.geojson")
    messages = [str(w.message) for w in caught if "interactive" in str(w.message)]
    assert len(messages) == 1
    assert ".geojson" in messages[0]
    assert (tmp_path / "m.geojson").stat().st_size > 0


def test_cli_interactive_page(tmp_path: Path) -> None:
    out = tmp_path / "m.html"
    args = ["map", "atacms", "--from", KHARKIV, "--interactive", "--choices", "storm-shadow"]
    assert main([*args, "-o", str(out)]) == 0
    data = _data(out.read_text("utf-8"))
    assert [c["id"] for c in data["interactive"]["choices"]][1] == "storm-shadow:export"


@pytest.mark.parametrize(
    ("argv", "named"),
    [
        (["--choices", "atacms:block-zz"], "--choices"),
        (["--choices", "no-such-missile,storm-shadow"], "--choices"),
        (["--choices", ""], "--choices"),
    ],
)
def test_cli_refuses_bad_choices(
    argv: list[str], named: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    line = one_error_line(
        ["map", "atacms", "--from", KHARKIV, *argv, "-o", str(tmp_path / "m.html")], capsys
    )
    assert named in line
    if "no-such" in " ".join(argv):
        assert "no-such-missile" in line
    assert not (tmp_path / "m.html").exists()


def test_recipe_interactive(tmp_path: Path) -> None:
    recipe = tmp_path / "r.yaml"
    recipe.write_text(
        "layers: [{system: atacms, origins: ['49.99, 36.23=Kharkiv']}]\n"
        "interactive: {choices: [storm-shadow], places: {min_population: 500000}}\n",
        "utf-8",
    )
    m = load_recipe(recipe)
    assert m.interactive == Interactive(("storm-shadow",), 500_000)
    recipe.write_text(
        "layers: [{system: atacms, origins: [Kharkiv]}]\ninteractive: true\n", "utf-8"
    )
    assert load_recipe(recipe).interactive == Interactive()
    recipe.write_text(
        "layers: [{system: atacms, origins: [Kharkiv]}]\ninteractive: {choices: [nope-x]}\n",
        "utf-8",
    )
    with pytest.raises(RecipeError, match=r"r\.yaml: interactive\.choices: 'nope-x'"):
        load_recipe(recipe)


def test_hostile_texts_stay_data() -> None:
    entries = BATTERY[:12]
    scene, _ = api_page_map(entries)
    scene.interactive = Interactive(("storm-shadow",))
    page = scene.to_html()
    scripts = re.findall(r"<script>(.*?)</script>", page, re.S)
    for _, text in entries:
        for code in scripts:
            if len(text) > 6:
                assert text not in code
    data = _data(page)["interactive"]
    labels = {o[2] for o in data["origins"]}
    assert len(labels) >= 2  # the hostile labels arrive as JSON data, set with textContent
    assert "<script>__rm_hit" not in page
    assert "<img src=x" not in page


def test_one_list_of_cities_follows_the_places_settings() -> None:
    from rangemap.render._interactive_places import places_data

    m = _map()
    m.add(Reach.from_system("atacms:block-i", KHARKIV))
    m.show_places(5, min_population=300_000, countries=["RU"], exclude=["Kursk"])
    page = m.to_html()
    assert 'class="rm-places-table"' not in page  # the static table: the live list instead
    assert page.count(">Cities in range</h2>") == 1
    rules = _data(page)["search"]["rules"]
    assert rules["top"] == 5
    data = places_data(m, words("en"), min_population=115_000)
    chosen = [i for i, flag in enumerate(rules["eligible"]) if flag == "1"]
    eligible = [data["name"][i] for i in chosen]
    assert "Voronezh" in eligible
    assert "Kursk" not in eligible
    assert "Kharkiv" not in eligible
    assert all(data["country"][2 * i : 2 * i + 2] == "RU" for i in chosen)
    assert all(data["population"][i] >= 300_000 for i in chosen)
    # The legend's "Measured from" line is marked for the script to rewrite.
    assert 'class="rm-measured">Measured from Kharkiv<' in page


def test_a_floor_that_makes_the_page_too_heavy_is_refused() -> None:
    from rangemap.render.page import render_page

    m = _map(min_population=20_000)
    with pytest.raises(InputError) as caught:
        render_page(m)
    message = str(caught.value)
    assert "--search-min-population" in message
    assert "interactive.places.min_population" in message
    found = re.search(r"--search-min-population (\d+)", message)
    assert found is not None
    floor = int(found.group(1))
    assert 20_000 < floor < 115_000
    page = render_page(_map(min_population=floor))
    assert len(page.encode("utf-8")) <= 1_500_000


def _flagship(language: str = "en") -> RangeMap:
    from rangemap.recipes import flagship_recipe

    scene = load_recipe(flagship_recipe())
    scene.language = language
    scene.interactive = Interactive(("storm-shadow", "atacms:block-i"))
    return scene


def test_a_choice_has_its_own_layer_only_in_its_legend_and_sources() -> None:
    page = _flagship().to_html()
    legends = dict(re.findall(r'<ul class="rm-legend" data-rm-choice="(\d)"[^>]*>(.*?)</ul>', page))
    assert legends["0"].count('class="rm-swatch') == 2  # the map as published: both layers
    assert legends["1"].count('class="rm-swatch') == 1  # Storm Shadow alone
    assert "Storm Shadow" in legends["1"]
    assert "M39 (Block I)" not in legends["1"]
    assert legends["2"].count('class="rm-swatch') == 1  # Block I once, not twice
    feet = dict(
        re.findall(r'<footer class="rm-foot" data-rm-choice="(\d)"[^>]*>(.*?)</footer>', page)
    )
    assert "Lockheed Martin" in feet["0"]
    assert "Lockheed Martin" not in feet["1"]


@pytest.mark.parametrize("language", ["en", "he"])
def test_the_notice_of_a_changed_map_is_in_the_page_data(language: str) -> None:
    w = words(language)
    page = _flagship(language).to_html()
    said = _data(page)["interactive"]["words"]
    assert said["changed"] == w(
        "You have changed this map; the text above describes the published map."
    )
    assert said["back"] == w("Back to the published map")
    assert said["restored"] == w("The published map is shown again.")
    if language == "he":
        assert said["back"] == "חזרה למפה שפורסמה"
    # Text the script sets with textContent: no markup in the page's HTML for it.
    assert 'class="rm-changed"' not in page
    assert ".rm-changed{" in page  # its style, in the page's own CSS


def test_the_flagship_page_is_deterministic_and_within_its_weight() -> None:
    first = _flagship().to_html()
    assert _flagship().to_html() == first
    assert len(first.encode("utf-8")) <= 1_500_000
