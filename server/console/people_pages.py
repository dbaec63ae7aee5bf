"""People and devices (administrators): accounts, their roles and regions, their laptops.

Every change is made by ``server.accounts`` (and ``crud.create_user``), the functions the
command line and the API use, which write the audit log; the console adds only what is
its own (one-time passwords, ending browser sessions).
"""

from __future__ import annotations

import secrets
import time
from typing import Annotated
from urllib.parse import quote

from fastapi import APIRouter, Form, Request
from fastapi.responses import Response
from sqlalchemy import func
from sqlmodel import Session, select

from server import accounts, crud
from server.api.deps import SessionDep
from server.console import sessions
from server.console.access import Page
from server.console.guard import Refused, require
from server.console.web import PREFIX, redirect, render, tr
from server.models import AuthToken, ChangeHistory, Device, PushBatch, ServerUser, UserCreate

router = APIRouter(prefix="/people")

# No 0/O, 1/l/I: a one-time password is read out over the phone.
_READABLE = "23456789abcdefghjkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ"


def _one_time_password() -> str:
    return "".join(secrets.choice(_READABLE) for _ in range(10))


def _split(text: str) -> list[str]:
    """Region codes typed in one box, separated by spaces or commas (checked by ``accounts``)."""
    return text.replace(",", " ").replace("，", " ").split()


def _user(db: Session, username: str) -> ServerUser:
    try:
        return accounts.get_user(db, username)
    except accounts.AccountError:
        raise Refused("没有这个用户") from None


def _device_pushes(db: Session, device_ids: list[str]) -> dict[str, float]:
    """When each device last had a change applied (the change history names the token's device)."""
    if not device_ids:
        return {}
    rows = db.exec(  # type: ignore[call-overload]
        select(ChangeHistory.device_id, func.max(ChangeHistory.at))
        .where(ChangeHistory.device_id.in_(device_ids))  # type: ignore[attr-defined]
        .group_by(ChangeHistory.device_id)
    )
    return {device_id: at for device_id, at in rows}


REJECTED_WINDOW_S = 30 * 24 * 3600


def _rejected(db: Session, user_id: int, now: float) -> tuple[int, int, float | None]:
    """(changes refused, pushes with a refusal, when the last refusal was) over the last 30 days.

    A push's answer is kept whole (``PushBatch``) with the account but not the device, so the
    refusals are the account's; the laptop keeps each refused change for its user to see.
    """
    refused = batches = 0
    last: float | None = None
    query = select(PushBatch.response, PushBatch.created_at).where(
        PushBatch.user_id == user_id, PushBatch.created_at >= now - REJECTED_WINDOW_S
    )
    for response, at in db.exec(query):  # type: ignore[call-overload]
        n = len((response or {}).get("rejected") or [])
        if n:
            refused, batches = refused + n, batches + 1
            last = max(last or 0.0, at)
    return refused, batches, last


def _last_push(db: Session) -> dict[int, float]:
    rows = db.exec(select(PushBatch.user_id, func.max(PushBatch.created_at)).group_by(PushBatch.user_id))  # type: ignore[call-overload]
    return {user_id: at for user_id, at in rows}


@router.get("", include_in_schema=False)
def people(request: Request, db: SessionDep, q: str = "", message: str = "") -> Response:
    require(request, db, Page.PEOPLE)
    query = select(ServerUser).order_by(ServerUser.username)
    if q:
        query = query.where(
            ServerUser.username.contains(q) | ServerUser.display_name.contains(q)  # type: ignore[attr-defined]
        )
    users = list(db.exec(query))
    devices = dict(db.exec(select(Device.user_id, func.count()).group_by(Device.user_id)).all())  # type: ignore[call-overload]
    context = {
        "users": users,
        "devices": devices,
        "last_push": _last_push(db),
        "q": q,
        "message": tr(request, message) if message else "",
        "error": "",
        "form": {},
    }
    template = "people_rows.html" if request.headers.get("hx-request") else "people.html"
    return render(request, template, context)


@router.post("", include_in_schema=False)
def create(
    request: Request,
    db: SessionDep,
    username: Annotated[str, Form(max_length=100)] = "",
    display_name: Annotated[str, Form(max_length=100)] = "",
    role: Annotated[str, Form(max_length=20)] = "worker",
    regions: Annotated[str, Form(max_length=500)] = "",
    password: Annotated[str, Form(max_length=200)] = "",
    csrf: Annotated[str, Form(max_length=100)] = "",
) -> Response:
    me = require(request, db, Page.PEOPLE, csrf=csrf)
    try:
        user = crud.create_user(
            session=db,
            user_create=UserCreate(
                username=username,
                display_name=display_name.strip(),
                role=role,
                regions=_split(regions),
                password=password,
            ),
            actor=me.user.username,
        )
    except crud.InvalidUser as exc:
        db.rollback()
        context = {
            "users": accounts.list_users(session=db),
            "devices": {},
            "last_push": _last_push(db),
            "q": "",
            "message": "",
            "error": str(exc),
            "form": {"username": username, "display_name": display_name, "role": role, "regions": regions},
        }
        return render(request, "people.html", context, status=422)
    # The password the administrator chose is a first one: the user picks their own at sign-in.
    sessions.mark_one_time(db, user)
    db.commit()
    return _done(request, user, "用户已创建")


def _person_page(
    request: Request, db: Session, user: ServerUser, *, message: str = "", secret: str = "", error: str = ""
) -> Response:
    """One user's page: account, role and regions, devices with their logins and last contact."""
    now = time.time()
    devices = list(db.exec(select(Device).where(Device.user_id == user.id).order_by(Device.last_seen.desc())))  # type: ignore[attr-defined]
    live: dict[str, int] = {}
    for token in db.exec(select(AuthToken).where(AuthToken.user_id == user.id)):
        if token.revoked_at is None and token.expires_at > now:
            live[token.device_id] = live.get(token.device_id, 0) + 1
    refused, refused_batches, refused_at = _rejected(db, user.id or 0, now)
    context = {
        "user": user,
        "devices": devices,
        "live": live,
        "device_push": _device_pushes(db, [d.id for d in devices]),
        "refused": refused,
        "refused_batches": refused_batches,
        "refused_at": refused_at,
        "last_push": _last_push(db).get(user.id or 0),
        "message": tr(request, message) if message else "",
        "secret": secret,
        "error": tr(request, error) if error else "",
    }
    return render(request, "person.html", context, status=422 if error else 200)


@router.get("/{username}", include_in_schema=False)
def person(request: Request, db: SessionDep, username: str, message: str = "") -> Response:
    require(request, db, Page.PEOPLE)
    return _person_page(request, db, _user(db, username), message=message)


def _done(request: Request, user: ServerUser, message: str) -> Response:
    return redirect(request, f"{PREFIX}/people/{quote(user.username)}?message={quote(message)}")


@router.post("/{username}/role", include_in_schema=False)
def change_role(
    request: Request,
    db: SessionDep,
    username: str,
    role: Annotated[str, Form(max_length=20)] = "",
    regions: Annotated[str, Form(max_length=500)] = "",
    csrf: Annotated[str, Form(max_length=100)] = "",
) -> Response:
    me = require(request, db, Page.PEOPLE, csrf=csrf)
    user = _user(db, username)
    try:
        accounts.valid_role(role), accounts.valid_regions(_split(regions))  # both, or neither
        accounts.set_role(session=db, actor=me.user.username, username=username, role=role)
        accounts.set_regions(session=db, actor=me.user.username, username=username, regions=_split(regions))
    except accounts.AccountError as exc:
        db.rollback()
        return _person_page(request, db, user, error=str(exc))
    return _done(request, user, "已保存")


@router.post("/{username}/active", include_in_schema=False)
def set_active(
    request: Request,
    db: SessionDep,
    username: str,
    active: Annotated[str, Form(max_length=5)] = "0",
    csrf: Annotated[str, Form(max_length=100)] = "",
) -> Response:
    me = require(request, db, Page.PEOPLE, csrf=csrf)
    user = _user(db, username)
    if user.id == me.user.id:
        return _person_page(request, db, user, error="不能停用自己的账号")
    on = active == "1"
    if not on:
        sessions.end_sessions(db, user.id)  # type: ignore[arg-type]
    # Deactivating also revokes every laptop's login (``accounts.set_active``).
    accounts.set_active(session=db, actor=me.user.username, username=username, active=on)
    return _done(request, user, "用户已启用" if on else "用户已停用")


@router.post("/{username}/reset", include_in_schema=False)
def reset_password(
    request: Request, db: SessionDep, username: str, csrf: Annotated[str, Form(max_length=100)] = ""
) -> Response:
    me = require(request, db, Page.PEOPLE, csrf=csrf)
    user = _user(db, username)
    secret = _one_time_password()
    sessions.end_sessions(db, user.id)  # type: ignore[arg-type]
    sessions.mark_one_time(db, user)
    accounts.reset_password(session=db, actor=me.user.username, username=username, password=secret)
    # Shown once, in this answer only: never in a URL or the log.
    message = "一次性密码（只显示这一次，请转告本人，登录后须修改）："
    return _person_page(request, db, user, message=message, secret=secret)


@router.post("/{username}/devices/{device_id}/revoke", include_in_schema=False)
def revoke_device(
    request: Request,
    db: SessionDep,
    username: str,
    device_id: str,
    csrf: Annotated[str, Form(max_length=100)] = "",
) -> Response:
    me = require(request, db, Page.PEOPLE, csrf=csrf)
    user = _user(db, username)
    device = db.get(Device, device_id)
    if device is None or device.user_id != user.id:
        return _person_page(request, db, user, error="没有这台设备")
    # Its logins end and it cannot log in again until enrolled; the laptop wipes itself at its next contact.
    accounts.revoke_device(session=db, actor=me.user.username, device_id=device_id)
    return _done(request, user, "设备已注销")
