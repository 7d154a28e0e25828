"""Malformed recipes: one plain line and exit status 2, never a traceback.

Each file in ``tests/data/bad_recipes/`` is one malformed recipe; ``expected.txt`` gives,
for each file, a fragment of the one line ``rangemap map --recipe FILE -o out.html``
must print (the field and what is wrong). The huge and deeply nested cases are built
here, in a temporary folder, rather than kept as files.
"""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from rangemap.cli import main
from rangemap.errors import RecipeError
from rangemap.recipes import MAX_RECIPE_BYTES, load_recipe, read_recipe

ROOT = Path(__file__).resolve().parents[1]
BAD = ROOT / "tests" / "data" / "bad_recipes"
LAYERS = "layers:\n  - system: atacms\n    origins: [Sumy, Kharkiv]\n"
#: The longest error line accepted, not counting the recipe's own path.
MAX_LINE = 400


def _expected() -> dict[str, str]:
    cases: dict[str, str] = {}
    for line in (BAD / "expected.txt").read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        name, fragment = line.split(": ", 1)
        assert name not in cases, f"{name} is listed twice in expected.txt"
        cases[name] = fragment
    return cases


EXPECTED = _expected()
CASES = sorted(EXPECTED)


#: Cases built at test time: name -> (content, fragment of the message).
GENERATED: dict[str, tuple[Callable[[], str | bytes], str]] = {
    "nested_brackets": (
        lambda: "[" * 10_000,
        "line 1, column 1001: (top level): lists and mappings are nested more than 32 levels",
    ),
    "nested_flow_mappings": (
        lambda: "{title: " * 10_000,
        "line 1, column 257: title.title.title.title\u2026: lists and mappings are nested more "
        "than 32 levels deep; a recipe needs five at most",
    ),
    "nested_block_mappings": (
        lambda: "".join(" " * i + f"k{i}:\n" for i in range(300)) + " " * 300 + "Kyiv\n",
        "line 33, column 33: k0.k1.k2.k3\u2026: lists and mappings are nested more than 32 levels",
    ),
    "nested_in_a_layer": (
        lambda: "layers:\n  - system: atacms\n    origins: " + "[" * 40 + "Sumy" + "]" * 40 + "\n",
        "line 3, column 43: layers[0].origins[0]\u2026: lists and mappings are nested more than 32",
    ),
    "over_1_mb": (
        lambda: "title: " + "x" * MAX_RECIPE_BYTES + "\n" + LAYERS,
        f"the file is {MAX_RECIPE_BYTES + 8 + len(LAYERS):,} bytes, over the 1 MB "
        "(1,048,576 bytes) limit for a recipe",
    ),
    "title_of_100_kb": (
        lambda: "title: " + "Kyiv " * 20_000 + "\n" + LAYERS,
        "title: 'Kyiv Kyiv Kyiv",
    ),
    "number_of_5000_digits": (
        lambda: "title: " + "1" * 5_000 + "\n" + LAYERS,
        "(5,000 characters) cannot be read as a whole number; put it in quotes",
    ),
    "too_many_values": (
        lambda: "title: Kyiv\nspecs: [" + "a, " * 150_000 + "a]\n" + LAYERS,
        "specs[99995]: the recipe holds more than 100,000 values; a recipe needs a few dozen, "
        "so check that this is the right file",
    ),
    "nul_in_a_layer": (
        lambda: b"title: Kyiv\nlayers:\n  - system: atacms\n    origins: [Sumy\x00]\n",
        "line 4, column 19: layers: a NUL byte (U+0000) is not allowed in a recipe",
    ),
}


def _check_line(err: str, path: str, fragment: str) -> str:
    """Check what a failed run printed: one clean line naming the recipe; return it."""
    assert "Traceback" not in err
    assert err.endswith("\n")
    line = err.removesuffix("\n")
    assert "\n" not in line, err
    assert line.startswith(f"rangemap: error: {path}: "), line
    assert fragment in line, line
    assert line.isprintable(), line  # no ESC, BEL, NUL, CR ...
    assert len(line.replace(path, "FILE")) <= MAX_LINE, line
    return line


def _generate(tmp_path: Path, name: str) -> tuple[Path, str]:
    make, fragment = GENERATED[name]
    content = make()
    path = tmp_path / f"{name}.yaml"
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")
    return path, fragment


def test_corpus_is_complete() -> None:
    files = sorted(path.name for path in BAD.glob("*.yaml"))
    assert files == CASES, "every file has a line in expected.txt, and every line a file"
    assert len(files) >= 30
    assert all((BAD / name).stat().st_size < 2_000 for name in files)


@pytest.mark.parametrize("case", CASES)
def test_bad_recipe_exits_2_with_one_line(
    case: str,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.chdir(ROOT)
    recipe = (BAD / case).relative_to(ROOT).as_posix()
    out = tmp_path / "out.html"
    status = main(["map", "--recipe", recipe, "-o", str(out)])
    captured = capsys.readouterr()
    assert status == 2
    assert captured.out == ""
    _check_line(captured.err, recipe, EXPECTED[case])
    assert not out.exists()


@pytest.mark.parametrize("case", CASES)
def test_bad_recipe_raises_recipe_error(case: str) -> None:
    with pytest.raises(RecipeError) as info:
        load_recipe(BAD / case)
    message = str(info.value)
    assert message.startswith(f"{BAD / case}: ")
    assert EXPECTED[case] in message
    assert "\n" not in message


@pytest.mark.parametrize("name", sorted(GENERATED))
def test_generated_bad_recipe_exits_2_with_one_line(
    name: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path, fragment = _generate(tmp_path, name)
    out = tmp_path / "out.png"
    status = main(["map", "--recipe", str(path), "-o", str(out)])
    captured = capsys.readouterr()
    assert status == 2
    _check_line(captured.err, str(path), fragment)
    assert not out.exists()


def _run(recipe: Path, out: Path) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(
        [sys.executable, "-m", "rangemap", "map", "--recipe", str(recipe), "-o", str(out)],
        capture_output=True,
        cwd=ROOT,
        timeout=120,
        check=False,
    )


@pytest.mark.parametrize(
    "case",
    ["alias_bomb.yaml", "escape_sequence.yaml", "not_utf8.yaml", "nul_byte.yaml"],
)
def test_bad_recipe_in_a_real_process(case: str, tmp_path: Path) -> None:
    out = tmp_path / "out.html"
    result = _run(BAD / case, out)
    assert result.returncode == 2
    assert result.stdout == b""
    assert b"\x1b" not in result.stderr
    assert b"\x07" not in result.stderr
    _check_line(result.stderr.decode("utf-8"), str(BAD / case), EXPECTED[case])
    assert not out.exists()


@pytest.mark.parametrize("name", ["nested_brackets", "over_1_mb", "nested_in_a_layer"])
def test_generated_bad_recipe_in_a_real_process(name: str, tmp_path: Path) -> None:
    path, fragment = _generate(tmp_path, name)
    out = tmp_path / "out.html"
    result = _run(path, out)
    assert result.returncode == 2
    _check_line(result.stderr.decode("utf-8"), str(path), fragment)
    assert not out.exists()


# YAML's punctuation, a few words and the odd control character: mostly near-recipes.
_TOKENS = [
    *"[]{}:,-&*!|>'\"#%@`?<= \n\t0123456789.eE+_~",
    *("title", "layers", "system", "origins", "as_of", "!!float", "!!int", "!!timestamp"),
    *("!!binary", "!!set", "<<", "&a", "*a", "\x00", "\x1b", "\udcff", "Київ", "Sumy"),
]
_YAMLISH = st.lists(st.sampled_from(_TOKENS), max_size=60).map("".join)


@settings(max_examples=300, deadline=None)
@given(st.one_of(_YAMLISH, st.text(max_size=80), st.binary(max_size=80)))
def test_any_content_is_a_recipe_error_or_a_recipe(
    tmp_path_factory: pytest.TempPathFactory, content: str | bytes
) -> None:
    path = tmp_path_factory.mktemp("fuzz") / "map.yaml"
    if isinstance(content, str):
        path.write_bytes(content.encode("utf-8", errors="surrogateescape"))
    else:
        path.write_bytes(content)
    try:
        read_recipe(path)
    except RecipeError as err:
        message = str(err)
        assert message.startswith(f"{path}: ")
        assert "\n" not in message
        assert len(message) - len(str(path)) <= MAX_LINE
