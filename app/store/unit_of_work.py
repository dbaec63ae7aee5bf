"""The unit of work: the only way to write a synced row.

Every insert, update and tombstone made here, in the same transaction as the
row itself, appends one ``change`` per changed field with its new clock and
the clock of the value it replaces (``base_hlc``), moves the row's field clocks
(``app.store.field_clocks``) forward, and writes an audit event. Sync pushes the change log; nothing else
needs to know that sync exists.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from sqlalchemy import text
from sqlmodel import Session, select

from app.contract.hlc import HybridLogicalClock
from app.domain.pinyin import name_keys
from app.store import field_clocks, models, table_registry
from app.store.row_ids import utc_now

R = TypeVar("R", bound=models.SyncedRow)


class RowNotFound(LookupError):
    """A row id that is not in the local database."""


def derive_columns(row: models.SyncedRow) -> None:
    """Recompute the device-local columns of a row (search keys)."""
    if isinstance(row, models.Person):
        row.name_pinyin, row.name_initials = name_keys(row.name)


class UnitOfWork:
    """One transaction of edits by one actor; use as a context manager.

    Leaving the block normally commits; an exception rolls everything back,
    change log included.
    """

    def __init__(
        self,
        session: Session,
        clock: HybridLogicalClock,
        actor: str,
        on_commit: Callable[[], None] | None = None,
    ) -> None:
        self.session = session
        self.clock = clock
        self.actor = actor
        self._on_commit = on_commit

    def __enter__(self) -> UnitOfWork:
        return self

    def __exit__(self, exc_type: object, exc: object, tb: object) -> None:
        try:
            if exc_type is None:
                self.session.merge(models.SyncState(key="hlc_last", value=self.clock.last))
                self.session.commit()
                if self._on_commit:
                    self._on_commit()
            else:
                self.session.rollback()
        finally:
            self.session.close()

    # --- reads inside the transaction ---------------------------------------

    def get(self, model: type[R], row_id: str) -> R:
        row = self.session.get(model, row_id)
        if row is None:
            raise RowNotFound(f"找不到记录 {model.__tablename__}/{row_id}")  # type: ignore[attr-defined]
        return row

    # --- writes -------------------------------------------------------------

    def add(self, row: R) -> R:
        """Insert a new synced row; every field is recorded as changed."""
        now = utc_now()
        row.created_at = row.created_at or now
        row.updated_at = now
        derive_columns(row)
        self.session.add(row)
        self.session.flush()
        tbl = table_registry.table_name(row)
        clocks = {
            field: self._record(tbl, row.id, field, value, base_hlc=None)
            for field, value in table_registry.sync_fields(row).items()
        }
        field_clocks.set_clocks(self.session, tbl, row.id, clocks)
        self._audit("create", tbl, row.id)
        return row

    def update(self, row: R, **values: Any) -> R:
        """Set columns of a row; only fields whose value really changes are recorded.

        A map column given as a dict (``answers={...}``) is compared key by key;
        keys missing from the new dict are left alone — use ``set_map_value`` with
        ``None`` to remove one.
        """
        row = self._attached(row)
        tbl = table_registry.table_name(row)
        changes: dict[str, Any] = {}
        for column, value in values.items():
            if column in table_registry.MAP_COLUMNS.get(tbl, ()):
                current = getattr(row, column) or {}
                for key, v in value.items():
                    if current.get(key) != v:
                        changes[f"{column}.{key}"] = v
            else:
                table_registry.split_field(tbl, column)  # unknown or non-synced column -> error
                if getattr(row, column) != value:
                    changes[column] = value
        return self._apply(row, tbl, changes)

    def set_map_value(self, row: R, column: str, key: str, value: Any) -> R:
        """Set one key of a map column (one form answer); ``None`` removes it."""
        row = self._attached(row)
        tbl = table_registry.table_name(row)
        if (getattr(row, column) or {}).get(key) == value:
            return row
        return self._apply(row, tbl, {f"{column}.{key}": value})

    def delete(self, row: R) -> R:
        """Tombstone a row: synced rows are never removed."""
        return self.update(row, deleted=True)

    # --- internals ----------------------------------------------------------

    def _attached(self, row: R) -> R:
        if row in self.session:
            return row
        return self.get(type(row), row.id)

    def _apply(self, row: R, tbl: str, changes: dict[str, Any]) -> R:
        if not changes:
            return row
        seen = field_clocks.row_clocks(self.session, tbl, row.id)
        clocks = {}
        for field, value in changes.items():
            table_registry.set_field(row, field, value)
            clocks[field] = self._record(tbl, row.id, field, value, base_hlc=seen.get(field))
        field_clocks.set_clocks(self.session, tbl, row.id, clocks)
        row.updated_at = utc_now()
        derive_columns(row)
        self.session.add(row)
        self.session.flush()
        self._audit("delete" if changes.get("deleted") else "update", tbl, row.id, ",".join(changes))
        return row

    def _record(self, tbl: str, row_id: str, field: str, value: Any, base_hlc: str | None) -> str:
        """Log one changed field; returns its new clock (the caller stores the row's clocks at once)."""
        hlc = self.clock.tick()
        # An unsent change to the same field is replaced rather than appended: the
        # server only needs the latest value, judged against the clock the user saw first.
        pending = self.session.exec(
            select(models.Change).where(
                models.Change.tbl == tbl,
                models.Change.row_id == row_id,
                models.Change.field == field,
                models.Change.batch_id.is_(None),  # type: ignore[union-attr]
            )
        ).first()
        if pending is not None:
            pending.value, pending.hlc = value, hlc
            self.session.add(pending)
        else:
            self.session.add(
                models.Change(tbl=tbl, row_id=row_id, field=field, value=value, hlc=hlc, base_hlc=base_hlc)
            )
        return hlc

    def _audit(self, action: str, tbl: str, row_id: str, detail: str = "") -> None:
        self.session.add(
            models.AuditEvent(
                at=utc_now(), actor=self.actor, action=action, tbl=tbl, row_id=row_id, detail=detail
            )
        )


def pending_change_count(session: Session) -> int:
    """Changes not yet acknowledged by the server."""
    return int(session.execute(text("SELECT count(*) FROM change")).scalar_one())
