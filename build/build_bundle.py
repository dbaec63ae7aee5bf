"""Build the bundle with ``homevisit.spec`` and report its size and build time.

    python build/build_bundle.py [--dist DIR] [--work DIR]

Defaults: ``dist/`` and ``.pyinstaller/`` at the repository root (both git-ignored),
never inside build/. Prints the program path, then one JSON line like the benchmarks:
``{"bench": "bundle", "metric": "size_mb", ...}`` and ``build_s``.
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SPEC = ROOT / "build" / "homevisit.spec"


def folder_size(path: Path) -> int:
    """Bytes of every file under ``path``."""
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file() and not p.is_symlink())


def program_path(dist: Path) -> Path:
    """Where the built program is inside ``dist``."""
    name = "homevisit.exe" if sys.platform == "win32" else "homevisit"
    return dist / "homevisit" / name


def build(dist: Path, work: Path) -> tuple[Path, float]:
    """Run PyInstaller on the spec; return the program path and the seconds it took."""
    start = time.perf_counter()
    subprocess.run(
        [
            sys.executable,
            "-m",
            "PyInstaller",
            "--noconfirm",
            "--clean",
            "--log-level",
            "WARN",
            "--distpath",
            str(dist),
            "--workpath",
            str(work),
            str(SPEC),
        ],  # fmt: skip
        check=True,
        cwd=ROOT,
    )
    return program_path(dist), time.perf_counter() - start


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dist", type=Path, default=ROOT / "dist")
    parser.add_argument("--work", type=Path, default=ROOT / ".pyinstaller")
    args = parser.parse_args(argv)
    shutil.rmtree(args.dist / "homevisit", ignore_errors=True)
    program, seconds = build(args.dist, args.work)
    size_mb = folder_size(program.parent) / 1e6
    print(program)
    print(json.dumps({"bench": "bundle", "metric": "size_mb", "value": round(size_mb, 1), "n": 1}))
    print(json.dumps({"bench": "bundle", "metric": "build_s", "value": round(seconds, 1), "n": 1}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
