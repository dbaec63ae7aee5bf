"""The server imports nothing of the desktop app but app.domain and app.contract (ARCHITECTURE.md)."""

import ast
import subprocess
import sys
from pathlib import Path

import pytest

SERVER = Path(__file__).resolve().parents[2] / "server"
ALLOWED_APP = ("app.domain", "app.contract")  # ARCHITECTURE.md: nothing else of the desktop app


def _imports(path: Path) -> list[str]:
    names = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names += [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module:
            # ``from app.contract import protocol`` imports ``app.contract.protocol``
            names += [f"{node.module}.{a.name}" for a in node.names]
    return names


def _within(name: str, packages: tuple[str, ...]) -> bool:
    return any(name == p or name.startswith(p + ".") for p in packages)


@pytest.mark.parametrize("path", sorted(SERVER.rglob("*.py")), ids=lambda p: str(p.relative_to(SERVER)))
def test_server_imports_only_domain_and_contract_from_app(path):
    bad = [n for n in _imports(path) if n.split(".")[0] == "app" and not _within(n, ALLOWED_APP)]
    assert bad == []


def test_loading_the_server_does_not_load_the_store():
    code = (
        "import sys, server.main, server.cli, server.seed;"
        "bad = [m for m in sys.modules if m.startswith(('app.store', 'app.ui', 'PySide6'))];"
        "print(bad); sys.exit(1 if bad else 0)"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=SERVER.parent)
    assert result.returncode == 0, result.stdout + result.stderr
