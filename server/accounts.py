"""Account and device administration, each act written to the audit log; history and audit queries.

Plain keyword-only functions taking a ``session`` so the command line, the API and the
web console all call the same thing. ``actor`` names who did it: a user name, or
``cli`` for the server's command line. Each function commits.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from typing import Any, NamedTuple

from sqlmodel import Session, col, select

from app.domain.enums import Role
from app.domain.regions import InvalidRegionCode, normalise_prefix, scopes_overlap
from server.models import AuditLog, AuthToken, ChangeHistory, Device, ServerUser
from server.passwords import check_password, hash_password
from server.region_filter import within_any

CLI_ACTOR = "cli"


class AccountError(ValueError):
    """An account change that cannot be made as asked (message in Chinese)."""


def audit(
    session: Session,
    *,
    actor: str,
    action: str,
    target: str = "",
    device_id: str = "",
    tbl: str = "",
    row_id: str = "",
    detail: dict[str, Any] | None = None,
) -> AuditLog:
    """Add one audit entry to the session (the caller commits, with the act it records)."""
    entry = AuditLog(
        at=time.time(),
        actor=actor,
        device_id=device_id,
        action=action,
        target=target,
        tbl=tbl,
        row_id=row_id,
        detail=detail or {},
    )
    session.add(entry)
    return entry


def get_user(session: Session, username: str) -> ServerUser:
    """The account named ``username``; raises ``AccountError`` if there is none."""
    user = session.exec(select(ServerUser).where(ServerUser.username == username)).first()
    if user is None:
        raise AccountError(f"没有用户“{username}”")
    return user


def list_users(*, session: Session) -> list[ServerUser]:
    return list(session.exec(select(ServerUser).order_by(ServerUser.username)))


class Colleague(NamedTuple):
    """What a laptop may know of a colleague: who they are and the devices whose clocks are theirs."""

    username: str
    display_name: str
    role: str
    active: bool
    devices: tuple[str, ...]  # ids of the devices last logged in with this account, sorted


def colleagues(*, session: Session, regions: Sequence[str]) -> list[Colleague]:
    """Every account whose regions overlap ``regions``, with its devices, by username.

    Deactivated accounts and revoked devices are included: the visits and edits they made still
    name them. Only these columns are read, never a password hash. A stored region that no longer
    parses overlaps nothing. A device belongs to the account that last logged in on it
    (``Device.user_id``), the one the laptop's clocks are then stamped for.
    """
    rows = session.exec(
        select(
            ServerUser.id,
            ServerUser.username,
            ServerUser.display_name,
            ServerUser.role,
            ServerUser.active,
            ServerUser.regions,
        ).order_by(ServerUser.username)
    )
    listed: dict[int, tuple[str, str, str, bool]] = {}
    for user_id, username, display_name, role, active, theirs in rows:
        try:
            if scopes_overlap(regions, theirs or []):
                listed[user_id] = (username, display_name, role, bool(active))
        except InvalidRegionCode:
            continue
    devices: dict[int, list[str]] = {}
    if listed:
        for device_id, user_id in session.exec(
            select(Device.id, Device.user_id).where(col(Device.user_id).in_(list(listed))).order_by(Device.id)
        ):
            devices.setdefault(user_id, []).append(device_id)
    return [Colleague(*who, tuple(devices.get(user_id, ()))) for user_id, who in listed.items()]


def valid_username(name: str) -> str:
    """The name stripped; raises ``AccountError`` for an empty or unprintable one."""
    stripped = name.strip()
    if not stripped:
        raise AccountError("用户名不能为空")
    if len(stripped) > 100 or not stripped.isprintable():
        raise AccountError("用户名过长或含有不可见字符")
    return stripped


def valid_role(role: str) -> str:
    try:
        return Role(role).value
    except ValueError:
        raise AccountError(f"未知的角色“{role}”，可选：{'、'.join(r.value for r in Role)}") from None


def valid_regions(regions: Sequence[str]) -> list[str]:
    """Region prefixes at their natural length; at least one."""
    if not regions:
        raise AccountError("至少需要一个负责地区（区划代码）")
    try:
        return sorted({normalise_prefix(r) for r in regions})
    except InvalidRegionCode as exc:
        raise AccountError(str(exc)) from exc


def _revoke_all(session: Session, user: ServerUser, now: float) -> int:
    rows = session.exec(
        select(AuthToken).where(AuthToken.user_id == user.id, col(AuthToken.revoked_at).is_(None))
    )
    count = 0
    for row in rows:
        row.revoked_at = now
        session.add(row)
        count += 1
    return count


def set_active(*, session: Session, actor: str, username: str, active: bool) -> ServerUser:
    """Deactivate (every login revoked) or reactivate an account."""
    user = get_user(session, username)
    user.active = active
    revoked = 0 if active else _revoke_all(session, user, time.time())
    session.add(user)
    audit(
        session,
        actor=actor,
        action="reactivate" if active else "deactivate",
        target=username,
        detail={"revoked_tokens": revoked},
    )
    session.commit()
    return user


def reset_password(*, session: Session, actor: str, username: str, password: str) -> ServerUser:
    """A new password (policy checked); every login of the account ends."""
    user = get_user(session, username)
    try:
        check_password(password, username)
    except ValueError as exc:
        raise AccountError(str(exc)) from exc
    user.password_hash = hash_password(password)
    revoked = _revoke_all(session, user, time.time())
    session.add(user)
    audit(session, actor=actor, action="reset_password", target=username, detail={"revoked_tokens": revoked})
    session.commit()
    return user


def set_role(*, session: Session, actor: str, username: str, role: str) -> ServerUser:
    user = get_user(session, username)
    old, user.role = user.role, valid_role(role)
    session.add(user)
    audit(session, actor=actor, action="set_role", target=username, detail={"old": old, "new": user.role})
    session.commit()
    return user


def set_regions(*, session: Session, actor: str, username: str, regions: Sequence[str]) -> ServerUser:
    user = get_user(session, username)
    old, user.regions = list(user.regions), valid_regions(regions)
    session.add(user)
    audit(
        session, actor=actor, action="set_regions", target=username, detail={"old": old, "new": user.regions}
    )
    session.commit()
    return user


def list_devices(*, session: Session, username: str | None = None) -> list[tuple[Device, str]]:
    """Devices with their user's name, newest contact first."""
    query = select(Device, ServerUser.username).join(ServerUser, ServerUser.id == Device.user_id)  # type: ignore[arg-type]
    if username:
        query = query.where(ServerUser.username == username)
    return [(d, name) for d, name in session.exec(query.order_by(col(Device.last_seen).desc()))]


def revoke_device(*, session: Session, actor: str, device_id: str) -> int:
    """A lost laptop: its tokens end, and it cannot log in again until ``enroll_device``."""
    device = session.get(Device, device_id)
    if device is None:
        raise AccountError(f"没有设备“{device_id}”")
    now = time.time()
    device.revoked_at = now
    session.add(device)
    tokens = session.exec(
        select(AuthToken).where(AuthToken.device_id == device_id, col(AuthToken.revoked_at).is_(None))
    )
    count = 0
    for row in tokens:
        row.revoked_at = now
        session.add(row)
        count += 1
    audit(
        session,
        actor=actor,
        action="revoke_device",
        target=device_id,
        device_id=device_id,
        detail={"revoked_tokens": count},
    )
    session.commit()
    return count


def enroll_device(*, session: Session, actor: str, device_id: str) -> Device:
    """Let a revoked device log in again (it was found, or wiped and handed out anew)."""
    device = session.get(Device, device_id)
    if device is None:
        raise AccountError(f"没有设备“{device_id}”")
    device.revoked_at = None
    session.add(device)
    audit(session, actor=actor, action="enroll_device", target=device_id, device_id=device_id)
    session.commit()
    return device


def record_history(
    *,
    session: Session,
    tbl: str,
    row_id: str,
    limit: int = 500,
) -> list[ChangeHistory]:
    """Every applied change of one record, oldest first."""
    return list(
        session.exec(
            select(ChangeHistory)
            .where(ChangeHistory.tbl == tbl, ChangeHistory.row_id == row_id)
            .order_by(col(ChangeHistory.id))
            .limit(limit)
        )
    )


def change_log(
    *,
    session: Session,
    regions: Sequence[str] | None = None,
    username: str | None = None,
    device_id: str | None = None,
    tbl: str | None = None,
    row_id: str | None = None,
    action: str | None = None,
    before_id: int | None = None,
    limit: int = 200,
) -> list[ChangeHistory]:
    """Applied changes, newest first, filtered; ``regions`` limits to rows in those prefixes."""
    query = select(ChangeHistory)
    for column, wanted in (
        (ChangeHistory.username, username),
        (ChangeHistory.device_id, device_id),
        (ChangeHistory.tbl, tbl),
        (ChangeHistory.row_id, row_id),
        (ChangeHistory.action, action),
    ):
        if wanted:
            query = query.where(column == wanted)
    if regions is not None:
        query = query.where(within_any(ChangeHistory.region_code, regions))
    if before_id:
        query = query.where(col(ChangeHistory.id) < before_id)
    return list(session.exec(query.order_by(col(ChangeHistory.id).desc()).limit(limit)))


def audit_log(
    *,
    session: Session,
    actor: str | None = None,
    device_id: str | None = None,
    target: str | None = None,
    tbl: str | None = None,
    row_id: str | None = None,
    action: str | None = None,
    before_id: int | None = None,
    limit: int = 200,
) -> list[AuditLog]:
    """Account and administrative acts, newest first, filtered."""
    query = select(AuditLog)
    for column, wanted in (
        (AuditLog.actor, actor),
        (AuditLog.device_id, device_id),
        (AuditLog.target, target),
        (AuditLog.tbl, tbl),
        (AuditLog.row_id, row_id),
        (AuditLog.action, action),
    ):
        if wanted:
            query = query.where(column == wanted)
    if before_id:
        query = query.where(col(AuditLog.id) < before_id)
    return list(session.exec(query.order_by(col(AuditLog.id).desc()).limit(limit)))
