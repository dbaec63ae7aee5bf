"""The full-text index over persons and their households (SQLite FTS5, trigram).

Triggers keep ``person_fts`` in step with ``person`` and ``household``, so
every write path — the unit of work and rows landing from a pull alike —
updates the index in the same transaction.
"""

from __future__ import annotations

from sqlalchemy import Connection, text

_BODY = (
    "{p}.name || ' ' || {p}.name_pinyin || ' ' || {p}.name_initials || ' ' || {p}.id_number || ' ' || "
    "{p}.cert_number || ' ' || {p}.phone || ' ' || "
    "coalesce((SELECT h.address || ' ' || h.phone || ' ' || h.head_name FROM household h "
    "WHERE h.id = {p}.household_id), '')"
)

DDL = [
    "CREATE VIRTUAL TABLE IF NOT EXISTS person_fts USING fts5(body, tokenize='trigram')",
    f"""CREATE TRIGGER IF NOT EXISTS person_fts_ai AFTER INSERT ON person BEGIN
        INSERT INTO person_fts(rowid, body) VALUES (new.rowid, {_BODY.format(p="new")});
    END""",
    f"""CREATE TRIGGER IF NOT EXISTS person_fts_au AFTER UPDATE ON person BEGIN
        DELETE FROM person_fts WHERE rowid = old.rowid;
        INSERT INTO person_fts(rowid, body) VALUES (new.rowid, {_BODY.format(p="new")});
    END""",
    """CREATE TRIGGER IF NOT EXISTS person_fts_ad AFTER DELETE ON person BEGIN
        DELETE FROM person_fts WHERE rowid = old.rowid;
    END""",
    f"""CREATE TRIGGER IF NOT EXISTS household_fts_au AFTER UPDATE OF address, phone, head_name ON household
    BEGIN
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
