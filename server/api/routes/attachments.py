"""``HEAD/PUT/GET /attachments/{sha256}``: resumable, content-addressed file transfer.

``HEAD`` answers with ``X-Received-Bytes`` (and ``X-Complete``); ``PUT`` with
``Content-Range: bytes START-END/TOTAL`` appends one chunk that must start
where the stored bytes end; the hash is checked when the last byte arrives.

An unfinished upload is its uploader's alone and expires (``server.attachment_store``);
the declared total is capped (``Settings.max_attachment_bytes``); ``HEAD`` and ``GET``
are scoped like rows, administrators included.
"""

from __future__ import annotations

import re
import time
from typing import Annotated

from anyio import to_thread
from fastapi import APIRouter, Header, Path, Request, Response
from fastapi.responses import FileResponse
from sqlmodel import Session, select

from app.contract import protocol as p
from server.api.deps import AttachmentStoreDep, CurrentUser, SessionDep, SettingsDep
from server.attachment_store import HashMismatch, RangeMismatch
from server.errors import ApiError
from server.models import AttachmentMeta, Record, ServerUser
from server.sync_service import in_scope

router = APIRouter(prefix="/attachments", tags=["attachments"])

Sha = Annotated[str, Path(pattern=r"^[0-9a-f]{64}$")]
_RANGE = re.compile(r"^bytes (\d+)-(\d+)/(\d+)$")


_SWEEP_EVERY_S = 600.0
_last_sweep = [0.0]


def _status_headers(received: int, complete: bool) -> dict[str, str]:
    return {"X-Received-Bytes": str(received), "X-Complete": "true" if complete else "false"}


def _may_read(session: Session, user: ServerUser, sha256: str) -> bool:
    """Scoped like rows: the attachment's record is in the user's regions (admins too), or the user uploaded it."""
    meta = session.get(AttachmentMeta, sha256)
    if meta is not None and meta.uploaded_by == user.username:
        return True
    rec = session.exec(
        select(Record.region_code).where(Record.tbl == "attachment", Record.row_id == sha256)
    ).first()
    return rec is not None and in_scope(user.regions, rec)


@router.head("/{sha256}")
def head(sha256: Sha, user: CurrentUser, session: SessionDep, store: AttachmentStoreDep) -> Response:
    """How much of this file the server holds for the caller: the whole file if the caller may
    read it, else the caller's own unfinished upload (nobody learns what others uploaded)."""
    if store.is_complete(sha256) and _may_read(session, user, sha256):
        return Response(status_code=200, headers=_status_headers(store.size(sha256), True))
    received = store.received(sha256, user.username)
    return Response(status_code=200 if received else 404, headers=_status_headers(received, False))


@router.put("/{sha256}", response_model=p.AttachmentStatus)
async def put(
    sha256: Sha,
    request: Request,
    user: CurrentUser,
    session: SessionDep,
    store: AttachmentStoreDep,
    settings: SettingsDep,
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
    limit = settings.max_attachment_bytes
    if total > limit:
        raise ApiError(413, p.TOO_LARGE, f"附件超过服务器上限（{limit // (1024 * 1024)} MB），请压缩后再上传")
    now = time.time()
    if now - _last_sweep[0] > _SWEEP_EVERY_S:
        _last_sweep[0] = now
        await to_thread.run_sync(store.expire, now)
    if store.is_complete(sha256) and await to_thread.run_sync(_may_read, session, user, sha256):
        return p.AttachmentStatus(sha256=sha256, received=store.size(sha256), complete=True)
    try:
        received = store.append(sha256, user.username, start, data)
    except RangeMismatch as exc:
        raise ApiError(409, p.RANGE_MISMATCH, str(exc)) from exc
    if received < total:
        return p.AttachmentStatus(sha256=sha256, received=received, complete=False)
    try:
        store.finish(sha256, user.username)
    except HashMismatch as exc:
        raise ApiError(422, p.HASH_MISMATCH, str(exc)) from exc
    meta = session.get(AttachmentMeta, sha256)
    if meta is None:
        meta = AttachmentMeta(sha256=sha256, uploaded_by=user.username, created_at=now)
    meta.total, meta.received, meta.complete = total, received, True
    session.add(meta)
    session.commit()
    return p.AttachmentStatus(sha256=sha256, received=received, complete=True)


@router.get("/{sha256}")
def get(sha256: Sha, user: CurrentUser, session: SessionDep, store: AttachmentStoreDep) -> FileResponse:
    # The same answer whether the file is missing or outside the caller's regions.
    if not store.is_complete(sha256) or not _may_read(session, user, sha256):
        raise ApiError(404, p.NOT_FOUND, "服务器上没有您可查看的这个附件（上传它的设备可能尚未同步）")
    return FileResponse(
        store.path(sha256), media_type="application/octet-stream", headers={"Cache-Control": "no-store"}
    )
