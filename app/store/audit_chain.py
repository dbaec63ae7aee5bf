"""The audit log's hash chain: each event sealed with the hash of everything before it.

``auditevent`` rows are written by whoever audits (the one writer, the
services); this module seals them, in ``seq`` order, into ``auditseal``:
``hash_n = SHA-256(hash_{n-1} | device | seq | at | actor | action | tbl |
row_id | detail)``, starting from the device id. Editing, deleting or
inserting an event anywhere breaks every hash after it; ``verify`` finds the
first broken one, and the server, holding the hashes it has received, can
check a laptop's chain the same way (a cut-off tail shows as a head older
than what the server already has).

Triggers make both tables append-only for the app itself (an UPDATE or
DELETE aborts). Someone with the key and a SQLite shell can drop triggers;
the chain is what makes that visible.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from app.contract.audit_chain import link

DDL = (
    "CREATE TABLE IF NOT EXISTS auditseal (seq INTEGER PRIMARY KEY, hash TEXT NOT NULL)",
    "CREATE TRIGGER IF NOT EXISTS auditevent_no_update BEFORE UPDATE ON auditevent "
    "BEGIN SELECT RAISE(ABORT, 'audit events are append-only'); END",
    "CREATE TRIGGER IF NOT EXISTS auditevent_no_delete BEFORE DELETE ON auditevent "
    "BEGIN SELECT RAISE(ABORT, 'audit events are append-only'); END",
    "CREATE TRIGGER IF NOT EXISTS auditseal_no_update BEFORE UPDATE ON auditseal "
    "BEGIN SELECT RAISE(ABORT, 'audit seals are append-only'); END",
    "CREATE TRIGGER IF NOT EXISTS auditseal_no_delete BEFORE DELETE ON auditseal "
    "BEGIN SELECT RAISE(ABORT, 'audit seals are append-only'); END",
)
_FIELDS = "seq, at, actor, action, tbl, row_id, detail"


@dataclass(frozen=True)
class ChainCheck:
    """``ok``, how many events were checked, and the first ``seq`` that does not match (0: none)."""

    ok: bool
    checked: int
    first_bad: int = 0
    head: str = ""


def ensure_schema(cur: Any) -> None:
    """Create the seal table and the append-only triggers (idempotent); ``cur`` is a DB-API cursor."""
    for statement in DDL:
        cur.execute(statement)


def seal_pending(cur: Any, device: str) -> int:
    """Seal every event not sealed yet, in order; returns how many were sealed."""
    last = cur.execute("SELECT seq, hash FROM auditseal ORDER BY seq DESC LIMIT 1").fetchone()
    previous, after = (last[1], last[0]) if last else (device, 0)
    rows = cur.execute(f"SELECT {_FIELDS} FROM auditevent WHERE seq > ? ORDER BY seq", (after,)).fetchall()
    seals = []
    for row in rows:
        previous = link(previous, device, tuple(row))
        seals.append((row[0], previous))
    cur.executemany("INSERT INTO auditseal (seq, hash) VALUES (?, ?)", seals)
    return len(seals)


def verify(cur: Any, device: str) -> ChainCheck:
    """Recompute the chain from the first event; any edit, deletion or insertion shows."""
    events = cur.execute(f"SELECT {_FIELDS} FROM auditevent ORDER BY seq").fetchall()
    seals = dict(cur.execute("SELECT seq, hash FROM auditseal").fetchall())
    previous = device
    checked = 0
    for row in events:
        if row[0] not in seals:
            break  # not sealed yet: the rest is checked after the next seal
        previous = link(previous, device, tuple(row))
        if seals.pop(row[0]) != previous:
            return ChainCheck(False, checked, row[0])
        checked += 1
    if seals:  # a sealed event is gone
        return ChainCheck(False, checked, min(seals))
    return ChainCheck(True, checked, 0, previous)


def sealed_after(cur: Any, after: int, limit: int) -> list[tuple[Any, ...]]:
    """Up to ``limit`` sealed events with ``seq > after``, in order: ``(seq, at, actor, action, tbl, row_id,
    detail, hash)`` (what the sync sends to the server)."""
    sql = (
        f"SELECT {', '.join('e.' + f for f in _FIELDS.split(', '))}, s.hash FROM auditevent e"
        " JOIN auditseal s ON s.seq = e.seq WHERE e.seq > ? ORDER BY e.seq LIMIT ?"
    )
    return [tuple(r) for r in cur.execute(sql, (after, limit)).fetchall()]
