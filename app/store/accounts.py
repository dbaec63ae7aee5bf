"""Local accounts at the storage level: password hashing and copying an account from the server.

``app.services.auth`` builds the login rules on top; the sync client uses
``remember_account`` after a server login so the same password works offline.
On an encrypted profile that means wrapping the profile key for the password
(``keys.json``) and keeping no hash in the database at all.
"""

from __future__ import annotations

from collections.abc import Iterable

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlmodel import select

from app.store import keyfile
from app.store.models import User
from app.store.store import Store

_hasher = PasswordHasher()


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def verify_password(password_hash: str, password: str) -> bool:
    try:
        return _hasher.verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def remember_account(
    store: Store, username: str, password: str, *, role: str, regions: Iterable[str], display_name: str
) -> User:
    """Create or update the local copy of a server account, with this password's hash."""
    with store.session() as s:
        user = s.exec(select(User).where(User.username == username)).first() or User(username=username)
        if store.encrypted:
            keyfile.enrol(store.home, store.root_key, username, password)  # type: ignore[arg-type]
            user.password_hash = ""
        else:
            user.password_hash = hash_password(password)
        user.role, user.regions, user.display_name = role, list(regions), display_name or username
        user.active = True
        user.failed_attempts, user.locked_until = 0, 0.0
        s.add(user)
        s.commit()
        return user
