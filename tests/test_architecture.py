"""The import graph of `src/transnorm`, read statically with `ast`: layers, no cycle, light imports.

Every `import` and `from ... import` of every module is read, at module level and inside functions
(an import that runs later is still a dependency); imports under `if TYPE_CHECKING:` never run and
are left out. `from pkg import name` depends on `pkg.name` when that is a module, else on `pkg`.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parent.parent / "src"
PACKAGE = "transnorm"
CLI = "transnorm.cli"
HEAVY = ("torch", "transformers", "ctranslate2")


@dataclass(frozen=True)
class Import:
    module: str  # the importing module
    target: str  # what it imports (a module of ours, or any other top-level name)
    line: int
    in_function: bool


def _modules() -> dict[str, Path]:
    found = {}
    for path in sorted((SRC / PACKAGE).rglob("*.py")):
        parts = list(path.relative_to(SRC).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts.pop()
        found[".".join(parts)] = path
    return found


MODULES = _modules()


def _is_type_checking(test: ast.expr) -> bool:
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def _imports(module: str) -> list[Import]:
    path = MODULES[module]
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    found: list[Import] = []

    def visit(node: ast.AST, in_function: bool) -> None:
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.If) and _is_type_checking(child.test):
                for stmt in child.orelse:
                    visit_one(stmt, in_function)
                continue
            visit_one(child, in_function)

    def visit_one(node: ast.AST, in_function: bool) -> None:
        if isinstance(node, ast.Import):
            found.extend(Import(module, a.name, node.lineno, in_function) for a in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parts = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*parts, base] if base else parts)
            for alias in node.names:
                sub = f"{base}.{alias.name}"
                found.append(Import(module, sub if sub in MODULES else base, node.lineno, in_function))
        inner = in_function or isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda))
        visit(node, inner)

    visit(ast.parse(path.read_text(encoding="utf-8"), str(path)), False)
    return found


IMPORTS = {module: _imports(module) for module in MODULES}


def _is_cli(name: str) -> bool:
    return name == CLI or name.startswith(CLI + ".")


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """One cycle (as a path that returns to its start) per strongly connected group of modules."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    groups: list[list[str]] = []

    def connect(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in sorted(graph[v]):
            if w not in index:
                connect(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            group = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                group.append(w)
                if w == v:
                    break
            if len(group) > 1:
                groups.append(group)

    for v in sorted(graph):
        if v not in index:
            connect(v)
    return [_path_in(graph, set(group)) for group in groups]


def _path_in(graph: dict[str, set[str]], group: set[str]) -> list[str]:
    """A closed walk through `group` from its first module back to it (for the failure message)."""
    start = min(group)
    paths = {start: [start]}
    queue = [start]
    while queue:
        v = queue.pop(0)
        for w in sorted(graph[v] & group):
            if w == start:
                return [*paths[v], start]
            if w not in paths:
                paths[w] = [*paths[v], w]
                queue.append(w)
    return sorted(group)  # pragma: no cover - a strongly connected group always closes


def test_the_walk_reads_the_whole_package() -> None:
    """A guard on the test itself: it sees the stages, the CLI and function-level imports."""
    for name in ("transnorm.pipeline", "transnorm.detect", "transnorm.translate.stage", "transnorm.cli"):
        assert name in MODULES
    assert any(i.in_function for imports in IMPORTS.values() for i in imports)
    assert any(i.target == "transnorm.pipeline" for i in IMPORTS["transnorm.cli.run"])


def test_no_library_module_imports_the_cli() -> None:
    offenders = [
        f"{i.module} (line {i.line}) imports {i.target}"
        for imports in IMPORTS.values()
        for i in imports
        if _is_cli(i.target) and not _is_cli(i.module)
    ]
    assert not offenders, "the library must not import the command line:\n" + "\n".join(offenders)


def test_no_library_module_loads_a_module_by_name_from_the_cli() -> None:
    """`importlib.import_module("transnorm.cli...")` would hide an import from the walk above."""
    offenders = [
        str(path.relative_to(SRC))
        for name, path in MODULES.items()
        if not _is_cli(name) and f'"{CLI}' in path.read_text(encoding="utf-8")
    ]
    assert not offenders


def test_the_import_graph_has_no_cycle() -> None:
    graph = {
        m: {i.target for i in imports if i.target in MODULES and i.target != m}
        for m, imports in IMPORTS.items()
    }
    cycles = _cycles(graph)
    assert not cycles, "import cycles:\n" + "\n".join(" -> ".join(c) for c in cycles)


@pytest.mark.parametrize("heavy", HEAVY)
def test_heavy_dependencies_are_imported_only_inside_functions(heavy: str) -> None:
    """`import transnorm` and `transnorm --help` never load torch, transformers or ctranslate2."""
    offenders = [
        f"{i.module} (line {i.line}) imports {i.target}"
        for imports in IMPORTS.values()
        for i in imports
        if not i.in_function and i.target.split(".")[0] == heavy
    ]
    assert not offenders, "\n".join(offenders)


def test_the_cycle_finder_reports_a_cycle() -> None:
    graph = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}
    assert _cycles(graph) == [["a", "b", "c", "a"]]
    assert _cycles({"a": {"b"}, "b": set()}) == []
