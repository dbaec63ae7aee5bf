"""Accounts and tokens: keyword-only functions that take a ``session`` (full-stack template style)."""

from __future__ import annotations

import hashlib
import secrets
import time

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlmodel import Session, select

from app.contract import protocol as p
from app.domain.enums import Role
from app.domain.regions import normalise_prefix
from server.errors import ApiError
from server.models import AuthToken, Device, ServerUser, UserCreate

_hasher = PasswordHasher()
# Hash checked when the user does not exist, so a wrong name takes as long as a wrong password.
_DUMMY_HASH = _hasher.hash("not a password")


class InvalidUser(ValueError):
    """An account that cannot be created as asked."""


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def create_user(*, session: Session, user_create: UserCreate) -> ServerUser:
    """Create an account; regions are stored as natural-length prefixes."""
    if len(user_create.password) < 6:
        raise InvalidUser("密码至少需要 6 位")
    role = Role(user_create.role).value
    regions = [normalise_prefix(r) for r in user_create.regions]
    if session.exec(select(ServerUser).where(ServerUser.username == user_create.username)).first():
        raise InvalidUser(f"用户名“{user_create.username}”已存在")
    user = ServerUser(
        username=user_create.username,
        display_name=user_create.display_name or user_create.username,
        role=role,
        regions=regions,
        active=user_create.active,
        password_hash=_hasher.hash(user_create.password),
        created_at=time.time(),
    )
    session.add(user)
    session.commit()
    session.refresh(user)
    return user


def authenticate(*, session: Session, username: str, password: str) -> ServerUser:
    user = session.exec(select(ServerUser).where(ServerUser.username == username.strip())).first()
    try:
        ok = _hasher.verify(user.password_hash if user else _DUMMY_HASH, password)
    except (VerificationError, InvalidHashError):
        ok = False
    if not ok or user is None or not user.active:
        raise ApiError(401, p.LOGIN_FAILED, "用户名或密码错误")
    return user


def issue_token(
    *, session: Session, user: ServerUser, device_id: str, device_name: str, lifetime_s: float
) -> tuple[str, AuthToken]:
    """A fresh random token for ``user`` on ``device_id``; only its hash is stored."""
    now = time.time()
    token = secrets.token_urlsafe(32)
    row = AuthToken(
        token_hash=hash_token(token),
        user_id=user.id,  # type: ignore[arg-type]
        device_id=device_id,
        created_at=now,
        expires_at=now + lifetime_s,
    )
    device = session.get(Device, device_id)
    if device is None:
        device = Device(id=device_id, user_id=user.id, name=device_name, first_seen=now)  # type: ignore[arg-type]
    device.user_id, device.last_seen = user.id, now  # type: ignore[assignment]
    device.name = device_name or device.name
    session.add(device)
    session.add(row)
    session.commit()
    return token, row


def user_for_token(*, session: Session, token: str) -> tuple[ServerUser, AuthToken]:
    """The user a bearer token belongs to; raises ``ApiError`` 401 with the reason otherwise."""
    found = session.exec(
        select(AuthToken, ServerUser)
        .join(ServerUser, ServerUser.id == AuthToken.user_id)  # type: ignore[arg-type]
        .where(AuthToken.token_hash == hash_token(token))
    ).first()
    if found is None:
        raise ApiError(401, p.TOKEN_INVALID, "登录已失效，请重新登录")
    row, user = found
    if row.revoked_at is not None:
        raise ApiError(401, p.TOKEN_REVOKED, "此设备的登录已被管理员注销，请重新登录")
    if row.expires_at <= time.time():
        raise ApiError(401, p.TOKEN_EXPIRED, "登录已过期，请重新登录")
    if not user.active:
        raise ApiError(401, p.TOKEN_INVALID, "账号已停用，请联系管理员")
    return user, row


def revoke_tokens(*, session: Session, username: str, device_id: str | None = None) -> int:
    """Revoke every live token of a user (or of one of its devices): a lost laptop."""
    user = session.exec(select(ServerUser).where(ServerUser.username == username)).first()
    if user is None:
        raise ApiError(404, p.NOT_FOUND, f"没有用户“{username}”")
    query = select(AuthToken).where(AuthToken.user_id == user.id, AuthToken.revoked_at.is_(None))  # type: ignore[union-attr]
    if device_id:
        query = query.where(AuthToken.device_id == device_id)
    now, count = time.time(), 0
    for row in session.exec(query):
        row.revoked_at = now
        session.add(row)
        count += 1
    session.commit()
    return count
