"""``rangemap specs``, run as a user runs it: the ``rangemap`` script and ``python -m rangemap``."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from rangemap.catalog import Catalog, load_catalog
from rangemap.cli import main

ROOT = Path(__file__).resolve().parents[1]
GOOD = ROOT / "tests" / "data" / "good_specs"
BAD = ROOT / "tests" / "data" / "bad_specs"
SCRIPT = Path(sys.executable).with_name("rangemap")

COMMANDS = {
    "script": [str(SCRIPT)],
    "module": [sys.executable, "-m", "rangemap"],
}


def run(how: str, *args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [*COMMANDS[how], *args],
        capture_output=True,
        text=True,
        encoding="utf-8",
        cwd=cwd,
        timeout=120,
        check=False,
    )


@pytest.fixture(params=sorted(COMMANDS))
def how(request: pytest.FixtureRequest) -> str:
    if request.param == "script" and not SCRIPT.exists():
        pytest.skip(f"no rangemap script next to {sys.executable}")
    return str(request.param)


def test_list(how: str) -> None:
    result = run(how, "specs", "list")
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0].split() == ["id", "name", "kind", "range", "sources"]
    catalog = load_catalog()
    assert len(lines) == len(catalog) + 1
    # Aligned: every column starts at the same offset on every line.
    starts = [lines[0].index(word) for word in ("name", "kind", "range")]
    for line, system in zip(lines[1:], catalog.values(), strict=True):
        assert line.startswith(system.id + " ")
        assert line[starts[0] :].startswith(system.name)
        assert line[starts[1] :].startswith(system.kind.value)
        assert line.endswith(str(len(system.sources)))


def test_list_with_user_folder(how: str) -> None:
    result = run(how, "specs", "list", "--specs", str(GOOD))
    assert result.returncode == 0, result.stderr
    rows = {line.split()[0]: line for line in result.stdout.splitlines()[1:]}
    assert "300 km (165-300 km)" in rows["test-missile"]
    assert "launcher" in rows["test-launcher"]


def test_show_every_claim_and_source(how: str) -> None:
    result = run(how, "specs", "show", "TM 1", "--specs", str(GOOD))
    assert result.returncode == 0, result.stderr
    out = result.stdout
    flat = " ".join(out.split())  # long paragraphs are wrapped
    system = Catalog.load([GOOD], builtin=False)["test-missile"]
    assert out.startswith("Test Missile (test-missile)")
    for variant in system.variants:
        assert f"Variant {variant.id}: {variant.name}" in out
    for claim in system.claims:
        assert claim.phrase in out
        assert f"qualifier: {claim.qualifier.value}; claimant: {claim.claimant.value}" in out
        if claim.note:
            assert " ".join(claim.note.split()) in flat
    for key, source in system.sources.items():
        assert f"[{key}] {source.citation()}" in out
        assert source.url in out
    assert "why shown: The figure the EU's Josep Borrell gave on 18 November 2024." in flat
    assert "Variant long-range: Longer-range version  [default]" in out


def test_show_launcher_loads(how: str) -> None:
    result = run(how, "specs", "show", "TL-2", "--specs", str(GOOD))
    assert result.returncode == 0, result.stderr
    assert "test-missile (block-i, long-range): 1 per load, source [adbr-himars]" in result.stdout


def test_show_unknown_system(how: str) -> None:
    result = run(how, "specs", "show", "test misile", "--specs", str(GOOD))
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    assert "No system matches 'test misile'. Closest: test-missile (Test Missile)" in result.stderr


def test_validate_builtin(how: str) -> None:
    result = run(how, "specs", "validate")
    assert result.returncode == 0, result.stderr
    catalog = Catalog.load()
    assert result.stdout == f"{len(catalog)} systems, {catalog.claim_count} claims, all valid\n"


def test_validate_user_folder_with_builtin(how: str) -> None:
    result = run(how, "specs", "validate", str(GOOD))
    assert result.returncode == 0, result.stderr
    catalog = Catalog.load([GOOD])
    assert result.stdout.startswith(f"{len(catalog)} systems, {catalog.claim_count} claims")


def test_validate_bad_folder_lists_every_problem(how: str) -> None:
    folder = "tests/data/bad_specs/every_problem_in_every_file"
    result = run(how, "specs", "validate", folder)
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    assert result.stderr.startswith("rangemap: error: 5 problems in the spec files:\n")
    for line in (BAD / "every_problem_in_every_file" / "expected.txt").read_text().splitlines():
        assert line.replace("{dir}", folder) in result.stderr


def test_validate_missing_folder(how: str, tmp_path: Path) -> None:
    result = run(how, "specs", "validate", str(tmp_path / "nowhere"))
    assert result.returncode == 2
    assert "does not exist" in result.stderr
    assert "Traceback" not in result.stderr


def test_schema_to_file(how: str, tmp_path: Path) -> None:
    target = tmp_path / "spec.schema.json"
    result = run(how, "specs", "schema", "-o", str(target))
    assert result.returncode == 0, result.stderr
    schema = json.loads(target.read_text(encoding="utf-8"))
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert schema["additionalProperties"] is False
    assert {"id", "name", "kind", "as_of", "variants", "sources"} <= set(schema["required"])
    assert schema["$defs"]["Qualifier"]["enum"] == [
        "about", "up-to", "more-than", "less-than", "stated",
    ]  # fmt: skip
    assert list(tmp_path.iterdir()) == [target]  # no temporary file left behind


def test_schema_to_stdout_is_deterministic(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["specs", "schema"]) == 0
    first = capsys.readouterr().out
    assert main(["specs", "schema"]) == 0
    assert capsys.readouterr().out == first
    schema = json.loads(first)
    assert schema["properties"]["sources"]["minProperties"] == 1
    assert "Examples" not in first  # docstrings are cut to their first paragraph


def test_schema_accepts_the_good_fixture() -> None:
    """The parts of the schema a YAML editor checks agree with the fixture."""
    import yaml

    from rangemap.catalog.load import SpecLoader
    from rangemap.cli.specs import schema

    document = schema()
    data = yaml.load((GOOD / "test-missile.yaml").read_text(), Loader=SpecLoader)
    assert set(data) <= set(document["properties"])
    assert set(document["required"]) <= set(data)
