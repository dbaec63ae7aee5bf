"""Layering rules of ARCHITECTURE.md, checked by importing every module."""

import importlib
import pkgutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def core_modules() -> list[str]:
    names = []
    for pkg in ("app", "server"):
        for info in pkgutil.walk_packages([str(ROOT / pkg)], prefix=f"{pkg}."):
            if info.name.startswith("app.ui"):
                continue
            names.append(info.name)
    return names


def test_core_never_imports_qt():
    """Import every module outside app/ui with PySide6 made unimportable."""
    code = (
        "import sys, importlib\n"
        "class Block:\n"
        "    def find_spec(self, name, path=None, target=None):\n"
        "        if name == 'PySide6' or name.startswith('PySide6.'):\n"
        "            raise ImportError('PySide6 is blocked outside app/ui: ' + name)\n"
        "sys.meta_path.insert(0, Block())\n"
        f"for m in {core_modules()!r}:\n"
        "    importlib.import_module(m)\n"
    )
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr[-3000:]


def test_server_never_imports_store_or_ui():
    code = (
        "import sys, importlib, pkgutil\n"
        f"for m in {[m for m in core_modules() if m.startswith('server')]!r}:\n"
        "    importlib.import_module(m)\n"
        "bad = sorted(m for m in sys.modules if m.startswith(('app.store', 'app.ui', 'app.services')))\n"
        "assert not bad, bad\n"
    )
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr[-3000:]


def test_every_module_imports():
    for name in core_modules():
        importlib.import_module(name)


def _imports_of(package: str) -> dict[str, set[str]]:
    """Module -> the app/server modules it imports (from the source, not at run time)."""
    import ast

    found: dict[str, set[str]] = {}
    for path in (ROOT / package.replace(".", "/")).rglob("*.py"):
        names: set[str] = set()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.module:
                names.add(node.module)
            elif isinstance(node, ast.Import):
                names.update(alias.name for alias in node.names)
        found[str(path.relative_to(ROOT))] = {n for n in names if n.startswith(("app", "server"))}
    return found


def test_dependencies_point_one_way():
    """ui -> services -> (forms, sync, certificates) -> store -> (contract, domain); never back up."""
    rules = {
        "app.domain": (
            "app.contract",
            "app.store",
            "app.sync",
            "app.forms",
            "app.certificates",
            "app.services",
            "app.ui",
            "server",
        ),
        "app.contract": (
            "app.store",
            "app.sync",
            "app.forms",
            "app.certificates",
            "app.services",
            "app.ui",
            "server",
        ),
        "app.store": ("app.sync", "app.forms", "app.certificates", "app.services", "app.ui", "server"),
        "app.forms": ("app.services", "app.ui", "server"),
        "app.sync": ("app.services", "app.ui", "server"),
        "app.certificates": ("app.services", "app.ui", "server"),
        "app.services": ("app.ui",),
    }
    wrong = [
        f"{module} imports {name}"
        for package, forbidden in rules.items()
        for module, names in _imports_of(package).items()
        for name in names
        if name.startswith(forbidden)
    ]
    assert not wrong, "\n".join(wrong)
