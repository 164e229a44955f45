"""The layout docs/architecture.md describes, checked: no import circles between modules or
packages, imports point down the layers, and modules stay small enough to read."""

from __future__ import annotations

import ast
from collections import defaultdict
from pathlib import Path

import pytest

from tests.conftest import REPO

BOT = REPO / "bot"
# docs/architecture.md, "Which way imports point": each row may import the rows below it.
LAYERS = (
    {"__main__"},
    {"cli"},
    {"app"},
    {"slack"},
    {"ops"},
    {"deliver"},
    {"digest"},
    {"pipeline"},
    {"route", "services", "watches"},
    {"stories"},
    {"event"},
    {"fetch", "match"},
    {"store"},
    {"models", "config", "configfiles", "settings", "clock", "errors", "messages", "__init__"},
)
# Imports allowed inside a layer (the stages stay independent of each other); circles are
# caught by the tests below either way.
SIDEWAYS = {
    ("services", "watches"),
    ("route", "services"),
    ("route", "watches"),
    ("config", "errors"),
    ("config", "configfiles"),  # reading a YAML file and saying its problems in words
    ("configfiles", "errors"),
}


def _modules() -> dict[str, Path]:
    found = {}
    for path in BOT.rglob("*.py"):
        if "migrations" in path.parts:
            continue
        name = ".".join(path.relative_to(REPO).with_suffix("").parts).removesuffix(".__init__")
        found[name] = path
    return found


def _imports(modules: dict[str, Path]) -> dict[str, set[str]]:
    """Module → the bot modules it imports, at any depth of the file (lazy imports count)."""
    graph: dict[str, set[str]] = defaultdict(set)
    for name, path in modules.items():
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Import):
                targets = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                targets = [node.module] + [f"{node.module}.{a.name}" for a in node.names]
            else:
                continue
            for target in targets:
                while target and target not in modules:
                    target = target.rpartition(".")[0]
                if target and target != name and target.startswith("bot"):
                    graph[name].add(target)
    return graph


def _package(module: str) -> str:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else "__init__"


def _cycle(graph: dict[str, set[str]]) -> list[str] | None:
    """One cycle of the graph, if it has any (depth-first search)."""
    state: dict[str, int] = {}
    stack: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node] = 1
        stack.append(node)
        for nxt in sorted(graph.get(node, ())):
            if state.get(nxt) == 1:
                return [*stack[stack.index(nxt) :], nxt]
            if nxt not in state and (found := visit(nxt)):
                return found
        state[node] = 2
        stack.pop()
        return None

    for node in sorted(graph):
        if node not in state and (found := visit(node)):
            return found
    return None


@pytest.fixture(scope="module")
def graph() -> dict[str, set[str]]:
    return _imports(_modules())


def test_no_import_circles_between_modules(graph):
    assert _cycle(graph) is None


def test_no_import_circles_between_packages(graph):
    packages: dict[str, set[str]] = defaultdict(set)
    for module, targets in graph.items():
        packages[_package(module)] |= {_package(t) for t in targets} - {_package(module)}
    assert _cycle(packages) is None


def test_imports_point_down_the_layers(graph):
    level = {pkg: i for i, row in enumerate(LAYERS) for pkg in row}
    upward = sorted(
        f"{module} imports {target}"
        for module, targets in graph.items()
        for target in targets
        if (a := _package(module)) != (b := _package(target))
        and level[b] <= level[a]
        and (a, b) not in SIDEWAYS
    )
    assert upward == []


def test_every_package_is_placed_in_a_layer(graph):
    placed = {pkg for row in LAYERS for pkg in row}
    assert {_package(m) for m in _modules()} <= placed


def test_modules_stay_readable():
    root = [p.name for p in BOT.glob("*.py")]
    assert len(root) <= 12, sorted(root)
    long = {
        str(p.relative_to(REPO)): n
        for p in _modules().values()
        if (n := len(p.read_text().splitlines())) > 500
    }
    assert long == {}
    assert len((BOT / "pipeline.py").read_text().splitlines()) <= 250
