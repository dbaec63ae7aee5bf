"""Removing this laptop's data: at the server's word (a lost laptop), or by the user's choice.

The key file goes first: overwritten and deleted, it makes the database,
the files and the backups unreadable at once, even if deleting them is then
interrupted (or refused on Windows because a file is still open). Then the
profile's files are deleted. ``settings.json`` (language, server address)
stays, so the laptop can be enrolled again.

A remote wipe happens at the contact where the server answers that this
device is revoked (error code ``device_revoked``). Removing the data by hand
refuses while changes wait to be synced, unless the user confirmed twice.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from sqlalchemy import func
from sqlmodel import select

from app.contract.errors import DEVICE_REVOKED, SyncError
from app.store import keyfile, models
from app.store.store import Store

_PROFILE_ITEMS = (
    "homevisit.db",
    "homevisit.db-wal",
    "homevisit.db-shm",
    "files",
    "backups",
    "thumbs",
    "keys.json.new",
    "throttle.json",
    "encrypting",
    ".enrol",
)


class DeviceWiped(SyncError):
    """The server said this device is revoked; its keys are destroyed and its data is going."""

    def __init__(self) -> None:
        super().__init__(
            "管理员已注销本机（如丢失报备），本机资料已清除。请联系管理员重新登记后再使用。", DEVICE_REVOKED
        )


class UnsyncedChanges(RuntimeError):
    """Changes would be lost; the caller must ask again before removing the data."""

    def __init__(self, count: int) -> None:
        super().__init__(f"本机还有 {count} 项修改未同步，清除后将永久丢失。如确定要清除，请再确认一次。")
        self.count = count


def unsynced_count(store: Store) -> int:
    with store.session() as s:
        return int(s.exec(select(func.count()).select_from(models.Change)).one())


def destroy_keys(home: Path) -> None:
    """Make the profile unreadable now (the first, instant step of every wipe)."""
    keyfile.destroy(Path(home))


def delete_profile_files(home: Path) -> None:
    """Delete the profile's data files (after the store is closed)."""
    home = Path(home)
    destroy_keys(home)
    for name in _PROFILE_ITEMS:
        path = home / name
        if path.is_dir():
            shutil.rmtree(path, ignore_errors=True)
        else:
            path.unlink(missing_ok=True)


def wipe(store: Store) -> None:
    """Destroy the keys, close the store and delete its files."""
    destroy_keys(store.home)
    store.close()
    delete_profile_files(store.home)


def check_removal(store: Store, *, confirmations: int) -> None:
    """Raise ``UnsyncedChanges`` unless removing the data loses nothing or was confirmed twice."""
    pending = unsynced_count(store)
    if pending and confirmations < 2:
        raise UnsyncedChanges(pending)


def remove_laptop_data(store: Store, *, confirmations: int) -> None:
    """The user's "remove this laptop's data": refuses with unsynced changes unless confirmed twice."""
    check_removal(store, confirmations=confirmations)
    wipe(store)
