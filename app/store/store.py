"""``Store``: one profile's database, file store and clock, opened together.

A profile is a folder (``HOMEVISIT_HOME`` or the platform's user data folder)
holding ``homevisit.db``, its ``backups/``, the ``files/`` attachment store and
``keys.json`` (``app.store.keyfile``). Opened with the profile's root key the
database is SQLCipher and the files AES-GCM, under keys derived from that
root. Without a key only a plain profile opens (tests, and a profile from
before encryption, migrated at its first login by ``app.store.encrypt``); an
encrypted one refuses with ``ProfileLocked``. A damaged database raises
``DamagedDatabase`` before anything is written to it.
"""

from __future__ import annotations

import json
from pathlib import Path

from sqlalchemy import Engine, text
from sqlalchemy.exc import DatabaseError as SQLAlchemyDatabaseError
from sqlmodel import Session

from app.contract.hlc import HybridLogicalClock
from app.store import audit_chain, keyfile, sync_state
from app.store.crypto import subkey
from app.store.damage import Damage, DamagedDatabase, check_database
from app.store.db import DatabaseError, is_plain_sqlite, make_engine, private_dir
from app.store.encrypt import finish_if_interrupted, promote_staged_keyfile
from app.store.files import FileStore
from app.store.migrations import MigrationResult, migrate
from app.store.read import scope
from app.store.row_ids import new_id
from app.store.sync_state import StateKey
from app.store.unit_of_work import UnitOfWork

DB_NAME = "homevisit.db"


class ProfileLocked(RuntimeError):
    """An encrypted profile opened without its key."""

    def __init__(self) -> None:
        super().__init__("本机资料已加密，请先用本机已登记的账号和密码登录")


class Store:
    """The local data of one profile. Open it once per process and share it."""

    def __init__(self, home: Path, key: bytes | None = None) -> None:
        self.home = private_dir(Path(home))
        self.db_path = self.home / DB_NAME
        promote_staged_keyfile(self.home)
        exists = self.db_path.exists()
        if key is None and (
            keyfile.exists(self.home)
            or (exists and self.db_path.stat().st_size and not is_plain_sqlite(self.db_path))
        ):
            raise ProfileLocked()
        self.root_key = key
        self._closed = False
        self.db_key = subkey(key, "database") if key else None
        if exists:
            check_database(self.db_path, self.db_key, thorough=False)
        self.engine: Engine = make_engine(self.db_path, self.db_key)
        try:
            self.migration: MigrationResult = migrate(self.engine, self.db_path, key=self.db_key)
            self.device_id = self.get_state(StateKey.DEVICE_ID) or self._new_device_id()
        except SQLAlchemyDatabaseError:
            self.engine.dispose()
            raise DamagedDatabase(Damage.MALFORMED, self.db_path) from None
        self.files = FileStore(self.home / "files", subkey(key, "files") if key else None)
        self.seal_audit(create=True)
        if key is not None:
            finish_if_interrupted(self.home, file_key=self.files.key)
        self.clock = HybridLogicalClock(
            self.device_id,
            last=self.get_state(StateKey.HLC_LAST) or None,
            offset_ms=int(self.get_state(StateKey.CLOCK_OFFSET_MS) or 0),
        )

    def session(self) -> Session:
        """A session for reads (and for sync's own bookkeeping writes)."""
        return Session(self.engine, expire_on_commit=False)

    def unit_of_work(self, actor: str) -> UnitOfWork:
        """A transaction for edits by ``actor`` (a user name); see ``UnitOfWork``."""
        return UnitOfWork(self.session(), self.clock, actor)

    def get_state(self, key: StateKey) -> str:
        """One ``syncstate`` value (``""`` when unset); see ``app.store.sync_state``."""
        with self.engine.connect() as conn:
            return sync_state.read(conn, key)

    def set_state(self, key: StateKey, value: str) -> None:
        """Set one ``syncstate`` value in a transaction of its own."""
        with self.engine.begin() as conn:
            sync_state.write(conn, {key: value})

    @property
    def encrypted(self) -> bool:
        return self.root_key is not None

    def seal_audit(self, *, create: bool = False) -> None:
        """Seal the audit events written since the last seal into the hash chain (``app.store.audit_chain``)."""
        raw = self.engine.raw_connection()
        try:
            cur = raw.cursor()
            if create:
                audit_chain.ensure_schema(cur)
                scope.ensure_schema(cur)
            audit_chain.seal_pending(cur, self.device_id)
            raw.commit()
        finally:
            raw.close()

    def set_viewer(self, username: str, role: str, regions: list[str]) -> list[str]:
        """From now on every read of the read side shows this user's regions only (``app.store.read.scope``)."""
        with self.engine.begin() as conn:
            return scope.set_viewer(conn, username, role, regions)

    def refresh_viewer(self) -> str | None:
        """Re-read the current reader's regions from their account (a server login may have changed them).

        Returns the reader's user name (``None``: nobody logged in yet, nothing scoped)."""
        with self.engine.begin() as conn:
            current = scope.viewer(conn)
            if current is None:
                return None
            row = conn.execute(
                text("SELECT role, regions FROM user WHERE username = :u AND active = 1"), {"u": current[0]}
            ).first()
            role, regions = (
                (row[0], json.loads(row[1]) if isinstance(row[1], str) else row[1]) if row else ("", [])
            )
            scope.set_viewer(conn, current[0], role, regions or [])
            return current[0]

    def purge_uncovered(self, actor: str) -> dict[str, int]:
        """Remove rows no enrolled user covers and nobody has unsynced changes to (``app.store.purge``)."""
        from app.store.purge import purge_uncovered

        return purge_uncovered(self, actor)

    def sealed_audit_after(self, after: int, limit: int) -> list[tuple]:
        """Sealed audit events after ``seq`` ``after`` with their seals (``audit_chain.sealed_after``)."""
        raw = self.engine.raw_connection()
        try:
            return audit_chain.sealed_after(raw.cursor(), after, limit)
        finally:
            raw.close()

    def verify_audit(self) -> audit_chain.ChainCheck:
        raw = self.engine.raw_connection()
        try:
            return audit_chain.verify(raw.cursor(), self.device_id)
        finally:
            raw.close()

    def close(self) -> None:
        """Seal the audit events and let go of the file; a second call (after a wipe, say) does nothing."""
        if self._closed:
            return
        self._closed = True
        if self.db_path.exists():
            try:
                self.seal_audit()
            except (SQLAlchemyDatabaseError, *DatabaseError):  # nothing to seal in a file that will not open
                pass
        self.engine.dispose()

    def _new_device_id(self) -> str:
        # 12 hex characters of a fresh UUID: short in every clock value, unique enough.
        device = new_id().replace("-", "")[-12:]
        self.set_state(StateKey.DEVICE_ID, device)
        return device
