"""Which tables sync, and how a row turns into sync fields and back.

A row's *sync fields* are its columns except ``id`` and derived columns;
JSON map columns (a form's ``answers``, an acceptance's ``checks``) are
flattened to one field per key, ``answers.<question>``, so two people filling
in different questions never collide (SYNC.md).
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import cache
from typing import Any

from sqlmodel import SQLModel

from app.store import models

SYNCED_MODELS: dict[str, type[models.SyncedRow]] = {
    m.__tablename__: m  # type: ignore[misc]
    for m in (
        models.Household,
        models.Person,
        models.Visit,
        models.FormResponse,
        models.Attachment,
        models.AttachmentLink,
        models.RenovationProject,
        models.RenovationItem,
        models.ProjectEvent,
        models.Acceptance,
        models.Certificate,
        models.NeedItem,
        models.VisitReview,
    )
}

# Parents before children, so a pulled page can be applied in this order.
TABLE_ORDER: list[str] = list(SYNCED_MODELS)

MAP_COLUMNS: dict[str, tuple[str, ...]] = {"formresponse": ("answers",), "acceptance": ("checks",)}
# ``updated_at`` is local bookkeeping (when this device last changed the row), not a
# merged field: syncing it would turn every pair of concurrent edits into a conflict.
LOCAL_COLUMNS: tuple[str, ...] = ("updated_at",)
DERIVED_COLUMNS: dict[str, tuple[str, ...]] = {"person": ("name_pinyin", "name_initials")}


class UnknownTable(ValueError):
    """A table or field name that is not part of the sync protocol."""


def model_for(tbl: str) -> type[models.SyncedRow]:
    try:
        return SYNCED_MODELS[tbl]
    except KeyError:
        raise UnknownTable(f"未知的数据表：{tbl}") from None


def table_name(row: SQLModel) -> str:
    return type(row).__tablename__  # type: ignore[return-value]


def column_names(tbl: str) -> list[str]:
    """Plain (non-map) synced columns of a table, without ``id`` and derived ones."""
    return list(_column_names(tbl))


@cache
def _column_names(tbl: str) -> tuple[str, ...]:
    model = model_for(tbl)
    skip = {"id", *LOCAL_COLUMNS, *MAP_COLUMNS.get(tbl, ()), *DERIVED_COLUMNS.get(tbl, ())}
    return tuple(c for c in model.model_fields if c not in skip)


def sync_fields(row: models.SyncedRow) -> dict[str, Any]:
    """All sync fields of a row with their values, map columns flattened."""
    tbl = table_name(row)
    return sync_values(tbl, {c: getattr(row, c) for c in (*_column_names(tbl), *MAP_COLUMNS.get(tbl, ()))})


def sync_values(tbl: str, values: Mapping[str, Any]) -> dict[str, Any]:
    """``sync_fields`` of a row of ``tbl`` given as a column dict."""
    fields = {c: values[c] for c in _column_names(tbl)}
    for col in MAP_COLUMNS.get(tbl, ()):
        for key, value in (values.get(col) or {}).items():
            fields[f"{col}.{key}"] = value
    return fields


def split_field(tbl: str, field: str) -> tuple[str, str | None]:
    """``answers.q1`` -> (``answers``, ``q1``); a plain column -> (column, None)."""
    head, _, key = field.partition(".")
    if key and head in MAP_COLUMNS.get(tbl, ()):
        return head, key
    if field in column_names(tbl):
        return field, None
    raise UnknownTable(f"数据表 {tbl} 没有字段 {field}")


def set_field(row: models.SyncedRow, field: str, value: Any) -> None:
    """Write one sync field into a row object (map keys with ``None`` are removed)."""
    column, key = split_field(table_name(row), field)
    if key is None:
        setattr(row, column, value)
        return
    mapping = dict(getattr(row, column) or {})
    if value is None:
        mapping.pop(key, None)
    else:
        mapping[key] = value
    setattr(row, column, mapping)  # a new dict, so SQLAlchemy sees the change
