"""The one escaping path: every context's function, on ordinary and hostile text."""

from __future__ import annotations

import csv
import html
import io
import json
import xml.etree.ElementTree as ET

import pytest
from hypothesis import given
from hypothesis import strategies as st

from rangemap.escaping import (
    check_url,
    clean,
    csv_cell,
    display_host,
    href,
    html_attr,
    html_text,
    quote,
    script_json,
    terminal,
    xml_text,
)

CONTROLS = "".join(chr(c) for c in [*range(0x20), 0x7F, *range(0x80, 0xA0)])
BIDI = "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"


@given(st.text())
def test_clean_leaves_no_control_or_override(text: str) -> None:
    out = clean(text)
    assert not set(out) & set(CONTROLS + BIDI + "\ufeff\ufffe\uffff\u2028\u2029")
    assert clean(out) == out


def test_clean_keeps_words_apart() -> None:
    assert clean("Kharkiv\voblast\r\nSumy\tregion") == "Kharkiv oblast  Sumy region"
    assert clean("Ky\x00iv\x1b[31m") == "Kyiv[31m"
    assert clean("\ufeffKyiv") == "Kyiv"
    assert clean("K\udcffyiv") == "K\ufffdyiv"
    assert clean("Kyi\u0308v") == "Kyïv"  # NFC


@given(st.text())
def test_html_text_is_inert(text: str) -> None:
    for out in (html_text(text), html_attr(text)):
        for char in "<>\"'`${}\u202e\u2066":
            assert char not in out
        assert html.unescape(out) == clean(text)


@given(st.recursive(st.text() | st.integers() | st.none(), lambda c: st.lists(c, max_size=3)))
def test_script_json_round_trips_and_cannot_close_a_script(value: object) -> None:
    out = script_json(value)
    for char in "<>&'`${}\u2028\u2029":
        assert char not in out.replace("\\u", "")
    expected = json.loads(json.dumps(value))
    cleaned = json.loads(script_json(expected))
    assert cleaned == json.loads(json.dumps(_clean_all(expected)))


def _clean_all(value: object) -> object:
    if isinstance(value, str):
        return clean(value)
    if isinstance(value, list):
        return [_clean_all(v) for v in value]
    return value


@given(st.text())
def test_xml_text_always_parses(text: str) -> None:
    doc = f'<kml a="{xml_text(text)}">{xml_text(text)}</kml>'
    root = ET.fromstring(doc)
    assert root.text in (clean(text), None if not clean(text) else root.text)
    assert root.get("a") == clean(text)


def test_terminal_strips_escape_sequences() -> None:
    osc52 = "\x1b]52;c;cm0gLXJmIH4=\x07"
    out = terminal(f"ATACMS{osc52}\x1b[2J\x9b31m")
    assert "\x1b" not in out
    assert "\x07" not in out
    assert "\x9b" not in out
    assert out.startswith("ATACMS")


def test_quote_is_short_and_safe() -> None:
    assert quote("Kyiv") == "'Kyiv'"
    long = quote("x" * 100_000)
    assert len(long) < 260
    assert "100,000 characters" in long
    assert "\x1b" not in quote("\x1b[2J")
    assert quote(12.5) == "12.5"


@pytest.mark.parametrize(
    "text",
    ["=1+2", "+1", "-1", "@SUM(A1)", "\t=1", "\r=1", '=HYPERLINK("http://evil.example","x")'],
)
def test_csv_cell_defuses_formulas(text: str) -> None:
    cell = csv_cell(text)
    assert cell.startswith("'")
    buffer = io.StringIO()
    csv.writer(buffer).writerow([cell])
    [[back]] = list(csv.reader(io.StringIO(buffer.getvalue())))
    assert back == cell


def test_csv_cell_keeps_ordinary_text() -> None:
    assert csv_cell("Kharkiv") == "Kharkiv"
    assert csv_cell("Nizhniy Novgorod") == "Nizhniy Novgorod"


@pytest.mark.parametrize(
    ("url", "reason"),
    [
        ("https://www.reuters.com/world/europe/", ""),
        ("http://adbr.com.au/x?a=1&b=2", ""),
        ("https://кремль.рф/", ""),
        ("https://www.reuters.com:443/x", ""),
        ("https://evil.example\\@www.reuters.com/world/", "backslash"),
        ("https://evil.example@www.reuters.com/world/", "user name"),
        ("https://user:pw@www.reuters.com/", "user name"),
        ("javascript:alert(1)", "https://"),
        ("data:text/html,<script>", "https://"),
        ("ftp://example.org/", "https://"),
        ("//example.org/x", "https://"),
        ("https://", "host name"),
        ("https://localhost/", "host name"),
        ("https://127.0.0.1/x", "IP address"),
        ("https://exa_mple.com/", "host name"),
        ("https://example.org/a b", "spaces"),
        ("https://example.org/\u202e", "control"),
        ("https://example.org:99999/", "valid address"),
    ],
)
def test_check_url(url: str, reason: str) -> None:
    result = check_url(url)
    assert (result == "") is (reason == "")
    assert reason in result
    assert (href(url) is None) is bool(reason)


def test_href_is_escaped_for_an_attribute() -> None:
    assert href("https://kyivindependent.com/a?b=1&c=2") == (
        "https://kyivindependent.com/a?b=1&amp;c=2"
    )


@pytest.mark.parametrize(
    ("url", "shown"),
    [
        ("https://www.reuters.com/world/", "reuters.com"),
        ("https://\u0440\u0435uters.com/world/", "xn--uters-ywe0f.com"),  # Cyrillic er, ie
        ("https://\u0440\u0435\u0443\u0442\u0435\u0440\u0441.com/", "xn--e1aa5acfdg.com"),
        ("https://президент.рф/", "президент.рф"),
        ("https://WWW.Example.ORG/", "example.org"),
    ],
)
def test_display_host(url: str, shown: str) -> None:
    assert display_host(url) == shown
