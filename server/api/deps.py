"""Dependencies of the routes: settings, engine, session, attachment store, current user."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Annotated

from fastapi import Depends, Header, Request
from sqlalchemy import Engine
from sqlmodel import Session

from app.sync import protocol as p
from server import crud
from server.attachment_store import AttachmentStore
from server.core.config import Settings
from server.errors import ApiError
from server.models import AuthToken, ServerUser


def get_settings(request: Request) -> Settings:
    return request.app.state.settings


def get_engine(request: Request) -> Engine:
    return request.app.state.engine


def get_attachment_store(request: Request) -> AttachmentStore:
    return request.app.state.attachments


def get_session(engine: Annotated[Engine, Depends(get_engine)]) -> Iterator[Session]:
    # Objects stay readable after a commit, so a dependency can hand its connection back early.
    with Session(engine, expire_on_commit=False) as session:
        yield session


SettingsDep = Annotated[Settings, Depends(get_settings)]
EngineDep = Annotated[Engine, Depends(get_engine)]
SessionDep = Annotated[Session, Depends(get_session)]
AttachmentStoreDep = Annotated[AttachmentStore, Depends(get_attachment_store)]


def get_current_login(
    request: Request,
    session: SessionDep,
    authorization: Annotated[str | None, Header()] = None,
) -> tuple[ServerUser, AuthToken]:
    if not authorization or not authorization.lower().startswith("bearer "):
        raise ApiError(401, p.TOKEN_INVALID, "请先登录")
    user, token = crud.user_for_token(session=session, token=authorization[7:].strip())
    # Give the connection back now: a push opens its own transaction, and a request holding
    # two pooled connections at once deadlocks the pool under load (bench server, 200 devices).
    session.commit()
    request.state.username = user.username
    return user, token


CurrentLogin = Annotated[tuple[ServerUser, AuthToken], Depends(get_current_login)]


def get_current_user(login: CurrentLogin) -> ServerUser:
    return login[0]


CurrentUser = Annotated[ServerUser, Depends(get_current_user)]


def get_admin(user: CurrentUser) -> ServerUser:
    if user.role != "admin":
        raise ApiError(403, p.FORBIDDEN, "只有管理员可以这样做")
    return user


AdminUser = Annotated[ServerUser, Depends(get_admin)]
