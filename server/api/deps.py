"""Dependencies of the routes: settings, engine, session, attachment store, current user.

FastAPI runs a plain ``def`` dependency in its thread pool; a hop there and back
costs more than these getters do, so only the one that talks to the database
(the token lookup) is a ``def``. A request uses one session.
"""

from __future__ import annotations

import time
from collections.abc import AsyncIterator
from typing import Annotated

from anyio import CapacityLimiter, to_thread
from fastapi import Depends, Header, Request
from sqlalchemy import Engine, update
from sqlmodel import Session

from app.contract import protocol as p
from server import crud
from server.attachment_store import AttachmentStore
from server.core.config import Settings
from server.errors import ApiError
from server.models import AuthToken, Device, ServerUser


async def get_settings(request: Request) -> Settings:
    return request.app.state.settings


async def get_engine(request: Request) -> Engine:
    return request.app.state.engine


async def get_attachment_store(request: Request) -> AttachmentStore:
    return request.app.state.attachments


async def get_session(engine: Annotated[Engine, Depends(get_engine)]) -> AsyncIterator[Session]:
    # Making a session touches no connection; the first query checks one out, in a worker thread.
    session = Session(engine, expire_on_commit=False)
    try:
        yield session
    finally:
        if session.in_transaction():
            # A rollback goes over the network, so not on the event loop; and not behind the
            # thread pool's limit either, or a request holding a connection could wait for a
            # thread held by a request waiting for a connection (FastAPI exits its own
            # generator dependencies the same way).
            await to_thread.run_sync(session.close, limiter=CapacityLimiter(1))
        else:
            session.close()


SettingsDep = Annotated[Settings, Depends(get_settings)]
EngineDep = Annotated[Engine, Depends(get_engine)]
SessionDep = Annotated[Session, Depends(get_session)]
AttachmentStoreDep = Annotated[AttachmentStore, Depends(get_attachment_store)]


async def get_bearer_token(authorization: Annotated[str | None, Header()] = None) -> str:
    if not authorization or not authorization.lower().startswith("bearer "):
        raise ApiError(401, p.TOKEN_INVALID, "请先登录")
    return authorization[7:].strip()


BearerToken = Annotated[str, Depends(get_bearer_token)]


CONTACT_EVERY_S = 60  # how stale a device's last contact may get before a request records it


def authenticate(request: Request, session: Session, token: str) -> tuple[ServerUser, AuthToken]:
    """The login behind a bearer token, named on the request for the log; ``ApiError`` 401 otherwise.

    The device's last contact (``Device.last_seen``, shown in the console) moves on with any
    request, written at most once a minute per device in a transaction of its own. The pending
    and quarantine counts a laptop sends with its pushes and pulls (``p.PENDING_HEADER``) are
    written with it, and at once when they changed.
    """
    user, row, known = crud.user_for_token(session=session, token=token)
    request.state.username = user.username
    now = time.time()
    if known is None:
        return user, row
    seen, pending, quarantined = known
    values: dict[str, object] = {}
    if seen < now - CONTACT_EVERY_S:
        values["last_seen"] = now
    reported = reported_state(request)
    if reported is not None and (values or reported != (pending, quarantined)):
        values.update(pending_changes=reported[0], quarantined_rows=reported[1], state_reported_at=now)
    if values:
        session.execute(update(Device).where(Device.id == row.device_id).values(**values))  # type: ignore[arg-type]
        session.commit()
    return user, row


def _count(text: str | None) -> int | None:
    text = (text or "").strip()
    if not text.isascii() or not text.isdigit() or int(text) > p.MAX_REPORTED_COUNT:
        return None
    return int(text)


def reported_state(request: Request) -> tuple[int, int] | None:
    """``(pending changes, quarantined rows)`` from the laptop's headers; ``None`` if absent or not counts."""
    pending = _count(request.headers.get(p.PENDING_HEADER))
    if pending is None:
        return None
    return pending, _count(request.headers.get(p.QUARANTINED_HEADER)) or 0


def get_current_login(
    request: Request, session: SessionDep, token: BearerToken
) -> tuple[ServerUser, AuthToken]:
    login = authenticate(request, session, token)
    # Hand the connection back before the route runs: a request that held one while it
    # waited for a worker thread could deadlock the pool against requests holding threads
    # while they wait for a connection (bench server, 200 devices). The sync routes, which
    # carry nearly all the traffic, check the token in their own thread instead.
    session.commit()
    return login


CurrentLogin = Annotated[tuple[ServerUser, AuthToken], Depends(get_current_login)]


async def get_current_user(login: CurrentLogin) -> ServerUser:
    return login[0]


CurrentUser = Annotated[ServerUser, Depends(get_current_user)]


async def get_admin(user: CurrentUser) -> ServerUser:
    if user.role != "admin":
        raise ApiError(403, p.FORBIDDEN, "只有管理员可以这样做")
    return user


AdminUser = Annotated[ServerUser, Depends(get_admin)]
