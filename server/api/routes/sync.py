"""``POST /sync/push`` and ``GET /sync/pull`` (SYNC.md)."""

from __future__ import annotations

import gzip
from typing import Annotated

from fastapi import APIRouter, Query, Request, Response
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session

from app.contract import protocol as p
from server import accounts, device_audit, sync_pull, sync_service
from server.api.deps import BearerToken, EngineDep, SettingsDep, authenticate
from server.errors import ApiError

router = APIRouter(prefix="/sync", tags=["sync"])

# Pages are gzipped here rather than by the app-wide middleware (level 9): level 3 is
# ten times faster on a first pull's pages and only about 10% larger.
PULL_GZIP_LEVEL = 3
_GZIP_MIN_BYTES = 1000
MAX_SEQ = 2**63 - 1  # both databases store seq as a signed 64-bit integer; larger is a 422, not a 500


# Both routes check the token themselves, so that a request takes one worker thread and
# one pooled connection once, for all its database work (see server/api/deps.py).


@router.post("/push", response_model=p.PushResponse)
def push(
    request: Request, body: p.PushRequest, token: BearerToken, engine: EngineDep, settings: SettingsDep
) -> p.PushResponse:
    """Apply a batch of field changes in one transaction; a repeated batch id gets the stored answer."""
    with Session(engine, expire_on_commit=False) as session:
        user, login = authenticate(request, session, token)
        return sync_service.push(
            session=session,
            user=user,
            request=body,
            skew_limit_ms=settings.clock_skew_limit_ms,
            device_id=login.device_id,
            forms=request.app.state.forms,
        )


@router.get("/pull", response_model=p.PullResponse)
def pull(
    request: Request,
    token: BearerToken,
    engine: EngineDep,
    since: Annotated[int, Query(ge=0, le=MAX_SEQ)] = 0,
    limit: Annotated[int, Query(ge=1, le=p.MAX_PULL_LIMIT)] = 500,
    layout: sync_pull.Layout = "rows",
) -> Response:
    """Rows in the caller's regions changed after ``since``, oldest first.

    ``layout=columns`` sends the same rows grouped by table, each row's field clocks as one
    JSON text (``app/contract/page.py``); the response model below describes the row layout.
    """
    with Session(engine) as session:
        user, _ = authenticate(request, session, token)
        body = sync_pull.pull_body(session=session, user=user, since=since, limit=limit, layout=layout)
    headers = {"Vary": "Accept-Encoding"}
    if len(body) >= _GZIP_MIN_BYTES and "gzip" in request.headers.get("accept-encoding", "").lower():
        body = gzip.compress(body, compresslevel=PULL_GZIP_LEVEL)
        headers["Content-Encoding"] = "gzip"  # the app-wide gzip middleware leaves encoded answers alone
    return Response(content=body, media_type="application/json", headers=headers)


@router.post("/quarantine")
def report_quarantine(
    request: Request, body: p.QuarantineReport, token: BearerToken, engine: EngineDep
) -> dict[str, int]:
    """A laptop reports pulled rows it could not store; each goes in the audit log for an administrator."""
    if any("\x00" in f"{row.tbl}{row.row_id}{row.error}" for row in body.rows):
        raise ApiError(422, p.INVALID, "报告内容含有不可见的控制字符（NUL），请升级客户端")
    with Session(engine) as session:
        user, login = authenticate(request, session, token)
        for row in body.rows:
            accounts.audit(
                session,
                actor=user.username,
                action="pull_quarantined",
                device_id=login.device_id,
                tbl=row.tbl,
                row_id=row.row_id,
                detail={"seq": row.seq, "error": row.error},
            )
        session.commit()
    return {"recorded": len(body.rows)}


@router.post("/audit", response_model=p.AuditUploadResponse)
def upload_audit(
    request: Request, body: p.AuditUpload, token: BearerToken, engine: EngineDep
) -> p.AuditUploadResponse:
    """A laptop's sealed audit events; stored once each by (device, seq), their chain checked (server/device_audit.py).

    The device and the uploader are the token's. Two uploads of the same events racing each other:
    the loser of the unique key tries once more and finds them held."""
    if any("\x00" in f"{e.at}{e.actor}{e.action}{e.tbl}{e.row_id}{e.detail}" for e in body.events):
        raise ApiError(422, p.INVALID, "审计记录含有不可见的控制字符（NUL），请升级客户端")
    for attempt in (1, 2):
        with Session(engine, expire_on_commit=False) as session:
            user, login = authenticate(request, session, token)
            try:
                return device_audit.receive(
                    session=session, user=user, device_id=login.device_id, upload=body
                )
            except IntegrityError:
                session.rollback()
                if attempt == 2:
                    raise
    raise AssertionError("unreachable")
