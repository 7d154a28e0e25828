"""``rangemap specs``, run as a user runs it: the ``rangemap`` script and ``python -m rangemap``."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from rangemap.catalog import Catalog, System, load_catalog
from rangemap.cli import main
from rangemap.cli.specs import show_text, table_text

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
        assert (
            f"kind: {claim.kind.value}; qualifier: {claim.qualifier.value}; "
            f"claimant: {claim.claimant.value}"
        ) in out
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


# --- spec files from someone we do not trust ---------------------------------------------------

#: Characters a terminal acts on (ESC, BEL, CSI, OSC 52 ...) or that reorder text; no newline.
CONTROLS = re.compile("[\x00-\x09\x0b-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069\ufeff]")
OSC52 = "\x1b]52;c;cm0gLXJmIH4=\x07"


#: What follows every text of :func:`_hostile`, and what remains of it once made safe.
TAIL = f"{OSC52}\x1b[2J\x9b31m\u202e\x07"
REMAINS = "]52;c;cm0gLXJmIH4=[2J31m"


def _hostile(system: System, tail: str = TAIL) -> System:
    """A copy of a system with ``tail`` after every text, built without validation."""

    def evil(text: str) -> str:
        return f"{text}{tail}"

    variants = []
    for variant in system.variants:
        ranges: dict[str, object] = {}
        for field in ("max_range", "min_range"):
            spec = getattr(variant, field)
            if spec is not None:
                claims = tuple(
                    claim.model_copy(
                        update={"note": evil(claim.note or "n"), "as_reported": evil("190 mi")}
                    )
                    for claim in spec.claims
                )
                ranges[field] = spec.model_copy(
                    update={"claims": claims, "why_shown": evil(spec.why_shown or "w")}
                )
        variants.append(
            variant.model_copy(
                update={
                    "name": evil(variant.name),
                    "designations": (evil("M39"),),
                    "notes": (evil("variant note"),),
                    **ranges,
                }
            )
        )
    sources = {
        key: source.model_copy(
            update={
                "publisher": evil(source.publisher),
                "via": evil("via"),
                "title": evil(source.title),
                "url": source.url + tail[:20],
            }
        )
        for key, source in system.sources.items()
    }
    fires = tuple(load.model_copy(update={"note": evil("load note")}) for load in system.fires)
    return system.model_copy(
        update={
            "name": evil(system.name),
            "full_name": evil("full name"),
            "aliases": (evil("alias"),),
            "platforms": (evil("Su-24M"),),
            "summary": evil("summary"),
            "notes": (evil("note"),),
            "variants": tuple(variants),
            "sources": sources,
            "fires": fires,
        }
    )


@pytest.mark.parametrize("system_id", ["test-missile", "test-launcher"])
def test_show_and_list_never_print_escape_sequences(system_id: str) -> None:
    good = Catalog.load([GOOD], builtin=False)[system_id]
    evil = _hostile(good)
    assert OSC52 in evil.name
    assert OSC52[:20] in next(iter(evil.sources.values())).url
    shown = show_text(evil)
    table = table_text(Catalog([evil]))
    for text in (shown, table):
        assert not CONTROLS.search(text)
        assert REMAINS in text  # the visible text stays, inert
    assert len(table.splitlines()) == 2

    # Apart from what remains of the sequences, the text is what a clean system gives.
    def flat(text: str) -> str:
        text = text.replace(REMAINS, "").replace(REMAINS[:18], "")
        return " ".join(text.split())

    assert flat(shown) == flat(show_text(_hostile(good, tail="")))


def test_validate_hostile_folder_prints_plain_lines(tmp_path: Path) -> None:
    cases = ["text_escape_sequence", "yaml_raw_escape", "url_control_character", "id_hostile",
             "top_level_hostile_value", "unknown_field_hostile", "not_utf8", "yaml_nul_byte",
             "text_bidi_override", "yaml_alias_bomb", "yaml_deeply_nested"]  # fmt: skip
    for i, case in enumerate(cases):
        shutil.copy(BAD / case / "test-missile.yaml", tmp_path / f"case-{i}.yaml")
    (tmp_path / "huge.yaml").write_bytes(b"id: huge\nnotes: [" + b"x, " * 400_000 + b"]\n")
    (tmp_path / f"evil{OSC52}.yaml").write_text("id: x\n", encoding="utf-8")
    result = run("module", "specs", "validate", str(tmp_path))
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    assert result.stdout == ""
    assert not CONTROLS.search(result.stderr)
    lines = result.stderr.splitlines()
    assert lines[0].endswith("problems in the spec files:")
    for number in range(len(cases)):
        assert any(f"case-{number}.yaml: " in line for line in lines), cases[number]
    assert any("huge.yaml: the file is larger than 1 MB" in line for line in lines)
    assert any("evil]52;c;cm0gLXJmIH4=.yaml: " in line for line in lines)
    assert all(len(line) < 1_000 for line in lines)


@pytest.mark.parametrize("command", [["list"], ["show", "atacms"]])
def test_user_folder_with_malformed_file_is_an_error_not_a_crash(
    how: str, tmp_path: Path, command: list[str]
) -> None:
    (tmp_path / "atacms.yaml").write_text(
        "id: atacms\nname: !!float abc\naliases: &a [*a]\nas_of: !!timestamp x\n",
        encoding="utf-8",
    )
    result = run(how, "specs", *command, "--specs", str(tmp_path))
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    assert result.stderr.startswith("rangemap: error: ")
    assert "atacms.yaml: name: line 2, column 7: 'abc' is not a number" in result.stderr
    assert "atacms.yaml: aliases[0]: aliases (*name) are not allowed" in result.stderr


def test_show_unknown_hostile_name_is_quoted(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["specs", "show", f"atacms{OSC52}\x1b[2J" + "x" * 500]) == 2
    err = capsys.readouterr().err
    assert not CONTROLS.search(err)
    assert "No system matches 'atacms]52;c;cm0gLXJmIH4=[2J" in err
    assert "(527 characters)" in err


def _as_json(path: Path) -> Any:
    """A spec file's data as JSON has it: YAML's dates as text."""
    import yaml

    return json.loads(json.dumps(yaml.safe_load(path.read_text(encoding="utf-8")), default=str))


def test_every_builtin_spec_passes_the_schema_editors_use() -> None:
    """What `rangemap specs schema` gives editors accepts the catalog and flags a bad language."""
    import jsonschema

    from rangemap.cli.specs import schema

    checker = jsonschema.Draft202012Validator(schema())
    files = sorted((Path(__file__).resolve().parents[1] / "specs").glob("*.yaml"))
    assert files
    for path in files:
        assert [e.message for e in checker.iter_errors(_as_json(path))] == [], path.name
    flamingo = _as_json(files[0].parent / "flamingo-fp-5.yaml")
    flamingo["names"]["ua"] = flamingo["names"].pop("uk")
    assert any("'ua'" in e.message for e in checker.iter_errors(flamingo))
    flamingo["caveats"][0]["translations"]["fr"] = "Portée."
    assert len(list(checker.iter_errors(flamingo))) == 2
