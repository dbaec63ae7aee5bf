"""Field clocks stored per row: ``rowclock(tbl, row_id, clocks)`` with ``clocks`` = ``{field: hlc}`` JSON.

SYNC.md's ``field_clock(tbl, row_id, field, hlc)`` is still there to read, as
the view ``fieldclock`` (``models.FieldClock``); its INSTEAD OF triggers turn
an insert into a merge of one key and a delete into the removal of one key.
Writers that know a whole row's clocks (the unit of work, a pulled page, the
seeders) write ``rowclock`` directly through these functions. ``db`` is
anything with SQLAlchemy's ``execute(text, params)``: a ``Session`` or a
``Connection``, so the clocks move in the caller's transaction.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from typing import Any

from pydantic_core import to_json
from sqlalchemy import text

# ``json_patch`` merges objects key by key (RFC 7396), and a ``null`` value removes
# a key: no JSON path is built from a field name, so any name is safe.
_UPSERT = (
    "INSERT INTO rowclock (tbl, row_id, clocks) VALUES (:tbl, :row_id, :clocks) "
    "ON CONFLICT (tbl, row_id) DO UPDATE SET clocks = json_patch(rowclock.clocks, excluded.clocks)"
)

VIEW_DDL = [
    """CREATE VIEW IF NOT EXISTS fieldclock AS
        SELECT r.tbl AS tbl, r.row_id AS row_id, j.key AS field, j.value AS hlc
        FROM rowclock r, json_each(r.clocks) j""",
    """CREATE TRIGGER IF NOT EXISTS fieldclock_insert INSTEAD OF INSERT ON fieldclock BEGIN
        INSERT INTO rowclock (tbl, row_id, clocks) VALUES (new.tbl, new.row_id, json_object(new.field, new.hlc))
        ON CONFLICT (tbl, row_id) DO UPDATE SET clocks = json_patch(rowclock.clocks, excluded.clocks);
    END""",
    """CREATE TRIGGER IF NOT EXISTS fieldclock_update INSTEAD OF UPDATE ON fieldclock BEGIN
        UPDATE rowclock SET clocks = json_patch(clocks, json_object(old.field, NULL))
        WHERE tbl = old.tbl AND row_id = old.row_id;
        INSERT INTO rowclock (tbl, row_id, clocks) VALUES (new.tbl, new.row_id, json_object(new.field, new.hlc))
        ON CONFLICT (tbl, row_id) DO UPDATE SET clocks = json_patch(rowclock.clocks, excluded.clocks);
    END""",
    """CREATE TRIGGER IF NOT EXISTS fieldclock_delete INSTEAD OF DELETE ON fieldclock BEGIN
        UPDATE rowclock SET clocks = json_patch(clocks, json_object(old.field, NULL))
        WHERE tbl = old.tbl AND row_id = old.row_id;
    END""",
]


def encode(clocks: Mapping[str, str]) -> str:
    """The stored text of one row's clocks (compact JSON; ``to_json`` is several times faster than ``json``)."""
    return to_json(clocks).decode()


def decode(stored: str | None) -> dict[str, str]:
    """One row's clocks from their stored text (``{}`` for none)."""
    return dict(json.loads(stored)) if stored else {}


def row_clocks(db: Any, tbl: str, row_id: str) -> dict[str, str]:
    """Every field clock of one row."""
    stored = db.execute(
        text("SELECT clocks FROM rowclock WHERE tbl = :tbl AND row_id = :row_id"),
        {"tbl": tbl, "row_id": row_id},
    ).scalar()
    return decode(stored)


def get_clock(db: Any, tbl: str, row_id: str, field: str) -> str | None:
    """The clock of one field's current value, or ``None`` if it has none."""
    return row_clocks(db, tbl, row_id).get(field)


def set_clocks(db: Any, tbl: str, row_id: str, clocks: Mapping[str, str]) -> None:
    """Set the clocks of some fields of one row; its other fields keep theirs."""
    if clocks:
        db.execute(text(_UPSERT), {"tbl": tbl, "row_id": row_id, "clocks": encode(clocks)})


def set_many(db: Any, rows: Iterable[tuple[str, str, Mapping[str, str]]]) -> None:
    """``set_clocks`` for many rows in one statement (bulk writers)."""
    params = [{"tbl": t, "row_id": r, "clocks": encode(c)} for t, r, c in rows if c]
    if params:
        db.execute(text(_UPSERT), params)


def drop_clock(db: Any, tbl: str, row_id: str, field: str, *, only_if: str | None = None) -> bool:
    """Forget one field's clock (only if it is still ``only_if`` when given); ``True`` if dropped."""
    clocks = row_clocks(db, tbl, row_id)
    if field not in clocks or (only_if is not None and clocks[field] != only_if):
        return False
    del clocks[field]
    db.execute(
        text("UPDATE rowclock SET clocks = :clocks WHERE tbl = :tbl AND row_id = :row_id"),
        {"tbl": tbl, "row_id": row_id, "clocks": encode(clocks)},
    )
    return True


def move_clock(db: Any, tbl: str, row_id: str, field: str, *, old: str, new: str) -> bool:
    """Replace a field's clock ``old`` by ``new`` (a re-stamped unsent edit); ``True`` if it was ``old``."""
    if get_clock(db, tbl, row_id, field) != old:
        return False
    set_clocks(db, tbl, row_id, {field: new})
    return True


def all_clocks(db: Any) -> dict[tuple[str, str, str], str]:
    """Every field clock as ``{(tbl, row_id, field): hlc}`` (to compare devices in tests and tools)."""
    out: dict[tuple[str, str, str], str] = {}
    for tbl, row_id, stored in db.execute(text("SELECT tbl, row_id, clocks FROM rowclock")):
        for field, hlc in decode(stored).items():
            out[(tbl, row_id, field)] = hlc
    return out
