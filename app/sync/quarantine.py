"""Pulled rows this laptop cannot store, kept as received so one bad row never stops a sync.

When a pull page fails to merge for a reason in its data (a value SQLite cannot bind, a
broken reference, a type the store refuses), the client merges the page again row by row;
a row that still fails is written here exactly as it arrived (its columnar row with the
page's column names), with the error, and the cursor moves past it. The sync report counts
it, the sync screen shows it (``list_quarantined``), and the server is told
(``POST /sync/quarantine``) so an administrator can repair the record at the source.

The table is sync bookkeeping, not a synced table, so it lives here and is created on
first use rather than by a store migration.
"""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Engine, text

from app.contract.page import ROW_ID, SEQ, TablePage
from app.store import table_registry
from app.store.row_ids import utc_now

TABLE = "sync_quarantine"
_DDL = (
    f"CREATE TABLE IF NOT EXISTS {TABLE} ("
    "id INTEGER PRIMARY KEY, tbl TEXT NOT NULL, row_id TEXT NOT NULL, seq INTEGER NOT NULL, "
    "received TEXT NOT NULL, error TEXT NOT NULL, quarantined_at TEXT NOT NULL, "
    "reported INTEGER NOT NULL DEFAULT 0)"
)

# Errors that come from a row's data. Anything else (a locked or full disk: sqlite3's
# OperationalError) is a fault of this machine, not of the row, and stops the sync as before.
DATA_ERRORS: tuple[type[BaseException], ...] = (
    OverflowError,
    ValueError,
    TypeError,
    KeyError,
    IndexError,
    sqlite3.IntegrityError,
    sqlite3.InterfaceError,
    sqlite3.DataError,
)


@dataclass
class QuarantinedRow:
    """One row kept aside: where it came from, what arrived, why it could not be stored."""

    id: int
    tbl: str
    row_id: str
    seq: int
    received: dict[str, Any]
    error: str
    quarantined_at: str
    reported: bool


def is_data_error(exc: BaseException) -> bool:
    """Whether ``exc`` (or what it wraps, for SQLAlchemy errors) comes from the data merged."""
    original = getattr(exc, "orig", None)
    return isinstance(exc, DATA_ERRORS) or isinstance(original, DATA_ERRORS)


def single_rows(tables: list[TablePage]) -> list[list[TablePage]]:
    """A page cut into one-row pages, parents' tables first (as ``merge`` orders a page)."""
    order = {tbl: i for i, tbl in enumerate(table_registry.TABLE_ORDER)}
    ordered = sorted(tables, key=lambda t: order.get(t.tbl, len(order)))
    return [[TablePage(t.tbl, t.columns, t.maps, [row])] for t in ordered for row in t.rows]


def keep(engine: Engine, table: TablePage, error: BaseException) -> None:
    """Store the page's only row as received, with the error."""
    [row] = table.rows
    received = {"tbl": table.tbl, "columns": table.columns, "maps": table.maps, "row": row}
    with engine.begin() as conn:
        conn.execute(text(_DDL))
        conn.execute(
            text(
                f"INSERT INTO {TABLE} (tbl, row_id, seq, received, error, quarantined_at) "
                "VALUES (:tbl, :row_id, :seq, :received, :error, :at)"
            ),
            {
                "tbl": table.tbl,
                "row_id": str(row[ROW_ID]),
                "seq": int(row[SEQ]),
                "received": json.dumps(received, ensure_ascii=False, default=repr),
                "error": f"{type(error).__name__}: {error}"[:2000],
                "at": utc_now(),
            },
        )


def count_quarantined(engine: Engine) -> int:
    """How many pulled rows are held in quarantine (reported to the server with each sync)."""
    with engine.begin() as conn:
        conn.execute(text(_DDL))
        return int(conn.execute(text(f"SELECT count(*) FROM {TABLE}")).scalar_one())


def list_quarantined(engine: Engine, *, unreported_only: bool = False) -> list[QuarantinedRow]:
    """Every quarantined row, oldest first (for the sync screen and the report to the server)."""
    with engine.begin() as conn:
        conn.execute(text(_DDL))
        where = " WHERE reported = 0" if unreported_only else ""
        rows = conn.execute(
            text(
                "SELECT id, tbl, row_id, seq, received, error, quarantined_at, reported "
                f"FROM {TABLE}{where} ORDER BY id"
            )
        ).all()
    return [
        QuarantinedRow(
            r.id, r.tbl, r.row_id, r.seq, json.loads(r.received), r.error, r.quarantined_at, bool(r.reported)
        )
        for r in rows
    ]


def mark_reported(engine: Engine, ids: list[int]) -> None:
    if not ids:
        return
    with engine.begin() as conn:
        conn.execute(
            text(f"UPDATE {TABLE} SET reported = 1 WHERE id IN ({','.join(str(int(i)) for i in ids)})")
        )
