"""The package's layout holds: imports only go down the layers, no cycles, no private name
used outside its module, no module too long to read (docs/ARCHITECTURE.md explains the layers).

Every import counts, including the ones inside functions and under TYPE_CHECKING: a lazy
import is still a dependency a maintainer has to know about.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "src" / "livingsys"

#: The layers, lowest first. A module may import modules of its own layer or of a lower one.
LAYERS: tuple[tuple[str, ...], ...] = (
    ("livingsys", "livingsys.findings", "livingsys.neutral", "livingsys.codes",
     "livingsys.wording", "livingsys.i18n"),
    ("livingsys.models",),
    ("livingsys.reading",),
    ("livingsys.conditions",),
    ("livingsys.history",),
    ("livingsys.tools",),
    ("livingsys.checks",),
    ("livingsys.ritual",),
    ("livingsys.render",),
    ("livingsys.site",),
    ("livingsys.cli", "livingsys.__main__"),
)

MAX_LINES = 800

#: Known breaches of the layout, each to be removed. The test fails when one of them is gone,
#: so that this list only shrinks. Empty: keep it so.
KNOWN: set[str] = set()


def _modules() -> dict[str, Path]:
    out = {}
    for path in PACKAGE.rglob("*.py"):
        parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
        name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
        out[name] = path
    return out


MODULES = _modules()


def _target(current: str, node: ast.ImportFrom) -> str:
    if not node.level:
        return node.module or ""
    base = current.split(".")
    if MODULES[current].name != "__init__.py":
        base = base[:-1]
    base = base[: len(base) - (node.level - 1)]
    return ".".join(base + ([node.module] if node.module else []))


def _imports(name: str) -> list[tuple[str, list[str], int]]:
    """(imported module, names imported from it, line) for every import of a livingsys
    module in ``name``."""
    tree = ast.parse(MODULES[name].read_text(encoding="utf-8"))
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name.split(".")[0] == "livingsys":
                    found.append((alias.name, [], node.lineno))
        elif isinstance(node, ast.ImportFrom):
            module = _target(name, node)
            if module.split(".")[0] != "livingsys":
                continue
            plain = []
            for alias in node.names:
                if f"{module}.{alias.name}" in MODULES:
                    found.append((f"{module}.{alias.name}", [], node.lineno))
                else:
                    plain.append(alias.name)
            if plain:
                found.append((module, plain, node.lineno))
    return found


def _layer(module: str) -> int:
    best, level = -1, None
    for index, prefixes in enumerate(LAYERS):
        for prefix in prefixes:
            if (module == prefix or module.startswith(prefix + ".")) and len(prefix) > best:
                best, level = len(prefix), index
    assert level is not None, f"{module} is in no layer of LAYERS"
    return level


def _breaches() -> dict[str, str]:
    out: dict[str, str] = {}
    graph: dict[str, set[str]] = {name: set() for name in MODULES}
    for name in MODULES:
        for module, names, line in _imports(name):
            if module not in MODULES:
                out[f"unknown {name} -> {module}"] = f"{MODULES[name]}:{line} imports {module}"
                continue
            if module != name:
                graph[name].add(module)
            if _layer(module) > _layer(name):
                out[f"upward {name} -> {module}"] = (
                    f"{MODULES[name]}:{line}: {name} (layer {_layer(name)}) imports "
                    f"{module} (layer {_layer(module)})")
            for imported in names:
                # gettext's `_` is the one public name that starts with _ (livingsys.i18n)
                if (imported.startswith("_") and not imported.startswith("__")
                        and imported != "_"):
                    out[f"private {name} -> {module}.{imported}"] = (
                        f"{MODULES[name]}:{line}: {name} uses {module}'s private {imported}")
    for cycle in _cycles(graph):
        out["cycle " + " -> ".join(cycle)] = "import cycle: " + " -> ".join(cycle)
    for name, path in MODULES.items():
        lines = len(path.read_text(encoding="utf-8").splitlines())
        if lines > MAX_LINES:
            out[f"long {name}"] = f"{path} has {lines} lines (at most {MAX_LINES})"
    return out


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected components of more than one module (Tarjan), each sorted, a
    package and its own modules excepted (``livingsys.checks`` loading its checks)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []
    counter = [0]

    def edges(node: str) -> set[str]:
        return {m for m in graph[node] if not m.startswith(node + ".")}

    def visit(node: str) -> None:
        index[node] = low[node] = counter[0]
        counter[0] += 1
        stack.append(node)
        on_stack.add(node)
        for nxt in edges(node):
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in on_stack:
                low[node] = min(low[node], index[nxt])
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


BREACHES = _breaches()


def test_every_module_is_in_a_layer():
    for name in MODULES:
        _layer(name)


@pytest.mark.parametrize("kind", ["upward", "private", "cycle", "long", "unknown"])
def test_the_layout_holds(kind):
    new = sorted(message for key, message in BREACHES.items()
                 if key.startswith(kind + " ") and key not in KNOWN)
    assert not new, "\n".join(new)


def test_the_list_of_known_breaches_only_shrinks():
    mended = sorted(KNOWN - set(BREACHES))
    assert not mended, "no longer breached, remove from KNOWN: " + ", ".join(mended)


def test_the_cycle_finder_finds_a_cycle():
    # the test above can only fail if _cycles can see one
    graph = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}
    assert _cycles(graph) == [["a", "b", "c"]]


def test_a_lower_layer_importing_a_higher_one_is_seen():
    assert _layer("livingsys.reading.registry") < _layer("livingsys.checks.lint")
    assert _layer("livingsys.render.width") < _layer("livingsys.cli.main")
