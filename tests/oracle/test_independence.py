"""The oracle shares no code with the engines: only the harness imports the solver, to run it."""
import ast
from pathlib import Path

import pytest

HERE = Path(__file__).parent
FORBIDDEN = ("solver", "bench")


def imported_modules(path: Path) -> set[str]:
    names = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            names |= {a.name for a in node.names}
        elif isinstance(node, ast.ImportFrom) and node.level == 0:
            names.add(node.module or "")
    return names


@pytest.mark.parametrize("path", sorted(p for p in HERE.glob("*.py") if p.name != "harness.py"),
                         ids=lambda p: p.name)
def test_oracle_module_never_imports_the_solver_or_the_bench(path):
    assert not {m for m in imported_modules(path) if m.split(".")[0] in FORBIDDEN}


def test_the_check_can_see_an_import_of_the_solver():
    assert "solver" in imported_modules(HERE / "harness.py") or any(
        m.startswith("solver") for m in imported_modules(HERE / "harness.py"))
