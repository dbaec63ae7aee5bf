"""Colleagues' display names reach the laptop at sync (``GET /users/directory``).

After a sync that succeeded, ``receive_directory`` asks the server for the users whose
regions overlap this user's, sending the version it holds; the server answers 304 while
nothing changed, so a quiet sync costs one bodiless answer. Names are kept in the local
``directoryuser`` table, and whose each of their devices is in ``directorydevice``; both are
only ever updated, never dropped: a colleague who moved to another region or left keeps the
name the visits and edits they made are shown with.
``app.services.user_names`` reads them.
"""

from __future__ import annotations

import logging

from sqlalchemy import text

from app.contract import protocol as p
from app.contract.errors import SyncError
from app.store import sync_state
from app.store.sync_state import StateKey
from app.sync.client import SyncClient

log = logging.getLogger(__name__)

_UPSERT = text(
    "INSERT OR REPLACE INTO directoryuser (username, display_name, role, active)"
    " VALUES (:username, :display_name, :role, :active)"
)
_UPSERT_DEVICE = text(
    "INSERT OR REPLACE INTO directorydevice (device_id, username) VALUES (:device_id, :username)"
)


def receive_directory(client: SyncClient) -> int:
    """Store the server's user directory if it changed; returns how many users it listed (0: unchanged)."""
    store = client.store
    held = store.get_state(StateKey.USER_DIRECTORY_ETAG)
    resp = client.transport.request(
        "GET",
        "/users/directory",
        headers={"If-None-Match": held} if held else None,
        ok=(200, 304),
        parse_json=False,  # a 304 has no body
    )
    if resp.status_code == 304:
        return 0
    answer = p.UserDirectory.model_validate(resp.json())
    with store.session() as s:  # the names and the version they are, in one transaction
        if answer.users:
            s.execute(_UPSERT, [u.model_dump(exclude={"devices"}) for u in answer.users])
        devices = [{"device_id": d, "username": u.username} for u in answer.users for d in u.devices]
        if devices:
            s.execute(_UPSERT_DEVICE, devices)
        sync_state.write(s, {StateKey.USER_DIRECTORY_ETAG: resp.headers.get("ETag", "")})
        s.commit()
    return len(answer.users)


def receive_directory_quietly(client: SyncClient) -> None:
    """``receive_directory`` after a data sync that succeeded: a failure is logged and asked again next time."""
    try:
        receive_directory(client)
    except SyncError as exc:  # e.g. a server older than this laptop: names wait for one that has it
        log.warning("could not fetch the user directory: %s (%s)", exc.message, exc.code)
    except Exception:  # the data sync succeeded; names are only a label, asked for again next time
        log.warning("could not fetch the user directory", exc_info=True)
