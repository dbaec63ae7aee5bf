"""The one place where a database engine is made.

With a key the file is a SQLCipher database: every connection comes from
``sqlcipher3`` and runs ``PRAGMA key`` (a raw 256-bit key, so no per-connection
key stretching) before anything else, then reads the schema once so a wrong
key fails here, at open, and not halfway through a screen. Without a key the
file is plain SQLite (tests, and a profile from before encryption, which is
migrated at its first login).

Every connection gets WAL journaling (readers never wait for the writer),
foreign keys, a busy timeout and ``synchronous=FULL`` (a power cut loses no
committed answer). The file is created mode 0600 in a 0700 folder; SQLite
gives its ``-wal`` and ``-shm`` files the database's own mode.
"""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path
from typing import Any

import sqlcipher3
from sqlalchemy import Engine, create_engine, event
from sqlalchemy.pool import QueuePool

BUSY_TIMEOUT_MS = 5000
# SQLCipher decrypts and HMAC-checks a page each time it enters the page cache; a larger cache
# (64 MiB instead of SQLite's 2 MiB) keeps a 50,000-person registry's search pages decrypted.
ENCRYPTED_CACHE_KIB = 65536
SQLITE_HEADER = b"SQLite format 3\x00"


def _configure(dbapi_conn: Any, _record: object) -> None:
    cur = dbapi_conn.cursor()
    cur.execute("PRAGMA journal_mode=WAL")
    cur.execute("PRAGMA foreign_keys=ON")
    cur.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
    cur.execute("PRAGMA synchronous=FULL")
    cur.close()


def private_dir(path: Path) -> Path:
    """``path`` created if need be, readable by this user only."""
    path.mkdir(parents=True, exist_ok=True)
    os.chmod(path, 0o700)
    return path


def _private_file(path: Path) -> None:
    private_dir(path.parent)
    if not path.exists():
        os.close(os.open(path, os.O_CREAT | os.O_WRONLY, 0o600))
    os.chmod(path, 0o600)


def key_pragma(key: bytes) -> str:
    return f"PRAGMA key = \"x'{key.hex()}'\""


def quiet(conn: Any) -> None:
    """Turn off SQLCipher's own stderr log: a wrong key is reported by our exception, once."""
    conn.execute("PRAGMA cipher_log_level = NONE")


def connect_encrypted(path: Path, key: bytes, *, timeout: float = BUSY_TIMEOUT_MS / 1000) -> Any:
    """A raw ``sqlcipher3`` connection to ``path`` with ``key`` applied and checked."""
    conn = sqlcipher3.connect(str(path), check_same_thread=False, timeout=timeout)
    try:
        quiet(conn)
        conn.execute(key_pragma(key))
        conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
    except BaseException:
        conn.close()
        raise
    return conn


def is_plain_sqlite(path: Path) -> bool:
    """Whether ``path`` starts with the plain SQLite header (an unencrypted database)."""
    try:
        with open(path, "rb") as fh:
            return fh.read(len(SQLITE_HEADER)) == SQLITE_HEADER
    except FileNotFoundError:
        return False


def _configure_encrypted(dbapi_conn: Any, _record: object) -> None:
    dbapi_conn.execute(f"PRAGMA cache_size = -{ENCRYPTED_CACHE_KIB}")


def make_engine(path: Path, key: bytes | None = None) -> Engine:
    """An engine for the database at ``path`` (SQLCipher with ``key``); each thread gets its own connection."""
    _private_file(path)
    if key is None:
        engine = create_engine(
            f"sqlite:///{path}",
            connect_args={"check_same_thread": False, "timeout": BUSY_TIMEOUT_MS / 1000},
        )
    else:
        engine = create_engine(
            "sqlite://",
            module=sqlcipher3.dbapi2,
            creator=lambda: connect_encrypted(path, key),
            poolclass=QueuePool,
            pool_size=5,
            max_overflow=10,
        )
        event.listen(engine, "connect", _configure_encrypted)
    event.listen(engine, "connect", _configure)
    return engine


DatabaseError: tuple[type[Exception], ...] = (sqlite3.DatabaseError, sqlcipher3.dbapi2.DatabaseError)
