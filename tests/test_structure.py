"""The house's size rules (issue 17), checked on the source so that a change cannot undo them.

Module length, parameters per function and import cycles among module-level imports are read
with :mod:`ast` (no extra dependency); cyclomatic complexity is left to radon in review.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "fundgap"
MODULES = sorted(PACKAGE.rglob("*.py"))
MAX_LINES = 600
MAX_PARAMETERS = 16


def _name(path: Path) -> str:
    parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


@pytest.mark.parametrize("path", MODULES, ids=lambda p: str(p.relative_to(PACKAGE.parent)))
def test_module_within_600_lines(path):
    assert len(path.read_text(encoding="utf-8").splitlines()) <= MAX_LINES


def test_no_function_with_more_than_16_parameters():
    wide = []
    for path in MODULES:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                a = node.args
                n = len(a.posonlyargs) + len(a.args) + len(a.kwonlyargs)
                if a.args and a.args[0].arg in ("self", "cls"):
                    n -= 1
                if n > MAX_PARAMETERS:
                    wide.append(f"{_name(path)}.{node.name}: {n}")
    assert wide == []


def _module_imports(path: Path, known: set[str]) -> set[str]:
    """fundgap modules imported at module level (not inside functions or TYPE_CHECKING)."""
    me = _name(path)
    package = me if path.name == "__init__.py" else me.rpartition(".")[0]
    out = set()
    for node in ast.parse(path.read_text(encoding="utf-8")).body:
        if isinstance(node, ast.Import):
            names = [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                up = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*up, base] if base else up)
            names = [f"{base}.{a.name}" for a in node.names] + [base]
        else:
            continue
        for name in names:
            mod = name
            while mod and mod not in known:
                mod = mod.rpartition(".")[0]
            if mod and mod != me:
                out.add(mod)
    return out


def test_no_import_cycle_among_module_level_imports():
    known = {_name(p) for p in MODULES}
    graph = {_name(p): _module_imports(p, known) for p in MODULES}
    cycles, state = [], {}

    def visit(node, stack):
        state[node] = 1
        stack.append(node)
        for dep in sorted(graph.get(node, ())):
            if state.get(dep) == 1:
                cycles.append([*stack[stack.index(dep):], dep])
            elif dep not in state:
                visit(dep, stack)
        stack.pop()
        state[node] = 2

    for mod in sorted(graph):
        if mod not in state:
            visit(mod, [])
    assert cycles == []
