"""Login, logout and token revocation (a lost laptop)."""

from __future__ import annotations

import time
from datetime import UTC, datetime

from fastapi import APIRouter

from app.contract import protocol as p
from server import crud
from server.api.deps import AdminUser, CurrentLogin, SessionDep, SettingsDep
from server.sync_service import now_ms

router = APIRouter(prefix="/auth", tags=["auth"])


def _user_info(user: crud.ServerUser) -> p.UserInfo:
    return p.UserInfo(
        username=user.username, display_name=user.display_name, role=user.role, regions=user.regions
    )


@router.post("/login", response_model=p.LoginResponse)
def login(body: p.LoginRequest, session: SessionDep, settings: SettingsDep) -> p.LoginResponse:
    """Check the password and hand out a new token bound to this device."""
    user = crud.authenticate(session=session, username=body.username, password=body.password)
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
    )


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
