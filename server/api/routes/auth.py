"""Login, logout and token revocation (a lost laptop)."""

from __future__ import annotations

import time
from datetime import UTC, datetime

from fastapi import APIRouter, Request

from app.contract import protocol as p
from server import accounts, crud
from server.api.deps import AdminUser, CurrentLogin, SessionDep, SettingsDep
from server.console import sessions
from server.errors import ApiError
from server.passwords import HashingBusy
from server.sync_service import now_ms
from server.throttle import LoginThrottle

router = APIRouter(prefix="/auth", tags=["auth"])


def _user_info(user: crud.ServerUser) -> p.UserInfo:
    return p.UserInfo(
        username=user.username, display_name=user.display_name, role=user.role, regions=user.regions
    )


@router.post("/login", response_model=p.LoginResponse, responses={429: {"model": p.ErrorBody}})
def login(
    body: p.LoginRequest, request: Request, session: SessionDep, settings: SettingsDep
) -> p.LoginResponse:
    """Check the password and hand out a new token bound to this device.

    Throttled per account and per address (``server.throttle``); the password is hashed in
    one of a few slots (``server.passwords``), so a flood waits or gets 429, never all the memory.
    """
    throttle: LoginThrottle = request.app.state.login_throttle
    address = request.client.host if request.client else ""
    wait = throttle.wait_s(body.username, address)
    if wait:
        raise ApiError(
            429,
            p.TOO_MANY_ATTEMPTS,
            f"登录失败次数过多，请 {wait} 秒后再试；如忘记密码，请联系管理员重置",
            headers={"Retry-After": str(wait)},
        )
    try:
        user = crud.authenticate(session=session, username=body.username, password=body.password)
    except HashingBusy:
        raise ApiError(429, p.SERVER_BUSY, "服务器正忙，请稍后再登录", headers={"Retry-After": "2"}) from None
    except ApiError as exc:
        if exc.code == p.LOGIN_FAILED:
            throttle.failed(body.username, address)
        raise
    throttle.succeeded(body.username)
    device_id = body.device_id or f"d{int(time.time() * 1000):x}"
    token, row = crud.issue_token(
        session=session,
        user=user,
        device_id=device_id,
        device_name=body.device_name,
        lifetime_s=settings.token_lifetime_s,
    )
    return p.LoginResponse(
        token=token,
        user=_user_info(user),
        device_id=device_id,
        regions=user.regions,
        expires_at=datetime.fromtimestamp(row.expires_at, UTC).isoformat(),
        server_time=now_ms(),
        max_idle_minutes=max(1, settings.max_idle_minutes),
        must_change_password=sessions.must_change(session, user),
    )


@router.post("/password", responses={422: {"model": p.ErrorBody}})
def change_password(
    body: p.PasswordChangeRequest, request: Request, login: CurrentLogin, session: SessionDep
) -> dict[str, bool]:
    """The user's own new password (the server's policy); a one-time password stops being one.

    The current password is asked again, so a laptop left open cannot be taken over.
    """
    user, token = login
    throttle: LoginThrottle = request.app.state.login_throttle
    address = request.client.host if request.client else ""
    try:
        crud.authenticate(session=session, username=user.username, password=body.password)
    except HashingBusy:
        raise ApiError(429, p.SERVER_BUSY, "服务器正忙，请稍后再试", headers={"Retry-After": "2"}) from None
    except ApiError as exc:
        if exc.code == p.LOGIN_FAILED:
            throttle.failed(user.username, address)
            raise ApiError(422, p.LOGIN_FAILED, "当前密码不正确，密码未修改") from None
        raise
    if body.new_password == body.password:
        raise ApiError(422, p.INVALID, "新密码不能与当前密码相同")
    problem = sessions.password_problem(user, body.new_password, body.new_password)
    if problem:
        raise ApiError(422, p.INVALID, problem)
    sessions.set_password(session, user, body.new_password)
    accounts.audit(
        session,
        actor=user.username,
        device_id=token.device_id,
        action="change_password",
        target=user.username,
    )
    session.commit()
    return {"changed": True}


@router.get("/me", response_model=p.UserInfo)
def me(login: CurrentLogin) -> p.UserInfo:
    return _user_info(login[0])


@router.post("/logout")
def logout(login: CurrentLogin, session: SessionDep) -> dict[str, int]:
    """Revoke the token this request carries."""
    _user, token = login
    token.revoked_at = time.time()
    session.add(token)
    session.commit()
    return {"revoked": 1}


@router.post("/revoke")
def revoke(body: p.RevokeRequest, admin: AdminUser, session: SessionDep) -> dict[str, int]:
    """Admin: revoke one of a user's devices (or all of them); they log in again only once enrolled anew."""
    return {
        "revoked": crud.revoke_tokens(
            session=session, username=body.username, device_id=body.device_id, actor=admin.username
        )
    }
