"""Sphinx configuration of the rangemap documentation.

Build with ``sphinx-build -W -n docs docs/_build/html``. Before Sphinx reads any page,
``scripts/build_docs_pages.py`` writes the pages that come from the code and data:
one page per catalog system under ``systems/``, the JSON Schema of spec files and the
geodesy benchmark tables under ``_generated/``; and the notebooks of ``notebooks/`` are
copied to ``tutorials/``, where myst-nb runs each one during the build and shows its
outputs. Nothing here touches the network.
"""

from __future__ import annotations

import importlib
import importlib.util
import shutil
import sys
import types
from pathlib import Path
from typing import Any

DOCS = Path(__file__).resolve().parent
ROOT = DOCS.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(DOCS))

import rangemap  # noqa: E402


def _load_generator() -> object:
    path = ROOT / "scripts" / "build_docs_pages.py"
    spec = importlib.util.spec_from_file_location("build_docs_pages", path)
    if spec is None or spec.loader is None:
        msg = f"cannot load {path}"
        raise RuntimeError(msg)
    module = importlib.util.module_from_spec(spec)
    sys.modules["build_docs_pages"] = module
    spec.loader.exec_module(module)
    return module


_load_generator().generate(DOCS)  # type: ignore[attr-defined]


def _copy_notebooks(source: Path, target: Path) -> list[Path]:
    """Copy the notebooks of ``source`` into ``target``, which holds nothing else.

    Sphinx reads only files inside ``docs/``, and the notebooks stay where users find
    them (``notebooks/``). A copy is rewritten only when its content changes, so an
    incremental build runs again only the notebooks that changed; copies of notebooks
    that no longer exist are removed.
    """
    target.mkdir(exist_ok=True)
    wanted = {path.name: path for path in sorted(source.glob("*.ipynb"))}
    for stale in target.iterdir():
        if stale.name not in wanted:
            if stale.is_dir():
                shutil.rmtree(stale)
            else:
                stale.unlink()
    written = []
    for name, path in wanted.items():
        copy = target / name
        data = path.read_bytes()
        if not copy.exists() or copy.read_bytes() != data:
            copy.write_bytes(data)
        written.append(copy)
    return written


_copy_notebooks(ROOT / "notebooks", DOCS / "tutorials")

project = "rangemap"
author = "rangemap contributors"
copyright = "rangemap contributors"
release = rangemap.__version__
version = release

extensions = [
    "myst_nb",
    "numpydoc",
    "sphinx.ext.autodoc",
    "sphinx.ext.autosummary",
    "sphinxarg.ext",
]

source_suffix = {".rst": "restructuredtext", ".md": "myst-nb", ".ipynb": "myst-nb"}
root_doc = "index"
exclude_patterns = ["_build", "Thumbs.db", ".DS_Store", ".gitignore"]
templates_path = ["_templates"]
language = "en"

# Markdown (MyST): only the extensions the pages use; no raw HTML in pages.
myst_enable_extensions = ["colon_fence", "deflist"]
myst_heading_anchors = 3

# Tutorials (myst-nb): every notebook runs at each full build, in a temporary folder so
# the files it writes (maps, images) never land in the repository; a failing cell fails
# the build, and so does a warning a cell prints (stderr). Executed copies and images go
# to ``jupyter_execute/`` beside the HTML output folder.
nb_execution_mode = "force"
nb_execution_in_temp = True
nb_execution_timeout = 120
nb_execution_raise_on_error = True
nb_execution_show_tb = True
nb_merge_streams = True
nb_output_stderr = "warn"

# API reference: autosummary walks the package recursively, so new modules appear on
# their own. numpydoc renders the docstrings; class member tables are left out because
# pydantic models would list every inherited BaseModel method.
autosummary_generate = True
autosummary_imported_members = False
autodoc_member_order = "bysource"
autodoc_typehints = "signature"
# Each object is documented once, in the module that defines it; names a package
# re-exports (``rangemap.catalog.Catalog``) resolve to it through _resolve_reexport.
autodoc_default_options = {"show-inheritance": True, "ignore-module-all": True}
numpydoc_show_class_members = False
numpydoc_class_members_toctree = False
numpydoc_xref_param_type = False

# -n: every cross-reference inside rangemap must resolve. References to other packages
# (numpy, shapely, pydantic, the standard library) cannot, since the build is offline
# and has no intersphinx inventories, so they are not checked.
nitpicky = True
nitpick_ignore_regex = [
    (r"py:.*", r"(?!rangemap\b).*"),
    (r"py:.*", r"rangemap(\.\w+)*\._\w+.*"),
    # typing.Annotated as pydantic shows it in a field's type (CaveatItem's tagged union)
    (r"py:class", r"rangemap(\.\w+)*\.Annotated"),
]


def _resolve_reexport(app: Any, env: Any, node: Any, contnode: Any) -> Any:
    """Resolve ``rangemap.pkg.Name`` to where ``Name`` is defined and documented.

    Docstrings and type hints refer to objects by the name users import
    (``rangemap.catalog.System``); autodoc documents them once, under the module that
    defines them (``rangemap.catalog.models.System``). This finds the documented twin:
    through the object's ``__module__`` when it has one, else the single documented
    object of the same name inside the same package.
    """
    if node.get("refdomain") != "py":
        return None
    target = str(node.get("reftarget", ""))
    if not target.startswith("rangemap."):
        return None
    domain = env.get_domain("py")
    module_name, _, name = target.rpartition(".")
    candidates: list[str] = []
    try:
        obj = getattr(importlib.import_module(module_name), name)
    except (ImportError, AttributeError):
        obj = None
    home = getattr(obj, "__module__", None)
    if isinstance(home, str) and home.startswith("rangemap"):
        candidates.append(f"{home}.{getattr(obj, '__qualname__', name)}")
    suffix = f".{name}"
    documented = [
        full
        for full in domain.objects
        if full.startswith(f"{module_name}.") and full.endswith(suffix)
    ]
    if len(documented) == 1:
        candidates.append(documented[0])
    for full in candidates:
        if full in domain.objects:
            return (
                domain.resolve_xref(
                    env, node["refdoc"], app.builder, node["reftype"], full, node, contnode
                )
                or domain.resolve_any_xref(env, node["refdoc"], app.builder, full, node, contnode)[
                    0
                ][1]
            )
    return None


def _skip_bare_aliases(
    app: Any, what: str, name: str, obj: Any, skip: bool, options: Any
) -> bool | None:
    """Leave out module-level aliases such as ``Problem = tuple[str, str]``.

    autodoc takes them for classes and cannot format their signature.
    """
    if isinstance(obj, types.GenericAlias):
        return True
    return None


def setup(app: Any) -> None:
    """Connect the resolver of re-exported names and the alias filter."""
    app.connect("missing-reference", _resolve_reexport)
    app.connect("autodoc-skip-member", _skip_bare_aliases)


html_theme = "furo"
html_title = f"rangemap {release}"
html_static_path: list[str] = []
html_show_sourcelink = False
html_last_updated_fmt = None
