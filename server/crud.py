"""Accounts and tokens: keyword-only functions that take a ``session`` (full-stack template style)."""

from __future__ import annotations

import hashlib
import secrets
import time
from typing import NamedTuple

from sqlmodel import Session, select

from app.contract import protocol as p
from server import accounts
from server.errors import ApiError
from server.models import AuthToken, Device, ServerUser, UserCreate
from server.passwords import WeakPassword, check_password, hash_password, verify_password

# Hash checked when the user does not exist, so a wrong name takes as long as a wrong password.
_DUMMY_HASH = hash_password("not a password, only a timing decoy")


class InvalidUser(ValueError):
    """An account that cannot be created as asked."""


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def create_user(*, session: Session, user_create: UserCreate, actor: str = accounts.CLI_ACTOR) -> ServerUser:
    """Create an account (name, password policy, role, regions checked), audited."""
    try:
        username = accounts.valid_username(user_create.username)
        check_password(user_create.password, username)
        role = accounts.valid_role(user_create.role)
        regions = accounts.valid_regions(user_create.regions)
    except (accounts.AccountError, WeakPassword) as exc:
        raise InvalidUser(str(exc)) from exc
    if session.exec(select(ServerUser).where(ServerUser.username == username)).first():
        raise InvalidUser(f"用户名“{username}”已存在")
    user = ServerUser(
        username=username,
        display_name=user_create.display_name or username,
        role=role,
        regions=regions,
        active=user_create.active,
        password_hash=hash_password(user_create.password),
        created_at=time.time(),
    )
    session.add(user)
    accounts.audit(
        session, actor=actor, action="create_user", target=username, detail={"role": role, "regions": regions}
    )
    session.commit()
    session.refresh(user)
    return user


def authenticate(*, session: Session, username: str, password: str) -> ServerUser:
    user = session.exec(select(ServerUser).where(ServerUser.username == username.strip())).first()
    # The connection goes back to the pool while the hash runs (tens of milliseconds).
    session.commit()
    ok = verify_password(user.password_hash if user else _DUMMY_HASH, password)
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
    if device is not None and device.revoked_at is not None:
        raise ApiError(403, p.DEVICE_REVOKED, DEVICE_REVOKED_MESSAGE)
    if device is None:
        device = Device(id=device_id, user_id=user.id, name=device_name, first_seen=now)  # type: ignore[arg-type]
    device.user_id, device.last_seen = user.id, now  # type: ignore[assignment]
    device.name = device_name or device.name
    session.add(device)
    session.add(row)
    session.commit()
    return token, row


class DeviceContact(NamedTuple):
    """What the console shows of a device's last contact, read with the token (one query per request)."""

    last_seen: float
    pending_changes: int
    quarantined_rows: int


def user_for_token(*, session: Session, token: str) -> tuple[ServerUser, AuthToken, DeviceContact | None]:
    """The user a bearer token belongs to and its device's contact; raises ``ApiError`` 401 otherwise."""
    found = session.exec(
        select(
            AuthToken,
            ServerUser,
            Device.id,
            Device.revoked_at,
            Device.last_seen,
            Device.pending_changes,
            Device.quarantined_rows,
        )
        .join(ServerUser, ServerUser.id == AuthToken.user_id)  # type: ignore[arg-type]
        .outerjoin(Device, Device.id == AuthToken.device_id)  # type: ignore[arg-type]
        .where(AuthToken.token_hash == hash_token(token))
    ).first()
    if found is None:
        raise ApiError(401, p.TOKEN_INVALID, "登录已失效，请重新登录")
    row, user, device_id, device_revoked, *contact = found
    if device_revoked is not None:
        raise ApiError(401, p.DEVICE_REVOKED, DEVICE_REVOKED_MESSAGE)
    if row.revoked_at is not None:
        raise ApiError(401, p.TOKEN_REVOKED, "此设备的登录已被管理员注销，请重新登录")
    if row.expires_at <= time.time():
        raise ApiError(401, p.TOKEN_EXPIRED, "登录已过期，请重新登录")
    if not user.active:
        raise ApiError(401, p.TOKEN_INVALID, "账号已停用，请联系管理员")
    return user, row, (DeviceContact(*contact) if device_id is not None else None)


DEVICE_REVOKED_MESSAGE = (
    "此设备已被管理员停用（如电脑丢失），不能再同步；本机数据将被清除，请联系管理员重新登记设备"
)


def revoke_tokens(
    *, session: Session, username: str, device_id: str | None = None, actor: str = accounts.CLI_ACTOR
) -> int:
    """A lost laptop: revoke the device (or every device of the user) and its tokens.

    A revoked device cannot log in again until it is enrolled anew (``accounts.enroll_device``).
    """
    user = session.exec(select(ServerUser).where(ServerUser.username == username)).first()
    if user is None:
        raise ApiError(404, p.NOT_FOUND, f"没有用户“{username}”")
    devices = session.exec(select(Device.id).where(Device.user_id == user.id)).all()
    if device_id:
        if device_id not in devices:
            raise ApiError(404, p.NOT_FOUND, f"用户“{username}”没有设备“{device_id}”")
        devices = [device_id]
    return sum(accounts.revoke_device(session=session, actor=actor, device_id=d) for d in devices)
