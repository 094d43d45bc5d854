"""The layout of ``lib/``: packages by concern, imports only downward, no cycles, no private
names across modules (the rules in ``lib/__init__.py``); no cycles in ``ui/``; no test module
importing another."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

pytestmark = pytest.mark.unit

LIB = Path(__file__).resolve().parents[1] / "lib"

#: Each package and the packages it may import from (besides itself).
ALLOWED = {
    "data": set(),
    "places": {"data"},
    "map": {"data", "places"},
    "access": {"data"},
    "editing": {"data", "places", "map", "access"},
    "pictures": {"data", "places", "map"},
    "edition": {"data", "places", "map", "pictures", "editing"},
    "commands": {"data", "places", "map", "access", "editing", "pictures", "edition"},
}


def _modules(root: Path = LIB) -> dict[str, Path]:
    found = {}
    for path in root.rglob("*.py"):
        parts = path.relative_to(root.parent).with_suffix("").parts
        if parts[-1] == "__init__":
            parts = parts[:-1]
        found[".".join(parts)] = path
    return found


def _imports(path: Path, package: str = "lib") -> list[tuple[str, list[str]]]:
    """Every module of ``package`` this file imports (at any depth, functions included), with
    the names it takes from it."""
    modules = MODULES if package == "lib" else UI_MODULES
    out = []
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.ImportFrom) and node.module and _within(node.module, package):
            for alias in node.names:
                sub = f"{node.module}.{alias.name}"
                if sub in modules:
                    out.append((sub, []))
                else:
                    out.append((node.module, [alias.name]))
        elif isinstance(node, ast.Import):
            out += [(a.name, []) for a in node.names if _within(a.name, package)]
    return out


def _within(module: str, package: str) -> bool:
    return module == package or module.startswith(package + ".")


def _cycles(graph: dict[str, set[str]]) -> list[str]:
    """Every import cycle found by a depth-first walk, as ``a -> b -> a``."""
    cycles, state = [], {}

    def visit(node: str, stack: list[str]) -> None:
        state[node] = "open"
        for nxt in sorted(graph.get(node, ())):
            if state.get(nxt) == "open":
                cycles.append(" -> ".join([*stack[stack.index(nxt) :], nxt]))
            elif nxt not in state:
                visit(nxt, [*stack, nxt])
        state[node] = "done"

    for module in sorted(graph):
        if module not in state:
            visit(module, [module])
    return cycles


MODULES = _modules()
UI_MODULES = _modules(LIB.parent / "ui")


def _package(module: str) -> str | None:
    parts = module.split(".")
    return parts[1] if len(parts) > 2 or (len(parts) == 2 and parts[1] in ALLOWED) else None


def test_every_package_is_declared_and_documented():
    packages = {p.name for p in LIB.iterdir() if p.is_dir() and (p / "__init__.py").exists()}
    assert packages == set(ALLOWED), "a new package needs its place in ALLOWED and lib/__init__"
    for name in packages:
        doc = ast.get_docstring(ast.parse((LIB / name / "__init__.py").read_text()))
        assert doc and len(doc) > 80, (
            f"lib/{name}/__init__.py needs a paragraph on what lives there"
        )


def test_imports_only_go_down_the_layers():
    wrong = []
    for module, path in MODULES.items():
        own = _package(module)
        if own is None:
            continue
        for target, _ in _imports(path):
            theirs = _package(target)
            if theirs and theirs != own and theirs not in ALLOWED[own]:
                wrong.append(f"{module} imports {target}")
    assert not wrong, wrong


def test_no_private_name_is_imported_across_modules():
    wrong = [
        f"{module} takes {name} from {target}"
        for module, path in MODULES.items()
        for target, names in _imports(path)
        for name in names
        if name.startswith("_") and target != module
    ]
    assert not wrong, wrong


def test_no_import_cycles():
    graph = {m: {t for t, _ in _imports(p) if t in MODULES and t != m} for m, p in MODULES.items()}
    # The package __init__ files only document; an edge to a package is not an edge to its modules.
    assert not _cycles(graph), _cycles(graph)


def test_no_import_cycles_in_ui():
    """ui/ (what the pages share) has no cycle either, imports inside functions included
    (ui.auth and ui.editor_state once imported each other, one of them from inside ``save``)."""
    graph = {
        m: {t for t, _ in _imports(p, "ui") if t in UI_MODULES and t != m}
        for m, p in UI_MODULES.items()
    }
    assert not _cycles(graph), _cycles(graph)


def test_every_test_module_declares_its_tier():
    tiers = {"unit", "apptest", "browser"}
    missing = []
    for path in sorted((LIB.parent / "tests").glob("test_*.py")):
        tree = ast.parse(path.read_text())
        marks = {
            node.attr
            for stmt in tree.body
            if isinstance(stmt, ast.Assign)
            and any(isinstance(t, ast.Name) and t.id == "pytestmark" for t in stmt.targets)
            for node in ast.walk(stmt.value)
            if isinstance(node, ast.Attribute)
        }
        if len(marks & tiers) != 1:
            missing.append(path.name)
    assert not missing, f"set pytestmark to one of {sorted(tiers)} in {missing}"


def test_no_test_module_imports_another():
    """Shared fixtures and helpers live in tests/support/ (or tests/fixtures/), never in a test
    module or conftest.py: importing one runs its module-level code and collects its fixtures
    twice, and ties two suites together through names that look private to one."""
    tests = LIB.parent / "tests"
    allowed = ("tests.support", "tests.fixtures")
    wrong = []
    for path in sorted(tests.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.ImportFrom) and node.module:
                targets = [node.module]
                if node.module == "tests":
                    targets = [f"tests.{alias.name}" for alias in node.names]
            elif isinstance(node, ast.Import):
                targets = [alias.name for alias in node.names]
            else:
                continue
            for target in targets:
                if target.split(".")[0] != "tests":
                    continue
                if target != "tests" and not target.startswith(allowed):
                    wrong.append(f"{path.relative_to(tests.parent)} imports {target}")
    assert not wrong, wrong


#: Python files that may still hold a style rule in a string, with the reason.
STYLE_IN_PYTHON = {
    # The preview frame's document (an iframe's srcdoc) resets its margins: one rule.
    "pages/2_Screenshot_mode.py",
}
_STYLE_RULE = re.compile(r"<style>\s*[^<]*?[\w\]\)*]\s*\{[^{}]*:[^{}]*\}", re.S)


def test_stylesheets_live_in_static_not_in_python_strings():
    """CSS is read from static/ (newsmap/*.css for the map and pictures, app/*.css for the
    pages), where it can be read and linted as CSS; Python passes only numbers (custom
    properties such as ``--nm-width``) into it."""
    root = LIB.parent
    files = [*root.glob("lib/**/*.py"), *root.glob("ui/*.py"), *root.glob("pages/*.py")]
    wrong = []
    for path in sorted([*files, root / "dashboard.py"]):
        name = path.relative_to(root).as_posix()
        if name in STYLE_IN_PYTHON:
            continue
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Constant) and isinstance(node.value, str):
                if _STYLE_RULE.search(node.value):
                    wrong.append(f"{name}:{node.lineno}")
    assert not wrong, f"move these styles to a file under static/: {wrong}"
