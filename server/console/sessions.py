"""Browser sign-in for the console: a random cookie whose hash names a ``ConsoleSession`` row.

Passwords are checked by ``server.crud.authenticate`` (the API's own check, with its
timing-safe dummy hash). Failed attempts are throttled per user name and per address
(``server.console.throttle``). A user whose password an administrator reset must
choose a new one before any other page opens (``AccountFlag``).
"""

from __future__ import annotations

import hashlib
import secrets
import time
from dataclasses import dataclass

from fastapi import Request
from sqlmodel import Session, select

from server import crud
from server.console.tables import AccountFlag, ConsoleSession
from server.console.throttle import Throttle
from server.errors import ApiError
from server.models import ServerUser
from server.passwords import WeakPassword, check_password, hash_password

COOKIE = "hv_console"
LIFETIME_S = 8 * 3600  # one working day

# Five wrong passwords for one name, or twenty from one address, in 15 minutes.
BY_NAME = Throttle(limit=5, window_s=900)
BY_ADDRESS = Throttle(limit=20, window_s=900)


@dataclass
class SignedIn:
    """The console user of one request, with the session's CSRF token."""

    user: ServerUser
    session_id: int
    csrf: str
    must_change: bool


class Throttled(Exception):
    """Too many failed sign-ins; ``retry_after`` seconds to wait."""

    def __init__(self, retry_after: int) -> None:
        super().__init__(retry_after)
        self.retry_after = retry_after


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def sign_in(session: Session, username: str, password: str, ip: str) -> tuple[str, ServerUser] | None:
    """A new session cookie for a right password, ``None`` for a wrong one; raises ``Throttled``."""
    name_key, ip_key = username.strip().lower(), ip
    if not (BY_NAME.allowed(name_key) and BY_ADDRESS.allowed(ip_key)):
        raise Throttled(max(BY_NAME.retry_after(name_key), BY_ADDRESS.retry_after(ip_key)))
    try:
        user = crud.authenticate(session=session, username=username, password=password)
    except ApiError:
        BY_NAME.hit(name_key)
        BY_ADDRESS.hit(ip_key)
        return None
    BY_NAME.clear(name_key)
    token = secrets.token_urlsafe(32)
    now = time.time()
    session.add(
        ConsoleSession(
            token_hash=_hash(token),
            user_id=user.id,  # type: ignore[arg-type]
            csrf=secrets.token_urlsafe(24),
            created_at=now,
            expires_at=now + LIFETIME_S,
        )
    )
    session.commit()
    return token, user


def current(session: Session, request: Request) -> SignedIn | None:
    """The signed-in user behind the request's cookie (live session, active account), or ``None``."""
    token = request.cookies.get(COOKIE)
    if not token:
        return None
    found = session.exec(
        select(ConsoleSession, ServerUser)
        .join(ServerUser, ServerUser.id == ConsoleSession.user_id)  # type: ignore[arg-type]
        .where(ConsoleSession.token_hash == _hash(token))
    ).first()
    if found is None:
        return None
    row, user = found
    if row.ended_at is not None or row.expires_at <= time.time() or not user.active:
        return None
    flag = session.get(AccountFlag, user.id)
    return SignedIn(user, row.id, row.csrf, bool(flag and flag.must_change))  # type: ignore[arg-type]


def sign_out(session: Session, signed: SignedIn) -> None:
    row = session.get(ConsoleSession, signed.session_id)
    if row is not None:
        row.ended_at = time.time()
        session.add(row)
        session.commit()


def end_sessions(session: Session, user_id: int) -> None:
    """End every console session of a user (deactivated, or password reset)."""
    for row in session.exec(
        select(ConsoleSession).where(ConsoleSession.user_id == user_id, ConsoleSession.ended_at.is_(None))  # type: ignore[union-attr]
    ):
        row.ended_at = time.time()
        session.add(row)


def password_problem(user: ServerUser, password: str, again: str) -> str | None:
    """Why a new password is not acceptable (the server's policy, in Chinese), or ``None``."""
    if password != again:
        return "两次输入的密码不一致"
    try:
        check_password(password, user.username)
    except WeakPassword as exc:
        return str(exc)
    return None


def set_password(session: Session, user: ServerUser, password: str) -> None:
    """The user's own new password (policy checked by ``password_problem``); no longer one-time."""
    user.password_hash = hash_password(password)
    session.add(user)
    mark_one_time(session, user, must_change=False)


def must_change(session: Session, user: ServerUser) -> bool:
    """Whether the user's password is a one-time one, to be changed before anything else."""
    flag = session.get(AccountFlag, user.id)
    return bool(flag and flag.must_change)


def mark_one_time(session: Session, user: ServerUser, *, must_change: bool = True) -> None:
    """Whether the password is one to be changed at the next sign-in (set by an administrator)."""
    flag = session.get(AccountFlag, user.id) or AccountFlag(user_id=user.id)  # type: ignore[arg-type]
    flag.must_change, flag.set_at = must_change, time.time()
    session.add(flag)
