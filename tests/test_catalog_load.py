"""Reading spec files: the YAML loader, plain-language errors and the malformed corpus.

Each folder under ``tests/data/bad_specs/`` is one malformed spec folder; its
``expected.txt`` lists lines that ``rangemap specs validate FOLDER`` must print, with
``{dir}`` standing for the folder as given on the command line.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pydantic import ValidationError

from rangemap.catalog import Catalog, System
from rangemap.catalog.load import SpecLoader, describe_error, format_path, read_spec
from rangemap.catalog.models import DEFER_CHECKS
from rangemap.cli import main
from rangemap.errors import SpecError

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "tests" / "data"
BAD = DATA / "bad_specs"
CASES = sorted(path.name for path in BAD.iterdir() if path.is_dir())


def test_corpus_is_large_enough() -> None:
    assert len(CASES) >= 20


def _expected(case: str) -> list[str]:
    folder = (BAD / case).relative_to(ROOT).as_posix()
    lines = (BAD / case / "expected.txt").read_text(encoding="utf-8").splitlines()
    assert lines, f"{case}/expected.txt is empty"
    assert all(line.startswith("{dir}/") for line in lines), "each line names its file"
    return [line.replace("{dir}", folder) for line in lines]


@pytest.mark.parametrize("case", CASES)
def test_bad_spec_folder_fails_validation_with_its_messages(
    case: str, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(ROOT)
    status = main(["specs", "validate", (BAD / case).relative_to(ROOT).as_posix()])
    err = capsys.readouterr().err
    assert status == 2
    assert "Traceback" not in err
    for line in _expected(case):
        assert line in err


@pytest.mark.parametrize("case", CASES)
def test_bad_spec_folder_alone_raises_spec_error(
    case: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(ROOT)
    with pytest.raises(SpecError) as info:
        Catalog.load([(BAD / case).relative_to(ROOT)], builtin=False)
    problems = info.value.problems
    for line in _expected(case):
        assert any(line in problem for problem in problems), line
    # One line per problem, each naming a file in the folder.
    assert all(problem.startswith(f"tests/data/bad_specs/{case}/") for problem in problems)


def test_every_problem_of_every_file_is_reported(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)
    with pytest.raises(SpecError) as info:
        Catalog.load([BAD / "every_problem_in_every_file"], builtin=False)
    files = {problem.split(":", 1)[0] for problem in info.value.problems}
    assert len(files) == 2
    assert len(info.value.problems) == 5


def _load(text: str) -> object:
    return yaml.load(text, Loader=SpecLoader)


def test_loader_keeps_country_codes_and_dates_as_text() -> None:
    data = _load("operators: [NO, 'UA', yes, off]\nflag: true\nas_of: 2024-11-25\n")
    assert data == {"operators": ["NO", "UA", "yes", "off"], "flag": True, "as_of": "2024-11-25"}


def test_loader_rejects_duplicate_keys_with_line() -> None:
    with pytest.raises(yaml.MarkedYAMLError) as info:
        _load("id: atacms\nsources:\n  a: 1\n  a: 2\n")
    assert "the key 'a' appears twice" in str(info.value)
    assert info.value.problem_mark is not None
    assert info.value.problem_mark.line == 3


def test_loader_refuses_python_tags() -> None:
    with pytest.raises(yaml.YAMLError):
        _load("!!python/object/apply:os.system ['true']")


@pytest.mark.parametrize(
    ("loc", "text"),
    [
        (("variants", 1, "max_range", "shown_km"), "variants[1].max_range.shown_km"),
        (("sources", "Reuters 2024", "[key]"), "sources.Reuters 2024 (key)"),
        ((), ""),
        (("aliases", 0), "aliases[0]"),
    ],
)
def test_format_path(loc: tuple[int | str, ...], text: str) -> None:
    assert format_path(loc) == text


def test_read_spec_of_good_file(data_dir: Path) -> None:
    result = read_spec(data_dir / "good_specs" / "test-missile.yaml")
    assert result.problems == []
    assert result.system is not None
    assert result.system.path == data_dir / "good_specs" / "test-missile.yaml"
    assert result.system.operators == ("UA", "NO")


def test_read_spec_reports_non_utf8(tmp_path: Path) -> None:
    path = tmp_path / "kh-101.yaml"
    path.write_bytes("id: kh-101\nname: \u0425-101\n".encode("cp1251"))
    result = read_spec(path)
    assert result.system is None
    assert "is not UTF-8 text; save the file as UTF-8" in result.problems[0]


def test_invalid_source_key_is_named(tmp_path: Path) -> None:
    text = (DATA / "good_specs" / "test-missile.yaml").read_text(encoding="utf-8")
    path = tmp_path / "test-missile.yaml"
    path.write_text(text.replace("  reuters-2024-04:", "  Reuters 2024:"), encoding="utf-8")
    problems = read_spec(path).problems
    assert any(
        "sources.Reuters 2024 (key): 'Reuters 2024' is not a valid source key" in p
        for p in problems
    )


def test_missing_folder_is_an_input_error(tmp_path: Path) -> None:
    from rangemap.errors import InputError

    with pytest.raises(InputError, match="does not exist"):
        Catalog.load([tmp_path / "no-such-folder"], builtin=False)
    with pytest.raises(SpecError, match=r"no \*\.yaml spec files"):
        Catalog.load([tmp_path], builtin=False)


def test_format_documentation_example_validates() -> None:
    import re

    text = (ROOT / "docs" / "spec-format.md").read_text(encoding="utf-8")
    munition = re.findall(r"```yaml\n(.*?)```", text, flags=re.DOTALL)[0]
    data = _load(munition)
    assert isinstance(data, dict)
    data["launchers"] = []  # the example's launchers are in the built-in catalog
    system = System.model_validate(data)
    assert system.variant(None).id == "block-i"


@settings(max_examples=200, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=st.text())
def test_read_spec_never_raises_on_any_text(tmp_path: Path, text: str) -> None:
    path = tmp_path / "atacms.yaml"
    path.write_text(text, encoding="utf-8")
    result = read_spec(path)
    assert (result.system is None) == bool(result.problems)
    assert all(
        problem.startswith(str(path)) or "atacms.yaml" in problem for problem in result.problems
    )


_SCALARS = st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=12)
_VALUES = st.recursive(
    _SCALARS,
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3)
    ),
    max_leaves=12,
)
_FIELDS = st.sampled_from(
    ["id", "name", "kind", "as_of", "variants", "sources", "aliases", "fires", "launchers", "x"]
)


@settings(max_examples=300)
@given(data=st.dictionaries(_FIELDS, _VALUES, max_size=8))
def test_every_validation_error_becomes_plain_lines(data: dict[str, object]) -> None:
    try:
        System.model_validate(data, context={DEFER_CHECKS: True})
    except ValidationError as err:
        for error in err.errors():
            lines = describe_error(error)
            assert lines
            assert all(isinstance(line, str) and line for line in lines)


def test_deeply_nested_yaml_is_a_problem_not_a_crash(tmp_path: Path) -> None:
    path = tmp_path / "atacms.yaml"
    path.write_text("id: " + "[" * 5000 + "]" * 5000 + "\n", encoding="utf-8")
    result = read_spec(path)
    assert result.system is None
    assert result.problems
