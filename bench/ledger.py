"""``python -m bench ledger``: ledger export (build + write .xlsx) over 50,000 persons.

Seeds (once, cached) a profile of ~50,000 fictitious persons and times the
persons, households and visits ledgers (and the projects, acceptances and
device ledgers of the same profile) end to end as ``homevisit ledger export``
runs them: the queries, the rows, the workbook written to disk.
"""

from __future__ import annotations

import tempfile
import time
from pathlib import Path

from app.services.ledger import build_ledger, export_ledger
from app.store.store import Store
from bench import report
from bench._profiles import seeded_copy

HOUSEHOLDS = 45_455  # ~1.1 persons per household: ~50,000 persons (the search benchmark's profile)


def main() -> None:
    with tempfile.TemporaryDirectory(prefix="bench-ledger-") as tmp:
        store = Store(seeded_copy(HOUSEHOLDS, 42, Path(tmp) / "profile"))
        try:
            for kind in ("persons", "households", "visits", "projects", "acceptances", "devices"):
                t0 = time.perf_counter()
                rows = len(build_ledger(store, kind).rows)
                t1, c1 = time.perf_counter(), time.process_time()
                export_ledger(store, kind, Path(tmp) / f"{kind}.xlsx", actor="bench")
                t2, c2 = time.perf_counter(), time.process_time()
                report("ledger", f"{kind}_build_s", t1 - t0, rows)
                report("ledger", f"{kind}_export_s", t2 - t1, rows)
                # CPU seconds of this process: what the export costs when the machine is shared.
                report("ledger", f"{kind}_export_cpu_s", c2 - c1, rows)
        finally:
            store.close()
