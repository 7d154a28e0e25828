"""The modules of rangemap import one another without cycles, and start-up stays light.

Every import of a rangemap module counts, at module level and inside functions (a
function-local import only postpones a cycle, it does not remove it), except those in
an ``if TYPE_CHECKING:`` block, which never run. ``from rangemap.x import y`` depends on
``rangemap.x.y`` when ``y`` is a submodule and on ``rangemap.x`` otherwise; a package
stands for its ``__init__``. A module depends on its parent packages only if it imports
them.

Start-up: ``import rangemap``, ``rangemap --version`` and ``rangemap --help`` load none
of the heavy libraries (folium, pandas, geopandas, matplotlib, jinja2), a command
that draws nothing loads no renderer, checking an output loads none either, and
``rangemap demo`` loads only the HTML renderer and never geopandas or matplotlib; each
is checked in a fresh interpreter.
"""

from __future__ import annotations

import ast
import json
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "rangemap"

Graph = dict[str, set[str]]

#: Import edges allowed for now, each ``(importer, imported)``: only edges that close a
#: cycle through ``rangemap.scene`` or ``rangemap.render`` (rewritten separately) may be
#: listed, and each must still exist. None is needed today: the renderers import the
#: scene only under ``TYPE_CHECKING`` and the scene imports ``rangemap.render`` (its
#: registry) without being imported back, so every module, scene and renderers
#: included, is guarded. Add an edge here only while its cycle is being removed.
KNOWN_SCENE_RENDER_EDGES: frozenset[tuple[str, str]] = frozenset()


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _modules() -> dict[str, Path]:
    return {_module_name(path): path for path in sorted(PACKAGE.rglob("*.py"))}


def _is_type_checking(test: ast.expr) -> bool:
    """Tell whether an ``if`` test is ``TYPE_CHECKING`` or ``typing.TYPE_CHECKING``."""
    if isinstance(test, ast.Name):
        return test.id == "TYPE_CHECKING"
    return isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"


def _imports(tree: ast.AST) -> Iterator[ast.Import | ast.ImportFrom]:
    """Yield every import statement that can run: all but those under TYPE_CHECKING."""
    for node in ast.iter_child_nodes(tree):
        if isinstance(node, ast.Import | ast.ImportFrom):
            yield node
        elif isinstance(node, ast.If) and _is_type_checking(node.test):
            for child in node.orelse:  # the ``else:`` of ``if TYPE_CHECKING:`` runs
                yield from _imports(ast.Module(body=[child], type_ignores=[]))
        else:
            yield from _imports(node)


def _targets(node: ast.Import | ast.ImportFrom, module: str, modules: set[str]) -> set[str]:
    """Return the rangemap modules one import statement depends on."""
    if isinstance(node, ast.Import):
        return {alias.name for alias in node.names if alias.name in modules}
    base = node.module or ""
    if node.level:
        is_package = (PACKAGE.parent / module.replace(".", "/") / "__init__.py").exists()
        anchor = module.split(".")
        anchor = anchor[: len(anchor) - node.level + (1 if is_package else 0)]
        base = ".".join([*anchor, *([base] if base else [])])
    if base != "rangemap" and not base.startswith("rangemap."):
        return set()
    found: set[str] = set()
    for alias in node.names:
        sub = f"{base}.{alias.name}"
        found.add(sub if sub in modules else base)
    return found


def import_graph() -> Graph:
    """Return every rangemap module and the rangemap modules it imports."""
    paths = _modules()
    names = set(paths)
    graph: Graph = {}
    for module, path in paths.items():
        tree = ast.parse(path.read_text("utf-8"), filename=str(path))
        graph[module] = set()
        for node in _imports(tree):
            graph[module] |= _targets(node, module, names)
        graph[module].discard(module)
    return graph


def strongly_connected(graph: Graph) -> list[list[str]]:
    """Return the strongly connected components of more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for target in sorted(graph.get(node, ())):
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in on_stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            component = []
            while True:
                top = stack.pop()
                on_stack.discard(top)
                component.append(top)
                if top == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return found


def a_cycle(graph: Graph, component: list[str]) -> list[str]:
    """Return one cycle through the first module of a strongly connected component."""
    members = set(component)
    start = component[0]
    # Breadth-first from start back to start, inside the component: a shortest cycle.
    previous: dict[str, str] = {}
    queue = [start]
    while queue:
        node = queue.pop(0)
        for target in sorted(graph[node] & members):
            if target == start:
                path = [node]
                while path[-1] != start:
                    path.append(previous[path[-1]])
                return [*reversed(path), start]
            if target not in previous:
                previous[target] = node
                queue.append(target)
    raise AssertionError(component)  # pragma: no cover (a component always has a cycle)


def describe_cycles(graph: Graph) -> list[str]:
    """Describe one cycle per strongly connected component, as ``a -> b -> a``."""
    return [" -> ".join(a_cycle(graph, c)) for c in strongly_connected(graph)]


def without(graph: Graph, edges: frozenset[tuple[str, str]]) -> Graph:
    """Return the graph without the given edges."""
    return {m: {t for t in targets if (m, t) not in edges} for m, targets in graph.items()}


def test_the_graph_sees_every_kind_of_import() -> None:
    graph = import_graph()
    # Module level, and a package standing for its __init__.
    assert "rangemap.errors" in graph["rangemap.units"]
    assert "rangemap.geodesy" in graph["rangemap.places.within"]
    # ``from package import submodule`` is the submodule.
    assert "rangemap.places.site" in graph["rangemap.places"]
    # TYPE_CHECKING imports do not count: reach names catalog types only for mypy.
    assert "rangemap.catalog.models" not in graph["rangemap.reach"]
    # No module depends on a parent package it does not import.
    assert "rangemap.places" not in graph["rangemap.places.names"]


def test_function_level_imports_count() -> None:
    source = "def f():\n    from rangemap.places import geocode\n"
    tree = ast.parse(source)
    modules = set(_modules())
    [node] = list(_imports(tree))
    assert _targets(node, "rangemap.x", modules) == {"rangemap.places.geocode"}


def test_type_checking_imports_do_not_count() -> None:
    source = (
        "from typing import TYPE_CHECKING\n"
        "if TYPE_CHECKING:\n    from rangemap.scene import RangeMap\n"
        "else:\n    import rangemap.units\n"
    )
    found = [n for n in _imports(ast.parse(source)) if isinstance(n, ast.Import)]
    assert [alias.name for n in found for alias in n.names] == ["rangemap.units"]


def test_cycle_finder_finds_a_cycle() -> None:
    graph: Graph = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}
    assert describe_cycles(graph) == ["a -> b -> c -> a"]
    assert describe_cycles(without(graph, frozenset({("c", "a")}))) == []


def test_relative_imports_resolve_like_absolute_ones() -> None:
    modules = set(_modules())
    [in_module] = list(_imports(ast.parse("from . import geocode\n")))
    assert _targets(in_module, "rangemap.places.site", modules) == {"rangemap.places.geocode"}
    [in_package] = list(_imports(ast.parse("from .site import Site\n")))
    assert _targets(in_package, "rangemap.places", modules) == {"rangemap.places.site"}
    [up] = list(_imports(ast.parse("from ..errors import InputError\n")))
    assert _targets(up, "rangemap.places.site", modules) == {"rangemap.errors"}


def _scene_or_render(module: str) -> bool:
    return module == "rangemap.scene" or module.startswith("rangemap.render")


def test_no_import_cycles() -> None:
    graph = import_graph()
    for source, target in sorted(KNOWN_SCENE_RENDER_EDGES):
        assert _scene_or_render(source) or _scene_or_render(target), (source, target)
        assert target in graph[source], f"{source} -> {target} is gone: remove it from the list"
    cycles = describe_cycles(without(graph, KNOWN_SCENE_RENDER_EDGES))
    assert not cycles, "import cycles:\n" + "\n".join(cycles)


#: What start-up must not load: each takes tens to hundreds of milliseconds to import.
HEAVY = ("folium", "pandas", "geopandas", "matplotlib", "jinja2")

#: Runs ``rangemap`` with the given arguments in this interpreter, then prints what it
#: loaded (as JSON) on the last line of standard error.
_PROBE = """
import contextlib, io, json, sys
loaded = None
try:
    with contextlib.redirect_stdout(io.StringIO()):
        from rangemap.cli import main
        status = main(sys.argv[1:])
except SystemExit as stop:
    status = stop.code
print(json.dumps([status, sorted(sys.modules)]), file=sys.stderr)
"""


def _loaded_by(*arguments: str) -> tuple[object, set[str]]:
    """Run ``rangemap ARGUMENTS`` in a fresh interpreter: its exit status and its modules."""
    result = subprocess.run(
        [sys.executable, "-c", _PROBE, *arguments],
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
    )
    status, modules = json.loads(result.stderr.strip().splitlines()[-1])
    return status, set(modules)


def _heavy(modules: set[str]) -> list[str]:
    return sorted(name for name in HEAVY if name in modules)


def test_import_rangemap_loads_no_heavy_library() -> None:
    code = "import json, sys, rangemap; print(json.dumps(sorted(sys.modules)))"
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=120
    )
    assert _heavy(set(json.loads(result.stdout))) == []


@pytest.mark.parametrize("arguments", [["--version"], ["--help"]])
def test_version_and_help_load_no_heavy_library(arguments: list[str]) -> None:
    status, modules = _loaded_by(*arguments)
    assert status == 0
    assert _heavy(modules) == []
    assert not {"numpy", "pydantic", "rangemap.catalog"} & modules


def test_the_probe_sees_a_heavy_library_when_one_is_loaded(tmp_path: Path) -> None:
    # The checks here can fail: the public places table is a GeoDataFrame.
    out = tmp_path / "places.csv"
    status, modules = _loaded_by(
        "places", "atacms", "--from", "Sumy", "--format", "csv", "-o", str(out)
    )
    assert status == 0
    assert {"pandas", "geopandas"} <= modules


def test_checking_an_output_loads_no_renderer() -> None:
    status, modules = _loaded_by(
        "demo", "-o", str(Path(__file__).parent / "no-such-dir" / "x.html")
    )
    assert status == 2
    assert _heavy(modules) == []
    assert not {"rangemap.render.html", "rangemap.render.static"} & modules


@pytest.mark.parametrize(
    "arguments",
    [
        ["demo"],
        ["map", "atacms", "--from", "Sumy", "--places", "10"],
        ["map", "atacms", "--from", "Sumy", "--interactive"],
    ],
)
def test_a_web_page_loads_folium_without_pandas(arguments: list[str], tmp_path: Path) -> None:
    # folium imports pandas only to accept DataFrames, which rangemap never passes: a
    # command that writes a page loads folium without it (cli._common.import_folium_lean).
    status, modules = _loaded_by(*arguments, "-o", str(tmp_path / "map.html"))
    assert status == 0
    assert (tmp_path / "map.html").stat().st_size > 0
    assert "folium" in modules
    assert not {"pandas", "geopandas", "matplotlib"} & modules


def test_the_demo_loads_only_the_html_renderer(tmp_path: Path) -> None:
    # An HTML map needs folium, never geopandas, matplotlib or the other renderers;
    # the places and the basemap are read without geopandas (within_columns,
    # regions.atlas).
    status, modules = _loaded_by("demo", "-o", str(tmp_path / "demo.html"))
    assert status == 0
    assert (tmp_path / "demo.html").stat().st_size > 0
    assert "folium" in modules
    assert not {"geopandas", "matplotlib", "sqlite3"} & modules
    renderers = {"html", "static", "vector", "export"}
    assert {
        m.rsplit(".", 1)[1] for m in modules if m.startswith("rangemap.render.")
    } & renderers == {"html"}


def test_the_builtin_format_table_matches_the_renderers() -> None:
    # _registry.BUILTIN says which module writes a suffix, with which options, so that
    # no renderer is loaded to check an output: it must say what the modules register.
    import importlib

    from rangemap.render import _registry

    for suffix, (module, options) in _registry.BUILTIN.items():
        importlib.import_module(module)
        registered = _registry.formats()[suffix]
        assert registered.options == options, suffix
        assert registered.writer.__module__ == module, suffix
    assert set(_registry.BUILTIN) <= set(_registry.formats())


def test_a_command_that_draws_nothing_loads_no_renderer() -> None:
    status, modules = _loaded_by("specs", "list")
    assert status == 0
    assert _heavy(modules) == []
    assert not any(name.startswith("rangemap.render") for name in modules)
    assert "numpy" not in modules


def test_a_lookup_by_id_reads_one_spec_file() -> None:
    # The built-in catalog is read as far as it is used: the demo's "atacms" reads
    # specs/atacms.yaml alone; a name that is no file reads and checks every file once.
    from rangemap.catalog import catalog as module

    fresh = module._BuiltinCatalog()
    folder = module.builtin_specs_dir()
    atacms = fresh.lookup("ATACMS")
    assert list(fresh._files) == [folder / "atacms.yaml"]
    assert "_systems" not in vars(fresh)
    assert fresh.lookup("MGM 140") is atacms  # an alias: the whole catalog, same object
    assert sorted(fresh._files) == sorted(folder.glob("*.yaml"))
    assert list(fresh) == list(module.Catalog.load())
    assert fresh.resolve("atacms:block-i")[1].id == "block-i"
    assert fresh.lookup("atacms") is atacms
