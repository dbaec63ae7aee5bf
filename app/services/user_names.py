"""People, not identifiers: the one place a username becomes the name a user reads.

Every screen that shows who did something (专职委员 of a visit, 经办人 of a project step, who
marked an alert handled, who reviewed a visit, the ledgers) asks :class:`UserNames`. The local
``user`` table holds the display name of every account that has logged in on this laptop; the
``directoryuser`` table those of the colleagues the server listed at the last sync
(``app.services.user_directory``), deactivated ones included, and it wins, being the fresher. A
username with no known display name is shown as it is; the seeding tool's actor reads "示例数据".

A field's clock carries the device that stamped it, not a user: :meth:`UserNames.writer` says
whose that device is (the directory's ``directorydevice`` table; this laptop's own clocks are its
local accounts'), so a conflict reads "王博 · 2026-12-01 14:03", never a device id.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from sqlmodel import select

from app.contract.hlc import Timestamp
from app.store.models import DirectoryDevice, DirectoryUser, User
from app.store.store import Store
from app.store.sync_state import StateKey

# Actors that are no person: what they read as (Chinese; the UI translates it like other service texts).
SYSTEM_ACTORS = {"seed": "示例数据"}


@dataclass(frozen=True)
class ClockWriter:
    """Who stamped a clock value and when, for people; the UI words it (``here``: "本机", neither: "另一台设备")."""

    millis: int | None  # None: the clock could not be read
    names: tuple[str, ...] = ()  # display names; several when this laptop has several accounts
    here: bool = False  # stamped on this laptop


@dataclass(frozen=True)
class UserNames:
    """username → display name; call it with a username. ``writer(hlc)`` names whose a clock is."""

    names: Mapping[str, str] = field(default_factory=dict)
    device_users: Mapping[str, str] = field(default_factory=dict)  # device id → username
    own_devices: frozenset[str] = frozenset()
    local_users: tuple[str, ...] = ()  # usernames of the accounts on this laptop

    @classmethod
    def load(cls, store: Store) -> UserNames:
        """Read in a worker thread (it queries the database)."""
        with store.session() as s:
            local = list(s.exec(select(User).order_by(User.username)))
            names = {u.username: u.display_name for u in local if u.display_name}
            names.update(
                {u.username: u.display_name for u in s.exec(select(DirectoryUser)) if u.display_name}
            )
            devices = {d.device_id: d.username for d in s.exec(select(DirectoryDevice))}
        # The id this laptop stamps its clocks with, and the one the server knows it by (the same
        # since the laptop sends its own at login; an older server may have given another).
        own = frozenset(filter(None, (store.device_id, store.get_state(StateKey.SERVER_DEVICE_ID))))
        return cls(names, devices, own, tuple(u.username for u in local))

    def writer(self, hlc: str) -> ClockWriter:
        """Who stamped ``hlc``: this laptop's accounts, the colleague whose device it is, or nobody known."""
        try:
            ts = Timestamp.decode(hlc)
        except ValueError:
            return ClockWriter(None)
        if ts.device in self.own_devices:
            return ClockWriter(ts.millis, tuple(self(u) for u in self.local_users), here=True)
        username = self.device_users.get(ts.device)
        return ClockWriter(ts.millis, (self(username),) if username else ())

    def __call__(self, username: str | None) -> str:
        if not username:
            return ""
        return self.names.get(username) or SYSTEM_ACTORS.get(username, username)
