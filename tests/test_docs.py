from __future__ import annotations

import importlib.util
import re
import subprocess
import sys
from pathlib import Path
from types import ModuleType

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from rangemap.catalog import load_catalog

ROOT = Path(__file__).resolve().parents[1]
DOCS = ROOT / "docs"


def _generator() -> ModuleType:
    path = ROOT / "scripts" / "build_docs_pages.py"
    spec = importlib.util.spec_from_file_location("build_docs_pages", path)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules.setdefault("build_docs_pages", module)
    spec.loader.exec_module(module)
    return module


gen = _generator()


def _rst_to_text(source: str) -> str:
    core = pytest.importorskip("docutils.core", reason="docutils comes with the docs tools")
    doctree = core.publish_doctree(
        source, settings_overrides={"report_level": 5, "halt_level": 5, "warning_stream": False}
    )
    return str(doctree.astext())


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.characters(blacklist_categories=("Cs", "Cc", "Cf")), min_size=1))
def test_rst_text_renders_as_itself(text: str) -> None:
    """Any string from a spec file shows up as written: no markup can take effect."""
    expected = " ".join(text.split())
    if not expected:
        return
    assert _rst_to_text(gen.rst_text(text)) == expected


@pytest.mark.parametrize(
    "text",
    [
        "*not emphasis*",
        "`code` and `link <https://example.org>`_",
        ".. raw:: html\n\n   <script>alert(1)</script>",
        "|substitution| and [1]_ and :role:`x`",
        "- a list? no\n1. nor this",
        "C:\\path\\to\\file",
        "Kyiv — Київ",
    ],
)
def test_rst_text_neutralises_markup(text: str) -> None:
    assert _rst_to_text(gen.rst_text(text)) == " ".join(text.split())


def test_rst_link_keeps_the_address_and_title() -> None:
    core = pytest.importorskip("docutils.core", reason="docutils comes with the docs tools")
    link = gen.rst_link("Reuters <A> `x`", "https://example.org/a b>c`d")
    tree = core.publish_doctree(link, settings_overrides={"report_level": 5})
    ref = next(iter(tree.findall(lambda n: n.tagname == "reference")))
    assert ref.astext() == "Reuters <A> `x`"
    assert ref["refuri"] == "https://example.org/a%20b%3Ec%60d"


def test_every_system_page_lists_every_claim_and_source() -> None:
    catalog = load_catalog()
    for system in catalog.values():
        page = gen.system_page(system, catalog)
        for source_id, source in system.sources.items():
            assert f".. _{gen.label('src', system.id, source_id)}:" in page
            assert gen.rst_url(str(source.url)) in page
        for variant in system.variants:
            assert f".. _{gen.label('variant', system.id, variant.id)}:" in page
            for spec in (variant.max_range, variant.min_range):
                if spec is None:
                    continue
                for claim in spec.claims:
                    assert gen.rst_text(claim.qualifier.phrase(claim.km)) in page
                    assert gen.label("src", system.id, claim.source) in page
                    assert gen.rst_text(claim.claimant.value) in page


def test_system_index_links_every_system(tmp_path: Path) -> None:
    catalog = load_catalog()
    written = gen.write_system_pages(tmp_path, catalog)
    assert {p.stem for p in written} == {*catalog, "index"}
    index = (tmp_path / "systems" / "index.rst").read_text(encoding="utf-8")
    for system_id in catalog:
        assert f"<{system_id}>`" in index
    stale = tmp_path / "systems" / "retired.rst"
    stale.write_text("old", encoding="utf-8")
    gen.write_system_pages(tmp_path, catalog)
    assert not stale.exists()


@pytest.mark.slow
def test_docs_build_without_warnings(tmp_path: Path) -> None:
    pytest.importorskip("sphinx", reason="the docs need sphinx (see docs/conf.py)")
    for package in ("myst_parser", "numpydoc", "sphinxarg", "furo"):
        pytest.importorskip(package, reason=f"the docs need {package}")
    out = tmp_path / "html"
    # A separate process: Sphinx's -W judges the docs; the deprecation warnings Sphinx
    # extensions raise about each other are not the docs' concern (pytest would make them
    # errors here).
    done = subprocess.run(
        [sys.executable, "-m", "sphinx", "-W", "-n", "--keep-going", "-q", "-b", "html",
         "-d", str(tmp_path / "doctrees"), str(DOCS), str(out)],
        capture_output=True, text=True, check=False, timeout=600,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    for page in ("index", "cli", "methodology", "citing", "recipes", "exports", "spec-format",
                 "spec-schema", "api", "systems/index", "systems/atacms"):  # fmt: skip
        assert (out / f"{page}.html").exists(), page
    atacms = (out / "systems" / "atacms.html").read_text(encoding="utf-8")
    assert "Army Tactical Missile System" in atacms
    assert "<script>alert" not in atacms
    cli = (out / "cli.html").read_text(encoding="utf-8")
    assert "specs" in cli


HOSTILE = "*x* `y` |z| _w_ [1]_ :ref:`q` <script>alert(1)</script> .. raw:: html"


def _hostile_catalog(tmp_path: Path) -> object:
    """The built-in catalog plus a copy of Tochka-U whose every text is hostile markup."""
    import yaml

    from rangemap.catalog import Catalog

    data = yaml.safe_load((ROOT / "specs" / "tochka-u.yaml").read_text(encoding="utf-8"))
    data.update(id="hostile-test", name=f"Name {HOSTILE}", full_name=HOSTILE, aliases=[])
    data.update(summary=HOSTILE, notes=[HOSTILE])
    variant = data["variants"][0]
    variant["name"] = f"Variant {HOSTILE}"
    variant["max_range"]["why_shown"] = HOSTILE
    for claim in variant["max_range"]["claims"]:
        claim["note"] = HOSTILE
    for source in data["sources"].values():
        source["title"] = f"Title {HOSTILE}"
        source["publisher"] = f"Publisher {HOSTILE}"
    folder = tmp_path / "specs"
    folder.mkdir()
    (folder / "hostile-test.yaml").write_text(yaml.safe_dump(data), encoding="utf-8")
    return Catalog.load(extra_dirs=[folder])


def test_system_page_escapes_every_string_from_the_spec(tmp_path: Path) -> None:
    catalog = _hostile_catalog(tmp_path)
    page = gen.system_page(catalog["hostile-test"], catalog)
    # Sphinx's own roles, which plain docutils does not know, become their titles.
    plain = re.sub(r":(?:ref|doc):`((?:[^`\\]|\\.)*?) <[^`<>]*>`", r"\1", page)
    core = pytest.importorskip("docutils.core", reason="docutils comes with the docs tools")
    tree = core.publish_doctree(plain, settings_overrides={"report_level": 2, "halt_level": 5})
    kinds = {node.tagname for node in tree.findall()}
    markup = {"raw", "problematic", "system_message", "emphasis", "substitution_reference"}
    assert not kinds & (markup | {"footnote_reference", "title_reference"})
    text = " ".join(tree.astext().split())
    assert text.count(HOSTILE) >= 6
    for source in catalog["hostile-test"].sources.values():
        assert gen.rst_url(str(source.url)) in page
