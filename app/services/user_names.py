"""People, not identifiers: the one place a username becomes the name a user reads.

Every screen that shows who did something (专职委员 of a visit, 经办人 of a project step, who
marked an alert handled, who reviewed a visit, the ledgers) asks :class:`UserNames`. The local
``user`` table holds the display name of every account that has logged in on this laptop; the
``directoryuser`` table those of the colleagues the server listed at the last sync
(``app.services.user_directory``), deactivated ones included, and it wins, being the fresher. A
username with no known display name is shown as it is; the seeding tool's actor reads "示例数据".
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from sqlmodel import select

from app.store.models import DirectoryUser, User
from app.store.store import Store

# Actors that are no person: what they read as (Chinese; the UI translates it like other service texts).
SYSTEM_ACTORS = {"seed": "示例数据"}


@dataclass(frozen=True)
class UserNames:
    """username → display name; call it with a username."""

    names: Mapping[str, str] = field(default_factory=dict)

    @classmethod
    def load(cls, store: Store) -> UserNames:
        """Read in a worker thread (it queries the database)."""
        with store.session() as s:
            names = {u.username: u.display_name for u in s.exec(select(User)) if u.display_name}
            names.update(
                {u.username: u.display_name for u in s.exec(select(DirectoryUser)) if u.display_name}
            )
        return cls(names)

    def __call__(self, username: str | None) -> str:
        if not username:
            return ""
        return self.names.get(username) or SYSTEM_ACTORS.get(username, username)
