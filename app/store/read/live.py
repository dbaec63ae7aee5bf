"""Tombstones, written once: a synced row with ``deleted`` set is gone for every reader.

Synced rows are never removed (SYNC.md), so every read that shows rows must
leave tombstones out. The ORM form is ``live(Model)``, the SQL form
``live_sql("alias")``; nothing else in ``app`` spells the condition.
"""

from __future__ import annotations

from typing import Any, TypeVar

from sqlalchemy import ColumnElement
from sqlmodel import select

from app.store import models

R = TypeVar("R", bound=models.SyncedRow)


def live(model: type[models.SyncedRow]) -> ColumnElement[bool]:
    """The ORM condition "this row of ``model`` is not a tombstone"."""
    return model.deleted == False  # type: ignore[return-value]  # noqa: E712


def live_sql(alias: str = "") -> str:
    """The same condition as SQL text, for hand-written queries (``alias`` of the table, if any)."""
    return f"{alias}.deleted = 0" if alias else "deleted = 0"


def is_live(row: models.SyncedRow | None) -> bool:
    """Whether a fetched row exists and is not a tombstone."""
    return row is not None and not row.deleted


def get_live(session: Any, model: type[R], row_id: str) -> R | None:
    """A row by id, or ``None`` when there is none or it is a tombstone."""
    row = session.get(model, row_id)
    return row if is_live(row) else None


def live_rows(session: Any, model: type[R], *where: Any, order_by: tuple[Any, ...] = ()) -> list[R]:
    """The live rows of ``model`` matching ``where``, in ``order_by`` order."""
    return list(session.exec(select(model).where(live(model), *where).order_by(*order_by)))
