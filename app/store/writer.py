"""The one writer of synced rows, in three modes: a local edit, a bulk load and a remote merge.

Whatever the path — a caseworker's edit, ``homevisit seed``, the demo data, a
roster import, a pulled page — a synced row reaches the database through this
module, and so does everything that must move with it:

- **derived columns** (a person's pinyin and initials search keys) are
  computed by ``derive`` and nowhere else;
- the **change log** (one ``change`` per changed field, with its clock and the
  clock of the value it replaces), the **field clocks** and the **audit
  events** of local writes are written by ``LocalEdit`` and ``BulkLoad`` with
  the same stamping (``_Stamper``);
- rows from the server are written by ``RemoteMerge``, which records no change
  (the value came from the server) and no audit event (the server's history has
  it), keeps the clocks as they came and keeps the search index in step.

Modes:

``LocalEdit``
    One transaction of edits by one actor through an ORM session: ``add``,
    ``update``, ``set_map_value``, ``delete``. ``UnitOfWork`` is this mode with
    the commit/rollback around it; services use it via ``Store.unit_of_work``.
``BulkLoad``
    Many *new* rows at once (seed, demo data, imports)::

        with BulkLoad(store.engine, store.clock, actor="import", reason="roster.xlsx") as load:
            household = load.add(models.Household(address=..., region_code=...))
            load.add(models.Person(household_id=household.id, name=..., ...))
            if len(load) >= 2000:
                load.flush()          # optional: one transaction per batch

    Each row is written exactly as ``LocalEdit.add`` would write it — every
    sync field in the change log with a fresh clock, its field clocks, derived
    columns, one ``create`` audit event — with one ``executemany`` per table, so
    it syncs like anything typed in by hand. Leaving the block flushes what is
    left; an exception drops it. ``add(..., skip_if_present=True)`` leaves a row
    whose id is already stored alone (content-addressed attachments).
``RemoteMerge``
    The rows ``app.sync.merge`` decided to insert or update, as column lists
    over the page's DB-API cursor, with their clocks texts and the unsent
    changes they supersede.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from functools import cache
from typing import Any, TypeVar

from pydantic_core import to_json
from sqlalchemy import Engine, insert, text
from sqlmodel import Session, select

from app.contract.hlc import HybridLogicalClock
from app.domain.pinyin import name_keys
from app.store import audit, field_clocks, models, search_index, sync_state, table_registry
from app.store.row_ids import utc_now
from app.store.sync_state import StateKey

R = TypeVar("R", bound=models.SyncedRow)
_CHUNK = 500  # ids per IN (...) list, well under SQLite's variable limit


class RowNotFound(LookupError):
    """A row id that is not in the local database."""


# --- derived columns ----------------------------------------------------------


def _person_search_keys(name: str | None) -> dict[str, Any]:
    pinyin, initials = name_keys(name or "")
    return {"name_pinyin": pinyin, "name_initials": initials}


# For each table with derived columns: the sync field they come from, and how.
# ``table_registry.DERIVED_COLUMNS`` names the columns (they never sync).
DERIVED_FROM: dict[str, str] = {"person": "name"}
_DERIVE: dict[str, Callable[[Any], dict[str, Any]]] = {"person": _person_search_keys}


def derive(tbl: str, source: Any) -> dict[str, Any]:
    """The derived columns of a row of ``tbl`` whose ``DERIVED_FROM`` field is ``source`` (``{}``: none)."""
    fn = _DERIVE.get(tbl)
    return fn(source) if fn else {}


def derive_row(row: models.SyncedRow) -> None:
    """Recompute the derived columns of a row object."""
    tbl = table_registry.table_name(row)
    if tbl in DERIVED_FROM:
        for column, value in derive(tbl, getattr(row, DERIVED_FROM[tbl])).items():
            setattr(row, column, value)


def derive_dict(tbl: str, values: dict[str, Any]) -> None:
    """Recompute the derived columns of a row given as a column dict."""
    if tbl in DERIVED_FROM:
        values.update(derive(tbl, values[DERIVED_FROM[tbl]]))


def derive_values(tbl: str, index: Mapping[str, int], values: list[Any]) -> None:
    """Recompute the derived columns of a row given as a column list (``index``: column -> position)."""
    for column, value in derive(tbl, values[index[DERIVED_FROM[tbl]]]).items():
        values[index[column]] = value


# --- stamping: clocks and change-log entries of local writes ------------------


class _Stamper:
    """Gives each changed field a fresh clock and its change-log entry (shared by local and bulk writes)."""

    def __init__(self, clock: HybridLogicalClock) -> None:
        self.clock = clock

    def new_row(
        self, tbl: str, row_id: str, fields: Mapping[str, Any], hlcs: Iterator[str] | None = None
    ) -> tuple[dict[str, str], list[dict[str, Any]]]:
        """Clocks and change entries of a new row (``fields``: its sync fields): every field, no base clock.

        ``hlcs``: clock values ticked ahead for a batch (``clock.tick_many``); otherwise one tick per field.
        """
        tick = hlcs.__next__ if hlcs is not None else self.clock.tick
        clocks: dict[str, str] = {}
        changes: list[dict[str, Any]] = []
        for field, value in fields.items():
            hlc = clocks[field] = tick()
            changes.append({"tbl": tbl, "row_id": row_id, "field": field, "value": value, "hlc": hlc})
        return clocks, changes


# --- mode 1: local edit -------------------------------------------------------


class LocalEdit:
    """Edits by one actor in one ORM session (see ``UnitOfWork`` for the transaction around it)."""

    def __init__(self, session: Session, clock: HybridLogicalClock, actor: str) -> None:
        self.session = session
        self.clock = clock
        self.actor = actor
        self._stamper = _Stamper(clock)

    def get(self, model: type[R], row_id: str) -> R:
        """A row by id, tombstoned or not; ``RowNotFound`` if there is none."""
        row = self.session.get(model, row_id)
        if row is None:
            raise RowNotFound(f"找不到记录 {model.__tablename__}/{row_id}")  # type: ignore[attr-defined]
        return row

    def add(self, row: R) -> R:
        """Insert a new synced row; every field is recorded as changed."""
        now = utc_now()
        row.created_at = row.created_at or now
        row.updated_at = now
        derive_row(row)
        self.session.add(row)
        self.session.flush()
        tbl = table_registry.table_name(row)
        clocks, changes = self._stamper.new_row(tbl, row.id, table_registry.sync_fields(row))
        self.session.add_all(models.Change(**c) for c in changes)
        field_clocks.set_clocks(self.session, tbl, row.id, clocks)
        audit.record(self.session, self.actor, "create", tbl, row.id)
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
            clocks[field] = self._log(tbl, row.id, field, value, base_hlc=seen.get(field))
        field_clocks.set_clocks(self.session, tbl, row.id, clocks)
        row.updated_at = utc_now()
        derive_row(row)
        self.session.add(row)
        self.session.flush()
        action = "delete" if changes.get("deleted") else "update"
        audit.record(self.session, self.actor, action, tbl, row.id, ",".join(changes))
        return row

    def _log(self, tbl: str, row_id: str, field: str, value: Any, base_hlc: str | None) -> str:
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

    def save_clock(self) -> None:
        """Keep the last clock issued, in this transaction, so a restart never goes back."""
        sync_state.write(self.session, {StateKey.HLC_LAST: self.clock.last})


# --- mode 2: bulk load --------------------------------------------------------


class BulkLoad:
    """Many new synced rows written in batches, each exactly as a local edit would write it.

    ``actor`` goes into each row's ``create`` audit event, ``reason`` into its
    detail (``seed``, ``demo``, a file name). Rows must be new: an update of a
    stored row is a local edit (``Store.unit_of_work``).

    Rows come as model objects (``add``) or, for large imports, as plain column
    dicts (``add_values``: no ORM object per row); both are written by the same
    ``flush``.
    """

    def __init__(self, engine: Engine, clock: HybridLogicalClock, actor: str, *, reason: str = "") -> None:
        self.engine = engine
        self.actor = actor
        self.reason = reason
        self._stamper = _Stamper(clock)
        self._rows: list[models.SyncedRow | tuple[str, dict[str, Any]]] = []
        self._skip_if_present: set[int] = set()  # positions in ``_rows``

    def __enter__(self) -> BulkLoad:
        return self

    def __exit__(self, exc_type: object, exc: object, tb: object) -> None:
        if exc_type is None:
            self.flush()
        else:
            self._rows.clear()
            self._skip_if_present.clear()

    def __len__(self) -> int:
        """Rows added and not yet flushed."""
        return len(self._rows)

    def add(self, row: R, *, skip_if_present: bool = False) -> R:
        """Queue a new row; with ``skip_if_present`` a row whose id is already stored is dropped at flush."""
        if skip_if_present:
            self._skip_if_present.add(len(self._rows))
        self._rows.append(row)
        return row

    def add_values(
        self, tbl: str, values: Mapping[str, Any], *, skip_if_present: bool = False
    ) -> dict[str, Any]:
        """Queue a new row of ``tbl`` given as a column dict (validated by the caller); returns its full dict.

        Columns left out get the model's defaults (a fresh ``id``); an unknown
        column or a missing required one is an error. The row is stored exactly
        as ``add(Model(**values))`` would store it.
        """
        defaults, factories, required = _column_defaults(tbl)
        unknown = values.keys() - defaults.keys() - factories.keys() - required
        if unknown:
            raise table_registry.UnknownTable(f"数据表 {tbl} 没有字段 {', '.join(sorted(unknown))}")
        missing = required - values.keys()
        if missing:
            raise ValueError(f"数据表 {tbl} 的记录缺少字段 {', '.join(sorted(missing))}")
        row = {**defaults, **{c: make() for c, make in factories.items() if c not in values}, **values}
        if skip_if_present:
            self._skip_if_present.add(len(self._rows))
        self._rows.append((tbl, row))
        return row

    def flush(self) -> int:
        """Write the queued rows, their change log, clocks and audit events in one transaction."""
        if not self._rows:
            return 0
        now = utc_now()
        clock = self._stamper.clock
        by_table: dict[str, list[dict[str, Any]]] = {}
        queued: list[tuple[str, dict[str, Any], dict[str, Any]]] = []  # tbl, columns, sync fields
        with self.engine.begin() as conn:
            present = self._present(conn)
            for i, item in enumerate(self._rows):
                if isinstance(item, tuple):
                    tbl, values = item
                    if i in self._skip_if_present and (tbl, values["id"]) in present:
                        continue
                    values["created_at"] = values["created_at"] or now
                    values["updated_at"] = (
                        values["updated_at"] or now
                    )  # a seeded past visit keeps its own date
                    derive_dict(tbl, values)
                else:  # a model object gets the same stamps (the caller may read them), then goes as its dict
                    tbl = table_registry.table_name(item)
                    if i in self._skip_if_present and (tbl, item.id) in present:
                        continue
                    item.created_at = item.created_at or now
                    item.updated_at = item.updated_at or now
                    derive_row(item)
                    values = item.model_dump()
                queued.append((tbl, values, table_registry.sync_values(tbl, values)))
                by_table.setdefault(tbl, []).append(values)
            hlcs = iter(clock.tick_many(sum(len(fields) for _, _, fields in queued)))
            changes: list[tuple[Any, ...]] = []
            clocks: list[tuple[str, str, dict[str, str]]] = []
            events: list[dict[str, Any]] = []
            encode_value = _change_value_encoder(conn)
            for tbl, values, fields in queued:
                row_id = values["id"]
                row_clocks, row_changes = self._stamper.new_row(tbl, row_id, fields, hlcs)
                changes.extend(
                    (tbl, row_id, c["field"], encode_value(c["value"]), c["hlc"]) for c in row_changes
                )
                clocks.append((tbl, row_id, row_clocks))
                events.append(audit.event(self.actor, "create", tbl, row_id, self.reason))
            # Persons are indexed for search in one statement per chunk after the inserts, not row by
            # row by the insert trigger (as a pulled page is: ``RemoteMerge.paused_index``).
            cur = conn.connection.cursor()
            with search_index.paused_index(cur):
                for tbl, model in table_registry.SYNCED_MODELS.items():  # parents first
                    if by_table.get(tbl):
                        conn.execute(insert(model.__table__), by_table[tbl])  # type: ignore[attr-defined]
                search_index.reindex_persons(cur, [v["id"] for v in by_table.get("person", ())], new=True)
            if changes:
                # The change log is the bulk of a load (one entry per field): straight to the driver,
                # with the value encoded by the column's own JSON type, as the ORM would store it.
                conn.exec_driver_sql(
                    "INSERT INTO change (tbl, row_id, field, value, hlc) VALUES (?, ?, ?, ?, ?)", changes
                )
            field_clocks.set_many(conn, clocks)
            audit.record_many(conn, events)
            sync_state.write(conn, {StateKey.HLC_LAST: clock.last})
        written = len(events)
        self._rows.clear()
        self._skip_if_present.clear()
        return written

    def _present(self, conn: Any) -> set[tuple[str, str]]:
        """Which of the rows flagged ``skip_if_present`` are stored already."""
        wanted: dict[str, list[str]] = {}
        for i in self._skip_if_present:
            item = self._rows[i]
            if isinstance(item, tuple):
                wanted.setdefault(item[0], []).append(item[1]["id"])
            else:
                wanted.setdefault(table_registry.table_name(item), []).append(item.id)
        found: set[tuple[str, str]] = set()
        for tbl, ids in wanted.items():
            for chunk in _chunks(ids):
                marks = ", ".join(f":i{n}" for n in range(len(chunk)))
                params = {f"i{n}": v for n, v in enumerate(chunk)}
                for (row_id,) in conn.execute(text(f'SELECT id FROM "{tbl}" WHERE id IN ({marks})'), params):
                    found.add((tbl, row_id))
        return found


@cache
def _column_defaults(
    tbl: str,
) -> tuple[dict[str, Any], dict[str, Callable[[], Any]], frozenset[str]]:
    """A table's column defaults, its per-row defaults (a fresh ``id``, an empty map) and its required columns."""
    defaults: dict[str, Any] = {}
    factories: dict[str, Callable[[], Any]] = {}
    required: set[str] = set()
    for name, info in table_registry.model_for(tbl).model_fields.items():
        if info.is_required():
            required.add(name)
        elif info.default_factory is not None:
            factories[name] = info.default_factory  # type: ignore[assignment]
        else:
            defaults[name] = info.default
    return defaults, factories, frozenset(required)


def _change_value_encoder(conn: Any) -> Callable[[Any], Any]:
    """How ``change.value`` (a JSON column) is stored by this connection's dialect."""
    process = models.Change.__table__.c.value.type.bind_processor(conn.dialect)  # type: ignore[attr-defined]
    return process if process is not None else (lambda v: v)


# --- mode 3: remote merge -----------------------------------------------------


class RemoteMerge:
    """Writes the rows a pulled page inserts or updates, over the page's DB-API cursor.

    ``app.sync.merge`` decides field by field what wins; this class writes the
    outcome: rows with one ``executemany`` per table (derived columns
    recomputed), their clocks texts, the removal of unsent changes a newer
    remote value superseded, and the search index entries of every person the
    page touched. Use ``paused_index`` around the page: the row-by-row index
    triggers stand aside and the touched persons are re-indexed in one go.
    """

    def __init__(self, cur: Any) -> None:
        self.cur = cur
        self._clocks: list[tuple[str, str, str]] = []  # tbl, row_id, clocks JSON
        self._dropped: list[int] = []
        self._new_persons: list[str] = []  # inserted: not in the search index yet
        self._changed_persons: list[str] = []
        self._changed_households: list[str] = []  # their persons' index entries change

    def write_rows(
        self,
        tbl: str,
        columns: Sequence[str],
        inserts: dict[str, list[Any]],
        updates: dict[str, list[Any]],
        rederive: Iterable[str] = (),
    ) -> None:
        """Insert and update whole rows given as column lists (``columns[0]`` is ``id``).

        Derived columns are computed for every inserted row and for the updated
        rows in ``rederive`` (those whose ``DERIVED_FROM`` field changed); map
        columns given as dicts are stored as JSON text.
        """
        index = {c: i for i, c in enumerate(columns)}
        if tbl in DERIVED_FROM:
            for values in inserts.values():
                derive_values(tbl, index, values)
            for row_id in rederive:
                if row_id in updates:
                    derive_values(tbl, index, updates[row_id])
        maps = [index[c] for c in table_registry.MAP_COLUMNS.get(tbl, ())]
        for rows in (inserts, updates):
            for values in rows.values():
                for i in maps:
                    if not isinstance(values[i], str):  # a fresh row's map came as text
                        values[i] = to_json(values[i]).decode()
        cols = ", ".join(f'"{c}"' for c in columns)
        if inserts:
            marks = ", ".join("?" * len(columns))
            self.cur.executemany(f'INSERT INTO "{tbl}" ({cols}) VALUES ({marks})', list(inserts.values()))
        if updates:
            sets = ", ".join(f'"{c}" = ?' for c in columns[1:])
            self.cur.executemany(
                f'UPDATE "{tbl}" SET {sets} WHERE id = ?', [(*v[1:], v[0]) for v in updates.values()]
            )
        if tbl == "person":
            self._new_persons.extend(inserts)
            self._changed_persons.extend(updates)
        elif tbl == "household":
            self._changed_households.extend(inserts)
            self._changed_households.extend(updates)

    def set_clocks(self, rows: Iterable[tuple[str, str, str]]) -> None:
        """Replace the clocks text of these rows (``(tbl, row_id, clocks JSON)``) when the page ends."""
        self._clocks.extend(rows)

    def drop_changes(self, local_seqs: Iterable[int]) -> None:
        """Remove unsent changes that a newer remote value superseded (their values live on in conflicts)."""
        self._dropped.extend(local_seqs)

    @contextmanager
    def paused_index(self) -> Iterator[None]:
        """The page's writes inside; on leaving, the clocks and change log are written and persons re-indexed."""
        with search_index.paused_index(self.cur):
            yield
            self._finish()

    def _finish(self) -> None:
        for chunk in _chunks(self._dropped):
            self.cur.execute(f"DELETE FROM change WHERE local_seq IN ({', '.join('?' * len(chunk))})", chunk)
        if self._clocks:
            self.cur.executemany(
                "INSERT OR REPLACE INTO rowclock (tbl, row_id, clocks) VALUES (?, ?, ?)", self._clocks
            )
        new = self._new_persons
        search_index.reindex_persons(self.cur, new, new=True)
        redo = dict.fromkeys(self._changed_persons)
        if self._changed_households:
            fresh = set(new)
            for person_id in search_index.persons_of_households(self.cur, self._changed_households):
                if person_id not in fresh:
                    redo[person_id] = None
        search_index.reindex_persons(self.cur, list(redo))


# --- the change log, read -----------------------------------------------------


def pending_change_count(db: Engine | Any) -> int:
    """Changes not yet acknowledged by the server (unsent or in flight).

    ``db``: the store's engine, or a Session or Connection to count inside its transaction.
    """
    if isinstance(db, Engine):
        with db.connect() as conn:
            return pending_change_count(conn)
    return int(db.execute(text("SELECT count(*) FROM change")).scalar_one())


def _chunks(items: list[Any], size: int = _CHUNK) -> Iterator[list[Any]]:
    for i in range(0, len(items), size):
        yield items[i : i + size]
