"""``POST /sync/push`` and ``GET /sync/pull`` (SYNC.md)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from app.sync import protocol as p
from server import sync_service
from server.api.deps import CurrentUser, EngineDep, SessionDep, SettingsDep

router = APIRouter(prefix="/sync", tags=["sync"])


@router.post("/push", response_model=p.PushResponse)
def push(body: p.PushRequest, user: CurrentUser, engine: EngineDep, settings: SettingsDep) -> p.PushResponse:
    """Apply a batch of field changes in one transaction; a repeated batch id gets the stored answer."""
    return sync_service.push(
        engine=engine, user=user, request=body, skew_limit_ms=settings.clock_skew_limit_ms
    )


@router.get("/pull", response_model=p.PullResponse)
def pull(
    user: CurrentUser,
    session: SessionDep,
    since: Annotated[int, Query(ge=0)] = 0,
    limit: Annotated[int, Query(ge=1, le=p.MAX_PULL_LIMIT)] = 500,
) -> p.PullResponse:
    """Rows in the caller's regions changed after ``since``, oldest first."""
    return sync_service.pull(session=session, user=user, since=since, limit=limit)
