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

from sqlalchemy import Connection, Engine, delete, text
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
    rows = sorted(rows, key=lambda r: (order.get(r.tbl, len(order)), r.seq))
    with _merge_connection(engine) as conn:
        session = Session(bind=conn, expire_on_commit=False, autoflush=False)
        try:
            page = _PageState.load(session, rows)
            for row in rows:
                _apply_row(session, clock, page, row, result)
            page.write(session)
            session.merge(models.SyncState(key=CURSOR_KEY, value=str(next_cursor)))
            session.merge(models.SyncState(key="hlc_last", value=clock.last))
            session.commit()
        except BaseException:
            session.rollback()
            raise
        finally:
            session.close()
    return result


Key = tuple[str, str, str]


@dataclass
class _PageState:
    """Everything a page touches, read in a few queries and written back in a few statements."""

    objects: dict[tuple[str, str], models.SyncedRow]
    clocks: dict[Key, str]
    unsent: dict[Key, models.Change]
    new_clocks: dict[Key, str]
    dropped: list[int]

    @classmethod
    def load(cls, session: Session, rows: list[PulledRow]) -> _PageState:
        by_table: dict[str, list[str]] = {}
        for row in rows:
            by_table.setdefault(row.tbl, []).append(row.row_id)
        objects: dict[tuple[str, str], models.SyncedRow] = {}
        clocks: dict[Key, str] = {}
        unsent: dict[Key, models.Change] = {}
        for tbl, ids in by_table.items():
            model = registry.SYNCED_MODELS.get(tbl)
            if model is None:
                continue
            for chunk in _chunks(ids):
                for obj in session.exec(select(model).where(model.id.in_(chunk))):  # type: ignore[attr-defined]
                    objects[(tbl, obj.id)] = obj
                fc = models.FieldClock.__table__  # type: ignore[attr-defined]
                for t, r, f, h in session.execute(fc.select().where(fc.c.tbl == tbl, fc.c.row_id.in_(chunk))):
                    clocks[(t, r, f)] = h
                for change in session.exec(
                    select(models.Change).where(
                        models.Change.tbl == tbl,
                        models.Change.row_id.in_(chunk),  # type: ignore[attr-defined]
                        models.Change.batch_id.is_(None),  # type: ignore[union-attr]
                    )
                ):
                    unsent[(change.tbl, change.row_id, change.field)] = change
        return cls(objects, clocks, unsent, {}, [])

    def write(self, session: Session) -> None:
        if self.dropped:
            for chunk in _chunks(self.dropped):
                session.execute(delete(models.Change).where(models.Change.local_seq.in_(chunk)))  # type: ignore[union-attr]
        if self.new_clocks:
            session.execute(
                text("INSERT OR REPLACE INTO fieldclock (tbl, row_id, field, hlc) VALUES (:t, :r, :f, :h)"),
                [{"t": t, "r": r, "f": f, "h": h} for (t, r, f), h in self.new_clocks.items()],
            )


def _chunks(items: list[Any], size: int = 500) -> Iterator[list[Any]]:
    for i in range(0, len(items), size):
        yield items[i : i + size]


def _apply_row(
    session: Session, clock: HybridLogicalClock, page: _PageState, row: PulledRow, result: MergeResult
) -> None:
    model = registry.SYNCED_MODELS.get(row.tbl)
    if model is None:
        result.skipped += 1  # a table this version of the app does not know yet
        return
    obj = page.objects.get((row.tbl, row.row_id))
    is_new = obj is None
    changed = False
    for field, (value, hlc) in row.fields.items():
        try:
            registry.split_field(row.tbl, field)
        except registry.UnknownTable:
            continue  # a field this version does not know; the server keeps it
        clock.observe(hlc)
        key = (row.tbl, row.row_id, field)
        local_hlc = page.clocks.get(key)
        pending = page.unsent.get(key)
        if local_hlc is None or hlc > local_hlc:
            if pending is not None and pending.hlc < hlc:
                if pending.value != value:
                    _conflict(session, row, field, value, hlc, pending.value, pending.hlc)
                    result.conflicts += 1
                page.dropped.append(pending.local_seq)  # type: ignore[arg-type]  # its value lives on in the conflict
                del page.unsent[key]
            if obj is None:
                obj = model(id=row.row_id)
                page.objects[(row.tbl, row.row_id)] = obj
            registry.set_field(obj, field, value)
            page.clocks[key] = page.new_clocks[key] = hlc
            result.fields += 1
            changed = True
        elif hlc < local_hlc and pending is not None and pending.hlc == local_hlc:
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
