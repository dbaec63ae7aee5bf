"""Applying a pulled page to the local database, field by field (SYNC.md step 3).

For each field of each pulled row: a remote value replaces the local one only
if its clock is higher; an unsent local edit it replaces becomes a ``Conflict``
(loser: local); a remote value older than an unsent local edit made without
seeing it becomes a ``Conflict`` too (loser: remote). The page and the pull
cursor are committed together, so a crash repeats at most one page.

A first pull brings tens of thousands of rows, so a page is merged in bulk:
the rows, field clocks and unsent changes it touches are read in a few queries
as plain tuples, decided in Python, and written back with one ``executemany``
per table — no ORM object per row. A row's field clocks are one JSON text
(``rowclock``, see ``app.store.field_clocks``).
The transaction is ``BEGIN IMMEDIATE``: a local edit cannot slip in between
reading the unsent changes and writing over them.

The rows, their clocks and the unsent changes they supersede are written by
``app.store.writer.RemoteMerge`` (the store's one writer, in its remote mode),
which also recomputes derived columns and re-indexes the persons touched;
this module only decides, field by field, what wins.

Pages come in the columnar layout (``app.contract.page``). A row this device has
never seen is taken whole: its column values are gathered from the page row in
one C call and its clocks text is stored as it came, so no field is looked at
one by one. Only rows already here are compared field by field.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from operator import itemgetter
from typing import Any, cast

from pydantic_core import PydanticUndefined
from sqlalchemy import Connection, Engine

from app.contract.hlc import HybridLogicalClock
from app.contract.page import (
    ABSENT,
    CLOCKS,
    MAPS,
    NEWEST,
    ROW_ID,
    VALUES,
    TablePage,
    row_fields,
    tables_from_rows,
)
from app.contract.protocol import PulledRow
from app.contract.schema import TABLES
from app.gc_pause import paused_gc
from app.store import sync_state, table_registry
from app.store.field_clocks import decode as decode_clocks
from app.store.field_clocks import encode as encode_clocks
from app.store.row_ids import new_id, utc_now
from app.store.sync_state import StateKey
from app.store.writer import DERIVED_FROM, RemoteMerge

_DEFAULTS = {"str": "", "int": 0, "float": 0.0, "bool": False}
_CHUNK = 500  # ids per IN (...) list, well under SQLite's variable limit
_CACHE_KIB = 64 * 1024  # page cache while merging: the field-clock index outgrows the 2 MB default


@dataclass
class MergeResult:
    """What one page changed locally."""

    rows: int = 0
    conflicts: int = 0
    skipped: int = 0


@dataclass(frozen=True)
class _TableShape:
    """How one synced table's columns map to sync fields, computed once per table."""

    tbl: str
    columns: tuple[str, ...]
    index: dict[str, int]
    plain: frozenset[str]  # sync fields that are whole columns
    maps: frozenset[str]  # JSON map columns merged per key (``answers``)
    template: tuple[Any, ...]  # a new row's column values before any field is set
    not_null: tuple[tuple[int, Any], ...]  # (column index, default) for NOT NULL sync columns
    slots: dict[str, tuple[int, str | None]] = field(default_factory=dict)  # see ``slot``

    def slot(self, name: str) -> tuple[int, str | None]:
        """Where a field lands: (column index, None) for a plain column, (map column index, key)
        for a map key, (-1, None) for a field this version does not know. Cached per name:
        a first pull asks a million times about a few hundred names."""
        found = self.slots.get(name)
        if found is None:
            if name in self.plain:
                found = (self.index[name], None)
            else:
                head, _, key = name.partition(".")
                found = (self.index[head], key) if key and head in self.maps else (-1, None)
            self.slots[name] = found
        return found

    @classmethod
    def of(cls, tbl: str) -> _TableShape:
        model = table_registry.SYNCED_MODELS[tbl]
        columns = tuple(c.name for c in model.__table__.columns)  # type: ignore[attr-defined]
        index = {c: i for i, c in enumerate(columns)}
        template: list[Any] = []
        for name in columns:
            info = model.model_fields[name]
            if info.default_factory is not None:
                template.append(None if name == "id" else info.default_factory())  # type: ignore[call-arg]
            else:
                template.append(None if info.default is PydanticUndefined else info.default)
        not_null = tuple(
            (index[name], _DEFAULTS[kind])
            for name, kind in TABLES.get(tbl, {}).items()
            if not kind.endswith("?")
        )
        maps = frozenset(table_registry.MAP_COLUMNS.get(tbl, ()))
        return cls(
            tbl, columns, index, frozenset(table_registry.column_names(tbl)), maps, tuple(template), not_null
        )


class _Intake:
    """Turns a page row this device has never seen into its column values and clocks text.

    Built once per table of a page: each local column's source in
    ``(row_id, *values, *map texts, *template)`` is worked out here, so a row is
    one ``itemgetter`` call. Rows that lack some columns take the slower loop.
    """

    def __init__(self, shape: _TableShape, table: TablePage, now: str) -> None:
        template = list(shape.template)
        template[shape.index["updated_at"]] = now
        for column in shape.maps:
            template[shape.index[column]] = "{}"
        for i, default in shape.not_null:
            if template[i] is None:
                template[i] = default
        self.shape, self.template, self.width = shape, template, len(table.columns)
        self.columns = [shape.index[c] if c in shape.plain else -1 for c in table.columns]
        self.maps = [shape.index[m] if m in shape.maps else -1 for m in table.maps]
        self.exact = -1 not in self.columns and -1 not in self.maps  # the clocks text can be kept as it is
        offset = 1 + len(self.columns) + len(self.maps)
        source = [offset + i for i in range(len(template))]
        source[0] = 0
        for j, i in enumerate(self.columns):
            if i >= 0:
                source[i] = 1 + j
        for j, i in enumerate(self.maps):
            if i >= 0:
                source[i] = 1 + len(self.columns) + j
        self.gather = itemgetter(*source)

    def __call__(self, row: list[Any]) -> tuple[list[Any], str]:
        values = row[VALUES]
        if len(row) > ABSENT or len(values) != self.width:
            out = self._sparse(row)
        else:
            out = list(self.gather((row[ROW_ID], *values, *row[MAPS], *self.template)))
        if None in values:
            for i, default in self.shape.not_null:
                if out[i] is None:
                    out[i] = default
        clocks = row[CLOCKS] if self.exact else self._known_clocks(row[CLOCKS])
        return out, clocks

    def _sparse(self, row: list[Any]) -> list[Any]:
        """A row that lacks some columns: those keep the new row's defaults."""
        absent = set(row[ABSENT]) if len(row) > ABSENT else set()
        out = list(self.template)
        out[0] = row[ROW_ID]
        # A row shorter than the header lacks the columns past its end.
        for j, (i, value) in enumerate(zip(self.columns, row[VALUES], strict=False)):
            if i >= 0 and j not in absent:
                out[i] = value
        for i, text in zip(self.maps, row[MAPS], strict=True):
            if i >= 0:
                out[i] = text
        return out

    def _known_clocks(self, text: str) -> str:
        """The clocks of the fields this version knows (a newer server's fields stay there)."""
        slot = self.shape.slot
        return encode_clocks({k: v for k, v in decode_clocks(text).items() if slot(k)[0] >= 0})


_SHAPES: dict[str, _TableShape] = {}


def _shape(tbl: str) -> _TableShape:
    if tbl not in _SHAPES:
        _SHAPES[tbl] = _TableShape.of(tbl)
    return _SHAPES[tbl]


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
        # A page lost to a power cut is pulled again (its cursor is lost with it), so a
        # page's commit need not wait for the disk: NORMAL keeps the database consistent.
        conn.exec_driver_sql("PRAGMA synchronous=NORMAL")
        conn.exec_driver_sql(f"PRAGMA cache_size=-{_CACHE_KIB}")
        conn.exec_driver_sql("PRAGMA wal_autocheckpoint=0")
        conn.commit()
        yield conn
    finally:
        conn.rollback()
        conn.exec_driver_sql("PRAGMA foreign_keys=ON")
        conn.exec_driver_sql("PRAGMA synchronous=FULL")
        conn.exec_driver_sql("PRAGMA cache_size=-2000")
        conn.commit()
        conn.close()


Pulled = Sequence[TablePage] | Sequence[PulledRow]


def _as_tables(pulled: Pulled) -> list[TablePage]:
    """A page's tables; rows of the row layout (``PulledRow``) are regrouped by table."""
    if not pulled or isinstance(pulled[0], TablePage):
        return list(cast(Sequence[TablePage], pulled))
    rows = [(r.tbl, r.row_id, r.seq, r.fields) for r in cast(Sequence[PulledRow], pulled)]
    return tables_from_rows(sorted(rows, key=itemgetter(2)))


def apply_page(engine: Engine, clock: HybridLogicalClock, pulled: Pulled, next_cursor: int) -> MergeResult:
    """Merge a page and move the pull cursor to ``next_cursor``, in one transaction.

    ``pulled`` is the page's ``TablePage`` list (``app.contract.page.parse_page``), or its
    rows in the row layout (``PulledRow`` objects).
    """
    with paused_gc():
        return _apply_page(engine, clock, _as_tables(pulled), next_cursor)


def _apply_page(
    engine: Engine, clock: HybridLogicalClock, tables: list[TablePage], next_cursor: int
) -> MergeResult:
    order = {tbl: i for i, tbl in enumerate(table_registry.TABLE_ORDER)}
    ordered = sorted(tables, key=lambda t: order.get(t.tbl, len(order)))  # parents first
    with _merge_connection(engine) as conn:
        db: sqlite3.Connection = conn.connection.driver_connection  # type: ignore[assignment]
        cur = db.cursor()
        try:
            cur.execute("BEGIN IMMEDIATE")
            page = _Page(cur, clock, RemoteMerge(cur))
            with page.writer.paused_index():
                page.merge(ordered)
            sync_state.write_dbapi(cur, {StateKey.PULL_CURSOR: next_cursor, StateKey.HLC_LAST: clock.last})
            db.commit()
        except BaseException:
            db.rollback()
            raise
        finally:
            cur.close()
    return page.result


Key = tuple[str, str, str]


@dataclass
class _Pending:
    """An unsent local change of one field."""

    local_seq: int
    value: Any
    hlc: str
    base_hlc: str | None


@dataclass
class _Page:
    """One page being merged: what it read, what it decided, and what it will write."""

    cur: sqlite3.Cursor
    clock: HybridLogicalClock
    writer: RemoteMerge
    result: MergeResult = field(default_factory=MergeResult)
    any_unsent: bool | None = None  # whether any local change waits to be sent (asked once per page)

    def merge(self, tables: list[TablePage]) -> None:
        top = max((max(map(_newest, t.rows), default="") for t in tables), default="")
        if top:
            self.clock.observe(top)  # past the newest clock of the page, so past every one of them
        for table in tables:  # parents first (tables came sorted)
            if table.tbl in table_registry.SYNCED_MODELS:
                self._merge_table(_shape(table.tbl), table)
            else:
                self.result.skipped += len(table.rows)  # a table this version of the app does not know yet

    def _merge_table(self, shape: _TableShape, table: TablePage) -> None:
        tbl = shape.tbl
        ids = list(dict.fromkeys(r[ROW_ID] for r in table.rows))
        existing, clocks, unsent = self._load(shape, ids)
        known = existing.keys() | clocks.keys() | {k[1] for k in unsent}
        inserts: dict[str, list[Any]] = {}
        updates: dict[str, list[Any]] = {}
        fresh: dict[str, str | dict[str, str]] = {}  # clocks of rows inserted whole (text as it came)
        moved: set[str] = set()  # rows whose clocks changed
        rederive: set[str] = set()  # rows whose derived columns' source field changed
        source = DERIVED_FROM.get(tbl)
        dropped: list[int] = []
        now = utc_now()
        take = _Intake(shape, table, now)
        for row in table.rows:
            row_id = row[ROW_ID]
            if row_id not in known and row_id not in inserts:
                inserts[row_id], fresh[row_id] = take(row)
                self.result.rows += 1
                continue
            fields = row_fields(table, row)
            seen = fresh.get(row_id)  # a row twice in one page: its clocks so far
            if isinstance(seen, str):
                seen = fresh[row_id] = decode_clocks(seen)
            row_clocks = clocks.setdefault(row_id, {}) if seen is None else seen
            values = inserts.get(row_id) or updates.get(row_id)
            is_new = values is None and row_id not in existing
            parsed: dict[str, dict[str, Any]] = {}
            changed = False
            for name, (value, hlc) in fields.items():
                column, key = name, None
                if name not in shape.plain:
                    head, _, key = name.partition(".")
                    if not key or head not in shape.maps:
                        continue  # a field this version does not know; the server keeps it
                    column = head
                fkey = (tbl, row_id, name)
                local_hlc = row_clocks.get(name)
                pending = unsent.get(fkey)
                if local_hlc is None or hlc > local_hlc:
                    if pending is not None and pending.hlc < hlc:
                        if pending.value != value:
                            self._conflict(tbl, row_id, name, value, hlc, pending.value, pending.hlc)
                        dropped.append(pending.local_seq)  # its value lives on in the conflict
                        del unsent[fkey]
                    if values is None:
                        values = list(shape.template) if is_new else list(existing[row_id])
                        values[0] = row_id
                    i = shape.index[column]
                    if key is None:
                        values[i] = value
                        if name == source:
                            rederive.add(row_id)
                    else:
                        mapping = parsed.get(column)
                        if mapping is None:
                            mapping = parsed[column] = _as_map(values[i])
                        if value is None:
                            mapping.pop(key, None)
                        else:
                            mapping[key] = value
                    row_clocks[name] = hlc
                    moved.add(row_id)
                    changed = True
                elif hlc < local_hlc and pending is not None and pending.hlc == local_hlc:
                    concurrent = pending.base_hlc is None or hlc > pending.base_hlc
                    if (
                        concurrent
                        and pending.value != value
                        and not self._known_conflict(tbl, row_id, name, hlc)
                    ):
                        self._conflict(tbl, row_id, name, pending.value, pending.hlc, value, hlc)
            if not changed or values is None:
                continue
            for column, mapping in parsed.items():
                values[shape.index[column]] = mapping
            if is_new:
                for i, default in shape.not_null:
                    if values[i] is None:
                        values[i] = default
                for column in shape.maps:
                    if values[shape.index[column]] is None:
                        values[shape.index[column]] = {}
            values[shape.index["updated_at"]] = now
            (inserts if is_new or row_id in inserts else updates)[row_id] = values
            self.result.rows += 1
        self.writer.write_rows(tbl, shape.columns, inserts, updates, rederive)
        self.writer.drop_changes(dropped)
        self.writer.set_clocks((tbl, row_id, _clock_text(seen)) for row_id, seen in fresh.items())
        self.writer.set_clocks((tbl, row_id, _clock_text(clocks[row_id])) for row_id in moved - fresh.keys())

    def _load(
        self, shape: _TableShape, ids: list[str]
    ) -> tuple[dict[str, tuple[Any, ...]], dict[str, dict[str, str]], dict[Key, _Pending]]:
        """The page's existing rows (as column tuples), their field clocks (per row) and unsent changes."""
        tbl, cols = shape.tbl, ", ".join(f'"{c}"' for c in shape.columns)
        existing: dict[str, tuple[Any, ...]] = {}
        clocks: dict[str, dict[str, str]] = {}
        unsent: dict[Key, _Pending] = {}
        if self.any_unsent is None:  # a first pull has none: no need to look for them row by row
            self.any_unsent = (
                self.cur.execute("SELECT 1 FROM change WHERE batch_id IS NULL LIMIT 1").fetchone() is not None
            )
        for chunk in _chunks(ids):
            marks = _marks(chunk)
            for values in self.cur.execute(f'SELECT {cols} FROM "{tbl}" WHERE id IN ({marks})', chunk):
                existing[values[0]] = values
            for r, stored in self.cur.execute(
                f"SELECT row_id, clocks FROM rowclock WHERE tbl = ? AND row_id IN ({marks})", [tbl, *chunk]
            ):
                clocks[r] = decode_clocks(stored)
            if not self.any_unsent:
                continue
            for seq, r, f, v, h, b in self.cur.execute(
                "SELECT local_seq, row_id, field, value, hlc, base_hlc FROM change "
                f"WHERE tbl = ? AND batch_id IS NULL AND row_id IN ({marks}) ORDER BY local_seq",
                [tbl, *chunk],
            ):
                unsent[(tbl, r, f)] = _Pending(seq, None if v is None else json.loads(v), h, b)
        return existing, clocks, unsent

    def _known_conflict(self, tbl: str, row_id: str, name: str, loser_hlc: str) -> bool:
        found = self.cur.execute(
            "SELECT 1 FROM conflict WHERE tbl = ? AND row_id = ? AND field = ? AND loser_hlc = ? LIMIT 1",
            (tbl, row_id, name, loser_hlc),
        ).fetchone()
        return found is not None

    def _conflict(
        self, tbl: str, row_id: str, name: str, winner: Any, winner_hlc: str, loser: Any, loser_hlc: str
    ) -> None:
        self.cur.execute(
            "INSERT INTO conflict (id, tbl, row_id, field, winner_value, winner_hlc, loser_value, loser_hlc, "
            "detected_at, resolved, resolution) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 0, '')",
            (
                new_id(),
                tbl,
                row_id,
                name,
                json.dumps(winner, ensure_ascii=False),
                winner_hlc,
                json.dumps(loser, ensure_ascii=False),
                loser_hlc,
                utc_now(),
            ),
        )
        self.result.conflicts += 1


_newest = itemgetter(NEWEST)


def _clock_text(clocks: str | dict[str, str]) -> str:
    return clocks if isinstance(clocks, str) else encode_clocks(clocks)


def _as_map(value: Any) -> dict[str, Any]:
    if value is None:
        return {}
    if isinstance(value, str):
        return dict(json.loads(value))
    return dict(value)


def _marks(items: Sequence[Any]) -> str:
    return ", ".join("?" * len(items))


def _chunks(items: list[Any], size: int = _CHUNK) -> Iterator[list[Any]]:
    for i in range(0, len(items), size):
        yield items[i : i + size]
