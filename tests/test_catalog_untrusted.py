"""Spec files written by someone we do not trust: links, text, malformed files, HTML views.

Every spec file is treated as hostile. A source's address must be a plain http(s) link to
a named host; text fields hold no control or bidi-override characters and have sensible
lengths; no malformed file (huge, deeply nested, an alias bomb, odd tags, bad bytes)
gives anything but one plain line per problem; and the notebook views escape every
string and link only to addresses :func:`rangemap.escaping.href` accepts.
"""

from __future__ import annotations

import os
import re
import time
from collections.abc import Callable
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pydantic import ValidationError

from rangemap.catalog import Catalog, Source, System
from rangemap.catalog.load import MAX_DEPTH, MAX_SPEC_BYTES, describe_error, read_spec
from rangemap.catalog.models import (
    DEFER_CHECKS,
    MAX_NAME_LENGTH,
    MAX_TEXT_LENGTH,
    MAX_TITLE_LENGTH,
)
from rangemap.errors import SpecError
from rangemap.escaping import quote

DATA = Path(__file__).resolve().parent / "data"
GOOD = DATA / "good_specs"

#: Characters a terminal or a browser would act on, or that reorder text.
CONTROLS = re.compile("[\x00-\x09\x0b-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069\ufeff]")

REUTERS = {
    "publisher": "Reuters",
    "publisher_type": "wire",
    "title": "Biden allows Ukraine to use U.S.-supplied missiles in Russia",
    "url": "https://globalnews.ca/news/10873954/ukraine-russia-us-weapons-biden/",
    "published": "2024-11-17",
    "accessed": "2026-11-25",
}


def munition(**changes: Any) -> dict[str, Any]:
    """A valid munition, as data, with every free-text field filled in."""
    data: dict[str, Any] = {
        "id": "atacms",
        "name": "ATACMS",
        "full_name": "Army Tactical Missile System",
        "aliases": ["MGM-140"],
        "kind": "ballistic-missile",
        "platforms": ["Su-24M"],
        "summary": "A ballistic missile.",
        "notes": ["A note."],
        "as_of": "2024-11-25",
        "variants": [
            {
                "id": "block-i",
                "name": "M39",
                "designations": ["M39"],
                "notes": ["A variant note."],
                "max_range": {
                    "shown_km": 165,
                    "why_shown": "Reuters' figure.",
                    "claims": [
                        {
                            "km": 165,
                            "qualifier": "about",
                            "kind": "stated-maximum",
                            "claimant": "press",
                            "source": "reuters",
                            "as_reported": "165 km",
                            "note": "A claim note.",
                        }
                    ],
                },
            }
        ],
        "sources": {"reuters": {**REUTERS, "via": "Global News"}},
    }
    data.update(changes)
    return data


def launcher() -> dict[str, Any]:
    return {
        "id": "m142-himars",
        "name": "HIMARS",
        "kind": "launcher",
        "as_of": "2024-11-25",
        "variants": [{"id": "m142", "name": "M142"}],
        "fires": [{"munition": "atacms", "source": "reuters", "note": "A load note."}],
        "sources": {"reuters": REUTERS},
    }


def _setter(*path: str | int) -> Callable[[dict[str, Any], object], None]:
    def put(data: dict[str, Any], value: object) -> None:
        target: Any = data
        for part in path[:-1]:
            target = target[part]
        target[path[-1]] = value

    return put


_CLAIM = ("variants", 0, "max_range", "claims", 0)
#: Every free-text field of a munition: (field path in messages, how to set it).
TEXT_FIELDS = {
    "name": _setter("name"),
    "full_name": _setter("full_name"),
    "aliases[0]": _setter("aliases", 0),
    "platforms[0]": _setter("platforms", 0),
    "summary": _setter("summary"),
    "notes[0]": _setter("notes", 0),
    "variants[0].name": _setter("variants", 0, "name"),
    "variants[0].designations[0]": _setter("variants", 0, "designations", 0),
    "variants[0].notes[0]": _setter("variants", 0, "notes", 0),
    "variants[0].max_range.why_shown": _setter("variants", 0, "max_range", "why_shown"),
    "variants[0].max_range.claims[0].as_reported": _setter(*_CLAIM, "as_reported"),
    "variants[0].max_range.claims[0].note": _setter(*_CLAIM, "note"),
    "sources.reuters.publisher": _setter("sources", "reuters", "publisher"),
    "sources.reuters.via": _setter("sources", "reuters", "via"),
    "sources.reuters.title": _setter("sources", "reuters", "title"),
}

#: Characters refused in spec text, and how messages name them.
REFUSED = {
    "\x1b": "U+001B (ESC)",
    "\x07": "U+0007 (BEL)",
    "\x00": "U+0000 (NUL)",
    "\x7f": "U+007F (DEL)",
    "\x9b": "U+009B (CSI)",
    "\x85": "U+0085 (next line)",
    "\t": "U+0009 (tab)",
    "\n": "U+000A (line break)",
    "\r": "U+000D (carriage return)",
    "\u2028": "U+2028 (line separator)",
    "\u202a": "U+202A (left-to-right embedding)",
    "\u202e": "U+202E (right-to-left override)",
    "\u2066": "U+2066 (left-to-right isolate)",
    "\u2069": "U+2069 (pop directional isolate)",
    "\ufeff": "U+FEFF (byte-order mark)",
}


def problems_of(data: dict[str, Any]) -> list[str]:
    """Validate data as a spec and return the plain lines the reader would see."""
    try:
        System.model_validate(data, context={DEFER_CHECKS: True})
    except ValidationError as err:
        errors = err.errors()
        locs = [tuple(error["loc"]) for error in errors]
        return [
            line
            for error in errors
            # As read_spec does: a list found short because its items failed is not news.
            if not (
                error["type"] == "too_short"
                and any(loc[: len(error["loc"])] == error["loc"] != loc for loc in locs)
            )
            for line in describe_error(error)
        ]
    return []


def test_the_munition_and_launcher_are_valid() -> None:
    assert problems_of(munition()) == []
    assert problems_of(launcher()) == []


# --- source addresses ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("url", "reason"),
    [
        ("https://evil.example\\@www.reuters.com/world/", "a backslash is not allowed"),
        ("https://evil.example\\www.reuters.com/", "a backslash is not allowed"),
        ("https://user@www.reuters.com/world/", "a user name (user@) is not allowed"),
        ("https://user:pass@www.reuters.com/", "a user name (user@) is not allowed"),
        ("https://www.reuters.com@evil.example/", "a user name (user@) is not allowed"),
        ("http://192.168.0.1/world/", "not an IP address"),
        ("http://127.1/", "not an IP address"),
        ("http://2130706433/", "is not a host name"),
        ("http://[::1]/", "is not a host name"),
        ("https://localhost/", "is not a host name"),
        ("https:///world/", "needs a host name"),
        ("https://www.reuters.com/a b", "spaces and control characters"),
        (" https://www.reuters.com/", "spaces and control characters"),
        ("https://www.reuters.com/\x1b]52;c;ZXZpbA==\x07", "spaces and control characters"),
        ("https://www.reuters.com/\u202egnp.exe", "spaces and control characters"),
        ("https://www.reuters.com:99999/", "not a valid address"),
        ("https://www.reu_ters.com/", "is not a host name"),
    ],
)
def test_source_url_refused_with_reason(url: str, reason: str) -> None:
    problems = problems_of(munition(sources={"reuters-2024": {**REUTERS, "url": url}}))
    assert len(problems) == 1
    line = problems[0]
    assert line.startswith("sources.reuters-2024.url: ")
    assert reason in line
    assert "write the full https://... address of the public page" in line
    assert not CONTROLS.search(line)


@pytest.mark.parametrize(
    "url",
    ["javascript:alert(document.cookie)", "JAVASCRIPT:alert(1)", "vbscript:x", "file:///etc/passwd",
     "data:text/html,<script>alert(1)</script>", "//www.reuters.com/world/", "reuters.com"],
)  # fmt: skip
def test_source_url_not_http(url: str) -> None:
    problems = problems_of(munition(sources={"reuters": {**REUTERS, "url": url}}))
    assert problems == [
        f"sources.reuters.url: {url!r} is not an http(s) web address; write the full "
        "https://... address of the public page"
    ]


@pytest.mark.parametrize(
    "url",
    ["https://www.reuters.com/world/europe/", "http://adbr.com.au/pentagon/",
     "HTTPS://WWW.REUTERS.COM/", "https://www.reuters.com:443/a?b=1&c=2#d",
     "https://\u043f\u0440\u0435\u0437\u0438\u0434\u0435\u043d\u0442.\u0440\u0444/",
     "https://xn--d1abbgf6aiiy.xn--p1ai/news/", "https://www.reuters.com./"],
)  # fmt: skip
def test_source_url_accepted(url: str) -> None:
    assert Source.model_validate({**REUTERS, "url": url}).url == url


def test_source_url_length_is_limited() -> None:
    url = "https://www.reuters.com/" + "a" * 2_000
    problems = problems_of(munition(sources={"reuters": {**REUTERS, "url": url}}))
    assert len(problems) == 1
    assert "is too long; shorten it to at most 2,000 characters" in problems[0]
    assert len(problems[0]) < 300


# --- text fields -----------------------------------------------------------------------------


@pytest.mark.parametrize("field", sorted(TEXT_FIELDS))
@pytest.mark.parametrize("char", sorted(REFUSED))
def test_control_characters_refused_in_every_text_field(field: str, char: str) -> None:
    data = munition()
    value = f"Kyiv{char}]52;c;ZXZpbA==\x07 oblast"
    TEXT_FIELDS[field](data, value)
    problems = problems_of(data)
    assert len(problems) == 1, problems
    line = problems[0]
    shown = quote(value)  # line breaks and tabs shown as a space, the rest removed
    assert shown in ("'Kyiv]52;c;ZXZpbA== oblast'", "'Kyiv ]52;c;ZXZpbA== oblast'")
    assert line.startswith(f"{field}: {shown} contains {REFUSED[char]}")
    assert "at character 5 and 1 more such characters; remove it" in line
    assert not CONTROLS.search(line)


def test_control_characters_refused_in_launcher_load_note() -> None:
    data = launcher()
    data["fires"][0]["note"] = "six rockets\x1b[2J"
    assert problems_of(data) == [
        "fires[0].note: 'six rockets[2J' contains U+001B (ESC) at character 12; remove it: "
        "spec text is plain text on one line, with ordinary spaces"
    ]


@pytest.mark.parametrize(
    "text",
    ["Kyiv", "\u0425-101 \u00ab\u041a\u0430\u043b\u0438\u0431\u0440\u00bb", "צה״ל", "تسنيم",
     "ATACMS \u200d", "Tochka\u00a0U", "{value} {0} {}", "<script>alert(1)</script>",
     '" onmouseover="alert(1)', "{{ 7*7 }}", "${document.cookie}"],
)  # fmt: skip
def test_printable_text_of_any_script_is_kept_as_written(text: str) -> None:
    system = System.model_validate(munition(name=text, summary=text, notes=[text]))
    assert (system.name, system.summary, system.notes) == (text, text, (text,))


def test_braces_in_a_refused_value_do_not_break_the_message() -> None:
    problems = problems_of(munition(name="{value}{position}\x1b{0}"))
    assert problems == [
        "name: '{value}{position}{0}' contains U+001B (ESC) at character 18; remove it: "
        "spec text is plain text on one line, with ordinary spaces"
    ]


@pytest.mark.parametrize(
    ("field", "limit"),
    [("name", MAX_NAME_LENGTH), ("aliases[0]", MAX_NAME_LENGTH),
     ("sources.reuters.publisher", MAX_NAME_LENGTH), ("sources.reuters.title", MAX_TITLE_LENGTH),
     ("summary", MAX_TEXT_LENGTH), ("notes[0]", MAX_TEXT_LENGTH),
     ("variants[0].max_range.why_shown", MAX_TEXT_LENGTH),
     ("variants[0].max_range.claims[0].note", MAX_TEXT_LENGTH)],
)  # fmt: skip
def test_text_length_limits(field: str, limit: int) -> None:
    data = munition()
    TEXT_FIELDS[field](data, "x" * limit)
    assert problems_of(data) == []
    TEXT_FIELDS[field](data, "x" * (limit + 1))
    assert problems_of(data) == [
        f"{field}: '{'x' * 60}\u2026' ({limit + 1:,} characters) is too long; shorten it to "
        f"at most {limit:,} characters"
    ]


def test_limits_are_sensible() -> None:
    assert (MAX_NAME_LENGTH, MAX_TITLE_LENGTH, MAX_TEXT_LENGTH) == (200, 500, 2_000)


def test_id_length_is_limited() -> None:
    problems = problems_of(munition(id="a" * 101))
    assert problems == [
        f"id: '{'a' * 60}\u2026' (101 characters) is too long; shorten it to at most 100 characters"
    ]


# --- dates -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "why"),
    [("2024-02-30", "February 2024 has 29 days"), ("2023-02-29", "February 2023 has 28 days"),
     ("2024-04-31", "April 2024 has 30 days"), ("2024-13-01", "there is no month 13"),
     ("2024-00-10", "there is no month 0"), ("2024-01-00", "there is no day 0"),
     ("0000-01-01", "there is no year 0")],
)  # fmt: skip
def test_dates_not_in_the_calendar(text: str, why: str) -> None:
    assert problems_of(munition(as_of=text)) == [
        f"as_of: '{text}' is not a valid date; write it as YYYY-MM-DD, e.g. 2024-11-25 ({why})"
    ]


@pytest.mark.parametrize(
    "value",
    ["\uff12\uff10\uff12\uff14-11-25", "2024-11-25T00:00", "25/11/2024", "2024-1-5", 20241125],
)
def test_dates_not_written_as_yyyy_mm_dd(value: object) -> None:
    problems = problems_of(munition(as_of=value))
    assert len(problems) == 1
    assert problems[0].startswith("as_of: ")
    assert "is not a date; write it as YYYY-MM-DD" in problems[0]


def test_leap_day_is_a_date() -> None:
    data = munition(as_of="2024-02-29")
    data["sources"]["reuters"] = {**REUTERS, "published": "2024-02-29"}
    assert System.model_validate(data).as_of.isoformat() == "2024-02-29"


# --- malformed files -------------------------------------------------------------------------


def _spec(tmp_path: Path, content: str | bytes, name: str = "test-missile.yaml") -> Path:
    path = tmp_path / name
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")
    return path


def _only_problem(path: Path) -> str:
    result = read_spec(path)
    assert result.system is None
    assert len(result.problems) == 1, result.problems
    problem = result.problems[0]
    assert not CONTROLS.search(problem)
    assert "\n" not in problem
    return problem


def test_file_over_one_megabyte_is_refused_before_parsing(tmp_path: Path) -> None:
    # Not YAML at all: a parser would report a syntax error, the size check comes first.
    path = _spec(tmp_path, b"id: [" + b"x" * MAX_SPEC_BYTES)
    problem = _only_problem(path)
    assert problem.endswith(
        "test-missile.yaml: the file is larger than 1 MB (1,048,576 bytes); a spec file "
        "describes one system in a few kilobytes: check that this is the right file"
    )


def test_file_of_exactly_one_megabyte_is_parsed(tmp_path: Path) -> None:
    text = "id: test-missile\n# " + "x" * (MAX_SPEC_BYTES - 20) + "\n"
    path = _spec(tmp_path, text)
    assert path.stat().st_size == MAX_SPEC_BYTES
    assert "larger than 1 MB" not in " ".join(read_spec(path).problems)


@pytest.mark.skipif(os.name == "nt", reason="NTFS files are not sparse unless asked")
def test_huge_sparse_file_is_refused_at_once(tmp_path: Path) -> None:
    path = tmp_path / "test-missile.yaml"
    with path.open("wb") as handle:
        handle.truncate(8 * 1024**3)  # 8 GB of holes: reading them would take a while
    start = time.perf_counter()
    problem = _only_problem(path)
    assert time.perf_counter() - start < 5
    assert "is larger than 1 MB" in problem


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="named pipes need POSIX")
def test_named_pipe_is_not_opened(tmp_path: Path) -> None:
    path = tmp_path / "test-missile.yaml"
    os.mkfifo(path)  # opening it would wait for a writer forever
    assert _only_problem(path).endswith(
        "test-missile.yaml: not a regular file; a spec is a UTF-8 text file ending in .yaml"
    )


@pytest.mark.parametrize("opening", ["[", "{a: ", "- "])
def test_one_megabyte_of_nesting_names_the_field(tmp_path: Path, opening: str) -> None:
    if opening == "- ":  # block sequences: each level one line, indented further
        body = "".join("  " * i + "-\n" for i in range(700))
        text = "id: test-missile\naliases:\n" + body
    else:
        text = "id: test-missile\naliases: " + opening * ((MAX_SPEC_BYTES - 40) // len(opening))
    path = _spec(tmp_path, text)
    start = time.perf_counter()
    problem = _only_problem(path)
    assert time.perf_counter() - start < 10
    assert f"nested more than {MAX_DEPTH} levels deep" in problem
    assert re.search(r"test-missile\.yaml: aliases(\[0\]|\.a)+: line \d+, column \d+: ", problem)


def test_alias_bomb_is_refused_without_expanding_it(tmp_path: Path) -> None:
    lines = ['a0: &a0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    lines += [f"a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 10)}]" for i in range(1, 30)]
    text = "\n".join([*lines, "id: test-missile", "aliases: *a29", ""])  # 10**30 strings
    start = time.perf_counter()
    problem = _only_problem(_spec(tmp_path, text))
    assert time.perf_counter() - start < 5
    assert problem.endswith(
        "test-missile.yaml: a1[0]: aliases (*name) are not allowed in a spec file "
        "(this file has 291); write each value out in full"
    )


def test_recursive_alias_is_refused(tmp_path: Path) -> None:
    problem = _only_problem(_spec(tmp_path, "id: test-missile\naliases: &a [*a]\n"))
    assert "test-missile.yaml: aliases[0]: aliases (*name) are not allowed" in problem


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("name: !!float abc", "name: line 2, column 7: 'abc' is not a number; write one, or "
         "remove the !!float tag"),
        ("name: !!int 12x", "name: line 2, column 7: '12x' is not a whole number"),
        ("name: !!bool maybe", "name: line 2, column 7: 'maybe' is not true or false"),
        ("name: !!binary aGVsbG8=", "name: line 2, column 7: the tag '!!binary' is not allowed"),
        ("name: !!set {a: null}", "name: line 2, column 7: the tag '!!set' is not allowed"),
        ("name: !!python/name:os.system ''", "the tag '!!python/name:os.system' is not allowed"),
        ("name: !evil x", "name: line 2, column 7: the tag '!evil' is not allowed"),
        ("name: !!str [a]", "name: line 2, column 7: the tag '!!str' does not fit this value"),
        ("name: " + "9" * 5000, "name: line 2, column 7: the number '99999"),
        ("name: 0x" + "f" * 5000, "is too large for a spec file; check the figure"),
        ("1: x", "1 (key): line 2, column 1: the key '1' is read as a number, not text"),
        ("true: x", "true (key): line 2, column 1: the key 'true' is read as true or false"),
        ("null: x", "null (key): line 2, column 1: the key 'null' is read as empty, not text"),
        ("? [a, b]\n: x", "test-missile.yaml: line 2, column 3: a list is used as a key"),
        ("<<: {kind: launcher}", "<< (key): line 2, column 1: merge keys (<<) are not allowed"),
        ("name: Test\x00Missile", "name: line 2, column 11: U+0000 (NUL) is not allowed in a "
         "spec file; remove it"),
        ("name: Test\x1b]52;c;ZXZpbA==\x07", "name: line 2, column 11: U+001B (ESC) is not "
         "allowed in a spec file; remove it"),
        ("name: Test\x9bMissile", "name: line 2, column 11: U+009B (CSI) is not allowed"),
        ("name: Test\x7f", "name: line 2, column 11: U+007F (DEL) is not allowed"),
        ("notes: [a, 'b\x08']", "notes[1]: line 2, column 14: U+0008 (backspace) is not"),
        ("# a comment\x07", "test-missile.yaml: line 2, column 12: U+0007 (BEL) is not allowed"),
        ("name: [", "line 3, column 1: could not read the YAML"),
    ],
)  # fmt: skip
def test_malformed_yaml_is_one_plain_line(tmp_path: Path, line: str, expected: str) -> None:
    problem = _only_problem(_spec(tmp_path, f"id: test-missile\n{line}\n"))
    assert expected in problem
    assert len(problem) < 400


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("as_of: !!timestamp x", "as_of: 'x' is not a date; write it as YYYY-MM-DD"),
        ("as_of: !!timestamp 2024-02-30", "as_of: '2024-02-30' is not a valid date"),
        ("as_of: 2024-02-30", "(February 2024 has 29 days)"),
        ("summary: =", "kind: missing"),  # '=' is text, not YAML 1.1's value key
    ],
)
def test_tags_and_dates_are_field_problems(tmp_path: Path, line: str, expected: str) -> None:
    problems = read_spec(_spec(tmp_path, f"id: test-missile\nname: T\n{line}\n")).problems
    assert any(expected in problem for problem in problems), problems


def test_non_utf8_bytes_name_the_field(tmp_path: Path) -> None:
    text = "id: kh-101\nname: \u0425-101\nkind: cruise-missile\n"
    problem = _only_problem(_spec(tmp_path, text.encode("cp1251"), "kh-101.yaml"))
    assert problem.endswith(
        "kh-101.yaml: name: line 2, column 7: byte 0xD5 is not UTF-8 text; save the file as UTF-8"
    )


def test_hostile_file_name_is_printed_safely(tmp_path: Path) -> None:
    path = _spec(tmp_path, "id: x\n", "evil\x1b]52;c;ZXZpbA==\x07.yaml")
    result = read_spec(path)
    assert result.problems
    for problem in result.problems:
        assert not CONTROLS.search(problem)
        assert "evil]52;c;ZXZpbA==.yaml" in problem


def test_problems_per_file_are_capped(tmp_path: Path) -> None:
    text = "".join(f"field{i}: {i}\n" for i in range(5_000))
    problems = read_spec(_spec(tmp_path, text)).problems
    assert len(problems) == 101
    assert problems[-1].endswith(
        "and more problems in this file (5,006 in all); fix the ones above first"
    )


def test_a_thousand_aliases_are_one_problem(tmp_path: Path) -> None:
    text = "a: &a x\nb: [" + ", ".join(["*a"] * 1000) + "]\n"
    problem = _only_problem(_spec(tmp_path, text))
    assert "b[0]: aliases (*name) are not allowed in a spec file (this file has 1,000)" in problem


def test_every_malformed_file_of_a_folder_is_reported(tmp_path: Path) -> None:
    files: dict[str, str | bytes] = {
        "a.yaml": "id: " + "[" * 5000,
        "b.yaml": b"id: b\nname: \xff\xfe\n",
        "c.yaml": "x: &x [1]\ny: *x\n",
        "d.yaml": "id: d\nas_of: !!timestamp nope\n",
        "e.yaml": "id: e\nname: !!float abc\n",
        "f.yaml": b"id: f\x00\n",
        "g.yaml": "sources:\n  1: {}\n",
    }
    for name, content in files.items():
        _spec(tmp_path, content, name)
    with pytest.raises(SpecError) as info:
        Catalog.load([tmp_path], builtin=False)
    named = {problem.split(":", 1)[0].rsplit("/", 1)[-1] for problem in info.value.problems}
    assert named == set(files)
    assert not any(CONTROLS.search(problem) for problem in info.value.problems)


_FRAGMENTS = st.sampled_from(
    ["id: ", "name: ", "aliases: ", "as_of: ", "sources:\n  a:\n    url: ", "\n", "  ", "- ",
     "[", "]", "{", "}", ", ", ": ", "&a ", "*a", "!!float ", "!!timestamp ", "!!binary ",
     "!!python/object:os.system ", "<<: ", "? ", "'", '"', "\\e", "\\x9b", "\\u202e", "\x00",
     "\x1b", "\u202e", "\ufeff", "2024-02-30", "9" * 50, "0x" + "f" * 40, "~", "true", "=",
     "https://a\\@b.com/", "javascript:x", "|\n  a\n  b", "#"]
)  # fmt: skip


@settings(
    max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(parts=st.lists(_FRAGMENTS, max_size=40))
def test_read_spec_never_raises_on_yaml_like_text(tmp_path: Path, parts: list[str]) -> None:
    path = _spec(tmp_path, "".join(parts))
    result = read_spec(path)
    assert (result.system is None) == bool(result.problems)
    for problem in result.problems:
        assert not CONTROLS.search(problem)
        assert "\n" not in problem
        assert len(problem) < 1_000


@settings(
    max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(content=st.binary(max_size=300))
def test_read_spec_never_raises_on_any_bytes(tmp_path: Path, content: bytes) -> None:
    result = read_spec(_spec(tmp_path, content))
    assert (result.system is None) == bool(result.problems)
    assert not any(CONTROLS.search(problem) for problem in result.problems)


# --- notebook HTML ---------------------------------------------------------------------------

HOSTILE = '<script>alert(1)</script> " onmouseover="alert(2)" {{ 7*7 }} ${alert(3)} `x`'
_ALLOWED_TAGS = {"div", "strong", "code", "p", "br", "table", "thead", "tbody", "tr", "th",
                 "td", "ol", "li", "a", "span"}  # fmt: skip
_ALLOWED_ATTRIBUTES = {"style", "href", "title", "rel", "target"}


class _Markup(HTMLParser):
    """Collect the tags and attributes of a piece of HTML, and its text."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, list[tuple[str, str | None]]]] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, attrs))

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def _markup(html: str) -> _Markup:
    parser = _Markup()
    parser.feed(html)
    parser.close()
    return parser


def _hostile_system(url: str = "javascript:alert(document.cookie)") -> System:
    data = munition(
        name=HOSTILE, full_name=HOSTILE, summary=HOSTILE, notes=[HOSTILE], aliases=["x"]
    )
    data["variants"][0]["max_range"]["claims"][0]["note"] = HOSTILE
    data["sources"]["reuters"]["title"] = HOSTILE
    data["sources"]["reuters"]["publisher"] = HOSTILE
    data["sources"]["look-alike"] = {**REUTERS, "url": "https://\u0440\u0435uters.com/world/"}
    system = System.model_validate(data)  # the text is printable, so it validates
    # The address is refused on load; build the source without validation, as Python may.
    source = system.sources["reuters"].model_copy(update={"url": url})
    return system.model_copy(update={"sources": {**system.sources, "reuters": source}})


@pytest.mark.parametrize(
    "url",
    ["javascript:alert(document.cookie)", 'https://a.com/" onmouseover="alert(1)',
     "https://evil.example\\@www.reuters.com/world/", "data:text/html,<script>x</script>",
     "https://user@www.reuters.com/"],
)  # fmt: skip
def test_system_html_escapes_hostile_text_and_refuses_hostile_links(url: str) -> None:
    system = _hostile_system(url)
    for html in (system._repr_html_(), Catalog([system])._repr_html_()):
        parsed = _markup(html)
        for tag, attrs in parsed.tags:
            assert tag in _ALLOWED_TAGS
            assert {name for name, _ in attrs} <= _ALLOWED_ATTRIBUTES
            for name, value in attrs:
                if name == "href":
                    assert value is not None
                    assert value.startswith("https://")
                    assert "\\" not in value
                    assert "@" not in value
        assert "<script" not in html
        for template_syntax in ("{{", "${", "`"):
            assert template_syntax not in html
        assert HOSTILE in "".join(parsed.text)  # shown, as text
        assert "&lt;script&gt;" in html
        assert "&#123;&#123; 7*7 &#125;&#125;" in html
    html = system._repr_html_()
    assert "(not linked)" in html
    links = [dict(attrs) for tag, attrs in _markup(html).tags if tag == "a"]
    assert [link["href"] for link in links] == ["https://\u0440\u0435uters.com/world/"]


def test_system_html_link_shows_the_host_as_a_browser_does() -> None:
    html = _hostile_system()._repr_html_()
    # A Cyrillic look-alike of reuters.com is shown in punycode, never as "reuters.com".
    assert ">xn--uters-ywe0f.com</a>" in html
    good = Catalog.load([GOOD], builtin=False)["test-missile"]._repr_html_()
    assert ">globalnews.ca</a>" in good
    assert ">pravda.com.ua</a>" in good
    assert 'href="https://globalnews.ca/news/10873954/ukraine-russia-us-weapons-biden/"' in good


def test_system_html_escapes_an_unvalidated_system() -> None:
    good = Catalog.load([GOOD], builtin=False)["test-missile"]
    evil = good.model_copy(
        update={"name": "</strong><img src=x onerror=alert(1)>\x1b", "id": "<b>"}
    )
    html = evil._repr_html_()
    for raw in ("<img", "<b>", "\x1b"):
        assert raw not in html
    assert "&lt;img src=x onerror=alert(1)&gt;" in html
