"""Tombstones and scope, written once: a row is live when it is not deleted and lies in the reader's regions.

Synced rows are never removed (SYNC.md), so every read that shows rows must
leave tombstones out. The ORM form is ``live(Model)``, the SQL form
``live_sql("alias")``; nothing else in ``app`` spells the condition. Both also
carry the reader's scope (``app.store.read.scope``): on a laptop shared by
several users, a row of another user's regions is as gone as a tombstone.
"""

from __future__ import annotations

from typing import Any, TypeVar

from sqlalchemy import ColumnElement, and_
from sqlmodel import select

from app.store import models
from app.store.read import scope

R = TypeVar("R", bound=models.SyncedRow)


def live(model: type[models.SyncedRow]) -> ColumnElement[bool]:
    """The ORM condition "this row of ``model`` is not a tombstone and the reader may see it"."""
    return and_(model.deleted == False, scope.in_scope(model))  # noqa: E712


def live_sql(alias: str = "") -> str:
    """The same condition as SQL text, for hand-written queries (``alias`` of the table, if any)."""
    deleted = f"{alias}.deleted = 0" if alias else "deleted = 0"
    return f"({deleted} AND {scope.in_scope_sql(alias)})"


def is_live(row: models.SyncedRow | None) -> bool:
    """Whether a fetched row exists and is not a tombstone."""
    return row is not None and not row.deleted


def get_live(session: Any, model: type[R], row_id: str) -> R | None:
    """A row by id, or ``None`` when there is none, it is a tombstone, or it lies outside the reader's regions."""
    row = session.get(model, row_id)
    return row if is_live(row) and scope.row_in_scope(session, row.region_code) else None  # type: ignore[union-attr]


def live_rows(session: Any, model: type[R], *where: Any, order_by: tuple[Any, ...] = ()) -> list[R]:
    """The live rows of ``model`` matching ``where``, in ``order_by`` order."""
    return list(session.exec(select(model).where(live(model), *where).order_by(*order_by)))
