"""``python -m bench roster_import``: a 10,000-row roster from file to synced rows.

Generates a roster of fictitious persons (``app.domain.roster.sample``), writes it
as .xlsx and as GBK .csv, then times each step on a fresh profile: read, check
(every rule, duplicates against the registry), import (one transaction), and the
check of the same file again (every row already registered: the idempotent case).
"""

from __future__ import annotations

import tempfile
import time
from pathlib import Path

from app.domain.roster.sample import sample_rows, write_sample
from app.services.roster_import import check_roster_file, import_checked, open_roster
from app.store.store import Store
from bench import report

ROWS = 10_000


def main() -> None:
    rows = sample_rows(int(ROWS / 1.09) + 50, seed=7)[:ROWS]
    with tempfile.TemporaryDirectory(prefix="bench-roster-") as tmp:
        base = Path(tmp)
        xlsx = write_sample(base / "roster.xlsx", rows)
        csv = write_sample(base / "roster.csv", rows, encoding="gbk")
        for label, path in (("xlsx", xlsx), ("csv_gbk", csv)):
            store = Store(base / f"profile-{label}")
            t0, c0 = time.perf_counter(), time.process_time()
            table, mapping = open_roster(store.home, path)
            t1 = time.perf_counter()
            check = check_roster_file(store, table, mapping)
            t2 = time.perf_counter()
            result = import_checked(store, check, actor="bench")
            t3, c3 = time.perf_counter(), time.process_time()
            again = check_roster_file(store, *open_roster(store.home, path))
            t4 = time.perf_counter()
            store.close()
            assert not check.errors and result.persons == len(rows) and again.new_persons == 0
            report("roster_import", f"{label}_read_s", round(t1 - t0, 2), len(rows))
            report("roster_import", f"{label}_check_s", round(t2 - t1, 2), len(rows))
            report("roster_import", f"{label}_write_s", round(t3 - t2, 2), len(rows))
            report("roster_import", f"{label}_total_s", round(t3 - t0, 2), len(rows))
            # CPU seconds of this process: the cost when the machine is shared with other work.
            report("roster_import", f"{label}_total_cpu_s", round(c3 - c0, 2), len(rows))
            report("roster_import", f"{label}_reimport_check_s", round(t4 - t3, 2), len(rows))
