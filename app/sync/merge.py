"""Applying a pulled page to the local database, field by field (SYNC.md step 3).

For each field of each pulled row: a remote value replaces the local one only
if its clock is higher; an unsent local edit it replaces becomes a ``Conflict``
(loser: local); a remote value older than an unsent local edit made without
seeing it becomes a ``Conflict`` too (loser: remote). The page and the pull
cursor are committed together, so a crash repeats at most one page.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, Engine
from sqlmodel import Session, select

from app.store import models, registry
from app.store.ids import utc_now
from app.store.unit_of_work import derive_columns
from app.sync.hlc import HybridLogicalClock
from app.sync.protocol import PulledRow
from app.sync.schema import TABLES

CURSOR_KEY = "pull_cursor"
_DEFAULTS = {"str": "", "int": 0, "float": 0.0, "bool": False}


@dataclass
class MergeResult:
    """What one page changed locally."""

    rows: int = 0
    fields: int = 0
    conflicts: int = 0
    skipped: int = 0


@contextmanager
def _merge_connection(engine: Engine) -> Iterator[Connection]:
    """A connection with foreign keys off for the length of one page.

    Pull order is seq order, and a household edited after its persons were
    created comes after them; so a page may carry a child before its parent
    (which may even be on a later page). The server keeps referential integrity;
    here a child may wait for its parent for a page or two.
    """
    conn = engine.connect()
    try:
        conn.exec_driver_sql("PRAGMA foreign_keys=OFF")  # outside any transaction, or SQLite ignores it
        conn.commit()
        yield conn
    finally:
        conn.rollback()
        conn.exec_driver_sql("PRAGMA foreign_keys=ON")
        conn.commit()
        conn.close()


def apply_page(
    engine: Engine, clock: HybridLogicalClock, rows: list[PulledRow], next_cursor: int
) -> MergeResult:
    """Merge ``rows`` and move the pull cursor to ``next_cursor``, in one transaction."""
    result = MergeResult()
    order = {tbl: i for i, tbl in enumerate(registry.TABLE_ORDER)}
    with _merge_connection(engine) as conn:
        session = Session(bind=conn, expire_on_commit=False)
        try:
            for row in sorted(rows, key=lambda r: (order.get(r.tbl, len(order)), r.seq)):
                _apply_row(session, clock, row, result)
            session.merge(models.SyncState(key=CURSOR_KEY, value=str(next_cursor)))
            session.merge(models.SyncState(key="hlc_last", value=clock.last))
            session.commit()
        except BaseException:
            session.rollback()
            raise
        finally:
            session.close()
    return result


def _apply_row(session: Session, clock: HybridLogicalClock, row: PulledRow, result: MergeResult) -> None:
    model = registry.SYNCED_MODELS.get(row.tbl)
    if model is None:
        result.skipped += 1  # a table this version of the app does not know yet
        return
    obj = session.get(model, row.row_id)
    is_new = obj is None
    clocks = {
        fc.field: fc
        for fc in session.exec(
            select(models.FieldClock).where(
                models.FieldClock.tbl == row.tbl, models.FieldClock.row_id == row.row_id
            )
        )
    }
    unsent = {
        c.field: c
        for c in session.exec(
            select(models.Change).where(
                models.Change.tbl == row.tbl,
                models.Change.row_id == row.row_id,
                models.Change.batch_id.is_(None),  # type: ignore[union-attr]
            )
        )
    }
    changed = False
    for field, (value, hlc) in row.fields.items():
        try:
            registry.split_field(row.tbl, field)
        except registry.UnknownTable:
            continue  # a field this version does not know; the server keeps it
        clock.observe(hlc)
        local = clocks.get(field)
        pending = unsent.get(field)
        if local is None or hlc > local.hlc:
            if pending is not None and pending.hlc < hlc:
                if pending.value != value:
                    _conflict(session, row, field, value, hlc, pending.value, pending.hlc)
                    result.conflicts += 1
                session.delete(pending)  # superseded: its value lives on in the conflict record
            if obj is None:
                obj = model(id=row.row_id)
            registry.set_field(obj, field, value)
            if local is None:
                local = models.FieldClock(tbl=row.tbl, row_id=row.row_id, field=field, hlc=hlc)
                clocks[field] = local
            local.hlc = hlc
            session.add(local)
            result.fields += 1
            changed = True
        elif hlc < local.hlc and pending is not None and pending.hlc == local.hlc:
            concurrent = pending.base_hlc is None or hlc > pending.base_hlc
            if concurrent and pending.value != value and not _known_conflict(session, row, field, hlc):
                _conflict(session, row, field, pending.value, pending.hlc, value, hlc)
                result.conflicts += 1
    if not changed or obj is None:
        return
    if is_new:
        _fill_defaults(row.tbl, obj)
    derive_columns(obj)
    obj.updated_at = utc_now()
    session.add(obj)
    result.rows += 1


def _fill_defaults(tbl: str, obj: models.SyncedRow) -> None:
    """A row first seen through a partial pull still satisfies NOT NULL columns."""
    for name, kind in TABLES.get(tbl, {}).items():
        if getattr(obj, name, None) is None and not kind.endswith("?"):
            setattr(obj, name, _DEFAULTS[kind])
    for column in registry.MAP_COLUMNS.get(tbl, ()):
        if getattr(obj, column, None) is None:
            setattr(obj, column, {})


def _known_conflict(session: Session, row: PulledRow, field: str, loser_hlc: str) -> bool:
    return (
        session.exec(
            select(models.Conflict.id).where(
                models.Conflict.tbl == row.tbl,
                models.Conflict.row_id == row.row_id,
                models.Conflict.field == field,
                models.Conflict.loser_hlc == loser_hlc,
            )
        ).first()
        is not None
    )


def _conflict(
    session: Session, row: PulledRow, field: str, winner: Any, winner_hlc: str, loser: Any, loser_hlc: str
) -> None:
    session.add(
        models.Conflict(
            tbl=row.tbl,
            row_id=row.row_id,
            field=field,
            winner_value=winner,
            winner_hlc=winner_hlc,
            loser_value=loser,
            loser_hlc=loser_hlc,
            detected_at=utc_now(),
        )
    )
