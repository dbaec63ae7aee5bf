"""The ``syncstate`` key/value table, through named keys only.

Device id, clock, pull cursor, server login and the last sync's outcome are
kept as text under fixed keys (SYNC.md's ``sync_state``). Every key is a
``StateKey`` member, so a typo is an ``AttributeError`` at import time rather
than a setting silently read as empty, and a search for a member finds every
reader and writer of it.
"""

from __future__ import annotations

from collections.abc import Mapping
from enum import StrEnum
from typing import Any

from sqlalchemy import text

_UPSERT = "INSERT OR REPLACE INTO syncstate (key, value) VALUES (:key, :value)"
_UPSERT_DBAPI = "INSERT OR REPLACE INTO syncstate (key, value) VALUES (?, ?)"


class StateKey(StrEnum):
    """Every key of ``syncstate`` but the per-year certificate serial counters (``certificate_seq_key``)."""

    DEVICE_ID = "device_id"  # this device's id, in every clock it stamps
    HLC_LAST = "hlc_last"  # the last clock issued, so a restart never goes back
    CLOCK_OFFSET_MS = "clock_offset_ms"  # correction to the system clock, learned from the server
    PULL_CURSOR = "pull_cursor"  # the server seq merged so far
    CURSOR_SCOPE = "cursor_scope"  # the regions the cursor was pulled for (JSON list)
    SERVER_URL = "server_url"
    TOKEN = "token"
    TOKEN_EXPIRES_AT = "token_expires_at"
    USERNAME = "username"  # the user the token belongs to
    SERVER_DEVICE_ID = "server_device_id"  # the id the server knows this device by
    LAST_SYNC_SUCCESS = "last_sync_success"  # ISO stamp of the last sync that finished
    LAST_SYNC_REPORT = "last_sync_report"  # JSON of that sync's report
    LAST_SYNC_FAILURE = "last_sync_failure"  # the last failed sync: time, kind, reason ("" after a success)
    DEMO_READY = "demo_ready"  # the demo profile has been seeded
    INSTALL_MODE = "install_mode"  # "server" (accounts come from the server) or "standalone"
    POLICY_MAX_IDLE_MINUTES = "policy_max_idle_minutes"  # the federation's idle-lock ceiling
    AUDIT_SENT_SEQ = "audit_sent_seq"  # the last audit event the server acknowledged
    MUST_CHANGE_PASSWORD = "must_change_password"  # "1": the server login said the password was reset
    USER_DIRECTORY_ETAG = "user_directory_etag"  # the ETag of the user directory last received


def certificate_seq_key(year: int) -> str:
    """The key of one year's certificate serial counter."""
    return f"cert_seq_{year}"


def read(db: Any, key: StateKey | str) -> str:
    """The value under ``key`` (``""`` when unset); ``db`` is a ``Session`` or ``Connection``."""
    value = db.execute(text("SELECT value FROM syncstate WHERE key = :key"), {"key": str(key)}).scalar()
    return value or ""


def read_int(db: Any, key: StateKey) -> int:
    """An integer setting (cursor, offset); ``0`` when unset."""
    return int(read(db, key) or 0)


def write(db: Any, values: Mapping[StateKey | str, object]) -> None:
    """Set some keys in the caller's transaction (``db``: ``Session`` or ``Connection``)."""
    if values:
        db.execute(text(_UPSERT), [{"key": str(k), "value": str(v)} for k, v in values.items()])


def write_dbapi(cur: Any, values: Mapping[StateKey, object]) -> None:
    """``write`` over a DB-API cursor (the merge's raw connection)."""
    cur.executemany(_UPSERT_DBAPI, [(str(k), str(v)) for k, v in values.items()])
