"""Schema versions of the local database and the steps between them.

The version lives in ``PRAGMA user_version``. A new database is created in the
latest shape at once; an older file is upgraded in place, one step at a time,
after a backup copy is made in ``backups/`` (encrypted under the same key,
see ``app.store.backups``). Steps are idempotent (they check what
exists first), so an upgrade interrupted by a crash simply runs again.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import Connection, Engine, inspect, text
from sqlmodel import SQLModel

from app.store import field_clocks, models, sync_state
from app.store.backups import make_backup
from app.store.search_index import create_search_index, upgrade_search_index

log = logging.getLogger(__name__)


class DatabaseTooNew(RuntimeError):
    """The file was written by a newer HomeVisit than this one."""


def _create_tables(conn: Connection, *tables: type[SQLModel]) -> None:
    SQLModel.metadata.create_all(conn, tables=[t.__table__ for t in tables], checkfirst=True)  # type: ignore[attr-defined]


def _add_column_if_missing(conn: Connection, table: str, column: str, ddl: str) -> None:
    existing = {c["name"] for c in inspect(conn).get_columns(table)}
    if column not in existing:
        conn.execute(text(f"ALTER TABLE {table} ADD COLUMN {column} {ddl}"))


def _v1_registry(conn: Connection) -> None:
    """Households, persons, users, audit, sync bookkeeping and the search index."""
    _create_tables(
        conn,
        models.Household,
        models.Person,
        models.User,
        models.AuditEvent,
        models.Change,
        models.FieldClock,
        models.SyncState,
        models.Conflict,
        models.RejectedChange,
    )
    create_search_index(conn)


def _v2_visits_and_projects(conn: Connection) -> None:
    """Visits, form responses, attachments, renovation projects, acceptances, certificates."""
    _add_column_if_missing(conn, "person", "has_living_subsidy", "BOOLEAN NOT NULL DEFAULT 0")
    _add_column_if_missing(conn, "person", "has_care_subsidy", "BOOLEAN NOT NULL DEFAULT 0")
    _create_tables(
        conn,
        models.Visit,
        models.FormResponse,
        models.Attachment,
        models.AttachmentLink,
        models.RenovationProject,
        models.RenovationItem,
        models.ProjectEvent,
        models.Acceptance,
        models.Certificate,
    )


def _v3_row_clocks(conn: Connection) -> None:
    """Field clocks one row per synced row (``rowclock``), ``fieldclock`` a view; pausable search triggers.

    The per-field table is copied into ``rowclock`` and dropped in the step's
    transaction; run again, the step finds the view and copies nothing.
    """
    _create_tables(conn, models.RowClock)
    kind = conn.execute(text("SELECT type FROM sqlite_master WHERE name = 'fieldclock'")).scalar()
    if kind == "table":
        conn.execute(
            text(
                "INSERT OR REPLACE INTO rowclock (tbl, row_id, clocks) "
                "SELECT tbl, row_id, json_group_object(field, hlc) FROM fieldclock GROUP BY tbl, row_id"
            )
        )
        conn.execute(text("DROP TABLE fieldclock"))
    for statement in field_clocks.VIEW_DDL:
        conn.execute(text(statement))
    upgrade_search_index(conn)


def _v4_handled_alerts(conn: Connection) -> None:
    """Need alerts marked handled, with a note (local table)."""
    _create_tables(conn, models.HandledAlert)


def _v5_need_items(conn: Connection) -> None:
    """Need items (需求台账), followed up from a visit to their closing."""
    _create_tables(conn, models.NeedItem)


def _v6_visit_reviews(conn: Connection) -> None:
    """Visit reviews (访视审核) made on the server's console, synced to the laptop."""
    _create_tables(conn, models.VisitReview)


def _v7_rejection_reasons(conn: Connection) -> None:
    """The server's exact reason code beside the kind of each refused change (translated by code)."""
    _add_column_if_missing(conn, "rejectedchange", "reason", "VARCHAR NOT NULL DEFAULT ''")


def _v8_register_count_index(conn: Connection) -> None:
    """A covering index for the register count the main window shows first (``read.persons.count_registered``).

    Without it the count reads every page of ``person``; in an encrypted
    profile each page is decrypted and its HMAC checked on the way in, so the
    first count after opening took 116 ms instead of 26 ms (10,000 households,
    2026-12-02); with it, 16 ms and 14 ms. ``region_code`` is in it for the reader's scope
    (``read.scope``), so the scoped count stays on the index.
    """
    conn.execute(
        text("CREATE INDEX IF NOT EXISTS ix_person_registered ON person (status, deleted, region_code)")
    )


def _v9_user_directory(conn: Connection) -> None:
    """Colleagues' display names from the server (local table), so a visit shows who, not a login."""
    _create_tables(conn, models.DirectoryUser)


def _v10_directory_devices(conn: Connection) -> None:
    """Whose each device is (from the user directory), so a conflict names who wrote each value.

    The directory version held is forgotten: the server's next answer is then a whole one, with the devices.
    """
    _create_tables(conn, models.DirectoryDevice)
    sync_state.write(conn, {sync_state.StateKey.USER_DIRECTORY_ETAG: ""})


STEPS: list[tuple[int, str, Callable[[Connection], None]]] = [
    (1, "registry", _v1_registry),
    (2, "visits and projects", _v2_visits_and_projects),
    (3, "field clocks per row", _v3_row_clocks),
    (4, "handled alerts", _v4_handled_alerts),
    (5, "need items", _v5_need_items),
    (6, "visit reviews", _v6_visit_reviews),
    (7, "rejection reasons", _v7_rejection_reasons),
    (8, "register count index", _v8_register_count_index),
    (9, "user directory", _v9_user_directory),
    (10, "directory devices", _v10_directory_devices),
]
LATEST = STEPS[-1][0]


@dataclass(frozen=True)
class MigrationResult:
    from_version: int
    to_version: int
    backup: Path | None


def schema_version(engine: Engine) -> int:
    with engine.connect() as conn:
        return int(conn.execute(text("PRAGMA user_version")).scalar_one())


def backup_database(db_path: Path, version: int, key: bytes | None = None) -> Path:
    """A consistent copy of the database in ``backups/`` (encrypted like it), named after ``version``."""
    return make_backup(db_path, key, f"v{version}")


def migrate(
    engine: Engine, db_path: Path, *, target: int = LATEST, key: bytes | None = None
) -> MigrationResult:
    """Bring the database to schema ``target``; back it up first (under ``key``) if it holds data."""
    current = schema_version(engine)
    if current > LATEST:
        raise DatabaseTooNew(f"数据库版本 {current} 比本程序支持的 {LATEST} 新，请升级 HomeVisit 后再打开")
    if current >= target:
        return MigrationResult(current, current, None)
    backup = backup_database(db_path, current, key) if current > 0 else None
    for version, name, step in STEPS:
        if current < version <= target:
            log.info("migrating database to v%d (%s)", version, name)
            with engine.begin() as conn:
                step(conn)
                conn.execute(text(f"PRAGMA user_version = {version}"))
    return MigrationResult(current, target, backup)
