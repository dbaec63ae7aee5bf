"""Turning a plain profile (from before encryption) into an encrypted one, at its first login.

The steps are ordered so that a crash at any point leaves a profile that
opens with the same password and loses nothing:

1. the plain database is checkpointed and exported with ``sqlcipher_export``
   into a new SQLCipher file beside it; the copy is verified (integrity check,
   and the same number of rows in every table) before anything else happens;
2. every attachment is encrypted under its new name (the plain ones stay);
3. the key file is written as ``keys.json.new`` and an ``encrypting`` marker;
4. the encrypted database replaces the plain one, then the key file is put
   in place (``Store`` promotes a ``keys.json.new`` left by a crash here);
5. older plain backups are re-made encrypted under their own names, then the
   plain leftovers go: attachments, thumbnails, the marker.

``finish_if_interrupted`` reruns step 5 on the next open when the marker is
still there. Deleting a file does not scrub the disk blocks it used (SSDs
remap them anyway); the protection is that no new plain copy is ever made.
"""

from __future__ import annotations

import logging
import os
import shutil
import sqlite3
from dataclasses import dataclass
from pathlib import Path

import sqlcipher3

from app.store import keyfile
from app.store.backups import backup_dir, make_backup
from app.store.crypto import Argon2Params, subkey
from app.store.db import connect_encrypted, is_plain_sqlite, quiet
from app.store.files import FileStore

log = logging.getLogger(__name__)

MARKER = "encrypting"
DB_NAME = "homevisit.db"


class EncryptionFailed(RuntimeError):
    """The encrypted copy did not verify; the plain profile is untouched."""


@dataclass(frozen=True)
class EncryptionReport:
    tables: int
    rows: int
    files: int
    backups: int


def _counts(conn: sqlite3.Connection | sqlcipher3.Connection) -> dict[str, int]:
    names = [
        r[0]
        for r in conn.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
        ).fetchall()
    ]
    return {name: conn.execute(f'SELECT count(*) FROM "{name}"').fetchone()[0] for name in names}


def _export(plain: Path, target: Path, db_key: bytes) -> dict[str, int]:
    """Copy ``plain`` into a new SQLCipher file ``target``; returns the verified row counts."""
    target.unlink(missing_ok=True)
    os.close(os.open(target, os.O_CREAT | os.O_WRONLY, 0o600))
    with sqlite3.connect(plain) as src:
        src.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        version = src.execute("PRAGMA user_version").fetchone()[0]
        expected = _counts(src)
    conn = sqlcipher3.connect(str(plain))
    try:
        quiet(conn)
        conn.execute(f"ATTACH DATABASE ? AS enc KEY \"x'{db_key.hex()}'\"", (str(target),))
        conn.execute("SELECT sqlcipher_export('enc')")
        conn.execute(f"PRAGMA enc.user_version = {int(version)}")
        conn.execute("DETACH DATABASE enc")
    finally:
        conn.close()
    enc = connect_encrypted(target, db_key)
    try:
        check = enc.execute("PRAGMA integrity_check").fetchone()[0]
        got = _counts(enc)
        enc.execute("PRAGMA journal_mode=WAL")
    finally:
        enc.close()
    if check != "ok" or got != expected:
        target.unlink(missing_ok=True)
        raise EncryptionFailed("加密后的数据库校验未通过，原数据未改动")
    return got


def _encrypt_files(home: Path, file_key: bytes) -> list[Path]:
    """Encrypt every plain attachment (verified by its digest); returns the plain files to remove."""
    plain = FileStore(home / "files")
    sealed = FileStore(home / "files", file_key)
    done = []
    for path in sorted(plain.all_paths()):
        digest = path.name
        if sealed.path(digest) == path:
            continue
        if sealed.put_file(path) != digest:
            log.warning("attachment %s does not match its digest; kept as it was", path)
            continue
        done.append(path)
    return done


def encrypt_plain_profile(
    home: Path, username: str, password: str, *, params: Argon2Params | None = None
) -> tuple[bytes, EncryptionReport]:
    """Encrypt the plain profile at ``home`` for ``username`` (already checked against the old hash)."""
    home = Path(home)
    db = home / DB_NAME
    if not is_plain_sqlite(db) or keyfile.exists(home):
        raise EncryptionFailed("这不是未加密的资料")
    staging = home / "keys-staging"
    shutil.rmtree(staging, ignore_errors=True)
    root = keyfile.create(staging, username, password, params=params)
    db_key = subkey(root, "database")
    tmp = home / f".{DB_NAME}.encrypting"
    counts = _export(db, tmp, db_key)
    plain_files = _encrypt_files(home, subkey(root, "files"))
    old_backups = (
        sorted(p for p in backup_dir(db).glob("*.db") if is_plain_sqlite(p))
        if backup_dir(db).is_dir()
        else []
    )
    (home / MARKER).write_text("1", encoding="ascii")
    os.replace(staging / keyfile.KEYFILE_NAME, home / "keys.json.new")
    shutil.rmtree(staging, ignore_errors=True)
    for suffix in ("-wal", "-shm"):
        db.with_name(db.name + suffix).unlink(missing_ok=True)
    os.replace(tmp, db)
    os.replace(home / "keys.json.new", keyfile.keyfile_path(home))
    for old in old_backups:  # each older backup re-made encrypted under its own name
        staged = old.with_name(f".{old.name}.encrypting")
        _export(old, staged, db_key)
        os.replace(staged, old)
    make_backup(db, db_key, "encrypted")
    finish_if_interrupted(home, plain_files)
    return root, EncryptionReport(len(counts), sum(counts.values()), len(plain_files), len(old_backups))


def promote_staged_keyfile(home: Path) -> None:
    """Put a ``keys.json.new`` left by a crash in step 4 in place."""
    staged = Path(home) / "keys.json.new"
    if staged.is_file() and not keyfile.exists(home):
        os.replace(staged, keyfile.keyfile_path(home))


def finish_if_interrupted(home: Path, plain: list[Path] | None = None, file_key: bytes | None = None) -> None:
    """Remove plain leftovers of an encryption (step 5); a no-op once the marker is gone."""
    home = Path(home)
    if not (home / MARKER).exists():
        return
    if plain is None:
        plain = []
        if file_key is not None:
            sealed = FileStore(home / "files", file_key)
            for path in FileStore(home / "files").all_paths():
                if sealed.path(path.name) != path and sealed.has(path.name):
                    plain.append(path)
        folder = home / "backups"
        if folder.is_dir():
            plain += [p for p in folder.glob("*.db") if is_plain_sqlite(p)]
    for path in plain:
        path.unlink(missing_ok=True)
        for suffix in ("-wal", "-shm"):
            path.with_name(path.name + suffix).unlink(missing_ok=True)
    shutil.rmtree(home / "thumbs", ignore_errors=True)
    (home / MARKER).unlink(missing_ok=True)
