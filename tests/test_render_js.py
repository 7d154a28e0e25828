"""The loader of the package's browser scripts (``rangemap/render/_js.py``)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from rangemap.errors import RangemapError
from rangemap.render import _js
from rangemap.render._js import JS_DIR, script

#: Code built from text at run time, which the page's Content-Security-Policy forbids.
DYNAMIC_CODE = re.compile(r"\beval\s*\(|\bnew\s+Function\b|\bFunction\s*\(|setTimeout\s*\(\s*[\"']")


@pytest.fixture
def scripts_in(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """Point the loader at an empty folder of scripts, with a clean cache either side."""
    script.cache_clear()
    monkeypatch.setattr(_js, "JS_DIR", tmp_path)
    yield tmp_path
    script.cache_clear()


def test_geodesic_script_is_read_and_cached() -> None:
    text = script("geodesic.js")
    assert text == (JS_DIR / "geodesic.js").read_text(encoding="utf-8")
    assert "window.rangemap" in text
    assert "rm.geodesic = {" in text
    assert text.endswith("\n")
    assert script("geodesic.js") is text


@pytest.mark.parametrize("path", sorted(JS_DIR.glob("*.js")), ids=lambda p: p.name)
def test_every_packaged_script_loads_and_builds_no_code(path: Path) -> None:
    text = script(path.name)
    assert "</script" not in text.lower()
    assert not DYNAMIC_CODE.search(text), f"{path.name} builds code from text"
    assert text.lstrip().startswith(("/*", "//", "(function"))


#: What another project's file, or a build's output, carries: a licence or copyright
#: header, a bundler's banner, a source map.
THIRD_PARTY = re.compile(
    r"@license|@preserve|copyright|©|\(c\) *\d{4}|sourceMappingURL|webpack|"
    r"geographiclib|leaflet\.js v|\bMIT License\b",
    re.IGNORECASE,
)


@pytest.mark.parametrize("path", sorted(JS_DIR.glob("*.js")), ids=lambda p: p.name)
def test_every_packaged_script_is_rangemaps_own_source(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    header = text[: text.index("(function")]
    assert "rangemap" in header, f"{path.name} does not say it is rangemap's own"
    assert not THIRD_PARTY.search(text), f"{path.name} carries another project's marks"
    # Source, not a minified build: short lines, most of them indented.
    lines = text.splitlines()
    assert max(len(line) for line in lines) <= 120
    assert sum(line.startswith(" ") for line in lines) > len(lines) / 2
    listed = (JS_DIR / "README.md").read_text(encoding="utf-8")
    assert f"`{path.name}`" in listed, f"{path.name} is not described in js/README.md"


@pytest.mark.parametrize(
    "name",
    [
        "../_page.py",
        "../js/geodesic.js",
        "js/geodesic.js",
        "/etc/passwd",
        "geodesic.py",
        "geodesic",
        "",
        ".js",
        "..js",
        "geo desic.js",
        "geodesic.js\n",
        "C:\\geodesic.js",
    ],
)
def test_refuses_names_that_are_not_plain_script_names(name: str) -> None:
    with pytest.raises(RangemapError, match=r"not a plain \.js file name"):
        script(name)


def test_refuses_a_missing_script() -> None:
    with pytest.raises(RangemapError, match=r"no script 'nowhere\.js'"):
        script("nowhere.js")


@pytest.mark.parametrize("closing", ["</script>", "</SCRIPT >", "</ScRiPt"])
def test_refuses_a_script_that_would_close_its_element(scripts_in: Path, closing: str) -> None:
    (scripts_in / "hostile.js").write_text(f'var s = "{closing}";\n', encoding="utf-8")
    with pytest.raises(RangemapError, match=r"hostile\.js.*</script"):
        script("hostile.js")


def test_escaped_closing_tag_is_accepted(scripts_in: Path) -> None:
    (scripts_in / "fine.js").write_text('var s = "<\\/script>";', encoding="utf-8")
    assert script("fine.js") == 'var s = "<\\/script>";\n'


def test_a_directory_named_like_a_script_is_refused(scripts_in: Path) -> None:
    (scripts_in / "folder.js").mkdir()
    with pytest.raises(RangemapError, match=r"no script 'folder\.js'"):
        script("folder.js")
