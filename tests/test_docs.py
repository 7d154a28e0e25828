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

from rangemap.catalog import Catalog, load_catalog

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


#: What the notebooks write into the folder they run in (see tests/test_notebooks.py).
NOTEBOOK_FILES = ("atacms-output", "line-output", "illustrative-line.geojson")
#: Folders a notebook run could write into if it ran where its file is.
NOTEBOOK_FOLDERS = (ROOT, ROOT / "notebooks", DOCS, DOCS / "tutorials")


def _notebook_files_in_repository() -> set[Path]:
    return {
        folder / name
        for folder in NOTEBOOK_FOLDERS
        for name in NOTEBOOK_FILES
        if (folder / name).exists()
    }


@pytest.fixture(scope="module")
def built_docs(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, set[Path]]:
    """Build the site once; return the HTML folder and the notebook files it left behind."""
    pytest.importorskip("sphinx", reason="the docs need sphinx (see docs/conf.py)")
    for package in ("myst_nb", "numpydoc", "sphinxarg", "furo", "ipykernel", "matplotlib"):
        pytest.importorskip(package, reason=f"the docs need {package}")
    build = tmp_path_factory.mktemp("docs")
    out = build / "html"
    before = _notebook_files_in_repository()
    # A separate process: Sphinx's -W judges the docs; the deprecation warnings Sphinx
    # extensions raise about each other are not the docs' concern (pytest would make them
    # errors here).
    done = subprocess.run(
        [sys.executable, "-m", "sphinx", "-W", "-n", "--keep-going", "-q", "-b", "html",
         "-d", str(build / "doctrees"), str(DOCS), str(out)],
        capture_output=True, text=True, check=False, timeout=900,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    return out, _notebook_files_in_repository() - before


@pytest.mark.slow
def test_docs_build_without_warnings(built_docs: tuple[Path, set[Path]]) -> None:
    out, _ = built_docs
    for page in ("index", "cli", "methodology", "citing", "recipes", "exports", "spec-format",
                 "spec-schema", "api", "systems/index", "systems/atacms"):  # fmt: skip
        assert (out / f"{page}.html").exists(), page
    atacms = (out / "systems" / "atacms.html").read_text(encoding="utf-8")
    assert "Army Tactical Missile System" in atacms
    assert "<script>alert" not in atacms
    cli = (out / "cli.html").read_text(encoding="utf-8")
    assert "specs" in cli


@pytest.mark.slow
def test_every_notebook_is_a_tutorial(built_docs: tuple[Path, set[Path]]) -> None:
    out, _ = built_docs
    notebooks = sorted(p.stem for p in (ROOT / "notebooks").glob("*.ipynb"))
    assert notebooks
    assert sorted(p.stem for p in (DOCS / "tutorials").iterdir()) == notebooks
    index = (out / "index.html").read_text(encoding="utf-8")
    start = (out / "getting-started.html").read_text(encoding="utf-8")
    for stem in notebooks:
        assert (out / "tutorials" / f"{stem}.html").exists(), stem
        assert f'href="tutorials/{stem}.html"' in index, stem
        assert f'href="tutorials/{stem}.html"' in start, stem


def _tutorial(out: Path, stem: str) -> str:
    return (out / "tutorials" / f"{stem}.html").read_text(encoding="utf-8")


def _images(out: Path, page: str) -> list[Path]:
    """The images a tutorial page shows, each checked to be a non-empty PNG file."""
    found = []
    for src in re.findall(r'<img [^>]*src="([^"]+)"', page):
        image = (out / "tutorials" / src).resolve()
        assert image.read_bytes().startswith(b"\x89PNG\r\n\x1a\n"), src
        found.append(image)
    return found


@pytest.mark.slow
def test_tutorials_show_the_notebook_outputs(built_docs: tuple[Path, set[Path]]) -> None:
    out, _ = built_docs
    first = _tutorial(out, "01-atacms-from-scratch")
    # Printed text, the claims table (a pandas table in HTML) and the map as a PNG.
    assert "ATACMS - Army Tactical Missile System" in first
    table = first[first.index('class="dataframe"') :]
    table = table[: table.index("</table>")]
    for cell in ("<th>reported as</th>", "<th>claimant</th>", "<td>Lockheed Martin</td>",
                 "<td>up to 300 km</td>", "<td>M39 (Block I)</td>"):  # fmt: skip
        assert cell in table, cell
    assert "atacms-output/atacms.png" in first
    assert "Belgorod" in first
    assert len(_images(out, first)) == 1
    assert len(_images(out, _tutorial(out, "02-comparing-claims"))) == 2
    third = _tutorial(out, "03-reach-from-a-front-line")
    assert len(_images(out, third)) == 1
    assert "line-output/storm-shadow-line.gpkg" in third
    for stem in ("01-atacms-from-scratch", "02-comparing-claims", "03-reach-from-a-front-line"):
        page = _tutorial(out, stem)
        assert "Traceback" not in page, stem
        assert 'class="output stderr' not in page, stem


@pytest.mark.slow
def test_docs_build_leaves_no_notebook_files(built_docs: tuple[Path, set[Path]]) -> None:
    _, left = built_docs
    assert not left, f"the notebooks ran inside the repository: {sorted(map(str, left))}"


HOSTILE = "*x* `y` |z| _w_ [1]_ :ref:`q` <script>alert(1)</script> .. raw:: html"


def _hostile_catalog(tmp_path: Path) -> Catalog:
    """The built-in catalog plus a copy of Tochka-U whose every text is hostile markup."""
    import yaml

    data = yaml.safe_load((ROOT / "specs" / "tochka-u.yaml").read_text(encoding="utf-8"))
    data.update(id="hostile-test", name=f"Name {HOSTILE}", full_name=HOSTILE, aliases=[])
    data.update(names={"uk": f"Назва {HOSTILE}"})  # names are look-up keys: not Tochka-U's
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
