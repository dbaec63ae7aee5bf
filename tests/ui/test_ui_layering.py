"""The UI reaches sync, search and the form engine only through app.services (issue 12, item 4).

Read from the source: a module of app/ui that imports ``requests``, the sync
client, the store's search or the form engine at run time fails here, named.
Imports under ``if TYPE_CHECKING:`` (type hints only) are allowed.
"""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
FORBIDDEN = (
    "requests",
    "app.sync",
    "app.store.search",
    "app.store.unit_of_work",
    "app.forms.engine",
    "app.contract.forms.engine",
)


def _runtime_imports(tree: ast.Module) -> list[tuple[int, str]]:
    skip: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            skip.update(id(n) for child in node.body for n in ast.walk(child))
    found = []
    for node in ast.walk(tree):
        if id(node) in skip:
            continue
        if isinstance(node, ast.ImportFrom) and node.module:
            found.append((node.lineno, node.module))
        elif isinstance(node, ast.Import):
            found.extend((node.lineno, alias.name) for alias in node.names)
    return found


def test_ui_calls_services_not_the_sync_client_search_or_form_engine():
    wrong = []
    for path in sorted((ROOT / "app" / "ui").rglob("*.py")):
        for line, module in _runtime_imports(ast.parse(path.read_text(encoding="utf-8"))):
            if any(module == f or module.startswith(f + ".") for f in FORBIDDEN):
                wrong.append(f"{path.relative_to(ROOT)}:{line} imports {module}")
    assert not wrong, "\n".join(wrong)
