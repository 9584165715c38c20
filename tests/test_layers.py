"""Imports point one way: events <- projections <- notifications <- service."""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
ALLOWED = {
    "events": {"events"},
    "projections": {"events", "projections"},
    "notifications": {"events", "projections", "notifications"},
    "service": {"events", "projections", "notifications", "service"},
}


def _our_imports(path: Path) -> set[str]:
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module.split(".")[0])
    return found & set(ALLOWED)


@pytest.mark.parametrize("package", sorted(ALLOWED))
def test_a_package_imports_only_the_layers_beneath_it(package):
    wrong = {
        str(path.relative_to(ROOT)): sorted(_our_imports(path) - ALLOWED[package])
        for path in (ROOT / package).rglob("*.py")
    }
    assert {path: names for path, names in wrong.items() if names} == {}


def _module_of(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _imported_modules(path: Path, ours: set[str]) -> set[str]:
    """Our modules that `path` imports, at its top or inside a function alike."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module)
            found.update(f"{node.module}.{alias.name}" for alias in node.names)
    return found & ours


def test_no_two_modules_import_each_other_even_through_others():
    paths = [p for package in ALLOWED for p in (ROOT / package).rglob("*.py") if "migrations" not in p.parts]
    ours = {_module_of(p) for p in paths}
    # A package's __init__ that gathers its modules (service.api's routers) is not a cycle of theirs.
    graph = {_module_of(p): _imported_modules(p, ours) - {_module_of(p)} for p in paths if p.name != "__init__.py"}
    graph = {module: {m for m in targets if m in graph} for module, targets in graph.items()}
    cycles = set()

    def visit(module: str, trail: list[str]) -> None:
        for target in graph[module]:
            if target in trail:
                cycles.add(" -> ".join(trail[trail.index(target) :] + [target]))
            elif len(trail) < 12:
                visit(target, [*trail, target])

    for start in sorted(graph):
        visit(start, [start])
    assert sorted(cycles) == []
