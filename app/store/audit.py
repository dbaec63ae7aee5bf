"""Audit events: who did what to which row, and when (PIPL).

Every audit event of the laptop is made here: by the writer for each created,
changed or tombstoned synced row, by the read side for each full-record read,
and by the services for exports, prints and logins. The table is append-only.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from sqlalchemy import insert

from app.store import models
from app.store.row_ids import utc_now


def event(actor: str, action: str, tbl: str = "", row_id: str = "", detail: str = "") -> dict[str, Any]:
    """One audit event's column values, stamped now."""
    return {"at": utc_now(), "actor": actor, "action": action, "tbl": tbl, "row_id": row_id, "detail": detail}


def record(session: Any, actor: str, action: str, tbl: str = "", row_id: str = "", detail: str = "") -> None:
    """Add one audit event to the session's transaction (committed with it)."""
    session.add(models.AuditEvent(**event(actor, action, tbl, row_id, detail)))


def record_many(conn: Any, events: Iterable[dict[str, Any]]) -> None:
    """Insert many ``event(...)`` values in one statement (bulk loads)."""
    rows = list(events)
    if rows:
        conn.execute(insert(models.AuditEvent.__table__), rows)  # type: ignore[attr-defined]
