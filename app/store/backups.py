"""Rolling backups of the profile database, encrypted like the database itself.

A backup is made before every schema migration and once a day at start, with
SQLite's online backup API (a consistent copy even while the app writes); it
is a SQLCipher file under the same database key, so it opens with the same
passwords and reveals nothing on its own. The newest ``KEEP`` are kept.

A restore never deletes anything: the database it replaces is moved aside to
``backups/replaced-…`` first, so a restore of the wrong backup can be undone.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from app.store.damage import DamagedDatabase, check_database
from app.store.db import connect_encrypted, private_dir

KEEP = 10
DAILY = timedelta(hours=24)
BACKUP_DIR = "backups"


@dataclass(frozen=True)
class BackupInfo:
    """One backup file: where, when it was made and why (``daily``, ``v3`` before a migration…)."""

    path: Path
    made_at: datetime
    reason: str
    size: int


def backup_dir(db_path: Path) -> Path:
    return db_path.parent / BACKUP_DIR


def make_backup(db_path: Path, key: bytes | None, reason: str, *, keep: int = KEEP) -> Path:
    """A consistent copy of the database in ``backups/`` named by time and reason; prunes to ``keep``."""
    stamp = datetime.now(UTC).strftime("%Y%m%d-%H%M%S-%f")
    target = private_dir(backup_dir(db_path)) / f"{db_path.stem}-{reason}-{stamp}.db"
    os.close(os.open(target, os.O_CREAT | os.O_WRONLY, 0o600))
    if key is None:
        with sqlite3.connect(db_path) as src, sqlite3.connect(target) as dst:
            src.backup(dst)
    else:
        src, dst = connect_encrypted(db_path, key), connect_encrypted(target, key)
        try:
            src.backup(dst)
        finally:
            src.close()
            dst.close()
    prune(db_path, keep)
    return target


def list_backups(db_path: Path) -> list[BackupInfo]:
    """Backups of this database, newest first (``replaced-…`` copies of restored-over files excluded)."""
    folder = backup_dir(db_path)
    if not folder.is_dir():
        return []
    found = []
    for path in folder.glob(f"{db_path.stem}-*.db"):
        stat = path.stat()
        reason = path.stem[len(db_path.stem) + 1 :].rsplit("-", 3)[0]
        found.append(BackupInfo(path, datetime.fromtimestamp(stat.st_mtime, UTC), reason, stat.st_size))
    return sorted(found, key=lambda b: (b.made_at, b.path.name), reverse=True)


def prune(db_path: Path, keep: int = KEEP) -> None:
    for old in list_backups(db_path)[keep:]:
        old.path.unlink(missing_ok=True)


def backup_if_due(db_path: Path, key: bytes | None, *, now: datetime | None = None) -> Path | None:
    """The daily backup, when the newest backup is older than a day (or there is none)."""
    backups = list_backups(db_path)
    moment = now or datetime.now(UTC)
    if backups and moment - backups[0].made_at < DAILY:
        return None
    return make_backup(db_path, key, "daily")


def latest_good_backup(db_path: Path, key: bytes | None) -> BackupInfo | None:
    """The newest backup that opens with ``key`` and passes the checks."""
    for info in list_backups(db_path):
        try:
            check_database(info.path, key)
        except DamagedDatabase:
            continue
        return info
    return None


def restore(db_path: Path, backup: Path) -> Path:
    """Put ``backup`` in place of the database (which must be closed); returns where the old file went."""
    stamp = datetime.now(UTC).strftime("%Y%m%d-%H%M%S-%f")
    aside = private_dir(backup_dir(db_path)) / f"replaced-{stamp}-{db_path.name}"
    if db_path.exists():
        os.replace(db_path, aside)
    for suffix in ("-wal", "-shm"):
        extra = db_path.with_name(db_path.name + suffix)
        if extra.exists():
            os.replace(extra, aside.with_name(aside.name + suffix))
    tmp = db_path.with_name(f".{db_path.name}.restore")
    shutil.copyfile(backup, tmp)
    os.chmod(tmp, 0o600)
    os.replace(tmp, db_path)
    return aside
