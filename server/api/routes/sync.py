"""``POST /sync/push`` and ``GET /sync/pull`` (SYNC.md)."""

from __future__ import annotations

import gzip
from typing import Annotated

from fastapi import APIRouter, Query, Request, Response

from app.sync import protocol as p
from server import sync_pull, sync_service
from server.api.deps import CurrentUser, EngineDep, SessionDep, SettingsDep

router = APIRouter(prefix="/sync", tags=["sync"])

# Pages are gzipped here rather than by the app-wide middleware (level 9): level 3 is
# ten times faster on a first pull's pages and only about 10% larger.
PULL_GZIP_LEVEL = 3
_GZIP_MIN_BYTES = 1000


@router.post("/push", response_model=p.PushResponse)
def push(body: p.PushRequest, user: CurrentUser, engine: EngineDep, settings: SettingsDep) -> p.PushResponse:
    """Apply a batch of field changes in one transaction; a repeated batch id gets the stored answer."""
    return sync_service.push(
        engine=engine, user=user, request=body, skew_limit_ms=settings.clock_skew_limit_ms
    )


@router.get("/pull", response_model=p.PullResponse)
def pull(
    request: Request,
    user: CurrentUser,
    session: SessionDep,
    since: Annotated[int, Query(ge=0)] = 0,
    limit: Annotated[int, Query(ge=1, le=p.MAX_PULL_LIMIT)] = 500,
) -> Response:
    """Rows in the caller's regions changed after ``since``, oldest first."""
    body = sync_pull.pull_body(session=session, user=user, since=since, limit=limit)
    headers = {"Vary": "Accept-Encoding"}
    if len(body) >= _GZIP_MIN_BYTES and "gzip" in request.headers.get("accept-encoding", "").lower():
        body = gzip.compress(body, compresslevel=PULL_GZIP_LEVEL)
        headers["Content-Encoding"] = "gzip"  # the app-wide gzip middleware leaves encoded answers alone
    return Response(content=body, media_type="application/json", headers=headers)
