"""No function in the four packages is longer than 60 lines (docs/architecture.md, style)."""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("events", "projections", "notifications", "service")
LONGEST = 60


def _lengths(source: str) -> dict[str, int]:
    """Each function's name and its length in lines, decorators and docstring included."""
    lengths = {}
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            first = min([node.lineno, *(d.lineno for d in node.decorator_list)])
            lengths[f"{node.name}:{node.lineno}"] = (node.end_lineno or node.lineno) - first + 1
    return lengths


def test_a_function_of_61_lines_is_found():
    body = "".join(f"    x{i} = {i}\n" for i in range(60))
    assert _lengths(f"def long():\n{body}") == {"long:1": 61}
    assert _lengths(f"def fits():\n{body[: -len('    x59 = 59') - 1]}") == {"fits:1": 60}


@pytest.mark.parametrize("package", PACKAGES)
def test_no_function_is_longer_than_60_lines(package):
    long = {
        f"{path.relative_to(ROOT)}:{name}": lines
        for path in sorted((ROOT / package).rglob("*.py"))
        for name, lines in _lengths(path.read_text(encoding="utf-8")).items()
        if lines > LONGEST
    }
    assert long == {}
