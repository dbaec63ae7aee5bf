"""``Store``: one profile's database, file store and clock, opened together.

A profile is a folder (``HOMEVISIT_HOME`` or the platform's user data folder)
holding ``homevisit.db``, its ``backups/`` and the ``files/`` attachment store.
"""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import Engine
from sqlmodel import Session

from app.contract.hlc import HybridLogicalClock
from app.store import sync_state
from app.store.db import make_engine
from app.store.files import FileStore
from app.store.migrations import MigrationResult, migrate
from app.store.row_ids import new_id
from app.store.sync_state import StateKey
from app.store.unit_of_work import UnitOfWork

DB_NAME = "homevisit.db"


class Store:
    """The local data of one profile. Open it once per process and share it."""

    def __init__(self, home: Path) -> None:
        self.home = Path(home)
        self.home.mkdir(parents=True, exist_ok=True)
        self.db_path = self.home / DB_NAME
        self.engine: Engine = make_engine(self.db_path)
        self.migration: MigrationResult = migrate(self.engine, self.db_path)
        self.files = FileStore(self.home / "files")
        self.device_id = self.get_state(StateKey.DEVICE_ID) or self._new_device_id()
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

    def close(self) -> None:
        self.engine.dispose()

    def _new_device_id(self) -> str:
        # 12 hex characters of a fresh UUID: short in every clock value, unique enough.
        device = new_id().replace("-", "")[-12:]
        self.set_state(StateKey.DEVICE_ID, device)
        return device
