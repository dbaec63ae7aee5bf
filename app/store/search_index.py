"""The full-text index over persons and their households (SQLite FTS5, trigram).

Triggers keep ``person_fts`` in step with ``person`` and ``household``, so
every write path — the unit of work and rows landing from a pull alike —
updates the index in the same transaction.

A pulled page writes thousands of persons at once; row by row the triggers
cost more than the rows themselves. So the insert and update triggers stand
aside while ``person_fts_paused`` holds a row, and the merge re-indexes the
persons it touched with one statement before it commits (``paused_index``,
``reindex_persons``, ``persons_of_households``). The flag is written inside the
page's transaction, so no other connection ever sees the index paused.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any

from sqlalchemy import Connection, text

_BODY = (
    "{p}.name || ' ' || {p}.name_pinyin || ' ' || {p}.name_initials || ' ' || {p}.id_number || ' ' || "
    "{p}.cert_number || ' ' || {p}.phone || ' ' || "
    "coalesce((SELECT h.address || ' ' || h.phone || ' ' || h.head_name FROM household h "
    "WHERE h.id = {p}.household_id), '')"
)
_LIVE = "NOT EXISTS (SELECT 1 FROM person_fts_paused)"
_CHUNK = 500  # ids per IN (...) list, well under SQLite's variable limit

TRIGGERS = ("person_fts_ai", "person_fts_au", "person_fts_ad", "household_fts_au")

DDL = [
    "CREATE VIRTUAL TABLE IF NOT EXISTS person_fts USING fts5(body, tokenize='trigram')",
    "CREATE TABLE IF NOT EXISTS person_fts_paused (flag INTEGER PRIMARY KEY)",
    f"""CREATE TRIGGER IF NOT EXISTS person_fts_ai AFTER INSERT ON person WHEN {_LIVE} BEGIN
        INSERT INTO person_fts(rowid, body) VALUES (new.rowid, {_BODY.format(p="new")});
    END""",
    f"""CREATE TRIGGER IF NOT EXISTS person_fts_au AFTER UPDATE ON person WHEN {_LIVE} BEGIN
        DELETE FROM person_fts WHERE rowid = old.rowid;
        INSERT INTO person_fts(rowid, body) VALUES (new.rowid, {_BODY.format(p="new")});
    END""",
    """CREATE TRIGGER IF NOT EXISTS person_fts_ad AFTER DELETE ON person BEGIN
        DELETE FROM person_fts WHERE rowid = old.rowid;
    END""",
    f"""CREATE TRIGGER IF NOT EXISTS household_fts_au AFTER UPDATE OF address, phone, head_name ON household
    WHEN {_LIVE} BEGIN
        DELETE FROM person_fts WHERE rowid IN (SELECT rowid FROM person WHERE household_id = new.id);
        INSERT INTO person_fts(rowid, body)
            SELECT p.rowid, {_BODY.format(p="p")} FROM person p WHERE p.household_id = new.id;
    END""",
]


def create_search_index(conn: Connection) -> None:
    """Create the index and its triggers, and fill it from existing rows."""
    for statement in DDL:
        conn.execute(text(statement))
    conn.execute(text("DELETE FROM person_fts"))
    conn.execute(
        text(f"INSERT INTO person_fts(rowid, body) SELECT p.rowid, {_BODY.format(p='p')} FROM person p")
    )


def upgrade_search_index(conn: Connection) -> None:
    """Replace the triggers of an older database by ones that can be paused (schema v3)."""
    for name in TRIGGERS:
        conn.execute(text(f"DROP TRIGGER IF EXISTS {name}"))
    for statement in DDL:
        conn.execute(text(statement))


@contextmanager
def paused_index(cur: Any) -> Iterator[None]:
    """Insert and update triggers do nothing inside the block (``cur``: a DB-API cursor in a transaction).

    The caller re-indexes what it wrote before the block ends; on an exception the
    transaction is rolled back, flag included.
    """
    cur.execute("INSERT OR IGNORE INTO person_fts_paused (flag) VALUES (1)")
    yield
    cur.execute("DELETE FROM person_fts_paused")


def reindex_persons(cur: Any, person_ids: Sequence[str], *, new: bool = False) -> None:
    """Index these persons afresh; ``new``: they were just inserted and have no entry yet."""
    _reindex(cur, "p.id", list(person_ids), new=new)


def _reindex(cur: Any, column: str, ids: list[str], *, new: bool) -> None:
    for i in range(0, len(ids), _CHUNK):
        chunk = ids[i : i + _CHUNK]
        marks = ", ".join("?" * len(chunk))
        if not new:
            cur.execute(
                f"DELETE FROM person_fts WHERE rowid IN (SELECT p.rowid FROM person p WHERE {column} IN ({marks}))",
                chunk,
            )
        cur.execute(
            f"INSERT INTO person_fts(rowid, body) SELECT p.rowid, {_BODY.format(p='p')} FROM person p "
            f"WHERE {column} IN ({marks})",
            chunk,
        )


def persons_of_households(cur: Any, household_ids: Sequence[str]) -> list[str]:
    """The ids of the persons living in these households."""
    ids = list(household_ids)
    found: list[str] = []
    for i in range(0, len(ids), _CHUNK):
        chunk = ids[i : i + _CHUNK]
        found.extend(
            r[0]
            for r in cur.execute(
                f"SELECT id FROM person WHERE household_id IN ({', '.join('?' * len(chunk))})", chunk
            )
        )
    return found
