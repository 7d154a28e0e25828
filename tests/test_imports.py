"""The modules of rangemap import one another without cycles.

Every import of a rangemap module counts, at module level and inside functions (a
function-local import only postpones a cycle, it does not remove it), except those in
an ``if TYPE_CHECKING:`` block, which never run. ``from rangemap.x import y`` depends on
``rangemap.x.y`` when ``y`` is a submodule and on ``rangemap.x`` otherwise; a package
stands for its ``__init__``. A module depends on its parent packages only if it imports
them.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

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
