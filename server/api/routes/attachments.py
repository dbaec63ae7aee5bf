"""``HEAD/PUT/GET /attachments/{sha256}``: resumable, content-addressed file transfer.

``HEAD`` answers with ``X-Received-Bytes`` (and ``X-Complete``); ``PUT`` with
``Content-Range: bytes START-END/TOTAL`` appends one chunk that must start
where the stored bytes end; the hash is checked when the last byte arrives.
"""

from __future__ import annotations

import re
import time
from typing import Annotated

from fastapi import APIRouter, Header, Path, Request, Response
from fastapi.responses import FileResponse
from sqlmodel import Session, select

from app.contract import protocol as p
from server.api.deps import AttachmentStoreDep, CurrentUser, SessionDep
from server.attachment_store import HashMismatch, RangeMismatch
from server.errors import ApiError
from server.models import AttachmentMeta, Record, ServerUser
from server.sync_service import in_scope

router = APIRouter(prefix="/attachments", tags=["attachments"])

Sha = Annotated[str, Path(pattern=r"^[0-9a-f]{64}$")]
_RANGE = re.compile(r"^bytes (\d+)-(\d+)/(\d+)$")


def _status_headers(received: int, complete: bool) -> dict[str, str]:
    return {"X-Received-Bytes": str(received), "X-Complete": "true" if complete else "false"}


def _may_read(session: Session, user: ServerUser, sha256: str) -> bool:
    if user.role == "admin":
        return True
    meta = session.get(AttachmentMeta, sha256)
    if meta is not None and meta.uploaded_by == user.username:
        return True
    rec = session.exec(select(Record).where(Record.tbl == "attachment", Record.row_id == sha256)).first()
    return rec is not None and in_scope(user.regions, rec.region_code)


@router.head("/{sha256}")
def head(sha256: Sha, _user: CurrentUser, store: AttachmentStoreDep) -> Response:
    received = store.received(sha256)
    complete = store.is_complete(sha256)
    return Response(
        status_code=200 if received or complete else 404, headers=_status_headers(received, complete)
    )


@router.put("/{sha256}", response_model=p.AttachmentStatus)
async def put(
    sha256: Sha,
    request: Request,
    user: CurrentUser,
    session: SessionDep,
    store: AttachmentStoreDep,
    content_range: Annotated[str | None, Header()] = None,
) -> p.AttachmentStatus:
    data = await request.body()
    if content_range:
        m = _RANGE.match(content_range.strip())
        if not m:
            raise ApiError(400, p.INVALID, "Content-Range 格式应为 bytes 起-止/总长")
        start, end, total = (int(g) for g in m.groups())
        if end - start + 1 != len(data) or end >= total:
            raise ApiError(400, p.INVALID, "Content-Range 与上传的数据长度不符")
    else:
        start, total = 0, len(data)
    if store.is_complete(sha256):
        return p.AttachmentStatus(sha256=sha256, received=store.received(sha256), complete=True)
    try:
        received = store.append(sha256, start, data)
    except RangeMismatch as exc:
        raise ApiError(409, p.RANGE_MISMATCH, str(exc)) from exc
    complete = False
    if received >= total:
        try:
            store.finish(sha256)
        except HashMismatch as exc:
            raise ApiError(422, p.HASH_MISMATCH, str(exc)) from exc
        complete = True
    meta = session.get(AttachmentMeta, sha256) or AttachmentMeta(
        sha256=sha256, uploaded_by=user.username, created_at=time.time()
    )
    meta.total, meta.received, meta.complete = total, received, complete
    session.add(meta)
    session.commit()
    return p.AttachmentStatus(sha256=sha256, received=received, complete=complete)


@router.get("/{sha256}")
def get(sha256: Sha, user: CurrentUser, session: SessionDep, store: AttachmentStoreDep) -> FileResponse:
    if not store.is_complete(sha256):
        raise ApiError(404, p.NOT_FOUND, "服务器上还没有这个附件（上传它的设备可能尚未同步）")
    if not _may_read(session, user, sha256):
        raise ApiError(403, p.OUT_OF_SCOPE, "该附件不在您负责的地区范围内")
    return FileResponse(store.path(sha256), media_type="application/octet-stream")
