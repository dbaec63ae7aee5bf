"""Sync use cases the UI calls besides ``sync()``: pending count, conflicts, rejected changes.

Choosing the other value of a conflict is a new local edit through the unit of
work, so it syncs like any other edit and wins by its newer clock.
"""

from __future__ import annotations

from typing import Any, Literal

from sqlmodel import select

from app.store import audit, field_clocks, models, sync_state, table_registry
from app.store.read import scope
from app.store.store import Store
from app.store.sync_state import StateKey
from app.store.writer import pending_change_count

__all__ = [
    "discard_rejected",
    "list_conflicts",
    "list_rejected",
    "pending_change_count",
    "resolve_conflict",
    "retry_rejected",
]


class ConflictNotFound(LookupError):
    """No conflict with this id (or it was already resolved)."""


def list_conflicts(store: Store, *, include_resolved: bool = False) -> list[models.Conflict]:
    """Conflicts for review, newest first: those of rows the reader sees (``app.store.read.scope``)."""
    with store.session() as s:
        query = select(models.Conflict)
        if not include_resolved:
            query = query.where(models.Conflict.resolved == False)  # noqa: E712
        found = list(s.exec(query.order_by(models.Conflict.detected_at.desc())))  # type: ignore[attr-defined]
        current = scope.viewer(s)
        if current is None:
            return found
        codes = {(c.tbl, c.row_id): _region_of(s, c.tbl, c.row_id) for c in found}
        return [c for c in found if scope.covered_by(current[1], codes[(c.tbl, c.row_id)])]


def _region_of(session: Any, tbl: str, row_id: str) -> str:
    try:
        row = session.get(table_registry.model_for(tbl), row_id)
    except table_registry.UnknownTable:
        return ""
    return row.region_code if row is not None else ""


def resolve_conflict(
    store: Store, conflict_id: str, keep: Literal["current", "other"] = "current", *, actor: str = ""
) -> models.Conflict:
    """Close a conflict: keep the current value, or take the other one as a new edit."""
    if keep not in ("current", "other"):
        raise ValueError("keep 只能是 current 或 other")
    with store.unit_of_work(actor or "sync") as uow:
        conflict = uow.session.get(models.Conflict, conflict_id)
        if conflict is None or conflict.resolved:
            raise ConflictNotFound(f"找不到待处理的冲突 {conflict_id}")
        if keep == "other":
            row = uow.get(table_registry.model_for(conflict.tbl), conflict.row_id)
            column, key = table_registry.split_field(conflict.tbl, conflict.field)
            if key is None:
                uow.update(row, **{column: conflict.loser_value})
            else:
                uow.set_map_value(row, column, key, conflict.loser_value)
        conflict.resolved = True
        conflict.resolution = "kept_current" if keep == "current" else "took_other"
        uow.session.add(conflict)
        audit.record(
            uow.session,
            actor or "sync",
            "resolve_conflict",
            conflict.tbl,
            conflict.row_id,
            f"{conflict.field}:{conflict.resolution}",
        )
        return conflict


def list_rejected(store: Store) -> list[models.RejectedChange]:
    """Changes the server refused, oldest first, with its reason."""
    with store.session() as s:
        return list(s.exec(select(models.RejectedChange).order_by(models.RejectedChange.rejected_at)))


def retry_rejected(store: Store, ids: list[str] | None = None) -> int:
    """Queue rejected changes again (e.g. after an administrator widened the user's regions).

    A field edited again since then already has a newer unsent change; that one wins.
    """
    n = 0
    with store.session() as s:
        for rc in s.exec(select(models.RejectedChange)):
            if ids is not None and rc.id not in ids:
                continue
            newer = s.exec(
                select(models.Change).where(
                    models.Change.tbl == rc.tbl,
                    models.Change.row_id == rc.row_id,
                    models.Change.field == rc.field,
                    models.Change.batch_id.is_(None),  # type: ignore[union-attr]
                )
            ).first()
            if newer is None:
                s.add(
                    models.Change(
                        tbl=rc.tbl,
                        row_id=rc.row_id,
                        field=rc.field,
                        value=rc.value,
                        hlc=rc.hlc,
                        base_hlc=rc.base_hlc,
                    )
                )
            s.delete(rc)
            n += 1
        s.commit()
    return n


def discard_rejected(store: Store, ids: list[str] | None = None) -> int:
    """Give up rejected changes on purpose: the server's values come back at the next sync.

    The field clocks of the discarded values are dropped and the pull starts over,
    so every field the server has replaces the refused local value.
    """
    n = 0
    with store.session() as s:
        for rc in s.exec(select(models.RejectedChange)):
            if ids is not None and rc.id not in ids:
                continue
            field_clocks.drop_clock(s, rc.tbl, rc.row_id, rc.field, only_if=rc.hlc)
            s.delete(rc)
            n += 1
        if n:
            sync_state.write(s, {StateKey.PULL_CURSOR: 0})
        s.commit()
    return n
