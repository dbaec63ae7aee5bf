"""The one place where a database engine is made.

Every connection gets WAL journaling (readers never wait for the writer),
foreign keys, a busy timeout and ``synchronous=FULL`` (a power cut loses no
committed answer). Encryption at rest (SQLCipher, ``PRAGMA key`` first) will
plug in here through ``creator=`` without touching any repository.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

from sqlalchemy import Engine, create_engine, event

BUSY_TIMEOUT_MS = 5000


def _configure(dbapi_conn: sqlite3.Connection, _record: object) -> None:
    cur = dbapi_conn.cursor()
    cur.execute("PRAGMA journal_mode=WAL")
    cur.execute("PRAGMA foreign_keys=ON")
    cur.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
    cur.execute("PRAGMA synchronous=FULL")
    cur.close()


def make_engine(path: Path) -> Engine:
    """An engine for the SQLite file at ``path``; each thread gets its own connection."""
    path.parent.mkdir(parents=True, exist_ok=True)
    engine = create_engine(
        f"sqlite:///{path}",
        connect_args={"check_same_thread": False, "timeout": BUSY_TIMEOUT_MS / 1000},
    )
    event.listen(engine, "connect", _configure)
    return engine
