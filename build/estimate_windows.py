"""Estimate the Windows bundle's size from win_amd64 wheels, until the Windows CI job measures it.

    pip download --platform win_amd64 --only-binary :all: --python-version 3.11 -d WHEELS <deps>
    python build/estimate_windows.py WHEELS [--linux-bundle dist/homevisit]

What PyInstaller would put in ``dist\\homevisit`` is counted the way the spec
decides it: of PySide6, only the Qt modules the app imports (and the ones they
link) and the plugins and translations ``bundle_filter.keep()`` allows; of
every other wheel its extension modules, DLLs and data files; pure-Python
modules go into the program's archive, which is the same on both platforms, so
its size is taken from a Linux bundle (the program file), as are the app's
``resources/`` and CPython's own runtime (python311.dll, the standard library's
extension modules), which no wheel carries. Prints JSON lines like the benchmarks.
"""

from __future__ import annotations

import argparse
import json
import sys
import zipfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import bundle_filter

# What the app imports from PySide6 (QtPdf links QtNetwork: bundle_filter.QT_MODULE_NEEDS).
IMPORTED_QT = {"Core", "Gui", "Widgets", "PrintSupport", "Pdf", "PdfWidgets"}
BINARY_SUFFIXES = (".pyd", ".dll")
SKIP_SUFFIXES = (".py", ".pyi", ".pyc", ".exe", ".lib", ".h", ".cmake", ".typed")


def qt_modules() -> set[str]:
    needed = set(IMPORTED_QT)
    for module in IMPORTED_QT:
        needed |= bundle_filter.QT_MODULE_NEEDS.get(module, set())
    return needed


def _pyside_keeps(name: str, modules: set[str]) -> bool:
    """A file of the PySide6 wheels that the bundle would hold."""
    dest = name.replace("/", "\\")
    base = dest.rsplit("\\", 1)[-1]
    if "\\plugins\\" in dest or "\\translations\\" in dest:
        return bundle_filter.keep(dest, modules)
    if dest.count("\\") != 1 or not base.lower().endswith(BINARY_SUFFIXES):
        return False  # qml/, metatypes/, resources/, typesystems/, include/, tools
    if base.startswith("Qt") and base.endswith(".pyd"):  # a binding module: only the imported ones
        return base[2:-4] in IMPORTED_QT
    if base.startswith("Qt6") and base.endswith(".dll"):  # a Qt library: the modules used
        return base[3:-4] in modules and bundle_filter.keep(dest, modules)
    return bundle_filter.keep(dest, modules)  # pyside6/shiboken6 runtime, MSVC runtime, ICU…


def _excluded(name: str) -> bool:
    """``PIL/_avif.cp311-win_amd64.pyd`` -> ``PIL._avif``: excluded itself or inside an excluded package."""
    parts = name.split("/")
    parts[-1] = parts[-1].split(".", 1)[0]
    return any(".".join(parts[:i]) in bundle_filter.EXCLUDED_MODULES for i in range(1, len(parts) + 1))


def wheel_bytes(wheel: Path, modules: set[str]) -> int:
    total = 0
    with zipfile.ZipFile(wheel) as z:
        for info in z.infolist():
            name = info.filename
            if ".dist-info/" in name or name.endswith("/"):
                continue
            top = name.split("/", 1)[0]
            if top in ("PySide6", "shiboken6"):
                if _pyside_keeps(name, modules):
                    total += info.file_size
            elif _excluded(name):
                continue
            elif name.lower().endswith(BINARY_SUFFIXES) or not name.endswith(SKIP_SUFFIXES):
                total += info.file_size
    return total


def linux_shared_parts(bundle: Path) -> dict[str, int]:
    """Parts of a Linux bundle that stand for the same thing on Windows (archive, resources, CPython)."""

    def size(path: Path) -> int:
        if path.is_file():
            return path.stat().st_size
        return sum(p.stat().st_size for p in path.rglob("*") if p.is_file() and not p.is_symlink())

    internal = bundle / "_internal"
    return {
        "program_archive": size(bundle / "homevisit"),
        "resources": size(internal / "resources"),
        "cpython_runtime": size(internal / "python3.11") + size(internal / "base_library.zip")
        + sum(size(p) for p in internal.glob("libpython3*.so*")),
    }  # fmt: skip


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("wheels", type=Path, help="folder of win_amd64 wheels (pip download)")
    parser.add_argument("--linux-bundle", type=Path, default=Path("dist") / "homevisit")
    args = parser.parse_args(argv)
    modules = qt_modules()
    parts = {w.name.split("-", 1)[0]: wheel_bytes(w, modules) for w in sorted(args.wheels.glob("*.whl"))}
    shared = linux_shared_parts(args.linux_bundle)
    total = sum(parts.values()) + sum(shared.values())
    for name, size in sorted({**parts, **shared}.items(), key=lambda kv: -kv[1])[:12]:
        print(f"{size / 1e6:8.1f} MB  {name}")
    print(
        json.dumps(
            {"bench": "bundle", "metric": "windows_estimate_mb", "value": round(total / 1e6, 1), "n": 1}
        )
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
