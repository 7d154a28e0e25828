"""The reader's choices of system come from the map's own catalog, user specs included.

A system from the user's own spec folder can be the map's system and a reader's choice,
from the command line, a recipe and Python; an unknown choice is refused before any work
with the catalog's closest ids.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
import yaml
from cli_checks import one_error_line

from rangemap.catalog import Catalog, load_catalog
from rangemap.cli import main
from rangemap.errors import InputError, RecipeError
from rangemap.reach import Reach, _display_name
from rangemap.recipes import load_recipe
from rangemap.scene import Interactive, RangeMap

ROOT = Path(__file__).resolve().parents[1]
KHARKIV = "49.99, 36.23=Kharkiv"


def _data(page: str) -> dict[str, Any]:
    match = re.search(r'<script type="application/json" id="rm-data">(.*?)</script>', page, re.S)
    assert match is not None
    data: dict[str, Any] = json.loads(match.group(1))["interactive"]
    return data


def _choice(data: dict[str, Any], choice_id: str) -> dict[str, Any]:
    found: list[dict[str, Any]] = [c for c in data["choices"] if c["id"] == choice_id]
    assert len(found) == 1, [c["id"] for c in data["choices"]]
    return found[0]


@pytest.fixture
def specs(tmp_path: Path) -> Path:
    """A folder with one spec of the user's own: GLSDB's sources, a new id, name and figure."""
    folder = tmp_path / "myspecs"
    folder.mkdir()
    data = yaml.safe_load((ROOT / "specs" / "glsdb.yaml").read_text("utf-8"))
    data.update(id="kyiv-glide", name="Kyiv Glide", full_name="Kyiv Desk Glide Bomb", aliases=[])
    (variant,) = data["variants"]
    variant.update(id="kyiv-glide", name="Kyiv Glide")
    variant["max_range"]["shown_km"] = 120
    for claim in variant["max_range"]["claims"]:
        claim["km"] = 120
    text = yaml.safe_dump(data, allow_unicode=True, sort_keys=False)
    (folder / "kyiv-glide.yaml").write_text(text, "utf-8")
    return folder


def test_cli_choice_from_specs_folder(specs: Path, tmp_path: Path) -> None:
    out = tmp_path / "m.html"
    argv = ["map", "atacms", "--from", KHARKIV, "--specs", str(specs), "--interactive"]
    assert main([*argv, "--choices", "kyiv-glide,storm-shadow", "-o", str(out)]) == 0
    data = _data(out.read_text("utf-8"))
    ids = [c["id"] for c in data["choices"]]
    assert ids == ["atacms:long-range", "kyiv-glide:kyiv-glide", "storm-shadow:export"]
    mine = _choice(data, "kyiv-glide:kyiv-glide")
    assert mine["name"] == "Kyiv Glide"
    assert mine["range_m"] == 120_000.0
    assert "".join(text for text, _ in mine["layer_runs"]).startswith("Kyiv Glide")


def test_cli_map_of_own_system_is_interactive(specs: Path, tmp_path: Path) -> None:
    out = tmp_path / "m.html"
    argv = ["map", "kyiv-glide", "--from", KHARKIV, "--specs", str(specs), "--interactive"]
    assert main([*argv, "--choices", "atacms:block-i", "-o", str(out)]) == 0
    data = _data(out.read_text("utf-8"))
    assert [c["id"] for c in data["choices"]] == ["kyiv-glide:kyiv-glide", "atacms:block-i"]
    assert data["choices"][0]["name"] == "Kyiv Glide"
    assert [c["range_m"] for c in data["choices"]] == [120_000.0, 165_000.0]


@pytest.mark.parametrize("with_specs", [True, False])
def test_cli_refuses_unknown_choice_with_closest_ids(
    with_specs: bool, specs: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "m.html"
    folder = ["--specs", str(specs)] if with_specs else []
    argv = ["map", "atacms", "--from", KHARKIV, *folder, "--choices", "kyiv-glid"]
    line = one_error_line([*argv, "-o", str(out)], capsys)
    assert "--choices: 'kyiv-glid'" in line
    # Close matches come from the same catalog: the user's spec only with its folder.
    assert ("Closest: kyiv-glide (Kyiv Glide)" in line) == with_specs
    assert "--specs DIR" in line
    assert not out.exists()


def test_python_choice_from_user_catalog(specs: Path) -> None:
    catalog = Catalog.load(extra_dirs=[specs])
    settings = Interactive(("kyiv-glide", "atacms:block-i"), catalog=catalog)
    assert settings.choices == ("kyiv-glide:kyiv-glide", "atacms:block-i")
    assert settings == Interactive(("kyiv-glide", "atacms:block-i"), catalog=catalog)
    assert settings != Interactive(("atacms:block-i",), catalog=catalog)
    assert hash(settings) == hash(Interactive(("kyiv-glide", "atacms:block-i"), catalog=catalog))
    m = RangeMap(title="From Kharkiv", interactive=settings)
    m.add(Reach.from_system("kyiv-glide", KHARKIV, catalog=catalog))
    data = _data(m.to_html())
    ids = [c["id"] for c in data["choices"]]
    assert ids == ["kyiv-glide:kyiv-glide", "atacms:block-i"]
    assert [c["range_m"] for c in data["choices"]] == [120_000.0, 165_000.0]


def test_python_refuses_choice_outside_its_catalog(specs: Path) -> None:
    with pytest.raises(InputError, match=r"interactive: choices: 'kyiv-glide'.*catalog="):
        Interactive(("kyiv-glide",))  # the built-in catalog has no such system
    with pytest.raises(InputError, match=r"interactive: catalog='myspecs' is not a Catalog"):
        Interactive(("atacms",), catalog="myspecs")  # type: ignore[arg-type]


def test_recipe_choice_from_its_specs(specs: Path, tmp_path: Path) -> None:
    recipe = tmp_path / "r.yaml"
    recipe.write_text(
        "specs: [myspecs]\n"
        "layers: [{system: atacms, origins: ['49.99, 36.23=Kharkiv']}]\n"
        "interactive: {choices: [kyiv-glide]}\n",
        "utf-8",
    )
    m = load_recipe(recipe)
    assert isinstance(m.interactive, Interactive)
    assert m.interactive.choices == ("kyiv-glide:kyiv-glide",)
    data = _data(m.to_html())
    assert _choice(data, "kyiv-glide:kyiv-glide")["range_m"] == 120_000.0
    recipe.write_text(
        "layers: [{system: atacms, origins: ['49.99, 36.23=Kharkiv']}]\n"
        "interactive: {choices: [kyiv-glide]}\n",
        "utf-8",
    )
    with pytest.raises(RecipeError, match=r"r\.yaml: interactive\.choices: 'kyiv-glide'.*specs"):
        load_recipe(recipe)
    # Folders given to load_recipe (the CLI's --specs) count as the recipe's own.
    assert load_recipe(recipe, extra_specs=[specs]).interactive == Interactive(
        ("kyiv-glide",), catalog=Catalog.load(extra_dirs=[specs])
    )


def test_choice_names_are_the_catalogs_in_the_page_language() -> None:
    m = RangeMap(language="uk", interactive=Interactive(("storm-shadow", "atacms:block-i")))
    m.add(Reach.from_system("atacms", KHARKIV))
    data = _data(m.to_html())
    catalog = load_catalog()
    for choice in data["choices"]:
        system, variant = catalog.resolve(choice["id"])
        assert choice["name"] == _display_name(system, variant, "uk")
    assert data["choices"][0]["name"] == "ATACMS \u2013 Версії більшої дальності (близько 300 км)"


def test_cli_recipe_choices_come_from_its_specs(specs: Path, tmp_path: Path) -> None:
    # --choices with --recipe: the recipe's own specs list counts, as in the recipe.
    recipe = tmp_path / "r.yaml"
    recipe.write_text(
        "specs: [myspecs]\nlayers: [{system: atacms, origins: ['49.99, 36.23=Kharkiv']}]\n",
        "utf-8",
    )
    out = tmp_path / "m.html"
    argv = ["map", "--recipe", str(recipe), "--choices", "kyiv-glide,storm-shadow"]
    assert main([*argv, "-o", str(out)]) == 0
    data = _data(out.read_text("utf-8"))
    assert [c["id"] for c in data["choices"]] == [
        "atacms:long-range",
        "kyiv-glide:kyiv-glide",
        "storm-shadow:export",
    ]
    assert _choice(data, "kyiv-glide:kyiv-glide")["range_m"] == 120_000.0


def test_cli_recipe_refuses_choice_outside_its_catalog(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    recipe = tmp_path / "r.yaml"
    recipe.write_text("layers: [{system: atacms, origins: ['49.99, 36.23=Kharkiv']}]\n", "utf-8")
    out = tmp_path / "m.html"
    argv = ["map", "--recipe", str(recipe), "--choices", "kyiv-glide", "-o", str(out)]
    assert "--choices: 'kyiv-glide'" in one_error_line(argv, capsys)
    assert not out.exists()
