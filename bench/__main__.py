"""Run one benchmark: ``python -m bench NAME``; without a name, list them.

A benchmark is a module ``bench/<name>.py`` with a ``main() -> None`` that
prints its figures with ``bench.report``.
"""

from __future__ import annotations

import importlib
import pkgutil
import sys
from pathlib import Path


def available() -> list[str]:
    here = Path(__file__).parent
    return sorted(m.name for m in pkgutil.iter_modules([str(here)]) if not m.name.startswith("_"))


def main(argv: list[str]) -> int:
    names = available()
    if not argv:
        print("benchmarks:", " ".join(names))
        return 0
    name = argv[0]
    if name not in names:
        print(f"unknown benchmark {name!r}; choose one of: {' '.join(names)}", file=sys.stderr)
        return 2
    sys.argv = [f"bench {name}", *argv[1:]]
    importlib.import_module(f"bench.{name}").main()
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
