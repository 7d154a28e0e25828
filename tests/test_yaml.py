"""The one reader of untrusted YAML (rangemap._yaml), for spec files and recipes alike.

Whatever a file holds, reading it gives plain data or a YamlError listing its problems,
never another exception, a hang, a RecursionError or an expanded alias; and it reads at
most MAX_BYTES + 1 bytes. Real files in a temporary folder, no mocks.
"""

from __future__ import annotations

import math
import os
import re
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from rangemap._yaml import (
    MAX_BYTES,
    MAX_DEPTH,
    MAX_DIGITS,
    MAX_VALUES,
    Kind,
    Loader,
    Problem,
    YamlError,
    load_yaml,
    read_yaml,
)

KINDS: tuple[Kind, ...] = ("spec file", "recipe")
#: Characters a terminal acts on, or that break a line.
CONTROLS = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")


def _write(tmp_path: Path, content: str | bytes) -> Path:
    path = tmp_path / "file.yaml"
    path.write_bytes(content.encode("utf-8") if isinstance(content, str) else content)
    return path


def _problems(path: Path, kind: Kind) -> tuple[Problem, ...]:
    with pytest.raises(YamlError) as info:
        read_yaml(path, kind)
    problems = info.value.problems
    assert problems
    for problem in problems:
        assert problem.message
        assert not CONTROLS.search(problem.message), problem
    return problems


def _only(path: Path, kind: Kind) -> Problem:
    problems = _problems(path, kind)
    assert len(problems) == 1, problems
    return problems[0]


def _is_plain(value: object) -> bool:
    """Whether a value is plain data: text keys, lists, text, numbers, true/false, None."""
    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, dict):
            if not all(isinstance(key, str) for key in item):
                return False
            stack += item.values()
        elif isinstance(item, list):
            stack += item
        elif item is not None and not isinstance(item, str | int | float):  # bool is an int
            return False
    return True


def _bytes_read() -> int | None:
    """How many bytes this process has read so far (Linux), or None."""
    try:
        text = Path("/proc/self/io").read_text(encoding="ascii")
    except OSError:
        return None
    return int(re.search(r"^rchar: (\d+)$", text, re.MULTILINE).group(1))  # type: ignore[union-attr]


# --- plain data, as YAML 1.2 reads it ---------------------------------------------------------


@pytest.mark.parametrize("kind", KINDS)
def test_plain_data_as_yaml_1_2_reads_it(tmp_path: Path, kind: Kind) -> None:
    text = (
        "operators: [NO, 'UA', yes, off, y]\n"
        "flags: [true, False, TRUE]\n"
        "as_of: 2024-11-25\n"
        "when: 2024-11-25 10:00:00\n"
        "time: 1:30\n"
        "numbers: [010, 0o17, 0x1F, -4, +5, 1e3, .5, 5., -.inf, .NaN, 1_000, 0b11]\n"
        "empty: [~, null, '', ]\n"
        "text: [=, '<<', ! 12, !!str 3, !<tag:yaml.org,2002:str> x]\n"
        "anchored: &a [1]\n"
        "nested: {a: [{b: c}]}\n"
    )
    data = read_yaml(_write(tmp_path, text), kind)
    numbers = data.pop("numbers")
    assert data == {
        "operators": ["NO", "UA", "yes", "off", "y"],
        "flags": [True, False, True],
        "as_of": "2024-11-25",
        "when": "2024-11-25 10:00:00",
        "time": "1:30",
        "empty": [None, None, ""],
        "text": ["=", "<<", "12", "3", "x"],
        "anchored": [1],
        "nested": {"a": [{"b": "c"}]},
    }
    assert numbers[:9] == [10, 15, 31, -4, 5, 1000.0, 0.5, 5.0, -math.inf]
    assert math.isnan(numbers[9])
    assert numbers[10:] == ["1_000", "0b11"]
    assert [type(n) for n in numbers[:5]] == [int] * 5


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("!!int 0x1F", 31),
        ("!!float 3", 3.0),
        ("!!float .inf", math.inf),
        ("!!bool True", True),
        ("!!null ''", None),
        ("!!str 12", "12"),
        ("!!timestamp 2024-02-30", "2024-02-30"),
        ("!!seq [a]", ["a"]),
        ("!!map {a: b}", {"a": "b"}),
    ],
)
def test_plain_tags_give_plain_values(text: str, value: object) -> None:
    assert load_yaml(f"a: {text}\n", "recipe") == {"a": value}


def test_empty_text_is_none() -> None:
    assert load_yaml("", "spec file") is None
    assert load_yaml("# only a comment\n", "recipe") is None
    assert load_yaml("---\n", "recipe") is None


def test_a_file_of_exactly_the_limit_is_read(tmp_path: Path) -> None:
    body = "title: Kyiv\n"
    path = _write(tmp_path, body + "#" * (MAX_BYTES - len(body) - 1) + "\n")
    assert path.stat().st_size == MAX_BYTES
    assert read_yaml(path, "recipe") == {"title": "Kyiv"}


# --- the file ---------------------------------------------------------------------------------


@pytest.mark.parametrize("kind", KINDS)
def test_a_file_over_the_limit_is_refused_before_parsing(tmp_path: Path, kind: Kind) -> None:
    path = _write(tmp_path, b"[" * (MAX_BYTES + 1))  # not YAML: the size is checked first
    problem = _only(path, kind)
    assert problem.path is None
    assert "1 MB (1,048,576 bytes)" in problem.message


@pytest.mark.skipif(os.name == "nt", reason="NTFS files are not sparse unless asked")
@pytest.mark.parametrize("kind", KINDS)
def test_a_huge_file_is_refused_unread(tmp_path: Path, kind: Kind) -> None:
    path = tmp_path / "huge.yaml"
    with path.open("wb") as handle:
        handle.truncate(8 * 1024**3)
    before = _bytes_read()
    start = time.perf_counter()
    assert "8,589,934,592 bytes" in _only(path, kind).message or kind == "spec file"
    assert time.perf_counter() - start < 5
    after = _bytes_read()
    if before is not None and after is not None:
        assert after - before < 4096  # reading /proc/self/io itself


@pytest.mark.skipif(not Path("/dev/zero").exists(), reason="needs /dev/zero")
def test_an_endless_device_is_read_only_to_the_limit_and_one_byte() -> None:
    before = _bytes_read()
    problem = _only(Path("/dev/zero"), "recipe")  # a recipe may be a character device
    after = _bytes_read()
    assert problem.message.startswith("the file is still growing, over the 1 MB")
    if before is not None and after is not None:
        assert MAX_BYTES + 1 <= after - before < MAX_BYTES + 1 + 4096


@pytest.mark.skipif(not Path("/dev/zero").exists(), reason="needs /dev/zero")
def test_a_spec_file_that_is_a_device_is_not_read() -> None:
    before = _bytes_read()
    problem = _only(Path("/dev/zero"), "spec file")
    after = _bytes_read()
    assert problem.message.startswith("not a regular file")
    if before is not None and after is not None:
        assert after - before < 4096


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="named pipes need POSIX")
def test_a_named_pipe_is_refused_without_waiting(tmp_path: Path) -> None:
    pipe = tmp_path / "pipe.yaml"
    os.mkfifo(pipe)
    script = (
        "import sys; from pathlib import Path; from rangemap._yaml import read_yaml, YamlError\n"
        "for kind in ('spec file', 'recipe'):\n"
        "    try:\n"
        "        read_yaml(Path(sys.argv[1]), kind)\n"
        "    except YamlError as err:\n"
        "        print(err)\n"
    )
    result = subprocess.run(  # a separate process, so that waiting fails the test, not hangs it
        [sys.executable, "-c", script, str(pipe)],
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    assert result.stdout.splitlines() == [
        "not a regular file; a spec is a UTF-8 text file ending in .yaml",
        "is not a regular file; give a recipe file, such as maps/kyiv.yaml",
    ]


def test_missing_and_folder(tmp_path: Path) -> None:
    assert _only(tmp_path / "none.yaml", "recipe").message.startswith("no such recipe file")
    assert _only(tmp_path / "none.yaml", "spec file").message.startswith("no such file")
    assert _only(tmp_path, "recipe").message.startswith("is a folder")
    assert _only(tmp_path, "spec file").message.startswith("not a regular file")


def test_unreadable_file(tmp_path: Path) -> None:
    path = _write(tmp_path, "a: 1\n")
    path.chmod(0)
    try:
        if os.access(path, os.R_OK):
            pytest.skip("running as a user who can read any file")
        assert "(Permission denied)" in _only(path, "spec file").message
    finally:
        path.chmod(0o644)


# --- the text ---------------------------------------------------------------------------------


def test_non_utf8_names_the_byte_and_the_field(tmp_path: Path) -> None:
    path = _write(tmp_path, "id: kh-101\nname: \u0425-101\n".encode("cp1251"))
    spec = _only(path, "spec file")
    assert (spec.path, spec.line, spec.column) == (("name",), 2, 7)
    assert spec.message == "byte 0xD5 is not UTF-8 text; save the file as UTF-8"
    recipe = _only(path, "recipe")
    assert (recipe.path, recipe.line, recipe.column) == (("name",), 2, None)
    assert recipe.message == "byte 17 (0xd5) is not UTF-8 text; save the recipe as UTF-8"


def test_utf16_is_named(tmp_path: Path) -> None:
    path = _write(tmp_path, "title: Kyiv\n".encode("utf-16"))
    assert _only(path, "recipe").message == "the file is UTF-16 text; save the recipe as UTF-8"


@pytest.mark.parametrize("kind", KINDS)
def test_nul_is_refused_with_its_place(tmp_path: Path, kind: Kind) -> None:
    path = _write(tmp_path, b"title: Kyiv\nlayers:\n  - origins: [Sumy\x00]\n")
    problem = _only(path, kind)
    assert (problem.line, problem.column) == (3, 19)
    if kind == "recipe":
        assert problem.path == ("layers",)  # the top-level field is enough
        assert problem.message.startswith("a NUL byte (U+0000) is not allowed in a recipe")
    else:
        assert problem.path == ("layers", 0, "origins", 0)
        assert problem.message == "U+0000 (NUL) is not allowed in a spec file; remove it"


@pytest.mark.parametrize("char", ["\x1b", "\x07", "\x7f", "\x9b", "\ufffe"])
def test_control_characters_are_refused_anywhere(char: str) -> None:
    for text in (f"a: x{char}\n", f"# {char}\na: 1\n", f"'k{char}': 1\n"):
        with pytest.raises(YamlError) as info:
            load_yaml(text, "spec file")
        assert f"U+{ord(char):04X}" in str(info.value)


# --- the YAML ---------------------------------------------------------------------------------


@pytest.mark.parametrize("kind", KINDS)
def test_alias_bomb_is_refused_without_expanding_it(tmp_path: Path, kind: Kind) -> None:
    lines = ['a0: &a0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    lines += [f"a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 10)}]" for i in range(1, 40)]
    path = _write(tmp_path, "\n".join([*lines, "b: *a39", ""]))  # 10**40 strings
    start = time.perf_counter()
    problem = _only(path, kind)
    assert time.perf_counter() - start < 5
    assert problem.path == ("a1", 0)
    if kind == "recipe":
        assert (problem.line, problem.column) == (2, 10)
        assert problem.message.startswith("an alias ('*a0') is not allowed in a recipe")
    else:
        assert "(this file has 391)" in problem.message


@pytest.mark.parametrize("text", ["a: &a [*a]\n", "&a [*a]\n", "? *x\n: 1\n", "a: *undefined\n"])
def test_any_alias_is_refused(text: str) -> None:
    with pytest.raises(YamlError, match="alias"):
        load_yaml(text, "recipe")


@pytest.mark.parametrize("opening", ["[", "{a: ", "- "])
@pytest.mark.parametrize("kind", KINDS)
def test_100000_levels_of_nesting_are_one_problem(opening: str, kind: Kind) -> None:
    top = "" if opening == "- " else "a: "  # block sequences nest on one line at the top only
    text = top + opening * 100_000 + "x"
    start = time.perf_counter()
    with pytest.raises(YamlError) as info:
        load_yaml(text, kind)  # no RecursionError: nothing recurses
    assert time.perf_counter() - start < 10
    (problem,) = info.value.problems
    assert "nested more than 32 levels deep" in problem.message
    assert problem.path is not None
    assert problem.path[:2] in (("a",), ("a", 0), ("a", "a"), (0, 0))
    assert problem.line == 1


def test_nesting_is_allowed_to_the_limit_and_no_further() -> None:
    ok = "[" * (MAX_DEPTH - 1) + "]" * (MAX_DEPTH - 1)  # inside the top-level mapping
    assert load_yaml(f"a: {ok}\n", "spec file") is not None
    with pytest.raises(YamlError) as info:
        load_yaml(f"a: [{ok}]\n", "spec file")
    (problem,) = info.value.problems
    assert problem.path == ("a", *[0] * (MAX_DEPTH - 1))
    assert (problem.line, problem.column) == (1, 4 + MAX_DEPTH - 1)
    with pytest.raises(YamlError) as info:
        load_yaml(f"a: [{ok}]\n", "recipe")
    (problem,) = info.value.problems
    assert (problem.path, problem.cut) == (("a", 0, 0, 0), True)


def test_too_many_values() -> None:
    with pytest.raises(YamlError) as info:
        load_yaml("a: [" + "1, " * MAX_VALUES + "1]\n", "spec file")
    (problem,) = info.value.problems
    assert problem.path == ("a", MAX_VALUES - 3)  # after the mapping, its key and the list
    assert problem.message.startswith("the spec file holds more than 100,000 values")


def test_duplicate_keys_at_depth() -> None:
    text = "a:\n  b:\n    - c: 1\n      d: {e: 1, e: 2}\n      c: 2\n  b2: {c: 1}\nb: {c: 1}\n"
    with pytest.raises(YamlError) as info:
        load_yaml(text, "recipe")
    first, second = info.value.problems
    assert (first.path, first.key, first.line, first.column) == (
        ("a", "b", 0, "d", "e"),
        True,
        4,
        17,
    )
    assert first.message == (
        "the key 'e' appears twice in the same mapping (first on line 4); keep one of them"
    )
    assert (second.path, second.line) == (("a", "b", 0, "c"), 5)
    with pytest.raises(YamlError) as info:
        load_yaml(text, "spec file")
    assert [(p.path, p.line) for p in info.value.problems] == [((), 4), ((), 5)]
    assert info.value.problems[0].message.startswith("could not read the YAML: the key 'e'")


@pytest.mark.parametrize(
    ("value", "tag"),
    [
        ("!!binary aGVsbG8=", "!!binary"),
        ("!!set {a: null}", "!!set"),
        ("!!omap [{a: 1}]", "!!omap"),
        ("!!pairs [{a: 1}]", "!!pairs"),
        ("!!value =", "!!value"),
        ("!!python/object/apply:os.system ['true']", "!!python/object/apply:os.system"),
        ("!!python/name:os.system ''", "!!python/name:os.system"),
        ("!evil x", "!evil"),
        ("!<tag:example.com,2000:x> x", "tag:example.com,2000:x"),
    ],
)
@pytest.mark.parametrize("kind", KINDS)
def test_tags_that_build_objects_are_refused(value: str, tag: str, kind: Kind) -> None:
    with pytest.raises(YamlError) as info:
        load_yaml(f"id: x\nname: {value}\n", kind)
    (problem,) = info.value.problems
    assert (problem.path, problem.line, problem.column) == (("name",), 2, 7)
    assert f"tag '{tag}' is not allowed in a {kind}" in problem.message


def test_a_tag_directive_cannot_rename_tags() -> None:
    text = "%TAG !! tag:example.com,2000:\n---\na: !!str x\n"
    with pytest.raises(YamlError, match=r"'tag:example\.com,2000:str' is not allowed"):
        load_yaml(text, "recipe")
    text = "%TAG !e! tag:yaml.org,2002:\n---\na: !e!python/name:os.system x\n"
    with pytest.raises(YamlError, match=r"'!!python/name:os\.system' is not allowed"):
        load_yaml(text, "recipe")


@pytest.mark.parametrize(
    ("value", "words"),
    [
        ("!!int 12x", "'12x' is not a whole number"),
        ("!!int 1:30", "'1:30' is not a whole number"),
        ("!!int 1_000", "'1_000' is not a whole number"),
        ("!!float abc", "'abc' is not a number"),
        ("!!float ''", "'' is not a number"),
        ("!!bool yes", "'yes' is not true or false"),
        ("!!null x", "'x' is not an empty value"),
        ("!!str [a]", "the tag '!!str' does not fit this value"),
        ("!!map x", "the tag '!!map' does not fit this value"),
        ("9" * (MAX_DIGITS + 1), "is too large for a spec file"),
        ("!!int 0x" + "f" * 5_000, "is too large for a spec file"),
        ("<<", "the tag '!!merge' is not allowed"),
    ],
)
def test_values_that_cannot_be_read(value: str, words: str) -> None:
    with pytest.raises(YamlError) as info:
        load_yaml(f"a: {value}\n", "spec file")
    (problem,) = info.value.problems
    assert words in problem.message
    assert len(problem.message) < 300


def test_the_longest_whole_number() -> None:
    assert load_yaml("a: " + "9" * MAX_DIGITS, "recipe") == {"a": int("9" * MAX_DIGITS)}


@pytest.mark.parametrize(
    ("text", "path", "words"),
    [
        ("1: x\n", ("1",), "the key '1' is read as a number"),
        ("s: {true: x}\n", ("s", "true"), "the key 'true' is read as true or false"),
        ("~: x\n", ("~",), "the key '~' is read as empty"),
        ("!!binary aGk=: x\n", ("aGk=",), "the key 'aGk=' is read as a !!binary value"),
        ("<<: {a: 1}\n", ("<<",), "merge keys (<<) are not allowed"),
    ],
)
def test_keys_that_are_not_text(text: str, path: tuple[str, ...], words: str) -> None:
    with pytest.raises(YamlError) as info:
        load_yaml(text, "spec file")
    (problem,) = info.value.problems
    assert (problem.path, problem.key) == (path, True)
    assert words in problem.message


def test_a_list_as_a_key() -> None:
    with pytest.raises(YamlError) as info:
        load_yaml("s:\n  ? [a, b]\n  : x\n", "recipe")
    (problem,) = info.value.problems
    assert (problem.path, problem.key, problem.line, problem.column) == (("s",), False, 2, 5)
    assert problem.message.startswith("a key is a list, not a field name")


@pytest.mark.parametrize(
    ("text", "words", "line"),
    [
        ("a: [1\n", "did not find expected", 2),
        ("a: 1\n---\nb: 2\n", "but found another document", 2),
        ("%YAML 2.0\n---\na: 1\n", "found incompatible YAML document", 1),
        ("a: 'x\n", "found unexpected end of stream", 2),
    ],
)
def test_syntax_errors_are_one_problem(text: str, words: str, line: int) -> None:
    for kind in KINDS:
        with pytest.raises(YamlError) as info:
            load_yaml("b: !!binary x\n" + text, kind)  # only the syntax error is reported
        (problem,) = info.value.problems
        assert words in problem.message
        assert problem.line == line + 1


def test_every_problem_is_reported_in_order() -> None:
    text = "a: !!binary x\nb: *y\nc: !!set {}\nd: *z\n1: e\n"
    with pytest.raises(YamlError) as info:
        load_yaml(text, "spec file")
    assert [problem.path for problem in info.value.problems] == [("a",), ("b",), ("c",), ("1",)]
    assert "(this file has 2)" in info.value.problems[1].message


# --- the PyYAML loader ------------------------------------------------------------------------


def test_loader_reads_as_load_yaml() -> None:
    text = "operators: [NO, yes]\nas_of: 2024-11-25\ntime: 1:30\n"
    assert yaml.load(text, Loader=Loader) == load_yaml(text, "spec file")


@pytest.mark.parametrize(
    ("text", "line"),
    [("a: 1\nb: 2\na: 3\n", 2), ("a: !!set {}", 0), ("a: " + "[" * 5_000, 0), ("a: [", 1)],
)
def test_loader_raises_a_marked_yaml_error(text: str, line: int) -> None:
    with pytest.raises(yaml.MarkedYAMLError) as info:
        yaml.load(text, Loader=Loader)
    assert info.value.problem_mark is not None
    assert info.value.problem_mark.line == line


def test_loader_refuses_aliases() -> None:  # worded for a spec file: no line
    with pytest.raises(yaml.MarkedYAMLError, match=r"aliases \(\*name\) are not allowed"):
        yaml.load("a: &x 1\nb: *x\n", Loader=Loader)


def test_loader_refuses_python_tags() -> None:
    with pytest.raises(yaml.YAMLError, match="not allowed"):
        yaml.load("!!python/object/apply:os.system ['true']", Loader=Loader)


# --- anything at all --------------------------------------------------------------------------

_TOKENS = [
    *"[]{}:,-&*!|>'\"#%@`?<= \n\t\r0123456789.eExo+_~",
    *("a", "key", "true", "null", "<<", "&a ", "*a", "!!float ", "!!int ", "!!bool ", "!!null "),
    *("!!timestamp ", "!!binary ", "!!set ", "!!str ", "!!map ", "!!seq ", "!x ", "! ", "--- "),
    *("...", "%YAML 1.1\n", "%TAG !! tag:x:\n", "\x00", "\x1b", "\x85", "\u2028", "\ufeff"),
    *("\udcff", "Київ", "9" * 40, "0x" + "f" * 40, "1:30", ".inf", "- ", ": ", "? "),
]
_YAMLISH = st.lists(st.sampled_from(_TOKENS), max_size=80).map("".join)


def _check(read: Callable[[], object]) -> None:
    """Call ``read()``: it returns plain data or raises YamlError with one-line problems."""
    problems: tuple[Problem, ...] = ()
    try:
        data = read()
    except YamlError as err:
        problems = err.problems
    else:
        assert _is_plain(data)
        return
    assert problems
    for problem in problems:
        assert problem.message
        assert "\n" not in problem.message
        assert not CONTROLS.search(problem.message)
        assert len(problem.message) < 500
        assert problem.line is None or problem.line >= 1


@settings(max_examples=500, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=st.one_of(_YAMLISH, st.text(max_size=200)), kind=st.sampled_from(KINDS))
def test_any_text_gives_plain_data_or_yaml_error(text: str, kind: Kind) -> None:
    _check(lambda: load_yaml(text, kind))


@settings(
    max_examples=300,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    content=st.one_of(
        st.binary(max_size=300),
        _YAMLISH.map(lambda text: text.encode("utf-8", errors="surrogateescape")),
    ),
    kind=st.sampled_from(KINDS),
)
def test_any_file_gives_plain_data_or_yaml_error(
    tmp_path: Path, content: bytes, kind: Kind
) -> None:
    path = _write(tmp_path, content)
    _check(lambda: read_yaml(path, kind))


@settings(max_examples=200, deadline=None)
@given(text=_YAMLISH)
def test_loader_raises_only_yaml_errors(text: str) -> None:
    try:
        data = yaml.load(text.encode("utf-8", errors="surrogateescape"), Loader=Loader)
    except yaml.YAMLError:
        return
    assert _is_plain(data)
